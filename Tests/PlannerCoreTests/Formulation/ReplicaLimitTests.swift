import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// What sets a replica's capacity (``ReplicaLimit``): each case on a deployment whose limit is known
/// without the bisection — the engine's documented batch cap, a target loose enough that only the KV cache
/// or saturation can stop the replica — and a binding target checked against the model's own predictions
/// one load above and at the capacity (the figures `estimate` prints for those loads).
final class ReplicaLimitTests: XCTestCase {
    private func generator(
        _ catalog: Catalog, engine: EngineProfile = .vllm, isl: Int, osl: Int, ttft: Double?, tpot: Double?, unit: DemandUnit
    ) throws -> CandidateGenerator {
        CandidateGenerator(
            model: try XCTUnwrap(catalog.model("deepseek-r1-distill-llama-8b")), weightPrecision: .fp16, kvPrecision: .fp16,
            engine: engine, virtualizationOverhead: 0, promptTokens: isl, outputTokens: osl,
            target: SLO(ttftMs: ttft, tpotMs: tpot, e2eMs: nil, percentile: 99), demandUnit: unit,
            calibration: catalog.calibration)
    }

    private func candidate(_ g: CandidateGenerator, _ gpu: String, _ catalog: Catalog) throws -> ServingCandidate {
        try g.evaluate(gpu: XCTUnwrap(catalog.gpu(gpu)), tensorParallel: 1).get()
    }

    private struct NotATarget: Error { var limit: ReplicaLimit? }

    /// The binding target of `c`'s limit, or an error naming the limit it has instead.
    private func bindingTarget(_ c: ServingCandidate) throws -> ReplicaLimit.BindingTarget {
        guard case let .latencyTarget(b) = c.limit else { throw NotATarget(limit: c.limit) }
        return b
    }

    /// Seed scenario 2 on one H100 (vLLM, 512/256, TTFT ≤ 200 ms, TPOT ≤ 50 ms): the KV cache holds about
    /// 590 such sequences (`ConcurrencySizingTests`), so vLLM's default `max_num_seqs` of 256 stops the
    /// replica, within both targets.
    func testTheEnginesBatchCap() throws {
        let catalog = try loadShipped()
        let c = try candidate(generator(catalog, isl: 512, osl: 256, ttft: 200, tpot: 50, unit: .concurrency), "h100-sxm-80gb", catalog)
        guard case let .engineCap(sequences, kvSequences) = c.limit else { return XCTFail("\(String(describing: c.limit))") }
        XCTAssertEqual(sequences, 256)
        XCTAssertEqual(c.capacityPerReplica, 256)
        // (0.90 × 79.65 GiB the driver reports − 14.96 GiB of weights (16.06 GB) − 1 to 3 GiB runtime overhead)
        // / (768 tokens × 131,072 B = 0.09375 GiB): 573–594.
        XCTAssertEqual(Double(kvSequences), 583.5, accuracy: 10.5)
    }

    /// An L40S at 1,024/512 with targets no load can break (a minute to first token, a second per
    /// token): every sequence its KV cache holds runs, and that count is the memory model's.
    func testTheKVCache() throws {
        let catalog = try loadShipped()
        let g = try generator(catalog, engine: .trtllm, isl: 1024, osl: 512, ttft: 60_000, tpot: 1000, unit: .concurrency)
        let c = try candidate(g, "l40s-48gb", catalog)
        let gpu = try XCTUnwrap(catalog.gpu("l40s-48gb"))
        let memory = memoryBreakdown(
            Deployment(model: g.model, gpu: gpu, gpuCount: 1, tensorParallel: 1, weightPrecision: .fp16, kvPrecision: .fp16,
                       engine: .trtllm, engineSettings: g.engineSettings, virtualizationOverhead: 0),
            sequenceTokens: 1536)
        XCTAssertTrue(memory.kvLimited)
        XCTAssertLessThan(memory.maxBatch, g.engineSettings.maxBatch)
        XCTAssertEqual(c.limit, .kvCache(sequences: memory.maxBatch))
        XCTAssertEqual(c.capacityPerReplica, Double(memory.maxBatch))
    }

    /// The same L40S at TTFT ≤ 200 ms (the scenario; `planner solve` buys 274 of them): a P99 TTFT
    /// near the GPU's floor leaves room for few clients. The limit names TTFT; the load one above the
    /// capacity breaks it and the capacity meets it, as `predict` (estimate's figures) says; the lightest
    /// load is one client's TTFT; the ceiling is the KV cache's count.
    func testABindingTimeToFirstToken() throws {
        let catalog = try loadShipped()
        let g = try generator(catalog, engine: .trtllm, isl: 1024, osl: 512, ttft: 200, tpot: 50, unit: .concurrency)
        let gpu = try XCTUnwrap(catalog.gpu("l40s-48gb"))
        let c = try candidate(g, "l40s-48gb", catalog)
        let b = try bindingTarget(c)
        let (next, lightest, ceiling) = (b.nextMs, b.lightestMs, b.ceiling)
        XCTAssertEqual(b.metric, .ttft)
        XCTAssertEqual(b.targetMs, 200)
        let above = try XCTUnwrap(g.predict(gpu: gpu, tensorParallel: 1, load: c.capacityPerReplica + 1))
        let at = try XCTUnwrap(g.predict(gpu: gpu, tensorParallel: 1, load: c.capacityPerReplica))
        let one = try XCTUnwrap(g.predict(gpu: gpu, tensorParallel: 1, load: 1))
        XCTAssertEqual(next, above.ttftMs, accuracy: 1e-9)
        XCTAssertGreaterThan(next, 200)
        XCTAssertLessThanOrEqual(at.ttftMs, 200)
        XCTAssertEqual(lightest, one.ttftMs, accuracy: 1e-9)
        // TensorRT-LLM's request overhead in the shipped constants (docs/performance-model.md, "Fitted constants").
        XCTAssertEqual(b.requestOverheadMs, 38.5, accuracy: 1e-9)
        XCTAssertLessThan(b.requestOverheadMs, lightest)
        XCTAssertLessThan(at.tpotMs, 50, "TPOT does not bind here")
        XCTAssertEqual(ceiling, try XCTUnwrap(g.capacityUpperBound(gpu: gpu, tensorParallel: 1)))
        XCTAssertLessThan(c.capacityPerReplica, ceiling / 4, "the target, not the memory, sizes this replica")
    }

    /// A rate demand: with no latency target (a spec always sets one; near saturation the queue makes any
    /// TTFT target bind — an hour at 99.9 % here), the replica is rated within 0.2 % of its saturation rate;
    /// with a TPOT target that binds, 0.1 % more rate breaks it.
    func testARateDemand() throws {
        let catalog = try loadShipped()
        let gpu = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        let loose = try generator(catalog, isl: 512, osl: 256, ttft: nil, tpot: nil, unit: .requestsPerSecond)
        let free = try candidate(loose, "h100-sxm-80gb", catalog)
        XCTAssertEqual(free.limit, .saturation)
        // Within 0.1 % of the rate from which the model finds the queue unstable (just below 99.9 %).
        let saturation = try XCTUnwrap(loose.capacityUpperBound(gpu: gpu, tensorParallel: 1))
        XCTAssertLessThanOrEqual(free.capacityPerReplica, 0.999 * saturation)
        XCTAssertGreaterThan(free.capacityPerReplica, 0.998 * saturation)

        let tight = try generator(catalog, isl: 512, osl: 256, ttft: nil, tpot: 20, unit: .requestsPerSecond)
        let c = try candidate(tight, "h100-sxm-80gb", catalog)
        let b = try bindingTarget(c)
        XCTAssertEqual(b.metric, .tpot)
        XCTAssertEqual(b.targetMs, 20)
        XCTAssertGreaterThan(b.nextMs, 20)
        XCTAssertLessThan(b.lightestMs, 20)
        XCTAssertLessThanOrEqual(try XCTUnwrap(tight.predict(gpu: gpu, tensorParallel: 1, load: c.capacityPerReplica)).tpotMs, 20)
        XCTAssertGreaterThan(try XCTUnwrap(tight.predict(gpu: gpu, tensorParallel: 1, load: c.capacityPerReplica * 1.0011)).tpotMs, 20)
        XCTAssertLessThan(c.capacityPerReplica, b.ceiling)
    }

    /// The target broken furthest names the limit; targets that hold, or are unset, never do.
    func testTheMostBrokenTarget() {
        let slo = SLO(ttftMs: 200, tpotMs: 50, e2eMs: 10_000, percentile: 99)
        XCTAssertNil(slo.mostBroken(ttftMs: 200, tpotMs: 50, outputTokens: 100))
        XCTAssertEqual(slo.mostBroken(ttftMs: 220, tpotMs: 50, outputTokens: 100)?.metric, .ttft)
        XCTAssertEqual(slo.mostBroken(ttftMs: 220, tpotMs: 60, outputTokens: 100)?.metric, .tpot) // 1.2 > 1.1
        // 300 + 99 × 99 = 10,101 ms: end to end 1.01 over, TPOT 1.98 over.
        XCTAssertEqual(slo.mostBroken(ttftMs: 300, tpotMs: 99, outputTokens: 100)?.metric, .tpot)
        let e2eOnly = SLO(ttftMs: nil, tpotMs: nil, e2eMs: 10_000, percentile: 99)
        let broken = e2eOnly.mostBroken(ttftMs: 300, tpotMs: 99, outputTokens: 100)
        XCTAssertEqual(broken?.metric, .endToEnd)
        XCTAssertEqual(broken?.valueMs ?? 0, 10_101, accuracy: 1e-9)
    }

    /// The plan says it: the table's "What limits the plan", the JSON's `deployment.capacity_limit` and a
    /// sweep row's `LIMIT`.
    func testThePlanSaysWhatLimitsEachReplica() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(
            path: repositoryRoot.appendingPathComponent("examples/seed-scenario-2-4096-concurrent.yaml").path, catalog: catalog)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        guard case let .engineCap(_, kv) = plan.deployments.first?.capacityLimit else { return XCTFail("\(plan.deployments)") }
        let table = TablePlanRenderer().render(plan)
        XCTAssertTrue(table.contains("  - each h100-sxm-80gb replica (TP 1) carries 256 concurrent requests: the engine's batch cap (max_num_seqs 256), within every target; its KV cache would hold \(kv): set engine.max_num_seqs in the spec (a number, or auto: what the KV cache holds) to run more\n"), table)
        let json = JSONPlanRenderer().render(plan)
        XCTAssertEqual(SweepRows.limit(plan), "batch cap")
        XCTAssertTrue(json.contains("\"capacity_limit\" : {\n      \"kind\" : \"engine_cap\",\n      \"kv_sequences\" : \(kv),\n      \"sequences\" : 256\n    }"), json)
    }

    /// The request overhead is a calibration constant that a user's overlay may set (their client and
    /// frontend, not the GPU): issue 11's L40S scenario at 10 ms instead of TensorRT-LLM's fitted 38.5 needs
    /// fewer GPUs, the plan says which overhead it used, and a GPU bought in two kinds of server gets one line.
    func testTheRequestOverheadInTheLimitIsTheCatalogs() throws {
        var catalog = try loadShipped()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("replica-limit-\(ProcessInfo.processInfo.processIdentifier).yaml")
        try """
            schema_version: 1
            name: issue11-l40s
            model: deepseek-r1-distill-llama-8b
            precision: {weights: fp16}
            engine: trtllm
            workload: {prompt_tokens: 1024, output_tokens: 512, concurrency: 4096}
            slo: {ttft_ms: 200, tpot_ms: 50, percentile: 99}
            objective: min_capex
            constraints:
              gpus: {allow: [l40s-48gb]}
            """.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 30))
        let fitted = solver.solve(try SpecLoader.load(path: url.path, catalog: catalog), catalog: catalog)
        catalog.calibration.engines[.trtllm]?.requestOverheadMs = 10
        let ours = solver.solve(try SpecLoader.load(path: url.path, catalog: catalog), catalog: catalog)
        XCTAssertLessThan(ours.totals.gpus, fitted.totals.gpus)
        for (plan, overhead) in [(fitted, 38.5), (ours, 10.0)] {
            let lines = PlanSummary.replicaLimits(plan)
            XCTAssertEqual(lines.count, Set(plan.deployments.map { "\($0.gpuID)@\($0.tensorParallel)" }).count, "\(lines)")
            XCTAssertEqual(lines.count, 1, "\(lines)")
            XCTAssertTrue(lines[0].contains("ms (\(Format.fixed(overhead, 1)) ms of it the engine's request overhead, a calibration constant)"), lines[0])
        }
    }
}
