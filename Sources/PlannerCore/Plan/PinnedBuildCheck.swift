import LinearModel

/// Checks a hand-made build (a spec whose `pin` fixes the components) and finds the cheapest fix
/// (`planner check`).
///
/// Three sources of broken rules, each with its numbers:
/// 1. compatibility: the spec loader's `pin.*` diagnostics (a PSU the chassis does not take, …);
/// 2. the pinned build's own figures, computed here from the catalog: GPUs per server against the
///    slots, server peak power against what the PSUs deliver with the redundancy, whether the model
///    fits and meets the SLO at the pinned GPU and TP, capacity against demand, host memory, and
///    the pinned parts' price against the budget;
/// 3. the optimizer run on the pinned spec: when it finds no plan, its diagnosis.
///
/// The fix: the spec solved again with the pins named by the broken rules released (every pin, if
/// that is still infeasible); the released pins' new values are read off that plan.
public struct PinnedBuildCheck: Sendable {
    public struct Violation: Sendable, Hashable {
        /// `compatibility`, `gpu_slots`, `gpu_count`, `psu_capacity`, `vram`, `slo`, `demand`, `host_memory`, `budget`, `solver`.
        public var rule: String
        public var message: String
        /// The pin keys (as in the spec, without `pin.`) that releasing may fix it.
        public var pins: [String]
    }

    public struct Change: Sendable, Hashable {
        public var key: String
        public var from: String?
        public var to: String?
    }

    public struct Fix: Sendable {
        /// Pin keys released before solving again.
        public var released: [String]
        /// Released pins whose value differs in the fixed plan, in spec order.
        public var changes: [Change]
        public var plan: Plan
    }

    public var specName: String
    public var violations: [Violation]
    /// The optimizer's answer for the spec as pinned.
    public var pinnedPlan: Plan
    public var fix: Fix?

    public var isValid: Bool { violations.isEmpty }

    /// Runs the check. `compatibility` holds the loader's diagnostics under `pin.`; `solve` solves a
    /// spec (the CLI passes the optimizer with its time limit).
    public static func run(spec: Spec, catalog: Catalog, compatibility: [Diagnostic], solve: (Spec) -> Plan) -> PinnedBuildCheck {
        var violations = compatibility.sorted().map { d in
            let key = String(d.keyPath.dropFirst("pin.".count))
            return Violation(rule: "compatibility", message: "\(d.keyPath): \(d.message)", pins: PinKey.family(of: key))
        }
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        violations += figures(spec: spec, catalog: catalog, input: input)
        let pinnedPlan = solve(spec)
        if !pinnedPlan.hasBuild && violations.isEmpty {
            violations.append(contentsOf: pinnedPlan.diagnosis.map { Violation(rule: "solver", message: $0, pins: PinKey.all.map(\.key)) })
        }
        var fix: Fix?
        if !violations.isEmpty {
            var released = PinKey.all.map(\.key).filter { key in violations.contains { $0.pins.contains(key) } }
            var plan = solve(spec.releasing(released))
            if !plan.hasBuild {
                released = PinKey.all.map(\.key)
                plan = solve(spec.releasing(released))
            }
            if plan.hasBuild {
                let changes = PinKey.all.filter { released.contains($0.key) }.compactMap { pin -> Change? in
                    let before = pin.get(spec.pin), after = pin.read(plan)
                    return before == after || before == nil ? nil : Change(key: pin.key, from: before, to: after)
                }
                fix = Fix(released: released.filter { key in spec.pin.value(of: key) != nil }, changes: changes, plan: plan)
            }
        }
        return PinnedBuildCheck(specName: spec.name, violations: violations, pinnedPlan: pinnedPlan, fix: fix)
    }

    /// The rules checked from the pinned build's own figures.
    static func figures(spec: Spec, catalog: Catalog, input: PlanningInput) -> [Violation] {
        let pin = spec.pin
        var found: [Violation] = []
        func n(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e12 ? Format.integer(Int(x)) : Format.fixed(x, 1) }
        // Owned hardware only (`existing:`, nothing pinned): does it carry the demand? The fix is then
        // the spec solved as it stands, which buys only the missing capacity.
        if pin.isEmpty, !spec.existing.isEmpty {
            let requirements = input.problem.requirements
            if requirements.demand > 0 {
                let total = requirements.demand + requirements.ownedCapacity
                found.append(Violation(
                    rule: "demand",
                    message: spec.existing.servers.isEmpty
                        ? "no owned server carries any of the demand of \(n(total)) (\(input.context.demandUnit.rawValue)); the owned items are used by the fix"
                        : "the owned servers carry \(n(requirements.ownedCapacity)) of a demand of \(n(total)) (\(input.context.demandUnit.rawValue)); \(n(requirements.demand)) more is needed",
                    pins: []))
            }
            return found
        }
        guard let gpu = pin.gpu.flatMap(catalog.gpu) else { return found }
        let server = pin.server.flatMap(catalog.server)
        let serverCount = pin.serverCount ?? 1
        let gpuCount = pin.gpuCount ?? server?.gpuSlots ?? 1
        let gpusPerServer = (gpuCount + serverCount - 1) / serverCount

        if let server, gpusPerServer > server.gpuSlots {
            found.append(Violation(rule: "gpu_slots", message: "\(gpuCount) × \(gpu.id) in \(serverCount) × \(server.id) is \(gpusPerServer) GPUs per server; it has \(server.gpuSlots) GPU slots", pins: ["gpu_count", "server_count"]))
        }
        if let server, gpusPerServer <= server.gpuSlots, !server.allowsGPUCount(gpusPerServer) || gpuCount % serverCount != 0 && !server.allowsGPUCount(gpuCount % serverCount) {
            found.append(Violation(rule: "gpu_count", message: "\(gpuCount) × \(gpu.id) in \(serverCount) × \(server.id): \(server.id) is sold with \(server.gpuCounts.map(String.init).joined(separator: ", ")) GPUs (a whole baseboard)", pins: ["gpu_count", "server_count"]))
        }

        // Power: the server's peak against what its PSUs deliver when the redundancy's failures happen.
        if let server, let psu = pin.psu.flatMap(catalog.psu) {
            let count = pin.psusPerServer ?? server.psuBays
            var parts = ["\(gpusPerServer) × \(n(gpu.powerWatts)) W \(gpu.id)", "\(n(server.powerWatts)) W chassis base"]
            var peak = server.powerWatts + Double(gpusPerServer) * gpu.powerWatts
            if let dimm = pin.dimm.flatMap(catalog.dimm), let k = pin.dimmsPerServer {
                peak += Double(k) * dimm.powerWatts
                parts.append("\(k) × \(n(dimm.powerWatts)) W DIMMs")
            }
            if let ssd = pin.ssd.flatMap(catalog.ssd), let k = pin.ssdsPerServer {
                peak += Double(k) * ssd.powerWatts
                parts.append("\(k) × \(n(ssd.powerWatts)) W SSDs")
            }
            if let nic = pin.nic.flatMap(catalog.nic), let k = pin.nicsPerServer {
                peak += Double(k) * nic.powerWatts
                parts.append("\(k) × \(n(nic.powerWatts)) W NICs")
            }
            let redundancy = spec.constraints.psuRedundancy ?? ChassisClass.defaultPSURedundancy(server)
            let usable = redundancy.usableWatts(count: count, capacityWatts: psu.capacityWatts)
            if peak > usable {
                let survives = switch redundancy {
                case .none: "with no redundancy"
                case .nPlusOne: "with n+1 redundancy (one may fail, \(max(count - 1, 0)) \(count - 1 == 1 ? "carries" : "carry") the load)"
                case .twoN: count % 2 == 0 ? "with 2n redundancy (half may fail)" : "with 2n redundancy, which needs an even count"
                }
                found.append(Violation(
                    rule: "psu_capacity",
                    message: "\(server.id) peaks at \(Format.integer(Int(peak.rounded()))) W (\(parts.joined(separator: " + "))) but \(count) × \(psu.id) (\(Format.integer(Int(psu.capacityWatts))) W each) deliver \(Format.integer(Int(usable))) W \(survives): short by \(Format.integer(Int((peak - usable).rounded()))) W",
                    pins: ["psu", "psus_per_server"]))
            }
        }

        // Serving: the model must fit the pinned GPU at the pinned TP and meet the SLO; the replicas must carry the demand.
        let tp = pin.tensorParallel
        let candidate = input.problem.candidates.first { $0.gpu.id == gpu.id && (tp == nil || $0.tensorParallel == tp) }
        if let tp, candidate == nil, let rejection = input.context.rejections.first(where: { $0.gpu.id == gpu.id && $0.tensorParallel == tp }) {
            switch rejection.reason {
            case let .doesNotFit(detail):
                found.append(Violation(rule: "vram", message: "\(spec.modelID) does not fit \(gpu.id) at TP \(tp): \(detail)", pins: ["gpu", "tensor_parallel", "gpu_count", "server", "server_count"]))
            case let .sloMissedAtLightestLoad(ttft, tpot, _):
                let p = Format.percentileLabel(spec.slo.percentile)
                var targets: [String] = []
                if let t = spec.slo.ttftMs { targets.append("TTFT ≤ \(n(t)) ms") }
                if let t = spec.slo.tpotMs { targets.append("TPOT ≤ \(n(t)) ms") }
                found.append(Violation(rule: "slo", message: "\(gpu.id) at TP \(tp) predicts \(p) TTFT \(Format.fixed(ttft, 1)) ms and TPOT \(Format.fixed(tpot, 2)) ms even at the lightest load; the targets are \(targets.joined(separator: ", "))", pins: ["gpu", "tensor_parallel", "gpu_count", "server", "server_count"]))
            }
        }
        if let candidate {
            let replicas = gpuCount / candidate.tensorParallel
            let serving = max(replicas - (input.problem.requirements.spareReplica ? 1 : 0), 0)
            let capacity = Double(serving) * candidate.capacityPerReplica
            let demand = input.problem.requirements.demand
            if capacity + 1e-9 < demand {
                let unit = input.context.demandUnit == .concurrency ? "concurrent requests" : "requests/s"
                found.append(Violation(rule: "demand", message: "\(replicas) replica\(replicas == 1 ? "" : "s") of \(candidate.key) carry \(Format.fixed(capacity, 2)) \(unit) within the SLO (\(Format.fixed(candidate.capacityPerReplica, 2)) each\(serving < replicas ? ", one kept spare" : "")); the demand is \(Format.fixed(demand, 2))", pins: ["gpu_count", "server_count"]))
            }
            if let server, let dimm = pin.dimm.flatMap(catalog.dimm), let k = pin.dimmsPerServer {
                let replicasPerServer = gpusPerServer / candidate.tensorParallel
                let need = input.problem.requirements.hostMemory.requiredGiB(gpusPerServer: gpusPerServer, weightsGiB: Double(replicasPerServer) * candidate.weightsPerReplicaGiB)
                let installed = Double(k) * dimm.capacityGiB
                if installed + 1e-9 < need {
                    found.append(Violation(rule: "host_memory", message: "\(server.id) has \(k) × \(dimm.id) = \(n(installed)) GiB of host memory; it needs \(n(need)) GiB (2 × the weights its GPUs hold, at least the floor)", pins: ["dimm", "dimms_per_server"]))
                }
            }
        }

        // Budget: the pinned parts alone (racks, cooling, PDUs and network come on top).
        if let budget = spec.budget.capexUSD, let server {
            var parts = Double(gpuCount) * gpu.listing.priceUSD + Double(serverCount) * server.listing.priceUSD
            let perServer: [(Double?, Int?)] = [
                (pin.psu.flatMap(catalog.psu)?.listing.priceUSD, pin.psusPerServer), (pin.dimm.flatMap(catalog.dimm)?.listing.priceUSD, pin.dimmsPerServer),
                (pin.ssd.flatMap(catalog.ssd)?.listing.priceUSD, pin.ssdsPerServer), (pin.nic.flatMap(catalog.nic)?.listing.priceUSD, pin.nicsPerServer),
            ]
            for case let (price?, count?) in perServer { parts += Double(serverCount * count) * price }
            if parts > budget {
                found.append(Violation(rule: "budget", message: "the pinned GPUs, servers and parts alone cost \(Format.usd(parts)); the budget is \(Format.usd(budget))", pins: PinKey.all.map(\.key)))
            }
        }
        return found
    }
}

/// The pin keys, in spec order, with how to read each from a spec and from a plan.
struct PinKey: Sendable {
    var key: String
    var get: @Sendable (Pin) -> String?
    var read: @Sendable (Plan) -> String?
    var clear: @Sendable (inout Pin) -> Void

    static let all: [PinKey] = [
        PinKey(key: "gpu", get: { $0.gpu }, read: { $0.deployments.first?.gpuID }, clear: { $0.gpu = nil }),
        PinKey(key: "gpu_count", get: { $0.gpuCount.map(String.init) }, read: { String($0.totals.gpus) }, clear: { $0.gpuCount = nil }),
        PinKey(key: "tensor_parallel", get: { $0.tensorParallel.map(String.init) }, read: { $0.deployments.first.map { String($0.tensorParallel) } }, clear: { $0.tensorParallel = nil }),
        PinKey(key: "server", get: { $0.server }, read: { $0.servers.first?.serverID }, clear: { $0.server = nil }),
        PinKey(key: "server_count", get: { $0.serverCount.map(String.init) }, read: { String($0.totals.servers) }, clear: { $0.serverCount = nil }),
        PinKey(key: "psu", get: { $0.psu }, read: { $0.servers.first?.psuID }, clear: { $0.psu = nil }),
        PinKey(key: "psus_per_server", get: { $0.psusPerServer.map(String.init) }, read: { $0.servers.first.map { String($0.psusPerServer) } }, clear: { $0.psusPerServer = nil }),
        PinKey(key: "dimm", get: { $0.dimm }, read: { $0.servers.first?.dimmID }, clear: { $0.dimm = nil }),
        PinKey(key: "dimms_per_server", get: { $0.dimmsPerServer.map(String.init) }, read: { $0.servers.first.map { String($0.dimmsPerServer) } }, clear: { $0.dimmsPerServer = nil }),
        PinKey(key: "ssd", get: { $0.ssd }, read: { $0.servers.first?.storage?.ssd.id }, clear: { $0.ssd = nil }),
        PinKey(key: "ssds_per_server", get: { $0.ssdsPerServer.map(String.init) }, read: { $0.servers.first?.storage.map { String($0.count) } }, clear: { $0.ssdsPerServer = nil }),
        PinKey(key: "raid_level", get: { $0.raidLevel.map { String($0.rawValue) } }, read: { $0.servers.first?.storage.map { String($0.level.rawValue) } }, clear: { $0.raidLevel = nil }),
        PinKey(key: "nic", get: { $0.nic }, read: { $0.servers.first?.nicID }, clear: { $0.nic = nil }),
        PinKey(key: "nics_per_server", get: { $0.nicsPerServer.map(String.init) }, read: { $0.servers.first.map { String($0.nicsPerServer) } }, clear: { $0.nicsPerServer = nil }),
        PinKey(key: "rack", get: { $0.rack }, read: { $0.bom.first { $0.category == .rack }?.listing.id }, clear: { $0.rack = nil }),
    ]

    /// A part and its count go together: releasing `psu` releases `psus_per_server` too.
    static func family(of key: String) -> [String] {
        let families = [["gpu", "gpu_count", "tensor_parallel"], ["server", "server_count"], ["psu", "psus_per_server"], ["dimm", "dimms_per_server"],
                        ["ssd", "ssds_per_server", "raid_level"], ["nic", "nics_per_server"], ["rack"]]
        return families.first { $0.contains(key) } ?? [key]
    }
}

extension Pin {
    func value(of key: String) -> String? { PinKey.all.first { $0.key == key }?.get(self) }
}

extension Spec {
    /// A copy with these pin keys released to the optimizer.
    func releasing(_ keys: [String]) -> Spec {
        var copy = self
        for pin in PinKey.all where keys.contains(pin.key) { pin.clear(&copy.pin) }
        return copy
    }
}
