import XCTest
@testable import PlannerCore

final class ServingTests: XCTestCase {
    func testDecodeStepIsTheRooflineByHand() {
        // Batch 1, context 0, H100 SXM, vLLM, no kernel curves: the GEMMs are bound by reading the weights,
        // weights / (3,350 GB/s × η_bw) + t_step.
        let d = Fixtures.deployment(weights: .fp16, kv: .fp16)
        let s = StepModel(d)
        let c = CalibrationTable.shipped.calibration(for: .vllm)
        let weights = memoryBreakdown(d, sequenceTokens: 1).weightsGiB * MemoryConstants.bytesPerGiB
        let expected = weights / (3350e9 * c.bandwidthEfficiency) + c.stepOverheadMs * 1e-3
        XCTAssertEqual(s.stepSeconds(decodeSequences: 1, context: 0), expected, accuracy: 1e-9)
    }

    func testPrefillIsComputeBoundButNeverFasterThanReadingWeights() {
        let s = StepModel(Fixtures.deployment(weights: .fp16, kv: .fp16))
        let f = ModelFootprint(Fixtures.llama8B)
        let tokens = 4096.0
        let matmul = 2 * f.activeLayerParams * tokens + 2 * f.lmHeadParams
        let attention = 2 * f.attentionWidth * 32 * tokens * tokens / 2
        let c = CalibrationTable.shipped.calibration(for: .vllm)
        let expected = matmul / (989.4e12 * c.computeEfficiency) + attention / (989.4e12 * c.computeEfficiency)
            + c.stepOverheadMs * 1e-3
        XCTAssertEqual(s.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: tokens, prefillContext: tokens / 2),
                       expected, accuracy: 1e-9)
        let one = s.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: 1, prefillContext: 0)
        XCTAssertGreaterThanOrEqual(one, s.weightBytesRead(tokens: 1) / s.bandwidthBytesPerSecond)
    }

    func testAllReduceIsTwoRingsPerLayer() {
        let d = Fixtures.deployment(Fixtures.llama70B, gpus: 2, tp: 2, weights: .fp8, kv: .fp8, engine: .trtllm)
        let s = StepModel(d)
        XCTAssertEqual(s.allReducesPerStep, 160)
        XCTAssertEqual(s.allReduceSecondsPerByte, 2 * 0.5 / 450e9, accuracy: 1e-18)
        XCTAssertEqual(s.allReduceLatencySeconds, 2 * 3e-6, accuracy: 1e-15)
    }

    func testMoreBandwidthIsNeverSlower() {
        var previous = Double.infinity
        for bw in stride(from: 500.0, through: 8000, by: 500) {
            var d = Fixtures.deployment()
            d.gpu.memoryBandwidthGBps = bw
            let e = estimateServing(d, ServingWorkload(promptTokens: 512, outputTokens: 256, load: .concurrency(16)))
            XCTAssertLessThanOrEqual(e.tpotMs, previous)
            previous = e.tpotMs
        }
    }

    func testLongerPromptsNeverGiveFasterTTFT() {
        // Fixed loads only: at .maximum the batch shrinks as prompts grow (KV-limited), so its TTFT
        // (half the batch's prefill) is not a function of the prompt alone.
        for load in [ServingWorkload.Load.concurrency(1), .concurrency(32), .requestsPerSecond(2)] {
            var previous = 0.0
            for isl in stride(from: 16, through: 32768, by: 512) {
                let e = estimateServing(Fixtures.deployment(), ServingWorkload(promptTokens: isl, outputTokens: 128, load: load))
                XCTAssertGreaterThanOrEqual(e.ttftMs, previous - 1e-9, "\(load) isl \(isl)")
                previous = e.ttftMs
            }
        }
    }

    func testLargerBatchNeverLowersThroughputUntilMemoryRunsOut() {
        for engine in EngineProfile.allCases {
            let d = Fixtures.deployment(engine: engine)
            let cap = memoryBreakdown(d, sequenceTokens: 2048).maxBatch
            var previous = 0.0
            for n in 1...cap {
                let e = estimateServing(d, ServingWorkload(promptTokens: 1024, outputTokens: 1024, load: .concurrency(n)))
                XCTAssertGreaterThanOrEqual(e.outputTokensPerSecond, previous, "\(engine) batch \(n)")
                previous = e.outputTokensPerSecond
            }
        }
    }

    func testDataParallelReplicasMultiplyThroughput() {
        let one = estimateServing(Fixtures.deployment(gpus: 1), ServingWorkload(promptTokens: 512, outputTokens: 512, load: .maximum))
        let four = estimateServing(Fixtures.deployment(gpus: 4), ServingWorkload(promptTokens: 512, outputTokens: 512, load: .maximum))
        XCTAssertEqual(four.outputTokensPerSecond, 4 * one.outputTokensPerSecond, accuracy: 1e-6)
    }

    func testRateLoadSolvesLittlesLawAndSaturates() {
        let d = Fixtures.deployment()
        let w = ServingWorkload(promptTokens: 512, outputTokens: 256, load: .requestsPerSecond(4))
        let e = estimateServing(d, w)
        XCTAssertTrue(e.stable)
        XCTAssertEqual(e.batch, 4 * (e.ttftMs + 255 * e.tpotMs) / 1000, accuracy: 0.01 * e.batch)
        let p99 = estimateServing(d, ServingWorkload(promptTokens: 512, outputTokens: 256, load: .requestsPerSecond(4), percentile: 0.99))
        XCTAssertGreaterThanOrEqual(p99.ttftMs, e.ttftMs)
        XCTAssertGreaterThanOrEqual(p99.tpotMs, e.tpotMs)
        let over = estimateServing(d, ServingWorkload(promptTokens: 512, outputTokens: 256, load: .requestsPerSecond(1e6)))
        XCTAssertFalse(over.stable)
    }

    func testVirtualizationOverheadDerates() {
        var d = Fixtures.deployment()
        let w = ServingWorkload(promptTokens: 512, outputTokens: 256, load: .maximum)
        let bare = estimateServing(d, w)
        d.virtualizationOverhead = 0.2
        let vm = estimateServing(d, w)
        XCTAssertEqual(vm.outputTokensPerSecond / bare.outputTokensPerSecond, 0.8, accuracy: 0.02)
    }
}
