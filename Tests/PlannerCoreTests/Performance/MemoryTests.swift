import XCTest
@testable import PlannerCore

final class MemoryTests: XCTestCase {
    func testKVCacheOfLlama8BAt16BitIs131072BytesPerToken() {
        XCTAssertEqual(Fixtures.llama8B.kvBytesPerTokenPerGPU(precision: .fp16, tensorParallel: 1), 131_072)
        // TP 2 halves it; TP 16 stops at one KV head per GPU (8 heads).
        XCTAssertEqual(Fixtures.llama8B.kvBytesPerTokenPerGPU(precision: .fp16, tensorParallel: 2), 65_536)
        XCTAssertEqual(Fixtures.llama8B.kvBytesPerTokenPerGPU(precision: .fp16, tensorParallel: 16), 16_384)
        XCTAssertEqual(Fixtures.llama8B.kvBytesPerTokenPerGPU(precision: .fp8, tensorParallel: 1), 65_536)
    }

    func testMLAStoresTheLatentReplicatedOnEveryRank() {
        // (512 + 64) × 2 B × 61 layers = 70,272 B/token, whatever the TP degree.
        XCTAssertEqual(Fixtures.deepseekR1.kvBytesPerTokenPerGPU(precision: .bf16, tensorParallel: 1), 70_272)
        XCTAssertEqual(Fixtures.deepseekR1.kvBytesPerTokenPerGPU(precision: .bf16, tensorParallel: 8), 70_272)
    }

    func testParameterCountsMatchPublishedFigures() {
        for (model, published) in [(Fixtures.llama8B, 8.03e9), (Fixtures.llama70B, 70.6e9),
                                   (Fixtures.llama405B, 405.9e9), (Fixtures.deepseekR1, 671e9),
                                   (Fixtures.mixtral, 46.7e9)] {
            let f = ModelFootprint(model)
            XCTAssertEqual(f.totalParams / published, 1, accuracy: 0.01, model.id)
        }
        let r1 = ModelFootprint(Fixtures.deepseekR1)
        XCTAssertEqual((r1.activeLayerParams + r1.embeddingParams + r1.lmHeadParams) / 37e9, 1, accuracy: 0.03)
    }

    func testLlama8BWeightsAt16BitAreAbout16GB() {
        let m = memoryBreakdown(Fixtures.deployment(weights: .fp16, kv: .fp16), sequenceTokens: 1024)
        XCTAssertEqual(m.weightsGiB * MemoryConstants.bytesPerGiB / 1e9, 16.06, accuracy: 0.01)
        XCTAssertTrue(m.fits)
        // vLLM: 0.9 × 80 GiB − weights − overhead, in 16-token blocks of 128 KiB tokens.
        let kvBytes = 0.9 * 80 * MemoryConstants.bytesPerGiB - (m.weightsGiB + m.overheadGiB) * MemoryConstants.bytesPerGiB
        XCTAssertEqual(m.kvCapacityTokens, Int(kvBytes / (131_072 * 16)) * 16)
        XCTAssertEqual(m.maxBatch, 256)  // vLLM's max_num_seqs binds before the KV cache
        XCTAssertFalse(m.kvLimited)
    }

    func testInt4AddsGroupScaleOverheadAndKeepsEmbeddingsAt16Bit() {
        let m = memoryBreakdown(Fixtures.deployment(Fixtures.llama8B, Fixtures.rtx4090, weights: .int4GPTQ, kv: .fp16),
                                sequenceTokens: 1024)
        let f = ModelFootprint(Fixtures.llama8B)
        let expected = f.layerParams * (0.5 + 2.5 / 128) + (f.embeddingParams + f.lmHeadParams) * 2
        XCTAssertEqual(m.weightsGiB * MemoryConstants.bytesPerGiB, expected, accuracy: 1)
        XCTAssertTrue(m.fits)
    }

    func testTensorParallelShardsWeights() {
        let one = memoryBreakdown(Fixtures.deployment(Fixtures.llama70B, gpus: 2, tp: 2, weights: .fp8, kv: .fp8),
                                  sequenceTokens: 2048)
        let f = ModelFootprint(Fixtures.llama70B)
        XCTAssertEqual(one.weightsGiB * MemoryConstants.bytesPerGiB,
                       (f.layerParams + 2 * (f.embeddingParams + f.lmHeadParams)) / 2, accuracy: 1)
    }

    func testAModelThatDoesNotFitSaysSoWithNumbers() {
        let m = memoryBreakdown(Fixtures.deployment(Fixtures.llama70B, Fixtures.rtx4090, weights: .fp16, kv: .fp16),
                                sequenceTokens: 1024)
        XCTAssertFalse(m.fits)
        XCTAssertEqual(m.maxBatch, 0)
        XCTAssertTrue(m.shortfall!.contains("GiB"), m.shortfall!)
        let e = estimateServing(Fixtures.deployment(Fixtures.llama70B, Fixtures.rtx4090, weights: .fp16, kv: .fp16),
                                ServingWorkload(promptTokens: 512, outputTokens: 128, load: .maximum))
        XCTAssertEqual(e.outputTokensPerSecond, 0)
        XCTAssertEqual(e.batchLimit, .doesNotFit)
    }

    /// TensorRT-LLM's KV fraction applies to the memory weights and overhead leave, so those two may use the
    /// whole GPU: when they overflow it the message names the GPU's capacity (24 GiB on an RTX 4090, 70B fp16
    /// weights about 131 GiB), and the usable memory reported is that capacity, never more.
    func testATensorRTLLMModelThatDoesNotFitNamesTheGPUsCapacity() {
        let m = memoryBreakdown(Fixtures.deployment(Fixtures.llama70B, Fixtures.rtx4090, weights: .fp16, kv: .fp16, engine: .trtllm),
                                sequenceTokens: 1024)
        XCTAssertFalse(m.fits)
        XCTAssertEqual(m.usableGiB, m.capacityGiB)
        XCTAssertEqual(m.capacityGiB, Fixtures.rtx4090.memoryGiB)
        let shortfall = try? XCTUnwrap(m.shortfall)
        XCTAssertTrue(shortfall?.contains(String(format: "leave no KV cache in the GPU's %.2f GiB (TP 1)", Fixtures.rtx4090.memoryGiB)) == true,
                      shortfall ?? "nil")
        XCTAssertGreaterThan(m.weightsGiB, 120)
    }

    func testASequenceLongerThanTheKVCacheDoesNotFit() {
        let m = memoryBreakdown(Fixtures.deployment(Fixtures.llama8B, Fixtures.rtx4090, weights: .fp16, kv: .fp16),
                                sequenceTokens: 131_072)
        XCTAssertFalse(m.fits)
        XCTAssertTrue(m.shortfall!.contains("131072 tokens"), m.shortfall!)
    }

    func testDegenerateInputsNeverTrap() {
        var d = Fixtures.deployment()
        d.tensorParallel = 0
        d.gpuCount = 0
        d.gpu.memoryGiB = 0
        d.gpu.memoryBandwidthGBps = 0
        d.gpu.denseTFLOPS = [:]
        _ = memoryBreakdown(d, sequenceTokens: -5)
        let e = estimateServing(d, ServingWorkload(promptTokens: 0, outputTokens: 0, load: .requestsPerSecond(-1)))
        XCTAssertFalse(e.memory.fits)
        let ok = estimateServing(Fixtures.deployment(), ServingWorkload(promptTokens: 0, outputTokens: 0, load: .concurrency(0)))
        XCTAssertTrue(ok.ttftMs.isFinite && ok.tpotMs.isFinite && ok.outputTokensPerSecond.isFinite)
    }
}
