import XCTest
@testable import PlannerCore

/// The `calibration:` catalog section, the measurements reader's diagnostics, and the table reaching
/// the candidate generator.
final class CalibrationOverlayTests: XCTestCase {
    func testShippedCatalogUsesTheShippedTable() throws {
        let catalog = try loadShipped()
        XCTAssertEqual(catalog.calibration.engines, CalibrationTable.shipped.engines)
        XCTAssertEqual(catalog.calibration.families, CalibrationTable.shipped.families)
        // The loader attaches the measured kernel curves shipped beside the catalog.
        XCTAssertEqual(catalog.calibration.kernels?.source, "aiconfigurator-core 0.12.0 (Apache-2.0)")
        XCTAssertEqual(catalog.calibrationFiles, [])
    }

    func testCalibrationSectionOverridesOnlyWhatItNames() throws {
        let catalog = try CatalogLoader.load(yaml: """
            calibration:
              source: my runs
              engines:
                vllm: {bandwidth_efficiency: 0.6, request_overhead_ms: 20}
                sglang: {compute_efficiency: 0.3}
              gpu_families:
                ada: {bandwidth: 0.9}
            """, file: "cal.yaml")
        let vllm = catalog.calibration.calibration(for: .vllm)
        XCTAssertEqual(vllm.bandwidthEfficiency, 0.6)
        XCTAssertEqual(vllm.requestOverheadMs, 20)
        XCTAssertEqual(vllm.computeEfficiency, CalibrationTable.shipped.calibration(for: .vllm).computeEfficiency)
        XCTAssertEqual(catalog.calibration.calibration(for: .trtllm), CalibrationTable.shipped.calibration(for: .trtllm))
        // sglang has its own shipped constants; the overlay changes the one it names.
        XCTAssertEqual(catalog.calibration.calibration(for: .sglang).computeEfficiency, 0.3)
        XCTAssertEqual(catalog.calibration.calibration(for: .sglang).bandwidthEfficiency,
                       CalibrationTable.shipped.calibration(for: .sglang).bandwidthEfficiency)
        XCTAssertEqual(catalog.calibration.factors(for: .ada), FamilyFactors(bandwidth: 0.9, compute: 1))
        XCTAssertEqual(catalog.calibration.factors(for: .ampere), CalibrationTable.shipped.factors(for: .ampere))
        XCTAssertEqual(catalog.calibrationFiles, ["cal.yaml"])
    }

    func testCalibrationSectionDiagnostics() {
        XCTAssertEqual(catalogDiagnostics("""
            calibration:
              engines:
                vlm: {bandwidth_efficiency: 0.6}
                trtllm: {bandwidth_efficiency: 1.5, step_overhead_ms: -1, stepoverhead: 2}
              gpu_families:
                hoper: {bandwidth: 1}
            """, file: "cal.yaml"), [
                "cal.yaml:3:5: calibration.engines.vlm: unknown key, did you mean 'vllm'?",
                "cal.yaml:4:36: calibration.engines.trtllm.bandwidth_efficiency: out of range (got 1.5), expected 0 to 1",
                "cal.yaml:4:59: calibration.engines.trtllm.step_overhead_ms: must not be negative (got -1)",
                "cal.yaml:4:63: calibration.engines.trtllm.stepoverhead: unknown key, did you mean 'step_overhead_ms'?",
                "cal.yaml:6:5: calibration.gpu_families.hoper: unknown key, did you mean 'hopper'?",
            ])
        XCTAssertEqual(catalogDiagnostics("calibration: {}\n", file: "cal.yaml"),
                       ["cal.yaml:1:14: calibration: sets nothing, expected engines and/or gpu_families"])
        XCTAssertEqual(catalogDiagnostics("calibraton: {}\n", file: "cal.yaml").first?.contains("did you mean 'calibration'?"), true)
    }

    func testOverlayYAMLRoundTripsAndLaterOverlaysWin() throws {
        var table = CalibrationTable.shipped
        table.engines[.vllm]!.bandwidthEfficiency = 0.61
        table.engines[.vllm]!.stepOverheadMs = 2.3
        table.families[.ada] = FamilyFactors(bandwidth: 0.95, compute: 0.8)
        let yaml = table.overlayYAML(engines: [.vllm], families: [.ada], source: "test \"quoted\"", header: ["a comment"])
        XCTAssertTrue(yaml.hasPrefix("# a comment\ncalibration:\n"), yaml)
        let loaded = try CatalogLoader.load(yaml: yaml, file: "calibration.yaml").calibration
        XCTAssertEqual(loaded.calibration(for: .vllm), table.calibration(for: .vllm))
        XCTAssertEqual(loaded.factors(for: .ada), table.factors(for: .ada))

        let dir = try temporaryDirectory(self)
        let first = dir.appendingPathComponent("a"), second = dir.appendingPathComponent("b")
        for d in [first, second] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try yaml.write(to: first.appendingPathComponent("calibration.yaml"), atomically: true, encoding: .utf8)
        try "calibration:\n  engines:\n    vllm: {step_overhead_ms: 4}\n"
            .write(to: second.appendingPathComponent("calibration.yaml"), atomically: true, encoding: .utf8)
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [first, second], currentDirectory: dir.path)
        XCTAssertEqual(catalog.calibration.calibration(for: .vllm).stepOverheadMs, 4)
        XCTAssertEqual(catalog.calibration.calibration(for: .vllm).bandwidthEfficiency, 0.61)
        XCTAssertEqual(catalog.calibrationFiles, ["a/calibration.yaml", "b/calibration.yaml"])
    }

    func testCandidateGeneratorUsesTheCatalogsTable() throws {
        let catalog = try loadShipped()
        let model = try XCTUnwrap(catalog.model("llama-3.1-8b"))
        let gpu = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        func capacity(_ table: CalibrationTable) throws -> Double {
            let g = CandidateGenerator(
                model: model, weightPrecision: .fp16, kvPrecision: .fp16, engine: .vllm, virtualizationOverhead: 0,
                promptTokens: 512, outputTokens: 256,
                target: SLO(ttftMs: 2000, tpotMs: 50, e2eMs: nil, percentile: 99), demandUnit: .requestsPerSecond,
                calibration: table)
            return try g.evaluate(gpu: gpu, tensorParallel: 1).get().capacityPerReplica
        }
        // The H100 is timed by its measured kernel curves; the engine's step overhead still applies.
        var slower = catalog.calibration
        slower.engines[.vllm]!.stepOverheadMs = 10
        XCTAssertLessThan(try capacity(slower), 0.8 * (try capacity(catalog.calibration)))
    }

    // MARK: Measurements file

    static let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes"

    func csvDiagnostics(_ text: String) -> [String] {
        do {
            _ = try parseCalibrationCSV(text, file: "runs.csv")
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    func testCSVRowsKeepTheirLineNumbersAndQuotedCommas() throws {
        let rows = try parseCalibrationCSV("""
            # my runs

            \(Self.header)
            r1,llama-3.1-8b,int4,rtx-4090-24gb,2,2,vLLM-0.8.5,512,256,concurrency,4,30,9.5,,,"lab, rack 3","a, b"
            r2,llama-3.1-8b,fp8,h100-sxm-80gb,1,1,trtllm-1.0,128,128,max,,,,28000,,,
            """, file: "runs.csv")
        XCTAssertEqual(rows.map(\.id), ["r1", "r2"])
        XCTAssertEqual(rows[0].location.line, 4)
        XCTAssertEqual(rows[0].precision, .int4GPTQ)
        XCTAssertEqual(rows[0].engine, .vllm)
        XCTAssertEqual(rows[0].source, "lab, rack 3")
        XCTAssertEqual(rows[0].load, .concurrency(4))
        XCTAssertEqual(rows[1].load, .maximum)
        XCTAssertEqual(rows[1].location(of: "output_tok_s").description, "runs.csv:5:65")
    }

    /// A file saved with Windows line ends reads the same ("\r\n" is one Character in Swift, so
    /// splitting at "\n" alone once left the whole file on one line).
    func testCSVWithWindowsLineEnds() throws {
        let text = "# my runs\r\n\(Self.header)\r\nr2,llama-3.1-8b,fp8,h100-sxm-80gb,1,1,trtllm-1.0,128,128,max,,,,28000,,,\r\n"
        let rows = try parseCalibrationCSV(text, file: "runs.csv")
        XCTAssertEqual(rows.map(\.id), ["r2"])
        XCTAssertEqual(rows[0].location.line, 3)
        XCTAssertEqual(rows[0].location(of: "output_tok_s").description, "runs.csv:3:65")
    }

    func testCSVDiagnostics() {
        XCTAssertEqual(csvDiagnostics("""
            \(Self.header)
            r1,llama-3.1-8b,fp61,h100-sxm-80gb,1,3,vllm-0.8.5,5.5,256,concurency,16,90,fast,,,,
            r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,tgi-2,512,256,rate,,,,,,,
            r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm,512,256,max,,,,100,,,,,
            """), [
                "runs.csv:2:17: precision: unknown precision 'fp61', did you mean 'fp16'?",
                "runs.csv:2:38: tp: tp 3 does not divide gpus 1, expected gpus to be a whole number of tensor-parallel groups",
                "runs.csv:2:51: isl: must be a whole number (got 5.5)",
                "runs.csv:2:59: load_kind: unknown load kind 'concurency', did you mean 'concurrency'?",
                "runs.csv:2:76: tpot_ms: must be a number (got 'fast')",
                "runs.csv:3:1: id: duplicate id 'r1' (first on line 2), expected each row id once",
                "runs.csv:3:40: engine: unknown engine 'tgi-2', expected a name starting with vllm, trtllm, sglang or nim-trtllm (e.g. vllm-0.8.5)",
                "runs.csv:3:59: load_value: missing value, expected requests per second for load_kind rate",
                "runs.csv:3:60: no measured figure, expected at least one of ttft_ms, tpot_ms, output_tok_s",
                "runs.csv:4:67: 19 fields, expected at most 17 (one per header column; quote a field that holds commas)",
            ])
        XCTAssertEqual(csvDiagnostics("id,model,gpu\nr1,a,b\n"), [
            "runs.csv:1:1: header lacks columns precision, gpus, tp, engine, isl, osl, load_kind, load_value, ttft_ms, tpot_ms, output_tok_s, expected calibration.csv's header: id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s[,source,notes,num_requests]",
        ])
        XCTAssertEqual(csvDiagnostics("# nothing\n"), [
            "runs.csv:1:1: file has no header line, expected calibration.csv's header: id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s",
        ])
    }

    /// The optional `max_num_seqs` and `max_num_batched_tokens` columns set the engine a row ran (empty:
    /// its defaults), are checked like the spec's keys, and change the prediction: vllm#17788's H100 NVL run
    /// (m204: Qwen3-32B bf16, 1,000 ShareGPT prompts at once, `--max-num-seqs 32`) decodes 32 at a time; at
    /// vLLM's default 256 the KV cache (198 sequences of 418 tokens) would be the limit, and the run faster.
    func testEngineSettingsColumnsSetTheRowsEngine() throws {
        let catalog = try loadShipped()
        let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,max_num_seqs,max_num_batched_tokens"
        let rows = try parseCalibrationCSV("""
            \(header)
            a,qwen3-32b,bf16,h100-nvl-94gb,1,1,vllm-0.8.5,217,201,burst,1000,,,653.61,32,
            b,qwen3-32b,bf16,h100-nvl-94gb,1,1,vllm-0.8.5,217,201,burst,1000,,,653.61,,
            c,qwen3-32b,bf16,h100-nvl-94gb,1,1,vllm-0.8.5,217,201,burst,1000,,,653.61,64,2048
            """, file: "runs.csv")
        XCTAssertEqual(rows.map(\.maxNumSeqs), [32, nil, 64])
        XCTAssertEqual(rows.map(\.maxNumBatchedTokens), [nil, nil, 2048])
        let cases = try calibrationCases(rows, catalog: catalog)
        XCTAssertEqual(cases.map(\.deployment.engineSettings.maxBatch), [32, 256, 64])
        XCTAssertEqual(cases.map(\.deployment.engineSettings.maxTokensPerStep), [8192, 8192, 2048])
        let capped = estimateServing(cases[0].deployment, cases[0].workload, calibration: catalog.calibration)
        let uncapped = estimateServing(cases[1].deployment, cases[1].workload, calibration: catalog.calibration)
        XCTAssertEqual(capped.batch, 32)
        XCTAssertLessThan(capped.outputTokensPerSecond, 0.8 * uncapped.outputTokensPerSecond)
        XCTAssertEqual(csvDiagnostics("""
            \(header)
            a,qwen3-32b,bf16,h100-nvl-94gb,1,1,vllm-0.8.5,217,201,burst,1000,,,653.61,0,8
            """), [
                "runs.csv:2:75: max_num_seqs: out of range (got 0), expected 1 to 1000000",
                "runs.csv:2:77: max_num_batched_tokens: out of range (got 8), expected 16 to 10000000",
            ])
    }

    func testUnknownIdsSuggestCatalogIds() throws {
        let catalog = try loadShipped()
        let rows = try parseCalibrationCSV("""
            \(Self.header)
            r1,llama-3.1-8x,fp16,h100-sxm-80g,1,1,vllm,512,256,max,,,,100,,,
            r2,llama-3-8b,fp16,h100-sxm-80gb,1,1,vllm,512,256,max,,,,100,,,
            """, file: "runs.csv")
        do {
            _ = try calibrationCases(rows, catalog: catalog)
            XCTFail("expected unknown ids")
        } catch {
            XCTAssertEqual(error.diagnostics.map(\.description), [
                "runs.csv:2:4: model: unknown model 'llama-3.1-8x', did you mean 'llama-3.1-8b'?",
                "runs.csv:2:22: gpu: unknown GPU 'h100-sxm-80g', did you mean 'h100-sxm-80gb'?",
            ])
        }
        let cases = try calibrationCases(Array(rows.dropFirst()), catalog: catalog)
        XCTAssertEqual(cases.first?.deployment.model.id, "llama-3.1-8b")
    }

    /// `planner calibrate` on the shipped measurements, read through the catalog: the shipped
    /// constants are already a fixed point of the fit.
    func testFittingTheShippedMeasurementsFromTheShippedTableKeepsIt() throws {
        let catalog = try loadShipped()
        let text = try String(contentsOf: Fixtures.measurementsURL, encoding: .utf8)
        // One source keeps the fit cheap in a debug build: NVIDIA NIM's closed-loop sweep of Llama-3.1-70B,
        // scored as the staggered steady state (its waves, simulated, would cost minutes here).
        let cases = Fixtures.staggered(try calibrationCases(try parseCalibrationCSV(text), catalog: catalog).filter { $0.row.source == "NIM" })
        XCTAssertEqual(cases.count, 9)
        let fitted = fitCalibration(cases, start: catalog.calibration, rounds: 2)
        let before = CalibrationSummary(compareAll(cases, calibration: catalog.calibration)).meanAbsoluteLogError
        let after = CalibrationSummary(compareAll(cases, calibration: fitted)).meanAbsoluteLogError
        XCTAssertLessThanOrEqual(after, before + 1e-12)
    }
}
