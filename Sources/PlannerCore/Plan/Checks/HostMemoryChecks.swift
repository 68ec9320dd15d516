extension PlanCheck {
    /// A server's DIMMs: within its slots, in a count its chassis class allows (``ChassisClass/dimmCounts(_:)``), of a size and type it takes,
    /// as pinned and as reported, and at least the host-memory rule: max(floor, loadBufferFactor × the weights of the
    /// replicas on the server) (``HostMemoryRule``). Adds the DIMMs' draw to `unit.loadWatts`.
    mutating func checkHostMemory(_ unit: inout ServerUnderCheck, fitting: [ServingCandidate]) {
        let label = unit.label, server = unit.server, configuration = unit.configuration, count = unit.count, perServerGPUs = unit.perServerGPUs
        var load = unit.loadWatts
        // Host memory.
        var memoryGiB = 0.0
        if configuration.dimmsPerServer > 0 || configuration.dimmID != nil {
            if let id = configuration.dimmID, let dimm = dimms[id] {
                let dimmCount = configuration.dimmsPerServer
                memoryGiB = Double(dimmCount) * dimm.capacityGiB
                load += Double(dimmCount) * dimm.powerWatts
                expected[dimm.id, default: 0] += count * dimmCount
                if dimmCount > server.dimmSlots { fail("dimm_slots", "\(label): \(dimmCount) DIMMs in \(server.dimmSlots) slots") }
                if requirements.pins.dimmsPerServer == nil && !ChassisClass.dimmCounts(server).contains(dimmCount) {
                    fail("dimm_balance", "\(label): \(dimmCount) DIMMs over \(server.memoryChannels) channels; a \(ChassisClass(server).rawValue) takes \(ChassisClass.dimmCounts(server).map(String.init).joined(separator: ", "))")
                }
                if dimm.capacityGiB > server.maxDIMMGiB { fail("dimm_size", "\(label): \(n(dimm.capacityGiB)) GiB DIMM; chassis takes ≤ \(n(server.maxDIMMGiB)) GiB") }
                if !server.dimmTypes.contains(dimm.type) { fail("dimm_type", "\(label): \(dimm.type.rawValue) not taken by \(server.id)") }
                if let pinned = requirements.pins.dimmsPerServer, pinned != dimmCount { fail("pin_dimms", "\(label): \(dimmCount) DIMMs; pinned \(pinned)") }
                if !same(memoryGiB, configuration.hostMemoryGiB) {
                    fail("host_memory_reported", "\(label): reports \(n(configuration.hostMemoryGiB)) GiB; its DIMMs give \(n(memoryGiB)) GiB")
                }
            } else {
                fail("unknown_dimm", "\(label): no DIMM \(configuration.dimmID ?? "(none)")")
            }
        }
        let rule = requirements.hostMemory
        let floor = perServerGPUs <= 1 ? rule.singleGPUFloorGiB : rule.clusterNodeFloorGiB
        let neededMemory = fitting.map { candidate in
            max(floor, rule.loadBufferFactor * Double(perServerGPUs / candidate.tensorParallel) * candidate.weightsPerReplicaGiB)
        }.min() ?? floor
        if !atLeast(memoryGiB, neededMemory) {
            fail("host_memory", "\(label): \(n(memoryGiB)) GiB host memory < \(n(neededMemory)) GiB needed")
        }

        unit.loadWatts = load
    }
}
