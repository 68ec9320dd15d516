import Foundation
import PlannerTestSupport
@testable import PlannerCore

/// Catalog items with round numbers, built without the catalog loader.
enum Parts {
    static func listing(_ id: String, _ price: Double) -> Listing {
        Listing(id: id, name: id, vendor: "test", priceUSD: price, priceBasis: .list, source: "generated", asOf: "2025-01")
    }

    static func gpu(_ id: String, price: Double, memoryGiB: Double, watts: Double, form: FormFactor) -> GPU {
        GPU(
            listing: listing(id, price), family: .hopper, memoryGiB: memoryGiB, memoryBandwidthGBps: 3000,
            denseTFLOPS: [.fp16: 1000, .bf16: 1000, .fp8: 2000], powerWatts: watts, formFactor: form,
            interconnect: GPUInterconnect(kind: form == .sxm ? .nvlink4 : .pcie, bandwidthGBps: 900), pcieGeneration: 5
        )
    }

    static func candidate(_ gpu: GPU, tp: Int, capacity: Double, ttft: Double, tpot: Double, memory: Double, weights: Double) -> ServingCandidate {
        ServingCandidate(
            gpu: gpu, tensorParallel: tp, capacityPerReplica: capacity, concurrencyPerReplica: capacity,
            ttftMs: ttft, tpotMs: tpot, outputTokensPerSecond: capacity * 20,
            memoryUsedPerGPUGiB: memory, weightsPerReplicaGiB: weights
        )
    }

    static func dimm(_ id: String, price: Double, gib: Double, type: DIMMType = .rdimm, watts: Double) -> DIMM {
        DIMM(listing: listing(id, price), capacityGiB: gib, type: type, speedMTs: 5600, powerWatts: watts)
    }

    static func ssd(_ id: String, price: Double, tb: Double, readGBps: Double, iops: Double, watts: Double) -> SSD {
        SSD(
            listing: listing(id, price), capacityTB: tb, formFactor: .u2, pcieGeneration: 5, seqReadGBps: readGBps,
            seqWriteGBps: readGBps / 2, randomReadIOPS: iops, randomWriteIOPS: iops / 4, dwpd: 1, powerWatts: watts
        )
    }

    static func nic(_ id: String, price: Double, fabric: Fabric, gbps: Double, ports: Int, watts: Double) -> NIC {
        NIC(listing: listing(id, price), fabric: fabric, speedGbps: gbps, ports: ports, pcieGeneration: 5, powerWatts: watts)
    }

    static func networkSwitch(_ id: String, price: Double, fabric: Fabric, ports: Int, gbps: Double, units: Int = 1, watts: Double) -> NetworkSwitch {
        NetworkSwitch(listing: listing(id, price), fabric: fabric, ports: ports, portSpeedGbps: gbps, rackUnits: units, powerWatts: watts)
    }

    static func cable(_ id: String, price: Double, fabric: Fabric, gbps: Double, watts: Double) -> Cable {
        Cable(listing: listing(id, price), fabric: fabric, speedGbps: gbps, cableKind: .dac, powerWatts: watts)
    }

    static func psu(_ id: String, price: Double, watts: Double, efficiency: Double) -> PSU {
        PSU(listing: listing(id, price), capacityWatts: watts, efficiencyTier: .titanium, efficiency: efficiency)
    }

    static func pdu(_ id: String, price: Double, kw: Double) -> PDU {
        PDU(listing: listing(id, price), capacityKW: kw, outlets: 24, rackUnits: 0)
    }

    static func cooling(_ id: String, price: Double, method: CoolingOption.Kind, kwPerRack: Double, unitKW: Double, watts: Double) -> CoolingOption {
        CoolingOption(listing: listing(id, price), method: method, maxKWPerRack: kwPerRack, capacityKW: unitKW, powerWatts: watts)
    }

    static func rack(_ id: String, price: Double, units: Int, kw: Double) -> Rack {
        Rack(listing: listing(id, price), rackUnits: units, maxPowerKW: kw)
    }

    static func server(
        _ id: String, price: Double, slots: Int, forms: [FormFactor], compatible: [String]? = nil, units: Int, watts: Double,
        dimmSlots: Int, channels: Int, maxDIMM: Double, dimmTypes: [DIMMType] = [.rdimm], bays: Int, nicSlots: Int,
        psuBays: Int, psus: [String], cooling: [CoolingMethod], sites: [Site] = [.datacenter]
    ) -> Server {
        Server(
            listing: listing(id, price), gpuSlots: slots, gpuFormFactors: forms, compatibleGPUs: compatible, rackUnits: units,
            powerWatts: watts, dimmSlots: dimmSlots, memoryChannels: channels, maxDIMMGiB: maxDIMM, dimmTypes: dimmTypes,
            nvmeBays: bays, nicSlots: nicSlots, psuBays: psuBays, compatiblePSUs: psus, cooling: cooling, sites: sites
        )
    }
}

/// A small generated planning problem: what the brute force and the MILP both solve.
struct GeneratedProblem {
    var seed: UInt64
    var problem: PlanningProblem
    var target: SLO
    var unit: DemandUnit

    var context: PlanContext {
        PlanContext(specName: "seed-\(seed)", target: target, demandUnit: unit, weightPrecision: .bf16, kvPrecision: .bf16)
    }

    /// A one-line summary for failure messages.
    var summary: String {
        let r = problem.requirements
        let chassis = problem.servers.map { "\($0.id) (\($0.sites.contains(.office) ? "desk-side" : "rack"), \($0.psuBays) PSU bays, \($0.memoryChannels) ch)" }
        return "seed \(seed): demand \(r.demand) \(unit.rawValue), spare \(r.spareReplica), psu \(r.psuRedundancy?.rawValue ?? "by chassis class"), "
            + "chassis \(chassis.joined(separator: ", ")), "
            + "faults \(r.storage.faultTolerance), budget \(r.budgetUSD.map { String($0) } ?? "-"), "
            + "pins gpus \(r.pins.gpuCount.map(String.init) ?? "-") servers \(r.pins.serverCount.map(String.init) ?? "-"), "
            + "candidates \(problem.candidates.map(\.key).joined(separator: " "))"
    }

    /// 2–3 GPU types with 1–2 TP candidates each, 2 chassis, 2 DIMMs, 2 SSDs, 2 NICs of one or two
    /// fabric classes (one switch and one cable per class), 2 PSUs, 1–2 racks, 1–2 cooling options, 1 PDU.
    ///
    /// Chassis classes (docs/spec.md "Defaults by chassis class") are drawn last, from a stream of
    /// their own, so the other problems stay exactly what they were before these draws existed:
    /// about a third of the problems swap the small rack server for a desk-side tower (`sites`
    /// include `office`; one or two PSU bays, 2–8 memory channels, paired DIMMs allowed), make every
    /// GPU but the first a PCIe card (so the tower is often the cheapest home), and most of
    /// those leave `psu_redundancy` unset, so a rack server at n+1 and a tower at none meet in one
    /// problem; one in eight of the other problems leaves it unset with rack servers only, a one-bay
    /// small server (default none) in half of those.
    static func make(seed: UInt64) -> GeneratedProblem {
        var rng = SplitMix64(seed: seed &* 0x2545_F491_4F6C_DD1D &+ 17)
        let weights = Double(rng.pick([8, 16, 35, 70]))

        // GPUs and their candidates.
        var candidates: [ServingCandidate] = []
        var gpus: [GPU] = []
        let gpuCount = rng.int(2...3)
        for index in 0..<gpuCount {
            let form: FormFactor = index == 0 ? .sxm : rng.pick([.sxm, .pcieDualSlot, .pcieDualSlot])
            let memory = Double(rng.pick([48, 80, 141]))
            let gpu = Parts.gpu(
                "gpu\(index)", price: Double(rng.int(16...80) * 500), memoryGiB: memory,
                watts: Double(rng.int(6...20) * 50), form: form
            )
            gpus.append(gpu)
            let baseTP = rng.pick([1, 1, 2])
            let tps = rng.chance(percent: 50) ? [baseTP] : [baseTP, baseTP * 2]
            var capacity = Double(rng.int(2...12))
            for (k, tp) in tps.enumerated() {
                if k > 0 { capacity = capacity * 2 + Double(rng.int(1...6)) } // more load per GPU at the larger TP
                candidates.append(Parts.candidate(
                    gpu, tp: tp, capacity: capacity, ttft: Double(rng.int(50...400)), tpot: Double(rng.int(10...60)),
                    memory: memory * Double(rng.int(50...95)) / 100, weights: weights
                ))
            }
        }

        // PSUs (both offered; compatibility varies per chassis).
        let psus = [
            Parts.psu("psu-a", price: Double(rng.int(2...6) * 50), watts: Double(rng.pick([1600, 2000, 2400])), efficiency: Double(rng.int(90...94)) / 100),
            Parts.psu("psu-b", price: Double(rng.int(5...12) * 50), watts: Double(rng.pick([2700, 3000, 3300])), efficiency: Double(rng.int(94...97)) / 100),
        ]
        func psuSubset() -> [String] { rng.pick([["psu-a", "psu-b"], ["psu-a", "psu-b"], ["psu-b"], ["psu-a"]]) }

        // Chassis: a big one (HGX-like for SXM, or generic) and a small PCIe one.
        let sxmIDs = gpus.filter { $0.formFactor == .sxm }.map(\.id)
        let bigGeneric = rng.chance(percent: 40)
        let big = Parts.server(
            "srv-big", price: Double(rng.int(20...60) * 500), slots: rng.pick([4, 8]),
            forms: bigGeneric ? [.sxm, .pcieDualSlot] : [.sxm], compatible: bigGeneric ? nil : sxmIDs,
            units: rng.pick([4, 6, 8]), watts: Double(rng.int(8...20) * 100), dimmSlots: rng.pick([16, 32]), channels: 8,
            maxDIMM: rng.pick([64, 128]), bays: rng.int(2...4), nicSlots: rng.int(1...2), psuBays: rng.pick([4, 6]),
            psus: psuSubset(), cooling: rng.pick([[.air], [.air, .liquid], [.liquid]])
        )
        var small = Parts.server(
            "srv-small", price: Double(rng.int(6...16) * 500), slots: rng.pick([2, 4]),
            forms: rng.chance(percent: 30) ? [.pcieDualSlot, .sxm] : [.pcieDualSlot], units: rng.pick([1, 2]),
            watts: Double(rng.int(3...8) * 100), dimmSlots: rng.pick([8, 16]), channels: rng.pick([4, 8]), maxDIMM: 64,
            dimmTypes: rng.chance(percent: 20) ? [.rdimm, .udimm] : [.rdimm], bays: rng.int(1...4), nicSlots: rng.int(0...2),
            psuBays: rng.pick([2, 4]), psus: psuSubset(), cooling: rng.pick([[.air], [.air, .liquid]])
        )
        let dimms = [
            Parts.dimm("dimm-32", price: Double(rng.int(3...6) * 50), gib: 32, watts: Double(rng.int(3...5))),
            Parts.dimm("dimm-64", price: Double(rng.int(5...12) * 50), gib: 64, type: rng.chance(percent: 20) ? .udimm : .rdimm, watts: Double(rng.int(4...7))),
        ]
        let ssds = [
            Parts.ssd("ssd-a", price: Double(rng.int(4...10) * 50), tb: 1.92, readGBps: Double(rng.int(3...7)), iops: 400_000, watts: Double(rng.int(8...14))),
            Parts.ssd("ssd-b", price: Double(rng.int(10...30) * 50), tb: 7.68, readGBps: Double(rng.int(6...14)), iops: 1_000_000, watts: Double(rng.int(12...25))),
        ]

        // Network: one or two fabric classes, one switch and one cable per class. Small switches so
        // leaf/spine layouts appear with a handful of servers.
        let twoClasses = rng.chance(percent: 50)
        var nics = [Parts.nic("nic-eth", price: Double(rng.int(4...12) * 100), fabric: .ethernet, gbps: rng.pick([100, 200]), ports: rng.int(1...2), watts: Double(rng.int(10...20)))]
        nics.append(twoClasses
            ? Parts.nic("nic-ib", price: Double(rng.int(10...25) * 100), fabric: .infiniband, gbps: 400, ports: 1, watts: Double(rng.int(15...25)))
            : Parts.nic("nic-eth2", price: Double(rng.int(8...20) * 100), fabric: .ethernet, gbps: nics[0].speedGbps, ports: 1, watts: Double(rng.int(8...20))))
        var switches = [Parts.networkSwitch("sw-eth", price: Double(rng.int(4...20) * 1000), fabric: .ethernet, ports: rng.pick([4, 6, 8, 16]), gbps: nics[0].speedGbps, watts: Double(rng.int(2...8) * 50))]
        var cables = [Parts.cable("cable-eth", price: Double(rng.int(2...10) * 25), fabric: .ethernet, gbps: nics[0].speedGbps, watts: Double(rng.int(0...2)))]
        if twoClasses {
            switches.append(Parts.networkSwitch("sw-ib", price: Double(rng.int(10...30) * 1000), fabric: .infiniband, ports: rng.pick([4, 8]), gbps: 400, watts: Double(rng.int(3...10) * 50)))
            cables.append(Parts.cable("cable-ib", price: Double(rng.int(4...16) * 25), fabric: .infiniband, gbps: 400, watts: Double(rng.int(1...4))))
        }

        // Facility.
        var racks = [Parts.rack("rack-42", price: Double(rng.int(8...20) * 100), units: 42, kw: Double(rng.pick([8, 12, 17, 25])))]
        if rng.chance(percent: 50) { racks.append(Parts.rack("rack-48", price: Double(rng.int(15...30) * 100), units: 48, kw: Double(rng.pick([20, 30, 40])))) }
        var cooling = [Parts.cooling("cool-air", price: Double(rng.int(5...20) * 100), method: .air, kwPerRack: Double(rng.pick([15, 20, 30])), unitKW: Double(rng.pick([10, 20, 30])), watts: 500)]
        if rng.chance(percent: 50) {
            cooling.append(Parts.cooling("cool-dlc", price: Double(rng.int(10...40) * 500), method: .directLiquid, kwPerRack: Double(rng.pick([40, 60, 80])), unitKW: Double(rng.pick([50, 100])), watts: 1500))
        }
        let pdus = [Parts.pdu("pdu", price: Double(rng.int(5...20) * 100), kw: Double(rng.pick([8.6, 11.5, 17.3])))]

        // Requirements.
        let unit: DemandUnit = rng.chance(percent: 50) ? .concurrency : .requestsPerSecond
        let typicalCapacity = candidates.map(\.capacityPerReplica).reduce(0, +) / Double(candidates.count)
        var demand = typicalCapacity * Double(rng.chance(percent: 50) ? rng.int(5...40) : rng.int(40...120)) / 10
        if unit == .requestsPerSecond { demand = (demand * 4).rounded() / 4 } else { demand = demand.rounded(.up) }
        var pins = Pins()
        let pinKind = rng.int(0...9)
        if pinKind == 0 { pins.gpuCount = rng.pick([2, 4, 6, 8]) }
        if pinKind == 1 { pins.serverCount = rng.int(1...3) }
        if pinKind == 2 { pins.gpuCount = rng.pick([4, 8]); pins.serverCount = rng.int(1...2) }
        var requirements = Requirements(
            demand: demand, spareReplica: rng.chance(percent: 30), budgetUSD: nil, objective: .minimumCapex,
            allowMixedGPUTypes: false, psuRedundancy: rng.pick(PSURedundancy.allCases),
            hostMemory: HostMemoryRule(),
            storage: StorageRequirement(
                capacityGB: Double(rng.pick([500, 1500, 3000, 6000])), readGBps: Double(rng.pick([2, 5, 10])),
                readIOPS: 50_000, faultTolerance: rng.pick([0, 0, 1, 1, 2])
            ),
            network: NetworkRequirement(),
            rackPowerLimitKW: rng.chance(percent: 20) ? Double(rng.pick([10, 15])) : nil,
            coolingMethods: rng.chance(percent: 20) ? [.air] : CoolingMethod.allCases,
            pins: pins
        )
        var classes = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ 101)
        if classes.chance(percent: 34) {
            // Workstation cards: every GPU but the first (the one an HGX board takes) is a PCIe card.
            candidates = candidates.map { candidate in
                guard candidate.gpu.id != "gpu0" else { return candidate }
                var card = candidate
                card.gpu = Parts.gpu(candidate.gpu.id, price: candidate.gpu.listing.priceUSD, memoryGiB: candidate.gpu.memoryGiB, watts: candidate.gpu.powerWatts, form: .pcieDualSlot)
                return card
            }
            let channels = classes.pick([2, 4, 4, 8])
            small = Parts.server(
                "srv-tower", price: Double(classes.int(3...10) * 500), slots: classes.pick([1, 2, 2, 4]), forms: [.pcieDualSlot],
                units: classes.pick([4, 5]), watts: Double(classes.int(4...9) * 50), dimmSlots: channels * classes.pick([1, 2]),
                channels: channels, maxDIMM: 64, dimmTypes: classes.pick([[.udimm, .rdimm], [.rdimm]]), bays: classes.int(2...4),
                nicSlots: classes.int(1...2), psuBays: classes.pick([1, 2, 2]), psus: classes.pick([["psu-a", "psu-b"], ["psu-a"], ["psu-b"]]),
                cooling: [.air], sites: [.office, .datacenter]
            )
            if classes.chance(percent: 85) { requirements.psuRedundancy = nil }
        } else if classes.chance(percent: 13) {
            requirements.psuRedundancy = nil
            if classes.chance(percent: 50) { small.psuBays = 1 }
        }
        let problem = PlanningProblem(
            candidates: candidates, servers: [big, small], dimms: dimms, ssds: ssds, nics: nics, switches: switches,
            cables: cables, psus: psus, pdus: pdus, cooling: cooling, racks: racks, requirements: requirements
        )
        return GeneratedProblem(seed: seed, problem: problem, target: SLO(ttftMs: 500, tpotMs: 80), unit: unit)
    }
}
