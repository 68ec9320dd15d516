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
        // Three 8-GPU servers without the owned one, two with it: one chassis and eight GPUs fewer.
        XCTAssertTrue(result.out.contains("24 × h100-sxm-80gb"), result.out)
        XCTAssertTrue(result.out.contains("16 × h100-sxm-80gb"), result.out)
        XCTAssertTrue(result.out.contains("h100-sxm-80gb            24 → 16  -$220,000"), result.out)  // 8 × $27,500
        XCTAssertTrue(result.out.contains("sys-821ge-tnhr-hgx-h100    3 → 2   -$36,774"), result.out)  // one bare chassis

        let json = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/owned-8x-h100.yaml", "--format", "json"]).out)
        let reuse = try XCTUnwrap(json["reuse"] as? [[String: Any]])
        XCTAssertEqual(reuse.first?["server"] as? String, "sys-821ge-tnhr-hgx-h100")
        XCTAssertEqual(reuse.first?["gpus_per_server"] as? Int, 8)
    }
}
