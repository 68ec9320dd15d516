import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// The shipped examples' plans do not undersize: one replica of each plan's deployment, carrying its
/// even share of the demand (growth headroom included, the n + 1 spare replica idle), run in the step
/// simulator (10,000 requests, seed 1: the reference the fast model is checked against), meets the P99
/// TTFT and TPOT targets within 10 %. Measured (simulated P99) since the twelfth session's same-family
/// curves: chat-8b, two L4s at TP 2, 64 clients, 269 / 49.6 ms against 500 / 50; llama-70b, H100 NVL,
/// 32 clients, 611 / 47.8 against 1,500 / 50; seed-scenario-2, 256 clients, 143 / 25.0 against 200 / 50;
/// multi-rack-cluster, 75 replicas, 5.07 requests/s, 415 / 41.0 against 1,000 / 40 — TPOT 2.4 % over.
/// Before (RTX 4090s for chat-8b, 32 clients a replica: 268 / 31.7; llama-70b 648 / 47.4):
/// multi-rack-cluster, 77 replicas since the ninth session
/// (74 before), 4.93 requests/s, 456 / 40.9 against 1,000 / 40 — TPOT 2.2 % over (at 74 replicas, 5.14
/// requests/s: 42.6 ms, 41.3 with 20,000 requests: a P99 of this sample moves by ±3 %). The plan
/// multi-rack-cluster bought before this test (62 replicas, 6.15 requests/s each) gives 53.7 ms.
/// At full rated capacity rate plans miss by more (docs/performance-model.md, "The shipped examples'
/// plans in the simulator").
final class PlansInTheSimulatorTests: XCTestCase {
    func testShippedPlansMeetTheirTargetsInTheSimulator() throws {
        let catalog = try loadShipped()
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
        for example in ["chat-8b", "llama-70b", "seed-scenario-2-4096-concurrent", "multi-rack-cluster", "qwen3-235b-moe"] {
            let spec = try SpecLoader.load(
                path: repositoryRoot.appendingPathComponent("examples/\(example).yaml").path, catalog: catalog)
            let plan = solver.solve(spec, catalog: catalog)
            XCTAssertEqual(plan.status, .optimal, example)
            let line = try XCTUnwrap(plan.deployments.first, example)
            XCTAssertEqual(plan.deployments.count, 1, example)
            let performance = try XCTUnwrap(plan.performance, example)
            XCTAssertEqual(performance.percentile, 99, example)
            let active = line.replicas - (spec.constraints.replicaRedundancy == .nPlus1 ? 1 : 0)
            let share = performance.demand / Double(active)
            let d = Deployment(
                model: try XCTUnwrap(catalog.model(spec.modelID), example),
                gpu: try XCTUnwrap(catalog.gpu(line.gpuID), example),
                gpuCount: line.tensorParallel, tensorParallel: line.tensorParallel,
                weightPrecision: line.weightPrecision, kvPrecision: line.kvCachePrecision, engine: spec.engine,
                engineSettings: spec.engineSettings.with(ParallelLayout(
                    expertParallel: line.expertParallel, attentionDataParallel: line.attentionDataParallel))
                    .overriding(maxBatch: line.maxNumSeqs))
            let load: ServingWorkload.Load = performance.demandUnit == .concurrency
                ? .concurrency(Int(share.rounded(.up))) : .requestsPerSecond(share)
            let w = ServingWorkload(
                promptTokens: spec.workload.promptTokens, outputTokens: spec.workload.outputTokens, load: load, percentile: 0.99)
            let sim = ServingSimulator(d, w, calibration: catalog.calibration)
                .run(load, options: .init(seed: 1, measuredRequests: 10_000))
            let message = String(
                format: "%@: %@ × TP %d at %@: simulated P99 TTFT %.1f ms (target %.0f), TPOT %.2f ms (target %.0f)",
                example, line.gpuID, line.tensorParallel, "\(load)", sim.ttft.p99 * 1000,
                performance.ttftTargetMs ?? Double.nan, sim.tpot.p99 * 1000, performance.tpotTargetMs ?? Double.nan)
            print("PLAN " + message)
            if let target = performance.ttftTargetMs { XCTAssertLessThanOrEqual(sim.ttft.p99 * 1000, 1.10 * target, message) }
            if let target = performance.tpotTargetMs { XCTAssertLessThanOrEqual(sim.tpot.p99 * 1000, 1.10 * target, message) }
        }
    }

    /// A rate plan for 8,192-token prompts rated where the fast model's slot wait falls short (docs/
    /// performance-model.md, "Known and left: Poisson arrivals near saturation with long prompts") says so,
    /// and the simulator bears the warning out: at the demand's share (2.5 requests/s a replica) it meets
    /// the 1.5 s P99 TTFT, at the replica's rated capacity it misses it several times over. Measured: rated
    /// 3.12 requests/s, 38 in flight against 53 slots, peakedness 6.3, at the cap 16 % of the time; the
    /// simulator's P99 TTFT 1,013 ms at the share and 8,875 ms at the rated capacity (fast: 948 and 1,412).
    /// Short prompts at the same share of saturation carry no such warning.
    func testARatePlanNearTheSlotsSaysSoAndTheSimulatorAgrees() throws {
        let catalog = try loadShipped()
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
        let yaml = """
            model: llama-3.1-8b
            precision: {weights: fp16}
            engine: vllm
            workload: {prompt_tokens: 8192, output_tokens: 256, requests_per_second: 20}
            slo: {ttft_ms: 1500, tpot_ms: 100, percentile: 99}
            constraints:
              gpus: {allow: [h100-sxm-80gb]}
            """
        let spec = try SpecLoader.parse(yaml: yaml, catalog: catalog)
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        let line = try XCTUnwrap(plan.deployments.first)
        XCTAssertEqual(line.tensorParallel, 1)
        let warning = try XCTUnwrap(plan.warnings.first { $0.contains("KV-cache slots") }, "\(plan.warnings)")
        XCTAssertTrue(warning.hasPrefix("h100-sxm-80gb@tp1: at its rated"), warning)
        XCTAssertTrue(warning.contains("against 53 KV-cache slots"), warning)
        let d = Deployment(
            model: try XCTUnwrap(catalog.model("llama-3.1-8b")), gpu: try XCTUnwrap(catalog.gpu("h100-sxm-80gb")),
            gpuCount: 1, tensorParallel: 1, weightPrecision: .fp16, kvPrecision: .fp16, engine: .vllm)
        func simulatedP99TTFT(_ rate: Double) -> Double {
            let w = ServingWorkload(promptTokens: 8192, outputTokens: 256, load: .requestsPerSecond(rate), percentile: 0.99)
            return ServingSimulator(d, w, calibration: catalog.calibration)
                .run(w.load, options: .init(seed: 1, measuredRequests: 10_000)).ttft.p99 * 1000
        }
        let share = try XCTUnwrap(plan.performance).demand / Double(line.replicas)
        XCTAssertLessThanOrEqual(simulatedP99TTFT(share), 1.10 * 1500, "at the demand's share the plan holds")
        XCTAssertGreaterThan(simulatedP99TTFT(line.capacityPerReplica), 2 * 1500, "at the rated capacity it does not")

        let short = try SpecLoader.parse(
            yaml: yaml.replacingOccurrences(of: "prompt_tokens: 8192, output_tokens: 256, requests_per_second: 20",
                                            with: "prompt_tokens: 128, output_tokens: 1024, requests_per_second: 100"),
            catalog: catalog)
        let shortPlan = solver.solve(short, catalog: catalog)
        XCTAssertEqual(shortPlan.status, .optimal)
        XCTAssertFalse(shortPlan.warnings.contains { $0.contains("KV-cache slots") }, "\(shortPlan.warnings)")
    }

    /// The flag's rule: peakedness 3 or more and a share of time at the slots above what the percentile
    /// leaves; and the generator's share is 1 − Φ((C − a) / √(z a)) of its own count (8B on an H100,
    /// 8,192/256, P99: C = 53 slots, at its rated rate a = 38 in flight, z = 6.3: 16 %).
    func testSlotWaitFlagFollowsItsRule() throws {
        let catalog = try loadShipped()
        let gpu = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        // The count's mean a that puts a share s of a normal count of variance z a at 53 slots or more:
        // 53 − a = k √(z a), k = Φ⁻¹(1 − s), a quadratic in √a.
        func candidate(peakedness z: Double, share: Double) -> ServingCandidate {
            let k = normalQuantile(1 - share)
            let root = (-k * z.squareRoot() + (k * k * z + 4 * 53).squareRoot()) / 2
            let c = ServingCandidate(gpu: gpu, tensorParallel: 1, capacityPerReplica: 3, concurrencyPerReplica: root * root,
                                     ttftMs: 1_000, tpotMs: 50, outputTokensPerSecond: 768, memoryUsedPerGPUGiB: 70,
                                     weightsPerReplicaGiB: 15, slotsPerReplica: 53, inFlightPeakedness: z)
            XCTAssertEqual(c.slotCapShare ?? .nan, share, accuracy: 1e-6 * share)
            return c
        }
        XCTAssertTrue(candidate(peakedness: 3, share: 0.02).slotWaitUnderestimated(percentile: 0.99))
        XCTAssertFalse(candidate(peakedness: 2.9, share: 0.5).slotWaitUnderestimated(percentile: 0.99), "Erlang C holds")
        XCTAssertFalse(candidate(peakedness: 6, share: 0.005).slotWaitUnderestimated(percentile: 0.99))
        XCTAssertFalse(candidate(peakedness: 6, share: 0.02).slotWaitUnderestimated(percentile: 0.95))
        XCTAssertTrue(candidate(peakedness: 6, share: 0.06).slotWaitUnderestimated(percentile: 0.95))

        let model = try XCTUnwrap(catalog.model("llama-3.1-8b"))
        func evaluate(_ unit: DemandUnit) -> ServingCandidate? {
            let generator = CandidateGenerator(
                model: model, weightPrecision: .fp16, kvPrecision: .fp16, engine: .vllm, virtualizationOverhead: 0,
                promptTokens: 8192, outputTokens: 256, target: SLO(ttftMs: 1500, tpotMs: 100, e2eMs: nil, percentile: 99),
                demandUnit: unit, calibration: catalog.calibration)
            guard case .success(let c) = generator.evaluate(gpu: gpu, tensorParallel: 1) else { return nil }
            return c
        }
        let c = try XCTUnwrap(evaluate(.requestsPerSecond))
        let slots = try XCTUnwrap(c.slotsPerReplica), z = try XCTUnwrap(c.inFlightPeakedness)
        let share = try XCTUnwrap(c.slotCapShare)
        XCTAssertEqual(slots, 53)
        XCTAssertEqual(share, 0.5 * erfc((slots - c.concurrencyPerReplica) / (z * c.concurrencyPerReplica).squareRoot() / 2.0.squareRoot()),
                       accuracy: 1e-12)
        XCTAssertEqual(share, 0.16, accuracy: 0.02)
        XCTAssertTrue(c.slotWaitUnderestimated(percentile: 0.99))
        let closed = try XCTUnwrap(evaluate(.concurrency))
        XCTAssertNil(closed.inFlightPeakedness, "a closed loop's count is fixed")
        XCTAssertFalse(closed.slotWaitUnderestimated(percentile: 0.99))
    }
}
