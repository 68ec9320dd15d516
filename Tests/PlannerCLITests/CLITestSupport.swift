import Foundation
import XCTest

/// Runs the built `planner` executable (`.build/debug/planner`, next to the test bundle).
enum PlannerCLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var executable: URL? {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("planner"),
            Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("planner") }.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            root.appendingPathComponent(".build/debug/planner"),
        ].compactMap { $0 }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Result {
        var code: Int32
        var out: String
        var err: String
    }

    static func run(_ arguments: [String], cwd: URL = root, environment: [String: String] = [:]) throws -> Result {
        guard let exe = executable else { throw XCTSkip("planner executable not built") }
        let p = Process()
        p.executableURL = exe
        p.arguments = arguments
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PLANNER_CATALOG_DIR")
        env.merge(environment) { _, new in new }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes concurrently so a full stderr pipe cannot block the child.
        let errData = ErrorBox()
        let reader = Thread { errData.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Result(code: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: errData.data, as: UTF8.self))
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

private final class ErrorBox: @unchecked Sendable {
    var data = Data()
}
