/// A GPU or accelerator, with the datasheet figures the performance model needs.
public struct GPU: CatalogItem {
    public static let kind = CatalogKind.gpus
    public var listing: Listing
    public var family: GPUFamily
    /// Device memory as the vendor states it (80 GB HBM is 80 GiB nominal).
    public var memoryGiB: Double
    public var memoryBandwidthGBps: Double
    /// Dense tensor throughput (never the 2:4-sparse figure) by precision, TFLOPS or TOPS.
    public var denseTFLOPS: [TensorPrecision: Double]
    /// Thermal design power: the peak a PSU must carry.
    public var powerWatts: Double
    public var formFactor: FormFactor
    public var interconnect: GPUInterconnect
    public var pcieGeneration: Int
    /// How the card is cooled: a passive card needs a chassis built to push air through it.
    public var cooling: GPUCooling
    /// `false` for GeForce cards: NVIDIA's GeForce driver licence does not permit datacenter deployment.
    public var datacenterLicensed: Bool

    public init(
        listing: Listing, family: GPUFamily, memoryGiB: Double, memoryBandwidthGBps: Double,
        denseTFLOPS: [TensorPrecision: Double], powerWatts: Double, formFactor: FormFactor,
        interconnect: GPUInterconnect, pcieGeneration: Int, cooling: GPUCooling? = nil, datacenterLicensed: Bool = true
    ) {
        self.cooling = cooling ?? GPUCooling.default(for: formFactor)
        self.datacenterLicensed = datacenterLicensed
        self.listing = listing
        self.family = family
        self.memoryGiB = memoryGiB
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.denseTFLOPS = denseTFLOPS
        self.powerWatts = powerWatts
        self.formFactor = formFactor
        self.interconnect = interconnect
        self.pcieGeneration = pcieGeneration
    }
}

/// How a GPU is cooled, as its datasheet states.
public enum GPUCooling: String, Sendable, Hashable, Codable, CaseIterable {
    /// Has its own fans (consumer and workstation cards, blower cards).
    case active
    /// Only a heatsink: needs a server's front-to-back airflow (datacenter PCIe cards, SXM and OAM modules).
    case passive

    /// What an entry that does not say is taken to be: consumer cards have fans, everything else is passive.
    public static func `default`(for formFactor: FormFactor) -> GPUCooling {
        formFactor == .consumerTripleSlot ? .active : .passive
    }
}

/// Architecture family; calibration constants are fitted per family.
public enum GPUFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case ampere, hopper, ada, blackwell, cdna3
}

/// Precisions a tensor core runs at.
public enum TensorPrecision: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case fp16, bf16, fp8, int8, int4, fp4

    public static func < (lhs: TensorPrecision, rhs: TensorPrecision) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a GPU is mounted; decides which server slots it fits.
public enum FormFactor: String, Sendable, Hashable, Codable, CaseIterable {
    case sxm
    case oam
    case pcieDualSlot = "pcie-dual-slot"
    case pcieSingleSlot = "pcie-single-slot"
    case consumerTripleSlot = "consumer-triple-slot"
}

/// The GPU-to-GPU link.
public struct GPUInterconnect: Sendable, Hashable, Codable {
    public var kind: Kind
    /// Total GPU-to-GPU bandwidth, GB/s, both directions, as vendors quote it.
    public var bandwidthGBps: Double

    public init(kind: Kind, bandwidthGBps: Double) {
        self.kind = kind
        self.bandwidthGBps = bandwidthGBps
    }

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case nvlink3, nvlink4, nvlink5, xgmi
        case nvlinkBridge = "nvlink-bridge"
        case pcie
    }
}
