extension PlanCheck {
    /// The facility: peak draw at the wall as reported; in an office, no racks, PDUs or room cooling
    /// and each machine within one socket; in a datacenter, one rack, cooling and PDU model, room and
    /// power for every server and switch, placed rack by rack (``PlanChecker/placeFirstFit(_:racks:rackUnits:limitWatts:outlets:)``),
    /// PDUs for each rack's load and cords, and cooling for the heat.
    mutating func checkFacility() {
        let rackLines = plan.bom.compactMap { line in problem.racks.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        let coolingLines = plan.bom.compactMap { line in problem.cooling.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        let pduLines = plan.bom.compactMap { line in problem.pdus.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        let coolingWatts = coolingLines.reduce(0.0) { $0 + Double($1.1) * $1.0.powerWatts }
        let wallWatts = serverLoadWatts / minimumEfficiency + switchWatts + cableWatts + coolingWatts
        let wallKW = wallWatts / 1000
        if !same(wallWatts, plan.totals.peakPowerWatts, absolute: 0.5) {
            fail("peak_power_reported", "totals say \(n(plan.totals.peakPowerWatts)) W peak at the wall; the parts draw \(n(wallWatts)) W")
        }
        if requirements.site == .office {
            // An office: no racks, PDUs or room cooling; each machine within one wall socket.
            let pduIDs = Set(problem.pdus.map(\.id))
            let facility = plan.bom.filter { line in [.rack, .cooling].contains(line.category) || pduIDs.contains(line.listing.id) }
            if !facility.isEmpty { fail("office_facility", "an office plan buys \(facility.map(\.listing.id).sorted().joined(separator: ", "))") }
            if plan.totals.racks != 0 { fail("totals_racks", "totals say \(plan.totals.racks) racks in an office") }
            for (server, _, wall, _) in usedServers {
                if !server.sites.contains(.office) { fail("office_chassis", "\(server.id) is not a chassis for an office") }
                if !atLeast(requirements.socketWatts, wall) {
                    fail("socket_power", "\(server.id) draws \(n(wall)) W at the wall; one socket carries \(n(requirements.socketWatts)) W")
                }
            }
        } else {
            let racks = rackLines.reduce(0) { $0 + $1.1 }
            if plan.totals.racks != racks { fail("totals_racks", "totals say \(plan.totals.racks) racks; the BOM buys \(racks)") }
            if rackLines.count != 1 { fail("rack_design", "\(rackLines.count) rack models in the BOM; a plan uses one") }
            if coolingLines.count != 1 { fail("cooling_option", "\(coolingLines.count) cooling options in the BOM; a plan uses one") }
            if pduLines.count != 1 { fail("pdu_model", "\(pduLines.count) PDU models in the BOM; a plan uses one") }
            if let (rack, _) = rackLines.first, let (cooling, units) = coolingLines.first {
                let limitKW = min(rack.maxPowerKW, cooling.maxKWPerRack, requirements.rackPowerLimitKW ?? .infinity)
                if !requirements.coolingMethods.contains(cooling.coolingMethod) {
                    fail("cooling_method", "\(cooling.id) (\(cooling.coolingMethod.rawValue)) is not an allowed cooling method")
                }
                for (server, _, _, _) in usedServers where !server.cooling.contains(cooling.coolingMethod) {
                    fail("chassis_cooling", "\(server.id) does not support \(cooling.coolingMethod.rawValue) cooling")
                }
                if racks * rack.rackUnits < rackUnits {
                    fail("rack_space", "\(racks) × \(rack.rackUnits) U < \(rackUnits) U of servers and switches")
                }
                let rackedKW = (serverLoadWatts / minimumEfficiency + switchWatts) / 1000
                if !atLeast(Double(racks) * limitKW, rackedKW) {
                    fail("rack_power", "\(racks) racks × \(n(limitKW)) kW < \(n(rackedKW)) kW of servers and switches at the wall")
                }
                // Rack by rack: every server and switch placed (first fit, heaviest first) in a rack
                // with room, power (≤ the rack limit and its PDUs) and PDU outlets for its cords.
                var items: [(label: String, rackUnits: Int, watts: Double, cords: Int)] = []
                for (server, count, wall, cords) in usedServers {
                    items += Array(repeating: (server.id, server.rackUnits, wall, cords), count: max(count, 0))
                }
                for (item, quantity) in switchLines {
                    items += Array(repeating: (item.id, item.rackUnits, item.powerWatts, 1), count: max(quantity, 0))
                }
                items.sort { ($0.watts, $0.rackUnits, $0.label) > ($1.watts, $1.rackUnits, $1.label) }
                // With q PDUs in a rack (1 … as many as its feed can use), a rack carries at most
                // min(limit, q · PDU kW) and q · outlets cords; the plan is placeable when some q packs
                // every item and the racks' PDUs, counted rack by rack, are no more than it buys.
                let pdu = pduLines.first
                let most = pdu.map { max(Int((limitKW / $0.0.capacityKW - 1e-9).rounded(.up)), 1) } ?? 1
                var layout: (racks: [(rackUnits: Int, watts: Double, cords: Int)], unplaced: Int?)?
                var fewestPDUs = Int.max
                for q in 1...most {
                    let capKW = pdu.map { min(limitKW, Double(q) * $0.0.capacityKW) } ?? limitKW
                    let attempt = PlanChecker.placeFirstFit(
                        items.map { ($0.rackUnits, $0.watts, $0.cords) }, racks: racks, rackUnits: rack.rackUnits,
                        limitWatts: capKW * 1000 * (1 + tolerance), outlets: pdu.map { q * $0.0.outlets } ?? .max
                    )
                    if layout == nil || (layout?.unplaced != nil && attempt.unplaced == nil) { layout = attempt }
                    guard attempt.unplaced == nil, let (model, _) = pdu else { continue }
                    // Each rack needs PDUs for its load and for its cords.
                    let needed = attempt.racks.reduce(0) { total, rack in
                        guard rack.watts > 0 || rack.cords > 0 else { return total }
                        let forPower = Int((rack.watts / 1000 / model.capacityKW - tolerance).rounded(.up))
                        let forCords = Int((Double(rack.cords) / Double(max(model.outlets, 1))).rounded(.up))
                        return total + max(forPower, forCords, 1)
                    }
                    if needed < fewestPDUs {
                        fewestPDUs = needed
                        layout = attempt
                    }
                }
                let placed = layout ?? (racks: [], unplaced: items.isEmpty ? nil : 0)
                if let unplaced = placed.unplaced {
                    let item = items[unplaced]
                    fail("rack_placement", "\(item.label) (\(item.rackUnits) U, \(n(item.watts)) W, \(item.cords) cords) finds no room in \(racks) × \(rack.id) at \(n(limitKW)) kW")
                } else if let (model, count) = pdu, count < fewestPDUs {
                    fail("pdu_per_rack", "\(count) × \(model.id) for racks that need \(fewestPDUs) (each rack's load and cords)")
                }
                if cooling.isPerRack {
                    let needed = placed.racks.reduce(0) { total, rack in
                        rack.watts > 0 ? total + max(Int((rack.watts / 1000 / cooling.capacityKW - tolerance).rounded(.up)), 1) : total
                    }
                    if units < needed { fail("cooling_per_rack", "\(units) × \(cooling.id) for racks that need \(needed) (one per rack, by its load)") }
                } else if !atLeast(Double(units) * cooling.capacityKW, wallKW) {
                    fail("cooling_capacity", "\(units) × \(n(cooling.capacityKW)) kW of \(cooling.id) < \(n(wallKW)) kW")
                }
            }
        }
    }
}
