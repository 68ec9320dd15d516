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
