import Foundation

/// Memory use of one GPU of a deployment, and what it allows.
public struct MemoryBreakdown: Sendable, Hashable {
    /// Weights held by one GPU (its 1/TP shard), GiB.
    public var weightsGiB: Double
    /// Memory left for the KV cache, GiB (0 when the model does not fit).
    public var kvCacheGiB: Double
    /// Activation workspace, CUDA context and graphs, NCCL buffers, GiB.
    public var overheadGiB: Double
    /// Device memory, GiB.
    public var capacityGiB: Double
    /// Memory the engine allows itself (its usable fraction), GiB.
    public var usableGiB: Double
    /// KV bytes per token on one GPU.
    public var kvBytesPerToken: Double
    /// Tokens of KV cache that fit (whole paged-attention blocks) in one replica.
    public var kvCapacityTokens: Int
    /// Largest batch of the workload's sequences one replica can run (KV cache and engine cap).
    public var maxBatch: Int
    /// The workload's sequences the KV cache alone holds (whole blocks), whatever the engine's cap.
    public var kvSequences: Int
    /// Whether the batch is limited by KV memory (`true`) or by the engine's batch cap.
    public var kvLimited: Bool
    /// Whether weights + overhead fit and at least one sequence of the workload fits.
    public var fits: Bool
    /// Why it does not fit, with the numbers; `nil` when it fits.
    public var shortfall: String?
}

/// Memory figures that are not fitted; see docs/performance-model.md, "Memory overheads".
public enum MemoryConstants {
    public static let bytesPerGiB = 1_073_741_824.0
    /// CUDA context, cuBLAS/attention workspaces and captured CUDA graphs per GPU, GiB.
    public static let runtimeOverheadGiB = 1.0
    /// NCCL communicator buffers per GPU when tensorParallel > 1, GiB.
    public static let ncclOverheadGiB = 0.5
    /// Bytes per activation element (16-bit).
    public static let activationBytes = 2.0
    /// Bytes per logit (fp32) kept for sampling.
    public static let logitBytes = 4.0
}

/// Memory use per GPU and the largest batch for a sequence of `sequenceTokens` (prompt + output).
///
/// weights = (layer params × bytes/weight + (embedding + LM head) × 2 B) / TP
///   (with data-parallel attention, the attention projections whole on every GPU: + attention × bytes/weight × (1 − 1/TP))
/// overhead = runtime + NCCL(TP>1) + maxTokensPerStep × (2·I/TP + 4·h) × 2 B + maxBatch × vocab/TP × 4 B
/// kv = f × capacity − weights − overhead (vLLM, SGLang) or f × (capacity − weights − overhead) (TRT-LLM)
/// maxBatch = min(engine cap, ⌊kv blocks / ⌈sequenceTokens / block⌉⌋)
///   (with data-parallel attention, per GPU: KV bytes per token at every head, n × (the cap, the
///   sequences one GPU's blocks hold) for a replica of n GPUs)
public func memoryBreakdown(_ d: Deployment, sequenceTokens: Int) -> MemoryBreakdown {
    let gib = MemoryConstants.bytesPerGiB
    let m = d.model
    let f = ModelFootprint(m)
    let e = d.engineSettings
    let tp = Double(max(1, d.tensorParallel))
    // Data-parallel attention: every GPU of the replica holds the whole attention weights and runs its own
    // batch, with its own KV cache at every head (``EngineSettings/attentionDataParallel``).
    let ranks = e.attentionRanks(tensorParallel: d.tensorParallel)
    let replicatedAttention = ranks > 1 ? f.attentionParams : 0
    let weightsBytes =
        ((f.layerParams - replicatedAttention) * d.weightPrecision.bytesPerWeight
            + (f.embeddingParams + f.lmHeadParams) * d.weightPrecision.embeddingBytes) / tp
        + replicatedAttention * d.weightPrecision.bytesPerWeight
    let mlpWidth: Double
    if let moe = m.moe {
        mlpWidth = max(
            moe.denseLayers > 0 ? Double(m.intermediateSize) : 0,
            Double(moe.expertIntermediateSize * max(1, moe.activeExperts + moe.sharedExperts)))
    } else {
        mlpWidth = Double(m.intermediateSize)
    }
    let activation =
        Double(e.maxTokensPerStep) * (2 * mlpWidth / tp + 4 * Double(m.hiddenSize))
        * MemoryConstants.activationBytes
        + Double(e.maxBatch) * Double(m.vocabSize) / tp * MemoryConstants.logitBytes
    let overheadBytes =
        (MemoryConstants.runtimeOverheadGiB + (d.tensorParallel > 1 ? MemoryConstants.ncclOverheadGiB : 0))
        * gib + activation
    let capacityBytes = max(0, d.gpu.memoryGiB) * gib
    let fraction = min(1, max(0, e.memoryFraction))
    let usableBytes: Double
    let kvBytes: Double
    if e.fractionOfFreeMemory {
        kvBytes = fraction * (capacityBytes - weightsBytes - overheadBytes)
        // The KV fraction applies to what weights and overhead leave; those two may use the whole device.
        usableBytes = kvBytes > 0 ? weightsBytes + overheadBytes + kvBytes : capacityBytes
    } else {
        usableBytes = fraction * capacityBytes
        kvBytes = usableBytes - weightsBytes - overheadBytes
    }
    let perToken = m.kvBytesPerTokenPerGPU(precision: d.kvPrecision, tensorParallel: ranks > 1 ? 1 : d.tensorParallel)
    let block = max(1, e.kvBlockTokens)
    // Blocks on one GPU; with data-parallel attention each of the `ranks` GPUs holds its own sequences' blocks.
    var blocks = 0
    if kvBytes > 0, perToken > 0 {
        blocks = Int(min(1e12, (kvBytes / (perToken * Double(block))).rounded(.down)))
    }
    let tokens = blocks * block * ranks
    let seq = max(1, sequenceTokens)
    let blocksPerSequence = (seq + block - 1) / block
    let kvBatch = blocks / blocksPerSequence * ranks
    let engineCap = e.replicaMaxBatch(tensorParallel: d.tensorParallel)
    let maxBatch = max(0, min(engineCap, kvBatch))
    var shortfall: String?
    if kvBytes <= 0, e.fractionOfFreeMemory {
        shortfall = String(
            format: "weights %.2f GiB + overhead %.2f GiB per GPU leave no KV cache in the GPU's %.2f GiB (TP %d)",
            weightsBytes / gib, overheadBytes / gib, capacityBytes / gib, d.tensorParallel)
    } else if kvBytes <= 0 {
        shortfall = String(
            format: "weights %.2f GiB + overhead %.2f GiB per GPU exceed the %.2f GiB usable of %.0f GiB (TP %d)",
            weightsBytes / gib, overheadBytes / gib, usableBytes / gib, d.gpu.memoryGiB, d.tensorParallel)
    } else if maxBatch < 1 {
        shortfall = String(
            format: "one sequence of %d tokens needs %.2f GiB of KV cache per GPU; %.2f GiB is left after weights %.2f GiB and overhead %.2f GiB",
            seq, Double(blocksPerSequence * block) * perToken / gib, kvBytes / gib, weightsBytes / gib,
            overheadBytes / gib)
    }
    return MemoryBreakdown(
        weightsGiB: weightsBytes / gib, kvCacheGiB: max(0, kvBytes) / gib, overheadGiB: overheadBytes / gib,
        capacityGiB: capacityBytes / gib, usableGiB: usableBytes / gib, kvBytesPerToken: perToken,
        kvCapacityTokens: tokens, maxBatch: maxBatch, kvSequences: kvBatch, kvLimited: kvBatch < engineCap,
        fits: shortfall == nil, shortfall: shortfall)
}

/// `max_num_seqs: auto` (``EngineOverrides/autoMaxNumSeqs``): the largest batch cap c, per attention rank, whose
/// replica the KV cache holds once the cap's own logits buffer (c × vocab / TP × 4 B a GPU, inside the
/// overhead) is paid for — the largest c with kvSequences(c) ≥ c × ranks, where kvSequences is
/// ``memoryBreakdown(_:sequenceTokens:)``'s count at cap c. kvSequences falls as c rises, so the condition
/// holds on 1…c* and fails above: bisection. 1 when not even one sequence fits (the breakdown then says why).
public func kvHeldBatchCap(_ d: Deployment, sequenceTokens: Int) -> Int {
    let ranks = d.engineSettings.attentionRanks(tensorParallel: d.tensorParallel)
    func holds(_ cap: Int) -> (Bool, Int) {
        var capped = d
        capped.engineSettings.maxBatch = cap
        let kv = memoryBreakdown(capped, sequenceTokens: sequenceTokens).kvSequences
        return (kv >= cap * ranks, kv)
    }
    let (fitsOne, kvAtOne) = holds(1)
    guard fitsOne else { return 1 }
    var low = 1, high = min(SpecLimits.maxNumSeqs.upperBound, kvAtOne / ranks + 1)
    while high - low > 1 {
        let middle = (low + high) / 2
        if holds(middle).0 { low = middle } else { high = middle }
    }
    return holds(high).0 ? high : low
}
