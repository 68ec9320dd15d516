import LinearModel

/// The planner's MILP: one model choosing GPU type, tensor parallelism and replicas, servers, host
/// memory, storage arrays, NICs and switches, PSUs, racks, cooling and PDUs together.
///
/// Built in the order the problem reads: server groups and their options from the data, then the
/// variables, then each family of constraints (one builder per concept: ``HostMemory``,
/// ``LocalStorage``, ``ServerPower``, ``ClusterNetwork``, ``Facility``), then the objective.
/// Names come from catalog ids (`servers_full[sys-821ge-tnhr-hgx-h100,h100-sxm-80gb,tp1]`).
struct PlanFormulation {
    var model: Model
    let problem: PlanningProblem
    let groups: [ServerGroup]
    let switches: [NetworkSwitch]
    let pdus: [PDU]
    let coolingOptions: [CoolingOption]
    let rackDesigns: [RackDesign]
    let fabricClasses: [FabricClass]

    // Per group g.
    var full: [Variable] = []
    /// server_partial[g,m]: one server of group g holding m replicas, fewer than a full one; m runs
    /// over ``ServerGroup/partialReplicaCounts``. Read through ``partial(group:replicas:)``.
    var partialVariables: [PartialKey: Variable] = [:]
    var used: [Variable] = []
    var fullUsed: [Variable] = []
    /// pick[g,o] (binary: group g's servers use option o of a part family) and count[g,o] (how many
    /// of them), by ``PartKey``. Read through ``picks(group:family:)`` and ``counts(group:family:)``.
    var pickVariables: [PartKey: Variable] = [:]
    var countVariables: [PartKey: Variable] = [:]
    var maxServers: [Int] = []
    /// Wall draw of the group's heaviest server: the last of ``serverWallPeaks``.
    let heaviestServerWallWatts: [Double]
    /// Every wall draw a full server of group g can have (``ServerGroup/achievablePeakWatts`` ÷ PSU
    /// efficiency), ascending: the peaks racks are packed at, by the parts the plan picks.
    let serverWallPeaks: [[Double]]
    let cordsPerServer: [Int]
    /// How racks of design d hold group g's servers, lightest peak first (absent where none fits):
    /// one ``RackPacking`` per distinct rack pattern over the group's peaks.
    var packings: [[Int: [RackPacking]]] = []
    /// peak_at_most[g,j]: binary, 1 only when the parts picked for group g draw no more than
    /// serverWallPeaks[g][j] (``Facility``'s `peak_at_most` rows); by j, for the peaks a lighter
    /// packing needs.
    var peakAtMost: [[Int: Variable]] = []
    /// zs[d]: racks of design d holding only switches (absent without switches).
    var switchRacks: [Int: Variable] = [:]

    var gpuTypeUsed: [String: Variable] = [:]
    var cluster: Variable
    var fabricUsed: [FabricClass: Variable] = [:]
    var leaf: [Variable] = []
    var spine: [Variable] = []
    var singleSwitch: [Variable] = []
    var maxLeaves: [Int] = []
    var cableVariable: [FabricClass: Variable] = [:]
    var cableItem: [FabricClass: Cable] = [:]
    var rackChosen: [Variable] = []
    var racks: [Variable] = []
    var coolingUnits: [Variable] = []
    var pduCount: [Variable] = []
    var maxRacks = 1
    var maxPeakWallWatts: Double = 0
    /// Added to ``maxPeakWallWatts``, which only sizes the big-M of the cooling rows (Facility.swift):
    /// a margin above the servers' heaviest draw. Any non-negative margin keeps the big-M valid; a
    /// larger one only loosens the LP relaxation. No physical meaning.
    static let peakWallMarginWatts = 1_000.0
    /// A dollar over the budget (the relaxed program's budget slack) costs this much in the relaxed
    /// objective, against 1 for a dollar within it, so the diagnosis spends within the budget first
    /// and reports the overrun it cannot avoid. A penalty weight, not a price.
    static let budgetSlackPenaltyPerUSD = 10.0
    /// Efficiency used to turn server load into wall power when sizing (peak, racks, sockets): the
    /// least efficient PSU offered. TCO's energy uses each group's chosen PSU instead.
    let psuEfficiency: Double
    /// TCO only: load[g], the load group g's servers carry on average, and draw[g,o], group g's
    /// average DC draw carried by power option o (zero unless o is picked).
    var averageLoad: [Variable] = []
    var drawByPSU: [[Variable]] = []
    /// Owned items the plan uses (`existing.items`): bought[id] and the units used, by id (``OwnedItems``).
    var ownedBought: [String: (bought: Variable, used: LinearExpression)] = [:]

    /// The load the plan serves with its spare replicas down: the left side of the `demand` row.
    var served = LinearExpression()
    /// Maximise ``served`` within the budget instead of minimising cost (``MaximumThroughput``).
    let maximizeServed: Bool

    /// Optional slack on the budget, for the infeasibility diagnosis.
    var budgetSlack: Variable?
    var demandSlack: Variable?

    /// Builds the whole model. `relaxed` adds penalised slack on the budget and the demand, so a
    /// re-solve can say which of them cannot be met, and by how much. `groups` restricts the model to
    /// some of the server groups (default: all, from ``makeGroups(problem:fabricClasses:)``).
    /// `objectiveCutoff` keeps only plans whose objective is at most that value.
    /// `maximizeServed` replaces the objective with the most load served (``MaximumThroughput``).
    init(
        problem: PlanningProblem, relaxed: Bool = false, groups selected: [ServerGroup]? = nil, objectiveCutoff: Double? = nil,
        maximizeServed: Bool = false
    ) {
        self.problem = problem
        self.maximizeServed = maximizeServed
        let requirements = problem.requirements
        var model = Model(name: "planner")
        self.switches = problem.switches.sorted { $0.id < $1.id }
        self.pdus = problem.pdus.sorted { $0.id < $1.id }
        self.coolingOptions = problem.cooling.sorted { $0.id < $1.id }
        self.fabricClasses = ClusterNetwork.classes(nics: problem.nics, switches: problem.switches, cables: problem.cables, requirement: requirements.network)
        let psuEfficiency = Self.psuEfficiency(problem)
        self.psuEfficiency = psuEfficiency
        var designs = Self.allRackDesigns(problem)
        let groups = selected ?? Self.makeGroups(problem: problem, fabricClasses: fabricClasses, designs: designs)
        self.groups = groups
        let wallPeaks = groups.map { $0.achievablePeakWatts.map { $0 / psuEfficiency } }
        self.serverWallPeaks = wallPeaks
        // The base alone is one of a group's achievable peaks, so none of these lists is empty.
        self.heaviestServerWallWatts = wallPeaks.map { $0.last ?? 0 }
        self.cordsPerServer = groups.map(\.cordsPerServer)
        if requirements.ownedCapacity <= 0, !groups.isEmpty {
            // The plan buys a server (`at_least_one_replica`), so its design is one some group can use
            // with its lightest parts.
            designs = designs.filter { design in
                zip(groups, wallPeaks).contains { design.holds($0.server, peakWallWatts: $1.first ?? 0, cords: $0.cordsPerServer) }
            }
        }
        // Dominance must hold at every peak a group's servers can draw.
        let servers = zip(groups, wallPeaks).flatMap { group, peaks in
            let below = Self.partialsBelow(group, efficiency: psuEfficiency)
            return peaks.map { peak in
                (rackUnits: group.server.rackUnits, watts: peak, cords: group.cordsPerServer,
                 partials: below.map { (replicas: $0.replicas, watts: peak - $0.watts) })
            }
        }
        self.rackDesigns = RackDesign.undominated(
            designs, servers: servers, slot: Facility.switchSlot(problem.switches), hasSwitches: !problem.switches.isEmpty
        )
        self.cluster = model.addVariable("cluster", kind: .binary)
        self.model = model
        addGroupVariables()
        addNetworkVariables()
        addFacilityVariables()
        if relaxed {
            budgetSlack = self.model.addVariable("slack_budget_usd")
            demandSlack = self.model.addVariable("slack_demand")
        }
        addServingConstraints()
        addPartConstraints()
        if case .minimumTCO = requirements.objective, !maximizeServed { addEnergyConstraints() }
        if !requirements.ownedItems.isEmpty { OwnedItems.addConstraints(to: &self) }
        HostMemory.addConstraints(to: &self, rule: requirements.hostMemory)
        LocalStorage.addConstraints(to: &self, requirement: requirements.storage)
        ServerPower.addConstraints(to: &self)
        ClusterNetwork.addConstraints(to: &self)
        if requirements.site == .office {
            WallSocket.addConstraints(to: &self)
        } else {
            Facility.addConstraints(to: &self)
        }
        addBudgetAndObjective(cutoff: objectiveCutoff)
    }

    // MARK: - Groups and options

    /// Each partial server of `group`: its replicas and how many watts it draws at the wall below a
    /// full server with the same parts (the GPUs it lacks, at TDP, ÷ `efficiency`).
    static func partialsBelow(_ group: ServerGroup, efficiency: Double) -> [Facility.PartialServer] {
        let full = group.basePeakWatts(replicas: group.replicasPerServer)
        return group.partialReplicaCounts.map { (replicas: $0, watts: (full - group.basePeakWatts(replicas: $0)) / efficiency) }
    }

    /// The efficiency used to turn server load into wall power: the least efficient PSU offered.
    static func psuEfficiency(_ problem: PlanningProblem) -> Double {
        problem.psus.map(\.efficiency).filter { $0 > 0 && $0 <= 1 }.min() ?? 0.9
    }

    /// Every rack × allowed cooling × PDU configuration of the problem (``RackDesign/all(racks:cooling:pdus:methods:limitKW:)``),
    /// in catalog-id order.
    static func allRackDesigns(_ problem: PlanningProblem) -> [RackDesign] {
        RackDesign.all(
            racks: problem.racks.sorted { $0.id < $1.id }, cooling: problem.cooling.sorted { $0.id < $1.id },
            pdus: problem.pdus.sorted { $0.id < $1.id }, methods: problem.requirements.coolingMethods, limitKW: problem.requirements.rackPowerLimitKW
        )
    }

    /// Every (chassis, candidate) pair where the GPU fits the chassis (slots and cooling) and a TP group
    /// fits one server; its full server holds the most GPUs the chassis is sold with that a PSU set
    /// powers and a rack holds (every such count, one group each, with `uniform_servers`),
    /// with its part options; pairs missing a required part (no DIMM, array or PSU that works) are
    /// dropped, since no server of theirs could be built, and so are pairs no rack design can hold
    /// (its cooling method, its space or its power limit below one full server with the lightest parts
    /// that build it: the
    /// `rack_fit` and `chassis_cooling` rows would forbid them, but only branch-and-bound would tell).
    /// `designs`: the problem's rack designs (``allRackDesigns(_:)``), when the caller has them already.
    static func makeGroups(problem: PlanningProblem, fabricClasses: [FabricClass], designs given: [RackDesign]? = nil) -> [ServerGroup] {
        let requirements = problem.requirements
        let designs = given ?? allRackDesigns(problem)
        let efficiency = psuEfficiency(problem)
        var groups: [ServerGroup] = []
        // Arrays depend on the chassis's drive bays alone: enumerate them once per kind of bay.
        var arraysByBays: [LocalStorage.Bays: [ServerPart]] = [:]
        let owned = Set(requirements.ownedItems.keys)
        for server in problem.servers.sorted(by: { $0.id < $1.id }) {
            let bays = LocalStorage.Bays(of: server)
            for candidate in problem.candidates.sorted(by: { ($0.gpu.id, $0.tensorParallel) < ($1.gpu.id, $1.tensorParallel) })
            where server.accepts(candidate.gpu) && candidate.tensorParallel >= 1 && candidate.tensorParallel <= server.gpuSlots
                && candidate.capacityPerReplica > 0 {
                /// The group with its part options, the full server holding `limit` GPUs; nil when a part
                /// family has no option or no PSU option powers the full server (``powersFullServer``).
                func withOptions(limit: Int) -> ServerGroup? {
                    var group = ServerGroup(server: server, candidate: candidate)
                    group.gpuLimit = limit
                    // Parts the chassis price includes are the only option of their family, at $0.
                    let included = problem.includedParts[server.id]
                    var pins = requirements.pins
                    if let included, included.dimm != nil { pins.dimmsPerServer = included.dimmCount }
                    if let included, included.ssd != nil { pins.ssdsPerServer = included.ssdCount }
                    if let included, included.nic != nil { pins.nicsPerServer = included.nicCount }
                    if let included, included.psu != nil { pins.psusPerServer = included.psuCount }
                    group.memoryOptions = HostMemory.options(for: group, dimms: included?.dimm.map { [$0] } ?? problem.dimms, rule: requirements.hostMemory, pins: pins, owned: owned)
                    if let ssd = included?.ssd {
                        group.storageOptions = LocalStorage.options(for: server, ssds: [ssd], requirement: requirements.storage, pins: pins, owned: owned)
                    } else {
                        let arrays = arraysByBays[bays] ?? LocalStorage.options(for: server, ssds: problem.ssds, requirement: requirements.storage, pins: pins, owned: owned)
                        arraysByBays[bays] = arrays
                        group.storageOptions = arrays
                    }
                    group.networkOptions = ClusterNetwork.options(for: group, nics: included?.nic.map { [$0] } ?? problem.nics, classes: fabricClasses, requirement: requirements.network, pins: pins, owned: owned)
                    let parts = [group.memoryOptions, group.storageOptions, group.networkOptions]
                    let lightestParts = parts.map { $0.map(\.powerWatts).min() ?? 0 }.reduce(0, +)
                    let heaviestParts = parts.map { $0.map(\.powerWatts).max() ?? 0 }.reduce(0, +)
                    group.powerOptions = ServerPower.options(
                        for: group, psus: included?.psu.map { [$0] } ?? problem.psus, redundancy: requirements.psuRedundancy(for: server), pins: pins,
                        lightestPartsWatts: lightestParts - (parts[2].map(\.powerWatts).min() ?? 0), heaviestPartsWatts: heaviestParts, owned: owned
                    )
                    if group.memoryOptions.isEmpty || group.storageOptions.isEmpty || group.powerOptions.isEmpty { return nil }
                    return powersFullServer(group, rule: requirements.hostMemory) ? group : nil
                }
                // The full server holds the most GPUs the chassis is sold with (a multiple of TP) that some
                // PSU set powers: a chassis whose every slot filled would outrun its PSUs (four RTX 4090s
                // in a two-bay tower at n+1) fills servers to the largest count it can power instead, so
                // its servers are never one partial server alone.
                let counts = server.gpuCounts.filter { $0 % candidate.tensorParallel == 0 && $0 <= server.gpuSlots }.sorted(by: >)
                /// With `uniform_servers`: one group per GPU count the chassis is sold with, each with no partial server.
                func uniform(_ group: ServerGroup) -> ServerGroup {
                    var group = group
                    group.allowsPartialServer = false
                    group.countInKey = true
                    return group
                }
                if requirements.site == .office {
                    // No racks: one wall socket per machine. The full server holds the most GPUs (a count
                    // the chassis is sold with) whose lightest build fits the socket; the `socket_power`
                    // rows then hold each server to it with the parts the plan picks.
                    for n in counts {
                        guard let group = withOptions(limit: n), WallSocket.fits(group, gpus: n, socketWatts: requirements.socketWatts, efficiency: efficiency) else { continue }
                        groups.append(requirements.uniformServers ? uniform(group) : group)
                        if !requirements.uniformServers { break }
                    }
                    continue
                }
                // Uniform: a group per count. Otherwise the largest count that yields a group a rack holds.
                for n in counts {
                    guard var group = withOptions(limit: n) else { continue }
                    if requirements.uniformServers { group = uniform(group) }
                    guard let lightest = group.lightestFullServerPeakWatts(rule: requirements.hostMemory) else { continue }
                    let peakWallWatts = lightest / efficiency
                    guard designs.contains(where: { $0.holds(server, peakWallWatts: peakWallWatts, cords: group.cordsPerServer) }) else { continue }
                    groups.append(group)
                    if !requirements.uniformServers { break }
                }
            }
        }
        return groups
    }

    /// Whether some PSU option of `group` carries its full server built with the lightest parts that
    /// serve it: the lightest DIMM option holding the full server's host memory, the lightest array,
    /// no NIC (a server alone needs none; in a cluster the `psu_capacity` row adds the NICs' draw).
    static func powersFullServer(_ group: ServerGroup, rule: HostMemoryRule) -> Bool {
        guard let watts = group.lightestFullServerPeakWatts(rule: rule) else { return false }
        return group.powerOptions.contains { $0.usablePSUWatts >= watts - 1e-9 }
    }

    // MARK: - Variables

    private mutating func addGroupVariables() {
        let requirements = problem.requirements
        for (g, group) in groups.enumerated() {
            let replicasNeeded = (requirements.demand / group.candidate.capacityPerReplica).rounded(.up) + (requirements.spareReplica ? 1 : 0)
            var bound = Int(min((max(replicasNeeded, 1) / Double(group.replicasPerServer)).rounded(.up), 1_000_000)) + 1
            let pins = requirements.pins
            if pins.serverCount != nil || pins.gpuCount != nil {
                // Pins may ask for more servers than the demand needs (three servers pinned where two
                // full ones would serve): bound by the pins alone.
                bound = min(pins.serverCount ?? 1_000_000, pins.gpuCount.map { $0 / max(group.tensorParallel, 1) + 1 } ?? 1_000_000)
            }
            if maximizeServed, let budget = requirements.budgetUSD {
                // Each server holds at least one replica: servers · (chassis + TP GPUs) ≤ capex ≤ budget.
                let perServerUSD = group.server.listing.priceUSD + Double(group.tensorParallel) * group.gpu.listing.priceUSD
                let budgetBound = Int(min((budget / max(perServerUSD, 1)).rounded(.down), 1_000_000))
                bound = pins.serverCount != nil || pins.gpuCount != nil ? min(bound, budgetBound) : budgetBound
            }
            bound = max(bound, 1)
            maxServers.append(bound)
            let key = group.key
            full.append(model.addVariable("servers_full[\(key)]", kind: .integer, lowerBound: 0, upperBound: Double(bound)))
            for m in group.partialReplicaCounts {
                partialVariables[PartialKey(group: g, replicas: m)] = model.addVariable("server_partial[\(key),\(m)]", kind: .binary)
            }
            used.append(model.addVariable("used[\(key)]", kind: .binary))
            fullUsed.append(model.addVariable("full_used[\(key)]", kind: .binary))
            // Per family: every pick, then every count (the model's column order).
            for (family, options) in group.allOptions {
                for (o, option) in options.enumerated() {
                    pickVariables[PartKey(group: g, family: family, option: o)] = model.addVariable("pick[\(key),\(option.key)]", kind: .binary)
                }
                for (o, option) in options.enumerated() {
                    countVariables[PartKey(group: g, family: family, option: o)] = model.addVariable(
                        "count[\(key),\(option.key)]", kind: .integer, lowerBound: 0, upperBound: Double(bound))
                }
            }
            if gpuTypeUsed[group.gpu.id] == nil {
                gpuTypeUsed[group.gpu.id] = model.addVariable("gpu_type_used[\(group.gpu.id)]", kind: .binary)
            }
        }
        maxPeakWallWatts = zip(maxServers, heaviestServerWallWatts).reduce(0) { $0 + Double($1.0) * $1.1 } + Self.peakWallMarginWatts
    }

    private mutating func addNetworkVariables() {
        let totalServers = maxServers.reduce(0, +)
        for fabricClass in fabricClasses {
            fabricUsed[fabricClass] = model.addVariable("fabric_used[\(fabricClass.key)]", kind: .binary)
            if let cable = problem.cables.filter({ FabricClass(fabric: $0.fabric, speedGbps: $0.speedGbps) == fabricClass }).min(by: { ($0.listing.priceUSD, $0.id) < ($1.listing.priceUSD, $1.id) }) {
                cableItem[fabricClass] = cable
                cableVariable[fabricClass] = model.addVariable("cables[\(cable.id)]", kind: .integer)
            }
        }
        for item in switches {
            let ports = groups.indices.reduce(0) { total, g in
                total + maxServers[g] * (groups[g].networkOptions.map(\.networkPorts).max() ?? 0)
            }
            let bound = max(1, Int((Double(ports) / Double(max(item.ports / 2, 1))).rounded(.up)) + 1)
            maxLeaves.append(bound)
            let usable = fabricUsed[FabricClass(fabric: item.fabric, speedGbps: item.portSpeedGbps)] != nil && totalServers > 1
            leaf.append(model.addVariable("leaf_switches[\(item.id)]", kind: .integer, upperBound: usable ? Double(bound) : 0))
            spine.append(model.addVariable("spine_switches[\(item.id)]", kind: .integer, upperBound: usable ? Double(bound) : 0))
            singleSwitch.append(model.addVariable("single_switch[\(item.id)]", kind: .binary))
        }
    }

    private mutating func addFacilityVariables() {
        let switchUnits = switches.indices.reduce(0) { $0 + maxLeaves[$1] * 2 }
        maxRacks = max(1, maxServers.reduce(0, +) + switchUnits)
        for design in rackDesigns {
            rackChosen.append(model.addVariable("rack_design[\(design.key)]", kind: .binary))
            racks.append(model.addVariable("racks[\(design.key)]", kind: .integer, upperBound: Double(maxRacks)))
        }
        let slot = Facility.switchSlot(switches)
        for g in groups.indices {
            let key = groups[g].key, peaks = serverWallPeaks[g], bound = Double(maxServers[g])
            let below = Self.partialsBelow(groups[g], efficiency: psuEfficiency)
            var byDesign: [Int: [RackPacking]] = [:], limits: [Int: Variable] = [:]
            for (d, design) in rackDesigns.enumerated() {
                let levels = Facility.levels(
                    design, rackUnits: groups[g].server.rackUnits, wallPeaks: peaks, cords: cordsPerServer[g], slot: slot, partialsBelow: below
                )
                guard !levels.isEmpty else { continue }
                byDesign[d] = levels.map { level in
                    // The heaviest peak needs no condition; a lighter one holds only when the parts picked draw no more.
                    let heaviest = level.peak == peaks.count - 1
                    let suffix = heaviest ? "" : ",peak\(level.peak)"
                    var limit: Variable?
                    if !heaviest {
                        if limits[level.peak] == nil {
                            limits[level.peak] = model.addVariable("peak_at_most[\(key),\(level.peak)]", kind: .binary)
                        }
                        limit = limits[level.peak]
                    }
                    let racks = model.addVariable("group_racks[\(key),\(design.key)\(suffix)]", kind: .integer, upperBound: bound)
                    let shared = level.pattern.shared != nil && !switches.isEmpty
                        ? model.addVariable("group_racks_shared[\(key),\(design.key)\(suffix)]", kind: .integer, upperBound: bound) : nil
                    // A rack with the partial server helps only when the group may need more servers than
                    // one full rack holds; otherwise a full rack holds them all, the partial one among them.
                    let mixed = maxServers[g] > level.pattern.full ? level.pattern.mixed.indices.map {
                        model.addVariable("group_racks_with_partial[\(key),\(design.key)\(suffix),\($0)]", kind: .binary)
                    } : []
                    return RackPacking(pattern: level.pattern, peak: level.peak, racks: racks, sharedRacks: shared, mixedRacks: mixed, peakAtMost: limit)
                }
            }
            packings.append(byDesign)
            peakAtMost.append(limits)
        }
        if !switches.isEmpty {
            for (d, design) in rackDesigns.enumerated() where design.perRack(rackUnits: slot.rackUnits, peakWatts: max(slot.watts, 1e-9), cords: 1) > 0 {
                switchRacks[d] = model.addVariable("switch_racks[\(design.key)]", kind: .integer, upperBound: Double(maxRacks))
            }
        }
        for option in coolingOptions {
            coolingUnits.append(model.addVariable("cooling_units[\(option.id)]", kind: .integer))
        }
        for pdu in pdus {
            pduCount.append(model.addVariable("pdus[\(pdu.id)]", kind: .integer))
        }
    }

    func switchIndices(of fabricClass: FabricClass) -> [Int] {
        switches.indices.filter { FabricClass(fabric: switches[$0].fabric, speedGbps: switches[$0].portSpeedGbps) == fabricClass }
    }

    // MARK: - Variables by key

    /// The options of a part family of group g, in ``ServerGroup/allOptions`` order (empty for a
    /// family the group has no options for).
    func options(group g: Int, family: ServerPart.Family) -> [ServerPart] {
        groups[g].allOptions.first { $0.family == family }?.options ?? []
    }

    /// pick[g,o] for every option o of `family`, in option order.
    func picks(group g: Int, family: ServerPart.Family) -> [Variable] {
        options(group: g, family: family).indices.map { Self.variable(pickVariables, PartKey(group: g, family: family, option: $0), "pick") }
    }

    /// count[g,o] for every option o of `family`, in option order.
    func counts(group g: Int, family: ServerPart.Family) -> [Variable] {
        options(group: g, family: family).indices.map { Self.variable(countVariables, PartKey(group: g, family: family, option: $0), "count") }
    }

    /// server_partial[g,m].
    func partial(group g: Int, replicas m: Int) -> Variable {
        Self.variable(partialVariables, PartialKey(group: g, replicas: m), "server_partial")
    }

    /// (m, server_partial[g,m]) for every partial size m of group g, ascending.
    func partials(group g: Int) -> [(replicas: Int, variable: Variable)] {
        groups[g].partialReplicaCounts.map { ($0, partial(group: g, replicas: $0)) }
    }

    /// The variable for `key`. Every key the builders ask for was added with the group's variables,
    /// so a missing one is a planner bug: it stops with the key and the variable family in the
    /// message, rather than at an anonymous force-unwrap.
    static func variable<Key: Hashable>(_ variables: [Key: Variable], _ key: Key, _ family: String) -> Variable {
        guard let variable = variables[key] else { preconditionFailure("PlanFormulation: no \(family) variable for \(key)") }
        return variable
    }

    // MARK: - Expressions

    /// servers[g] = full[g] + Σ_m partial[g,m]
    func serversExpression(group g: Int) -> LinearExpression {
        LinearExpression(full[g]) + LinearExpression.sum(partials(group: g).map(\.variable))
    }

    /// replicas[g] = R_g · full[g] + Σ_m m · partial[g,m]
    func replicasExpression(group g: Int) -> LinearExpression {
        Double(groups[g].replicasPerServer) * full[g]
            + LinearExpression(terms: partials(group: g).map { (Double($0.replicas), $0.variable) })
    }

    /// GPUs[g] = TP · replicas[g]
    func gpusExpression(group g: Int) -> LinearExpression {
        Double(groups[g].tensorParallel) * replicasExpression(group: g)
    }

    /// Σ_o value(o) · pick[g,family,o]: a per-server quantity of the chosen option.
    func partExpression(group g: Int, family: ServerPart.Family, _ value: (ServerPart) -> Double) -> LinearExpression {
        LinearExpression(terms: zip(options(group: g, family: family).map(value), picks(group: g, family: family)))
    }

    /// Peak load of all servers of group g: Σ (base + GPUs · TDP) + Σ_f Σ_o W_o · count[g,f,o]
    func groupPeakWatts(group g: Int) -> LinearExpression {
        let group = groups[g]
        var watts = group.basePeakWatts(replicas: group.replicasPerServer) * full[g]
        for (m, partial) in partials(group: g) { watts.add(group.basePeakWatts(replicas: m), partial) }
        for (family, options) in group.allOptions {
            let familyCounts = counts(group: g, family: family)
            for (o, option) in options.enumerated() where option.powerWatts > 0 { watts.add(option.powerWatts, familyCounts[o]) }
        }
        return watts
    }

    /// Peak draw at the wall: server loads ÷ PSU efficiency + switches + cables.
    var peakWallWatts: LinearExpression {
        var watts = rackedWallWatts
        for (fabricClass, cable) in cableItem.sorted(by: { $0.key < $1.key }) where cable.powerWatts > 0 { watts.add(cable.powerWatts, Self.variable(cableVariable, fabricClass, "cables")) }
        watts.add(coolingWatts)
        return watts
    }

    /// What the racks carry at peak: server loads ÷ PSU efficiency + switches (cables and cooling
    /// units draw outside the racks' budget).
    var rackedWallWatts: LinearExpression {
        var watts = LinearExpression.sum(groups.indices.map { groupPeakWatts(group: $0) }) * (1 / psuEfficiency)
        for x in switches.indices { watts.add(switches[x].powerWatts * (leaf[x] + spine[x])) }
        return watts
    }

    /// Fans and pumps of the cooling units bought (a rear-door heat exchanger's fans, a CDU's pumps).
    var coolingWatts: LinearExpression {
        LinearExpression(terms: coolingOptions.indices.filter { coolingOptions[$0].powerWatts > 0 }.map { (coolingOptions[$0].powerWatts, coolingUnits[$0]) })
    }

    // MARK: - Constraints

    /// Demand, redundancy, GPU types and pins:
    ///
    ///     demand:            Σ_g cap_g · replicas[g] − [n+1] Σ_g cap_g · used[g] ≥ D
    ///     group_used[g]:     servers[g] ≤ U_g · used[g]
    ///     full_used[g]:      full[g] ≤ U_g · full_used[g]
    ///     one_partial[g]:    Σ_m partial[g,m] ≤ 1
    ///     group_has_server[g]: servers[g] ≥ used[g]
    ///     gpu_type[g]:       used[g] ≤ gpu_type_used[gpu(g)]
    ///     gpu_types:         Σ_gpu gpu_type_used ≤ 1              (unless mixing is allowed)
    ///     pin_gpu_count:     Σ_g GPUs[g] = pinned;   pin_server_count: Σ_g servers[g] = pinned
    ///     uniform_servers:   Σ_g used[g] ≤ 1   (only with `constraints.uniform_servers`: one group, so one
    ///                        chassis, GPU, TP, GPU count and part configuration; its groups are one per
    ///                        GPU count the chassis is sold with, none with a partial server)
    ///     at_least_one_replica: Σ_g replicas[g] ≥ 1;   any_group_used: Σ_g used[g] ≥ 1   (nothing owned)
    ///
    /// `group_has_server` and `any_group_used` cut off no integer plan (a used group with no server
    /// can always be marked unused; a plan with a replica uses a group): they tighten the LP
    /// relaxation, whose fractional `used` would otherwise carry a fraction of every fixed cost —
    /// a rack, its PDUs, a chassis — and leave branch-and-bound to find them (docs/optimizer.md).
    private mutating func addServingConstraints() {
        let requirements = problem.requirements
        var capacity = LinearExpression()
        for g in groups.indices {
            let key = groups[g].key
            let cap = groups[g].candidate.capacityPerReplica
            capacity.add(replicasExpression(group: g), times: cap)
            if requirements.spareReplica { capacity.add(-cap, used[g]) }
            let bound = Double(maxServers[g])
            model.addConstraint(serversExpression(group: g) - bound * used[g] <= 0, name: "group_used[\(key)]")
            model.addConstraint(full[g] - bound * fullUsed[g] <= 0, name: "full_used[\(key)]")
            model.addConstraint(fullUsed[g] - LinearExpression(used[g]) <= 0, name: "full_used_implies_used[\(key)]")
            model.addConstraint(serversExpression(group: g) - used[g] >= 0, name: "group_has_server[\(key)]")
            let groupPartials = partials(group: g)
            if !groupPartials.isEmpty {
                model.addConstraint(LinearExpression.sum(groupPartials.map(\.variable)) <= 1, name: "one_partial[\(key)]")
            }
            model.addConstraint(used[g] - Self.variable(gpuTypeUsed, groups[g].gpu.id, "gpu_type_used") <= 0, name: "gpu_type[\(key)]")
        }
        served = capacity
        if let demandSlack { capacity.add(1, demandSlack) }
        model.addConstraint(capacity >= max(requirements.demand, 0), name: "demand")
        let anyServer = LinearExpression.sum(groups.indices.map { replicasExpression(group: $0) })
        // Owned servers (`existing:`) may carry the whole demand; otherwise the plan buys something.
        if requirements.ownedCapacity <= 0, !groups.isEmpty {
            model.addConstraint(anyServer >= 1, name: "at_least_one_replica")
            model.addConstraint(LinearExpression.sum(used) >= 1, name: "any_group_used")
        }
        addDemandRoundingCuts()
        if !requirements.allowMixedGPUTypes, !gpuTypeUsed.isEmpty {
            model.addConstraint(LinearExpression.sum(gpuTypeUsed.sorted { $0.key < $1.key }.map(\.value)) <= 1, name: "gpu_types")
        }
        if requirements.uniformServers, !groups.isEmpty {
            model.addConstraint(LinearExpression.sum(used) <= 1, name: "uniform_servers")
        }
        if let pinned = requirements.pins.gpuCount {
            model.addConstraint(LinearExpression.sum(groups.indices.map { gpusExpression(group: $0) }) == Double(pinned), name: "pin_gpu_count")
        }
        if let pinned = requirements.pins.serverCount {
            model.addConstraint(LinearExpression.sum(groups.indices.map { serversExpression(group: $0) }) == Double(pinned), name: "pin_server_count")
        }
    }

    /// The demand row rounded up over whole GPUs and whole servers (Chvátal–Gomory cuts): with
    /// c_g = cap_g / TP_g the load one GPU of group g carries and R_g the replicas a full server holds,
    /// every plan has Σ_g c_g · GPUs[g] = Σ_g cap_g · replicas[g] ≥ D and Σ_g cap_g · R_g · servers[g] ≥ D, so
    ///
    ///     demand_gpus:    Σ_g GPUs[g]    ≥ ⌈D / max_g c_g⌉
    ///     demand_servers: Σ_g servers[g] ≥ ⌈D / max_g (cap_g · R_g)⌉
    ///
    /// No integer plan is cut off; the LP relaxation, which otherwise serves D with fractions of a
    /// GPU, pays for whole ones (llama-70b: 4 GPUs' worth → 5). Left out when the demand row is relaxed
    /// (the diagnosis's slack) or maximised.
    private mutating func addDemandRoundingCuts() {
        let demand = problem.requirements.demand
        guard demand > 0, demandSlack == nil, !maximizeServed, !groups.isEmpty else { return }
        let perGPU = groups.map { $0.candidate.capacityPerReplica / Double(max($0.tensorParallel, 1)) }.max() ?? 0
        let perServer = groups.map { $0.candidate.capacityPerReplica * Double(max($0.replicasPerServer, 1)) }.max() ?? 0
        guard perGPU > 0, perServer > 0 else { return }
        // 1e-9 of slack keeps a demand that is an exact multiple from rounding up on floating-point noise.
        let gpus = (demand / perGPU - 1e-9).rounded(.up), servers = (demand / perServer - 1e-9).rounded(.up)
        model.addConstraint(LinearExpression.sum(groups.indices.map { gpusExpression(group: $0) }) >= gpus, name: "demand_gpus")
        model.addConstraint(LinearExpression.sum(groups.indices.map { serversExpression(group: $0) }) >= servers, name: "demand_servers")
    }

    /// Every server of a group gets exactly one option of each required family, the same one:
    ///
    ///     one_option[g,f]:   Σ_o pick[g,f,o] ≤ 1
    ///     option_count[g,f,o]: count[g,f,o] ≤ U_g · pick[g,f,o]
    ///     every_server[g,f]: Σ_o count[g,f,o] = servers[g]        (memory, storage, power)
    ///                        Σ_o count[g,f,o] ≤ servers[g]        (network: only in a cluster)
    private mutating func addPartConstraints() {
        for g in groups.indices {
            let key = groups[g].key
            let bound = Double(maxServers[g])
            for (family, options) in groups[g].allOptions {
                let familyPicks = picks(group: g, family: family), familyCounts = counts(group: g, family: family)
                if options.isEmpty {
                    continue
                }
                model.addConstraint(LinearExpression.sum(familyPicks) <= 1, name: "one_option[\(key),\(family.rawValue)]")
                for o in options.indices {
                    model.addConstraint(familyCounts[o] - bound * familyPicks[o] <= 0, name: "option_count[\(key),\(options[o].key)]")
                }
                let total = LinearExpression.sum(familyCounts) - serversExpression(group: g)
                model.addConstraint(family == .network ? total <= 0 : total == 0, name: "every_server[\(key),\(family.rawValue)]")
            }
        }
    }

    /// capex = Σ GPUs · price + Σ servers · price + Σ part counts · price + switches + cables + racks
    /// + cooling units + PDUs;   budget: capex ≤ budget (+ slack when relaxed).
    /// Objective: capex, or capex + energy (average wall draw × hours × PUE × $/kWh) for TCO; a
    /// relaxed model adds each slack at a penalty far above any real price. With `maximizeServed`:
    /// max Σ_g cap_g · replicas[g] − [n+1] Σ_g cap_g · used[g] instead.
    ///
    ///     objective_cutoff:  objective ≤ cutoff        (only with a cutoff: a plan found elsewhere
    ///                                                   costs that much, so only cheaper ones matter)
    private mutating func addBudgetAndObjective(cutoff: Double?) {
        let capex = capexExpression
        if let budget = problem.requirements.budgetUSD {
            var limited = capex
            if let budgetSlack { limited.add(-1, budgetSlack) }
            model.addConstraint(limited <= budget, name: "budget")
        }
        var objective = capex
        if case let .minimumTCO(years, price, pue) = problem.requirements.objective {
            objective.add(averageWallWatts, times: years * 8766 / 1000 * pue * price)
        }
        if let budgetSlack { objective.add(Self.budgetSlackPenaltyPerUSD, budgetSlack) }
        if let cutoff { model.addConstraint(objective <= cutoff, name: "objective_cutoff") }
        if maximizeServed {
            model.maximize(served)
            return
        }
        if let demandSlack {
            let costliest = groups.map { Double($0.replicasPerServer) > 0 ? $0.gpu.listing.priceUSD * Double($0.tensorParallel) * 100 / max($0.candidate.capacityPerReplica, 1e-9) : 0 }.max() ?? 1e6
            objective.add(max(costliest, 1e6), demandSlack)
        }
        model.minimize(objective)
    }

    /// Capital cost of everything the plan buys (owned items it uses at $0, ``OwnedItems``).
    var capexExpression: LinearExpression {
        var capex = LinearExpression()
        for g in groups.indices {
            let group = groups[g]
            capex.add(gpusExpression(group: g), times: group.gpu.listing.priceUSD)
            capex.add(serversExpression(group: g), times: group.server.listing.priceUSD)
            for (family, options) in group.allOptions {
                for (option, count) in zip(options, counts(group: g, family: family)) { capex.add(option.priceUSD, count) }
            }
        }
        for x in switches.indices { capex.add(switches[x].listing.priceUSD * (leaf[x] + spine[x])) }
        for (fabricClass, cable) in cableItem.sorted(by: { $0.key < $1.key }) { capex.add(cable.listing.priceUSD, Self.variable(cableVariable, fabricClass, "cables")) }
        for (d, design) in rackDesigns.enumerated() { capex.add(design.rack.listing.priceUSD, racks[d]) }
        for (c, option) in coolingOptions.enumerated() { capex.add(option.listing.priceUSD, coolingUnits[c]) }
        for (p, pdu) in pdus.enumerated() { capex.add(pdu.listing.priceUSD, pduCount[p]) }
        if !ownedBought.isEmpty { capex.add(OwnedItems.capexCredit(self)) }
        return capex
    }

    /// Expected average draw at the wall while serving (TCO models only; ``addEnergyConstraints()``):
    /// Σ_g Σ_o draw[g,o] ÷ efficiency_o + switches + cooling units' fans and pumps.
    var averageWallWatts: LinearExpression {
        var watts = LinearExpression()
        for g in drawByPSU.indices {
            for (o, option) in groups[g].powerOptions.enumerated() {
                watts.add(1 / Self.efficiency(of: option, fallback: psuEfficiency), drawByPSU[g][o])
            }
        }
        for x in switches.indices { watts.add(switches[x].powerWatts * (leaf[x] + spine[x])) }
        return watts + coolingWatts
    }

    /// The efficiency of a power option's PSU (`fallback` for a figure outside (0, 1]).
    static func efficiency(of option: ServerPart, fallback: Double) -> Double {
        guard case let .power(psu, _, _) = option, psu.efficiency > 0, psu.efficiency <= 1 else { return fallback }
        return psu.efficiency
    }

    /// Average DC draw of group g's servers (``EnergyModel``), with `load` the load they carry:
    /// i · TDP · GPUs[g] + k_g · load + f · (base · servers[g] + Σ_f Σ_o W_o · count[g,f,o]),
    /// k_g = ``EnergyModel/activeWattsPerLoad(_:outputTokens:)``.
    func averageDrawExpression(group g: Int, load: LinearExpression) -> LinearExpression {
        let group = groups[g]
        var watts = (EnergyModel.idleFractionOfTDP * group.gpu.powerWatts) * gpusExpression(group: g)
        watts.add(load, times: EnergyModel.activeWattsPerLoad(group.candidate, outputTokens: problem.requirements.energy.outputTokens))
        var platform = group.server.powerWatts * serversExpression(group: g)
        for (family, options) in group.allOptions {
            for (o, option) in options.enumerated() where option.powerWatts > 0 { platform.add(option.powerWatts, counts(group: g, family: family)[o]) }
        }
        watts.add(platform, times: EnergyModel.platformAverageFraction)
        return watts
    }

    /// TCO's energy, exact and linear: the load is spread over the replicas, and each group's draw is
    /// divided by the efficiency of the PSU it carries.
    ///
    ///     energy_load:        Σ_g load[g] (+ demand slack) ≥ L   (L: the stated load less the owned servers' share)
    ///     load_capacity[g]:   load[g] ≤ cap_g · replicas[g]      (= without a stated load: every replica at its rated load)
    ///     psu_draw[g]:        Σ_o draw[g,o] = averageDraw(g, load[g])
    ///     psu_draw_pick[g,o]: draw[g,o] ≤ M_g · pick[g,power,o], M_g = U_g · the group's heaviest server's peak
    ///
    /// Minimising puts the load where it costs least energy and each draw on the PSU picked.
    private mutating func addEnergyConstraints() {
        let energy = problem.requirements.energy
        for g in groups.indices {
            let key = groups[g].key
            let load = model.addVariable("load[\(key)]")
            averageLoad.append(load)
            let capacity = groups[g].candidate.capacityPerReplica * replicasExpression(group: g)
            if energy.load == nil {
                model.addConstraint(LinearExpression(load) - capacity == 0, name: "load_capacity[\(key)]")
            } else {
                model.addConstraint(LinearExpression(load) - capacity <= 0, name: "load_capacity[\(key)]")
            }
            let bound = Double(maxServers[g]) * heaviestServerWallWatts[g] * psuEfficiency
            var draws: [Variable] = []
            for (o, option) in groups[g].powerOptions.enumerated() {
                let draw = model.addVariable("draw[\(key),\(option.key)]", upperBound: bound)
                model.addConstraint(draw - bound * picks(group: g, family: .power)[o] <= 0, name: "psu_draw_pick[\(key),\(option.key)]")
                draws.append(draw)
            }
            drawByPSU.append(draws)
            model.addConstraint(LinearExpression.sum(draws) - averageDrawExpression(group: g, load: LinearExpression(load)) == 0, name: "psu_draw[\(key)]")
        }
        if let load = energy.load, load > 0 {
            var carried = LinearExpression.sum(averageLoad)
            if let demandSlack { carried.add(1, demandSlack) }
            model.addConstraint(carried >= load, name: "energy_load")
        }
    }
}

/// Addresses a part option's variables: group g (an index into ``PlanFormulation/groups``), a part
/// family, and option o (an index into that family's options in ``ServerGroup/allOptions``).
struct PartKey: Hashable, Sendable {
    let group: Int
    let family: ServerPart.Family
    let option: Int
}

/// One way racks of a design hold a group's servers: `pattern` (servers per rack and switch slots
/// left) for servers drawing at most ``PlanFormulation/serverWallPeaks``[g][`peak`] at the wall;
/// `racks` (z) full racks, `sharedRacks` (w) racks holding fewer to leave a switch slot, and
/// `mixedRacks` (y, one per `pattern.mixed`, none when one full rack holds every server the group may
/// buy) a full rack that also holds the group's partial server.
/// `peakAtMost` is the binary that allows them, nil at the group's heaviest peak (always allowed).
struct RackPacking {
    let pattern: Facility.Pattern
    let peak: Int
    let racks: Variable
    let sharedRacks: Variable?
    let mixedRacks: [Variable]
    let peakAtMost: Variable?
}

/// Addresses a partial server's variable: group g holding `replicas` replicas.
struct PartialKey: Hashable, Sendable {
    let group: Int
    let replicas: Int
}
