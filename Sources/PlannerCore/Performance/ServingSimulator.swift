import Foundation

/// A deterministic, seeded step-level simulator of one replica's continuous-batching scheduler
/// (docs/performance-model.md, "The step simulator"): the reference ``ContinuousBatching`` is checked
/// against. Each step is timed by the same ``StepModel``.
///
/// The scheduler, as vLLM's V1 engine and TensorRT-LLM's in-flight batching run it:
/// 1. every running sequence past its prompt decodes one token (each uses one token of the step budget);
/// 2. sequences part-way through their prompt continue with chunks of up to the remaining budget;
/// 3. waiting requests are admitted first come, first served while the batch is below the engine's cap,
///    the KV cache has blocks for the whole sequence (prompt + output, TensorRT-LLM's
///    `GUARANTEED_NO_EVICT`; nothing is ever preempted) and budget is left for a chunk of their prompt —
///    or, without chunked prefill (``EngineSettings/chunkedPrefill``, TensorRT-LLM's default), for the
///    whole prompt, and always for the step's first prompt.
/// A prompt's last chunk yields its first token; each later step yields one more.
public struct ServingSimulator: Sendable {
    public var step: StepModel
    public var promptTokens: Int
    public var outputTokens: Int
    public var maxBatch: Int
    public var stepTokenBudget: Int
    /// Prompts cut into chunks (`true`) or scheduled whole (``EngineSettings/chunkedPrefill``).
    public var chunkedPrefill: Bool
    public var replicas: Int

    public init(_ d: Deployment, _ w: ServingWorkload, calibration: CalibrationTable = .shipped) {
        let memory = memoryBreakdown(d, sequenceTokens: max(1, w.promptTokens) + max(1, w.outputTokens))
        step = StepModel(d, calibration: calibration, promptTokens: w.promptTokens)
        promptTokens = max(1, w.promptTokens)
        outputTokens = max(1, w.outputTokens)
        maxBatch = memory.fits ? max(1, memory.maxBatch) : 0
        stepTokenBudget = max(1, d.engineSettings.replicaTokensPerStep(tensorParallel: d.tensorParallel, promptTokens: promptTokens))
        chunkedPrefill = d.engineSettings.chunkedPrefill
        replicas = max(1, d.replicas)
    }

    /// How long to run and what to keep.
    public struct Options: Sendable, Hashable {
        /// Seed of the Poisson arrival stream (open loop) and of the output lengths (with a spread); with
        /// fixed lengths, closed loops and bursts do not depend on it.
        public var seed: UInt64
        /// Requests measured (closed and open loop); a burst measures all of its requests.
        public var measuredRequests: Int
        /// Requests completed before measuring starts (closed and open loop); nil: 2 × clients, at least
        /// 50, so that the first wave's start-up is not measured.
        public var warmupRequests: Int?
        /// Keep a per-step trace.
        public var trace: Bool
        /// Closed loop: start the clients spread over one request's decode time (`true`, the steady
        /// state) or all at once (`false`, the lock-stepped first wave kept by fixed lengths).
        public var staggerClosedLoop: Bool
        /// Each request's output length is drawn uniformly from O · (1 ± `outputSpread`) (rounded, at
        /// least 1; mean O) from the seeded stream; 0 gives every request exactly O tokens. The
        /// workload's lengths are means: with exactly fixed lengths, closed-loop clients that finish in
        /// the same step send again together and, over thousands of requests, merge into waves that
        /// queue behind each other (docs/performance-model.md, "Fixed lengths synchronise a closed
        /// loop"). From ±20 % on, the closed loop's latencies no longer depend on the spread.
        public var outputSpread: Double
        /// A percentile to report besides P50, P90 and P99 (0 < q < 1), e.g. a spec's P95.
        public var percentile: Double?

        /// The default spread of output lengths, ±20 %.
        public static let defaultOutputSpread = 0.2

        public init(
            seed: UInt64 = 1, measuredRequests: Int = 2_000, warmupRequests: Int? = nil, trace: Bool = false,
            staggerClosedLoop: Bool = true, outputSpread: Double = Options.defaultOutputSpread, percentile: Double? = nil
        ) {
            self.percentile = percentile.flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
            self.staggerClosedLoop = staggerClosedLoop
            self.outputSpread = outputSpread.isFinite ? min(1, max(0, outputSpread)) : 0
            self.seed = seed
            self.measuredRequests = max(1, measuredRequests)
            self.warmupRequests = warmupRequests.map { max(0, $0) }
            self.trace = trace
        }
    }

    /// One engine step of the trace.
    public struct StepRecord: Sendable, Hashable {
        public var index: Int
        public var startSeconds: Double
        public var durationSeconds: Double
        public var decodeSequences: Int
        public var prefillTokens: Int
        public var running: Int
        public var waiting: Int
    }

    /// What a simulation measured, whole deployment (replicas are identical and share the load evenly).
    public struct Result: Sendable, Hashable {
        public var ttft: Percentiles
        public var tpot: Percentiles
        public var endToEnd: Percentiles
        public var outputTokensPerSecond: Double
        public var requestsPerSecond: Double
        /// Mean sequences decoding per step.
        public var meanDecodeBatch: Double
        public var measuredRequests: Int
        public var steps: Int
        /// `false` when the simulation hit its step limit with requests still waiting (open loop past
        /// saturation).
        public var stable: Bool
        public var trace: [StepRecord]
    }

    /// Mean and percentiles of a sample, seconds.
    public struct Percentiles: Sendable, Hashable {
        public var mean: Double
        public var p50: Double
        public var p90: Double
        public var p99: Double
        /// The percentile asked for (0 < q < 1), when one was, and its value.
        public var requestedQuantile: Double?
        public var requested: Double?

        /// Nearest-rank percentiles of `values` (empty → zeros), and the `requested` quantile's.
        public init(_ values: [Double], requested q: Double? = nil) {
            let sorted = values.sorted()
            func rank(_ q: Double) -> Double { Self.nearestRank(sorted, q) }
            mean = sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count)
            p50 = rank(0.5)
            p90 = rank(0.9)
            p99 = rank(0.99)
            if let q, q > 0, q < 1 {
                requestedQuantile = q
                requested = rank(q)
            }
        }

        /// The `q`-quantile (0 < q < 1) by nearest rank, or the mean when `q` is nil.
        public static func quantile(_ values: [Double], _ q: Double?) -> Double {
            guard let q else { return Percentiles(values).mean }
            return nearestRank(values.sorted(), q)
        }

        /// The value of rank ⌈q · n⌉ in `sorted` (0 when empty).
        private static func nearestRank(_ sorted: [Double], _ q: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let i = Int((q * Double(sorted.count)).rounded(.up)) - 1
            return sorted[min(sorted.count - 1, max(0, i))]
        }
    }

    private struct Sequence {
        var arrival: Double
        var promptLeft: Int
        var generated: Int
        var firstToken: Double
        /// Output tokens this request generates.
        var output: Int
    }

    /// Runs `load` (whole-deployment figures; one replica is simulated with its share).
    public func run(_ load: ServingWorkload.Load, options: Options = Options()) -> Result {
        let empty = Result(
            ttft: Percentiles([]), tpot: Percentiles([]), endToEnd: Percentiles([]), outputTokensPerSecond: 0,
            requestsPerSecond: 0, meanDecodeBatch: 0, measuredRequests: 0, steps: 0, stable: false, trace: [])
        guard maxBatch > 0 else { return empty }
        let share = Double(replicas)
        var clients = 0
        var total = 0
        var rate = 0.0
        switch load {
        case .concurrency(let n):
            clients = Int((Double(max(1, n)) / share).rounded(.up))
        case .maximum:
            clients = maxBatch
        case .requestsPerSecond(let r):
            rate = max(0, r) / share
        case .burst(let n):
            total = Int((Double(max(1, n)) / share).rounded(.up))
        }
        let closed = clients > 0
        let isBurst = total > 0
        let warmup = isBurst ? 0 : (options.warmupRequests ?? max(50, 2 * clients))
        let target = isBurst ? total : warmup + options.measuredRequests
        guard closed || rate > 0 || isBurst else { return empty }

        var rng = ArrivalRandom(seed: options.seed)
        // Arrival times at the engine in order; `nextWaiting` is the first not admitted. `sentAt` is when the
        // client sent each (the arrival less the request overhead, from which TTFT is measured).
        var arrivals: [Double] = []
        var sentAt: [Double] = []
        arrivals.reserveCapacity(target + clients)
        var nextWaiting = 0
        let overhead = step.requestOverheadSeconds
        var lastPoisson = 0.0
        func nextPoisson() {
            lastPoisson += -log(1 - rng.nextUnit()) / rate
            arrivals.append(lastPoisson + overhead)
            sentAt.append(lastPoisson)
        }
        /// A closed-loop client's next request. The client reads the last token and sends again within one
        /// decode step (a uniform delay in [0, τ₁), τ₁ the one-sequence step): the small jitter every
        /// real client and engine has, which keeps a closed loop staggered; TTFT counts from the send,
        /// and the request reaches the engine after the (fixed) request overhead. Kept in arrival order.
        let jitterSeconds = options.staggerClosedLoop
            ? step.stepSeconds(decodeSequences: 1, context: Double(promptTokens + outputTokens / 2)) : 0
        func resend(at finished: Double) {
            let t = finished + jitterSeconds * rng.nextUnit()
            let arrive = t + overhead
            var i = arrivals.count
            while i > nextWaiting && arrivals[i - 1] > arrive { i -= 1 }
            arrivals.insert(arrive, at: i)
            sentAt.insert(t, at: i)
        }
        if closed {
            // Clients start spread evenly over one request's decode time, the staggered steady state a
            // closed loop reaches after its first wave (engines and clients jitter; with fixed lengths
            // in a simulator nothing else would break the lock-step of clients started together).
            let spread = options.staggerClosedLoop
                ? Double(outputTokens) * step.stepSeconds(decodeSequences: Double(clients), context: Double(promptTokens + outputTokens / 2))
                : 0
            for i in 0..<clients { resend(at: spread * Double(i) / Double(clients)) }
        } else if isBurst {
            for _ in 0..<total { arrivals.append(overhead); sentAt.append(0) }
        } else {
            nextPoisson()
        }

        // Output lengths come from a stream of their own, so that the spread leaves the arrivals alone.
        var lengths = ArrivalRandom(seed: options.seed ^ 0x6C65_6E67_7468_7321)
        func drawOutputTokens() -> Int {
            guard options.outputSpread > 0 else { return outputTokens }
            let factor = 1 + options.outputSpread * (2 * lengths.nextUnit() - 1)
            return max(1, Int((Double(outputTokens) * factor).rounded()))
        }
        var chunks: [Int] = []
        chunks.reserveCapacity(maxBatch)
        var finishedThisStep: [Double] = []
        var running: [Sequence] = []
        running.reserveCapacity(maxBatch)
        var now = 0.0
        var completed = 0
        var ttfts: [Double] = [], tpots: [Double] = [], e2es: [Double] = []
        var measureStart: Double? = warmup == 0 ? 0 : nil
        var measureEnd = 0.0
        var measuredTokens = 0.0
        var decodeBatchSum = 0.0
        var stepsInWindow = 0
        var trace: [StepRecord] = []
        var steps = 0
        let stepLimit = 5_000_000
        var stable = true

        while completed < target {
            if steps >= stepLimit { stable = false; break }
            if rate > 0 { while lastPoisson + overhead <= now { nextPoisson() } }
            // Idle: jump to the next arrival.
            if running.isEmpty {
                if rate > 0 && nextWaiting >= arrivals.count { nextPoisson() }
                guard nextWaiting < arrivals.count else { stable = false; break }
                now = max(now, arrivals[nextWaiting])
                if rate > 0 { while lastPoisson + overhead <= now { nextPoisson() } }
            }
            var budget = stepTokenBudget
            var decode = 0
            var contextSum = 0.0
            for s in running where s.promptLeft == 0 {
                decode += 1
                contextSum += Double(promptTokens + s.generated)
            }
            budget -= decode
            var prefill = 0
            var prefillContextSum = 0.0
            chunks.removeAll(keepingCapacity: true)
            chunks.append(contentsOf: repeatElement(0, count: running.count))
            for i in running.indices where running[i].promptLeft > 0 && budget > 0 {
                let c = min(running[i].promptLeft, budget)
                chunks[i] = c
                budget -= c
                prefill += c
                let done = Double(promptTokens - running[i].promptLeft)
                prefillContextSum += Double(c) * (done + Double(c) / 2)
            }
            while budget > 0 || (!chunkedPrefill && prefill == 0), running.count < maxBatch,
                  nextWaiting < arrivals.count, arrivals[nextWaiting] <= now
            {
                // Whole prompts while they fit, and always the step's first.
                if !chunkedPrefill && promptTokens > budget && prefill > 0 { break }
                let c = chunkedPrefill ? min(promptTokens, budget) : promptTokens
                running.append(Sequence(
                    arrival: sentAt[nextWaiting], promptLeft: promptTokens, generated: 0,
                    firstToken: 0, output: drawOutputTokens()))
                chunks.append(c)
                nextWaiting += 1
                budget -= c
                prefill += c
                prefillContextSum += Double(c) * Double(c) / 2
            }
            if decode == 0 && prefill == 0 {
                // Nothing could run (all arrivals are in the future): wait for the next one.
                guard nextWaiting < arrivals.count else { stable = false; break }
                now = max(now, arrivals[nextWaiting])
                continue
            }
            let seconds = step.stepSeconds(
                decodeSequences: Double(decode), context: decode > 0 ? contextSum / Double(decode) : 0,
                prefillTokens: Double(prefill), prefillContext: prefill > 0 ? prefillContextSum / Double(prefill) : 0)
            if options.trace {
                trace.append(StepRecord(
                    index: steps, startSeconds: now, durationSeconds: seconds, decodeSequences: decode,
                    prefillTokens: prefill, running: running.count, waiting: max(0, arrivals.count - nextWaiting)))
            }
            now += seconds
            steps += 1
            if measureStart != nil {
                decodeBatchSum += Double(decode)
                stepsInWindow += 1
            }
            var i = 0
            finishedThisStep.removeAll(keepingCapacity: true)
            while i < running.count {
                var s = running[i]
                var produced = 0
                if s.promptLeft == 0 {
                    s.generated += 1
                    produced = 1
                } else if chunks[i] > 0 {
                    s.promptLeft -= chunks[i]
                    if s.promptLeft == 0 {
                        s.generated = 1
                        s.firstToken = now
                        produced = 1
                    }
                }
                if measureStart != nil { measuredTokens += Double(produced) }
                if s.promptLeft == 0 && s.generated >= s.output {
                    // Requests completing in the last step beyond the target are not measured: exactly
                    // `measuredRequests` are (a step can complete several).
                    if completed >= warmup && completed < target {
                        let sent = s.arrival
                        ttfts.append(s.firstToken - sent)
                        tpots.append(s.output > 1 ? (now - s.firstToken) / Double(s.output - 1) : 0)
                        e2es.append(now - sent)
                    }
                    completed += 1
                    finishedThisStep.append(now)
                    if completed == warmup && measureStart == nil { measureStart = now }
                    running[i] = running[running.count - 1]
                    chunks[i] = chunks[running.count - 1]
                    running.removeLast()
                    chunks.removeLast()
                    continue
                }
                running[i] = s
                i += 1
            }
            measureEnd = now
            if closed { for t in finishedThisStep { resend(at: t) } }
        }
        let start = measureStart ?? 0
        let window = max(1e-12, measureEnd - start)
        let measured = ttfts.count
        // A burst measures from the start; every token counts (with spread lengths, not requests × O).
        let tokensPerSecond = warmup == 0 ? measuredTokens / max(1e-12, measureEnd) : measuredTokens / window
        return Result(
            ttft: Percentiles(ttfts, requested: options.percentile), tpot: Percentiles(tpots, requested: options.percentile),
            endToEnd: Percentiles(e2es, requested: options.percentile),
            outputTokensPerSecond: tokensPerSecond * share,
            requestsPerSecond: tokensPerSecond / Double(outputTokens) * share,
            meanDecodeBatch: stepsInWindow > 0 ? decodeBatchSum / Double(stepsInWindow) : 0,
            measuredRequests: measured, steps: steps, stable: stable, trace: trace)
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, seedable generator; the simulator's only
/// source of randomness (Poisson arrivals, closed-loop jitter, output lengths), so a seed reproduces a
/// run bit for bit.
public struct ArrivalRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
