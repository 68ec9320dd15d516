extension Collection where Element == Double {
    /// The median: the middle value, or the mean of the two middle values of an even count; nil when
    /// empty. (The error summaries of calibration and step measurements report medians of |error|.)
    public var median: Double? {
        guard !isEmpty else { return nil }
        let sorted = self.sorted()
        let n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}
