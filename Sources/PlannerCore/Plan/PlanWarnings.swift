import Foundation

/// Warnings every plan carries: the seed guide's pitfalls and the prices to get quotes for.
enum PlanWarnings {
    static func `for`(deployments groups: [ServerGroup], bom: [BOMLine], context: PlanContext) -> [String] {
        var warnings = context.warnings
        for gpu in Set(groups.map(\.gpu)).sorted(by: { $0.id < $1.id }) where gpu.memoryBandwidthGBps < context.bandwidthWarningGBps {
            warnings.append(String(
                format: "%@ has %.0f GB/s of memory bandwidth, below the %.0f GB/s the seed guide warns about: decode is bandwidth-bound, so each token is slow; set constraints.min_memory_bandwidth_gbps to exclude such GPUs",
                gpu.id, gpu.memoryBandwidthGBps, context.bandwidthWarningGBps
            ))
        }
        if let calibrated = context.calibratedFamilies {
            for gpu in Set(groups.map(\.gpu)).sorted(by: { $0.id < $1.id })
            where !calibrated.contains(gpu.family) && !context.gpusWithKernelCurves.contains(gpu.id) {
                warnings.append("\(gpu.id) (\(gpu.family.rawValue)) has no kernel measurements of its own and no fitted family factors: its predicted speed is its own datasheet plus the time \(KernelCurvesCache.reference(for: gpu.family))'s measured kernels lose (an estimate)")
            }
        }
        for gpu in Set(groups.map(\.gpu)).sorted(by: { $0.id < $1.id }) where !gpu.datacenterLicensed && context.site == .datacenter {
            warnings.append("\(gpu.id) is a GeForce card: NVIDIA's GeForce driver licence does not permit datacenter deployment; use site: office for a desk-side build or choose a datacenter GPU")
        }
        var slotWarned = Set<String>()
        for group in groups where group.candidate.slotWaitUnderestimated(percentile: context.target.percentile / 100)
            && slotWarned.insert(group.candidate.key).inserted
        {
            let c = group.candidate
            warnings.append(String(
                format: "%@: at its rated %.2f requests/s a replica has %.0f requests in flight on average against %.0f KV-cache slots, and the count fluctuates %.1f times as much as a Poisson count (a busier engine runs longer steps that hold every request longer), so it reaches the slots %.1f %% of the time: the step simulator queues for slots there beyond what this plan's %@ TTFT assumes (docs/performance-model.md, \"Known and left: Poisson arrivals near saturation with long prompts\"); check the deployment with planner simulate --rate, or keep more spare capacity",
                c.key, c.capacityPerReplica, c.concurrencyPerReplica, c.slotsPerReplica ?? 0, c.inFlightPeakedness ?? 1,
                100 * (c.slotCapShare ?? 0), Format.percentileLabel(context.target.percentile)))
        }
        // docs/performance-model.md, "Mixtures of experts over several GPUs": the engines' default layout, measured
        // on TRT1's Qwen3-235B-A22B rows, predicts every row low (median 35.9 %, up to 68 %).
        let laidOut = groups.filter { $0.tensorParallel > 1 }
        if let model = context.mixtureOfExperts, !context.choosesParallelLayout,
           let tp = laidOut.filter({ !$0.candidate.layout.expertParallel }).map(\.tensorParallel).max()
        {
            warnings.append("\(model)'s experts are sharded over each replica's \(tp) GPUs, the engines' default; NVIDIA runs such models expert-parallel with data-parallel attention, and its Qwen3-235B-A22B runs in that layout measured up to 3× the throughput the default layout is predicted: engine: {expert_parallel: auto, attention_dp: auto} sizes each replica in the layout that carries more, and planner sweep SPEC --vary engine.expert_parallel=false,true --vary engine.attention_dp=false,true prices each")
        }
        if laidOut.contains(where: { ($0.candidate.layout.expertParallel && context.mixtureOfExperts != nil) || $0.candidate.layout.attentionDataParallel }) {
            // docs/performance-model.md, "Mixtures of experts over several GPUs": held out on TRT1's Qwen3-235B-A22B rows.
            warnings.append("replicas sized with experts expert-parallel or attention data-parallel (the Buy line names each deployment's layout) must be deployed in that layout; the model of it has one measured source (NVIDIA's TensorRT-LLM table, Qwen3-235B-A22B on 8 × H200, H100 and B200: median error 15.7 %, from 44 % low to 60 % high, the H100 rows the highest): benchmark before buying")
        }
        let estimated = bom.filter(\.isEstimate).map(\.listing.id).sorted()
        if !estimated.isEmpty {
            warnings.append("priced by estimate (get quotes): " + estimated.joined(separator: ", "))
        }
        if let reference = context.priceReferenceDate {
            let stale = PriceAge.stale(bom.map(\.listing), reference: reference)
            if !stale.isEmpty {
                warnings.append("priced more than \(PriceAge.staleAfterMonths) months before \(reference), \(context.priceReferenceSource) (get current quotes): " + stale.joined(separator: ", "))
            }
        }
        return warnings
    }
}
