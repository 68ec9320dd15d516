/// The two kinds of chassis the catalog holds, and the defaults each implies for the rules a spec
/// may leave out (`constraints.psu_redundancy`, the DIMM count).
///
/// - A **desk-side** chassis is one whose catalog `sites` include `office` (the workstation towers).
///   It is built like a desktop: one ATX supply, or two that share the load (the 4-GPU tower's 2 bays
///   carry 4 GPUs between them), and a desktop memory controller whose bandwidth no GPU-resident model
///   depends on. Its default PSU redundancy is `none` and its DIMMs are the fewest that meet the
///   host-memory rule (in pairs, ``dimmCounts(_:)``).
/// - A **rack server** is any other chassis: hot-swap supplies meant to be redundant (`n+1`), and
///   memory populated one or two DIMMs per channel on every channel, the balanced configuration
///   server vendors require for full bandwidth (Dell, "Balanced Memory with 2nd Generation Intel Xeon
///   Scalable Processors": "channels must be fully populated with one or two DIMMs"; Lenovo ThinkSystem
///   memory guidelines, https://pubs.lenovo.com/sn850/memory_module_guidelines: "Populate all memory
///   channels for optimal performance").
///
/// A chassis with a single PSU bay gets `none` whatever its class: `n+1` and `2n` leave one supply
/// nothing to deliver, so they would only forbid the chassis.
enum ChassisClass: String, Sendable {
    case rackServer = "rack server"
    case deskSide = "desk-side"

    init(_ server: Server) {
        self = server.sites.contains(.office) ? .deskSide : .rackServer
    }

    /// The PSU redundancy a spec that leaves `constraints.psu_redundancy` out gets for `server`.
    static func defaultPSURedundancy(_ server: Server) -> PSURedundancy {
        ChassisClass(server) == .deskSide || server.psuBays <= 1 ? .none : .nPlusOne
    }

    /// DIMM counts a server of this chassis may carry (without `pin.dimms_per_server`), each with
    /// the same number of DIMMs in every populated channel:
    /// - rack server: c or 2c (one or two per channel on all c channels);
    /// - desk-side: 2, 4, … ≤ c (one per channel on as many channels as it takes, in pairs: desktop
    ///   platforms run memory at least dual-channel, so a lone DIMM saves nothing but bandwidth) or
    ///   2c; a one-channel chassis also 1.
    /// Counts beyond the slots are left out.
    static func dimmCounts(_ server: Server) -> [Int] {
        let channels = max(server.memoryChannels, 1)
        let counts = ChassisClass(server) == .deskSide
            ? Array(Set(stride(from: 2, through: channels, by: 2)).union([channels, 2 * channels])).sorted()
            : [channels, 2 * channels]
        return counts.filter { $0 >= 1 && $0 <= server.dimmSlots }
    }
}
