import Yams

/// Reads one catalog entry of each kind from YAML, reporting every problem.
enum CatalogDecoding {
    struct Decoded {
        var id: String
        var item: CatalogEntry
        var references: [(id: String, kind: CatalogKind, path: String, node: SourceLocation)] = []
    }

    static let listingKeys = ["id", "name", "vendor", "part_number", "part_number_note", "price_usd", "price_basis", "price_note",
                              "source", "as_of", "notes"]
    /// Upper bound for counts (slots, ports, bays).
    static let maxCount = 100_000

    static func isID(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.unicodeScalars.count <= 100 else { return false }
        func ok(_ c: Unicode.Scalar, rest: Bool) -> Bool {
            ("a"..."z").contains(c) || ("0"..."9").contains(c) || (rest && (c == "." || c == "-"))
        }
        return ok(first, rest: false) && s.unicodeScalars.allSatisfy { ok($0, rest: true) }
    }

    static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts[0].count == 4,
              parts.dropFirst().allSatisfy({ $0.count == 2 }),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let month = Int(parts[1]), (1...12).contains(month) else { return false }
        if parts.count == 3, let day = Int(parts[2]), !(1...31).contains(day) { return false }
        return true
    }

    static let idPattern = "an id of lowercase letters, digits, '.' and '-' starting with a letter or digit"

    static func readID(_ m: YAMLMap) -> String? {
        m.string("id", maxLength: 100, pattern: isID, patternText: idPattern)
    }

    static func listing(_ m: YAMLMap) -> Listing? {
        let id = readID(m)
        let name = m.string("name", maxLength: 200)
        let vendor = m.string("vendor", maxLength: 200)
        // Orderable: every entry states `part_number`, the manufacturer's part number, or `null` where
        // there is none (a generic class, a GPU sold only on a baseboard, none found in a source), and
        // then `part_number_note` says why. A missing `part_number` is an error, not a silent blank.
        let partNumber = m.string("part_number", required: false, maxLength: 200)
        let partNumberNote = m.string("part_number_note", required: false, maxLength: 4_000)
        let partNumberStated = m.keyNode("part_number") != nil
        let partNumberIsNull = partNumberStated && !m.has("part_number")
        if !partNumberStated {
            m.sink.report(m.node, m.keyPath("part_number"),
                          "missing required field, expected the manufacturer part number, or null with part_number_note saying why there is none")
        } else if partNumberIsNull && partNumberNote == nil && !m.has("part_number_note") {
            m.sink.report(m.keyNode("part_number"), m.keyPath("part_number_note"),
                          "missing required field, expected why there is no part number (part_number is null): a generic class, not sold alone, or not found")
        }
        let price = m.double("price_usd", .positive(max: 100_000_000))
        var basis = m.choice("price_basis", as: PriceBasis.self)
        if let b = basis, b == .included || b == .owned {
            m.sink.report(m.value("price_basis"), m.keyPath("price_basis"),
                          "\(b.rawValue) is set by the planner (a chassis's includes:, a spec's existing.items), expected list, street, reseller, analyst or estimate")
            basis = nil
        }
        let note = m.string("price_note", required: false, maxLength: 4_000)
        if basis == .estimate && note == nil && !m.has("price_note") {
            m.sink.report(m.keyNode("price_basis") ?? m.node, m.keyPath("price_note"),
                          "missing required field, expected how the estimate was derived (price_basis is estimate)")
        }
        let source = m.string("source", maxLength: 4_000)
        let asOf = m.string("as_of", maxLength: 10, pattern: isDate, patternText: "a date YYYY-MM or YYYY-MM-DD")
        let notes = m.string("notes", required: false, maxLength: 10_000)
        guard let id, let name, let vendor, let price, let basis, let source, let asOf else { return nil }
        if basis == .estimate && note == nil { return nil }
        if !partNumberStated || (partNumberIsNull && partNumberNote == nil) { return nil }
        return Listing(id: id, name: name, vendor: vendor, partNumber: partNumber, partNumberNote: partNumberNote,
                       priceUSD: price, priceBasis: basis,
                       priceNote: note, source: source, asOf: asOf, notes: notes)
    }

    static func decode(_ kind: CatalogKind, _ node: Node, path: String, sink: DiagnosticSink) -> Decoded? {
        switch kind {
        case .gpus: return gpu(node, path, sink)
        case .servers: return server(node, path, sink)
        case .dimms: return dimm(node, path, sink)
        case .ssds: return ssd(node, path, sink)
        case .nics: return nic(node, path, sink)
        case .switches: return networkSwitch(node, path, sink)
        case .cables: return cable(node, path, sink)
        case .psus: return psu(node, path, sink)
        case .pdus: return pdu(node, path, sink)
        case .cooling: return coolingOption(node, path, sink)
        case .racks: return rack(node, path, sink)
        case .models: return model(node, path, sink)
        }
    }

    static let power = NumberRule.nonNegative(max: 1_000_000)

    static func gpu(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "family", "memory_gib", "memory_bandwidth_gbps", "tflops", "power_watts", "form_factor",
            "interconnect", "pcie_generation", "cooling", "datacenter_licensed"]) else { return nil }
        let listing = listing(m)
        let family = m.choice("family", as: GPUFamily.self)
        let memory = m.double("memory_gib", .positive(max: 100_000))
        let bandwidth = m.double("memory_bandwidth_gbps", .positive(max: 1_000_000))
        var tflops: [TensorPrecision: Double]?
        if let t = m.map("tflops", allowed: TensorPrecision.allCases.map(\.rawValue)) {
            var out: [TensorPrecision: Double] = [:]
            var ok = true
            for p in TensorPrecision.allCases where t.has(p.rawValue) {
                if let v = t.double(p.rawValue, .positive(max: 1_000_000)) { out[p] = v } else { ok = false }
            }
            if out.isEmpty && ok {
                sink.report(t.node, t.path, "must name at least one precision, expected some of fp16, bf16, fp8, int8, int4")
                ok = false
            }
            tflops = ok ? out : nil
        }
        let watts = m.double("power_watts", .positive(max: 100_000))
        let formFactor = m.choice("form_factor", as: FormFactor.self)
        var interconnect: GPUInterconnect?
        if let ic = m.map("interconnect", allowed: ["kind", "bandwidth_gbps"]) {
            let kind = ic.choice("kind", as: GPUInterconnect.Kind.self)
            let bw = ic.double("bandwidth_gbps", .nonNegative(max: 1_000_000))
            if let kind, let bw { interconnect = GPUInterconnect(kind: kind, bandwidthGBps: bw) }
        }
        let pcie = m.int("pcie_generation", 1...8)
        let cooling = m.choice("cooling", required: false, as: GPUCooling.self)
        let licensed = m.bool("datacenter_licensed", required: false)
        guard let listing, let family, let memory, let bandwidth, let tflops, let watts, let formFactor,
              let interconnect, let pcie else { return nil }
        if (m.has("cooling") && cooling == nil) || (m.has("datacenter_licensed") && licensed == nil) { return nil }
        return Decoded(id: listing.id, item: .gpu(GPU(
            listing: listing, family: family, memoryGiB: memory, memoryBandwidthGBps: bandwidth, denseTFLOPS: tflops,
            powerWatts: watts, formFactor: formFactor, interconnect: interconnect, pcieGeneration: pcie,
            cooling: cooling, datacenterLicensed: licensed ?? true)))
    }

    static func server(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "gpu_slots", "gpu_form_factors", "compatible_gpus", "rack_units", "power_watts", "dimm_slots",
            "memory_channels", "max_dimm_gib", "dimm_types", "nvme_bays", "ssd_form_factors", "nic_slots", "psu_bays",
            "compatible_psus", "cooling", "gpu_counts", "gpu_cooling", "sites", "includes"]) else { return nil }
        let listing = listing(m)
        let gpuSlots = m.int("gpu_slots", 0...1_000)
        let formFactors = m.choiceList("gpu_form_factors", as: FormFactor.self)
        let compatibleGPUs = m.stringList("compatible_gpus", required: false)
        let rackUnits = m.int("rack_units", 1...100)
        let watts = m.double("power_watts", .positive(max: 1_000_000))
        let dimmSlots = m.int("dimm_slots", 0...maxCount)
        let channels = m.int("memory_channels", 0...maxCount)
        let maxDIMM = m.double("max_dimm_gib", .positive(max: 100_000))
        let dimmTypes = m.choiceList("dimm_types", as: DIMMType.self)
        let nvme = m.int("nvme_bays", 0...maxCount)
        let ssdFormFactors = m.choiceList("ssd_form_factors", required: false, as: SSD.FormFactor.self)
        let nicSlots = m.int("nic_slots", 0...maxCount)
        let psuBays = m.int("psu_bays", 1...maxCount)
        let psus = m.stringList("compatible_psus")
        let cooling = m.choiceList("cooling", as: CoolingMethod.self)
        let gpuCounts = gpuCounts(m, slots: gpuSlots)
        let gpuCooling = m.choiceList("gpu_cooling", required: false, as: GPUCooling.self)
        let sites = m.choiceList("sites", required: false, as: Site.self)
        if let sites, sites.isEmpty {
            sink.report(m.value("sites"), m.keyPath("sites"), "must not be empty, expected datacenter and/or office")
            return nil
        }
        if let gpuCooling, gpuCooling.isEmpty {
            sink.report(m.value("gpu_cooling"), m.keyPath("gpu_cooling"), "must not be empty, expected active and/or passive")
            return nil
        }
        if let cooling, cooling.isEmpty { sink.report(m.value("cooling"), m.keyPath("cooling"), "must not be empty, expected air and/or liquid") }
        if let psus, psus.isEmpty { sink.report(m.value("compatible_psus"), m.keyPath("compatible_psus"), "must not be empty, expected at least one PSU id") }
        var refs: [(id: String, kind: CatalogKind, path: String, node: SourceLocation)] = []
        if let list = m.list("compatible_gpus", required: false) {
            for (i, n) in list.enumerated() { if case .scalar(let s) = n { refs.append((s.string, .gpus, "\(m.keyPath("compatible_gpus"))[\(i)]", sink.location(n))) } }
        }
        if let list = m.list("compatible_psus", required: false) {
            for (i, n) in list.enumerated() { if case .scalar(let s) = n { refs.append((s.string, .psus, "\(m.keyPath("compatible_psus"))[\(i)]", sink.location(n))) } }
        }
        let (includes, includesOK) = includedParts(m, psus: psus, refs: &refs) { kind in
            switch kind {
            case .dimms: dimmSlots
            case .ssds: nvme
            case .nics: nicSlots
            default: psuBays
            }
        }
        guard let listing, let gpuSlots, let formFactors, let rackUnits, let watts, let dimmSlots, let channels,
              let maxDIMM, let dimmTypes, let nvme, let nicSlots, let psuBays, let psus, let cooling,
              !cooling.isEmpty, !psus.isEmpty, includesOK else { return nil }
        if m.has("includes") && m.list("includes", required: false) == nil { return nil }
        if m.has("compatible_gpus") && compatibleGPUs == nil { return nil }
        if m.has("ssd_form_factors") && ssdFormFactors == nil { return nil }
        if (m.has("gpu_counts") && gpuCounts == nil) || (m.has("gpu_cooling") && gpuCooling == nil) || (m.has("sites") && sites == nil) { return nil }
        var server = Server(
            listing: listing, gpuSlots: gpuSlots, gpuFormFactors: formFactors, compatibleGPUs: compatibleGPUs,
            rackUnits: rackUnits, powerWatts: watts, dimmSlots: dimmSlots, memoryChannels: channels, maxDIMMGiB: maxDIMM,
            dimmTypes: dimmTypes, nvmeBays: nvme, ssdFormFactors: ssdFormFactors, nicSlots: nicSlots, psuBays: psuBays,
            compatiblePSUs: psus, cooling: cooling, gpuCounts: gpuCounts,
            gpuCooling: gpuCooling.map { Array(Set($0)).sorted { $0.rawValue < $1.rawValue } } ?? GPUCooling.allCases,
            sites: sites.map { list in Site.allCases.filter(list.contains) } ?? [.datacenter])
        server.includes = includes
        return Decoded(id: listing.id, item: .server(server), references: refs)
    }

    /// `includes:` of a chassis: what its price includes, one entry per kind (dimm, ssd, nic, psu),
    /// each within the chassis's slots or bays of that kind (`limit`, nil where that count failed to
    /// read) and a PSU among `compatible_psus`. Appends each named id to `refs`; `ok` is false when
    /// an entry was wrong (reported).
    static func includedParts(
        _ m: YAMLMap, psus: [String]?, refs: inout [(id: String, kind: CatalogKind, path: String, node: SourceLocation)],
        limit: (CatalogKind) -> Int?
    ) -> (parts: [IncludedPart], ok: Bool) {
        let sink = m.sink
        var includes: [IncludedPart] = []
        var includesOK = true
        if let list = m.list("includes", required: false) {
            for (i, node) in list.enumerated() {
                let entryPath = "\(m.keyPath("includes"))[\(i)]"
                guard let e = YAMLMap(node, path: entryPath, sink: sink, allowed: IncludedPart.keys.map(\.key) + ["count"]) else { includesOK = false; continue }
                let named = IncludedPart.keys.filter { e.has($0.key) }
                guard named.count == 1, let (key, kind) = named.first else {
                    sink.report(node, entryPath, "names \(named.isEmpty ? "no part" : "\(named.count) parts"), expected exactly one of dimm, ssd, nic, psu with its count")
                    includesOK = false
                    continue
                }
                let most = limit(kind)
                guard let id = e.string(key, maxLength: 100, pattern: isID, patternText: idPattern),
                      let count = e.int("count", 1...max(most ?? maxCount, 1)) else { includesOK = false; continue }
                if includes.contains(where: { $0.kind == kind }) {
                    sink.report(e.value(key), e.keyPath(key), "a second \(key) entry, expected at most one entry per kind (every server carries the same parts)")
                    includesOK = false
                } else if kind == .psus, let psus, !psus.contains(id) {
                    sink.report(e.value(key), e.keyPath(key), "'\(id)' is not in compatible_psus, expected one of \(psus.joined(separator: ", "))")
                    includesOK = false
                }
                refs.append((id, kind, e.keyPath(key), sink.location(e.value(key) ?? node)))
                includes.append(IncludedPart(kind: kind, id: id, count: count))
            }
        }
        return (includes, includesOK)
    }

    /// `gpu_counts`: the GPU counts a chassis is sold with, each 1 … `gpu_slots`, sorted and
    /// deduplicated; nil when absent (every count 1 … slots) or invalid (reported).
    static func gpuCounts(_ m: YAMLMap, slots: Int?) -> [Int]? {
        guard let items = m.list("gpu_counts", required: false) else { return nil }
        let top = max(slots ?? 1_000, 1)
        var counts: [Int] = []
        var ok = true
        for (i, item) in items.enumerated() {
            if let n = YAMLMap.int(item, path: "\(m.keyPath("gpu_counts"))[\(i)]", sink: m.sink, 1...top) { counts.append(n) } else { ok = false }
        }
        if ok && counts.isEmpty {
            m.sink.report(m.value("gpu_counts"), m.keyPath("gpu_counts"), "must not be empty, expected the GPU counts the chassis is sold with (1 to \(top))")
            ok = false
        }
        return ok ? Array(Set(counts)).sorted() : nil
    }

    static func dimm(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "capacity_gib", "type", "speed_mts", "power_watts"]) else { return nil }
        let listing = listing(m)
        let capacity = m.double("capacity_gib", .positive(max: 100_000))
        let type = m.choice("type", as: DIMMType.self)
        let speed = m.int("speed_mts", 1...100_000)
        let watts = m.double("power_watts", power)
        guard let listing, let capacity, let type, let speed, let watts else { return nil }
        return Decoded(id: listing.id, item: .dimm(DIMM(listing: listing, capacityGiB: capacity, type: type, speedMTs: speed, powerWatts: watts)))
    }

    static func ssd(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "capacity_tb", "form_factor", "pcie_generation", "seq_read_gbps", "seq_write_gbps", "random_read_iops",
            "random_write_iops", "dwpd", "power_watts"]) else { return nil }
        let listing = listing(m)
        let capacity = m.double("capacity_tb", .positive(max: 10_000))
        let ff = m.choice("form_factor", as: SSD.FormFactor.self)
        let pcie = m.int("pcie_generation", 1...8)
        let read = m.double("seq_read_gbps", .positive(max: 10_000))
        let write = m.double("seq_write_gbps", .positive(max: 10_000))
        let rIOPS = m.double("random_read_iops", .positive(max: 1e9))
        let wIOPS = m.double("random_write_iops", .positive(max: 1e9))
        let dwpd = m.double("dwpd", .positive(max: 1_000))
        let watts = m.double("power_watts", power)
        guard let listing, let capacity, let ff, let pcie, let read, let write, let rIOPS, let wIOPS, let dwpd, let watts
        else { return nil }
        return Decoded(id: listing.id, item: .ssd(SSD(
            listing: listing, capacityTB: capacity, formFactor: ff, pcieGeneration: pcie, seqReadGBps: read,
            seqWriteGBps: write, randomReadIOPS: rIOPS, randomWriteIOPS: wIOPS, dwpd: dwpd, powerWatts: watts)))
    }

    static func nic(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "fabric", "speed_gbps", "ports", "pcie_generation", "power_watts"]) else { return nil }
        let listing = listing(m)
        let fabric = m.choice("fabric", as: Fabric.self)
        let speed = m.double("speed_gbps", .positive(max: 100_000))
        let ports = m.int("ports", 1...1_000)
        let pcie = m.int("pcie_generation", 1...8)
        let watts = m.double("power_watts", power)
        guard let listing, let fabric, let speed, let ports, let pcie, let watts else { return nil }
        return Decoded(id: listing.id, item: .nic(NIC(listing: listing, fabric: fabric, speedGbps: speed, ports: ports,
                                                  pcieGeneration: pcie, powerWatts: watts)))
    }

    static func networkSwitch(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "fabric", "ports", "port_speed_gbps", "rack_units", "power_watts"]) else { return nil }
        let listing = listing(m)
        let fabric = m.choice("fabric", as: Fabric.self)
        let ports = m.int("ports", 1...maxCount)
        let speed = m.double("port_speed_gbps", .positive(max: 100_000))
        let ru = m.int("rack_units", 0...100)
        let watts = m.double("power_watts", power)
        guard let listing, let fabric, let ports, let speed, let ru, let watts else { return nil }
        return Decoded(id: listing.id, item: .networkSwitch(NetworkSwitch(listing: listing, fabric: fabric, ports: ports,
                                                            portSpeedGbps: speed, rackUnits: ru, powerWatts: watts)))
    }

    static func cable(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "fabric", "speed_gbps", "kind", "power_watts"]) else { return nil }
        let listing = listing(m)
        let fabric = m.choice("fabric", as: Fabric.self)
        let speed = m.double("speed_gbps", .positive(max: 100_000))
        let kind = m.choice("kind", as: Cable.Kind.self)
        let watts = m.double("power_watts", power)
        guard let listing, let fabric, let speed, let kind, let watts else { return nil }
        return Decoded(id: listing.id, item: .cable(Cable(listing: listing, fabric: fabric, speedGbps: speed,
                                                    cableKind: kind, powerWatts: watts)))
    }

    static func psu(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "capacity_watts", "efficiency_tier", "efficiency"]) else { return nil }
        let listing = listing(m)
        let capacity = m.double("capacity_watts", .positive(max: 100_000))
        let tier = m.choice("efficiency_tier", as: PSU.EfficiencyTier.self)
        let efficiency = m.double("efficiency", NumberRule(min: 0, minExclusive: true, max: 1))
        guard let listing, let capacity, let tier, let efficiency else { return nil }
        return Decoded(id: listing.id, item: .psu(PSU(listing: listing, capacityWatts: capacity, efficiencyTier: tier,
                                                  efficiency: efficiency)))
    }

    static func pdu(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "capacity_kw", "outlets", "rack_units"]) else { return nil }
        let listing = listing(m)
        let capacity = m.double("capacity_kw", .positive(max: 10_000))
        let outlets = m.int("outlets", 1...maxCount)
        let ru = m.int("rack_units", 0...100)
        guard let listing, let capacity, let outlets, let ru else { return nil }
        return Decoded(id: listing.id, item: .pdu(PDU(listing: listing, capacityKW: capacity, outlets: outlets, rackUnits: ru)))
    }

    static func coolingOption(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + [
            "kind", "max_kw_per_rack", "capacity_kw", "power_watts"]) else { return nil }
        let listing = listing(m)
        let kind = m.choice("kind", as: CoolingOption.Kind.self)
        let maxKW = m.double("max_kw_per_rack", .positive(max: 10_000))
        let capacity = m.double("capacity_kw", .positive(max: 100_000))
        let watts = m.double("power_watts", power)
        guard let listing, let kind, let maxKW, let capacity, let watts else { return nil }
        return Decoded(id: listing.id, item: .cooling(CoolingOption(listing: listing, method: kind, maxKWPerRack: maxKW,
                                                            capacityKW: capacity, powerWatts: watts)))
    }

    static func rack(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: listingKeys + ["rack_units", "max_power_kw"])
        else { return nil }
        let listing = listing(m)
        let ru = m.int("rack_units", 1...100)
        let kw = m.double("max_power_kw", .positive(max: 10_000))
        guard let listing, let ru, let kw else { return nil }
        return Decoded(id: listing.id, item: .rack(Rack(listing: listing, rackUnits: ru, maxPowerKW: kw)))
    }

    static func model(_ node: Node, _ path: String, _ sink: DiagnosticSink) -> Decoded? {
        guard let m = YAMLMap(node, path: path, sink: sink, allowed: [
            "id", "name", "vendor", "hf_repo", "source", "as_of", "layers", "hidden_size", "attention_heads",
            "kv_heads", "head_dim", "intermediate_size", "vocab_size", "max_context_tokens", "tied_embeddings",
            "published_params_b", "moe", "mla", "attention_bias", "qk_norm", "notes"]) else { return nil }
        let id = readID(m)
        let name = m.string("name", maxLength: 200)
        let vendor = m.string("vendor", maxLength: 200)
        let repo = m.string("hf_repo", required: false, maxLength: 200)
        let source = m.string("source", maxLength: 4_000)
        let asOf = m.string("as_of", maxLength: 10, pattern: isDate, patternText: "a date YYYY-MM or YYYY-MM-DD")
        let layers = m.int("layers", 1...1_000)
        let hidden = m.int("hidden_size", 1...1_000_000)
        let heads = m.int("attention_heads", 1...10_000)
        var kvHeads = m.int("kv_heads", 1...10_000)
        if let h = heads, let kv = kvHeads, kv > h {
            sink.report(m.value("kv_heads"), m.keyPath("kv_heads"), "out of range (got \(kv)), expected at most attention_heads (\(h))")
            kvHeads = nil
        }
        let headDim = m.int("head_dim", 1...100_000)
        let intermediate = m.int("intermediate_size", 1...10_000_000)
        let vocab = m.int("vocab_size", 1...10_000_000)
        let context = m.int("max_context_tokens", 1...10_000_000)
        let tied = m.bool("tied_embeddings")
        let published = m.double("published_params_b", .positive(max: 100_000))
        let attentionBias = m.bool("attention_bias", required: false)
        let qkNorm = m.bool("qk_norm", required: false)
        let notes = m.string("notes", required: false, maxLength: 10_000)
        var moe: ModelArchitecture.MixtureOfExperts?
        var moeOK = true
        if m.has("moe") {
            moeOK = false
            if let e = m.map("moe", allowed: ["experts", "active_experts", "shared_experts", "expert_intermediate_size", "dense_layers"]) {
                let experts = e.int("experts", 1...maxCount)
                var active = e.int("active_experts", 1...maxCount)
                if let a = active, let x = experts, a > x {
                    sink.report(e.value("active_experts"), e.keyPath("active_experts"), "out of range (got \(a)), expected at most experts (\(x))")
                    active = nil
                }
                let shared = e.int("shared_experts", required: false, 0...maxCount) ?? 0
                let inter = e.int("expert_intermediate_size", 1...10_000_000)
                var dense = e.int("dense_layers", required: false, 0...1_000) ?? 0
                if let l = layers, dense > l {
                    sink.report(e.value("dense_layers"), e.keyPath("dense_layers"), "out of range (got \(dense)), expected at most layers (\(l))")
                    dense = -1
                }
                if let experts, let active, let inter, dense >= 0 {
                    moe = .init(experts: experts, activeExperts: active, sharedExperts: shared, expertIntermediateSize: inter, denseLayers: dense)
                    moeOK = true
                }
            }
        }
        var mla: ModelArchitecture.MultiHeadLatentAttention?
        var mlaOK = true
        if m.has("mla") {
            mlaOK = false
            if let a = m.map("mla", allowed: ["kv_lora_rank", "q_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"]) {
                let kv = a.int("kv_lora_rank", 1...1_000_000)
                let q = a.int("q_lora_rank", required: false, 0...1_000_000) ?? 0
                let nope = a.int("qk_nope_head_dim", 1...100_000)
                let rope = a.int("qk_rope_head_dim", 0...100_000)
                let v = a.int("v_head_dim", 1...100_000)
                if let kv, let nope, let rope, let v {
                    mla = .init(kvLoraRank: kv, qLoraRank: q, qkNopeHeadDim: nope, qkRopeHeadDim: rope, vHeadDim: v)
                    mlaOK = true
                }
            }
        }
        guard let id, let name, let vendor, let source, let asOf, let layers, let hidden, let heads, let kvHeads,
              let headDim, let intermediate, let vocab, let context, let tied, let published, moeOK, mlaOK
        else { return nil }
        if (m.has("attention_bias") && attentionBias == nil) || (m.has("qk_norm") && qkNorm == nil) { return nil }
        return Decoded(id: id, item: .model(ModelArchitecture(
            id: id, name: name, vendor: vendor, huggingFaceRepo: repo, source: source, asOf: asOf, layers: layers,
            hiddenSize: hidden, attentionHeads: heads, kvHeads: kvHeads, headDim: headDim, intermediateSize: intermediate,
            vocabSize: vocab, maxContextTokens: context, tiedEmbeddings: tied, publishedParamsBillions: published,
            moe: moe, mla: mla, attentionBias: attentionBias ?? false, qkNorm: qkNorm ?? false, notes: notes)))
    }

    /// The entry as data, keys in file order.
    static func fields(_ node: Node) -> [CatalogField] {
        guard case .map(let fields) = value(node, depth: 0) else { return [] }
        return fields
    }

    static func value(_ node: Node, depth: Int) -> CatalogValue {
        if depth > YAMLDocument.maxDepth { return .null }
        switch node {
        case .scalar(let s):
            switch node.tagName {
            case .null: return .null
            case .bool: return node.bool.map(CatalogValue.bool) ?? .string(s.string)
            case .int, .float: return (node.fastInt.map(Double.init) ?? node.fastFloat).map(CatalogValue.number) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .sequence(let seq): return .list(seq.map { value($0, depth: depth + 1) })
        case .mapping(let map):
            return .map(map.map { CatalogField(key: $0.key.string ?? "\($0.key)", value: value($0.value, depth: depth + 1)) })
        case .alias: return .null
        }
    }
}
