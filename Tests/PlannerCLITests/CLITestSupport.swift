import Foundation
import PlannerTestSupport
import XCTest

/// Runs the built `planner` executable (`.build/debug/planner`, next to the test bundle).
enum PlannerCLI {
    static let root = PlannerExecutable.root

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    /// The built executable's path, when built.
    static var plannerPath: String? { PlannerExecutable.url?.path }

    /// Runs the planner (or `executable`, for a wrapper such as script(1)) with `arguments`.
    static func run(_ arguments: [String], cwd: URL = root, environment: [String: String] = [:], input: String? = nil,
                    executable: String? = nil) throws -> Result {
        let exe = try executable.map({ URL(fileURLWithPath: $0) }) ?? PlannerExecutable.required()
        let run = try PlannerExecutable.run(exe, arguments, cwd: cwd, environment: environment, input: input.map { Data($0.utf8) })
        return Result(code: run.code, out: String(decoding: run.out, as: UTF8.self), err: String(decoding: run.err, as: UTF8.self))
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }
}

