import XCTest
@testable import PlannerCore

/// PlanChecker on a hand-made valid plan, then on copies that each break one rule.
final class PlanCheckerTests: XCTestCase {
    /// Three one-slot servers on one 4-port switch (the $60,850 build of
    /// ``OptimizerRegressionTests/problem()``), worked out by hand:
    /// per server 200 W base + 300 W GPU + 4 × 2 W DIMMs + 10 W SSD + 10 W NIC = 528 W;
    /// wall = 3 × 528 / 0.9 + 100 W switch = 1,860 W.
    let problem = OptimizerRegressionTests.problem()
    let target = SLO(ttftMs: 500, tpotMs: 80)

    func validPlan() -> Plan { Self.validPlan(problem) }

    /// The hand-made valid plan over `problem` (``OptimizerRegressionTests/problem()``).
    static func validPlan(_ problem: PlanningProblem) -> Plan {
        let ssd = problem.ssds[0]
        func line(_ category: BOMCategory, _ listing: Listing, _ quantity: Int, _ watts: Double = 0) -> BOMLine {
            BOMLine(category: category, listing: listing, quantity: quantity, unitPowerWatts: watts)
        }
        let bom = [
            line(.gpu, problem.candidates[0].gpu.listing, 3, 300), line(.server, problem.servers[0].listing, 3, 200),
            line(.memory, problem.dimms[0].listing, 12, 2), line(.storage, ssd.listing, 3, 10),
            line(.network, problem.nics[1].listing, 3, 10), line(.network, problem.switches[0].listing, 1, 100),
            line(.network, problem.cables[0].listing, 3), line(.power, problem.psus[0].listing, 3),
            line(.power, problem.pdus[0].listing, 1), line(.cooling, problem.cooling[0].listing, 1),
            line(.rack, problem.racks[0].listing, 1),
        ]
        return Plan(
            status: .optimal, specName: "hand", objective: PlanObjectiveValue(metric: .capexUSD, value: 60_850),
            totals: PlanTotals(capexUSD: 60_850, peakPowerWatts: 1_860, gpus: 3, servers: 3, racks: 1, rackUnits: 4),
            deployments: [DeploymentLine(
                gpuID: "g", gpuName: "g", tensorParallel: 1, replicas: 3, gpus: 3, weightPrecision: .bf16,
                kvCachePrecision: .bf16, capacityPerReplica: 1, memoryUsedPerGPUGiB: 40, memoryPerGPUGiB: 48
            )],
            servers: [ServerConfiguration(
                serverID: "s", count: 3, gpuID: "g", gpusPerServer: 1, dimmID: "dimm-16", dimmsPerServer: 4,
                hostMemoryGiB: 64, storage: StorageOption(ssd: ssd, count: 1, level: .raid0), nicID: "nic-b",
                nicsPerServer: 1, psuID: "psu", psusPerServer: 1, peakPowerWatts: 528, usablePSUWatts: 1_000
            )],
            bom: bom
        )
    }

    private func rules(_ plan: Plan, problem: PlanningProblem? = nil, target: SLO? = nil) -> Set<String> {
        Set(PlanChecker(problem: problem ?? self.problem, target: target ?? self.target).violations(of: plan).map(\.rule))
    }

    /// The valid plan with `change` applied to its only server configuration.
    private func withServer(_ change: (inout ServerConfiguration) -> Void) -> Plan {
        var plan = validPlan()
        change(&plan.servers[0])
        return plan
    }

    func testValidPlanHasNoViolations() {
        XCTAssertEqual(PlanChecker(problem: problem, target: target).violations(of: validPlan()), [])
    }

    func testInfeasiblePlanHasNothingToCheck() {
        let plan = Plan(status: .infeasible, specName: "x", objective: PlanObjectiveValue(metric: .capexUSD, value: 0), totals: PlanTotals())
        XCTAssertEqual(PlanChecker(problem: problem, target: target).violations(of: plan), [])
    }

    func testServerRules() {
        XCTAssertTrue(rules(withServer { $0.gpusPerServer = 2 }).contains("gpu_slots"))
        var wide = problem
        wide.candidates[0].gpu.formFactor = .sxm
        XCTAssertTrue(rules(validPlan(), problem: wide).contains("gpu_fit"))
        var tp2 = problem
        tp2.candidates[0].tensorParallel = 2
        var planTP2 = validPlan()
        planTP2.deployments[0].tensorParallel = 2
        planTP2.deployments[0].replicas = 1
        planTP2.deployments[0].gpus = 2
        XCTAssertTrue(rules(planTP2, problem: tp2).contains("tp_within_server"))
        var vram = problem
        vram.candidates[0].memoryUsedPerGPUGiB = 50
        XCTAssertTrue(rules(validPlan(), problem: vram).contains("vram"))
    }

    func testMemoryRules() {
        XCTAssertTrue(rules(withServer { $0.dimmsPerServer = 6; $0.hostMemoryGiB = 96; $0.peakPowerWatts = 532 }).contains("dimm_slots"))
        // 4 channels: 2 DIMMs are unbalanced; 32 GiB still meets the one-GPU floor of 32 GiB.
        let unbalanced = rules(withServer { $0.dimmsPerServer = 2; $0.hostMemoryGiB = 32; $0.peakPowerWatts = 524 })
        XCTAssertTrue(unbalanced.contains("dimm_balance"))
        XCTAssertFalse(unbalanced.contains("host_memory"))
        var big = problem
        big.dimms[0].capacityGiB = 128
        XCTAssertTrue(rules(withServer { $0.hostMemoryGiB = 512 }, problem: big).contains("dimm_size"))
        var udimm = problem
        udimm.dimms[0].type = .udimm
        XCTAssertTrue(rules(validPlan(), problem: udimm).contains("dimm_type"))
        // 2 × 8 GiB of weights = 16 GiB is under the 32 GiB floor; with 40 GiB of weights the need is 80 GiB > 64 GiB.
        var heavy = problem
        heavy.candidates[0].weightsPerReplicaGiB = 40
        XCTAssertTrue(rules(validPlan(), problem: heavy).contains("host_memory"))
    }

    func testStorageRules() {
        let ssd = problem.ssds[0]
        XCTAssertTrue(rules(withServer { $0.storage = StorageOption(ssd: ssd, count: 2, level: .raid1); $0.peakPowerWatts = 538 }).contains("nvme_bays"))
        var bays = problem
        bays.servers[0].nvmeBays = 4
        XCTAssertTrue(rules(withServer { $0.storage = StorageOption(ssd: ssd, count: 3, level: .raid1); $0.peakPowerWatts = 548 }, problem: bays).contains("raid_level"))
        var needs = problem
        needs.requirements.storage = StorageRequirement(capacityGB: 2_000, readGBps: 6, readIOPS: 500_000, faultTolerance: 1)
        XCTAssertEqual(rules(validPlan(), problem: needs).intersection(["storage_capacity", "storage_read", "storage_iops", "storage_faults"]),
                       ["storage_capacity", "storage_read", "storage_iops", "storage_faults"])
        XCTAssertTrue(rules(withServer { $0.storage = nil; $0.peakPowerWatts = 518 }).contains("storage_missing"))
    }

    func testNetworkAndPowerSupplyRules() {
        XCTAssertTrue(rules(withServer { $0.nicsPerServer = 2; $0.peakPowerWatts = 538 }).contains("nic_slots"))
        XCTAssertTrue(rules(withServer { $0.nicID = nil; $0.nicsPerServer = 0; $0.peakPowerWatts = 518 }).contains("nic_required"))
        XCTAssertTrue(rules(withServer { $0.psusPerServer = 2; $0.usablePSUWatts = 2_000 }).contains("psu_bays"))
        var other = problem
        other.servers[0].compatiblePSUs = ["other"]
        XCTAssertTrue(rules(validPlan(), problem: other).contains("psu_compatible"))
        // n+1 with one 1,000 W PSU leaves 0 W for a 528 W server; 2n with one PSU also 0 W.
        for redundancy in [PSURedundancy.nPlusOne, .twoN] {
            var redundant = problem
            redundant.requirements.psuRedundancy = redundancy
            XCTAssertTrue(rules(validPlan(), problem: redundant).contains("psu_capacity"), redundancy.rawValue)
        }
        var weak = problem
        weak.psus[0].capacityWatts = 520
        XCTAssertTrue(rules(validPlan(), problem: weak).contains("psu_capacity"))
        XCTAssertTrue(rules(withServer { $0.peakPowerWatts = 400 }).contains("server_peak_reported"))
    }

    func testPlanLevelRules() {
        var demand = problem
        demand.requirements.demand = 3.5
        XCTAssertTrue(rules(validPlan(), problem: demand).contains("demand"))
        var spare = problem
        spare.requirements.spareReplica = true // 3 replicas, one down: 2 < 3
        XCTAssertTrue(rules(validPlan(), problem: spare).contains("demand"))
        // Six NIC ports on one 4-port switch.
        var twoPorts = problem
        twoPorts.nics[1].ports = 2
        XCTAssertTrue(rules(validPlan(), problem: twoPorts).contains("switch_ports"))
        var cables = validPlan()
        cables.bom[6].quantity = 2
        cables.totals.capexUSD -= 50
        cables.totals.peakPowerWatts = 1_860
        XCTAssertTrue(rules(cables).contains("cables"))
        var space = problem
        space.racks[0].rackUnits = 3 // 3 servers + 1 switch = 4 U
        XCTAssertTrue(rules(validPlan(), problem: space).contains("rack_space"))
        var power = problem
        power.requirements.rackPowerLimitKW = 1.5 // 1.86 kW at the wall
        let powerRules = rules(validPlan(), problem: power)
        XCTAssertTrue(powerRules.contains("rack_power"))
        XCTAssertTrue(powerRules.contains("rack_placement")) // 586.7 W servers: 2 per 1.5 kW rack, the third finds no room
        var cooling = problem
        cooling.cooling[0].capacityKW = 1.8
        XCTAssertTrue(rules(validPlan(), problem: cooling).contains("cooling_capacity"))
        var pdu = problem
        pdu.pdus[0].capacityKW = 1.5
        XCTAssertTrue(rules(validPlan(), problem: pdu).contains("pdu_per_rack")) // 1.86 kW in the rack needs two 1.5 kW PDUs
        var liquid = problem
        liquid.servers[0].cooling = [.liquid]
        XCTAssertTrue(rules(validPlan(), problem: liquid).contains("chassis_cooling"))
        var budget = problem
        budget.requirements.budgetUSD = 60_000
        XCTAssertTrue(rules(validPlan(), problem: budget).contains("budget"))
        XCTAssertEqual(rules(validPlan(), target: SLO(ttftMs: 50, tpotMs: 10)), ["slo_ttft", "slo_tpot"])
        var capex = validPlan()
        capex.totals.capexUSD = 60_000
        XCTAssertEqual(rules(capex), ["capex"])
        var gpus = validPlan()
        gpus.bom[0].quantity = 4
        XCTAssertTrue(rules(gpus).contains("bom_gpus"))
        var pinned = problem
        pinned.requirements.pins = Pins(gpuCount: 4, serverCount: 2)
        XCTAssertEqual(rules(validPlan(), problem: pinned).intersection(["pin_gpu_count", "pin_server_count"]), ["pin_gpu_count", "pin_server_count"])
    }

    func testViolationMessagesCarryTheNumbers() {
        var weak = problem
        weak.psus[0].capacityWatts = 520
        let violation = PlanChecker(problem: weak, target: target).violations(of: validPlan()).first { $0.rule == "psu_capacity" }
        XCTAssertEqual(violation?.description, "psu_capacity: server configuration 1 (s × 3): 1 × 520 W at none gives 520 W < peak 528 W")
    }
}
