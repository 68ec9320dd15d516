import Foundation
import XCTest

/// `existing:` end to end: `compare` against the same spec without it shows what is not bought again.
final class OwnedHardwareCLITests: XCTestCase {
    func testCompareShowsTheOwnedServerNotBought() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let owned = try String(contentsOf: PlannerCLI.root.appendingPathComponent("examples/owned-8x-h100.yaml"), encoding: .utf8)
        let fresh = owned.components(separatedBy: "\nexisting:")[0].replacingOccurrences(of: "name: owned-8x-h100", with: "name: fresh") + "\n"
        let freshPath = dir.appendingPathComponent("fresh.yaml").path
        try fresh.write(toFile: freshPath, atomically: true, encoding: .utf8)

        let result = try PlannerCLI.run(["compare", freshPath, "examples/owned-8x-h100.yaml"])
        XCTAssertEqual(result.code, 0, result.err)
        // Four 8-GPU servers without the owned one, three with it: one chassis and eight GPUs fewer.
        XCTAssertTrue(result.out.contains("32 × h100-sxm-80gb"), result.out)
        XCTAssertTrue(result.out.contains("24 × h100-sxm-80gb"), result.out)
        XCTAssertTrue(result.out.contains("h100-sxm-80gb            32 → 24  -$220,000"), result.out)  // 8 × $27,500
        XCTAssertTrue(result.out.contains("sys-821ge-tnhr-hgx-h100    4 → 3   -$36,774"), result.out)  // one bare chassis

        let json = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/owned-8x-h100.yaml", "--format", "json"]).out)
        let reuse = try XCTUnwrap(json["reuse"] as? [[String: Any]])
        XCTAssertEqual(reuse.first?["server"] as? String, "sys-821ge-tnhr-hgx-h100")
        XCTAssertEqual(reuse.first?["gpus_per_server"] as? Int, 8)
    }
}

/// `--as-of DATE`: the reference date of the stale-price warning, on solve and the solver commands.
final class AsOfCLITests: XCTestCase {
    func testAsOfSetsTheReferenceDate() throws {
        let solved = try PlannerCLI.run(["solve", "examples/pinned-70b.yaml", "--as-of", "2024-09"])
        XCTAssertTrue(solved.out.contains("priced more than 12 months before 2024-09, the --as-of date (get current quotes): h100-sxm-80gb (2023-08)"), solved.out)
        let bom = try PlannerCLI.run(["bom", "examples/pinned-70b.yaml", "--as-of", "2023-01"])
        XCTAssertEqual(bom.code, 0, bom.err)
        let plain = try PlannerCLI.run(["solve", "examples/pinned-70b.yaml"])
        XCTAssertTrue(plain.out.contains("priced more than 12 months before 2026-11, the catalog's newest price date"), plain.out)
        let bad = try PlannerCLI.run(["solve", "examples/pinned-70b.yaml", "--as-of", "2024-13"])
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.contains("--as-of must be a date as YYYY-MM or YYYY-MM-DD (got '2024-13')"), bad.err)
    }
}
