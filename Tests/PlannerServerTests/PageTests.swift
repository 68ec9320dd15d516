import Foundation
@testable import PlannerServer
import XCTest

final class PageTests: XCTestCase {
    func testTheBuiltInSpecIsTheExample() throws {
        XCTAssertEqual(Page.defaultSpec, try Fixture.text(Fixture.root.appendingPathComponent("examples/chat-8b.yaml")))
    }

    func testASpecCannotCloseThePagesScript() {
        let page = Page.html(initialSpec: "name: x</script><script>alert(1)</script>\n", settableKeys: ["slo.tpot_ms"])
        // The template has two scripts; the spec's text adds none.
        XCTAssertEqual(page.components(separatedBy: "</script>").count - 1, 2)
        XCTAssertEqual(page.components(separatedBy: "<script").count - 1, 2)
        XCTAssertTrue(page.contains("\\u003c\\/script>"))
    }

    func testFileNamesAreOnlyNames() {
        XCTAssertEqual(PlannerService.fileName(nil), "spec.yaml")
        XCTAssertEqual(PlannerService.fileName(""), "spec.yaml")
        XCTAssertEqual(PlannerService.fileName("../../etc/passwd"), "passwd")
        XCTAssertEqual(PlannerService.fileName("examples/chat-8b.yaml"), "chat-8b.yaml")
    }
}
