extension PlanCheck {
    /// A server's PSUs: in its bays, compatible with it, and their output that survives the
    /// redundancy's failures (``PSURedundancy/usableWatts(count:capacityWatts:)``) at least the
    /// server's peak (`unit.loadWatts`), as pinned; the reported peak is the parts' draw.
    mutating func checkPSUs(_ unit: ServerUnderCheck) {
        let label = unit.label, server = unit.server, configuration = unit.configuration, count = unit.count
        let load = unit.loadWatts
        // PSUs.
        if let id = configuration.psuID, let psu = psus[id] {
            let psuCount = configuration.psusPerServer
            expected[psu.id, default: 0] += count * psuCount
            if psuCount < 1 || psuCount > server.psuBays { fail("psu_bays", "\(label): \(psuCount) PSUs in \(server.psuBays) bays") }
            if !server.compatiblePSUs.contains(psu.id) { fail("psu_compatible", "\(label): \(psu.id) not compatible with \(server.id)") }
            let redundancy = requirements.psuRedundancy(for: server)
            let usable = redundancy.usableWatts(count: psuCount, capacityWatts: psu.capacityWatts)
            if !atLeast(usable, load) {
                fail("psu_capacity", "\(label): \(psuCount) × \(n(psu.capacityWatts)) W at \(redundancy.rawValue) gives \(n(usable)) W < peak \(n(load)) W")
            }
            if let pinned = requirements.pins.psusPerServer, pinned != psuCount { fail("pin_psus", "\(label): \(psuCount) PSUs; pinned \(pinned)") }
        } else {
            fail("psu_missing", "\(label): no PSU \(configuration.psuID ?? "(none)")")
        }
        if !same(load, configuration.peakPowerWatts) {
            fail("server_peak_reported", "\(label): reports \(n(configuration.peakPowerWatts)) W peak; its parts draw \(n(load)) W")
        }
    }
}
