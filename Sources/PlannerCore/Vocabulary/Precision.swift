/// Numeric format of weights or KV cache, as a spec names it.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    case fp16, bf16, fp8, int8
    case int4GPTQ = "int4-gptq"
    case int4AWQ = "int4-awq"

    /// Bytes per element before any quantisation-scale overhead.
    public var bytesPerElement: Double {
        switch self {
        case .fp16, .bf16: 2
        case .fp8, .int8: 1
        case .int4GPTQ, .int4AWQ: 0.5
        }
    }

    /// Whether this is 4-bit group quantisation (weights only; matmuls run at 16-bit).
    public var isInt4: Bool { self == .int4GPTQ || self == .int4AWQ }
}

/// Serving engine profiles; each is a small set of efficiency factors.
public enum EngineProfile: String, Sendable, Hashable, Codable, CaseIterable {
    case vllm, trtllm, sglang
}
