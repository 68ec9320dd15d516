import LinearModel

/// The cluster network: NICs per server, leaf and spine switches, and a cable per port.
enum ClusterNetwork {
    /// Fabric classes the plan may use: allowed by the spec, with at least one NIC, one switch and a
    /// cable of that fabric and port speed in the catalog.
    static func classes(nics: [NIC], switches: [NetworkSwitch], cables: [Cable], requirement: NetworkRequirement) -> [FabricClass] {
        let withSwitch = Set(switches.map { FabricClass(fabric: $0.fabric, speedGbps: $0.portSpeedGbps) })
        let withCable = Set(cables.map { FabricClass(fabric: $0.fabric, speedGbps: $0.speedGbps) })
        return Set(nics.map { FabricClass(fabric: $0.fabric, speedGbps: $0.speedGbps) })
            .filter { withSwitch.contains($0) && withCable.contains($0) && requirement.fabrics.contains($0.fabric) }
            .sorted()
    }

    /// NIC configurations per server: each NIC of a usable class, 1 … NIC slots of them (or the
    /// pinned count), meeting the cluster bandwidth; the cheapest per class survive pruning.
    static func options(for group: ServerGroup, nics: [NIC], classes: [FabricClass], requirement: NetworkRequirement, pins: Pins, owned: Set<String> = []) -> [ServerPart] {
        let slots = group.server.nicSlots
        guard slots >= 1 else { return [] }
        let counts = pins.nicsPerServer.map { [$0] } ?? Array(1...slots)
        let needed = requirement.requiredGbps(gpuSlots: group.gpusPerFullServer)
        return classes.flatMap { fabricClass in
            let options = nics
                .filter { FabricClass(fabric: $0.fabric, speedGbps: $0.speedGbps) == fabricClass }
                .flatMap { nic in counts.filter { $0 >= 1 && $0 <= slots }.map { ServerPart.network(nic, count: $0) } }
                .filter { $0.networkGbps >= needed }
            // Bandwidth beyond the need buys nothing, while every port costs a switch port and a cable.
            return ServerPart.paretoPruned(options, owned: owned) { -Double($0.networkPorts) }
        }
    }

    /// With `cluster` = 1 when the plan has two or more servers, and for each fabric class c with its
    /// binary `fabric_used[c]` (one class per plan), switches x of class c with `leaf[x]`,
    /// `spine[x]` and `single_switch[x]` (one switch, all ports down):
    ///
    ///     cluster_flag:          Σ_g servers[g] ≤ 1 + S · cluster
    ///     nic_required[g]:       Σ_o pick[g,net,o] ≥ cluster + used[g] − 1   (≥ used[g] when NICs are pinned)
    ///     nic_every_server[g]:   Σ_o count[g,net,o] ≥ servers[g] − U_g · (1 − Σ_o pick[g,net,o])
    ///     nic_fabric[g,o]:       pick[g,net,o] ≤ fabric_used[class(o)]
    ///     fabric_classes:        Σ_c fabric_used[c] ≤ 1
    ///     switch_ports[c]:       Σ_x (ports_x / 2) · (leaf[x] + single_switch[x]) ≥ Σ_{g,o∈c} ports_o · count[g,net,o] − P · (1 − cluster)
    ///     single_switch_only[x]: leaf[x] ≤ 1 + L_x · (1 − single_switch[x]);  single_switch[x] ≤ leaf[x]
    ///     spines[x]:             2 · spine[x] ≥ leaf[x] − L_x · single_switch[x]
    ///     two_tier_fabric[x]:    leaf[x] ≤ ports_x   (two tiers at most: each leaf links to every spine)
    ///     switch_fabric[x]:      leaf[x] ≤ L_x · fabric_used[c]
    ///     cables[c]:             cables[c] ≥ NIC ports of c + Σ_x (ports_x / 2) · (leaf[x] − single_switch[x])
    static func addConstraints(to formulation: inout PlanFormulation) {
        var model = formulation.model
        defer { formulation.model = model }
        let allServers = LinearExpression.sum(formulation.groups.indices.map { formulation.serversExpression(group: $0) })
        let maxServers = formulation.groups.indices.reduce(0) { $0 + formulation.maxServers[$1] }
        model.addConstraint(allServers <= 1 + Double(maxServers) * LinearExpression(formulation.cluster), name: "cluster_flag")

        var portsByClass: [FabricClass: LinearExpression] = [:]
        for g in formulation.groups.indices {
            let group = formulation.groups[g]
            let options = group.networkOptions
            guard !options.isEmpty else {
                // No NIC fits: the group can only be a single-server plan.
                model.addConstraint(formulation.used[g] + formulation.cluster <= 1, name: "nic_required[\(group.key)]")
                continue
            }
            let picks = formulation.picks(group: g, family: .network)
            let counts = formulation.counts(group: g, family: .network)
            // A pinned NIC count puts NICs in every server, cluster or not.
            let required = (formulation.problem.requirements.pins.nicsPerServer ?? 0) > 0
                ? LinearExpression(formulation.used[g])
                : formulation.cluster + formulation.used[g] - 1
            model.addConstraint(LinearExpression.sum(picks) >= required, name: "nic_required[\(group.key)]")
            let upper = Double(formulation.maxServers[g])
            model.addConstraint(
                LinearExpression.sum(counts) >= formulation.serversExpression(group: g) - upper + upper * LinearExpression.sum(picks),
                name: "nic_every_server[\(group.key)]"
            )
            for (o, option) in options.enumerated() {
                guard case let .network(nic, _) = option else { continue }
                let fabricClass = FabricClass(fabric: nic.fabric, speedGbps: nic.speedGbps)
                model.addConstraint(picks[o] <= LinearExpression(PlanFormulation.variable(formulation.fabricUsed, fabricClass, "fabric_used")), name: "nic_fabric[\(group.key),\(option.key)]")
                portsByClass[fabricClass, default: LinearExpression()].add(Double(option.networkPorts), counts[o])
            }
        }
        if !formulation.fabricUsed.isEmpty {
            model.addConstraint(LinearExpression.sum(formulation.fabricUsed.sorted { $0.key < $1.key }.map(\.value)) <= 1, name: "fabric_classes")
        }
        for fabricClass in formulation.fabricUsed.keys.sorted() {
            let ports = portsByClass[fabricClass] ?? LinearExpression()
            var downlinks = LinearExpression()
            var uplinks = LinearExpression()
            for x in formulation.switchIndices(of: fabricClass) {
                let item = formulation.switches[x]
                let half = Double(item.ports / 2)
                let leaf = formulation.leaf[x], spine = formulation.spine[x], single = formulation.singleSwitch[x]
                let bound = Double(formulation.maxLeaves[x])
                downlinks = downlinks + half * (leaf + single)
                uplinks = uplinks + half * (leaf - single)
                model.addConstraint(leaf - bound * LinearExpression(PlanFormulation.variable(formulation.fabricUsed, fabricClass, "fabric_used")) <= 0, name: "switch_fabric[\(item.id)]")
                model.addConstraint(single - leaf <= 0, name: "single_switch_leaf[\(item.id)]")
                model.addConstraint(leaf + bound * single <= bound + 1, name: "single_switch_only[\(item.id)]")
                model.addConstraint(2 * spine - leaf + bound * single >= 0, name: "spines[\(item.id)]")
                // Two tiers at most: every leaf links to every spine, so a spine's ports bound the leaves.
                if formulation.maxLeaves[x] > item.ports {
                    model.addConstraint(LinearExpression(leaf) <= Double(item.ports), name: "two_tier_fabric[\(item.id)]")
                }
            }
            // Switches only in a cluster: a single server's (pinned) NICs face the existing network.
            let maxPorts = Double(formulation.groups.indices.reduce(0) { total, g in
                total + formulation.maxServers[g] * (formulation.groups[g].networkOptions.map(\.networkPorts).max() ?? 0)
            })
            model.addConstraint(downlinks - ports - maxPorts * LinearExpression(formulation.cluster) >= -maxPorts, name: "switch_ports[\(fabricClass.key)]")
            if let cable = formulation.cableVariable[fabricClass] {
                model.addConstraint(cable - ports - uplinks >= 0, name: "cables[\(fabricClass.key)]")
            }
        }
    }
}
