import XCTest
@testable import PlannerCore

/// The fast model the optimizer uses against the step simulator (the reference), on a grid of GPUs ×
/// 8B/70B × short/long prompts × the three load kinds (docs/performance-model.md, "Agreement grid").
/// The simulator runs 10,000 requests after its warm-up, each drawing its output length within ±20 % of
/// the workload's (with exactly fixed lengths a closed loop synchronises into waves over thousands of
/// requests: docs/performance-model.md, "Fixed lengths synchronise a closed loop").
/// Measured on this grid (tenth session): throughput within 0.6 % for closed loops, 2.1 % for Poisson
/// arrivals and 8 % for bursts; P99 TTFT within 7 % on all 18 closed-loop and Poisson points (closed
/// loops −6.1 % to +6.7 % since the tenth session's closed loop — prompts sent at step ends, the queue
/// served by full steps — where 70B on two H200 with 2,048-token prompts was +55 % and +41 %; Poisson
/// −5.5 % to −0.5 %); P99 TPOT within 7 % for closed loops and −6 % to −11 % under Poisson arrivals
/// (ninth session: the gamma excess and negative-binomial chunk counts; −7 % to −16 % with a normal
/// spread about the shifted mean, −7 % to −19 % before the shift). The tolerances
/// below are those figures with a margin.
final class SimulatorAgreementTests: XCTestCase {
    struct Case {
        var gpu: String
        var model: String
        var precision: Precision
        var tp: Int
        var isl: Int
        var osl: Int
        var engine: EngineProfile = .vllm
    }

    /// Requests measured per simulation: a P99 of 2,000 requests moves by up to 16 % with the run
    /// (70B on 2 × H200, 2,048/256, 128 clients: 1,000 ms at 2,000 requests, 875 at 5,000, 868 at
    /// 10,000, 864 at 40,000 and 80,000); from 10,000 on it is within 0.5 % of the long run's.
    static let measuredRequests = 10_000

    static let grid: [Case] = [
        Case(gpu: "h100-sxm-80gb", model: "llama-3.1-8b", precision: .fp16, tp: 1, isl: 256, osl: 256),
        Case(gpu: "h100-sxm-80gb", model: "llama-3.1-8b", precision: .fp16, tp: 1, isl: 2048, osl: 256),
        Case(gpu: "a100-sxm-80gb", model: "llama-3.1-8b", precision: .fp16, tp: 1, isl: 256, osl: 256),
        Case(gpu: "h200-sxm-141gb", model: "llama-3.1-8b", precision: .fp8, tp: 1, isl: 2048, osl: 256),
        Case(gpu: "h100-sxm-80gb", model: "llama-3.1-70b", precision: .fp8, tp: 2, isl: 256, osl: 256),
        Case(gpu: "h200-sxm-141gb", model: "llama-3.1-70b", precision: .fp8, tp: 2, isl: 2048, osl: 256),
    ]

    private func deployment(_ c: Case, _ catalog: Catalog) throws -> Deployment {
        let model = try XCTUnwrap(catalog.model(c.model)), gpu = try XCTUnwrap(catalog.gpu(c.gpu))
        return Deployment(
            model: model, gpu: gpu, gpuCount: c.tp, tensorParallel: c.tp, weightPrecision: c.precision,
            kvPrecision: c.precision.defaultKVCache(on: c.engine), engine: c.engine)
    }

    /// Long prompts on the three engines, and closed loops past the batch cap, where the grid above has
    /// none: 8,192-token prompts (a step's whole budget: vLLM and SGLang cut each into a full step and
    /// a tail that shares its step with the next prompt's first chunk; TensorRT-LLM runs it whole) at a
    /// quarter, half and 0.9 of the cap, and 1.2 and 2 times the cap (the clients beyond it wait for a
    /// slot). Throughput within 2 %, P99 TPOT within 15 %, P99 TTFT within 20 % (issue 11's bound).
    ///
    /// Below the cap, long prompts' TTFTs come in tiers a whole prefill apart (a prompt waits for none,
    /// one or two other prompts' full steps), and a tier's mass near 1 % moves the P99 by a whole
    /// prefill when it moves by a fraction of a percent (70B on two H100 under TensorRT-LLM at 14
    /// clients: the simulator's P98 1,268 ms, P99 1,815, P99.5 1,836). There the fast P99 may instead
    /// fall within 20 % of the simulator's P98 … P99.5: its tail mass within half a percentile point.
    /// Measured (seventeenth session, 10,000 requests a point): P99 TTFT within −13.7 … +2.3 % at every
    /// point but the two TensorRT-LLM cliffs (−29.6 %, −23.3 %), both within 1 % of the P98; past the cap
    /// −0.8 … +2.3 % (−24 % before the slot wait's spread); throughput −1.6 … +0.5 %, P99 TPOT −9.9 …
    /// −1.2 %. Before the shared last step and the slot wait's spread, 8,192-token prompts under vLLM and
    /// SGLang were 20–31 % low at most points (docs/performance-model.md, "Agreement grid").
    func testLongPromptsEnginesAndPastTheCapAgree() throws {
        let catalog = try loadShipped()
        let h100 = "h100-sxm-80gb", eightB = "llama-3.1-8b", seventyB = "llama-3.1-70b"
        let points: [(Case, [Double])] = [
            (Case(gpu: h100, model: eightB, precision: .fp16, tp: 1, isl: 8192, osl: 256, engine: .vllm), [0.25, 0.9, 1.2]),
            (Case(gpu: h100, model: eightB, precision: .fp16, tp: 1, isl: 8192, osl: 256, engine: .sglang), [0.25, 0.9]),
            (Case(gpu: h100, model: eightB, precision: .fp16, tp: 1, isl: 8192, osl: 256, engine: .trtllm), [0.25, 0.9]),
            (Case(gpu: "a100-sxm-80gb", model: eightB, precision: .fp16, tp: 1, isl: 8192, osl: 256, engine: .vllm), [0.25, 0.9]),
            (Case(gpu: h100, model: seventyB, precision: .fp8, tp: 2, isl: 8192, osl: 256, engine: .vllm), [0.5, 1.2]),
            (Case(gpu: h100, model: seventyB, precision: .fp8, tp: 2, isl: 8192, osl: 256, engine: .trtllm), [0.25, 0.9]),
            (Case(gpu: h100, model: eightB, precision: .fp16, tp: 1, isl: 128, osl: 1024, engine: .vllm), [1.2, 2]),
            (Case(gpu: h100, model: eightB, precision: .fp16, tp: 1, isl: 2048, osl: 128, engine: .sglang), [1.2]),
            (Case(gpu: "l40s-48gb", model: eightB, precision: .fp8, tp: 1, isl: 8192, osl: 256, engine: .trtllm), [1.2]),
        ]
        var report: [String] = []
        for (c, fractions) in points {
            let d = try deployment(c, catalog)
            let base = ServingWorkload(promptTokens: c.isl, outputTokens: c.osl, load: .maximum, percentile: 0.99)
            let memory = memoryBreakdown(d, sequenceTokens: c.isl + c.osl)
            let cap = ContinuousBatching(d, base, memory: memory, calibration: catalog.calibration).maxBatch
            for fraction in fractions {
                var w = base
                w.load = .concurrency(max(1, Int(cap * fraction)))
                let estimate = estimateServing(d, w, calibration: catalog.calibration)
                let simulator = ServingSimulator(d, w, calibration: catalog.calibration)
                func run(_ q: Double) -> ServingSimulator.Result {
                    simulator.run(w.load, options: .init(seed: 3, measuredRequests: Self.measuredRequests, percentile: q))
                }
                let sim = run(0.98)
                let fastTTFT = estimate.ttftMs / 1000
                var ttftOK = abs(fastTTFT / sim.ttft.p99 - 1) <= 0.20
                var band = ""
                if !ttftOK && fraction < 1 {
                    let low = try XCTUnwrap(sim.ttft.requested), high = try XCTUnwrap(run(0.995).ttft.requested)
                    ttftOK = fastTTFT >= 0.8 * low && fastTTFT <= 1.2 * high
                    band = String(format: " (P98 %.0f, P99.5 %.0f ms)", low * 1000, high * 1000)
                }
                report.append(String(
                    format: "%@ %@ %@ %d/%d %@ %d clients: tok/s %+.1f %%, p99 TTFT %.0f vs %.0f ms (%+.1f %%)%@, p99 TPOT %+.1f %%",
                    c.gpu, c.model, c.engine.rawValue, c.isl, c.osl, "\(fraction)", Int(cap * fraction),
                    100 * (estimate.outputTokensPerSecond / sim.outputTokensPerSecond - 1), estimate.ttftMs,
                    sim.ttft.p99 * 1000, 100 * (fastTTFT / sim.ttft.p99 - 1), band,
                    100 * (estimate.tpotMs / (sim.tpot.p99 * 1000) - 1)))
                XCTAssertEqual(estimate.outputTokensPerSecond / sim.outputTokensPerSecond, 1, accuracy: 0.02, report.last!)
                XCTAssertEqual(estimate.tpotMs / (sim.tpot.p99 * 1000), 1, accuracy: 0.15, report.last!)
                XCTAssertTrue(ttftOK, report.last!)
            }
        }
        print(report.joined(separator: "\n"))
    }

    /// Every grid case under a closed loop at half and all of the batch cap, Poisson arrivals at 60 % of
    /// saturation, and a burst of twice the cap. Throughput within 2 % for closed loops and 10 % for
    /// bursts; under Poisson arrivals within 3 % of the nominal rate (the 10,000 arrivals of seed 3
    /// come 2.0 % faster than nominal in every case: one stream, scaled by 1/λ), and latencies are
    /// compared at the rate the simulator realised. P99 TTFT within 15 % (bursts 10 %); P99 TPOT within
    /// 15 % for closed loops and Poisson arrivals (a burst's fast TPOT
    /// is its waves' mean step, not a per-request percentile: not compared).
    func testFastModelAgreesWithTheSimulatorOnTheGrid() throws {
        let catalog = try loadShipped()
        var report: [String] = []
        for c in Self.grid {
            let d = try deployment(c, catalog)
            let base = ServingWorkload(promptTokens: c.isl, outputTokens: c.osl, load: .maximum, percentile: 0.99)
            let memory = memoryBreakdown(d, sequenceTokens: c.isl + c.osl)
            let fast = ContinuousBatching(d, base, memory: memory, calibration: catalog.calibration)
            let cap = Int(fast.maxBatch)
            let loads: [ServingWorkload.Load] = [
                .concurrency(max(1, cap / 2)), .concurrency(cap),
                .requestsPerSecond(0.6 * fast.saturationRate), .burst(2 * cap),
            ]
            for load in loads {
                var w = base
                w.load = load
                let estimate = estimateServing(d, w, calibration: catalog.calibration)
                let sim = ServingSimulator(d, w, calibration: catalog.calibration)
                    .run(load, options: .init(seed: 3, measuredRequests: Self.measuredRequests))
                let throughputError = estimate.outputTokensPerSecond / sim.outputTokensPerSecond - 1
                var latency = estimate
                if case .requestsPerSecond = load {
                    w.load = .requestsPerSecond(sim.requestsPerSecond)
                    latency = estimateServing(d, w, calibration: catalog.calibration)
                }
                let ttftError = latency.ttftMs / (sim.ttft.p99 * 1000) - 1
                let tpotError = latency.tpotMs / (sim.tpot.p99 * 1000) - 1
                report.append(String(
                    format: "%@ %@ %@ %d/%d %@: tok/s %.0f vs %.0f (%+.1f %%), p99 TTFT %.0f vs %.0f ms (%+.1f %%), p99 TPOT %.2f vs %.2f ms (%+.1f %%)",
                    c.gpu, c.model, c.precision.rawValue, c.isl, c.osl, "\(load)", estimate.outputTokensPerSecond,
                    sim.outputTokensPerSecond, 100 * throughputError, latency.ttftMs, sim.ttft.p99 * 1000, 100 * ttftError,
                    latency.tpotMs, sim.tpot.p99 * 1000, 100 * tpotError))
                switch load {
                case .burst:
                    XCTAssertEqual(throughputError, 0, accuracy: 0.10, report.last!)
                    XCTAssertEqual(ttftError, 0, accuracy: 0.10, report.last!)
                case .requestsPerSecond, .concurrency, .maximum:
                    let isPoisson: Bool
                    if case .requestsPerSecond = load { isPoisson = true } else { isPoisson = false }
                    XCTAssertEqual(throughputError, 0, accuracy: isPoisson ? 0.03 : 0.02, report.last!)
                    XCTAssertEqual(ttftError, 0, accuracy: 0.15, report.last!)
                    XCTAssertEqual(tpotError, 0, accuracy: 0.15, report.last!)
                }
            }
        }
        print(report.joined(separator: "\n"))
    }

    /// A closed loop whose prompts outrun the step budget: 70B FP8 on 4 × H200 under TensorRT-LLM, 1,000/300
    /// tokens, 2,048 clients (its batch cap): about 6.8 prompts finish a step against room for 6 in the
    /// 8,192-token budget beside the decodes, so prompts queue for about ten seconds. There plain iteration
    /// of the TTFT fixed point cycles (3 → 85 → 50 s before the tenth session, which returned whichever
    /// value the hundredth round held: 688 ms); the bracketed solve finds the root. Measured: throughput
    /// 4,909 against 4,959 tokens/s (−1.0 %), mean TTFT 13.5 s against 9.9 s (+37 %: the wait is taken as
    /// an M/D/1 queue near ρ = 1, where the loop's backlog is nearly fixed; its P99, 60 s against 11 s, is
    /// not compared — no TTFT target is met there).
    func testClosedLoopPastTheStepBudgetConverges() throws {
        let catalog = try loadShipped()
        let model = try XCTUnwrap(catalog.model("llama-3.1-70b")), gpu = try XCTUnwrap(catalog.gpu("h200-sxm-141gb"))
        let d = Deployment(
            model: model, gpu: gpu, gpuCount: 4, tensorParallel: 4, weightPrecision: .fp8,
            kvPrecision: Precision.fp8.defaultKVCache(on: .trtllm), engine: .trtllm)
        let w = ServingWorkload(promptTokens: 1000, outputTokens: 300, load: .concurrency(2048))
        let estimate = estimateServing(d, w, calibration: catalog.calibration)
        XCTAssertEqual(estimate.batch, 2048)
        let sim = ServingSimulator(d, w, calibration: catalog.calibration)
            .run(w.load, options: .init(seed: 3, measuredRequests: Self.measuredRequests))
        XCTAssertEqual(estimate.outputTokensPerSecond / sim.outputTokensPerSecond, 1, accuracy: 0.05)
        XCTAssertEqual(estimate.ttftMs / (sim.ttft.mean * 1000), 1, accuracy: 0.40)
    }

    /// The capacity of a replica under a rate demand with P99 TTFT and TPOT targets: the largest Poisson
    /// rate meeting both, found by bisection (ten halvings between 30 % and 99.9 % of saturation) with each
    /// model. Targets from the fast model at 30 and 90 % of saturation, as for concurrency: TPOT 60 % of
    /// the way between them, TTFT the larger of 1.5 × the light one and 0.6 × the heavy one. Measured
    /// (ninth session, 10,000 requests a point, seed 5, nominal rates): short prompts on an H100, fast
    /// 43.95 and simulated 42.19 requests/s (+4.2 %); 8B FP8 on an H200 with 2,048-token prompts 14.86
    /// against 14.90 (−0.3 %); 70B on two H200 with 2,048-token prompts 3.48 against 3.62 (−3.9 %). The
    /// TTFT target binds in the last two; before the negative-binomial chunk counts of the running step
    /// and the queue's decode share they were +9.4 % and +11.5 % (optimistic; a probe with twelve halvings).
    func testCapacityUnderARateDemandAgrees() throws {
        let catalog = try loadShipped()
        for c in [Self.grid[0], Self.grid[3], Self.grid[5]] {
            let d = try deployment(c, catalog)
            let base = ServingWorkload(promptTokens: c.isl, outputTokens: c.osl, load: .maximum, percentile: 0.99)
            let memory = memoryBreakdown(d, sequenceTokens: c.isl + c.osl)
            let fast = ContinuousBatching(d, base, memory: memory, calibration: catalog.calibration)
            let saturation = fast.saturationRate
            let light = fast.openLoop(rate: 0.3 * saturation, percentile: 0.99)
            let heavy = fast.openLoop(rate: 0.9 * saturation, percentile: 0.99)
            let tpotTarget = light.tpotSeconds + 0.6 * (heavy.tpotSeconds - light.tpotSeconds)
            let ttftTarget = max(1.5 * light.ttftSeconds, 0.6 * heavy.ttftSeconds)
            func largest(_ meets: (Double) -> Bool) -> Double {
                var low = 0.3 * saturation, high = 0.999 * saturation
                for _ in 0..<10 {
                    let mid = (low + high) / 2
                    if meets(mid) { low = mid } else { high = mid }
                }
                return low
            }
            let fastCapacity = largest { rate in
                let p = fast.openLoop(rate: rate, percentile: 0.99)
                return p.stable && p.tpotSeconds <= tpotTarget && p.ttftSeconds <= ttftTarget
            }
            let simulator = ServingSimulator(d, base, calibration: catalog.calibration)
            let simCapacity = largest { rate in
                let r = simulator.run(.requestsPerSecond(rate), options: .init(seed: 5, measuredRequests: Self.measuredRequests))
                return r.stable && r.tpot.p99 <= tpotTarget && r.ttft.p99 <= ttftTarget
            }
            let message = String(format: "%@ %@ %d/%d: fast %.2f, simulated %.2f requests/s", c.gpu, c.model, c.isl, c.osl, fastCapacity, simCapacity)
            print("RATE CAPACITY " + message)
            XCTAssertEqual(fastCapacity / simCapacity, 1, accuracy: 0.10, message)
        }
    }

    /// The capacity of a replica under a concurrency demand with P99 TTFT and TPOT targets: the largest
    /// number of clients meeting both, found by bisection with each model. Targets: TPOT 60 % of the way
    /// from two clients' to the cap's, TTFT the larger of 1.5 × two clients' and 0.6 × the cap's (two
    /// clients: the lightest load at which a prompt meets another client's steps; one client's prompt
    /// finds the engine idle). Measured (10,000 requests a point): short prompts, fast 164 and simulated
    /// 160 clients (+2.5 %; the TPOT target binds there, and TPOT grows only 0.3 % per 1 % more clients,
    /// so the capacity magnifies a step error threefold); 2,048-token prompts, fast 84 and simulated 77
    /// (+9.1 %; the TTFT target binds on a curve that rises about 1 % per client there; 70 against 67,
    /// +4.5 %, before the tenth session's closed loop moved the fast TTFT and the targets set from it). It was 43
    /// against 36 (+19 %, optimistic) before the eighth session's running-step and overflow terms, and
    /// 28 against 34 before the seventh session's percentile of a sum.
    ///
    /// 8,192-token prompts (seventeenth session): fast 20 and simulated 19 (+5 %) — on a plateau: the
    /// simulator's P99 stays within 592–609 ms from 14 to 22 clients against a 604 ms target.
    ///
    /// Not covered, and known: a short-prompt TTFT target as tight as 1.5 × one client's binds on an
    /// almost flat curve (docs/performance-model.md, "Agreement grid").
    func testCapacityPerReplicaAgrees() throws {
        let catalog = try loadShipped()
        let longPrompts = Case(gpu: "h100-sxm-80gb", model: "llama-3.1-8b", precision: .fp16, tp: 1, isl: 8192, osl: 256)
        for c in [Self.grid[0], Self.grid[3], longPrompts] {
            let d = try deployment(c, catalog)
            let base = ServingWorkload(promptTokens: c.isl, outputTokens: c.osl, load: .maximum, percentile: 0.99)
            let memory = memoryBreakdown(d, sequenceTokens: c.isl + c.osl)
            let fast = ContinuousBatching(d, base, memory: memory, calibration: catalog.calibration)
            // Targets at 60 % of the cap's latencies, so that they bind inside the range.
            let full = fast.closedLoop(clients: fast.maxBatch, percentile: 0.99)
            let light = fast.closedLoop(clients: 2, percentile: 0.99)
            let tpotTarget = light.tpotSeconds + 0.6 * (full.tpotSeconds - light.tpotSeconds)
            let ttftTarget = max(light.ttftSeconds * 1.5, 0.6 * full.ttftSeconds)
            func largest(_ meets: (Int) -> Bool) -> Int {
                var low = 1, high = Int(fast.maxBatch)
                if meets(high) { return high }
                while high - low > 1 {
                    let mid = (low + high) / 2
                    if meets(mid) { low = mid } else { high = mid }
                }
                return low
            }
            let fastCapacity = largest { n in
                let p = fast.closedLoop(clients: Double(n), percentile: 0.99)
                return p.tpotSeconds <= tpotTarget && p.ttftSeconds <= ttftTarget
            }
            let simulator = ServingSimulator(d, base, calibration: catalog.calibration)
            let simCapacity = largest { n in
                let r = simulator.run(.concurrency(n), options: .init(seed: 5, measuredRequests: Self.measuredRequests))
                return r.tpot.p99 <= tpotTarget && r.ttft.p99 <= ttftTarget
            }
            let message = "\(c.gpu) \(c.model) \(c.isl)/\(c.osl): fast \(fastCapacity), simulated \(simCapacity)"
            print("CAPACITY " + message)
            XCTAssertEqual(Double(fastCapacity) / Double(simCapacity), 1, accuracy: 0.10, message)
        }
    }
}
