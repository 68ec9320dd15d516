import LinearModel
import XCTest
@testable import PlannerCore

/// `constraints.<kind>.allow/deny` for every purchasable kind, and `constraints.uniform_servers`.
final class ChoiceLimitsTests: XCTestCase {
    let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))

    func chat8b() throws -> Spec {
        try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: loadShipped())
    }

    /// chat-8b buys 2 × ddr5-rdimm-32gb ($200, 10 W each): the 64 GiB floor of a 2-GPU server, in a
    /// pair on the desk-side workstation's 8 channels. Denying the 16 and 32 GB RDIMMs, the next pair
    /// that meets the floor is 2 × ddr5-rdimm-48gb ($300, 10 W): same count, same power, so capex rises
    /// by exactly 2 × ($300 − $200) = $200.
    func testDenyingTheCheapestDIMMRaisesCapexByThePriceGap() throws {
        let catalog = try loadShipped()
        var spec = try chat8b()
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        let before = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(before.status, .optimal)
        XCTAssertEqual(before.bom.first { $0.category == .memory }?.listing.id, "ddr5-rdimm-32gb")
        XCTAssertEqual(before.bom.first { $0.category == .memory }?.quantity, 2)

        spec.constraints.choices[.dimms] = ChoiceFilter(deny: ["ddr5-rdimm-16gb", "ddr5-rdimm-32gb"])
        let after = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(after.status, .optimal)
        XCTAssertEqual(after.bom.first { $0.category == .memory }?.listing.id, "ddr5-rdimm-48gb")
        XCTAssertEqual(after.bom.first { $0.category == .memory }?.quantity, 2)
        XCTAssertEqual(after.totals.capexUSD - before.totals.capexUSD, 200, accuracy: 1e-6)
        XCTAssertFalse(after.bom.contains { $0.listing.id == "ddr5-rdimm-32gb" })
    }

    /// An allow list keeps only what it names: allowing only the 2,000 W titanium PSU ($500 for a
    /// platinum's $400) changes the PSU line and raises capex by 2 × $100.
    func testAllowListKeepsOnlyWhatItNames() throws {
        let catalog = try loadShipped()
        var spec = try chat8b()
        let before = solver.solve(spec, catalog: catalog)
        spec.constraints.choices[.psus] = ChoiceFilter(allow: ["psu-2000w-titanium"])
        let after = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(after.status, .optimal)
        XCTAssertEqual(after.bom.filter { $0.listing.id.hasPrefix("psu-") }.map(\.listing.id), ["psu-2000w-titanium"])
        XCTAssertEqual(after.totals.capexUSD - before.totals.capexUSD, 200, accuracy: 1e-6)
    }

    /// Ids are checked against the catalog, with the key, line and a did-you-mean; a list that leaves
    /// nothing of a kind every plan needs is an error; a pin the lists exclude is an error.
    func testListsAreCheckedAgainstTheCatalog() throws {
        let catalog = try loadShipped()
        let yaml = """
            model: deepseek-r1-distill-llama-8b
            workload: {prompt_tokens: 512, output_tokens: 256, concurrency: 64}
            constraints:
              dimms: {allow: [ddr5-rdim-16gb]}
              psus: {allow: [psu-1600w-platinum], deny: [psu-1600w-platinum]}
              servers: {deny: [h100-sxm-80gb]}
              cooling: {method: air, allow: [cooling-air]}
              racks: {deny: [rack-42u-15kw]}
            pin: {rack: rack-42u-15kw}
            """
        XCTAssertEqual(specDiagnostics(yaml, catalog: catalog), [
            "spec.yaml:4:19: constraints.dimms.allow[0]: unknown DIMM 'ddr5-rdim-16gb', did you mean 'ddr5-rdimm-16gb'?",
            "spec.yaml:5:9: constraints.psus: leaves no PSU to buy (allowed: psu-1600w-platinum; denied: psu-1600w-platinum), expected at least one PSU the allow and deny lists both permit; every plan needs one",
            "spec.yaml:6:20: constraints.servers.deny[0]: 'h100-sxm-80gb' is a GPU, expected a server id",
            "spec.yaml:9:13: pin.rack: 'rack-42u-15kw' is excluded by constraints.racks, expected a rack the allow/deny lists permit",
        ])
        let spec = try SpecLoader.parse(yaml: """
            model: deepseek-r1-distill-llama-8b
            workload: {prompt_tokens: 512, output_tokens: 256, concurrency: 64}
            constraints: {cooling: {method: liquid, deny: [cooling-direct-liquid]}, uniform_servers: true, switches: {allow: []}}
            """, catalog: catalog)
        XCTAssertEqual(spec.constraints.cooling, .liquid)
        XCTAssertEqual(spec.constraints.choices[.cooling], ChoiceFilter(deny: ["cooling-direct-liquid"]))
        XCTAssertEqual(spec.constraints.choices[.switches], ChoiceFilter(allow: []))
        XCTAssertTrue(spec.constraints.uniformServers)
    }

    /// Lists that leave entries but none that fit together (only a PSU the workstation does not take,
    /// only the workstation chassis) are infeasible with a diagnosis naming the lists, not a solver abort.
    func testListsLeavingNothingThatFitsAreDiagnosed() throws {
        let catalog = try loadShipped()
        var spec = try chat8b()
        spec.constraints.choices[.servers] = ChoiceFilter(allow: ["workstation-4gpu-rdimm"])
        spec.constraints.choices[.psus] = ChoiceFilter(allow: ["psu-3300w-titanium"])
        XCTAssertEqual(SpecLoader.check(spec, against: catalog), [])
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertTrue(plan.diagnosis.contains { $0.contains("allow/deny lists under constraints") }, "\(plan.diagnosis)")
        // The relaxation that works is the PSU list: then it is chat-8b's own $18,068 build.
        XCTAssertTrue(plan.diagnosis.contains("allowing every PSU (constraints.psus) makes it feasible: $18,068 for 2 × rtx-4090-24gb"), "\(plan.diagnosis)")
    }

    /// 400 concurrent on chat-8b, RTX 6000 Ada (300 W, $6,800) in workstations only: 5 replicas (one
    /// holds 92 at the targets since the twelfth session's same-family curves; 350 took 5 before), the
    /// cheapest build is one server of 4 GPUs and one of 1 ($65,656). Every server of a group carries
    /// the same DIMMs: 2 × ddr5-rdimm-64gb (128 GiB ≥ 2 × 4 × 14.96 GiB of weights), so the 4-GPU
    /// server peaks at 4 × 300 + 350 base + 2 × 10 W DIMMs + 2 × 9 W SSDs + 12 W NIC = 1,600 W and two
    /// 1,600 W platinum PSUs ($400) carry it at n+1. With `uniform_servers` both servers are the same,
    /// 3 GPUs each: one GPU more (+$6,800), and 2 × ddr5-rdimm-48gb (96 GiB ≥ 89.8 GiB) per server for
    /// 2 × 64 GB (4 × −$100): +$6,400 in all.
    func testUniformServersBuysIdenticalServers() throws {
        let catalog = try loadShipped()
        var spec = try chat8b()
        spec.budget = Budget()
        spec.workload.load = .concurrency(400)
        spec.constraints.choices[.servers] = ChoiceFilter(allow: ["workstation-4gpu-rdimm"])
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-6000-ada-48gb"])
        let mixed = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(mixed.status, .optimal)
        XCTAssertEqual(mixed.servers.map(\.gpusPerServer).sorted(), [1, 4])
        XCTAssertEqual(mixed.totals.capexUSD, 65_656, accuracy: 1e-6)
        spec.constraints.uniformServers = true
        let uniform = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(uniform.status, .optimal)
        XCTAssertEqual(uniform.servers.count, 1, "one server configuration: \(uniform.servers)")
        XCTAssertEqual(uniform.servers.first?.count, 2)
        XCTAssertEqual(uniform.servers.first?.gpusPerServer, 3)
        XCTAssertEqual(uniform.servers.first?.psuID, "psu-1600w-platinum")
        XCTAssertEqual(uniform.totals.capexUSD - mixed.totals.capexUSD, 6_800 - 4 * 100, accuracy: 1e-6)
    }

    /// 450 concurrent on RTX 4090s in workstations with `uniform_servers`: three servers of 3 GPUs
    /// (a 4-GPU server peaks at 2,150 W, more than two PSU bays carry with n+1), each with
    /// 2 × ddr5-rdimm-48gb ($600 for 96 GiB ≥ 2 × 3 × 14.96 GiB): $62,984, $600 below the 8 × 16 GB
    /// per server the every-channel rule bought ($63,584). At TP 1 (twelfth session: a TP 2 pair now
    /// carries more than two TP 1 replicas, so the cheapest build at 450 is pairs) the default program,
    /// also filling servers to 3 GPUs, finds the same 3 × 3 (``ChassisClassTests`` at 400: 3 + 3 + 2).
    func testUniformServersUseEverySoldGPUCount() throws {
        let catalog = try loadShipped()
        var spec = try chat8b()
        spec.budget = Budget()
        spec.workload.load = .concurrency(450)
        spec.constraints.maxTensorParallel = 1
        spec.constraints.choices[.servers] = ChoiceFilter(allow: ["workstation-4gpu-rdimm"])
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        spec.constraints.uniformServers = true
        let uniform = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(uniform.servers.map { "\($0.count)x\($0.gpuID)*\($0.gpusPerServer)" }, ["3xrtx-4090-24gb*3"])
        XCTAssertEqual(uniform.totals.capexUSD, 62_984, accuracy: 1e-6)
    }
}
