import Foundation
import PlannerCore
import XCTest

/// `planner sweep`: grid order, frontier points non-dominated, the SVG chart.
final class SweepTests: XCTestCase {
    func testFrontierIsNonDominatedAndPlotIsDrawn() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = dir.appendingPathComponent("frontier.svg").path
        let r = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=10,20,50", "--vary", "workload.concurrency=16,64",
                                    "--format", "json", "--plot", svg])
        XCTAssertEqual(r.code, 0, r.err)
        let sweep = try PlannerCLI.json(r.out)
        let points = try XCTUnwrap(sweep["points"] as? [[String: Any]])
        XCTAssertEqual(points.count, 6)
        XCTAssertEqual(points.map { ($0["settings"] as? [String: String])?["slo.tpot_ms"] }, ["10", "10", "20", "20", "50", "50"])
        XCTAssertEqual(points.map { ($0["settings"] as? [String: String])?["workload.concurrency"] }, ["16", "64", "16", "64", "16", "64"])
        // (cost, TPOT) of every point with a plan.
        var feasible: [Int: (cost: Double, tpot: Double)] = [:]
        for (i, point) in points.enumerated() {
            let plan = try XCTUnwrap(point["plan"] as? [String: Any])
            guard ["optimal", "feasible"].contains(plan["status"] as? String), let performance = plan["performance"] as? [String: Any] else { continue }
            feasible[i] = ((plan["objective"] as? [String: Any])?["value"] as? Double ?? .nan, performance["tpot_ms"] as? Double ?? .nan)
        }
        let frontier = try XCTUnwrap(sweep["frontier"] as? [Int])
        XCTAssertFalse(frontier.isEmpty)
        for i in frontier {
            let p = try XCTUnwrap(feasible[i])
            for (j, q) in feasible where j != i {
                XCTAssertFalse(q.cost <= p.cost && q.tpot <= p.tpot && (q.cost < p.cost || q.tpot < p.tpot), "point \(j) dominates frontier point \(i)")
            }
        }
        // Every non-frontier feasible point is dominated by some point.
        for (i, p) in feasible where !frontier.contains(i) {
            XCTAssertTrue(feasible.contains { j, q in j != i && q.cost <= p.cost + 0.01 && q.tpot <= p.tpot + 0.01 }, "point \(i) left off the frontier")
        }
        let chart = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(chart.contains("<svg"), chart)
        XCTAssertTrue(chart.contains("predicted TPOT (ms)") && chart.contains("capex (USD)"), "axes are labelled")
        XCTAssertTrue(chart.contains("× rtx-4090-24gb"), "points carry the chosen GPU")
    }

    func testTableAndBadInput() throws {
        let table = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "budget.capex_usd=10000,250000"])
        XCTAssertEqual(table.code, 0, table.err)
        XCTAssertTrue(table.out.hasPrefix("budget.capex_usd  STATUS"), table.out)
        XCTAssertTrue(table.out.contains("infeasible"), table.out)
        XCTAssertTrue(table.out.contains("Pareto frontier: cost vs predicted TPOT (ms)"), table.out)
        let bad = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot=10"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("did you mean 'slo.tpot_ms'"), bad.err)
        XCTAssertEqual(try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=-1"]).code, 2)
        XCTAssertEqual(try PlannerCLI.run(["sweep", "examples/chat-8b.yaml"]).code, 2)
    }

    /// The frontier against brute force on every small point set.
    func testParetoFrontierAgainstBruteForce() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let count = Int.random(in: 0...8, using: &generator)
            let points = (0..<count).map { _ in (x: Double(Int.random(in: 0...4, using: &generator)), y: Double(Int.random(in: 0...4, using: &generator))) }
            let expected = points.indices.filter { i in
                !points.indices.contains { j in
                    points[j].x <= points[i].x && points[j].y <= points[i].y && (points[j].x < points[i].x || points[j].y < points[i].y)
                }
            }
            XCTAssertEqual(Set(ParetoFrontier.indices(points)), Set(expected), "\(points)")
        }
    }
}
