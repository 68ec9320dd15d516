import Foundation
import XCTest

/// The edges a new user hits: standard input, bad paths, output folders, error style, typos,
/// ranges, NO_COLOR and help examples. Each asserts the exit code and the exact message.
final class InputOutputEdgeTests: XCTestCase {
    func testStandardInputReadsTheSpecAndErrorsNameIt() throws {
        let text = try String(contentsOfFile: PlannerCLI.root.appendingPathComponent("examples/chat-8b.yaml").path, encoding: .utf8)
        let fromFile = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json"])
        let fromStdin = try PlannerCLI.run(["solve", "-", "--format", "json"], input: text)
        XCTAssertEqual(fromStdin.code, 0, fromStdin.err)
        XCTAssertEqual(fromStdin.out, fromFile.out)
        XCTAssertEqual(try PlannerCLI.run(["solve", "/dev/stdin", "--format", "json"], input: text).out, fromFile.out)

        let bad = try PlannerCLI.run(["validate", "-"], input: text.replacingOccurrences(of: "tpot_ms: 50", with: "tpot_ms: -5"))
        XCTAssertEqual(bad.code, 2)
        XCTAssertTrue(bad.err.hasPrefix("<stdin>:"), bad.err)
        XCTAssertTrue(bad.err.contains("slo.tpot_ms"), bad.err)
        let empty = try PlannerCLI.run(["solve", "-"], input: "")
        XCTAssertEqual(empty.code, 2)
        XCTAssertEqual(empty.err, "<stdin>:1:1: file is empty, expected a YAML mapping\n")

        let twice = try PlannerCLI.run(["compare", "-", "-"], input: text)
        XCTAssertEqual(twice.code, 2)
        XCTAssertTrue(twice.err.hasPrefix("error: standard input (-) can be given as one spec only\n"), twice.err)
    }

    func testDirectoryMissingAndUnreadableSpecs() throws {
        let directory = try PlannerCLI.run(["solve", "examples"])
        XCTAssertEqual(directory.code, 2)
        XCTAssertEqual(directory.err, "error: examples is a directory, expected a YAML file; name the file inside it\n")
        let missing = try PlannerCLI.run(["solve", "examples/nope.yaml"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertEqual(missing.err, "error: examples/nope.yaml: no such file or directory; check the path (relative paths are from the current directory)\n")
        // Exists, opens, but read(2) fails: works as root too.
        let unreadable = try PlannerCLI.run(["solve", "/proc/self/mem"])
        XCTAssertEqual(unreadable.code, 2)
        XCTAssertEqual(unreadable.err, "error: /proc/self/mem: cannot read the file (input/output error); check its permissions\n")
        if getuid() != 0 {
            let dir = try PlannerCLI.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: dir) }
            let file = dir.appendingPathComponent("secret.yaml")
            try "name: x\n".write(to: file, atomically: true, encoding: .utf8)
            chmod(file.path, 0)
            let denied = try PlannerCLI.run(["solve", file.path])
            XCTAssertEqual(denied.err, "error: \(file.path): cannot read the file (permission denied); check its permissions\n")
        }
    }

    /// One rule for every file option: missing folders are created; what cannot be written is named.
    func testOutputFolders() throws {
        let dir = try PlannerCLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nested = dir.appendingPathComponent("new/deeper/plan.json")
        let lp = dir.appendingPathComponent("lp/plan.lp"), svg = dir.appendingPathComponent("charts/f.svg")
        let solve = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "json", "--output", nested.path, "--export-lp", lp.path])
        XCTAssertEqual(solve.code, 0, solve.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: nested.path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: lp.path))
        let sweep = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=20,50", "--plot", svg.path,
                                        "--output", dir.appendingPathComponent("t/sweep.txt").path])
        XCTAssertEqual(sweep.code, 0, sweep.err)
        XCTAssertTrue(FileManager.default.fileExists(atPath: svg.path))

        let intoFolder = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--output", dir.path])
        XCTAssertEqual(intoFolder.code, 2)
        XCTAssertEqual(intoFolder.err, "error: \(dir.path) is a directory, expected a file name (for example \(dir.path)/out.txt)\n")
        let underFile = try PlannerCLI.run(["bom", "examples/chat-8b.yaml", "--output", nested.path + "/bom.csv"])
        XCTAssertEqual(underFile.code, 2)
        XCTAssertEqual(underFile.err, "error: cannot write \(nested.path)/bom.csv: \(nested.path) is a file, expected a folder\n")
        let cannotCreate = try PlannerCLI.run(["check", "examples/seed-8x-h100-check.yaml", "--output", "/proc/planner-test/check.txt"])
        XCTAssertEqual(cannotCreate.code, 2)
        XCTAssertEqual(cannotCreate.err, "error: cannot create the folder /proc/planner-test for /proc/planner-test/check.txt (no such file or directory); check the folder exists and is writable\n")
    }

    func testOneErrorStyleAndDidYouMean() throws {
        let typo = try PlannerCLI.run(["slove", "examples/chat-8b.yaml"])
        XCTAssertEqual(typo.code, 2)
        XCTAssertEqual(typo.err, "error: unknown command 'slove'; did you mean 'solve'? (see planner --help)\n")
        let nested = try PlannerCLI.run(["catalog", "shwo", "h100-sxm-80gb"])
        XCTAssertEqual(nested.err, "error: unknown command 'shwo'; did you mean 'show'? (see planner catalog --help)\n")
        let far = try PlannerCLI.run(["frobnicate"])
        XCTAssertTrue(far.err.hasPrefix("error: unknown command 'frobnicate'; expected one of solve, bom, compare, sweep, check, "), far.err)
        // ArgumentParser's own errors get the same prefix.
        let missing = try PlannerCLI.run(["solve"])
        XCTAssertEqual(missing.code, 2)
        XCTAssertTrue(missing.err.hasPrefix("error: Missing expected argument '<spec>'\n"), missing.err)
        let badFormat = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--format", "pdf"])
        XCTAssertTrue(badFormat.err.hasPrefix("error: "), badFormat.err)
        XCTAssertEqual(try PlannerCLI.run(["help", "solve"]).code, 0, "help is still a command")
    }

    func testRangeMessages() throws {
        for (value, shown) in [("0", "0"), ("-1", "-1"), ("86401", "86401"), ("0.5e6", "500000")] {
            let r = try PlannerCLI.run(["solve", "examples/chat-8b.yaml", "--time-limit=\(value)"])
            XCTAssertEqual(r.code, 2)
            XCTAssertTrue(r.err.hasPrefix("error: --time-limit must be more than 0 and at most 86400 seconds (got \(shown))\n"), r.err)
        }
        let sweep = try PlannerCLI.run(["sweep", "examples/chat-8b.yaml", "--vary", "slo.tpot_ms=20", "--time-limit", "0"])
        XCTAssertTrue(sweep.err.hasPrefix("error: --time-limit must be more than 0 and at most 86400 seconds (got 0)\n"), sweep.err)
    }

    /// no-color.org: colour is off only when NO_COLOR is present and not empty. Needs a terminal:
    /// script(1) gives the command one.
    func testNoColorFollowsNoColorOrg() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), let planner = PlannerCLI.plannerPath else {
            throw XCTSkip("script(1) is not installed")
        }
        func run(_ noColor: String?) throws -> String {
            let env = noColor.map { "NO_COLOR='\($0)' " } ?? "unset NO_COLOR; "
            let r = try PlannerCLI.run(["-qec", "\(env)'\(planner)' solve examples/chat-8b.yaml", "/dev/null"], executable: "/usr/bin/script")
            XCTAssertEqual(r.code, 0, r.err)
            return r.out
        }
        XCTAssertTrue(try run(nil).contains("\u{1B}["), "colour on a terminal")
        XCTAssertTrue(try run("").contains("\u{1B}["), "an empty NO_COLOR does not turn colour off")
        XCTAssertFalse(try run("1").contains("\u{1B}["), "NO_COLOR=1 turns it off")
    }

    /// At ArgumentParser's 80 columns, every example is whole: the lines of each, joined at their
    /// ` \` continuations, give back exactly the command written in the source.
    func testHelpExamplesNeverWrapInsideACommand() throws {
        let expected: [String: [String]] = [
            "": ["planner sweep examples/chat-8b.yaml --vary slo.tpot_ms=10,20,50 --plot frontier.svg"],
            "sweep": ["planner sweep examples/chat-8b.yaml --vary workload.concurrency=16,64,256 --vary slo.tpot_ms=20,50 --plot frontier.svg"],
            "solve": ["planner solve examples/chat-8b.yaml --format json --output plan.json --export-lp plan.lp"],
        ]
        for command in ["", "solve", "bom", "compare", "sweep", "check", "validate", "catalog", "catalog list", "catalog show"] {
            let help = try PlannerCLI.run(command.split(separator: " ").map(String.init) + ["--help"], environment: ["COLUMNS": "80"])
            XCTAssertEqual(help.code, 0)
            let lines = help.out.components(separatedBy: "\n")
            let start = try XCTUnwrap(lines.firstIndex(of: "Examples:"), "\(command): no examples")
            var commands: [String] = [], current = ""
            for line in lines[(start + 1)...] {
                guard line.hasPrefix("  ") else { break }
                XCTAssertLessThanOrEqual(line.count, 80, line)
                current += (current.isEmpty ? "" : " ") + line.trimmingCharacters(in: .whitespaces)
                if current.hasSuffix(" \\") { current.removeLast(2) } else { commands.append(current); current = "" }
            }
            XCTAssertTrue(current.isEmpty, "\(command): a continuation ends the block")
            XCTAssertFalse(commands.isEmpty, command)
            XCTAssertTrue(commands.allSatisfy { $0.hasPrefix("planner ") }, "\(command): \(commands)")
            for whole in expected[command] ?? [] { XCTAssertTrue(commands.contains(whole), "\(command): \(commands)") }
        }
    }
}
