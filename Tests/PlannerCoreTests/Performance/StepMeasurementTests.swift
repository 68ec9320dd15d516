import XCTest
@testable import PlannerCore

/// The step model against engine steps timed on an H200 (catalogs/step-measurements.csv, measured by
/// scripts/measure-step-times.py; never fitted). docs/performance-model.md, "Measured on an H200",
/// has the whole table and why the prompt steps and the small-batch long-context steps differ.
final class StepMeasurementTests: XCTestCase {
    private func shippedRows() throws -> [StepMeasurement] {
        let url = repositoryRoot.appendingPathComponent("catalogs/step-measurements.csv")
        return try StepMeasurement.parse(try String(contentsOf: url, encoding: .utf8), file: url.path)
    }

    private func comparisons() throws -> [StepComparison] {
        try compareStepModel(try shippedRows(), catalog: try loadShipped(), engine: .vllm)
    }

    func testShippedFileHoldsFiveConfigurationsFromTheDevice() throws {
        let rows = try shippedRows()
        XCTAssertEqual(rows.count, 169)
        XCTAssertEqual(Set(rows.map { "\($0.model) \($0.weightPrecision.rawValue)" }),
                       ["llama-3.1-8b bf16", "llama-3.1-8b fp8", "llama-3.1-70b fp8", "mixtral-8x7b bf16", "mixtral-8x7b fp8"])
        XCTAssertEqual(Set(rows.map(\.gpu)), ["h200-sxm-141gb"])
        XCTAssertEqual(Set(rows.map(\.source)), ["DEVICE-H200"])
    }

    /// Dense (Llama) decode steps with eight or more sequences, where PyTorch's attention kernel fills the
    /// GPU as an engine's does: measured 3.5 % median and 15.4 % largest error with vLLM's H200 curves.
    func testDecodeStepsMatchTheMeasuredH200Steps() throws {
        let decode = try comparisons().filter {
            $0.measurement.withAttention && $0.measurement.prefillTokens == 0 && $0.measurement.decodeSequences >= 8
                && $0.measurement.model.hasPrefix("llama")
        }
        XCTAssertEqual(decode.count, 52)
        let errors = decode.map { abs($0.error) }.sorted()
        XCTAssertLessThanOrEqual(errors[errors.count / 2], 0.06, "median |error| of the decode steps")
        for c in decode {
            XCTAssertLessThanOrEqual(abs(c.error), 0.20, "\(c.measurement.id): b=\(c.measurement.decodeSequences) L=\(c.measurement.contextTokens) measured \(c.measurement.stepMs) ms, model \(c.predictedMs) ms")
        }
    }

    /// Mixtral 8x7B (8 experts, 2 per token) in bf16: decode steps of 16–256 sequences at 1,024 tokens,
    /// whose weights read are the dense layers plus the experts the step's tokens touch (the model's
    /// E · (1 − (1 − k/E)^tokens); all 8 from 16 tokens on). Measured −3.0 … −6.6 %, the model faster: the
    /// plain PyTorch MoE runs each expert with its own gather, GEMMs and scatter-add (about 1,500 small
    /// kernels a step) where engines run one grouped GEMM. (fp8 experts: −14 … −23 % at 8–64 sequences,
    /// each expert's 2–16 rows padded to 16 for the fp8 GEMM; docs/performance-model.md.)
    func testMixtureOfExpertsDecodeStepsMatch() throws {
        let decode = try comparisons().filter {
            $0.measurement.model == "mixtral-8x7b" && $0.measurement.weightPrecision == .bf16 && $0.measurement.withAttention
                && $0.measurement.prefillTokens == 0 && $0.measurement.decodeSequences >= 16
        }
        XCTAssertEqual(decode.count, 5)
        for c in decode {
            XCTAssertEqual(c.error, 0, accuracy: 0.10, "\(c.measurement.id): b=\(c.measurement.decodeSequences) measured \(c.measurement.stepMs) ms, model \(c.predictedMs) ms")
        }
    }

    /// How a decode step grows with the batch at a fixed context, from 8 (fp8: 32, since the fp8 GEMM
    /// pads fewer than 16 rows to 16) to 128–512 sequences: measured 1.5–5.5×. The model's growth is
    /// within 15 % of it (it grows up to 13 % more steeply), so the five-fold TPOT growth of
    /// closed-loop sweeps is not GPU time that the step model misses.
    func testDecodeStepGrowsWithTheBatchAsMeasured() throws {
        let all = try comparisons()
        func step(_ model: String, _ w: Precision, b: Int, L: Int) throws -> StepComparison {
            try XCTUnwrap(all.first {
                $0.measurement.model == model && $0.measurement.weightPrecision == w && $0.measurement.withAttention
                    && $0.measurement.prefillTokens == 0 && $0.measurement.decodeSequences == b && $0.measurement.contextTokens == L
            }, "\(model) \(w) b=\(b) L=\(L)")
        }
        let pairs: [(String, Precision, Int, Int, Int)] = [
            ("llama-3.1-8b", .bf16, 8, 512, 1024), ("llama-3.1-8b", .bf16, 8, 384, 2048),
            ("llama-3.1-8b", .bf16, 8, 128, 4096), ("llama-3.1-8b", .fp8, 32, 512, 1024),
            ("llama-3.1-70b", .fp8, 8, 128, 1024),
        ]
        for (model, w, small, large, L) in pairs {
            let a = try step(model, w, b: small, L: L), z = try step(model, w, b: large, L: L)
            let measured = z.measurement.stepMs / a.measurement.stepMs
            let predicted = z.predictedMs / a.predictedMs
            XCTAssertGreaterThan(measured, 1.5, "\(model) \(w) L=\(L): the step grows with the batch")
            XCTAssertEqual(predicted / measured, 1, accuracy: 0.15,
                           "\(model) \(w) L=\(L) b \(small)→\(large): measured ×\(measured), model ×\(predicted)")
        }
    }

    /// The GEMMs of a prompt step against cuBLAS timed alone on the same H200 (catalogs/gemm-measurements.csv:
    /// each of a layer's four shapes for m tokens, L2 flushed between replays). A prompt step of m tokens
    /// runs every layer's four GEMMs on m rows and the LM head on one; the model's step without attention
    /// (vLLM's curves, from AIConfigurator's measurements) is that sum within 10 % for m = 1,024–8,192,
    /// 8B bf16 and fp8 and 70B fp8 (measured: −7.9 … +4.9 %; −1.0 … +4.9 % from 2,048 tokens, the model
    /// faster at 1,024). At decode sizes a GEMM timed alone
    /// carries its own launch and event overhead (a 6,144 × 4,096 GEMM of one row takes 23 µs), so the
    /// whole steps above are the check there.
    func testPromptStepGEMMsMatchCuBLASTimedAlone() throws {
        let catalog = try loadShipped()
        let url = repositoryRoot.appendingPathComponent("catalogs/gemm-measurements.csv")
        // model, precision, gemm, m → ms (columns model,precision,gpu,gemm,m,n,k,ms,…).
        var ms: [String: Double] = [:]
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        where !line.hasPrefix("#") && !line.hasPrefix("model,") {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            ms["\(f[0]) \(f[1]) \(f[3]) \(f[4])"] = try XCTUnwrap(Double(f[7]), String(line))
        }
        let gpu = try XCTUnwrap(catalog.gpu("h200-sxm-141gb"))
        for (id, weights) in [("llama-3.1-8b", Precision.bf16), ("llama-3.1-8b", .fp8), ("llama-3.1-70b", .fp8)] {
            let model = try XCTUnwrap(catalog.model(id))
            let s = StepModel(Deployment(model: model, gpu: gpu, gpuCount: 1, tensorParallel: 1, weightPrecision: weights,
                                         kvPrecision: .bf16, engine: .vllm), calibration: catalog.calibration)
            for m in [1024, 2048, 4096, 8192] {
                let layer = try ["qkv", "o", "gate_up", "down"].map {
                    try XCTUnwrap(ms["\(id) \(weights.rawValue) \($0) \(m)"], "\(id) \(weights) \($0) m=\(m)")
                }.reduce(0, +)
                let lmHead = try XCTUnwrap(ms["\(id) bf16 lm_head 1"])
                let measured = Double(model.layers) * layer + lmHead
                let row = StepMeasurement(
                    id: "gemms", model: id, weightPrecision: weights, kvPrecision: .bf16, gpu: gpu.id, engineVersion: "",
                    decodeSequences: 0, contextTokens: 0, prefillTokens: m, withAttention: false, stepMs: measured,
                    source: "", location: SourceLocation(file: url.path, line: 1, column: 1))
                let predicted = s.gpuSeconds(of: row) * 1e3
                XCTAssertEqual(predicted / measured, 1, accuracy: 0.10, "\(id) \(weights) m=\(m): GEMMs \(measured) ms, model \(predicted) ms")
            }
        }
    }

    func testNoAttentionRowsLeaveAttentionOut() throws {
        // The same step without attention: the model's time at context 0 (no KV read) for decode, and
        // prefill context 0 (no prompt attention) for a prompt step.
        let catalog = try loadShipped()
        let row = try XCTUnwrap(try shippedRows().first { !$0.withAttention && $0.prefillTokens == 8192 && $0.model == "llama-3.1-8b" && $0.weightPrecision == .bf16 })
        let d = Deployment(model: try XCTUnwrap(catalog.model("llama-3.1-8b")), gpu: try XCTUnwrap(catalog.gpu("h200-sxm-141gb")),
                           gpuCount: 1, tensorParallel: 1, weightPrecision: .bf16, kvPrecision: .bf16, engine: .vllm)
        let s = StepModel(d, calibration: catalog.calibration)
        XCTAssertEqual(s.gpuSeconds(of: row),
                       s.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: 8192, prefillContext: 0) - s.stepOverheadSeconds,
                       accuracy: 1e-12)
        var with = row
        with.withAttention = true
        XCTAssertGreaterThan(s.gpuSeconds(of: with), s.gpuSeconds(of: row))
    }

    func testBadRowsAreReportedWithLineColumnAndField() {
        let text = """
            # comment
            id,model,precision,kv_precision,gpu,engine,decode_sequences,context,prefill_tokens,attention,step_ms
            s1,llama-3.1-8b,bf16,bf16,h200-sxm-141gb,pytorch,8,1024,0,maybe,5.7
            s2,llama-3.1-8b,int4,bf16,h200-sxm-141gb,pytorch,8,1024,0,yes,-1
            s2,llama-3.1-8b,bf16,bf16,h200-sxm-141gb,pytorch,0,0,0,yes,1
            """
        XCTAssertThrowsError(try StepMeasurement.parse(text, file: "steps.csv")) { error in
            let d = (error as! CalibrationError).diagnostics.map(\.description)
            XCTAssertTrue(d.contains { $0.hasPrefix("steps.csv:3:") && $0.contains("attention") && $0.contains("expected yes or no") }, "\(d)")
            XCTAssertTrue(d.contains { $0.hasPrefix("steps.csv:4:") && $0.contains("precision") && $0.contains("unknown precision 'int4'") }, "\(d)")
            XCTAssertTrue(d.contains { $0.hasPrefix("steps.csv:4:") && $0.contains("step_ms") && $0.contains("positive") }, "\(d)")
            XCTAssertTrue(d.contains { $0.hasPrefix("steps.csv:5:") && $0.contains("duplicate id 's2' (first on line 4)") }, "\(d)")
            XCTAssertTrue(d.contains { $0.hasPrefix("steps.csv:5:") && $0.contains("no decode sequences and no prefill tokens") }, "\(d)")
        }
        XCTAssertThrowsError(try StepMeasurement.parse("id,model\ns1,x\n", file: "steps.csv")) { error in
            let d = (error as! CalibrationError).diagnostics.map(\.description)
            XCTAssertTrue(d.first?.contains("header lacks precision") == true, "\(d)")
        }
    }
}
