import LinearModel

/// A way to house servers: a rack model, a cooling option, and the rack PDUs every rack gets
/// (`pdusPerRack` of one PDU model). One rack may carry the least of the rack's feed, the cooling's
/// kW per rack, the spec's rack power limit and its PDUs' capacity, and may plug in as many cords
/// as its PDUs have outlets.
struct RackDesign: Sendable {
    let rack: Rack
    let cooling: CoolingOption
    let pdu: PDU
    let pdusPerRack: Int
    let powerLimitKW: Double

    var key: String { "\(rack.id),\(cooling.id),\(pdu.id)*\(pdusPerRack)" }
    var outlets: Int { pdusPerRack * pdu.outlets }

    /// Items of one kind (rack units, peak wall watts, power cords each) one rack holds: limited
    /// by space, by power and by PDU outlets.
    func perRack(rackUnits: Int, peakWatts: Double, cords: Int) -> Int {
        guard rackUnits > 0, peakWatts > 0 else { return 0 }
        return min(rack.rackUnits / rackUnits, Int((powerLimitKW * 1000 / peakWatts).rounded(.down)), outlets / max(cords, 1))
    }

    /// Whether a rack of this design can hold a server of `chassis`: the chassis takes the design's
    /// cooling method and at least one such server fits (space, `peakWallWatts`, `cords` outlets).
    func holds(_ chassis: Server, peakWallWatts: Double, cords: Int) -> Bool {
        chassis.cooling.contains(cooling.coolingMethod) && perRack(rackUnits: chassis.rackUnits, peakWatts: peakWallWatts, cords: cords) > 0
    }

    /// Every rack × allowed cooling × PDU configuration. For each rack and cooling, a PDU model
    /// is offered 1 … ⌈feed / PDU kW⌉ per rack (more adds nothing the feed can use); a
    /// configuration another beats (no dearer, at least its usable kW and outlets) is dropped.
    static func all(racks: [Rack], cooling: [CoolingOption], pdus: [PDU], methods: [CoolingMethod], limitKW: Double?) -> [RackDesign] {
        var designs: [RackDesign] = []
        for rack in racks {
            for option in cooling where methods.contains(option.coolingMethod) {
                let feedKW = min(rack.maxPowerKW, option.maxKWPerRack, limitKW ?? .infinity)
                guard feedKW > 0 else { continue }
                var configurations: [(pdu: PDU, count: Int, kW: Double, priceUSD: Double)] = []
                for pdu in pdus where pdu.capacityKW > 0 && pdu.outlets > 0 {
                    let most = min(Int((feedKW / pdu.capacityKW - 1e-9).rounded(.up)), 8)
                    for count in 1...max(most, 1) {
                        configurations.append((pdu, count, min(Double(count) * pdu.capacityKW, feedKW), Double(count) * pdu.listing.priceUSD))
                    }
                }
                configurations.sort { ($0.priceUSD, -$0.kW, -$0.count * $0.pdu.outlets, $0.pdu.id) < ($1.priceUSD, -$1.kW, -$1.count * $1.pdu.outlets, $1.pdu.id) }
                var kept: [(pdu: PDU, count: Int, kW: Double, priceUSD: Double)] = []
                for c in configurations where !kept.contains(where: { $0.priceUSD <= c.priceUSD && $0.kW >= c.kW && $0.count * $0.pdu.outlets >= c.count * c.pdu.outlets }) {
                    kept.append(c)
                }
                designs += kept.map { RackDesign(rack: rack, cooling: option, pdu: $0.pdu, pdusPerRack: $0.count, powerLimitKW: $0.kW) }
            }
        }
        return designs.sorted { $0.key < $1.key }
    }
}

extension RackDesign {
    /// What one rack of the design costs beyond the servers in it: the rack, its PDUs and, for
    /// cooling bought per rack, its ⌈limitKW / capacityKW⌉ units (air is bought by kW whatever the design).
    var perRackPriceUSD: Double {
        rack.listing.priceUSD + Double(pdusPerRack) * pdu.listing.priceUSD + Double(coolingUnitsPerRack) * cooling.listing.priceUSD
    }

    /// Cooling units one rack needs when they are bought per rack (0 for air).
    var coolingUnitsPerRack: Int {
        guard cooling.isPerRack else { return 0 }
        return max(1, Int((powerLimitKW / max(cooling.capacityKW, 1e-9) - 1e-9).rounded(.up)))
    }

    /// The designs no other design beats for these servers. Design e beats d when both use the same
    /// cooling option, a rack of e costs no more (``perRackPriceUSD``) and its cooling units draw no
    /// more, and for every kind of server (rack units, peak wall watts, cords, partial servers) each
    /// kind of rack of d — full, shared, full with a partial server — is matched by a kind of rack
    /// of e holding at least as many servers (a partial one where d's holds it, or a full server's
    /// place) with at least as many switch slots, and a switch-only rack of e holds as many
    /// switches. A plan using d then uses e with the same racks for no more capex, energy or power,
    /// so dropping d loses no optimum (ties keep the design with the smaller key). `servers` lists
    /// each server group's (rack units, wall watts, cords, partial servers) at every peak it can draw.
    static func undominated(
        _ designs: [RackDesign], servers: [(rackUnits: Int, watts: Double, cords: Int, partials: [Facility.PartialServer])],
        slot: (rackUnits: Int, watts: Double), hasSwitches: Bool
    ) -> [RackDesign] {
        let patterns = designs.map { design in
            servers.map { Facility.pattern(design, rackUnits: $0.rackUnits, watts: $0.watts, cords: $0.cords, slot: slot, partials: $0.partials) }
        }
        let switchOnly = designs.map { hasSwitches ? $0.perRack(rackUnits: slot.rackUnits, peakWatts: max(slot.watts, 1e-9), cords: 1) : 0 }
        /// A pattern's kinds of rack: (servers, switch slots, the partial server's replicas or nil).
        func kinds(_ p: Facility.Pattern) -> [(servers: Int, free: Int, partial: Int?)] {
            [(p.full, p.fullFree, nil)] + (p.shared.map { [($0, p.sharedFree, nil)] } ?? [])
                + p.mixed.map { (p.full + 1, $0.free, $0.replicas) }
        }
        func covers(_ e: Facility.Pattern?, _ d: Facility.Pattern?) -> Bool {
            guard let d else { return true }
            guard let e else { return false }
            let offered = kinds(e)
            return kinds(d).allSatisfy { need in
                offered.contains { $0.servers >= need.servers && $0.free >= need.free && ($0.partial == nil || $0.partial == need.partial) }
            }
        }
        func beats(_ e: Int, _ d: Int) -> Bool {
            let a = designs[e], b = designs[d]
            return a.cooling.id == b.cooling.id && a.perRackPriceUSD <= b.perRackPriceUSD
                && Double(a.coolingUnitsPerRack) * a.cooling.powerWatts <= Double(b.coolingUnitsPerRack) * b.cooling.powerWatts
                && switchOnly[e] >= switchOnly[d]
                && zip(patterns[e], patterns[d]).allSatisfy { covers($0, $1) }
        }
        let kept = designs.indices.filter { d in
            !designs.indices.contains { e in
                e != d && beats(e, d) && (!beats(d, e) || designs[e].key < designs[d].key)
            }
        }
        return kept.map { designs[$0] }
    }
}

extension CoolingOption {
    /// Whether units are bought one (or more) per rack — a rear-door heat exchanger or an in-rack
    /// CDU serves the rack it hangs on — rather than by kW across the room (air).
    var isPerRack: Bool { method != .air }
}

/// Racks, cooling and rack power distribution, placed rack by rack.
enum Facility {
    /// The figures one switch takes in a rack, for any switch of the plan: the most rack units and
    /// watts of the catalog's switches, and one power cord.
    static func switchSlot(_ switches: [NetworkSwitch]) -> (rackUnits: Int, watts: Double) {
        (switches.map(\.rackUnits).max() ?? 1, switches.map(\.powerWatts).max() ?? 0)
    }

    /// Each group's servers sit in racks of their own, so a plan is placeable rack by rack. A full
    /// server of group g draws one of the peaks P_g[j] (``PlanFormulation/serverWallPeaks``, by the
    /// parts picked); for each design d the rack patterns at those peaks merge into levels ℓ (one
    /// per distinct pattern, ``levels(_:rackUnits:wallPeaks:cords:slot:partialsBelow:)``):
    /// `z[g,d,ℓ]` racks holding k servers each (space, power at the level's peak, outlets for its
    /// PSUs) and f switch slots left; when a full rack leaves no slot, also `w[g,d,ℓ]` racks holding
    /// k' < k servers (the most that leave one) and f' slots; `y[g,d,ℓ,m]` (binary) a full rack that
    /// also holds the group's partial server of m replicas when it fits beside them, f'' slots left;
    /// and `zs[d]` racks of switches alone (S_d slots each). A switch slot is the catalog's largest,
    /// heaviest switch with one cord. A level below the heaviest peak is allowed by
    /// `peak_at_most[g,j]` (``addPeakLimits(group:to:formulation:)``). Sums over ℓ are implied in
    /// z, w, y below. With `design[d]` the binary choice of design d (one per plan), W the plan's
    /// peak wall power:
    ///
    ///     rack_design:           Σ_d design[d] = 1
    ///     rack_count[d]:         racks[d] ≤ R · design[d]
    ///     rack_group[g,d]:       Σ_ℓ (k · z + k' · w + Σ_m (k + 1) · y) ≥ servers[g] − U_g · (1 − design[d])   (some level)
    ///     rack_group_design[g,d]: Σ_ℓ (z + w + Σ_m y) ≤ U_g · design[d]
    ///     peak_racks[g,d,ℓ]:     z + w + Σ_m y ≤ U_g · peak_at_most[g,j(ℓ)]      (ℓ below the heaviest peak)
    ///     rack_with_partial[g,m]: Σ_{d,ℓ} y[g,d,ℓ,m] ≤ partial[g,m]  (and each y ≤ partial[g,m])
    ///     rack_fit[g,d]:         servers[g] ≤ U_g · (1 − design[d])            (no level)
    ///     rack_switches[d]:      Σ_g Σ_ℓ (f · z + f' · w + Σ_m f'' · y) + S_d · zs[d] ≥ Σ_x switches[x] − X · (1 − design[d])
    ///     rack_total[d]:         racks[d] = Σ_g Σ_ℓ (z + w + Σ_m y) + zs[d]
    ///     chassis_cooling[g]:    used[g] ≤ Σ_{d: method(d) ∈ cooling(g)} design[d]
    ///     cooling_capacity[c]:   capacityKW_c · units[c] ≥ W / 1000 − M · (1 − Σ_{d uses c} design[d])   (air, by kW)
    ///     cooling_per_rack[c]:   units[c] ≥ Σ_{d uses c} ⌈limitKW_d / capacityKW_c⌉ · racks[d]           (rear-door, liquid)
    ///     pdu_per_rack[p]:       pdus[p] = Σ_{d uses p} q_d · racks[d]
    ///     cooling_covers_load:   Σ_c capacityKW_c · units[c] ≥ (Σ_g peak[g] / η + Σ_x switchWatts_x) / 1000
    ///     group_rack_room[g]:    Σ_d Σ_ℓ (k · z + k' · w + Σ_m (k + 1) · y) ≥ servers[g]
    ///     group_in_racks[g]:     Σ_d Σ_ℓ (z + w + Σ_m y) ≥ used[g]
    ///
    /// The last three follow from the others, since only the chosen design's z, w may be non-zero,
    /// a used group has a server, and the chosen cooling covers the racked load — by kW, or at
    /// ⌈limitKW_d / capacityKW_c⌉ units per rack whose load is at most limitKW_d. They restate
    /// `rack_group` and `cooling_capacity` without their big-M, so the LP relaxation buys whole
    /// racks and their cooling rather than the fraction `1 − design[d]` leaves; branch-and-bound
    /// then explores several times fewer nodes (docs/optimizer.md).
    ///
    /// Every rack's load is at most its design's limit, which is at most its q_d PDUs' kW.
    static func addConstraints(to formulation: inout PlanFormulation) {
        var model = formulation.model
        defer { formulation.model = model }
        let designs = formulation.rackDesigns
        let groups = formulation.groups
        let wallKW = (1.0 / 1000) * formulation.peakWallWatts
        let maxRacks = Double(formulation.maxRacks)
        let slot = switchSlot(formulation.switches)
        let maxSwitches = Double(formulation.maxLeaves.reduce(0, +) * 2)
        var switches = LinearExpression()
        for x in formulation.switches.indices { switches = switches + (formulation.leaf[x] + formulation.spine[x]) }

        // Σ_d of each group's rack room and racks, for `group_rack_room` and `group_in_racks`.
        var roomOfGroup = Array(repeating: LinearExpression(), count: groups.count)
        var racksOfGroupAnyDesign = roomOfGroup
        // Σ over designs and levels of each group's racks holding its partial server of m replicas.
        var withPartial = Array(repeating: [Int: LinearExpression](), count: groups.count)
        model.addConstraint(LinearExpression.sum(formulation.rackChosen) == 1, name: "rack_design")
        for (d, design) in designs.enumerated() {
            let racks = formulation.racks[d], chosen = formulation.rackChosen[d]
            model.addConstraint(racks - maxRacks * chosen <= 0, name: "rack_count[\(design.key)]")
            var total = LinearExpression()
            var switchRoom = LinearExpression()
            for g in groups.indices {
                let group = groups[g]
                let bound = Double(formulation.maxServers[g])
                guard let packings = formulation.packings[g][d] else {
                    model.addConstraint(formulation.serversExpression(group: g) + bound * chosen <= bound, name: "rack_fit[\(group.key),\(design.key)]")
                    continue
                }
                var held = LinearExpression()
                var racksOfGroup = LinearExpression()
                for packing in packings {
                    let pattern = packing.pattern
                    var racksOfPacking = LinearExpression(packing.racks)
                    held.add(Double(pattern.full), packing.racks)
                    if pattern.fullFree > 0 { switchRoom.add(Double(pattern.fullFree), packing.racks) }
                    if let shared = pattern.shared, let w = packing.sharedRacks {
                        held.add(Double(shared), w)
                        racksOfPacking.add(1, w)
                        switchRoom.add(Double(pattern.sharedFree), w)
                    }
                    let suffix = packing.peakAtMost == nil ? "" : ",peak\(packing.peak)"
                    for (mixed, y) in zip(pattern.mixed, packing.mixedRacks) {
                        held.add(Double(pattern.full + 1), y)
                        racksOfPacking.add(1, y)
                        if mixed.free > 0 { switchRoom.add(Double(mixed.free), y) }
                        withPartial[g][mixed.replicas, default: LinearExpression()].add(1, y)
                        model.addConstraint(
                            y - formulation.partial(group: g, replicas: mixed.replicas) <= 0,
                            name: "rack_with_partial[\(group.key),\(design.key)\(suffix),\(mixed.replicas)]"
                        )
                    }
                    if let limit = packing.peakAtMost {
                        model.addConstraint(racksOfPacking - bound * limit <= 0, name: "peak_racks[\(group.key),\(design.key)\(suffix)]")
                    }
                    racksOfGroup = racksOfGroup + racksOfPacking
                }
                model.addConstraint(
                    held - formulation.serversExpression(group: g) - bound * chosen >= -bound,
                    name: "rack_group[\(group.key),\(design.key)]"
                )
                model.addConstraint(racksOfGroup - bound * chosen <= 0, name: "rack_group_design[\(group.key),\(design.key)]")
                roomOfGroup[g].add(held)
                racksOfGroupAnyDesign[g].add(racksOfGroup)
                total = total + racksOfGroup
            }
            if let own = formulation.switchRacks[d] {
                let perRack = design.perRack(rackUnits: slot.rackUnits, peakWatts: max(slot.watts, 1e-9), cords: 1)
                model.addConstraint(LinearExpression(own) - maxRacks * chosen <= 0, name: "rack_switch_design[\(design.key)]")
                switchRoom.add(Double(perRack), own)
                total.add(1, own)
            }
            if !formulation.switches.isEmpty {
                model.addConstraint(switchRoom - switches - maxSwitches * chosen >= -maxSwitches, name: "rack_switches[\(design.key)]")
            }
            model.addConstraint(total - LinearExpression(racks) == 0, name: "rack_total[\(design.key)]")
        }

        for g in groups.indices {
            let group = groups[g]
            addPeakLimits(group: g, to: &model, formulation: formulation)
            for (m, racks) in withPartial[g].sorted(by: { $0.key < $1.key }) {
                // One partial server: at most one rack holds it, and only when it is bought.
                model.addConstraint(racks - formulation.partial(group: g, replicas: m) <= 0, name: "rack_with_partial[\(group.key),\(m)]")
            }
            model.addConstraint(roomOfGroup[g] - formulation.serversExpression(group: g) >= 0, name: "group_rack_room[\(group.key)]")
            model.addConstraint(racksOfGroupAnyDesign[g] - formulation.used[g] >= 0, name: "group_in_racks[\(group.key)]")
            let compatible = designs.indices.filter { group.server.cooling.contains(designs[$0].cooling.coolingMethod) }
            model.addConstraint(
                formulation.used[g] - LinearExpression.sum(compatible.map { formulation.rackChosen[$0] }) <= 0,
                name: "chassis_cooling[\(group.key)]"
            )
        }
        let bigKW = coolingBigKW(formulation)
        for (c, option) in formulation.coolingOptions.enumerated() {
            let using = designs.indices.filter { designs[$0].cooling.id == option.id }
            if option.isPerRack {
                var units = LinearExpression(formulation.coolingUnits[c])
                for d in using {
                    units.add(-Double(designs[d].coolingUnitsPerRack), formulation.racks[d])
                }
                model.addConstraint(units >= 0, name: "cooling_per_rack[\(option.id)]")
            } else {
                model.addConstraint(
                    option.capacityKW * formulation.coolingUnits[c] - wallKW - bigKW * LinearExpression.sum(using.map { formulation.rackChosen[$0] }) >= -bigKW,
                    name: "cooling_capacity[\(option.id)]"
                )
            }
        }
        let rackedWatts = formulation.rackedWallWatts
        if !formulation.coolingOptions.isEmpty, formulation.coolingOptions.allSatisfy({ $0.capacityKW > 0 }) {
            let capacity = LinearExpression(terms: formulation.coolingOptions.enumerated().map { ($1.capacityKW, formulation.coolingUnits[$0]) })
            model.addConstraint(capacity - (1.0 / 1000) * rackedWatts >= 0, name: "cooling_covers_load")
        }
        for (p, pdu) in formulation.pdus.enumerated() {
            var count = LinearExpression(formulation.pduCount[p])
            for (d, design) in designs.enumerated() where design.pdu.id == pdu.id {
                count.add(-Double(design.pdusPerRack), formulation.racks[d])
            }
            model.addConstraint(count == 0, name: "pdu_per_rack[\(pdu.id)]")
        }
    }

    /// `peak_at_most[g,j] = 1` only when the parts picked for group g draw at most peak_j (DC, the
    /// group's ``ServerGroup/achievablePeakWatts``[j]): for every set S of picks — at most one
    /// option of each part family — whose draw exceeds it and none of whose subsets does,
    ///
    ///     peak_at_most[g,j,S]:   peak_at_most[g,j] + Σ_{o ∈ S} pick[g,o] ≤ |S|      (base + Σ_{o ∈ S} W_o > peak_j)
    ///
    /// so the limit is on only with a build at or below peak_j. Rows of 0/1 coefficients, exact
    /// without a big-M (a big-M form, Σ W_o · pick + (peak_max − peak_j) · limit ≤ peak_max − base,
    /// made GLPK return a plan 46 % dearer than the optimum on one program).
    static func addPeakLimits(group g: Int, to model: inout Model, formulation: PlanFormulation) {
        let group = formulation.groups[g]
        let peaks = group.achievablePeakWatts
        let base = group.basePeakWatts(replicas: group.replicasPerServer)
        let families = group.allOptions.filter { $0.family != .power && !$0.options.isEmpty }
        for (j, limit) in formulation.peakAtMost[g].sorted(by: { $0.key < $1.key }) {
            let threshold = peaks[j] + 1e-6
            // Sets of picks: an option index or nil per family.
            var sets: [[Int?]] = [[]]
            for family in families { sets = sets.flatMap { set in ([nil] + family.options.indices.map(Optional.some)).map { set + [$0] } } }
            func watts(_ set: [Int?]) -> Double {
                zip(families, set).reduce(base) { total, pair in pair.1.map { total + pair.0.options[$0].powerWatts } ?? total }
            }
            var k = 0
            for set in sets where watts(set) > threshold {
                // Minimal: dropping any one pick brings the draw within the peak.
                let minimal = set.indices.allSatisfy { i in
                    guard set[i] != nil else { return true }
                    var smaller = set
                    smaller[i] = nil
                    return watts(smaller) <= threshold
                }
                guard minimal else { continue }
                var row = LinearExpression(limit)
                var size = 0
                for (family, pick) in zip(families, set) {
                    guard let pick else { continue }
                    row.add(1, formulation.picks(group: g, family: family.family)[pick])
                    size += 1
                }
                model.addConstraint(row <= Double(size), name: "peak_at_most[\(group.key),\(j),\(k)]")
                k += 1
            }
        }
    }

    /// The rack patterns of `design` for servers that may draw any of `wallPeaks` (ascending), one
    /// per distinct pattern: each with the index of the heaviest peak it holds. Heavier servers fit
    /// fewer to a rack, so the patterns run from the lightest peak's to the heaviest's; peaks no
    /// rack of the design holds give none. `partialsBelow`: each partial server's replicas and how
    /// many watts it draws below a full server with the same parts.
    static func levels(
        _ design: RackDesign, rackUnits: Int, wallPeaks: [Double], cords: Int, slot: (rackUnits: Int, watts: Double),
        partialsBelow: [PartialServer] = []
    ) -> [(pattern: Pattern, peak: Int)] {
        var levels: [(pattern: Pattern, peak: Int)] = []
        for (j, watts) in wallPeaks.enumerated() {
            let partials = partialsBelow.map { (replicas: $0.replicas, watts: watts - $0.watts) }
            guard let pattern = pattern(design, rackUnits: rackUnits, watts: watts, cords: cords, slot: slot, partials: partials) else { break }
            if let last = levels.last, last.pattern == pattern {
                levels[levels.count - 1].peak = j
            } else {
                levels.append((pattern, j))
            }
        }
        return levels
    }

    /// M of `cooling_capacity[c]`, kW: at least W / 1000, the plan's peak wall kW, in every plan that
    /// buys no more cables and cooling units than its rows ask for (an optimal plan: an extra unit
    /// only adds price or power), so that the row, capacityKW_c · units[c] ≥ W / 1000 − M, holds
    /// whatever `units[c]` when c's designs are not chosen. W is the sum of (``PlanFormulation/peakWallWatts``):
    ///
    ///     servers  ≤ Σ_g U_g · heaviest wall W_g + margin           (``PlanFormulation/maxPeakWallWatts``)
    ///     switches ≤ Σ_x 2 · L_x · watts_x                           (leaf[x], spine[x] ≤ L_x)
    ///     cables   ≤ max_k watts_k · (P + Σ_x ports_x / 2 · L_x)     (`cables[k]` at equality: NIC ports ≤ P, uplinks)
    ///     per-rack ≤ max_d units_d · watts_{c(d)} · R                (`cooling_per_rack` at equality, racks ≤ R, one design)
    ///     air fans ≤ B · f + max_a watts_a,  f = max_a watts_a / (1000 · capacityKW_a − watts_a)
    ///
    /// with P = Σ_g U_g · (most NIC ports of g's options), R = ``PlanFormulation/maxRacks`` and B the
    /// rest of the load: air units of a kW drawing w W cover B kW and their own fans with
    /// ⌈B / (a − w / 1000)⌉ units, whose fans draw at most B · w / (1000 a − w) + w / 1000 kW. So
    /// M = (servers + switches + cables + per-rack) / 1000 · (1 + f) + max_a watts_a / 1000.
    /// A larger M is as valid and only loosens the LP relaxation.
    static func coolingBigKW(_ formulation: PlanFormulation) -> Double {
        let f = formulation
        let serversW = f.maxPeakWallWatts
        let switchesW = f.switches.indices.reduce(0.0) { $0 + Double(2 * f.maxLeaves[$1]) * f.switches[$1].powerWatts }
        let nicPorts = f.groups.indices.reduce(0) { $0 + f.maxServers[$1] * (f.groups[$1].networkOptions.map(\.networkPorts).max() ?? 0) }
        let uplinks = f.switches.indices.reduce(0.0) { $0 + Double(f.switches[$1].ports) / 2 * Double(f.maxLeaves[$1]) }
        let cablesW = (f.cableItem.values.map(\.powerWatts).max() ?? 0) * (Double(nicPorts) + uplinks)
        let perRackW = (f.rackDesigns.map { Double($0.coolingUnitsPerRack) * $0.cooling.powerWatts }.max() ?? 0) * Double(f.maxRacks)
        let air = f.coolingOptions.filter { !$0.isPerRack }
        let fanShare = air.filter { $0.capacityKW * 1000 > $0.powerWatts }
            .map { $0.powerWatts / ($0.capacityKW * 1000 - $0.powerWatts) }.max() ?? 0
        let oneAirUnitW = air.map(\.powerWatts).max() ?? 0
        return (serversW + switchesW + cablesW + perRackW) / 1000 * (1 + fanShare) + oneAirUnitW / 1000
    }

    /// How a rack of `design` holds servers of a kind: `full` servers leaving `fullFree` switch
    /// slots; and, when that leaves none, `shared` servers (the most that leave one) with
    /// `sharedFree` slots; and `mixed`, for each partial server that still fits beside a full rack's
    /// servers (it draws less than a full one), that rack of `full` + 1 servers. `nil` when no
    /// server fits.
    struct Pattern: Equatable {
        var full: Int
        var fullFree: Int
        var shared: Int?
        var sharedFree: Int
        var mixed: [Mixed] = []
    }

    /// A full rack's `full` servers and one partial server holding `replicas` replicas, leaving
    /// `free` switch slots.
    struct Mixed: Equatable {
        var replicas: Int
        var free: Int
    }

    /// A partial server of a kind: the replicas it holds and its wall draw at peak.
    typealias PartialServer = (replicas: Int, watts: Double)

    static func pattern(
        _ design: RackDesign, rackUnits: Int, watts: Double, cords: Int, slot: (rackUnits: Int, watts: Double),
        partials: [PartialServer] = []
    ) -> Pattern? {
        let full = design.perRack(rackUnits: rackUnits, peakWatts: watts, cords: cords)
        guard full > 0 else { return nil }
        func free(_ servers: Int, extraWatts: Double = 0, extraServer: Bool = false) -> Int {
            freeSwitchSlots(
                design, rackUnits: (servers + (extraServer ? 1 : 0)) * rackUnits, watts: Double(servers) * watts + extraWatts,
                cords: (servers + (extraServer ? 1 : 0)) * cords, slot: slot
            )
        }
        var result = Pattern(full: full, fullFree: free(full), shared: nil, sharedFree: 0)
        if result.fullFree == 0, let shared = (1..<full).reversed().first(where: { free($0) > 0 }) {
            result.shared = shared
            result.sharedFree = free(shared)
        }
        for partial in partials where fits(design, rackUnits: (full + 1) * rackUnits, watts: Double(full) * watts + partial.watts, cords: (full + 1) * cords) {
            result.mixed.append(Mixed(replicas: partial.replicas, free: free(full, extraWatts: partial.watts, extraServer: true)))
        }
        return result
    }

    /// Whether a rack of `design` has room, power and outlets for this much.
    static func fits(_ design: RackDesign, rackUnits: Int, watts: Double, cords: Int) -> Bool {
        rackUnits <= design.rack.rackUnits && watts <= design.powerLimitKW * 1000 && cords <= design.outlets
    }

    /// Switch slots a rack of `design` still has beside servers taking `rackUnits`, `watts` and
    /// `cords`: what its space, power and outlets leave, in units of the largest, heaviest switch.
    static func freeSwitchSlots(
        _ design: RackDesign, rackUnits: Int, watts: Double, cords: Int, slot: (rackUnits: Int, watts: Double)
    ) -> Int {
        let space = (design.rack.rackUnits - rackUnits) / max(slot.rackUnits, 1)
        let spareWatts = design.powerLimitKW * 1000 - watts
        let power = slot.watts > 0 ? Int((spareWatts / slot.watts + 1e-9).rounded(.down)) : Int.max
        let outlets = design.outlets - cords
        return max(0, min(space, power, outlets))
    }
}
