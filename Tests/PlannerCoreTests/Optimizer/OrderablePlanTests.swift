import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// Plans a buyer can order and run: engines on hardware they run on, whole baseboards, passive
/// cards only in servers built for them, and the warnings a plan owes its reader.
final class OrderablePlanTests: XCTestCase {
    let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
    static let examples = ["chat-8b", "llama-70b", "multi-rack-cluster", "rag-long-context",
                           "seed-scenario-2-4096-concurrent", "startup-budget"]

    func example(_ name: String, _ catalog: Catalog) throws -> Spec {
        try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path, catalog: catalog)
    }

    /// The rules every plan keeps, checked on the catalog entries it uses.
    func assertOrderable(_ plan: Plan, _ spec: Spec, _ catalog: Catalog, _ label: String) {
        for deployment in plan.deployments {
            guard let gpu = catalog.gpu(deployment.gpuID) else { return XCTFail("\(label): unknown GPU") }
            XCTAssertTrue(catalog.engine(spec.engine, runsOn: gpu), "\(label): \(spec.engine) on \(gpu.id)")
            if spec.engine == .trtllm { XCTAssertEqual(gpu.listing.vendor, "NVIDIA", label) }
        }
        for configuration in plan.servers {
            guard let server = catalog.server(configuration.serverID), let gpu = catalog.gpu(configuration.gpuID) else { return XCTFail(label) }
            XCTAssertTrue(server.gpuCounts.contains(configuration.gpusPerServer), "\(label): \(configuration.gpusPerServer) GPUs in \(server.id)")
            if server.compatibleGPUs != nil { XCTAssertEqual(configuration.gpusPerServer, 8, "\(label): partial baseboard in \(server.id)") }
            XCTAssertTrue(server.gpuCooling.contains(gpu.cooling), "\(label): \(gpu.id) (\(gpu.cooling)) in \(server.id)")
        }
        XCTAssertEqual(plan.bom.reduce(0) { $0 + $1.extendedPriceUSD }, plan.totals.capexUSD, accuracy: 0.005, label)
    }

    /// Every example under each engine, and a seeded sweep of demand: no TensorRT-LLM plan holds a
    /// non-NVIDIA GPU, no HGX/OAM chassis holds fewer GPUs than its board, no passive card sits in a tower.
    func testEveryExampleAndASweepKeepTheRules() throws {
        let catalog = try loadShipped()
        for name in Self.examples {
            for engine in [EngineProfile.trtllm, .vllm] {
                var spec = try example(name, catalog)
                spec.engine = engine
                let plan = solver.solve(spec, catalog: catalog)
                XCTAssertTrue(plan.hasBuild, "\(name)/\(engine)")
                assertOrderable(plan, spec, catalog, "\(name)/\(engine)")
            }
        }
        var random = SplitMix64(seed: 15)
        for _ in 0..<6 {
            var spec = try example("chat-8b", catalog)
            spec.engine = random.pick([.trtllm, .vllm, .sglang])
            spec.workload.load = .concurrency(random.int(50...3_000))
            let plan = solver.solve(spec, catalog: catalog)
            assertOrderable(plan, spec, catalog, "chat-8b/\(spec.engine)/\(spec.workload.load)")
        }
    }

    /// The case: TensorRT-LLM, 8B, 1,500 concurrent — no L40S in workstation towers.
    func testPassiveCardsStayOutOfTowers() throws {
        let catalog = try loadShipped()
        let tower = try XCTUnwrap(catalog.server("workstation-4gpu-rdimm"))
        XCTAssertFalse(tower.accepts(try XCTUnwrap(catalog.gpu("l40s-48gb"))))
        XCTAssertTrue(tower.accepts(try XCTUnwrap(catalog.gpu("rtx-6000-ada-48gb"))))
        XCTAssertTrue(try XCTUnwrap(catalog.server("sys-421ge-tnrt")).accepts(try XCTUnwrap(catalog.gpu("l40s-48gb"))))
        var spec = try example("chat-8b", catalog)
        spec.engine = .trtllm
        spec.workload.load = .concurrency(1_500)
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertTrue(plan.hasBuild)
        for configuration in plan.servers where configuration.gpuID == "l40s-48gb" {
            XCTAssertFalse(configuration.serverID.hasPrefix("workstation"), configuration.serverID)
        }
    }

    /// A whole baseboard: an HGX chassis has no partial server; a PCIe server keeps 1 … slots / TP − 1.
    func testPartialServersOnlyWhereTheChassisIsSoldThatWay() throws {
        let catalog = try loadShipped()
        let h100 = try XCTUnwrap(catalog.gpu("h100-sxm-80gb")), pcie = try XCTUnwrap(catalog.gpu("h100-pcie-80gb"))
        func group(_ server: String, _ gpu: GPU, tp: Int) throws -> ServerGroup {
            ServerGroup(server: try XCTUnwrap(catalog.server(server)), candidate: ServingCandidate(
                gpu: gpu, tensorParallel: tp, capacityPerReplica: 1, concurrencyPerReplica: 1, ttftMs: 1, tpotMs: 1,
                outputTokensPerSecond: 1, memoryUsedPerGPUGiB: 1, weightsPerReplicaGiB: 1))
        }
        XCTAssertEqual(try group("sys-821ge-tnhr-hgx-h100", h100, tp: 1).partialReplicaCounts, [])
        XCTAssertEqual(try group("sys-821ge-tnhr-hgx-h100", h100, tp: 2).partialReplicaCounts, [])
        XCTAssertEqual(try group("sys-421ge-tnrt", pcie, tp: 2).partialReplicaCounts, [1, 2, 3])
        XCTAssertEqual(try XCTUnwrap(catalog.server("sys-821ge-tnhr-hgx-h100")).gpuCounts, [8])
        XCTAssertEqual(try XCTUnwrap(catalog.server("sys-421ge-tnrt")).gpuCounts, Array(1...8))
    }

    /// `check` on 4 H100 SXM in an HGX 8-GPU chassis breaks the whole-baseboard rule.
    func testCheckReportsAPartialBaseboard() throws {
        let catalog = try loadShipped()
        var spec = try example("pinned-70b", catalog)
        spec.pin.gpuCount = 4
        spec.pin.tensorParallel = 4
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let violations = PinnedBuildCheck.figures(spec: spec, catalog: catalog, input: input)
        XCTAssertTrue(violations.contains { $0.rule == "gpu_count" && $0.message.contains("sold with 8 GPUs") }, "\(violations)")
    }

    /// A GeForce card warns about its licence; an Ada card warns that its speed is from the datasheet;
    /// a Hopper plan (the calibration's reference family) does not.
    func testLicenceAndCalibrationWarnings() throws {
        let catalog = try loadShipped()
        var desk = try example("seed-scenario-1-rtx4090", catalog)
        desk.site = .datacenter
        let geforce = solver.solve(desk, catalog: catalog)
        XCTAssertTrue(geforce.warnings.contains { $0.hasPrefix("rtx-4090-24gb is a GeForce card: NVIDIA's GeForce driver licence does not permit datacenter deployment") })
        XCTAssertTrue(geforce.warnings.contains("rtx-4090-24gb (ada) has no kernel measurements of its own and no fitted family factors: its predicted speed is its own datasheet plus the time l40s-48gb's measured kernels lose (an estimate)"))
        let hopper = solver.solve(try example("pinned-70b", catalog), catalog: catalog)
        XCTAssertFalse(hopper.warnings.contains { $0.contains("no kernel measurements of its own") || $0.contains("GeForce") })
        // MI300X (CDNA3) has measurements (AMD's ROCm blog rows) and fitted family factors: no warning.
        let mi300x = solver.solve(try example("rag-long-context", catalog), catalog: catalog)
        XCTAssertTrue(mi300x.deployments.contains { $0.gpuID == "mi300x-192gb" })
        XCTAssertFalse(mi300x.warnings.contains { $0.contains("no kernel measurements of its own") })
    }

    /// The rules of an office plan: no rack, PDU or cooling line, only office chassis, every machine's
    /// peak at the wall within the socket, and the plan passes the independent checker.
    func assertOffice(_ plan: Plan, _ spec: Spec, _ catalog: Catalog, _ label: String) throws {
        XCTAssertTrue(plan.hasBuild, label)
        XCTAssertEqual(plan.totals.racks, 0, label)
        let pdus = Set(catalog.pdus.map(\.id))
        XCTAssertEqual(plan.bom.filter { [.rack, .cooling].contains($0.category) || pdus.contains($0.listing.id) }.map(\.listing.id), [], label)
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let efficiency = PlanFormulation.psuEfficiency(input.problem)
        for configuration in plan.servers {
            XCTAssertTrue(try XCTUnwrap(catalog.server(configuration.serverID)).sites.contains(.office), label)
            XCTAssertLessThanOrEqual(configuration.peakPowerWatts / efficiency, spec.constraints.socketWatts + 1e-6, "\(label): \(configuration.serverID)")
        }
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [], label)
        XCTAssertFalse(plan.warnings.contains { $0.contains("GeForce") }, label)
    }

    /// The RTX 4090 seed scenario is a desk-side box: no rack, PDU or room cooling on its BOM.
    func testOfficePlansBuyNoFacility() throws {
        let catalog = try loadShipped()
        let seed = try example("seed-scenario-1-rtx4090", catalog)
        XCTAssertEqual(seed.site, .office)
        try assertOffice(solver.solve(seed, catalog: catalog), seed, catalog, "seed 1")
        var random = SplitMix64(seed: 1_440)
        for _ in 0..<3 {
            var spec = try example("chat-8b", catalog)
            spec.site = .office
            spec.workload.load = .concurrency(random.int(1...64))
            try assertOffice(solver.solve(spec, catalog: catalog), spec, catalog, "chat-8b office \(spec.workload.load)")
        }
    }

    /// A 900 W socket holds one RTX 4090 workstation (729 W of load, ~776 W at the wall) but not two
    /// GPUs in one box (two 450 W cards alone are 900 W): every machine keeps one GPU.
    func testSocketLimitCapsEachMachine() throws {
        let catalog = try loadShipped()
        var spec = try example("seed-scenario-1-rtx4090", catalog)
        spec.pin = Pin()
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])
        spec.constraints.socketWatts = 900
        spec.workload.load = .concurrency(8)
        let plan = solver.solve(spec, catalog: catalog)
        try assertOffice(plan, spec, catalog, "900 W")
        XCTAssertTrue(plan.servers.allSatisfy { $0.gpusPerServer == 1 }, "\(plan.servers.map(\.gpusPerServer))")
    }

    func testSiteIsValidated() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nsite: garage"),
                       ["spec.yaml:3:7: site: must be one of datacenter, office (got 'garage')"])
    }
}
