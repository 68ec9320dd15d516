/// Presolve by dominance: catalog entries that another entry beats in every respect can never be
/// needed by an optimal plan, so they are dropped before any candidate or server group is built.
/// Among exact equals the smallest id is kept, so the result never depends on catalog order.
enum Dominance {
    /// GPUs no other GPU beats. `a` dominates `b` when it is of the same family, form factor,
    /// cooling kind and datacenter licence,
    /// has at least the memory, bandwidth, dense TFLOPS at every precision `b` has, GPU-to-GPU link
    /// (same kind, at least the bandwidth) and PCIe generation, draws no more and costs no more, and
    /// fits every server `b` fits: every plan with `b` can then take `a` at no more cost, and the
    /// performance model is monotone in each of those figures.
    static func undominatedGPUs(_ gpus: [GPU], servers: [Server]) -> [GPU] {
        struct Profile {
            var gpu: GPU
            /// The restricted chassis that take it: GPUs compared share a form factor, so they fit
            /// the same open chassis and differ only in these.
            var listed: Set<Int>
        }
        let fit = ChassisFit(servers: servers, gpus: gpus)
        func dominates(_ a: Profile, _ b: Profile) -> Bool {
            let (x, y) = (a.gpu, b.gpu)
            return x.listing.priceUSD <= y.listing.priceUSD && x.powerWatts <= y.powerWatts
                && x.memoryGiB >= y.memoryGiB && x.memoryBandwidthGBps >= y.memoryBandwidthGBps
                && x.interconnect.bandwidthGBps >= y.interconnect.bandwidthGBps && x.pcieGeneration >= y.pcieGeneration
                && y.denseTFLOPS.allSatisfy { precision, tflops in (x.denseTFLOPS[precision] ?? -1) >= tflops }
                && a.listed.isSuperset(of: b.listed)
        }
        struct Kind: Hashable { var family: GPUFamily; var form: FormFactor; var link: GPUInterconnect.Kind; var cooling: GPUCooling; var licensed: Bool }
        return undominated(
            gpus, bucket: { Kind(family: $0.family, form: $0.formFactor, link: $0.interconnect.kind, cooling: $0.cooling, licensed: $0.datacenterLicensed) },
            profile: { gpu in Profile(gpu: gpu, listed: Set(fit.listedServers(accepting: gpu))) },
            by: dominates
        )
    }

    /// Chassis no other chassis beats. `a` dominates `b` when it has the same GPU slots and memory
    /// channels, takes every GPU, GPU count, DIMM type, SSD form factor, PSU and cooling method `b` takes, has at
    /// least its DIMM slots, largest DIMM, NVMe bays, NIC slots and PSU bays, and no more rack units,
    /// base power or price: every server of `b` can then be built in `a` with the same parts.
    static func undominatedServers(_ servers: [Server], gpus: [GPU]) -> [Server] {
        struct Profile {
            var server: Server
            var index: Int
            var dimmTypes: Set<DIMMType>
            var ssdFormFactors: Set<SSD.FormFactor>?
            var psus: Set<String>
            var cooling: Set<CoolingMethod>
        }
        let fit = ChassisFit(servers: servers, gpus: gpus)
        let indexByID = Dictionary(servers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        func dominates(_ a: Profile, _ b: Profile) -> Bool {
            let (x, y) = (a.server, b.server)
            guard x.listing.priceUSD <= y.listing.priceUSD, x.powerWatts <= y.powerWatts, x.rackUnits <= y.rackUnits,
                  x.dimmSlots >= y.dimmSlots, x.maxDIMMGiB >= y.maxDIMMGiB, x.nvmeBays >= y.nvmeBays,
                  x.nicSlots >= y.nicSlots, x.psuBays >= y.psuBays
            else { return false }
            return fit.takesEveryGPU(of: b.index, as: a.index) && a.dimmTypes.isSuperset(of: b.dimmTypes)
                && (a.ssdFormFactors.map { aTypes in b.ssdFormFactors.map { aTypes.isSuperset(of: $0) } ?? false } ?? true)
                && a.psus.isSuperset(of: b.psus) && a.cooling.isSuperset(of: b.cooling)
                && Set(x.gpuCounts).isSuperset(of: y.gpuCounts)
        }
        // Only chassis of one class and default PSU redundancy are compared: their DIMM counts and
        // PSU rule are then the same (``ChassisClass``), so the beaten one's builds fit the other.
        struct Kind: Hashable { var slots: Int; var channels: Int; var chassisClass: ChassisClass; var redundancy: PSURedundancy }
        return undominated(
            servers, bucket: {
                Kind(slots: $0.gpuSlots, channels: $0.memoryChannels, chassisClass: ChassisClass($0), redundancy: ChassisClass.defaultPSURedundancy($0))
            },
            profile: { server in
                Profile(
                    server: server, index: indexByID[server.id]!, dimmTypes: Set(server.dimmTypes),
                    ssdFormFactors: server.ssdFormFactors.map(Set.init), psus: Set(server.compatiblePSUs), cooling: Set(server.cooling)
                )
            },
            by: dominates
        )
    }

    /// Items not dominated by any other; between two that dominate each other (equal in every
    /// compared figure) the one with the smaller id survives. Only items with the same `bucket` are
    /// compared (a cheap necessary condition, so large catalogs stay fast), through a `profile`
    /// built once per item (the sets a comparison needs).
    private static func undominated<Item: CatalogItem, Bucket: Hashable, Profile>(
        _ items: [Item], bucket: (Item) -> Bucket, profile: (Item) -> Profile, by dominates: (Profile, Profile) -> Bool
    ) -> [Item] {
        let sorted = items.sorted { $0.id < $1.id }
        let profiles = sorted.map(profile)
        let buckets = Dictionary(grouping: sorted.indices, by: { bucket(sorted[$0]) })
        let survivors = buckets.values.flatMap { members in
            members.filter { index in
                !members.contains { other in
                    other != index && dominates(profiles[other], profiles[index]) && (other < index || !dominates(profiles[index], profiles[other]))
                }
            }
        }
        return survivors.sorted().map { sorted[$0] }
    }
}
