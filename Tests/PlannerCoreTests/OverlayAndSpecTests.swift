import Foundation
import XCTest
@testable import PlannerCore

final class OverlayTests: XCTestCase {
    func testOverlayReplacesAndAddsAndRecordsTheReplacement() throws {
        let dir = try temporaryDirectory(self)
        let overlay = dir.appendingPathComponent("my-prices")
        try FileManager.default.createDirectory(at: overlay, withIntermediateDirectories: true)
        let h100 = try XCTUnwrap(try loadShipped().gpu("h100-sxm-80gb"))
        var yaml = "gpus:\n" + gpuYAML(id: "h100-sxm-80gb", price: "19999") + "\n" + gpuYAML(id: "my-new-gpu", price: "500")
        yaml += "\n"
        try yaml.write(to: overlay.appendingPathComponent("gpus.yaml"), atomically: true, encoding: .utf8)

        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [overlay], currentDirectory: dir.path)
        XCTAssertEqual(catalog.gpu("h100-sxm-80gb")?.listing.priceUSD, 19_999)
        XCTAssertNotEqual(h100.listing.priceUSD, 19_999)
        XCTAssertEqual(catalog.gpu("my-new-gpu")?.listing.priceUSD, 500)
        XCTAssertEqual(catalog.gpus.map(\.id), catalog.gpus.map(\.id).sorted())
        XCTAssertEqual(catalog.count, try loadShipped().count + 1)
        XCTAssertEqual(catalog.replacements.map { [$0.id, $0.overlayFile, $0.replacedFile] }, [
            ["h100-sxm-80gb", "my-prices/gpus.yaml", shippedCatalogURL.appendingPathComponent("gpus.yaml").path],
        ])
        XCTAssertEqual(catalog.replacements.first?.changes.first { $0.key == "price_usd" },
                       Catalog.Replacement.Change(key: "price_usd", old: format(h100.listing.priceUSD), new: "19999"))
        XCTAssertEqual(catalog.provenance["h100-sxm-80gb"]?.fromOverlay, true)
        XCTAssertEqual(catalog.provenance["h100-sxm-80gb"]?.location.file, "my-prices/gpus.yaml")
        XCTAssertEqual(catalog.replacement(for: "h100-sxm-80gb")?.overlayFile, "my-prices/gpus.yaml")
    }

    func testOverlaysApplyInOrderAndMayBeSingleFiles() throws {
        let dir = try temporaryDirectory(self)
        let first = dir.appendingPathComponent("a.yaml"), second = dir.appendingPathComponent("b.yaml")
        try ("gpus:\n" + gpuYAML(id: "l4-24gb", price: "1") + "\n").write(to: first, atomically: true, encoding: .utf8)
        try ("gpus:\n" + gpuYAML(id: "l4-24gb", price: "2") + "\n").write(to: second, atomically: true, encoding: .utf8)
        let catalog = try CatalogLoader.load(root: shippedCatalogURL, overlays: [first, second], currentDirectory: dir.path)
        XCTAssertEqual(catalog.gpu("l4-24gb")?.listing.priceUSD, 2)
        XCTAssertEqual(catalog.replacements.map(\.overlayFile), ["a.yaml", "b.yaml"])
    }

    func testOverlayMayNotChangeAnEntrysKindAndReferencesAreChecked() throws {
        let dir = try temporaryDirectory(self)
        let file = dir.appendingPathComponent("bad.yaml")
        try ("racks:\n  - {id: h100-sxm-80gb, name: R, vendor: V, rack_units: 42, max_power_kw: 20, price_usd: 1000, price_basis: list, source: s, as_of: 2025-01, part_number: R-1}\n")
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CatalogLoader.load(root: shippedCatalogURL, overlays: [file], currentDirectory: dir.path)) { error in
            let d = (error as? LoadError)?.diagnostics.map(\.description) ?? []
            XCTAssertEqual(d.count, 1)
            XCTAssertTrue(d.first?.hasPrefix("bad.yaml:2:10: racks[0].id: id 'h100-sxm-80gb' is already a GPU (") ?? false, "\(d)")
        }
    }

    func testMissingOverlayAndCatalogRootAreClearErrors() throws {
        XCTAssertThrowsError(try CatalogLoader.load(root: shippedCatalogURL, overlays: [URL(fileURLWithPath: "/nonexistent/x")])) { error in
            XCTAssertEqual(error as? LoadError, .fileNotFound("/nonexistent/x"))
        }
        XCTAssertThrowsError(try CatalogLoader.locateShippedCatalog(environment: [:], currentDirectory: "/", executablePath: "/usr/bin/true")) { error in
            guard case .catalogNotFound(let searched) = error as? LoadError else { return XCTFail("\(error)") }
            XCTAssertEqual(searched.first, "/catalogs")
            XCTAssertTrue((error as? LoadError)?.errorDescription?.contains("--catalog-root") ?? false)
        }
    }

    func testLocatingTheShippedCatalog() throws {
        let root = repositoryRoot.path
        // Explicit root, then the environment, then ./catalogs, then up from the executable.
        XCTAssertEqual(try CatalogLoader.locateShippedCatalog(explicitRoot: "catalogs", environment: [:], currentDirectory: root).path,
                       shippedCatalogURL.path)
        XCTAssertEqual(try CatalogLoader.locateShippedCatalog(environment: ["PLANNER_CATALOG_DIR": shippedCatalogURL.path],
                                                              currentDirectory: "/").path, shippedCatalogURL.path)
        XCTAssertEqual(try CatalogLoader.locateShippedCatalog(environment: [:], currentDirectory: root, executablePath: nil).path,
                       shippedCatalogURL.path)
        XCTAssertEqual(try CatalogLoader.locateShippedCatalog(environment: [:], currentDirectory: "/",
                                                              executablePath: root + "/.build/release/planner").path,
                       shippedCatalogURL.path)
        XCTAssertThrowsError(try CatalogLoader.locateShippedCatalog(explicitRoot: "/nonexistent", environment: [:]))
    }
}

final class SpecTests: XCTestCase {
    func testDefaults() throws {
        let spec = try SpecLoader.parse(yaml: minimalSpec, file: "dir/my-spec.yaml", catalog: try loadShipped())
        XCTAssertEqual(spec.name, "my-spec")
        XCTAssertEqual(spec.schemaVersion, 1)
        XCTAssertEqual(spec.precision, PrecisionChoice(weights: .fp16, kvCache: .fp16))
        XCTAssertEqual(spec.engine, .vllm)
        XCTAssertEqual(spec.workload.load, .maximumThroughput)
        XCTAssertEqual(spec.slo, SLO(ttftMs: nil, tpotMs: nil, e2eMs: nil, percentile: 99))
        XCTAssertNil(spec.budget.capexUSD)
        XCTAssertEqual(spec.objective, .minCapex)
        XCTAssertEqual(spec.tco, TCOSettings(years: 3, electricityUSDPerKWh: 0.12, pue: 1.4))
        let c = spec.constraints
        XCTAssertEqual(c.gpus, ChoiceFilter(allow: nil, deny: []))
        XCTAssertFalse(c.mixGPUTypes)
        XCTAssertNil(c.minMemoryBandwidthGBps)
        XCTAssertEqual(c.virtualizationOverhead, 0)
        XCTAssertEqual(c.replicaRedundancy, ReplicaRedundancy.none)
        XCTAssertNil(c.psuRedundancy, "absent: by chassis class (ChassisClass)")
        XCTAssertEqual(c.storage, StorageConstraints(modelLoadSeconds: 60, checkpointsKept: 1, osReserveGB: 200, minIOPS: 50_000, minFaultTolerance: 1))
        XCTAssertEqual(c.network.fabric, .any)
        XCTAssertNil(c.rackPowerKW)
        XCTAssertEqual(c.cooling, .any)
        XCTAssertEqual(c.growthHeadroom, 0)
        XCTAssertNil(c.maxTensorParallel)
        XCTAssertTrue(spec.pin.isEmpty)
        XCTAssertEqual(spec.sourceFile, "dir/my-spec.yaml")
    }

    func testEveryFieldIsRead() throws {
        let yaml = """
            schema_version: 1
            name: full
            description: every field
            model: llama-3.1-70b
            precision: {weights: fp8, kv_cache: fp8}
            engine: trtllm
            workload: {prompt_tokens: 2000, output_tokens: 500, requests_per_second: 12.5}
            slo: {ttft_ms: 800, tpot_ms: 40, e2e_ms: 30000, percentile: 95}
            budget: {capex_usd: 1.5e6}
            objective: min_tco
            tco: {years: 5, electricity_usd_per_kwh: 0.2, pue: 1.2}
            constraints:
              gpus: {allow: [h100-sxm-80gb, h200-sxm-141gb], deny: [h200-sxm-141gb]}
              mix_gpu_types: true
              min_memory_bandwidth_gbps: 600
              virtualization_overhead: 0.15
              replica_redundancy: n+1
              psu_redundancy: 2n
              storage: {model_load_seconds: 30, checkpoints_kept: 2, os_reserve_gb: 100, min_iops: 100000, min_fault_tolerance: 2}
              network: {fabric: infiniband}
              rack_power_kw: 40
              cooling: liquid
              growth_headroom: 0.25
              max_tensor_parallel: 8
            pin: {gpu: h100-sxm-80gb, gpu_count: 16, tensor_parallel: 8, server_count: 2, raid_level: 6, ssds_per_server: 4}
            """
        let spec = try SpecLoader.parse(yaml: yaml, catalog: try loadShipped())
        XCTAssertEqual(spec.precision, PrecisionChoice(weights: .fp8, kvCache: .fp8))
        XCTAssertEqual(spec.engine, .trtllm)
        XCTAssertEqual(spec.workload.requestsPerSecond, 12.5)
        XCTAssertNil(spec.workload.concurrency)
        XCTAssertEqual(spec.slo, SLO(ttftMs: 800, tpotMs: 40, e2eMs: 30_000, percentile: 95))
        XCTAssertEqual(spec.budget.capexUSD, 1_500_000)
        XCTAssertEqual(spec.objective, .minTCO)
        XCTAssertEqual(spec.tco, TCOSettings(years: 5, electricityUSDPerKWh: 0.2, pue: 1.2))
        XCTAssertEqual(spec.constraints.gpus.allow, ["h100-sxm-80gb", "h200-sxm-141gb"])
        XCTAssertTrue(spec.constraints.gpus.permits("h100-sxm-80gb"))
        XCTAssertFalse(spec.constraints.gpus.permits("h200-sxm-141gb"))
        XCTAssertEqual(spec.constraints.psuRedundancy, .twoN)
        XCTAssertEqual(spec.constraints.replicaRedundancy, .nPlus1)
        XCTAssertEqual(spec.constraints.storage.minFaultTolerance, 2)
        XCTAssertEqual(spec.constraints.network.fabric, .infiniband)
        XCTAssertEqual(spec.constraints.cooling, .liquid)
        XCTAssertEqual(spec.constraints.virtualizationOverhead, 0.15)
        XCTAssertEqual(spec.constraints.maxTensorParallel, 8)
        XCTAssertEqual(spec.pin, Pin(gpu: "h100-sxm-80gb", gpuCount: 16, tensorParallel: 8, serverCount: 2,
                                     ssdsPerServer: 4, raidLevel: .raid6))
    }

    func testCrossFieldChecksAgainstTheCatalog() throws {
        let catalog = try loadShipped()
        let yaml = """
            model: deepseek-r1-distil-llama-8b
            workload: {prompt_tokens: 512, output_tokens: 256}
            """
        XCTAssertEqual(specDiagnostics(yaml, catalog: catalog),
                       ["spec.yaml:1:8: model: unknown model 'deepseek-r1-distil-llama-8b', did you mean 'deepseek-r1-distill-llama-8b'?"])
        let context = try XCTUnwrap(catalog.model("llama-3.1-8b")).maxContextTokens
        XCTAssertEqual(specDiagnostics("model: llama-3.1-8b\nworkload: {prompt_tokens: \(context), output_tokens: 10}\n", catalog: catalog),
                       ["spec.yaml:2:27: workload.prompt_tokens: prompt_tokens + output_tokens = \(context + 10) exceeds llama-3.1-8b's context of \(context) tokens, expected at most \(context)"])
        let pins = minimalSpec + """

            precision: {weights: fp8}
            pin: {gpu: a100-sxm-80gb, server: h100-sxm-80gb, tensor_parallel: 3, gpu_count: 8, raid_level: 1, ssds_per_server: 3}
            """
        XCTAssertEqual(specDiagnostics(pins, catalog: catalog), [
            "spec.yaml:3:22: precision.weights: fp8 is not supported by a100-sxm-80gb (no fp8 tensor path), expected one of fp16, bf16, int8, int4-gptq, int4-awq",
            "spec.yaml:4:35: pin.server: 'h100-sxm-80gb' is a GPU, expected a server id",
            "spec.yaml:4:81: pin.gpu_count: 8 GPUs do not divide into tensor-parallel groups of 3, expected a multiple of 3",
            "spec.yaml:4:96: pin.raid_level: RAID 1 cannot use 3 drives (pin.ssds_per_server), expected exactly 2 drives",
        ])
    }

    /// NVFP4 weights need FP4 tensor cores (the B200 in the shipped catalog), and no KV cache is FP4.
    func testNVFP4NeedsAGPUWithFP4TensorCores() throws {
        let catalog = try loadShipped()
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nprecision: {weights: fp4}\npin: {gpu: h100-sxm-80gb}\n", catalog: catalog), [
            "spec.yaml:3:22: precision.weights: fp4 is not supported by h100-sxm-80gb (no fp4 tensor path), expected one of fp16, bf16, fp8, int8, int4-gptq, int4-awq",
        ])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nprecision: {weights: fp4}\nconstraints: {gpus: {allow: [h100-sxm-80gb, h200-sxm-141gb]}}\n", catalog: catalog), [
            "spec.yaml:3:22: precision.weights: fp4 is not supported by any permitted GPU, expected fp16, bf16 or an int4 format",
        ])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nprecision: {weights: fp4, kv_cache: fp4}\n", catalog: catalog), [
            "spec.yaml:3:37: precision.kv_cache: fp4 is a weights-only format, expected fp16, bf16, fp8 or int8",
        ])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nprecision: {weights: fp4}\npin: {gpu: b200-180gb}\n", catalog: catalog), [])
        let spec = try SpecLoader.parse(yaml: minimalSpec + "\nprecision: {weights: fp4}\nengine: trtllm\n", catalog: catalog)
        XCTAssertEqual(spec.precision, PrecisionChoice(weights: .fp4, kvCache: .fp8))
    }

    func testSettingByDottedKey() throws {
        let spec = try SpecLoader.parse(yaml: minimalSpec + "\nslo: {tpot_ms: 50}\n")
        XCTAssertEqual(try spec.setting("slo.tpot_ms", to: "40").slo.tpotMs, 40)
        XCTAssertEqual(try spec.setting("budget.capex_usd", to: "250000").budget.capexUSD, 250_000)
        XCTAssertEqual(try spec.setting("workload.concurrency", to: "128").workload.load, .concurrency(128))
        XCTAssertEqual(try spec.setting("precision.weights", to: "int4-awq").precision.weights, .int4AWQ)
        XCTAssertEqual(try spec.setting("constraints.psu_redundancy", to: "2n").constraints.psuRedundancy, .twoN)
        XCTAssertNil(try spec.setting("slo.tpot_ms", to: "none").slo.tpotMs)
        XCTAssertEqual(spec.slo.tpotMs, 50, "the original is unchanged")
        XCTAssertThrowsError(try spec.setting("slo.tpot_msec", to: "1")) { error in
            XCTAssertEqual(error as? SpecSettingError, .unknownKey("slo.tpot_msec", suggestion: "slo.tpot_ms"))
        }
        XCTAssertThrowsError(try spec.setting("slo.tpot_ms", to: "-5")) { error in
            XCTAssertEqual(error as? SpecSettingError, .invalidValue(key: "slo.tpot_ms", value: "-5", expected: "a positive number up to 600000"))
        }
        XCTAssertThrowsError(try spec.setting("workload.concurrency", to: "1e30"))
        XCTAssertThrowsError(try spec.setting("precision.kv_cache", to: "int4-gptq"))
        XCTAssertThrowsError(try spec.setting("slo.percentile", to: "nan"))
    }

    /// The engine's settings vary like any key (`planner sweep --vary engine.attention_dp=false,true`): the
    /// overrides change, the engine's name stays, `none` puts a cap back to the engine's default.
    func testSettingTheEnginesSettings() throws {
        let spec = try SpecLoader.parse(yaml: minimalSpec + "\nengine: {name: trtllm, max_num_seqs: 64}\n")
        let laidOut = try spec.setting("engine.expert_parallel", to: "true").setting("engine.attention_dp", to: "true")
        XCTAssertTrue(laidOut.engineSettings.expertParallel && laidOut.engineSettings.attentionDataParallel)
        XCTAssertEqual(laidOut.engine, .trtllm)
        XCTAssertEqual(laidOut.engineSettings.maxBatch, 64)
        XCTAssertEqual(try spec.setting("engine.max_num_seqs", to: "512").engineSettings.maxBatch, 512)
        XCTAssertEqual(try spec.setting("engine.max_num_seqs", to: "none").engineSettings.maxBatch, 2048)
        XCTAssertEqual(try spec.setting("engine.max_num_batched_tokens", to: "16384").engineSettings.maxTokensPerStep, 16_384)
        XCTAssertTrue(try spec.setting("engine.enable_chunked_prefill", to: "true").engineSettings.chunkedPrefill)
        XCTAssertThrowsError(try spec.setting("engine.attention_dp", to: "yes")) { error in
            XCTAssertEqual(error as? SpecSettingError, .invalidValue(key: "engine.attention_dp", value: "yes", expected: "true, false or auto"))
        }
        XCTAssertThrowsError(try spec.setting("engine.max_num_seqs", to: "0"))
    }
}
