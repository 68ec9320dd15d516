import Foundation
import PlannerTestSupport
import XCTest

/// The HTML report and the SVG charts laid out by headless Chromium at 1280 px, measured by a script
/// added to a copy of each page: no two chart labels overlap, no table or list cell breaks a word
/// (a break is allowed only at a space, or after a hyphen or slash; web addresses, `a.url`, may break
/// anywhere), and binding constraints are in
/// words. `make test` installs Debian's chromium when missing, so this runs rather than skips.
final class ChromiumChecksTests: XCTestCase {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Measures the page: label boxes of every `text.label` in an SVG, every word's line fragments.
    static let probe = """
        <pre id="planner-check"></pre><script>
        (function () {
          const out = { labels: 0, overlaps: [], words: 0, broken: [], binding: [] };
          const boxes = Array.from(document.querySelectorAll('svg text.label')).map(t => ({ t: t.textContent, r: t.getBoundingClientRect() }));
          out.labels = boxes.length;
          for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i].r, b = boxes[j].r;
            if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) out.overlaps.push(boxes[i].t + ' | ' + boxes[j].t);
          }
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (!node.parentElement.closest('td, th, li') || node.parentElement.closest('svg, a.url')) continue;
            const re = /[^\\s\\-\\/]+[\\-\\/]?/g;
            let m;
            while ((m = re.exec(node.data)) !== null) {
              const range = document.createRange();
              range.setStart(node, m.index);
              range.setEnd(node, m.index + m[0].length);
              const tops = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
              out.words++;
              if (tops.size > 1) out.broken.push(m[0]);
            }
          }
          out.binding = Array.from(document.querySelectorAll('ul.binding li')).map(li => li.textContent);
          document.getElementById('planner-check').textContent = JSON.stringify(out);
        })();
        </script>
        """

    struct Measure: Decodable {
        var labels: Int
        var overlaps: [String]
        var words: Int
        var broken: [String]
        var binding: [String]
    }

    /// Loads `html` (with the probe) in headless Chromium and returns what the probe measured.
    func measure(_ html: String, in dir: URL, name: String) throws -> Measure {
        guard let chromium = Self.chromium else {
            XCTFail("chromium is not installed: make test installs it (apt-get install chromium)")
            throw XCTSkip("no chromium")
        }
        let page = dir.appendingPathComponent(name)
        let probed = html.contains("</body>") ? html.replacingOccurrences(of: "</body>", with: Self.probe + "</body>")
            : "<!DOCTYPE html><html><body>" + html + Self.probe + "</body></html>"
        try probed.write(to: page, atomically: true, encoding: .utf8)
        let run = try PlannerExecutable.run(URL(fileURLWithPath: chromium), [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,2000",
            "--user-data-dir=\(dir.appendingPathComponent("profile-\(name)").path)", "--dump-dom", page.absoluteString,
        ], cwd: dir)
        let dom = String(decoding: run.out, as: UTF8.self)
        guard let start = dom.range(of: "<pre id=\"planner-check\">"), let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex) else {
            throw XCTSkip("chromium printed no DOM: \(String(decoding: run.err, as: UTF8.self).suffix(500))")
        }
        let json = dom[start.upperBound..<end.lowerBound].replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Measure.self, from: Data(json.utf8))
    }

    func testSweepChartLabelsNeverOverlap() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A dense chart: six GPUs × three TPOT targets, several plans close together.
        let svg = dir.appendingPathComponent("dense.svg")
        let sweep = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "gpu=rtx-4090-24gb,l40s-48gb,h100-sxm-80gb,a100-sxm-80gb,rtx-6000-ada-48gb,mi300x-192gb",
                                        "--vary", "slo.tpot_ms=10,20,50", "--plot", svg.path, "--format", "html"])
        XCTAssertEqual(sweep.code, 0, sweep.err)
        for (name, html) in [("plot.html", try String(contentsOf: svg, encoding: .utf8)), ("sweep.html", sweep.out)] {
            let m = try measure(name == "plot.html" ? String(html.drop { $0 != "\n" }) : html, in: dir, name: name)
            XCTAssertGreaterThan(m.labels, 8, "\(name): labels were drawn")
            XCTAssertEqual(m.overlaps, [], name)
            XCTAssertEqual(m.broken, [], name)
        }
        // Workload series: one colour and one frontier per concurrency.
        let series = dir.appendingPathComponent("series.svg")
        XCTAssertEqual(try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "workload.concurrency=16,64,256", "--vary", "slo.tpot_ms=20,50",
                                           "--plot", series.path]).code, 0)
        let m = try measure(String(try String(contentsOf: series, encoding: .utf8).drop { $0 != "\n" }), in: dir, name: "series.html")
        XCTAssertEqual(m.overlaps, [])
    }

    func testReportWrapsAtWordsAndExplainsBindingConstraints() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let compare = try PlannerCLI.run(["compare", "examples/chat-8b.yaml", "examples/llama-70b.yaml", "examples/rag-long-context.yaml", "--format", "html"])
        XCTAssertEqual(compare.code, 0, compare.err)
        let compared = try measure(compare.out, in: dir, name: "compare.html")
        XCTAssertEqual(compared.overlaps, [])
        XCTAssertEqual(compared.broken, [])
        for example in ["chat-8b", "multi-rack-cluster", "llama-70b"] {
            let report = try PlannerCLI.run(["solve", "examples/\(example).yaml", "--format", "html"])
            XCTAssertEqual(report.code, 0, report.err)
            let m = try measure(report.out, in: dir, name: "\(example).html")
            XCTAssertGreaterThan(m.words, 200, example)
            XCTAssertEqual(m.broken, [], "\(example): words broken across lines")
            XCTAssertFalse(m.binding.isEmpty, example)
            for line in m.binding {
                // Words first, then the constraint's id: "The RAID level is set by … storage_faults[…]".
                XCTAssertTrue(line.first?.isUppercase ?? false, "\(example): \(line)")
                XCTAssertTrue(line.contains(". "), "\(example): \(line) has no explanation")
            }
        }
    }
}
