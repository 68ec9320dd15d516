import Foundation
import XCTest
@testable import PlannerCore

final class ShippedCatalogTests: XCTestCase {
    func testEveryShippedCatalogFileLoadsOnItsOwn() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: shippedCatalogURL.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 8)
        for name in files {
            let url = shippedCatalogURL.appendingPathComponent(name)
            var builder = CatalogBuilder(currentDirectory: repositoryRoot.path)
            builder.add(file: url, overlay: false)
            // Cross-references may point into other files, so only the file's own diagnostics count here.
            XCTAssertEqual(builder.diagnostics.map(\.description), [], name)
        }
    }

    func testShippedCatalogLoadsWithEveryKindSortedAndIndexed() throws {
        let catalog = try loadShipped()
        for kind in CatalogKind.allCases {
            let ids = catalog.ids(of: kind)
            XCTAssertFalse(ids.isEmpty, "no \(kind.rawValue) in the shipped catalog")
            XCTAssertEqual(ids, ids.sorted(), kind.rawValue)
            for id in ids { XCTAssertEqual(catalog.kind(of: id), kind) }
        }
        XCTAssertEqual(Set(catalog.allIDs).count, catalog.count)
        XCTAssertTrue(catalog.replacements.isEmpty)
        let h100 = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        XCTAssertEqual(h100.memoryGiB, 79.65, "81,559 MiB as nvidia-smi reports it")
        XCTAssertEqual(h100.formFactor, .sxm)
        XCTAssertNotNil(h100.denseTFLOPS[.fp8])
        XCTAssertNil(catalog.server("h100-sxm-80gb"), "lookup by the wrong kind finds nothing")
        let provenance = try XCTUnwrap(catalog.provenance["h100-sxm-80gb"])
        XCTAssertEqual(provenance.location.file, "catalogs/gpus.yaml")
        XCTAssertEqual(provenance.kind, .gpus)
        XCTAssertFalse(provenance.fromOverlay)
        XCTAssertEqual(provenance.fields.first?.key, "id")
    }

    func testEstimatesCarryNotesAndServerReferencesResolve() throws {
        let catalog = try loadShipped()
        for id in catalog.allIDs {
            guard let listing = catalog.listing(id) else { continue }
            XCTAssertGreaterThan(listing.priceUSD, 0, id)
            if listing.priceBasis == .estimate { XCTAssertNotNil(listing.priceNote, id) }
        }
        for server in catalog.servers {
            XCTAssertFalse(server.compatiblePSUs.isEmpty, server.id)
            for psu in server.compatiblePSUs { XCTAssertNotNil(catalog.psu(psu), "\(server.id) → \(psu)") }
            for gpu in server.compatibleGPUs ?? [] { XCTAssertNotNil(catalog.gpu(gpu), "\(server.id) → \(gpu)") }
        }
    }

    /// Orderable: every priced entry states its part number with a source, or `part_number: null` with
    /// the reason in `part_number_note`; every GPU states its cooling and every chassis the GPU cooling it supports.
    func testEveryEntryHasAPartNumberOrADocumentedNull() throws {
        let catalog = try loadShipped()
        var numbered = 0
        for id in catalog.allIDs {
            guard let listing = catalog.listing(id), let fields = catalog.provenance[id]?.fields else { continue }
            let written = try XCTUnwrap(fields.first { $0.key == "part_number" }, "\(id): no part_number key").value
            let note = try XCTUnwrap(listing.partNumberNote, "\(id): no part_number_note")
            if written == .null {
                XCTAssertNil(listing.partNumber, id)
                XCTAssertGreaterThan(note.count, 20, "\(id): part_number null without a reason")
            } else {
                numbered += 1
                XCTAssertEqual(written, .string(try XCTUnwrap(listing.partNumber, id)), id)
                XCTAssertTrue(note.contains("http") || note.contains("shared/reference"), "\(id): part number without a source")
            }
        }
        // Counted by hand in catalogs/*.yaml: 17 of the 75 priced entries carry a manufacturer part number.
        XCTAssertEqual(numbered, 17)
        XCTAssertEqual(catalog.listing("l40s-48gb")?.partNumber, "900-2G133-0080-000")
        XCTAssertEqual(catalog.listing("qm8700")?.partNumber, "MQM8700-HS2F")
        for gpu in catalog.gpus { XCTAssertTrue(catalog.provenance[gpu.id]!.fields.contains { $0.key == "cooling" }, gpu.id) }
        for server in catalog.servers { XCTAssertTrue(catalog.provenance[server.id]!.fields.contains { $0.key == "gpu_cooling" }, server.id) }
    }

    /// GPU memory is what the driver reports, in GiB (the KV cache is sized from it), not the
    /// datasheet's GB: nvidia-smi totals in MiB from the public outputs cited in each entry's notes.
    func testGPUMemoryIsWhatTheDriverReports() throws {
        let catalog = try loadShipped()
        let reportedMiB: [String: Double] = [
            "a100-sxm-40gb": 40_960, "a100-pcie-40gb": 40_960, "a100-sxm-80gb": 81_920, "a100-pcie-80gb": 81_920,
            "h100-sxm-80gb": 81_559, "h100-nvl-94gb": 95_830, "h200-sxm-141gb": 143_771, "l40s-48gb": 46_068,
            "l4-24gb": 23_034, "a10-24gb": 23_028, "rtx-4090-24gb": 24_564, "b200-180gb": 183_359,
        ]
        for (id, mib) in reportedMiB {
            let gpu = try XCTUnwrap(catalog.gpu(id), id)
            XCTAssertEqual(gpu.memoryGiB, (mib / 1024 * 100).rounded() / 100, id)
            XCTAssertTrue(gpu.listing.notes?.contains("Memory: ") ?? false, id)
        }
        XCTAssertEqual(try XCTUnwrap(catalog.gpu("l40s-48gb")).memoryGiB, 44.99)
        // No driver output found: estimates, said so in the notes.
        for id in ["h100-pcie-80gb", "rtx-6000-ada-48gb"] {
            XCTAssertTrue(try XCTUnwrap(catalog.gpu(id)).listing.notes?.contains("Memory: ESTIMATE") ?? false, id)
        }
        // MI300X: 8 CPX partitions of 25,767,706,624 bytes each.
        XCTAssertEqual(try XCTUnwrap(catalog.gpu("mi300x-192gb")).memoryGiB, (8.0 * 25_767_706_624 / 1_073_741_824 * 100).rounded() / 100)
        XCTAssertEqual(catalog.gpus.count, reportedMiB.count + 3)
    }

    /// Chassis prices are bare: one chassis (one part number) has one price whatever board it carries,
    /// and the HGX H100 derivation re-worked from the catalog's own part prices gives its price.
    func testChassisPricesAreBareAndOnePerChassis() throws {
        let catalog = try loadShipped()
        let byPart = Dictionary(grouping: catalog.servers.filter { $0.listing.partNumber != nil }, by: { $0.listing.partNumber! })
        for (part, servers) in byPart { XCTAssertEqual(Set(servers.map(\.listing.priceUSD)).count, 1, part) }
        func price(_ id: String) throws -> Double { try XCTUnwrap(catalog.listing(id)).priceUSD }
        // SYS-8125GS-TNHR $296,644 − 8 H100 SXM − the DGX H100 parts: 32 × 64 GB, 2 × 1.92 TB + 8 × 3.84 TB, 8 × 400G NICs, 6 × 3 kW PSUs.
        let parts = try 32 * price("ddr5-rdimm-64gb") + 2 * price("pm1743-1.92tb") + 8 * price("pm1743-3.84tb")
            + 8 * price("nic-eth-400g-1p") + 6 * price("psu-3000w-titanium")
        XCTAssertEqual(parts, 39_870)
        XCTAssertEqual(try price("sys-821ge-tnhr-hgx-h100"), 296_644 - 8 * (try price("h100-sxm-80gb")) - parts)
        XCTAssertEqual(try price("sys-821ge-tnhr-hgx-h200"), try price("sys-821ge-tnhr-hgx-h100"))
    }

    func testEveryShippedModelsParameterCountIsWithinOnePercentOfPublished() throws {
        let catalog = try loadShipped()
        XCTAssertFalse(catalog.models.isEmpty)
        for model in catalog.models {
            let computed = model.computedParamsBillions
            let error = abs(computed - model.publishedParamsBillions) / model.publishedParamsBillions
            XCTAssertLessThan(error, 0.01, "\(model.id): computed \(computed)B vs published \(model.publishedParamsBillions)B")
            XCTAssertLessThanOrEqual(model.activeParameterCount, model.computedParameterCount)
            if model.moe == nil { XCTAssertEqual(model.activeParameterCount, model.computedParameterCount) }
        }
    }

    func testDeepSeekR1Is671BTotalAbout37BActive() throws {
        let r1 = try XCTUnwrap(try loadShipped().model("deepseek-r1"))
        XCTAssertEqual(r1.computedParamsBillions, 671, accuracy: 671 * 0.01)
        XCTAssertEqual(r1.activeParamsBillions, 37, accuracy: 1.0)
        XCTAssertNotNil(r1.mla)
    }

    func testLlama8BParameterCountExactly() {
        // config.json of Llama 3.1 8B: 8,030,261,248 parameters.
        let m = ModelArchitecture(id: "l", name: "l", vendor: "v", source: "s", asOf: "2024-07", layers: 32,
                                  hiddenSize: 4096, attentionHeads: 32, kvHeads: 8, headDim: 128,
                                  intermediateSize: 14336, vocabSize: 128_256, maxContextTokens: 131_072,
                                  tiedEmbeddings: false, publishedParamsBillions: 8.03)
        XCTAssertEqual(m.computedParameterCount, 8_030_261_248)
        var qwen = m
        qwen.attentionBias = true
        XCTAssertEqual(qwen.computedParameterCount - m.computedParameterCount, 32 * (32 * 128 + 2 * 8 * 128))
    }

    func testEveryShippedExampleSpecLoads() throws {
        let catalog = try loadShipped()
        let dir = repositoryRoot.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertTrue(files.contains("chat-8b.yaml"))
        for name in files where name != "seed-8x-h100-check.yaml" {
            XCTAssertNoThrow(try SpecLoader.load(path: dir.appendingPathComponent(name).path, catalog: catalog), name)
        }
        // The seed's 8× H100 build pins a 2,000 W PSU the HGX chassis does not take, on purpose: it is
        // the input of `planner check`, and loading it for a solve must say exactly that.
        let check = dir.appendingPathComponent("seed-8x-h100-check.yaml").path
        XCTAssertThrowsError(try SpecLoader.load(path: check, catalog: catalog)) { error in
            XCTAssertEqual((error as? LoadError)?.localizedDescription.contains("pin.psu: 'psu-2000w-titanium' does not fit sys-821ge-tnhr-hgx-h100, expected one of psu-3000w-titanium"), true, "\(error)")
        }
    }

    func testChatExampleValues() throws {
        let spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/chat-8b.yaml").path,
                                       catalog: try loadShipped())
        XCTAssertEqual(spec.name, "chat-8b")
        XCTAssertEqual(spec.modelID, "deepseek-r1-distill-llama-8b")
        XCTAssertEqual(spec.precision, PrecisionChoice(weights: .fp16, kvCache: .fp16))
        XCTAssertEqual(spec.engine, .vllm)
        XCTAssertEqual(spec.workload, Workload(promptTokens: 512, outputTokens: 256, load: .concurrency(64)))
        XCTAssertEqual(spec.slo, SLO(ttftMs: 500, tpotMs: 50, e2eMs: nil, percentile: 99))
        XCTAssertEqual(spec.budget.capexUSD, 250_000)
        XCTAssertEqual(spec.objective, .minCapex)
        XCTAssertEqual(spec.constraints.psuRedundancy, .nPlusOne)
        XCTAssertEqual(spec.location(of: "slo.tpot_ms").line, 10)
    }
}
