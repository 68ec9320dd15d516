import Foundation
import XCTest

/// `planner estimate` and `planner calibrate`, run as the built executable.
final class EstimateCommandTests: XCTestCase {
    static let root = PlannerCLI.root

    func run(_ arguments: [String], cwd: URL = root) throws -> PlannerCLI.Result {
        try PlannerCLI.run(arguments, cwd: cwd)
    }

    /// `planner calibrate` in `dir` against the shipped catalog (`--catalog-root` appended).
    func calibrate(_ arguments: [String], in dir: URL) throws -> PlannerCLI.Result {
        try run(["calibrate"] + arguments + ["--catalog-root", Self.root.appendingPathComponent("catalogs").path], cwd: dir)
    }

    func json(_ arguments: [String]) throws -> [String: Any] {
        let r = try run(arguments + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any], r.out)
    }

    func temporaryDirectory() throws -> URL {
        let dir = try PlannerCLI.temporaryDirectory()
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    static let rtx4090 = ["estimate", "--model", "deepseek-r1-distill-llama-8b", "--gpu", "rtx-4090-24gb",
                          "--precision", "int4-gptq", "--input-tokens", "512", "--output-tokens", "256", "--concurrency", "1"]
    static let eightH100 = ["estimate", "--model", "deepseek-r1-distill-llama-8b", "--gpu", "h100-sxm-80gb", "--gpus", "8",
                            "--tp", "1", "--precision", "fp16", "--input-tokens", "512", "--output-tokens", "256",
                            "--concurrency", "4096"]

    func testSeedScenariosAsJSON() throws {
        let one = try json(Self.rtx4090)
        for key in ["ttft_ms", "tpot_ms", "output_tokens_per_s", "requests_per_s", "batch"] {
            XCTAssertTrue(one[key] is NSNumber, "\(key): \(String(describing: one[key]))")
        }
        XCTAssertEqual(one["bound"] as? String, "memory")
        XCTAssertEqual(one["stable"] as? Bool, true)
        let memory = try XCTUnwrap(one["memory"] as? [String: Any])
        for key in ["weights_gib", "kv_cache_gib", "overhead_gib", "capacity_gib", "kv_capacity_tokens"] {
            XCTAssertTrue(memory[key] is NSNumber, key)
        }
        XCTAssertEqual(memory["fits"] as? Bool, true)
        XCTAssertEqual(memory["capacity_gib"] as? Double, 23.99, "24,564 MiB as nvidia-smi reports it for an RTX 4090")
        // The guide's "<100 ms at batch 1, 512 tokens" holds per token, not for the first token.
        XCTAssertLessThan(try XCTUnwrap(one["tpot_ms"] as? Double), 10)
        XCTAssertEqual(try XCTUnwrap(one["ttft_ms"] as? Double), 100, accuracy: 25)
        XCTAssertEqual(one["batch"] as? Double, 1)
        // vLLM's request overhead in the shipped constants (docs/performance-model.md, "Fitted constants"):
        // part of that TTFT, and said beside it in the table.
        XCTAssertEqual(one["request_overhead_ms"] as? Double, 40)

        let eight = try json(Self.eightH100)
        XCTAssertEqual(eight["replicas"] as? Int, 8)
        XCTAssertEqual(eight["batch"] as? Double, 256)
        XCTAssertEqual(eight["batch_limit"] as? String, "engine_cap")
        XCTAssertGreaterThan(try XCTUnwrap(eight["ttft_ms"] as? Double), 1000)

        let table = try run(Self.rtx4090)
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("Memory per GPU"), table.out)
        XCTAssertTrue(table.out.contains("TPOT"), table.out)
        XCTAssertTrue(table.out.contains("with 40.0 ms of vllm's request overhead (HTTP, tokenisation, scheduling; a calibration constant)"), table.out)
    }

    func testOverloadedRatePrintsNullAndUnstable() throws {
        let args = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm-80gb", "--precision", "fp16",
                    "--input-tokens", "512", "--output-tokens", "256", "--rate", "1000"]
        let r = try run(args + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("\"ttft_ms\" : null"), r.out)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        XCTAssertEqual(o["stable"] as? Bool, false)
        XCTAssertTrue(o["tpot_ms"] is NSNumber)
        let table = try run(args)
        XCTAssertTrue(table.out.contains("UNSTABLE"), table.out)
    }

    func testDoesNotFitExitsWith1() throws {
        let r = try run(["estimate", "--model", "llama-3.1-405b", "--gpu", "rtx-4090-24gb", "--precision", "fp16",
                         "--input-tokens", "512", "--output-tokens", "256", "--format", "json"])
        XCTAssertEqual(r.code, 1, r.err)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        let memory = try XCTUnwrap(o["memory"] as? [String: Any])
        XCTAssertEqual(memory["fits"] as? Bool, false)
        XCTAssertTrue((memory["shortfall"] as? String)?.contains("exceed") ?? false)
        XCTAssertTrue(o["ttft_ms"] is NSNull)
    }

    func testBadInputsExitWith2AndSuggest() throws {
        var args = Self.rtx4090
        args[2] = "deepseek-r1-distill-llama-8"
        var r = try run(args)
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.err, "error: --model: unknown model 'deepseek-r1-distill-llama-8', did you mean 'deepseek-r1-distill-llama-8b'?\n")
        args = Self.rtx4090
        args[4] = "rtx-4090"
        r = try run(args)
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.err, "error: --gpu: unknown GPU 'rtx-4090', did you mean 'rtx-4090-24gb'?\n")
        args = Self.rtx4090
        args[6] = "int4gptq"
        r = try run(args)
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("did you mean 'int4-gptq'?"), r.err)
        r = try run(Self.eightH100 + ["--tp", "3"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("not a multiple of --tp 3"), r.err)
        r = try run(Self.rtx4090 + ["--rate", "2"])
        XCTAssertEqual(r.code, 2)
        XCTAssertTrue(r.err.contains("give one of --concurrency, --rate and --burst"), r.err)
        r = try run(["estimate", "--model", "h100-sxm-80gb", "--gpu", "h100-sxm-80gb", "--precision", "fp16",
                     "--input-tokens", "1", "--output-tokens", "1"])
        XCTAssertEqual(r.err, "error: --model: 'h100-sxm-80gb' is a GPU, expected a model id (planner catalog list models)\n")
    }

    /// Calibrate on measurements whose decode is 40 % slower than the shipped model predicts, apply the
    /// overlay with --catalog, and see `estimate` follow.
    func testCalibrateWritesAnOverlayThatEstimateApplies() throws {
        let dir = try temporaryDirectory()
        let csv = """
            id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes
            r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,1,40,9.6,,,my lab,
            r2,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,10.4,,,my lab,
            r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,2048,256,concurrency,32,,13.5,,,my lab,"long prompts, 32 clients"
            """
        try csv.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        let cal = try run(["calibrate", "runs.csv", "--output", "mine/calibration.yaml", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(cal.code, 0, cal.err)
        XCTAssertTrue(cal.out.contains("ROW  METRIC"), cal.out)
        XCTAssertTrue(cal.out.contains("wrote mine/calibration.yaml; apply it with --catalog mine"), cal.out)
        let yaml = try String(contentsOf: dir.appendingPathComponent("mine/calibration.yaml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("calibration:\n"), yaml)
        XCTAssertTrue(yaml.contains("    vllm:\n"), yaml)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("mine").path),
                       ["calibration.yaml"], "no temporary file left behind")

        let args = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm-80gb", "--precision", "fp16",
                    "--input-tokens", "512", "--output-tokens", "256", "--concurrency", "1", "--catalog-root", catalogRoot,
                    "--format", "json"]
        let before = try run(args, cwd: dir)
        let after = try run(args + ["--catalog", "mine"], cwd: dir)
        XCTAssertEqual(before.code, 0, before.err)
        XCTAssertEqual(after.code, 0, after.err)
        func figure(_ out: String, _ key: String) throws -> Double {
            let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            return try XCTUnwrap(o[key] as? Double)
        }
        let tpotBefore = try figure(before.out, "tpot_ms"), tpotAfter = try figure(after.out, "tpot_ms")
        // The measured 9.6 ms at batch 1 is ~40 % above the shipped prediction; the calibrated model follows.
        XCTAssertGreaterThan(tpotAfter, tpotBefore * 1.2)
        XCTAssertEqual(tpotAfter, 9.6, accuracy: 1.0)
        XCTAssertTrue(after.out.contains("mine/calibration.yaml"), after.out)

        // Fitting the same rows again from the overlay changes nothing for the worse.
        let again = try run(["calibrate", "runs.csv", "--catalog", "mine", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(again.code, 0, again.err)
        XCTAssertTrue(again.out.contains("no overlay written"), again.out)
    }

    /// runs.csv in `dir`: two H100 rows of "my lab" (one and eight clients, 512/256) and `third`.
    static func writeMyLabRuns(_ third: String, in dir: URL) throws {
        try """
            id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes
            r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,1,40,9.6,,,my lab,
            r2,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,10.4,,,my lab,
            \(third)
            """.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
    }

    /// `--exclude-source` leaves a source's rows out of the fit and the report: of three rows, the one
    /// from "their lab" goes and two are fitted; a tag no row carries is an error naming the file's
    /// sources, exit 2, and nothing is written.
    func testCalibrateExcludesASource() throws {
        let dir = try temporaryDirectory()
        try Self.writeMyLabRuns(
            "r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,700,50,,,their lab,", in: dir)
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        let all = try run(["calibrate", "runs.csv", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(all.code, 0, all.err)
        XCTAssertTrue(all.out.hasPrefix("3 rows, 6 measured figures from runs.csv"), all.out)
        let mine = try run(["calibrate", "runs.csv", "--exclude-source", "their lab", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(mine.code, 0, mine.err)
        XCTAssertTrue(mine.out.hasPrefix("2 rows, 4 measured figures from runs.csv"), mine.out)
        XCTAssertFalse(mine.out.contains("r3 "), mine.out)
        let unknown = try run(["calibrate", "runs.csv", "--exclude-source", "another lab", "--output", "out/calibration.yaml",
                               "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(unknown.code, 2)
        XCTAssertEqual(unknown.err, "error: --exclude-source: no row of runs.csv has source 'another lab'; its sources are my lab, their lab\n")
        let typo = try run(["calibrate", "runs.csv", "--exclude-source", "their lap", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(typo.code, 2)
        XCTAssertEqual(typo.err, "error: --exclude-source: no row of runs.csv has source 'their lap'; did you mean 'their lab'? its sources are my lab, their lab\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    /// A `lengths` column marks runs of fixed lengths: `fixed` is scored as the waves such a closed loop runs
    /// (its TTFT far above the staggered steady state's for 64 clients sent together), an unknown value is
    /// reported with its file, line, column and the values expected, exit 2.
    func testCalibrateReadsTheLengthsColumn() throws {
        let dir = try temporaryDirectory()
        let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,source,lengths"
        func write(_ lengths: String) throws {
            try "\(header)\nr1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,1024,128,concurrency,64,500,,,my lab,\(lengths)\n"
                .write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        }
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        func predictedTTFT() throws -> Double {
            let r = try run(["calibrate", "runs.csv", "--rounds", "1", "--catalog-root", catalogRoot], cwd: dir)
            XCTAssertEqual(r.code, 0, r.err)
            let line = try XCTUnwrap(r.out.split(separator: "\n").first { $0.hasPrefix("r1 ") && $0.contains("ttft_ms") }, r.out)
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return try XCTUnwrap(Double(fields[3].replacingOccurrences(of: ",", with: "")), String(line))
        }
        try write("")
        let staggered = try predictedTTFT()
        try write("fixed")
        let waves = try predictedTTFT()
        // 64 prompts of 1,024 tokens sent together take eight 8,192-token steps: the mean wait is about
        // four of them, where a staggered prompt meets one.
        XCTAssertGreaterThan(waves, 2 * staggered)
        try write("fixd")
        let bad = try run(["calibrate", "runs.csv", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.hasPrefix("runs.csv:2:88: lengths:"), bad.err)
        XCTAssertTrue(bad.err.contains("lengths: unknown lengths 'fixd'"), bad.err)
        XCTAssertTrue(bad.err.contains("fixed"), bad.err)
    }

    /// A closed-loop row whose own means break Little's law (TPOT ten times too long for its 8 clients and
    /// 800 tokens/s: 83.1 requests in flight) is named on standard error with the figures to check; the fit
    /// still runs (exit 0), and a consistent row (8.2 in flight) draws no warning.
    func testCalibrateWarnsOfARowThatBreaksLittlesLaw() throws {
        let dir = try temporaryDirectory()
        try """
            id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,source
            r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,104,800,lab
            r2,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,10.0,800,lab
            """.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let r = try calibrate(["runs.csv", "--rounds", "1"], in: dir)
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.err.contains("warning: runs.csv:2:1: row r1: 8 clients, but its own means hold 83.1 requests in flight (Little's law: "), r.err)
        XCTAssertFalse(r.err.contains("row r2: 8 clients"), r.err)
    }

    /// `--hold-out` fits on every other source's rows from the round prior values and prints the held-out
    /// rows only. Their lab's r3 has my lab's r2's configuration, so its held-out prediction must equal r2's
    /// prediction after an ordinary fit of my lab's two rows started from the prior (written as an overlay
    /// here); an unknown tag, a tag also excluded, and --hold-out with --output are refused, exit 2.
    func testCalibrateHoldsOutASource() throws {
        let dir = try temporaryDirectory()
        try Self.writeMyLabRuns(
            "r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,700,50,,,their lab,", in: dir)
        let held = try calibrate(["runs.csv", "--hold-out", "their lab", "--rounds", "1"], in: dir)
        XCTAssertEqual(held.code, 0, held.err)
        XCTAssertTrue(held.out.hasPrefix("1 row of their lab held out (2 measured figures); fitted on the other 2 rows of runs.csv "
            + "from round prior values; before: shipped constants\n"), held.out)
        XCTAssertFalse(held.out.contains("\nr1 ") || held.out.contains("\nr2 "), held.out)
        XCTAssertTrue(held.out.contains("no overlay written (--hold-out"), held.out)

        // My lab's rows alone, fitted from vLLM's round prior values (`CalibrationTable.prior`).
        let mine = try temporaryDirectory()
        try Self.writeMyLabRuns("", in: mine)
        try """
            calibration:
              source: "test: vLLM's prior"
              engines:
                vllm: {bandwidth_efficiency: 0.8, attention_efficiency: 0.8, compute_efficiency: 0.5, step_overhead_ms: 1, per_sequence_step_us: 0, request_overhead_ms: 5}
            """.write(to: mine.appendingPathComponent("prior.yaml"), atomically: true, encoding: .utf8)
        let fitted = try calibrate(["runs.csv", "--rounds", "1", "--catalog", "prior.yaml"], in: mine)
        XCTAssertEqual(fitted.code, 0, fitted.err)
        func predicted(_ out: String, _ row: String, _ metric: String) throws -> String {
            let line = try XCTUnwrap(out.split(separator: "\n").first { $0.hasPrefix("\(row) ") && $0.contains(metric) }, out)
            return String(line.split(separator: " ", omittingEmptySubsequences: true)[5])
        }
        for metric in ["ttft_ms", "tpot_ms"] {
            XCTAssertEqual(try predicted(held.out, "r3", metric), try predicted(fitted.out, "r2", metric), metric)
        }

        let unknown = try calibrate(["runs.csv", "--hold-out", "their lap"], in: dir)
        XCTAssertEqual(unknown.code, 2)
        XCTAssertEqual(unknown.err, "error: --hold-out: no row of runs.csv has source 'their lap'; did you mean 'their lab'? its sources are my lab, their lab\n")
        let every = try calibrate(["runs.csv", "--hold-out", "their lab", "--hold-out", "my lab"], in: dir)
        XCTAssertEqual(every.code, 2)
        XCTAssertEqual(every.err, "error: --hold-out: every row of runs.csv is held out, so nothing is left to fit on; hold out fewer sources\n")
        let both = try calibrate(["runs.csv", "--hold-out", "their lab", "--exclude-source", "their lab"], in: dir)
        XCTAssertEqual(both.code, 2)
        XCTAssertTrue(both.err.contains("source 'their lab' is both held out and excluded"), both.err)
        let output = try calibrate(["runs.csv", "--hold-out", "their lab", "--output", "out/calibration.yaml"], in: dir)
        XCTAssertEqual(output.code, 2)
        XCTAssertTrue(output.err.contains("drop --output or --hold-out"), output.err)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
    }

    /// `--split-half` deals the sources into halves by rows (my lab's two rows, then their lab's one to the
    /// smaller half) and prints each half's held-out medians and sources (a file of one source leaves the
    /// second half empty, and says so); with `--steps` it is refused.
    func testCalibrateSplitsTheSourcesIntoHalves() throws {
        let dir = try temporaryDirectory()
        try Self.writeMyLabRuns(
            "r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,10.4,,,their lab,", in: dir)
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        let split = try run(["calibrate", "runs.csv", "--split-half", "--rounds", "1", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(split.code, 0, split.err)
        XCTAssertTrue(split.out.contains("Split by source into halves (fit on one half's rows, score the other's):\n"
            + "HELD OUT     ROWS  FIGURES  output_tok_s  tpot_ms  ttft_ms  WORST"), split.out)
        XCTAssertTrue(split.out.contains("\nfirst half   2     4        -             "), split.out)
        XCTAssertTrue(split.out.contains("\nsecond half  1     2        -             "), split.out)
        XCTAssertTrue(split.out.contains("first half: my lab\nsecond half: their lab\n"), split.out)
        let one = try temporaryDirectory()
        try Self.writeMyLabRuns(
            "r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,4,50,10.0,,,my lab,", in: one)
        let single = try run(["calibrate", "runs.csv", "--split-half", "--rounds", "1", "--catalog-root", catalogRoot], cwd: one)
        XCTAssertEqual(single.code, 0, single.err)
        XCTAssertTrue(single.out.contains("first half: my lab\nsecond half: no source (a split needs at least two)\n"), single.out)
        let steps = try run(["calibrate", "runs.csv", "--steps", "--split-half", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(steps.code, 2)
        XCTAssertTrue(steps.err.contains("--split-half is for fitting, and --steps fits nothing"), steps.err)
    }

    /// NVFP4 (`fp4`) weights need FP4 tensor cores: on an H100 `estimate` refuses them, exit 2, naming the
    /// GPU; no KV cache is FP4; a calibration row with fp4 on an H100 is reported at its precision column.
    /// On a B200, TensorRT-LLM's KV cache is FP8 and the step costs come from the B200's measured NVFP4 GEMMs.
    func testNVFP4RunsOnlyWithFP4TensorCores() throws {
        let base = ["estimate", "--model", "llama-3.1-70b", "--precision", "fp4", "--input-tokens", "1000", "--output-tokens", "1000"]
        let h100 = try run(base + ["--gpu", "h100-sxm-80gb"])
        XCTAssertEqual(h100.code, 2)
        XCTAssertEqual(h100.err, "error: --precision fp4 (NVFP4) needs FP4 tensor cores, which h100-sxm-80gb does not have (Blackwell GPUs do); expected fp16, bf16, fp8, int8 or an int4 format\n")
        let kv = try run(base + ["--gpu", "b200-180gb", "--kv-precision", "fp4"])
        XCTAssertEqual(kv.code, 2)
        XCTAssertEqual(kv.err, "error: --kv-precision fp4 is a weights-only format; expected fp16, bf16, fp8 or int8\n")
        let b200 = try run(base + ["--gpu", "b200-180gb", "--engine", "trtllm"])
        XCTAssertEqual(b200.code, 0, b200.err)
        XCTAssertTrue(b200.out.contains("fp4 weights, fp8 KV cache, trtllm"), b200.out)
        XCTAssertTrue(b200.out.contains("Step costs: measured kernel curves"), b200.out)

        let dir = try temporaryDirectory()
        try Self.writeMyLabRuns("r3,llama-3.1-70b,fp4,h100-sxm-80gb,1,1,trtllm-1.0,128,128,burst,,,,9000,,my lab,", in: dir)
        let row = try run(["calibrate", "runs.csv", "--catalog-root", Self.root.appendingPathComponent("catalogs").path], cwd: dir)
        XCTAssertEqual(row.code, 2)
        XCTAssertEqual(row.err, "runs.csv:4:18: precision: fp4 needs FP4 tensor cores, which h100-sxm-80gb does not have (Blackwell GPUs do)\n")
    }

    /// `--engine nim-trtllm` (NIM serving a TensorRT-LLM profile) says whose defaults and kernels it runs:
    /// TensorRT-LLM's 2,048-sequence cap (NIM does not publish its profiles' caps; an explicit cap drops the
    /// note), TensorRT-LLM's FP8 KV cache for FP8 weights, and TensorRT-LLM's measured kernel curves.
    func testNIMSaysItRunsTensorRTLLMsDefaultsAndKernels() throws {
        let base = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm-80gb", "--precision", "fp8", "--engine", "nim-trtllm",
                    "--input-tokens", "200", "--output-tokens", "200", "--concurrency", "1"]
        let nim = try run(base)
        XCTAssertEqual(nim.code, 0, nim.err)
        XCTAssertTrue(nim.out.contains("fp8 weights, fp8 KV cache, nim-trtllm\n"), nim.out)
        XCTAssertTrue(nim.out.contains("Engine: nim-trtllm, continuous batching with whole prompts (no chunked prefill): at most 2048 running sequences, 8,192 tokens per step (trtllm's defaults: NVIDIA NIM (TensorRT-LLM) does not publish its profiles' caps)\n"), nim.out)
        XCTAssertTrue(nim.out.contains("Step costs: measured kernel curves (aiconfigurator-core 0.12.0 (Apache-2.0), trtllm 1.3.0rc20 (nim-trtllm's backend))"), nim.out)
        let capped = try run(base + ["--max-num-seqs", "64"])
        XCTAssertEqual(capped.code, 0, capped.err)
        XCTAssertTrue(capped.out.contains("at most 64 running sequences, 8,192 tokens per step\n"), capped.out)
    }

    /// The table `estimate …` prints, the run exiting 0.
    private func table(_ arguments: [String]) throws -> String {
        let r = try run(arguments)
        XCTAssertEqual(r.code, 0, r.err)
        return r.out
    }

    /// `engine_settings` of `estimate … --format json`, the run exiting 0.
    private func engineSettingsJSON(_ arguments: [String]) throws -> [String: Any] {
        let r = try run(arguments + ["--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        return try XCTUnwrap(json["engine_settings"] as? [String: Any])
    }

    /// `--enable-chunked-prefill` switches the engine between whole prompts (TensorRT-LLM's default) and
    /// chunks, and the table and JSON say which ran (the schedules themselves: `ChunkedPrefillTests`); any
    /// value but true or false is a usage error.
    func testChunkedPrefillSwitch() throws {
        let base = ["estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm-80gb", "--precision", "fp8", "--engine", "trtllm",
                    "--input-tokens", "32768", "--output-tokens", "256", "--concurrency", "16", "--percentile", "99"]
        let whole = try table(base)
        XCTAssertTrue(whole.contains("Engine: trtllm, continuous batching with whole prompts (no chunked prefill): at most 2048 running sequences, 8,192 tokens per step\n"), whole)
        let chunked = try table(base + ["--enable-chunked-prefill", "true"])
        XCTAssertTrue(chunked.contains("Engine: trtllm, continuous batching with chunked prefill: at most"), chunked)
        XCTAssertEqual(try engineSettingsJSON(base)["enable_chunked_prefill"] as? Bool, false)
        XCTAssertEqual(try engineSettingsJSON(base + ["--enable-chunked-prefill", "true"])["enable_chunked_prefill"] as? Bool, true)
        let bad = try run(base + ["--enable-chunked-prefill", "yes"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("--enable-chunked-prefill"), bad.err)
    }

    /// `--expert-parallel` and `--attention-dp` lay a mixture of experts out as NVIDIA's table runs it (the
    /// model: `MoEParallelismTests`): the engine line and JSON's `engine_settings` say so, the batch cap and
    /// step budget read per GPU, the weights line names the attention held whole; any value but true or
    /// false is a usage error.
    func testExpertAndAttentionParallelSwitches() throws {
        let base = ["estimate", "--model", "qwen3-235b-a22b", "--gpu", "h200-sxm-141gb", "--tp", "8", "--precision", "fp8",
                    "--engine", "trtllm", "--input-tokens", "1000", "--output-tokens", "1000", "--burst", "3000"]
        let plain = try table(base)
        XCTAssertTrue(plain.contains("at most 2048 running sequences, 8,192 tokens per step\n"), plain)
        let both = try table(base + ["--expert-parallel", "true", "--attention-dp", "true"])
        XCTAssertTrue(both.contains(
            "at most 2048 running sequences, 8,192 tokens per step per GPU; experts expert-parallel over 8 GPUs; attention data-parallel (8 ranks, each its own batch)\n"),
            both)
        XCTAssertTrue(both.contains("1/8 of the model, the attention projections whole"), both)
        let settings = try engineSettingsJSON(base + ["--expert-parallel", "true", "--attention-dp", "true"])
        XCTAssertEqual(settings["expert_parallel"] as? Bool, true)
        XCTAssertEqual(settings["attention_dp"] as? Bool, true)
        let bad = try run(base + ["--attention-dp", "on"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("--attention-dp"), bad.err)
    }

    /// A mixture of experts says how its routed experts are timed: at their measured MoE kernel where the
    /// table has the model's shape, precision and TP (Qwen3-30B-A3B, NVFP4, TP 1 on a B200), else at the GEMM
    /// curve (int4 experts, which the table does not time); a dense model says nothing about experts.
    func testStepCostsSayHowExpertsAreTimed() throws {
        let base = ["estimate", "--input-tokens", "1000", "--output-tokens", "1000", "--engine", "trtllm", "--gpu", "b200-180gb"]
        let measured = try run(base + ["--model", "qwen3-30b-a3b", "--precision", "fp4"])
        XCTAssertEqual(measured.code, 0, measured.err)
        XCTAssertTrue(measured.out.contains("Step costs: measured kernel curves (aiconfigurator-core 0.12.0 (Apache-2.0), trtllm 1.3.0rc20); routed experts at their measured MoE kernel\n"), measured.out)
        let int4 = try run(base + ["--model", "qwen3-30b-a3b", "--precision", "int4-awq"])
        XCTAssertEqual(int4.code, 0, int4.err)
        XCTAssertTrue(int4.out.contains("routed experts at the GEMM curve (no MoE kernel measured for this shape, precision and TP)"), int4.out)
        let dense = try run(base + ["--model", "llama-3.1-8b", "--precision", "fp8"])
        XCTAssertEqual(dense.code, 0, dense.err)
        XCTAssertFalse(dense.out.contains("experts"), dense.out)
    }

    /// `--fit families` moves only the GPU-family factors: of two H100 rows (Hopper, the reference family)
    /// and one A100 PCIe row (Ampere), the overlay holds Ampere's factors and no engine constants, and the
    /// report says so; `--fit engines` holds engine constants and no family factors; an unknown scope is a
    /// usage error, exit 2, with the three scopes named.
    func testCalibrateFitsOnlyTheScopeAskedFor() throws {
        let dir = try temporaryDirectory()
        try Self.writeMyLabRuns(
            "r3,llama-3.1-8b,fp16,a100-pcie-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,90,30,,,my lab,", in: dir)
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        let families = try run(["calibrate", "runs.csv", "--fit", "families", "--output", "fam/calibration.yaml",
                                "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(families.code, 0, families.err)
        XCTAssertTrue(families.out.contains("Scope of this fit: no engine constants (--fit families) and the factors of GPU family ampere;"),
                      families.out)
        XCTAssertFalse(families.out.contains("vllm step_overhead_ms"), families.out)
        let familyYAML = try String(contentsOf: dir.appendingPathComponent("fam/calibration.yaml"), encoding: .utf8)
        XCTAssertTrue(familyYAML.contains("ampere: {bandwidth:"), familyYAML)
        XCTAssertFalse(familyYAML.contains("vllm:"), familyYAML)
        let engines = try run(["calibrate", "runs.csv", "--fit", "engines", "--output", "eng/calibration.yaml",
                               "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(engines.code, 0, engines.err)
        XCTAssertTrue(engines.out.contains("and no GPU-family factors (--fit engines);"), engines.out)
        let engineYAML = try String(contentsOf: dir.appendingPathComponent("eng/calibration.yaml"), encoding: .utf8)
        XCTAssertTrue(engineYAML.contains("    vllm:\n"), engineYAML)
        XCTAssertFalse(engineYAML.contains("ampere"), engineYAML)
        let bad = try run(["calibrate", "runs.csv", "--fit", "gpus", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("--fit must be one of all, engines, families (got 'gpus')"), bad.err)
    }

    func testMalformedCSVReportsFileLineColumnAndExits2() throws {
        let dir = try temporaryDirectory()
        try """
            id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes
            r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,1,40,-9.6,,,,
            r2,llama-3.1-8q,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,1,40,9.6,,,,
            """.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let catalogRoot = Self.root.appendingPathComponent("catalogs").path
        let r = try run(["calibrate", "runs.csv", "--output", "out/calibration.yaml", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.err, "runs.csv:2:76: tpot_ms: must be a positive number (got -9.6)\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))

        try """
            id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes
            r2,llama-3.1-8q,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,1,40,9.6,,,,
            """.write(to: dir.appendingPathComponent("runs.csv"), atomically: true, encoding: .utf8)
        let unknown = try run(["calibrate", "runs.csv", "--catalog-root", catalogRoot], cwd: dir)
        XCTAssertEqual(unknown.code, 2)
        XCTAssertEqual(unknown.err, "runs.csv:2:4: model: unknown model 'llama-3.1-8q', did you mean 'llama-3.1-8b'?\n")
        XCTAssertEqual(try run(["calibrate", "missing.csv"], cwd: dir).code, 2)
    }

    func testHelpShowsExamples() throws {
        for command in [["estimate"], ["calibrate"]] {
            let r = try run(command + ["--help"])
            XCTAssertEqual(r.code, 0)
            XCTAssertTrue(r.out.contains("Examples:\n  planner \(command[0]) "), "\(command): \(r.out)")
        }
    }
}
