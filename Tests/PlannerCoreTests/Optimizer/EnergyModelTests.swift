import LinearModel
import XCTest
@testable import PlannerCore

/// TCO's energy: the spec's output length and load, the chosen PSU's efficiency.
final class EnergyModelTests: XCTestCase {
    /// A replica of 2 × H100 SXM (700 W) at TTFT 200 ms, TPOT 20 ms carrying 10 requests/s:
    /// 256 output tokens: s = 200 / (200 + 256 · 20) = 0.0375940, a = 380/700 + s · 320/700 = 0.5600430,
    /// watts per unit of load above idle = (a − 75/700) · 700 · 2 / 10 = 63.4060;
    /// 1,024 tokens: s = 200 / 20,680 = 0.0096712, a = 0.5472783, → 61.6190.
    func testActiveWattsPerLoadByHand() throws {
        let gpu = try XCTUnwrap(loadShipped().gpu("h100-sxm-80gb"))
        XCTAssertEqual(gpu.powerWatts, 700)
        let candidate = ServingCandidate(gpu: gpu, tensorParallel: 2, capacityPerReplica: 10, concurrencyPerReplica: 40,
                                         ttftMs: 200, tpotMs: 20, outputTokensPerSecond: 2_560, memoryUsedPerGPUGiB: 70, weightsPerReplicaGiB: 130)
        XCTAssertEqual(EnergyModel.prefillShare(of: candidate, outputTokens: 256), 0.0375940, accuracy: 1e-7)
        XCTAssertEqual(EnergyModel.activeWattsPerLoad(candidate, outputTokens: 256), 63.4060, accuracy: 1e-4)
        XCTAssertEqual(EnergyModel.activeWattsPerLoad(candidate, outputTokens: 1_024), 61.6190, accuracy: 1e-4)
        XCTAssertEqual(EnergyModel.prefillShare(of: candidate, outputTokens: nil), 0)
    }

    /// chat-8b's cheapest plan: 2 × RTX 4090 (450 W) in one workstation (350 W base), 2 DIMMs
    /// of 10 W (a desk-side pair, 2 × 32 GB), 2 SSDs of 9 W, no NIC, 2 × psu-1600w-platinum (efficiency 0.94), air cooling (no fans
    /// of its own), 64 concurrent on replicas of capacity c each. Average wall draw =
    /// [2 · 450 · 75/700 + 64 · (a − 75/700) · 450 · TP / c + 0.5 · (350 + 20 + 18)] / 0.94, a from
    /// the candidate's TTFT and TPOT at capacity and the 256 output tokens. With 1,024 output tokens
    /// the GPU term follows a; at half the load, half the draw above idle; with the 2,000 W titanium
    /// PSU (0.96) the same DC draw ÷ 0.96.
    func testAverageDrawFollowsOutputLengthLoadAndChosenPSU() throws {
        let catalog = try loadShipped()
        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: catalog)
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(input.problem.requirements.energy, EnergyWorkload(outputTokens: 256, load: 64))
        let plan = Optimizer().solve(input.problem, context: input.context)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.bom.map { "\($0.listing.id)*\($0.quantity)" }, [
            "rtx-4090-24gb*2", "workstation-4gpu-rdimm*1", "ddr5-rdimm-32gb*2", "wd-sn850x-2tb*2",
            "pdu-17.3kw-metered*1", "psu-1600w-platinum*2", "cooling-air*2", "rack-42u-15kw*1",
        ])
        // TP 1 and TP 2 cost the same here: the formula takes the TP the plan uses.
        let tp = try XCTUnwrap(plan.deployments.first?.tensorParallel)
        let candidate = try XCTUnwrap(input.problem.candidates.first { $0.gpu.id == "rtx-4090-24gb" && $0.tensorParallel == tp })
        let idleGPUs: Double = 2 * 450 * 75.0 / 700
        let idleDC: Double = idleGPUs + 0.5 * 388  // base 350 + 2 DIMMs × 10 + 2 SSDs × 9
        XCTAssertEqual(idleDC, 290.428571, accuracy: 1e-6)
        let expected256 = Self.expectedDC(candidate, outputTokens: 256)
        XCTAssertEqual(plan.totals.averagePowerWatts, expected256 / 0.94, accuracy: 1e-6)

        var longer = input.problem
        longer.requirements.energy.outputTokens = 1_024
        let longPlan = Optimizer().solve(longer, context: input.context)
        XCTAssertEqual(longPlan.totals.capexUSD, plan.totals.capexUSD, accuracy: 1e-6)
        XCTAssertEqual(longPlan.totals.averagePowerWatts, Self.expectedDC(candidate, outputTokens: 1_024) / 0.94, accuracy: 1e-6)
        XCTAssertLessThan(longPlan.totals.averagePowerWatts, plan.totals.averagePowerWatts, "a longer answer: less time in prefill")

        var lighter = input.problem
        lighter.requirements.energy.load = 32
        let lightPlan = Optimizer().solve(lighter, context: input.context)
        XCTAssertEqual(lightPlan.totals.averagePowerWatts, (idleDC + (expected256 - idleDC) / 2) / 0.94, accuracy: 1e-6)

        var titanium = input.problem
        titanium.psus = titanium.psus.filter { $0.id == "psu-2000w-titanium" }
        let titaniumPlan = Optimizer().solve(titanium, context: input.context)
        XCTAssertEqual(titaniumPlan.bom.first { $0.listing.id.hasPrefix("psu-") }?.listing.id, "psu-2000w-titanium")
        // TP 1 and TP 2 tie on capex, so the solver may take either: the draw follows the one it takes.
        let titaniumTP = try XCTUnwrap(titaniumPlan.deployments.first?.tensorParallel)
        let titaniumCandidate = try XCTUnwrap(input.problem.candidates.first { $0.gpu.id == "rtx-4090-24gb" && $0.tensorParallel == titaniumTP })
        XCTAssertEqual(titaniumPlan.totals.averagePowerWatts, Self.expectedDC(titaniumCandidate, outputTokens: 256) / 0.96, accuracy: 1e-6)
    }

    /// min_tco on chat-8b: the same build as min_capex, but one replica at TP 2, whose load draws
    /// less above idle; TCO = capex + average kW × 3 years × 8,766 h × PUE 1.4 × $0.12/kWh, and it
    /// changes with the output length and with the chosen PSU's efficiency.
    func testTCOUsesTheSameEnergyAsTheReport() throws {
        let catalog = try loadShipped()
        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: catalog)
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        spec.objective = .minTCO
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let plan = Optimizer().solve(input.problem, context: input.context)
        XCTAssertEqual(plan.deployments.map(\.tensorParallel), [2])
        let tp2 = try XCTUnwrap(input.problem.candidates.first { $0.gpu.id == "rtx-4090-24gb" && $0.tensorParallel == 2 })
        let watts = Self.expectedDC(tp2, outputTokens: 256) / 0.94
        XCTAssertEqual(plan.totals.averagePowerWatts, watts, accuracy: 1e-6)
        let tco = try XCTUnwrap(plan.totals.tcoUSD)
        XCTAssertEqual(tco - plan.totals.capexUSD, watts / 1000 * 3 * 8766 * 1.4 * 0.12, accuracy: 1e-6)
        XCTAssertEqual(plan.objective.value, tco, accuracy: 1e-6)

        var longer = input.problem
        longer.requirements.energy.outputTokens = 1_024
        let longPlan = Optimizer().solve(longer, context: input.context)
        let longTCO = try XCTUnwrap(longPlan.totals.tcoUSD)
        XCTAssertEqual(longTCO - longPlan.totals.capexUSD, Self.expectedDC(tp2, outputTokens: 1_024) / 0.94 / 1000 * 3 * 8766 * 1.4 * 0.12, accuracy: 1e-6)
        XCTAssertLessThan(longTCO, tco)

        // Only the 2,000 W titanium PSU (0.96, $500 for the platinum's $400): the energy is the same DC
        // draw ÷ 0.96, and capex $200 more.
        var titanium = input.problem
        titanium.psus = titanium.psus.filter { $0.id == "psu-2000w-titanium" }
        let titaniumPlan = Optimizer().solve(titanium, context: input.context)
        let titaniumTCO = try XCTUnwrap(titaniumPlan.totals.tcoUSD)
        XCTAssertEqual(titaniumPlan.totals.capexUSD - plan.totals.capexUSD, 200, accuracy: 1e-6)
        XCTAssertEqual(titaniumTCO - titaniumPlan.totals.capexUSD, Self.expectedDC(tp2, outputTokens: 256) / 0.96 / 1000 * 3 * 8766 * 1.4 * 0.12, accuracy: 1e-6)
    }

    /// DC average of chat-8b's one workstation: 2 × RTX 4090 idle (75/700 of 450 W), the 64 concurrent
    /// at (a − 75/700) · 450 W · TP per c of load, and half the base, DIMMs and SSDs' 388 W.
    static func expectedDC(_ candidate: ServingCandidate, outputTokens: Double) -> Double {
        let s: Double = candidate.ttftMs / (candidate.ttftMs + outputTokens * candidate.tpotMs)
        let a: Double = s + (1 - s) * 380.0 / 700
        let idle: Double = 2 * 450 * 75.0 / 700
        let perLoad: Double = (a - 75.0 / 700) * 450 * Double(candidate.tensorParallel) / candidate.capacityPerReplica
        let platform: Double = 0.5 * (350 + 2 * 10 + 2 * 9)
        return idle + 64 * perLoad + platform
    }
}
