import Foundation
import XCTest

/// Runs `planner solve` on every file in examples/ (and `planner check` on those with a pin
/// section) and compares stdout and the exit code with Tests/PlannerCLITests/Golden/<example>.{txt,exit}
/// (`.check.txt`, `.check.exit` for check). `make golden` (UPDATE_GOLDEN=1) rewrites them.
final class GoldenTests: XCTestCase {
    static let goldenDirectory = PlannerCLI.root.appendingPathComponent("Tests/PlannerCLITests/Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

    func testEveryExampleMatchesItsGoldenOutput() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: PlannerCLI.root.appendingPathComponent("examples").path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        XCTAssertFalse(examples.isEmpty)
        for file in examples {
            let name = (file as NSString).deletingPathExtension
            try compare(["solve", "examples/\(file)"], golden: name)
            let text = try String(contentsOf: PlannerCLI.root.appendingPathComponent("examples/\(file)"), encoding: .utf8)
            if text.split(separator: "\n").contains(where: { $0.hasPrefix("pin:") }) {
                try compare(["check", "examples/\(file)"], golden: name + ".check")
            }
        }
    }

    private func compare(_ arguments: [String], golden name: String) throws {
        let r = try PlannerCLI.run(arguments)
        let textURL = Self.goldenDirectory.appendingPathComponent(name + ".txt")
        let exitURL = Self.goldenDirectory.appendingPathComponent(name + ".exit")
        if Self.updating {
            try FileManager.default.createDirectory(at: Self.goldenDirectory, withIntermediateDirectories: true)
            try r.out.write(to: textURL, atomically: true, encoding: .utf8)
            try "\(r.code)\n".write(to: exitURL, atomically: true, encoding: .utf8)
            return
        }
        let command = "planner " + arguments.joined(separator: " ")
        guard let expected = try? String(contentsOf: textURL, encoding: .utf8), let code = try? String(contentsOf: exitURL, encoding: .utf8) else {
            XCTFail("missing golden file Tests/PlannerCLITests/Golden/\(name).txt or .exit for `\(command)`; run `make golden` and review the new files")
            return
        }
        XCTAssertEqual(r.code, Int32(code.trimmingCharacters(in: .whitespacesAndNewlines)), "\(command): exit code; stderr: \(r.err)")
        if r.out != expected {
            let got = r.out.split(separator: "\n", omittingEmptySubsequences: false), want = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
            XCTFail("\(command): stdout differs from Golden/\(name).txt at line \(line + 1):\n  got:  \(line < got.count ? String(got[line]) : "<end>")\n  want: \(line < want.count ? String(want[line]) : "<end>")\n(run `make golden` if the change is intended)")
        }
    }
}
