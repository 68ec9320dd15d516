import GLPKSolver
import LinearModel
import XCTest
@testable import PlannerCore

/// The solver is a parameter: every program goes through the `any Solver` a caller passes, so a fake
/// can record the programs or say how a solve ended.
final class SolverInjectionTests: XCTestCase {
    /// Solves with GLPK, records every model it is handed and, when `termination` is set, reports
    /// that instead of GLPK's (keeping GLPK's values when the replacement carries a solution).
    final class FakeSolver: Solver, @unchecked Sendable {
        let termination: TerminationReason?
        private let lock = NSLock()
        private var seen: [String] = []
        var modelNames: [String] { lock.withLock { seen } }

        init(termination: TerminationReason? = nil) { self.termination = termination }

        func solve(_ model: Model, options: SolveOptions) throws(ModelValidationError) -> SolveResult {
            lock.withLock { seen.append(model.name) }
            let real = try GLPKSolver().solve(model, options: options)
            guard let termination else { return real }
            return SolveResult(termination: termination, values: real.values, objectiveValue: try? real.objective, solveSeconds: real.solveSeconds)
        }
    }

    func chat8b() throws -> (Spec, Catalog) {
        let catalog = try loadShipped()
        return (try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: catalog), catalog)
    }

    /// Every program of a solve reaches the solver passed in, and the recorder keeps exactly the
    /// plan's programs: with chat-8b's split by GPU type, one per type solved, each over one type.
    func testEveryProgramGoesThroughThePassedSolver() throws {
        let (spec, catalog) = try chat8b()
        let fake = FakeSolver(), recorder = ProgramRecorder()
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 60), solver: fake, recorder: recorder).solve(spec, catalog: catalog)
        let reference = SpecSolver(options: SolveOptions(timeLimitSeconds: 60)).solve(spec, catalog: catalog)
        XCTAssertEqual(plan, reference, "the fake solves with GLPK: the same plan")
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertFalse(recorder.programs.isEmpty)
        XCTAssertGreaterThanOrEqual(fake.modelNames.count, recorder.programs.count)
        XCTAssertTrue(recorder.programs.allSatisfy { $0.gpuIDs.count == 1 }, "split by GPU type: \(recorder.programs.map(\.gpuIDs))")
        XCTAssertTrue(recorder.programs.contains { $0.gpuIDs == plan.deployments.map(\.gpuID) })
    }

    /// A solve the time limit stopped with a solution in hand gives a plan whose status carries the
    /// limit and the gap, with a warning; one stopped before any solution gives no plan.
    func testTimeLimitOutcomesFromAFakeSolver() throws {
        let (spec, catalog) = try chat8b()
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let stopped = Optimizer(options: SolveOptions(timeLimitSeconds: 60), solver: FakeSolver(termination: .feasible(limit: .time, relativeGap: 0.25)))
            .solve(input.problem, context: input.context)
        XCTAssertEqual(stopped.status, .feasible(limit: .time, gap: 0.25))
        XCTAssertEqual(stopped.status.code, "time_limit")
        XCTAssertEqual(stopped.relativeGap, 0.25)
        XCTAssertTrue(stopped.hasBuild)
        XCTAssertTrue(stopped.warnings.contains("the solver stopped at the time limit: this plan meets every target but may not be the cheapest (gap 25.0%)"), "\(stopped.warnings)")

        let none = Optimizer(options: SolveOptions(timeLimitSeconds: 60), solver: FakeSolver(termination: .noSolutionFound(limit: .time)))
            .solve(input.problem, context: input.context)
        XCTAssertEqual(none.status, .noPlanWithinLimit(.time))
        XCTAssertFalse(none.hasBuild)
        XCTAssertEqual(none.diagnosis, ["no plan was found within the time limit; raise --time-limit"])
    }

    /// `--export-lp`'s files: the plan's program at the path, every other program solved beside it.
    func testWriteProgramsNamesOneFilePerGPUType() throws {
        let (spec, catalog) = try chat8b()
        let recorder = ProgramRecorder()
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60), recorder: recorder)
        let plan = solver.solve(spec, catalog: catalog)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plan.lp").path
        let written = try solver.writePrograms(for: spec, catalog: catalog, plan: plan, recorder: recorder, to: path)
        XCTAssertEqual(written.count, recorder.programs.count)
        XCTAssertEqual(written.first, path)
        let others = recorder.programs.map { $0.gpuIDs[0] }.filter { $0 != plan.deployments[0].gpuID }
        XCTAssertEqual(Set(written.dropFirst()), Set(others.map { dir.appendingPathComponent("plan.\($0).lp").path }))
        for file in written { XCTAssertTrue(FileManager.default.fileExists(atPath: file), file) }
    }
}
