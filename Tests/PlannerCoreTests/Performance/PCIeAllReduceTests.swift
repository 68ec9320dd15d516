import PlannerTestSupport
import XCTest
@testable import PlannerCore

/// The all-reduce over PCIe above TP 2 (``KernelCurves/pcieRing(measured:pair:tensorParallel:hopSeconds:)``):
/// a ring whose every hop runs at the same GPUs' measured TP 2 rate, never slower than the TP n measurement.
final class PCIeAllReduceTests: XCTestCase {
    private func curves(_ gpu: String, tp: Int, engine: EngineProfile = .trtllm) throws -> KernelCurves {
        let catalog = try loadShipped()
        let d = Deployment(
            model: try XCTUnwrap(catalog.model("llama-3.1-70b")), gpu: try XCTUnwrap(catalog.gpu(gpu)), gpuCount: tp,
            tensorParallel: tp, weightPrecision: .fp8, kvPrecision: .fp8, engine: engine)
        return try XCTUnwrap(KernelCurves(try XCTUnwrap(catalog.calibration.kernels), d))
    }

    /// catalogs/kernel-efficiency.csv, L40S, TensorRT-LLM 1.3.0rc20, 2 MiB (1,048,576 bf16 elements): TP 2
    /// 123.0 µs, TP 4 635.5 µs, TP 8 3,440 µs. As rings over the pair's hops (λ = 5 µs on PCIe):
    /// TP 4: 2 · 3 / 4 · 123.0 + 2 · 2 · 5 = 204.5 µs; TP 8: 2 · 7 / 8 · 123.0 + 2 · 6 · 5 = 275.25 µs.
    /// At 2 KiB the TP 4 measurement, 12.16 µs, is below the ring's 1.5 · 7.075 + 20 = 30.6 µs and stays.
    func testTheL40SAboveTP2IsARingOfItsPairsHops() throws {
        let two = try curves("l40s-48gb", tp: 2), four = try curves("l40s-48gb", tp: 4), eight = try curves("l40s-48gb", tp: 8)
        XCTAssertEqual(two.allReduceSeconds(bytes: 2_097_152), 123.0e-6, accuracy: 1e-9)
        XCTAssertEqual(four.allReduceSeconds(bytes: 2_097_152), 204.5e-6, accuracy: 1e-9)
        XCTAssertEqual(eight.allReduceSeconds(bytes: 2_097_152), 275.25e-6, accuracy: 1e-9)
        XCTAssertEqual(four.allReduceSeconds(bytes: 2048), 12.16e-6, accuracy: 1e-9)
    }

    /// NVLink GPUs keep their measurement at every TP degree (H100 SXM, TensorRT-LLM, TP 4, 2 MiB: the
    /// table's row, not a ring of its pair's).
    func testNVLinkKeepsItsMeasurement() throws {
        let catalog = try loadShipped()
        let table = try XCTUnwrap(catalog.calibration.kernels)
        let measured = try XCTUnwrap(table.allReduceSeconds(gpu: "h100-sxm-80gb", engine: .trtllm, bytes: 2_097_152, tensorParallel: 4))
        XCTAssertEqual(try curves("h100-sxm-80gb", tp: 4).allReduceSeconds(bytes: 2_097_152), measured, accuracy: 1e-12)
    }

    /// The ring never exceeds the measurement, and at TP 2 it is the measurement.
    func testTheRingIsABoundFromBelowOnTheMeasurement() {
        let measured = [10e-6, 100e-6, 1000e-6], pair = [5e-6, 20e-6, 400e-6]
        // TP 4: min(m, 1.5 · t₂ + 20 µs) = min(10, 27.5), min(100, 50), min(1000, 620) µs.
        for (got, want) in zip(KernelCurves.pcieRing(measured: measured, pair: pair, tensorParallel: 4, hopSeconds: 5e-6),
                               [10e-6, 50e-6, 620e-6]) {
            XCTAssertEqual(got, want, accuracy: 1e-15)
        }
        XCTAssertEqual(KernelCurves.pcieRing(measured: pair, pair: pair, tensorParallel: 2, hopSeconds: 5e-6), pair)
    }

    /// An NVLink bridge joins two cards. At TP 2 the all-reduce runs over the bridge (H100 NVL: 600 GB/s both
    /// ways → 300 a direction, 3 µs a hop); above it the ring crosses PCIe between the pairs and runs at the
    /// card's PCIe generation (Gen5 x16: 64 GB/s a direction; the A100 PCIe's Gen4: 32), 5 µs a hop.
    /// Llama 3.1 70B at TP 4 on H100 NVL: 2 · 3 hops · 5 µs = 30 µs a call, plus 2 · 3 / 4 bytes ÷ 64 GB/s.
    func testAnNVLinkBridgeAboveTP2RunsAtPCIe() throws {
        let catalog = try loadShipped()
        let nvl = try XCTUnwrap(catalog.gpu("h100-nvl-94gb")), a100 = try XCTUnwrap(catalog.gpu("a100-pcie-80gb"))
        let l40s = try XCTUnwrap(catalog.gpu("l40s-48gb")), sxm = try XCTUnwrap(catalog.gpu("h100-sxm-80gb"))
        XCTAssertEqual(AllReduceLink.of(nvl, tensorParallel: 2), AllReduceLink(bandwidthGBpsPerDirection: 300, latencyUs: 3))
        XCTAssertEqual(AllReduceLink.of(nvl, tensorParallel: 4), AllReduceLink(bandwidthGBpsPerDirection: 64, latencyUs: 5))
        XCTAssertEqual(AllReduceLink.of(a100, tensorParallel: 8), AllReduceLink(bandwidthGBpsPerDirection: 32, latencyUs: 5))
        XCTAssertEqual(AllReduceLink.of(l40s, tensorParallel: 4), AllReduceLink(bandwidthGBpsPerDirection: 32, latencyUs: 5))
        XCTAssertEqual(AllReduceLink.of(sxm, tensorParallel: 8), AllReduceLink(bandwidthGBpsPerDirection: 450, latencyUs: 3))

        let model = try XCTUnwrap(catalog.model("llama-3.1-70b"))
        let step = StepModel(
            Deployment(model: model, gpu: nvl, gpuCount: 4, tensorParallel: 4, weightPrecision: .fp8, kvPrecision: .fp8, engine: .vllm),
            calibration: catalog.calibration)
        XCTAssertFalse(step.measuredAllReduce, "the H100 SXM's NVLink measurement is not this link's")
        XCTAssertEqual(step.allReduceLatencySeconds, 30e-6, accuracy: 1e-15)
        XCTAssertEqual(step.allReduceSecondsPerByte, 1.5 / 64e9, accuracy: 1e-22)
    }
}
