import Foundation

/// Why a spec variation could not be applied.
public enum SpecSettingError: LocalizedError, Equatable, Sendable {
    /// The key cannot be varied; `suggestion` is the closest settable key.
    case unknownKey(String, suggestion: String?)
    /// The value is not acceptable for the key; `expected` says what is.
    case invalidValue(key: String, value: String, expected: String)

    public var errorDescription: String? {
        switch self {
        case let .unknownKey(key, suggestion):
            let hint = suggestion.map { ", did you mean '\($0)'?" } ?? ""
            return "\(key): cannot be varied\(hint); settable keys: \((Spec.settableKeys + Spec.catalogKeys.keys).sorted().joined(separator: ", "))"
        case let .invalidValue(key, value, expected):
            return "\(key): invalid value '\(value)', expected \(expected)"
        }
    }
}

extension Spec {
    /// Dotted keys ``setting(_:to:)`` accepts.
    public static let settableKeys: [String] = settings.keys.sorted()

    /// Keys whose values are catalog ids, settable only with a catalog
    /// (``setting(_:to:catalog:)``): `gpu` allows only that GPU (and moves a GPU pin to it), `model`
    /// sets the model served.
    public static let catalogKeys: [String: CatalogKind] = ["gpu": .gpus, "model": .models]

    /// ``setting(_:to:)``, plus the ``catalogKeys``, whose values must be ids of their kind in `catalog`.
    public func setting(_ keyPath: String, to value: String, catalog: Catalog) throws(SpecSettingError) -> Spec {
        guard let kind = Self.catalogKeys[keyPath] else {
            do {
                return try setting(keyPath, to: value)
            } catch .unknownKey(let key, _) {
                throw .unknownKey(key, suggestion: Suggest.closest(to: key, in: Self.settableKeys + Self.catalogKeys.keys.sorted()))
            }
        }
        let id = value.trimmingCharacters(in: .whitespaces)
        guard catalog.kind(of: id) == kind else {
            let hint = Suggest.closest(to: id, in: catalog.ids(of: kind)).map { "; did you mean '\($0)'?" } ?? ""
            throw .invalidValue(key: keyPath, value: id, expected: "\(kind.withArticle) id from planner catalog list \(kind.rawValue)\(hint)")
        }
        var copy = self
        switch kind {
        case .gpus:
            copy.constraints.gpus = ChoiceFilter(allow: [id])
            if copy.pin.gpu != nil { copy.pin.gpu = id }
        default:
            copy.modelID = id
        }
        return copy
    }

    /// A copy with one numeric or enum field changed, for sweeps: `setting("slo.tpot_ms", to: "40")`.
    /// The value is checked against the same ranges as the loader; `none` clears optional numbers.
    public func setting(_ keyPath: String, to value: String) throws(SpecSettingError) -> Spec {
        guard let apply = Self.settings[keyPath] else {
            throw .unknownKey(keyPath, suggestion: Suggest.closest(to: keyPath, in: Self.settableKeys))
        }
        var copy = self
        try apply(&copy, value.trimmingCharacters(in: .whitespaces))
        return copy
    }

    private typealias Setter = @Sendable (inout Spec, String) throws(SpecSettingError) -> Void

    private static func number(_ key: String, _ text: String, _ rule: NumberRule) throws(SpecSettingError) -> Double {
        let expected = rule.min == 0 && rule.max > 1
            ? "a \(rule.minExclusive ? "positive" : "non-negative") number up to \(format(rule.max))"
            : "a number from \(format(rule.min)) to \(format(rule.max))"
        guard let v = Double(text.replacingOccurrences(of: "_", with: "")), rule.problem(v, got: text, integer: false) == nil else {
            throw .invalidValue(key: key, value: text, expected: expected)
        }
        return v
    }

    private static func integer(_ key: String, _ text: String, _ range: ClosedRange<Int>) throws(SpecSettingError) -> Int {
        guard let v = Int(text.replacingOccurrences(of: "_", with: "")), range.contains(v) else {
            throw .invalidValue(key: key, value: text, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return v
    }

    private static func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ text: String, _: E.Type) throws(SpecSettingError) -> E
    where E.RawValue == String {
        guard let v = E(rawValue: text) else {
            throw .invalidValue(key: key, value: text, expected: "one of \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return v
    }

    private static func boolean(_ key: String, _ text: String) throws(SpecSettingError) -> Bool {
        guard let flag = ["true": true, "false": false][text] else { throw .invalidValue(key: key, value: text, expected: "true or false") }
        return flag
    }

    private static func engineSwitch(_ key: String, _ text: String) throws(SpecSettingError) -> EngineSwitch {
        guard let value = EngineSwitch(text: text) else { throw .invalidValue(key: key, value: text, expected: "true, false or auto") }
        return value
    }

    private static func optionalNumber(_ key: String, _ text: String, _ rule: NumberRule) throws(SpecSettingError) -> Double? {
        text == "none" || text == "null" ? nil : try number(key, text, rule)
    }

    private static let settings: [String: Setter] = [
        "workload.prompt_tokens": { s, v throws(SpecSettingError) in s.workload.promptTokens = try integer("workload.prompt_tokens", v, SpecLimits.tokens) },
        "workload.output_tokens": { s, v throws(SpecSettingError) in s.workload.outputTokens = try integer("workload.output_tokens", v, SpecLimits.tokens) },
        "workload.concurrency": { s, v throws(SpecSettingError) in s.workload.load = .concurrency(try integer("workload.concurrency", v, SpecLimits.concurrency)) },
        "workload.requests_per_second": { s, v throws(SpecSettingError) in s.workload.load = .requestsPerSecond(try number("workload.requests_per_second", v, SpecLimits.requestsPerSecond)) },
        "slo.ttft_ms": { s, v throws(SpecSettingError) in s.slo.ttftMs = try optionalNumber("slo.ttft_ms", v, SpecLimits.ttftMs) },
        "slo.tpot_ms": { s, v throws(SpecSettingError) in s.slo.tpotMs = try optionalNumber("slo.tpot_ms", v, SpecLimits.tpotMs) },
        "slo.e2e_ms": { s, v throws(SpecSettingError) in s.slo.e2eMs = try optionalNumber("slo.e2e_ms", v, SpecLimits.e2eMs) },
        "slo.percentile": { s, v throws(SpecSettingError) in s.slo.percentile = try number("slo.percentile", v, SpecLimits.percentile) },
        "budget.capex_usd": { s, v throws(SpecSettingError) in s.budget.capexUSD = try optionalNumber("budget.capex_usd", v, SpecLimits.capexUSD) },
        "precision.weights": { s, v throws(SpecSettingError) in s.precision.weights = try choice("precision.weights", v, Precision.self) },
        "precision.kv_cache": { s, v throws(SpecSettingError) in
            let p = try choice("precision.kv_cache", v, Precision.self)
            if !p.isKVCacheFormat { throw .invalidValue(key: "precision.kv_cache", value: v, expected: "one of fp16, bf16, fp8, int8") }
            s.precision.kvCache = p
        },
        "engine": { s, v throws(SpecSettingError) in s.engine = try choice("engine", v, EngineProfile.self) },
        "engine.max_num_seqs": { s, v throws(SpecSettingError) in
            s.engineOverrides.autoMaxNumSeqs = v == "auto"
            do {
                s.engineOverrides.maxNumSeqs = v == "none" || v == "auto" ? nil : try integer("engine.max_num_seqs", v, SpecLimits.maxNumSeqs)
            } catch {
                let range = SpecLimits.maxNumSeqs
                throw .invalidValue(key: "engine.max_num_seqs", value: v, expected: "a whole number from \(range.lowerBound) to \(range.upperBound), none or auto")
            }
        },
        "engine.max_num_batched_tokens": { s, v throws(SpecSettingError) in
            s.engineOverrides.maxNumBatchedTokens = v == "none" ? nil : try integer("engine.max_num_batched_tokens", v, SpecLimits.maxNumBatchedTokens)
        },
        "engine.enable_chunked_prefill": { s, v throws(SpecSettingError) in s.engineOverrides.enableChunkedPrefill = try boolean("engine.enable_chunked_prefill", v) },
        "engine.expert_parallel": { s, v throws(SpecSettingError) in s.engineOverrides.expertParallel = try engineSwitch("engine.expert_parallel", v) },
        "engine.attention_dp": { s, v throws(SpecSettingError) in s.engineOverrides.attentionDataParallel = try engineSwitch("engine.attention_dp", v) },
        "objective": { s, v throws(SpecSettingError) in s.objective = try choice("objective", v, Objective.self) },
        "tco.years": { s, v throws(SpecSettingError) in s.tco.years = try number("tco.years", v, SpecLimits.years) },
        "tco.electricity_usd_per_kwh": { s, v throws(SpecSettingError) in s.tco.electricityUSDPerKWh = try number("tco.electricity_usd_per_kwh", v, SpecLimits.electricity) },
        "tco.pue": { s, v throws(SpecSettingError) in s.tco.pue = try number("tco.pue", v, SpecLimits.pue) },
        "constraints.virtualization_overhead": { s, v throws(SpecSettingError) in s.constraints.virtualizationOverhead = try number("constraints.virtualization_overhead", v, SpecLimits.fraction05) },
        "constraints.growth_headroom": { s, v throws(SpecSettingError) in s.constraints.growthHeadroom = try number("constraints.growth_headroom", v, SpecLimits.growth) },
        "constraints.min_memory_bandwidth_gbps": { s, v throws(SpecSettingError) in s.constraints.minMemoryBandwidthGBps = try optionalNumber("constraints.min_memory_bandwidth_gbps", v, SpecLimits.bandwidth) },
        "constraints.rack_power_kw": { s, v throws(SpecSettingError) in s.constraints.rackPowerKW = try optionalNumber("constraints.rack_power_kw", v, SpecLimits.rackPowerKW) },
        "constraints.max_tensor_parallel": { s, v throws(SpecSettingError) in
            s.constraints.maxTensorParallel = v == "none" ? nil : try integer("constraints.max_tensor_parallel", v, SpecLimits.tensorParallel)
        },
        "constraints.replica_redundancy": { s, v throws(SpecSettingError) in s.constraints.replicaRedundancy = try choice("constraints.replica_redundancy", v, ReplicaRedundancy.self) },
        "constraints.psu_redundancy": { s, v throws(SpecSettingError) in s.constraints.psuRedundancy = try choice("constraints.psu_redundancy", v, PSURedundancy.self) },
        "constraints.uniform_servers": { s, v throws(SpecSettingError) in s.constraints.uniformServers = try boolean("constraints.uniform_servers", v) },
        "constraints.cooling": { s, v throws(SpecSettingError) in s.constraints.cooling = try choice("constraints.cooling", v, CoolingChoice.self) },
        "constraints.network.fabric": { s, v throws(SpecSettingError) in s.constraints.network.fabric = try choice("constraints.network.fabric", v, FabricChoice.self) },
        "constraints.storage.min_iops": { s, v throws(SpecSettingError) in s.constraints.storage.minIOPS = try number("constraints.storage.min_iops", v, SpecLimits.iops) },
        "constraints.storage.model_load_seconds": { s, v throws(SpecSettingError) in s.constraints.storage.modelLoadSeconds = try number("constraints.storage.model_load_seconds", v, SpecLimits.loadSeconds) },
    ]
}
