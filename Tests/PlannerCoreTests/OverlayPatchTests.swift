import Foundation
import XCTest
@testable import PlannerCore

/// Overlays that patch: an entry with an existing id and only some fields changes those fields, keeps
/// the rest, and records what it replaced; `CatalogYAML` writes entries that read back unchanged.
final class OverlayPatchTests: XCTestCase {
    func testPriceOnlyOverlayChangesThePriceAndKeepsEverythingElse() throws {
        let dir = try temporaryDirectory(self)
        let overlay = dir.appendingPathComponent("prices.yaml")
        try "gpus:\n  - id: h100-sxm-80gb\n    price_usd: 19999\n    as_of: 2026-11\n".write(to: overlay, atomically: true, encoding: .utf8)
        let shipped = try loadShipped()
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [overlay], currentDirectory: dir.path)
        let before = try XCTUnwrap(shipped.gpu("h100-sxm-80gb")), after = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        XCTAssertEqual(after.listing.priceUSD, 19_999)
        XCTAssertEqual(after.listing.asOf, "2026-11")
        var expected = before
        expected.listing.priceUSD = 19_999
        expected.listing.asOf = "2026-11"
        XCTAssertEqual(after, expected, "every other field is the shipped one")
        XCTAssertEqual(catalog.replacements, [Catalog.Replacement(
            id: "h100-sxm-80gb", kind: .gpus, overlayFile: "prices.yaml",
            replacedFile: shippedCatalogURL.appendingPathComponent("gpus.yaml").path,
            changes: [.init(key: "price_usd", old: "27500", new: "19999"), .init(key: "as_of", old: "2023-08", new: "2026-11")])])
        XCTAssertEqual(catalog.replacements.first?.changeSummary, "price_usd 27500 → 19999, as_of 2023-08 → 2026-11")
        XCTAssertEqual(catalog.provenance["h100-sxm-80gb"]?.location.file, "prices.yaml")
        XCTAssertEqual(catalog.provenance["h100-sxm-80gb"]?.fields.map(\.key), shipped.provenance["h100-sxm-80gb"]?.fields.map(\.key))
    }

    func testPatchesStackAndAreStillValidated() throws {
        let dir = try temporaryDirectory(self)
        let a = dir.appendingPathComponent("a.yaml"), b = dir.appendingPathComponent("b.yaml"), bad = dir.appendingPathComponent("bad.yaml")
        try "gpus:\n  - id: l4-24gb\n    price_usd: 1\n".write(to: a, atomically: true, encoding: .utf8)
        try "gpus:\n  - id: l4-24gb\n    power_watts: 80\n".write(to: b, atomically: true, encoding: .utf8)
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [a, b], currentDirectory: dir.path)
        XCTAssertEqual(catalog.gpu("l4-24gb")?.listing.priceUSD, 1, "the second patch keeps the first one's price")
        XCTAssertEqual(catalog.gpu("l4-24gb")?.powerWatts, 80)
        let l4 = try XCTUnwrap(try loadShipped().gpu("l4-24gb"))
        XCTAssertEqual(catalog.replacements.map(\.changeSummary),
                       ["price_usd \(format(l4.listing.priceUSD)) → 1", "power_watts \(format(l4.powerWatts)) → 80"])
        // A patched value is checked like any other; the diagnostic names the overlay's line.
        XCTAssertNil(try loadShipped().gpu("h100-sxm-80gb")?.listing.priceNote, "the test needs an entry without a price note")
        try "gpus:\n  - id: h100-sxm-80gb\n    price_basis: estimate\n    price_usd: -3\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(root: shippedCatalogURL, overlays: [bad], currentDirectory: dir.path)) { error in
            let messages = (error as? LoadError)?.diagnostics.map(\.description) ?? []
            XCTAssertTrue(messages.contains("bad.yaml:4:16: gpus[0].price_usd: must be a positive number (got -3)"), "\(messages)")
            XCTAssertTrue(messages.contains { $0.hasPrefix("bad.yaml:3:5: gpus[0].price_note: missing required field") }, "\(messages)")
            XCTAssertEqual(messages.count, 2, "\(messages)")
        }
        // A new id must still be complete.
        try "gpus:\n  - id: brand-new-gpu\n    price_usd: 3\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(root: shippedCatalogURL, overlays: [bad], currentDirectory: dir.path)) { error in
            XCTAssertTrue(((error as? LoadError)?.diagnostics ?? []).contains { $0.message.hasPrefix("missing required field") })
        }
    }

    /// Every shipped entry written as YAML reads back as an overlay that changes nothing.
    func testEveryEntryRoundTripsThroughCatalogYAML() throws {
        let dir = try temporaryDirectory(self)
        let shipped = try loadShipped()
        let overlay = dir.appendingPathComponent("all")
        try FileManager.default.createDirectory(at: overlay, withIntermediateDirectories: true)
        for id in shipped.allIDs {
            let provenance = try XCTUnwrap(shipped.provenance[id])
            let text = CatalogYAML.entry(kind: provenance.kind, fields: provenance.fields)
            XCTAssertTrue(text.hasPrefix("\(provenance.kind.rawValue):\n- id: \(id)\n"), text)
            try text.write(to: overlay.appendingPathComponent("\(id).yaml"), atomically: true, encoding: .utf8)
        }
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [overlay], currentDirectory: dir.path)
        XCTAssertEqual(catalog.replacements.count, shipped.count)
        XCTAssertEqual(catalog.replacements.filter { !$0.changes.isEmpty }.map(\.id), [], "no field changed")
        for id in shipped.allIDs { XCTAssertEqual(catalog.provenance[id]?.fields, shipped.provenance[id]?.fields, id) }
    }

    func testStringsThatLookLikeOtherTypesAreQuoted() {
        let text = CatalogYAML.entry(kind: .gpus, fields: [
            CatalogField(key: "id", value: .string("x")), CatalogField(key: "part_number", value: .string("12")),
            CatalogField(key: "notes", value: .string("true")), CatalogField(key: "price_usd", value: .number(12.5)),
        ])
        XCTAssertEqual(text, "gpus:\n- id: x\n  part_number: '12'\n  notes: 'true'\n  price_usd: 12.5\n")
    }
}
