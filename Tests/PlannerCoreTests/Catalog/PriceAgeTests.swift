import LinearModel
import XCTest
@testable import PlannerCore

/// Price dates: months between catalog dates, the catalog's reference date, stale BOM lines.
final class PriceAgeTests: XCTestCase {
    func testMonthsBetweenCatalogDates() {
        XCTAssertEqual(PriceAge.months(from: "2023-08", to: "2026-11"), 39) // 3 years and 3 months
        XCTAssertEqual(PriceAge.months(from: "2025-11-30", to: "2026-11"), 12)
        XCTAssertEqual(PriceAge.months(from: "2025-10", to: "2026-11"), 13)
        XCTAssertEqual(PriceAge.months(from: "2026-12", to: "2026-11"), -1)
        XCTAssertNil(PriceAge.months(from: "soon", to: "2026-11"))
    }

    /// Twelve months old is not stale; thirteen is. Lines come back sorted by id with their date.
    func testStaleLines() {
        func line(_ id: String, _ asOf: String) -> BOMLine {
            BOMLine(category: .gpu, listing: Listing(id: id, name: id, vendor: "v", priceUSD: 1, priceBasis: .list, source: "s", asOf: asOf),
                    quantity: 1, unitPowerWatts: 0)
        }
        let bom = [line("z-old", "2023-08"), line("a-edge", "2025-11"), line("b-13", "2025-10-01"), line("c-new", "2026-11")]
        XCTAssertEqual(PriceAge.stale(bom.map(\.listing), reference: "2026-11"), ["b-13 (2025-10-01)", "z-old (2023-08)"])
    }

    /// The shipped catalog's reference is its newest as_of, 2026-11 (the estimates made when it was written).
    func testShippedReferenceDate() throws {
        XCTAssertEqual(PriceAge.referenceDate(of: try loadShipped()), "2026-11")
    }

    /// `--as-of` replaces the catalog's date: a month given is the reference (its day dropped), and
    /// only real dates are taken.
    func testAsOfDateIsTheReference() throws {
        var catalog = try loadShipped()
        catalog.pricesAsOf = "2024-09-15"
        XCTAssertEqual(PriceAge.referenceDate(of: catalog), "2024-09")
        XCTAssertEqual(PriceAge.referenceSource(of: catalog), "the --as-of date")
        XCTAssertTrue(PriceAge.isDate("2027-06"))
        XCTAssertTrue(PriceAge.isDate("2028-02-29"))
        for bad in ["2027-13", "2027-6", "2027-02-29", "2027-06-31", "27-06", "2027", "june", "2027-06-01-01", "２０２７-06"] {
            XCTAssertFalse(PriceAge.isDate(bad), bad)
        }
    }

    /// The pinned 70B build (h100-sxm-80gb priced 2023-08) as of 2024-08 (12 months: not stale) and
    /// 2024-09 (13 months: stale); as of 2023-01 no line is older than a year.
    func testAsOfMovesTheStaleWarning() throws {
        var catalog = try loadShipped()
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/pinned-70b.yaml").path, catalog: catalog)
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 30))
        func staleWarning(_ asOf: String) -> String? {
            catalog.pricesAsOf = asOf
            return solver.solve(spec, catalog: catalog).warnings.first { $0.hasPrefix("priced more than 12 months") }
        }
        XCTAssertFalse(staleWarning("2024-08")?.contains("h100-sxm-80gb") ?? false)
        let warning = try XCTUnwrap(staleWarning("2024-09"))
        XCTAssertTrue(warning.hasPrefix("priced more than 12 months before 2024-09, the --as-of date (get current quotes): "), warning)
        XCTAssertTrue(warning.contains("h100-sxm-80gb (2023-08)"), warning)
        XCTAssertNil(staleWarning("2023-01"))
    }

    /// The pinned 70B build buys an H100 SXM priced in 2023-08 and a chassis priced in 2024-03: both warn.
    func testPlanWarnsAboutOldPrices() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/pinned-70b.yaml").path, catalog: catalog)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        let warning = try XCTUnwrap(plan.warnings.first { $0.hasPrefix("priced more than 12 months before 2026-11") })
        XCTAssertTrue(warning.contains("h100-sxm-80gb (2023-08)"), warning)
    }

    /// Growth headroom is reported as such, not as spare capacity: 4 req/s × 1.2 = 4.8 planned.
    func testGrowthHeadroomWording() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/pinned-70b.yaml").path, catalog: catalog)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        let performance = try XCTUnwrap(plan.performance)
        XCTAssertEqual(performance.growthHeadroom, 0.2)
        XCTAssertEqual(performance.demand, 4.8, accuracy: 1e-9)
        XCTAssertEqual(performance.statedDemand, 4.0, accuracy: 1e-9)
        XCTAssertTrue(PlanSummary.performance(performance)[2].contains("for a demand of 4.8 (4.0 + 20% growth; "), PlanSummary.performance(performance)[2])
    }
}
