import Foundation

extension CalibrationTable {
    /// A catalog overlay file holding this table's constants for `engines` and `families`
    /// (the `calibration:` section CatalogLoader reads; see CalibrationDecoding.swift).
    /// `header` lines are written as YAML comments.
    public func overlayYAML(
        engines: [EngineProfile], families: [GPUFamily], source: String, header: [String] = []
    ) -> String {
        func number(_ x: Double) -> String {
            let r = (x * 10_000).rounded() / 10_000
            if r == r.rounded(), abs(r) < 1e15 { return String(Int64(r)) }
            return "\(r)"
        }
        func quoted(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: " ") + "\""
        }
        var lines = header.map { $0.isEmpty ? "#" : "# " + $0 }
        lines.append("calibration:")
        lines.append("  source: " + quoted(source))
        let engineList = engines.sorted { $0.rawValue < $1.rawValue }
        if !engineList.isEmpty {
            lines.append("  engines:")
            for e in engineList {
                let c = calibration(for: e)
                lines.append("    \(e.rawValue):")
                lines.append("      bandwidth_efficiency: \(number(c.bandwidthEfficiency))")
                lines.append("      attention_efficiency: \(number(c.attentionEfficiency))")
                lines.append("      compute_efficiency: \(number(c.computeEfficiency))")
                lines.append("      step_overhead_ms: \(number(c.stepOverheadMs))")
                lines.append("      per_sequence_step_us: \(number(c.perSequenceStepUs))")
                lines.append("      request_overhead_ms: \(number(c.requestOverheadMs))")
            }
        }
        let familyList = families.sorted { $0.rawValue < $1.rawValue }
        if !familyList.isEmpty {
            lines.append("  gpu_families:")
            for f in familyList {
                let x = factors(for: f)
                lines.append("    \(f.rawValue): {bandwidth: \(number(x.bandwidth)), compute: \(number(x.compute))}")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
