import XCTest

/// `planner simulate`: the spread of output lengths it draws, named in its output, and bad values.
final class SimulateCommandTests: XCTestCase {
    private static let base = [
        "simulate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm-80gb", "--precision", "fp16",
        "--input-tokens", "512", "--output-tokens", "100", "--concurrency", "8", "--requests", "200",
    ]

    /// The table names the lengths drawn (±20 % of 100: 80–120) and JSON carries the spread; with
    /// --output-spread 0 every request has exactly 100 tokens.
    func testOutputNamesTheSpread() throws {
        let table = try PlannerCLI.run(Self.base)
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("512 prompt + 100 output tokens (each request 80–120, uniform), concurrency 8"), table.out)
        let fixed = try PlannerCLI.run(Self.base + ["--output-spread", "0"])
        XCTAssertTrue(fixed.out.contains("512 prompt + 100 output tokens, concurrency 8"), fixed.out)
        let json = try PlannerCLI.json(try PlannerCLI.run(Self.base + ["--output-spread", "0.1", "--format", "json"]).out)
        XCTAssertEqual(json["output_spread"] as? Double, 0.1)
    }

    /// The engine's scheduler is named as `estimate` names it: vLLM chunks prompts, TensorRT-LLM runs them
    /// whole unless told (`--enable-chunked-prefill true`), in the table and in JSON's `engine_settings`.
    func testOutputNamesTheScheduler() throws {
        let vllm = try PlannerCLI.run(Self.base)
        XCTAssertTrue(vllm.out.contains("\nEngine: vllm, continuous batching with chunked prefill: at most 256 running sequences, 8,192 tokens per step\n"), vllm.out)
        let trtllm = try PlannerCLI.run(Self.base + ["--engine", "trtllm"])
        XCTAssertTrue(trtllm.out.contains("\nEngine: trtllm, continuous batching with whole prompts (no chunked prefill): at most 2048 running sequences"), trtllm.out)
        let json = try PlannerCLI.json(try PlannerCLI.run(Self.base + ["--engine", "trtllm", "--enable-chunked-prefill", "true", "--format", "json"]).out)
        let settings = try XCTUnwrap(json["engine_settings"] as? [String: Any])
        XCTAssertEqual(settings["enable_chunked_prefill"] as? Bool, true)
        XCTAssertEqual(settings["max_num_batched_tokens"] as? Double, 8192)
    }

    /// --percentile 95 adds a p95 column between p90 and p99 (a spec's P95 read off the simulation), and
    /// a `p95` key in JSON between the two; --percentile 99 adds nothing (p99 is always shown).
    func testPercentileAddsItsColumn() throws {
        let table = try PlannerCLI.run(Self.base + ["--percentile", "95"])
        XCTAssertEqual(table.code, 0, table.err)
        let header = try XCTUnwrap(table.out.split(separator: "\n").first { $0.contains("mean") && $0.contains("p50") })
        XCTAssertEqual(header.split(separator: " ").map(String.init), ["mean", "p50", "p90", "p95", "p99"])
        let json = try PlannerCLI.json(try PlannerCLI.run(Self.base + ["--percentile", "95", "--format", "json"]).out)
        let ttft = try XCTUnwrap(json["ttft_ms"] as? [String: Double])
        let p90 = try XCTUnwrap(ttft["p90"]), p95 = try XCTUnwrap(ttft["p95"]), p99 = try XCTUnwrap(ttft["p99"])
        XCTAssertLessThanOrEqual(p90, p95)
        XCTAssertLessThanOrEqual(p95, p99)
        let plain = try PlannerCLI.run(Self.base + ["--percentile", "99"])
        let plainHeader = try XCTUnwrap(plain.out.split(separator: "\n").first { $0.contains("mean") && $0.contains("p50") })
        XCTAssertEqual(plainHeader.split(separator: " ").map(String.init), ["mean", "p50", "p90", "p99"])
    }

    /// --start-together runs a closed loop as benchmark tools do: AWS's genai-perf sweep on one A10G at 8
    /// clients (s074, 200 / 114 tokens, fixed lengths) measured a 350 ms mean TTFT; with every client sent
    /// at once and no spread the waves give 289 ms, every request the same (one prompt step of 1,600
    /// tokens after t_req), the number `planner calibrate` scores the row by, where the staggered
    /// steady state gives about 68 ms. JSON says how the clients started; without --concurrency it is a
    /// usage error, exit 2.
    func testStartTogetherRunsTheBenchmarksWaves() throws {
        let a10 = [
            "simulate", "--model", "llama-3.1-8b", "--gpu", "a10-24gb", "--precision", "fp16", "--engine", "nim-trtllm",
            "--input-tokens", "200", "--output-tokens", "114", "--output-spread", "0", "--format", "json",
        ]
        let waves = try PlannerCLI.json(try PlannerCLI.run(a10 + ["--concurrency", "8", "--start-together", "--requests", "24"]).out)
        XCTAssertEqual(waves["clients_start_together"] as? Bool, true)
        let ttft = try XCTUnwrap(waves["ttft_ms"] as? [String: Double])
        XCTAssertEqual(try XCTUnwrap(ttft["mean"]), 289, accuracy: 1)
        XCTAssertEqual(ttft["p50"], ttft["p99"])
        let staggered = try PlannerCLI.json(try PlannerCLI.run(a10 + ["--concurrency", "8", "--requests", "200"]).out)
        XCTAssertEqual(staggered["clients_start_together"] as? Bool, false)
        XCTAssertLessThan(try XCTUnwrap((staggered["ttft_ms"] as? [String: Double])?["mean"]), 100)
        let table = try PlannerCLI.run(Self.base + ["--start-together"])
        XCTAssertTrue(table.out.contains("all started at once and measured from the start"), table.out)
        let open = try PlannerCLI.run(Array(Self.base.dropLast(4)) + ["--rate", "4", "--start-together"])
        XCTAssertEqual(open.code, 2)
        XCTAssertTrue(open.err.contains("--start-together applies to a closed loop: give --concurrency N"), open.err)
    }

    /// A spread outside 0…1 is a usage error naming the option, exit 2.
    func testSpreadOutsideZeroToOneExits2() throws {
        for bad in ["1.5", "-0.1", "nan"] {
            let r = try PlannerCLI.run(Self.base + ["--output-spread=\(bad)"])
            XCTAssertEqual(r.code, 2, bad)
            XCTAssertTrue(r.err.contains("--output-spread must be a fraction from 0 to 1"), r.err)
        }
    }
}
