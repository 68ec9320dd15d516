import Foundation
import XCTest
@testable import PlannerCore

/// The text renderers on a plan built by hand (``PlanCheckerTests/validPlan()``: $60,850, 3 GPUs,
/// 1,860 W), each line checked against what it must say.
final class PlanRendererTests: XCTestCase {
    func handPlan() -> Plan {
        var plan = PlanCheckerTests.validPlan(OptimizerRegressionTests.problem())
        plan.bindingConstraints = [BindingConstraint(.demand), BindingConstraint(.hostMemory, ["s,g,tp1"])]
        return plan
    }

    func testTableSaysStatusCostAndWhatLimits() {
        let text = TablePlanRenderer(colour: false).render(handPlan())
        XCTAssertTrue(text.contains("optimal (the cheapest build that meets every target)"), text)
        XCTAssertTrue(text.contains("$60,850"), text)
        XCTAssertTrue(text.contains("  - demand: capacity is just enough for the demand: one replica less would miss it\n"), text)
        XCTAssertTrue(text.contains("  - host_memory[s,g,tp1]: host memory is at the seed's rule"), text)
        XCTAssertTrue(text.contains("3 × g — 3 replicas at tensor parallel 1, bf16 weights, bf16 KV cache"), text)
    }

    func testMarkdownListsBindingConstraintsByName() {
        let text = MarkdownPlanRenderer().render(handPlan())
        XCTAssertTrue(text.contains("- `host_memory[s,g,tp1]`: host memory is at the seed's rule"), text)
    }

    func testJSONWritesCodesAndNames() throws {
        var plan = handPlan()
        plan.status = .feasible(limit: .time, gap: 0.0123456789)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(JSONPlanRenderer().render(plan).utf8)) as? [String: Any])
        XCTAssertEqual(json["status"] as? String, "time_limit")
        XCTAssertEqual(json["relative_gap"] as? Double, 0.012346)
        XCTAssertEqual(json["binding_constraints"] as? [String], ["demand", "host_memory[s,g,tp1]"])
        XCTAssertEqual((json["objective"] as? [String: Any])?["metric"] as? String, "capex_usd")
        XCTAssertEqual((json["totals"] as? [String: Any])?["capex_usd"] as? Double, 60_850)
    }

    func testMoneyAndNumberFormats() {
        XCTAssertEqual(Format.usd(60_850), "$60,850")
        XCTAssertEqual(Format.usd(-1_234.4), "-$1,234")
        XCTAssertEqual(Format.usd(412_299.994, cents: true), "$412,299.99")
        XCTAssertEqual(Format.integer(1_234_567), "1,234,567")
        XCTAssertEqual(Format.fixed(12.345, 2), "12.35")
        XCTAssertEqual(Format.watts(1_860), "1.9 kW")
        XCTAssertEqual(Format.percentileLabel(99.9), "P99.9")
    }
}
