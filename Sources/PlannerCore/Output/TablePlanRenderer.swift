/// The default terminal output: a readable summary (what to buy, what it costs, predicted latency
/// against the targets, what limits the plan, warnings), then the bill of materials.
public struct TablePlanRenderer: PlanRenderer {
    public static let identifier = "table"
    public init() {}

    public func render(_ plan: Plan) -> String {
        var out = "Plan for \(plan.specName): \(statusText(plan))\n"
        guard plan.status != .infeasible, plan.status != .error, !plan.bom.isEmpty else {
            if !plan.diagnosis.isEmpty {
                out += "\nWhy:\n" + plan.diagnosis.map { "  - \($0)\n" }.joined()
            }
            out += warningsSection(plan)
            return out
        }
        out += "\nBuy\n"
        for deployment in plan.deployments {
            out += "  \(deployment.gpus) × \(deployment.gpuName) — \(deployment.replicas) replica\(deployment.replicas == 1 ? "" : "s") at tensor parallel \(deployment.tensorParallel), \(deployment.weightPrecision) weights, \(deployment.kvCachePrecision) KV cache\n"
        }
        for server in plan.servers {
            var parts = ["\(server.count) × \(server.serverID) with \(server.gpusPerServer) GPU\(server.gpusPerServer == 1 ? "" : "s")"]
            if let dimm = server.dimmID { parts.append("\(server.dimmsPerServer) × \(dimm) (\(Format.fixed(server.hostMemoryGiB, 0)) GiB)") }
            if let storage = server.storage { parts.append("\(storage.count) × \(storage.ssd.id) RAID \(storage.level.rawValue) (\(Format.fixed(storage.usableGB / 1000, 2)) TB usable)") }
            if let nic = server.nicID { parts.append("\(server.nicsPerServer) × \(nic)") }
            if let psu = server.psuID { parts.append("\(server.psusPerServer) × \(psu) (\(Format.watts(server.usablePSUWatts)) usable for a \(Format.watts(server.peakPowerWatts)) peak)") }
            out += "  " + parts.joined(separator: ", ") + "\n"
        }
        out += "\nCost and power\n"
        out += "  capex \(Format.usd(plan.totals.capexUSD))"
        if let tco = plan.totals.tcoUSD { out += ", TCO \(Format.usd(tco))" }
        out += "; peak \(Format.watts(plan.totals.peakPowerWatts)), average \(Format.watts(plan.totals.averagePowerWatts)); \(plan.totals.gpus) GPUs in \(plan.totals.servers) server\(plan.totals.servers == 1 ? "" : "s"), \(plan.totals.rackUnits) U in \(plan.totals.racks) rack\(plan.totals.racks == 1 ? "" : "s")\n"
        if let performance = plan.performance {
            let p = Diagnosis.percentileLabel(performance.percentile)
            out += "\nPredicted performance (\(p), at rated load)\n"
            out += "  TTFT \(Format.fixed(performance.ttftMs, 1)) ms" + (performance.ttftTargetMs.map { " (target ≤ \(Format.fixed($0, 0)) ms)" } ?? "") + "\n"
            out += "  TPOT \(Format.fixed(performance.tpotMs, 2)) ms" + (performance.tpotTargetMs.map { " (target ≤ \(Format.fixed($0, 0)) ms)" } ?? "") + "\n"
            let unit = performance.demandUnit == "concurrency" ? "concurrent requests" : "requests/s"
            out += "  capacity \(Format.fixed(performance.capacity, 1)) \(unit) for a demand of \(Format.fixed(performance.demand, 1)) (headroom \(Format.fixed(performance.headroom * 100, 0))%); \(Format.fixed(performance.outputTokensPerSecond, 0)) output tokens/s\n"
        }
        if !plan.bindingConstraints.isEmpty {
            out += "\nWhat limits the plan\n" + plan.bindingConstraints.map { "  - \($0)\n" }.joined()
        }
        out += warningsSection(plan)
        out += "\nBill of materials\n"
        var table = TextTable(header: ["CATEGORY", "ID", "QTY", "UNIT USD", "TOTAL USD", "UNIT W", "BASIS"], rightAligned: [2, 3, 4, 5])
        for line in plan.bom {
            table.rows.append([
                line.category.rawValue, line.listing.id, Format.integer(line.quantity), Format.usd(line.unitPriceUSD),
                Format.usd(line.extendedPriceUSD), Format.fixed(line.unitPowerWatts, 0), line.listing.priceBasis.rawValue,
            ])
        }
        table.rows.append(["total", "", "", "", Format.usd(plan.totals.capexUSD), "", ""])
        out += table.render(indent: "  ")
        return out
    }

    private func statusText(_ plan: Plan) -> String {
        switch plan.status {
        case .optimal: "optimal (the cheapest build that meets every target)"
        case .feasible: "feasible (meets every target; not proven cheapest)"
        case .timeLimit: "stopped at the time limit" + (plan.relativeGap.map { " (gap \(Format.fixed($0 * 100, 1))%)" } ?? "")
        case .infeasible: "infeasible (no build meets every target)"
        case .error: "error"
        }
    }

    private func warningsSection(_ plan: Plan) -> String {
        plan.warnings.isEmpty ? "" : "\nWarnings\n" + plan.warnings.map { "  - \($0)\n" }.joined()
    }
}
