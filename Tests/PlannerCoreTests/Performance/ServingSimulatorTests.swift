import XCTest
@testable import PlannerCore

/// ``ServingSimulator``'s bookkeeping: what it measures. Its latencies against the fast model are
/// `SimulatorAgreementTests`; its output lengths, `OutputSpreadTests`.
final class ServingSimulatorTests: XCTestCase {
    /// Eight clients started together with fixed lengths finish in the same step, eight at a time, so
    /// the count of completions jumps past any target that is not a multiple of eight (50 warm-up +
    /// 100 measured = 150): exactly 100 are measured, not the 102 that completed past the warm-up by
    /// the end of the step that crossed 150.
    func testMeasuresExactlyTheRequestedNumber() {
        let d = Fixtures.deployment()
        let w = ServingWorkload(promptTokens: 128, outputTokens: 64, load: .concurrency(8))
        let r = ServingSimulator(d, w).run(
            .concurrency(8),
            options: .init(measuredRequests: 100, warmupRequests: 50, staggerClosedLoop: false, outputSpread: 0))
        XCTAssertEqual(r.measuredRequests, 100)
        XCTAssertTrue(r.stable)
    }
}

/// Nearest-rank percentiles, worked by hand on 1…100: P50 = 50, P90 = 90, P99 = 99, and a requested
/// P95 = 95 (the 95th of 100 sorted values); none requested, or out of range, leaves it nil.
final class SimulatorPercentilesTests: XCTestCase {
    func testRequestedPercentileByNearestRank() {
        let values = (1...100).reversed().map(Double.init)
        let p = ServingSimulator.Percentiles(values, requested: 0.95)
        XCTAssertEqual([p.p50, p.p90, p.p99], [50, 90, 99])
        XCTAssertEqual(p.requestedQuantile, 0.95)
        XCTAssertEqual(p.requested, 95)
        XCTAssertEqual(p.mean, 50.5)
        XCTAssertNil(ServingSimulator.Percentiles(values).requested)
        XCTAssertNil(ServingSimulator.Percentiles(values, requested: 1.5).requested)
    }
}
