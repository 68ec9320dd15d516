import Foundation
import XCTest

/// `planner solve --format html`: self-contained, holds the BOM rows, and renders in headless Chromium.
final class HTMLReportTests: XCTestCase {
    func testReportIsSelfContainedAndHoldsTheBOM() throws {
        let html = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "html"])
        XCTAssertEqual(html.code, 0, html.err)
        let plan = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json"]).out)
        let ids = try XCTUnwrap(plan["bom"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        XCTAssertEqual(html.out.components(separatedBy: "<tr class=\"bom-row\">").count - 1, ids.count)
        for id in ids { XCTAssertTrue(html.out.contains("<code>\(id)</code>"), id) }
        for section in ["Bill of materials", "Cost by category", "Power and racks", "Assumptions and sources"] {
            XCTAssertTrue(html.out.contains("<h2>\(section)</h2>"), section)
        }
        // No network resources: no scripts, no external style sheets, images or fonts.
        for forbidden in ["<script", "<link", "src=", "@import", "url("] {
            XCTAssertFalse(html.out.contains(forbidden), forbidden)
        }
    }

    func testScreenshotInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("chromium is not installed (make report-screenshot installs it)")
        }
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html"), shot = dir.appendingPathComponent("report.png")
        XCTAssertEqual(try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "html", "--output", page.path]).code, 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: chromium)
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                       "--screenshot=\(shot.path)", "--window-size=1280,2000", page.absoluteString]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let data = try Data(contentsOf: shot)
        XCTAssertEqual(Array(data.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "a PNG")
        XCTAssertGreaterThan(data.count, 20_000, "a blank page compresses to a few KB")
    }
}
