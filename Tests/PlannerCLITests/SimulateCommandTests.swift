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

    /// A spread outside 0…1 is a usage error naming the option, exit 2.
    func testSpreadOutsideZeroToOneExits2() throws {
        for bad in ["1.5", "-0.1", "nan"] {
            let r = try PlannerCLI.run(Self.base + ["--output-spread=\(bad)"])
            XCTAssertEqual(r.code, 2, bad)
            XCTAssertTrue(r.err.contains("--output-spread must be a fraction from 0 to 1"), r.err)
        }
    }
}
