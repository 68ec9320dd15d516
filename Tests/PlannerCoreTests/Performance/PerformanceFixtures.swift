import Foundation
@testable import PlannerCore

/// Architectures from shared/reference/models.md and GPUs from shared/reference/hardware-specs.md,
/// so these tests do not depend on the catalog loader.
enum Fixtures {
    static func llama(_ id: String, layers: Int, hidden: Int, heads: Int, intermediate: Int, params: Double)
        -> ModelArchitecture
    {
        ModelArchitecture(
            id: id, name: id, vendor: "Meta", huggingFaceRepo: nil, source: "models.md", asOf: "2025-01",
            layers: layers, hiddenSize: hidden, attentionHeads: heads, kvHeads: 8, headDim: 128,
            intermediateSize: intermediate, vocabSize: 128_256, maxContextTokens: 131_072, tiedEmbeddings: false,
            publishedParamsBillions: params, moe: nil, mla: nil, notes: nil)
    }
    static let llama8B = llama("llama-3.1-8b", layers: 32, hidden: 4096, heads: 32, intermediate: 14336, params: 8.03)
    static let llama70B = llama("llama-3.1-70b", layers: 80, hidden: 8192, heads: 64, intermediate: 28672, params: 70.6)
    static let llama405B = llama("llama-3.1-405b", layers: 126, hidden: 16384, heads: 128, intermediate: 53248, params: 405.9)
    static let deepseekR1 = ModelArchitecture(
        id: "deepseek-r1", name: "DeepSeek-R1", vendor: "DeepSeek", huggingFaceRepo: nil, source: "models.md",
        asOf: "2025-01", layers: 61, hiddenSize: 7168, attentionHeads: 128, kvHeads: 128, headDim: 128,
        intermediateSize: 18432, vocabSize: 129_280, maxContextTokens: 163_840, tiedEmbeddings: false,
        publishedParamsBillions: 671,
        moe: .init(experts: 256, activeExperts: 8, sharedExperts: 1, expertIntermediateSize: 2048, denseLayers: 3),
        mla: .init(kvLoraRank: 512, qLoraRank: 1536, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128),
        notes: nil)
    static let mixtral = ModelArchitecture(
        id: "mixtral-8x7b", name: "Mixtral 8x7B", vendor: "Mistral", huggingFaceRepo: nil, source: "models.md",
        asOf: "2024-01", layers: 32, hiddenSize: 4096, attentionHeads: 32, kvHeads: 8, headDim: 128,
        intermediateSize: 14336, vocabSize: 32000, maxContextTokens: 32768, tiedEmbeddings: false,
        publishedParamsBillions: 46.7,
        moe: .init(experts: 8, activeExperts: 2, sharedExperts: 0, expertIntermediateSize: 14336, denseLayers: 0),
        mla: nil, notes: nil)

    static let models: [String: ModelArchitecture] = [
        "llama-3.1-8b": llama8B, "llama-3-8b": llama8B, "deepseek-r1-distill-llama-8b": llama8B,
        "llama-3.1-70b": llama70B,
    ]

    static func gpu(
        _ id: String, family: GPUFamily, memoryGiB: Double, bandwidthGBps: Double, fp16: Double, fp8: Double?,
        link: GPUInterconnect.Kind, linkGBps: Double, form: FormFactor = .sxm
    ) -> GPU {
        var tflops: [TensorPrecision: Double] = [.fp16: fp16, .bf16: fp16, .int8: fp8 ?? fp16 * 2]
        if let fp8 { tflops[.fp8] = fp8 }
        return GPU(
            listing: Listing(id: id, name: id, vendor: "NVIDIA", priceUSD: 1, priceBasis: .estimate,
                             priceNote: "test", source: "hardware-specs.md", asOf: "2025-01"),
            family: family, memoryGiB: memoryGiB, memoryBandwidthGBps: bandwidthGBps, denseTFLOPS: tflops,
            powerWatts: 700, formFactor: form, interconnect: GPUInterconnect(kind: link, bandwidthGBps: linkGBps),
            pcieGeneration: 5)
    }
    static let h100SXM = gpu("h100-sxm-80gb", family: .hopper, memoryGiB: 80, bandwidthGBps: 3350, fp16: 989.4,
                             fp8: 1978.9, link: .nvlink4, linkGBps: 900)
    static let h100PCIe = gpu("h100-pcie-80gb", family: .hopper, memoryGiB: 80, bandwidthGBps: 2000, fp16: 756,
                              fp8: 1513, link: .pcie, linkGBps: 128, form: .pcieDualSlot)
    static let a100SXM80 = gpu("a100-sxm-80gb", family: .ampere, memoryGiB: 80, bandwidthGBps: 2039, fp16: 312,
                               fp8: nil, link: .nvlink3, linkGBps: 600)
    static let a100PCIe40 = gpu("a100-pcie-40gb", family: .ampere, memoryGiB: 40, bandwidthGBps: 1555, fp16: 312,
                                fp8: nil, link: .pcie, linkGBps: 64, form: .pcieDualSlot)
    static let rtx4090 = gpu("rtx-4090", family: .ada, memoryGiB: 24, bandwidthGBps: 1008, fp16: 165.15,
                             fp8: 330.3, link: .pcie, linkGBps: 64, form: .consumerTripleSlot)
    static let h200 = gpu("h200-sxm-141gb", family: .hopper, memoryGiB: 141, bandwidthGBps: 4800, fp16: 989,
                          fp8: 1979, link: .nvlink4, linkGBps: 900)

    static let gpus: [String: GPU] = [
        "h100-sxm-80gb": h100SXM, "h100-pcie-80gb": h100PCIe, "a100-sxm-80gb": a100SXM80,
        "a100-pcie-40gb": a100PCIe40,
    ]

    static var measurementsURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("catalogs/calibration-measurements.csv")
    }

    /// Every row of the shipped measurements joined with the shipped catalog (whose calibration carries
    /// the kernel curves), leaving out rows the model cannot hold (`planner calibrate` warns about those).
    static func calibrationCases() throws -> [CalibrationCase] {
        let rows = try parseCalibrationCSV(String(contentsOf: measurementsURL, encoding: .utf8))
        return try PlannerCore.calibrationCases(rows, catalog: loadShipped()).filter {
            memoryBreakdown($0.deployment, sequenceTokens: $0.workload.promptTokens + $0.workload.outputTokens).fits
        }
    }

    /// The cases with every closed loop scored as the staggered steady state (`lengths` varied): for tests of
    /// the fit's bookkeeping, where simulating fixed-length waves (NIM's rows) would only slow a debug build.
    static func staggered(_ cases: [CalibrationCase]) -> [CalibrationCase] {
        cases.map { var c = $0; c.row.lengths = .varied; return c }
    }

    static func deployment(
        _ model: ModelArchitecture = llama8B, _ gpu: GPU = h100SXM, gpus: Int = 1, tp: Int = 1,
        weights: Precision = .bf16, kv: Precision = .bf16, engine: EngineProfile = .vllm
    ) -> Deployment {
        Deployment(model: model, gpu: gpu, gpuCount: gpus, tensorParallel: tp, weightPrecision: weights,
                   kvPrecision: kv, engine: engine)
    }
}
