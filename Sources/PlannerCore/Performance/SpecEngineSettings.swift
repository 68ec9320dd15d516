extension Spec {
    /// The engine's settings with the spec's overrides applied.
    public var engineSettings: EngineSettings {
        EngineSettings.defaults(for: engine).overriding(
            maxBatch: engineOverrides.maxNumSeqs, maxTokensPerStep: engineOverrides.maxNumBatchedTokens,
            kvBlockTokens: engineOverrides.kvBlockTokens, memoryFraction: engineOverrides.gpuMemoryUtilization,
            chunkedPrefill: engineOverrides.enableChunkedPrefill, expertParallel: engineOverrides.expertParallel,
            attentionDataParallel: engineOverrides.attentionDataParallel)
    }
}
