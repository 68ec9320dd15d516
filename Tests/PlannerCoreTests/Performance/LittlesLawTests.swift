import XCTest
@testable import PlannerCore

/// Little's law on closed-loop rows: C = requests/s × (TTFT + (osl − 1) · TPOT).
final class LittlesLawTests: XCTestCase {
    static let header = "id,model,precision,gpu,gpus,tp,engine,isl,osl,load_kind,load_value,ttft_ms,tpot_ms,output_tok_s,requests_s,source,notes"

    func row(_ line: String) throws -> CalibrationRow {
        try XCTUnwrap(try parseCalibrationCSV(Self.header + "\n" + line).first)
    }

    /// NVIDIA's NIM sweep at 150 clients (m086): 920.9 tokens/s of 500-token outputs is 1.8418 requests/s, each
    /// in the system 34.794 s + 499 × 92.86 ms = 81.131 s, so 149.43 requests in flight: the 150 it states.
    func testNIMsRowAt150ClientsHolds150ByHand() throws {
        let r = try row("m086,llama-3.1-70b,fp8,h100-sxm-80gb,2,2,trtllm-nim-1.8.0,5000,500,concurrency,150,34794.22,92.86,920.9,,NIM,")
        XCTAssertEqual(try XCTUnwrap(r.impliedConcurrency), 920.9 / 500 * (34.79422 + 499 * 0.09286), accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(r.impliedConcurrency), 149.43, accuracy: 0.01)
        XCTAssertTrue(CalibrationRow.impliedConcurrencyBand.contains(try XCTUnwrap(r.impliedConcurrencyRatio)))
    }

    /// TPOT written in seconds' worth of milliseconds too large (×10) implies ten times the clients; a rate
    /// row, a burst and a row without TPOT have no implied concurrency.
    func testRowsOutsideTheBandAndRowsWithoutOne() throws {
        let wrong = try row("r1,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,104,800,,lab,")
        // 800 / 256 = 3.125 requests/s × (0.070 + 255 × 0.104) s = 83.09 in flight, against 8.
        XCTAssertEqual(try XCTUnwrap(wrong.impliedConcurrency), 3.125 * (0.070 + 255 * 0.104), accuracy: 1e-9)
        XCTAssertFalse(CalibrationRow.impliedConcurrencyBand.contains(try XCTUnwrap(wrong.impliedConcurrencyRatio)))
        for line in [
            "r2,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,rate,2,70,10.4,500,,lab,",
            "r3,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,burst,100,70,10.4,500,,lab,",
            "r4,llama-3.1-8b,fp16,h100-sxm-80gb,1,1,vllm-0.8.5,512,256,concurrency,8,70,,500,,lab,",
        ] {
            XCTAssertNil(try row(line).impliedConcurrency, line)
        }
    }

    /// Every closed-loop row of the shipped measurements with mean TTFT, TPOT and throughput holds the
    /// clients it states, within 0.90–1.00 (NIM, GPUStack, DLI-NIM, DSTACK-R1: 86 rows).
    func testEveryShippedClosedLoopRowObeysLittlesLaw() throws {
        let rows = try parseCalibrationCSV(String(contentsOf: Fixtures.measurementsURL, encoding: .utf8))
        let checked = rows.compactMap { r in r.impliedConcurrencyRatio.map { (r.id, $0) } }
        XCTAssertEqual(checked.count, 86)
        for (id, ratio) in checked {
            XCTAssertTrue((0.89...1.01).contains(ratio), "\(id): \(ratio)")
        }
    }
}
