import Foundation
import XCTest

/// `planner check` on the seed's 8× H100 build with two 2,000 W PSUs.
final class CheckTests: XCTestCase {
    func testSeedBuildBreaksPowerRulesAndGetsAFix() throws {
        let r = try PlannerCLI.run(["check", "examples/seed-8x-h100-check.yaml", "--format", "json"])
        XCTAssertEqual(r.code, 1, r.err)
        let check = try PlannerCLI.json(r.out)
        XCTAssertEqual(check["valid"] as? Bool, false)
        let violations = try XCTUnwrap(check["violations"] as? [[String: Any]])
        let rules = violations.compactMap { $0["rule"] as? String }
        XCTAssertTrue(rules.contains("compatibility"), "\(rules)")
        XCTAssertTrue(rules.contains("psu_capacity"), "\(rules)")
        let power = try XCTUnwrap(violations.first { $0["rule"] as? String == "psu_capacity" }?["message"] as? String)
        XCTAssertTrue(power.contains("2,000 W") && power.contains("n+1"), power)
        let fix = try XCTUnwrap(check["fix"] as? [String: Any])
        XCTAssertEqual(fix["released"] as? [String], ["psu", "psus_per_server"])
        let changes = try XCTUnwrap(fix["changes"] as? [[String: Any]])
        XCTAssertEqual(changes.first { $0["key"] as? String == "psu" }?["to"] as? String, "psu-3000w-titanium")
        let plan = try XCTUnwrap(fix["plan"] as? [String: Any])
        let server = try XCTUnwrap((plan["servers"] as? [[String: Any]])?.first)
        XCTAssertGreaterThanOrEqual(server["usable_psu_watts"] as? Double ?? 0, server["peak_power_watts"] as? Double ?? .infinity)
    }

    func testValidBuildExitsZeroAndUnpinnedSpecIsRefused() throws {
        let ok = try PlannerCLI.run(["check", "examples/pinned-70b.yaml"])
        XCTAssertEqual(ok.code, 0, ok.err)
        XCTAssertTrue(ok.out.contains("meets every rule"), ok.out)
        // The pinned eight H100 at TP 8 carry 9.144 requests/s a replica, TPOT-bound (the same figures as
        // `solve`'s golden file for this spec), against a demand of 4.0 + 20 % growth.
        XCTAssertTrue(ok.out.contains("\neach h100-sxm-80gb replica (TP 8) carries 9.144 requests/s: the P95 TPOT target binds"), ok.out)
        XCTAssertTrue(ok.out.contains("for a demand of 4.8 (4.0 + 20% growth;"), ok.out)
        let unpinned = try PlannerCLI.run(["check", "examples/chat-8b.yaml"])
        XCTAssertEqual(unpinned.code, 2)
        XCTAssertTrue(unpinned.err.contains("has no pin or existing section: nothing to check"), unpinned.err)
    }
}
