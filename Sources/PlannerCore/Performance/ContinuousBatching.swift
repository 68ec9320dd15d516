import Foundation

/// The steady state of one replica running continuous batching: every engine step carries the running
/// decodes plus prompt tokens up to the engine's per-step token budget — chunks of prompts that fill it,
/// or with whole prompts only (``EngineSettings/chunkedPrefill`` false, TensorRT-LLM's default) as many
/// as fit and at least one (docs/performance-model.md, "Serving under load"). Closed form plus a short
/// fixed-point iteration; ``ServingSimulator`` is the step-by-step reference it is checked against.
///
/// Symbols (per replica): L prompt tokens, O output tokens, B the step token budget, C the largest batch
/// (KV cache and engine cap), τ the mean step time, t_req the request overhead, λ completed requests/s.
public struct ContinuousBatching: Sendable {
    public var step: StepModel
    public var promptTokens: Double
    public var outputTokens: Double
    /// Largest number of sequences running at once (KV cache and engine cap), at least 1.
    public var maxBatch: Double
    public var stepTokenBudget: Double
    /// Prompts cut into chunks (`true`) or scheduled whole (``EngineSettings/chunkedPrefill``).
    public var chunkedPrefill: Bool
    /// The replica's memory use per GPU, from which C comes.
    public var memory: MemoryBreakdown
    /// The closed loop at C (means): the most requests per second the replica completes.
    public private(set) var saturation: Point
    /// The loop with every step's token budget full (``fullBudget()``), computed once: every closed loop
    /// compares with it.
    private var prefillBound: (rate: Double, tau: Double, decoding: Double)

    public init(_ d: Deployment, _ w: ServingWorkload, memory: MemoryBreakdown, calibration: CalibrationTable) {
        step = StepModel(d, calibration: calibration, promptTokens: w.promptTokens)
        promptTokens = Double(max(1, w.promptTokens))
        outputTokens = Double(max(1, w.outputTokens))
        self.memory = memory
        maxBatch = Double(max(1, memory.maxBatch))
        stepTokenBudget = Double(max(1, d.engineSettings.replicaTokensPerStep(
            tensorParallel: d.tensorParallel, promptTokens: Int(promptTokens))))
        chunkedPrefill = d.engineSettings.chunkedPrefill
        prefillBound = (0, 0, 0)
        saturation = Point(
            ttftSeconds: 0, tpotSeconds: 0, meanTTFTSeconds: 0, meanTPOTSeconds: 0, requestsPerSecond: 0,
            decodingSequences: 0, runningSequences: 0, stable: true)
        prefillBound = fullBudget()
        saturation = closedLoop(clients: maxBatch, percentile: nil)
    }

    /// Mean context of a decoding sequence: L + O/2.
    public var decodeContext: Double { promptTokens + outputTokens / 2 }

    /// One operating point of a replica.
    public struct Point: Sendable, Hashable {
        /// Time to first token and per output token, at the requested percentile (means when none).
        public var ttftSeconds: Double
        public var tpotSeconds: Double
        /// Means, whatever the percentile.
        public var meanTTFTSeconds: Double
        public var meanTPOTSeconds: Double
        /// Completed requests per second (one replica).
        public var requestsPerSecond: Double
        /// Sequences decoding in a mean step, and sequences admitted (prefilling or decoding).
        public var decodingSequences: Double
        public var runningSequences: Double
        /// `false`: the offered load exceeds what the replica serves (open loop only); TTFT is ∞.
        public var stable: Bool
    }

    /// A step's time in steady state, and the decodes and prompt tokens it carries. Each request spends
    /// `firstTokenSeconds` before its first token and O − 1 steps decoding, so by Little's law
    ///
    ///     b_d = λ · (O − 1) · τ      sequences in their decode phase
    ///     p   = min(P(b_d), λ · L · τ)   prompt tokens per step (they arrive at λ · L per second)
    ///     τ   = step(b_d at context L + O/2, p prompt tokens at context L/2)
    ///
    /// Closed loop (`clients` n given): λ = n / (T + (O − 1) · τ) with T the time to first token.
    /// Open loop (`rate` λ given): b_d capped at C. Iterated from the empty step upwards, which reaches
    /// the smallest fixed point — the stable one; `converged` is false when τ keeps growing (no steady state).
    private func steady(clients n: Double?, rate: Double?, firstTokenSeconds t: Double, from start: Double? = nil)
        -> (tau: Double, decoding: Double, prefill: Double, rate: Double, converged: Bool)
    {
        var tau = start ?? step.stepSeconds(decodeSequences: 0, context: decodeContext)
        var bd = 0.0, p = 0.0, λ = rate ?? 0
        for _ in 0..<200 {
            if let n { λ = n / (t + (outputTokens - 1) * tau) }
            bd = min(n ?? maxBatch, λ * (outputTokens - 1) * tau)
            p = min(prefillCapacity(decoding: bd), λ * promptTokens * tau)
            let next = meanStep(decoding: bd, prefillTokens: p, arrivalRate: n == nil ? λ : nil)
            if abs(next - tau) <= 1e-7 * tau { tau = next; return (tau, bd, p, λ, true) }
            tau = next
        }
        return (tau, bd, p, λ, n != nil)
    }

    /// How prompts are cut beside b_d decodes: chunks of c = min(L, B − b_d) tokens, at most
    /// K = ⌊(B − b_d) / c⌋ of them in a step, and k = ⌈L / (B − b_d)⌉ steps for one prompt. Whole
    /// prompts (no chunked prefill): c = L, K = max(1, ⌊(B − b_d) / L⌋), k = 1.
    private func chunking(decoding bd: Double) -> (chunk: Double, perStep: Int, stepsPerPrompt: Double) {
        let budget = max(1, stepTokenBudget - bd)
        guard chunkedPrefill else { return (promptTokens, max(1, Int((budget / promptTokens).rounded(.down))), 1) }
        let chunk = min(promptTokens, budget)
        return (chunk, max(1, Int((budget / chunk).rounded(.down))), (promptTokens / budget).rounded(.up))
    }

    /// P(b_d), the most prompt tokens a step carries beside b_d decodes: the budget left, B − b_d (at
    /// least 1), or with whole prompts K · L.
    private func prefillCapacity(decoding bd: Double) -> Double {
        guard chunkedPrefill else { return Double(chunking(decoding: bd).perStep) * promptTokens }
        return max(1, stepTokenBudget - bd)
    }

    /// A step carrying `chunks` prompt chunks of `chunk` tokens beside b_d decodes.
    private func stepSeconds(decoding bd: Double, chunks: Int, of chunk: Double) -> Double {
        step.stepSeconds(decodeSequences: bd, context: decodeContext, prefillTokens: Double(chunks) * chunk,
                         prefillContext: chunks > 0 ? promptTokens / 2 : 0)
    }

    /// A count J of the given mean and variance counted up to `cap` (≥ 1): `body(j, P(J = j))`. Poisson
    /// when the variance is the mean (P(J = j) = P(J = j − 1) · mean / j), else negative binomial (a
    /// Poisson count whose mean itself varies, with r = mean² / (variance − mean) and P(J = j) =
    /// P(J = j − 1) · (r + j − 1) / j · (1 − mean / variance)), for j up to mean + 5 standard deviations
    /// + 4, at most `cap`, with the probability beyond on the last.
    static func forEachCountTerm(mean: Double, variance: Double, cappedAt cap: Int, _ body: (Int, Double) -> Void) {
        let poisson = !(variance > mean * (1 + 1e-9))
        let spread = poisson ? mean : variance
        let r = poisson ? 0 : mean * mean / (variance - mean), q = poisson ? 0 : 1 - mean / variance
        let last = min(cap, max(1, Int(mean + 5 * spread.squareRoot() + 4)))
        var probability = poisson ? exp(-mean) : exp(r * log(1 - q)), mass = probability
        body(0, probability)
        for j in 1...last {
            probability *= poisson ? mean / Double(j) : (r + Double(j) - 1) / Double(j) * q
            body(j, j == last ? max(0, 1 - mass) : probability)
            mass += probability
        }
    }

    /// E[f(J)] for the count of ``forEachCountTerm(mean:variance:cappedAt:_:)``.
    static func countExpectation(mean: Double, variance: Double, cappedAt cap: Int, _ f: (Int) -> Double) -> Double {
        var total = 0.0
        forEachCountTerm(mean: mean, variance: variance, cappedAt: cap) { j, probability in total += probability * f(j) }
        return total
    }

    /// The variance of the chunks a step carries, of mean μ: μ in a closed loop (its prompts come per
    /// completion); under Poisson arrivals (`arrivalRate` λ) μ / (1 − φ²), φ = λ S capped at 0.95, S the
    /// prefill work of one prompt (`promptWork`; ``meanStep(decoding:prefillTokens:arrivalRate:)``).
    private static func chunkVariance(mean mu: Double, promptWork: Double, arrivalRate λ: Double?) -> Double {
        guard let λ else { return mu }
        let phi = min(0.95, λ * promptWork)
        return mu / (1 - phi * phi)
    }

    /// The mean step when prompts arrive at `p` tokens per step on average. Prompts are scheduled in
    /// chunks of c = min(L, B − b_d) tokens, at most K = ⌊(B − b_d) / c⌋ in a step, and the chunks a
    /// step carries are those that arrived during the step before: a Poisson count J of mean μ = p / c.
    /// The mean step is the mean over J of the step's time, not the step at the mean token count (a
    /// step's time is convex in its tokens: a 1,024-token chunk can turn a bandwidth-bound decode step
    /// compute-bound). Chunks beyond K wait for a later step, which each makes one chunk longer:
    ///
    ///     τ = Σ_j P(J = j) · step(b_d, min(j, K) · c) + E[(J − K)⁺] · (step(b_d, c) − step(b_d, 0))
    ///
    /// so every arriving chunk is carried once. With K = 1 (prompts as long as the budget) this is
    /// (1 − μ) · step(b_d, 0) + μ · step(b_d, c): a fraction μ of steps carries a chunk.
    ///
    /// Under Poisson arrivals (`arrivalRate` λ given) the chunks a step carries arrived during the step
    /// before, J_s ~ Poisson(λ L T_{s−1} / c), and a step's length grows with its own chunks, so a long
    /// step brings a long one: J is a Poisson count of varying mean, with Var J = μ + (λ L / c)² Var T
    /// and Var T = Δ² Var J (Δ a chunk's cost), hence Var J = μ / (1 − φ²), φ = λ S (S = (L / c) Δ, as in
    /// the mean TPOT's shift; capped at 0.95), and J is taken as negative binomial with that variance.
    /// That weighs the steps carrying several chunks, which cost more per chunk, as the simulator does
    /// (70B on 2 × H200 at 85 % of saturation: two, three and four chunks in 3.1, 1.0 and 1.1 % of steps;
    /// Poisson 2.8, 0.25 and 0.02 %; negative binomial 3.7, 1.1 and 0.5 %). A closed loop's prompts come
    /// per completion, not per second: Poisson.
    private func meanStep(decoding bd: Double, prefillTokens p: Double, arrivalRate λ: Double? = nil) -> Double {
        let (chunk, perStep, _) = chunking(decoding: bd)
        let mu = p / chunk
        let decodeOnly = stepSeconds(decoding: bd, chunks: 0, of: chunk)
        guard mu > 0 else { return decodeOnly }
        let one = stepSeconds(decoding: bd, chunks: 1, of: chunk)
        let variance = Self.chunkVariance(mean: mu, promptWork: promptTokens / chunk * (one - decodeOnly), arrivalRate: λ)
        let carrying = Self.countExpectation(mean: mu, variance: variance, cappedAt: perStep) { j in
            j == 0 ? decodeOnly : j == 1 ? one : stepSeconds(decoding: bd, chunks: j, of: chunk)
        }
        let carried = Self.countExpectation(mean: mu, variance: variance, cappedAt: perStep) { Double($0) }
        return carrying + max(0, mu - carried) * (one - decodeOnly)
    }

    /// Time from a prompt's arrival at the engine to its first token. A prompt is scheduled in chunks of
    /// c = min(L, B − b_d) tokens over k = ⌈L / c⌉ steps and adds its own prefill work to them:
    /// S = (L / c) · (τ_c − T_d), with τ_c the step carrying one chunk beside the decodes and T_d a
    /// decode-only step. Before them it waits for three things:
    ///
    /// - R, the rest of the running step. That step carries j ~ Poisson(μ = p/c) chunks up to K (a
    ///   fraction min(1, μ) of steps carries one when K = 1) and is met in proportion to its length T_j:
    ///   R is uniform on [0, T_j) with probability ∝ P(j) · T_j, mean Σ P(j) T_j² / (2 Σ P(j) T_j).
    /// - D, what the N chunks arriving during that same step add to the prompt's last step, N ~
    ///   Poisson(λ L T_j / c) (a longer running step gathers more): D = step(b_d, (1 + N) c) − τ_c while
    ///   1 + N ≤ K; beyond K the prompt is among the first K with probability K / (1 + N) (D =
    ///   step(b_d, K c) − τ_c), else it waits for that full step and runs in the next beside the other
    ///   1 + N − K and those arriving meanwhile, at most K.
    /// - W, the prefill work ahead beyond the running step: the M/D/1 (Pollaczek–Khinchine) wait with
    ///   ρ = λ S, less the running step's chunk of the prompt being served, which R counts:
    ///   E[W] = ρ S / (2(1 − ρ)) − ρ S / (2k'), k' = L / c (ρ² S / (2(1 − ρ)) for one chunk a prompt);
    ///   0 with probability 1 − π and else exponential of mean E[W] / π, π = ρ (1 − (1 − ρ) / k') (the
    ///   queue, about ρ², or the served prompt's later chunks). Under Poisson arrivals (`arrivalsInTime`)
    ///   the steps that serve the queue also carry the decodes, so W takes S_q = S + (k' / K) · T_d and
    ///   ρ_q = λ S_q for S and ρ.
    ///
    /// A closed loop (`resend` given) differs in when its prompts come: a client sends its next prompt
    /// when its last request completes, at a step's end, and the prompt reaches the engine δ later,
    /// uniform on [t_req, t_req + τ₁) (the request overhead, and up to one one-sequence step τ₁ for
    /// the client to read the last token). So, with the steps by count P(j), T_j (not by length):
    ///
    /// - R: the prompt meets the step after the one that ended if that step outlasts δ, and waits
    ///   T_j − δ; after a shorter step, the step after it with δ − T_j, and so on, three steps deep,
    ///   then a step met at a random time as above.
    /// - D: a step gathers the prompts sent in a window of its length shifted back by δ, which holds
    ///   step ends only up to its own start: N ~ Poisson(λ L min(T_j, δ + τ) / c), as many after a long
    ///   step as after one of δ + τ.
    /// - W: the queue is served by full steps, each gathering at most λ (δ + τ) prompts however long
    ///   it runs (the loop's negative feedback: long steps hold back the completions that send the
    ///   next prompts): the same wait with S_w = (k' / K) · T_K a prompt, T_K = step(b_d, K c), and
    ///   ρ_w = λ · min(T_K, δ + τ) · k' / K.
    ///
    ///     mean = E[R] + k · T_d + S + E[D] + E[W]
    ///     p-th = k · T_d + S + quantile_p(R + D + W)
    ///
    /// The percentile is that of the sum, not the sum of percentiles (``WaitTail``). Returns (mean,
    /// p-th, ρ, S).
    ///
    /// In a closed loop of n clients a prompt meets only the other n − 1: the decodes beside it, the
    /// prompts arriving with it and those it queues behind are the others' share, (n − 1)/n of b_d and
    /// λ (`others`), and the running step it waits for exists only while another client is in the
    /// engine (`busy` β = min(1, n − 1): 0 for one client, whose prompt finds the engine idle). Poisson
    /// arrivals meet the whole load (both 1) at random times.
    private func prefillLatency(
        tau: Double, decoding allDecoding: Double, rate allRate: Double, percentile: Double?,
        others: Double = 1, busy: Double = 1, arrivalsInTime: Bool = false,
        afterStepEnd resend: (least: Double, spread: Double)? = nil
    ) -> (mean: Double, percentile: Double, utilisation: Double, serviceSeconds: Double) {
        let bd = allDecoding * others, λ = allRate * others
        let delay = resend.map { $0.least + $0.spread / 2 }
        let (chunk, perStep, chunks) = chunking(decoding: bd)
        // step(b_d, k · c) for k = 0…K, computed when first needed.
        var stepCache = [Double](repeating: -1, count: perStep + 1)
        func carrying(_ k: Int) -> Double {
            if stepCache[k] < 0 { stepCache[k] = stepSeconds(decoding: bd, chunks: k, of: chunk) }
            return stepCache[k]
        }
        let ownStep = carrying(1), decodeOnly = carrying(0), fullStep = carrying(perStep)
        // The prompt's own work is L / chunk chunks' worth; its steps number ⌈L / chunk⌉.
        let service = promptTokens / chunk * max(1e-9, ownStep - decodeOnly)
        // The running step at arrival carries j chunks beside the decodes, j ~ Poisson(μ) up to K (when
        // K = 1, a fraction min(1, μ) of steps carries one; negative binomial under Poisson arrivals, as
        // in `meanStep`), and is met in proportion to its length.
        let mu = min(prefillCapacity(decoding: bd), λ * promptTokens * tau) / chunk
        var running: [(probability: Double, seconds: Double)] = []
        if perStep == 1 {
            running = [(1 - min(1, mu), decodeOnly), (min(1, mu), ownStep)]
        } else {
            let variance = Self.chunkVariance(mean: mu, promptWork: service, arrivalRate: arrivalsInTime ? λ : nil)
            Self.forEachCountTerm(mean: mu, variance: variance, cappedAt: perStep) { j, probability in
                guard probability > Self.negligible else { return }
                running.append((probability, carrying(j)))
            }
        }
        let meanLength = running.reduce(0) { $0 + $1.probability * $1.seconds }
        // Steps as they follow one another (by count), before weighting by length; coarsened, as the
        // closed loop walks them up to three deep.
        let consecutive = resend == nil ? [] : Self.coarsened(running)
        // A closed loop's prompts are sent at step ends and reach the engine δ later, so a step gathers
        // those sent in a window of its length shifted back by δ, which holds step ends only up to its own
        // start: at most the delay and one step, λ min(t, δ + τ) prompts (τ the mean step by count).
        func gathering(stepSeconds t: Double) -> Double {
            delay.map { min(t, $0 + meanLength) } ?? t
        }
        running = running.map { ($0.probability * $0.seconds / max(1e-300, meanLength), $0.seconds) }
        if percentile != nil { running = Self.coarsened(running) }
        // The N chunks that arrive while a step of length T runs, N ~ Poisson(λ L T / c), are scheduled
        // with the prompt in its last step: D_N = step(b_d, (1 + N) c) − τ_c while 1 + N ≤ K. Beyond K
        // the prompt is among the first K with probability K / (1 + N) (D = step(b_d, K c) − τ_c), else
        // it waits for that full step and runs in the next with the other 1 + N − K and those arriving
        // meanwhile (λ L step(b_d, K c) / c), at most K.
        let refill = λ * promptTokens * fullStep / chunk
        func forEachAlongside(window: Double, _ body: (_ probability: Double, _ seconds: Double) -> Void) {
            let arriving = λ * promptTokens * window / chunk
            guard arriving > 0 else { return body(1, 0) }
            Self.forEachCountTerm(mean: arriving, variance: arriving, cappedAt: 4 * perStep + 8) { n, probability in
                guard probability > Self.negligible else { return }
                let total = 1 + n
                guard total > perStep else { return body(probability, carrying(total) - ownStep) }
                let first = Double(perStep) / Double(total)
                let next = min(perStep, max(1, Int((Double(total - perStep) + refill).rounded())))
                body(probability * first, fullStep - ownStep)
                body(probability * (1 - first), fullStep + carrying(next) - ownStep)
            }
        }
        // Rest of the running step and the prompts arriving during it: means, and (for a percentile)
        // the mixture's terms, each kind's arrivals coarsened to about eight.
        var terms: [WaitTail.Term] = []
        var restMean = 0.0, besideMean = 0.0
        // What the prompts arriving during a step add, by the window they arrive in: its mean and (for a
        // percentile) its terms, coarsened to about eight. A closed loop's prompts are sent at step ends
        // and reach the engine `delay` later, so a step gathers those sent in a window of its length
        // shifted back by the delay, which holds step ends only up to its own start: at most the delay
        // and one step (λ (delay + τ)), and long steps share that window.
        var besideByWindow: [(window: Double, mean: Double, terms: [(probability: Double, seconds: Double)])] = []
        func beside(stepSeconds t: Double) -> (mean: Double, terms: [(probability: Double, seconds: Double)]) {
            let window = gathering(stepSeconds: t)
            if let known = besideByWindow.first(where: { $0.window == window }) { return (known.mean, known.terms) }
            var mean = 0.0
            var all: [(probability: Double, seconds: Double)] = []
            forEachAlongside(window: window) { probability, seconds in
                mean += probability * seconds
                if percentile != nil { all.append((probability, seconds)) }
            }
            let result = (mean, percentile == nil ? all : Self.coarsened(all.sorted { $0.seconds < $1.seconds }))
            besideByWindow.append((window, result.0, result.1))
            return result
        }
        func add(weight: Double, stepSeconds t: Double, span: Double, rest: Double = 0) {
            let d = beside(stepSeconds: t)
            besideMean += weight * d.mean
            guard percentile != nil else { return }
            for b in d.terms where weight * b.probability > Self.negligible {
                terms.append(.init(probability: weight * b.probability, spanSeconds: span, shiftSeconds: rest + b.seconds))
            }
        }
        // The step running when the prompt arrives. At a random time (Poisson arrivals) it is met in
        // proportion to its length, and the prompt waits for a uniform part of it. A closed loop's
        // prompt is sent when the client's last request completes, at a step's end, and reaches the
        // engine a delay δ later, uniform on [lo, hi): it meets the next step itself (by count, not by
        // length) if that step outlasts δ, and waits for its rest T − δ (uniform on (T − hi, T − lo]);
        // after a shorter step, the step after it in the same way with δ − T; after three short steps
        // (ten where the steps are of two kinds, decode-only and one chunk: the walk then stays a chain,
        // and a fast GPU's decode steps are a few ms against a delay of tens), a later step, taken as
        // met at a random time — in proportion to its length, which would weigh rare long prefill steps
        // far above their share of the steps that follow a short one.
        var metAtRandom = resend == nil ? 1.0 : 0
        let walkDepth = consecutive.count <= 2 ? 10 : 3
        func meet(weight: Double, lo: Double, hi: Double, depth: Int) {
            for s in consecutive where weight * s.probability > Self.negligible {
                let w = weight * s.probability, t = s.seconds
                // The share of δ values the step outlasts, and the rest it leaves them.
                let outlasted = hi > lo ? min(1, max(0, (t - lo) / (hi - lo))) : (t > lo ? 1 : 0)
                if outlasted > 0 {
                    let least = max(0, t - hi)
                    restMean += busy * w * outlasted * (t - lo + least) / 2
                    add(weight: busy * w * outlasted, stepSeconds: t, span: t - lo - least, rest: least)
                }
                guard outlasted < 1 else { continue }
                if depth < walkDepth {
                    meet(weight: w * (1 - outlasted), lo: max(0, lo - t), hi: hi - t, depth: depth + 1)
                } else {
                    metAtRandom += w * (1 - outlasted)
                }
            }
        }
        if let resend {
            meet(weight: 1, lo: resend.least, hi: resend.least + resend.spread, depth: 1)
        }
        for r in running where r.probability > 0 && metAtRandom > 0 {
            restMean += busy * metAtRandom * r.probability * r.seconds / 2
            add(weight: busy * metAtRandom * r.probability, stepSeconds: r.seconds, span: r.seconds)
        }
        if busy < 1 { add(weight: 1 - busy, stepSeconds: tau, span: 0) }
        // The rest of the prefill work ahead beyond the running step: the M/D/1 (Pollaczek–Khinchine)
        // wait ρ S / (2(1 − ρ)), ρ = λ S, less the part R already counts, the running step's chunk of the
        // prompt being served (ρ · S / (2 k'), k' = L / c chunks a prompt). Work remains with probability
        // π = ρ (1 − (1 − ρ) / k'): the queue (about ρ²) or the served prompt's later chunks. Under Poisson
        // arrivals with S_q, the queued prompt's share of steps that also carry the decodes.
        let rho = min(0.999, λ * service)
        let chunksPerPrompt = promptTokens / chunk
        var queueService = service + (arrivalsInTime ? chunksPerPrompt / Double(perStep) * decodeOnly : 0)
        var rhoQ = min(0.999, λ * queueService)
        if resend != nil {
            // A closed loop's queue is served by full steps, each gathering at most λ (delay + τ) new
            // prompts however long it runs: k' / K full steps a prompt, at that many k' / K of a step.
            queueService = chunksPerPrompt / Double(perStep) * fullStep
            rhoQ = min(0.999, λ * gathering(stepSeconds: fullStep) * chunksPerPrompt / Double(perStep))
        }
        let meanWait = rhoQ * queueService / (2 * (1 - rhoQ)) - rhoQ * queueService / (2 * chunksPerPrompt)
        let waitProbability = rhoQ * (1 - (1 - rhoQ) / chunksPerPrompt)
        let own = chunks * decodeOnly + service
        // A chunked prompt longer than a step's room (k ≥ 2 steps) ends with a chunk of r = L − (k − 1) c
        // tokens, and the engine fills the rest of that step's budget with the next waiting prompt's first
        // chunk: if a prompt arrived during the prompt's own k − 1 full steps, its last step lasts a full
        // step, τ_c, rather than step(b_d, r) — an extra E = τ_c − step(b_d, r) with probability
        // P_b = 1 − e^(−a), a the prompts those steps gather (as a running step gathers them, above).
        var behind = 0.0, tailExtra = 0.0
        if chunkedPrefill && chunks >= 2 {
            let lastChunk = max(1, promptTokens - (chunks - 1) * chunk)
            tailExtra = max(0, ownStep - stepSeconds(decoding: bd, chunks: 1, of: lastChunk))
            let window = gathering(stepSeconds: ownStep)
            behind = 1 - exp(-λ * window * (chunks - 1))
        }
        let mean = restMean + own + besideMean + meanWait + behind * tailExtra
        guard let p = percentile, p > 0, p < 1 else { return (mean, mean, rho, service) }
        if behind > 0 && tailExtra > 0 {
            terms = terms.flatMap { t in
                [WaitTail.Term(probability: t.probability * (1 - behind), spanSeconds: t.spanSeconds, shiftSeconds: t.shiftSeconds),
                 WaitTail.Term(probability: t.probability * behind, spanSeconds: t.spanSeconds, shiftSeconds: t.shiftSeconds + tailExtra)]
            }
        }
        // W: 0 with probability 1 − π, else exponential with mean E[W] / π.
        let tail = WaitTail(terms: terms, waitProbability: waitProbability, waitScaleSeconds: meanWait / max(1e-300, waitProbability))
        return (mean, own + tail.quantile(p), rho, service)
    }

    /// Poisson terms below this probability are left out of a percentile's mixture.
    private static let negligible = 1e-9

    /// About `limit` terms (at most one more): consecutive terms merged into groups of about equal
    /// probability, each at its probability-weighted mean time. Step times grow about linearly with the
    /// chunks, so a large Poisson mean's hundreds of terms cost bisection time without moving the
    /// percentile (the agreement grid's P99s move by under 0.2 % between 8 terms and all of them).
    static func coarsened(_ terms: [(probability: Double, seconds: Double)], limit: Int = 8) -> [(probability: Double, seconds: Double)] {
        guard terms.count > limit else { return terms }
        let total = terms.reduce(0) { $0 + $1.probability }
        var groups: [(probability: Double, seconds: Double)] = []
        var mass = 0.0, weighted = 0.0, cumulative = 0.0
        for t in terms {
            mass += t.probability
            weighted += t.probability * t.seconds
            cumulative += t.probability
            if cumulative >= total * Double(groups.count + 1) / Double(limit) && mass > 0 {
                groups.append((mass, weighted / mass))
                mass = 0
                weighted = 0
            }
        }
        if mass > 0 { groups.append((mass, weighted / mass)) }
        return groups
    }

    /// Closed loop with `clients` clients on this replica: each sends its next request the moment its
    /// previous one completes. Up to C run; the rest wait for a slot, so by Little's law on the loop the
    /// extra TTFT is (clients − C) / λ. λ = running / (TTFT + (O − 1) · τ), at most the rate at which the
    /// step token budget prefills prompts (``prefillBound``).
    public func closedLoop(clients: Double, percentile: Double?) -> Point {
        let n = max(1, min(clients, maxBatch))
        let queued = max(0, clients - maxBatch)
        var ttft = step.requestOverheadSeconds
            + step.stepSeconds(decodeSequences: 0, context: 0, prefillTokens: promptTokens, prefillContext: promptTokens / 2)
        var state = steady(clients: n, rate: nil, firstTokenSeconds: ttft)
        var latency = (mean: ttft, percentile: ttft, utilisation: 0.0, serviceSeconds: 0.0)
        // A client sends its next request within one one-sequence step of its last token, and the
        // request reaches the engine t_req after it.
        let resendDelay = (least: step.requestOverheadSeconds,
                           spread: step.stepSeconds(decodeSequences: 1, context: decodeContext))
        // TTFT solves t = t_req + latency(t): a longer TTFT slows the loop (λ = n / (t + (O − 1) τ)) and
        // shortens the latency, so h(t) = t_req + latency(t) − t decreases and has one root. TTFT is a
        // small part of a request's cycle, so plain iteration usually settles in a few rounds; where the
        // queue is near full it can cycle, and then the root is bracketed by the rounds so far and found
        // by regula falsi (Illinois).
        func excess(_ t: Double) -> Double {
            // Start each evaluation from the last step time (b_d ≤ n: one fixed point).
            state = steady(clients: n, rate: nil, firstTokenSeconds: t, from: state.tau)
            latency = prefillLatency(
                tau: state.tau, decoding: state.decoding, rate: state.rate, percentile: nil,
                others: (n - 1) / n, busy: min(1, n - 1), afterStepEnd: resendDelay)
            return step.requestOverheadSeconds + latency.mean - t
        }
        var below: (t: Double, h: Double)?, above: (t: Double, h: Double)?
        var settled = false
        for _ in 0..<8 {
            let h = excess(ttft)
            if h >= 0 { if ttft > below?.t ?? -.infinity { below = (ttft, h) } } else if ttft < above?.t ?? .infinity { above = (ttft, h) }
            if abs(h) < 1e-7 * ttft { ttft += h; settled = true; break }
            ttft += h
        }
        if !settled {
            // Widen the bracket until it holds the root (at most 64 doublings: h falls without bound as
            // t grows, unless the latency is not finite), then regula falsi.
            for _ in 0..<64 where above == nil {
                let t = 2 * max(ttft, below?.t ?? 0)
                let h = excess(t)
                if h < 0 { above = (t, h) } else { below = (t, h) }
            }
            let low = below ?? (0, excess(0))
            if let high = above { ttft = Self.bracketedRoot(below: low, above: high, excess) }
            _ = excess(ttft)
        }
        if percentile != nil {
            latency = prefillLatency(
                tau: state.tau, decoding: state.decoding, rate: state.rate, percentile: percentile,
                others: (n - 1) / n, busy: min(1, n - 1), afterStepEnd: resendDelay)
        }
        let rate = n / (ttft + (outputTokens - 1) * state.tau)
        let bound = prefillBound
        if rate > bound.rate && n > bound.decoding {
            // More prompts than the steps' token budget carries: every step is full, and the loop runs at
            // the budget's rate; the rest of each cycle is spent waiting for a step to take the prompt.
            // (With n ≤ b_d of the full state the clients cannot fill its decodes: not bound.)
            let mean = max(ttft, n / bound.rate - (outputTokens - 1) * bound.tau)
            let queueWait = queued / bound.rate
            let spread = Self.combinedSpread(
                latency: max(0, latency.percentile - latency.mean),
                slotWait: slotWaitDeviation(queued: queued, rate: bound.rate, tau: bound.tau, decoding: bound.decoding),
                percentile: percentile)
            return Point(
                ttftSeconds: mean + spread + queueWait, tpotSeconds: bound.tau, meanTTFTSeconds: mean + queueWait,
                meanTPOTSeconds: bound.tau, requestsPerSecond: bound.rate, decodingSequences: bound.decoding,
                runningSequences: n, stable: true)
        }
        let queueWait = queued / max(1e-12, rate)
        let spread = Self.combinedSpread(
            latency: latency.percentile - latency.mean,
            slotWait: slotWaitDeviation(queued: queued, rate: rate, tau: state.tau, decoding: state.decoding),
            percentile: percentile)
        return Point(
            ttftSeconds: step.requestOverheadSeconds + latency.mean + spread + queueWait,
            tpotSeconds: state.tau, meanTTFTSeconds: ttft + queueWait, meanTPOTSeconds: state.tau,
            requestsPerSecond: rate, decodingSequences: state.decoding, runningSequences: n, stable: true)
    }

    /// The spread of output lengths the fast model assumes, uniform within ±20 % of the workload's: the
    /// staggered traffic the simulator draws by default (``ServingSimulator/Options/defaultOutputSpread``).
    public static let outputSpread = ServingSimulator.Options.defaultOutputSpread

    /// Standard deviation of a closed loop's wait for a slot, seconds. Past the batch cap C the q = n − C
    /// clients beyond it queue: a client whose request completes sends the next one to the back of the
    /// queue, which gets a slot at the q-th completion after it, so the wait Q is the time the C running
    /// slots take to complete q requests (mean q / λ, ``closedLoop(clients:percentile:)``).
    ///
    /// Counted in engine steps, each slot completes a request every O − 1 + k steps (k a prompt's
    /// prefill steps), its requests' lengths spread ±s uniform (``outputSpread``): coefficient of
    /// variation ν = s (O − 1) / (√3 (O − 1 + k)). Over m = q / C cycles a slot completes x requests, x
    /// of mean m and variance m ν² (renewal counting), from a uniform phase; its count ⌊x + U⌋ has
    /// variance m ν² + E[g(frac x)], g(f) = f (1 − f) — a whole number of cycles leaves only the lengths'
    /// spread, a fraction f leaves each slot done or not. The C slots are independent:
    ///
    ///     Var N = C · (m ν² + E[g(frac x)])
    ///
    /// completions, at λ τ a step (τ the mean step). The q prompts admitted meanwhile bring a fixed
    /// prefill work whatever the count's spread, so only the decode part of the steps, T_d (the step of
    /// b_d decodes alone), turns steps into seconds:
    ///
    ///     sd Q = √Var N / (λ τ) · T_d
    ///
    /// (with short prompts T_d ≈ τ: √Var N / λ; with 8,192-token prompts a third of it, where each
    /// completion's admission holds every slot for a prompt's prefill and so spaces the completions
    /// out). 0 with no queue.
    func slotWaitDeviation(queued q: Double, rate λ: Double, tau: Double, decoding bd: Double) -> Double {
        guard q > 0, λ > 0, tau > 0 else { return 0 }
        let decodeSteps = outputTokens - 1
        let nu = Self.outputSpread * decodeSteps / (3.0.squareRoot() * (decodeSteps + chunking(decoding: bd).stepsPerPrompt))
        let m = q / maxBatch
        let phase = (m * nu * nu).squareRoot()
        let completions = (maxBatch * (phase * phase + Self.meanSawtooth(m, deviation: phase))).squareRoot()
        let decodeStep = step.stepSeconds(decodeSequences: bd, context: decodeContext)
        return completions / (λ * tau) * min(tau, decodeStep)
    }

    /// E[g(frac x)] for x normal with mean `m` and standard deviation `deviation`, g(f) = f (1 − f): by
    /// Simpson's rule over m ± 6 standard deviations (exact g(frac m) below 10⁻⁴; 1/6, the uniform
    /// phase's, beyond one cycle).
    static func meanSawtooth(_ m: Double, deviation s: Double) -> Double {
        func g(_ x: Double) -> Double { let f = x - x.rounded(.down); return f * (1 - f) }
        guard s >= 1e-4 else { return g(m) }
        guard s < 1 else { return 1.0 / 6 }
        let intervals = 96
        var total = 0.0, weight = 0.0
        for i in 0...intervals {
            let z = -6 + 12 * Double(i) / Double(intervals)
            let simpson: Double = i == 0 || i == intervals ? 1 : (i % 2 == 1 ? 4 : 2)
            let density = simpson * exp(-z * z / 2)
            total += density * g(m + z * s)
            weight += density
        }
        return total / weight
    }

    /// The percentile's excess over the mean of a TTFT made of the prefill latency and an independent
    /// slot wait: ±√(a² + b²), a the latency's excess at the percentile (negative below the mean), b =
    /// z_p σ_Q the slot wait's (σ_Q its standard deviation, z_p the normal quantile) — exact for two
    /// normal parts, and the slot wait, a count of many completions, is close to normal; a + b where the
    /// two fall on either side of their means. The latency's excess alone with no slot wait or percentile.
    static func combinedSpread(latency a: Double, slotWait sigma: Double, percentile: Double?) -> Double {
        guard sigma > 0, let p = percentile, p > 0, p < 1 else { return a }
        let b = normalQuantile(p) * sigma
        guard (a >= 0) == (b >= 0) else { return a + b }
        return (a >= 0 ? 1 : -1) * (a * a + b * b).squareRoot()
    }

    /// The most requests per second the step token budget lets a replica prefill, with every step full.
    /// Then each step carries b_d decodes and P prompt tokens, and by Little's law b_d = λ (O − 1) τ with
    /// λ = P / (L τ), so b_d = P (O − 1) / L:
    ///
    ///     chunked:       b_d = B (O − 1) / (L + O − 1),  P = B − b_d
    ///     whole prompts: K = max(1, ⌊B / (L + O − 1)⌋),  b_d = K (O − 1),  P = K L
    ///     τ = step(b_d at context L + O/2; P prompt tokens at context L/2),  λ = P / (L τ)
    ///
    /// A closed loop whose fixed point asks more of the prefill than this is bound by it (its TTFT by
    /// Little's law, n / λ − (O − 1) τ): the simulator's engines never carry more than the budget, and
    /// fast GPUs running a mixture of experts or short outputs after long prompts reach it (Qwen3-30B-A3B
    /// NVFP4 on a B200 at 2,048 / 128 tokens: 9,068 tokens/s unbound against the simulator's 6,382).
    private func fullBudget() -> (rate: Double, tau: Double, decoding: Double) {
        let cycle = promptTokens + outputTokens - 1
        let decoding: Double, prefill: Double
        if chunkedPrefill {
            decoding = stepTokenBudget * (outputTokens - 1) / cycle
            prefill = max(1, stepTokenBudget - decoding)
        } else {
            let k = max(1, (stepTokenBudget / cycle).rounded(.down))
            decoding = k * (outputTokens - 1)
            prefill = k * promptTokens
        }
        let tau = step.stepSeconds(
            decodeSequences: decoding, context: decodeContext, prefillTokens: prefill, prefillContext: promptTokens / 2)
        return (prefill / (promptTokens * tau), tau, decoding)
    }

    /// The root of a decreasing `f` bracketed by f(below.t) ≥ 0 > f(above.t), by regula falsi with the
    /// Illinois modification (an end kept twice has its value halved), to 1e-7 of the root or 100 steps.
    static func bracketedRoot(
        below: (t: Double, h: Double), above: (t: Double, h: Double), _ f: (Double) -> Double
    ) -> Double {
        var below = below, above = above, root = below.t, side = 0
        for _ in 0..<100 {
            let t = (below.t * above.h - above.t * below.h) / (above.h - below.h)
            let h = f(t)
            root = t
            if abs(h) < 1e-7 * t || above.t - below.t < 1e-9 * t { return t + h }
            if h > 0 {
                below = (t, h)
                if side == 1 { above.h /= 2 }
                side = 1
            } else {
                above = (t, h)
                if side == -1 { below.h /= 2 }
                side = -1
            }
        }
        return root
    }

    /// The most requests per second the replica completes: the closed loop at C.
    public var saturationRate: Double { saturation.requestsPerSecond }

    /// Open loop: Poisson arrivals at `rate` requests/s on this replica. The number admitted n solves
    /// n = λ · (TTFT + (O − 1) · τ) (Little's law). Requests wait for a slot as in an M/M/C queue with
    /// offered load a = n (Erlang C): P(wait) = C(C, a), mean wait = P(wait) · cycle / (C − a), and
    /// P(W > t) = P(wait) · e^(−(C − a) t / cycle). A request's TPOT has mean τ + shift, the shift taking
    /// the mean step to the mean TPOT a request sees (`openLoopTPOTShift`), and standard deviation σ
    /// (`openLoopTPOTDeviation`). Its excess over the step of a request decoding alone, T₁, is a sum of
    /// positive costs and skewed to the right near saturation, so the percentile is that of a gamma
    /// excess with that mean and σ (``gammaQuantile``), capped at the TPOT of the saturated replica τ_C
    /// (the closed loop at C: no request's steps are longer on average than a full batch's, while the
    /// linearised mean and σ grow without bound as λ nears saturation):
    ///
    ///     TPOT_p = min(τ_C, T₁ + Γ_p(mean τ + shift − T₁, σ))
    ///
    /// The mean TPOT returned is the mean step τ.
    /// Unstable (TTFT ∞) at or beyond ``saturationRate`` or when prompts need more than the step budget.
    public func openLoop(rate λ: Double, percentile: Double?) -> Point {
        guard λ > 0 else {
            var idle = closedLoop(clients: 1, percentile: percentile)
            idle.requestsPerSecond = 0
            return idle
        }
        guard λ < saturation.requestsPerSecond else {
            var full = saturation
            full.stable = false
            full.ttftSeconds = .infinity
            full.meanTTFTSeconds = .infinity
            return full
        }
        var ttft = step.requestOverheadSeconds
        // With λ given, the step does not depend on the time to first token: solve it once.
        let state = steady(clients: nil, rate: λ, firstTokenSeconds: ttft)
        let latency = prefillLatency(
            tau: state.tau, decoding: state.decoding, rate: λ, percentile: percentile, arrivalsInTime: true)
        ttft = step.requestOverheadSeconds + latency.mean
        let n = λ * (ttft + (outputTokens - 1) * state.tau)
        guard state.converged, latency.utilisation < 0.999, n < maxBatch else {
            var full = saturation
            full.stable = false
            full.ttftSeconds = .infinity
            full.meanTTFTSeconds = .infinity
            return full
        }
        let cycle = step.requestOverheadSeconds + latency.mean + (outputTokens - 1) * state.tau
        let slot = erlangCWait(servers: maxBatch, offered: min(n, maxBatch * 0.999_999), cycle: cycle, percentile: percentile)
        let bd = state.decoding
        var tpot = state.tau
        if let p = percentile, p > 0, p < 1 {
            let growth = decodeGrowth(decoding: bd)
            let mean = state.tau
                + openLoopTPOTShift(tau: state.tau, decoding: bd, rate: λ, service: latency.serviceSeconds, growth: growth)
            let deviation = openLoopTPOTDeviation(
                tau: state.tau, decoding: bd, rate: λ, service: latency.serviceSeconds, growth: growth)
            let alone = step.stepSeconds(decodeSequences: 1, context: decodeContext)
            tpot = min(saturation.tpotSeconds,
                       gammaQuantile(p, floor: min(alone, mean), mean: mean, standardDeviation: deviation))
        }
        return Point(
            ttftSeconds: step.requestOverheadSeconds + latency.percentile + slot.percentile,
            tpotSeconds: tpot, meanTTFTSeconds: step.requestOverheadSeconds + latency.mean + slot.mean,
            meanTPOTSeconds: state.tau, requestsPerSecond: λ, decodingSequences: bd,
            runningSequences: min(maxBatch, n), stable: true)
    }

    /// The peakedness z = Var N / E N of the number of requests in flight under Poisson arrivals at `rate`
    /// λ. Without feedback it is a Poisson count (M/G/∞, z = 1); but a busier engine runs longer steps that
    /// lengthen every request in flight: each prompt's prefill work S holds every decode for S (the cascade
    /// φ = λ S), and each extra sequence lengthens every step by t_b (the batch's gain g = t_b b_d / τ), so
    ///
    ///     z = 1 / ((1 − g) (1 − φ)²)        (φ and g at most 0.95)
    ///
    /// Against the simulator's in-flight count (time-weighted over 6,000 requests, 8B on an H100, vLLM):
    /// 8,192/256 tokens at 40 · 60 · 75 · 85 % of saturation 2.0 · 3.1 · 4.5 · 5.9 against 1.9 · 3.1 · 4.5 ·
    /// 5.3; 2,048/256 at 85 % 5.5 against 6.5; 128/1,024 at 85 % 1.6 against 1.4. Past about 3, near
    /// saturation, the simulator queues for slots far more than the slot wait (Erlang C, a Poisson count)
    /// gives (docs/performance-model.md, "Known and left: Poisson arrivals near saturation with long
    /// prompts"); plans say so (``ServingCandidate/slotWaitUnderestimated(percentile:)``). 1 at no load or past
    /// saturation.
    public func inFlightPeakedness(rate λ: Double) -> Double {
        guard λ > 0, λ < saturation.requestsPerSecond else { return 1 }
        let state = steady(clients: nil, rate: λ, firstTokenSeconds: step.requestOverheadSeconds)
        guard state.converged, state.tau > 0 else { return 1 }
        let latency = prefillLatency(
            tau: state.tau, decoding: state.decoding, rate: λ, percentile: nil, arrivalsInTime: true)
        let phi = min(0.95, max(0, λ * latency.serviceSeconds))
        let gain = min(0.95, max(0, decodeGrowth(decoding: state.decoding) * state.decoding / state.tau))
        return 1 / ((1 - gain) * (1 - phi) * (1 - phi))
    }

    /// The decode step's growth per decoding sequence t_b = ∂step/∂b_d at b_d (central difference).
    private func decodeGrowth(decoding bd: Double) -> Double {
        let (chunk, _, _) = chunking(decoding: bd)
        let h = max(0.5, 0.05 * bd)
        return max(0, (stepSeconds(decoding: bd + h, chunks: 0, of: chunk)
            - stepSeconds(decoding: max(0, bd - h), chunks: 0, of: chunk)) / (bd + h - max(0, bd - h)))
    }

    /// How much longer than the mean step τ a request's TPOT is on average under Poisson arrivals. A
    /// request's TPOT averages the steps of its life, and a step with more sequences decoding counts for
    /// more of them, so the mean TPOT is E[b T] / E[b] = τ + Cov(b, T) / b_d, with T = τ + t_b δb + S δJ
    /// (J the prompts whose prefill a step carries). Linearising the steps — J_s ~ Poisson(λ T_{s−1}),
    /// b_s the prompts completed in the last O − 1 steps — and taking O − 1 ≫ 1 / (1 − φ) gives, with
    /// φ = λ S, β = (t_b b_d / τ) / (1 − φ) and μ = λ τ:
    ///
    ///     Var b ≈ b_d / ((1 − β)(1 − φ)²),   Cov(b, J) ≈ μ (β / (1 − β) + φ / (1 + φ)) / (1 − φ)²
    ///     shift = (t_b Var b + S Cov(b, J)) / b_d
    ///
    /// (the first is b_d's Poisson variance amplified by the prompts' own cascade, 1/(1 − φ)², and by the
    /// batch's feedback through the step, 1/(1 − β); docs/performance-model.md, "Why the Poisson TPOT
    /// tail is too narrow", where it matches the simulator's mean TPOT within 1 %). Both φ and β are
    /// capped at 0.95.
    private func openLoopTPOTShift(
        tau: Double, decoding bd: Double, rate λ: Double, service: Double, growth: Double
    ) -> Double {
        guard bd > 0, outputTokens > 1, tau > 0 else { return 0 }
        let phi = min(0.95, λ * service)
        let f = Self.batchFluctuation(
            decoding: bd, promptsPerStep: λ * tau, cascade: phi, feedback: min(0.95, growth * bd / tau / (1 - phi)))
        return (growth * f.batchVariance + service * f.covariance) / bd
    }

    /// Var b and Cov(b, J) for the linearised steps of `openLoopTPOTShift`: b_d decoding on average, μ
    /// prompts arriving a step, cascade φ (the prompts one prompt's prefill brings in) and feedback β
    /// (the batch's, through the step's length, relative to 1 − φ), in the limit of long lives:
    ///
    ///     Var b = b_d / ((1 − β)(1 − φ)²),   Cov(b, J) = μ (β / (1 − β) + φ / (1 + φ)) / (1 − φ)²
    static func batchFluctuation(decoding bd: Double, promptsPerStep mu: Double, cascade phi: Double, feedback beta: Double)
        -> (batchVariance: Double, covariance: Double)
    {
        let cascade = (1 - phi) * (1 - phi)
        return (bd / ((1 - beta) * cascade), mu * (beta / (1 - beta) + phi / (1 + phi)) / cascade)
    }

    /// The standard deviation of one request's TPOT under Poisson arrivals. A request's TPOT is the mean
    /// of the O − 1 steps of its life D = (O − 1) · τ, and those steps are longer when more prompts arrive
    /// and more sequences decode during it. Linearised about the steady state (τ, b_d):
    ///
    ///     TPOT − τ ≈ (a · δN + t_b · δb̄) / (1 − g),   a = S / (O − 1),   g = t_b · b_d / τ + λ · S
    ///
    /// with S a prompt's own prefill work (as in the time to first token), t_b = ∂τ/∂b_d the step's growth
    /// per decoding sequence, δN the excess of prompts arriving during the life (Poisson, variance λ · D
    /// = b_d), δb̄ the excess of the batch averaged over the life (M/G/∞ with deterministic lives: variance
    /// ⅔ · b_d, covariance with δN ½ · b_d), and 1/(1 − g) the feedback of longer steps lengthening every
    /// life in flight. So
    ///
    ///     σ = √(b_d · (a² + ⅔ · t_b² + a · t_b)) / (1 − g)
    ///
    /// In a closed loop the count of clients is fixed and each sends once per cycle, so neither excess
    /// arises there.
    /// `service` is S as `prefillLatency` computed it for the same steady state, `growth` t_b.
    private func openLoopTPOTDeviation(
        tau: Double, decoding bd: Double, rate λ: Double, service: Double, growth: Double
    ) -> Double {
        guard bd > 0, outputTokens > 1 else { return 0 }
        let a = service / (outputTokens - 1)
        let gain = min(0.95, growth * bd / tau + λ * service)
        let variance = bd * (a * a + 2.0 / 3.0 * growth * growth + a * growth)
        return variance.squareRoot() / (1 - gain)
    }

    /// `requests` sent at once. With fixed lengths they run in waves of up to C: a wave's m prompts are
    /// prefilled in ⌈m · L / B⌉ chunk steps (whole prompts: ⌈m / max(1, ⌊B / L⌋)⌉; prompt i of m is done
    /// after ⌈i · chunks / m⌉ of them), then
    /// decode together for O − 1 steps, and the next wave starts when it ends (its sequences free their
    /// slots together):
    ///
    ///     wave(m)   = chunks(m) · t_chunk(m) + (O − 1) · step(m)
    ///     start_k   = t_req + Σ_{j<k} wave(m_j)
    ///     TTFT(i,k) = start_k + ⌈i · chunks(m_k) / m_k⌉ · t_chunk(m_k)
    ///     makespan  = t_req + Σ_k wave(m_k);  throughput = requests / makespan
    ///
    /// TTFT is averaged over all requests (or taken at the percentile by rank).
    public func burst(requests: Double, percentile: Double?) -> Point {
        let total = max(1, requests.rounded(.up))
        let full = min(total, maxBatch)
        let overhead = step.requestOverheadSeconds
        struct Wave { var size: Double; var chunks: Double; var chunkSeconds: Double; var seconds: Double; var tau: Double }
        func wave(_ m: Double) -> Wave {
            let promptTotal = m * promptTokens
            // Whole prompts: ⌈m / K₀⌉ steps of K₀ = max(1, ⌊B / L⌋) prompts.
            let chunks = chunkedPrefill
                ? max(1, (promptTotal / stepTokenBudget).rounded(.up))
                : max(1, (m / Double(chunking(decoding: 0).perStep)).rounded(.up))
            let chunkSeconds = step.stepSeconds(
                decodeSequences: 0, context: 0, prefillTokens: promptTotal / chunks, prefillContext: promptTokens / 2)
            let tau = step.stepSeconds(decodeSequences: m, context: decodeContext)
            return Wave(size: m, chunks: chunks, chunkSeconds: chunkSeconds, seconds: chunks * chunkSeconds + (outputTokens - 1) * tau, tau: tau)
        }
        let fullWaves = (total / full).rounded(.down)
        let rest = total - fullWaves * full
        let big = wave(full)
        let last = rest > 0 ? wave(rest) : nil
        let makespan = overhead + fullWaves * big.seconds + (last?.seconds ?? 0)
        // Mean TTFT of one wave's requests, measured from its start: the mean of ⌈i·c/m⌉ over i = 1…m.
        func meanInWave(_ w: Wave) -> Double {
            var sum = 0.0
            let m = Int(w.size)
            if m <= 4096 {
                for i in 1...max(1, m) { sum += (Double(i) * w.chunks / w.size).rounded(.up) }
                return sum / w.size * w.chunkSeconds
            }
            return (w.chunks + 1) / 2 * w.chunkSeconds
        }
        // Σ_k start_k over the full waves: t_req · W + wave · (0 + 1 + … + (W − 1)).
        var ttftSum = full * (fullWaves * overhead + big.seconds * fullWaves * (fullWaves - 1) / 2 + fullWaves * meanInWave(big))
        if let last { ttftSum += rest * (overhead + fullWaves * big.seconds + meanInWave(last)) }
        let mean = ttftSum / total
        var pth = mean
        if let p = percentile, p > 0, p < 1 {
            let rank = max(1, (p * total).rounded(.up))
            let k = ((rank - 1) / full).rounded(.down)
            let w = k < fullWaves ? big : (last ?? big)
            let i = rank - k * full
            pth = overhead + k * big.seconds + (i * w.chunks / w.size).rounded(.up) * w.chunkSeconds
        }
        let decodeSteps = fullWaves * (outputTokens - 1) + (last != nil ? outputTokens - 1 : 0)
        let tpot = ((fullWaves * (outputTokens - 1) * big.tau) + (last.map { (outputTokens - 1) * $0.tau } ?? 0)) / max(1, decodeSteps)
        return Point(
            ttftSeconds: pth, tpotSeconds: tpot, meanTTFTSeconds: mean, meanTPOTSeconds: tpot,
            requestsPerSecond: total / makespan, decodingSequences: full, runningSequences: full, stable: true)
    }
}

/// Waiting time for one of `c` slots in an M/M/c queue with offered load `a` (Erlangs) and mean holding
/// time `cycle`: P(wait) is Erlang C, from Erlang B by B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)),
/// C = c·B / (c − a·(1 − B)); mean wait = C · cycle / (c − a); p-quantile = cycle/(c − a) · ln(C / (1 − p))
/// when C > 1 − p, else 0. `c` is rounded down to a whole number of slots.
func erlangCWait(servers: Double, offered a: Double, cycle: Double, percentile: Double?) -> (mean: Double, percentile: Double) {
    let c = max(1, servers.rounded(.down))
    guard a > 0, a < c, cycle > 0 else { return (0, 0) }
    var b = 1.0
    var k = 1.0
    while k <= c {
        b = a * b / (k + a * b)
        k += 1
    }
    let waitProbability = c * b / (c - a * (1 - b))
    let scale = cycle / (c - a)
    let mean = waitProbability * scale
    guard let p = percentile, p > 0, p < 1 else { return (mean, mean) }
    let q = waitProbability > 1 - p ? scale * log(waitProbability / (1 - p)) : 0
    return (mean, q)
}
