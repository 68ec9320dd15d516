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
        // workload.concurrency is a workload axis: one series, with its own frontier, per value.
        let series = try XCTUnwrap(sweep["series"] as? [[String: Any]])
        XCTAssertEqual(series.map { $0["workload"] as? [String: String] }, [["workload.concurrency": "16"], ["workload.concurrency": "64"]])
        XCTAssertEqual(series.map { $0["points"] as? [Int] }, [[0, 2, 4], [1, 3, 5]])
        var union: [Int] = []
        for one in series {
            let members = Set(try XCTUnwrap(one["points"] as? [Int]))
            let frontier = try XCTUnwrap(one["frontier"] as? [Int])
            XCTAssertFalse(frontier.isEmpty)
            XCTAssertTrue(Set(frontier).isSubset(of: members))
            union += frontier
            for i in frontier {
                let p = try XCTUnwrap(feasible[i])
                for (j, q) in feasible where j != i && members.contains(j) {
                    XCTAssertFalse(q.cost <= p.cost && q.tpot <= p.tpot && (q.cost < p.cost || q.tpot < p.tpot), "point \(j) dominates frontier point \(i)")
                }
            }
            // Every non-frontier feasible point of the series is dominated by one of the series.
            for (i, p) in feasible where members.contains(i) && !frontier.contains(i) {
                XCTAssertTrue(feasible.contains { j, q in j != i && members.contains(j) && q.cost <= p.cost + 0.01 && q.tpot <= p.tpot + 0.01 },
                              "point \(i) left off the frontier")
            }
        }
        XCTAssertEqual(try XCTUnwrap(sweep["frontier"] as? [Int]), union)
        let chart = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(chart.contains("<svg"), chart)
        XCTAssertTrue(chart.contains("predicted TPOT (ms)") && chart.contains("capex (USD)"), "axes are labelled")
        let firstPlan = try XCTUnwrap(points[try XCTUnwrap(feasible.keys.min())]["plan"] as? [String: Any])
        let gpu = try XCTUnwrap((firstPlan["deployment"] as? [String: Any])?["gpu"] as? String)
        XCTAssertTrue(chart.contains("× \(gpu)"), "points carry the chosen GPU")
        XCTAssertTrue(chart.contains(">$0</text>"), "the cost axis starts at $0")
        for target in [10, 20, 50] { XCTAssertTrue(chart.contains(">target P99 TPOT ≤ \(target) ms</text>"), "target \(target) drawn") }
        XCTAssertEqual(chart.components(separatedBy: "<line class=\"target\"").count - 1, 3)
        XCTAssertTrue(chart.contains(">frontier: workload.concurrency=16</text>") && chart.contains(">frontier: workload.concurrency=64</text>"))
    }

    /// A sweep of SLOs alone serves one workload: one series, one frontier over every point.
    func testOneSeriesWithoutWorkloadAxes() throws {
        let r = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=20,50", "--vary", "slo.ttft_ms=300,500", "--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        let series = try XCTUnwrap(try PlannerCLI.json(r.out)["series"] as? [[String: Any]])
        XCTAssertEqual(series.count, 1)
        XCTAssertEqual(series.first?["points"] as? [Int], [0, 1, 2, 3])
        XCTAssertEqual(series.first?["workload"] as? [String: String], [:])
    }

    /// --vary gpu= allows one GPU per point; model= swaps the model; ids are checked.
    func testVaryGPUAndModel() throws {
        let gpus = ["rtx-4090-24gb", "l40s-48gb", "rtx-6000-ada-48gb", "a100-pcie-80gb", "h100-sxm-80gb"]
        let r = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "gpu=" + gpus.joined(separator: ","), "--format", "json"])
        XCTAssertEqual(r.code, 0, r.err)
        let points = try XCTUnwrap(try PlannerCLI.json(r.out)["points"] as? [[String: Any]])
        XCTAssertEqual(points.count, gpus.count)
        var planned = 0
        for (gpu, point) in zip(gpus, points) {
            // A point either buys only its GPU or has no plan (that GPU cannot meet the targets).
            guard let deployment = (point["plan"] as? [String: Any])?["deployment"] as? [String: Any] else { continue }
            XCTAssertEqual(deployment["gpu"] as? String, gpu)
            planned += 1
        }
        XCTAssertGreaterThanOrEqual(planned, 2, "at least two of the GPUs serve chat-8b")
        let models = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "model=llama-3.1-8b,llama-3.1-70b", "--format", "json"])
        XCTAssertEqual(models.code, 0, models.err)
        let modelSeries = try XCTUnwrap(try PlannerCLI.json(models.out)["series"] as? [[String: Any]])
        XCTAssertEqual(modelSeries.count, 2, "model is a workload axis")
        let capex = try XCTUnwrap(try PlannerCLI.json(models.out)["points"] as? [[String: Any]]).map {
            (($0["plan"] as? [String: Any])?["totals"] as? [String: Any])?["capex_usd"] as? Double ?? 0
        }
        XCTAssertLessThan(capex[0], capex[1], "the 70B model costs more to serve than the 8B")

        let typo = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "gpu=h100-sxm"])
        XCTAssertEqual(typo.code, 2)
        XCTAssertEqual(typo.err, "error: --vary gpu: invalid value 'h100-sxm', expected a GPU id from planner catalog list gpus; did you mean 'h100-sxm-80gb'?\n")
        let kind = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "model=h100-sxm-80gb"])
        XCTAssertEqual(kind.code, 2)
        XCTAssertTrue(kind.err.hasPrefix("error: --vary model: invalid value 'h100-sxm-80gb', expected a model id"), kind.err)
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
