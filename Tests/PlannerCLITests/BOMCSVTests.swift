import Foundation
import PlannerCore
import XCTest

/// `planner bom` / `--format csv`: RFC 4180, parsed back with Python's csv module, equals the JSON plan.
final class BOMCSVTests: XCTestCase {
    /// Parses CSV with Python's csv module (an independent RFC 4180 reader) into dictionaries.
    func parseWithPython(_ path: String) throws -> [[String: String]] {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import csv, json, sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8')))))", path]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [[String: String]])
    }

    func testCSVParsesBackToTheJSONPlan() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for example in ["examples/chat-8b.yaml", "examples/pinned-70b.yaml"] {
            let csvPath = dir.appendingPathComponent("bom.csv").path
            let bom = try PlannerCLI.run(["bom", example, "--output", csvPath])
            XCTAssertEqual(bom.code, 0, bom.err)
            XCTAssertEqual(bom.out, "")
            let rows = try parseWithPython(csvPath)
            let plan = try PlannerCLI.json(try PlannerCLI.run(["solve", example, "--format", "json"]).out)
            let lines = try XCTUnwrap(plan["bom"] as? [[String: Any]])
            XCTAssertEqual(rows.count, lines.count, "one row per line item, no total row")
            for (row, line) in zip(rows, lines) {
                XCTAssertEqual(row["id"], line["id"] as? String)
                XCTAssertEqual(row["category"], line["category"] as? String)
                XCTAssertEqual(Int(row["quantity"] ?? ""), line["quantity"] as? Int)
                XCTAssertEqual(Double(row["unit_price_usd"] ?? ""), line["unit_price_usd"] as? Double)
                XCTAssertEqual(Double(row["extended_price_usd"] ?? ""), line["extended_price_usd"] as? Double)
                XCTAssertEqual(Double(row["unit_power_watts"] ?? ""), line["unit_power_watts"] as? Double)
                XCTAssertEqual(row["source"], line["source"] as? String)
                XCTAssertEqual(row["price_as_of"], line["price_as_of"] as? String)
                XCTAssertFalse(row["price_as_of"]?.isEmpty ?? true)
                XCTAssertEqual(row["price_note"], line["price_note"] as? String ?? "")
            }
            let total = rows.compactMap { Double($0["extended_price_usd"] ?? "") }.reduce(0, +)
            XCTAssertEqual(total, (plan["totals"] as? [String: Any])?["capex_usd"] as? Double ?? -1, accuracy: 0.01)
            let header = try String(contentsOfFile: csvPath, encoding: .utf8).components(separatedBy: "\r\n")[0]
            XCTAssertEqual(header, CSVPlanRenderer.columns.joined(separator: ","))
            // Same bytes as solve --format csv.
            XCTAssertEqual(try PlannerCLI.run(["solve", example, "--format", "csv"]).out, try String(contentsOfFile: csvPath, encoding: .utf8))
        }
    }

    func testQuoting() {
        XCTAssertEqual(CSV.field("plain"), "plain")
        XCTAssertEqual(CSV.field("a,b"), "\"a,b\"")
        XCTAssertEqual(CSV.field("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSV.field("two\nlines"), "\"two\nlines\"")
        XCTAssertEqual(CSV.record(["a", "b,c", ""]), "a,\"b,c\",\r\n")
        XCTAssertEqual(CSV.number(27500), "27500")
        XCTAssertEqual(CSV.number(1234.5), "1234.5")
        XCTAssertEqual(CSV.number(0.125, decimals: 2), "0.13")
        XCTAssertEqual(CSV.number(nil), "")
    }

    /// An infeasible spec writes nothing: no partial file, exit 1, the diagnosis on stderr.
    func testInfeasibleLeavesNoFile() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let spec = try String(contentsOf: PlannerCLI.root.appendingPathComponent("examples/chat-8b.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "budget: {capex_usd: 250000}", with: "budget: {capex_usd: 100}")
        try spec.write(to: dir.appendingPathComponent("poor.yaml"), atomically: true, encoding: .utf8)
        let r = try PlannerCLI.run(["bom", "poor.yaml", "--output", "bom.csv", "--catalog-root", PlannerCLI.root.appendingPathComponent("catalogs").path], cwd: dir)
        XCTAssertEqual(r.code, 1, r.err)
        XCTAssertTrue(r.err.contains("infeasible"), r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["poor.yaml"])
    }
}
