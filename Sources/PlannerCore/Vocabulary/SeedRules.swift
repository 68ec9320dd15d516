/// Figures the project's seed brief sets, written once (docs/seed-rules.md lists every rule and where
/// it is enforced).
public enum SeedRules {
    /// Rule 12, "avoid GPUs with <600 GB/s memory bandwidth": a plan that uses such a GPU warns;
    /// `constraints.min_memory_bandwidth_gbps` excludes them instead.
    public static let memoryBandwidthWarningGBps = 600.0
}
