import Foundation
import XCTest

/// Price-only overlays from the command line, and `catalog show --format yaml` as their start.
final class OverlayPatchCLITests: XCTestCase {
    /// Raising one BOM item's price by Δ leaves the build alone and raises capex by exactly qty × Δ.
    func testPriceOnlyOverlayChangesCapexByExactlyThePriceDifference() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json"]).out)
        let bom = try XCTUnwrap(base["bom"] as? [[String: Any]])
        // Whichever GPU the plan buys (two L4s since the twelfth session, two RTX 4090s before).
        let gpu = try XCTUnwrap(bom.first { $0["category"] as? String == "gpu" })
        let id = try XCTUnwrap(gpu["id"] as? String)
        let quantity = try XCTUnwrap(gpu["quantity"] as? Int), unit = try XCTUnwrap(gpu["unit_price_usd"] as? Double)
        let overlay = dir.appendingPathComponent("prices.yaml")
        try "gpus:\n  - id: \(id)\n    price_usd: \(Int(unit) + 7)\n".write(to: overlay, atomically: true, encoding: .utf8)
        let patched = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json", "--catalog", overlay.path])
        XCTAssertEqual(patched.code, 0, patched.err)
        let plan = try PlannerCLI.json(patched.out)
        let items = { (p: [String: Any]) in ((p["bom"] as? [[String: Any]]) ?? []).map { "\($0["id"] ?? "") × \($0["quantity"] ?? "")" } }
        XCTAssertEqual(items(plan), items(base), "the same build")
        let capex = { (p: [String: Any]) in ((p["totals"] as? [String: Any])?["capex_usd"] as? Double) ?? .nan }
        XCTAssertEqual(capex(plan) - capex(base), Double(quantity * 7))

        let validate = try PlannerCLI.run(["validate", "examples/chat-8b.yaml", "--catalog", overlay.path])
        XCTAssertTrue(validate.out.contains("1 changed by overlays (\(id) from \(overlay.path): price_usd \(Int(unit)) → \(Int(unit) + 7))"), validate.out)
    }

    func testShowYAMLPastesIntoAnOverlay() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let shown = try PlannerCLI.run(["catalog", "show", "h100-sxm-80gb", "--format", "yaml"])
        XCTAssertEqual(shown.code, 0, shown.err)
        XCTAssertTrue(shown.out.hasPrefix("gpus:\n- id: h100-sxm-80gb\n  name: NVIDIA H100 SXM5 80GB\n"), shown.out)
        let edited = shown.out.replacingOccurrences(of: "price_usd: 27500", with: "price_usd: 26000")
        XCTAssertNotEqual(edited, shown.out)
        let file = dir.appendingPathComponent("h100.yaml")
        try edited.write(to: file, atomically: true, encoding: .utf8)
        let show = try PlannerCLI.run(["catalog", "show", "h100-sxm-80gb", "--catalog", file.path])
        XCTAssertEqual(show.code, 0, show.err)
        XCTAssertTrue(show.out.hasPrefix("h100-sxm-80gb (gpus) from \(file.path):2:3, patching the entry in catalogs/gpus.yaml (price_usd 27500 → 26000)\n"), show.out)
    }
}
