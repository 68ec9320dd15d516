import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// How many GPUs a demand needs (issue: "Size concurrency right"): a floor worked out independently for
/// the seed's scenario 2, and properties over random specs that any sound sizing must have.
final class ConcurrencySizingTests: XCTestCase {
    /// Seed scenario 2: 4,096 clients, 512/256 tokens, FP16 DeepSeek-R1-Distill-Llama-8B on H100 SXM, vLLM.
    /// Floor from the datasheet and vLLM's defaults, without the planner's serving model:
    /// - a replica runs at most min(max_num_seqs = 256, KV sequences) sequences;
    /// - KV sequences = (0.90 × 80 GiB − weights 16.06 GB − ≥ 1 GiB runtime) / (768 tokens × 131,072 B)
    ///   ≈ 590 > 256, so the engine cap binds: at least ⌈4,096 / 256⌉ = 16 GPUs;
    /// - bandwidth does not bind at TPOT 50 ms: one step may read 3.35 TB/s × 50 ms = 167 GB, and 256
    ///   sequences at context 640 read 16.06 + 256 · 640 · 131,072 B = 37.5 GB.
    /// The plan must be within 1.25× of that floor (and not below it).
    func testSeedScenarioTwoIsWithinAQuarterOfTheFloor() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(
            path: repositoryRoot.appendingPathComponent("examples/seed-scenario-2-4096-concurrent.yaml").path, catalog: catalog)
        let gib: Double = 1_073_741_824
        let usable: Double = 0.90 * 80 * gib - 16.06e9 - gib
        let perSequence: Double = 768 * 131_072
        let kvSequences = usable / perSequence
        XCTAssertGreaterThan(kvSequences, 256)
        let floor = (4096.0 / 256).rounded(.up)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        print("SEED-2 GPUs: \(plan.totals.gpus) (floor \(Int(floor)))")
        XCTAssertGreaterThanOrEqual(Double(plan.totals.gpus), floor)
        XCTAssertLessThanOrEqual(Double(plan.totals.gpus), 1.25 * floor)
    }

    /// The fewest GPUs of one type that carry `demand`: min over TP degrees of ⌈demand / capacity⌉ · TP.
    private func fewestGPUs(_ g: CandidateGenerator, _ gpu: GPU, demand: Double) -> Int? {
        [1, 2, 4, 8].compactMap { tp -> Int? in
            guard case .success(let c) = g.evaluate(gpu: gpu, tensorParallel: tp), c.capacityPerReplica > 0 else { return nil }
            return Int((demand / c.capacityPerReplica - 1e-9).rounded(.up)) * tp
        }.min()
    }

    private func generator(
        _ catalog: Catalog, model: String, isl: Int, osl: Int, ttft: Double?, tpot: Double?, unit: DemandUnit
    ) throws -> CandidateGenerator {
        CandidateGenerator(
            model: try XCTUnwrap(catalog.model(model)), weightPrecision: .fp16, kvPrecision: .fp16, engine: .vllm,
            virtualizationOverhead: 0, promptTokens: isl, outputTokens: osl,
            target: SLO(ttftMs: ttft, tpotMs: tpot, e2eMs: nil, percentile: 99), demandUnit: unit,
            calibration: catalog.calibration)
    }

    /// Over random specs (seeded): a GPU at least as good in memory, bandwidth and compute never needs
    /// more GPUs for a rate demand, nor for a concurrency demand whose TTFT target does not bind; more
    /// concurrency never needs fewer; looser targets never need more.
    ///
    /// The better GPU is the H100 SXM given the H200's memory (141 GB) and bandwidth (4.8 TB/s) and
    /// keeping the H100's measured kernel tables, so that it is at least as good in every respect the
    /// model sees (the catalog's H200 is not: AIConfigurator's measured vLLM FP16 GEMMs take 0–15 %
    /// longer on it, docs/kernel-tables.md). Under a concurrency demand with a binding TTFT target a
    /// faster GPU can need more of itself, in the step simulator as in the fast model: its clients
    /// cycle faster and bring more prompts per second (8B, 4,096/64, TP 8, 8 clients: simulated P99
    /// TTFT 160 ms on the H100, 179 ms on the better one; docs/performance-model.md, "Capacity of a
    /// replica"), so the dominance is checked there without the TTFT target.
    func testSizingPropertiesOverRandomSpecs() throws {
        let catalog = try loadShipped()
        let h100 = try XCTUnwrap(catalog.gpu("h100-sxm-80gb")), h200 = try XCTUnwrap(catalog.gpu("h200-sxm-141gb"))
        var better = h100
        better.memoryGiB = h200.memoryGiB
        better.memoryBandwidthGBps = h200.memoryBandwidthGBps
        XCTAssertGreaterThan(better.memoryGiB, h100.memoryGiB)
        XCTAssertGreaterThan(better.memoryBandwidthGBps, h100.memoryBandwidthGBps)
        var rng = SplitMix64(seed: 20261129)
        for trial in 0..<12 {
            let isl = [128, 512, 1024, 2048, 4096][Int(rng.next() % 5)]
            let osl = [64, 256, 512, 1024][Int(rng.next() % 4)]
            let ttft = [150.0, 300, 1000, 5000][Int(rng.next() % 4)]
            let tpot = [20.0, 30, 50, 100][Int(rng.next() % 4)]
            let demand = Double([64, 256, 1024, 4096][Int(rng.next() % 4)])
            let model = trial % 3 == 2 ? "llama-3.1-70b" : "llama-3.1-8b"
            let context = "trial \(trial): \(model) \(isl)/\(osl) TTFT \(ttft) TPOT \(tpot) demand \(demand)"
            let g = try generator(catalog, model: model, isl: isl, osl: osl, ttft: ttft, tpot: tpot, unit: .concurrency)
            let onH100 = fewestGPUs(g, h100, demand: demand)
            let rates = try generator(catalog, model: model, isl: isl, osl: osl, ttft: ttft, tpot: tpot, unit: .requestsPerSecond)
            if let onH100 = fewestGPUs(rates, h100, demand: demand / 16) {
                XCTAssertLessThanOrEqual(try XCTUnwrap(fewestGPUs(rates, better, demand: demand / 16), context), onH100, context + " (rate)")
            }
            let untimed = try generator(catalog, model: model, isl: isl, osl: osl, ttft: nil, tpot: tpot, unit: .concurrency)
            if let onH100 = fewestGPUs(untimed, h100, demand: demand) {
                XCTAssertLessThanOrEqual(try XCTUnwrap(fewestGPUs(untimed, better, demand: demand), context), onH100, context + " (no TTFT target)")
            }
            if let more = fewestGPUs(g, h100, demand: 2 * demand), let onH100 {
                XCTAssertGreaterThanOrEqual(more, onH100, context)
            }
            let looser = try generator(catalog, model: model, isl: isl, osl: osl, ttft: 2 * ttft, tpot: 2 * tpot, unit: .concurrency)
            if let onH100 {
                XCTAssertLessThanOrEqual(try XCTUnwrap(fewestGPUs(looser, h100, demand: demand), context), onH100, context)
            }
        }
    }

    /// A larger budget never costs more: the cheapest plan within a budget B is also within 2B.
    func testALargerBudgetNeverCostsMore() throws {
        let catalog = try loadShipped()
        let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 30))
        for demand in [16, 200] {
            let yaml = """
                model: llama-3.1-8b
                precision: {weights: fp16}
                workload: {prompt_tokens: 512, output_tokens: 256, concurrency: \(demand)}
                slo: {ttft_ms: 500, tpot_ms: 50, percentile: 99}
                """
            let unlimited = solver.solve(try SpecLoader.parse(yaml: yaml, catalog: catalog), catalog: catalog)
            XCTAssertEqual(unlimited.status, .optimal)
            let budget = unlimited.totals.capexUSD * 1.01
            let within = solver.solve(try SpecLoader.parse(yaml: yaml + "\nbudget: {capex_usd: \(Int(budget))}", catalog: catalog), catalog: catalog)
            let doubled = solver.solve(try SpecLoader.parse(yaml: yaml + "\nbudget: {capex_usd: \(Int(2 * budget))}", catalog: catalog), catalog: catalog)
            XCTAssertEqual(within.totals.capexUSD, unlimited.totals.capexUSD, accuracy: 0.01)
            XCTAssertLessThanOrEqual(doubled.totals.capexUSD, within.totals.capexUSD + 0.01)
        }
    }

    /// `estimate` and `solve` report the same percentile TTFT and TPOT for the same deployment and load:
    /// the plan's predicted latency at its demand equals `estimateServing` on one replica carrying its
    /// share of the clients.
    func testEstimateAndSolveAgree() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.parse(yaml: """
            model: llama-3.1-8b
            precision: {weights: fp16}
            workload: {prompt_tokens: 1024, output_tokens: 256, concurrency: 96}
            slo: {ttft_ms: 1000, tpot_ms: 60, percentile: 99}
            constraints: {gpus: {allow: [h100-sxm-80gb]}}
            """, catalog: catalog)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        let line = try XCTUnwrap(plan.deployments.first)
        let performance = try XCTUnwrap(plan.performance)
        let d = Deployment(
            model: try XCTUnwrap(catalog.model("llama-3.1-8b")), gpu: try XCTUnwrap(catalog.gpu("h100-sxm-80gb")),
            gpuCount: line.gpus, tensorParallel: line.tensorParallel, weightPrecision: .fp16,
            kvPrecision: spec.precision.kvCache, engine: .vllm)
        let e = estimateServing(d, ServingWorkload(promptTokens: 1024, outputTokens: 256, load: .concurrency(96), percentile: 0.99),
                                calibration: catalog.calibration)
        XCTAssertEqual(performance.ttftMs, e.ttftMs, accuracy: 1e-6 * e.ttftMs)
        XCTAssertEqual(performance.tpotMs, e.tpotMs, accuracy: 1e-6 * e.tpotMs)
    }
}
