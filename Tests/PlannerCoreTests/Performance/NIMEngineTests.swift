import XCTest
@testable import PlannerCore

/// NVIDIA NIM serving a TensorRT-LLM profile (`nim-trtllm`): TensorRT-LLM's kernels, scheduler defaults and
/// KV-cache rule behind NIM's own frontend, whose overheads are fitted on NIM's rows only
/// (docs/performance-model.md, "NIM's own overheads").
final class NIMEngineTests: XCTestCase {
    /// With TensorRT-LLM's constants in NIM's place every figure is TensorRT-LLM's: the same kernel curves,
    /// batch cap, token budget, memory fraction and KV-cache format. Only the fitted overheads differ.
    func testNIMRunsTensorRTLLMsKernelsAndDefaults() throws {
        XCTAssertEqual(EngineProfile.nimTRTLLM.backend, .trtllm)
        XCTAssertEqual(EngineProfile.allCases.filter { $0.backend == $0 }, [.vllm, .trtllm, .sglang])
        XCTAssertEqual(EngineSettings.defaults(for: .nimTRTLLM), EngineSettings.defaults(for: .trtllm))
        XCTAssertEqual(Precision.fp8.defaultKVCache(on: .nimTRTLLM), .fp8)
        XCTAssertEqual(Precision.bf16.defaultKVCache(on: .nimTRTLLM), .bf16)

        let catalog = try loadShipped()
        var table = catalog.calibration
        table.engines[.nimTRTLLM] = table.engines[.trtllm]
        let model = try XCTUnwrap(catalog.model("llama-3.1-70b"))
        let gpu = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        func deployment(_ e: EngineProfile) -> Deployment {
            Deployment(model: model, gpu: gpu, gpuCount: 2, tensorParallel: 2, weightPrecision: .fp8, kvPrecision: .fp8, engine: e)
        }
        let workload = ServingWorkload(promptTokens: 5_000, outputTokens: 500, load: .concurrency(25))
        XCTAssertEqual(estimateServing(deployment(.nimTRTLLM), workload, calibration: table),
                       estimateServing(deployment(.trtllm), workload, calibration: table))
        let kernels = try XCTUnwrap(table.kernels)
        let curves = try XCTUnwrap(KernelCurves(kernels, deployment(.nimTRTLLM)))
        XCTAssertEqual(curves.provenance, "aiconfigurator-core 0.12.0 (Apache-2.0), trtllm 1.3.0rc20 (nim-trtllm's backend)")
        // The shipped constants are NIM's own.
        XCTAssertNotEqual(catalog.calibration.calibration(for: .nimTRTLLM), catalog.calibration.calibration(for: .trtllm))
    }

    /// Calibration rows name NIM by the published string: NIM's TensorRT-LLM profiles map to `nim-trtllm`,
    /// plain TensorRT-LLM to `trtllm`; a NIM vLLM profile is recorded as vLLM (no engine string maps it).
    func testPublishedEngineStringsOfNIMMapToIt() {
        XCTAssertEqual(engineProfile(forVersion: "trtllm-nim-1.8.0"), .nimTRTLLM)
        XCTAssertEqual(engineProfile(forVersion: "TRTLLM-NIM-llama3"), .nimTRTLLM)
        XCTAssertEqual(engineProfile(forVersion: "nim-trtllm-1.0"), .nimTRTLLM)
        XCTAssertEqual(engineProfile(forVersion: "trtllm-1.0"), .trtllm)
        XCTAssertEqual(engineProfile(forVersion: "trtllm-mlperf-4.1"), .trtllm)
        XCTAssertNil(engineProfile(forVersion: "nim-vllm-2.0"))
    }

    /// A fit on NIM's rows moves NIM's constants and never TensorRT-LLM's: the NIM sweeps' frontend costs
    /// (DLI-NIM's TPOT grows with the batch faster than TensorRT-LLM's own tables say) stay out of the
    /// constants every `trtllm` plan uses. Before NIM had its own engine, TRT1 scored 17.5 % held out,
    /// with TensorRT-LLM's per-sequence cost fitted to 34 µs on the NIM sweeps (docs/performance-model.md).
    func testNIMsRowsNeverMoveTensorRTLLMsConstants() throws {
        let catalog = try loadShipped()
        let nim = Fixtures.staggered(try Fixtures.calibrationCases().filter { $0.row.source == "NIM" })
        XCTAssertEqual(nim.count, 9)
        XCTAssertEqual(Set(nim.map(\.row.engine)), [.nimTRTLLM])
        var start = catalog.calibration
        start.engines[.nimTRTLLM] = nil
        XCTAssertEqual(start.calibration(for: .nimTRTLLM), start.calibration(for: .trtllm), "falls back to its backend's")
        let fitted = fitCalibration(nim, start: start, rounds: 1, scope: .engines)
        XCTAssertEqual(fitted.engines[.trtllm], start.engines[.trtllm])
        XCTAssertEqual(fitted.engines[.vllm], start.engines[.vllm])
        XCTAssertNotEqual(fitted.calibration(for: .nimTRTLLM), start.calibration(for: .trtllm))
        XCTAssertLessThan(CalibrationSummary(compareAll(nim, calibration: fitted)).meanAbsoluteLogError,
                          CalibrationSummary(compareAll(nim, calibration: start)).meanAbsoluteLogError)
    }

    /// Held out: the NIM sweeps of NVIDIA DLI (A100) and AWS (A10G, H100), never fitted, at one client, where
    /// a TTFT is the request overhead plus one prefill and no queue (eight rows). NIM's constants, fitted on
    /// the NIM source's 70B rows alone (request overhead 9.5 ms), put their median |error| at 11.9 %;
    /// TensorRT-LLM's (38.5 ms) at 17.1 % (DLI-NIM's 200-token A100 rows +110 / +122 % → −6 / −1 %). The
    /// sources disagree on the overhead: AWS-NIM's 200-token A10G row measures 100 ms in all (−23 → −53 %).
    func testNIMsRequestOverheadOnHeldOutOneClientRuns() throws {
        let catalog = try loadShipped()
        let oneClient = try Fixtures.calibrationCases().filter {
            ["DLI-NIM", "AWS-NIM"].contains($0.row.source) && $0.row.load == .concurrency(1) && $0.row.ttftMs != nil
        }
        XCTAssertEqual(oneClient.map(\.row.id), ["s001", "s011", "s021", "s031", "s071", "s104", "s115", "s126"])
        func medianError(_ table: CalibrationTable) -> Double {
            let errors = oneClient.map { c in
                abs(estimateServing(c.deployment, c.workload, calibration: table).ttftMs / c.row.ttftMs! - 1)
            }
            return errors.median ?? .nan
        }
        var asTensorRTLLM = catalog.calibration
        asTensorRTLLM.engines[.nimTRTLLM] = asTensorRTLLM.engines[.trtllm]
        XCTAssertEqual(medianError(catalog.calibration), 0.119, accuracy: 0.01)
        XCTAssertEqual(medianError(asTensorRTLLM), 0.171, accuracy: 0.01)
    }
}
