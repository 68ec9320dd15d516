import Foundation
import PlannerCore
@testable import PlannerServer
import XCTest

/// The API over HTTP, on a live server on a free loopback port, against what the CLI prints.
final class APITests: XCTestCase {
    func testSolveAnswersWhatTheCLIPrintsForEveryExample() async throws {
        let examples = Fixture.examples
        XCTAssertGreaterThanOrEqual(examples.count, 10)
        var expected: [String: String] = [:]
        var invalid: [String: [String]] = [:]
        for url in examples {
            let name = url.lastPathComponent
            let cli = try Fixture.cli(["solve", "examples/\(name)", "--format", "json"])
            if cli.code == 2 {
                // A spec `solve` refuses (seed-8x-h100-check.yaml is for `planner check`): its diagnostics, less the file.
                invalid[name] = cli.err.split(separator: "\n").map { String($0.dropFirst("examples/\(name):".count)) }
                continue
            }
            XCTAssertTrue([0, 1].contains(cli.code), "\(name): exit \(cli.code) \(cli.err)")
            expected[name] = cli.out
        }
        XCTAssertGreaterThanOrEqual(expected.count, 9)
        let expectations = expected, refusals = invalid
        try await Fixture.withServer { base in
            for url in examples {
                let name = url.lastPathComponent
                let answer = try await Fixture.request(base, "/api/solve?file=\(name)", body: try Fixture.text(url))
                if let lines = refusals[name] {
                    XCTAssertEqual(answer.status, 400, name)
                    XCTAssertEqual(answer.errors.map { $0["text"] as? String }, lines, name)
                    continue
                }
                XCTAssertEqual(answer.status, 200, name)
                XCTAssertEqual(answer.body, expectations[name], name)
                // Infeasible specs answer 200 too; the status is in the JSON and in a header.
                let status = try XCTUnwrap((answer.json as? [String: Any])?["status"] as? String, name)
                XCTAssertEqual(answer.headers["x-planner-status"], status, name)
            }
        }
        XCTAssertTrue(expected.values.contains { $0.contains("\"status\" : \"infeasible\"") }, "an example is expected to be infeasible (over-budget.yaml)")
    }

    func testCSVAndHTMLDownloadsAreTheCLIsFiles() async throws {
        let csv = try Fixture.cli(["bom", "examples/chat-8b.yaml"]).out
        let html = try Fixture.cli(["solve", "examples/chat-8b.yaml", "--format", "html"]).out
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        try await Fixture.withServer { base in
            let csvAnswer = try await Fixture.request(base, "/api/solve?format=csv&file=chat-8b.yaml", body: spec)
            XCTAssertEqual(csvAnswer.headers["content-type"], "text/csv; charset=utf-8")
            XCTAssertEqual(csvAnswer.body, csv)
            let htmlAnswer = try await Fixture.request(base, "/api/solve?format=html&file=chat-8b.yaml", body: spec)
            XCTAssertEqual(htmlAnswer.body, html)
            let pdf = try await Fixture.request(base, "/api/solve?format=pdf", body: spec)
            XCTAssertEqual(pdf.status, 400)
            XCTAssertTrue(pdf.body.contains("expected one of json, csv, html, markdown, table"), pdf.body)
        }
    }

    func testBadSpecsAnswer400WithLineAndColumnButNoFile() async throws {
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        let bad = spec.replacingOccurrences(of: "concurrency: 64", with: "concurrency: -5")
        XCTAssertNotEqual(bad, spec)
        // What `planner validate` says about the same text in a file, less the file name.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try bad.write(to: file, atomically: true, encoding: .utf8)
        let cli = try Fixture.cli(["validate", file.path])
        XCTAssertEqual(cli.code, 2)
        let cliLines = cli.err.split(separator: "\n").map { String($0.dropFirst(file.path.count + 1)) }
        // The value sits on the workload line, at the column of "-5" (counted from 1).
        let lines = bad.components(separatedBy: "\n")
        let lineIndex = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("workload:") })
        let column = try XCTUnwrap(lines[lineIndex].range(of: "-5")).lowerBound.utf16Offset(in: lines[lineIndex]) + 1

        try await Fixture.withServer { base in
            let answer = try await Fixture.request(base, "/api/solve", body: bad)
            XCTAssertEqual(answer.status, 400)
            XCTAssertEqual(answer.errors.count, 1, answer.body)
            XCTAssertEqual(answer.errors.first?["field"] as? String, "workload.concurrency")
            XCTAssertEqual(answer.errors.first?["line"] as? Int, lineIndex + 1)
            XCTAssertEqual(answer.errors.first?["column"] as? Int, column)
            XCTAssertEqual(answer.errors.map { $0["text"] as? String }, cliLines)
            // Not YAML at all: the parser's error, with its place.
            let broken = try await Fixture.request(base, "/api/validate", body: "name: x\nmodel: [unclosed\n")
            XCTAssertEqual(broken.status, 400)
            XCTAssertFalse(broken.errors.isEmpty, broken.body)
            XCTAssertNotNil(broken.errors.first?["line"] as? Int, broken.body)
            XCTAssertFalse(broken.body.contains("spec.yaml"), broken.body)
        }
    }

    func testValidateCatalogAndSweepAnswerWhatTheCLIPrints() async throws {
        let validate = try Fixture.cli(["validate", "examples/chat-8b.yaml"])
        let catalog = try Fixture.cli(["catalog", "list", "--format", "json"])
        let sweep = try Fixture.cli(["sweep", "examples/chat-8b.yaml", "--vary", "workload.concurrency=16,256", "--vary", "slo.tpot_ms=20,50", "--format", "json"])
        XCTAssertEqual(sweep.code, 0, sweep.err)
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        try await Fixture.withServer { base in
            let valid = try await Fixture.request(base, "/api/validate?file=chat-8b.yaml", body: spec)
            XCTAssertEqual(valid.status, 200)
            XCTAssertEqual(((valid.json as? [String: Any])?["summary"] as? String).map { $0 + "\n" }, validate.out)
            let list = try await Fixture.request(base, "/api/catalog", method: "GET")
            XCTAssertEqual(list.body, catalog.out)
            let vary = "vary=\("workload.concurrency=16,256".queryEscaped)&vary=\("slo.tpot_ms=20,50".queryEscaped)"
            let grid = try await Fixture.request(base, "/api/sweep?file=chat-8b.yaml&\(vary)", body: spec)
            XCTAssertEqual(grid.status, 200)
            XCTAssertEqual(grid.body, sweep.out)
            let misspelt = try await Fixture.request(base, "/api/sweep?vary=slo.tpot%3D10", body: spec)
            XCTAssertEqual(misspelt.status, 400)
            XCTAssertEqual(misspelt.errors.first?["field"] as? String, "vary")
            XCTAssertTrue(misspelt.body.contains("did you mean 'slo.tpot_ms'"), misspelt.body)
        }
    }

    func testOversizedBodyIsRefusedBeforeParsing() async throws {
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        let limit = spec.utf8.count + 10
        let oversized = spec + "# " + String(repeating: "x", count: 100) + "\n"
        try await Fixture.withServer(ServeSettings(maximumBodyBytes: limit)) { base in
            let fits = try await Fixture.request(base, "/api/validate", body: spec)
            XCTAssertEqual(fits.status, 200)
            for path in ["/api/validate", "/api/solve", "/api/sweep?vary=slo.tpot_ms%3D10"] {
                let answer = try await Fixture.request(base, path, body: oversized)
                XCTAssertEqual(answer.status, 413, path)
            }
        }
    }

    /// 50 requests at once, on their own connections, for five different specs: each answers its own plan.
    func testFiftyConcurrentRequestsAllAnswerCorrectly() async throws {
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        let concurrencies = [16, 32, 64, 128, 256]
        var expected: [Int: String] = [:]
        for c in concurrencies {
            let variant = try SpecLoader.parse(yaml: spec, file: "chat-8b.yaml", catalog: Fixture.catalog).setting("workload.concurrency", to: String(c))
            expected[c] = JSONPlanRenderer().render(SpecSolver(options: .init(timeLimitSeconds: 10)).solve(variant, catalog: Fixture.catalog))
        }
        XCTAssertEqual(Set(expected.values).count, concurrencies.count, "the five specs are expected to have five different plans")
        let expectations = expected
        try await Fixture.withServer { base in
            let answers = try await withThrowingTaskGroup(of: (Int, Fixture.HTTPAnswer).self) { group in
                for i in 0..<50 {
                    let c = concurrencies[i % concurrencies.count]
                    group.addTask {
                        let body = spec.replacingOccurrences(of: "concurrency: 64", with: "concurrency: \(c)")
                        return (c, try await Fixture.request(base, "/api/solve?file=chat-8b.yaml", body: body))
                    }
                }
                var all: [(Int, Fixture.HTTPAnswer)] = []
                for try await answer in group { all.append(answer) }
                return all
            }
            XCTAssertEqual(answers.count, 50)
            for (c, answer) in answers {
                XCTAssertEqual(answer.status, 200)
                XCTAssertEqual(answer.body, expectations[c], "concurrency \(c)")
            }
        }
    }

    func testThePageIsSelfContained() async throws {
        try await Fixture.withServer { base in
            let page = try await Fixture.request(base, "/", method: "GET")
            XCTAssertEqual(page.status, 200)
            XCTAssertEqual(page.headers["content-type"], "text/html; charset=utf-8")
            for external in ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(", "<link"] {
                XCTAssertFalse(page.body.contains(external), external)
            }
            XCTAssertTrue(page.body.contains("\"file\":\"chat-8b.yaml\""))
            let outside = try await Fixture.request(base, "/etc/passwd", method: "GET")
            XCTAssertEqual(outside.status, 404)
        }
    }
}
