extension PlanCheck {
    /// A server's GPUs: within its slots, of a form factor and cooling it takes, a count it is sold
    /// with, and a whole number of tensor-parallel groups of a deployment of that GPU. Returns the
    /// candidates whose groups fit the server (host memory is sized from them).
    mutating func checkGPUs(_ unit: ServerUnderCheck) -> [ServingCandidate] {
        let label = unit.label, server = unit.server, gpu = unit.gpu, perServerGPUs = unit.perServerGPUs
        // GPUs: slots, form factor, TP groups within the server.
        if perServerGPUs < 1 || perServerGPUs > server.gpuSlots {
            fail("gpu_slots", "\(label): \(perServerGPUs) GPUs in \(server.gpuSlots) slots")
        }
        if !server.gpuFormFactors.contains(gpu.formFactor) || !(server.compatibleGPUs.map { $0.contains(gpu.id) } ?? true) {
            fail("gpu_fit", "\(label): \(gpu.id) (\(gpu.formFactor.rawValue)) does not fit \(server.id)")
        } else if !server.gpuCooling.contains(gpu.cooling) {
            fail("gpu_cooling", "\(label): \(gpu.id) is \(gpu.cooling.rawValue)-cooled; \(server.id) supports \(server.gpuCooling.map(\.rawValue).joined(separator: ", ")) cards")
        }
        if perServerGPUs >= 1 && perServerGPUs <= server.gpuSlots && !server.allowsGPUCount(perServerGPUs) {
            fail("gpu_count", "\(label): \(perServerGPUs) GPUs; \(server.id) is sold with \(server.gpuCounts.map(String.init).joined(separator: ", ")) (a whole baseboard)")
        }
        let candidates = plan.deployments.filter { $0.gpuID == gpu.id }.compactMap { deployment in
            problem.candidates.first { $0.gpu.id == gpu.id && $0.tensorParallel == deployment.tensorParallel }
        }
        let fitting = candidates.filter { $0.tensorParallel > 0 && perServerGPUs % $0.tensorParallel == 0 }
        if fitting.isEmpty {
            fail("tp_within_server", "\(label): \(perServerGPUs) GPUs is not a whole number of TP groups of any deployment of \(gpu.id) (TP \(candidates.map { String($0.tensorParallel) }.joined(separator: ", ")))")
        }

        return fitting
    }
}
