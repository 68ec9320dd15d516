extension PlanCheck {
    /// Each deployment is a serving candidate whose replicas fit in VRAM and meet the SLO; the
    /// replicas (less a spare per deployment when asked) carry the demand; one GPU type unless mixing is allowed.
    mutating func checkDeployments() {
                for deployment in plan.deployments {
            guard let candidate = problem.candidates.first(where: { $0.gpu.id == deployment.gpuID && $0.tensorParallel == deployment.tensorParallel }) else {
                fail("unknown_candidate", "\(deployment.gpuID) at TP \(deployment.tensorParallel) is not a serving candidate")
                continue
            }
            deploymentCandidates.append(candidate)
            if deployment.replicas < 1 { fail("deployment_replicas", "\(candidate.key) has \(deployment.replicas) replicas") }
            if deployment.gpus != deployment.replicas * deployment.tensorParallel {
                fail("deployment_gpus", "\(candidate.key): \(deployment.gpus) GPUs for \(deployment.replicas) replicas of TP \(deployment.tensorParallel)")
            }
            if candidate.memoryUsedPerGPUGiB > candidate.gpu.memoryGiB + tolerance {
                fail("vram", "\(candidate.key) uses \(n(candidate.memoryUsedPerGPUGiB)) GiB per GPU; \(candidate.gpu.id) has \(n(candidate.gpu.memoryGiB)) GiB")
            }
            if let ttft = target.ttftMs, candidate.ttftMs > ttft * (1 + tolerance) {
                fail("slo_ttft", "\(candidate.key) predicts TTFT \(n(candidate.ttftMs)) ms; target \(n(ttft)) ms")
            }
            if let tpot = target.tpotMs, candidate.tpotMs > tpot * (1 + tolerance) {
                fail("slo_tpot", "\(candidate.key) predicts TPOT \(n(candidate.tpotMs)) ms; target \(n(tpot)) ms")
            }
        }
        if plan.deployments.isEmpty { fail("at_least_one_replica", "the plan deploys no replica") }
        let served = zip(plan.deployments, deploymentCandidates).reduce(0.0) { total, pair in
            total + pair.1.capacityPerReplica * Double(pair.0.replicas - (requirements.spareReplica ? 1 : 0))
        }
        if !atLeast(served, requirements.demand) {
            fail("demand", "capacity \(n(served))\(requirements.spareReplica ? " with one replica per deployment down" : "") < demand \(n(requirements.demand))")
        }
        let gpuTypes = Set(plan.deployments.map(\.gpuID))
        if !requirements.allowMixedGPUTypes && gpuTypes.count > 1 {
            fail("gpu_types", "\(gpuTypes.count) GPU types (\(gpuTypes.sorted().joined(separator: ", "))) but mixing is not allowed")
        }
    }
}
