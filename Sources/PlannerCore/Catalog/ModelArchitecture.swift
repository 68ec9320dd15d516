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
    /// Whether the q, k and v projections carry a bias (Qwen2.5); YAML `attention_bias`, default false.
    public var attentionBias: Bool = false
    /// Per-head RMSNorm on q and k (Qwen3); YAML `qk_norm`, default false.
    public var qkNorm: Bool = false
    public var notes: String?

    public init(
        id: String, name: String, vendor: String, huggingFaceRepo: String? = nil, source: String, asOf: String,
        layers: Int, hiddenSize: Int, attentionHeads: Int, kvHeads: Int, headDim: Int, intermediateSize: Int,
        vocabSize: Int, maxContextTokens: Int, tiedEmbeddings: Bool, publishedParamsBillions: Double,
        moe: MixtureOfExperts? = nil, mla: MultiHeadLatentAttention? = nil, attentionBias: Bool = false, qkNorm: Bool = false, notes: String? = nil
    ) {
        self.id = id
        self.name = name
        self.vendor = vendor
        self.huggingFaceRepo = huggingFaceRepo
        self.source = source
        self.asOf = asOf
        self.layers = layers
        self.hiddenSize = hiddenSize
        self.attentionHeads = attentionHeads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.intermediateSize = intermediateSize
        self.vocabSize = vocabSize
        self.maxContextTokens = maxContextTokens
        self.tiedEmbeddings = tiedEmbeddings
        self.publishedParamsBillions = publishedParamsBillions
        self.moe = moe
        self.mla = mla
        self.attentionBias = attentionBias
        self.qkNorm = qkNorm
        self.notes = notes
    }

    /// Mixture-of-experts layout.
    public struct MixtureOfExperts: Sendable, Hashable {
        public var experts: Int
        public var activeExperts: Int
        public var sharedExperts: Int
        public var expertIntermediateSize: Int
        /// Leading layers with a dense MLP instead of experts.
        public var denseLayers: Int

        public init(experts: Int, activeExperts: Int, sharedExperts: Int, expertIntermediateSize: Int, denseLayers: Int) {
            self.experts = experts
            self.activeExperts = activeExperts
            self.sharedExperts = sharedExperts
            self.expertIntermediateSize = expertIntermediateSize
            self.denseLayers = denseLayers
        }
    }

    /// DeepSeek's multi-head latent attention: the KV cache holds one compressed latent per layer.
    public struct MultiHeadLatentAttention: Sendable, Hashable {
        public var kvLoraRank: Int
        public var qLoraRank: Int
        public var qkNopeHeadDim: Int
        public var qkRopeHeadDim: Int
        public var vHeadDim: Int

        public init(kvLoraRank: Int, qLoraRank: Int, qkNopeHeadDim: Int, qkRopeHeadDim: Int, vHeadDim: Int) {
            self.kvLoraRank = kvLoraRank
            self.qLoraRank = qLoraRank
            self.qkNopeHeadDim = qkNopeHeadDim
            self.qkRopeHeadDim = qkRopeHeadDim
            self.vHeadDim = vHeadDim
        }
    }
}
