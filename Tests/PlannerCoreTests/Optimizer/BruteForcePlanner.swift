import Foundation
@testable import PlannerCore

/// An independent exhaustive planner for small problems, written from docs/optimizer.md and
/// docs/spec.md alone (it shares no code with the MILP formulation; only the RAID rules table, a
/// domain rule of the input types). The defaults by chassis class — PSU redundancy and DIMM counts
/// (docs/spec.md "Defaults by chassis class") — and the watts a PSU set delivers under each
/// redundancy are restated here from the docs, not taken from `ChassisClass` or `PSURedundancy`,
/// so the comparison fails when production applies them wrongly.
///
/// It enumerates every build: for each GPU type (GPU types are not mixed), a replica count per
/// (chassis, candidate) group — which fixes its full servers and its partial server — then each
/// group's DIMM configuration, SSD array, NIC configuration (in a cluster) and the cheapest PSU
/// configuration that carries its servers, the fabric class, and the rack design. Switches, cables,
/// wall power, racks, cooling units and PDUs follow in closed form. The cheapest feasible capex wins.
///
/// Pruning is by exact arguments only: a part option is dropped when another of the same family
/// costs no more, draws no more (and, for NICs, uses no more switch ports), since everything else
/// in the plan only gets cheaper with less power and fewer ports; replica counts are bounded
/// because removing a replica never breaks a constraint other than demand and the pins; and whole
/// skeletons are skipped when a lower bound on their capex already exceeds the best found.
struct BruteForcePlanner {
    let problem: PlanningProblem
    /// Reproduces the MILP presolve's NIC pruning (dominance on price, power and Gb/s, ignoring the
    /// switch ports a configuration uses), to classify disagreements caused by it. Off for the
    /// real referee answer.
    var pruneNICsOnBandwidthOnly = false

    struct Build: CustomStringConvertible {
        var capex: Double
        var detail: String
        var description: String { String(format: "$%.2f: ", capex) + detail }
    }

    private struct FabricKey: Hashable { var fabric: Fabric; var speed: Double }

    /// A per-server part choice reduced to what the rest of the plan sees.
    private struct PartChoice { var price: Double; var watts: Double; var ports: Int; var label: String }

    private struct Group {
        var server: Server
        var candidate: ServingCandidate
        var replicasPerServer: Int
        var memory: [(gib: Double, choice: PartChoice)]
        var storage: [PartChoice]
        var network: [FabricKey: [PartChoice]]
        var psus: [(usable: Double, price: Double, label: String)]
        /// Wall draw of the group's heaviest server (full, heaviest surviving option of each family).
        var minimumPartsPrice: Double

        var tp: Int { candidate.tensorParallel }
        var gpu: GPU { candidate.gpu }
        func basePeak(replicas: Int) -> Double { server.powerWatts + Double(replicas * tp) * gpu.powerWatts }
    }

    /// A rack, a cooling option and `pdus` rack PDUs in every rack: the rack's limit is the least of
    /// its feed, the cooling's kW per rack, the spec's limit and its PDUs' kW; its outlets are theirs.
    private struct Design { var rack: Rack; var cooling: CoolingOption; var pdus: Int; var limitKW: Double; var outlets: Int }

    /// docs/spec.md "Defaults by chassis class": a chassis is desk-side when its catalog `sites`
    /// include `office`, else a rack server.
    private static func isDeskSide(_ server: Server) -> Bool { server.sites.contains(.office) }

    /// The same table, "PSU redundancy" row, when the spec leaves `psu_redundancy` out: `none` for
    /// a desk-side workstation and for a one-bay chassis of any class, `n+1` for a rack server.
    private static func defaultRedundancy(_ server: Server) -> PSURedundancy {
        isDeskSide(server) || server.psuBays == 1 ? .none : .nPlusOne
    }

    /// The same table, "DIMMs per server" row (no `pin.dimms_per_server` in these problems): a rack
    /// server one or two on every channel (c or 2c); a desk-side workstation in pairs on as many
    /// channels as needed (2, 4, … ≤ c) or 2c. The caller keeps those within the slots. (For an odd
    /// c the spec's list leaves c out where `ChassisClass.dimmCounts` keeps it; no catalog tower has
    /// an odd channel count and the generator draws 2, 4 or 8.)
    private static func dimmCounts(_ server: Server) -> [Int] {
        let c = server.memoryChannels
        let counts = isDeskSide(server) ? Array(stride(from: 2, through: c, by: 2)) + [2 * c] : [c, 2 * c]
        return Array(Set(counts.filter { $0 >= 1 })).sorted()
    }

    /// docs/optimizer.md `psu_capacity`: n supplies of P watts deliver n·P with no redundancy,
    /// (n − 1)·P at n+1, and n/2·P at 2n when n is even (nothing when odd).
    private static func usableWatts(_ redundancy: PSURedundancy, count n: Int, watts p: Double) -> Double {
        switch redundancy {
        case .none: Double(n) * p
        case .nPlusOne: Double(n - 1) * p
        case .twoN: n % 2 == 0 ? Double(n / 2) * p : 0
        }
    }

    private var efficiency: Double { problem.psus.map(\.efficiency).filter { $0 > 0 && $0 <= 1 }.min() ?? 0.9 }

    private func needGiB(_ group: Group, replicas: Int) -> Double {
        let rule = problem.requirements.hostMemory
        let gpus = replicas * group.tp
        return max(gpus <= 1 ? rule.singleGPUFloorGiB : rule.clusterNodeFloorGiB, rule.loadBufferFactor * Double(replicas) * group.candidate.weightsPerReplicaGiB)
    }

    /// Pareto filter on (price, watts, benefit): drop an item another beats or equals on all three
    /// and beats on one (a larger benefit is better).
    private static func paretoPruned<T>(_ items: [T], price: (T) -> Double, watts: (T) -> Double, benefit: (T) -> Double) -> [T] {
        items.filter { item in
            !items.contains { other in
                price(other) <= price(item) && watts(other) <= watts(item) && benefit(other) >= benefit(item)
                    && (price(other) < price(item) || watts(other) < watts(item) || benefit(other) > benefit(item))
            }
        }
    }

    private var fabricClasses: [FabricKey] {
        let allowed = problem.requirements.network.fabrics
        return Set(problem.nics.map { FabricKey(fabric: $0.fabric, speed: $0.speedGbps) })
            .filter { key in
                allowed.contains(key.fabric)
                    && problem.switches.contains { $0.fabric == key.fabric && $0.portSpeedGbps == key.speed }
                    && problem.cables.contains { $0.fabric == key.fabric && $0.speedGbps == key.speed }
            }
            .sorted { ($0.fabric.rawValue, $0.speed) < ($1.fabric.rawValue, $1.speed) }
    }

    private func groups() -> [Group] {
        let requirements = problem.requirements
        let designs = designs
        let storageNeed = requirements.storage
        var result: [Group] = []
        for server in problem.servers {
            for candidate in problem.candidates {
                let gpu = candidate.gpu
                guard server.gpuFormFactors.contains(gpu.formFactor), server.compatibleGPUs?.contains(gpu.id) ?? true,
                      candidate.tensorParallel >= 1, candidate.tensorParallel <= server.gpuSlots else { continue }
                // DIMMs: one type the chassis takes, in a count its class allows, within the slots.
                var memory: [(Double, PartChoice)] = []
                for dimm in problem.dimms where server.dimmTypes.contains(dimm.type) && dimm.capacityGiB <= server.maxDIMMGiB {
                    for count in Self.dimmCounts(server) where count <= server.dimmSlots {
                        memory.append((Double(count) * dimm.capacityGiB, PartChoice(price: Double(count) * dimm.listing.priceUSD, watts: Double(count) * dimm.powerWatts, ports: 0, label: "\(count)×\(dimm.id)")))
                    }
                }
                // Arrays meeting the storage requirement.
                var arrays: [(PartChoice, Double)] = []
                for ssd in problem.ssds where server.nvmeBays >= 1 && (server.ssdFormFactors?.contains(ssd.formFactor) ?? true) {
                    for count in 1...server.nvmeBays {
                        for level in RAIDLevel.allCases where level.allows(drives: count) {
                            let usable = Double(level.dataDrives(count)) * ssd.capacityTB * 1000
                            let read = Double(level.readDrives(count)) * ssd.seqReadGBps
                            let iops = Double(count) * ssd.randomReadIOPS
                            guard usable >= storageNeed.capacityGB, read >= storageNeed.readGBps, iops >= storageNeed.readIOPS,
                                  level.faultTolerance >= storageNeed.faultTolerance else { continue }
                            arrays.append((PartChoice(price: Double(count) * ssd.listing.priceUSD, watts: Double(count) * ssd.powerWatts, ports: 0, label: "\(count)×\(ssd.id) RAID\(level.rawValue)"), usable))
                        }
                    }
                }
                // PSUs: 1 to the bays of one compatible model, delivering what the redundancy leaves.
                let redundancy = requirements.psuRedundancy ?? Self.defaultRedundancy(server)
                var psus: [(Double, Double, String)] = []
                for psu in problem.psus where server.compatiblePSUs.contains(psu.id) && server.psuBays >= 1 {
                    for count in 1...server.psuBays {
                        psus.append((Self.usableWatts(redundancy, count: count, watts: psu.capacityWatts), Double(count) * psu.listing.priceUSD, "\(count)×\(psu.id)"))
                    }
                }
                guard !memory.isEmpty, !arrays.isEmpty, !psus.isEmpty else { continue }
                // A full server holds the most GPUs (a multiple of TP the chassis is sold with) whose build
                // with the lightest DIMMs holding its host memory, the lightest array and no NIC some PSU
                // set powers and some rack design holds (docs/optimizer.md, "Server groups"): a cooling
                // method the chassis takes, its rack units, its peak at the wall within the design's
                // limit, a cord per PSU bay.
                let bestPSU = psus.map(\.0).max() ?? 0
                let lightestArray = arrays.map(\.0.watts).min() ?? 0
                func lightestBuild(_ r: Int) -> Double? {
                    let need = max(r * candidate.tensorParallel <= 1 ? problem.requirements.hostMemory.singleGPUFloorGiB : problem.requirements.hostMemory.clusterNodeFloorGiB,
                                   problem.requirements.hostMemory.loadBufferFactor * Double(r) * candidate.weightsPerReplicaGiB)
                    guard let dimmWatts = memory.filter({ $0.0 >= need - 1e-9 }).map(\.1.watts).min() else { return nil }
                    return server.powerWatts + Double(r * candidate.tensorParallel) * gpu.powerWatts + dimmWatts + lightestArray
                }
                func powered(_ r: Int) -> Bool { lightestBuild(r).map { $0 <= bestPSU + 1e-9 } ?? false }
                func racked(_ r: Int) -> Bool {
                    guard let watts = lightestBuild(r) else { return false }
                    return designs.contains { design in
                        server.cooling.contains(design.cooling.coolingMethod) && server.rackUnits <= design.rack.rackUnits
                            && watts / efficiency <= design.limitKW * 1000 + 1e-9 && max(server.psuBays, 1) <= design.outlets
                    }
                }
                guard let perServer = (1...(server.gpuSlots / candidate.tensorParallel)).reversed().first(where: {
                    server.allowsGPUCount($0 * candidate.tensorParallel) && powered($0) && racked($0)
                }) else { continue }
                // NICs meeting the cluster bandwidth (≥ 100 Gb/s for 8-GPU servers), per fabric class.
                let neededGbps = requirements.network.requiredGbps(gpuSlots: perServer * candidate.tensorParallel)
                var network: [FabricKey: [PartChoice]] = [:]
                var networkForHeaviest: [FabricKey: [(PartChoice, Double)]] = [:]
                for key in fabricClasses {
                    for nic in problem.nics where nic.fabric == key.fabric && nic.speedGbps == key.speed && server.nicSlots >= 1 {
                        for count in 1...server.nicSlots where Double(count * nic.ports) * nic.speedGbps >= neededGbps {
                            let choice = PartChoice(price: Double(count) * nic.listing.priceUSD, watts: Double(count) * nic.powerWatts, ports: count * nic.ports, label: "\(count)×\(nic.id)")
                            network[key, default: []].append(choice)
                            networkForHeaviest[key, default: []].append((choice, Double(count * nic.ports) * nic.speedGbps))
                        }
                    }
                }
                var group = Group(
                    server: server, candidate: candidate, replicasPerServer: perServer, memory: memory,
                    storage: Self.paretoPruned(arrays.map(\.0), price: \.price, watts: \.watts, benefit: { _ in 0 }),
                    network: pruneNICsOnBandwidthOnly
                        ? networkForHeaviest.mapValues { Self.paretoPruned($0, price: \.0.price, watts: \.0.watts, benefit: \.1).map(\.0) }
                        : network.mapValues { Self.paretoPruned($0, price: \.price, watts: \.watts, benefit: { -Double($0.ports) }) },
                    psus: psus, minimumPartsPrice: 0
                )
                group.minimumPartsPrice = (memory.map(\.1.price).min() ?? 0) + (arrays.map(\.0.price).min() ?? 0) + (psus.map(\.1).min() ?? 0)
                result.append(group)
            }
        }
        return result
    }

    private var designs: [Design] {
        let methods = problem.requirements.coolingMethods
        guard let pdu = problem.pdus.first, pdu.capacityKW > 0 else { return [] }
        return problem.racks.flatMap { rack in
            problem.cooling.filter { methods.contains($0.coolingMethod) }.flatMap { cooling -> [Design] in
                let feed = min(rack.maxPowerKW, cooling.maxKWPerRack, problem.requirements.rackPowerLimitKW ?? .infinity)
                guard feed > 0 else { return [] }
                return (1...max(Self.ceiling(feed / pdu.capacityKW), 1)).map { count in
                    Design(rack: rack, cooling: cooling, pdus: count, limitKW: min(feed, Double(count) * pdu.capacityKW), outlets: count * pdu.outlets)
                }
            }
        }
    }

    private static func ceiling(_ x: Double) -> Int { Int((x - 1e-7).rounded(.up)) }

    /// The cheapest build meeting every constraint, or nil when none does.
    func cheapest() -> Build? {
        let requirements = problem.requirements
        let allGroups = groups()
        let designs = designs
        guard !designs.isEmpty, problem.pdus.count == 1 else { return nil }
        let pdu = problem.pdus[0]
        let spare = requirements.spareReplica ? 1 : 0
        let facilityFloor = (designs.map { $0.rack.listing.priceUSD + $0.cooling.listing.priceUSD }.min() ?? 0) + pdu.listing.priceUSD
        var best: Build?

        for gpuID in Set(allGroups.map(\.gpu.id)).sorted() {
            let groups = allGroups.filter { $0.gpu.id == gpuID }
            // Replica bounds per group.
            let bounds: [Int] = groups.map { group in
                var bound = Int((requirements.demand / group.candidate.capacityPerReplica - 1e-9).rounded(.up)) + spare
                if requirements.pins.serverCount != nil || requirements.pins.gpuCount != nil { bound = Int.max }
                if let pinned = requirements.pins.serverCount { bound = min(bound, pinned * group.replicasPerServer) }
                if let pinned = requirements.pins.gpuCount { bound = min(bound, pinned / group.tp) }
                return max(bound, 0)
            }
            // Skeletons: a replica count per group.
            var skeletons: [(replicas: [Int], lowerBound: Double)] = []
            var current = [Int](repeating: 0, count: groups.count)
            func servers(_ g: Int, _ r: Int) -> Int { r / groups[g].replicasPerServer + (r % groups[g].replicasPerServer > 0 ? 1 : 0) }
            func visit(_ g: Int, capacity: Double, gpus: Int, serverTotal: Int, lowerBound: Double) {
                if let pinned = requirements.pins.gpuCount, gpus > pinned { return }
                if let pinned = requirements.pins.serverCount, serverTotal > pinned { return }
                if let best, lowerBound + facilityFloor >= best.capex - 1e-6 { return }
                if g == groups.count {
                    guard gpus > 0, capacity >= requirements.demand - 1e-9 * max(1, requirements.demand) else { return }
                    if let pinned = requirements.pins.gpuCount, gpus != pinned { return }
                    if let pinned = requirements.pins.serverCount, serverTotal != pinned { return }
                    skeletons.append((current, lowerBound + facilityFloor))
                    return
                }
                let group = groups[g]
                for r in 0...bounds[g] {
                    current[g] = r
                    let s = servers(g, r)
                    let cost = Double(s) * (group.server.listing.priceUSD + group.minimumPartsPrice) + Double(r * group.tp) * group.gpu.listing.priceUSD
                    visit(g + 1, capacity: capacity + (r > 0 ? group.candidate.capacityPerReplica * Double(r - spare) : 0),
                          gpus: gpus + r * group.tp, serverTotal: serverTotal + s, lowerBound: lowerBound + cost)
                }
                current[g] = 0
            }
            visit(0, capacity: 0, gpus: 0, serverTotal: 0, lowerBound: 0)
            for skeleton in skeletons.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if let best, skeleton.lowerBound >= best.capex - 1e-6 { break }
                if let build = evaluate(groups: groups, replicas: skeleton.replicas, designs: designs, pdu: pdu),
                   build.capex < (best?.capex ?? .infinity) - 1e-9 {
                    best = build
                }
            }
        }
        if let budget = requirements.budgetUSD, let found = best, found.capex > budget + 1e-6 { return nil }
        return best
    }

    /// The cheapest way to build one skeleton (replica count per group).
    private func evaluate(groups: [Group], replicas: [Int], designs: [Design], pdu: PDU) -> Build? {
        struct Used { var group: Group; var full: Int; var partial: Int; var servers: Int }
        let used: [Used] = zip(groups, replicas).compactMap { group, r in
            guard r > 0 else { return nil }
            let full = r / group.replicasPerServer, partial = r % group.replicasPerServer
            return Used(group: group, full: full, partial: partial, servers: full + (partial > 0 ? 1 : 0))
        }
        let serverTotal = used.reduce(0) { $0 + $1.servers }
        let cluster = serverTotal >= 2
        var best: Build?

        for fabric in cluster ? fabricClasses.map(Optional.some) : [nil] {
            // Per used group: complete per-server configurations, reduced to (cost, load, ports).
            struct Option { var cost: Double; var load: Double; var ports: Int; var partsWatts: Double; var label: String }
            var perGroup: [[Option]] = []
            for u in used {
                let g = u.group
                var need = 0.0
                var peak = 0.0
                var baseLoad = 0.0
                if u.full > 0 {
                    need = max(need, needGiB(g, replicas: g.replicasPerServer))
                    peak = max(peak, g.basePeak(replicas: g.replicasPerServer))
                    baseLoad += Double(u.full) * g.basePeak(replicas: g.replicasPerServer)
                }
                if u.partial > 0 {
                    need = max(need, needGiB(g, replicas: u.partial))
                    peak = max(peak, g.basePeak(replicas: u.partial))
                    baseLoad += g.basePeak(replicas: u.partial)
                }
                let memory = Self.paretoPruned(g.memory.filter { $0.gib >= need - 1e-9 }.map(\.choice), price: \.price, watts: \.watts, benefit: { _ in 0 })
                let nics: [PartChoice?] = fabric.map { (g.network[$0] ?? []).map(Optional.some) } ?? [nil]
                var options: [Option] = []
                for m in memory {
                    for s in g.storage {
                        for n in nics {
                            let parts = m.watts + s.watts + (n?.watts ?? 0)
                            guard let psu = g.psus.filter({ $0.usable >= peak + parts - 1e-9 }).min(by: { $0.price < $1.price }) else { continue }
                            let perServer = g.server.listing.priceUSD + m.price + s.price + (n?.price ?? 0) + psu.price
                            let cost = Double(u.servers) * perServer + Double((u.full * g.replicasPerServer + u.partial) * g.tp) * g.gpu.listing.priceUSD
                            let label = "\(u.servers)×\(g.server.id)[\(g.candidate.key); full \(u.full), partial \(u.partial); \(m.label), \(s.label), \(n?.label ?? "no NIC"), \(psu.label)]"
                            options.append(Option(cost: cost, load: baseLoad + Double(u.servers) * parts, ports: u.servers * (n?.ports ?? 0), partsWatts: parts, label: label))
                        }
                    }
                }
                options = Self.paretoPruned(options, price: \.cost, watts: \.load, benefit: { -Double($0.ports) })
                if options.isEmpty { perGroup = []; break }
                perGroup.append(options)
            }
            guard perGroup.count == used.count else { continue }

            let networkSwitch = fabric.flatMap { key in problem.switches.first { $0.fabric == key.fabric && $0.portSpeedGbps == key.speed } }
            let cable = fabric.flatMap { key in problem.cables.first { $0.fabric == key.fabric && $0.speedGbps == key.speed } }

            /// `partsWatts`: each used group's per-server part draw (DIMMs, array, NIC), by which its
            /// racks are packed.
            func finish(cost: Double, load: Double, ports: Int, partsWatts: [Double], labels: [String]) {
                // Switches and cables.
                var switchCount = 0, cables = 0
                var networkCost = 0.0, networkWatts = 0.0
                if let networkSwitch, let cable, ports > 0 {
                    if ports <= networkSwitch.ports {
                        switchCount = 1
                        cables = ports
                    } else {
                        let leaves = Self.ceiling(Double(ports) / Double(networkSwitch.ports / 2))
                        // Two tiers at most: every leaf links to every spine, so a spine's ports bound the leaves.
                        guard leaves <= networkSwitch.ports else { return }
                        switchCount = leaves + (leaves + 1) / 2
                        cables = ports + leaves * (networkSwitch.ports / 2)
                    }
                    networkCost = Double(switchCount) * networkSwitch.listing.priceUSD + Double(cables) * cable.listing.priceUSD
                    networkWatts = Double(switchCount) * networkSwitch.powerWatts + Double(cables) * cable.powerWatts
                }
                let wallWatts = load / efficiency + networkWatts
                let wallKW = wallWatts / 1000
                // Rack by rack: each group's servers in racks of their own, k to a rack (space,
                // power at the heaviest server, outlets for every PSU bay), or k' < k to leave room
                // for a switch when k leaves none; switches in that room or in racks of their own.
                let slotUnits = problem.switches.map(\.rackUnits).max() ?? 1
                let slotWatts = problem.switches.map(\.powerWatts).max() ?? 0
                for design in designs {
                    guard used.allSatisfy({ $0.group.server.cooling.contains(design.cooling.coolingMethod) }) else { continue }
                    let limitWatts = design.limitKW * 1000
                    /// Switch slots left beside n full servers drawing `wall` each and, when `partial` is set,
                    /// the group's partial server holding that many replicas (its GPUs fewer, so its peak lower).
                    func free(_ n: Int, _ group: Group, wall: Double, partial: Int? = nil) -> Int {
                        let cords = max(group.server.psuBays, 1), servers = n + (partial == nil ? 0 : 1)
                        let space = (design.rack.rackUnits - servers * group.server.rackUnits) / max(slotUnits, 1)
                        let watts = Double(n) * wall + (partial.map { partialWatts(group, wall, $0) } ?? 0)
                        let power = slotWatts > 0 ? Int(((limitWatts - watts) / slotWatts + 1e-9).rounded(.down)) : Int.max
                        return max(0, min(space, power, design.outlets - servers * cords))
                    }
                    /// A partial server's peak: a full server's with the same parts, less the GPUs it lacks.
                    func partialWatts(_ group: Group, _ wall: Double, _ replicas: Int) -> Double {
                        wall - (group.basePeak(replicas: group.replicasPerServer) - group.basePeak(replicas: replicas)) / efficiency
                    }
                    // Per used group: every (racks, switch room) it can be housed with.
                    var options: [[(racks: Int, room: Int)]] = []
                    for (i, u) in used.enumerated() {
                        // docs/optimizer.md: racks are packed at the peak of the parts picked.
                        let wall = (u.group.basePeak(replicas: u.group.replicasPerServer) + partsWatts[i]) / efficiency
                        let cords = max(u.group.server.psuBays, 1)
                        let k = min(design.rack.rackUnits / u.group.server.rackUnits, Int((limitWatts / wall).rounded(.down)), design.outlets / cords)
                        guard k >= 1 else { break }
                        let fullRoom = free(k, u.group, wall: wall)
                        let shared = fullRoom == 0 && switchCount > 0 ? (1..<k).reversed().first { free($0, u.group, wall: wall) > 0 } : nil
                        // The partial server may join a full rack when it fits beside k full servers.
                        let g = u.group, cordsTotal = (k + 1) * cords
                        let mixedFits = u.partial > 0 && (k + 1) * g.server.rackUnits <= design.rack.rackUnits && cordsTotal <= design.outlets
                            && Double(k) * wall + partialWatts(g, wall, u.partial) <= limitWatts
                        var choices: [(Int, Int)] = []
                        for y in 0...(mixedFits ? 1 : 0) {
                            let mixedRoom = y == 1 ? free(k, g, wall: wall, partial: u.partial) : 0
                            for b in 0...(shared.map { Self.ceiling(Double(u.servers) / Double($0)) } ?? 0) {
                                let a = max(0, Self.ceiling(Double(u.servers - b * (shared ?? 0) - y * (k + 1)) / Double(k)))
                                choices.append((a + b + y, a * fullRoom + b * (shared.map { free($0, u.group, wall: wall) } ?? 0) + mixedRoom))
                            }
                        }
                        options.append(choices)
                    }
                    guard options.count == used.count else { continue }
                    let switchOnly = slotWatts > 0 || slotUnits > 0
                        ? max(0, min(design.rack.rackUnits / max(slotUnits, 1), slotWatts > 0 ? Int((limitWatts / slotWatts).rounded(.down)) : Int.max, design.outlets))
                        : 0
                    var fewest = Int.max
                    func place(_ index: Int, racks: Int, room: Int) {
                        if index == options.count {
                            let missing = max(0, switchCount - room)
                            guard missing == 0 || switchOnly > 0 else { return }
                            fewest = min(fewest, racks + (missing + max(switchOnly, 1) - 1) / max(switchOnly, 1))
                            return
                        }
                        for option in options[index] { place(index + 1, racks: racks + option.racks, room: room + option.room) }
                    }
                    place(0, racks: 0, room: 0)
                    guard fewest < Int.max else { continue }
                    let racks = max(fewest, 1)
                    // Cooling: rear-door and liquid one unit per rack (more when its limit exceeds a
                    // unit); air by kW, its own fans included. Cooling power is wall power.
                    let cooling = design.cooling
                    var coolingUnits: Int
                    if cooling.method != .air {
                        coolingUnits = racks * max(Self.ceiling(design.limitKW / cooling.capacityKW), 1)
                    } else {
                        let net = cooling.capacityKW - cooling.powerWatts / 1000
                        guard net > 0 else { continue }
                        coolingUnits = Self.ceiling(wallKW / net)
                    }
                    let pdus = racks * design.pdus
                    let total = cost + networkCost + Double(racks) * design.rack.listing.priceUSD
                        + Double(coolingUnits) * cooling.listing.priceUSD + Double(pdus) * pdu.listing.priceUSD
                    if total < (best?.capex ?? .infinity) - 1e-9 {
                        best = Build(capex: total, detail: labels.joined(separator: " + ")
                            + String(format: "; %d switches, %d cables; %.1f W wall; %d × %@ + %@ ×%d, %d PDUs", switchCount, cables, wallWatts, racks, design.rack.id, cooling.id, coolingUnits, pdus))
                    }
                }
            }
            func combine(_ index: Int, cost: Double, load: Double, ports: Int, partsWatts: [Double], labels: [String]) {
                if index == perGroup.count { finish(cost: cost, load: load, ports: ports, partsWatts: partsWatts, labels: labels); return }
                for option in perGroup[index] {
                    combine(
                        index + 1, cost: cost + option.cost, load: load + option.load, ports: ports + option.ports,
                        partsWatts: partsWatts + [option.partsWatts], labels: labels + [option.label]
                    )
                }
            }
            combine(0, cost: 0, load: 0, ports: 0, partsWatts: [], labels: [])
        }
        return best
    }
}
