import ArgumentParser
import Foundation
import PlannerCore

struct Estimate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Predict one deployment's memory use and serving performance (TTFT, TPOT, throughput).",
        discussion: """
            Runs the performance model (docs/performance-model.md) for one model on --gpus GPUs of one \
            type, split into tensor-parallel groups of --tp GPUs (gpus / tp data-parallel replicas). Prints \
            the memory per GPU (weights, overhead, KV cache, how many tokens and sequences fit) and the \
            predicted TTFT, TPOT, output tokens/s and requests/s, at --percentile or as means.

            The load is one of three kinds (the same words in specs and calibration rows): \
            --concurrency N, a closed loop of N clients each sending its next request the moment the last \
            completes; --rate R, Poisson arrivals at R requests/s; --burst N, N requests sent at once and \
            run to completion (offline throughput benchmarks). With none, the steady-state maximum \
            throughput. The engine runs continuous batching under its scheduler defaults (chunked \
            prefill for vLLM and SGLang, whole prompts for TensorRT-LLM), which --max-num-seqs, \
            --max-num-batched-tokens and --enable-chunked-prefill override. `planner simulate` runs \
            the same deployment step by step. The efficiency constants are the catalog's: the shipped \
            fit, or a `planner calibrate` overlay passed with --catalog DIR.

            Exit codes: 0 estimated, 1 the model does not fit on the GPUs, 2 invalid input or usage.

            \(HelpExamples.text(
                "planner estimate --model deepseek-r1-distill-llama-8b --gpu rtx-4090-24gb --precision int4-gptq --input-tokens 512 --output-tokens 256 --concurrency 1",
                "planner estimate --model llama-3.1-70b --gpu h100-sxm-80gb --gpus 8 --tp 2 --precision fp8 --input-tokens 1000 --output-tokens 500 --rate 20 --percentile 99 --format json",
                "planner estimate --model qwen3-235b-a22b --gpu h200-sxm-141gb --tp 8 --precision fp8 --engine trtllm --expert-parallel true --attention-dp true --input-tokens 1000 --output-tokens 1000 --burst 3000"))
            """
    )

    @OptionGroup var deploymentOptions: DeploymentOptions

    @Option(help: "Output format: table or json.")
    var format: OutputFormat = .table

    @OptionGroup var catalogOptions: CatalogOptions

    func validate() throws { try deploymentOptions.check() }

    func run() throws {
        let catalog = try loadCatalog(catalogOptions)
        let (deployment, workload) = try deploymentOptions.resolve(in: catalog)
        let estimate = estimateServing(deployment, workload, calibration: catalog.calibration)
        let report = EstimateReport(deployment: deployment, workload: workload, estimate: estimate, catalog: catalog)
        switch format {
        case .json: print(EstimateJSONRenderer().render(report))
        case .table: print(EstimateTableRenderer().render(report))
        }
        if !estimate.memory.fits { throw ExitCode(1) }
    }

    static func lookUpModel(_ id: String, in catalog: Catalog) throws -> ModelArchitecture {
        if let m = catalog.model(id) { return m }
        if let kind = catalog.kind(of: id) {
            throw UserError(message: "--model: '\(id)' is \(kind.withArticle), expected a model id (planner catalog list models)")
        }
        let hint = Suggest.closest(to: id, in: catalog.ids(of: .models)).map { ", did you mean '\($0)'?" }
            ?? "; expected a model id from the catalog (planner catalog list models)"
        throw UserError(message: "--model: unknown model '\(id)'\(hint)")
    }

    static func lookUpGPU(_ id: String, in catalog: Catalog) throws -> GPU {
        if let g = catalog.gpu(id) { return g }
        if let kind = catalog.kind(of: id) {
            throw UserError(message: "--gpu: '\(id)' is \(kind.withArticle), expected a GPU id (planner catalog list gpus)")
        }
        let hint = Suggest.closest(to: id, in: catalog.ids(of: .gpus)).map { ", did you mean '\($0)'?" }
            ?? "; expected a GPU id from the catalog (planner catalog list gpus)"
        throw UserError(message: "--gpu: unknown GPU '\(id)'\(hint)")
    }
}
