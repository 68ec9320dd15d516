/// A model's architecture, from its published config.json: everything memory and FLOPs depend on.
public struct ModelArchitecture: Sendable, Hashable {
    public var id: String
    public var name: String
    public var vendor: String
    public var huggingFaceRepo: String?
    public var source: String
    public var asOf: String
    public var layers: Int
    public var hiddenSize: Int
    public var attentionHeads: Int
    public var kvHeads: Int
    public var headDim: Int
    /// Dense MLP width (for MoE models: of the dense layers).
    public var intermediateSize: Int
    public var vocabSize: Int
    public var maxContextTokens: Int
    public var tiedEmbeddings: Bool
    /// The parameter count the publisher states, billions.
    public var publishedParamsBillions: Double
    public var moe: MixtureOfExperts?
    public var mla: MultiHeadLatentAttention?
    public var notes: String?

    /// Mixture-of-experts layout.
    public struct MixtureOfExperts: Sendable, Hashable {
        public var experts: Int
        public var activeExperts: Int
        public var sharedExperts: Int
        public var expertIntermediateSize: Int
        /// Leading layers with a dense MLP instead of experts.
        public var denseLayers: Int
    }

    /// DeepSeek's multi-head latent attention: the KV cache holds one compressed latent per layer.
    public struct MultiHeadLatentAttention: Sendable, Hashable {
        public var kvLoraRank: Int
        public var qLoraRank: Int
        public var qkNopeHeadDim: Int
        public var qkRopeHeadDim: Int
        public var vHeadDim: Int
    }
}
