/// Presolve by dominance: catalog entries that another entry beats in every respect can never be
/// needed by an optimal plan, so they are dropped before any candidate or server group is built.
/// Among exact equals the smallest id is kept, so the result never depends on catalog order.
enum Dominance {
    /// GPUs no other GPU beats. `a` dominates `b` when it is of the same family and form factor,
    /// has at least the memory, bandwidth, dense TFLOPS at every precision `b` has, GPU-to-GPU link
    /// (same kind, at least the bandwidth) and PCIe generation, draws no more and costs no more, and
    /// fits every server `b` fits: every plan with `b` can then take `a` at no more cost, and the
    /// performance model is monotone in each of those figures.
    static func undominatedGPUs(_ gpus: [GPU], servers: [Server]) -> [GPU] {
        let fits = Dictionary(uniqueKeysWithValues: gpus.map { gpu in (gpu.id, Set(servers.filter { $0.accepts(gpu) }.map(\.id))) })
        func dominates(_ a: GPU, _ b: GPU) -> Bool {
            a.family == b.family && a.formFactor == b.formFactor
                && a.memoryGiB >= b.memoryGiB && a.memoryBandwidthGBps >= b.memoryBandwidthGBps
                && b.denseTFLOPS.allSatisfy { precision, tflops in (a.denseTFLOPS[precision] ?? -1) >= tflops }
                && a.interconnect.kind == b.interconnect.kind && a.interconnect.bandwidthGBps >= b.interconnect.bandwidthGBps
                && a.pcieGeneration >= b.pcieGeneration
                && a.powerWatts <= b.powerWatts && a.listing.priceUSD <= b.listing.priceUSD
                && fits[a.id]!.isSuperset(of: fits[b.id]!)
        }
        struct Kind: Hashable { var family: GPUFamily; var form: FormFactor; var link: GPUInterconnect.Kind }
        return undominated(gpus, bucket: { Kind(family: $0.family, form: $0.formFactor, link: $0.interconnect.kind) }, by: dominates)
    }

    /// Chassis no other chassis beats. `a` dominates `b` when it has the same GPU slots and memory
    /// channels, takes every GPU, DIMM type, SSD form factor, PSU and cooling method `b` takes, has at
    /// least its DIMM slots, largest DIMM, NVMe bays, NIC slots and PSU bays, and no more rack units,
    /// base power or price: every server of `b` can then be built in `a` with the same parts.
    static func undominatedServers(_ servers: [Server], gpus: [GPU]) -> [Server] {
        let fits = Dictionary(uniqueKeysWithValues: servers.map { server in (server.id, Set(gpus.filter(server.accepts).map(\.id))) })
        func dominates(_ a: Server, _ b: Server) -> Bool {
            a.gpuSlots == b.gpuSlots && a.memoryChannels == b.memoryChannels
                && fits[a.id]!.isSuperset(of: fits[b.id]!)
                && Set(a.dimmTypes).isSuperset(of: b.dimmTypes) && a.dimmSlots >= b.dimmSlots && a.maxDIMMGiB >= b.maxDIMMGiB
                && a.nvmeBays >= b.nvmeBays
                && (a.ssdFormFactors.map { aTypes in b.ssdFormFactors.map { Set(aTypes).isSuperset(of: $0) } ?? false } ?? true)
                && a.nicSlots >= b.nicSlots && a.psuBays >= b.psuBays && Set(a.compatiblePSUs).isSuperset(of: b.compatiblePSUs)
                && Set(a.cooling).isSuperset(of: b.cooling)
                && a.rackUnits <= b.rackUnits && a.powerWatts <= b.powerWatts && a.listing.priceUSD <= b.listing.priceUSD
        }
        struct Kind: Hashable { var slots: Int; var channels: Int }
        return undominated(servers, bucket: { Kind(slots: $0.gpuSlots, channels: $0.memoryChannels) }, by: dominates)
    }

    /// Items not dominated by any other; between two that dominate each other (equal in every
    /// compared figure) the one with the smaller id survives. Only items with the same `bucket` are
    /// compared (a cheap necessary condition, so large catalogs stay fast).
    private static func undominated<Item: CatalogItem, Bucket: Hashable>(
        _ items: [Item], bucket: (Item) -> Bucket, by dominates: (Item, Item) -> Bool
    ) -> [Item] {
        let sorted = items.sorted { $0.id < $1.id }
        let buckets = Dictionary(grouping: sorted.indices, by: { bucket(sorted[$0]) })
        let survivors = buckets.values.flatMap { members in
            members.filter { index in
                !members.contains { other in
                    other != index && dominates(sorted[other], sorted[index]) && (other < index || !dominates(sorted[index], sorted[other]))
                }
            }
        }
        return survivors.sorted().map { sorted[$0] }
    }
}
