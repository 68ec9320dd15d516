import XCTest
import Yams
@testable import PlannerCore

final class ScalarTagResolverTests: XCTestCase {
    /// The reference: what Yams' default resolver (its regular expressions) says.
    private func yamsTag(_ string: String) -> Tag.Name { Resolver.default.resolveTag(of: Node(string)) }

    func testAgreesWithYamsDefaultResolverOnTheWholeCorpus() {
        let corpus = ScalarCorpus.all
        XCTAssertGreaterThan(corpus.count, 10_000)
        var disagreements: [String] = []
        for string in corpus where ScalarTagResolver.tagName(of: string) != yamsTag(string) {
            disagreements.append("'\(string.escaped)': \(ScalarTagResolver.tagName(of: string).rawValue), "
                                 + "Yams \(yamsTag(string).rawValue)")
        }
        XCTAssertEqual(disagreements, [])
    }

    func testTheCorpusReachesEveryTag() {
        let tags = Set(ScalarCorpus.all.map(yamsTag))
        XCTAssertEqual(tags, [.bool, .int, .float, .merge, .null, .timestamp, .value, .str])
    }

    func testExamples() {
        let expected: [(String, Tag.Name)] = [
            ("true", .bool), ("OFF", .bool), ("0b101", .int), ("0o17", .int), ("017", .int), ("0x1F", .int),
            ("1_000", .int), ("190:20:30", .int), ("08", .float), ("1.5e3", .float), (".5", .float), ("-.Inf", .float),
            (".NaN", .float), ("1:60", .str), ("<<", .merge), ("~", .null), ("", .null), ("2002-12-14", .timestamp),
            ("2001-12-14t21:59:43.10-05:00", .timestamp), ("=", .value), ("1.2.3", .str), ("TRUE1", .str),
            // `$` also matches before one final line terminator; no plain scalar ends with one.
            ("5\n", .int), ("\n", .null), ("\r\n", .null), ("5\n\n", .str), (" 5", .str), ("5 ", .str),
        ]
        for (string, tag) in expected {
            XCTAssertEqual(ScalarTagResolver.tagName(of: string), tag, "'\(string.escaped)'")
        }
    }
}
