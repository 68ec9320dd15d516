/// An engine's documented default settings that decide memory and batching (not fitted).
public struct EngineDefaults: Sendable, Hashable {
    /// Fraction of GPU memory the engine lets itself use.
    public var memoryFraction: Double
    /// `true`: the fraction applies to the memory left after weights and overhead (TensorRT-LLM's
    /// `kv_cache_free_gpu_mem_fraction`); `false`: to the whole device (vLLM's `gpu_memory_utilization`).
    public var fractionOfFreeMemory: Bool
    /// Largest number of running sequences (vLLM `max_num_seqs`, TensorRT-LLM `max_batch_size`).
    public var maxBatch: Int
    /// Largest number of tokens in one engine step (`max_num_batched_tokens` / `max_num_tokens`).
    public var maxTokensPerStep: Int
    /// Paged-attention block size, tokens.
    public var kvBlockTokens: Int

    public init(
        memoryFraction: Double, fractionOfFreeMemory: Bool, maxBatch: Int, maxTokensPerStep: Int,
        kvBlockTokens: Int
    ) {
        self.memoryFraction = memoryFraction
        self.fractionOfFreeMemory = fractionOfFreeMemory
        self.maxBatch = maxBatch
        self.maxTokensPerStep = maxTokensPerStep
        self.kvBlockTokens = kvBlockTokens
    }

    /// Documented defaults of each engine (docs/performance-model.md, "Engine defaults").
    public static func of(_ engine: EngineProfile) -> EngineDefaults {
        switch engine {
        case .vllm:
            EngineDefaults(
                memoryFraction: 0.90, fractionOfFreeMemory: false, maxBatch: 256,
                maxTokensPerStep: 8192, kvBlockTokens: 16)
        case .trtllm:
            EngineDefaults(
                memoryFraction: 0.90, fractionOfFreeMemory: true, maxBatch: 2048,
                maxTokensPerStep: 8192, kvBlockTokens: 32)
        case .sglang:
            EngineDefaults(
                memoryFraction: 0.88, fractionOfFreeMemory: false, maxBatch: 256,
                maxTokensPerStep: 8192, kvBlockTokens: 1)
        }
    }
}
