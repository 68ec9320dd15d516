import XCTest
@testable import PlannerCore

/// The shipped constants and curves against catalogs/calibration-measurements.csv (docs/performance-model.md,
/// "Error on the measurements"), and a fit judged on a source it did not see.
final class CalibrationTests: XCTestCase {
    /// Sources whose rows the shipped fit leaves out (kept in the file and scored): DSTACK ran a vLLM
    /// development build for ROCm that disagrees with AMD's own and MLPerf's MI300X results by 3–6×.
    static let excludedFromTheFit: Set<String> = ["DSTACK"]
    /// Closed-loop sweeps added after the shipped fit (fourth session) and never fitted: NVIDIA DLI's
    /// NIM sweeps on A100 and dstack's DeepSeek-R1 sweeps (a mixture of experts the step model does
    /// not represent). Scored apart, so that they neither hide nor excuse the fitted rows' errors.
    static let sweepsNeverFitted: Set<String> = ["DLI-NIM", "DSTACK-R1"]

    func testShippedModelOnTheMeasurements() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases()
        XCTAssertGreaterThanOrEqual(cases.count, 250)
        XCTAssertGreaterThanOrEqual(Set(cases.map(\.row.source)).count, 13)
        let scored = cases.filter { !Self.excludedFromTheFit.contains($0.row.source) }
        let fitted = scored.filter { !Self.sweepsNeverFitted.contains($0.row.source) }
        let s = CalibrationSummary(compareAll(fitted, calibration: catalog.calibration))
        let all = CalibrationSummary(compareAll(scored, calibration: catalog.calibration))
        for (name, summary, count) in [("fit's sources", s, fitted.count), ("with the sweeps", all, scored.count)] {
            print(String(format: "CALIBRATION median |error| (%@): output %.1f %%, TPOT %.1f %%, TTFT %.1f %% (%d rows)", name,
                         100 * summary.medianAbsoluteError[.outputTokensPerSecond]!, 100 * summary.medianAbsoluteError[.tpotMs]!,
                         100 * summary.medianAbsoluteError[.ttftMs]!, count))
        }
        // The fit's sources, measured: 8.2 %, 8.3 %, 22.8 % (21.6 % before a closed-loop prompt met only
        // the other clients: NIM's 70B sweep m082–m084 and m128 moved from −19…−11 % to −22…−18 %, the
        // one-client rows m089 and s001 from +85 % / +136 % to +63 % / +110 %; the request overheads were
        // fitted with the old residual and not refitted). With the MLPerf v4.1 rows scored; 8.1 %, 6.5 %,
        // 21.0 % before those. The targets are 8 / 8 / 20 % (docs/performance-model.md).
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.outputTokensPerSecond]!, 0.09)
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.tpotMs]!, 0.085)
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.ttftMs]!, 0.235)
        // With the closed-loop sweeps s001–s070, never fitted: 12.5 %, 26.3 %, 88.1 %: the model's decode step
        // grows too little with the batch for those engines (60–120 µs per sequence per step of host work in
        // DLI-NIM's NIM stack; the GPU side grows as measured on an H200, StepMeasurementTests) and its TTFT
        // misses the per-request queueing those sweeps show from ten clients up (docs/performance-model.md).
        // A guard against getting worse, not a target met.
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.outputTokensPerSecond]!, 0.13)
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.tpotMs]!, 0.27)
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.ttftMs]!, 0.89)
        // The H200/H100 ratio: TRT1 and TRT014 publish both GPUs at the same lengths; the model's per-GPU
        // throughput ratio must follow the measured one within 10 % (median over the pairs).
        var ratios: [Double] = []
        let byKey = Dictionary(grouping: fitted.filter { $0.row.outputTokensPerSecond != nil }) {
            "\($0.row.source) \($0.row.model) \($0.row.precision) \($0.row.promptTokens ?? 0) \($0.row.outputTokens ?? 0)"
        }
        for (_, group) in byKey {
            guard let h100 = group.first(where: { $0.row.gpu == "h100-sxm-80gb" }),
                  let h200 = group.first(where: { $0.row.gpu == "h200-sxm-141gb" }) else { continue }
            func perGPU(_ c: CalibrationCase, _ v: Double) -> Double { v / Double(c.row.gpus) }
            let measured = perGPU(h200, h200.row.outputTokensPerSecond!) / perGPU(h100, h100.row.outputTokensPerSecond!)
            let p200 = estimateServing(h200.deployment, h200.workload, calibration: catalog.calibration).outputTokensPerSecond
            let p100 = estimateServing(h100.deployment, h100.workload, calibration: catalog.calibration).outputTokensPerSecond
            ratios.append(perGPU(h200, p200) / perGPU(h100, p100) / measured)
        }
        ratios.sort()
        XCTAssertGreaterThanOrEqual(ratios.count, 20)
        let median = ratios[ratios.count / 2]
        print(String(format: "H200/H100 predicted ÷ measured, median over %d pairs: %.3f", ratios.count, median))
        XCTAssertEqual(median, 1, accuracy: 0.10)
    }

    /// The MLPerf Inference v4.1 Llama-2-70B rows carry a mean input length and their submitters' tensor
    /// parallelism (docs/calibration-sources.md), so every one is scored: 7 rows, 13 figures (4 Offline
    /// throughputs; 3 Server throughputs, TPOTs and TTFTs). Their H200 × 8 (TP1) / DGX H100 (TP2 × 4) Offline
    /// pair is a per-GPU ratio the model must follow within 10 %, as for the TensorRT-LLM pairs above.
    func testMLPerfRowsAreScored() throws {
        let catalog = try loadShipped()
        let mlperf = try Fixtures.calibrationCases().filter { $0.row.source == "MLPERF-4.1" }
        XCTAssertEqual(mlperf.count, 7)
        XCTAssertEqual(Set(mlperf.map(\.row.promptTokens)), [222])
        let comparisons = compareAll(mlperf, calibration: catalog.calibration)
        XCTAssertEqual(comparisons.count, 13)
        let byID = Dictionary(uniqueKeysWithValues: mlperf.map { ($0.row.id, $0) })
        let h100 = try XCTUnwrap(byID["m114"]), h200 = try XCTUnwrap(byID["m116"])
        XCTAssertEqual(h100.deployment.tensorParallel, 2)
        XCTAssertEqual(h200.deployment.tensorParallel, 1)
        // Measured per GPU: 31,302.7 / 8 ÷ 24,524.9 / 8 = 1.276.
        let measured = h200.row.outputTokensPerSecond! / h100.row.outputTokensPerSecond!
        XCTAssertEqual(measured, 1.276, accuracy: 0.001)
        let predicted = estimateServing(h200.deployment, h200.workload, calibration: catalog.calibration).outputTokensPerSecond
            / estimateServing(h100.deployment, h100.workload, calibration: catalog.calibration).outputTokensPerSecond
        print(String(format: "MLPerf H200/H100 per GPU: predicted %.3f, measured %.3f", predicted, measured))
        XCTAssertEqual(predicted / measured, 1, accuracy: 0.10)
    }

    /// Split by source, never at random: fit TensorRT-LLM's constants on NVIDIA's v1.0 table (TRT1) and
    /// score the v0.14 table (TRT014), which the fit never saw. The fit must beat the bare roofline there.
    func testFitOnOneSourceImprovesAnother() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases()
        let train = cases.filter { $0.row.source == "TRT1" }
        let test = cases.filter { $0.row.source == "TRT014" }
        XCTAssertGreaterThanOrEqual(train.count, 50)
        XCTAssertGreaterThanOrEqual(test.count, 50)
        var start = CalibrationTable.prior
        start.kernels = catalog.calibration.kernels
        var roofline = CalibrationTable.roofline
        roofline.kernels = catalog.calibration.kernels
        let fitted = fitCalibration(train, start: start, rounds: 1)
        let before = CalibrationSummary(compareAll(test, calibration: roofline))
        let after = CalibrationSummary(compareAll(test, calibration: fitted))
        print(String(format: "HELD-OUT TRT014: mean |log error| roofline %.3f, fitted on TRT1 %.3f; median output error %.1f %%",
                     before.meanAbsoluteLogError, after.meanAbsoluteLogError,
                     100 * after.medianAbsoluteError[.outputTokensPerSecond]!))
        XCTAssertLessThan(after.meanAbsoluteLogError, before.meanAbsoluteLogError)
        XCTAssertLessThanOrEqual(after.medianAbsoluteError[.outputTokensPerSecond]!, 0.20)
    }
}
