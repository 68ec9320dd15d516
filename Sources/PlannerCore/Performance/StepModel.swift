import Foundation

/// A deployment reduced to the handful of rates and sizes that time an engine step; built once per
/// deployment, then evaluated many times without allocating (the optimizer's inner loop).
public struct StepModel: Sendable {
    /// Bytes of dense (non-expert) weights per GPU, and of one expert's weights per GPU per MoE layer.
    public var denseWeightBytes: Double
    public var expertWeightBytes: Double
    public var experts: Double
    public var activeExperts: Double
    public var moeLayers: Double
    public var kvBytesPerToken: Double
    /// FLOPs per token per GPU in the layers, and in the LM head (once per sequence per step). With
    /// data-parallel attention the attention projections are apart (``attentionProjectionFlopsPerToken``).
    public var layerFlopsPerToken: Double
    /// With data-parallel attention, the attention projections' FLOPs per token on the GPU that runs the
    /// token (2 · attention params: each GPU holds them whole); 0 otherwise (in ``layerFlopsPerToken``).
    public var attentionProjectionFlopsPerToken: Double
    /// With data-parallel attention, the prompt tokens one rank takes at a time (a whole prompt, or a
    /// chunk of one): a step's p prompt tokens then load its busiest rank with min(p, max(p / ranks,
    /// unit)) — one long prompt is not spread over the ranks, and the others wait for it at the next
    /// expert layer. nil: spread evenly (a step model built without a workload).
    public var promptUnitTokens: Double?
    /// The routed experts' share of ``layerFlopsPerToken``: 2 · MoE layers · k · 3·h·I / TP.
    public var expertFlopsPerToken: Double
    public var lmHeadFlopsPerToken: Double
    /// Attention FLOPs per (query, key) pair per GPU.
    public var attentionFlopsPerPair: Double
    /// Effective rates after efficiencies and virtualisation: bytes/s for weights and for KV-cache reads
    /// in attention, FLOP/s (matmul path, 16-bit path).
    public var bandwidthBytesPerSecond: Double
    public var attentionBytesPerSecond: Double
    public var matmulFlopsPerSecond: Double
    public var attentionFlopsPerSecond: Double
    public var stepOverheadSeconds: Double
    public var perSequenceSeconds: Double
    public var requestOverheadSeconds: Double
    /// Attention ranks of the replica (its TP degree with data-parallel attention, else 1): the decode
    /// attention kernel of each runs b / ranks sequences.
    public var attentionRanks: Double
    /// All-reduce: 2 per layer per step (1 with data-parallel attention); bytes per token per all-reduce;
    /// per-call time terms.
    public var allReducesPerStep: Double
    public var allReduceBytesPerToken: Double
    public var allReduceSecondsPerByte: Double
    public var allReduceLatencySeconds: Double
    /// Measured kernel curves for this GPU and engine, when the calibration carries a kernel table that
    /// covers them; the rates above are then the datasheet's (no fitted efficiency) and each kernel's
    /// roofline time is multiplied by its measured ratio.
    public var kernels: KernelCurves?
    /// The GPU whose measured curves this one borrows (its family's reference GPU); nil when the curves
    /// are its own or when there are none.
    public var kernelSource: String?
    /// With curves borrowed from a GPU of the same family, the reference's datasheet rates: a measured
    /// ratio r then adds (r − 1) × the reference's roofline time — the time the reference lost to
    /// launches, tiling and latency — to this GPU's own roofline, rather than (r − 1) × its own, so that
    /// a card with more bandwidth or FLOPS is never slower for borrowing the same curve. Nil with its own
    /// curves, and across families (MI300X on the H100's curves), where the ratio scales.
    public var reference: ReferenceRates?
    /// Whether the all-reduce is timed by the curves' measured all-reduce: a GPU's own curves, a
    /// same-family reference joined by the same link, or a reference of another family; else (an A10
    /// or H100 PCIe on the NVLink reference's curves) by this GPU's link figures (``AllReduceLink``).
    public var measuredAllReduce: Bool

    /// A reference GPU's datasheet rates (bytes/s, FLOP/s), derated like this GPU's.
    public struct ReferenceRates: Sendable, Hashable {
        public var bandwidthBytesPerSecond: Double
        public var matmulFlopsPerSecond: Double
        public var attentionFlopsPerSecond: Double
    }

    /// `promptTokens`: the workload's prompt length, where one is known (it sets ``promptUnitTokens``).
    public init(_ d: Deployment, calibration: CalibrationTable = .shipped, promptTokens: Int? = nil) {
        let f = ModelFootprint(d.model)
        let tpInt = max(1, d.tensorParallel)
        let tp = Double(tpInt)
        let wb = d.weightPrecision.bytesPerWeight
        let expertParams = f.paramsPerExpert * Double(d.model.moe?.experts ?? 0) * Double(f.moeLayers)
        // Attention data-parallel: each of the replica's n GPUs reads the whole attention weights and the
        // KV cache of its own b / n sequences at every head; a GPU's KV bytes per token of the replica's
        // batch is then the whole model's / n, against ⌈kv heads / n⌉ heads' worth (heads replicated when
        // fewer than n) with tensor-parallel attention.
        let ranks = Double(d.engineSettings.attentionRanks(tensorParallel: tpInt))
        attentionRanks = ranks
        let replicatedAttention = ranks > 1 ? f.attentionParams * wb : 0
        denseWeightBytes =
            ((f.layerParams - expertParams - (ranks > 1 ? f.attentionParams : 0)) * wb
                + (f.embeddingParams + f.lmHeadParams) * d.weightPrecision.embeddingBytes) / tp
            + replicatedAttention
        expertWeightBytes = f.paramsPerExpert * wb / tp
        experts = Double(d.model.moe?.experts ?? 0)
        activeExperts = Double(d.model.moe?.activeExperts ?? 0)
        moeLayers = Double(f.moeLayers)
        kvBytesPerToken = ranks > 1
            ? d.model.kvBytesPerTokenPerGPU(precision: d.kvPrecision, tensorParallel: 1) / ranks
            : d.model.kvBytesPerTokenPerGPU(precision: d.kvPrecision, tensorParallel: tpInt)
        layerFlopsPerToken = 2 * (f.activeLayerParams - (ranks > 1 ? f.attentionParams : 0)) / tp
        attentionProjectionFlopsPerToken = ranks > 1 ? 2 * f.attentionParams : 0
        // A rank of data-parallel attention prefills a whole prompt, or a chunk of its own step budget.
        promptUnitTokens = promptTokens.map { p in
            Double(d.engineSettings.chunkedPrefill ? min(max(1, p), max(1, d.engineSettings.maxTokensPerStep)) : max(1, p))
        }
        expertFlopsPerToken = 2 * Double(f.moeLayers) * Double(min(d.model.moe?.activeExperts ?? 0, d.model.moe?.experts ?? 0))
            * f.paramsPerExpert / tp
        lmHeadFlopsPerToken = 2 * (f.lmHeadParams > 0 ? f.lmHeadParams : f.embeddingParams) / tp
        attentionFlopsPerPair = 2 * f.attentionWidth * Double(d.model.layers) / tp

        let e = calibration.calibration(for: d.engine)
        let fam = calibration.factors(for: d.gpu.family)
        let derate = 1 - min(0.95, max(0, d.virtualizationOverhead))
        let found = calibration.kernels.flatMap { KernelCurvesCache.shared.curves($0, d) }
        kernels = found?.curves
        kernelSource = found?.borrowedFrom
        // Within a family (the same kernels and software stack) the reference's lost time carries over;
        // across families (CDNA3 on Hopper's curves) only the curves' shape does, scaled by the ratio.
        let sameFamilyReference = found?.borrowedFrom
            .flatMap { calibration.kernels?.measuredGPUs[$0] }
            .flatMap { $0.family == d.gpu.family ? $0 : nil }
        // Measured curves of this GPU: datasheet rates. Curves borrowed from its family's (or, for a
        // family without tables, Hopper's) reference GPU: datasheet rates × the fitted family factors, at
        // most the datasheet where the reference's lost time is carried (a factor above 1 would credit the
        // card with bandwidth or FLOPS it does not have). No curves at all (a catalog without the table):
        // the fitted efficiencies × family factors.
        let bwEff: Double, fcEff: Double, attnEff: Double
        if let found, found.borrowedFrom == nil {
            (bwEff, fcEff, attnEff) = (1, 1, 1)
        } else if found != nil {
            let most = sameFamilyReference == nil ? 1.5 : 1
            // The family's compute factor is what its other cards lose against the reference (the A100
            // PCIe's 300 W against the SXM's 400 W); a card with the reference's datasheet compute at the
            // reference's board power is the reference's compute silicon (the A100 SXM 40GB against the
            // 80GB) and computes as its measured curves do.
            let referenceCompute = sameFamilyReference.map {
                $0.denseTFLOPS == d.gpu.denseTFLOPS && $0.powerWatts == d.gpu.powerWatts
            } ?? false
            let bandwidth = min(most, max(0.01, fam.bandwidth))
            (bwEff, fcEff, attnEff) = (bandwidth, referenceCompute ? 1 : min(most, max(0.01, fam.compute)), bandwidth)
        } else {
            bwEff = min(1, max(0.01, e.bandwidthEfficiency * fam.bandwidth))
            fcEff = min(1, max(0.01, e.computeEfficiency * fam.compute))
            attnEff = min(1, max(0.01, e.attentionEfficiency * fam.bandwidth))
        }
        bandwidthBytesPerSecond = max(1, d.gpu.memoryBandwidthGBps * 1e9 * bwEff * derate)
        attentionBytesPerSecond = max(1, d.gpu.memoryBandwidthGBps * 1e9 * attnEff * derate)
        matmulFlopsPerSecond = max(1, d.gpu.denseTFLOPS(for: d.weightPrecision) * 1e12 * fcEff * derate)
        attentionFlopsPerSecond = max(1, d.gpu.denseTFLOPS16 * 1e12 * fcEff * derate)
        stepOverheadSeconds = max(0, e.stepOverheadMs) * 1e-3 / derate
        perSequenceSeconds = max(0, e.perSequenceStepUs) * 1e-6 / derate
        requestOverheadSeconds = max(0, e.requestOverheadMs) * 1e-3

        let link = AllReduceLink.of(d.gpu, tensorParallel: tpInt)
        reference = sameFamilyReference.map { ref in
            ReferenceRates(
                bandwidthBytesPerSecond: max(1, ref.memoryBandwidthGBps * 1e9 * derate),
                matmulFlopsPerSecond: max(1, ref.denseTFLOPS(for: d.weightPrecision) * 1e12 * derate),
                attentionFlopsPerSecond: max(1, ref.denseTFLOPS16 * 1e12 * derate))
        }
        measuredAllReduce = found != nil && sameFamilyReference.map { AllReduceLink.of($0, tensorParallel: tpInt) == link } ?? true
        // Tensor-parallel attention: an all-reduce after attention and one after the MLP or experts. Data-
        // parallel attention: an all-gather of the ranks' tokens before the MLP or experts and a reduce-
        // scatter after, which together move what one all-reduce moves (a ring all-reduce is the two).
        allReducesPerStep = tpInt > 1 ? (ranks > 1 ? 1 : 2) * Double(d.model.layers) : 0
        // Ring all-reduce of S bytes over n GPUs: 2(n−1)/n · S / link + 2(n−1) · latency.
        allReduceBytesPerToken = Double(d.model.hiddenSize) * MemoryConstants.activationBytes
        allReduceSecondsPerByte = 2 * (tp - 1) / tp / max(1, link.bandwidthGBpsPerDirection * 1e9)
        allReduceLatencySeconds = 2 * (tp - 1) * link.latencyUs * 1e-6
    }

    /// Weight bytes one GPU reads in a step that runs `tokens` tokens: dense weights plus the
    /// experts those tokens touch, E · (1 − (1 − k/E)^tokens) per MoE layer.
    @inline(__always)
    public func weightBytesRead(tokens: Double) -> Double {
        denseWeightBytes + expertWeightBytesRead(tokens: tokens)
    }

    /// The routed experts' part of ``weightBytesRead(tokens:)``: MoE layers · E · (1 − (1 − k/E)^tokens) ·
    /// one expert's bytes per GPU.
    @inline(__always)
    public func expertWeightBytesRead(tokens: Double) -> Double {
        guard experts > 0 else { return 0 }
        let untouched = Foundation.pow(max(0, 1 - activeExperts / experts), max(1, tokens))
        return moeLayers * experts * (1 - untouched) * expertWeightBytes
    }

    /// Seconds of one engine step with `decodeSequences` sequences decoding at mean context `context`
    /// tokens, plus `prefillTokens` prompt tokens whose mean attention context is `prefillContext`. The
    /// kernels of a step run one after another, so their times add (as in AIConfigurator's op sum):
    ///
    ///     t = max(weight bytes / BW, matmul FLOPs / F) · r_gemm(b + p)                  — GEMMs, LM head
    ///         (with a measured MoE curve: the routed experts apart, max(expert bytes / BW, expert FLOPs / F)
    ///         · r_moe(b + p), and the rest at r_gemm)
    ///       + max(b · c · KV bytes / BW_attn · r_attn(b, c), decode attention FLOPs / F16) — decode attention
    ///       + p · c_p · attention FLOPs per pair / F16 · r_prefill(2 c_p)                — prefill attention
    ///       + b · t_seq + 2 L all-reduces + t_step
    ///
    /// With measured kernel curves the r are the measured ratios and the rates the datasheet's; without,
    /// every r is 1 and the rates carry the fitted efficiencies. With curves borrowed from a GPU of the
    /// same family, each term roof · r becomes roof + (r − 1) · roof_ref, roof_ref the same work at the
    /// reference's datasheet rates (``reference``): the time the reference lost, not a share of this
    /// GPU's own roofline; the all-reduce is the measured one only over the same kind of link.
    ///
    /// With data-parallel attention over n ranks, the attention side is the busiest rank's: b / n decodes
    /// and p_r = min(p, max(p / n, unit)) prompt tokens (``promptUnitTokens``), its projections at
    /// 2 · attention params per token whole (``attentionProjectionFlopsPerToken``) and its prompt's
    /// attention at every head; the experts and the LM head stay shared by all n GPUs, and one all-gather
    /// plus one reduce-scatter a layer stand for the two all-reduces.
    @inline(__always)
    public func stepSeconds(
        decodeSequences b: Double, context: Double, prefillTokens p: Double = 0, prefillContext: Double = 0
    ) -> Double {
        let b = max(0, b), p = max(0, p), c = max(0, context), cp = max(0, prefillContext)
        let tokens = b + p
        let sequencesWithLogits = b + (p > 0 ? 1 : 0)
        // The busiest attention rank's prompt tokens (all of them without data-parallel attention).
        let rankPrompt = attentionRanks > 1
            ? promptUnitTokens.map { min(p, max(p / attentionRanks, $0)) } ?? p / attentionRanks
            : p
        let matmul = layerFlopsPerToken * tokens + lmHeadFlopsPerToken * sequencesWithLogits
            + attentionProjectionFlopsPerToken * (b / attentionRanks + rankPrompt)
        let expertBytes = expertWeightBytesRead(tokens: tokens)
        var gemm = max((denseWeightBytes + expertBytes) / bandwidthBytesPerSecond, matmul / matmulFlopsPerSecond)
        var kvRead = b * c * kvBytesPerToken / attentionBytesPerSecond
        // attentionFlopsPerPair is per GPU with the heads split over the replica; a rank runs every head.
        let prefillPairs = attentionRanks > 1 ? attentionRanks * rankPrompt * cp : p * cp
        var prefillAttention = attentionFlopsPerPair * prefillPairs / attentionFlopsPerSecond
        var comm = allReducesPerStep
            * (allReduceLatencySeconds + allReduceSecondsPerByte * allReduceBytesPerToken * tokens)
        if let k = kernels {
            // own × r with the GPU's own curves; own + (r − 1) × the reference's with borrowed ones.
            let reference = reference
            @inline(__always) func measured(_ own: Double, _ r: Double, _ roofline: (ReferenceRates) -> Double) -> Double {
                guard let reference else { return own * r }
                return own + (r - 1) * roofline(reference)
            }
            if k.hasMoE {
                let expertFlops = expertFlopsPerToken * tokens
                let dense = max(denseWeightBytes / bandwidthBytesPerSecond, (matmul - expertFlops) / matmulFlopsPerSecond)
                let experts = max(expertBytes / bandwidthBytesPerSecond, expertFlops / matmulFlopsPerSecond)
                // With data-parallel attention each GPU multiplies its own tokens (tokens / ranks).
                gemm = measured(dense, k.gemmRatio(tokens: tokens / attentionRanks)) {
                    max(denseWeightBytes / $0.bandwidthBytesPerSecond, (matmul - expertFlops) / $0.matmulFlopsPerSecond)
                } + measured(experts, k.moeRatio(tokens: tokens)) {
                    max(expertBytes / $0.bandwidthBytesPerSecond, expertFlops / $0.matmulFlopsPerSecond)
                }
            } else {
                gemm = measured(gemm, k.gemmRatio(tokens: tokens / attentionRanks)) {
                    max((denseWeightBytes + expertBytes) / $0.bandwidthBytesPerSecond, matmul / $0.matmulFlopsPerSecond)
                }
            }
            if b > 0 {
                kvRead = measured(kvRead, k.attentionRatio(batch: b / attentionRanks, context: c)) {
                    b * c * kvBytesPerToken / $0.bandwidthBytesPerSecond
                }
            }
            if p > 0 {
                prefillAttention = measured(prefillAttention, k.prefillRatio(tokens: 2 * cp)) {
                    attentionFlopsPerPair * prefillPairs / $0.attentionFlopsPerSecond
                }
            }
            if allReducesPerStep > 0, measuredAllReduce {
                comm = allReducesPerStep * k.allReduceSeconds(bytes: allReduceBytesPerToken * tokens)
            }
        }
        let decodeAttention = max(kvRead, attentionFlopsPerPair * b * c / attentionFlopsPerSecond)
        return gemm + decodeAttention + prefillAttention + perSequenceSeconds * b + comm + stepOverheadSeconds
    }

    /// Compute time of a prompt of `tokens` tokens at mean attention context `context`, no floors or
    /// overheads (on one rank, with data-parallel attention).
    public func prefillComputeSeconds(tokens: Double, context: Double) -> Double {
        ((layerFlopsPerToken + attentionProjectionFlopsPerToken) * tokens + lmHeadFlopsPerToken) / matmulFlopsPerSecond
            + attentionFlopsPerPair * attentionRanks * tokens * context / attentionFlopsPerSecond
    }

    /// Whether a decode step at this batch and context is bound by memory rather than compute.
    public func isMemoryBound(decodeSequences b: Double, context: Double) -> Bool {
        let memory = weightBytesRead(tokens: b) / bandwidthBytesPerSecond
            + b * context * kvBytesPerToken / attentionBytesPerSecond
        let compute = (layerFlopsPerToken + lmHeadFlopsPerToken + attentionProjectionFlopsPerToken / attentionRanks) * b / matmulFlopsPerSecond
            + attentionFlopsPerPair * b * context / attentionFlopsPerSecond
        return memory >= compute
    }
}

/// GPU-to-GPU link figures for the all-reduce model.
public struct AllReduceLink: Sendable, Hashable {
    /// One direction, GB/s (vendors quote both directions; half of that).
    public var bandwidthGBpsPerDirection: Double
    /// Per ring hop, µs.
    public var latencyUs: Double

    /// NVLink/xGMI: 3 µs per hop; PCIe: 5 µs per hop — order-of-magnitude figures for small-message NCCL
    /// all-reduce, not fitted (docs/performance-model.md). An NVLink bridge joins two cards: above TP 2 the
    /// ring also crosses PCIe between the pairs, and its slowest hop sets its pace, so it runs at the PCIe
    /// figures of the card's generation (16 GT/s × 16 lanes ≈ 32 GB/s a direction for Gen4, twice that per
    /// generation after; PCI-SIG).
    public static func of(_ gpu: GPU, tensorParallel tp: Int = 2) -> AllReduceLink {
        let bw = max(1, gpu.interconnect.bandwidthGBps / 2)
        switch gpu.interconnect.kind {
        case .nvlinkBridge where tp > 2:
            return AllReduceLink(bandwidthGBpsPerDirection: 32 * pow(2, Double(gpu.pcieGeneration - 4)), latencyUs: 5)
        case .nvlink3, .nvlink4, .nvlink5, .xgmi, .nvlinkBridge:
            return AllReduceLink(bandwidthGBpsPerDirection: bw, latencyUs: 3)
        case .pcie:
            return AllReduceLink(bandwidthGBpsPerDirection: bw, latencyUs: 5)
        }
    }
}

/// Kernel curves by deployment shape, built once per process: sampling a ``KernelTable`` costs a few
/// hundred look-ups, and the optimizer and the calibration fit build step models many times over.
final class KernelCurvesCache: @unchecked Sendable {
    static let shared = KernelCurvesCache()
    private let lock = NSLock()
    private var curves: [Key: Found?] = [:]

    /// Curves for a deployment, and the GPU they were measured on when not its own.
    struct Found: Sendable {
        var curves: KernelCurves
        var borrowedFrom: String?
    }

    /// The reference GPU whose curves a GPU without its own borrows: its family's GPU with tables, and
    /// Hopper's for a family with none (CDNA3). Ratios are to each GPU's own datasheet roofline, so a
    /// same-family card keeps its own bandwidth and FLOPS and borrows only the kernels' efficiency shape.
    static func reference(for family: GPUFamily) -> String {
        switch family {
        case .ampere: "a100-sxm-80gb"
        case .hopper, .cdna3: "h100-sxm-80gb"
        case .ada: "l40s-48gb"
        case .blackwell: "b200-180gb"
        }
    }

    private struct Key: Hashable {
        var gpu: String, engine: EngineProfile, weights: Precision, kv: Precision, hidden: Int, kvHeads: Int, tp: Int
        /// The MoE shape (experts, active, expert width); nil for a dense model.
        var moe: [Int]?
        /// The layouts the curves depend on (``EngineSettings/expertParallel``, ``EngineSettings/attentionDataParallel``).
        var expertParallel: Bool, attentionDataParallel: Bool
        var table: Int
    }

    func curves(_ table: KernelTable, _ d: Deployment) -> Found? {
        let key = Key(
            gpu: d.gpu.id, engine: d.engine, weights: d.weightPrecision, kv: d.kvPrecision, hidden: d.model.hiddenSize,
            kvHeads: d.model.kvHeads, tp: d.tensorParallel,
            moe: d.model.moe.map { [$0.experts, $0.activeExperts, $0.expertIntermediateSize] },
            expertParallel: d.engineSettings.expertParallel, attentionDataParallel: d.engineSettings.attentionDataParallel,
            table: table.coverage.count)
        lock.lock()
        if let hit = curves[key] { lock.unlock(); return hit }
        lock.unlock()
        var built = KernelCurves(table, d).map { Found(curves: $0, borrowedFrom: nil) }
        if built == nil {
            var proxy = d
            let reference = Self.reference(for: d.gpu.family)
            proxy.gpu.listing.id = reference
            built = KernelCurves(table, proxy).map { Found(curves: $0, borrowedFrom: reference) }
        }
        lock.lock()
        curves[key] = built
        lock.unlock()
        return built
    }
}
