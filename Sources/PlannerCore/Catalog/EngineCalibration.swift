/// The fitted efficiency factors of one serving engine (see docs/performance-model.md).
public struct EngineCalibration: Sendable, Hashable, Codable {
    /// Achieved fraction of datasheet memory bandwidth in decode.
    public var bandwidthEfficiency: Double
    /// Achieved fraction of datasheet memory bandwidth when attention reads the KV cache in decode
    /// (paged-attention kernels reach less of it than the weight GEMMs do, more so at short contexts).
    public var attentionEfficiency: Double
    /// Achieved fraction of datasheet dense tensor FLOPS in matrix work.
    public var computeEfficiency: Double
    /// Fixed time added to every engine step (kernel launches, scheduling, sampling), ms.
    public var stepOverheadMs: Double
    /// Host-side cost per running sequence per step (scheduling, sampling), µs; overlapped with GPU work.
    public var perSequenceStepUs: Double
    /// Fixed time added to every time-to-first-token (HTTP, tokenisation, queue hand-off), ms.
    public var requestOverheadMs: Double

    public init(
        bandwidthEfficiency: Double, attentionEfficiency: Double? = nil, computeEfficiency: Double,
        stepOverheadMs: Double, perSequenceStepUs: Double, requestOverheadMs: Double
    ) {
        self.bandwidthEfficiency = bandwidthEfficiency
        self.attentionEfficiency = attentionEfficiency ?? bandwidthEfficiency
        self.computeEfficiency = computeEfficiency
        self.stepOverheadMs = stepOverheadMs
        self.perSequenceStepUs = perSequenceStepUs
        self.requestOverheadMs = requestOverheadMs
    }
}

/// Per-GPU-family multipliers on an engine's bandwidth and compute efficiency (Hopper = 1 by definition).
public struct FamilyFactors: Sendable, Hashable, Codable {
    public var bandwidth: Double
    public var compute: Double

    public init(bandwidth: Double = 1, compute: Double = 1) {
        self.bandwidth = bandwidth
        self.compute = compute
    }
}

/// All fitted constants: one ``EngineCalibration`` per engine, one ``FamilyFactors`` per GPU family.
/// An engine or family missing from the table uses the fallbacks documented on ``calibration(for:)``.
///
/// `kernels` holds the measured kernel-efficiency curves (catalogs/kernel-efficiency.csv, attached by the
/// catalog loader): a GPU and engine they cover is timed from its measured kernels, and the efficiency
/// constants here then apply only to GPUs without curves. The static tables carry no curves.
public struct CalibrationTable: Sendable, Hashable {
    public var engines: [EngineProfile: EngineCalibration]
    public var families: [GPUFamily: FamilyFactors]
    public var kernels: KernelTable?

    public init(
        engines: [EngineProfile: EngineCalibration], families: [GPUFamily: FamilyFactors], kernels: KernelTable? = nil
    ) {
        self.engines = engines
        self.families = families
        self.kernels = kernels
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(engines)
        hasher.combine(families)
        hasher.combine(kernels?.coverage.count ?? -1)
    }

    /// The engine's constants; an engine without its own falls back to its backend's (NIM to TensorRT-LLM),
    /// then to vLLM's.
    public func calibration(for engine: EngineProfile) -> EngineCalibration {
        if let own = engines[engine] { return own }
        if let backend = engines[engine.backend] { return backend }
        if let vllm = engines[.vllm] { return vllm }
        return CalibrationTable.prior.engines[.vllm]!
    }

    /// The family's factors; families without measurements use 1 (Hopper's).
    public func factors(for family: GPUFamily) -> FamilyFactors {
        families[family] ?? FamilyFactors()
    }

    /// Constants fitted by `planner calibrate catalogs/calibration-measurements.csv` (193 rows, 11 sources)
    /// on the shipped catalog, whose kernel curves time the GPUs they cover: for those GPUs only the step,
    /// per-sequence and request overheads apply; the efficiencies and family factors time the rest
    /// (docs/performance-model.md, "Fitted constants"). The cdna3 factors were refitted on 2026-11-30 with
    /// `--fit families` (engine constants kept) on every source but DSTACK, DSTACK-R1 and DLI-NIM: MI300X's
    /// rows are vLLM's, and a whole fit let them move vLLM's constants for every GPU. The ampere factors
    /// were refitted the same way on 2026-11-30 (also without AWS-NIM and LLM-PRICE-COMPASS, added after
    /// and scored held out) once a family's two factors were searched together and a card borrowing its
    /// family's curves carried the reference's lost time (`StepModel.reference`): 0.62 / 1.02 before, which
    /// timed a batch-1 decode on an A10 or A100 40GB at half its measured speed. TensorRT-LLM's and SGLang's
    /// constants were refitted on 2026-11-30 by a whole fit on the same sources (t_step 0.9 → 1.1 ms, t_seq
    /// 4 → 3 µs; t_req 29.5 → 19.5 ms); the same fit's vLLM step overhead, 0.7 → 0.6 ms, was not taken: it
    /// moves no plan, and tips the agreement grid's TTFT-bound capacity point past its 10 % bound. The
    /// ampere factors were refitted again (compute 0.56 → 0.7) once TensorRT-LLM's A100 decode attention came
    /// from a table that does not beat the HBM roofline (`KernelTable.decodeAttentionStandIn`). NIM's rows
    /// (engine `nim-trtllm`) have constants of their own since 2026-11-30 (fourteenth session), fitted by the
    /// same whole fit on the NIM source (AWS-NIM and DLI-NIM stay held out); the fit's TensorRT-LLM values
    /// without NIM's rows (t_step 1.5 ms, t_seq 2 µs, t_req 37.5 ms) were not taken: they move the fit's
    /// medians by under half a point and would re-size the TensorRT-LLM examples for nothing measured.
    public static let shipped = CalibrationTable(
        engines: [
            .vllm: EngineCalibration(
                bandwidthEfficiency: 0.49, attentionEfficiency: 1.0, computeEfficiency: 0.2, stepOverheadMs: 0.7,
                perSequenceStepUs: 0, requestOverheadMs: 40),
            .trtllm: EngineCalibration(
                bandwidthEfficiency: 1.0, attentionEfficiency: 0.69, computeEfficiency: 0.54, stepOverheadMs: 1.1,
                perSequenceStepUs: 3, requestOverheadMs: 38.5),
            .sglang: EngineCalibration(
                bandwidthEfficiency: 0.84, attentionEfficiency: 0.84, computeEfficiency: 0.47, stepOverheadMs: 0.6,
                perSequenceStepUs: 40, requestOverheadMs: 19.5),
            .nimTRTLLM: EngineCalibration(
                bandwidthEfficiency: 1.0, attentionEfficiency: 0.69, computeEfficiency: 0.54, stepOverheadMs: 0,
                perSequenceStepUs: 9, requestOverheadMs: 9.5),
        ],
        families: [
            .ampere: FamilyFactors(bandwidth: 1.0, compute: 0.7),
            .cdna3: FamilyFactors(bandwidth: 0.47, compute: 0.5),
        ]
    )

    /// The bare datasheet roofline: full bandwidth and FLOPS, no overheads (what an uncalibrated
    /// calculator assumes).
    public static let roofline = CalibrationTable(
        engines: [
            .vllm: EngineCalibration(
                bandwidthEfficiency: 1, computeEfficiency: 1, stepOverheadMs: 0, perSequenceStepUs: 0,
                requestOverheadMs: 0),
            .trtllm: EngineCalibration(
                bandwidthEfficiency: 1, computeEfficiency: 1, stepOverheadMs: 0, perSequenceStepUs: 0,
                requestOverheadMs: 0),
        ],
        families: [:]
    )

    /// Round, unfitted starting values (the "before" of a calibration run).
    public static let prior = CalibrationTable(
        engines: [
            .vllm: EngineCalibration(
                bandwidthEfficiency: 0.8, computeEfficiency: 0.5, stepOverheadMs: 1,
                perSequenceStepUs: 0, requestOverheadMs: 5),
            .trtllm: EngineCalibration(
                bandwidthEfficiency: 0.8, computeEfficiency: 0.5, stepOverheadMs: 1,
                perSequenceStepUs: 0, requestOverheadMs: 5),
        ],
        families: [:]
    )
}
