extension PlanCheck {
    /// GPU and server counts agree between servers, deployments, BOM and totals, and with the pins.
    mutating func checkCounts() {
        let deploymentGPUs = plan.deployments.reduce(0) { $0 + $1.gpus }
        if configurationGPUs != deploymentGPUs {
            fail("gpu_count", "servers hold \(configurationGPUs) GPUs; deployments need \(deploymentGPUs)")
        }
        let bomGPUs = plan.bom.filter { $0.category == .gpu }.reduce(0) { $0 + $1.quantity }
        if bomGPUs != deploymentGPUs { fail("bom_gpus", "the BOM buys \(bomGPUs) GPUs; deployments use \(deploymentGPUs)") }
        if plan.totals.gpus != deploymentGPUs { fail("totals_gpus", "totals say \(plan.totals.gpus) GPUs; deployments use \(deploymentGPUs)") }
        if plan.totals.servers != serverCount { fail("totals_servers", "totals say \(plan.totals.servers) servers; configurations have \(serverCount)") }
        if let pinned = requirements.pins.gpuCount, pinned != deploymentGPUs { fail("pin_gpu_count", "\(deploymentGPUs) GPUs; pinned \(pinned)") }
        if let pinned = requirements.pins.serverCount, pinned != serverCount { fail("pin_server_count", "\(serverCount) servers; pinned \(pinned)") }
    }
}
