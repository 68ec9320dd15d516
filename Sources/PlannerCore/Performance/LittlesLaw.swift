// Little's law as a check on closed-loop measurements: a benchmark that keeps C clients busy, each sending
// its next request the moment its last completes, holds C requests in the system, so C = X · W with X the
// completed requests per second and W the mean time from send to last token. A row whose own figures imply
// a very different C did not run the loop its row describes (a load generator that could not keep that many
// requests open, a rate run filed as concurrency, latencies in the wrong unit, the wrong output length).

extension CalibrationRow {
    /// The band of implied over stated clients that passes: mean lengths and a client's own overhead move
    /// the product of means a little off the mean of products (the shipped rows: 0.90 to 1.00).
    public static let impliedConcurrencyBand: ClosedRange<Double> = 0.8...1.25

    /// Requests in flight that the row's own means imply, for a closed loop (`concurrency`) with mean TTFT
    /// and TPOT, output throughput and output length:
    ///
    ///     C_implied = X · W,  X = output tokens/s ÷ osl,  W = TTFT + (osl − 1) · TPOT
    ///
    /// `nil` for other load kinds, other latency statistics (Little's law holds for means) and rows
    /// missing a figure.
    public var impliedConcurrency: Double? {
        guard case .concurrency = load, latencyStatistic == .mean,
              let ttft = ttftMs, let tpot = tpotMs, let tokensPerSecond = outputTokensPerSecond,
              let osl = outputTokens, osl > 0, tokensPerSecond > 0
        else { return nil }
        let requestsPerSecond = tokensPerSecond / Double(osl)
        return requestsPerSecond * (ttft + Double(osl - 1) * tpot) / 1000
    }

    /// ``impliedConcurrency`` over the stated clients; `nil` where it is not computable.
    public var impliedConcurrencyRatio: Double? {
        guard case .concurrency(let clients) = load, clients > 0, let implied = impliedConcurrency else { return nil }
        return implied / Double(clients)
    }
}
