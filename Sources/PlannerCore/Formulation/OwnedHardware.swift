/// What owned servers (`existing:`) contribute: the load they carry, from the same performance model
/// as the candidates. The plan is then sized for the rest of the demand.
enum OwnedHardware {
    /// Each owned entry at its best tensor-parallel degree: for TP t among `degrees` dividing the
    /// GPUs per server, capacity = count · (GPUs per server / t) · (load one replica carries at t);
    /// the largest is kept. Entries whose GPU cannot serve the model at any degree carry nothing.
    static func reuse(_ existing: ExistingHardware, catalog: Catalog, generator: CandidateGenerator, degrees: [Int]) -> [ReusedServers] {
        existing.servers.compactMap { owned in
            guard let gpu = catalog.gpu(owned.gpuID), let server = catalog.server(owned.serverID) else { return nil }
            var best: (tp: Int, capacity: Double)?
            for tp in degrees.sorted() where tp >= 1 && owned.gpusPerServer % tp == 0 {
                guard case let .success(candidate) = generator.evaluate(gpu: gpu, tensorParallel: tp) else { continue }
                let capacity = Double(owned.count * (owned.gpusPerServer / tp)) * candidate.capacityPerReplica
                if capacity > (best?.capacity ?? 0) * 1.000_001 { best = (tp, capacity) }
            }
            return ReusedServers(
                owned: owned, tensorParallel: best?.tp ?? 0, capacity: best?.capacity ?? 0,
                peakPowerWatts: server.powerWatts + Double(owned.gpusPerServer) * gpu.powerWatts
            )
        }
    }
}
