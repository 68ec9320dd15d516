import LinearModel

/// Reads a solved ``PlanFormulation`` back into the plan's terms: server configurations, the bill
/// of materials, totals and deployments. Values are rounded to integers (the MILP's integrality
/// tolerance leaves them within 1e-6 of one).
struct PlanExtraction {
    let formulation: PlanFormulation
    let values: [Double]

    private func integer(_ variable: Variable) -> Int { Int(values[variable.index].rounded()) }
    private func integer(_ expression: LinearExpression) -> Int { Int(expression.evaluate(values).rounded()) }

    /// The option of `family` the solution picks for group g (`pick[g,o] = 1`); nil when none is picked.
    /// The one place the picked option is read back.
    private func picked(group g: Int, family: ServerPart.Family) -> ServerPart? {
        zip(formulation.options(group: g, family: family), formulation.picks(group: g, family: family)).first { integer($0.1) == 1 }?.0
    }

    /// One configuration per used group (full servers), plus one for its partial server if any.
    var serverConfigurations: [(group: Int, replicasPerServer: Int, configuration: ServerConfiguration)] {
        var result: [(Int, Int, ServerConfiguration)] = []
        for (g, group) in formulation.groups.enumerated() {
            var shapes: [(count: Int, replicas: Int)] = []
            let fullCount = integer(formulation.full[g])
            if fullCount > 0 { shapes.append((fullCount, group.replicasPerServer)) }
            for (m, partial) in formulation.partials(group: g) where integer(partial) == 1 {
                shapes.append((1, m))
            }
            guard !shapes.isEmpty else { continue }
            let chosen = Dictionary(uniqueKeysWithValues: group.allOptions.map { family, _ in (family, picked(group: g, family: family)) })
            for shape in shapes {
                var configuration = ServerConfiguration(
                    serverID: group.server.id, count: shape.count, gpuID: group.gpu.id,
                    gpusPerServer: shape.replicas * group.tensorParallel, dimmID: nil, dimmsPerServer: 0,
                    hostMemoryGiB: 0, storage: nil, nicID: nil, nicsPerServer: 0, psuID: nil, psusPerServer: 0,
                    peakPowerWatts: group.basePeakWatts(replicas: shape.replicas), usablePSUWatts: 0
                )
                for part in ServerPart.Family.allCases.compactMap({ chosen[$0] ?? nil }) {
                    configuration.peakPowerWatts += part.powerWatts
                    switch part {
                    case let .memory(dimm, count):
                        configuration.dimmID = dimm.id
                        configuration.dimmsPerServer = count
                        configuration.hostMemoryGiB = part.memoryGiB
                    case let .storage(option):
                        configuration.storage = option
                    case let .network(nic, count):
                        configuration.nicID = nic.id
                        configuration.nicsPerServer = count
                    case let .power(psu, count, usable):
                        configuration.psuID = psu.id
                        configuration.psusPerServer = count
                        configuration.usablePSUWatts = usable
                    }
                }
                result.append((g, shape.replicas, configuration))
            }
        }
        return result
    }

    /// The bill of materials, one line per catalog item (and one more at $0 for the parts a chassis
    /// price includes, and one for the owned items used), sorted by category, id, then bought,
    /// included, owned.
    var billOfMaterials: [BOMLine] {
        var lines: [String: BOMLine] = [:]
        func add(_ category: BOMCategory, _ listing: Listing, _ quantity: Int, _ watts: Double) {
            guard quantity > 0 else { return }
            let key = "\(category.rawValue)/\(listing.id)" + (listing.priceBasis == .included ? "/included" : "")
            lines[key, default: BOMLine(category: category, listing: listing, quantity: 0, unitPowerWatts: watts)].quantity += quantity
        }
        for (g, _, configuration) in serverConfigurations {
            let group = formulation.groups[g]
            let servers = configuration.count
            add(.gpu, group.gpu.listing, servers * configuration.gpusPerServer, group.gpu.powerWatts)
            add(.server, group.server.listing, servers, group.server.powerWatts)
            for (family, _) in group.allOptions {
                if let option = picked(group: g, family: family) {
                    switch option {
                    case let .memory(dimm, count): add(.memory, dimm.listing, servers * count, dimm.powerWatts)
                    case let .storage(array): add(.storage, array.ssd.listing, servers * array.count, array.ssd.powerWatts)
                    case let .network(nic, count): add(.network, nic.listing, servers * count, nic.powerWatts)
                    case let .power(psu, count, _): add(.power, psu.listing, servers * count, 0)
                    }
                }
            }
        }
        for (x, item) in formulation.switches.enumerated() {
            add(.network, item.listing, integer(formulation.leaf[x]) + integer(formulation.spine[x]), item.powerWatts)
        }
        for (fabricClass, cable) in formulation.cableItem.sorted(by: { $0.key < $1.key }) {
            add(.network, cable.listing, integer(PlanFormulation.variable(formulation.cableVariable, fabricClass, "cables")), cable.powerWatts)
        }
        for (d, design) in formulation.rackDesigns.enumerated() {
            add(.rack, design.rack.listing, integer(formulation.racks[d]), 0)
        }
        for (c, option) in formulation.coolingOptions.enumerated() {
            add(.cooling, option.listing, integer(formulation.coolingUnits[c]), option.powerWatts)
        }
        for (p, pdu) in formulation.pdus.enumerated() {
            add(.power, pdu.listing, integer(formulation.pduCount[p]), 0)
        }
        // Owned items (`existing.items`) the plan uses come first from what the team has: a line at
        // $0 with basis `owned`, and the bought line only for the rest.
        var owned = formulation.problem.requirements.ownedItems
        for key in lines.keys.sorted() {
            guard var line = lines[key], line.listing.priceBasis != .included, let have = owned[line.listing.id], have > 0 else { continue }
            let reused = min(have, line.quantity)
            owned[line.listing.id] = have - reused
            var listing = line.listing
            listing.priceUSD = 0
            listing.priceBasis = .owned
            listing.priceNote = "owned (existing.items)"
            lines[key + "/owned"] = BOMLine(category: line.category, listing: listing, quantity: reused, unitPowerWatts: line.unitPowerWatts)
            line.quantity -= reused
            lines[key] = line.quantity > 0 ? line : nil
        }
        func rank(_ line: BOMLine) -> Int { line.listing.priceBasis == .included ? 1 : line.listing.priceBasis == .owned ? 2 : 0 }
        return lines.values.sorted { ($0.category, $0.listing.id, rank($0)) < ($1.category, $1.listing.id, rank($1)) }
    }

    var deployments: [(group: Int, replicas: Int)] {
        formulation.groups.indices.compactMap { g in
            let replicas = integer(formulation.replicasExpression(group: g))
            return replicas > 0 ? (g, replicas) : nil
        }
    }

    var racks: Int { formulation.racks.reduce(0) { $0 + integer($1) } }
    var peakWallWatts: Double { formulation.peakWallWatts.evaluate(values) }

    /// Expected average draw at the wall while serving, from the build alone (the same figure
    /// whatever the objective; a TCO model's ``PlanFormulation/averageWallWatts`` equals it at its optimum):
    /// each group's ``PlanFormulation/averageDrawExpression(group:load:)`` ÷ its chosen PSU's
    /// efficiency, the stated load spread where it draws least (groups by ascending watts per unit of
    /// load, each filled to its capacity), plus switches and the cooling units' fans and pumps.
    var averageWallWatts: Double {
        typealias Used = (g: Int, efficiency: Double, perLoad: Double, capacity: Double)
        var used: [Used] = []
        for g in formulation.groups.indices where integer(formulation.serversExpression(group: g)) > 0 {
            let efficiency = picked(group: g, family: .power).map { PlanFormulation.efficiency(of: $0, fallback: formulation.psuEfficiency) } ?? formulation.psuEfficiency
            let perLoad = EnergyModel.activeWattsPerLoad(formulation.groups[g].candidate, outputTokens: formulation.problem.requirements.energy.outputTokens)
            let capacity = Double(integer(formulation.replicasExpression(group: g))) * formulation.groups[g].candidate.capacityPerReplica
            used.append((g, efficiency, perLoad, capacity))
        }
        var left = formulation.problem.requirements.energy.load ?? .infinity
        var watts = 0.0
        let whole = values.map { $0.rounded() }
        for item in used.sorted(by: { ($0.perLoad / $0.efficiency, $0.g) < ($1.perLoad / $1.efficiency, $1.g) }) {
            let load = min(item.capacity, max(left, 0))
            left -= load
            watts += formulation.averageDrawExpression(group: item.g, load: LinearExpression(constant: load)).evaluate(whole) / item.efficiency
        }
        for x in formulation.switches.indices {
            watts += formulation.switches[x].powerWatts * Double(integer(formulation.leaf[x]) + integer(formulation.spine[x]))
        }
        return watts + formulation.coolingWatts.evaluate(values)
    }
    var rackUnits: Int {
        serverConfigurations.reduce(0) { $0 + $1.configuration.count * formulation.groups[$1.group].server.rackUnits }
            + formulation.switches.indices.reduce(0) { $0 + formulation.switches[$1].rackUnits * (integer(formulation.leaf[$1]) + integer(formulation.spine[$1])) }
    }
}
