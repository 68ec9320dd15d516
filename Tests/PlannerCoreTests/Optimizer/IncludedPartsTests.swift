import LinearModel
import XCTest
@testable import PlannerCore

/// A chassis whose price includes parts (`includes:`): they are not bought again, and the BOM lists
/// them at $0 as included.
final class IncludedPartsTests: XCTestCase {
    /// A test tower like workstation-4gpu-rdimm ($10,000 bare) sold at $11,000 with 2 × psu-2000w-titanium
    /// and 8 × ddr5-rdimm-16gb. chat-8b on the bare workstation costs $18,068 with 2 × ddr5-rdimm-32gb
    /// ($400) and 2 × psu-1600w-platinum ($800) bought; on the test tower: $18,068 − $10,000 + $11,000
    /// − $400 − $800 = $17,868, with the DIMMs and the tower's own PSUs on the BOM at $0.
    func testIncludedPartsAreNotBoughtAgain() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-includes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let server = try String(contentsOf: repositoryRoot.appendingPathComponent("catalogs/servers.yaml"), encoding: .utf8)
        XCTAssertTrue(server.contains("  - id: workstation-4gpu-rdimm\n"))
        try Self.overlay.write(to: dir.appendingPathComponent("servers.yaml"), atomically: true, encoding: .utf8)
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [dir], currentDirectory: repositoryRoot.path)
        XCTAssertEqual(catalog.server("test-tower-with-parts")?.includes, [
            IncludedPart(kind: .psus, id: "psu-2000w-titanium", count: 2), IncludedPart(kind: .dimms, id: "ddr5-rdimm-16gb", count: 8),
        ])
        XCTAssertEqual(catalog.server("workstation-4gpu-rdimm")?.includes, [], "shipped chassis prices are bare")

        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path, catalog: catalog)
        spec.constraints.gpus = ChoiceFilter(allow: ["rtx-4090-24gb"])  // chat-8b's RTX 4090 build: its default plan buys two L4s since the twelfth session
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))
        let bare = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(bare.totals.capexUSD, 18_068, accuracy: 1e-6)
        spec.constraints.choices[.servers] = ChoiceFilter(allow: ["test-tower-with-parts"])
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(plan.totals.capexUSD, 18_068 - 10_000 + 11_000 - 400 - 800, accuracy: 1e-6)
        XCTAssertEqual(plan.bom.map { "\($0.listing.id)*\($0.quantity)@\(Int($0.unitPriceUSD)) \($0.listing.priceBasis.rawValue)" }, [
            "rtx-4090-24gb*2@2000 street", "test-tower-with-parts*1@11000 estimate", "ddr5-rdimm-16gb*8@0 included",
            "wd-sn850x-2tb*2@134 street", "pdu-17.3kw-metered*1@500 estimate", "psu-2000w-titanium*2@0 included",
            "cooling-air*2@300 estimate", "rack-42u-15kw*1@1500 estimate",
        ])
        XCTAssertEqual(plan.bom.first { $0.listing.priceBasis == .included }?.listing.priceNote, "included in the price of test-tower-with-parts")
        XCTAssertEqual(plan.bom.reduce(0) { $0 + $1.extendedPriceUSD }, plan.totals.capexUSD, accuracy: 1e-6)
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [])
    }

    /// `includes:` entries are checked: one part each, within the bays, a PSU the chassis takes, one entry per kind.
    func testIncludesAreChecked() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("planner-includes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = Self.overlay.replacingOccurrences(
            of: "includes: [{psu: psu-2000w-titanium, count: 2}, {dimm: ddr5-rdimm-16gb, count: 8}]",
            with: "includes: [{psu: psu-3300w-titanium, count: 2}, {dimm: ddr5-rdimm-16gb, count: 9}, {ssd: wd-sn850x-2tb, nic: nic-eth-25g-2p, count: 1}, {psu: psu-2000w-titanium, count: 1}]")
        try bad.write(to: dir.appendingPathComponent("servers.yaml"), atomically: true, encoding: .utf8)
        do {
            _ = try CatalogLoader.load(root: shippedCatalogURL, overlays: [dir], currentDirectory: repositoryRoot.path)
            XCTFail("loaded")
        } catch {
            let file = dir.appendingPathComponent("servers.yaml").path
            XCTAssertEqual(error.diagnostics.map(\.description).map { $0.replacingOccurrences(of: file, with: "servers.yaml") }, [
                "servers.yaml:23:22: servers[0].includes[0].psu: 'psu-3300w-titanium' is not in compatible_psus, expected one of psu-1600w-platinum, psu-2000w-titanium",
                "servers.yaml:23:84: servers[0].includes[1].count: out of range (got 9), expected at most 8",
                "servers.yaml:23:88: servers[0].includes[2]: names 2 parts, expected exactly one of dimm, ssd, nic, psu with its count",
                "servers.yaml:23:147: servers[0].includes[3].psu: a second psu entry, expected at most one entry per kind (every server carries the same parts)",
            ])
        }
    }

    static let overlay = """
        servers:
          - id: test-tower-with-parts
            name: Test tower sold with its PSUs and DIMMs
            vendor: test
            part_number: null
            part_number_note: A test chassis, not a product.
            gpu_slots: 4
            gpu_form_factors: [consumer-triple-slot, pcie-dual-slot]
            gpu_cooling: [active]
            sites: [office, datacenter]
            rack_units: 5
            power_watts: 350
            dimm_slots: 8
            memory_channels: 8
            max_dimm_gib: 128
            dimm_types: [rdimm]
            nvme_bays: 4
            ssd_form_factors: [m.2]
            nic_slots: 2
            psu_bays: 2
            compatible_psus: [psu-1600w-platinum, psu-2000w-titanium]
            cooling: [air]
            includes: [{psu: psu-2000w-titanium, count: 2}, {dimm: ddr5-rdimm-16gb, count: 8}]
            price_usd: 11000
            price_basis: estimate
            price_note: A test chassis, not a product.
            source: test
            as_of: 2026-11

        """
}
