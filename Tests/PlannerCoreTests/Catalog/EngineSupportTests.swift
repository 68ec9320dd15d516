import XCTest
@testable import PlannerCore

/// The catalog's `engines:` section: which GPU families each engine runs on.
final class EngineSupportTests: XCTestCase {
    let section = """
        engines:
          - engine: trtllm
            version: "1.0"
            families: [hopper, ampere]
            source: test
            as_of: 2026-01
        """

    /// The section decodes into families sorted by name; an engine it does not name runs everywhere.
    func testSectionDecodes() throws {
        let catalog = try CatalogLoader.load(yaml: "gpus:\n" + gpuYAML() + "\n" + section)
        let support = try XCTUnwrap(catalog.engineSupport[.trtllm])
        XCTAssertEqual(support.families, [.ampere, .hopper])
        XCTAssertEqual(support.version, "1.0")
        XCTAssertEqual(support.summary, "TensorRT-LLM 1.0 runs on ampere, hopper")
        XCTAssertNil(catalog.engineSupport[.vllm])
        let gpu = try XCTUnwrap(catalog.gpu("test-gpu"))
        XCTAssertTrue(catalog.engine(.trtllm, runsOn: gpu))
        XCTAssertTrue(catalog.engine(.vllm, runsOn: gpu))
    }

    func testBadSectionsAreReported() {
        XCTAssertEqual(catalogDiagnostics("engines:\n  - {engine: trtllm, version: '1', families: [], source: s, as_of: 2026-01}"),
                       ["gpus.yaml:2:46: engines[0].families: must not be empty, expected the GPU families the engine runs on"])
        XCTAssertEqual(catalogDiagnostics("engines:\n  - {engine: tgi, version: '1', families: [hopper], source: s, as_of: 2026-01}").count, 1)
        XCTAssertEqual(catalogDiagnostics("engines:\n  - {engine: vllm, version: '1', families: [volta], source: s, as_of: 2026-01}").count, 1)
        XCTAssertEqual(catalogDiagnostics("engines: {trtllm: nvidia}"),
                       ["gpus.yaml:1:10: engines: must be a list of engine entries (engine, version, families, source, as_of)"])
    }

    /// The shipped matrix: TensorRT-LLM runs on every NVIDIA GPU and on no AMD one; vLLM and SGLang on all 15.
    func testShippedMatrixFiltersOnlyAMDForTensorRTLLM() throws {
        let catalog = try loadShipped()
        XCTAssertEqual(catalog.gpus.count, 15)
        XCTAssertEqual(catalog.gpus(catalog.gpus, runnableBy: .trtllm).map(\.id),
                       catalog.gpus.map(\.id).filter { $0 != "mi300x-192gb" })
        XCTAssertEqual(catalog.gpus(catalog.gpus, runnableBy: .vllm).count, 15)
        XCTAssertEqual(catalog.gpus(catalog.gpus, runnableBy: .sglang).count, 15)
        for gpu in catalog.gpus { XCTAssertEqual(catalog.engine(.trtllm, runsOn: gpu), gpu.listing.vendor == "NVIDIA", gpu.id) }
    }

    /// Candidates are built only for GPUs the engine runs on.
    func testProblemBuilderDropsGPUsTheEngineCannotRun() throws {
        let catalog = try loadShipped()
        var spec = try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/llama-70b.yaml").path, catalog: catalog)
        spec.engine = .trtllm
        XCTAssertFalse(ProblemBuilder.scope(spec: spec, catalog: catalog).gpus.contains { $0.family == .cdna3 })
        spec.engine = .vllm
        XCTAssertTrue(ProblemBuilder.scope(spec: spec, catalog: catalog).gpus.contains { $0.id == "mi300x-192gb" })
    }

    /// A pin or an allow list naming a GPU the engine cannot run is an error naming both.
    func testPinningAnUnsupportedGPUIsAnError() throws {
        let catalog = try loadShipped()
        let diagnostics = specDiagnostics("""
            model: llama-3.1-70b
            engine: trtllm
            workload: {prompt_tokens: 512, output_tokens: 256}
            constraints: {gpus: {allow: [h100-sxm-80gb, mi300x-192gb]}}
            pin: {gpu: mi300x-192gb}
            """, catalog: catalog)
        let message = "engine trtllm cannot run on mi300x-192gb (AMD cdna3): TensorRT-LLM 1.0 runs on ampere, hopper, ada, blackwell, expected a GPU of those families or another engine"
        XCTAssertEqual(diagnostics, ["spec.yaml:4:45: constraints.gpus.allow[1]: " + message, "spec.yaml:5:12: pin.gpu: " + message])
    }
}
