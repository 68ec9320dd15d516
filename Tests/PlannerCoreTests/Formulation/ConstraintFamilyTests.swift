import LinearModel
import XCTest
@testable import PlannerCore

/// One test per constraint family, each with figures worked by hand from the parts' datasheet-style
/// numbers (not read back from the planner's own output): the rules the builders encode, then the
/// hand-made problem of ``OptimizerRegressionTests/problem()`` solved and read back.
///
/// The hand problem: GPU `g` 48 GiB, 300 W, $10,000; one-slot 1 U chassis `s` 200 W, $5,000, 4 DIMM
/// slots on 4 channels, 1 NVMe bay, 1 NIC slot, 1 PSU bay; DIMM 16 GiB 2 W $100; SSD 1.92 TB 5 GB/s
/// 400k IOPS 10 W $200; NICs `nic-a` 2 × 100 Gb/s $500 and `nic-b` 1 × 100 Gb/s $600, 10 W; a 4-port
/// 100 Gb/s switch 100 W $10,000; cable $50; PSU 1,000 W 90 % $100; PDU 10 kW $300; air cooling 20 kW
/// $500; 42 U 20 kW rack $1,000. Demand 3 (one replica carries 1), storage ≥ 500 GB, 2 GB/s, 50k IOPS.
final class ConstraintFamilyTests: XCTestCase {
    let problem = OptimizerRegressionTests.problem()
    let context = PlanContext(specName: "hand", target: SLO(ttftMs: 500, tpotMs: 80), demandUnit: .concurrency, weightPrecision: .bf16, kvPrecision: .bf16)

    lazy var plan: Plan = Optimizer(options: SolveOptions(timeLimitSeconds: 20)).solve(problem, context: context)

    // MARK: Power

    /// PSU output that survives failures: none n·P, n+1 (n−1)·P, 2n (n/2)·P for even n, 0 for odd n.
    func testPSURedundancyUsableWatts() {
        XCTAssertEqual(PSURedundancy.none.usableWatts(count: 3, capacityWatts: 1_000), 3_000)
        XCTAssertEqual(PSURedundancy.nPlusOne.usableWatts(count: 3, capacityWatts: 1_000), 2_000)
        XCTAssertEqual(PSURedundancy.nPlusOne.usableWatts(count: 1, capacityWatts: 1_000), 0)
        XCTAssertEqual(PSURedundancy.twoN.usableWatts(count: 4, capacityWatts: 2_700), 5_400)
        XCTAssertEqual(PSURedundancy.twoN.usableWatts(count: 3, capacityWatts: 2_700), 0)
    }

    /// Per server 200 W chassis + 300 W GPU + 4 × 2 W DIMMs + 10 W SSD + 10 W NIC = 528 W, carried by
    /// one 1,000 W PSU (no redundancy); wall = 3 × 528 W ÷ 0.9 + 100 W switch = 1,860 W.
    func testPowerOfTheHandProblem() throws {
        let server = try XCTUnwrap(plan.servers.first)
        XCTAssertEqual(server.peakPowerWatts, 528, accuracy: 1e-6)
        XCTAssertEqual(server.psusPerServer, 1)
        XCTAssertEqual(server.usablePSUWatts, 1_000, accuracy: 1e-6)
        XCTAssertEqual(plan.totals.peakPowerWatts, 1_860, accuracy: 1e-6)
    }

    // MARK: Storage

    /// RAID 5 of four 1.92 TB drives: 3 data drives, 5,760 GB usable, reads from 3 drives (15 GB/s at
    /// 5 GB/s each), IOPS from all 4 (1.6 M), survives 1 failure; RAID 10 needs an even count ≥ 4.
    func testRAIDArithmetic() {
        let ssd = Parts.ssd("ssd", price: 200, tb: 1.92, readGBps: 5, iops: 400_000, watts: 10)
        let raid5 = StorageOption(ssd: ssd, count: 4, level: .raid5)
        XCTAssertEqual(raid5.usableGB, 5_760, accuracy: 1e-9)
        XCTAssertEqual(raid5.readGBps, 15, accuracy: 1e-9)
        XCTAssertEqual(raid5.readIOPS, 1_600_000, accuracy: 1e-9)
        XCTAssertEqual(raid5.level.faultTolerance, 1)
        XCTAssertEqual(raid5.priceUSD, 800, accuracy: 1e-9)
        XCTAssertTrue(raid5.meets(StorageRequirement(capacityGB: 5_760, readGBps: 15, readIOPS: 1_600_000, faultTolerance: 1)))
        XCTAssertFalse(raid5.meets(StorageRequirement(capacityGB: 0, readGBps: 0, readIOPS: 0, faultTolerance: 2)))
        XCTAssertTrue(RAIDLevel.raid10.allows(drives: 4))
        XCTAssertFalse(RAIDLevel.raid10.allows(drives: 5))
        XCTAssertEqual(RAIDLevel.raid10.dataDrives(6), 3)
        XCTAssertEqual(RAIDLevel.raid6.readDrives(6), 4)
    }

    /// The hand problem asks ≥ 500 GB, 2 GB/s, 50k IOPS, no fault tolerance: one 1.92 TB drive as
    /// RAID 0 (1,920 GB, 5 GB/s, 400k IOPS) is the cheapest array, $200 per server.
    func testStorageOfTheHandProblem() throws {
        let array = try XCTUnwrap(plan.servers.first?.storage)
        XCTAssertEqual(array.count, 1)
        XCTAssertEqual(array.level, .raid0)
        XCTAssertEqual(array.usableGB, 1_920, accuracy: 1e-9)
    }

    // MARK: Host memory

    /// max(floor, 2 × weights on the server): one GPU of 8 GiB weights needs max(32, 16) = 32 GiB;
    /// eight GPUs holding 140 GiB need max(64, 280) = 280 GiB.
    func testHostMemoryRule() {
        let rule = HostMemoryRule()
        XCTAssertEqual(rule.requiredGiB(gpusPerServer: 1, weightsGiB: 8), 32)
        XCTAssertEqual(rule.requiredGiB(gpusPerServer: 8, weightsGiB: 140), 280)
        XCTAssertEqual(rule.requiredGiB(gpusPerServer: 2, weightsGiB: 10), 64)
    }

    /// 32 GiB needed, but the chassis has 4 channels and DIMMs go in whole sets of 4: 4 × 16 GiB =
    /// 64 GiB, 8 W per server.
    func testHostMemoryOfTheHandProblem() throws {
        let server = try XCTUnwrap(plan.servers.first)
        XCTAssertEqual(server.dimmID, "dimm-16")
        XCTAssertEqual(server.dimmsPerServer, 4)
        XCTAssertEqual(server.hostMemoryGiB, 64, accuracy: 1e-9)
    }

    // MARK: Network

    /// A server in a cluster needs the cluster rate (25 Gb/s by default); one with eight slots or
    /// more needs the 8-GPU node rate (100 Gb/s).
    func testClusterBandwidthRule() {
        let network = NetworkRequirement()
        XCTAssertEqual(network.requiredGbps(gpuSlots: 1), 25)
        XCTAssertEqual(network.requiredGbps(gpuSlots: 8), 100)
    }

    /// Three servers form a cluster. With nic-a (2 ports) they would need 6 switch ports, more than the
    /// one 4-port switch has; with nic-b (1 port), 3 ports, 3 cables: nic-b's extra $100 per server
    /// is cheaper than a second switch.
    func testNetworkOfTheHandProblem() throws {
        XCTAssertEqual(plan.servers.first?.nicID, "nic-b")
        func quantity(_ id: String) -> Int { plan.bom.first { $0.listing.id == id }?.quantity ?? 0 }
        XCTAssertEqual(quantity("sw"), 1)
        XCTAssertEqual(quantity("cable"), 3)
        XCTAssertEqual(quantity("nic-b"), 3)
    }

    // MARK: Facility

    /// First fit, heaviest first: two 900 W servers cannot share a 1,500 W rack, so they take one rack
    /// each; the 100 W switch joins the first (1,000 W, 3 U, 3 cords). A third 900 W server finds no room.
    func testRackPlacementFirstFit() {
        let items = [(rackUnits: 2, watts: 900.0, cords: 2), (rackUnits: 2, watts: 900.0, cords: 2), (rackUnits: 1, watts: 100.0, cords: 1)]
        let placed = PlanChecker.placeFirstFit(items, racks: 2, rackUnits: 42, limitWatts: 1_500, outlets: 4)
        XCTAssertNil(placed.unplaced)
        XCTAssertEqual(placed.racks.map(\.rackUnits), [3, 2])
        XCTAssertEqual(placed.racks.map(\.watts), [1_000, 900])
        XCTAssertEqual(placed.racks.map(\.cords), [3, 2])
        let crowded = PlanChecker.placeFirstFit(items + [(rackUnits: 2, watts: 900.0, cords: 2)], racks: 2, rackUnits: 42, limitWatts: 1_500, outlets: 4)
        XCTAssertEqual(crowded.unplaced, 3)
    }

    /// 3 × 1 U servers + a 1 U switch = 4 U and 1.86 kW: one 42 U, 20 kW rack, one 10 kW PDU, one
    /// 20 kW air unit.
    func testFacilityOfTheHandProblem() {
        XCTAssertEqual(plan.totals.racks, 1)
        XCTAssertEqual(plan.totals.rackUnits, 4)
        func quantity(_ category: BOMCategory) -> Int { plan.bom.filter { $0.category == category }.reduce(0) { $0 + $1.quantity } }
        XCTAssertEqual(quantity(.rack), 1)
        XCTAssertEqual(quantity(.cooling), 1)
        XCTAssertEqual(plan.bom.first { $0.listing.id == "pdu" }?.quantity, 1)
    }

    // MARK: Plan extraction and assembly

    /// The BOM, by hand: 3 × $10,000 GPUs + 3 × $5,000 servers + 12 × $100 DIMMs + 3 × $200 SSDs +
    /// 3 × $600 NICs + $10,000 switch + 3 × $50 cables + 3 × $100 PSUs + $300 PDU + $500 cooling +
    /// $1,000 rack = $60,850. Capacity 3 replicas × 1 = 3 = demand: the demand row is binding.
    func testAssembledPlanOfTheHandProblem() {
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.objective.metric, .capexUSD)
        XCTAssertEqual(plan.objective.value, 60_850, accuracy: 0.01)
        XCTAssertEqual(plan.totals.capexUSD, 60_850, accuracy: 0.01)
        XCTAssertEqual(plan.totals.gpus, 3)
        XCTAssertEqual(plan.totals.servers, 3)
        XCTAssertEqual(plan.bom.map(\.listing.id), ["g", "s", "dimm-16", "ssd", "cable", "nic-b", "sw", "pdu", "psu", "air", "rack"])
        XCTAssertEqual(plan.deployments.map(\.replicas), [3])
        XCTAssertEqual(plan.deployments.first?.weightPrecision, .bf16)
        XCTAssertEqual(plan.performance?.demandUnit, .concurrency)
        XCTAssertEqual(plan.performance?.capacity ?? 0, 3, accuracy: 1e-9)
        XCTAssertTrue(plan.bindingConstraints.contains(BindingConstraint(.demand)), "\(plan.bindingConstraints.map(\.name))")
        XCTAssertEqual(PlanChecker(problem: problem, target: context.target).violations(of: plan), [])
    }
}
