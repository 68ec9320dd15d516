/// The families of constraints that can limit a plan (its `binding_constraints`), by the name the
/// program gives their rows: `family` alone, or `family[key,…]` with the keys of the server group,
/// rack design, fabric class or cooling option the row is about (docs/optimizer.md lists them).
/// Structural rows (every server gets one PSU configuration, linking rows) are not in it: their
/// being tight says nothing about the plan.
public enum ConstraintFamily: String, Sendable, Hashable, CaseIterable, Comparable {
    case demand
    case budget
    case pinGPUCount = "pin_gpu_count"
    case pinServerCount = "pin_server_count"
    case hostMemory = "host_memory"
    case hostMemoryPartial = "host_memory_partial"
    case storageCapacity = "storage_capacity"
    case storageRead = "storage_read"
    case storageIOPS = "storage_iops"
    case storageFaults = "storage_faults"
    case psuCapacity = "psu_capacity"
    case psuCapacityPartial = "psu_capacity_partial"
    case switchPorts = "switch_ports"
    case rackGroup = "rack_group"
    case rackSwitches = "rack_switches"
    case coolingCapacity = "cooling_capacity"
    case coolingPerRack = "cooling_per_rack"

    /// The row's name in the program (and the LP file): `family` or `family[k1,k2]`.
    public func rowName(_ keys: [String]) -> String {
        keys.isEmpty ? rawValue : "\(rawValue)[\(keys.joined(separator: ","))]"
    }

    /// What the row being tight means for the plan, in words (for the renderers).
    public var meaning: String {
        switch self {
        case .demand: "capacity is just enough for the demand: one replica less would miss it"
        case .budget: "the budget is spent to the dollar"
        case .pinGPUCount: "the pinned GPU count"
        case .pinServerCount: "the pinned server count"
        case .hostMemory: "host memory is at the seed's rule (2 × the weights on the server, 32/64 GiB floor)"
        case .hostMemoryPartial: "the partly filled server's host memory is at the seed's rule (2 × its weights, 32/64 GiB floor)"
        case .storageCapacity: "the array is as small as the checkpoints and OS reserve allow"
        case .storageRead: "the array reads just fast enough for the model-load time target"
        case .storageIOPS: "the array has just the IOPS asked for"
        case .storageFaults: "the RAID level is set by the drive fault tolerance asked for"
        case .psuCapacity: "the PSUs just carry the server's peak with the redundancy asked for"
        case .psuCapacityPartial: "the PSUs just carry the partly filled server's peak with the redundancy asked for"
        case .switchPorts: "every switch port is used"
        case .rackGroup: "every rack of these servers is full (space, power or PDU outlets)"
        case .rackSwitches: "the switches fill the room the racks leave"
        case .coolingCapacity: "cooling units are sized to the heat exactly"
        case .coolingPerRack: "one cooling unit per rack"
        }
    }

    public static func < (lhs: ConstraintFamily, rhs: ConstraintFamily) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A constraint that holds with equality at the solution: its family and the keys of what it is about.
public struct BindingConstraint: Sendable, Hashable, Comparable {
    public var family: ConstraintFamily
    /// The catalog-derived keys of the row (server group, rack design, fabric class, cooling option).
    public var keys: [String]

    public init(_ family: ConstraintFamily, _ keys: [String] = []) {
        self.family = family
        self.keys = keys
    }

    /// The row's name, as in the LP file.
    public var name: String { family.rowName(keys) }

    /// Sorted by name, as the output lists them.
    public static func < (lhs: BindingConstraint, rhs: BindingConstraint) -> Bool { lhs.name < rhs.name }
}
