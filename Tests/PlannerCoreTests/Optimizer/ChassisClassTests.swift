import LinearModel
import XCTest
@testable import PlannerCore

/// Defaults by chassis class (``ChassisClass``) and full servers filled to what their PSUs power,
/// with figures worked by hand from catalogs/*.yaml.
final class ChassisClassTests: XCTestCase {
    let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 30))

    /// Workstation towers (sites include office) default to no PSU redundancy and paired DIMMs on as
    /// few channels as needed; rack servers to n+1 and one or two DIMMs on every channel.
    func testDefaultsByChassisClass() throws {
        let catalog = try loadShipped()
        let server = { (id: String) in try XCTUnwrap(catalog.servers.first { $0.id == id }) }
        // workstation-2gpu-udimm: 1 PSU bay, 2 channels, 4 slots.
        XCTAssertEqual(ChassisClass.defaultPSURedundancy(try server("workstation-2gpu-udimm")), PSURedundancy.none)
        XCTAssertEqual(ChassisClass.dimmCounts(try server("workstation-2gpu-udimm")), [2, 4])
        // workstation-4gpu-rdimm: 2 PSU bays, 8 channels, 8 slots (16 = 2 per channel does not fit).
        XCTAssertEqual(ChassisClass.defaultPSURedundancy(try server("workstation-4gpu-rdimm")), PSURedundancy.none)
        XCTAssertEqual(ChassisClass.dimmCounts(try server("workstation-4gpu-rdimm")), [2, 4, 6, 8])
        // sys-221ge-nr: rack server, 2 PSU bays, 16 channels, 32 slots.
        XCTAssertEqual(ChassisClass.defaultPSURedundancy(try server("sys-221ge-nr")), .nPlusOne)
        XCTAssertEqual(ChassisClass.dimmCounts(try server("sys-221ge-nr")), [16, 32])
        // A spec's value overrides the class's.
        var requirements = Requirements(demand: 1, storage: StorageRequirement(capacityGB: 1, readGBps: 0, readIOPS: 0, faultTolerance: 0))
        XCTAssertEqual(requirements.psuRedundancy(for: try server("workstation-4gpu-rdimm")), PSURedundancy.none)
        requirements.psuRedundancy = .twoN
        XCTAssertEqual(requirements.psuRedundancy(for: try server("workstation-4gpu-rdimm")), .twoN)
    }

    /// One RTX 4090 (seed scenario 1) with `psu_redundancy` left to its default goes in the 2-GPU
    /// tower, by hand: GPU $2,000 + workstation-2gpu-udimm $4,000 + 2 × ddr5-udimm-16gb $100 (32 GiB,
    /// the one-GPU floor) + 1 × wd-sn850x-2tb $134 + 1 × psu-1600w-platinum $400 = $6,734 desk-side;
    /// in a datacenter + rack-42u-15kw $1,500 + pdu-17.3kw-metered $500 + cooling-air $300 = $9,034.
    /// With n+1 asked for, the tower's one bay can never be redundant: the 4-GPU tower, $2,000 +
    /// $10,000 + 2 × ddr5-rdimm-16gb $100 + $134 + 2 × psu-1600w-platinum $400 = $13,134.
    func testOneRTX4090GoesInTheTwoGPUTowerByDefault() throws {
        var (spec, catalog) = try example("seed-scenario-1-rtx4090")
        spec.constraints.psuRedundancy = nil
        var plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.servers.map(\.serverID), ["workstation-2gpu-udimm"])
        XCTAssertEqual(plan.servers.first?.dimmsPerServer, 2)
        XCTAssertEqual(plan.totals.capexUSD, 6_734, accuracy: 0.005)
        // 2 × 16 GB is the 32 GiB floor exactly: the partial server's host-memory row binds and is named.
        XCTAssertTrue(plan.bindingConstraints.map(\.name).contains("host_memory_partial[workstation-2gpu-udimm,rtx-4090-24gb,tp1]"), "\(plan.bindingConstraints)")
        XCTAssertFalse(plan.warnings.contains { $0.hasPrefix("constraints.psu_redundancy") })

        spec.site = .datacenter
        plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.servers.map(\.serverID), ["workstation-2gpu-udimm"])
        XCTAssertEqual(plan.totals.capexUSD, 9_034, accuracy: 0.005)

        spec.site = .office
        spec.constraints.psuRedundancy = .nPlusOne
        plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.servers.map(\.serverID), ["workstation-4gpu-rdimm"])
        XCTAssertEqual(plan.servers.first?.psusPerServer, 2)
        XCTAssertEqual(plan.totals.capexUSD, 13_134, accuracy: 0.005)
        // No row of the program is tight for a chassis it never offers: the warning names the rule.
        XCTAssertTrue(plan.warnings.contains { $0.hasPrefix("constraints.psu_redundancy n+1 rules out workstation-2gpu-udimm:") }, "\(plan.warnings)")
    }

    /// chat-8b at 400 concurrent on RTX 4090s at TP 1 (51 a replica since the twelfth session; 450
    /// before, at 56) in workstations alone with n+1 PSUs: four RTX 4090s (4 × 450 W) and the 4-GPU
    /// tower's 350 W base peak at 2,150 W, beyond the 2,000 W one of its two bays gives at n+1, so its
    /// full server holds 3 GPUs (1,700 W + parts). Before, the group kept one partial server and the
    /// plan cost $73,156 (RTX 6000 Ada); `uniform_servers` found 3 × 3 GPUs. By hand from the catalog,
    /// the plan (8 GPUs, 3 + 3 + 2): 8 × rtx-4090-24gb $2,000 = $16,000; 3 × workstation-4gpu-rdimm
    /// $10,000 = $30,000; 6 × ddr5-rdimm-48gb $300 = $1,800 (a group's servers carry the same DIMMs:
    /// 96 GiB ≥ 2 × 3 × 14.96 GiB); 6 × wd-sn850x-2tb $134 = $804; 3 × nic-eth-25g-2p $400 = $1,200;
    /// 6 × cable-eth-25g-dac $80 = $480; 1 × sn2410-class $3,900; 6 × psu-2000w-titanium $500 =
    /// $3,000; 1 rack $1,500, 1 PDU $500, 6 × cooling-air $300 = $3,800: $60,984.
    func testChassisThatCannotPowerEverySlotFillsServersToWhatItPowers() throws {
        var (spec, catalog) = try example("chat-8b")
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        spec.workload.load = .concurrency(400)
        spec.constraints.maxTensorParallel = 1
        spec.constraints.psuRedundancy = .nPlusOne
        spec.constraints.choices[.servers] = ChoiceFilter(allow: ["workstation-2gpu-udimm", "workstation-4gpu-rdimm"])
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.totals.capexUSD, 60_984, accuracy: 0.005)
        XCTAssertEqual(plan.totals.servers, 3)
        XCTAssertEqual(plan.totals.gpus, 8)
        for server in plan.servers {
            XCTAssertEqual(server.serverID, "workstation-4gpu-rdimm")
            XCTAssertLessThanOrEqual(server.gpusPerServer, 3)
        }
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [])
        // Uniform servers cost at least as much: 9 GPUs in 3 × 3-GPU towers.
        spec.constraints.uniformServers = true
        let uniform = solver.solve(spec, catalog: catalog)
        XCTAssertGreaterThanOrEqual(uniform.totals.capexUSD, plan.totals.capexUSD)
    }
}
