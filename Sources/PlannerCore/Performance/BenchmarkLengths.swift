import Foundation

/// Whether a benchmark's requests all had the same output length (column `lengths`). It matters for
/// closed loops only: benchmark clients all start together, and with `fixed` lengths — genai-perf or
/// AIPerf with `ignore_eos` and stddev 0, `vllm bench serve` or SGLang's `bench_serving` on random
/// prompts with `--ignore-eos` — those that start together finish together and send again together, so
/// the loop runs in synchronised waves for the whole run (docs/performance-model.md, "Fixed lengths
/// synchronise a closed loop" and "Scoring the benchmarks' waves"). Such a row is scored by
/// ``ServingSimulator`` run the same way; a `varied` row (the default: dataset prompts, outputs ending at
/// EOS) by the staggered steady state that specs are planned with.
public enum BenchmarkLengths: String, Sendable, Hashable, CaseIterable {
    case varied, fixed
}

/// A closed-loop row of fixed lengths (``BenchmarkLengths/fixed``) as its benchmark ran it: the
/// simulator with every client starting at once and every request exactly `osl` tokens long, measured
/// after the row's `warmup_requests` (none: from the start, as `--request-count` runs are; genai-perf's
/// older `--measurement-interval` windows measure once the loop is stable, after its first wave) over its
/// `num_requests` (three waves, three requests a client, where it gives none: the waves repeat, so the
/// count matters only where the clients outnumber the engine's batch and wait in its queue — AWS-NIM's
/// TTFT median is 48.6 / 46.5 / 54.8 % at one, three and ten a client, its other medians within a point),
/// the row's statistic (mean, median, p99) of TTFT and TPOT. `nil` for any other row, or where the model
/// does not fit. At most ``maximumSimulatedRequests`` are measured (a replica), and of the clients only
/// the first w + m + C are simulated (w warm-up, m measured, C the largest batch): served first come,
/// first served, the client in place k ≥ w + m + C is admitted only once k − C + 1 ≥ w + m + 1 requests
/// have completed, after the last measured one — as is every resend, queued behind all first requests —
/// so the figures are the uncut run's, and a row of millions of clients costs a fit what one of w + m + C
/// does (the largest published sweep, AWS-NIM's 2,048 clients, measures 6,144 and is not cut).
func fixedLengthClosedLoop(_ c: CalibrationCase, calibration: CalibrationTable)
    -> (ttftMs: Double, tpotMs: Double, outputTokensPerSecond: Double)?
{
    guard c.row.lengths == .fixed, case .concurrency(let clients) = c.row.load else { return nil }
    let simulator = ServingSimulator(c.deployment, c.workload, calibration: calibration)
    guard simulator.maxBatch > 0 else { return nil }
    let measured = min(maximumSimulatedRequests, c.row.benchmarkRequests ?? 3 * max(1, clients))
    let replicas = max(1, c.deployment.replicas)
    // The simulator warms and measures one replica, which serves its share of the clients' requests.
    let warmup = min(maximumSimulatedRequests, Int((Double(c.row.warmupRequests ?? 0) / Double(replicas)).rounded(.up)))
    let simulatedClients = min(clients, (warmup + measured + simulator.maxBatch) * replicas)
    let result = simulator.run(.concurrency(simulatedClients), options: .init(
        measuredRequests: measured, warmupRequests: warmup, staggerClosedLoop: false, outputSpread: 0))
    func statistic(_ p: ServingSimulator.Percentiles) -> Double {
        switch c.row.latencyStatistic {
        case .mean: p.mean
        case .median: p.p50
        case .p99: p.p99
        }
    }
    return (statistic(result.ttft) * 1000, statistic(result.tpot) * 1000, result.outputTokensPerSecond)
}

/// The most requests ``fixedLengthClosedLoop`` simulates for one row.
let maximumSimulatedRequests = 20_000
