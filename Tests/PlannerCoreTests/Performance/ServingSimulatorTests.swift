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
