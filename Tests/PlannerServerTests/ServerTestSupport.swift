import Foundation
import Hummingbird
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

    static func service(_ configuration: ServerConfiguration = ServerConfiguration(port: 0)) -> PlannerService {
        PlannerService(catalog: catalog, configuration: configuration)
    }

    /// The application as `planner serve` builds it, on a free loopback port.
    static func app(_ configuration: ServerConfiguration = ServerConfiguration(port: 0)) -> some ApplicationProtocol {
        var configuration = configuration
        configuration.port = 0
        return PlannerHTTPServer.application(service: service(configuration))
    }

    /// Runs the built `planner` from the repository root; stdout, stderr and the exit code.
    static func cli(_ arguments: [String]) throws -> (code: Int32, out: String, err: String) {
        guard let exe = PlannerExecutable.url else { throw XCTSkip("planner executable not built") }
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
