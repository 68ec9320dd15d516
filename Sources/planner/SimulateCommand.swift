import ArgumentParser
import Foundation
import PlannerCore

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run one deployment step by step: the engine's continuous-batching scheduler, simulated.",
        discussion: """
            Takes the same deployment and load as `planner estimate` and simulates one replica engine step \
            by step (docs/performance-model.md, "The step simulator"): running decodes plus prompt chunks up \
            to the step token budget, admission while the batch cap and the KV cache allow, each step timed \
            by the same step model; each request's output length is drawn within ±20 % of --output-tokens \
            (--output-spread). A closed loop starts its clients spread over one request's time, the steady \
            state of real traffic; --start-together starts them all at once and measures from the start, as \
            genai-perf, AIPerf and vllm bench serve do: with --output-spread 0 it reproduces such a benchmark \
            of fixed lengths, whose clients stay in waves (what `planner calibrate` scores a `lengths` fixed \
            row by). Prints TTFT, TPOT and end-to-end latency (mean, p50, p90, p99), \
            throughput and the mean decode batch; --trace FILE writes every step as CSV. Deterministic: \
            the Poisson arrivals of --rate and the output lengths come from --seed. `estimate` is the fast model the optimizer \
            uses; this is the reference it is tested against.

            Exit codes: 0 simulated, 1 the model does not fit on the GPUs, 2 invalid input or usage.

            \(HelpExamples.text(
                "planner simulate --model llama-3.1-8b --gpu h100-sxm-80gb --precision fp8 --engine trtllm --input-tokens 1024 --output-tokens 512 --concurrency 128",
                "planner simulate --model llama-3.1-70b --gpu h200-sxm-141gb --gpus 2 --tp 2 --precision fp8 --input-tokens 2048 --output-tokens 256 --rate 4 --requests 4000 --trace steps.csv",
                "planner simulate --model llama-3.1-8b --gpu a100-sxm-80gb --precision fp16 --engine nim-trtllm --input-tokens 200 --output-tokens 1000 --concurrency 50 --output-spread 0 --start-together --requests 150"))
            """
    )

    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: ArgumentHelp("Requests measured after warm-up (a burst measures all of its requests).", valueName: "n"))
    var requests: Int = 2_000

    @Option(help: ArgumentHelp("Seed of the Poisson arrivals (--rate) and of the output lengths.", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp(
        "Each request's output length is drawn uniformly within ± this fraction of --output-tokens (0 to 1; 0: every request exactly --output-tokens; fixed lengths make a closed loop's clients send in waves).",
        valueName: "fraction"))
    var outputSpread: Double = ServingSimulator.Options.defaultOutputSpread

    @Flag(help: ArgumentHelp(
        "Closed loop: send every client's first request at once and measure from the start, as benchmark tools do (default: clients spread over one request's time, measured after a warm-up)."))
    var startTogether = false

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
        guard outputSpread.isFinite, (0...1).contains(outputSpread) else {
            throw ValidationError("--output-spread must be a fraction from 0 to 1 (got \(outputSpread))")
        }
        if startTogether && deploymentOptions.concurrency == nil {
            throw ValidationError("--start-together applies to a closed loop: give --concurrency N")
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
            workload.load, options: .init(
                seed: seed, measuredRequests: requests, warmupRequests: startTogether ? 0 : nil, trace: trace != nil,
                staggerClosedLoop: !startTogether, outputSpread: outputSpread, percentile: workload.percentile))
        let report = SimulationReport(
            deployment: deployment, workload: workload, result: result, seed: seed, outputSpread: outputSpread,
            clientsStartTogether: startTogether)
        if let trace { try OutputDestination.write(SimulationTraceCSVRenderer().render(report), to: trace) }
        switch format {
        case .json: print(SimulationJSONRenderer().render(report))
        case .table: print(SimulationTableRenderer().render(report))
        }
    }
}
