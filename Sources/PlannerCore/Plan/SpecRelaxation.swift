/// Which of a spec's own limits make it infeasible: each pin and each optional constraint the spec
/// sets is relaxed in turn, and every relaxation that yields a plan is reported with its cost.
enum SpecRelaxation {
    struct Relaxation {
        var label: String
        var apply: (inout Spec) -> Void
    }

    static func candidates(for spec: Spec) -> [Relaxation] {
        var list: [Relaxation] = []
        let pin = spec.pin
        let pinFamilies: [(String, Bool, (inout Pin) -> Void)] = [
            ("pin.gpu", pin.gpu != nil, { $0.gpu = nil }),
            ("pin.gpu_count", pin.gpuCount != nil, { $0.gpuCount = nil }),
            ("pin.tensor_parallel", pin.tensorParallel != nil, { $0.tensorParallel = nil }),
            ("pin.server", pin.server != nil, { $0.server = nil }),
            ("pin.server_count", pin.serverCount != nil, { $0.serverCount = nil }),
            ("pin.psu / pin.psus_per_server", pin.psu != nil || pin.psusPerServer != nil, { $0.psu = nil; $0.psusPerServer = nil }),
            ("pin.dimm / pin.dimms_per_server", pin.dimm != nil || pin.dimmsPerServer != nil, { $0.dimm = nil; $0.dimmsPerServer = nil }),
            ("pin.ssd / pin.ssds_per_server / pin.raid_level", pin.ssd != nil || pin.ssdsPerServer != nil || pin.raidLevel != nil, {
                $0.ssd = nil; $0.ssdsPerServer = nil; $0.raidLevel = nil
            }),
            ("pin.nic / pin.nics_per_server", pin.nic != nil || pin.nicsPerServer != nil, { $0.nic = nil; $0.nicsPerServer = nil }),
            ("pin.rack", pin.rack != nil, { $0.rack = nil }),
        ]
        for (label, isSet, clear) in pinFamilies where isSet {
            list.append(Relaxation(label: "releasing \(label)") { clear(&$0.pin) })
        }
        let c = spec.constraints
        if let limit = c.rackPowerKW {
            list.append(Relaxation(label: "removing constraints.rack_power_kw (\(Format.fixed(limit, 1)) kW)") { $0.constraints.rackPowerKW = nil })
        }
        if c.cooling != .any {
            list.append(Relaxation(label: "allowing any cooling (constraints.cooling is \(c.cooling.rawValue))") { $0.constraints.cooling = .any })
        }
        if c.network.fabric != .any {
            list.append(Relaxation(label: "allowing any fabric (constraints.network.fabric is \(c.network.fabric.rawValue))") { $0.constraints.network.fabric = .any })
        }
        if let tp = c.maxTensorParallel, tp < 8 {
            list.append(Relaxation(label: "raising constraints.max_tensor_parallel (\(tp)) to 8") { $0.constraints.maxTensorParallel = nil })
        }
        if c.gpus.allow != nil || !c.gpus.deny.isEmpty {
            list.append(Relaxation(label: "allowing every GPU (constraints.gpus)") { $0.constraints.gpus = ChoiceFilter() })
        }
        for kind in Constraints.choiceKinds where !(c.choices[kind]?.isEmpty ?? true) {
            list.append(Relaxation(label: "allowing every \(kind.singular) (constraints.\(kind.rawValue))") { $0.constraints.choices[kind] = nil })
        }
        if c.uniformServers {
            list.append(Relaxation(label: "allowing different servers (constraints.uniform_servers)") { $0.constraints.uniformServers = false })
        }
        if let bandwidth = c.minMemoryBandwidthGBps {
            list.append(Relaxation(label: "removing constraints.min_memory_bandwidth_gbps (\(Format.fixed(bandwidth, 0)) GB/s)") { $0.constraints.minMemoryBandwidthGBps = nil })
        }
        if let redundancy = c.psuRedundancy, redundancy != .none {
            list.append(Relaxation(label: "lowering constraints.psu_redundancy (\(redundancy.rawValue)) to none") { $0.constraints.psuRedundancy = PSURedundancy.none })
        } else if c.psuRedundancy == nil {
            list.append(Relaxation(label: "setting constraints.psu_redundancy to none (rack servers default to n+1)") { $0.constraints.psuRedundancy = PSURedundancy.none })
        }
        if c.storage.minFaultTolerance > 0 {
            list.append(Relaxation(label: "lowering constraints.storage.min_fault_tolerance (\(c.storage.minFaultTolerance)) to 0") { $0.constraints.storage.minFaultTolerance = 0 })
        }
        if c.replicaRedundancy != .none {
            list.append(Relaxation(label: "dropping constraints.replica_redundancy (n+1)") { $0.constraints.replicaRedundancy = .none })
        }
        return list
    }

    /// One line per relaxation that makes the spec feasible (at most six), with the plan's cost:
    /// each relaxed spec is solved as `solver` solves a spec (split by GPU type when it applies),
    /// without diagnosing the relaxations that stay infeasible. With a budget, a relaxation that
    /// is not enough within it is solved again without the budget; when that has a plan, the line
    /// names the relaxation together with the budget it needs (rounded up to the cent), so every
    /// line is a change that, applied, has a plan.
    static func explain(_ spec: Spec, catalog: Catalog, solver: SpecSolver, clock: SolveClock) -> [DiagnosisLine] {
        var lines: [DiagnosisLine] = []
        for relaxation in candidates(for: spec) where !clock.isExhausted {
            var relaxed = spec
            relaxation.apply(&relaxed)
            if let plan = solver.cheapestPlan(ProblemBuilder.scope(spec: relaxed, catalog: catalog), clock: clock), let deployment = plan.deployments.first {
                lines.append(DiagnosisLine(
                    "\(relaxation.label) makes it feasible: \(Format.usd(plan.totals.capexUSD)) for \(plan.totals.gpus) × \(deployment.gpuID)",
                    fix: relaxation.apply
                ))
            } else if let budget = spec.budget.capexUSD, !clock.isExhausted {
                var unbudgeted = relaxed
                unbudgeted.budget.capexUSD = nil
                unbudgeted.objective = .minCapex
                guard let plan = solver.cheapestPlan(ProblemBuilder.scope(spec: unbudgeted, catalog: catalog), clock: clock),
                      let deployment = plan.deployments.first, plan.totals.capexUSD > budget else { continue }
                let needed = Diagnosis.centsUp(plan.totals.capexUSD)
                lines.append(DiagnosisLine(
                    "\(relaxation.label) and raising the budget to \(Format.usd(needed)) make it feasible: \(Format.usd(plan.totals.capexUSD)) for \(plan.totals.gpus) × \(deployment.gpuID)",
                    fix: { spec in
                        relaxation.apply(&spec)
                        spec.budget.capexUSD = needed
                    }
                ))
            } else {
                continue
            }
            if lines.count == 6 { break }
        }
        return lines
    }
}
