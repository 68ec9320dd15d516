import LinearModel
import Foundation

/// Warnings every plan carries: the seed guide's pitfalls and the prices to get quotes for.
enum PlanWarnings {
    static func `for`(deployments groups: [ServerGroup], bom: [BOMLine], context: PlanContext) -> [String] {
        var warnings = context.warnings
        for gpu in Set(groups.map(\.gpu)).sorted(by: { $0.id < $1.id }) where gpu.memoryBandwidthGBps < context.bandwidthWarningGBps {
            warnings.append(String(
                format: "%@ has %.0f GB/s of memory bandwidth, below the %.0f GB/s the seed guide warns about: decode is bandwidth-bound, so each token is slow; set constraints.min_memory_bandwidth_gbps to exclude such GPUs",
                gpu.id, gpu.memoryBandwidthGBps, context.bandwidthWarningGBps
            ))
        }
        let estimated = bom.filter(\.isEstimate).map(\.listing.id).sorted()
        if !estimated.isEmpty {
            warnings.append("priced by estimate (get quotes): " + estimated.joined(separator: ", "))
        }
        return warnings
    }
}

/// The constraints that hold with equality at the solution and say something about the plan
/// (structural ones such as "every server gets one PSU configuration" are left out).
enum BindingConstraints {
    static let meaningfulPrefixes = [
        "demand", "budget", "gpu_types", "pin_gpu_count", "pin_server_count", "host_memory", "storage_capacity",
        "storage_read", "storage_iops", "storage_faults", "psu_capacity", "switch_ports", "rack_power", "rack_space",
        "rack_packing", "cooling_capacity", "pdu_capacity",
    ]

    static func names(formulation: PlanFormulation, result: LinearModel.SolveResult) -> [String] {
        let usedKeys = Set(formulation.groups.indices.filter { formulation.used[$0].index < result.values.count && result.values[formulation.used[$0].index] > 0.5 }.map { formulation.groups[$0].key })
        return result.bindingConstraints(in: formulation.model, tolerance: 1e-6).compactMap { reference in
            let name = formulation.model.definition(of: reference).name
            let family = String(name.prefix { $0 != "[" })
            guard meaningfulPrefixes.contains(family) else { return nil }
            if let open = name.firstIndex(of: "["), family != "rack_packing", family != "switch_ports", family != "cooling_capacity" {
                let index = String(name[name.index(after: open)...].dropLast())
                guard usedKeys.contains(index) else { return nil }
            }
            return name
        }
        .sorted()
    }
}
