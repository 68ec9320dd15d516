import Foundation

/// Runs the built `planner` executable (`.build/debug/planner`, next to the test bundles) the way
/// a user does, reading standard output and standard error at once so neither pipe can fill up
/// and block the child. Shared by the CLI tests and the fuzz tests.
public enum PlannerExecutable {
    /// The repository root.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The executable; throws (so the test fails, never skips) when it is not built.
    public static func required() throws -> URL {
        guard let url else { throw NotBuilt() }
        return url
    }

    /// The error of ``required()``: `swift test` builds the executable with the tests, so a missing
    /// one means a broken build, not a test to skip.
    public struct NotBuilt: Error, CustomStringConvertible {
        public var description: String { "the planner executable is not built next to the tests or in .build/debug: run `swift build` first" }
    }

    /// The executable, or nil when it is not built.
    public static var url: URL? {
        let candidates = [Bundle.main.bundleURL.appendingPathComponent("planner")]
            + Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent().appendingPathComponent("planner") }
            + [root.appendingPathComponent(".build/debug/planner")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    public struct Run {
        public var reason: Process.TerminationReason
        public var code: Int32
        public var out: Data
        public var err: Data
    }

    /// Runs `executable` with `arguments` in `cwd`; the environment is this process's, without
    /// `PLANNER_CATALOG_DIR`, with `environment` on top. `input`, when given, is its standard input.
    public static func run(_ executable: URL, _ arguments: [String], cwd: URL, environment: [String: String] = [:],
                           input: Data? = nil) throws -> Run {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.currentDirectoryURL = cwd
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "PLANNER_CATALOG_DIR")
        env.merge(environment) { _, new in new }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let stdin = input.map { _ in Pipe() }
        if let stdin { p.standardInput = stdin }
        try p.run()
        if let stdin, let input {
            // A thread, so a large input cannot block while the child's output pipes fill.
            let writer = stdin.fileHandleForWriting
            Thread {
                writer.write(input)
                try? writer.close()
            }.start()
        }
        let box = DataBox()
        let reader = Thread { box.data = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !reader.isFinished { usleep(500) }
        return Run(reason: p.terminationReason, code: p.terminationStatus, out: o, err: box.data)
    }

    private final class DataBox: @unchecked Sendable { var data = Data() }
}
