extension Spec {
    /// The engine's settings with the spec's overrides applied; a switch left `auto` keeps the engine's
    /// default here (``parallelLayouts(mixtureOfExperts:)`` lists what `solve` tries).
    public var engineSettings: EngineSettings {
        EngineSettings.defaults(for: engine).overriding(
            maxBatch: engineOverrides.maxNumSeqs, maxTokensPerStep: engineOverrides.maxNumBatchedTokens,
            kvBlockTokens: engineOverrides.kvBlockTokens, memoryFraction: engineOverrides.gpuMemoryUtilization,
            chunkedPrefill: engineOverrides.enableChunkedPrefill, expertParallel: engineOverrides.expertParallel?.fixedValue,
            attentionDataParallel: engineOverrides.attentionDataParallel?.fixedValue)
    }

    /// Whether the spec leaves a layout switch to the planner (`auto`).
    public var choosesParallelLayout: Bool {
        engineOverrides.expertParallel == .auto || engineOverrides.attentionDataParallel == .auto
    }

    /// The layouts `solve` sizes each replica of several GPUs in, the engines' default first: each switch's
    /// fixed value (the default when unset), or both values where it is `auto` — for a mixture of experts
    /// only: a dense model has no experts to distribute, and no engine recommends data-parallel attention
    /// for one (a dense model's `auto` keeps the default; a fixed `true` is planned as given).
    public func parallelLayouts(mixtureOfExperts: Bool) -> [ParallelLayout] {
        let base = engineSettings
        func values(_ choice: EngineSwitch?, _ fixed: Bool) -> [Bool] {
            choice == .auto && mixtureOfExperts ? [false, true] : [fixed]
        }
        return values(engineOverrides.expertParallel, base.expertParallel).flatMap { ep in
            values(engineOverrides.attentionDataParallel, base.attentionDataParallel).map { dp in
                ParallelLayout(expertParallel: ep, attentionDataParallel: dp)
            }
        }
    }
}
