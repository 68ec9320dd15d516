extension PlanCheck {
    /// A server's SSD array: in its bays, a RAID level that allows the drive count, and usable
    /// capacity, read bandwidth, IOPS and fault tolerance at least the spec's (``RAIDLevel``), as
    /// pinned. Adds the drives' draw to `unit.loadWatts`.
    mutating func checkStorage(_ unit: inout ServerUnderCheck) {
        let label = unit.label, server = unit.server, configuration = unit.configuration, count = unit.count
        var load = unit.loadWatts
        // Storage.
        let storage = requirements.storage
        if let array = configuration.storage {
            if ssds[array.ssd.id] == nil {
                fail("unknown_ssd", "\(label): no SSD \(array.ssd.id)")
            } else {
                let drive = ssds[array.ssd.id]!
                load += Double(array.count) * drive.powerWatts
                expected[drive.id, default: 0] += count * array.count
                if array.count > server.nvmeBays { fail("nvme_bays", "\(label): \(array.count) SSDs in \(server.nvmeBays) bays") }
                if !array.level.allows(drives: array.count) {
                    fail("raid_level", "\(label): RAID \(array.level.rawValue) does not allow \(array.count) drives")
                } else {
                    let usable = Double(array.level.dataDrives(array.count)) * drive.capacityTB * 1000
                    let read = Double(array.level.readDrives(array.count)) * drive.seqReadGBps
                    let iops = Double(array.count) * drive.randomReadIOPS
                    if !atLeast(usable, storage.capacityGB) { fail("storage_capacity", "\(label): \(n(usable)) GB usable < \(n(storage.capacityGB)) GB") }
                    if !atLeast(read, storage.readGBps) { fail("storage_read", "\(label): \(n(read)) GB/s < \(n(storage.readGBps)) GB/s") }
                    if !atLeast(iops, storage.readIOPS) { fail("storage_iops", "\(label): \(n(iops)) IOPS < \(n(storage.readIOPS))") }
                    if array.level.faultTolerance < storage.faultTolerance {
                        fail("storage_faults", "\(label): RAID \(array.level.rawValue) survives \(array.level.faultTolerance) drive failures < \(storage.faultTolerance)")
                    }
                }
                if let pinned = requirements.pins.ssdsPerServer, pinned != array.count { fail("pin_ssds", "\(label): \(array.count) SSDs; pinned \(pinned)") }
                if let pinned = requirements.pins.raidLevel, pinned != array.level { fail("pin_raid", "\(label): RAID \(array.level.rawValue); pinned RAID \(pinned.rawValue)") }
            }
        } else if storage.capacityGB > 0 || storage.readGBps > 0 || storage.readIOPS > 0 || storage.faultTolerance > 0 {
            fail("storage_missing", "\(label): no SSD array")
        }

        unit.loadWatts = load
    }
}
