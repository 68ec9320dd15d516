import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PlannerCore
@testable import PlannerServer
import XCTest

/// The API over HTTP, on a live server on a free loopback port, against what the CLI prints.
final class APITests: XCTestCase {
    func testSolveAnswersWhatTheCLIPrintsForEveryExample() async throws {
        let examples = Fixture.examples
        XCTAssertGreaterThanOrEqual(examples.count, 10)
        var expected: [String: String] = [:]
        for url in examples {
            let cli = try Fixture.cli(["solve", "examples/\(url.lastPathComponent)", "--format", "json"])
            XCTAssertTrue([0, 1].contains(cli.code), "\(url.lastPathComponent): exit \(cli.code) \(cli.err)")
            expected[url.lastPathComponent] = cli.out
        }
        try await Fixture.app().test(.live) { client in
            for url in examples {
                let name = url.lastPathComponent
                try await client.execute(uri: "/api/solve?file=\(name)", method: .post, body: ByteBuffer(string: try Fixture.text(url))) { response in
                    XCTAssertEqual(response.status, .ok, name)
                    let body = String(buffer: response.body)
                    XCTAssertEqual(body, expected[name], name)
                    // Infeasible specs answer 200 too; the status is in the JSON and in a header.
                    let status = try XCTUnwrap((try Fixture.json(body) as? [String: Any])?["status"] as? String)
                    XCTAssertEqual(response.headers[HTTPField.Name("X-Planner-Status")!], status, name)
                }
            }
        }
        XCTAssertTrue(expected.values.contains { $0.contains("\"status\" : \"infeasible\"") }, "an example is expected to be infeasible (over-budget.yaml)")
    }

    func testCSVAndHTMLDownloadsAreTheCLIsFiles() async throws {
        let csv = try Fixture.cli(["bom", "examples/chat-8b.yaml"]).out
        let html = try Fixture.cli(["solve", "examples/chat-8b.yaml", "--format", "html"]).out
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: "/api/solve?format=csv&file=chat-8b.yaml", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.headers[.contentType], "text/csv; charset=utf-8")
                XCTAssertEqual(String(buffer: response.body), csv)
            }
            try await client.execute(uri: "/api/solve?format=html&file=chat-8b.yaml", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(String(buffer: response.body), html)
            }
            try await client.execute(uri: "/api/solve?format=pdf", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue(String(buffer: response.body).contains("expected one of json, csv, html, markdown, table"))
            }
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
        // The value sits on the workload line, at the column of "-5".
        let lineIndex = try XCTUnwrap(bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("workload:") })
        let column = try XCTUnwrap(bad.split(separator: "\n", omittingEmptySubsequences: false)[lineIndex].range(of: "-5")).lowerBound.utf16Offset(in: String(bad.split(separator: "\n", omittingEmptySubsequences: false)[lineIndex])) + 1

        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: "/api/solve", method: .post, body: ByteBuffer(string: bad)) { response in
                XCTAssertEqual(response.status, .badRequest)
                let errors = try XCTUnwrap((try Fixture.json(String(buffer: response.body)) as? [String: Any])?["errors"] as? [[String: Any]])
                XCTAssertEqual(errors.count, 1)
                XCTAssertEqual(errors[0]["field"] as? String, "workload.concurrency")
                XCTAssertEqual(errors[0]["line"] as? Int, lineIndex + 1)
                XCTAssertEqual(errors[0]["column"] as? Int, column)
                XCTAssertEqual(errors.map { $0["text"] as? String }, cliLines)
            }
            // Not YAML at all: the parser's error, with its place.
            try await client.execute(uri: "/api/validate", method: .post, body: ByteBuffer(string: "name: x\nmodel: [unclosed\n")) { response in
                XCTAssertEqual(response.status, .badRequest)
                let body = String(buffer: response.body)
                let errors = try XCTUnwrap((try Fixture.json(body) as? [String: Any])?["errors"] as? [[String: Any]])
                XCTAssertFalse(errors.isEmpty)
                XCTAssertNotNil(errors[0]["line"] as? Int, body)
                XCTAssertFalse(body.contains("spec.yaml"), body)
            }
        }
    }

    func testValidateCatalogAndSweepAnswerWhatTheCLIPrints() async throws {
        let validate = try Fixture.cli(["validate", "examples/chat-8b.yaml"])
        let catalog = try Fixture.cli(["catalog", "list", "--format", "json"])
        let sweep = try Fixture.cli(["sweep", "examples/chat-8b.yaml", "--vary", "workload.concurrency=16,256", "--vary", "slo.tpot_ms=20,50", "--format", "json"])
        XCTAssertEqual(sweep.code, 0, sweep.err)
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: "/api/validate?file=chat-8b.yaml", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.status, .ok)
                let summary = (try Fixture.json(String(buffer: response.body)) as? [String: Any])?["summary"] as? String
                XCTAssertEqual(summary.map { $0 + "\n" }, validate.out)
            }
            try await client.execute(uri: "/api/catalog", method: .get) { response in
                XCTAssertEqual(String(buffer: response.body), catalog.out)
            }
            let vary = "vary=\("workload.concurrency=16,256".queryEscaped)&vary=\("slo.tpot_ms=20,50".queryEscaped)"
            try await client.execute(uri: "/api/sweep?file=chat-8b.yaml&\(vary)", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(String(buffer: response.body), sweep.out)
            }
            try await client.execute(uri: "/api/sweep?vary=slo.tpot=10", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.status, .badRequest)
                XCTAssertTrue(String(buffer: response.body).contains("did you mean 'slo.tpot_ms'"))
            }
        }
    }

    func testOversizedBodyIsRefusedBeforeParsing() async throws {
        let spec = try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml"))
        let limit = spec.utf8.count + 10
        let oversized = spec + "# " + String(repeating: "x", count: 100) + "\n"
        try await Fixture.app(ServerConfiguration(maximumBodyBytes: limit)).test(.live) { client in
            try await client.execute(uri: "/api/validate", method: .post, body: ByteBuffer(string: spec)) { response in
                XCTAssertEqual(response.status, .ok)
            }
            for path in ["/api/validate", "/api/solve", "/api/sweep?vary=slo.tpot_ms=10"] {
                try await client.execute(uri: path, method: .post, body: ByteBuffer(string: oversized)) { response in
                    XCTAssertEqual(response.status, .contentTooLarge, path)
                }
            }
        }
    }

    /// 50 requests at once, on 50 connections, for five different specs: each answers its own plan.
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
        try await Fixture.app().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let configuration = URLSessionConfiguration.ephemeral
            configuration.httpMaximumConnectionsPerHost = 50
            configuration.timeoutIntervalForRequest = 600
            let session = URLSession(configuration: configuration)
            let results = try await withThrowingTaskGroup(of: (Int, Int, String).self) { group in
                for i in 0..<50 {
                    let c = concurrencies[i % concurrencies.count]
                    group.addTask {
                        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/api/solve?file=chat-8b.yaml")!)
                        request.httpMethod = "POST"
                        request.httpBody = Data(spec.replacingOccurrences(of: "concurrency: 64", with: "concurrency: \(c)").utf8)
                        let (data, response) = try await session.data(for: request)
                        return (c, (response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
                    }
                }
                var all: [(Int, Int, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            XCTAssertEqual(results.count, 50)
            for (c, status, body) in results {
                XCTAssertEqual(status, 200)
                XCTAssertEqual(body, expectations[c], "concurrency \(c)")
            }
        }
    }

    func testThePageIsSelfContained() async throws {
        try await Fixture.app().test(.live) { client in
            try await client.execute(uri: "/", method: .get) { response in
                XCTAssertEqual(response.status, .ok)
                XCTAssertEqual(response.headers[.contentType], "text/html; charset=utf-8")
                let page = String(buffer: response.body)
                for external in ["src=\"http", "href=\"http", "src='http", "href='http", "@import", "url(", "<link"] {
                    XCTAssertFalse(page.contains(external), external)
                }
                XCTAssertTrue(page.contains("\"file\":\"chat-8b.yaml\""))
            }
            try await client.execute(uri: "/etc/passwd", method: .get) { response in
                XCTAssertEqual(response.status, .notFound)
            }
        }
    }
}
