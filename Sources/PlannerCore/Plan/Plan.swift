/// The answer to a spec: what to buy, what it costs and draws, how it will perform, what limits it,
/// and what to watch out for. Every renderer (table, JSON, CSV, Markdown, HTML) formats this value.
public struct Plan: Sendable, Hashable {
    public var status: PlanStatus
    public var specName: String
    public var objective: PlanObjectiveValue
    public var totals: PlanTotals
    public var deployments: [DeploymentLine]
    public var performance: PredictedPerformance?
    public var servers: [ServerConfiguration]
    public var bom: [BOMLine]
    /// Constraints that hold with equality at the solution: what limits the plan, sorted by name.
    public var bindingConstraints: [BindingConstraint]
    public var warnings: [String]
    /// For an infeasible spec: which limits cannot be met together, and by how much.
    public var diagnosis: [String]
    /// Owned servers (`existing:` in the spec) the plan reuses; the BOM and capex are what is bought.
    public var reused: [ReusedServers] = []

    public init(
        status: PlanStatus, specName: String, objective: PlanObjectiveValue, totals: PlanTotals,
        deployments: [DeploymentLine] = [], performance: PredictedPerformance? = nil,
        servers: [ServerConfiguration] = [], bom: [BOMLine] = [], bindingConstraints: [BindingConstraint] = [],
        warnings: [String] = [], diagnosis: [String] = []
    ) {
        self.status = status
        self.specName = specName
        self.objective = objective
        self.totals = totals
        self.deployments = deployments
        self.performance = performance
        self.servers = servers
        self.bom = bom
        self.bindingConstraints = bindingConstraints
        self.warnings = warnings
        self.diagnosis = diagnosis
    }

    /// Relative MIP gap when a limit stopped the search with a plan (`nil` otherwise, or when the
    /// solver reported none).
    public var relativeGap: Double? {
        if case let .feasible(_, gap) = status { gap } else { nil }
    }

    /// Whether the plan has something to buy (or owned servers that carry the demand alone).
    public var hasBuild: Bool {
        status.hasPlan && (!bom.isEmpty || !reused.isEmpty)
    }

    /// The RAID level of the servers' arrays (the first server configuration's), if any.
    public var raidLevel: RAIDLevel? { servers.first?.storage?.level }
}

/// How the solve ended, in the plan's terms. Callers `switch` on it: a plan found when a limit
/// stopped the search (``feasible(limit:gap:)``) is a different case from no plan found within the
/// limit (``noPlanWithinLimit(_:)``).
public enum PlanStatus: Sendable, Hashable {
    /// Proven cheapest.
    case optimal
    /// Meets every target, found when `limit` stopped the search: not proven cheapest. `gap`: the
    /// solver's last relative MIP gap, (bound − incumbent) / |incumbent|, when it reported one.
    case feasible(limit: SearchLimit, gap: Double?)
    /// No build meets every target: see ``Plan/diagnosis``.
    case infeasible
    /// `limit` stopped the search before any plan was found: see ``Plan/diagnosis``.
    case noPlanWithinLimit(SearchLimit)
    /// The solver failed or the planner built an invalid program: see ``Plan/diagnosis``.
    case error

    /// Whether the status carries a plan (a build that meets every target).
    public var hasPlan: Bool {
        switch self {
        case .optimal, .feasible: true
        case .infeasible, .noPlanWithinLimit, .error: false
        }
    }

    /// The status as JSON, CSV and the API write it: `optimal`, `time_limit` (a plan found at the time
    /// limit), `feasible` (a plan found at another limit), `infeasible`, `no_plan_within_limit`, `error`.
    public var code: String {
        switch self {
        case .optimal: "optimal"
        case .feasible(.time, _): "time_limit"
        case .feasible: "feasible"
        case .infeasible: "infeasible"
        case .noPlanWithinLimit: "no_plan_within_limit"
        case .error: "error"
        }
    }
}

/// Which limit stopped a search.
public enum SearchLimit: String, Sendable, Hashable {
    /// `--time-limit` (every solve of a command shares it).
    case time
    /// The solver's relative MIP gap tolerance.
    case relativeGap = "relative_gap"
    case iterations
    case interrupted
}

/// The objective the plan minimises and its value.
public struct PlanObjectiveValue: Sendable, Hashable {
    public var metric: ObjectiveMetric
    public var value: Double
}

/// What a plan minimises, as the output names it.
public enum ObjectiveMetric: String, Sendable, Hashable, CaseIterable {
    /// The purchase price of the build.
    case capexUSD = "capex_usd"
    /// Capex plus energy over the spec's years (`objective: min_tco`).
    case tcoUSD = "tco_usd"
}

public struct PlanTotals: Sendable, Hashable {
    public var capexUSD: Double
    /// Peak draw at the wall (PSUs and cooling are sized from it).
    public var peakPowerWatts: Double
    /// Expected average draw while serving (energy and TCO use it).
    public var averagePowerWatts: Double
    public var gpus: Int
    public var servers: Int
    public var racks: Int
    public var rackUnits: Int
    public var tcoUSD: Double?

    public init(
        capexUSD: Double = 0, peakPowerWatts: Double = 0, averagePowerWatts: Double = 0, gpus: Int = 0,
        servers: Int = 0, racks: Int = 0, rackUnits: Int = 0, tcoUSD: Double? = nil
    ) {
        self.capexUSD = capexUSD
        self.peakPowerWatts = peakPowerWatts
        self.averagePowerWatts = averagePowerWatts
        self.gpus = gpus
        self.servers = servers
        self.racks = racks
        self.rackUnits = rackUnits
        self.tcoUSD = tcoUSD
    }
}

/// One serving deployment: replicas of a GPU type at a tensor-parallel degree.
public struct DeploymentLine: Sendable, Hashable {
    public var gpuID: String
    public var gpuName: String
    public var tensorParallel: Int
    public var replicas: Int
    public var gpus: Int
    public var weightPrecision: Precision
    public var kvCachePrecision: Precision
    /// Load one replica carries within the SLO.
    public var capacityPerReplica: Double
    public var memoryUsedPerGPUGiB: Double
    public var memoryPerGPUGiB: Double
    /// What sets ``capacityPerReplica`` (nil when the candidate was built by hand).
    public var capacityLimit: ReplicaLimit? = nil
    /// The engine layout the replicas were sized for and must be deployed with: a mixture of experts' experts
    /// distributed whole over each replica's GPUs, attention data-parallel (false at TP 1, where neither
    /// changes anything).
    public var expertParallel = false
    public var attentionDataParallel = false
    /// Under `max_num_seqs: auto`, the engine's batch cap to set (per attention rank): what each replica's KV
    /// cache holds; nil when the spec's or the engine's cap applies.
    public var maxNumSeqs: Int? = nil
}

/// What the plan is predicted to deliver, against the targets.
public struct PredictedPerformance: Sendable, Hashable {
    /// At the SLO percentile, with the plan carrying the demand (the worst deployment's figure).
    public var ttftMs: Double
    public var tpotMs: Double
    /// At the SLO percentile, with every replica at its rated capacity: the most the plan is sized for.
    public var ttftAtCapacityMs: Double
    public var tpotAtCapacityMs: Double
    public var ttftTargetMs: Double?
    public var tpotTargetMs: Double?
    public var percentile: Double
    /// Output tokens per second of the whole plan while it carries the demand.
    public var outputTokensPerSecond: Double
    /// Output tokens per second of the whole plan at its rated capacity.
    public var outputTokensPerSecondAtCapacity: Double
    /// Load the plan carries within the SLO, in the demand unit (all replicas up).
    public var capacity: Double
    /// Concurrent sequences the plan holds within the SLO.
    public var maxConcurrency: Double
    /// The demand it was sized for (growth headroom included).
    public var demand: Double
    public var demandUnit: DemandUnit
    /// The spec's growth headroom (0.2 = 20 %), already inside ``demand``.
    public var growthHeadroom: Double = 0
    /// The load the spec states, before growth headroom: demand ÷ (1 + growth).
    public var statedDemand: Double { demand / (1 + growthHeadroom) }
    /// Spare capacity beyond the demand planned for (growth included): capacity ÷ demand − 1.
    public var headroom: Double { demand > 0 ? capacity / demand - 1 : 0 }
}

/// How each server of one kind is built (all servers of a kind in a plan are identical, except one
/// that may hold fewer GPUs).
public struct ServerConfiguration: Sendable, Hashable {
    public var serverID: String
    public var count: Int
    public var gpuID: String
    public var gpusPerServer: Int
    public var dimmID: String?
    public var dimmsPerServer: Int
    public var hostMemoryGiB: Double
    public var storage: StorageOption?
    public var nicID: String?
    public var nicsPerServer: Int
    public var psuID: String?
    public var psusPerServer: Int
    /// Peak draw of one such server (GPUs at TDP + base + DIMMs + SSDs + NICs).
    public var peakPowerWatts: Double
    /// PSU output that survives the redundancy's failures.
    public var usablePSUWatts: Double
}

/// The categories of a bill of materials, in print order.
public enum BOMCategory: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case gpu, server, memory, storage, network, power, cooling, rack

    public static func < (lhs: BOMCategory, rhs: BOMCategory) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One line of the bill of materials.
public struct BOMLine: Sendable, Hashable {
    public var category: BOMCategory
    public var listing: Listing
    public var quantity: Int
    public var unitPowerWatts: Double

    public var unitPriceUSD: Double { listing.priceUSD }
    public var extendedPriceUSD: Double { Double(quantity) * listing.priceUSD }
    public var isEstimate: Bool { listing.priceBasis == .estimate }

    public init(category: BOMCategory, listing: Listing, quantity: Int, unitPowerWatts: Double) {
        self.category = category
        self.listing = listing
        self.quantity = quantity
        self.unitPowerWatts = unitPowerWatts
    }
}
