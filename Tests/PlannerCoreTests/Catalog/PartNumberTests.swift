import Foundation
import LinearModel
import Yams
import XCTest
@testable import PlannerCore

/// Orderable bills of materials: every catalog entry states its manufacturer part number, or
/// `part_number: null` with `part_number_note` saying why; the loader rejects an entry that says neither.
final class PartNumberTests: XCTestCase {
    /// A GPU entry with the two part-number lines replaced by `lines`.
    func gpu(_ lines: String) -> String {
        "gpus:\n" + gpuYAML().replacingOccurrences(of: "    part_number: null\n    part_number_note: a test fixture, not a product\n", with: lines)
    }

    func testPartNumberAndNoteDecode() throws {
        let catalog = try CatalogLoader.load(yaml: gpu("    part_number: 900-2G133-0080-000\n    part_number_note: the vendor's price list\n"))
        let listing = try XCTUnwrap(catalog.gpu("test-gpu")).listing
        XCTAssertEqual(listing.partNumber, "900-2G133-0080-000")
        XCTAssertEqual(listing.partNumberNote, "the vendor's price list")
        // A part number needs no note; a null one keeps its reason.
        XCTAssertNil(try CatalogLoader.load(yaml: gpu("    part_number: ABC-1\n")).gpu("test-gpu")?.listing.partNumberNote)
        let null = try XCTUnwrap(CatalogLoader.load(yaml: "gpus:\n" + gpuYAML()).gpu("test-gpu")).listing
        XCTAssertNil(null.partNumber)
        XCTAssertEqual(null.partNumberNote, "a test fixture, not a product")
    }

    /// Neither a part number nor `null`: an error naming the file, the entry's line and the field.
    func testAMissingPartNumberIsAnError() {
        XCTAssertEqual(catalogDiagnostics(gpu("")), [
            "gpus.yaml:2:5: gpus[0].part_number: missing required field, expected the manufacturer part number, "
                + "or null with part_number_note saying why there is none",
        ])
    }

    /// `part_number: null` without the reason: an error at the `part_number` line (17 in the fixture).
    func testANullPartNumberNeedsAReason() {
        XCTAssertEqual(catalogDiagnostics(gpu("    part_number: null\n")), [
            "gpus.yaml:17:5: gpus[0].part_number_note: missing required field, expected why there is no part number "
                + "(part_number is null): a generic class, not sold alone, or not found",
        ])
        XCTAssertEqual(catalogDiagnostics(gpu("    part_number: [a, b]\n")),
                       ["gpus.yaml:17:18: gpus[0].part_number: must be a string (got a list)"])
    }

    /// Every example, solved (or, for the `check` example, its pinned build): every BOM line names a
    /// manufacturer part number or carries the catalog's reason for having none.
    func testEveryBOMLineOfEveryExampleIsOrderable() throws {
        let catalog = try loadShipped()
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
        let dir = repositoryRoot.appendingPathComponent("examples")
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertGreaterThanOrEqual(names.count, 11)
        var checked = 0, withNumber = 0
        func assertOrderable(_ listing: Listing, _ label: String) {
            checked += 1
            if let number = listing.partNumber {
                withNumber += 1
                XCTAssertFalse(number.trimmingCharacters(in: .whitespaces).isEmpty, label)
            } else {
                XCTAssertFalse((listing.partNumberNote ?? "").isEmpty, "\(label): \(listing.id) has neither a part number nor a reason")
            }
        }
        for name in names {
            let path = dir.appendingPathComponent(name).path
            guard name != "seed-8x-h100-check.yaml" else {
                // A `planner check` input (it does not load for a solve): its pinned parts.
                let pin = try XCTUnwrap((try Yams.load(yaml: String(contentsOfFile: path, encoding: .utf8)) as? [String: Any])?["pin"] as? [String: Any])
                let ids = pin.values.compactMap { $0 as? String }.filter { catalog.listing($0) != nil }
                XCTAssertEqual(ids.count, 6, "gpu, server, psu, dimm, ssd and nic are pinned")
                for id in ids.sorted() { assertOrderable(try XCTUnwrap(catalog.listing(id)), "\(name)/\(id)") }
                continue
            }
            let plan = solver.solve(try SpecLoader.load(path: path, catalog: catalog), catalog: catalog)
            for line in plan.bom { assertOrderable(line.listing, "\(name)/\(line.category.rawValue)") }
        }
        // The examples buy GPUs, servers, DIMMs, SSDs, NICs, PSUs, racks and more: dozens of lines,
        // some with a manufacturer part number (the H100 PCIe, L40S and SYS-821GE-TNHR among them).
        XCTAssertGreaterThan(checked, 40)
        XCTAssertGreaterThan(withNumber, 5)
    }
}
