import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import PlannerCore
import PlannerTestSupport
@testable import PlannerServer
import XCTest

/// The shipped catalog, the examples and the built CLI, for comparing the API with the command line.
enum Fixture {
    static let root = PlannerExecutable.root

    static let catalog: Catalog = {
        do {
            return try CatalogLoader.load(catalogRoot: root.appendingPathComponent("catalogs").path, overlays: [], executablePath: nil)
        } catch {
            fatalError("the shipped catalog does not load: \(error)")
        }
    }()

    static var examples: [URL] {
        let dir = root.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { dir.appendingPathComponent($0) }
    }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    static func service(_ configuration: ServeSettings = ServeSettings(port: 0)) -> PlannerService {
        PlannerService(catalog: catalog, configuration: configuration)
    }

    /// Runs `body` with the base URL of a live server, as `planner serve` builds it, on a free
    /// loopback port; stops the server (gracefully) afterwards. Requests go through URLSession, a
    /// client that shares nothing with the server (and costs no extra build: HummingbirdTesting would
    /// bring AsyncHTTPClient and BoringSSL).
    static func withServer<T: Sendable>(
        _ configuration: ServeSettings = ServeSettings(), _ body: @Sendable (URL) async throws -> T
    ) async throws -> T {
        var configuration = configuration
        configuration.port = 0
        let (urls, continuation) = AsyncStream<String>.makeStream()
        // Stopping by cancellation makes Hummingbird log errors about the cancelled channels: silenced.
        var logger = Logger(label: "planner-serve-tests")
        logger.logLevel = .critical
        let app = PlannerHTTPServer.application(service: service(configuration), onRunning: { continuation.yield($0) }, logger: logger)
        let server = Task {
            defer { continuation.finish() }
            try await app.runService(gracefulShutdownSignals: [])
        }
        var iterator = urls.makeAsyncIterator()
        guard let text = await iterator.next(), let url = URL(string: text) else {
            _ = try await server.value
            throw XCTSkip("the server did not start")
        }
        do {
            let result = try await body(url)
            server.cancel()
            _ = try? await server.value
            return result
        } catch {
            server.cancel()
            _ = try? await server.value
            throw error
        }
    }

    struct HTTPAnswer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var errors: [[String: Any]] { ((json as? [String: Any])?["errors"] as? [[String: Any]]) ?? [] }
    }

    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 64
        configuration.timeoutIntervalForRequest = 600
        return URLSession(configuration: configuration)
    }()

    /// One request; `body` is sent as is.
    static func request(_ base: URL, _ path: String, method: String = "POST", body: String? = nil) async throws -> HTTPAnswer {
        var request = URLRequest(url: URL(string: path, relativeTo: base)!)
        request.httpMethod = method
        if let body { request.httpBody = Data(body.utf8) }
        let (data, response) = try await session.data(for: request)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return HTTPAnswer(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
    }

    /// Runs the built `planner` from the repository root; stdout, stderr and the exit code.
    static func cli(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        let exe = try PlannerExecutable.required()
        let run = try PlannerExecutable.run(exe, arguments, cwd: root)
        return (run.code, String(decoding: run.out, as: UTF8.self), String(decoding: run.err, as: UTF8.self))
    }

    static func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }
}

extension String {
    /// The query-string form of a value (RFC 3986 unreserved characters kept).
    var queryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? self
    }
}
