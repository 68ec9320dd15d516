/// Parameter counts and per-token sizes of a model, derived from its architecture.
/// All counts are plain numbers of parameters (not billions); see docs/performance-model.md, "Parameters".
public struct ModelFootprint: Sendable, Hashable {
    /// Parameters in all transformer layers (attention + MLP/experts), the part that is quantised.
    public var layerParams: Double
    /// Input embedding table (vocab × hidden).
    public var embeddingParams: Double
    /// Output projection (vocab × hidden); 0 when tied to the embedding.
    public var lmHeadParams: Double
    /// Layer parameters one token multiplies by (MoE: shared + active experts only).
    public var activeLayerParams: Double
    /// Expert-MLP parameters in one MoE layer, one expert (0 for dense models).
    public var paramsPerExpert: Double
    /// Number of MoE layers.
    public var moeLayers: Int
    /// Attention width per (query, key) pair and layer: FLOPs = 2 × this per pair per layer.
    public var attentionWidth: Double
    /// Attention projection parameters (q, k, v, o; MLA's low-rank projections) in all layers: the weights
    /// every GPU of a replica holds whole when attention runs data-parallel.
    public var attentionParams: Double

    public var totalParams: Double { layerParams + embeddingParams + lmHeadParams }
    /// Parameters a decoded token multiplies by: active layers + LM head (the embedding is a lookup).
    public var activeParamsPerToken: Double { activeLayerParams + lmHeadOrTied }
    private var lmHeadOrTied: Double { lmHeadParams > 0 ? lmHeadParams : embeddingParams }

    public init(_ m: ModelArchitecture) {
        let h = Double(m.hiddenSize)
        let heads = Double(m.attentionHeads)
        let attention: Double
        if let mla = m.mla {
            let qk = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let q = mla.qLoraRank > 0
                ? h * Double(mla.qLoraRank) + Double(mla.qLoraRank) * heads * qk
                : h * heads * qk
            let kvA = h * Double(mla.kvLoraRank + mla.qkRopeHeadDim)
            let kvB = Double(mla.kvLoraRank) * heads * Double(mla.qkNopeHeadDim + mla.vHeadDim)
            let o = heads * Double(mla.vHeadDim) * h
            attention = q + kvA + kvB + o
            attentionWidth = heads * (qk + Double(mla.vHeadDim))
        } else {
            let hd = Double(m.headDim)
            attention = 2 * h * heads * hd + 2 * h * Double(m.kvHeads) * hd
            attentionWidth = 2 * heads * hd
        }
        let denseMLP = 3 * h * Double(m.intermediateSize)
        let layers = max(0, m.layers)
        attentionParams = Double(layers) * attention
        if let moe = m.moe {
            let dense = min(layers, max(0, moe.denseLayers))
            moeLayers = layers - dense
            paramsPerExpert = 3 * h * Double(moe.expertIntermediateSize)
            let router = h * Double(moe.experts)
            let shared = Double(moe.sharedExperts) * paramsPerExpert
            let moeLayer = attention + router + shared + Double(moe.experts) * paramsPerExpert
            let moeActive = attention + router + shared + Double(min(moe.activeExperts, moe.experts)) * paramsPerExpert
            layerParams = Double(dense) * (attention + denseMLP) + Double(moeLayers) * moeLayer
            activeLayerParams = Double(dense) * (attention + denseMLP) + Double(moeLayers) * moeActive
        } else {
            moeLayers = 0
            paramsPerExpert = 0
            layerParams = Double(layers) * (attention + denseMLP)
            activeLayerParams = layerParams
        }
        embeddingParams = Double(m.vocabSize) * h
        lmHeadParams = m.tiedEmbeddings ? 0 : Double(m.vocabSize) * h
    }
}

extension Precision {
    /// Bytes per weight including the quantisation metadata: int4 has one fp16 scale and one 4-bit zero
    /// point per group of 128 weights (GPTQ/AWQ default group size) = 2.5 / 128 bytes; NVFP4 one FP8
    /// scale per block of 16 = 1 / 16 byte (its one FP32 scale per tensor is negligible).
    public var bytesPerWeight: Double {
        switch self {
        case .int4GPTQ, .int4AWQ: bytesPerElement + 2.5 / 128
        case .fp4: bytesPerElement + 1.0 / 16
        default: bytesPerElement
        }
    }

    /// Bytes per embedding / LM-head weight: 2 at every precision, because quantised checkpoints
    /// (fp8, int8, GPTQ, AWQ, NVFP4) keep both at 16 bit.
    public var embeddingBytes: Double { 2 }

    /// The tensor-core path the matrix multiplications run at: W8A8 fp8/int8 use the 8-bit
    /// path where the GPU has one; int4 weight-only kernels dequantise to 16 bit; NVFP4 (W4A4) runs
    /// on the FP4 path, which specs may only pick on a GPU that has one.
    public var computePath: TensorPrecision {
        switch self {
        case .fp16: .fp16
        case .bf16: .bf16
        case .fp8: .fp8
        case .int8: .int8
        case .int4GPTQ, .int4AWQ: .fp16
        case .fp4: .fp4
        }
    }
}

extension GPU {
    /// Dense TFLOPS for a precision's compute path, falling back to the 16-bit figure
    /// (e.g. fp8 weights on an A100 run W8A16 kernels at the fp16 rate).
    public func denseTFLOPS(for precision: Precision) -> Double {
        denseTFLOPS[precision.computePath] ?? denseTFLOPS16
    }

    /// Whether weights in `precision` can run here: NVFP4 needs FP4 tensor cores (there is no fallback
    /// kernel in TensorRT-LLM); every other format runs, at its own tensor path or at 16 bit.
    public func runs(weights precision: Precision) -> Bool {
        precision.computePath != .fp4 || denseTFLOPS[.fp4] != nil
    }

    /// The 16-bit dense tensor figure (fp16, else bf16, else 0).
    public var denseTFLOPS16: Double { denseTFLOPS[.fp16] ?? denseTFLOPS[.bf16] ?? 0 }
}

extension ModelArchitecture {
    /// KV-cache bytes per token on one GPU at tensor-parallel degree `tp`:
    /// 2 × layers × ⌈kv_heads / tp⌉ × head_dim × bytes (never below one KV head per GPU);
    /// MLA stores one latent (kv_lora_rank + qk_rope_head_dim) per layer, replicated on every TP rank.
    public func kvBytesPerTokenPerGPU(precision: Precision, tensorParallel tp: Int) -> Double {
        let bytes = precision.bytesPerElement
        if let mla {
            return Double(layers) * Double(mla.kvLoraRank + mla.qkRopeHeadDim) * bytes
        }
        let t = max(1, tp)
        let headsPerGPU = max(1, (kvHeads + t - 1) / t)
        return 2 * Double(layers) * Double(headsPerGPU) * Double(headDim) * bytes
    }
}
