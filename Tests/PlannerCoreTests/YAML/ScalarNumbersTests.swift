import XCTest
import Yams
@testable import PlannerCore

final class ScalarNumbersTests: XCTestCase {
    func testFastIntAndFloatAgreeWithYamsOnTheWholeCorpus() {
        var disagreements: [String] = []
        for string in ScalarCorpus.all {
            for style in [Node.Scalar.Style.plain, .doubleQuoted, .literal, .any] {
                let node = Node(string, .implicit, style)
                if node.fastInt != node.int {
                    disagreements.append("int '\(string.escaped)' \(style): \(String(describing: node.fastInt)), Yams \(String(describing: node.int))")
                }
                if node.fastFloat?.bitPattern != node.float?.bitPattern && !(node.fastFloat?.isNaN == true && node.float?.isNaN == true) {
                    disagreements.append("float '\(string.escaped)' \(style): \(String(describing: node.fastFloat)), Yams \(String(describing: node.float))")
                }
            }
        }
        XCTAssertEqual(disagreements, [])
    }

    func testExamples() {
        XCTAssertEqual(Node("017").fastInt, 15)        // a leading 0 is octal
        XCTAssertEqual(Node("-0").fastInt, nil)        // as in Yams: "-" is not an octal number…
        XCTAssertEqual(Node("-0").fastFloat?.sign, .minus) // …but -0.0 is a float
        XCTAssertEqual(Node("1e3").fastInt, nil)
        XCTAssertEqual(Node("1e3").fastFloat, 1_000)
        XCTAssertEqual(Node("1_000").fastInt, 1_000)   // handed to Yams
        XCTAssertEqual(Node("5", .implicit, .doubleQuoted).fastInt, nil)
        XCTAssertEqual(Node([Node("5")]).fastInt, nil)
    }
}
