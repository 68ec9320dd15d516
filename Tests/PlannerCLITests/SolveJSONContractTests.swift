import Foundation
import XCTest

/// `planner solve --format json`: the documented output contract (docs/output.md).
final class SolveJSONContractTests: XCTestCase {
    func testEveryContractKeyIsPresentAndTheBOMAddsUpToCapex() throws {
        let run = try PlannerCLI.run(["solve", "examples/llama-70b.yaml", "--format", "json"])
        XCTAssertEqual(run.code, 0, run.err)
        let plan = try PlannerCLI.json(run.out)
        for key in ["status", "spec", "objective", "totals", "deployment", "performance", "bom", "raid_level",
                    "binding_constraints", "warnings", "diagnosis"] {
            XCTAssertNotNil(plan[key], "missing \(key)")
        }
        XCTAssertEqual(plan["status"] as? String, "optimal")
        XCTAssertEqual(plan["spec"] as? String, "llama-70b")
        let objective = try XCTUnwrap(plan["objective"] as? [String: Any])
        XCTAssertEqual(objective["metric"] as? String, "tco_usd")
        let totals = try XCTUnwrap(plan["totals"] as? [String: Any])
        for key in ["capex_usd", "power_watts", "gpus", "servers", "racks", "tco_usd"] { XCTAssertNotNil(totals[key], "totals.\(key)") }
        XCTAssertEqual(objective["value"] as? Double, totals["tco_usd"] as? Double)
        let deployment = try XCTUnwrap(plan["deployment"] as? [String: Any], "one GPU type: an object")
        for key in ["gpu", "tensor_parallel", "replicas", "precision"] { XCTAssertNotNil(deployment[key], "deployment.\(key)") }
        XCTAssertEqual(deployment["precision"] as? String, "fp8")
        let performance = try XCTUnwrap(plan["performance"] as? [String: Any])
        for key in ["ttft_ms", "tpot_ms", "output_tokens_per_s", "max_concurrency", "percentile"] {
            XCTAssertNotNil(performance[key] as? Double, "performance.\(key) is a number")
        }
        let bom = try XCTUnwrap(plan["bom"] as? [[String: Any]])
        let categories: Set<String> = ["gpu", "server", "memory", "storage", "network", "power", "cooling", "rack"]
        var sum = 0.0
        for line in bom {
            for key in ["category", "id", "name", "quantity", "unit_price_usd", "extended_price_usd", "unit_power_watts"] {
                XCTAssertNotNil(line[key], "bom line \(line["id"] ?? "?") lacks \(key)")
            }
            XCTAssertTrue(categories.contains(line["category"] as? String ?? ""))
            let quantity = Double(line["quantity"] as? Int ?? 0), unit = line["unit_price_usd"] as? Double ?? 0
            XCTAssertEqual(line["extended_price_usd"] as? Double ?? 0, quantity * unit, accuracy: 0.005)
            sum += line["extended_price_usd"] as? Double ?? 0
        }
        XCTAssertEqual(sum, totals["capex_usd"] as? Double ?? 0, accuracy: 0.01)
        XCTAssertEqual(bom.filter { $0["category"] as? String == "gpu" }.reduce(0) { $0 + ($1["quantity"] as? Int ?? 0) }, totals["gpus"] as? Int)
    }

    func testInfeasibleSpecExitsOneWithADiagnosis() throws {
        let run = try PlannerCLI.run(["solve", "examples/over-budget.yaml", "--format", "json"])
        XCTAssertEqual(run.code, 1)
        let plan = try PlannerCLI.json(run.out)
        XCTAssertEqual(plan["status"] as? String, "infeasible")
        XCTAssertEqual((plan["bom"] as? [Any])?.count, 0)
        let diagnosis = try XCTUnwrap(plan["diagnosis"] as? [String])
        XCTAssertTrue(diagnosis.first?.hasSuffix("budget is $100,000") ?? false, "\(diagnosis)")
    }

    func testExportLPIsSolvedToTheSameCapexByGlpsol() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lp = dir.appendingPathComponent("plan.lp").path
        let run = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json", "--export-lp", lp])
        XCTAssertEqual(run.code, 0, run.err)
        let capex = try XCTUnwrap((try PlannerCLI.json(run.out)["totals"] as? [String: Any])?["capex_usd"] as? Double)
        let text = try String(contentsOfFile: lp, encoding: .utf8)
        XCTAssertTrue(text.contains("demand"), "constraint names from the model")
        let solution = dir.appendingPathComponent("solution.txt").path
        let glpsol = Process()
        glpsol.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
        glpsol.arguments = ["--lp", lp, "-o", solution]
        glpsol.standardOutput = FileHandle.nullDevice
        try glpsol.run()
        glpsol.waitUntilExit()
        let objective = try XCTUnwrap(try String(contentsOfFile: solution, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let value = try XCTUnwrap(objective.split(separator: " ").compactMap { Double($0) }.first)
        XCTAssertEqual(value, capex, accuracy: 0.01, "min_capex: the LP's objective is the plan's capex")
    }
}
