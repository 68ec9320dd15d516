import Foundation
import Yams

/// Reads workload specs (`docs/spec.md`) and checks them against a catalog.
public enum SpecLoader {
    static let topKeys = ["schema_version", "name", "description", "model", "precision", "engine", "workload", "slo",
                          "budget", "objective", "tco", "constraints", "pin", "site", "existing"]
    static let pinKeys = ["gpu", "gpu_count", "tensor_parallel", "server", "server_count", "psu", "psus_per_server",
                          "dimm", "dimms_per_server", "ssd", "ssds_per_server", "raid_level", "nic", "nics_per_server", "rack"]
    static let constraintKeys = ["gpus", "mix_gpu_types", "min_memory_bandwidth_gbps", "virtualization_overhead",
                                 "replica_redundancy", "psu_redundancy", "storage", "network", "rack_power_kw", "cooling",
                                 "growth_headroom", "max_tensor_parallel", "socket_watts", "uniform_servers"]
        + Constraints.choiceKinds.map(\.rawValue).filter { $0 != "cooling" }
    static let storageKeys = ["model_load_seconds", "checkpoints_kept", "os_reserve_gb", "min_iops", "min_fault_tolerance"]

    /// Loads a spec file; when `catalog` is given, also checks references and cross-field rules.
    /// Diagnostics name the file as `path` was written.
    public static func load(path: String, catalog: Catalog? = nil) throws(LoadError) -> Spec {
        try parse(data: InputFile.read(path: path), file: path, catalog: catalog)
    }

    /// Parses spec bytes (a file or standard input already read); `file` names it in diagnostics.
    public static func parse(data: Data, file: String, catalog: Catalog? = nil) throws(LoadError) -> Spec {
        try finish(YAMLDocument.parse(data: data, file: file), file: file, catalog: catalog)
    }

    /// Parses spec YAML text; `file` names it in diagnostics.
    public static func parse(yaml: String, file: String = "spec.yaml", catalog: Catalog? = nil) throws(LoadError) -> Spec {
        try finish(YAMLDocument.parse(text: yaml, file: file), file: file, catalog: catalog)
    }

    private static func finish(_ parsed: Result<Node, DiagnosticList>, file: String, catalog: Catalog?) throws(LoadError) -> Spec {
        let root: Node
        switch parsed {
        case .failure(let list): throw .invalid(list.items.sorted())
        case .success(let node): root = node
        }
        let sink = DiagnosticSink(file: file)
        let spec = read(root, file: file, sink: sink)
        var diagnostics = sink.diagnostics
        if let spec, let catalog { diagnostics += check(spec, against: catalog) }
        if !diagnostics.isEmpty || spec == nil { throw .invalid(diagnostics.sorted()) }
        return spec!
    }

    // MARK: Structure

    static func read(_ root: Node, file: String, sink: DiagnosticSink) -> Spec? {
        guard let top = YAMLMap(root, path: "", sink: sink, allowed: topKeys,
                                what: "a mapping with model, workload, slo, ... (see docs/spec.md)") else { return nil }
        var ok = true
        func need<T>(_ v: T?) -> T? { if v == nil { ok = false }; return v }

        var schemaVersion = 1
        if top.has("schema_version") {
            if let v = top.int("schema_version", 0...1_000_000) {
                if Spec.supportedSchemaVersions.contains(v) { schemaVersion = v } else {
                    sink.report(top.value("schema_version"), "schema_version",
                                "unsupported schema_version \(v), expected \(Spec.supportedSchemaVersions.map(String.init).joined(separator: " or ")); upgrade planner or rewrite the spec for this version")
                    ok = false
                }
            } else { ok = false }
        }
        let defaultName = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = top.has("name") ? need(top.string("name", maxLength: 200)) : defaultName
        let description = top.string("description", required: false, maxLength: 10_000)
        if top.has("description") && description == nil { ok = false }
        let model = need(top.string("model", maxLength: 100, pattern: CatalogDecoding.isID, patternText: "a model id from the catalog (planner catalog list models)"))

        var precision = PrecisionChoice()
        if top.has("precision") {
            if let p = top.map("precision", allowed: ["weights", "kv_cache"]) {
                if p.has("weights") { if let w = need(p.choice("weights", as: Precision.self)) { precision.weights = w } }
                if p.has("kv_cache") {
                    if let k = need(p.choice("kv_cache", as: Precision.self)) {
                        if !k.isKVCacheFormat {
                            sink.report(p.value("kv_cache"), p.keyPath("kv_cache"), "\(k.rawValue) is a weights-only format, expected fp16, bf16, fp8 or int8")
                            ok = false
                        } else { precision.kvCache = k }
                    }
                }
            } else { ok = false }
        }
        var engine: EngineProfile? = .vllm
        var engineOverrides = EngineOverrides()
        if let node = top.value("engine") {
            if case .mapping = node {
                if let e = YAMLMap(node, path: "engine", sink: sink, allowed: ["name", "max_num_seqs", "max_num_batched_tokens", "kv_block_tokens", "gpu_memory_utilization", "enable_chunked_prefill", "expert_parallel", "attention_dp"]) {
                    engine = e.has("name") ? need(e.choice("name", as: EngineProfile.self)) : .vllm
                    if let v = e.value("max_num_seqs") {
                        if case .scalar(let s) = v, s.string == "auto" {
                            engineOverrides.autoMaxNumSeqs = true
                        } else if case .scalar = v, v.tagName == .int || v.tagName == .float {
                            engineOverrides.maxNumSeqs = need(e.int("max_num_seqs", SpecLimits.maxNumSeqs))
                        } else {
                            sink.report(v, e.keyPath("max_num_seqs"), "must be a whole number from \(SpecLimits.maxNumSeqs.lowerBound) to \(SpecLimits.maxNumSeqs.upperBound), or auto (got \(describe(v)))")
                            ok = false
                        }
                    }
                    if e.has("max_num_batched_tokens") { engineOverrides.maxNumBatchedTokens = need(e.int("max_num_batched_tokens", SpecLimits.maxNumBatchedTokens)) }
                    if e.has("enable_chunked_prefill") { engineOverrides.enableChunkedPrefill = need(e.bool("enable_chunked_prefill")) }
                    if e.has("expert_parallel") { engineOverrides.expertParallel = need(e.engineSwitch("expert_parallel")) }
                    if e.has("attention_dp") { engineOverrides.attentionDataParallel = need(e.engineSwitch("attention_dp")) }
                    if e.has("kv_block_tokens") { engineOverrides.kvBlockTokens = need(e.int("kv_block_tokens", 1...4_096)) }
                    if e.has("gpu_memory_utilization") {
                        engineOverrides.gpuMemoryUtilization = need(e.double("gpu_memory_utilization", NumberRule(min: 0, minExclusive: true, max: 1)))
                    }
                } else { ok = false }
            } else {
                engine = need(top.choice("engine", as: EngineProfile.self))
            }
        }
        // One KV-cache rule for specs, estimate and calibration: the engine's default for the weights.
        if let engine, !(top.value("precision").flatMap { p -> Bool? in
            guard case .mapping(let m) = p else { return nil }
            return m.keys.contains { if case .scalar(let k) = $0 { return k.string == "kv_cache" } else { return false } }
        } ?? false) {
            precision.kvCache = precision.weights.defaultKVCache(on: engine)
        }

        var workload: Workload?
        if let w = top.map("workload", allowed: ["prompt_tokens", "output_tokens", "concurrency", "requests_per_second"]) {
            let prompt = w.int("prompt_tokens", SpecLimits.tokens)
            let output = w.int("output_tokens", SpecLimits.tokens)
            var load: Workload.Load? = .maximumThroughput
            if w.has("concurrency") && w.has("requests_per_second") {
                sink.report(w.keyNode("requests_per_second"), w.keyPath("requests_per_second"),
                            "conflicts with workload.concurrency, expected exactly one of concurrency and requests_per_second (or neither, for maximum throughput)")
                load = nil
            } else if w.has("concurrency") {
                load = w.int("concurrency", SpecLimits.concurrency).map { .concurrency($0) }
            } else if w.has("requests_per_second") {
                load = w.double("requests_per_second", SpecLimits.requestsPerSecond).map { .requestsPerSecond($0) }
            }
            if let prompt, let output, let load { workload = Workload(promptTokens: prompt, outputTokens: output, load: load) }
        }
        if workload == nil { ok = false }

        var slo = SLO()
        if top.has("slo"), let s = need(top.map("slo", allowed: ["ttft_ms", "tpot_ms", "e2e_ms", "percentile"])) {
            func opt(_ key: String, _ rule: NumberRule) -> Double? {
                guard s.has(key) else { return nil }
                return need(s.double(key, rule))
            }
            slo.ttftMs = opt("ttft_ms", SpecLimits.ttftMs)
            slo.tpotMs = opt("tpot_ms", SpecLimits.tpotMs)
            slo.e2eMs = opt("e2e_ms", SpecLimits.e2eMs)
            if let p = opt("percentile", SpecLimits.percentile) { slo.percentile = p }
        }
        var budget = Budget()
        if top.has("budget"), let b = need(top.map("budget", allowed: ["capex_usd"])) {
            if b.has("capex_usd") { budget.capexUSD = need(b.double("capex_usd", SpecLimits.capexUSD)) }
        }
        let objective = top.has("objective") ? need(top.choice("objective", as: Objective.self)) : .minCapex
        var tco = TCOSettings()
        if top.has("tco"), let t = need(top.map("tco", allowed: ["years", "electricity_usd_per_kwh", "pue"])) {
            if t.has("years"), let v = need(t.double("years", SpecLimits.years)) { tco.years = v }
            if t.has("electricity_usd_per_kwh"), let v = need(t.double("electricity_usd_per_kwh", SpecLimits.electricity)) { tco.electricityUSDPerKWh = v }
            if t.has("pue"), let v = need(t.double("pue", SpecLimits.pue)) { tco.pue = v }
        }
        var constraints = Constraints()
        if top.has("constraints"), let c = need(top.map("constraints", allowed: constraintKeys)) {
            /// An allow/deny mapping (`allowed` adds other keys the mapping may hold).
            func filter(_ key: String, allowed extra: [String] = []) -> (ChoiceFilter, YAMLMap)? {
                guard let m = need(c.map(key, allowed: ["allow", "deny"] + extra)) else { return nil }
                var filter = ChoiceFilter()
                if m.has("allow") { filter.allow = need(m.stringList("allow")) }
                if m.has("deny"), let d = need(m.stringList("deny")) { filter.deny = d }
                return (filter, m)
            }
            if c.has("gpus"), let g = filter("gpus") { constraints.gpus = g.0 }
            for kind in Constraints.choiceKinds where kind != .cooling && c.has(kind.rawValue) {
                if let f = filter(kind.rawValue) { constraints.choices[kind] = f.0 }
            }
            if c.has("uniform_servers"), let v = need(c.bool("uniform_servers")) { constraints.uniformServers = v }
            if c.has("mix_gpu_types"), let v = need(c.bool("mix_gpu_types")) { constraints.mixGPUTypes = v }
            if c.has("min_memory_bandwidth_gbps") { constraints.minMemoryBandwidthGBps = need(c.double("min_memory_bandwidth_gbps", SpecLimits.bandwidth)) }
            if c.has("virtualization_overhead"), let v = need(c.double("virtualization_overhead", SpecLimits.fraction05)) { constraints.virtualizationOverhead = v }
            if c.has("replica_redundancy"), let v = need(c.choice("replica_redundancy", as: ReplicaRedundancy.self)) { constraints.replicaRedundancy = v }
            if c.has("psu_redundancy"), let v = need(c.choice("psu_redundancy", as: PSURedundancy.self)) { constraints.psuRedundancy = v }
            if c.has("storage"), let s = need(c.map("storage", allowed: storageKeys)) {
                if s.has("model_load_seconds"), let v = need(s.double("model_load_seconds", SpecLimits.loadSeconds)) { constraints.storage.modelLoadSeconds = v }
                if s.has("checkpoints_kept"), let v = need(s.int("checkpoints_kept", SpecLimits.checkpoints)) { constraints.storage.checkpointsKept = v }
                if s.has("os_reserve_gb"), let v = need(s.double("os_reserve_gb", SpecLimits.osReserveGB)) { constraints.storage.osReserveGB = v }
                if s.has("min_iops"), let v = need(s.double("min_iops", SpecLimits.iops)) { constraints.storage.minIOPS = v }
                if s.has("min_fault_tolerance"), let v = need(s.int("min_fault_tolerance", SpecLimits.faultTolerance)) { constraints.storage.minFaultTolerance = v }
            }
            if c.has("network"), let n = need(c.map("network", allowed: ["fabric"])) {
                if n.has("fabric"), let v = need(n.choice("fabric", as: FabricChoice.self)) { constraints.network.fabric = v }
            }
            if c.has("rack_power_kw") { constraints.rackPowerKW = need(c.double("rack_power_kw", SpecLimits.rackPowerKW)) }
            // `cooling: air` (the method), or `cooling: {method: air, allow: [...], deny: [...]}` (the units too).
            if let node = c.value("cooling"), case .mapping = node {
                if let f = filter("cooling", allowed: ["method"]) {
                    constraints.choices[.cooling] = f.0
                    if f.1.has("method"), let v = need(f.1.choice("method", as: CoolingChoice.self)) { constraints.cooling = v }
                }
            } else if c.has("cooling"), let v = need(c.choice("cooling", as: CoolingChoice.self)) { constraints.cooling = v }
            if c.has("growth_headroom"), let v = need(c.double("growth_headroom", SpecLimits.growth)) { constraints.growthHeadroom = v }
            if c.has("max_tensor_parallel") { constraints.maxTensorParallel = need(c.int("max_tensor_parallel", SpecLimits.tensorParallel)) }
            if c.has("socket_watts"), let v = need(c.double("socket_watts", .positive(max: 100_000))) { constraints.socketWatts = v }
        }
        var pin = Pin()
        if top.has("pin"), let p = need(top.map("pin", allowed: pinKeys)) {
            func id(_ key: String) -> String? {
                guard p.has(key) else { return nil }
                return need(p.string(key, maxLength: 100, pattern: CatalogDecoding.isID, patternText: CatalogDecoding.idPattern))
            }
            func count(_ key: String, _ range: ClosedRange<Int>) -> Int? {
                guard p.has(key) else { return nil }
                return need(p.int(key, range))
            }
            pin.gpu = id("gpu")
            pin.gpuCount = count("gpu_count", SpecLimits.count)
            pin.tensorParallel = count("tensor_parallel", SpecLimits.tensorParallel)
            pin.server = id("server")
            pin.serverCount = count("server_count", SpecLimits.count)
            pin.psu = id("psu")
            pin.psusPerServer = count("psus_per_server", SpecLimits.perServer)
            pin.dimm = id("dimm")
            pin.dimmsPerServer = count("dimms_per_server", SpecLimits.perServer)
            pin.ssd = id("ssd")
            pin.ssdsPerServer = count("ssds_per_server", SpecLimits.perServer)
            if p.has("raid_level") {
                if let v = need(p.int("raid_level", 0...100)) {
                    if let level = RAIDLevel(rawValue: v) { pin.raidLevel = level } else {
                        sink.report(p.value("raid_level"), p.keyPath("raid_level"), "unsupported RAID level \(v), expected 0, 1, 5, 6 or 10")
                        ok = false
                    }
                }
            }
            pin.nic = id("nic")
            pin.nicsPerServer = count("nics_per_server", SpecLimits.perServer)
            pin.rack = id("rack")
        }
        let site = top.has("site") ? need(top.choice("site", as: Site.self)) : .datacenter
        var existing = ExistingHardware()
        if top.has("existing"), let e = need(top.map("existing", allowed: ["servers", "items"])) {
            if e.has("items"), let list = need(e.list("items")) {
                for (i, node) in list.enumerated() {
                    guard let m = need(YAMLMap(node, path: "\(e.keyPath("items"))[\(i)]", sink: sink, allowed: ["id", "count"])) else { continue }
                    let id = need(m.string("id", maxLength: 100, pattern: CatalogDecoding.isID, patternText: CatalogDecoding.idPattern))
                    let count = need(m.int("count", SpecLimits.count))
                    if let id, let count { existing.items.append(OwnedItem(id: id, count: count)) }
                }
            }
            for (i, node) in (e.has("servers") ? need(e.list("servers")) ?? [] : []).enumerated() {
                guard let s = need(YAMLMap(node, path: "\(e.keyPath("servers"))[\(i)]", sink: sink, allowed: ["server", "count", "gpu", "gpus_per_server"])) else { continue }
                let server = need(s.string("server", maxLength: 100, pattern: CatalogDecoding.isID, patternText: CatalogDecoding.idPattern))
                let count = need(s.int("count", SpecLimits.count))
                let gpu = need(s.string("gpu", maxLength: 100, pattern: CatalogDecoding.isID, patternText: CatalogDecoding.idPattern))
                let perServer = need(s.int("gpus_per_server", SpecLimits.perServer))
                if let server, let count, let gpu, let perServer {
                    existing.servers.append(OwnedServers(serverID: server, count: count, gpuID: gpu, gpusPerServer: perServer))
                }
            }
        }
        guard ok, let name, let model, let engine, let workload, let objective, let site else { return nil }
        var spec = Spec(schemaVersion: schemaVersion, name: name, description: description, modelID: model,
                    precision: precision, engine: engine, engineOverrides: engineOverrides, workload: workload, slo: slo, budget: budget,
                    objective: objective, tco: tco, constraints: constraints, pin: pin, sourceFile: file,
                    locations: locations(of: root, file: file))
        spec.site = site
        spec.existing = existing
        return spec
    }

    /// Where every key was written, by dotted path.
    static func locations(of root: Node, file: String) -> [String: SourceLocation] {
        var out: [String: SourceLocation] = [:]
        func walk(_ node: Node, _ path: String, _ depth: Int) {
            guard depth < 6 else { return }
            if case .sequence(let seq) = node {
                for (i, item) in seq.enumerated().prefix(1_000) {
                    let p = "\(path)[\(i)]"
                    out[p] = SourceLocation(file: file, line: max(1, item.mark?.line ?? 1), column: max(1, item.mark?.column ?? 1))
                    walk(item, p, depth + 1)
                }
                return
            }
            guard case .mapping(let map) = node else { return }
            for (k, v) in map {
                guard let key = k.string else { continue }
                let p = path.isEmpty ? key : "\(path).\(key)"
                let mark = v.mark ?? k.mark
                out[p] = SourceLocation(file: file, line: max(1, mark?.line ?? 1), column: max(1, mark?.column ?? 1))
                walk(v, p, depth + 1)
            }
        }
        walk(root, "", 0)
        return out
    }

    // MARK: Cross-field checks

    /// Checks a spec against a catalog: the model and every pinned or filtered id exist and are
    /// of the right kind, the sequence fits the model's context, pins agree with each other.
    public static func check(_ spec: Spec, against catalog: Catalog) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func report(_ keyPath: String, _ message: String) {
            out.append(Diagnostic(at: spec.location(of: keyPath), keyPath: keyPath, message: message))
        }
        func reference(_ id: String, _ kind: CatalogKind, _ keyPath: String) -> Bool {
            if let actual = catalog.kind(of: id) {
                if actual == kind { return true }
                report(keyPath, "'\(id)' is \(actual.withArticle), expected \(kind.withArticle) id")
            } else {
                report(keyPath, "unknown \(kind.singular) '\(id)'"
                    + Suggest.hint(id, catalog.ids(of: kind), orExpected: "\(kind.withArticle) id from planner catalog list \(kind.rawValue)"))
            }
            return false
        }

        if reference(spec.modelID, .models, "model"), let model = catalog.model(spec.modelID) {
            let total = spec.workload.promptTokens + spec.workload.outputTokens
            if total > model.maxContextTokens {
                report("workload.prompt_tokens", "prompt_tokens + output_tokens = \(total) exceeds \(model.id)'s context of \(model.maxContextTokens) tokens, expected at most \(model.maxContextTokens)")
            }
        }
        if let e2e = spec.slo.e2eMs, let ttft = spec.slo.ttftMs, e2e < ttft {
            report("slo.e2e_ms", "is less than slo.ttft_ms (\(format(e2e)) < \(format(ttft))), expected e2e_ms ≥ ttft_ms")
        }
        let filter = spec.constraints.gpus
        /// A GPU the spec's engine does not run on, named with both (catalog `engines:` section).
        func runnable(_ id: String, _ keyPath: String) {
            guard let gpu = catalog.gpu(id), !catalog.engine(spec.engine, runsOn: gpu), let support = catalog.engineSupport[spec.engine] else { return }
            report(keyPath, "engine \(spec.engine.rawValue) cannot run on \(gpu.id) (\(gpu.vendorFamily)): \(support.summary), expected a GPU of those families or another engine")
        }
        for (i, id) in (filter.allow ?? []).enumerated() {
            if reference(id, .gpus, "constraints.gpus.allow[\(i)]") { runnable(id, "constraints.gpus.allow[\(i)]") }
        }
        for (i, id) in filter.deny.enumerated() { _ = reference(id, .gpus, "constraints.gpus.deny[\(i)]") }
        if let allow = filter.allow, !allow.isEmpty, allow.allSatisfy(filter.deny.contains) {
            report("constraints.gpus", "every allowed GPU is also denied, expected at least one GPU to remain")
        }
        // A kind every plan buys (racks and cooling only in a datacenter) must keep one entry.
        let required: Set<CatalogKind> = spec.site == .office ? [.servers, .dimms, .ssds, .psus] : [.servers, .dimms, .ssds, .psus, .racks, .cooling]
        for kind in Constraints.choiceKinds {
            guard let choice = spec.constraints.choices[kind] else { continue }
            let path = "constraints.\(kind.rawValue)"
            var known = true
            for (i, id) in (choice.allow ?? []).enumerated() where !reference(id, kind, "\(path).allow[\(i)]") { known = false }
            for (i, id) in choice.deny.enumerated() where !reference(id, kind, "\(path).deny[\(i)]") { known = false }
            let left = catalog.ids(of: kind).filter(choice.permits)
            if known, required.contains(kind), left.isEmpty, !catalog.ids(of: kind).isEmpty {
                report(path, "leaves no \(kind.singular) to buy (\(choiceSummary(choice))), expected at least one \(kind.singular) the allow and deny lists both permit; every plan needs one")
            }
        }
        /// A pinned id the spec's own allow/deny lists exclude.
        func permitted(_ id: String?, _ kind: CatalogKind, _ keyPath: String) {
            guard let id, catalog.kind(of: id) == kind, !spec.constraints.permits(id, as: kind) else { return }
            report(keyPath, "'\(id)' is excluded by constraints.\(kind.rawValue), expected \(kind.withArticle) the allow/deny lists permit")
        }
        permitted(spec.pin.server, .servers, "pin.server")
        permitted(spec.pin.psu, .psus, "pin.psu")
        permitted(spec.pin.dimm, .dimms, "pin.dimm")
        permitted(spec.pin.ssd, .ssds, "pin.ssd")
        permitted(spec.pin.nic, .nics, "pin.nic")
        permitted(spec.pin.rack, .racks, "pin.rack")
        for (i, item) in spec.existing.items.enumerated() {
            let path = "existing.items[\(i)].id"
            if let kind = catalog.kind(of: item.id), !OwnedItem.kinds.contains(kind) {
                report(path, kind == .servers
                    ? "'\(item.id)' is a server, expected a rack, switch or part id; list owned servers under existing.servers with their GPUs"
                    : "'\(item.id)' is \(kind.withArticle), expected a rack, switch or part id")
            } else if catalog.kind(of: item.id) == nil {
                let ids = OwnedItem.kinds.flatMap { catalog.ids(of: $0) }
                report(path, "unknown item '\(item.id)'" + Suggest.hint(item.id, ids, orExpected: "an id from planner catalog list (racks, switches, dimms, ...)"))
            }
        }
        for (i, owned) in spec.existing.servers.enumerated() {
            let path = "existing.servers[\(i)]"
            let server = reference(owned.serverID, .servers, "\(path).server") ? catalog.server(owned.serverID) : nil
            let gpu = reference(owned.gpuID, .gpus, "\(path).gpu") ? catalog.gpu(owned.gpuID) : nil
            if gpu != nil { runnable(owned.gpuID, "\(path).gpu") }
            if let server, let gpu, !server.accepts(gpu) {
                report("\(path).server", "\(server.id) does not take \(gpu.id), expected the chassis the owned GPUs are in")
            }
            if let server, !server.allowsGPUCount(owned.gpusPerServer) {
                report("\(path).gpus_per_server", "\(server.id) holds \(server.gpuCounts.map(String.init).joined(separator: ", ")) GPUs (got \(owned.gpusPerServer)), expected one of those")
            }
        }
        if let tp = spec.pin.tensorParallel, let maxTP = spec.constraints.maxTensorParallel, tp > maxTP {
            report("pin.tensor_parallel", "out of range (got \(tp)), expected at most constraints.max_tensor_parallel (\(maxTP))")
        }
        if let tp = spec.pin.tensorParallel, let n = spec.pin.gpuCount, n % tp != 0 {
            report("pin.gpu_count", "\(n) GPUs do not divide into tensor-parallel groups of \(tp), expected a multiple of \(tp)")
        }

        let pin = spec.pin
        var gpu: GPU?
        if let id = pin.gpu, reference(id, .gpus, "pin.gpu") {
            gpu = catalog.gpu(id)
            if !filter.permits(id) { report("pin.gpu", "'\(id)' is excluded by constraints.gpus, expected a GPU the allow/deny lists permit") }
            runnable(id, "pin.gpu")
        }
        var server: Server?
        if let id = pin.server, reference(id, .servers, "pin.server") { server = catalog.server(id) }
        if let id = pin.psu, reference(id, .psus, "pin.psu"), let server, !server.compatiblePSUs.contains(id) {
            report("pin.psu", "'\(id)' does not fit \(server.id), expected one of \(server.compatiblePSUs.joined(separator: ", "))")
        }
        if let id = pin.dimm, reference(id, .dimms, "pin.dimm"), let server, let dimm = catalog.dimm(id),
           !server.dimmTypes.contains(dimm.type) {
            report("pin.dimm", "'\(id)' is \(dimm.type.rawValue), \(server.id) takes \(server.dimmTypes.map(\.rawValue).joined(separator: ", "))")
        }
        if let id = pin.ssd { _ = reference(id, .ssds, "pin.ssd") }
        if let id = pin.nic, reference(id, .nics, "pin.nic"), let nic = catalog.nic(id),
           let fabric = spec.constraints.network.fabric.fabric, nic.fabric != fabric {
            report("pin.nic", "'\(id)' is \(nic.fabric.rawValue), expected a \(fabric.rawValue) NIC (constraints.network.fabric)")
        }
        if let id = pin.rack { _ = reference(id, .racks, "pin.rack") }
        if let gpu, let server, !server.accepts(gpu) {
            let why = server.gpuFormFactors.contains(gpu.formFactor) && !server.gpuCooling.contains(gpu.cooling)
                ? "\(gpu.cooling.rawValue)-cooled; it supports \(server.gpuCooling.map(\.rawValue).joined(separator: ", ")) cards"
                : gpu.formFactor.rawValue
            report("pin.server", "\(server.id) does not take \(gpu.id) (\(why)), expected a server whose slots and airflow fit it")
        }
        if let server, let n = pin.dimmsPerServer, n > server.dimmSlots {
            report("pin.dimms_per_server", "out of range (got \(n)), expected at most \(server.id)'s \(server.dimmSlots) DIMM slots")
        }
        if let server, let n = pin.ssdsPerServer, n > server.nvmeBays {
            report("pin.ssds_per_server", "out of range (got \(n)), expected at most \(server.id)'s \(server.nvmeBays) NVMe bays")
        }
        if let server, let n = pin.psusPerServer, n > server.psuBays {
            report("pin.psus_per_server", "out of range (got \(n)), expected at most \(server.id)'s \(server.psuBays) PSU bays")
        }
        if let server, let n = pin.nicsPerServer, n > server.nicSlots {
            report("pin.nics_per_server", "out of range (got \(n)), expected at most \(server.id)'s \(server.nicSlots) NIC slots")
        }
        if let level = pin.raidLevel, let n = pin.ssdsPerServer, !level.allows(drives: n) {
            let need = switch level {
            case .raid0: "at least 1 drive"
            case .raid1: "exactly 2 drives"
            case .raid5: "at least 3 drives"
            case .raid6: "at least 4 drives"
            case .raid10: "an even number of drives, at least 4"
            }
            report("pin.raid_level", "RAID \(level.rawValue) cannot use \(n) drives (pin.ssds_per_server), expected \(need)")
        }

        // Weights and KV precision need a tensor path on the GPU (int4 formats run 16-bit matmuls).
        func tensorPath(_ p: Precision) -> TensorPrecision? {
            switch p {
            case .fp8: .fp8
            case .int8: .int8
            case .fp4: .fp4
            default: nil
            }
        }
        for (keyPath, precision) in [("precision.weights", spec.precision.weights), ("precision.kv_cache", spec.precision.kvCache)] {
            guard let needed = tensorPath(precision) else { continue }
            if let gpu {
                if gpu.denseTFLOPS[needed] == nil {
                    report(keyPath, "\(precision.rawValue) is not supported by \(gpu.id) (no \(needed.rawValue) tensor path), expected one of \(supported(gpu))")
                }
            } else if !catalog.gpus.isEmpty, !catalog.gpus.contains(where: { filter.permits($0.id) && $0.denseTFLOPS[needed] != nil }) {
                report(keyPath, "\(precision.rawValue) is not supported by any permitted GPU, expected fp16, bf16 or an int4 format")
            }
        }
        return out
    }

    /// `allowed: a, b; denied: c`, for messages.
    private static func choiceSummary(_ choice: ChoiceFilter) -> String {
        var parts: [String] = []
        if let allow = choice.allow { parts.append("allowed: " + (allow.isEmpty ? "none" : allow.joined(separator: ", "))) }
        if !choice.deny.isEmpty { parts.append("denied: " + choice.deny.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    private static func supported(_ gpu: GPU) -> String {
        var options = ["fp16", "bf16"]
        if gpu.denseTFLOPS[.fp8] != nil { options.append("fp8") }
        if gpu.denseTFLOPS[.int8] != nil { options.append("int8") }
        options += ["int4-gptq", "int4-awq"]
        if gpu.denseTFLOPS[.fp4] != nil { options.append("fp4") }
        return options.joined(separator: ", ")
    }
}

extension YAMLMap {
    /// A switch the spec fixes or leaves to the planner: `true`, `false` or `auto`.
    func engineSwitch(_ key: String) -> EngineSwitch? {
        guard let v = value(key) else { return nil }
        if case .scalar = v, v.tagName == .bool, let b = v.bool { return .fixed(b) }
        if case .scalar(let s) = v, s.string == "auto" { return .auto }
        sink.report(v, keyPath(key), "must be true, false or auto (got \(describe(v)))")
        return nil
    }
}
