import Foundation
import XCTest

/// Runs the built `planner` executable and checks exit codes and output.
final class ValidateAndCatalogCLITests: XCTestCase {
    func run(_ arguments: [String], cwd: URL = PlannerCLI.root) throws -> (code: Int32, out: String, err: String) {
        let r = try PlannerCLI.run(arguments, cwd: cwd)
        return (r.code, r.out, r.err)
    }

    func testValidateExampleSucceeds() throws {
        let r = try run(["validate", "examples/chat-8b.yaml"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("ok: chat-8b: deepseek-r1-distill-llama-8b"), r.out)
    }

    func testValidateReportsDiagnosticsWithExitCode2() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "model: llama-3.1-8b\nworkload: {prompt_tokens: 512, output_tokens: 256}\nslo: {tpot_ms: -5, ttft: 1}\n"
            .write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let r = try run(["validate", "bad.yaml", "--catalog-root", PlannerCLI.root.appendingPathComponent("catalogs").path], cwd: dir)
        XCTAssertEqual(r.code, 2)
        XCTAssertEqual(r.out, "")
        XCTAssertEqual(r.err, """
            bad.yaml:3:16: slo.tpot_ms: must be a positive number (got -5)
            bad.yaml:3:20: slo.ttft: unknown key, did you mean 'ttft_ms'?

            """)
    }

    func testBadInputExitsWith2() throws {
        XCTAssertEqual(try run(["validate", "does-not-exist.yaml"]).code, 2)
        XCTAssertEqual(try run(["validate"]).code, 2)
        XCTAssertEqual(try run(["catalog", "show", "no-such-id"]).code, 2)
        XCTAssertEqual(try run(["catalog", "list", "gpuz"]).err, "error: unknown kind 'gpuz', did you mean 'gpus'?; expected one of gpus, servers, dimms, ssds, nics, switches, cables, psus, pdus, cooling, racks, models\n")
        XCTAssertEqual(try run(["--version"]).code, 0)
    }

    func testCatalogListAndShowJSON() throws {
        let list = try run(["catalog", "list", "gpus", "--format", "json"])
        XCTAssertEqual(list.code, 0, list.err)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        XCTAssertEqual(rows.map { $0["id"] as? String }, rows.map { $0["id"] as? String }.sorted { ($0 ?? "") < ($1 ?? "") })
        let h100 = try XCTUnwrap(rows.first { $0["id"] as? String == "h100-sxm-80gb" })
        XCTAssertTrue(h100["price_usd"] is NSNumber)
        XCTAssertEqual(h100["kind"] as? String, "gpus")

        let show = try run(["catalog", "show", "h100-sxm-80gb", "--format", "json"])
        XCTAssertEqual(show.code, 0, show.err)
        let entry = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(show.out.utf8)) as? [String: Any])
        XCTAssertEqual(entry["file"] as? String, "catalogs/gpus.yaml")
        XCTAssertEqual(entry["from_overlay"] as? Bool, false)
        let fields = try XCTUnwrap(entry["fields"] as? [String: Any])
        XCTAssertEqual(fields["memory_gib"] as? Double, 79.65)
        XCTAssertEqual(fields["part_number"] as? NSNull, NSNull())
        XCTAssertTrue((fields["part_number_note"] as? String)?.hasPrefix("Sold only mounted on an 8-GPU baseboard") ?? false)

        let table = try run(["catalog", "list", "psus"])
        XCTAssertTrue(table.out.hasPrefix("ID"), table.out)
    }

    func testHelpShowsAnExample() throws {
        for command in [[], ["solve"], ["bom"], ["compare"], ["sweep"], ["check"], ["validate"], ["catalog"], ["catalog", "list"], ["catalog", "show"]] {
            let r = try run(command + ["--help"])
            XCTAssertEqual(r.code, 0)
            XCTAssertTrue(r.out.contains("Examples:\n  planner "), "\(command): \(r.out)")
        }
    }
}
