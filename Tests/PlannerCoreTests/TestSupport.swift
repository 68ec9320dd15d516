import Foundation
import XCTest
@testable import PlannerCore

/// The repository root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let shippedCatalogURL = repositoryRoot.appendingPathComponent("catalogs")

/// The shipped catalog, loaded once.
let shippedCatalog: Result<Catalog, LoadError> = Result { () throws(LoadError) -> Catalog in
    try CatalogLoader.load(root: shippedCatalogURL, currentDirectory: repositoryRoot.path)
}

/// `examples/NAME.yaml` loaded against the shipped catalog, with that catalog.
func example(_ name: String) throws -> (Spec, Catalog) {
    let catalog = try loadShipped()
    return (try SpecLoader.load(path: repositoryRoot.appendingPathComponent("examples/\(name).yaml").path, catalog: catalog), catalog)
}

func loadShipped(file: StaticString = #filePath, line: UInt = #line) throws -> Catalog {
    switch shippedCatalog {
    case .success(let c): return c
    case .failure(let e):
        XCTFail("shipped catalog does not load:\n\(e.localizedDescription)", file: file, line: line)
        throw e
    }
}

/// The diagnostics (rendered) that parsing `yaml` as a spec produces; empty when it loads.
func specDiagnostics(_ yaml: String, file: String = "spec.yaml", catalog: Catalog? = nil) -> [String] {
    do {
        _ = try SpecLoader.parse(yaml: yaml, file: file, catalog: catalog)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// The diagnostics (rendered) that loading `yaml` as a catalog file produces; empty when it loads.
func catalogDiagnostics(_ yaml: String, file: String = "gpus.yaml") -> [String] {
    do {
        _ = try CatalogLoader.load(yaml: yaml, file: file)
        return []
    } catch {
        return error.diagnostics.map(\.description)
    }
}

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("planner-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A small valid GPU entry for catalog fixtures.
func gpuYAML(id: String = "test-gpu", price: String = "1000", extra: String = "") -> String {
    """
      - id: \(id)
        name: Test GPU
        vendor: Acme
        family: hopper
        memory_gib: 80
        memory_bandwidth_gbps: 3350
        tflops: {fp16: 989, bf16: 989, fp8: 1979}
        power_watts: 700
        form_factor: sxm
        interconnect: {kind: nvlink4, bandwidth_gbps: 900}
        pcie_generation: 5
        price_usd: \(price)
        price_basis: list
        source: test
        as_of: 2025-01
        part_number: null
        part_number_note: a test fixture, not a product
    \(extra)
    """
}

/// A minimal valid spec.
let minimalSpec = """
    model: deepseek-r1-distill-llama-8b
    workload: {prompt_tokens: 512, output_tokens: 256}
    """
