import Foundation

/// The distribution of a prompt's wait before its first token beyond its own fixed work, as the fast
/// serving model builds it (docs/performance-model.md, "Time to first token"): a mixture of terms, each
/// the rest of a running step (uniform on [0, `span`)) plus a fixed extra (`shift`, e.g. what the prompts
/// scheduled beside it add to its own step), plus an independent queueing wait W that is 0 with
/// probability 1 − ρ and else exponential with mean θ:
///
///     X = U · span_i + shift_i + W   with probability w_i,   U ~ U(0, 1)
///
/// Percentiles of a sum are not sums of percentiles; ``quantile(_:)`` solves P(X > x) = 1 − p exactly
/// for this distribution.
public struct WaitTail: Sendable, Hashable {
    /// One branch of the mixture.
    public struct Term: Sendable, Hashable {
        public var probability: Double
        public var spanSeconds: Double
        public var shiftSeconds: Double

        public init(probability: Double, spanSeconds: Double, shiftSeconds: Double = 0) {
            self.probability = probability
            self.spanSeconds = spanSeconds
            self.shiftSeconds = shiftSeconds
        }
    }

    public var terms: [Term]
    /// P(W > 0), in [0, 1).
    public var waitProbability: Double
    /// Mean of W given that it is positive, seconds.
    public var waitScaleSeconds: Double

    public init(terms: [Term], waitProbability: Double = 0, waitScaleSeconds: Double = 0) {
        self.terms = terms
        self.waitProbability = waitScaleSeconds > 0 ? min(max(0, waitProbability), 1) : 0
        self.waitScaleSeconds = max(0, waitScaleSeconds)
    }

    /// P(X > x) = Σ_i w_i · E_U[P(W > x − shift_i − U · span_i)], with P(W > t) = 1 for t < 0 and
    /// ρ · e^(−t/θ) for t ≥ 0. For a term with a = x − shift and span s > 0:
    ///
    ///     (1/s) · [ (s − max(0, a))⁺ + ρ θ (e^(−(a − min(a, s))/θ) − e^(−a/θ)) ]   (the second for a > 0)
    public func exceedance(_ x: Double) -> Double {
        let rho = waitProbability, theta = waitScaleSeconds
        var total = 0.0
        for t in terms where t.probability > 0 {
            let a = x - t.shiftSeconds
            guard t.spanSeconds > 0 else {
                total += t.probability * (a < 0 ? 1 : (rho > 0 ? rho * exp(-a / theta) : 0))
                continue
            }
            var integral = max(0, t.spanSeconds - max(0, a))
            if a > 0 && rho > 0 {
                integral += rho * theta * (exp(-(a - min(a, t.spanSeconds)) / theta) - exp(-a / theta))
            }
            total += t.probability * integral / t.spanSeconds
        }
        return total
    }

    /// The p-quantile (0 < p < 1): the least x with P(X > x) ≤ 1 − p, by bisection to a relative 10⁻⁶
    /// (1 µs in a second). Each bisection step takes one exponential: with E = e^(−x/θ), a term's
    /// e^(−a/θ) is E · e^(shift/θ), precomputed (``exceedance(_:)`` directly where that would overflow).
    public func quantile(_ p: Double) -> Double {
        guard p > 0, p < 1, !terms.isEmpty else { return 0 }
        let rho = waitProbability, theta = waitScaleSeconds
        // Plain arrays of numbers: the loop below runs some thousands of times a percentile.
        let weights = terms.map { max(0, $0.probability) }
        let spans = terms.map(\.spanSeconds), shifts = terms.map(\.shiftSeconds)
        let scaled = rho > 0 ? shifts.map { exp($0 / theta) } : Array(repeating: 0, count: terms.count)
        let fast = rho == 0 || scaled.allSatisfy(\.isFinite) && spans.allSatisfy { $0 / theta < 700 }
        let stretch = rho > 0 && fast ? spans.map { $0 > 0 ? exp($0 / theta) - 1 : 0 } : Array(repeating: 0, count: terms.count)
        func exceeds(_ x: Double) -> Double {
            guard fast else { return exceedance(x) }
            let e = rho > 0 ? exp(-x / theta) : 0
            var total = 0.0
            var i = 0
            while i < weights.count {
                let w = weights[i], span = spans[i], a = x - shifts[i]
                let decay = e * scaled[i]  // e^(−a/θ)
                if span <= 0 {
                    total += w * (a < 0 ? 1 : rho * decay)
                } else if a <= 0 {
                    total += w
                } else if a < span {
                    total += w * (span - a + rho * theta * (1 - decay)) / span
                } else {
                    total += w * rho * theta * decay * stretch[i] / span
                }
                i += 1
            }
            return total
        }
        var low = 0.0
        var high = 1e-12
        for i in 0..<spans.count { high = max(high, spans[i] + shifts[i]) }
        if rho > 0 { high += theta * (1 + max(0, log(rho / (1 - p)))) }
        var doublings = 0
        while exceeds(high) > 1 - p && doublings < 200 {
            high *= 2
            doublings += 1
        }
        var steps = 0
        while high - low > 1e-6 * high && steps < 60 {
            let mid = 0.5 * (low + high)
            if exceeds(mid) > 1 - p { low = mid } else { high = mid }
            steps += 1
        }
        return high
    }
}
