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
    /// AWS's NIM sweeps (twelfth session: A10G, H100) joined them, with Arc53's two vLLM bursts (L4, A10G)
    /// and two vLLM issues' runs (four Qwen3-8B bursts on an H100, one Qwen3-32B burst on an H100 NVL), added
    /// after the ampere refit that they check (testA10RowsHeldOut), and (thirteenth session) Database Mart's
    /// RTX 4090 burst, the first row on that card.
    static let sweepsNeverFitted: Set<String> = [
        "AWS-NIM", "DATABASEMART", "DLI-NIM", "DSTACK-R1", "LLM-PRICE-COMPASS", "VLLM-17788", "VLLM-25915",
    ]

    func testShippedModelOnTheMeasurements() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases()
        XCTAssertGreaterThanOrEqual(cases.count, 250)
        XCTAssertGreaterThanOrEqual(Set(cases.map(\.row.source)).count, 13)
        let scored = cases.filter { !Self.excludedFromTheFit.contains($0.row.source) }
        let fitted = scored.filter { !Self.sweepsNeverFitted.contains($0.row.source) }
        let s = CalibrationSummary(compareAll(fitted, calibration: catalog.calibration))
        let all = CalibrationSummary(compareAll(scored, calibration: catalog.calibration))
        let everyRow = CalibrationSummary(compareAll(cases, calibration: catalog.calibration))
        let withoutDStack = scored.filter { $0.row.source != "DSTACK-R1" }
        let noDeepSeek = CalibrationSummary(compareAll(withoutDStack, calibration: catalog.calibration))
        for (name, summary, count) in [("fit's sources", s, fitted.count), ("with the sweeps", all, scored.count),
                                       ("but DSTACK and DSTACK-R1", noDeepSeek, withoutDStack.count),
                                       ("every row", everyRow, cases.count)] {
            print(String(format: "CALIBRATION median |error| (%@): output %.1f %%, TPOT %.1f %%, TTFT %.1f %% (%d rows)", name,
                         100 * summary.medianAbsoluteError[.outputTokensPerSecond]!, 100 * summary.medianAbsoluteError[.tpotMs]!,
                         100 * summary.medianAbsoluteError[.ttftMs]!, count))
        }
        // The fit's sources, measured: 6.9 %, 5.5 %, 20.5 % since NIM's sweep is scored as the GenAI-Perf
        // run it was — fixed lengths, measured after the first wave (sixteenth session; m082–m084 TTFT −29 /
        // −40 / −47 % → +20.5 / +5.1 / −11.2 %, FixedLengthClosedLoopTests); 6.7 %, 5.5 %, 28.9 % since the step token budget bounds a full
        // engine's prefill and TensorRT-LLM's prompts run whole (sixteenth session; TRT1's m164 +19.3 → −3.3 %,
        // m194 +34.0 → +2.1 %); 7.1 %, 5.5 %, 28.9 % since NIM's rows have constants of their own
        // (fourteenth session; NIM's own TPOTs +5…+11 % → −3…+6 %); 7.2 %, 6.3 %, 28.9 % since the thirteenth
        // session's TensorRT-LLM and SGLang refit; 7.5 %, 6.3 %, 31.2 % on 212 rows since the twelfth session's same-family
        // curves (a borrowing card carries the reference's lost time: IOG's H100 PCIe TPOTs +8.5 / +15.6 % →
        // −2.4 / −0.6 %) and ampere refit (c26 −50.6 → −20.3 %; m049–m051 +0.7 / +0.5 / −0.1 → +15.1 / +0.6 /
        // −7.3 %); 7.5 %, 8.3 %, 31.2 % before, since the eleventh session added TRT1's
        // 20 B200 NVFP4 rows (never fitted; testB200NVFP4RowsHeldOut); 7.4 %, 8.3 %, 31.2 % on the 182 rows
        // before, since the tenth session's closed loop (prompts
        // sent at step ends, the queue served by full steps: the fast model now follows the simulator's
        // closed loops within 16 % at P99, where it was up to 55 % above), which takes NIM's fixed-length
        // 70B sweep m082–m084 from −19 / −17 / −17 % to −23 / −32 / −39 %: genai-perf's fixed lengths
        // synchronise the loop into waves the varied-length reference does not have (docs/performance-
        // model.md, "Fixed lengths synchronise a closed loop"), and those rows sit at the median of 33
        // TTFT figures. Before: 7.5 %, 8.3 %, 21.5 % (tenth session's cdna3 refit), 8.2 %, 8.3 %, 22.8 % (21.6 % before a closed-loop prompt met only
        // the other clients: NIM's 70B sweep m082–m084 and m128 moved from −19…−11 % to −22…−18 %, the
        // one-client rows m089 and s001 from +85 % / +136 % to +63 % / +110 %; the request overheads were
        // fitted with the old residual and not refitted). With the MLPerf v4.1 rows scored; 8.1 %, 6.5 %,
        // 21.0 % before those. The targets are 8 / 8 / 20 % (docs/performance-model.md).
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.outputTokensPerSecond]!, 0.08)
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.tpotMs]!, 0.07)
        XCTAssertLessThanOrEqual(s.medianAbsoluteError[.ttftMs]!, 0.25)
        // With the closed-loop sweeps s001–s136 and the other rows never fitted: 12.3 %, 27.5 %, 83.0 % (355 rows)
        // since the twelfth session added AWS's NIM sweeps s071–s136 (AWS-NIM: A10G and H100, throughput past
        // NIM's unstated batch caps 55–182 % high, a fp16 70B sweep at 2.9× its roofline; docs/calibration-
        // sources.md), Arc53's two bursts m198–m199 (+61 / +59 %), vllm#25915's four m200–m203 (+5 … +35 %) and
        // vllm#17788's m204 (+61 %);
        // 9.5 %, 27.5 %, 84.3 % on the 282 rows
        // without them, before that session's same-family curves.
        // With the closed-loop sweeps s001–s070: 9.5 %, 27.5 %, 84.3 % since the eleventh session
        // times routed experts by their measured MoE kernels (9.6 %, 20.7 %, 88.0 % before; 12.5 %, 26.3 %,
        // 88.1 % before the tenth session's cdna3 refit and closed loop). The TPOT rise is DSTACK-R1's 30
        // DeepSeek-R1 figures, measured in February 2025 with vLLM 0.7, SGLang 0.4 and TensorRT-LLM 0.17
        // builds: the model was already 8–82 % fast there and is 33–84 % fast with the experts at the kernel
        // speeds of aiconfigurator-core 0.12.0's engines (docs/performance-model.md). The model's decode step
        // grows too little with the batch for those engines (60–120 µs per sequence per step of host work in
        // DLI-NIM's NIM stack; the GPU side grows as measured on an H200, StepMeasurementTests) and its TTFT
        // misses the per-request queueing those sweeps show from ten clients up (docs/performance-model.md).
        // Since NIM's own constants (fourteenth session; fitted on NIM's nine 70B rows, the NIM sweeps held
        // out): 12.0 %, 29.2 %, 86.2 % (12.0 %, 27.5 %, 83.0 % before): DLI-NIM's one-client TTFTs and low-batch
        // TPOTs come closer (s001 TTFT +110 → −6 %), its high-batch TPOTs and AWS-NIM's TTFTs move away, and
        // the TPOT median sits where 103 figures are sparse (23.8 … 27.3 % around it before).
        // Since closed loops of fixed lengths are scored as the waves their benchmarks ran (fifteenth session;
        // column `lengths`, FixedLengthClosedLoopTests): 11.1 %, 30.6 %, 44.6 % (12.0 %, 29.2 %, 86.2 % before).
        // AWS-NIM's and DLI-NIM's genai-perf TTFTs grow with the clients as the waves' do (DLI-NIM 90.1 →
        // 21.2 %, AWS-NIM 82.0 → 46.5 %); the waves decode without other prompts' chunks beside them, so
        // DLI-NIM's TPOTs, already short of NIM's per-sequence host cost, fall further (13.2 → 15.2 %).
        // Since TensorRT-LLM's prompts run whole and the step budget bounds a full engine (sixteenth session):
        // 10.9 %, 30.5 %, 44.6 %; AWS-NIM's 7,000-token waves move 2–7 points further from their TTFTs.
        // With NIM's sweep measured after its first wave: 10.9 %, 30.5 %, 42.7 %.
        // A guard against getting worse, not a target met.
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.outputTokensPerSecond]!, 0.12)
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.tpotMs]!, 0.31)
        XCTAssertLessThanOrEqual(all.medianAbsoluteError[.ttftMs]!, 0.44)
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
        let (measured, predicted) = Self.throughputRatio(h200, to: h100, calibration: catalog.calibration)
        XCTAssertEqual(measured, 1.276, accuracy: 0.001)
        print(String(format: "MLPerf H200/H100 per GPU: predicted %.3f, measured %.3f", predicted, measured))
        XCTAssertEqual(predicted / measured, 1, accuracy: 0.10)
    }

    /// Output throughput of row `a` over row `b`'s, as measured and as predicted.
    static func throughputRatio(
        _ a: CalibrationCase, to b: CalibrationCase, calibration: CalibrationTable
    ) -> (measured: Double, predicted: Double) {
        (a.row.outputTokensPerSecond! / b.row.outputTokensPerSecond!,
         estimateServing(a.deployment, a.workload, calibration: calibration).outputTokensPerSecond
            / estimateServing(b.deployment, b.workload, calibration: calibration).outputTokensPerSecond)
    }

    /// Split by source, never at random: fit TensorRT-LLM's constants on NVIDIA's v1.0 table (TRT1) and
    /// score the v0.14 table (TRT014), which the fit never saw. The measured kernel curves carry the
    /// accuracy there: the fitted overheads neither help nor hurt across TensorRT-LLM versions (mean |log
    /// error| 0.2014 fitted against 0.2012 for the bare roofline with the same curves since the tenth
    /// session's closed loop; 0.205 / 0.206 before), so the fit must not be worse by more than 1 % of it,
    /// and the held-out median must stay within 20 %.
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
        XCTAssertLessThan(after.meanAbsoluteLogError, before.meanAbsoluteLogError * 1.01)
        XCTAssertLessThanOrEqual(after.medianAbsoluteError[.outputTokensPerSecond]!, 0.20)
    }

    /// MI300X's rows (AMD's ROCm blog, vLLM 0.10, 70B FP8 on 8 GPUs; MLPerf Inference v4.1, vLLM 0.4.3,
    /// Llama 2 70B on 1 and 8 GPUs) against the shipped cdna3 factors. Before the 2026-11-30 refit the
    /// factors (0.96 / 0.96, fitted under an older step model) put every one of these throughputs 40–120 %
    /// above the measurement and 8 × MI300X at 1.52 × a DGX H100 where MLPerf measured 0.96 ×: the
    /// optimism issue 12 names, which decided purchases. Measured now: median |error| of the 22
    /// throughputs 13.1 %, range −18.1 … +33.7 % (+33.7 %: m101, batch 128 — the step grows with the batch
    /// faster on MI300X than in the model), the Offline ratio 0.778 (−19 %).
    func testMI300XRowsFollowTheMeasurements() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases().filter {
            $0.row.gpu == "mi300x-192gb" && ["ROCM-VLLM", "MLPERF-4.1"].contains($0.row.source)
        }
        let throughputs = compareAll(cases, calibration: catalog.calibration).filter { $0.metric == .outputTokensPerSecond }
        XCTAssertEqual(throughputs.count, 24)
        // The two Server rows' throughput is their arrival rate × osl: it tests nothing; the 22 others do.
        let measuredThroughputs = throughputs.filter { !["m111", "m113"].contains($0.rowID) }
        let errors = measuredThroughputs.map(\.relativeError)
        let median = try XCTUnwrap(errors.map(abs).median)
        print(String(format: "MI300X throughputs: median |error| %.1f %%, range %+.1f … %+.1f %%",
                     100 * median, 100 * errors.min()!, 100 * errors.max()!))
        XCTAssertLessThanOrEqual(median, 0.15)
        XCTAssertLessThanOrEqual(errors.max()!, 0.40)
        XCTAssertGreaterThanOrEqual(errors.min()!, -0.25)
        // 8 × MI300X ÷ DGX H100, MLPerf v4.1 Offline: measured 23,514.8 / 24,524.9 = 0.959.
        let all = try Fixtures.calibrationCases()
        let mi = try XCTUnwrap(all.first { $0.row.id == "m110" }), dgx = try XCTUnwrap(all.first { $0.row.id == "m114" })
        let (measured, predicted) = Self.throughputRatio(mi, to: dgx, calibration: catalog.calibration)
        XCTAssertEqual(measured, 0.959, accuracy: 0.001)
        print(String(format: "MLPerf 8 × MI300X ÷ DGX H100: predicted %.3f, measured %.3f", predicted, measured))
        XCTAssertEqual(predicted / measured, 1, accuracy: 0.25)
    }

    /// The B200, held out: TRT1's NVFP4 rows (Llama 3.3 70B at TP 1, Llama 3.1 405B at TP 4, ten lengths
    /// each; m168–m187) joined the file after the shipped fit and were never fitted. The B200's step costs
    /// come from its measured kernels (NVFP4 GEMMs, FP8 decode attention, all-reduce) and the TensorRT-LLM
    /// constants fitted on other GPUs. Measured: median |error| 9.0 %, range −17.0 … +15.5 % (29.2 % and
    /// +4.6 … +50.8 % with the family fit's datasheet rates in place of the NVFP4 GEMM curves; 29 % low
    /// with a 16-bit KV cache, which the page's batch sizes rule out).
    ///
    /// The page's third B200 model, Qwen3-30B-A3B (a mixture of experts: 128 experts, 8 active; m188–m197),
    /// held out too: median |error| 6.7 %, −9.5 … +14.5 % since the fast model keeps a full engine within
    /// the step token budget (sixteenth session; 2048/128 +34.0 → +2.1 %: the budget, not the GPU, bounds
    /// how fast its prompts are prefilled) — 7.5 %, −12.2 … +33.2 % before, with its routed experts timed by
    /// their measured MoE kernel (NVFP4, TensorRT-LLM's CUTLASS lane); +4.3 … +149.8 % (median 25.4 %) when
    /// they ran at the dense GEMM curve, the prompt-heavy lengths worst (2048/128 +149.8 %, 5000/500 +65.0 %).
    func testB200NVFP4RowsHeldOut() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases().filter { $0.row.gpu == "b200-180gb" && $0.row.model != "qwen3-235b-a22b" }
        XCTAssertEqual(cases.count, 30)
        XCTAssertTrue(cases.allSatisfy { $0.row.source == "TRT1" && $0.deployment.weightPrecision == .fp4 && $0.deployment.kvPrecision == .fp8 })
        func errors(_ moe: Bool) throws -> (median: Double, low: Double, high: Double) {
            let e = compareAll(cases.filter { ($0.deployment.model.moe != nil) == moe }, calibration: catalog.calibration).map(\.relativeError)
            XCTAssertEqual(e.count, moe ? 10 : 20)
            let median = try XCTUnwrap(e.map(abs).median)
            print(String(format: "B200 NVFP4 %@ (held out): median |error| %.1f %%, range %+.1f … %+.1f %%",
                         moe ? "mixture of experts" : "dense", 100 * median, 100 * e.min()!, 100 * e.max()!))
            return (median, e.min()!, e.max()!)
        }
        let dense = try errors(false)
        XCTAssertLessThanOrEqual(dense.median, 0.10)
        XCTAssertLessThanOrEqual(dense.high, 0.20)
        XCTAssertGreaterThanOrEqual(dense.low, -0.20)
        let moe = try errors(true)
        XCTAssertLessThanOrEqual(moe.median, 0.10)
        XCTAssertLessThanOrEqual(moe.high, 0.20)
        XCTAssertGreaterThanOrEqual(moe.low, -0.20)
    }

    /// TRT1's Qwen3-235B-A22B table (m206–m232; FP8 on 8 × H200 and 8 × H100, NVFP4 on 8 × B200, ten lengths;
    /// added in the twentieth session, never fitted), run as the page ran every mixture of experts: experts
    /// expert-parallel and attention data-parallel (`trtllm-bench --ep`, `enable_attention_dp: true`). Measured:
    /// median |error| 15.7 % (H200 14.3, H100 25.3, B200 10.1), range −43.7 … +59.6 %. The engines' default
    /// layout — every expert sharded over the 8 GPUs, attention tensor-parallel, all the planner modelled
    /// before — puts every row at −67.8 … +3.0 % (median 35.9 %): a planner that knew only that layout bought
    /// up to three times the GPUs NVIDIA's own run needed (docs/performance-model.md, "Mixtures of experts
    /// over several GPUs").
    func testQwen3MoERowsHeldOut() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases().filter { $0.row.model == "qwen3-235b-a22b" }
        XCTAssertEqual(cases.count, 27)
        XCTAssertTrue(cases.allSatisfy {
            $0.row.source == "TRT1" && $0.deployment.engineSettings.expertParallel && $0.deployment.engineSettings.attentionDataParallel
        })
        func errors(_ cases: [CalibrationCase]) -> [Double] {
            compareAll(cases, calibration: catalog.calibration).map(\.relativeError)
        }
        let asRun = errors(cases)
        let median = try XCTUnwrap(asRun.map(abs).median)
        print(String(format: "Qwen3-235B-A22B, experts and attention as run (held out): median |error| %.1f %%, range %+.1f … %+.1f %%",
                     100 * median, 100 * asRun.min()!, 100 * asRun.max()!))
        XCTAssertLessThanOrEqual(median, 0.17)
        for gpu in ["h200-sxm-141gb", "b200-180gb"] {
            XCTAssertLessThanOrEqual(try XCTUnwrap(errors(cases.filter { $0.row.gpu == gpu }).map(abs).median), 0.15, gpu)
        }
        let defaults = cases.map { c -> CalibrationCase in
            var c = c
            c.deployment.engineSettings.expertParallel = false
            c.deployment.engineSettings.attentionDataParallel = false
            return c
        }
        let sharded = errors(defaults)
        print(String(format: "Qwen3-235B-A22B, experts sharded and attention tensor-parallel: median |error| %.1f %%, range %+.1f … %+.1f %%",
                     100 * sharded.map(abs).median!, 100 * sharded.min()!, 100 * sharded.max()!))
        XCTAssertLessThanOrEqual(sharded.max()!, 0.05)
        XCTAssertGreaterThanOrEqual(sharded.map(abs).median!, 2 * median)
    }

    /// AWS's NIM sweep of Llama 3 8B on one A10G (s071–s081, AWS-NIM, never fitted; docs/calibration-sources.md):
    /// the first end-to-end measurement of a GA102 card. The A10 borrows the A100 SXM's kernel curves: its own
    /// roofline plus the time the A100 SXM lost to each kernel (a measured ratio r adds (r − 1) × the A100's
    /// roofline time), at the ampere factors (1 / 0.56) fitted on the A100 PCIe rows alone. Before the twelfth
    /// session the ratio scaled the A10's own roofline, times 0.62 / 1.02: a batch of one decoded at 2.4× the
    /// roofline and these rows came out 40–54 % slow (the A10G's single-stream decode takes about 29 ms per
    /// token against a 26.8 ms roofline: 16.06 GB of fp16 weights at 600 GB/s; the A100 SXM loses 4.5 ms).
    /// Below NIM's unstated batch cap (throughput stops at 750 tokens/s from 32 clients: 748.5 at 32, 751.7
    /// at 64) each throughput is within 10 % up to 16 clients and 15 % at 32: −2.8, −5.2, −4.4, −0.5, +6.5,
    /// +12.2 % at 1 … 32 clients with NIM's own constants (fourteenth session; fitted on the NIM source's
    /// H100 rows: no step overhead, 9 µs a sequence), −6.6, −8.8, −8.1, −5.0, +0.2, +3.4 % with TensorRT-LLM's
    /// before. Above the cap the model, which knows only TensorRT-LLM's default cap, is 55–88 % high; the
    /// TTFTs from 4 clients up are genai-perf's waves (docs/performance-model.md, "Fixed lengths synchronise a
    /// closed loop").
    func testA10RowsHeldOut() throws {
        let catalog = try loadShipped()
        let cases = try Fixtures.calibrationCases().filter {
            $0.row.source == "AWS-NIM" && $0.row.gpu == "a10-24gb" && $0.row.gpus == 1
        }
        XCTAssertEqual(cases.count, 11)
        func clients(_ c: CalibrationCase) -> Int {
            if case let .concurrency(n) = c.row.load { n } else { .max }
        }
        let belowCap = cases.filter { clients($0) <= 32 }
        XCTAssertEqual(belowCap.map(clients), [1, 2, 4, 8, 16, 32])
        for c in belowCap {
            let predicted = estimateServing(c.deployment, c.workload, calibration: catalog.calibration).outputTokensPerSecond
            let measured = try XCTUnwrap(c.row.outputTokensPerSecond)
            print(String(format: "A10G %@ concurrency %d: %.1f tokens/s predicted, %.2f measured (%+.1f %%)",
                         c.row.id, clients(c), predicted, measured, 100 * (predicted / measured - 1)))
            XCTAssertEqual(predicted / measured, 1, accuracy: clients(c) < 32 ? 0.10 : 0.15, c.row.id)
        }
    }

    /// A card on its own family's curves is never slower for having more bandwidth: the lost time is the
    /// reference's, the roofline its own. Llama 3.1 8B fp16, one client, 200/114 tokens: A100 40GB (1,555 GB/s)
    /// slower than the A100 SXM 80GB (2,039 GB/s) it borrows from, A10 (600 GB/s) slower still; L4 (300 GB/s)
    /// slower than the RTX 4090 (1,008 GB/s) on the L40S's curves; H100 PCIe (2,000 GB/s) slower than the
    /// H100 NVL (3,900). With the ratio scaling each card's own roofline and the ampere factors 1.45 / 0.55
    /// the twelfth session first shipped, the A100 40GB came out 9 % faster per token than the 80GB.
    func testMoreBandwidthIsNeverSlowerWithinAFamily() throws {
        let catalog = try loadShipped()
        func tpot(_ id: String) throws -> Double { try oneClientOf8B(on: id, prompt: 200, output: 114, catalog).tpotMs }
        for (slower, faster) in [("a10-24gb", "a100-pcie-40gb"), ("a100-pcie-40gb", "a100-sxm-80gb"),
                                 ("l4-24gb", "rtx-4090-24gb"), ("h100-pcie-80gb", "h100-nvl-94gb")] {
            XCTAssertGreaterThan(try tpot(slower), try tpot(faster), "\(slower) against \(faster)")
        }
        // The borrowed time is the reference's: the A10's TPOT is its roofline plus the A100 SXM 80GB's loss.
        let a100Roofline = 16.06e9 / 2039e9 * 1000, a10Roofline = 16.06e9 / 600e9 * 1000
        XCTAssertEqual(try tpot("a10-24gb") - a10Roofline, try tpot("a100-sxm-80gb") - a100Roofline, accuracy: 1.0)
    }

    /// The A100 SXM 40GB is the A100 SXM 80GB's chip at the same 400 W and the same 312 dense FP16 TFLOPS: a
    /// 4,096-token prompt, which compute bounds, takes the same time on both (within 5 %: the 40GB reads its
    /// 16 GB of weights at 1,555 GB/s, 2.4 ms longer than the 80GB at 2,039). The ampere compute factor, 0.56,
    /// fitted on the A100 PCIe 80GB's 300 W bursts (0.7 since the thirteenth session's refit), stays with
    /// the PCIe cards: the PCIe 80GB's prompt takes more than 1.2 × as long (1.30; the request overhead and
    /// the weight reads do not scale with the factor). Before the thirteenth session the 40GB SXM took the PCIe's factor (TTFT 440
    /// against 285 ms with vLLM).
    func testTheReferencesChipAtItsPowerComputesAsTheReference() throws {
        let catalog = try loadShipped()
        func ttft(_ id: String) throws -> Double { try oneClientOf8B(on: id, prompt: 4096, output: 2, catalog).ttftMs }
        let sxm80 = try ttft("a100-sxm-80gb"), sxm40 = try ttft("a100-sxm-40gb"), pcie80 = try ttft("a100-pcie-80gb")
        XCTAssertEqual(sxm40 / sxm80, 1, accuracy: 0.05)
        XCTAssertGreaterThan(pcie80 / sxm80, 1.2)
    }

    /// TensorRT-LLM's A100 SXM bursts with long outputs (TRT014 m045–m048: 128/2,048, 1,000/1,000, 2,048/2,048,
    /// 5,000/500 on one A100, TensorRT-LLM 0.14), whose steps are mostly decode attention over thousands of
    /// cached tokens, are within 12 % of the measurement. They ran 13–26 % fast on TensorRT-LLM 1.0's A100
    /// decode-attention table, which times 2 GiB of KV cache a layer at 1.65 × the card's bandwidth
    /// (`KernelTable.decodeAttentionStandIn`); the same GPU's vLLM table puts them within 8 %.
    func testA100TensorRTLLMBurstsAtLongOutputs() throws {
        let catalog = try loadShipped()
        let rows = try Fixtures.calibrationCases().filter { ["m045", "m046", "m047", "m048"].contains($0.row.id) }
        XCTAssertEqual(rows.count, 4)
        for c in compareAll(rows, calibration: catalog.calibration) {
            XCTAssertLessThanOrEqual(abs(c.relativeError), 0.12, c.rowID)
        }
    }

    /// Llama 3.1 70B FP8 on 4 × L40S (TRT014 m077–m080, TensorRT-LLM 0.14 bursts at 128/2,048, 1,000/1,000,
    /// 2,048/2,048 and 5,000/500): within 35 % of NVIDIA's measurements with the all-reduce a ring of the
    /// L40S pair's measured hops. At AIConfigurator's TP 4 measurement (3.4 × the pair's time per byte, most
    /// likely traffic between CPU sockets) they were 46–60 % slow; at the PCIe datasheet link, 43–67 % fast.
    func testL40SAtTP4RunsAtItsPairsAllReduce() throws {
        let catalog = try loadShipped()
        let rows = try Fixtures.calibrationCases().filter { ["m077", "m078", "m079", "m080"].contains($0.row.id) }
        XCTAssertEqual(rows.count, 4)
        for c in compareAll(rows, calibration: catalog.calibration) {
            XCTAssertLessThanOrEqual(abs(c.relativeError), 0.35, "\(c.rowID): \(c.predicted) against \(c.measured)")
        }
    }

    /// A family's two factors move together: from the ampere factors before the twelfth session (0.62 /
    /// 1.02) one knob at a time cannot leave them — raising bandwidth alone speeds the A100 PCIe 80GB
    /// bursts (TRT014, m049–m051) past their measurements, lowering compute alone slows them — although the
    /// pair (1, 0.56) fits those bursts and John Musgrave's batch-1 decode on an A100 40GB better (c26:
    /// 75 tokens/s, −40.7 % at the old factors, −20.3 % at the new; the bursts +15.1, +0.6, −7.3 %).
    func testFamilyFactorsMoveTogether() throws {
        let catalog = try loadShipped()
        let all = try Fixtures.calibrationCases()
        // The A100 PCIe rows beside NIM's nine Hopper rows, which keep Hopper the reference family.
        let ampere = all.filter { ["c26", "m049", "m050", "m051"].contains($0.row.id) }
        let cases = ampere + all.filter { $0.row.source == "NIM" }
        XCTAssertEqual(ampere.count, 4)
        var start = catalog.calibration
        start.families[.ampere] = FamilyFactors(bandwidth: 0.62, compute: 1.02)
        let fitted = fitCalibration(cases, start: start, rounds: 1, scope: .families)
        XCTAssertGreaterThanOrEqual(fitted.factors(for: .ampere).bandwidth, 0.95)
        XCTAssertLessThanOrEqual(fitted.factors(for: .ampere).compute, 0.7)
        for c in compareAll(ampere, calibration: fitted) {
            XCTAssertLessThanOrEqual(abs(c.relativeError), c.rowID == "c26" ? 0.25 : 0.16, c.rowID)
        }
        let before = compareAll(ampere.filter { $0.row.id == "c26" }, calibration: start)
        XCTAssertLessThan(before.first!.relativeError, -0.35)
    }

    /// `scope` limits what the fit moves: `.families` keeps every engine constant of `start` and `.engines`
    /// every family factor, while each still improves its objective.
    func testFitScopeKeepsTheOtherConstants() throws {
        let catalog = try loadShipped()
        let all = try Fixtures.calibrationCases()
        // 24 MI300X rows beside 26 Hopper ones (GPUStack, NIM, MLPerf's NVIDIA systems): Hopper stays the
        // reference family, as in the shipped fit, and cdna3's factors are free.
        let cases = Fixtures.staggered(all.filter { ["ROCM-VLLM", "MLPERF-4.1", "GPUSTACK", "NIM"].contains($0.row.source) })
        XCTAssertEqual(cases.filter { $0.deployment.gpu.family == .cdna3 }.count, 24)
        XCTAssertEqual(cases.filter { $0.deployment.gpu.family == .hopper }.count, 26)
        var start = catalog.calibration
        start.families[.cdna3] = FamilyFactors(bandwidth: 0.96, compute: 0.96)
        let loss0 = CalibrationSummary(compareAll(cases, calibration: start)).meanAbsoluteLogError
        let families = fitCalibration(cases, start: start, rounds: 1, scope: .families)
        XCTAssertEqual(families.engines, start.engines)
        XCTAssertNotEqual(families.factors(for: .cdna3), start.factors(for: .cdna3))
        XCTAssertLessThan(CalibrationSummary(compareAll(cases, calibration: families)).meanAbsoluteLogError, loss0)
        let engines = fitCalibration(cases, start: start, rounds: 1, scope: .engines)
        XCTAssertEqual(engines.factors(for: .cdna3), start.factors(for: .cdna3))
        XCTAssertEqual(engines.factors(for: .ampere), start.factors(for: .ampere))
        XCTAssertNotEqual(engines.calibration(for: .vllm), start.calibration(for: .vllm))
        XCTAssertLessThan(CalibrationSummary(compareAll(cases, calibration: engines)).meanAbsoluteLogError, loss0)
    }

    /// Llama 3.1 8B fp16 on one GPU under vLLM, one client: the estimate the per-card tests compare.
    private func oneClientOf8B(on gpu: String, prompt: Int, output: Int, _ catalog: Catalog) throws -> ServingEstimate {
        let d = Deployment(model: try XCTUnwrap(catalog.model("llama-3.1-8b")), gpu: try XCTUnwrap(catalog.gpu(gpu)), gpuCount: 1,
                           tensorParallel: 1, weightPrecision: .fp16, kvPrecision: .fp16, engine: .vllm)
        return estimateServing(d, ServingWorkload(promptTokens: prompt, outputTokens: output, load: .concurrency(1)),
                               calibration: catalog.calibration)
    }
}
