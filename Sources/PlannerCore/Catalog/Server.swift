/// A server chassis, priced and powered without its GPUs, DIMMs, SSDs and NICs (unless it `includes` some).
public struct Server: CatalogItem {
    public static let kind = CatalogKind.servers
    public var listing: Listing
    public var gpuSlots: Int
    public var gpuFormFactors: [FormFactor]
    /// When set, only these GPU ids fit (an HGX H100 board takes only H100 SXM).
    public var compatibleGPUs: [String]?
    public var rackUnits: Int
    /// Peak draw of CPUs, fans, board and switches, without GPUs, DIMMs, SSDs and NICs.
    public var powerWatts: Double
    public var dimmSlots: Int
    public var memoryChannels: Int
    public var maxDIMMGiB: Double
    public var dimmTypes: [DIMMType]
    public var nvmeBays: Int
    /// SSD form factors its bays take (`u.2`, `e3.s`, `m.2`); `nil` means any.
    public var ssdFormFactors: [SSD.FormFactor]?
    public var nicSlots: Int
    public var psuBays: Int
    public var compatiblePSUs: [String]
    public var cooling: [CoolingMethod]
    /// GPU counts the chassis is sold with, ascending (an HGX 8-GPU baseboard: `[8]`; a PCIe server:
    /// 1 through its slots).
    public var gpuCounts: [Int]
    /// GPU cooling kinds the chassis supports: passive cards only in chassis built to move air through them.
    public var gpuCooling: [GPUCooling]
    /// Where the chassis can be installed: rack servers in a datacenter; workstation towers also in an office.
    public var sites: [Site]
    /// Parts the price includes (``IncludedPart``); empty: the bare chassis, every part bought apart.
    public var includes: [IncludedPart] = []

    /// Whether the chassis is sold with `count` GPUs.
    public func allowsGPUCount(_ count: Int) -> Bool { gpuCounts.contains(count) }

    /// Whether `ssd` fits this chassis's drive bays.
    public func accepts(_ ssd: SSD) -> Bool { ssdFormFactors?.contains(ssd.formFactor) ?? true }

    /// Whether `gpu` fits this chassis's slots and its cooling suits the chassis's airflow.
    public func accepts(_ gpu: GPU) -> Bool {
        gpuFormFactors.contains(gpu.formFactor) && (compatibleGPUs?.contains(gpu.id) ?? true) && gpuCooling.contains(gpu.cooling)
    }

    public init(
        listing: Listing, gpuSlots: Int, gpuFormFactors: [FormFactor], compatibleGPUs: [String]?,
        rackUnits: Int, powerWatts: Double, dimmSlots: Int, memoryChannels: Int, maxDIMMGiB: Double,
        dimmTypes: [DIMMType], nvmeBays: Int, ssdFormFactors: [SSD.FormFactor]? = nil, nicSlots: Int, psuBays: Int, compatiblePSUs: [String],
        cooling: [CoolingMethod], gpuCounts: [Int]? = nil, gpuCooling: [GPUCooling] = GPUCooling.allCases,
        sites: [Site] = [.datacenter]
    ) {
        self.sites = sites
        self.gpuCounts = gpuCounts ?? Array(1...max(gpuSlots, 1))
        self.gpuCooling = gpuCooling
        self.listing = listing
        self.gpuSlots = gpuSlots
        self.gpuFormFactors = gpuFormFactors
        self.compatibleGPUs = compatibleGPUs
        self.rackUnits = rackUnits
        self.powerWatts = powerWatts
        self.dimmSlots = dimmSlots
        self.memoryChannels = memoryChannels
        self.maxDIMMGiB = maxDIMMGiB
        self.dimmTypes = dimmTypes
        self.nvmeBays = nvmeBays
        self.ssdFormFactors = ssdFormFactors
        self.nicSlots = nicSlots
        self.psuBays = psuBays
        self.compatiblePSUs = compatiblePSUs
        self.cooling = cooling
    }
}

/// How a chassis, rack or plan removes heat.
public enum CoolingMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case air, liquid
}
