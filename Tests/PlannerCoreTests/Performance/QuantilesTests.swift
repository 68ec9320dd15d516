import Foundation
import XCTest
@testable import PlannerCore

final class QuantilesTests: XCTestCase {
    /// Tabulated standard normal quantiles (Abramowitz and Stegun, table 26.5).
    func testNormalQuantileMatchesTheTable() {
        XCTAssertEqual(normalQuantile(0.5), 0, accuracy: 1e-9)
        XCTAssertEqual(normalQuantile(0.9), 1.281_551_566, accuracy: 1e-8)
        XCTAssertEqual(normalQuantile(0.95), 1.644_853_627, accuracy: 1e-8)
        XCTAssertEqual(normalQuantile(0.99), 2.326_347_874, accuracy: 1e-8)
        XCTAssertEqual(normalQuantile(0.001), -3.090_232_306, accuracy: 1e-8)
    }

    /// The exact p-quantile of a gamma distribution of shape k and scale 1: its CDF integrated by
    /// Simpson's rule on 4,000 intervals, inverted by bisection.
    private func exactGammaQuantile(_ p: Double, shape k: Double) -> Double {
        func cdf(_ x: Double) -> Double {
            let n = 4000, h = x / Double(n)
            func density(_ t: Double) -> Double { t <= 0 ? (k == 1 ? 1 : 0) : exp((k - 1) * log(t) - t - lgamma(k)) }
            var sum = density(0) + density(x)
            for i in 1..<n { sum += Double(i % 2 == 1 ? 4 : 2) * density(Double(i) * h) }
            return sum * h / 3
        }
        var lo = 0.0, hi = k + 20 * k.squareRoot() + 20
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if cdf(mid) < p { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// Floor 10 plus a gamma excess of shape k and scale 2 (mean 10 + 2k, σ 2√k): the Wilson–Hilferty
    /// quantile's excess within 1.5 % of the exact one for p ≤ 0.99 and 2.5 % at 0.999, for k ≥ 1.
    func testGammaQuantileMatchesTheIntegratedDistribution() {
        for k in [1.0, 2.2, 8, 50] {
            for p in [0.5, 0.9, 0.95, 0.99, 0.999] {
                let exact = 2 * exactGammaQuantile(p, shape: k)
                let q = gammaQuantile(p, floor: 10, mean: 10 + 2 * k, standardDeviation: 2 * k.squareRoot())
                XCTAssertEqual((q - 10) / exact, 1, accuracy: p > 0.99 ? 0.025 : 0.015, "k \(k), p \(p)")
            }
        }
        // χ² with 8 degrees of freedom is gamma of shape 4, scale 2: its tabulated 0.99 point is 20.090.
        XCTAssertEqual(gammaQuantile(0.99, floor: 0, mean: 8, standardDeviation: 4), 20.090, accuracy: 0.05)
    }

    /// A narrow spread is the normal quantile; without a positive excess or a spread, the normal one too.
    func testGammaQuantileTendsToTheNormal() {
        let narrow = gammaQuantile(0.99, floor: 0, mean: 100, standardDeviation: 0.5)
        XCTAssertEqual(narrow, 100 + 0.5 * normalQuantile(0.99), accuracy: 0.01)
        XCTAssertEqual(gammaQuantile(0.99, floor: 5, mean: 5, standardDeviation: 1), 5 + normalQuantile(0.99), accuracy: 1e-12)
        XCTAssertEqual(gammaQuantile(0.9, floor: 1, mean: 3, standardDeviation: 0), 3, accuracy: 1e-12)
        // Skewed: the 0.99 point lies further above the mean than the normal's, the 0.5 point below the mean.
        XCTAssertGreaterThan(gammaQuantile(0.99, floor: 0, mean: 4, standardDeviation: 2), 4 + 2 * normalQuantile(0.99))
        XCTAssertLessThan(gammaQuantile(0.5, floor: 0, mean: 4, standardDeviation: 2), 4)
    }
}
