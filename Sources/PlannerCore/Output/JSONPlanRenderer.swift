import Foundation

/// The plan as one JSON object (the output contract of `planner solve --format json`): keys in
/// snake_case and sorted, numbers as numbers, rounded to fixed decimals.
public struct JSONPlanRenderer: PlanRenderer {
    public static let identifier = "json"
    public init() {}

    public func render(_ plan: Plan) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(PlanDocument(plan)), let text = String(data: data, encoding: .utf8) else {
            return "{}"
        }
        return text + "\n"
    }
}

/// The JSON shape of a plan. Field names are the public contract; see docs/output.md.
struct PlanDocument: Encodable {
    var status: String
    var spec: String
    var objective: ObjectiveDocument
    var totals: TotalsDocument
    var deployment: DeploymentsDocument
    var performance: PerformanceDocument?
    var servers: [ServerDocument]
    var bom: [BOMLineDocument]
    var raidLevel: Int?
    var bindingConstraints: [String]
    var warnings: [String]
    var diagnosis: [String]
    var relativeGap: Double?
    /// Owned servers reused (`existing:`); absent when none. `bom` and `totals` are what is bought.
    var reuse: [ReuseDocument]?

    enum CodingKeys: String, CodingKey {
        case status, spec, objective, totals, deployment, performance, servers, bom, warnings, diagnosis, reuse
        case raidLevel = "raid_level", bindingConstraints = "binding_constraints", relativeGap = "relative_gap"
    }

    init(_ plan: Plan) {
        status = plan.status.code
        spec = plan.specName
        objective = ObjectiveDocument(metric: plan.objective.metric.rawValue, value: Rounding.to(plan.objective.value, 2))
        totals = TotalsDocument(plan.totals)
        deployment = DeploymentsDocument(lines: plan.deployments.map(DeploymentDocument.init))
        performance = plan.performance.map(PerformanceDocument.init)
        servers = plan.servers.map(ServerDocument.init)
        bom = plan.bom.map(BOMLineDocument.init)
        raidLevel = plan.raidLevel?.rawValue
        bindingConstraints = plan.bindingConstraints.map(\.name)
        warnings = plan.warnings
        diagnosis = plan.diagnosis
        relativeGap = plan.relativeGap.map { Rounding.to($0, 6) }
        reuse = plan.reused.isEmpty ? nil : plan.reused.map(ReuseDocument.init)
    }

    struct ReuseDocument: Encodable {
        var server: String
        var count: Int
        var gpu: String
        var gpusPerServer: Int
        var tensorParallel: Int
        var capacity: Double
        var peakPowerWatts: Double

        enum CodingKeys: String, CodingKey {
            case server, count, gpu, capacity
            case gpusPerServer = "gpus_per_server", tensorParallel = "tensor_parallel", peakPowerWatts = "peak_power_watts"
        }

        init(_ reused: ReusedServers) {
            server = reused.owned.serverID
            count = reused.owned.count
            gpu = reused.owned.gpuID
            gpusPerServer = reused.owned.gpusPerServer
            tensorParallel = reused.tensorParallel
            capacity = Rounding.to(reused.capacity, 3)
            peakPowerWatts = Rounding.to(reused.peakPowerWatts, 1)
        }
    }

    /// One deployment is written as an object; mixed GPU types (several deployments) as a list.
    struct DeploymentsDocument: Encodable {
        var lines: [DeploymentDocument]

        func encode(to encoder: any Encoder) throws {
            if lines.count == 1 {
                try lines[0].encode(to: encoder)
            } else {
                var container = encoder.singleValueContainer()
                try container.encode(lines)
            }
        }
    }

    struct ObjectiveDocument: Encodable {
        var metric: String
        var value: Double
    }

    struct TotalsDocument: Encodable {
        var capexUSD: Double
        var powerWatts: Double
        var averagePowerWatts: Double
        var gpus: Int
        var servers: Int
        var racks: Int
        var rackUnits: Int
        var tcoUSD: Double?

        enum CodingKeys: String, CodingKey {
            case gpus, servers, racks
            case capexUSD = "capex_usd", powerWatts = "power_watts", averagePowerWatts = "average_power_watts"
            case rackUnits = "rack_units", tcoUSD = "tco_usd"
        }

        init(_ totals: PlanTotals) {
            capexUSD = Rounding.to(totals.capexUSD, 2)
            powerWatts = Rounding.to(totals.peakPowerWatts, 1)
            averagePowerWatts = Rounding.to(totals.averagePowerWatts, 1)
            gpus = totals.gpus
            servers = totals.servers
            racks = totals.racks
            rackUnits = totals.rackUnits
            tcoUSD = totals.tcoUSD.map { Rounding.to($0, 2) }
        }
    }

    struct DeploymentDocument: Encodable {
        var gpu: String
        var tensorParallel: Int
        var replicas: Int
        var gpus: Int
        var precision: String
        var kvCachePrecision: String
        var capacityPerReplica: Double
        var memoryUsedPerGPUGiB: Double
        var memoryPerGPUGiB: Double
        var capacityLimit: CapacityLimitDocument?
        var expertParallel: Bool
        var attentionDataParallel: Bool
        var maxNumSeqs: Int?

        enum CodingKeys: String, CodingKey {
            case gpu, replicas, gpus, precision
            case tensorParallel = "tensor_parallel", kvCachePrecision = "kv_cache_precision"
            case capacityPerReplica = "capacity_per_replica", memoryUsedPerGPUGiB = "memory_used_per_gpu_gib"
            case memoryPerGPUGiB = "memory_per_gpu_gib", capacityLimit = "capacity_limit"
            case expertParallel = "expert_parallel", attentionDataParallel = "attention_dp", maxNumSeqs = "max_num_seqs"
        }

        init(_ line: DeploymentLine) {
            gpu = line.gpuID
            tensorParallel = line.tensorParallel
            replicas = line.replicas
            gpus = line.gpus
            precision = line.weightPrecision.rawValue
            kvCachePrecision = line.kvCachePrecision.rawValue
            capacityPerReplica = Rounding.to(line.capacityPerReplica, 3)
            memoryUsedPerGPUGiB = Rounding.to(line.memoryUsedPerGPUGiB, 2)
            memoryPerGPUGiB = Rounding.to(line.memoryPerGPUGiB, 2)
            capacityLimit = line.capacityLimit.map(CapacityLimitDocument.init)
            expertParallel = line.expertParallel
            attentionDataParallel = line.attentionDataParallel
            maxNumSeqs = line.maxNumSeqs
        }
    }

    /// ``ReplicaLimit`` as `{"kind": "ttft_target", "target_ms": …, "next_load_ms": …, "lightest_load_ms": …,
    /// "ceiling": …, "request_overhead_ms": …}`, `{"kind": "kv_cache", "sequences": …}`, `{"kind": "engine_cap", "sequences": …,
    /// "kv_sequences": …}` or
    /// `{"kind": "saturation"}`.
    struct CapacityLimitDocument: Encodable {
        var kind: String
        var sequences: Int?
        var kvSequences: Int?
        var targetMs: Double?
        var nextLoadMs: Double?
        var lightestLoadMs: Double?
        var ceiling: Double?
        var requestOverheadMs: Double?

        enum CodingKeys: String, CodingKey {
            case kind, sequences, ceiling
            case kvSequences = "kv_sequences"
            case targetMs = "target_ms", nextLoadMs = "next_load_ms", lightestLoadMs = "lightest_load_ms"
            case requestOverheadMs = "request_overhead_ms"
        }

        init(_ limit: ReplicaLimit) {
            kind = limit.code
            switch limit {
            case let .kvCache(n):
                sequences = n
            case let .engineCap(n, kv):
                sequences = n
                kvSequences = kv
            case .saturation:
                break
            case let .latencyTarget(b):
                targetMs = Rounding.to(b.targetMs, 3)
                nextLoadMs = Rounding.to(b.nextMs, 3)
                lightestLoadMs = Rounding.to(b.lightestMs, 3)
                ceiling = Rounding.to(b.ceiling, 3)
                requestOverheadMs = Rounding.to(b.requestOverheadMs, 3)
            }
        }
    }

    struct PerformanceDocument: Encodable {
        var ttftMs: Double
        var tpotMs: Double
        var ttftAtCapacityMs: Double
        var tpotAtCapacityMs: Double
        var outputTokensPerSecondAtCapacity: Double
        var ttftTargetMs: Double?
        var tpotTargetMs: Double?
        var outputTokensPerSecond: Double
        var maxConcurrency: Double
        var capacity: Double
        var demand: Double
        var demandUnit: String
        var headroom: Double
        var growthHeadroom: Double
        var percentile: Double

        enum CodingKeys: String, CodingKey {
            case percentile, capacity, demand, headroom
            case ttftMs = "ttft_ms", tpotMs = "tpot_ms", ttftTargetMs = "ttft_target_ms", tpotTargetMs = "tpot_target_ms"
            case ttftAtCapacityMs = "ttft_at_capacity_ms", tpotAtCapacityMs = "tpot_at_capacity_ms"
            case outputTokensPerSecondAtCapacity = "output_tokens_per_s_at_capacity"
            case outputTokensPerSecond = "output_tokens_per_s", maxConcurrency = "max_concurrency", demandUnit = "demand_unit"
            case growthHeadroom = "growth_headroom"
        }

        init(_ performance: PredictedPerformance) {
            ttftMs = Rounding.to(performance.ttftMs, 2)
            tpotMs = Rounding.to(performance.tpotMs, 2)
            ttftAtCapacityMs = Rounding.to(performance.ttftAtCapacityMs, 2)
            tpotAtCapacityMs = Rounding.to(performance.tpotAtCapacityMs, 2)
            outputTokensPerSecondAtCapacity = Rounding.to(performance.outputTokensPerSecondAtCapacity, 1)
            ttftTargetMs = performance.ttftTargetMs
            tpotTargetMs = performance.tpotTargetMs
            outputTokensPerSecond = Rounding.to(performance.outputTokensPerSecond, 1)
            maxConcurrency = Rounding.to(performance.maxConcurrency, 1)
            capacity = Rounding.to(performance.capacity, 3)
            demand = Rounding.to(performance.demand, 3)
            demandUnit = performance.demandUnit.rawValue
            headroom = Rounding.to(performance.headroom, 4)
            growthHeadroom = Rounding.to(performance.growthHeadroom, 4)
            percentile = performance.percentile
        }
    }

    struct ServerDocument: Encodable {
        var server: String
        var count: Int
        var gpu: String
        var gpusPerServer: Int
        var dimm: String?
        var dimmsPerServer: Int
        var hostMemoryGiB: Double
        var ssd: String?
        var ssdsPerServer: Int
        var raidLevel: Int?
        var nic: String?
        var nicsPerServer: Int
        var psu: String?
        var psusPerServer: Int
        var peakPowerWatts: Double
        var usablePSUWatts: Double

        enum CodingKeys: String, CodingKey {
            case server, count, gpu, dimm, ssd, nic, psu
            case gpusPerServer = "gpus_per_server", dimmsPerServer = "dimms_per_server", hostMemoryGiB = "host_memory_gib"
            case ssdsPerServer = "ssds_per_server", raidLevel = "raid_level", nicsPerServer = "nics_per_server"
            case psusPerServer = "psus_per_server", peakPowerWatts = "peak_power_watts", usablePSUWatts = "usable_psu_watts"
        }

        init(_ configuration: ServerConfiguration) {
            server = configuration.serverID
            count = configuration.count
            gpu = configuration.gpuID
            gpusPerServer = configuration.gpusPerServer
            dimm = configuration.dimmID
            dimmsPerServer = configuration.dimmsPerServer
            hostMemoryGiB = Rounding.to(configuration.hostMemoryGiB, 1)
            ssd = configuration.storage?.ssd.id
            ssdsPerServer = configuration.storage?.count ?? 0
            raidLevel = configuration.storage?.level.rawValue
            nic = configuration.nicID
            nicsPerServer = configuration.nicsPerServer
            psu = configuration.psuID
            psusPerServer = configuration.psusPerServer
            peakPowerWatts = Rounding.to(configuration.peakPowerWatts, 1)
            usablePSUWatts = Rounding.to(configuration.usablePSUWatts, 1)
        }
    }

    struct BOMLineDocument: Encodable {
        var category: String
        var id: String
        var vendor: String
        var partNumber: String?
        var name: String
        var quantity: Int
        var unitPriceUSD: Double
        var extendedPriceUSD: Double
        var unitPowerWatts: Double
        var priceBasis: String
        var priceAsOf: String
        var priceNote: String?
        var source: String

        enum CodingKeys: String, CodingKey {
            case category, id, vendor, name, quantity, source
            case priceAsOf = "price_as_of", priceNote = "price_note"
            case partNumber = "part_number", unitPriceUSD = "unit_price_usd", extendedPriceUSD = "extended_price_usd"
            case unitPowerWatts = "unit_power_watts", priceBasis = "price_basis"
        }

        init(_ line: BOMLine) {
            category = line.category.rawValue
            id = line.listing.id
            vendor = line.listing.vendor
            partNumber = line.listing.partNumber
            name = line.listing.name
            quantity = line.quantity
            unitPriceUSD = Rounding.to(line.unitPriceUSD, 2)
            extendedPriceUSD = Rounding.to(line.extendedPriceUSD, 2)
            unitPowerWatts = Rounding.to(line.unitPowerWatts, 1)
            priceBasis = line.listing.priceBasis.rawValue
            priceAsOf = line.listing.asOf
            priceNote = line.listing.priceNote
            source = line.listing.source
        }
    }
}
