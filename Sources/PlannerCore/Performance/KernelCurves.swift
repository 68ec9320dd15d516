import Foundation

/// The measured kernel-efficiency curves of one deployment (one GPU, engine, model shape, precision and
/// TP degree), sampled once from ``KernelTable`` on a log₂ grid so that the step model's inner loop
/// interpolates in a small array instead of searching the table. Ratios are measured time over the
/// datasheet roofline (docs/kernel-tables.md); the all-reduce is measured seconds.
///
/// Grids: GEMM tokens and all-reduce bytes at every power of two; decode attention on powers of two of
/// batch (1…4,096) × context (64…131,072); prefill attention on powers of two of the prompt length.
/// Between grid points the value is linear in log₂ of the argument; beyond the ends it is clamped.
public struct KernelCurves: Sendable, Hashable {
    /// gemm[k]: ratio at 2^k tokens, k = 0…16.
    var gemm: [Double]
    /// attention[i][j]: decode-attention ratio at batch 2^i (i = 0…12) and context 2^(j+6) (j = 0…11).
    var attention: [[Double]]
    /// prefill[k]: prefill-attention ratio at a prompt of 2^k tokens, k = 0…17.
    var prefill: [Double]
    /// allReduce[k]: seconds of one all-reduce of 2^k bytes, k = 0…31 (empty when TP = 1).
    var allReduce: [Double]
    /// moe[k]: routed-expert ratio of one MoE layer at 2^k tokens, k = 0…16 (experts sharded over the TP
    /// GPUs, or distributed whole with ``EngineSettings/expertParallel``); empty for a dense model, or
    /// when the table has no curve for the model's MoE shape, weight precision, layout and degree (the
    /// experts then run at the GEMM curve, as dense layers do).
    var moe: [Double]
    /// What was measured: `aiconfigurator-core 0.12.0 (Apache-2.0), trtllm 1.3.0rc20`.
    public var provenance: String

    /// The curves for `d`, or nil when the table lacks its GPU and engine (any of GEMM, decode attention,
    /// prefill attention, or the all-reduce at its TP degree): the step model then uses the fitted
    /// efficiencies (the family fit). The engine's backend's rows answer (TensorRT-LLM's for NIM).
    public init?(_ table: KernelTable, _ d: Deployment) {
        let gpu = d.gpu.id, engine = d.engine.backend
        let tp = max(1, d.tensorParallel)
        // Data-parallel attention runs every KV head on each GPU (for its own sequences).
        let attentionTP = d.engineSettings.attentionDataParallel ? 1 : tp
        let kvHeads = max(1, (d.model.kvHeads + attentionTP - 1) / attentionTP)
        let kvPrecision: Precision = d.kvPrecision == .fp8 ? .fp8 : .fp16
        // GEMMs run at fp8 or NVFP4 where the weights are in that format (W8A8, W4A4), else at 16 bit
        // (int4 weight-only kernels dequantise).
        let weights: Precision = d.weightPrecision == .fp8 || d.weightPrecision == .fp4 ? d.weightPrecision : .fp16
        // Data-parallel attention runs its projections whole on each GPU (the TP 1 shapes), for its own tokens.
        guard let gemmSurface = table.gemmSurface(gpu: gpu, engine: engine, precision: weights, hidden: d.model.hiddenSize, tensorParallel: attentionTP),
              let attentionSurface = table.decodeAttentionSurface(gpu: gpu, engine: engine, kvHeads: kvHeads, kvPrecision: kvPrecision),
              let prefillSurface = table.prefillAttentionSurface(gpu: gpu, engine: engine)
        else { return nil }
        let allReduceSurface = tp > 1 ? table.allReduceSurface(gpu: gpu, engine: engine, tensorParallel: tp) : nil
        if tp > 1 && allReduceSurface == nil { return nil }
        func pow2(_ k: Int) -> Double { Foundation.pow(2, Double(k)) }
        gemm = (0...16).map { max(1, gemmSurface.value(x: pow2($0), y: 0)) }
        attention = (0...12).map { i in
            (0...11).map { j in max(1, attentionSurface.value(x: pow2(i), y: pow2(j + 6))) }
        }
        prefill = (0...17).map { max(1, prefillSurface.value(x: pow2($0), y: 1)) }
        allReduce = allReduceSurface.map { surface in (0...31).map { surface.value(x: pow2($0), y: 0) } } ?? []
        if tp > 2, d.gpu.interconnect.kind == .pcie, let pair = table.allReduceSurface(gpu: gpu, engine: engine, tensorParallel: 2) {
            allReduce = Self.pcieRing(measured: allReduce, pair: (0...31).map { pair.value(x: pow2($0), y: 0) },
                                      tensorParallel: tp, hopSeconds: AllReduceLink.of(d.gpu).latencyUs * 1e-6)
        }
        // Experts at their own measured kernel where the table times them in the weights' format (16-bit,
        // FP8, NVFP4: `KernelTable.tableName(of:)`; int4 and int8 experts keep the GEMM path).
        let moeSurface = d.model.moe.flatMap { moe -> KernelTable.Surface? in
            let shape = KernelTable.moeShape(
                experts: moe.experts, active: moe.activeExperts, hidden: d.model.hiddenSize, intermediate: moe.expertIntermediateSize)
            return table.moeSurface(gpu: gpu, engine: engine, precision: d.weightPrecision, shape: shape, tensorParallel: tp,
                                    expertParallel: d.engineSettings.expertParallel)
        }
        moe = moeSurface.map { surface in (0...16).map { max(1, surface.value(x: pow2($0), y: 0)) } } ?? []
        let version = table.engineVersion(gpu: gpu, engine: engine, kernel: .gemm) ?? "?"
        provenance = "\(table.source ?? "kernel table"), \(engine.rawValue) \(version)"
            + (d.engine == engine ? "" : " (\(d.engine.rawValue)'s backend)")
        if let standIn = table.decodeAttentionStandIn(gpu: gpu, engine: engine) {
            let v = table.engineVersion(gpu: gpu, engine: standIn, kernel: .decodeAttention) ?? "?"
            provenance += "; decode attention \(standIn.rawValue) \(v)'s (\(engine.rawValue)'s table beats the HBM roofline)"
        }
    }

    /// The all-reduce over PCIe at TP n > 2, from the same GPUs' TP 2 measurement as a ring whose every hop
    /// runs at the pair's rate (GPUs behind shared PCIe switches), never above the TP n measurement:
    ///
    ///     t_n(S) = min(measured_n(S), 2 (n − 1) / n · t_2(S) + 2 (n − 2) · λ)
    ///
    /// A ring all-reduce moves 2 (n − 1) / n · S bytes through each GPU's link (S at n = 2) and takes
    /// 2 (n − 1) hops (2 at n = 2); λ is the per-hop latency (``AllReduceLink``, 5 µs on PCIe).
    /// AIConfigurator's L40S measurements take 5.2 and 28 times TP 2's time for the same message at TP 4
    /// and 8 (TensorRT-LLM, 2 MiB: 123 µs, 635 µs, 3.44 ms), where a ring over the same links takes 1.5 and
    /// 1.75 times — a host topology (traffic between CPU sockets) of that machine; NVIDIA's TensorRT-LLM 0.14 table
    /// runs 70B on 4 × L40S at twice the throughput those measurements allow (docs/kernel-tables.md).
    static func pcieRing(measured: [Double], pair: [Double], tensorParallel tp: Int, hopSeconds: Double) -> [Double] {
        let n = Double(tp)
        return zip(measured, pair).map { m, t2 in min(m, 2 * (n - 1) / n * t2 + 2 * (n - 2) * hopSeconds) }
    }

    /// Linear interpolation in `values` at fractional index `x` (clamped to the ends).
    @inline(__always)
    private static func along(_ values: [Double], _ x: Double) -> Double {
        guard values.count > 1 else { return values.first ?? 1 }
        let clamped = min(Double(values.count - 1), max(0, x))
        let i = min(values.count - 2, Int(clamped))
        let f = clamped - Double(i)
        return values[i] + (values[i + 1] - values[i]) * f
    }

    @inline(__always) func gemmRatio(tokens: Double) -> Double { Self.along(gemm, log2(max(1, tokens))) }

    /// Whether the routed experts have a measured curve of their own.
    @inline(__always) var hasMoE: Bool { !moe.isEmpty }

    @inline(__always) func moeRatio(tokens: Double) -> Double { Self.along(moe, log2(max(1, tokens))) }

    @inline(__always) func prefillRatio(tokens: Double) -> Double { Self.along(prefill, log2(max(1, tokens))) }

    @inline(__always) func allReduceSeconds(bytes: Double) -> Double {
        allReduce.isEmpty ? 0 : Self.along(allReduce, log2(max(1, bytes)))
    }

    @inline(__always) func attentionRatio(batch: Double, context: Double) -> Double {
        let x = min(12, max(0, log2(max(1, batch))))
        let i = min(11, Int(x))
        let f = x - Double(i)
        let y = log2(max(1, context)) - 6
        let low = Self.along(attention[i], y), high = Self.along(attention[i + 1], y)
        return low + (high - low) * f
    }
}
