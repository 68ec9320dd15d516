import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// `engine: {max_num_seqs: auto}`: each replica's batch cap is what its KV cache holds once the cap's own
/// logits buffer is paid for (``kvHeldBatchCap(_:sequenceTokens:)``), and the plan says what to set.
final class AutoBatchCapTests: XCTestCase {
    private let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))

    /// The cap by brute force: the largest c in 1…2,000 whose breakdown at cap c holds c sequences a rank.
    private func bruteForceCap(_ d: Deployment, sequenceTokens: Int) -> Int {
        let ranks = d.engineSettings.attentionRanks(tensorParallel: d.tensorParallel)
        var best = 1
        for cap in 1...2_000 {
            var capped = d
            capped.engineSettings.maxBatch = cap
            if memoryBreakdown(capped, sequenceTokens: sequenceTokens).kvSequences >= cap * ranks { best = cap }
        }
        return best
    }

    /// Seed scenario 2's deployment (8B FP16 on one H100, vLLM, 512 + 256 tokens): by hand, (0.90 × 79.65 GiB
    /// − 14.96 GiB of weights − 1 to 3 GiB of runtime, activations and logits) / (768 × 131,072 B = 0.09375 GiB)
    /// = 573–594 sequences (`ReplicaLimitTests`); the bisection equals the brute force there, on Qwen3-235B-A22B
    /// at TP 8 with data-parallel attention (a cap per GPU, eight ranks), and on an L40S.
    func testTheCapIsWhatTheKVCacheHolds() throws {
        let catalog = try loadShipped()
        func deployment(_ model: String, _ gpu: String, tp: Int, _ precision: Precision, _ engine: EngineProfile, dp: Bool = false) throws -> Deployment {
            Deployment(
                model: try XCTUnwrap(catalog.model(model)), gpu: try XCTUnwrap(catalog.gpu(gpu)), gpuCount: tp, tensorParallel: tp,
                weightPrecision: precision, kvPrecision: precision.defaultKVCache(on: engine), engine: engine,
                engineSettings: EngineSettings.defaults(for: engine).overriding(expertParallel: dp, attentionDataParallel: dp))
        }
        let h100 = try deployment("deepseek-r1-distill-llama-8b", "h100-sxm-80gb", tp: 1, .fp16, .vllm)
        let cap = kvHeldBatchCap(h100, sequenceTokens: 768)
        XCTAssertEqual(Double(cap), 583.5, accuracy: 10.5)
        XCTAssertEqual(cap, bruteForceCap(h100, sequenceTokens: 768))
        let moe = try deployment("qwen3-235b-a22b", "h200-sxm-141gb", tp: 8, .fp8, .trtllm, dp: true)
        XCTAssertEqual(kvHeldBatchCap(moe, sequenceTokens: 2000), bruteForceCap(moe, sequenceTokens: 2000))
        let l40s = try deployment("llama-3.1-8b", "l40s-48gb", tp: 1, .fp16, .sglang)
        XCTAssertEqual(kvHeldBatchCap(l40s, sequenceTokens: 4096), bruteForceCap(l40s, sequenceTokens: 4096))
    }

    /// Seed scenario 2 on vLLM with `max_num_seqs: auto`: vLLM's default cap of 256 no longer sizes the plan
    /// (16 H100 at 256 a replica); each replica may run what its KV cache holds and the P99 TPOT target binds
    /// instead — the same plan as the spec with that cap written in, which the Buy line and JSON name.
    func testSeedScenarioTwoWithTheCapLeftToThePlanner() throws {
        let catalog = try loadShipped()
        let path = repositoryRoot.appendingPathComponent("examples/seed-scenario-2-4096-concurrent.yaml").path
        let base = try SpecLoader.load(path: path, catalog: catalog)
        let defaults = solver.solve(base, catalog: catalog)
        let auto = solver.solve(try base.setting("engine.max_num_seqs", to: "auto"), catalog: catalog)
        XCTAssertEqual(auto.status, .optimal)
        let line = try XCTUnwrap(auto.deployments.first)
        let cap = try XCTUnwrap(line.maxNumSeqs)
        XCTAssertEqual(Double(cap), 583.5, accuracy: 10.5)
        XCTAssertLessThan(auto.totals.gpus, defaults.totals.gpus)
        guard case .latencyTarget = line.capacityLimit else { return XCTFail("\(String(describing: line.capacityLimit))") }
        let written = solver.solve(try base.setting("engine.max_num_seqs", to: "\(cap)"), catalog: catalog)
        XCTAssertEqual(written.totals.gpus, auto.totals.gpus)
        XCTAssertEqual(written.totals.capexUSD, auto.totals.capexUSD, accuracy: 0.01)
        XCTAssertEqual(written.deployments.first?.capacityPerReplica, line.capacityPerReplica)
        XCTAssertNil(written.deployments.first?.maxNumSeqs)
        XCTAssertTrue(PlanSummary.buy(auto)[0].hasSuffix(", engine max_num_seqs \(cap) (what its KV cache holds)"), PlanSummary.buy(auto)[0])
        XCTAssertTrue(JSONPlanRenderer().render(auto).contains("\"max_num_seqs\" : \(cap)"))
        XCTAssertFalse(JSONPlanRenderer().render(defaults).contains("\"max_num_seqs\""))
    }

    /// `auto` in a spec and a sweep; anything else that is not a whole number in range is an error naming `auto`.
    func testParsingAuto() throws {
        let spec = try SpecLoader.parse(yaml: minimalSpec + "\nengine: {name: vllm, max_num_seqs: auto}\n")
        XCTAssertTrue(spec.engineOverrides.autoMaxNumSeqs)
        XCTAssertNil(spec.engineOverrides.maxNumSeqs)
        XCTAssertEqual(spec.engineSettings.maxBatch, 256)
        let fixed = try spec.setting("engine.max_num_seqs", to: "512")
        XCTAssertFalse(fixed.engineOverrides.autoMaxNumSeqs)
        XCTAssertEqual(fixed.engineSettings.maxBatch, 512)
        XCTAssertTrue(try fixed.setting("engine.max_num_seqs", to: "auto").engineOverrides.autoMaxNumSeqs)
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nengine: {name: vllm, max_num_seqs: lots}\n"),
                       ["spec.yaml:3:36: engine.max_num_seqs: must be a whole number from 1 to 1000000, or auto (got 'lots')"])
        XCTAssertThrowsError(try spec.setting("engine.max_num_seqs", to: "many")) { error in
            XCTAssertEqual(error as? SpecSettingError, .invalidValue(
                key: "engine.max_num_seqs", value: "many", expected: "a whole number from 1 to 1000000, none or auto"))
        }
    }
}
