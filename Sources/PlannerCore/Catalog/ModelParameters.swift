/// Parameter counts derived from the architecture, so a catalog entry can be checked against the
/// publisher's figure. Computed in `Double` so no input, however large, can overflow.
extension ModelArchitecture {
    /// Total parameters: embeddings, lm_head (unless tied), every layer's attention, MLP or experts
    /// and norms, and the final norm. Multi-token-prediction heads are not counted.
    public var computedParameterCount: Int { Self.clamp(parameterCount(activeOnly: false)) }

    /// Parameters touched per token: for MoE models only the routed experts that are active
    /// (plus shared experts, router and everything else); equals the total for dense models.
    public var activeParameterCount: Int { Self.clamp(parameterCount(activeOnly: true)) }

    /// ``computedParameterCount`` in billions.
    public var computedParamsBillions: Double { parameterCount(activeOnly: false) / 1e9 }

    /// ``activeParameterCount`` in billions.
    public var activeParamsBillions: Double { parameterCount(activeOnly: true) / 1e9 }

    /// Parameters of one layer's attention block (projections, biases and MLA norms).
    public var attentionParametersPerLayer: Double {
        let h = Double(hiddenSize), heads = Double(attentionHeads)
        if let mla {
            let qkHead = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            let q: Double
            if mla.qLoraRank > 0 {
                let r = Double(mla.qLoraRank)
                q = h * r + r + r * heads * qkHead        // q_a, q_a_layernorm, q_b
            } else {
                q = h * heads * qkHead
            }
            let kvLora = Double(mla.kvLoraRank)
            let kvA = h * (kvLora + Double(mla.qkRopeHeadDim)) + kvLora   // kv_a (with MQA rope key), kv_a_layernorm
            let kvB = kvLora * heads * Double(mla.qkNopeHeadDim + mla.vHeadDim)
            let o = heads * Double(mla.vHeadDim) * h
            return q + kvA + kvB + o
        }
        let d = Double(headDim), kv = Double(kvHeads)
        let q = h * heads * d, k = h * kv * d, v = h * kv * d, o = heads * d * h
        let bias = attentionBias ? heads * d + 2 * kv * d : 0
        let norm = qkNorm ? 2 * d : 0
        return q + k + v + o + bias + norm
    }

    private func parameterCount(activeOnly: Bool) -> Double {
        let h = Double(hiddenSize)
        let embeddings = Double(vocabSize) * h * (tiedEmbeddings ? 1 : 2)
        let norms = 2 * h
        let denseMLP = 3 * h * Double(intermediateSize)
        var total = embeddings + h   // final norm
        if let moe {
            let denseLayers = Double(min(max(moe.denseLayers, 0), layers))
            let moeLayers = Double(layers) - denseLayers
            let expert = 3 * h * Double(moe.expertIntermediateSize)
            let routed = Double(activeOnly ? min(moe.activeExperts, moe.experts) : moe.experts)
            let moeBlock = h * Double(moe.experts) + (routed + Double(moe.sharedExperts)) * expert
            total += denseLayers * (attentionParametersPerLayer + denseMLP + norms)
            total += moeLayers * (attentionParametersPerLayer + moeBlock + norms)
        } else {
            total += Double(layers) * (attentionParametersPerLayer + denseMLP + norms)
        }
        return total
    }

    private static func clamp(_ x: Double) -> Int {
        x.isFinite && x < 9.0e18 ? Int(x) : Int.max
    }
}
