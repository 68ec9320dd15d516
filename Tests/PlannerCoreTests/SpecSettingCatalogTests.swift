import Foundation
import XCTest
@testable import PlannerCore

/// `Spec.setting(_:to:catalog:)`: the `gpu` and `model` sweep axes, checked against the catalog.
final class SpecSettingCatalogTests: XCTestCase {
    func spec(_ name: String, catalog: Catalog?) throws -> Spec {
        try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name)").path, catalog: catalog)
    }

    func testGPUAllowsOnlyThatGPUAndMovesAPin() throws {
        let catalog = try loadShipped()
        let chat = try spec("chat-8b.yaml", catalog: catalog).setting("gpu", to: " l40s-48gb ", catalog: catalog)
        XCTAssertEqual(chat.constraints.gpus, ChoiceFilter(allow: ["l40s-48gb"]))
        XCTAssertNil(chat.pin.gpu)
        let pinned = try spec("seed-8x-h100-check.yaml", catalog: nil)  // its PSU pin breaks a rule on purpose
        XCTAssertEqual(pinned.pin.gpu, "h100-sxm-80gb", "the example pins a GPU")
        XCTAssertEqual(try pinned.setting("gpu", to: "h200-sxm-141gb", catalog: catalog).pin.gpu, "h200-sxm-141gb")
    }

    func testModelAndErrors() throws {
        let catalog = try loadShipped()
        let chat = try spec("chat-8b.yaml", catalog: catalog)
        XCTAssertEqual(try chat.setting("model", to: "llama-3.1-70b", catalog: catalog).modelID, "llama-3.1-70b")
        XCTAssertThrowsError(try chat.setting("gpu", to: "h100-sxm", catalog: catalog)) { error in
            XCTAssertEqual(error as? SpecSettingError, .invalidValue(key: "gpu", value: "h100-sxm",
                expected: "a GPU id from planner catalog list gpus; did you mean 'h100-sxm-80gb'?"))
        }
        XCTAssertThrowsError(try chat.setting("model", to: "h100-sxm-80gb", catalog: catalog), "a GPU is not a model")
        // Other keys behave as setting(_:to:), with gpu and model among the suggestions.
        XCTAssertEqual(try chat.setting("slo.tpot_ms", to: "20", catalog: catalog).slo.tpotMs, 20)
        XCTAssertThrowsError(try chat.setting("gpus", to: "x", catalog: catalog)) { error in
            XCTAssertEqual((error as? SpecSettingError).flatMap { if case .unknownKey(_, let s) = $0 { s } else { nil } }, "gpu")
        }
        // Without a catalog the id keys are not settable (nothing could check the id).
        XCTAssertThrowsError(try chat.setting("gpu", to: "l40s-48gb"))
    }
}
