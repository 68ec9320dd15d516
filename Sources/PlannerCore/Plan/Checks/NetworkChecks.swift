extension PlanCheck {
    /// A server's NICs: in its slots, of an allowed fabric, as pinned; in a cluster (two servers or
    /// more) every server has at least the network rule's bandwidth. Adds the NICs' draw to
    /// `unit.loadWatts` and their ports and fabric class to the plan's.
    mutating func checkNICs(_ unit: inout ServerUnderCheck) {
        let label = unit.label, server = unit.server, configuration = unit.configuration, count = unit.count
        var load = unit.loadWatts
        // NICs.
        var gbps = 0.0
        if configuration.nicsPerServer > 0 || configuration.nicID != nil {
            if let id = configuration.nicID, let nic = nics[id] {
                let nicCount = configuration.nicsPerServer
                load += Double(nicCount) * nic.powerWatts
                expected[nic.id, default: 0] += count * nicCount
                gbps = Double(nicCount * nic.ports) * nic.speedGbps
                nicPorts += count * nicCount * nic.ports
                nicClasses.insert("\(nic.fabric.rawValue)-\(nic.speedGbps)")
                nicFabric = (nic.fabric, nic.speedGbps)
                if nicCount > server.nicSlots { fail("nic_slots", "\(label): \(nicCount) NICs in \(server.nicSlots) slots") }
                if !requirements.network.fabrics.contains(nic.fabric) { fail("nic_fabric", "\(label): \(nic.fabric.rawValue) not allowed") }
                if let pinned = requirements.pins.nicsPerServer, pinned != nicCount { fail("pin_nics", "\(label): \(nicCount) NICs; pinned \(pinned)") }
            } else {
                fail("unknown_nic", "\(label): no NIC \(configuration.nicID ?? "(none)")")
            }
        }
        if cluster {
            let needed = requirements.network.requiredGbps(gpuSlots: unit.perServerGPUs)
            if gbps <= 0 {
                fail("nic_required", "\(label): no NIC in a plan of \(plan.servers.reduce(0) { $0 + $1.count }) servers")
            } else if !atLeast(gbps, needed) {
                fail("nic_bandwidth", "\(label): \(n(gbps)) Gb/s < \(n(needed)) Gb/s")
            }
        }

        unit.loadWatts = load
    }

    /// The fabric: one class of NICs; switches of the NICs' fabric and speed, with server ports for
    /// every NIC port (one switch, or leaves and spines with 2S ≥ L, two tiers at most); cables for
    /// every NIC port and uplink.
    mutating func checkFabric() {
        switchLines = plan.bom.compactMap { line in problem.switches.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        cableLines = plan.bom.compactMap { line in problem.cables.first { $0.id == line.listing.id }.map { ($0, line.quantity) } }
        if nicClasses.count > 1 { fail("fabric_classes", "NICs of \(nicClasses.count) fabric classes: \(nicClasses.sorted().joined(separator: ", "))") }
        var downPorts = 0
        var minimumUplinks = 0
        for (item, quantity) in switchLines {
            if let (fabric, speed) = nicFabric, item.fabric != fabric || item.portSpeedGbps != speed {
                fail("switch_fabric", "\(item.id) (\(item.fabric.rawValue), \(n(item.portSpeedGbps)) Gb/s) does not match the NICs (\(fabric.rawValue), \(n(speed)) Gb/s)")
            }
            if quantity == 1 {
                downPorts += item.ports
            } else {
                // Leaves L and spines S with 2S ≥ L: the most leaves N switches allow.
                var leaves = quantity
                while leaves + (leaves + 1) / 2 > quantity { leaves -= 1 }
                downPorts += leaves * (item.ports / 2)
                if leaves > item.ports {
                    fail("two_tier_fabric", "\(leaves) leaves of \(item.id) but a \(item.ports)-port spine links at most \(item.ports) leaves (two tiers at most)")
                }
                let neededLeaves = Int((Double(nicPorts) / Double(max(item.ports / 2, 1))).rounded(.up))
                minimumUplinks += neededLeaves * (item.ports / 2)
            }
        }
        if nicPorts > 0 && cluster {
            if downPorts < nicPorts { fail("switch_ports", "\(nicPorts) NIC ports but the switches give \(downPorts) server ports") }
            let cables = cableLines.reduce(0) { $0 + $1.1 }
            if cables < nicPorts + minimumUplinks {
                fail("cables", "\(cables) cables for \(nicPorts) NIC ports and \(minimumUplinks) uplinks")
            }
            for (cable, _) in cableLines {
                if let (fabric, speed) = nicFabric, cable.fabric != fabric || cable.speedGbps != speed {
                    fail("cable_fabric", "\(cable.id) does not match the NICs (\(fabric.rawValue), \(n(speed)) Gb/s)")
                }
            }
        }
        switchWatts = switchLines.reduce(0.0) { $0 + Double($1.1) * $1.0.powerWatts }
        cableWatts = cableLines.reduce(0.0) { $0 + Double($1.1) * $1.0.powerWatts }
        rackUnits += switchLines.reduce(0) { $0 + $1.1 * $1.0.rackUnits }
    }
}
