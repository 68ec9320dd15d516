import Foundation

// Held-out errors: the constants fitted on some sources' rows, scored on rows the fit never saw. Rows are
// always split by source (the `source` column), never at random: rows of one source share a benchmark
// tool, a load generator and a machine, so a random split would score a source on its own siblings.

/// One held-out set's error: the constants fitted on every other row, scored on these.
public struct HeldOutError: Sendable {
    /// The held-out sources, in alphabetical order (one for leave-one-source-out).
    public var sources: [String]
    public var rows: Int
    public var comparisons: [CalibrationComparison]
    public var summary: CalibrationSummary
    /// The constants fitted on every other row.
    public var calibration: CalibrationTable

    /// The held-out source of a leave-one-source-out run (the sources joined by ", " for a half).
    public var source: String { sources.joined(separator: ", ") }
}

/// Leave-one-source-out: for each source, fit on all other rows (from `start.unfitted(scope)`) and
/// compare with this source's rows. Sources are in alphabetical order; a source whose removal leaves
/// nothing to fit on is scored with the unfitted start.
public func leaveOneSourceOutErrors(
    _ cases: [CalibrationCase], start: CalibrationTable, rounds: Int = 4, scope: CalibrationScope = .all
) -> [HeldOutError] {
    let sources = Array(Set(cases.map(\.row.source))).sorted()
    return ConcurrentMap.map(sources) { heldOutError(cases, heldOut: [$0], start: start, rounds: rounds, scope: scope) }
}

/// The sources dealt into two halves of nearly equal row counts: largest source first (ties by name),
/// each to the half with fewer rows so far (the first half on a tie). Deterministic; every source lands
/// in exactly one half.
public func sourceHalves(_ cases: [CalibrationCase]) -> (first: [String], second: [String]) {
    let counts = Dictionary(cases.map { ($0.row.source, 1) }, uniquingKeysWith: +)
    let bySize = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
    var first: [String] = [], second: [String] = []
    var firstRows = 0, secondRows = 0
    for source in bySize {
        if firstRows <= secondRows {
            first.append(source); firstRows += counts[source]!
        } else {
            second.append(source); secondRows += counts[source]!
        }
    }
    return (first.sorted(), second.sorted())
}

/// Split-half: the sources dealt into two halves (`sourceHalves`); fit on one half, score the other, and
/// the other way round. Returns the first half held out, then the second.
public func splitHalfErrors(
    _ cases: [CalibrationCase], start: CalibrationTable, rounds: Int = 4, scope: CalibrationScope = .all
) -> [HeldOutError] {
    let halves = sourceHalves(cases)
    return ConcurrentMap.map([halves.first, halves.second]) {
        heldOutError(cases, heldOut: $0, start: start, rounds: rounds, scope: scope)
    }
}

/// `heldOut`'s rows scored with the constants fitted on every other row, starting from
/// `start.unfitted(scope)` (that start itself when no other row is left): the constants `scope` fits begin
/// at their round prior values, so nothing an earlier fit learnt from the held-out rows (the shipped
/// constants were fitted on most sources) reaches their score.
public func heldOutError(
    _ cases: [CalibrationCase], heldOut sources: [String], start: CalibrationTable, rounds: Int,
    scope: CalibrationScope
) -> HeldOutError {
    let held = Set(sources)
    let heldOut = cases.filter { held.contains($0.row.source) }
    let training = cases.filter { !held.contains($0.row.source) }
    let blind = start.unfitted(scope)
    let table = training.isEmpty ? blind : fitCalibration(training, start: blind, rounds: rounds, scope: scope)
    let comparisons = compareAll(heldOut, calibration: table)
    return HeldOutError(
        sources: sources.sorted(), rows: heldOut.count, comparisons: comparisons,
        summary: CalibrationSummary(comparisons), calibration: table)
}

extension CalibrationTable {
    /// This table with the constants `scope` fits put back to ``prior``'s round values (engines) or removed
    /// (family factors, 1 when absent); the kernel curves and the constants `scope` keeps stay. The start
    /// of a held-out fit.
    public func unfitted(_ scope: CalibrationScope) -> CalibrationTable {
        var table = self
        if scope != .families { table.engines = CalibrationTable.prior.engines }
        if scope != .engines { table.families = [:] }
        return table
    }
}
