/// Numeric format of weights or KV cache, as a spec names it.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    case fp16, bf16, fp8, int8
    case int4GPTQ = "int4-gptq"
    case int4AWQ = "int4-awq"
    /// NVFP4: 4-bit (E2M1) weights and activations with one FP8 scale per 16 elements, run on Blackwell's
    /// FP4 tensor cores (NVIDIA's ModelOpt `NVFP4` checkpoints, e.g. nvidia/Llama-3.3-70B-Instruct-FP4).
    case fp4

    /// Bytes per element before any quantisation-scale overhead.
    public var bytesPerElement: Double {
        switch self {
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .int4GPTQ, .int4AWQ, .fp4: 0.5
        }
    }

    /// Whether this is 4-bit group quantisation (weights only; matmuls run at 16-bit).
    public var isInt4: Bool { self == .int4GPTQ || self == .int4AWQ }

    /// Whether a KV cache can be stored in this format: fp16, bf16, fp8 and int8; the 4-bit formats are
    /// weight formats only.
    public var isKVCacheFormat: Bool { !isInt4 && self != .fp4 }
}

/// Serving engine profiles; each is a small set of efficiency factors.
public enum EngineProfile: String, Sendable, Hashable, Codable, CaseIterable {
    case vllm, trtllm, sglang
    /// NVIDIA NIM for LLMs (1.x) serving a TensorRT-LLM profile: TensorRT-LLM's kernels and scheduler
    /// behind NIM's own HTTP frontend, whose per-request and per-step costs are fitted on their own.
    case nimTRTLLM = "nim-trtllm"

    /// The engine whose kernels run the steps (its kernel tables, KV-cache default and scheduler
    /// defaults): TensorRT-LLM for NIM's TensorRT-LLM profiles, the engine itself otherwise.
    public var backend: EngineProfile { self == .nimTRTLLM ? .trtllm : self }
}
