/// The scheduler and memory settings of a serving engine that decide batching: each engine's documented
/// defaults (``defaults(for:)``), which a spec may override (`engine: {name: vllm, max_num_seqs: 512}`).
/// Not fitted: every default is the engine's own, with its source in docs/performance-model.md.
public struct EngineSettings: Sendable, Hashable {
    /// Fraction of GPU memory the engine lets itself use (vLLM `gpu_memory_utilization`, SGLang
    /// `mem_fraction_static`, TensorRT-LLM `kv_cache_free_gpu_mem_fraction`).
    public var memoryFraction: Double
    /// `true`: the fraction applies to the memory left after weights and overhead (TensorRT-LLM's
    /// `kv_cache_free_gpu_mem_fraction`); `false`: to the whole device (vLLM's `gpu_memory_utilization`).
    public var fractionOfFreeMemory: Bool
    /// Largest number of running sequences (vLLM `max_num_seqs`, TensorRT-LLM `max_batch_size`,
    /// SGLang `max_running_requests`).
    public var maxBatch: Int
    /// Largest number of tokens in one engine step, decode tokens included (`max_num_batched_tokens` /
    /// `max_num_tokens` / `chunked_prefill_size`): the chunked-prefill token budget.
    public var maxTokensPerStep: Int
    /// Paged-attention block size, tokens.
    public var kvBlockTokens: Int
    /// `true`: prompts are cut into chunks that fill each step's token budget beside the decodes (vLLM's
    /// V1 scheduler, SGLang's `chunked_prefill_size`, TensorRT-LLM's `enable_chunked_prefill: true`);
    /// `false`: each prompt is scheduled whole in one step (TensorRT-LLM's default), as many as fit in
    /// the budget left beside the decodes and at least one while any waits: without chunking
    /// TensorRT-LLM rejects a prompt longer than `max_num_tokens`, so a deployment serving such prompts
    /// raises it, and the planner takes it as raised.
    public var chunkedPrefill: Bool
    /// `true`: a mixture of experts' routed experts are distributed whole over the replica's GPUs (expert
    /// parallelism, EP = the replica's TP degree: TensorRT-LLM `moe_expert_parallel_size`, vLLM
    /// `--enable-expert-parallel`, SGLang `--ep-size`); `false`: every expert is sharded over them (tensor
    /// parallelism inside the experts, every engine's default). No effect on a dense model or at TP 1.
    public var expertParallel: Bool
    /// `true`: attention runs data-parallel inside a replica (TensorRT-LLM `enable_attention_dp`, SGLang
    /// `--enable-dp-attention`): each of its GPUs holds the whole attention weights and the KV cache of its
    /// own sequences, and runs its own batch — ``maxBatch`` and ``maxTokensPerStep`` are per GPU, so a
    /// replica of TP n carries n times them — joining the others in the MLP or expert layers. `false`:
    /// attention is tensor-parallel like the rest (every engine's default). No effect at TP 1.
    public var attentionDataParallel: Bool

    public init(
        memoryFraction: Double, fractionOfFreeMemory: Bool, maxBatch: Int, maxTokensPerStep: Int,
        kvBlockTokens: Int, chunkedPrefill: Bool = true, expertParallel: Bool = false, attentionDataParallel: Bool = false
    ) {
        self.memoryFraction = memoryFraction
        self.fractionOfFreeMemory = fractionOfFreeMemory
        self.maxBatch = maxBatch
        self.maxTokensPerStep = maxTokensPerStep
        self.kvBlockTokens = kvBlockTokens
        self.chunkedPrefill = chunkedPrefill
        self.expertParallel = expertParallel
        self.attentionDataParallel = attentionDataParallel
    }

    /// Attention ranks in a replica of `tensorParallel` GPUs: each schedules its own batch (n with
    /// attention data parallelism, else 1).
    public func attentionRanks(tensorParallel: Int) -> Int { attentionDataParallel ? max(1, tensorParallel) : 1 }

    /// The replica's largest running batch: ``maxBatch`` per attention rank.
    public func replicaMaxBatch(tensorParallel: Int) -> Int { maxBatch * attentionRanks(tensorParallel: tensorParallel) }

    /// The replica's step token budget: ``maxTokensPerStep`` per attention rank. With data-parallel attention
    /// and whole prompts longer than a rank's budget, each rank's budget is taken as raised to the prompt (as
    /// a deployment serving such prompts must: without chunking the engine rejects a prompt longer than
    /// `max_num_tokens`), so that each rank can prefill one in a step; without data-parallel attention the
    /// scheduler already runs one such prompt a step (``ContinuousBatching``).
    public func replicaTokensPerStep(tensorParallel: Int, promptTokens: Int = 0) -> Int {
        let ranks = attentionRanks(tensorParallel: tensorParallel)
        let perRank = ranks > 1 && !chunkedPrefill ? max(maxTokensPerStep, promptTokens) : maxTokensPerStep
        return perRank * ranks
    }

    /// Documented defaults of each engine (docs/performance-model.md, "Engine scheduler defaults"):
    /// - vLLM (V1 engine, 0.8–0.11): `gpu_memory_utilization` 0.90, `max_num_seqs` 256,
    ///   `max_num_batched_tokens` 8192 (online serving on a datacenter GPU), block 16.
    /// - TensorRT-LLM (1.0, `trtllm-serve` / `trtllm-bench`): `kv_cache_free_gpu_mem_fraction` 0.90,
    ///   `max_batch_size` 2048, `max_num_tokens` 8192, `tokens_per_block` 32, `enable_chunked_prefill`
    ///   false (whole prompts; the executor's `enableChunkedContext` and the Triton backend's
    ///   `enable_chunked_context` default to false as well).
    /// - SGLang (0.4–0.5): `mem_fraction_static` 0.88, `chunked_prefill_size` 8192; its running-request cap
    ///   is derived from memory, so vLLM's 256 stands in (documented as an assumption), token pool (block 1).
    /// - NIM with a TensorRT-LLM profile: TensorRT-LLM's, whole prompts included (NIM builds its engines
    ///   with per-profile batch caps and options it does not publish; documented as an assumption).
    public static func defaults(for engine: EngineProfile) -> EngineSettings {
        switch engine.backend {
        case .vllm:
            EngineSettings(
                memoryFraction: 0.90, fractionOfFreeMemory: false, maxBatch: 256,
                maxTokensPerStep: 8192, kvBlockTokens: 16)
        case .trtllm, .nimTRTLLM:
            EngineSettings(
                memoryFraction: 0.90, fractionOfFreeMemory: true, maxBatch: 2048,
                maxTokensPerStep: 8192, kvBlockTokens: 32, chunkedPrefill: false)
        case .sglang:
            EngineSettings(
                memoryFraction: 0.88, fractionOfFreeMemory: false, maxBatch: 256,
                maxTokensPerStep: 8192, kvBlockTokens: 1)
        }
    }

    /// Spec overrides applied to the defaults (`nil` keeps the default).
    public func overriding(
        maxBatch: Int? = nil, maxTokensPerStep: Int? = nil, kvBlockTokens: Int? = nil, memoryFraction: Double? = nil,
        chunkedPrefill: Bool? = nil, expertParallel: Bool? = nil, attentionDataParallel: Bool? = nil
    ) -> EngineSettings {
        var s = self
        if let chunkedPrefill { s.chunkedPrefill = chunkedPrefill }
        if let expertParallel { s.expertParallel = expertParallel }
        if let attentionDataParallel { s.attentionDataParallel = attentionDataParallel }
        if let maxBatch { s.maxBatch = maxBatch }
        if let maxTokensPerStep { s.maxTokensPerStep = maxTokensPerStep }
        if let kvBlockTokens { s.kvBlockTokens = kvBlockTokens }
        if let memoryFraction { s.memoryFraction = memoryFraction }
        return s
    }
}

extension Precision {
    /// The KV-cache format an engine uses by default for weights in this format (one rule for `estimate`,
    /// specs and calibration; docs/performance-model.md, "KV-cache precision"):
    /// - TensorRT-LLM with FP8 or NVFP4 weights: FP8 — NVIDIA's ModelOpt FP8 and NVFP4 checkpoints carry
    ///   `kv_cache_quant_algo: FP8` and TensorRT-LLM follows the checkpoint.
    /// - vLLM and SGLang: `kv_cache_dtype=auto`, the model's activation type: BF16 for BF16 weights,
    ///   FP16 otherwise (FP8/INT8/INT4/NVFP4 checkpoints keep a 16-bit cache unless told).
    /// - TensorRT-LLM with other weights: the activation type, as above.
    /// - NIM with a TensorRT-LLM profile: as TensorRT-LLM (its backend).
    public func defaultKVCache(on engine: EngineProfile) -> Precision {
        if (self == .fp8 || self == .fp4) && engine.backend == .trtllm { return .fp8 }
        return self == .bf16 ? .bf16 : .fp16
    }
}
