import LinearModel

/// Office plans (`site: office`): no racks, PDUs or room cooling; each machine runs from one wall
/// socket, so its peak draw at the wall must stay within the socket's continuous rating.
enum WallSocket {
    /// With S the socket's continuous watts, E the PSU efficiency used for wall power, B_g(m) the
    /// base peak of a server of group g holding m replicas (chassis + GPUs at TDP), P_g the per-server
    /// draw of the chosen parts, Σ_f Σ_o W_o · pick[g,f,o], and M_g the largest P_g any pick gives:
    ///
    ///     socket_power_full[g]:       B_g(R_g) · full_used[g] + P_g + M_g · full_used[g] ≤ S · E + M_g
    ///     socket_power_partial[g,m]:  B_g(m) · partial[g,m] + P_g + M_g · partial[g,m] ≤ S · E + M_g
    ///
    /// When the server kind is used the row reads B + P_g ≤ S · E (peak / E ≤ S at the wall);
    /// otherwise it reads P_g ≤ S · E + M_g, which always holds.
    static func addConstraints(to f: inout PlanFormulation) {
        let capacity = f.problem.requirements.socketWatts * f.psuEfficiency
        for (g, group) in f.groups.enumerated() {
            var parts = LinearExpression()
            var heaviest = 0.0
            for (family, options) in group.allOptions where !options.isEmpty {
                parts = parts + f.partExpression(group: g, family: family, \.powerWatts)
                heaviest += options.map(\.powerWatts).max() ?? 0
            }
            let key = group.key
            let full = (group.basePeakWatts(replicas: group.replicasPerServer) + heaviest) * f.fullUsed[g] + parts
            f.model.addConstraint(full <= capacity + heaviest, name: "socket_power_full[\(key)]")
            for (m, variable) in f.partials(group: g) {
                let partial = (group.basePeakWatts(replicas: m) + heaviest) * variable + parts
                f.model.addConstraint(partial <= capacity + heaviest, name: "socket_power_partial[\(key),\(m)]")
            }
        }
    }

    /// Whether a server of `group` holding `gpus` GPUs, with the lightest part options, fits one
    /// socket: (B + lightest parts) / E ≤ S.
    static func fits(_ group: ServerGroup, gpus: Int, socketWatts: Double, efficiency: Double) -> Bool {
        let lightest = group.allOptions.map { $0.options.map(\.powerWatts).min() ?? 0 }.reduce(0, +)
        return (group.server.powerWatts + Double(gpus) * group.gpu.powerWatts + lightest) / efficiency <= socketWatts
    }
}
