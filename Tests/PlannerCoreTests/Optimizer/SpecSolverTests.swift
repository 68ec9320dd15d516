import LinearModel
import XCTest
@testable import PlannerCore

/// The planner end to end on the shipped catalog: plans are re-checked, infeasible specs are
/// explained in the user's terms.
final class SpecSolverTests: XCTestCase {
    let solver = SpecSolver(options: SolveOptions(timeLimitSeconds: 30))

    /// Every example's plan passes the independent checker, and its BOM adds up to its capex.
    func testEveryExamplePlanPassesThePlanChecker() throws {
        let names = ["b200-nvfp4-70b", "chat-8b", "llama-70b", "multi-rack-cluster", "pinned-70b", "rag-long-context",
                     "seed-scenario-1-rtx4090", "seed-scenario-2-4096-concurrent", "startup-budget"]
        for name in names {
            let (spec, catalog) = try example(name)
            let input = ProblemBuilder.build(spec: spec, catalog: catalog)
            let plan = solver.solve(spec, catalog: catalog)
            XCTAssertEqual(plan.status, .optimal, name)
            XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [], name)
            XCTAssertEqual(plan.bom.reduce(0) { $0 + $1.extendedPriceUSD }, plan.totals.capexUSD, accuracy: 0.005, name)
            let performance = try XCTUnwrap(plan.performance, name)
            XCTAssertLessThanOrEqual(performance.ttftMs, performance.ttftAtCapacityMs + 1e-9, name)
            XCTAssertGreaterThanOrEqual(performance.capacity, performance.demand, name)
        }
    }

    /// NVFP4 weights run only on FP4 tensor cores: with every GPU of the catalog permitted, the plan is
    /// B200s (the one GPU with them), at an FP8 KV cache under TensorRT-LLM.
    func testNVFP4PlansBuyOnlyGPUsWithFP4TensorCores() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.parse(yaml: """
            model: llama-3.1-70b
            precision: {weights: fp4}
            engine: trtllm
            workload: {prompt_tokens: 1000, output_tokens: 1000, requests_per_second: 4}
            slo: {ttft_ms: 2000, tpot_ms: 50}
            """, catalog: catalog)
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(Set(input.problem.candidates.map(\.gpu.id)), ["b200-180gb"])
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .optimal)
        XCTAssertEqual(Set(plan.deployments.map(\.gpuID)), ["b200-180gb"])
        XCTAssertEqual(PlanChecker(problem: input.problem, target: input.context.target).violations(of: plan), [])
    }

    /// A model with multi-head latent attention (DeepSeek-R1) carries the warning that its only measured
    /// sweeps ran slower than the model predicts; a model without it does not.
    func testLatentAttentionModelsWarnThatTheyAreUnvalidated() throws {
        let catalog = try loadShipped()
        func warnings(_ model: String) throws -> [String] {
            let spec = try SpecLoader.parse(yaml: "model: \(model)\nprecision: {weights: fp8}\nworkload: {prompt_tokens: 1000, output_tokens: 500, requests_per_second: 1}\n", catalog: catalog)
            return ProblemBuilder.scope(spec: spec, catalog: catalog).context.warnings
        }
        let r1 = try warnings("deepseek-r1")
        XCTAssertTrue(r1.contains { $0.hasPrefix("deepseek-r1 uses multi-head latent attention") && $0.contains("33–84 % slower per token") }, "\(r1)")
        XCTAssertFalse(try warnings("llama-3.1-70b").contains { $0.contains("latent attention") })
    }

    /// A spec that lays a mixture of experts out expert-parallel with data-parallel attention buys replicas
    /// sized for that layout, and the plan says so on the deployment line and in JSON, with the warning that
    /// the layout has one measured source; set on a dense model, it changes nothing and says so.
    func testAnExpertParallelPlanSaysHowToDeployIt() throws {
        let catalog = try loadShipped()
        func plan(_ model: String, _ engine: String) throws -> Plan {
            let spec = try SpecLoader.parse(yaml: """
                model: \(model)
                precision: {weights: fp8}
                engine: \(engine)
                workload: {prompt_tokens: 1000, output_tokens: 1000, concurrency: 2048}
                slo: {ttft_ms: 3000, tpot_ms: 100, percentile: 99}
                constraints: {gpus: {allow: [h200-sxm-141gb]}}
                """, catalog: catalog)
            return solver.solve(spec, catalog: catalog)
        }
        let laidOut = try plan("qwen3-235b-a22b", "{name: trtllm, expert_parallel: true, attention_dp: true}")
        let line = try XCTUnwrap(laidOut.deployments.first)
        XCTAssertGreaterThan(line.tensorParallel, 1)
        XCTAssertTrue(line.expertParallel && line.attentionDataParallel)
        XCTAssertTrue(PlanSummary.buy(laidOut)[0].contains("at tensor parallel \(line.tensorParallel) (experts expert-parallel, attention data-parallel), fp8 weights"),
                      PlanSummary.buy(laidOut)[0])
        XCTAssertTrue(laidOut.warnings.contains { $0.hasPrefix("replicas sized with experts expert-parallel or attention data-parallel") })
        let json = JSONPlanRenderer().render(laidOut)
        XCTAssertTrue(json.contains("\"expert_parallel\" : true") && json.contains("\"attention_dp\" : true"), json)
        let plain = try plan("qwen3-235b-a22b", "trtllm")
        XCTAssertFalse(plain.deployments.contains { $0.expertParallel || $0.attentionDataParallel })
        XCTAssertFalse(plain.warnings.contains { $0.hasPrefix("replicas sized with experts expert-parallel") })
        XCTAssertFalse(PlanSummary.buy(plain)[0].contains("expert-parallel"))
        // The engines' default layout at TP > 1 says what the other layout would do, and how to price it.
        let tp = try XCTUnwrap(plain.deployments.first).tensorParallel
        XCTAssertGreaterThan(tp, 1)
        XCTAssertTrue(plain.warnings.contains { $0.hasPrefix("qwen3-235b-a22b's experts are sharded over each replica's \(tp) GPUs, the engines' default") },
                      "\(plain.warnings)")
        XCTAssertFalse(laidOut.warnings.contains { $0.contains("experts are sharded") })
        let dense = try plan("llama-3.1-70b", "{name: trtllm, expert_parallel: true}")
        XCTAssertTrue(dense.warnings.contains("engine.expert_parallel is set, but llama-3.1-70b has no experts: it changes nothing"), "\(dense.warnings)")
        XCTAssertFalse(dense.deployments.contains { $0.expertParallel })
    }

    /// The seed's scenario 1 pins one RTX 4090: the plan is that one GPU in one workstation, and
    /// its per-token latency is far below the guide's 100 ms.
    func testSeedScenarioOneIsOneRTX4090Box() throws {
        let (spec, catalog) = try example("seed-scenario-1-rtx4090")
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.totals.gpus, 1)
        XCTAssertEqual(plan.totals.servers, 1)
        XCTAssertEqual(plan.deployments.map(\.gpuID), ["rtx-4090-24gb"])
        XCTAssertLessThan(try XCTUnwrap(plan.performance).tpotMs, 20)
    }

    /// A budget below the cheapest build: infeasible, and the diagnosis names the cheapest cost
    /// (the same spec solved without the budget) and the budget.
    func testOverBudgetSpecSaysWhatTheTargetsCost() throws {
        var (spec, catalog) = try example("chat-8b")
        let cheapest = solver.solve(spec, catalog: catalog).totals.capexUSD
        spec.budget.capexUSD = 5_000
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertEqual(plan.bom, [])
        XCTAssertEqual(plan.diagnosis.first,
                       "the cheapest build that meets P99 TTFT ≤ 500 ms and P99 TPOT ≤ 50 ms for the demand costs \(Format.usd(cheapest)); budget is $5,000")
    }

    /// A TPOT no GPU reaches: the diagnosis names the best GPU and its latency at the lightest load.
    func testUnreachableTPOTNamesTheBestGPU() throws {
        var (spec, catalog) = try example("chat-8b")
        spec.slo.tpotMs = 1
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(input.problem.candidates, [])
        let best = input.context.rejections.compactMap { rejection -> (String, Int, Double)? in
            if case let .sloMissedAtLightestLoad(_, tpot, _) = rejection.reason { return (rejection.gpu.id, rejection.tensorParallel, tpot) }
            return nil
        }.min { $0.2 < $1.2 }!
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertEqual(plan.diagnosis.first, String(
            format: "no GPU in the catalog meets P99 TPOT ≤ 1 ms even at the lightest load (best: %@ at TP %d, %.1f ms)", best.0, best.1, best.2))
        XCTAssertTrue(best.2 > 1 && best.2 < 10, "the best TPOT is a few ms: \(best.2)")
    }

    /// A TTFT no GPU reaches — 39 ms, below vLLM's fitted request overhead of 40 ms in the shipped
    /// constants, which no GPU can buy back: the diagnosis names the best GPU, its TTFT at the lightest load
    /// and how much of it is that overhead.
    func testUnreachableTTFTNamesTheRequestOverhead() throws {
        var (spec, catalog) = try example("chat-8b")
        spec.slo.ttftMs = 39
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        XCTAssertEqual(input.problem.candidates, [])
        let best = input.context.rejections.compactMap { rejection -> (String, Int, Double, Double)? in
            if case let .sloMissedAtLightestLoad(ttft, _, overhead) = rejection.reason { return (rejection.gpu.id, rejection.tensorParallel, ttft, overhead) }
            return nil
        }.min { $0.2 < $1.2 }!
        XCTAssertEqual(best.3, 40)
        XCTAssertGreaterThan(best.2, 40)
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertTrue(plan.diagnosis.contains(String(
            format: "no GPU in the catalog meets P99 TTFT ≤ 39 ms even at the lightest load (best: %@ at TP %d, %.1f ms, 40.0 ms of it the engine's request overhead, a calibration constant)",
            best.0, best.1, best.2)), "\(plan.diagnosis)")
    }

    /// A pinned build whose PSUs cannot carry the server: infeasible, and releasing the PSU pins is
    /// named as the way out, with the price of the plan it gives.
    func testPinnedPSUsTooSmallAreNamed() throws {
        var (spec, catalog) = try example("pinned-70b")
        spec.pin.psusPerServer = 2  // 2 × 3,000 W with n+1 leaves 3 kW for a ~10 kW server
        let plan = solver.solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertTrue(plan.diagnosis.contains { $0.hasPrefix("releasing pin.psu / pin.psus_per_server makes it feasible: $") }, "\(plan.diagnosis)")
        XCTAssertFalse(plan.diagnosis.contains(Diagnosis.genericLine), "\(plan.diagnosis)")
    }
}

/// Infeasible specs and time limits answer quickly and name their cause.
final class InfeasibleAndTimeLimitTests: XCTestCase {
    /// A 0.5 kW rack limit is below every server's peak (the smallest, the 2-GPU
    /// workstation, peaks at 250 W base + 2 × 450 W RTX 4090 before its DIMMs and drives): no
    /// server group survives, the diagnosis says a rack is the problem, and lifting the limit is
    /// priced at the chat-8b plan's $16,510 (two L4s; examples table).
    func testRackLimitBelowEveryServerIsNamed() throws {
        var (spec, catalog) = try example("chat-8b")
        spec.constraints.rackPowerKW = 0.5
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let classes = ClusterNetwork.classes(nics: input.problem.nics, switches: input.problem.switches, cables: input.problem.cables, requirement: input.problem.requirements.network)
        XCTAssertEqual(PlanFormulation.makeGroups(problem: input.problem, fabricClasses: classes).count, 0)
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 30)).solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .infeasible)
        XCTAssertTrue(plan.diagnosis.first?.contains("no rack design holds one") == true, "\(plan.diagnosis)")
        XCTAssertTrue(plan.diagnosis.contains("removing constraints.rack_power_kw (0.5 kW) makes it feasible: $16,510 for 2 × l4-24gb"), "\(plan.diagnosis)")
    }

    /// With the limit a little above one workstation's peak, the rack rows still hold for it:
    /// the groups of chassis no rack can hold even with their lightest parts are dropped, the others stay.
    func testRackFitDropsOnlyTheChassisNoRackHolds() throws {
        var (spec, catalog) = try example("chat-8b")
        spec.constraints.rackPowerKW = 3
        let input = ProblemBuilder.build(spec: spec, catalog: catalog)
        let classes = ClusterNetwork.classes(nics: input.problem.nics, switches: input.problem.switches, cables: input.problem.cables, requirement: input.problem.requirements.network)
        let groups = PlanFormulation.makeGroups(problem: input.problem, fabricClasses: classes)
        let efficiency = PlanFormulation.psuEfficiency(input.problem)
        XCTAssertFalse(groups.isEmpty)
        for group in groups {
            let peak = try XCTUnwrap(group.lightestFullServerPeakWatts(rule: input.problem.requirements.hostMemory)) / efficiency
            XCTAssertLessThanOrEqual(peak, 3000, group.key)
        }
        var unlimited = spec
        unlimited.constraints.rackPowerKW = nil
        let all = ProblemBuilder.build(spec: unlimited, catalog: catalog)
        XCTAssertGreaterThan(PlanFormulation.makeGroups(problem: all.problem, fabricClasses: classes).count, groups.count)
    }

    /// A limit too short to find any plan ends with no plan within the limit, not with a program built over
    /// every GPU type after the time is up.
    func testNoTimeLeftGivesTimeLimit() throws {
        let (spec, catalog) = try example("chat-8b")
        let plan = SpecSolver(options: SolveOptions(timeLimitSeconds: 1e-9)).solve(spec, catalog: catalog)
        XCTAssertEqual(plan.status, .noPlanWithinLimit(.time))
        XCTAssertEqual(plan.status.code, "no_plan_within_limit")
        XCTAssertFalse(plan.status.hasPlan)
        XCTAssertEqual(plan.diagnosis, ["no plan was found within the time limit; raise --time-limit"])
    }
}

/// The split by GPU type (types solved cheapest-bound first, the rest skipped by their bound) must
/// find the same optimum as one MILP over every type.
final class GPUTypeSplitTests: XCTestCase {
    func testSplitMatchesOneProgramOverEveryType() throws {
        let catalog = try loadShipped()
        let options = SolveOptions(timeLimitSeconds: 60)
        for name in ["chat-8b", "llama-70b", "multi-rack-cluster", "rag-long-context", "startup-budget"] {
            let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path, catalog: catalog)
            let scope = ProblemBuilder.scope(spec: spec, catalog: catalog)
            let split = try XCTUnwrap(SpecSolver(options: options).solveByGPUType(scope, clock: SolveClock(options)), name)
            let input = scope.input(for: scope.gpus)
            let whole = Optimizer(options: options).solve(input.problem, context: input.context)
            XCTAssertEqual(whole.status, .optimal, name)
            XCTAssertEqual(split.0.objective.value, whole.objective.value, accuracy: 0.01, name)
        }
    }

    /// The same on 24 variations of chat-8b and llama-70b (demand, TPOT target, n+1 replicas, TCO),
    /// where the types' bounds and best plans cross in many orders.
    func testSplitMatchesOneProgramOnVariations() throws {
        let catalog = try loadShipped()
        let options = SolveOptions(timeLimitSeconds: 60)
        var solvedByBoth = 0
        for name in ["chat-8b", "llama-70b"] {
            let base = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path, catalog: catalog)
            for (concurrency, tpot) in [(16, 30.0), (96, 50), (200, 120)] {
                for spare in [ReplicaRedundancy.none, .nPlus1] {
                    for objective in [Objective.minCapex, .minTCO] {
                        var spec = base
                        spec.workload.load = .concurrency(concurrency)
                        spec.slo.tpotMs = tpot
                        spec.constraints.replicaRedundancy = spare
                        spec.objective = objective
                        spec.budget.capexUSD = nil
                        let label = "\(name) c=\(concurrency) tpot=\(tpot) \(spare) \(objective)"
                        let scope = ProblemBuilder.scope(spec: spec, catalog: catalog)
                        let split = SpecSolver(options: options).solveByGPUType(scope, clock: SolveClock(options))
                        let input = scope.input(for: scope.gpus)
                        let whole = Optimizer(options: options).solve(input.problem, context: input.context)
                        guard whole.status == .optimal else {
                            XCTAssertNil(split, label)
                            continue
                        }
                        let plan = try XCTUnwrap(split, label).0
                        XCTAssertEqual(plan.objective.value, whole.objective.value, accuracy: 0.01, label)
                        solvedByBoth += 1
                    }
                }
            }
        }
        XCTAssertGreaterThanOrEqual(solvedByBoth, 20)
    }

    /// Every type bound is a lower bound: no type's own optimum is below it.
    func testTypeBoundsNeverExceedTheTypesOptimum() throws {
        let catalog = try loadShipped()
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/llama-70b.yaml").path, catalog: catalog)
        let scope = ProblemBuilder.scope(spec: spec, catalog: catalog)
        let exact = TypeBound(scope)
        for bound in TypeBound.cheapBounds(scope) {
            let input = scope.input(for: [bound.gpu])
            guard !input.problem.candidates.isEmpty else { continue }
            let plan = Optimizer(options: SolveOptions(timeLimitSeconds: 60)).solve(input.problem, context: input.context)
            guard plan.status == .optimal else { continue }
            XCTAssertLessThanOrEqual(bound.objective, plan.objective.value + 0.01, bound.gpu.id)
            let replicas = input.problem.candidates.map { TypeBound.ReplicaOption(tensorParallel: $0.tensorParallel, capacity: $0.capacityPerReplica) }
            let tighter = try XCTUnwrap(exact.bound(bound.gpu, replicas: replicas))
            XCTAssertLessThanOrEqual(bound.objective, tighter.objective + 0.01, "the exact capacity never loosens the bound")
            XCTAssertLessThanOrEqual(tighter.objective, plan.objective.value + 0.01, bound.gpu.id)
            XCTAssertLessThanOrEqual(tighter.capexUSD, plan.totals.capexUSD + 0.01, bound.gpu.id)
        }
    }
}
