@testable import PlannerCore
import XCTest

final class SweepGridTests: XCTestCase {
    func testParsesAxesAndListsThePointsLastAxisFastest() throws {
        let grid = try SweepGrid(varying: ["slo.tpot_ms=10, 20", " workload.concurrency =16,,64"])
        XCTAssertEqual(grid.axes, [.init(key: "slo.tpot_ms", values: ["10", "20"]), .init(key: "workload.concurrency", values: ["16", "64"])])
        XCTAssertEqual(grid.points, [["10", "16"], ["10", "64"], ["20", "16"], ["20", "64"]])
    }

    func testRefusesBadAxesWithTheCLIsMessages() {
        func error(_ texts: [String], max: Int = SweepGrid.maximumPoints) -> SweepGridError? {
            do { _ = try SweepGrid(varying: texts, maximumPoints: max); return nil } catch { return error }
        }
        XCTAssertEqual(error([]), .noAxes)
        XCTAssertEqual(error(["slo.tpot_ms"]), .malformedAxis("slo.tpot_ms"))
        XCTAssertEqual(error(["slo.tpot_ms=,"]), .noValues(key: "slo.tpot_ms"))
        XCTAssertEqual(error(["a=1", "a=2"]), .repeatedKey(keys: ["a", "a"]))
        XCTAssertEqual(error(["a=1,2,3", "b=1,2"], max: 5), .tooManyPoints(count: 6, maximum: 5))
        XCTAssertEqual(error(["a=1,2,3", "b=1,2"], max: 6), nil)
        XCTAssertEqual(SweepGridError.tooManyPoints(count: 6, maximum: 5).localizedDescription,
                       "the grid has 6 points, expected at most 5; vary fewer values")
    }

    func testAppliesEachPointToTheBaseSpec() throws {
        let base = Spec(name: "t", modelID: "m", workload: Workload(promptTokens: 10, outputTokens: 10, load: .concurrency(1)))
        let specs = try SweepGrid(varying: ["workload.concurrency=2,3"]).specs(from: base)
        XCTAssertEqual(specs.map(\.workload.load), [.concurrency(2), .concurrency(3)])
        XCTAssertThrowsError(try SweepGrid(varying: ["workload.concurrency=-1"]).specs(from: base)) { error in
            guard case .invalidSetting = error as? SweepGridError else { return XCTFail("\(error)") }
        }
    }
}
