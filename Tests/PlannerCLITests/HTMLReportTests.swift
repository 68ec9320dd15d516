import Foundation
@testable import PlannerCore
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

    /// The rack drawing is to scale: 9 px per U, the rack's own height from the catalog, each server
    /// as tall as its chassis from the bottom up, switches at the top.
    func testRackIsDrawnToUScaleWithSwitches() throws {
        let chat = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "html"])
        XCTAssertEqual(chat.code, 0, chat.err)
        let plan = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json"]).out)
        let server = try XCTUnwrap((plan["servers"] as? [[String: Any]])?.first)
        let serverID = try XCTUnwrap(server["server"] as? String ?? server["server_id"] as? String, "\(server)")
        let rackID = try XCTUnwrap((plan["bom"] as? [[String: Any]])?.first { $0["category"] as? String == "rack" }?["id"] as? String)
        func units(_ id: String) throws -> Int {
            let entry = try PlannerCLI.json(try PlannerCLI.run(["catalog", "show", id, "--format", "json"]).out)
            return try XCTUnwrap((entry["fields"] as? [String: Any])?["rack_units"] as? Int, id)
        }
        let (rackU, serverU) = (try units(rackID), try units(serverID))
        XCTAssertTrue(chat.out.contains(" U of \(rackU) U</text>"), "rack 1's heading names its size")
        // The rack is rackU × 9 px from y = 28; the first server sits on the bottom, serverU × 9 px tall (−1 for the gap).
        XCTAssertTrue(chat.out.contains("<rect class=\"rack\" x=\"66.0\" y=\"28.0\" width=\"200.0\" height=\"\(rackU * 9).0\"/>"), "the rack is to scale")
        let y = 28 + rackU * 9 - serverU * 9
        XCTAssertTrue(chat.out.contains("<rect class=\"server\" x=\"72.0\" y=\"\(y).5\" width=\"188.0\" height=\"\(serverU * 9 - 1).0\" rx=\"1.5\"><title>\(serverID) (\(serverU) U)</title>"),
                      "a \(serverU) U server at the bottom")
        XCTAssertTrue(chat.out.contains(">40</text>") && chat.out.contains(">5</text>"), "the U scale is numbered")
        let cluster = try PlannerCLI.run(["solve", "examples/multi-rack-cluster.yaml", "--format", "html"])
        XCTAssertEqual(cluster.code, 0, cluster.err)
        XCTAssertTrue(cluster.out.contains("<rect class=\"switch\""), "switches are drawn")
    }

    func testBindingConstraintsAreInWords() throws {
        let html = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "html"]).out
        let plan = try PlannerCLI.json(try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json"]).out)
        let names = try XCTUnwrap(plan["binding_constraints"] as? [String])
        XCTAssertFalse(names.isEmpty)
        for name in names {
            // The test reads the JSON output back; the planner itself never parses a name.
            let meaning = try XCTUnwrap(ConstraintFamily(rawValue: String(name.prefix { $0 != "[" }))?.meaning, name)
            // HTML-escaped as the renderer writes it ("server's" → "server&#39;s").
            let sentence = (meaning.prefix(1).uppercased() + meaning.dropFirst() + ". ").replacingOccurrences(of: "'", with: "&#39;")
            XCTAssertTrue(html.contains("<li>\(sentence)<code class=\"constraint\">\(name)</code></li>"), name)
        }
        XCTAssertEqual(BindingConstraint(.storageFaults, ["s,g,tp2"]).name, "storage_faults[s,g,tp2]")
        XCTAssertEqual(ConstraintFamily.storageFaults.meaning, "the RAID level is set by the drive fault tolerance asked for")
    }

    func testSweepReportHoldsTheFrontierChart() throws {
        let r = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=20,50", "--format", "html"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(r.out.contains("<div class=\"chart-frame\"><svg xmlns=\"http://www.w3.org/2000/svg\""), "the chart is inline")
        XCTAssertTrue(r.out.contains("<h2>Pareto frontier: cost vs predicted TPOT (ms)</h2>"))
        XCTAssertFalse(r.out.contains("<?xml"), "no XML declaration inside the page")
        for forbidden in ["<script", "<link", "src=", "url("] { XCTAssertFalse(r.out.contains(forbidden), forbidden) }
    }

    func testCompareReportChartsEachScenario() throws {
        let r = try PlannerCLI.run(["compare", "examples/chat-8b.yaml", "examples/llama-70b.yaml", "--format", "html"])
        XCTAssertEqual(r.code, 0, r.err)
        XCTAssertTrue(r.out.contains("<div class=\"chart-frame\"><svg"), "the chart is inline")
        XCTAssertTrue(r.out.contains(">chat-8b</text>") && r.out.contains(">llama-70b</text>"), "one legend entry per scenario")
        XCTAssertEqual(r.out.components(separatedBy: "<circle cx=").count - 1, 2 + 2, "a dot per scenario, a legend dot per scenario")
        XCTAssertTrue(r.out.contains("<h2>BOM: llama-70b against chat-8b</h2>"))
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
