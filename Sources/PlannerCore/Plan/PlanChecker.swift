import Foundation

/// One rule a plan breaks, with the numbers that break it.
public struct PlanViolation: Sendable, Hashable, CustomStringConvertible {
    /// Short rule name (`gpu_slots`, `psu_capacity`, `demand`, …).
    public var rule: String
    public var message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}

/// Re-checks a plan against its problem from the plan's values alone: what each server carries,
/// what the bill of materials buys, and the plan-level limits (demand, network, racks, power,
/// cooling, budget, SLO, pins).
///
/// This is an independent referee for the optimizer: it does not use the MILP formulation. It
/// reads the catalog items back from the problem by listing id and recomputes every figure it
/// checks from docs/optimizer.md. Racks are checked one by one: every server and switch is placed
/// (first fit, heaviest first) at its own draw in a rack with the space, power and PDU outlets
/// left, and each rack's load and cords then say how many PDUs (and per-rack cooling units) it
/// needs (the MILP packs at the group's heaviest configuration, which is never lighter).
public struct PlanChecker: Sendable {
    public let problem: PlanningProblem
    public let target: SLO
    /// Relative tolerance for comparisons (solver round-off).
    public var tolerance: Double = 1e-6

    public init(problem: PlanningProblem, target: SLO) {
        self.problem = problem
        self.target = target
    }

    /// Every rule `plan` breaks; empty when it is valid. Plans without a solution (infeasible,
    /// error) have nothing to check.
    public func violations(of plan: Plan) -> [PlanViolation] {
        guard plan.status.hasPlan else { return [] }
        var found: [PlanViolation] = []
        func fail(_ rule: String, _ message: String) { found.append(PlanViolation(rule: rule, message: message)) }
        func atLeast(_ value: Double, _ needed: Double) -> Bool { value >= needed - tolerance * max(1, abs(needed)) }
        func same(_ a: Double, _ b: Double, absolute: Double = 0.01) -> Bool { abs(a - b) <= max(absolute, tolerance * max(abs(a), abs(b))) }
        func n(_ value: Double) -> String { String(format: "%.4g", value) }

        let requirements = problem.requirements
        let gpus = Dictionary(problem.candidates.map { ($0.gpu.id, $0.gpu) }, uniquingKeysWith: { a, _ in a })
        let servers = Dictionary(problem.servers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let dimms = Dictionary(problem.dimms.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ssds = Dictionary(problem.ssds.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nics = Dictionary(problem.nics.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let psus = Dictionary(problem.psus.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let minimumEfficiency = problem.psus.map(\.efficiency).filter { $0 > 0 && $0 <= 1 }.min() ?? 0.9

        // MARK: Deployments: candidates, SLO, demand.
        var deploymentCandidates: [ServingCandidate] = []
        for deployment in plan.deployments {
            guard let candidate = problem.candidates.first(where: { $0.gpu.id == deployment.gpuID && $0.tensorParallel == deployment.tensorParallel }) else {
                fail("unknown_candidate", "\(deployment.gpuID) at TP \(deployment.tensorParallel) is not a serving candidate")
                continue
            }
            deploymentCandidates.append(candidate)
            if deployment.replicas < 1 { fail("deployment_replicas", "\(candidate.key) has \(deployment.replicas) replicas") }
            if deployment.gpus != deployment.replicas * deployment.tensorParallel {
                fail("deployment_gpus", "\(candidate.key): \(deployment.gpus) GPUs for \(deployment.replicas) replicas of TP \(deployment.tensorParallel)")
            }
            if candidate.memoryUsedPerGPUGiB > candidate.gpu.memoryGiB + tolerance {
                fail("vram", "\(candidate.key) uses \(n(candidate.memoryUsedPerGPUGiB)) GiB per GPU; \(candidate.gpu.id) has \(n(candidate.gpu.memoryGiB)) GiB")
            }
            if let ttft = target.ttftMs, candidate.ttftMs > ttft * (1 + tolerance) {
                fail("slo_ttft", "\(candidate.key) predicts TTFT \(n(candidate.ttftMs)) ms; target \(n(ttft)) ms")
            }
            if let tpot = target.tpotMs, candidate.tpotMs > tpot * (1 + tolerance) {
                fail("slo_tpot", "\(candidate.key) predicts TPOT \(n(candidate.tpotMs)) ms; target \(n(tpot)) ms")
            }
        }
        if plan.deployments.isEmpty { fail("at_least_one_replica", "the plan deploys no replica") }
        let served = zip(plan.deployments, deploymentCandidates).reduce(0.0) { total, pair in
            total + pair.1.capacityPerReplica * Double(pair.0.replicas - (requirements.spareReplica ? 1 : 0))
        }
        if !atLeast(served, requirements.demand) {
            fail("demand", "capacity \(n(served))\(requirements.spareReplica ? " with one replica per deployment down" : "") < demand \(n(requirements.demand))")
        }
        let gpuTypes = Set(plan.deployments.map(\.gpuID))
        if !requirements.allowMixedGPUTypes && gpuTypes.count > 1 {
            fail("gpu_types", "\(gpuTypes.count) GPU types (\(gpuTypes.sorted().joined(separator: ", "))) but mixing is not allowed")
        }

        // MARK: Each server configuration.
        var serverCount = 0
        var configurationGPUs = 0
        var serverLoadWatts = 0.0
        var rackUnits = 0
        var expected: [String: Int] = [:] // listing id → quantity the configurations imply
        var usedServers: [(server: Server, count: Int, wallWatts: Double, cords: Int)] = []
        var nicClasses: Set<String> = []
        var nicPorts = 0
        var nicFabric: (Fabric, Double)?
        let cluster = plan.servers.reduce(0) { $0 + $1.count } >= 2
        for (index, configuration) in plan.servers.enumerated() {
            let label = "server configuration \(index + 1) (\(configuration.serverID) × \(configuration.count))"
            guard let server = servers[configuration.serverID] else {
                fail("unknown_server", "\(label): no chassis \(configuration.serverID) in the problem")
                continue
            }
            guard let gpu = gpus[configuration.gpuID] else {
                fail("unknown_gpu", "\(label): no candidate GPU \(configuration.gpuID)")
                continue
            }
            let count = configuration.count
            let perServerGPUs = configuration.gpusPerServer
            serverCount += count
            configurationGPUs += count * perServerGPUs
            rackUnits += count * server.rackUnits
            expected[server.id, default: 0] += count
            expected[gpu.id, default: 0] += count * perServerGPUs
            if count < 1 { fail("server_count", "\(label): count \(count)") }

            // GPUs: slots, form factor, TP groups within the server.
            if perServerGPUs < 1 || perServerGPUs > server.gpuSlots {
                fail("gpu_slots", "\(label): \(perServerGPUs) GPUs in \(server.gpuSlots) slots")
            }
            if !server.gpuFormFactors.contains(gpu.formFactor) || !(server.compatibleGPUs.map { $0.contains(gpu.id) } ?? true) {
                fail("gpu_fit", "\(label): \(gpu.id) (\(gpu.formFactor.rawValue)) does not fit \(server.id)")
            } else if !server.gpuCooling.contains(gpu.cooling) {
                fail("gpu_cooling", "\(label): \(gpu.id) is \(gpu.cooling.rawValue)-cooled; \(server.id) supports \(server.gpuCooling.map(\.rawValue).joined(separator: ", ")) cards")
            }
            if perServerGPUs >= 1 && perServerGPUs <= server.gpuSlots && !server.allowsGPUCount(perServerGPUs) {
                fail("gpu_count", "\(label): \(perServerGPUs) GPUs; \(server.id) is sold with \(server.gpuCounts.map(String.init).joined(separator: ", ")) (a whole baseboard)")
            }
            let candidates = plan.deployments.filter { $0.gpuID == gpu.id }.compactMap { deployment in
                problem.candidates.first { $0.gpu.id == gpu.id && $0.tensorParallel == deployment.tensorParallel }
            }
            let fitting = candidates.filter { $0.tensorParallel > 0 && perServerGPUs % $0.tensorParallel == 0 }
            if fitting.isEmpty {
                fail("tp_within_server", "\(label): \(perServerGPUs) GPUs is not a whole number of TP groups of any deployment of \(gpu.id) (TP \(candidates.map { String($0.tensorParallel) }.joined(separator: ", ")))")
            }

            // Host memory.
            var load = server.powerWatts + Double(perServerGPUs) * gpu.powerWatts
            var memoryGiB = 0.0
            if configuration.dimmsPerServer > 0 || configuration.dimmID != nil {
                if let id = configuration.dimmID, let dimm = dimms[id] {
                    let dimmCount = configuration.dimmsPerServer
                    memoryGiB = Double(dimmCount) * dimm.capacityGiB
                    load += Double(dimmCount) * dimm.powerWatts
                    expected[dimm.id, default: 0] += count * dimmCount
                    if dimmCount > server.dimmSlots { fail("dimm_slots", "\(label): \(dimmCount) DIMMs in \(server.dimmSlots) slots") }
                    if server.memoryChannels > 0 && dimmCount % server.memoryChannels != 0 {
                        fail("dimm_balance", "\(label): \(dimmCount) DIMMs over \(server.memoryChannels) channels")
                    }
                    if dimm.capacityGiB > server.maxDIMMGiB { fail("dimm_size", "\(label): \(n(dimm.capacityGiB)) GiB DIMM; chassis takes ≤ \(n(server.maxDIMMGiB)) GiB") }
                    if !server.dimmTypes.contains(dimm.type) { fail("dimm_type", "\(label): \(dimm.type.rawValue) not taken by \(server.id)") }
                    if let pinned = requirements.pins.dimmsPerServer, pinned != dimmCount { fail("pin_dimms", "\(label): \(dimmCount) DIMMs; pinned \(pinned)") }
                    if !same(memoryGiB, configuration.hostMemoryGiB) {
                        fail("host_memory_reported", "\(label): reports \(n(configuration.hostMemoryGiB)) GiB; its DIMMs give \(n(memoryGiB)) GiB")
                    }
                } else {
                    fail("unknown_dimm", "\(label): no DIMM \(configuration.dimmID ?? "(none)")")
                }
            }
            let rule = requirements.hostMemory
            let floor = perServerGPUs <= 1 ? rule.singleGPUFloorGiB : rule.clusterNodeFloorGiB
            let neededMemory = fitting.map { candidate in
                max(floor, rule.loadBufferFactor * Double(perServerGPUs / candidate.tensorParallel) * candidate.weightsPerReplicaGiB)
            }.min() ?? floor
            if !atLeast(memoryGiB, neededMemory) {
                fail("host_memory", "\(label): \(n(memoryGiB)) GiB host memory < \(n(neededMemory)) GiB needed")
            }

            // Storage.
            let storage = requirements.storage
            if let array = configuration.storage {
                if ssds[array.ssd.id] == nil {
                    fail("unknown_ssd", "\(label): no SSD \(array.ssd.id)")
                } else {
                    let drive = ssds[array.ssd.id]!
                    load += Double(array.count) * drive.powerWatts
                    expected[drive.id, default: 0] += count * array.count
                    if array.count > server.nvmeBays { fail("nvme_bays", "\(label): \(array.count) SSDs in \(server.nvmeBays) bays") }
                    if !array.level.allows(drives: array.count) {
                        fail("raid_level", "\(label): RAID \(array.level.rawValue) does not allow \(array.count) drives")
                    } else {
                        let usable = Double(array.level.dataDrives(array.count)) * drive.capacityTB * 1000
                        let read = Double(array.level.readDrives(array.count)) * drive.seqReadGBps
                        let iops = Double(array.count) * drive.randomReadIOPS
                        if !atLeast(usable, storage.capacityGB) { fail("storage_capacity", "\(label): \(n(usable)) GB usable < \(n(storage.capacityGB)) GB") }
                        if !atLeast(read, storage.readGBps) { fail("storage_read", "\(label): \(n(read)) GB/s < \(n(storage.readGBps)) GB/s") }
                        if !atLeast(iops, storage.readIOPS) { fail("storage_iops", "\(label): \(n(iops)) IOPS < \(n(storage.readIOPS))") }
                        if array.level.faultTolerance < storage.faultTolerance {
                            fail("storage_faults", "\(label): RAID \(array.level.rawValue) survives \(array.level.faultTolerance) drive failures < \(storage.faultTolerance)")
                        }
                    }
                    if let pinned = requirements.pins.ssdsPerServer, pinned != array.count { fail("pin_ssds", "\(label): \(array.count) SSDs; pinned \(pinned)") }
                    if let pinned = requirements.pins.raidLevel, pinned != array.level { fail("pin_raid", "\(label): RAID \(array.level.rawValue); pinned RAID \(pinned.rawValue)") }
                }
            } else if storage.capacityGB > 0 || storage.readGBps > 0 || storage.readIOPS > 0 || storage.faultTolerance > 0 {
                fail("storage_missing", "\(label): no SSD array")
            }

            // NICs.
            var gbps = 0.0
            if configuration.nicsPerServer > 0 || configuration.nicID != nil {
                if let id = configuration.nicID, let nic = nics[id] {
                    let nicCount = configuration.nicsPerServer
                    load += Double(nicCount) * nic.powerWatts
                    expected[nic.id, default: 0] += count * nicCount
                    gbps = Double(nicCount * nic.ports) * nic.speedGbps
                    nicPorts += count * nicCount * nic.ports
                    nicClasses.insert("\(nic.fabric.rawValue)-\(nic.speedGbps)")
                    nicFabric = (nic.fabric, nic.speedGbps)
                    if nicCount > server.nicSlots { fail("nic_slots", "\(label): \(nicCount) NICs in \(server.nicSlots) slots") }
                    if !requirements.network.fabrics.contains(nic.fabric) { fail("nic_fabric", "\(label): \(nic.fabric.rawValue) not allowed") }
                    if let pinned = requirements.pins.nicsPerServer, pinned != nicCount { fail("pin_nics", "\(label): \(nicCount) NICs; pinned \(pinned)") }
                } else {
                    fail("unknown_nic", "\(label): no NIC \(configuration.nicID ?? "(none)")")
                }
            }
            if cluster {
                let needed = requirements.network.requiredGbps(gpuSlots: server.gpuSlots)
                if gbps <= 0 {
                    fail("nic_required", "\(label): no NIC in a plan of \(plan.servers.reduce(0) { $0 + $1.count }) servers")
                } else if !atLeast(gbps, needed) {
                    fail("nic_bandwidth", "\(label): \(n(gbps)) Gb/s < \(n(needed)) Gb/s")
                }
            }

            // PSUs.
            if let id = configuration.psuID, let psu = psus[id] {
                let psuCount = configuration.psusPerServer
                expected[psu.id, default: 0] += count * psuCount
                if psuCount < 1 || psuCount > server.psuBays { fail("psu_bays", "\(label): \(psuCount) PSUs in \(server.psuBays) bays") }
                if !server.compatiblePSUs.contains(psu.id) { fail("psu_compatible", "\(label): \(psu.id) not compatible with \(server.id)") }
                let usable = requirements.psuRedundancy.usableWatts(count: psuCount, capacityWatts: psu.capacityWatts)
                if !atLeast(usable, load) {
                    fail("psu_capacity", "\(label): \(psuCount) × \(n(psu.capacityWatts)) W at \(requirements.psuRedundancy.rawValue) gives \(n(usable)) W < peak \(n(load)) W")
                }
                if let pinned = requirements.pins.psusPerServer, pinned != psuCount { fail("pin_psus", "\(label): \(psuCount) PSUs; pinned \(pinned)") }
            } else {
                fail("psu_missing", "\(label): no PSU \(configuration.psuID ?? "(none)")")
            }
            if !same(load, configuration.peakPowerWatts) {
                fail("server_peak_reported", "\(label): reports \(n(configuration.peakPowerWatts)) W peak; its parts draw \(n(load)) W")
            }
            serverLoadWatts += Double(count) * load
            usedServers.append((server, count, load / minimumEfficiency, max(configuration.psusPerServer, 1)))
        }

        // MARK: Counts and pins.
        let deploymentGPUs = plan.deployments.reduce(0) { $0 + $1.gpus }
        if configurationGPUs != deploymentGPUs {
            fail("gpu_count", "servers hold \(configurationGPUs) GPUs; deployments need \(deploymentGPUs)")
        }
        let bomGPUs = plan.bom.filter { $0.category == .gpu }.reduce(0) { $0 + $1.quantity }
        if bomGPUs != deploymentGPUs { fail("bom_gpus", "the BOM buys \(bomGPUs) GPUs; deployments use \(deploymentGPUs)") }
        if plan.totals.gpus != deploymentGPUs { fail("totals_gpus", "totals say \(plan.totals.gpus) GPUs; deployments use \(deploymentGPUs)") }
        if plan.totals.servers != serverCount { fail("totals_servers", "totals say \(plan.totals.servers) servers; configurations have \(serverCount)") }
        if let pinned = requirements.pins.gpuCount, pinned != deploymentGPUs { fail("pin_gpu_count", "\(deploymentGPUs) GPUs; pinned \(pinned)") }
        if let pinned = requirements.pins.serverCount, pinned != serverCount { fail("pin_server_count", "\(serverCount) servers; pinned \(pinned)") }

        // MARK: Network.
        let switchLines = plan.bom.compactMap { line in problem.switches.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        let cableLines = plan.bom.compactMap { line in problem.cables.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        if nicClasses.count > 1 { fail("fabric_classes", "NICs of \(nicClasses.count) fabric classes: \(nicClasses.sorted().joined(separator: ", "))") }
        var downPorts = 0
        var minimumUplinks = 0
        for (item, quantity) in switchLines {
            if let (fabric, speed) = nicFabric, item.fabric != fabric || item.portSpeedGbps != speed {
                fail("switch_fabric", "\(item.id) (\(item.fabric.rawValue), \(n(item.portSpeedGbps)) Gb/s) does not match the NICs (\(fabric.rawValue), \(n(speed)) Gb/s)")
            }
            if quantity == 1 {
                downPorts += item.ports
            } else {
                // Leaves L and spines S with 2S ≥ L: the most leaves N switches allow.
                var leaves = quantity
                while leaves + (leaves + 1) / 2 > quantity { leaves -= 1 }
                downPorts += leaves * (item.ports / 2)
                if leaves > item.ports {
                    fail("two_tier_fabric", "\(leaves) leaves of \(item.id) but a \(item.ports)-port spine links at most \(item.ports) leaves (two tiers at most)")
                }
                let neededLeaves = Int((Double(nicPorts) / Double(max(item.ports / 2, 1))).rounded(.up))
                minimumUplinks += neededLeaves * (item.ports / 2)
            }
        }
        if nicPorts > 0 && cluster {
            if downPorts < nicPorts { fail("switch_ports", "\(nicPorts) NIC ports but the switches give \(downPorts) server ports") }
            let cables = cableLines.reduce(0) { $0 + $1.1 }
            if cables < nicPorts + minimumUplinks {
                fail("cables", "\(cables) cables for \(nicPorts) NIC ports and \(minimumUplinks) uplinks")
            }
            for (cable, _) in cableLines {
                if let (fabric, speed) = nicFabric, cable.fabric != fabric || cable.speedGbps != speed {
                    fail("cable_fabric", "\(cable.id) does not match the NICs (\(fabric.rawValue), \(n(speed)) Gb/s)")
                }
            }
        }
        let switchWatts = switchLines.reduce(0.0) { $0 + Double($1.1) * $1.0.powerWatts }
        let cableWatts = cableLines.reduce(0.0) { $0 + Double($1.1) * $1.0.powerWatts }
        rackUnits += switchLines.reduce(0) { $0 + $1.1 * $1.0.rackUnits }

        // MARK: Power at the wall, racks, cooling, PDUs.
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
                    let attempt = Self.placeFirstFit(
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

        // MARK: Bill of materials and money.
        var bomQuantities: [String: Int] = [:]
        for line in plan.bom { bomQuantities[line.listing.id, default: 0] += line.quantity }
        for (id, quantity) in expected where quantity > 0 && bomQuantities[id] != quantity {
            fail("bom_quantity", "the servers carry \(quantity) of \(id); the BOM buys \(bomQuantities[id] ?? 0)")
        }
        let catalogPrices = catalogPrices()
        for line in plan.bom {
            if let price = catalogPrices[line.listing.id] {
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
        return found
    }

    /// First fit: each item (rack units, watts, cords), in the order given, goes into the first of
    /// `racks` racks with the space, the power (≤ `limitWatts`) and the outlets left for it. The
    /// racks' loads, and the index of the first item that finds no room (`nil` when all are placed).
    static func placeFirstFit(
        _ items: [(rackUnits: Int, watts: Double, cords: Int)], racks: Int, rackUnits: Int, limitWatts: Double, outlets: Int
    ) -> (racks: [(rackUnits: Int, watts: Double, cords: Int)], unplaced: Int?) {
        var loads = [(rackUnits: Int, watts: Double, cords: Int)](repeating: (0, 0, 0), count: max(racks, 0))
        for (index, item) in items.enumerated() {
            guard let r = loads.indices.first(where: {
                loads[$0].rackUnits + item.rackUnits <= rackUnits && loads[$0].watts + item.watts <= limitWatts
                    && loads[$0].cords + item.cords <= outlets
            }) else { return (loads, index) }
            loads[r].rackUnits += item.rackUnits
            loads[r].watts += item.watts
            loads[r].cords += item.cords
        }
        return (loads, nil)
    }

    private func catalogPrices() -> [String: Double] {
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
