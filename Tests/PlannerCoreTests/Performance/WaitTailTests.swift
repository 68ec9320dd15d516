import XCTest
@testable import PlannerCore

/// ``WaitTail``: percentiles of (rest of a step + a fixed extra) mixed over step kinds, plus an
/// exponential-tailed queueing wait — against hand-worked values and against sampling.
final class WaitTailTests: XCTestCase {
    /// The rest of one step of 10 ms after a fixed 2 ms, no queue: uniform on [2, 12): P99 = 2 + 9.9.
    func testUniformAlone() {
        let tail = WaitTail(terms: [.init(probability: 1, spanSeconds: 0.010, shiftSeconds: 0.002)])
        XCTAssertEqual(tail.quantile(0.99), 0.0119, accuracy: 1e-7)
        XCTAssertEqual(tail.quantile(0.5), 0.007, accuracy: 1e-7)
    }

    /// A fixed 3 ms and a wait that is positive half the time with mean 2 ms: P(X > x) = ½ e^(−(x − 3)/2)
    /// = 0.01 at x = 3 + 2 ln 50 = 10.824 ms and = 0.3 at 3 + 2 ln(5/3) = 4.022 ms (P70). Within the
    /// half that does not wait the percentile is the fixed part: P40 = 3 ms.
    func testExponentialWaitAlone() {
        let tail = WaitTail(
            terms: [.init(probability: 1, spanSeconds: 0, shiftSeconds: 0.003)], waitProbability: 0.5, waitScaleSeconds: 0.002)
        XCTAssertEqual(tail.quantile(0.99), 0.003 + 0.002 * log(50), accuracy: 1e-7)
        XCTAssertEqual(tail.quantile(0.7), 0.003 + 0.002 * log(5.0 / 3), accuracy: 1e-7)
        XCTAssertEqual(tail.quantile(0.4), 0.003, accuracy: 1e-7)
    }

    /// One step in a hundred is a 60 ms prompt step, the rest 5 ms decode steps, met in proportion to
    /// length (60 · 0.01 : 5 · 0.99 = 0.108 : 0.892): the P99 of the rest is inside the long step,
    /// 0.108 · (1 − x / 60) = 0.01 → x = 60 · (1 − 0.01/0.108) = 54.4 ms — where taking every step at
    /// its P99 length, or the mean step, would give 59.4 or 5.5 ms.
    func testLengthBiasedMixture() {
        let longWeight = 0.01 * 0.060, shortWeight = 0.99 * 0.005
        let total = longWeight + shortWeight
        let tail = WaitTail(terms: [
            .init(probability: longWeight / total, spanSeconds: 0.060),
            .init(probability: shortWeight / total, spanSeconds: 0.005),
        ])
        let expected = 0.060 * (1 - 0.01 / (longWeight / total))
        XCTAssertEqual(tail.quantile(0.99), expected, accuracy: 1e-7)
    }

    /// A three-way mixture with a queue, against 400,000 seeded samples of the same distribution:
    /// the P90, P99 and P99.9 agree within 1 %.
    func testAgreesWithSampling() {
        let terms: [WaitTail.Term] = [
            .init(probability: 0.5, spanSeconds: 0.020, shiftSeconds: 0),
            .init(probability: 0.3, spanSeconds: 0.050, shiftSeconds: 0.010),
            .init(probability: 0.2, spanSeconds: 0.100, shiftSeconds: 0.030),
        ]
        let tail = WaitTail(terms: terms, waitProbability: 0.4, waitScaleSeconds: 0.025)
        var random = ArrivalRandom(seed: 7)
        var samples: [Double] = []
        samples.reserveCapacity(400_000)
        for _ in 0..<400_000 {
            var u = random.nextUnit()
            var term = terms[terms.count - 1]
            for t in terms {
                if u < t.probability { term = t; break }
                u -= t.probability
            }
            var x = term.shiftSeconds + term.spanSeconds * random.nextUnit()
            if random.nextUnit() < 0.4 { x += -0.025 * log(1 - random.nextUnit()) }
            samples.append(x)
        }
        samples.sort()
        for p in [0.9, 0.99, 0.999] {
            let sampled = samples[Int(p * Double(samples.count))]
            XCTAssertEqual(tail.quantile(p) / sampled, 1, accuracy: 0.01, "P\(p * 100)")
            XCTAssertEqual(tail.exceedance(tail.quantile(p)), 1 - p, accuracy: 1e-5 * (1 - p) + 1e-9, "P\(p * 100)")
        }
    }

    /// The fast model's mixtures are coarsened to about eight terms: 101 terms (probabilities 1…101,
    /// times 1…101 ms) become at most nine groups that keep the total probability (5,151) and the mean
    /// time (Σ k² / Σ k = 67.67 ms), and each group's time lies within its members'.
    func testCoarseningKeepsProbabilityAndMean() {
        let terms = (1...101).map { (probability: Double($0), seconds: Double($0) / 1000) }
        let groups = ContinuousBatching.coarsened(terms)
        XCTAssertLessThanOrEqual(groups.count, 9)
        XCTAssertEqual(groups.reduce(0) { $0 + $1.probability }, 5151, accuracy: 1e-9)
        XCTAssertEqual(groups.reduce(0) { $0 + $1.probability * $1.seconds } / 5151, 0.067_67, accuracy: 1e-5)
        XCTAssertEqual(groups.map(\.seconds), groups.map(\.seconds).sorted())
        XCTAssertEqual(ContinuousBatching.coarsened(Array(terms.prefix(5))).count, 5)
    }

    /// Out-of-range percentiles and an empty mixture give 0 rather than trapping or looping.
    func testDegenerateInputs() {
        XCTAssertEqual(WaitTail(terms: []).quantile(0.99), 0)
        let tail = WaitTail(terms: [.init(probability: 1, spanSeconds: 0.01)])
        XCTAssertEqual(tail.quantile(0), 0)
        XCTAssertEqual(tail.quantile(1), 0)
    }
}
