import XCTest
@testable import PlannerCore

/// Whole prompts against chunked ones (``EngineSettings/chunkedPrefill``): the engines' documented
/// defaults, the simulator's schedule and the fast model's burst worked by hand, and the switch in
/// specs and calibration rows (docs/performance-model.md, "Engine scheduler defaults").
final class ChunkedPrefillTests: XCTestCase {
    /// vLLM's V1 scheduler and SGLang chunk prompts; TensorRT-LLM's LLM API (`trtllm-serve`,
    /// `enable_chunked_prefill: bool = False` in `llm_args.py`) and NIM's TensorRT-LLM profiles do not.
    func testEngineDefaults() {
        XCTAssertTrue(EngineSettings.defaults(for: .vllm).chunkedPrefill)
        XCTAssertTrue(EngineSettings.defaults(for: .sglang).chunkedPrefill)
        XCTAssertFalse(EngineSettings.defaults(for: .trtllm).chunkedPrefill)
        XCTAssertFalse(EngineSettings.defaults(for: .nimTRTLLM).chunkedPrefill)
        XCTAssertTrue(EngineSettings.defaults(for: .trtllm).overriding(chunkedPrefill: true).chunkedPrefill)
        XCTAssertFalse(EngineSettings.defaults(for: .vllm).overriding(chunkedPrefill: false).chunkedPrefill)
    }

    private func deployment(chunked: Bool) -> Deployment {
        var d = Fixtures.deployment(Fixtures.llama8B, Fixtures.h100SXM, weights: .fp8, kv: .fp8, engine: .trtllm)
        d.engineSettings.chunkedPrefill = chunked
        return d
    }

    /// Three 5,000-token prompts sent at once, budget B = 8,192. Whole prompts: two do not fit one step
    /// (10,000 > B), so step k carries prompt k beside the k − 1 that decode, and prompt k's first token
    /// comes at the end of step k:
    ///
    ///     T₁ = step(0 decodes; 5,000 prompt tokens at context 2,500)
    ///     T₂ = step(1 decode at context 5,001; 5,000 at 2,500)
    ///     T₃ = step(2 decodes at mean context 5,001.5; 5,000 at 2,500)
    ///     mean TTFT = t_req + (3 T₁ + 2 T₂ + T₃) / 3
    ///
    /// Chunked, the first step fills the budget (5,000 + 3,192) and the second carries the rest of the
    /// second prompt and all of the third (1,808 + 5,000 beside one decode).
    func testSimulatorSchedulesWholePromptsByHand() {
        let whole = deployment(chunked: false)
        let w = ServingWorkload(promptTokens: 5_000, outputTokens: 4, load: .burst(3))
        let r = ServingSimulator(whole, w).run(.burst(3), options: .init(trace: true, outputSpread: 0))
        XCTAssertEqual(r.trace.prefix(3).map(\.prefillTokens), [5_000, 5_000, 5_000])
        XCTAssertEqual(r.trace.prefix(3).map(\.decodeSequences), [0, 1, 2])
        let step = StepModel(whole)
        let t1 = step.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: 5_000, prefillContext: 2_500)
        let t2 = step.stepSeconds(decodeSequences: 1, context: 5_001, prefillTokens: 5_000, prefillContext: 2_500)
        let t3 = step.stepSeconds(decodeSequences: 2, context: 5_001.5, prefillTokens: 5_000, prefillContext: 2_500)
        let expected = step.requestOverheadSeconds + (3 * t1 + 2 * t2 + t3) / 3
        XCTAssertEqual(r.ttft.mean, expected, accuracy: 1e-12 * expected)

        let chunked = ServingSimulator(deployment(chunked: true), w).run(.burst(3), options: .init(trace: true, outputSpread: 0))
        XCTAssertEqual(chunked.trace.prefix(2).map(\.prefillTokens), [8_192, 6_808])
        XCTAssertEqual(chunked.trace.prefix(2).map(\.decodeSequences), [0, 1])
    }

    /// A prompt longer than the budget runs whole in a step of its own (TensorRT-LLM without chunking
    /// needs `max_num_tokens` ≥ the prompt; the planner takes it as raised). Chunked, two 20,000-token
    /// prompts fill five steps: 8,192 · 8,192 · (3,616 + 4,576 of the second) · (8,191 beside the first's
    /// decode) · 7,233.
    func testPromptLongerThanTheBudgetRunsWhole() {
        let w = ServingWorkload(promptTokens: 20_000, outputTokens: 2, load: .burst(2))
        let whole = ServingSimulator(deployment(chunked: false), w).run(.burst(2), options: .init(trace: true, outputSpread: 0))
        XCTAssertEqual(whole.trace.prefix(2).map(\.prefillTokens), [20_000, 20_000])
        let chunked = ServingSimulator(deployment(chunked: true), w).run(.burst(2), options: .init(trace: true, outputSpread: 0))
        XCTAssertEqual(chunked.trace.prefix(5).map(\.prefillTokens), [8_192, 8_192, 8_192, 8_191, 7_233])
    }

    /// The fast model's burst of m = 3 whole 5,000-token prompts: ⌈m / max(1, ⌊B / L⌋)⌉ = 3 prefill
    /// steps of one prompt each, prompt i done after i of them, then O − 1 decode steps of the wave:
    ///
    ///     mean TTFT = t_req + (1 + 2 + 3) / 3 · step(0; 5,000 at 2,500)
    ///     TPOT      = step(3 decodes at context L + O/2)
    ///
    /// and with chunks ⌈3 · 5,000 / 8,192⌉ = 2 steps of 7,500 tokens: t_req + (1 + 2 + 2) / 3 · step(0; 7,500).
    func testFastModelBurstByHand() {
        let w = ServingWorkload(promptTokens: 5_000, outputTokens: 4, load: .burst(3))
        for chunked in [false, true] {
            let d = deployment(chunked: chunked)
            let memory = memoryBreakdown(d, sequenceTokens: 5_004)
            let point = ContinuousBatching(d, w, memory: memory, calibration: .shipped).burst(requests: 3, percentile: nil)
            let step = StepModel(d)
            let expected = chunked
                ? step.requestOverheadSeconds + 5.0 / 3 * step.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: 7_500, prefillContext: 2_500)
                : step.requestOverheadSeconds + 2 * step.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: 5_000, prefillContext: 2_500)
            XCTAssertEqual(point.meanTTFTSeconds, expected, accuracy: 1e-12 * expected, "chunked \(chunked)")
            XCTAssertEqual(point.meanTPOTSeconds, step.stepSeconds(decodeSequences: 3, context: 5_002), accuracy: 1e-12)
        }
    }

    /// The fast model against the simulator with whole prompts, closed loops of 70B FP8 on 2 × H100 at
    /// 5,000 / 500 tokens (NIM's published sweep shape): capacity within 10 % and P99 TTFT within 20 %,
    /// the agreement grid's tolerances.
    func testFastModelFollowsTheSimulatorWithWholePrompts() throws {
        let catalog = try loadShipped()
        let model = try XCTUnwrap(catalog.model("llama-3.1-70b"))
        let gpu = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        let d = Deployment(model: model, gpu: gpu, gpuCount: 2, tensorParallel: 2, weightPrecision: .fp8, kvPrecision: .fp8, engine: .trtllm)
        XCTAssertFalse(d.engineSettings.chunkedPrefill)
        for clients in [5, 25, 50] {
            let w = ServingWorkload(promptTokens: 5_000, outputTokens: 500, load: .concurrency(clients), percentile: 0.99)
            let fast = estimateServing(d, w, calibration: catalog.calibration)
            let sim = ServingSimulator(d, w, calibration: catalog.calibration).run(
                .concurrency(clients), options: .init(measuredRequests: 2_000, percentile: 0.99))
            let ttft = try XCTUnwrap(sim.ttft.requested)
            XCTAssertEqual(fast.outputTokensPerSecond, sim.outputTokensPerSecond, accuracy: 0.10 * sim.outputTokensPerSecond, "\(clients) clients")
            XCTAssertEqual(fast.ttftMs, 1000 * ttft, accuracy: 0.20 * 1000 * ttft, "\(clients) clients")
        }
    }

    /// A full engine is bound by its step token budget (`ContinuousBatching.prefillBound`): Qwen3-30B-A3B
    /// NVFP4 on one B200 at 2,048 / 128 tokens (TRT1's m194, measured 6,251 tokens/s), whole prompts. Every
    /// step carries K = ⌊8,192 / (2,048 + 127)⌋ = 3 prompts beside b_d = 3 · 127 = 381 decodes, so
    ///
    ///     τ = step(381 decodes at context 2,048 + 64; 6,144 prompt tokens at context 1,024)
    ///     tokens/s = O · K / τ = 128 · 3 / τ
    ///
    /// exactly; the simulator agrees within 2 % (unbound, the fast model said 9,068, 42 % above it).
    func testFullEngineIsBoundByTheStepBudget() throws {
        let catalog = try loadShipped()
        let model = try XCTUnwrap(catalog.model("qwen3-30b-a3b"))
        let gpu = try XCTUnwrap(catalog.gpu("b200-180gb"))
        let d = Deployment(model: model, gpu: gpu, gpuCount: 1, tensorParallel: 1, weightPrecision: .fp4, kvPrecision: .fp8, engine: .trtllm)
        let w = ServingWorkload(promptTokens: 2_048, outputTokens: 128, load: .maximum)
        let step = StepModel(d, calibration: catalog.calibration)
        let tau = step.stepSeconds(decodeSequences: 381, context: 2_112, prefillTokens: 6_144, prefillContext: 1_024)
        let fast = estimateServing(d, w, calibration: catalog.calibration)
        XCTAssertEqual(fast.outputTokensPerSecond, 128 * 3 / tau, accuracy: 1e-9 * fast.outputTokensPerSecond)
        let sim = ServingSimulator(d, w, calibration: catalog.calibration).run(.maximum)
        XCTAssertEqual(fast.outputTokensPerSecond, sim.outputTokensPerSecond, accuracy: 0.02 * sim.outputTokensPerSecond)
        XCTAssertEqual(fast.outputTokensPerSecond, 6_251, accuracy: 0.05 * 6_251)
    }

    /// `engine.enable_chunked_prefill` in a spec, and the calibration column of the same name.
    func testSpecAndCalibrationSwitch() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.parse(yaml: minimalSpec + "\nengine: {name: trtllm, enable_chunked_prefill: true}\n", catalog: catalog)
        XCTAssertTrue(spec.engineSettings.chunkedPrefill)
        XCTAssertFalse(try SpecLoader.parse(yaml: minimalSpec + "\nengine: trtllm\n", catalog: catalog).engineSettings.chunkedPrefill)
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nengine: {name: trtllm, enable_chunked_prefill: sometimes}\n"),
                       ["spec.yaml:3:48: engine.enable_chunked_prefill: must be true or false (got 'sometimes')"])

        let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,enable_chunked_prefill\n"
        let rows = try parseCalibrationCSV(header + """
            r1,qwen3-32b,fp8,h100-sxm-80gb,1,1,trtllm-1.2.0rc1,217,201,burst,1000,,,2060,true
            r2,qwen3-32b,fp8,h100-sxm-80gb,1,1,trtllm-1.2.0rc1,217,201,burst,1000,,,2060,
            r3,qwen3-32b,fp8,h100-sxm-80gb,1,1,vllm-0.11.0,217,201,burst,1000,,,2060,FALSE
            """)
        XCTAssertEqual(rows.map(\.enableChunkedPrefill), [true, nil, false])
        let cases = try calibrationCases(rows, catalog: catalog)
        XCTAssertEqual(cases.map(\.deployment.engineSettings.chunkedPrefill), [true, false, false])
        XCTAssertThrowsError(try parseCalibrationCSV(header + """
            r1,qwen3-32b,fp8,h100-sxm-80gb,1,1,trtllm-1.2.0rc1,217,201,burst,1000,,,2060,ture
            """, file: "runs.csv")) { error in
            XCTAssertEqual("\(error)", "runs.csv:2:78: enable_chunked_prefill: unknown value 'ture', did you mean 'true'?")
        }
    }
}
