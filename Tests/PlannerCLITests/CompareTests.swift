import Foundation
import XCTest

/// `planner compare`: the figures and the BOM diff equal the differences of the two JSON plans.
final class CompareTests: XCTestCase {
    let a = "examples/chat-8b.yaml", b = "examples/pinned-70b.yaml"

    func testDiffEqualsTheDifferenceOfTheJSONPlans() throws {
        let r = try PlannerCLI.run(["compare", a, b, "--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        let comparison = try PlannerCLI.json(r.out)
        let planA = try PlannerCLI.json(try PlannerCLI.run(["solve", a, "--format", "json"]).out)
        let planB = try PlannerCLI.json(try PlannerCLI.run(["solve", b, "--format", "json"]).out)
        let scenarios = try XCTUnwrap(comparison["scenarios"] as? [[String: Any]])
        XCTAssertEqual(scenarios.map { $0["name"] as? String }, ["chat-8b", "pinned-70b"])
        // Each scenario's plan is exactly the solve JSON.
        XCTAssertEqual(scenarios[0]["plan"] as? NSDictionary, planA as NSDictionary)
        XCTAssertEqual(scenarios[1]["plan"] as? NSDictionary, planB as NSDictionary)

        let diff = try XCTUnwrap((comparison["diffs"] as? [[String: Any]])?.first)
        func totals(_ plan: [String: Any], _ key: String) -> Double { (plan["totals"] as? [String: Any])?[key] as? Double ?? .nan }
        XCTAssertEqual(diff["delta_capex_usd"] as? Double ?? .nan, totals(planB, "capex_usd") - totals(planA, "capex_usd"), accuracy: 0.01)
        XCTAssertEqual(diff["delta_power_watts"] as? Double ?? .nan, totals(planB, "power_watts") - totals(planA, "power_watts"), accuracy: 0.1)

        func lines(_ plan: [String: Any]) -> [String: (q: Int, usd: Double, w: Double)] {
            var out: [String: (Int, Double, Double)] = [:]
            for line in plan["bom"] as? [[String: Any]] ?? [] {
                let q = line["quantity"] as? Int ?? 0
                out["\(line["category"]!)/\(line["id"]!)"] = (q, line["extended_price_usd"] as? Double ?? 0, Double(q) * (line["unit_power_watts"] as? Double ?? 0))
            }
            return out
        }
        let before = lines(planA), after = lines(planB)
        let diffLines = try XCTUnwrap(diff["lines"] as? [[String: Any]])
        var seen = Set<String>()
        for line in diffLines {
            let key = "\(line["category"]!)/\(line["id"]!)"
            seen.insert(key)
            XCTAssertEqual(line["quantity_before"] as? Int, before[key]?.q ?? 0, key)
            XCTAssertEqual(line["quantity_after"] as? Int, after[key]?.q ?? 0, key)
            XCTAssertEqual(line["delta_usd"] as? Double ?? .nan, (after[key]?.usd ?? 0) - (before[key]?.usd ?? 0), accuracy: 0.01, key)
            XCTAssertEqual(line["delta_watts"] as? Double ?? .nan, (after[key]?.w ?? 0) - (before[key]?.w ?? 0), accuracy: 0.1, key)
            let expected = before[key] == nil ? "added" : after[key] == nil ? "removed" : "changed"
            XCTAssertEqual(line["change"] as? String, expected, key)
        }
        // Every line whose quantity changed is in the diff; the deltas add up to the capex delta.
        for key in Set(before.keys).union(after.keys) where before[key]?.q != after[key]?.q { XCTAssertTrue(seen.contains(key), key) }
        let sum = diffLines.compactMap { $0["delta_usd"] as? Double }.reduce(0, +)
        XCTAssertEqual(sum, diff["delta_capex_usd"] as? Double ?? .nan, accuracy: 0.01)
    }

    func testTableCSVAndMarkdown() throws {
        let table = try PlannerCLI.run(["compare", a, b])
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.contains("BOM diff chat-8b → pinned-70b"), table.out)
        XCTAssertTrue(table.out.contains("TPOT / target"), table.out)
        // What sets each replica's load, as the plans' "What limits the plan" says (golden files chat-8b,
        // pinned-70b): 68 clients on an L4 pair, TPOT-bound; 9.144 requests/s on 8 H100, TPOT-bound.
        let perReplica = try XCTUnwrap(table.out.split(separator: "\n").first { $0.hasPrefix("per replica") }, table.out)
        XCTAssertTrue(perReplica.contains("68 (TPOT)") && perReplica.contains("9.144 (TPOT)"), String(perReplica))
        let csv = try PlannerCLI.run(["compare", a, b, "--format", "csv"])
        XCTAssertTrue(csv.out.hasPrefix("record,scenario,"), csv.out)
        let records = csv.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(records.filter { $0.hasPrefix("scenario,") }.count, 2)
        let header = records[0].split(separator: ",", omittingEmptySubsequences: false)
        let limit = try XCTUnwrap(header.firstIndex(of: "capacity_limit"))
        for record in records where !record.contains("\"") {
            let fields = record.split(separator: ",", omittingEmptySubsequences: false)
            XCTAssertEqual(fields.count, header.count, record)
            if record.hasPrefix("scenario,") { XCTAssertEqual(fields[limit], "tpot_target", record) }
        }
        let markdown = try PlannerCLI.run(["compare", a, b, "--format", "markdown"])
        XCTAssertTrue(markdown.out.contains("## BOM diff: chat-8b → pinned-70b"), markdown.out)
        XCTAssertEqual(try PlannerCLI.run(["compare", a]).code, 2)
    }
}
