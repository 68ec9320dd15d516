/// One way to fill a server's NVMe bays: `count` drives of `ssd` in `level`.
public struct StorageOption: Sendable, Hashable {
    public var ssd: SSD
    public var count: Int
    public var level: RAIDLevel

    public var usableGB: Double { Double(level.dataDrives(count)) * ssd.capacityTB * 1000 }
    public var readGBps: Double { Double(level.readDrives(count)) * ssd.seqReadGBps }
    public var readIOPS: Double { Double(count) * ssd.randomReadIOPS }
    public var priceUSD: Double { Double(count) * ssd.listing.priceUSD }
    public var powerWatts: Double { Double(count) * ssd.powerWatts }

    /// Whether one server with this array meets `requirement`.
    public func meets(_ requirement: StorageRequirement) -> Bool {
        usableGB >= requirement.capacityGB && readGBps >= requirement.readGBps
            && readIOPS >= requirement.readIOPS && level.faultTolerance >= requirement.faultTolerance
    }
}

import LinearModel

/// Local NVMe storage: SSD model, drive count and RAID level per server.
enum LocalStorage {
    /// What a chassis's arrays depend on: chassis with the same bays offer the same arrays.
    struct Bays: Hashable {
        var formFactors: [SSD.FormFactor]?
        var count: Int

        init(of server: Server) {
            formFactors = server.ssdFormFactors
            count = server.nvmeBays
        }
    }

    /// Arrays that fit the chassis's bays (or the pinned count/level) and meet the per-server
    /// requirement, dominated ones dropped. They depend on the chassis's drive bays alone.
    ///
    /// For one drive model and RAID level, more drives cost more and draw more (for a priced drive
    /// that draws power), so only the fewest drives that meet the requirement can survive the
    /// pruning: the rest are dropped before it, which keeps it cheap on chassis with 24 bays.
    static func options(for server: Server, ssds: [SSD], requirement: StorageRequirement, pins: Pins, owned: Set<String> = []) -> [ServerPart] {
        var fewest: [StorageOption] = []
        let bays = server.nvmeBays
        for ssd in ssds where server.accepts(ssd) {
            let strictlyGrowing = ssd.listing.priceUSD > 0 && ssd.powerWatts > 0
            for level in RAIDLevel.allCases where pins.raidLevel.map({ $0 == level }) ?? true {
                for count in pins.ssdsPerServer.map({ [$0] }) ?? Array(1...max(bays, 1)) where count <= bays && level.allows(drives: count) {
                    let option = StorageOption(ssd: ssd, count: count, level: level)
                    guard option.meets(requirement) else { continue }
                    fewest.append(option)
                    if strictlyGrowing { break }
                }
            }
        }
        let options = fewest.map(ServerPart.storage)
        // Every survivor meets the requirement, and more capacity buys nothing: only price and power count.
        return ServerPart.paretoPruned(options, owned: owned) { _ in 0 }
    }

    /// For each group g, with pick[g,o] the binary choice of array o (each array is a linear
    /// function of its drive count, fixed per option):
    ///
    ///     storage_capacity[g]: Σ_o usableGB_o · pick[g,o] ≥ capacityGB · used[g]
    ///     storage_read[g]:     Σ_o readGBps_o · pick[g,o] ≥ readGBps · used[g]
    ///     storage_iops[g]:     Σ_o IOPS_o · pick[g,o]     ≥ IOPS · used[g]
    ///     storage_faults[g]:   Σ_o tolerance_o · pick[g,o] ≥ faultTolerance · used[g]
    static func addConstraints(to formulation: inout PlanFormulation, requirement: StorageRequirement) {
        for g in formulation.groups.indices {
            let key = formulation.groups[g].key
            let used = LinearExpression(formulation.used[g])
            func option(_ part: ServerPart) -> StorageOption? {
                if case let .storage(option) = part { return option }
                return nil
            }
            let rows: [(String, (StorageOption) -> Double, Double)] = [
                ("storage_capacity", \.usableGB, requirement.capacityGB),
                ("storage_read", \.readGBps, requirement.readGBps),
                ("storage_iops", \.readIOPS, requirement.readIOPS),
                ("storage_faults", { Double($0.level.faultTolerance) }, Double(requirement.faultTolerance)),
            ]
            for (name, value, needed) in rows {
                let provided = formulation.partExpression(group: g, family: .storage) { option($0).map(value) ?? 0 }
                formulation.model.addConstraint(provided >= needed * used, name: "\(name)[\(key)]")
            }
        }
    }
}
