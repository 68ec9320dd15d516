import ArgumentParser
import Foundation
import PlannerCore

/// The deployment and load `estimate` and `simulate` share: use with `@OptionGroup var deploymentOptions`.
struct DeploymentOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Model id from the catalog (planner catalog list models).", valueName: "id"),
            completion: Completion.ids([.models]))
    var model: String

    @Option(help: ArgumentHelp("GPU id from the catalog (planner catalog list gpus).", valueName: "id"),
            completion: Completion.ids([.gpus]))
    var gpu: String

    @Option(help: ArgumentHelp("Number of GPUs (default: --tp); a multiple of --tp.", valueName: "n"))
    var gpus: Int?

    @Option(help: ArgumentHelp("Tensor-parallel degree: GPUs that hold one copy of the model.", valueName: "n"))
    var tp: Int = 1

    @Option(help: ArgumentHelp(
        "Weight precision: \(Precision.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "p"),
        transform: { try DeploymentOptions.precision($0) })
    var precision: Precision

    @Option(name: .customLong("kv-precision"), help: ArgumentHelp(
        "KV-cache precision: fp16, bf16, fp8 or int8 (default: the engine's own for these weights — fp8 with fp8 weights on trtllm, bf16 with bf16 weights, else fp16).",
        valueName: "p"), transform: { try DeploymentOptions.precision($0) })
    var kvPrecision: Precision?

    @Option(help: ArgumentHelp(
        "Serving engine: \(EngineProfile.allCases.map(\.rawValue).joined(separator: ", ")) (default: vllm).", valueName: "e"),
        transform: { try DeploymentOptions.engine($0) })
    var engine: EngineProfile = .vllm

    /// `--precision` and `--kv-precision`: a ``Precision`` by name, any case; `int4` is `int4-gptq`.
    static func precision(_ text: String) throws -> Precision {
        if let p = Precision(rawValue: text.lowercased()) { return p }
        if text.lowercased() == "int4" { return .int4GPTQ }
        let names = Precision.allCases.map(\.rawValue)
        let hint = Suggest.closest(to: text, in: names).map { ", did you mean '\($0)'?" } ?? ""
        throw ValidationError("unknown precision '\(text)'\(hint); expected one of \(names.joined(separator: ", "))")
    }

    /// `--engine`: an ``EngineProfile`` by name, any case.
    static func engine(_ text: String) throws -> EngineProfile {
        if let e = EngineProfile(rawValue: text.lowercased()) { return e }
        let names = EngineProfile.allCases.map(\.rawValue)
        let hint = Suggest.closest(to: text, in: names).map { ", did you mean '\($0)'?" } ?? ""
        throw ValidationError("unknown engine '\(text)'\(hint); expected one of \(names.joined(separator: ", "))")
    }

    @Option(name: .customLong("max-num-seqs"), help: ArgumentHelp(
        "Largest running batch (vLLM max_num_seqs, TensorRT-LLM max_batch_size; default: the engine's).", valueName: "n"))
    var maxNumSeqs: Int?

    @Option(name: .customLong("max-num-batched-tokens"), help: ArgumentHelp(
        "Tokens per engine step, decode included (the chunked-prefill budget; default: the engine's).", valueName: "n"))
    var maxNumBatchedTokens: Int?

    @Option(name: .customLong("enable-chunked-prefill"), help: ArgumentHelp(
        "true: prompts cut into chunks that fill each step; false: whole prompts (default: the engine's — true for vLLM and SGLang, false for TensorRT-LLM).",
        valueName: "bool"))
    var enableChunkedPrefill: Bool?

    @Option(name: .customLong("expert-parallel"), help: ArgumentHelp(
        "true: a mixture of experts' experts distributed whole over the --tp GPUs (expert parallelism); false: each expert sharded over them (default, every engine's).",
        valueName: "bool"))
    var expertParallel: Bool?

    @Option(name: .customLong("attention-dp"), help: ArgumentHelp(
        "true: attention data-parallel inside the replica (TensorRT-LLM enable_attention_dp, SGLang --enable-dp-attention): each GPU runs its own batch with the whole attention weights and its sequences' KV cache, --max-num-seqs and --max-num-batched-tokens per GPU; false: tensor-parallel (default).",
        valueName: "bool"))
    var attentionDataParallel: Bool?

    @Option(name: .customLong("input-tokens"), help: ArgumentHelp("Prompt tokens per request.", valueName: "n"))
    var inputTokens: Int

    @Option(name: .customLong("output-tokens"), help: ArgumentHelp("Generated tokens per request.", valueName: "n"))
    var outputTokens: Int

    @Option(help: ArgumentHelp(
        "Closed loop: n clients, each sending its next request the moment its previous one completes.", valueName: "n"))
    var concurrency: Int?

    @Option(help: ArgumentHelp("Open loop: Poisson arrivals, requests per second (whole deployment).", valueName: "r"))
    var rate: Double?

    @Option(help: ArgumentHelp("n requests sent at once and run to completion (offline benchmarks).", valueName: "n"))
    var burst: Int?

    @Option(help: ArgumentHelp(
        "Report TTFT and TPOT at this percentile (e.g. 99) instead of means; simulate adds its column beside p50, p90 and p99.", valueName: "p"))
    var percentile: Double?

    /// Checks ranges and combinations (ArgumentParser's `validate` step).
    func check() throws {
        let tpRange = SpecLimits.tensorParallel, gpusRange = SpecLimits.count
        guard tpRange.contains(tp) else { throw ValidationError("--tp must be \(tpRange.lowerBound) to \(tpRange.upperBound) (got \(tp))") }
        if let gpus {
            guard gpusRange.contains(gpus) else { throw ValidationError("--gpus must be \(gpusRange.lowerBound) to \(gpusRange.upperBound) (got \(gpus))") }
            guard gpus % tp == 0 else {
                throw ValidationError("--gpus \(gpus) is not a multiple of --tp \(tp); expected whole tensor-parallel groups (e.g. --gpus \(max(tp, gpus / tp * tp)))")
            }
        }
        let tokens = SpecLimits.tokens
        guard tokens.contains(inputTokens) else {
            throw ValidationError("--input-tokens must be \(tokens.lowerBound) to \(tokens.upperBound) (got \(inputTokens))")
        }
        guard tokens.contains(outputTokens) else {
            throw ValidationError("--output-tokens must be \(tokens.lowerBound) to \(tokens.upperBound) (got \(outputTokens))")
        }
        if [concurrency != nil, rate != nil, burst != nil].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --concurrency, --rate and --burst (none: the maximum-throughput steady state)")
        }
        if let concurrency, !(1...100_000_000).contains(concurrency) {
            throw ValidationError("--concurrency must be 1 to 100000000 (got \(concurrency))")
        }
        if let burst, !(1...100_000_000).contains(burst) {
            throw ValidationError("--burst must be 1 to 100000000 requests (got \(burst))")
        }
        if let rate, !(rate.isFinite && rate > 0 && rate <= 1e9) {
            throw ValidationError("--rate must be a positive number of requests per second (got \(rate))")
        }
        if let maxNumSeqs, !SpecLimits.maxNumSeqs.contains(maxNumSeqs) {
            throw ValidationError("--max-num-seqs must be \(SpecLimits.maxNumSeqs.lowerBound) to \(SpecLimits.maxNumSeqs.upperBound) (got \(maxNumSeqs))")
        }
        if let maxNumBatchedTokens, !SpecLimits.maxNumBatchedTokens.contains(maxNumBatchedTokens) {
            throw ValidationError("--max-num-batched-tokens must be \(SpecLimits.maxNumBatchedTokens.lowerBound) to \(SpecLimits.maxNumBatchedTokens.upperBound) (got \(maxNumBatchedTokens))")
        }
        if let percentile {
            guard percentile.isFinite, percentile > 0, percentile < 100 else {
                throw ValidationError("--percentile must be between 0 and 100, e.g. 99 (got \(percentile))")
            }
        }
    }

    /// The deployment and workload these options name, looked up in `catalog`.
    func resolve(in catalog: Catalog) throws -> (Deployment, ServingWorkload) {
        let weights = precision, engineProfile = engine
        let kv: Precision
        if let kvPrecision {
            kv = kvPrecision
            if !kv.isKVCacheFormat {
                throw UserError(message: "--kv-precision \(kv.rawValue) is a weights-only format; expected fp16, bf16, fp8 or int8")
            }
        } else {
            kv = weights.defaultKVCache(on: engineProfile)
        }
        let arch = try Estimate.lookUpModel(model, in: catalog)
        let device = try Estimate.lookUpGPU(gpu, in: catalog)
        if !device.runs(weights: weights) {
            throw UserError(message: "--precision fp4 (NVFP4) needs FP4 tensor cores, which \(device.id) does not have (Blackwell GPUs do); expected fp16, bf16, fp8, int8 or an int4 format")
        }
        if inputTokens + outputTokens > arch.maxContextTokens {
            throw UserError(message: "--input-tokens \(inputTokens) + --output-tokens \(outputTokens) = \(inputTokens + outputTokens) tokens exceed \(arch.id)'s context of \(arch.maxContextTokens) tokens")
        }
        let settings = EngineSettings.defaults(for: engineProfile)
            .overriding(maxBatch: maxNumSeqs, maxTokensPerStep: maxNumBatchedTokens, chunkedPrefill: enableChunkedPrefill,
                        expertParallel: expertParallel, attentionDataParallel: attentionDataParallel)
        let deployment = Deployment(
            model: arch, gpu: device, gpuCount: gpus ?? tp, tensorParallel: tp, weightPrecision: weights,
            kvPrecision: kv, engine: engineProfile, engineSettings: settings)
        let load: ServingWorkload.Load =
            if let concurrency { .concurrency(concurrency) } else if let rate { .requestsPerSecond(rate) }
            else if let burst { .burst(burst) } else { .maximum }
        let workload = ServingWorkload(
            promptTokens: inputTokens, outputTokens: outputTokens, load: load, percentile: percentile.map { $0 / 100 })
        return (deployment, workload)
    }
}
