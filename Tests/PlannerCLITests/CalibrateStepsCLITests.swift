import XCTest

/// `planner calibrate --steps`: measured engine steps against the step model, nothing fitted.
final class CalibrateStepsCLITests: XCTestCase {
    private static let steps = "catalogs/step-measurements.csv"

    /// The shipped H200 rows: one line per step and a median per kind; the decode steps of 8 or more
    /// sequences are the 52 dense ones `StepMeasurementTests` checks (3.5 % median with vLLM's curves)
    /// and 12 of Mixtral: 64 at 4.4 %.
    func testShippedStepsArePrintedWithAMedianPerKind() throws {
        let r = try PlannerCLI.run(["calibrate", "--steps", Self.steps])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("169 steps from \(Self.steps) against the step model's GPU time (vllm kernel curves"), r.out)
        XCTAssertTrue(r.out.contains("\ns001  llama-3.1-8b   bf16     h200-sxm-141gb  1       0        0       no         4.705 "), r.out)
        let decode = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("decode, 8 or more sequences") })
        XCTAssertTrue(decode.contains(" 64 ") && decode.contains("4.4 %"), String(decode))
        XCTAssertFalse(r.out.contains("overlay"), "nothing is fitted or written")
        let trt = try PlannerCLI.run(["calibrate", "--steps", Self.steps, "--engine", "trtllm"])
        XCTAssertEqual(trt.code, 0, trt.err)
        XCTAssertTrue(trt.out.contains("(trtllm kernel curves"), trt.out)
    }

    /// A malformed row names file, line, column and field; fitting options and --engine without --steps
    /// are usage errors. All exit 2.
    func testBadInputExits2() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("steps.csv").path
        try """
            id,model,precision,kv_precision,gpu,engine,decode_sequences,context,prefill_tokens,attention,step_ms
            s1,llama-3.1-8b,bf16,bf16,h200-sxm-141gb,pytorch,8,1024,0,sometimes,5.7
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try PlannerCLI.run(["calibrate", "--steps", file])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("\(file):2:") && bad.err.contains("attention") && bad.err.contains("expected yes or no"), bad.err)
        let unknownGPU = file + ".gpu.csv"
        try """
            id,model,precision,kv_precision,gpu,engine,decode_sequences,context,prefill_tokens,attention,step_ms
            s1,llama-3.1-8b,bf16,bf16,h200-sxm,pytorch,8,1024,0,yes,5.7
            """.write(toFile: unknownGPU, atomically: true, encoding: .utf8)
        let gpu = try PlannerCLI.run(["calibrate", "--steps", unknownGPU])
        XCTAssertEqual(gpu.code, 2)
        // The gpu field starts at column 27 of line 2 ("s1,llama-3.1-8b,bf16,bf16," is 26 characters).
        XCTAssertTrue(gpu.err.contains("\(unknownGPU):2:27: gpu: unknown GPU 'h200-sxm'"), gpu.err)
        let fit = try PlannerCLI.run(["calibrate", "--steps", Self.steps, "--output", dir.appendingPathComponent("c.yaml").path])
        XCTAssertEqual(fit.code, 2)
        XCTAssertTrue(fit.err.contains("--output is for fitting, and --steps fits nothing"), fit.err)
        let engine = try PlannerCLI.run(["calibrate", "catalogs/calibration-measurements.csv", "--engine", "vllm"])
        XCTAssertEqual(engine.code, 2)
        XCTAssertTrue(engine.err.contains("--engine goes with --steps"), engine.err)
    }
}
