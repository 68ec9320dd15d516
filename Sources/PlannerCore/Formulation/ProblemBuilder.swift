import Foundation

/// A spec and a catalog turned into what the optimizer needs: the problem (candidates, allowed
/// catalog entries, requirements) and the context for reporting.
public struct PlanningInput: Sendable {
    public var problem: PlanningProblem
    public var context: PlanContext
    public var spec: Spec
    public var model: ModelArchitecture
    /// The performance model as the candidates were built, for predictions at other loads.
    public var generator: CandidateGenerator
}

/// Builds a ``PlanningInput`` from a validated spec and catalog: applies allow/deny lists, the
/// bandwidth rule and pins to the catalog, runs the performance model for every GPU and TP degree,
/// and derives the storage, network, power and facility requirements.
public enum ProblemBuilder {
    /// Tensor-parallel degrees tried: within one 8-GPU NVLink domain.
    public static let tensorParallelDegrees = [1, 2, 4, 8]

    /// Builds the whole input: candidates for every GPU the spec allows.
    public static func build(spec: Spec, catalog: Catalog) -> PlanningInput {
        let scope = scope(spec: spec, catalog: catalog)
        return scope.input(for: scope.gpus)
    }

    /// Everything but the candidates: the GPUs and catalog entries the spec allows (dominated ones
    /// dropped), the requirements and the performance model set up for the spec.
    public static func scope(spec: Spec, catalog: Catalog) -> PlanningScope {
        let constraints = spec.constraints
        let pin = spec.pin
        guard let model = catalog.models.first(where: { $0.id == spec.modelID }) else {
            preconditionFailure("SpecLoader.check guarantees the model exists")
        }
        var warnings: [String] = []
        let office = spec.site == .office
        let allowedServers = catalog.servers.filter {
            (pin.server.map($0.id.elementsEqual) ?? true) && $0.sites.contains(spec.site) && constraints.permits($0.id, as: .servers)
        }
        // Engine support: GPUs the engine does not run on are never candidates, nor GPUs without the
        // tensor path the weights need (NVFP4). Owned GPUs of one type and no mixing: what is bought
        // matches them.
        let ownedGPUs = Set(spec.existing.servers.map(\.gpuID))
        let allowedGPUs = catalog.gpus(catalog.gpus, runnableBy: spec.engine).filter { gpu in
            gpu.runs(weights: spec.precision.weights)
                && (constraints.mixGPUTypes || ownedGPUs.isEmpty || ownedGPUs.contains(gpu.id))
                && constraints.gpus.permits(gpu.id)
                && (constraints.minMemoryBandwidthGBps.map { gpu.memoryBandwidthGBps >= $0 } ?? true)
                && (pin.gpu.map { $0 == gpu.id } ?? true)
        }
        // Presolve: entries another entry beats in every respect never appear in an optimal plan.
        let gpus = Dominance.undominatedGPUs(allowedGPUs, servers: allowedServers)
        let servers = Dominance.undominatedServers(allowedServers, gpus: gpus)
        let degrees = tensorParallelDegrees.filter { tp in
            (constraints.maxTensorParallel.map { tp <= $0 } ?? true) && (pin.tensorParallel.map { $0 == tp } ?? true)
        }
        let demandUnit: DemandUnit
        let baseDemand: Double
        switch spec.workload.load {
        case let .concurrency(n):
            demandUnit = .concurrency
            baseDemand = Double(n)
        case let .requestsPerSecond(rate):
            demandUnit = .requestsPerSecond
            baseDemand = rate
        case .maximumThroughput:
            demandUnit = .requestsPerSecond
            baseDemand = 0
        }
        let target = SLO(ttftMs: spec.slo.ttftMs, tpotMs: spec.slo.tpotMs, e2eMs: spec.slo.e2eMs, percentile: spec.slo.percentile)
        let generator = CandidateGenerator(
            model: model, weightPrecision: spec.precision.weights, kvPrecision: spec.precision.kvCache,
            engine: spec.engine, engineSettings: spec.engineSettings,
            layouts: spec.parallelLayouts(mixtureOfExperts: model.moe != nil), batchCapFromMemory: spec.engineOverrides.autoMaxNumSeqs,
            virtualizationOverhead: constraints.virtualizationOverhead,
            promptTokens: spec.workload.promptTokens, outputTokens: spec.workload.outputTokens,
            target: target, demandUnit: demandUnit, tensorParallelDegrees: degrees, calibration: catalog.calibration
        )

        if constraints.virtualizationOverhead > 0 {
            warnings.append(String(
                format: "virtualization overhead of %.0f%% is applied to every throughput figure (the seed guide quotes 15–30%% for VMware-class hypervisors)",
                constraints.virtualizationOverhead * 100
            ))
        }
        if model.mla != nil {
            // docs/performance-model.md, "One engine step": the only measured sweeps of such a model (dstack's
            // DeepSeek-R1 runs of February 2025, DSTACK-R1) ran 33–84 % slower per token than the model.
            warnings.append("\(model.id) uses multi-head latent attention, which the step model times as dense attention of its latent width; the only measured sweeps of it (dstack, February 2025, DeepSeek-R1 on 8 × H200 and 8 × MI300X) ran 33–84 % slower per token than this model predicts: treat its latencies and capacity as optimistic and benchmark before buying")
        }
        let overrides = spec.engineOverrides
        if overrides.expertParallel == .fixed(true) && model.moe == nil {
            warnings.append("engine.expert_parallel is set, but \(model.id) has no experts: it changes nothing")
        }
        if spec.choosesParallelLayout && model.moe == nil {
            warnings.append("engine.expert_parallel / engine.attention_dp: auto chooses a layout for a mixture of experts only; \(model.id) is dense, so it is planned in the engines' default layout")
        }
        for replacement in catalog.replacements.sorted(by: { $0.id < $1.id }) {
            warnings.append("catalog entry \(replacement.id) (\(replacement.kind.rawValue)) comes from overlay \(replacement.overlayFile), replacing \(replacement.replacedFile)")
        }

        let checkpointGB = Self.checkpointGB(model, precision: spec.precision.weights)
        // A redundancy the spec sets for every chassis can rule some out (n+1 in a one-bay tower): say so,
        // since no constraint of the program is tight for a chassis it never offers. Only chassis whose
        // GPUs could hold the weights are named (a 70B model never fits the 2-GPU tower anyway).
        if let redundancy = constraints.psuRedundancy, redundancy != .none {
            let ruledOut = servers.filter { server in
                let gpuGB = gpus.filter(server.accepts).map { $0.memoryGiB * 1.073_741_824 }.max() ?? 0
                return Double(server.gpuSlots) * gpuGB >= checkpointGB && !catalog.psus.contains { psu in
                    server.compatiblePSUs.contains(psu.id) && constraints.permits(psu.id, as: .psus)
                        && (1...max(server.psuBays, 1)).contains { redundancy.usableWatts(count: $0, capacityWatts: psu.capacityWatts) > 0 }
                }
            }.map(\.id)
            if !ruledOut.isEmpty {
                warnings.append("constraints.psu_redundancy \(redundancy.rawValue) rules out \(ruledOut.joined(separator: ", ")): no PSU set its bays hold delivers power with a supply failed (without psu_redundancy, desk-side and one-bay chassis default to none)")
            }
        }
        let storage = StorageRequirement(
            capacityGB: checkpointGB * Double(constraints.storage.checkpointsKept) + constraints.storage.osReserveGB,
            readGBps: checkpointGB / max(constraints.storage.modelLoadSeconds, 1e-3),
            readIOPS: constraints.storage.minIOPS,
            faultTolerance: constraints.storage.minFaultTolerance
        )
        let objective: PlanObjective = spec.objective == .minTCO
            ? .minimumTCO(years: spec.tco.years, electricityUSDPerKWh: spec.tco.electricityUSDPerKWh, pue: spec.tco.pue)
            : .minimumCapex
        var requirements = Requirements(
            demand: baseDemand * (1 + constraints.growthHeadroom),
            spareReplica: constraints.replicaRedundancy == .nPlus1,
            budgetUSD: spec.budget.capexUSD,
            objective: objective,
            allowMixedGPUTypes: constraints.mixGPUTypes,
            psuRedundancy: constraints.psuRedundancy,
            storage: storage,
            network: NetworkRequirement(fabrics: constraints.network.fabric.fabric.map { [$0] } ?? Fabric.allCases),
            rackPowerLimitKW: constraints.rackPowerKW,
            coolingMethods: constraints.cooling.method.map { [$0] } ?? CoolingMethod.allCases,
            pins: Pins(
                gpuCount: pin.gpuCount, serverCount: pin.serverCount, psusPerServer: pin.psusPerServer,
                dimmsPerServer: pin.dimmsPerServer, ssdsPerServer: pin.ssdsPerServer, raidLevel: pin.raidLevel,
                nicsPerServer: pin.nicsPerServer
            )
        )
        let reused = OwnedHardware.reuse(spec.existing, catalog: catalog, generator: generator, degrees: degrees)
        requirements.ownedCapacity = reused.reduce(0) { $0 + $1.capacity }
        requirements.demand = max(requirements.demand - requirements.ownedCapacity, 0)
        requirements.site = spec.site
        requirements.socketWatts = constraints.socketWatts
        requirements.uniformServers = constraints.uniformServers
        requirements.ownedItems = spec.existing.itemCounts
        // Energy for the load stated today (growth is capacity bought ahead), less what owned servers carry.
        requirements.energy = EnergyWorkload(
            outputTokens: spec.workload.outputTokens,
            load: baseDemand > 0 ? max(baseDemand - requirements.ownedCapacity, 0) : nil
        )
        /// Entries of `kind` the allow/deny lists permit and the pin (if any) names.
        func allowed<T>(_ items: [T], _ kind: CatalogKind, pinned: String? = nil, id: (T) -> String) -> [T] {
            items.filter { constraints.permits(id($0), as: kind) && (pinned.map(id($0).elementsEqual) ?? true) }
        }
        let problem = PlanningProblem(
            candidates: [],
            servers: servers,
            dimms: allowed(catalog.dimms, .dimms, pinned: pin.dimm, id: \.id),
            ssds: allowed(catalog.ssds, .ssds, pinned: pin.ssd, id: \.id),
            nics: allowed(catalog.nics, .nics, pinned: pin.nic, id: \.id),
            switches: allowed(catalog.switches, .switches, id: \.id),
            cables: allowed(catalog.cables, .cables, id: \.id),
            psus: allowed(catalog.psus, .psus, pinned: pin.psu, id: \.id),
            // An office buys no racks, rack PDUs or room cooling.
            pdus: office ? [] : allowed(catalog.pdus, .pdus, id: \.id),
            cooling: office ? [] : allowed(catalog.cooling, .cooling, id: \.id),
            racks: office ? [] : allowed(catalog.racks, .racks, pinned: pin.rack, id: \.id),
            requirements: requirements
        )
        var problemWithIncludes = problem
        for server in servers { problemWithIncludes.includedParts[server.id] = IncludedParts.resolve(server, catalog: catalog) }
        var context = PlanContext(
            specName: spec.name, target: target, demandUnit: demandUnit, weightPrecision: spec.precision.weights,
            kvPrecision: spec.precision.kvCache, warnings: warnings, bandwidthWarningGBps: SeedRules.memoryBandwidthWarningGBps
        )
        // Hopper is the reference the engine constants were fitted on; other families have
        // measurements only where the table holds their factors (CalibrationTable.factors(for:)).
        context.growthHeadroom = constraints.growthHeadroom
        context.mixtureOfExperts = model.moe != nil ? model.id : nil
        context.choosesParallelLayout = spec.choosesParallelLayout
        context.site = spec.site
        context.reused = reused
        context.priceReferenceDate = PriceAge.referenceDate(of: catalog)
        context.priceReferenceSource = PriceAge.referenceSource(of: catalog)
        context.calibratedFamilies = Set(catalog.calibration.families.keys).union([.hopper])
        context.gpusWithKernelCurves = Set(catalog.calibration.kernels?.coverage.map(\.gpu) ?? [])
        return PlanningScope(problem: problemWithIncludes, context: context, spec: spec, model: model, generator: generator, gpus: gpus)
    }
}

extension ProblemBuilder {
    /// The checkpoint the SSD array holds and loads: the weights as the GPUs load them, layers at
    /// the precision's bytes per weight (int4 with its group scales) and the embedding and LM head
    /// at 16 bit (quantised checkpoints keep both at 16 bit; ``Precision/embeddingBytes``).
    static func checkpointGB(_ model: ModelArchitecture, precision: Precision) -> Double {
        let footprint = ModelFootprint(model)
        return (footprint.layerParams * precision.bytesPerWeight
            + (footprint.embeddingParams + footprint.lmHeadParams) * precision.embeddingBytes) / 1e9
    }
}

/// A spec's planning input before the performance model has run: ``input(for:)`` adds the
/// candidates of some of its GPUs.
public struct PlanningScope: Sendable {
    /// The problem with no candidates yet.
    public var problem: PlanningProblem
    public var context: PlanContext
    public var spec: Spec
    public var model: ModelArchitecture
    public var generator: CandidateGenerator
    /// GPUs the spec allows, dominated ones dropped, sorted by id.
    public var gpus: [GPU]

    /// The input with the candidates (and rejections) of `gpus`.
    public func input(for gpus: [GPU]) -> PlanningInput {
        let (candidates, rejections) = generator.candidates(for: gpus)
        var problem = problem
        problem.candidates = candidates
        var context = context
        context.rejections = rejections
        return PlanningInput(problem: problem, context: context, spec: spec, model: model, generator: generator)
    }
}
