import Foundation
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// Byte-identical output across processes (each process has its own hash seed, so any iteration
/// over a Set or Dictionary that reaches the output shows up here), the time limit, and numeric
/// range errors.
final class DeterminismAndLimitsTests: XCTestCase {
    /// `planner solve` run repeatedly gives the same bytes (output and `--export-lp`). `make test`
    /// checks one example: 20 runs in JSON (the whole plan) and 4 in each other format, to stay
    /// fast; `make fuzz` sets FUZZ_DETERMINISM_EXAMPLES=all FUZZ_DETERMINISM_RUNS=20 (every example,
    /// 20 runs in every format).
    func testSameSpecSameBytesInEveryFormat() throws {
        _ = try PlannerExecutable.required()
        let fullRuns = FuzzConfig.int("FUZZ_DETERMINISM_RUNS", 0)
        let names = FuzzConfig.environment["FUZZ_DETERMINISM_EXAMPLES"] == "all"
            ? Corpus.examples.map(\.name) : ["seed-scenario-1-rtx4090.yaml"]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-determinism-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in names {
            for format in CLIFuzzTests.formats {
                let runs = fullRuns > 0 ? fullRuns : format == "json" ? 20 : 4
                var first: Data?
                var firstCode: Int32 = 0
                for run in 0..<runs {
                    let out = dir.appendingPathComponent("plan.\(format)")
                    let lp = dir.appendingPathComponent("plan.lp")
                    let r = try PlannerBinary.run(["solve", "examples/\(name)", "--format", format, "--output", out.path, "--export-lp", lp.path])
                    XCTAssertEqual(r.reason, .exit)
                    let bytes = (try? Data(contentsOf: out)) ?? r.err.data(using: .utf8)!
                    let lpBytes = (try? Data(contentsOf: lp)) ?? Data()
                    try? FileManager.default.removeItem(at: out)
                    if let first {
                        XCTAssertEqual(r.code, firstCode, "\(name) \(format) run \(run)")
                        XCTAssert(bytes + lpBytes == first, "\(name) --format \(format): run \(run) differs from run 0")
                    } else {
                        first = bytes + lpBytes
                        firstCode = r.code
                    }
                }
            }
        }
    }

    /// A valid spec whose MILP GLPK cannot finish in a second (chat-8b with GPU types allowed to mix,
    /// so no split by GPU type, on a synthetic catalog with ten times the GPUs and servers) stops at
    /// `--time-limit`: status time_limit with exit 0 and a warning (a plan found) or
    /// no_plan_within_limit with exit 3 (none found).
    func testPathologicalSpecStopsAtTheTimeLimit() throws {
        _ = try PlannerExecutable.required()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-timelimit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let generator = Process()
        generator.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generator.arguments = ["python3", Corpus.root.appendingPathComponent("scripts/synthetic-catalog.py").path, "10", dir.path]
        generator.standardOutput = FileHandle.nullDevice
        generator.standardError = FileHandle.nullDevice
        try generator.run()
        generator.waitUntilExit()
        guard generator.terminationStatus == 0 else {
            return XCTFail("scripts/synthetic-catalog.py failed: it needs python3 with PyYAML (`make test` installs python3-yaml)")
        }
        let chat = try String(contentsOf: Corpus.root.appendingPathComponent("examples/chat-8b.yaml"), encoding: .utf8)
        let spec = FileManager.default.temporaryDirectory.appendingPathComponent("planner-mixed-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: spec) }
        try (chat + "  mix_gpu_types: true\n").write(to: spec, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("plan.json")
        let started = Date()
        let r = try PlannerBinary.run(["solve", spec.path, "--catalog", dir.path, "--time-limit", "1",
                                       "--format", "json", "--output", out.path])
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(r.reason, .exit)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any], r.err)
        let status = json["status"] as? String
        // A plan found when the time ran out is a plan (exit 0, a warning on standard error); none
        // found is exit 3. Either way the search stopped at the limit.
        switch status {
        case "time_limit":
            XCTAssertEqual(r.code, 0, r.err)
            XCTAssert(r.err.contains("warning: the time limit stopped the search"), r.err)
        case "no_plan_within_limit":
            XCTAssertEqual(r.code, 3, r.err)
        default:
            XCTFail("exit \(r.code), status \(status ?? "-"): \(r.err)")
        }
        print("time limit: exit \(r.code), status \(status ?? "-") after \(String(format: "%.1f", seconds)) s (debug build, --time-limit 1)")
    }

    /// Every numeric spec field: huge values get "out of range", NaN/inf "finite", negatives a sign
    /// error; never a trap or a silent clamp.
    func testHugeAndNonFiniteNumbersAreOutOfRange() throws {
        let base = Corpus.examples.first { $0.name == "pinned-70b.yaml" }!.text
        let numeric = ["prompt_tokens", "output_tokens", "requests_per_second", "ttft_ms", "tpot_ms", "e2e_ms", "percentile",
                       "capex_usd", "years", "electricity_usd_per_kwh", "pue", "min_memory_bandwidth_gbps", "model_load_seconds",
                       "checkpoints_kept", "os_reserve_gb", "min_iops", "min_fault_tolerance", "rack_power_kw", "growth_headroom",
                       "max_tensor_parallel", "gpu_count", "tensor_parallel", "server_count", "psus_per_server",
                       "dimms_per_server", "ssds_per_server", "nics_per_server", "schema_version"]
        let cases: [(String, String)] = [("1e308", "out of range"), ("99999999999999999999999", "out of range"),
                                         ("9223372036854775807", "out of range"), (".nan", "finite"), (".inf", "finite")]
        for key in numeric {
            for (value, expected) in cases {
                let yaml = base.replacingOccurrences(of: #"(?m)(\b\#(key): )[^,}\n]+"#, with: "$1\(value)", options: .regularExpression)
                XCTAssertNotEqual(yaml, base, key)
                do {
                    _ = try SpecLoader.parse(yaml: yaml, file: "spec.yaml", catalog: Corpus.shipped)
                    XCTFail("\(key): \(value) accepted")
                } catch {
                    let messages = error.diagnostics.filter { $0.keyPath.hasSuffix(key) }.map(\.message)
                    XCTAssert(messages.contains { $0.contains(expected) || (key == "schema_version" && $0.contains("unsupported")) },
                              "\(key): \(value): \(error.diagnostics.map(\.description))")
                }
            }
        }
    }
}
