extension PlanCheck {
    /// The BOM buys what the servers carry at the catalog's prices; capex is its sum and within the budget.
    mutating func checkBillOfMaterials() {
        var bomQuantities: [String: Int] = [:]
        for line in plan.bom { bomQuantities[line.listing.id, default: 0] += line.quantity }
        for (id, quantity) in expected where quantity > 0 && bomQuantities[id] != quantity {
            fail("bom_quantity", "the servers carry \(quantity) of \(id); the BOM buys \(bomQuantities[id] ?? 0)")
        }
        let catalogPrices = catalogPrices()
        for line in plan.bom {
            if line.listing.priceBasis == .owned {
                let owned = requirements.ownedItems[line.listing.id] ?? 0
                if line.unitPriceUSD != 0 || line.quantity > owned { fail("bom_price", "\(line.listing.id): \(line.quantity) listed as owned, the spec owns \(owned)") }
            } else if line.listing.priceBasis == .included {
                // A part a chassis price includes: at $0, on a chassis that includes it.
                let included = problem.includedParts.values.contains { parts in
                    [parts.dimm?.id, parts.ssd?.id, parts.nic?.id, parts.psu?.id].contains(line.listing.id)
                }
                if line.unitPriceUSD != 0 || !included { fail("bom_price", "\(line.listing.id) listed as included, but no chassis of the plan includes it at $0") }
            } else if let price = catalogPrices[line.listing.id] {
                if !same(price, line.unitPriceUSD) { fail("bom_price", "\(line.listing.id) at $\(n(line.unitPriceUSD)); the catalog says $\(n(price))") }
            } else {
                fail("bom_unknown", "\(line.listing.id) is not in the problem")
            }
        }
        let capex = plan.bom.reduce(0.0) { $0 + $1.extendedPriceUSD }
        if !same(capex, plan.totals.capexUSD) {
            fail("capex", "totals say $\(n(plan.totals.capexUSD)); the BOM adds up to $\(n(capex))")
        }
        if let budget = requirements.budgetUSD, capex > budget + 0.01 {
            fail("budget", "capex $\(n(capex)) > budget $\(n(budget))")
        }
    }

    func catalogPrices() -> [String: Double] {
        var prices: [String: Double] = [:]
        func add(_ listings: [Listing]) { for listing in listings where prices[listing.id] == nil { prices[listing.id] = listing.priceUSD } }
        add(problem.candidates.map(\.gpu.listing))
        add(problem.servers.map(\.listing))
        add(problem.dimms.map(\.listing))
        add(problem.ssds.map(\.listing))
        add(problem.nics.map(\.listing))
        add(problem.switches.map(\.listing))
        add(problem.cables.map(\.listing))
        add(problem.psus.map(\.listing))
        add(problem.pdus.map(\.listing))
        add(problem.cooling.map(\.listing))
        add(problem.racks.map(\.listing))
        return prices
    }
}
