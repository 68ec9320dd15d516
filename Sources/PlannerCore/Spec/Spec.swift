/// A workload specification: the model to serve, how it is used, the service levels it must meet,
/// the budget and the constraints on what may be bought. Loaded by ``SpecLoader``; every value
/// carries its unit in its name. Defaults are those documented in `docs/spec.md`.
public struct Spec: Sendable, Hashable {
    /// Spec schema versions this build reads.
    public static let supportedSchemaVersions = [1]

    public var schemaVersion: Int
    /// Short name, shown in plans (default: the file name without extension).
    public var name: String
    public var description: String?
    /// Catalog id of the model to serve.
    public var modelID: String
    public var precision: PrecisionChoice
    public var engine: EngineProfile
    /// Scheduler settings the spec overrides (`engine: {name: vllm, max_num_seqs: 512}`); the rest are
    /// the engine's defaults.
    public var engineOverrides: EngineOverrides
    public var workload: Workload
    public var slo: SLO
    public var budget: Budget
    public var objective: Objective
    public var tco: TCOSettings
    public var constraints: Constraints
    /// Components fixed by hand, so a given build can be checked.
    public var pin: Pin
    /// Where the hardware is installed: a datacenter (racks, PDUs, room cooling) or an office (desk-side
    /// workstations on wall sockets).
    public var site: Site = .datacenter
    /// Hardware already owned: it costs nothing and carries part of the demand.
    public var existing = ExistingHardware()
    /// The file it was loaded from, for messages (nil when built in code).
    public var sourceFile: String?
    /// Where each key was written, by dotted key path (`slo.tpot_ms`).
    public var locations: [String: SourceLocation]

    public init(
        schemaVersion: Int = 1, name: String, description: String? = nil, modelID: String,
        precision: PrecisionChoice = PrecisionChoice(), engine: EngineProfile = .vllm,
        engineOverrides: EngineOverrides = EngineOverrides(), workload: Workload,
        slo: SLO = SLO(), budget: Budget = Budget(), objective: Objective = .minCapex, tco: TCOSettings = TCOSettings(),
        constraints: Constraints = Constraints(), pin: Pin = Pin(), sourceFile: String? = nil,
        locations: [String: SourceLocation] = [:]
    ) {
        self.schemaVersion = schemaVersion
        self.name = name
        self.description = description
        self.modelID = modelID
        self.precision = precision
        self.engine = engine
        self.engineOverrides = engineOverrides
        self.workload = workload
        self.slo = slo
        self.budget = budget
        self.objective = objective
        self.tco = tco
        self.constraints = constraints
        self.pin = pin
        self.sourceFile = sourceFile
        self.locations = locations
    }

    /// Where `keyPath` was written, or the file's start.
    public func location(of keyPath: String) -> SourceLocation {
        var path = keyPath
        while true {
            if let l = locations[path] { return l }
            guard let dot = path.lastIndex(of: ".") else { break }
            path = String(path[..<dot])
        }
        return SourceLocation(file: sourceFile ?? "<spec>", line: 1, column: 1)
    }
}

/// Engine scheduler settings a spec sets explicitly; `nil` keeps the engine's default.
public struct EngineOverrides: Sendable, Hashable {
    /// `max_num_seqs`: the largest running batch.
    public var maxNumSeqs: Int?
    /// `max_num_seqs: auto`: each replica's cap is what its KV cache holds (``kvHeldBatchCap(_:sequenceTokens:)``),
    /// and the plan says what to set; ``maxNumSeqs`` is then nil.
    public var autoMaxNumSeqs = false
    /// `max_num_batched_tokens`: tokens per engine step, decode included.
    public var maxNumBatchedTokens: Int?
    /// `kv_block_tokens`: paged-attention block size.
    public var kvBlockTokens: Int?
    /// `gpu_memory_utilization`: the memory fraction the engine may use.
    public var gpuMemoryUtilization: Double?
    /// `enable_chunked_prefill`: prompts cut into chunks (`true`) or scheduled whole (`false`).
    public var enableChunkedPrefill: Bool?
    /// `expert_parallel`: a mixture of experts' experts distributed whole over a replica's GPUs (`true`),
    /// sharded over them (`false`, the default), or whichever carries more load (`auto`).
    public var expertParallel: EngineSwitch?
    /// `attention_dp`: attention data-parallel inside a replica (`true`), tensor-parallel (`false`, the
    /// default), or whichever carries more load (`auto`).
    public var attentionDataParallel: EngineSwitch?

    public init(
        maxNumSeqs: Int? = nil, maxNumBatchedTokens: Int? = nil, kvBlockTokens: Int? = nil,
        gpuMemoryUtilization: Double? = nil, enableChunkedPrefill: Bool? = nil, expertParallel: EngineSwitch? = nil,
        attentionDataParallel: EngineSwitch? = nil
    ) {
        self.enableChunkedPrefill = enableChunkedPrefill
        self.expertParallel = expertParallel
        self.attentionDataParallel = attentionDataParallel
        self.maxNumSeqs = maxNumSeqs
        self.maxNumBatchedTokens = maxNumBatchedTokens
        self.kvBlockTokens = kvBlockTokens
        self.gpuMemoryUtilization = gpuMemoryUtilization
    }
}

/// Numeric formats for weights and KV cache.
public struct PrecisionChoice: Sendable, Hashable {
    public var weights: Precision
    /// KV-cache format: fp16, bf16, fp8 or int8 (int4 formats are weights-only).
    public var kvCache: Precision

    public init(weights: Precision = .fp16, kvCache: Precision = .fp16) {
        self.weights = weights
        self.kvCache = kvCache
    }
}

/// Request shape and load.
public struct Workload: Sendable, Hashable {
    public var promptTokens: Int
    public var outputTokens: Int
    public var load: Load

    /// How much traffic to serve.
    public enum Load: Sendable, Hashable {
        /// Requests in flight at once.
        case concurrency(Int)
        /// Arrival rate.
        case requestsPerSecond(Double)
        /// Neither given: plan for the most throughput the budget buys.
        case maximumThroughput
    }

    public init(promptTokens: Int, outputTokens: Int, load: Load = .maximumThroughput) {
        self.promptTokens = promptTokens
        self.outputTokens = outputTokens
        self.load = load
    }

    public var concurrency: Int? { if case .concurrency(let c) = load { c } else { nil } }
    public var requestsPerSecond: Double? { if case .requestsPerSecond(let r) = load { r } else { nil } }
    /// Prompt plus output: the longest sequence a request reaches.
    public var sequenceTokens: Int { promptTokens + outputTokens }
}

/// Latency targets; nil means no target.
public struct SLO: Sendable, Hashable {
    /// Time to first token.
    public var ttftMs: Double?
    /// Time per output token after the first.
    public var tpotMs: Double?
    /// End-to-end request latency.
    public var e2eMs: Double?
    /// Percentile the targets apply to, 50–99.9.
    public var percentile: Double

    public init(ttftMs: Double? = nil, tpotMs: Double? = nil, e2eMs: Double? = nil, percentile: Double = 99) {
        self.ttftMs = ttftMs
        self.tpotMs = tpotMs
        self.e2eMs = e2eMs
        self.percentile = percentile
    }
}

public struct Budget: Sendable, Hashable {
    /// Most that may be spent on hardware; nil = no limit.
    public var capexUSD: Double?

    public init(capexUSD: Double? = nil) { self.capexUSD = capexUSD }
}

/// What the optimizer minimises.
public enum Objective: String, Sendable, Hashable, Codable, CaseIterable {
    case minCapex = "min_capex"
    case minTCO = "min_tco"
}

/// Inputs to total cost of ownership.
public struct TCOSettings: Sendable, Hashable {
    public var years: Double
    public var electricityUSDPerKWh: Double
    /// Power usage effectiveness of the facility, ≥ 1.
    public var pue: Double

    public init(years: Double = 3, electricityUSDPerKWh: Double = 0.12, pue: Double = 1.4) {
        self.years = years
        self.electricityUSDPerKWh = electricityUSDPerKWh
        self.pue = pue
    }
}

public enum ReplicaRedundancy: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case nPlus1 = "n+1"
}

// PSURedundancy (none | n+1 | 2n) is defined with the formulation (Formulation/PlanningProblem.swift).

public enum FabricChoice: String, Sendable, Hashable, Codable, CaseIterable {
    case any, ethernet, infiniband

    /// The fabric required, or nil for any.
    public var fabric: Fabric? { Fabric(rawValue: rawValue) }
}

public enum CoolingChoice: String, Sendable, Hashable, Codable, CaseIterable {
    case air, liquid, any

    /// The method required, or nil for any.
    public var method: CoolingMethod? { CoolingMethod(rawValue: rawValue) }
}

// RAIDLevel (0 | 1 | 5 | 6 | 10) is defined with the storage rules (Formulation/Storage.swift).

/// Limits on what may be bought and how it is arranged.
public struct Constraints: Sendable, Hashable {
    public var gpus: ChoiceFilter
    /// Whether one plan may mix GPU models.
    public var mixGPUTypes: Bool
    /// Minimum GPU memory bandwidth; nil = only warn below ``SeedRules/memoryBandwidthWarningGBps``.
    public var minMemoryBandwidthGBps: Double?
    /// Fraction of throughput lost to a hypervisor, 0–0.5 (VMware: 0.15–0.30).
    public var virtualizationOverhead: Double
    public var replicaRedundancy: ReplicaRedundancy
    /// nil: by chassis class — `none` for desk-side workstations and one-bay chassis, `n+1` for rack servers.
    public var psuRedundancy: PSURedundancy?
    public var storage: StorageConstraints
    public var network: NetworkConstraints
    /// Per-rack power limit; nil = the rack's own rating.
    public var rackPowerKW: Double?
    public var cooling: CoolingChoice
    /// Extra capacity to buy for growth, as a fraction (0.25 = 25 %).
    public var growthHeadroom: Double
    public var maxTensorParallel: Int?
    /// Continuous power one wall socket may carry, at the wall (`site: office` only). Default 1,440 W:
    /// a 120 V / 15 A branch circuit loaded to 80 % for a continuous load (NEC 210.19(A)(1), 210.20(A)).
    public var socketWatts: Double = Site.defaultSocketWatts
    /// Allow/deny lists for every purchasable kind but GPUs (`constraints.servers`, `constraints.dimms`, ...,
    /// `constraints.cooling.allow`), by kind; a kind without an entry allows every entry.
    public var choices: [CatalogKind: ChoiceFilter] = [:]
    /// Every server of the plan identical: one chassis, one GPU type and count, the same parts.
    public var uniformServers = false

    /// Kinds with an allow/deny list besides `gpus`, in spec order; the key is the kind's name.
    public static let choiceKinds: [CatalogKind] = [.servers, .dimms, .ssds, .nics, .switches, .cables, .psus, .pdus, .racks, .cooling]

    /// Whether the allow/deny lists permit buying `id` of `kind`.
    public func permits(_ id: String, as kind: CatalogKind) -> Bool {
        kind == .gpus ? gpus.permits(id) : (choices[kind]?.permits(id) ?? true)
    }

    public init(
        gpus: ChoiceFilter = ChoiceFilter(), mixGPUTypes: Bool = false, minMemoryBandwidthGBps: Double? = nil,
        virtualizationOverhead: Double = 0, replicaRedundancy: ReplicaRedundancy = .none,
        psuRedundancy: PSURedundancy? = nil, storage: StorageConstraints = StorageConstraints(),
        network: NetworkConstraints = NetworkConstraints(), rackPowerKW: Double? = nil, cooling: CoolingChoice = .any,
        growthHeadroom: Double = 0, maxTensorParallel: Int? = nil
    ) {
        self.gpus = gpus
        self.mixGPUTypes = mixGPUTypes
        self.minMemoryBandwidthGBps = minMemoryBandwidthGBps
        self.virtualizationOverhead = virtualizationOverhead
        self.replicaRedundancy = replicaRedundancy
        self.psuRedundancy = psuRedundancy
        self.storage = storage
        self.network = network
        self.rackPowerKW = rackPowerKW
        self.cooling = cooling
        self.growthHeadroom = growthHeadroom
        self.maxTensorParallel = maxTensorParallel
    }
}

/// Which catalog entries of one kind may be bought: `constraints.gpus`, `constraints.dimms`, ...
public struct ChoiceFilter: Sendable, Hashable {
    /// Only these ids; nil = all.
    public var allow: [String]?
    public var deny: [String]

    public init(allow: [String]? = nil, deny: [String] = []) {
        self.allow = allow
        self.deny = deny
    }

    public func permits(_ id: String) -> Bool { (allow?.contains(id) ?? true) && !deny.contains(id) }

    /// Whether it limits anything.
    public var isEmpty: Bool { allow == nil && deny.isEmpty }
}

public struct StorageConstraints: Sendable, Hashable {
    /// Time allowed to read the weights from local storage at start-up.
    public var modelLoadSeconds: Double
    /// Copies of the weights kept on disk.
    public var checkpointsKept: Int
    public var osReserveGB: Double
    /// Minimum random-read IOPS per server (the seed's 50,000 rule).
    public var minIOPS: Double
    /// Drives per server that may fail without losing data.
    public var minFaultTolerance: Int

    public init(modelLoadSeconds: Double = 60, checkpointsKept: Int = 1, osReserveGB: Double = 200,
                minIOPS: Double = 50_000, minFaultTolerance: Int = 1) {
        self.modelLoadSeconds = modelLoadSeconds
        self.checkpointsKept = checkpointsKept
        self.osReserveGB = osReserveGB
        self.minIOPS = minIOPS
        self.minFaultTolerance = minFaultTolerance
    }
}

public struct NetworkConstraints: Sendable, Hashable {
    public var fabric: FabricChoice

    public init(fabric: FabricChoice = .any) { self.fabric = fabric }
}

/// Components fixed by the spec; nil = the optimizer chooses.
public struct Pin: Sendable, Hashable {
    public var gpu: String?
    public var gpuCount: Int?
    public var tensorParallel: Int?
    public var server: String?
    public var serverCount: Int?
    public var psu: String?
    public var psusPerServer: Int?
    public var dimm: String?
    public var dimmsPerServer: Int?
    public var ssd: String?
    public var ssdsPerServer: Int?
    public var raidLevel: RAIDLevel?
    public var nic: String?
    public var nicsPerServer: Int?
    public var rack: String?

    public init(
        gpu: String? = nil, gpuCount: Int? = nil, tensorParallel: Int? = nil, server: String? = nil,
        serverCount: Int? = nil, psu: String? = nil, psusPerServer: Int? = nil, dimm: String? = nil,
        dimmsPerServer: Int? = nil, ssd: String? = nil, ssdsPerServer: Int? = nil, raidLevel: RAIDLevel? = nil,
        nic: String? = nil, nicsPerServer: Int? = nil, rack: String? = nil
    ) {
        self.gpu = gpu
        self.gpuCount = gpuCount
        self.tensorParallel = tensorParallel
        self.server = server
        self.serverCount = serverCount
        self.psu = psu
        self.psusPerServer = psusPerServer
        self.dimm = dimm
        self.dimmsPerServer = dimmsPerServer
        self.ssd = ssd
        self.ssdsPerServer = ssdsPerServer
        self.raidLevel = raidLevel
        self.nic = nic
        self.nicsPerServer = nicsPerServer
        self.rack = rack
    }

    /// Whether nothing is pinned.
    public var isEmpty: Bool { self == Pin() }
}
