/// How a replica of several GPUs lays out a mixture of experts: its experts sharded over the GPUs or
/// distributed whole (``EngineSettings/expertParallel``), and its attention tensor-parallel or data-parallel
/// (``EngineSettings/attentionDataParallel``). The engines' default is both off; NVIDIA's TensorRT-LLM
/// tables run every mixture of experts with both on (docs/performance-model.md, "Mixtures of experts over
/// several GPUs"). At TP 1 every layout is the same deployment.
public struct ParallelLayout: Sendable, Hashable, CustomStringConvertible {
    public var expertParallel: Bool
    public var attentionDataParallel: Bool

    public init(expertParallel: Bool, attentionDataParallel: Bool) {
        self.expertParallel = expertParallel
        self.attentionDataParallel = attentionDataParallel
    }

    /// Experts sharded, attention tensor-parallel: every engine's default.
    public static let enginesDefault = ParallelLayout(expertParallel: false, attentionDataParallel: false)

    /// The layout in words, as plans print it: "experts sharded, attention tensor-parallel" for the default.
    public var description: String {
        (expertParallel ? "experts expert-parallel" : "experts sharded") + ", "
            + (attentionDataParallel ? "attention data-parallel" : "attention tensor-parallel")
    }
}

extension EngineSettings {
    /// The two layout switches as one value.
    public var layout: ParallelLayout {
        get { ParallelLayout(expertParallel: expertParallel, attentionDataParallel: attentionDataParallel) }
        set {
            expertParallel = newValue.expertParallel
            attentionDataParallel = newValue.attentionDataParallel
        }
    }

    /// These settings with `layout`'s switches.
    public func with(_ layout: ParallelLayout) -> EngineSettings {
        var s = self
        s.layout = layout
        return s
    }
}
