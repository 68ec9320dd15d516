/// A DDR5 memory module.
public struct DIMM: CatalogItem {
    public static let kind = CatalogKind.dimms
    public var listing: Listing
    public var capacityGiB: Double
    public var type: DIMMType
    public var speedMTs: Int
    public var powerWatts: Double
}

public enum DIMMType: String, Sendable, Hashable, Codable, CaseIterable {
    case rdimm, udimm
}

/// An NVMe SSD.
public struct SSD: CatalogItem {
    public static let kind = CatalogKind.ssds
    public var listing: Listing
    /// Decimal terabytes.
    public var capacityTB: Double
    public var formFactor: FormFactor
    public var pcieGeneration: Int
    public var seqReadGBps: Double
    public var seqWriteGBps: Double
    public var randomReadIOPS: Double
    public var randomWriteIOPS: Double
    public var dwpd: Double
    public var powerWatts: Double

    /// The drive's form factor, as `ssd_form_factors` of a chassis names the bays that take it.
    public enum FormFactor: String, Sendable, Hashable, Codable, CaseIterable {
        case u2 = "u.2"
        case e3s = "e3.s"
        case m2 = "m.2"
    }
}

/// Network fabrics.
public enum Fabric: String, Sendable, Hashable, Codable, CaseIterable {
    case ethernet, infiniband
}

/// A network adapter.
public struct NIC: CatalogItem {
    public static let kind = CatalogKind.nics
    public var listing: Listing
    public var fabric: Fabric
    /// Gb/s per port.
    public var speedGbps: Double
    public var ports: Int
    public var pcieGeneration: Int
    public var powerWatts: Double
}

/// A network switch.
public struct NetworkSwitch: CatalogItem {
    public static let kind = CatalogKind.switches
    public var listing: Listing
    public var fabric: Fabric
    public var ports: Int
    /// Gb/s per port.
    public var portSpeedGbps: Double
    public var rackUnits: Int
    public var powerWatts: Double
}

/// A cable or transceiver pair for one port of a given speed and fabric.
public struct Cable: CatalogItem {
    public static let kind = CatalogKind.cables
    public var listing: Listing
    public var fabric: Fabric
    public var speedGbps: Double
    public var cableKind: Kind
    public var powerWatts: Double

    /// Direct-attach copper, active optical cable, or a pair of transceivers (with fibre).
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case dac
        case aoc
        case transceiverPair = "transceiver-pair"
    }
}

/// A server power supply unit.
public struct PSU: CatalogItem {
    public static let kind = CatalogKind.psus
    public var listing: Listing
    /// Output capacity at high-line input.
    public var capacityWatts: Double
    public var efficiencyTier: EfficiencyTier
    /// Efficiency at 50 % load, 0–1.
    public var efficiency: Double

    /// The 80 PLUS tier the unit is certified to.
    public enum EfficiencyTier: String, Sendable, Hashable, Codable, CaseIterable {
        case gold, platinum, titanium
    }
}

/// A rack power distribution unit.
public struct PDU: CatalogItem {
    public static let kind = CatalogKind.pdus
    public var listing: Listing
    public var capacityKW: Double
    public var outlets: Int
    public var rackUnits: Int
}

/// A way of removing heat from a rack.
public struct CoolingOption: CatalogItem {
    public static let kind = CatalogKind.cooling
    public var listing: Listing
    public var method: Kind
    /// Heat per rack this option can remove.
    public var maxKWPerRack: Double
    /// Capacity of one unit (for air: the rack-level limit).
    public var capacityKW: Double
    /// Fans and pumps.
    public var powerWatts: Double

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case air
        case rearDoor = "rear-door"
        case directLiquid = "direct-liquid"
    }

    /// Air or liquid, as a chassis states what it supports.
    public var coolingMethod: CoolingMethod { method == .directLiquid ? .liquid : .air }
}

/// A rack enclosure with the power its feed supports.
public struct Rack: CatalogItem {
    public static let kind = CatalogKind.racks
    public var listing: Listing
    public var rackUnits: Int
    public var maxPowerKW: Double
}
