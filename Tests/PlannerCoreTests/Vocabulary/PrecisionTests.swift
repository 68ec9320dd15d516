import XCTest
@testable import PlannerCore

/// NVFP4 (`fp4`): its bytes, its tensor path and the KV cache it implies, worked from the format's
/// definition (4-bit E2M1 values, one FP8 E4M3 scale per block of 16) and the B200 datasheet.
final class PrecisionTests: XCTestCase {
    func testNVFP4StoresFourBitsAndOneFP8ScalePer16Weights() {
        // 16 weights: 16 × 4 bits = 8 bytes, plus one 1-byte scale = 9 bytes → 0.5625 B per weight.
        XCTAssertEqual(Precision.fp4.bytesPerWeight * 16, 9)
        XCTAssertEqual(Precision.fp4.bytesPerElement, 0.5)
        XCTAssertEqual(Precision.fp4.computePath, .fp4)
        XCTAssertFalse(Precision.fp4.isInt4, "NVFP4 multiplies at 4 bit; int4 formats dequantise to 16 bit")
        XCTAssertFalse(Precision.fp4.isKVCacheFormat)
        XCTAssertEqual(Precision.allCases.filter(\.isKVCacheFormat), [.fp16, .bf16, .fp8, .int8])
    }

    func testTheKVCacheFollowsTheCheckpointOnTensorRTLLM() {
        // ModelOpt's FP8 and NVFP4 checkpoints quantise the KV cache to FP8; vLLM and SGLang keep the
        // activation type unless told.
        XCTAssertEqual(Precision.fp4.defaultKVCache(on: .trtllm), .fp8)
        XCTAssertEqual(Precision.fp4.defaultKVCache(on: .vllm), .fp16)
        XCTAssertEqual(Precision.fp4.defaultKVCache(on: .sglang), .fp16)
    }

    func testOnlyAGPUWithFP4TensorCoresRunsNVFP4() throws {
        let catalog = try loadShipped()
        let b200 = try XCTUnwrap(catalog.gpu("b200-180gb"))
        let h100 = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        // KLOCK-B200: FP4 9,000 TFLOPS dense, twice its FP8 4,500.
        XCTAssertEqual(b200.denseTFLOPS(for: .fp4), 9_000)
        XCTAssertTrue(b200.runs(weights: .fp4))
        XCTAssertFalse(h100.runs(weights: .fp4))
        XCTAssertTrue(h100.runs(weights: .fp8))
        XCTAssertEqual(catalog.gpus.filter { $0.runs(weights: .fp4) }.map(\.id), ["b200-180gb"])
    }

    func testLlama70BInNVFP4WeighsAboutFortyGB() {
        // Linear layers at 0.5625 B per weight, embeddings and LM head at 2 B: 68.45 G × 0.5625 + 2.10 G × 2
        // = 42.7 GB (NVIDIA's checkpoint is listed at about 40 GB with its LM head kept at 16 bit).
        let f = ModelFootprint(Fixtures.llama70B)
        let m = memoryBreakdown(Fixtures.deployment(Fixtures.llama70B, Fixtures.h200, weights: .fp4, kv: .fp8),
                                sequenceTokens: 2048)
        let expected = f.layerParams * (0.5 + 1.0 / 16) + (f.embeddingParams + f.lmHeadParams) * 2
        XCTAssertEqual(m.weightsGiB * MemoryConstants.bytesPerGiB, expected, accuracy: 1)
        XCTAssertEqual(expected / 1e9, 42.7, accuracy: 0.2)
    }
}
