import LinearModel

/// A way to house servers: a rack model with a cooling option, and the power one rack may carry:
/// the least of the rack's feed, the cooling's kW per rack and the spec's rack power limit.
struct RackDesign: Sendable {
    let rack: Rack
    let cooling: CoolingOption
    let powerLimitKW: Double

    var key: String { "\(rack.id),\(cooling.id)" }

    /// Servers of a kind one rack holds: limited by space and by power.
    func serversPerRack(rackUnits: Int, peakWatts: Double) -> Int {
        guard rackUnits > 0, peakWatts > 0 else { return 0 }
        return min(rack.rackUnits / rackUnits, Int((powerLimitKW * 1000 / peakWatts).rounded(.down)))
    }

    static func all(racks: [Rack], cooling: [CoolingOption], methods: [CoolingMethod], limitKW: Double?) -> [RackDesign] {
        racks.flatMap { rack in
            cooling.filter { methods.contains($0.coolingMethod) }.map { option in
                RackDesign(rack: rack, cooling: option, powerLimitKW: min(rack.maxPowerKW, option.maxKWPerRack, limitKW ?? .infinity))
            }
        }
        .filter { $0.powerLimitKW > 0 }
        .sorted { $0.key < $1.key }
    }
}

/// Racks, cooling and rack power distribution.
enum Facility {
    /// With `design[d]` the binary choice of rack design d (one per plan), `racks[d]` its count,
    /// k[g,d] the servers of group g one rack of design d holds (space and power, at the chassis's
    /// fully populated peak, ``ServerGroup/fullyPopulatedPeakWatts(dimms:ssds:nics:)``) and W the plan's peak wall power:
    ///
    ///     rack_design:          Σ_d design[d] = 1
    ///     rack_count[d]:        racks[d] ≤ R · design[d]
    ///     rack_packing[d]:      Σ_g servers[g] / k[g,d] + Σ_x switches[x] / k[x,d] ≤ racks[d] + M · (1 − design[d])
    ///     rack_fit[g,d]:        servers[g] ≤ U_g · (1 − design[d])            (when k[g,d] = 0)
    ///     rack_power:           Σ_d limitKW_d · racks[d] ≥ W / 1000
    ///     rack_space:           Σ_d RU_d · racks[d] ≥ Σ_g RU_g · servers[g] + Σ_x RU_x · switches[x]
    ///     chassis_cooling[g]:   used[g] ≤ Σ_{d: method(d) ∈ cooling(g)} design[d]
    ///     cooling_capacity[c]:  capacityKW_c · units[c] ≥ W / 1000 − M · (1 − Σ_{d uses c} design[d])
    ///     pdu_capacity:         Σ_p kW_p · pdus[p] ≥ W / 1000
    ///     pdu_per_rack:         Σ_p pdus[p] ≥ Σ_d racks[d]
    static func addConstraints(to formulation: inout PlanFormulation) {
        var model = formulation.model
        defer { formulation.model = model }
        let designs = formulation.rackDesigns
        let wallKW = (1.0 / 1000) * formulation.peakWallWatts
        let maxRacks = Double(formulation.maxRacks)
        let maxServers = Double(formulation.groups.indices.reduce(0) { $0 + formulation.maxServers[$1] } + formulation.switches.count * 64)

        model.addConstraint(LinearExpression.sum(formulation.rackChosen) == 1, name: "rack_design")
        var space = LinearExpression()
        for g in formulation.groups.indices {
            space = space + Double(formulation.groups[g].server.rackUnits) * formulation.serversExpression(group: g)
        }
        for x in formulation.switches.indices {
            space = space + Double(formulation.switches[x].rackUnits) * (formulation.leaf[x] + formulation.spine[x])
        }
        var rackPower = LinearExpression()
        var rackSpace = LinearExpression()
        for (d, design) in designs.enumerated() {
            let racks = formulation.racks[d], chosen = formulation.rackChosen[d]
            model.addConstraint(racks - maxRacks * chosen <= 0, name: "rack_count[\(design.key)]")
            rackPower.add(design.powerLimitKW, racks)
            rackSpace.add(Double(design.rack.rackUnits), racks)
            var packing = LinearExpression()
            for g in formulation.groups.indices {
                let group = formulation.groups[g]
                let perRack = design.serversPerRack(rackUnits: group.server.rackUnits, peakWatts: formulation.heaviestServerWallWatts[g])
                if perRack == 0 {
                    model.addConstraint(
                        formulation.serversExpression(group: g) + Double(formulation.maxServers[g]) * chosen <= Double(formulation.maxServers[g]),
                        name: "rack_fit[\(group.key),\(design.key)]"
                    )
                } else {
                    packing.add(formulation.serversExpression(group: g), times: 1 / Double(perRack))
                }
            }
            for x in formulation.switches.indices {
                let item = formulation.switches[x]
                let perRack = design.serversPerRack(rackUnits: item.rackUnits, peakWatts: item.powerWatts)
                if perRack > 0 { packing.add(formulation.leaf[x] + formulation.spine[x], times: 1 / Double(perRack)) }
            }
            model.addConstraint(packing - racks + maxServers * chosen <= maxServers, name: "rack_packing[\(design.key)]")
        }
        model.addConstraint(rackPower - wallKW >= 0, name: "rack_power")
        model.addConstraint(rackSpace - space >= 0, name: "rack_space")

        for g in formulation.groups.indices {
            let group = formulation.groups[g]
            let compatible = designs.indices.filter { group.server.cooling.contains(designs[$0].cooling.coolingMethod) }
            model.addConstraint(
                formulation.used[g] - LinearExpression.sum(compatible.map { formulation.rackChosen[$0] }) <= 0,
                name: "chassis_cooling[\(group.key)]"
            )
        }
        let bigKW = formulation.maxPeakWallWatts / 1000
        for (c, option) in formulation.coolingOptions.enumerated() {
            let using = designs.indices.filter { designs[$0].cooling.id == option.id }.map { formulation.rackChosen[$0] }
            model.addConstraint(
                option.capacityKW * formulation.coolingUnits[c] - wallKW - bigKW * LinearExpression.sum(using) >= -bigKW,
                name: "cooling_capacity[\(option.id)]"
            )
        }
        var pduCapacity = LinearExpression()
        for (p, pdu) in formulation.pdus.enumerated() { pduCapacity.add(pdu.capacityKW, formulation.pduCount[p]) }
        model.addConstraint(pduCapacity - wallKW >= 0, name: "pdu_capacity")
        model.addConstraint(LinearExpression.sum(formulation.pduCount) - LinearExpression.sum(formulation.racks) >= 0, name: "pdu_per_rack")
    }
}
