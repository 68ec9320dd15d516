import ArgumentParser
import Foundation
import PlannerCore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one deployment step by step: the engine's continuous-batching scheduler, simulated.",
        discussion: """
            Takes the same deployment and load as `planner estimate` and simulates one replica engine step \\
            by step (docs/performance-model.md, "The step simulator"): running decodes plus prompt chunks up \\
            to the step token budget, admission while the batch cap and the KV cache allow, each step timed \\
            by the same step model. Prints TTFT, TPOT and end-to-end latency (mean, p50, p90, p99), \\
            throughput and the mean decode batch; --trace FILE writes every step as CSV. Deterministic: \\
            the Poisson arrivals of --rate come from --seed. `estimate` is the fast model the optimizer \\
            uses; this is the reference it is tested against.

            Exit codes: 0 simulated, 1 the model does not fit on the GPUs, 2 invalid input or usage.

            \(HelpExamples.text(
                "planner simulate --model llama-3.1-8b --gpu h100-sxm-80gb --precision fp8 --engine trtllm --input-tokens 1024 --output-tokens 512 --concurrency 128",
                "planner simulate --model llama-3.1-70b --gpu h200-sxm-141gb --gpus 2 --tp 2 --precision fp8 --input-tokens 2048 --output-tokens 256 --rate 4 --requests 4000 --trace steps.csv"))
            """
    )

    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: ArgumentHelp("Requests measured after warm-up (a burst measures all of its requests).", valueName: "n"))
    var requests: Int = 2_000

    @Option(help: ArgumentHelp("Seed of the Poisson arrivals (--rate).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Write every engine step as CSV to this file.", valueName: "file"))
    var trace: String?

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws {
        try deploymentOptions.check()
        guard (1...1_000_000).contains(requests) else {
            throw ValidationError("--requests must be 1 to 1000000 (got \(requests))")
        }
    }

    func run() throws {
        let catalog = try loadCatalog(catalogOptions)
        let (deployment, workload) = try deploymentOptions.resolve(in: catalog)
        let simulator = ServingSimulator(deployment, workload, calibration: catalog.calibration)
        guard simulator.maxBatch > 0 else {
            let memory = memoryBreakdown(deployment, sequenceTokens: workload.promptTokens + workload.outputTokens)
            StandardError.write("planner: the model does not fit: \(memory.shortfall ?? "no sequence fits")")
            throw ExitCode(1)
        }
        let result = simulator.run(
            workload.load, options: .init(seed: seed, measuredRequests: requests, trace: trace != nil))
        if let trace {
            var lines = ["step,start_s,duration_ms,decode_sequences,prefill_tokens,running,waiting"]
            for r in result.trace {
                lines.append(String(
                    format: "%d,%.6f,%.4f,%d,%d,%d,%d", r.index, r.startSeconds, r.durationSeconds * 1000,
                    r.decodeSequences, r.prefillTokens, r.running, r.waiting))
            }
            try OutputDestination.write(lines.joined(separator: "\n") + "\n", to: trace)
        }
        switch format {
        case .json: print(try json(deployment, workload, result))
        case .table: print(table(deployment, workload, result))
        }
    }

    private func table(_ d: Deployment, _ w: ServingWorkload, _ r: ServingSimulator.Result) -> String {
        var out: [String] = []
        out.append("\(d.model.id) on \(d.gpuCount) × \(d.gpu.id) (TP \(d.tensorParallel), \(d.replicas) replica\(d.replicas == 1 ? "" : "s")), "
            + "\(d.weightPrecision.rawValue) weights, \(d.kvPrecision.rawValue) KV cache, \(d.engine.rawValue)")
        out.append("\(w.promptTokens) prompt + \(w.outputTokens) output tokens, \(EstimateReport.loadText(w.load))")
        out.append("Simulated \(r.measuredRequests) requests in \(EstimateReport.grouped(Double(r.steps))) engine steps"
            + (r.stable ? "" : " — UNSTABLE: requests were still queueing when the step limit was reached"))
        out.append("")
        func ms(_ x: Double) -> String { EstimateReport.ms(x * 1000) }
        var rows: [[String]] = [["", "mean", "p50", "p90", "p99"]]
        for (name, p) in [("TTFT", r.ttft), ("TPOT", r.tpot), ("end to end", r.endToEnd)] {
            rows.append([name, ms(p.mean), ms(p.p50), ms(p.p90), ms(p.p99)])
        }
        let widths = (0..<5).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for row in rows {
            out.append(row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  "))
        }
        out.append("")
        out.append("output tokens/s     \(EstimateReport.grouped(r.outputTokensPerSecond.rounded()))")
        out.append("requests/s          \(EstimateReport.rate(r.requestsPerSecond))")
        out.append("mean decode batch   \(String(format: "%.1f", r.meanDecodeBatch)) per replica")
        return out.joined(separator: "\n")
    }

    private func json(_ d: Deployment, _ w: ServingWorkload, _ r: ServingSimulator.Result) throws -> String {
        func num(_ x: Double, _ places: Double = 1000) -> JSONValue { x.isFinite ? .number((x * places).rounded() / places) : .null }
        func stats(_ p: ServingSimulator.Percentiles) -> JSONValue {
            .object(["mean": num(p.mean * 1000), "p50": num(p.p50 * 1000), "p90": num(p.p90 * 1000), "p99": num(p.p99 * 1000)])
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue), "input_tokens": .number(Double(w.promptTokens)),
            "output_tokens": .number(Double(w.outputTokens)),
            "load": .object(["kind": .string(w.load.kind), "value": loadValue(w.load)]),
            "ttft_ms": stats(r.ttft), "tpot_ms": stats(r.tpot), "e2e_ms": stats(r.endToEnd),
            "output_tokens_per_s": num(r.outputTokensPerSecond), "requests_per_s": num(r.requestsPerSecond, 1e6),
            "mean_decode_batch": num(r.meanDecodeBatch), "measured_requests": .number(Double(r.measuredRequests)),
            "steps": .number(Double(r.steps)), "stable": .bool(r.stable), "seed": .number(Double(seed)),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
    }

    private func loadValue(_ load: ServingWorkload.Load) -> JSONValue {
        switch load {
        case .concurrency(let n), .burst(let n): .number(Double(n))
        case .requestsPerSecond(let r): .number(r)
        case .maximum: .null
        }
    }
}
