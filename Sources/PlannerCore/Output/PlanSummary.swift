/// The sentences every human-readable renderer (table, Markdown, HTML) prints about a plan, so they
/// all say the same thing: status, what to buy, cost and power, performance against the targets.
enum PlanSummary {
    static func status(_ plan: Plan) -> String {
        switch plan.status {
        case .optimal: "optimal (the cheapest build that meets every target)"
        case .feasible(.time, let gap): "stopped at the time limit" + (gap.map { " (gap \(Format.fixed($0 * 100, 1))%)" } ?? "")
        case .feasible: "feasible (meets every target; not proven cheapest)"
        case .infeasible: "infeasible (no build meets every target)"
        case .noPlanWithinLimit(.time): "no plan found within the time limit"
        case let .noPlanWithinLimit(limit): "no plan found within the \(limit.rawValue.replacingOccurrences(of: "_", with: " ")) limit"
        case .error: "error"
        }
    }

    /// One line per owned server kind the plan reuses (`existing:`), and the load it carries.
    static func reuse(_ plan: Plan, demandUnit: DemandUnit?) -> [String] {
        let unit = (demandUnit ?? .concurrency).loadWords
        var lines = plan.reused.map { r in
            "\(r.owned.count) × \(r.owned.serverID) with \(r.owned.gpusPerServer) × \(r.owned.gpuID) (owned, $0)"
                + (r.tensorParallel > 0 ? ": \(r.owned.count * r.owned.gpusPerServer / r.tensorParallel) replica\(r.owned.count * r.owned.gpusPerServer / r.tensorParallel == 1 ? "" : "s") at tensor parallel \(r.tensorParallel), carrying \(Format.fixed(r.capacity, 1)) \(unit)"
                   : ": cannot serve this model within the targets, carries nothing")
        }
        if plan.bom.isEmpty && !plan.reused.isEmpty { lines.append("nothing to buy: the owned servers carry the whole demand") }
        return lines
    }

    /// One line per deployment, then one per server configuration.
    static func buy(_ plan: Plan) -> [String] {
        var lines: [String] = []
        for deployment in plan.deployments {
            var layout: [String] = []
            if deployment.expertParallel { layout.append("experts expert-parallel") }
            if deployment.attentionDataParallel { layout.append("attention data-parallel") }
            lines.append("\(deployment.gpus) × \(deployment.gpuName) — \(deployment.replicas) replica\(deployment.replicas == 1 ? "" : "s") at tensor parallel \(deployment.tensorParallel)"
                + (layout.isEmpty ? "" : " (\(layout.joined(separator: ", ")))")
                + ", \(deployment.weightPrecision.rawValue) weights, \(deployment.kvCachePrecision.rawValue) KV cache"
                + (deployment.maxNumSeqs.map { ", engine max_num_seqs \($0)\(deployment.attentionDataParallel ? " per GPU" : "") (what its KV cache holds)" } ?? ""))
        }
        for server in plan.servers {
            var parts = ["\(server.count) × \(server.serverID) with \(server.gpusPerServer) GPU\(server.gpusPerServer == 1 ? "" : "s")"]
            if let dimm = server.dimmID { parts.append("\(server.dimmsPerServer) × \(dimm) (\(Format.fixed(server.hostMemoryGiB, 0)) GiB)") }
            if let storage = server.storage { parts.append("\(storage.count) × \(storage.ssd.id) RAID \(storage.level.rawValue) (\(Format.fixed(storage.usableGB / 1000, 2)) TB usable)") }
            if let nic = server.nicID { parts.append("\(server.nicsPerServer) × \(nic)") }
            if let psu = server.psuID { parts.append("\(server.psusPerServer) × \(psu) (\(Format.watts(server.usablePSUWatts)) usable for a \(Format.watts(server.peakPowerWatts)) peak)") }
            lines.append(parts.joined(separator: ", "))
        }
        return lines
    }

    static func cost(_ plan: Plan) -> String {
        var out = "capex \(Format.usd(plan.totals.capexUSD))"
        if let tco = plan.totals.tcoUSD { out += ", TCO \(Format.usd(tco))" }
        let t = plan.totals
        out += "; peak \(Format.watts(t.peakPowerWatts)), average \(Format.watts(t.averagePowerWatts)); \(t.gpus) GPU\(t.gpus == 1 ? "" : "s") in \(t.servers) server\(t.servers == 1 ? "" : "s"), "
            + (t.racks == 0 && t.servers > 0 ? "desk-side (no racks)" : "\(t.rackUnits) U in \(t.racks) rack\(t.racks == 1 ? "" : "s")")
        return out
    }

    /// The heading of the performance section: `Predicted performance (P99, carrying the demand)`.
    static func performanceHeading(_ performance: PredictedPerformance) -> String {
        "Predicted performance (\(Format.percentileLabel(performance.percentile)), carrying the demand)"
    }

    static func performance(_ performance: PredictedPerformance) -> [String] {
        let unit = performance.demandUnit.loadWords
        func line(_ name: String, _ value: Double, _ atCapacity: Double, _ target: Double?, _ decimals: Int) -> String {
            "\(name) \(Format.fixed(value, decimals)) ms" + (target.map { " (target ≤ \(Format.fixed($0, 0)) ms)" } ?? "")
                + "; \(Format.fixed(atCapacity, decimals)) ms at full rated capacity"
        }
        return [
            line("TTFT", performance.ttftMs, performance.ttftAtCapacityMs, performance.ttftTargetMs, 1),
            line("TPOT", performance.tpotMs, performance.tpotAtCapacityMs, performance.tpotTargetMs, 2),
            "capacity \(Format.fixed(performance.capacity, 1)) \(unit) for a demand of \(Format.fixed(performance.demand, 1)) (\(growthText(performance))\(Format.fixed(performance.headroom * 100, 0))% spare); \(Format.fixed(performance.outputTokensPerSecond, 0)) output tokens/s at the demand, \(Format.fixed(performance.outputTokensPerSecondAtCapacity, 0)) at capacity",
        ]
    }

    /// What sets a replica's load in a word or two, for a table cell: `TTFT`, `TPOT`, `E2E` (that target
    /// binds), `KV cache`, `batch cap`, `throughput`.
    static func limitLabel(_ limit: ReplicaLimit) -> String {
        switch limit {
        case .kvCache: "KV cache"
        case .engineCap: "batch cap"
        case .saturation: "throughput"
        case let .latencyTarget(b): b.metric == .endToEnd ? "E2E" : b.metric.rawValue.uppercased()
        }
    }

    /// The deployments with a known limit, one per GPU and TP degree: a plan that buys the same replicas in
    /// two kinds of server lists them twice, with the same limit.
    static func limitedDeployments(_ plan: Plan) -> [DeploymentLine] {
        var seen = Set<String>()
        return plan.deployments.filter { $0.capacityLimit != nil && seen.insert("\($0.gpuID)@tp\($0.tensorParallel)").inserted }
    }

    /// One line per GPU and TP degree bought: the load each replica carries and what sets it (``ReplicaLimit``),
    /// e.g. `each l40s-48gb replica (TP 1) carries 15 concurrent requests: the P99 TTFT target binds
    /// (≤ 200 ms): 16 would take 201.3 ms, 1 alone 108.2 ms; without it a replica would carry 131`.
    static func replicaLimits(_ plan: Plan) -> [String] {
        guard let performance = plan.performance else { return [] }
        let concurrency = performance.demandUnit == .concurrency
        let unit = performance.demandUnit.loadWords
        func load(_ x: Double) -> String { concurrency ? Format.fixed(x, 0) : Format.fixed(x, 3) }
        return limitedDeployments(plan).compactMap { d in
            guard let limit = d.capacityLimit else { return nil }
            let head = "each \(d.gpuID) replica (TP \(d.tensorParallel)) carries \(load(d.capacityPerReplica)) \(unit): "
            switch limit {
            case let .kvCache(sequences):
                return head + "all its KV cache holds (\(sequences) sequences of the workload's length), within every target"
            case let .engineCap(sequences, kvSequences):
                return head + "the engine's batch cap (max_num_seqs \(sequences)), within every target; its KV cache would hold \(kvSequences): "
                    + "set engine.max_num_seqs in the spec (a number, or auto: what the KV cache holds) to run more"
            case .saturation:
                return head + "its throughput (saturation), within every target"
            case let .latencyTarget(b):
                let name = switch b.metric {
                case .ttft: "TTFT"
                case .tpot: "TPOT"
                case .endToEnd: "end-to-end"
                }
                // Enough decimals that the breaking value never prints as the target itself.
                var decimals = b.metric == .tpot ? 2 : 1
                while decimals < 4 && Format.fixed(b.nextMs, decimals) == Format.fixed(b.targetMs, decimals) { decimals += 1 }
                let nextLoad = concurrency ? "\(load(d.capacityPerReplica + 1)) would take" : "0.1 % more would take"
                let lightLoad = concurrency ? "1 alone" : "the lightest load"
                let overhead = b.metric == .tpot ? ""
                    : " (\(Format.fixed(b.requestOverheadMs, 1)) ms of it the engine's request overhead, a calibration constant)"
                let without = concurrency ? "without it a replica would carry \(load(b.ceiling)) (its KV cache and batch cap)"
                    : "the replica saturates at \(load(b.ceiling)) \(unit)"
                return head + "the \(Format.percentileLabel(performance.percentile)) \(name) target binds (≤ \(Format.fixed(b.targetMs, 0)) ms): "
                    + "\(nextLoad) \(Format.fixed(b.nextMs, decimals)) ms, \(lightLoad) \(Format.fixed(b.lightestMs, decimals)) ms\(overhead); \(without)"
            }
        }
    }

    /// `200.0 + 20% growth; ` when the spec asks for growth headroom, else empty: says how the demand
    /// planned for was reached, so the spare capacity after it is not read as the growth asked for.
    static func growthText(_ performance: PredictedPerformance) -> String {
        guard performance.growthHeadroom > 0 else { return "" }
        return "\(Format.fixed(performance.statedDemand, 1)) + \(Format.fixed(performance.growthHeadroom * 100, 0))% growth; "
    }

    /// Capex by BOM category, in category order, categories with nothing bought left out.
    static func costByCategory(_ plan: Plan) -> [(category: BOMCategory, usd: Double)] {
        BOMCategory.allCases.compactMap { category in
            let lines = plan.bom.filter { $0.category == category }
            return lines.isEmpty ? nil : (category, lines.reduce(0) { $0 + $1.extendedPriceUSD })
        }
    }
}

extension DemandUnit {
    /// The load in words: `concurrent requests` or `requests/s`.
    var loadWords: String {
        switch self {
        case .concurrency: "concurrent requests"
        case .requestsPerSecond: "requests/s"
        }
    }
}
