import Foundation
import GLPKSolver
import LinearModel
import XCTest

final class ModelExportTests: XCTestCase {
    /// The assignment model written as CPLEX LP and solved by `glpsol --lp` gives the same objective.
    func testLPFileSolvedByGlpsolGivesSameObjective() throws {
        var model = Model(name: "export-check")
        let gpus = model.addVariable("gpus[h100-sxm-80gb]", kind: .integer, upperBound: 16)
        let servers = model.addVariable("servers[hgx-h100]", kind: .integer, upperBound: 4)
        model.addConstraint(gpus - 8 * servers <= 0, name: "gpu_slots[hgx-h100]")
        model.addConstraint(LinearExpression(gpus) >= 11, name: "demand")
        model.maximize(-(27_500 * gpus + 90_000 * servers))  // maximise, to check the sense survives
        let direct = try GLPKSolver().solve(model).objective
        XCTAssertEqual(direct, -(11 * 27_500 + 2 * 90_000), accuracy: 1e-6)  // 11 GPUs need 2 eight-slot servers

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planner-export-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let lpPath = directory.appendingPathComponent("model.lp").path
        try GLPKSolver().export(model, to: lpPath, format: .cplexLP)
        let text = try String(contentsOfFile: lpPath, encoding: .utf8)
        XCTAssertTrue(text.contains("gpus(h100_sxm_80gb)"), text)
        XCTAssertTrue(text.contains("gpu_slots(hgx_h100)"), text)
        XCTAssertTrue(text.lowercased().contains("maximize"), text)

        let output = directory.appendingPathComponent("solution.txt").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
        process.arguments = ["--lp", lpPath, "-o", output]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        let solution = try String(contentsOfFile: output, encoding: .utf8)
        let objectiveLine = try XCTUnwrap(solution.split(separator: "\n").first { $0.hasPrefix("Objective:") })
        let number = try XCTUnwrap(objectiveLine.split(separator: " ").compactMap { Double($0) }.first)
        XCTAssertEqual(number, direct, accuracy: 1e-6)

        let mpsPath = directory.appendingPathComponent("model.mps").path
        try GLPKSolver().export(model, to: mpsPath, format: .freeMPS)
        XCTAssertTrue(try String(contentsOfFile: mpsPath, encoding: .utf8).contains("gpus[h100-sxm-80gb]"))
    }

    func testExportToMissingDirectoryFailsCleanly() {
        var model = Model(name: "m")
        let x = model.addVariable("x")
        model.minimize(LinearExpression(x))
        XCTAssertThrowsError(try GLPKSolver().export(model, to: "/nonexistent-dir/model.lp", format: .cplexLP)) { error in
            XCTAssertEqual(error as? ModelExportError, .writeFailed(path: "/nonexistent-dir/model.lp"))
        }
    }

    func testLPSafeNames() {
        XCTAssertEqual(GLPKNames.lpSafe("gpus[h100-sxm-80gb]"), "gpus(h100_sxm_80gb)")
        XCTAssertEqual(GLPKNames.lpSafe("psu_capacity[hgx-h100]"), "psu_capacity(hgx_h100)")
        XCTAssertEqual(GLPKNames.lpSafe("2n"), "_2n")
        XCTAssertEqual(GLPKNames.lpSafe("a b+c"), "a_b_c")
    }
}
