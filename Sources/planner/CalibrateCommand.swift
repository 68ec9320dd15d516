import ArgumentParser
import Foundation
import PlannerCore

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit the performance model's efficiency constants to your own benchmark results.",
        discussion: """
            Reads measurements in calibration.csv's format (header: \(calibrationRequiredColumns.joined(separator: ",")) \
            [,requests_s,source,notes,num_requests and the optional columns below]; one row per run of vLLM's or TensorRT-LLM's benchmark tools; \
            see catalogs/calibration-measurements.csv and docs/performance-model.md). engine is the engine and \
            version as published (vllm-0.8.5, trtllm-1.0, sglang-0.5.3; trtllm-nim-1.8.0 for NVIDIA NIM serving a \
            TensorRT-LLM profile, fitted as engine nim-trtllm). load_kind is one of \
            concurrency (closed loop: load_value clients, each sending its next request when the last \
            completes), rate (Poisson arrivals, load_value requests/s) or burst (load_value requests sent at \
            once; empty for a burst that keeps the engine full); optional kv_precision and latency_stat \
            (mean, median, p99) columns say how the run was measured, and max_num_seqs, \
            max_num_batched_tokens, enable_chunked_prefill, expert_parallel and attention_dp (each true or \
            false) the engine settings it ran with (empty: the engine's defaults); lengths fixed \
            marks a run whose every request was exactly isl in and osl out (genai-perf with ignore_eos and \
            stddev 0, vllm bench serve --ignore-eos on random prompts): its closed loop is scored as the \
            synchronised waves such a benchmark runs (simulated; measured after warmup_requests requests where \
            the row gives them, else from the start), any other as the staggered steady state. Fits, for the engines and \
            GPU families present, the bandwidth, attention and compute efficiency, step overhead, per-sequence cost and \
            request overhead (the last only where TTFT is measured), starting from the constants in effect \
            (the shipped ones, or earlier --catalog overlays). Prints each measured figure's error before and \
            after (a warning for every figure the fit makes worse), states which engines and GPU families \
            the fit changes (--fit engines or --fit families fits only those), warns of a closed-loop row whose own \
            means break Little's law (clients = output_tok_s / osl × (ttft_ms + (osl − 1) × tpot_ms), within 0.8–1.25), \
            with --leave-one-source-out reports each source's error when it is held out, \
            with --split-half deals the sources into two halves of about equal rows, fits on each and scores the other, \
            and with --hold-out fits on every source but the ones named and prints their rows' held-out errors; \
            --exclude-source leaves a source's rows out of everything (the fit, the report and the held-out runs); \
            with --output it writes the constants as a catalog overlay (atomically); pass its directory \
            with --catalog to every later command.

            With --steps the file holds engine-step times instead (catalogs/step-measurements.csv's format, \
            written by scripts/measure-step-times.py on a GPU): each row's measured step is printed beside the \
            step model's GPU time for it (no engine overheads) with --engine's kernel curves, and a median per \
            kind of step; nothing is fitted.

            Model and GPU ids must be catalog ids (llama-3-8b is read as llama-3.1-8b: same architecture). A \
            malformed row is reported as file:line:column: csv_column: what is wrong, exit 2.

            \(HelpExamples.text(
                "planner calibrate my-runs.csv --output my-calibration/calibration.yaml",
                "planner calibrate catalogs/calibration-measurements.csv --exclude-source DSTACK --exclude-source DSTACK-R1 --leave-one-source-out",
                "planner calibrate catalogs/calibration-measurements.csv --split-half",
                "planner calibrate catalogs/calibration-measurements.csv --exclude-source DSTACK --exclude-source DSTACK-R1 --hold-out DLI-NIM --rounds 1",
                "planner calibrate my-mi300x-runs.csv --fit families --output mi300x/calibration.yaml",
                "planner calibrate --steps catalogs/step-measurements.csv",
                "planner estimate --catalog my-calibration --model llama-3.1-8b --gpu h100-sxm-80gb --precision fp16 --input-tokens 512 --output-tokens 256 --concurrency 16"))
            """
    )

    @Argument(help: ArgumentHelp("Measurements in calibration.csv's format.", valueName: "results.csv"))
    var resultsPath: String

    @Option(help: ArgumentHelp(
        "Write the fitted constants as a catalog overlay to this file (e.g. DIR/calibration.yaml; the directory is created).",
        valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Coordinate-descent rounds (1 to 20).", valueName: "n"))
    var rounds: Int = 4

    @Option(
        help: ArgumentHelp(
            "Which constants to fit: all, engines (the per-engine constants only) or families (the GPU-family factors only, the engines' constants kept).",
            valueName: "scope"),
        transform: { value in
            guard let scope = CalibrationScope(rawValue: value) else {
                throw ValidationError("--fit must be one of \(CalibrationScope.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(value)')")
            }
            return scope
        })
    var fit: CalibrationScope = .all

    @Flag(name: .customLong("leave-one-source-out"), help: ArgumentHelp(
        "Also fit once per source without that source's rows and report the error on them (held-out error)."))
    var leaveOneSourceOut = false

    @Flag(name: .customLong("split-half"), help: ArgumentHelp(
        "Also deal the sources into two halves of about equal rows (largest first, each to the smaller half), fit on one half and report the error on the other, both ways."))
    var splitHalf = false

    @Option(name: .customLong("hold-out"), help: ArgumentHelp(
        "Fit (from round prior values) on every row but this source's and print this source's rows against the constants in effect and the fitted ones (repeatable; held out together).",
        valueName: "tag"))
    var heldOutSources: [String] = []

    @Option(name: .customLong("exclude-source"), help: ArgumentHelp(
        "Leave out the rows whose source column is this tag (repeatable).", valueName: "tag"))
    var excludedSources: [String] = []

    @Flag(help: ArgumentHelp(
        "The file holds engine-step times (catalogs/step-measurements.csv's format): compare the step model with them; fit nothing."))
    var steps = false

    @Option(
        help: ArgumentHelp(
            "With --steps: whose kernel curves time the steps: \(EngineProfile.allCases.map(\.rawValue).joined(separator: ", ")) (default: vllm).",
            valueName: "e"),
        transform: { try DeploymentOptions.engine($0) })
    var engine: EngineProfile?

    @OptionGroup var catalogOptions: CatalogOptions

    static let maxBytes = 16 << 20

    func validate() throws {
        if steps {
            let fitting = [(output != nil, "--output"), (leaveOneSourceOut, "--leave-one-source-out"),
                           (splitHalf, "--split-half"), (!heldOutSources.isEmpty, "--hold-out"),
                           (!excludedSources.isEmpty, "--exclude-source"), (rounds != 4, "--rounds"),
                           (fit != .all, "--fit")]
            if let (_, name) = fitting.first(where: { $0.0 }) {
                throw ValidationError("\(name) is for fitting, and --steps fits nothing; drop one of them")
            }
        } else if engine != nil {
            throw ValidationError("--engine goes with --steps (a calibration file names each row's engine)")
        }
        if !heldOutSources.isEmpty {
            let others = [(output != nil, "--output"), (leaveOneSourceOut, "--leave-one-source-out"), (splitHalf, "--split-half")]
            if let (_, name) = others.first(where: { $0.0 }) {
                throw ValidationError("--hold-out scores one held-out set and fits nothing to keep; drop \(name) or --hold-out")
            }
            if let tag = heldOutSources.first(where: excludedSources.contains) {
                throw ValidationError("source '\(tag)' is both held out and excluded; drop one of --hold-out and --exclude-source")
            }
        }
        guard (1...20).contains(rounds) else { throw ValidationError("--rounds must be 1 to 20 (got \(rounds))") }
        if let output, output.hasSuffix("/") || output.isEmpty {
            throw ValidationError("--output names a file, e.g. \(output.isEmpty ? "" : output)calibration.yaml")
        }
    }

    func run() throws {
        let text = try Self.read(resultsPath)
        if steps { return try checkSteps(text) }
        let rows: [CalibrationRow]
        let catalog = try loadCatalog(catalogOptions)
        let allCases: [CalibrationCase]
        do {
            rows = try parseCalibrationCSV(text, file: resultsPath)
        } catch {
            for d in error.diagnostics { StandardError.write(d.description) }
            throw ExitCode(2)
        }
        let kept = try Self.excluding(excludedSources, from: rows, file: resultsPath)
        for row in kept {
            guard case .concurrency(let clients) = row.load, let implied = row.impliedConcurrency,
                  let ratio = row.impliedConcurrencyRatio, !CalibrationRow.impliedConcurrencyBand.contains(ratio) else { continue }
            StandardError.write(String(
                format: "warning: %@: row %@: %d clients, but its own means hold %.1f requests in flight (Little's law: "
                    + "output_tok_s / osl × (ttft_ms + (osl − 1) × tpot_ms)); check load_value, load_kind, osl and the units of ttft_ms and tpot_ms",
                row.location.description, row.id, clients, implied))
        }
        try Self.requireSources(heldOutSources, in: kept, file: resultsPath, option: "--hold-out")
        if !heldOutSources.isEmpty, kept.allSatisfy({ heldOutSources.contains($0.source) }) {
            throw UserError(message: "--hold-out: every row of \(resultsPath) is held out, so nothing is left to fit on; hold out fewer sources")
        }
        do {
            allCases = try calibrationCases(kept, catalog: catalog)
        } catch {
            for d in error.diagnostics { StandardError.write(d.description) }
            throw ExitCode(2)
        }
        guard !allCases.isEmpty else {
            throw UserError(message: "\(resultsPath): no measurement rows; expected a header line and at least one row")
        }
        var cases: [CalibrationCase] = []
        for c in allCases {
            let memory = memoryBreakdown(
                c.deployment, sequenceTokens: c.workload.promptTokens + c.workload.outputTokens)
            if memory.fits {
                cases.append(c)
            } else {
                StandardError.write("warning: \(c.row.location): row \(c.row.id) left out of the fit: in the model it does not fit (\(memory.shortfall ?? "no memory left")); check its gpu, tp and precision")
            }
        }
        guard !cases.isEmpty else {
            throw UserError(message: "\(resultsPath): no row fits in the model's memory; nothing to fit")
        }
        let before = catalog.calibration
        if !heldOutSources.isEmpty {
            return try printHeldOut(cases, start: before, catalog: catalog)
        }
        let after = fitCalibration(cases, start: before, rounds: rounds, scope: fit)
        let beforeComparisons = compareAll(cases, calibration: before)
        let afterComparisons = compareAll(cases, calibration: after)
        let beforeSummary = CalibrationSummary(beforeComparisons)
        let afterSummary = CalibrationSummary(afterComparisons)

        var lines: [String] = []
        lines.append("\(cases.count) row\(cases.count == 1 ? "" : "s"), \(beforeComparisons.count) measured figures from \(resultsPath); "
            + "before: \(catalog.calibrationFiles.isEmpty ? "shipped constants" : catalog.calibrationFiles.joined(separator: ", "))")
        lines.append("")
        lines += Self.comparisonTables(before: beforeComparisons, after: afterComparisons, afterName: "AFTER")

        let engines = fit == .families ? [] : Array(Set(cases.map(\.row.engine))).sorted { $0.rawValue < $1.rawValue }
        let families = fit == .engines ? [] : Array(Set(cases.map(\.deployment.gpu.family)))
            .filter { after.families[$0] != nil }.sorted { $0.rawValue < $1.rawValue }
        let constants = Self.constantsTable(engines: engines, families: families, before: before, after: after)
        lines.append(render(constants))
        lines.append("")
        lines.append(Self.scopeLine(engines: engines, families: families, fit: fit))
        for (b, a) in zip(beforeComparisons, afterComparisons) where b.predicted.isFinite && a.predicted.isFinite
            && abs(a.relativeError) > abs(b.relativeError) + 0.02 {
            StandardError.write(String(
                format: "warning: row %@ %@ is worse after the fit: %+.1f %% before, %+.1f %% after",
                b.rowID, b.metric.rawValue, 100 * b.relativeError, 100 * a.relativeError))
        }
        if leaveOneSourceOut {
            lines.append("Leave one source out (fit on the other sources, score this one):")
            var loso: [[String]] = [["SOURCE", "ROWS", "FIGURES", "MEDIAN |ERROR|", "WORST"]]
            for r in leaveOneSourceOutErrors(cases, start: before, rounds: rounds, scope: fit) {
                let worst = r.summary.worst.map(Self.worst) ?? "-"
                let median = r.comparisons.map { abs($0.relativeError) }.median ?? 0
                loso.append([r.source, String(r.rows), String(r.comparisons.count), String(format: "%.1f %%", 100 * median), worst])
            }
            lines.append(render(loso))
            lines.append("")
        }

        if splitHalf {
            lines.append("Split by source into halves (fit on one half's rows, score the other's):")
            var split: [[String]] = [["HELD OUT", "ROWS", "FIGURES"] + CalibrationMetric.allCases.map(\.rawValue) + ["WORST"]]
            let halves = splitHalfErrors(cases, start: before, rounds: rounds, scope: fit)
            for (name, r) in zip(["first half", "second half"], halves) {
                let worst = r.summary.worst.map(Self.worst) ?? "-"
                let medians = CalibrationMetric.allCases.map { metric in
                    r.summary.medianAbsoluteError[metric].map { String(format: "%.1f %%", 100 * $0) } ?? "-"
                }
                split.append([name, String(r.rows), String(r.comparisons.count)] + medians + [worst])
            }
            lines.append(render(split))
            for (name, r) in zip(["first half", "second half"], halves) {
                lines.append("\(name): \(r.sources.isEmpty ? "no source (a split needs at least two)" : r.source)")
            }
            lines.append("")
        }

        if let output {
            let yaml = after.overlayYAML(
                engines: engines, families: families,
                source: "planner calibrate \((resultsPath as NSString).lastPathComponent) (\(cases.count) rows)",
                header: [
                    "Calibration overlay written by `planner calibrate \(resultsPath)`.",
                    String(format: "Fitted on %d rows (%d figures): mean |log error| %.3f before, %.3f after.",
                           cases.count, afterComparisons.count, beforeSummary.meanAbsoluteLogError,
                           afterSummary.meanAbsoluteLogError),
                    "Apply it with --catalog <this directory> (or --catalog <this file>); see docs/performance-model.md.",
                ])
            let url = URL(fileURLWithPath: output)
            let dir = url.deletingLastPathComponent()
            do {
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            } catch {
                throw UserError(message: "cannot create \(dir.path): \(error.localizedDescription)")
            }
            try OutputDestination.write(yaml, to: output)
            let overlayDir = (output as NSString).deletingLastPathComponent
            lines.append("wrote \(output); apply it with --catalog \(overlayDir.isEmpty ? output : overlayDir)")
        } else {
            lines.append("no overlay written; pass --output DIR/calibration.yaml, then --catalog DIR to later commands")
        }
        print(lines.joined(separator: "\n"))
    }

    /// `--hold-out`: the held-out sources' rows with the constants in effect and with the constants fitted on
    /// every other row from round prior values (`heldOutError`), their medians, and the fitted constants.
    func printHeldOut(_ cases: [CalibrationCase], start: CalibrationTable, catalog: Catalog) throws {
        let held = heldOutError(cases, heldOut: heldOutSources, start: start, rounds: rounds, scope: fit)
        let heldCases = cases.filter { heldOutSources.contains($0.row.source) }
        let inEffect = compareAll(heldCases, calibration: start)
        let beforeName = catalog.calibrationFiles.isEmpty ? "shipped constants" : catalog.calibrationFiles.joined(separator: ", ")
        var lines: [String] = []
        lines.append("\(held.rows) row\(held.rows == 1 ? "" : "s") of \(held.source) held out (\(held.comparisons.count) measured figures); "
            + "fitted on the other \(cases.count - held.rows) rows of \(resultsPath) from round prior values; before: \(beforeName)")
        lines.append("")
        lines += Self.comparisonTables(before: inEffect, after: held.comparisons, afterName: "HELD OUT", everyFigure: true)
        let training = cases.filter { !heldOutSources.contains($0.row.source) }
        let engines = fit == .families ? [] : Array(Set(training.map(\.row.engine))).sorted { $0.rawValue < $1.rawValue }
        let families = fit == .engines ? [] : Array(Set(training.map(\.deployment.gpu.family)))
            .filter { held.calibration.families[$0] != nil }.sorted { $0.rawValue < $1.rawValue }
        var constants = Self.constantsTable(engines: engines, families: families, before: start, after: held.calibration)
        constants[0][2] = "FITTED ON THE OTHERS"
        lines.append(render(constants))
        lines.append("")
        lines.append("no overlay written (--hold-out scores; fit without it to write one)")
        print(lines.joined(separator: "\n"))
    }

    /// `--steps`: every measured step beside the step model's GPU time, then a median per kind of step.
    func checkSteps(_ text: String) throws {
        let catalog = try loadCatalog(catalogOptions)
        let engine = self.engine ?? .vllm
        let comparisons: [StepComparison]
        do {
            let rows = try StepMeasurement.parse(text, file: resultsPath)
            guard !rows.isEmpty else {
                throw UserError(message: "\(resultsPath): no step rows; expected a header line and at least one row")
            }
            comparisons = try compareStepModel(rows, catalog: catalog, engine: engine)
        } catch let error as CalibrationError {
            for d in error.diagnostics { StandardError.write(d.description) }
            throw ExitCode(2)
        }
        var lines = ["\(comparisons.count) step\(comparisons.count == 1 ? "" : "s") from \(resultsPath) against the step model's GPU time "
            + "(\(engine.rawValue) kernel curves; no step or per-sequence overhead); "
            + (catalog.calibrationFiles.isEmpty ? "shipped constants" : catalog.calibrationFiles.joined(separator: ", ")), ""]
        var table: [[String]] = [["ROW", "MODEL", "WEIGHTS", "GPU", "DECODE", "CONTEXT", "PROMPT", "ATTENTION", "MEASURED MS", "MODEL MS", "ERROR"]]
        for c in comparisons {
            let m = c.measurement
            table.append([m.id, m.model, m.weightPrecision.rawValue, m.gpu, String(m.decodeSequences), String(m.contextTokens),
                          String(m.prefillTokens), m.withAttention ? "yes" : "no", String(format: "%.3f", m.stepMs),
                          String(format: "%.3f", c.predictedMs), String(format: "%+.1f %%", 100 * c.error)])
        }
        lines.append(render(table))
        lines.append("")
        var summary: [[String]] = [["STEPS", "ROWS", "MEDIAN |ERROR|", "WORST"]]
        for s in StepComparison.summary(comparisons) {
            summary.append([s.kind.rawValue, String(s.rows), String(format: "%.1f %%", 100 * s.medianAbsoluteError),
                            String(format: "%+.1f %% (%@)", 100 * s.worst.error, s.worst.measurement.id)])
        }
        lines.append(render(summary))
        print(lines.joined(separator: "\n"))
    }

    static func read(_ path: String) throws -> String {
        let url = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw UserError(message: "\(path): no such file; expected a CSV of measurements (see catalogs/calibration-measurements.csv)")
        }
        if isDir.boolValue { throw UserError(message: "\(path) is a directory, expected a CSV file") }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw UserError(message: "\(path): cannot read (\(error.localizedDescription))")
        }
        if data.count > maxBytes {
            throw UserError(message: "\(path): file is too large (\(data.count) bytes), expected at most \(maxBytes) bytes of CSV")
        }
        guard !data.contains(0), let text = String(data: data, encoding: .utf8) else {
            throw UserError(message: "\(path): not UTF-8 text, expected a CSV file")
        }
        return text
    }

    /// `rows` without those of the `excluded` sources; every tag must name a source of the file.
    static func excluding(_ excluded: [String], from rows: [CalibrationRow], file: String) throws -> [CalibrationRow] {
        try requireSources(excluded, in: rows, file: file, option: "--exclude-source")
        let left = Set(excluded)
        return rows.filter { !left.contains($0.source) }
    }

    /// Every tag must name a source of `rows`: else an error naming `option`, the file and its sources.
    static func requireSources(_ tags: [String], in rows: [CalibrationRow], file: String, option: String) throws {
        let sources = Set(rows.map(\.source))
        for tag in tags where !sources.contains(tag) {
            let known = sources.sorted().map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: ", ")
            let hint = Suggest.closest(to: tag, in: sources.sorted()).map { "did you mean '\($0)'? " } ?? ""
            throw UserError(message: "\(option): no row of \(file) has source '\(tag)'; \(hint)its sources are \(known)")
        }
    }

    /// Each figure before and after, then the summary: mean |log error|, the median |error| per metric (and,
    /// with `everyFigure`, over every figure, as leave-one-source-out reports it) and the worst figure.
    static func comparisonTables(
        before: [CalibrationComparison], after: [CalibrationComparison], afterName: String, everyFigure: Bool = false
    ) -> [String] {
        var table: [[String]] = [["ROW", "METRIC", "MEASURED", "BEFORE", "ERROR", afterName, "ERROR"]]
        for (b, a) in zip(before, after) {
            table.append([b.rowID, b.metric.rawValue, figure(b.measured), figure(b.predicted), percent(b),
                          figure(a.predicted), percent(a)])
        }
        let beforeSummary = CalibrationSummary(before), afterSummary = CalibrationSummary(after)
        var summary: [[String]] = [["", "BEFORE", afterName]]
        summary.append(["mean |log error|", String(format: "%.3f", beforeSummary.meanAbsoluteLogError),
                        String(format: "%.3f", afterSummary.meanAbsoluteLogError)])
        for metric in CalibrationMetric.allCases {
            guard let b = beforeSummary.medianAbsoluteError[metric], let a = afterSummary.medianAbsoluteError[metric] else { continue }
            summary.append(["median |error| \(metric.rawValue)", String(format: "%.1f %%", 100 * b), String(format: "%.1f %%", 100 * a)])
        }
        if everyFigure {
            let median = { (c: [CalibrationComparison]) in String(format: "%.1f %%", 100 * (c.map { abs($0.relativeError) }.median ?? 0)) }
            summary.append(["median |error| (every figure)", median(before), median(after)])
        }
        if let b = beforeSummary.worst, let a = afterSummary.worst {
            summary.append(["worst", worst(b), worst(a)])
        }
        return [render(table), "", render(summary), ""]
    }

    /// The fitted constants of `engines` and `families`, before and after, one row each.
    static func constantsTable(
        engines: [EngineProfile], families: [GPUFamily], before: CalibrationTable, after: CalibrationTable
    ) -> [[String]] {
        var constants: [[String]] = [["CONSTANT", "BEFORE", "AFTER"]]
        for e in engines {
            let b = before.calibration(for: e), a = after.calibration(for: e)
            let values: [(String, KeyPath<EngineCalibration, Double>)] = [
                ("bandwidth_efficiency", \.bandwidthEfficiency), ("attention_efficiency", \.attentionEfficiency),
                ("compute_efficiency", \.computeEfficiency), ("step_overhead_ms", \.stepOverheadMs),
                ("per_sequence_step_us", \.perSequenceStepUs), ("request_overhead_ms", \.requestOverheadMs),
            ]
            for (name, value) in values {
                constants.append(["\(e.rawValue) \(name)", constant(b[keyPath: value]), constant(a[keyPath: value])])
            }
        }
        for f in families {
            let b = before.factors(for: f), a = after.factors(for: f)
            constants.append(["\(f.rawValue) bandwidth factor", constant(b.bandwidth), constant(a.bandwidth)])
            constants.append(["\(f.rawValue) compute factor", constant(b.compute), constant(a.compute)])
        }
        return constants
    }

    /// What the fit moved, in one sentence.
    static func scopeLine(engines: [EngineProfile], families: [GPUFamily], fit: CalibrationScope) -> String {
        let engineText = fit == .families
            ? "no engine constants (--fit families)"
            : "the constants of engine\(engines.count == 1 ? "" : "s") \(engines.map(\.rawValue).joined(separator: ", ")) "
                + "(every GPU that runs \(engines.count == 1 ? "it" : "them"))"
        let familyText: String
        if fit == .engines {
            familyText = "no GPU-family factors (--fit engines)"
        } else if families.isEmpty {
            familyText = "no GPU-family factors (the most-measured family is the reference)"
        } else {
            familyText = "the factors of GPU famil\(families.count == 1 ? "y" : "ies") \(families.map(\.rawValue).joined(separator: ", "))"
        }
        return "Scope of this fit: \(engineText) and \(familyText); other engines and families keep the constants in effect."
    }

    static func figure(_ x: Double) -> String {
        guard x.isFinite else { return "unbounded" }
        return x >= 1000 ? String(format: "%.0f", x) : String(format: "%.2f", x)
    }

    static func percent(_ c: CalibrationComparison) -> String {
        c.predicted.isFinite ? String(format: "%+.1f %%", 100 * c.relativeError) : "-"
    }

    /// The worst figure of a summary: `+759.8 % (s114 ttft_ms)`.
    static func worst(_ c: CalibrationComparison) -> String {
        String(format: "%+.1f %% (%@ %@)", 100 * c.relativeError, c.rowID, c.metric.rawValue)
    }

    static func constant(_ x: Double) -> String {
        let r = (x * 10_000).rounded() / 10_000
        return r == r.rounded() ? String(Int64(r)) : "\(r)"
    }
}
