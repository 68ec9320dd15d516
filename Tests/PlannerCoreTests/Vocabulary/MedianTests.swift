import XCTest
@testable import PlannerCore

final class MedianTests: XCTestCase {
    func testOddEvenAndEmpty() {
        XCTAssertEqual([3.0, 1, 2].median, 2)          // the middle of 1, 2, 3
        XCTAssertEqual([4.0, 1, 3, 2].median, 2.5)     // (2 + 3) / 2
        XCTAssertEqual([7.0].median, 7)
        XCTAssertNil([Double]().median)
    }
}
