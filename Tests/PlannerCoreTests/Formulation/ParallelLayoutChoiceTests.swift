import LinearModel
import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// `engine: {expert_parallel: auto, attention_dp: auto}`: `solve` sizes each replica of several GPUs of a
/// mixture of experts in every layout the switches allow and keeps the one that carries the most load.
/// Checked by brute force: the same generator restricted to one layout at a time, and the same spec solved
/// once per fixed layout.
final class ParallelLayoutChoiceTests: XCTestCase {
    private let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 60))

    private func spec(_ model: String, engine: String, gpus: String = "[h200-sxm-141gb]", _ catalog: Catalog) throws -> Spec {
        try SpecLoader.parse(yaml: """
            model: \(model)
            precision: {weights: fp8}
            engine: \(engine)
            workload: {prompt_tokens: 1000, output_tokens: 1000, concurrency: 4096}
            slo: {ttft_ms: 3000, tpot_ms: 100, percentile: 99}
            constraints: {gpus: {allow: \(gpus)}}
            """, catalog: catalog)
    }

    private func generator(_ spec: Spec, _ catalog: Catalog, layouts: [ParallelLayout]) throws -> CandidateGenerator {
        CandidateGenerator(
            model: try XCTUnwrap(catalog.model(spec.modelID)), weightPrecision: spec.precision.weights,
            kvPrecision: spec.precision.kvCache, engine: spec.engine, engineSettings: spec.engineSettings, layouts: layouts,
            virtualizationOverhead: 0, promptTokens: spec.workload.promptTokens, outputTokens: spec.workload.outputTokens,
            target: SLO(ttftMs: spec.slo.ttftMs, tpotMs: spec.slo.tpotMs, e2eMs: nil, percentile: spec.slo.percentile),
            demandUnit: .concurrency, calibration: catalog.calibration)
    }

    private static let everyLayout = [false, true].flatMap { ep in
        [false, true].map { ParallelLayout(expertParallel: ep, attentionDataParallel: $0) }
    }

    /// `auto` tries both values of its switch, the engines' default first; a fixed value only itself; a
    /// dense model only the default (no experts to distribute), whatever `auto` asks.
    func testAutoListsEachLayoutTheSwitchesAllow() throws {
        let catalog = try loadShipped()
        let auto = try spec("qwen3-235b-a22b", engine: "{name: trtllm, expert_parallel: auto, attention_dp: auto}", catalog)
        XCTAssertEqual(auto.engineOverrides.expertParallel, .auto)
        XCTAssertTrue(auto.choosesParallelLayout)
        XCTAssertEqual(auto.parallelLayouts(mixtureOfExperts: true), Self.everyLayout)
        XCTAssertFalse(auto.engineSettings.expertParallel || auto.engineSettings.attentionDataParallel)
        let half = try spec("qwen3-235b-a22b", engine: "{name: trtllm, expert_parallel: true, attention_dp: auto}", catalog)
        XCTAssertEqual(half.parallelLayouts(mixtureOfExperts: true), [
            ParallelLayout(expertParallel: true, attentionDataParallel: false), ParallelLayout(expertParallel: true, attentionDataParallel: true),
        ])
        XCTAssertEqual(try spec("qwen3-235b-a22b", engine: "trtllm", catalog).parallelLayouts(mixtureOfExperts: true), [.enginesDefault])
        XCTAssertEqual(auto.parallelLayouts(mixtureOfExperts: false), [.enginesDefault])
        XCTAssertEqual(try auto.setting("engine.expert_parallel", to: "false").engineOverrides.expertParallel, .fixed(false))
        XCTAssertEqual(try half.setting("engine.attention_dp", to: "auto").engineOverrides.attentionDataParallel, .auto)
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nengine: {name: trtllm, expert_parallel: [auto]}\n"),
                       ["spec.yaml:3:41: engine.expert_parallel: must be true, false or auto (got a list)"])
    }

    /// Each (GPU, TP) candidate under `auto` is the best of the four single-layout candidates: the most
    /// load, its latencies, its layout; at TP 1 every layout is one deployment and the default is kept.
    /// Qwen3-235B-A22B at TP 8 on an H200 carries more expert-parallel, as NVIDIA's measured table runs it.
    func testEachReplicaIsSizedInTheLayoutThatCarriesTheMost() throws {
        let catalog = try loadShipped()
        let s = try spec("qwen3-235b-a22b", engine: "{name: trtllm, expert_parallel: auto, attention_dp: auto}", catalog)
        let auto = try generator(s, catalog, layouts: s.parallelLayouts(mixtureOfExperts: true))
        for (gpuID, tp) in [("h200-sxm-141gb", 4), ("h200-sxm-141gb", 8), ("b200-180gb", 4), ("b200-180gb", 8)] {
            let gpu = try XCTUnwrap(catalog.gpu(gpuID))
            let singles = try Self.everyLayout.map { layout in
                (layout, try generator(s, catalog, layouts: [layout]).evaluate(gpu: gpu, tensorParallel: tp).get())
            }
            var best = singles[0]
            for single in singles.dropFirst() where single.1.capacityPerReplica > best.1.capacityPerReplica * 1.000_001 { best = single }
            let chosen = try auto.evaluate(gpu: gpu, tensorParallel: tp).get()
            XCTAssertEqual(chosen.layout, best.0, "\(gpuID) TP \(tp)")
            XCTAssertEqual(chosen.capacityPerReplica, best.1.capacityPerReplica, "\(gpuID) TP \(tp)")
            XCTAssertEqual(chosen.tpotMs, best.1.tpotMs, "\(gpuID) TP \(tp)")
            XCTAssertEqual(auto.capacityUpperBound(gpu: gpu, tensorParallel: tp),
                           try Self.everyLayout.compactMap { try generator(s, catalog, layouts: [$0]).capacityUpperBound(gpu: gpu, tensorParallel: tp) }.max())
            if tp == 8 { XCTAssertTrue(chosen.layout.expertParallel, "\(gpuID) TP 8: \(singles.map { ($0.0, $0.1.capacityPerReplica) })") }
        }
        let one = try auto.evaluate(gpu: XCTUnwrap(catalog.gpu("b200-180gb")), tensorParallel: 1)
        if case let .success(candidate) = one { XCTAssertEqual(candidate.layout, .enginesDefault) }
    }

    /// Solved with `auto`, the plan costs no more than the same spec solved in each fixed layout — the same
    /// as the cheapest where it buys one kind of GPU — and its deployment line names the layout it was sized
    /// in; the hint to price the other layout is gone, the warning that the layout must be deployed stays.
    func testAnAutoPlanIsTheCheapestLayoutsPlan() throws {
        let catalog = try loadShipped()
        let engine = "{name: trtllm, expert_parallel: auto, attention_dp: auto}"
        let auto = solver.solve(try spec("qwen3-235b-a22b", engine: engine, gpus: "[h200-sxm-141gb, b200-180gb]", catalog), catalog: catalog)
        XCTAssertEqual(auto.status, .optimal)
        let fixed = try Self.everyLayout.map { layout in
            let plan = solver.solve(try spec(
                "qwen3-235b-a22b", engine: "{name: trtllm, expert_parallel: \(layout.expertParallel), attention_dp: \(layout.attentionDataParallel)}",
                gpus: "[h200-sxm-141gb, b200-180gb]", catalog), catalog: catalog)
            XCTAssertEqual(plan.status, .optimal, "\(layout)")
            return plan.totals.capexUSD
        }
        let cheapest = try XCTUnwrap(fixed.min())
        XCTAssertLessThanOrEqual(auto.totals.capexUSD, cheapest + 0.01, "\(fixed)")
        if Set(auto.deployments.map(\.gpuID)).count == 1 { XCTAssertEqual(auto.totals.capexUSD, cheapest, accuracy: 0.01, "\(fixed)") }
        XCTAssertLessThan(cheapest, try XCTUnwrap(fixed.first), "the default layout is dearer: \(fixed)")
        let line = try XCTUnwrap(auto.deployments.first)
        XCTAssertTrue(line.expertParallel, "\(auto.deployments)")
        XCTAssertTrue(PlanSummary.buy(auto)[0].contains("(experts expert-parallel"), PlanSummary.buy(auto)[0])
        XCTAssertFalse(auto.warnings.contains { $0.contains("experts are sharded") }, "\(auto.warnings)")
        XCTAssertTrue(auto.warnings.contains { $0.hasPrefix("replicas sized with experts expert-parallel or attention data-parallel") })
        let dense = solver.solve(try spec("llama-3.1-70b", engine: engine, catalog), catalog: catalog)
        XCTAssertTrue(dense.warnings.contains("engine.expert_parallel / engine.attention_dp: auto chooses a layout for a mixture of experts only; llama-3.1-70b is dense, so it is planned in the engines' default layout"),
                      "\(dense.warnings)")
        XCTAssertFalse(dense.deployments.contains { $0.expertParallel || $0.attentionDataParallel })
    }
}
