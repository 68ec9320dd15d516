import Foundation

// Quantiles of the two distributions the serving model's percentiles use.

/// Standard normal quantile (Acklam's rational approximation, relative error < 1.2e-9).
func normalQuantile(_ p: Double) -> Double {
    let q = min(max(p, 1e-12), 1 - 1e-12)
    let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
    let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
             6.680131188771972e+01, -1.328068155288572e+01]
    let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
    let dd = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
    let low = 0.02425
    if q < low {
        let r = (-2 * log(q)).squareRoot()
        return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
            / ((((dd[0] * r + dd[1]) * r + dd[2]) * r + dd[3]) * r + 1)
    }
    if q > 1 - low {
        let r = (-2 * log(1 - q)).squareRoot()
        return -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
            / ((((dd[0] * r + dd[1]) * r + dd[2]) * r + dd[3]) * r + 1)
    }
    let r = q - 0.5
    let t = r * r
    return (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) * r
        / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1)
}

/// The p-quantile of a positive quantity above `floor` — floor + X with X gamma-distributed, matched to
/// the given mean and standard deviation — by Wilson and Hilferty's cube-root normal approximation:
///
///     k = ((mean − floor) / σ)²,   q_p = floor + (mean − floor) · (1 − 1/(9k) + z_p / (3√k))³
///
/// (clamped at the floor). As σ / (mean − floor) → 0 it tends to mean + z_p · σ, the normal quantile;
/// for a wide spread it is skewed to the right, as a sum of positive costs is. The excess is within
/// 1.5 % of the exact gamma quantile's for k ≥ 1 and p from 0.5 to 0.99, 2.5 % at 0.999 (`QuantilesTests`,
/// against the gamma distribution integrated numerically). Falls back to the normal
/// quantile when the mean does not exceed the floor or σ is 0.
func gammaQuantile(_ p: Double, floor: Double, mean: Double, standardDeviation sigma: Double) -> Double {
    let z = normalQuantile(p)
    let excess = mean - floor
    guard excess > 0, sigma > 0 else { return mean + z * sigma }
    let k = (excess / sigma) * (excess / sigma)
    let root = max(0, 1 - 1 / (9 * k) + z / (3 * k.squareRoot()))
    return floor + excess * root * root * root
}
