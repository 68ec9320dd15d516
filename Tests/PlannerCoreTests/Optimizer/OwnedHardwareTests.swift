import LinearModel
import XCTest
@testable import PlannerCore

/// `existing:` — owned servers carry part of the demand; the plan buys only the rest.
final class OwnedHardwareTests: XCTestCase {
    let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))

    /// Llama 3.1 70B on H100 SXM only, no pins (the seed's 8x H100 build), at `rps` requests/s.
    func spec(_ catalog: Catalog, rps: Double) throws -> Spec {
        // Loaded without the catalog: its pins (which do not fit together) are dropped here.
        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/seed-8x-h100-check.yaml").path)
        spec.pin = Pin()
        spec.budget = Budget()
        spec.constraints.gpus = ChoiceFilter(allow: ["h100-sxm-80gb"])
        spec.workload.load = .requestsPerSecond(rps)
        return spec
    }

    static let owned = OwnedServers(serverID: "sys-821ge-tnhr-hgx-h100", count: 1, gpuID: "h100-sxm-80gb", gpusPerServer: 8)

    /// One owned 8× H100 server and a demand of about three servers' worth: the plan buys one
    /// server fewer than without it (8 GPUs fewer), and its capex drops by what that server costs.
    func testOwnedServerIsNotBoughtAgain() throws {
        let catalog = try loadShipped()
        var probe = try spec(catalog, rps: 1)
        probe.existing = ExistingHardware(servers: [Self.owned])
        let perServer = try XCTUnwrap(ProblemBuilder.scope(spec: probe, catalog: catalog).context.reused.first).capacity
        XCTAssertGreaterThan(perServer, 0)

        let demand = 2.5 * perServer
        let fresh = try spec(catalog, rps: demand)
        var owning = fresh
        owning.existing = ExistingHardware(servers: [Self.owned])
        let scope = ProblemBuilder.scope(spec: owning, catalog: catalog)
        XCTAssertEqual(scope.problem.requirements.ownedCapacity, perServer, accuracy: 1e-9)
        XCTAssertEqual(scope.problem.requirements.demand, 1.5 * perServer, accuracy: 1e-9)

        let without = solver.solve(fresh, catalog: catalog)
        let with = solver.solve(owning, catalog: catalog)
        XCTAssertEqual(without.status, .optimal)
        XCTAssertEqual(with.status, .optimal)
        XCTAssertEqual(without.totals.servers, 3)
        XCTAssertEqual(with.totals.servers, 2, "buys only the missing servers")
        XCTAssertEqual(without.totals.gpus - with.totals.gpus, 8)
        XCTAssertEqual(with.reused.map(\.owned), [Self.owned])
        // The difference is one server as the plan without `existing:` builds it.
        let server = try XCTUnwrap(without.servers.first)
        XCTAssertEqual(without.servers.count, 1, "three identical servers")
        let oneServerUSD = without.totals.capexUSD - with.totals.capexUSD
        XCTAssertGreaterThanOrEqual(oneServerUSD, 36_774 + 8 * 27_500, "chassis and GPUs at least: \(server)")
        XCTAssertLessThan(with.totals.capexUSD, without.totals.capexUSD)
        let input = ProblemBuilder.build(spec: owning, catalog: catalog)
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: with), [])
    }

    /// Owned servers that carry the whole demand: nothing to buy, and the plan says so.
    func testOwnedServersCarryingEverythingBuyNothing() throws {
        let catalog = try loadShipped()
        var owning = try spec(catalog, rps: 0.5)
        owning.existing = ExistingHardware(servers: [Self.owned])
        let plan = solver.solve(owning, catalog: catalog)
        XCTAssertEqual(plan.bom, [])
        XCTAssertEqual(plan.totals.capexUSD, 0)
        XCTAssertTrue(plan.hasBuild)
        XCTAssertEqual(PlanSummary.reuse(plan, demandUnit: .requestsPerSecond).last, "nothing to buy: the owned servers carry the whole demand")
        XCTAssertTrue(TablePlanRenderer().render(plan).contains("Reuse (owned, not bought)"))
        XCTAssertTrue(JSONPlanRenderer().render(plan).contains("\"reuse\" : ["))
    }

    /// `check` on owned hardware alone: the demand rule breaks, and the fix is the increment.
    func testCheckPricesTheFixAsTheIncrement() throws {
        let catalog = try loadShipped()
        var probe = try spec(catalog, rps: 1)
        probe.existing = ExistingHardware(servers: [Self.owned])
        let perServer = try XCTUnwrap(ProblemBuilder.scope(spec: probe, catalog: catalog).context.reused.first).capacity
        var owning = try spec(catalog, rps: 2.5 * perServer)
        owning.existing = ExistingHardware(servers: [Self.owned])
        let check = PinnedBuildCheck.run(spec: owning, catalog: catalog, compatibility: []) { solver.solve($0, catalog: catalog) }
        XCTAssertEqual(check.violations.map(\.rule), ["demand"])
        let fix = try XCTUnwrap(check.fix)
        XCTAssertEqual(fix.plan.totals.servers, 2)
        XCTAssertEqual(fix.plan.totals.capexUSD, solver.solve(owning, catalog: catalog).totals.capexUSD, accuracy: 0.01)
    }

    func testExistingIsValidated() throws {
        let catalog = try loadShipped()
        let diagnostics = specDiagnostics("""
            model: llama-3.1-70b
            workload: {prompt_tokens: 512, output_tokens: 256}
            existing:
              servers:
                - {server: sys-821ge-tnhr-hgx-h100, count: 1, gpu: h100-sxm-80gb, gpus_per_server: 4}
                - {server: workstation-4gpu-rdimm, count: 1, gpu: l40s-48gb, gpus_per_server: 2}
            """, catalog: catalog)
        XCTAssertEqual(diagnostics, [
            "spec.yaml:5:88: existing.servers[0].gpus_per_server: sys-821ge-tnhr-hgx-h100 holds 8 GPUs (got 4), expected one of those",
            "spec.yaml:6:16: existing.servers[1].server: workstation-4gpu-rdimm does not take l40s-48gb, expected the chassis the owned GPUs are in",
        ])
        XCTAssertEqual(specDiagnostics("model: llama-3.1-70b\nworkload: {prompt_tokens: 1, output_tokens: 1}\nexisting: {servers: [{server: x}]}").count, 3)
    }
}

/// `existing.items`: owned racks, switches and parts are used before any is bought.
final class OwnedItemsTests: XCTestCase {
    /// chat-8b buys 2 × ddr5-rdimm-32gb ($200; the 64 GiB floor) and one rack-42u-15kw ($1,500). Owning
    /// 6 × ddr5-rdimm-16gb, the rack and a switch (unused: one server needs none), the server takes 4 of
    /// the owned DIMMs (64 GiB, a pair per two channels) and capex drops by 2 × $200 + $1,500 = $1,900:
    /// the BOM lists 4 DIMMs and the rack as owned at $0, and buys no DIMM. The two DIMMs more draw
    /// 2 × 10 W more at the server, ÷ 0.94 (the least efficient PSU offered) at the wall.
    func testOwnedItemsAreUsedBeforeBuying() throws {
        let catalog = try loadShipped()
        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: catalog)
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
        let fresh = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(fresh.totals.capexUSD, 18_068, accuracy: 1e-6)
        spec.existing = ExistingHardware(items: [
            OwnedItem(id: "ddr5-rdimm-16gb", count: 6), OwnedItem(id: "rack-42u-15kw", count: 1), OwnedItem(id: "sn2410-class", count: 1),
        ])
        XCTAssertEqual(SpecLoader.check(spec, against: catalog), [])
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.totals.capexUSD, 18_068 - 2 * 200 - 1_500, accuracy: 1e-6)
        let lines = plan.bom.filter { ["ddr5-rdimm-16gb", "rack-42u-15kw", "sn2410-class"].contains($0.listing.id) }
        XCTAssertEqual(lines.map { "\($0.listing.id)*\($0.quantity)@\(Int($0.unitPriceUSD)) \($0.listing.priceBasis.rawValue)" }, [
            "ddr5-rdimm-16gb*4@0 owned", "rack-42u-15kw*1@0 owned",
        ])
        XCTAssertEqual(plan.bom.reduce(0) { $0 + $1.extendedPriceUSD }, plan.totals.capexUSD, accuracy: 1e-6)
        XCTAssertEqual(plan.totals.peakPowerWatts, fresh.totals.peakPowerWatts + 2 * 10 / 0.94, accuracy: 1e-6, "owned parts draw power like bought ones")
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [])
    }

    func testOwnedItemsAreCheckedAgainstTheCatalog() throws {
        let catalog = try loadShipped()
        let yaml = """
            model: deepseek-r1-distill-llama-8b
            workload: {prompt_tokens: 512, output_tokens: 256, concurrency: 64}
            existing:
              items: [{id: rack-42u-15k, count: 1}, {id: workstation-4gpu-rdimm, count: 1}, {id: llama-3.1-70b, count: 1}]
            """
        XCTAssertEqual(specDiagnostics(yaml, catalog: catalog), [
            "spec.yaml:4:16: existing.items[0].id: unknown item 'rack-42u-15k', did you mean 'rack-42u-15kw'?",
            "spec.yaml:4:46: existing.items[1].id: 'workstation-4gpu-rdimm' is a server, expected a rack, switch or part id; list owned servers under existing.servers with their GPUs",
            "spec.yaml:4:86: existing.items[2].id: 'llama-3.1-70b' is a model, expected a rack, switch or part id",
        ])
    }
}
