import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// A mixture of experts over a replica's GPUs: experts distributed whole (``EngineSettings/expertParallel``)
/// and attention data-parallel (``EngineSettings/attentionDataParallel``). Worked for Qwen3-235B-A22B
/// (config.json: 94 layers, hidden 4,096, 64 query heads and 4 KV heads of 128, 128 experts of width 1,536,
/// 8 active, vocabulary 151,936, untied) in FP8 on 8 × H200:
///
/// - attention per layer: 2 · 4,096 · 64 · 128 + 2 · 4,096 · 4 · 128 = 71,303,168 parameters; 94 layers:
///   6,702,497,792.
/// - a layer: attention + router 4,096 · 128 = 524,288 + experts 128 · 3 · 4,096 · 1,536 = 2,415,919,104, in
///   all 2,487,746,560; 94 layers: 233,848,176,640. Embedding and LM head 151,936 · 4,096 = 622,329,856 each,
///   at 2 bytes.
/// - weights per GPU at TP 8: (233,848,176,640 + 2 · 622,329,856 · 2) / 8 = 29,542,187,008 B; with the
///   attention whole on each GPU: (233,848,176,640 − 6,702,497,792 + 2,489,319,424) / 8 + 6,702,497,792
///   = 35,406,872,576 B.
/// - KV cache per token, FP8: 2 · 94 · 128 = 24,064 B per KV head; TP 8 keeps ⌈4 / 8⌉ = 1 head per GPU
///   (24,064 B), data-parallel attention all 4 (96,256 B) for a GPU's own sequences.
final class MoEParallelismTests: XCTestCase {
    private func deployment(
        _ model: String = "qwen3-235b-a22b", gpu: String = "h200-sxm-141gb", tp: Int = 8, expertParallel: Bool = false,
        attentionDP: Bool = false, maxNumSeqs: Int? = nil
    ) throws -> Deployment {
        let catalog = try loadShipped()
        let settings = EngineSettings.defaults(for: .trtllm)
            .overriding(maxBatch: maxNumSeqs, expertParallel: expertParallel, attentionDataParallel: attentionDP)
        return Deployment(
            model: try XCTUnwrap(catalog.model(model)), gpu: try XCTUnwrap(catalog.gpu(gpu)), gpuCount: tp, tensorParallel: tp,
            weightPrecision: .fp8, kvPrecision: .fp8, engine: .trtllm, engineSettings: settings)
    }

    private func step(_ d: Deployment) throws -> StepModel { StepModel(d, calibration: try loadShipped().calibration) }

    /// catalogs/kernel-efficiency.csv against AIConfigurator's moe_perf.parquet (H200, TensorRT-LLM 1.3.0rc20,
    /// FP8, 4,096 tokens): one layer's experts sharded over 8 GPUs (balanced routing) 0.562949 ms, whole over
    /// 8 GPUs (power-law routing, α 1.01) 0.383885 ms. The roofline both share:
    /// max(2 · 4,096 · 8 · 3 · 4,096 · 1,536 / 8 FLOPs ÷ 1,979 TFLOPS = 78.130 µs,
    ///     128 experts touched · 3 · 4,096 · 1,536 / 8 B ÷ 4.8 TB/s = 62.9 µs) = 78.130 µs.
    func testTheExpertParallelCurveIsTheMeasuredLayerOverItsRoofline() throws {
        let table = try XCTUnwrap(try loadShipped().calibration.kernels)
        let shape = KernelTable.moeShape(experts: 128, active: 8, hidden: 4096, intermediate: 1536)
        let roofline = 2.0 * 4096 * 8 * 3 * 4096 * 1536 / 8 / 1979e12
        XCTAssertEqual(roofline, 78.130e-6, accuracy: 1e-9)
        let sharded = try XCTUnwrap(table.moeRatio(gpu: "h200-sxm-141gb", engine: .trtllm, precision: .fp8, shape: shape,
                                                   tensorParallel: 8, tokens: 4096))
        let whole = try XCTUnwrap(table.moeRatio(gpu: "h200-sxm-141gb", engine: .trtllm, precision: .fp8, shape: shape,
                                                 tensorParallel: 8, expertParallel: true, tokens: 4096))
        XCTAssertEqual(sharded * roofline, 0.562949e-3, accuracy: 0.001e-3)
        XCTAssertEqual(whole * roofline, 0.383885e-3, accuracy: 0.001e-3)
        // Over one GPU nothing is distributed: the TP 1 curve either way.
        XCTAssertEqual(table.moeRatio(gpu: "h200-sxm-141gb", engine: .trtllm, precision: .fp8, shape: shape, tensorParallel: 1,
                                      expertParallel: true, tokens: 4096),
                       table.moeRatio(gpu: "h200-sxm-141gb", engine: .trtllm, precision: .fp8, shape: shape, tensorParallel: 1, tokens: 4096))
    }

    /// Weights and KV cache per GPU, by hand (the type's comment), and a replica of 8 attention ranks: 8 ×
    /// the sequences one GPU's blocks hold, 8 × the per-GPU batch cap.
    func testDataParallelAttentionMemoryByHand() throws {
        let gib = MemoryConstants.bytesPerGiB
        let tpOnly = memoryBreakdown(try deployment(), sequenceTokens: 128 + 2048)
        let dp = memoryBreakdown(try deployment(attentionDP: true), sequenceTokens: 128 + 2048)
        XCTAssertEqual(tpOnly.weightsGiB * gib, 29_542_187_008, accuracy: 1)
        XCTAssertEqual(dp.weightsGiB * gib, 35_406_872_576, accuracy: 1)
        XCTAssertEqual(tpOnly.kvBytesPerToken, 24_064)
        XCTAssertEqual(dp.kvBytesPerToken, 96_256)
        // One GPU's whole 32-token blocks; 2,176 tokens take 68 of them.
        let blocksPerGPU = Int((dp.kvCacheGiB * gib / (96_256 * 32)).rounded(.down))
        XCTAssertEqual(dp.kvCapacityTokens, 8 * 32 * blocksPerGPU)
        XCTAssertEqual(dp.kvSequences, 8 * (blocksPerGPU / 68))
        // The batch cap is per rank: 16 sequences a GPU are 128 a replica, where tensor-parallel attention keeps 16.
        XCTAssertEqual(memoryBreakdown(try deployment(attentionDP: true, maxNumSeqs: 16), sequenceTokens: 2176).maxBatch, 128)
        XCTAssertEqual(memoryBreakdown(try deployment(maxNumSeqs: 16), sequenceTokens: 2176).maxBatch, 16)
        // The replica holds 1.78 × the sequences of tensor-parallel attention (4 heads were replicated 2× at TP 8,
        // less the 5.5 GiB of attention weights each GPU now holds whole).
        XCTAssertGreaterThan(Double(dp.kvSequences) / Double(tpOnly.kvSequences), 1.5)
    }

    /// The step: one all-gather and one reduce-scatter a layer for two all-reduces (94 for 188 calls), a GPU's
    /// KV bytes per token of the replica's batch 96,256 / 8 = 12,032 (24,064 at TP 8), the attention
    /// projections whole (2 · 6,702,497,792 FLOPs a token on its rank, and (1 − 1/8) · 6,702,497,792 B more
    /// weights read a step), the rest of the layers' FLOPs shared by the 8 GPUs.
    func testDataParallelAttentionStepByHand() throws {
        let tpOnly = try step(try deployment()), dp = try step(try deployment(attentionDP: true))
        XCTAssertEqual(tpOnly.allReducesPerStep, 188)
        XCTAssertEqual(dp.allReducesPerStep, 94)
        XCTAssertEqual(tpOnly.kvBytesPerToken, 24_064)
        XCTAssertEqual(dp.kvBytesPerToken, 12_032)
        XCTAssertEqual(dp.attentionRanks, 8)
        XCTAssertEqual(dp.attentionProjectionFlopsPerToken, 2 * 6_702_497_792)
        XCTAssertEqual(tpOnly.attentionProjectionFlopsPerToken, 0)
        XCTAssertEqual(dp.denseWeightBytes - tpOnly.denseWeightBytes, 6_702_497_792 * 7 / 8, accuracy: 1)
        XCTAssertEqual(tpOnly.layerFlopsPerToken - dp.layerFlopsPerToken, 2 * 6_702_497_792 / 8, accuracy: 1)
    }

    /// A rank takes a whole prompt: one 20,000-token prompt in a step loads one rank with all of it (the others
    /// wait at the next expert layer), so the step is longer than with the prompt spread over 8 ranks; 8 such
    /// prompts, one a rank, are balanced and cost the same either way.
    func testOneLongPromptIsNotSpreadOverTheRanks() throws {
        var spread = try step(try deployment(expertParallel: true, attentionDP: true))
        var whole = spread
        whole.promptUnitTokens = 20_000
        spread.promptUnitTokens = nil
        let one = (whole.stepSeconds(decodeSequences: 64, context: 1000, prefillTokens: 20_000, prefillContext: 10_000),
                   spread.stepSeconds(decodeSequences: 64, context: 1000, prefillTokens: 20_000, prefillContext: 10_000))
        XCTAssertGreaterThan(one.0, 1.5 * one.1)
        let eight = (whole.stepSeconds(decodeSequences: 64, context: 1000, prefillTokens: 160_000, prefillContext: 10_000),
                     spread.stepSeconds(decodeSequences: 64, context: 1000, prefillTokens: 160_000, prefillContext: 10_000))
        XCTAssertEqual(eight.0, eight.1, accuracy: 1e-12)
    }

    /// The step budget is per attention rank: 8 ranks of 8,192 tokens are 65,536 a replica; with whole prompts
    /// longer than a rank's budget each rank's is taken as raised to one prompt (20,000 tokens: 160,000 a
    /// replica, one prompt a rank), as tensor-parallel attention runs one such prompt a step on a budget of 8,192.
    func testTheStepBudgetIsPerRank() throws {
        let dp = try deployment(attentionDP: true).engineSettings, tpOnly = try deployment().engineSettings
        XCTAssertEqual(dp.replicaTokensPerStep(tensorParallel: 8, promptTokens: 1000), 65_536)
        XCTAssertEqual(dp.replicaTokensPerStep(tensorParallel: 8, promptTokens: 20_000), 160_000)
        XCTAssertEqual(dp.overriding(chunkedPrefill: true).replicaTokensPerStep(tensorParallel: 8, promptTokens: 20_000), 65_536)
        XCTAssertEqual(tpOnly.replicaTokensPerStep(tensorParallel: 8, promptTokens: 20_000), 8_192)
        XCTAssertEqual(dp.replicaMaxBatch(tensorParallel: 8), 8 * 2048)
    }

    /// Neither setting touches a dense model's experts (it has none) or a replica of one GPU, and expert
    /// parallelism speeds Qwen3-235B-A22B's large steps (whole experts: 0.384 against 0.563 ms a layer at 4,096
    /// tokens, above).
    func testWhereTheSettingsDoNothing() throws {
        func t(_ d: Deployment) throws -> Double {
            try step(d).stepSeconds(decodeSequences: 256, context: 2048, prefillTokens: 2048, prefillContext: 1024)
        }
        XCTAssertEqual(try t(try deployment("llama-3.1-70b", expertParallel: true)), try t(try deployment("llama-3.1-70b")))
        XCTAssertEqual(try t(try deployment(tp: 1, expertParallel: true, attentionDP: true)), try t(try deployment(tp: 1)))
        XCTAssertEqual(memoryBreakdown(try deployment(tp: 1, attentionDP: true), sequenceTokens: 2176),
                       memoryBreakdown(try deployment(tp: 1), sequenceTokens: 2176))
        XCTAssertLessThan(try t(try deployment(expertParallel: true)), try t(try deployment()))
    }

    /// `engine.expert_parallel` and `engine.attention_dp` in a spec, the calibration columns of the same
    /// names, and what `estimate` prints.
    func testSpecAndCalibrationSwitches() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.parse(
            yaml: minimalSpec + "\nengine: {name: trtllm, expert_parallel: true, attention_dp: true}\n", catalog: catalog)
        XCTAssertTrue(spec.engineSettings.expertParallel)
        XCTAssertTrue(spec.engineSettings.attentionDataParallel)
        let plain = try SpecLoader.parse(yaml: minimalSpec + "\nengine: trtllm\n", catalog: catalog).engineSettings
        XCTAssertFalse(plain.expertParallel)
        XCTAssertFalse(plain.attentionDataParallel)
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nengine: {name: trtllm, attention_dp: maybe}\n"),
                       ["spec.yaml:3:38: engine.attention_dp: must be true, false or auto (got 'maybe')"])

        let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,expert_parallel,attention_dp\n"
        let rows = try parseCalibrationCSV(header + """
            r1,qwen3-235b-a22b,fp8,h200-sxm-141gb,8,8,trtllm-1.0,128,128,burst,,,,30429,true,true
            r2,qwen3-235b-a22b,fp8,h200-sxm-141gb,8,8,trtllm-1.0,128,128,burst,,,,30429,,FALSE
            """)
        XCTAssertEqual(rows.map(\.expertParallel), [true, nil])
        XCTAssertEqual(rows.map(\.attentionDataParallel), [true, false])
        let cases = try calibrationCases(rows, catalog: catalog)
        XCTAssertEqual(cases.map(\.deployment.engineSettings.expertParallel), [true, false])
        XCTAssertEqual(cases.map(\.deployment.engineSettings.attentionDataParallel), [true, false])
        XCTAssertThrowsError(try parseCalibrationCSV(header + """
            r1,qwen3-235b-a22b,fp8,h200-sxm-141gb,8,8,trtllm-1.0,128,128,burst,,,,30429,yes,true
            """, file: "runs.csv")) { error in
            XCTAssertTrue("\(error)".hasPrefix("runs.csv:2:"), "\(error)")
            XCTAssertTrue("\(error)".contains("expert_parallel: unknown value 'yes'"), "\(error)")
        }
        let d = try deployment(expertParallel: true, attentionDP: true)
        XCTAssertEqual(EstimateReport.parallelismText(d),
                       ["experts expert-parallel over 8 GPUs", "attention data-parallel (8 ranks, each its own batch)"])
        XCTAssertEqual(EstimateReport.parallelismText(try deployment("llama-3.1-70b", expertParallel: true)),
                       ["expert_parallel set, but llama-3.1-70b has no experts"])
        XCTAssertEqual(EstimateReport.parallelismText(try deployment(tp: 1, expertParallel: true, attentionDP: true)), [])
    }
}
