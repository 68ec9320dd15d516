import LinearModel

/// Racks, switches and parts the team owns (`existing.items`): the plan uses them first and buys
/// only beyond them. They draw power and take space like bought ones (every power and space row
/// counts what is used); only capex changes.
enum OwnedItems {
    /// For each owned id with o units and used(id) the units the plan uses (GPUs of that type,
    /// DIMMs/SSDs/NICs/PSUs in the servers' configurations, switches, cables, racks, cooling units,
    /// PDUs):
    ///
    ///     owned_bought[id]:  bought[id] ≥ used(id) − o,  bought[id] ≥ 0
    ///
    /// and capex counts price(id) · bought[id] instead of price(id) · used(id) (``capexCredit(_:)``).
    static func addConstraints(to f: inout PlanFormulation) {
        for (id, owned) in f.problem.requirements.ownedItems.sorted(by: { $0.key < $1.key }) {
            guard let used = usedExpression(f, id: id) else { continue }
            let bought = f.model.addVariable("owned_bought[\(id)]", kind: .integer, lowerBound: 0)
            f.ownedBought[id] = (bought, used)
            f.model.addConstraint(LinearExpression(bought) - used >= -Double(owned), name: "owned_bought[\(id)]")
        }
    }

    /// Σ_id price(id) · (bought[id] − used(id)): added to capex, it charges only what is bought.
    static func capexCredit(_ f: PlanFormulation) -> LinearExpression {
        var credit = LinearExpression()
        for (id, entry) in f.ownedBought.sorted(by: { $0.key < $1.key }) {
            let price = price(f, id: id)
            credit.add(price, entry.bought)
            credit.add(entry.used, times: -price)
        }
        return credit
    }

    /// Units of `id` the plan uses, as an expression in the program's variables; nil when the
    /// problem holds no entry with that id.
    static func usedExpression(_ f: PlanFormulation, id: String) -> LinearExpression? {
        var used = LinearExpression()
        var found = false
        for g in f.groups.indices {
            let group = f.groups[g]
            if group.gpu.id == id { used.add(f.gpusExpression(group: g)); found = true }
            for (family, options) in group.allOptions {
                for (o, option) in options.enumerated() {
                    let units: Int? = switch option {
                    case let .memory(dimm, count): dimm.id == id && dimm.listing.priceBasis != .included ? count : nil
                    case let .storage(array): array.ssd.id == id && array.ssd.listing.priceBasis != .included ? array.count : nil
                    case let .network(nic, count): nic.id == id && nic.listing.priceBasis != .included ? count : nil
                    case let .power(psu, count, _): psu.id == id && psu.listing.priceBasis != .included ? count : nil
                    }
                    if let units { used.add(Double(units), f.counts(group: g, family: family)[o]); found = true }
                }
            }
        }
        for x in f.switches.indices where f.switches[x].id == id { used.add(f.leaf[x] + f.spine[x]); found = true }
        for (fabricClass, cable) in f.cableItem.sorted(by: { $0.key < $1.key }) where cable.id == id { used.add(1, f.cableVariable[fabricClass]!); found = true }
        for (d, design) in f.rackDesigns.enumerated() where design.rack.id == id { used.add(1, f.racks[d]); found = true }
        for (c, option) in f.coolingOptions.enumerated() where option.id == id { used.add(1, f.coolingUnits[c]); found = true }
        for (p, pdu) in f.pdus.enumerated() where pdu.id == id { used.add(1, f.pduCount[p]); found = true }
        return found ? used : nil
    }

    /// The catalog price of `id` as the problem holds it.
    static func price(_ f: PlanFormulation, id: String) -> Double {
        let p = f.problem
        let listings: [Listing] = p.candidates.map(\.gpu.listing) + p.dimms.map(\.listing) + p.ssds.map(\.listing) + p.nics.map(\.listing)
            + p.psus.map(\.listing) + p.switches.map(\.listing) + p.cables.map(\.listing) + p.racks.map(\.listing)
            + p.cooling.map(\.listing) + p.pdus.map(\.listing)
        return listings.first { $0.id == id }?.priceUSD ?? 0
    }
}
