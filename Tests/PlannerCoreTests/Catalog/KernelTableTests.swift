import Foundation
import XCTest
@testable import PlannerCore

final class KernelTableTests: XCTestCase {
    /// A 2 × 2 decode grid, values chosen so log-space midpoints are round:
    /// ratio(b, s) = 8, 2 at s = 100 (b = 1, 4) and 4, 1 at s = 10,000; the s = 100 row also has b = 16.
    private let small = """
        # source: test-package 1.0 (MIT)
        gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value
        g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,1,100,8
        g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,4,100,2
        g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,16,100,0.5
        g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,1,10000,4
        g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,4,10000,1
        g1,trtllm,1.0,decode_attention,fp16,q8kv1,1,1,100,20
        g1,trtllm,1.0,decode_attention,fp8,q32kv8,1,1,100,30
        g1,trtllm,1.0,gemm,fp16,hidden4096,1,1,0,2
        g1,trtllm,1.0,gemm,fp16,hidden4096,1,16,0,1.25
        g1,trtllm,1.0,gemm,fp16,hidden8192,1,1,0,1.5
        g1,trtllm,1.0,gemm,fp16,hidden8192,8,1,0,3
        g1,vllm,0.9,gemm,fp16,hidden4096,1,1,0,5
        g1,trtllm,1.0,prefill_attention,fp16,q32kv8,1,100,1,4
        g1,trtllm,1.0,prefill_attention,fp16,q32kv8,1,10000,1,1
        g1,trtllm,1.0,allreduce,fp16,bf16,2,1000,0,0.00001
        g1,trtllm,1.0,allreduce,fp16,bf16,2,1000000,0,0.001
        """

    func testDecodeInterpolatesInLogSpaceAlongBothAxes() throws {
        let t = try KernelTable(csv: small)
        func r(_ b: Double, _ s: Double) -> Double? { t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: b, context: s, kvHeads: 8) }
        // Grid points come back exactly.
        XCTAssertEqual(r(4, 10_000)!, 1, accuracy: 1e-12)
        XCTAssertEqual(r(1, 100)!, 8, accuracy: 1e-12)
        // b = 2 is the log midpoint of 1 and 4: √(8·2) = 4 at s = 100, √(4·1) = 2 at s = 10,000;
        // s = 1,000 is the log midpoint of 100 and 10,000: √(4·2) = 2√2.
        XCTAssertEqual(r(2, 100)!, 4, accuracy: 1e-12)
        XCTAssertEqual(r(2, 10_000)!, 2, accuracy: 1e-12)
        XCTAssertEqual(r(2, 1_000)!, 2 * 2.0.squareRoot(), accuracy: 1e-12)
        // A quarter of the way from b = 1 to 4 in log (b = √2): 8^(3/4) · 2^(1/4) = 2^(9/4 + 1/4) = 2^2.5.
        XCTAssertEqual(r(2.0.squareRoot(), 100)!, pow(2, 2.5), accuracy: 1e-12)
    }

    func testClampsAtTheGridEdgesAndOnRaggedRows() throws {
        let t = try KernelTable(csv: small)
        func r(_ b: Double, _ s: Double) -> Double? { t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: b, context: s, kvHeads: 8) }
        XCTAssertEqual(r(0.5, 100)!, 8, accuracy: 1e-12)  // below the smallest batch
        XCTAssertEqual(r(4, 10)!, 2, accuracy: 1e-12)  // below the smallest context
        XCTAssertEqual(r(100, 1e6)!, 1, accuracy: 1e-12)  // beyond both
        XCTAssertEqual(r(64, 100)!, 0.5, accuracy: 1e-12)  // beyond the s = 100 row's own range
        // b = 16 at s = 1,000: the s = 100 row gives 0.5, the s = 10,000 row (measured to b = 4 only)
        // clamps to 1; their log midpoint is √(0.5·1).
        XCTAssertEqual(r(16, 1_000)!, 0.5.squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(r(.nan, 100)!.isNaN)
        XCTAssertTrue(r(4, .nan)!.isNaN)
        XCTAssertEqual(r(.infinity, .infinity)!, 1, accuracy: 1e-12)
        XCTAssertEqual(r(0, 0)!, 8, accuracy: 1e-12)
    }

    func testPicksTheNearestLayoutPrecisionAndShard() throws {
        let t = try KernelTable(csv: small)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 1)!, 20, accuracy: 1e-12)
        // 2 KV heads: |ln 2/1| < |ln 2/8|, so the q8kv1 layout.
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 2)!, 20, accuracy: 1e-12)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 4)!, 8, accuracy: 1e-12)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 8, kvPrecision: .fp8)!, 30, accuracy: 1e-12)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 8, kvPrecision: .bf16)!, 8, accuracy: 1e-12)
        XCTAssertNil(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 100, kvHeads: 8, kvPrecision: .int8))

        // GEMM: 4 tokens is the log midpoint of 1 and 16: √(2 · 1.25).
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .trtllm, precision: .fp16, tokens: 4, hidden: 4096)!, (2.5).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .trtllm, precision: .bf16, tokens: 1, hidden: 5120)!, 2, accuracy: 1e-12)
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .trtllm, precision: .fp16, tokens: 1, hidden: 8192, tensorParallel: 2)!, 1.5, accuracy: 1e-12)
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .trtllm, precision: .fp16, tokens: 1, hidden: 8192, tensorParallel: 4)!, 3, accuracy: 1e-12)
        XCTAssertNil(t.gemmRatio(gpu: "g1", engine: .trtllm, precision: .fp8, tokens: 1, hidden: 4096))

        // Prefill: 1,000 tokens is the log midpoint of 100 and 10,000: √(4·1).
        XCTAssertEqual(t.prefillAttentionRatio(gpu: "g1", engine: .trtllm, tokens: 1_000, batch: 8)!, 2, accuracy: 1e-12)

        // All-reduce: √(1e3 · 1e6) bytes is the log midpoint: √(1e-5 · 1e-3) s; clamped beyond the ends.
        XCTAssertEqual(t.allReduceSeconds(gpu: "g1", engine: .trtllm, bytes: (1e3 * 1e6).squareRoot(), tensorParallel: 2)!, 1e-4, accuracy: 1e-16)
        XCTAssertEqual(t.allReduceSeconds(gpu: "g1", engine: .trtllm, bytes: 10, tensorParallel: 2)!, 1e-5, accuracy: 1e-18)
        XCTAssertEqual(t.allReduceSeconds(gpu: "g1", engine: .trtllm, bytes: 1e9, tensorParallel: 2)!, 1e-3, accuracy: 1e-15)
        XCTAssertEqual(t.allReduceSeconds(gpu: "g1", engine: .trtllm, bytes: 1e9, tensorParallel: 1), 0)
        XCTAssertNil(t.allReduceSeconds(gpu: "g1", engine: .trtllm, bytes: 1e9, tensorParallel: 4))
    }

    func testSGLangFallsBackToVLLMAndUnknownGPUsGiveNil() throws {
        let t = try KernelTable(csv: small)
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .sglang, precision: .fp16, tokens: 1, hidden: 4096)!, 5, accuracy: 1e-12)
        XCTAssertEqual(t.gemmRatio(gpu: "g1", engine: .vllm, precision: .fp16, tokens: 1, hidden: 4096)!, 5, accuracy: 1e-12)
        XCTAssertEqual(t.engineVersion(gpu: "g1", engine: .sglang, kernel: .gemm), "0.9")
        XCTAssertNil(t.decodeAttentionRatio(gpu: "g1", engine: .vllm, batch: 1, context: 100, kvHeads: 8))
        XCTAssertNil(t.decodeAttentionRatio(gpu: "g1", engine: .sglang, batch: 1, context: 100, kvHeads: 8))
        XCTAssertNil(t.gemmRatio(gpu: "mi300x-192gb", engine: .trtllm, precision: .fp16, tokens: 1, hidden: 4096))
        XCTAssertEqual(t.source, "test-package 1.0 (MIT)")
        XCTAssertEqual(t.coverage.map(\.description), [
            "g1 trtllm 1.0 allreduce", "g1 trtllm 1.0 decode_attention", "g1 trtllm 1.0 gemm",
            "g1 trtllm 1.0 prefill_attention", "g1 vllm 0.9 gemm",
        ])
    }

    /// A decode-attention table faster than the HBM roofline (ratio < 1) where one layer's KV cache is
    /// larger than 512 MiB — 64 sequences × 8,192 tokens × 2 × 8 KV heads × 128 × 2 B = 2 GiB, beyond every
    /// GPU's cache — is not a measurement of HBM reads: TensorRT-LLM then reads the same GPU's vLLM table and
    /// says so. Below 1 at a working set a cache holds (the `small` table: 16 × 100 tokens, 6.5 MB) the
    /// engine keeps its own table; with no other engine's table the GPU has no decode-attention curve.
    func testADecodeTableFasterThanHBMGivesWayToAnotherEnginesOnTheSameGPU() throws {
        let t = try KernelTable(csv: """
            gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value
            g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,1,128,9
            g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,64,8192,0.6
            g1,vllm,0.9,decode_attention,fp16,q32kv8,1,1,128,12
            g1,vllm,0.9,decode_attention,fp16,q32kv8,1,64,8192,1.3
            g2,trtllm,1.0,decode_attention,fp16,q32kv8,1,64,8192,0.6
            """)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 64, context: 8192, kvHeads: 8)!, 1.3, accuracy: 1e-12)
        XCTAssertEqual(t.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 1, context: 128, kvHeads: 8)!, 12, accuracy: 1e-12)
        XCTAssertEqual(t.decodeAttentionStandIn(gpu: "g1", engine: .trtllm), .vllm)
        XCTAssertEqual(t.engineVersion(gpu: "g1", engine: .trtllm, kernel: .decodeAttention), "0.9")
        XCTAssertNil(t.decodeAttentionStandIn(gpu: "g1", engine: .vllm))
        XCTAssertNil(t.decodeAttentionRatio(gpu: "g2", engine: .trtllm, batch: 64, context: 8192, kvHeads: 8))
        let own = try KernelTable(csv: small)
        XCTAssertNil(own.decodeAttentionStandIn(gpu: "g1", engine: .trtllm))
        XCTAssertEqual(own.decodeAttentionRatio(gpu: "g1", engine: .trtllm, batch: 16, context: 100, kvHeads: 8)!, 0.5, accuracy: 1e-12)
    }

    /// In the shipped table only TensorRT-LLM 1.0's A100 decode attention beats the HBM roofline at a
    /// working set no cache holds (0.607 at 64 sequences × 8,192 tokens, 2 GiB a layer: 3.4 TB/s on a
    /// 2,039 GB/s card); the L40S tables' ratios below 1 all sit at working sets its 96 MB L2 can hold.
    /// NIM's TensorRT-LLM profiles run TensorRT-LLM's kernels and take the same stand-in.
    func testShippedDecodeTablesBeatHBMOnlyOnTheA100WithTensorRTLLM() throws {
        let catalog = try loadShipped()
        let table = try XCTUnwrap(catalog.calibration.kernels)
        var standIns: [String] = []
        for gpu in Set(table.coverage.map(\.gpu)).sorted() {
            for engine in EngineProfile.allCases {
                if let e = table.decodeAttentionStandIn(gpu: gpu, engine: engine) { standIns.append("\(gpu) \(engine.rawValue) → \(e.rawValue)") }
            }
        }
        XCTAssertEqual(standIns, ["a100-sxm-80gb trtllm → vllm", "a100-sxm-80gb nim-trtllm → vllm"])
    }

    /// CRLF and LF files read alike, and an error's line number counts CRLF as one line break;
    /// the first row of a curve repeated later (not adjacent) is still a duplicate.
    func testCRLFLinesAndNonAdjacentDuplicates() throws {
        let lf = try KernelTable(csv: small)
        let crlf = try KernelTable(csv: small.replacingOccurrences(of: "\n", with: "\r\n"))
        XCTAssertEqual(crlf, lf)
        let text = [
            "gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value",
            "g1,trtllm,1.0,gemm,fp16,hidden4096,1,1,0,2",
            "g1,trtllm,1.0,gemm,fp16,hidden8192,1,1,0,2",
            "g1,trtllm,1.0,gemm,fp16,hidden4096,1,1,0,3",
        ].joined(separator: "\r\n")
        XCTAssertThrowsError(try KernelTable(csv: text, file: "k.csv")) { error in
            XCTAssertEqual((error as? KernelTableError)?.description,
                           "k.csv:4:38: x: duplicate point (first on line 2), expected one row per gpu, engine, kernel, precision, shape, tp, x and y")
        }
    }

    func testErrorsNameLineColumnAndField() {
        let text = """
            # comment
            gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value
            g1,tgi,1.0,gemm,fp16,hidden4096,1,1,0,2
            g1,trtllm,1.0,gemm,fp16,q32kv8,1,1,0,2
            g1,trtllm,1.0,decode_attention,fp16,q32kv8,1,-1,10,2
            g1,trtllm,1.0,gemm,fp16,hidden4096,1,1,0,2
            g1,trtllm,1.0,gemm,fp16,hidden4096,1,1,0,3
            g1,trtllm,1.1,gemm,fp16,hidden4096,1,2,0,3
            g1,trtllm,1.0,gemm,fp16,hidden4096,1,4,0
            g1,trtllm,1.0,gemm,fp16,hidden4096,1,8,5,2
            """
        XCTAssertThrowsError(try KernelTable(csv: text, file: "k.csv")) { error in
            let d = (error as? KernelTableError)?.diagnostics ?? []
            func diag(_ line: Int, _ column: Int, _ key: String, _ message: String) -> Diagnostic {
                Diagnostic(file: "k.csv", line: line, column: column, keyPath: key, message: message)
            }
            XCTAssertEqual(d, [
                diag(3, 4, "engine", "unknown engine 'tgi', expected vllm, trtllm or sglang"),
                diag(4, 25, "shape", "'q32kv8' is not a GEMM shape class, expected hidden<size> (e.g. hidden4096)"),
                diag(5, 46, "x", "must be a positive number (got -1)"),
                diag(7, 38, "x", "duplicate point (first on line 6), expected one row per gpu, engine, kernel, precision, shape, tp, x and y"),
                diag(8, 11, "engine_version", "'1.1' differs from '1.0' on line 6, expected one engine version per gpu, engine and kernel"),
                diag(9, 41, "", "9 fields, expected 10 (one per header column)"),
                diag(10, 40, "y", "must be 0 for gemm (a one-axis curve), got 5"),
            ])
        }
        XCTAssertThrowsError(try KernelTable(csv: "gpu,engine,kernel\n", file: "k.csv")) { error in
            XCTAssertEqual((error as? KernelTableError)?.description,
                           "k.csv:1:1: header lacks columns engine_version, precision, shape, tp, x, y, value, expected: gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value")
        }
        XCTAssertThrowsError(try KernelTable.load(from: URL(fileURLWithPath: "/nonexistent/k.csv"))) { error in
            XCTAssertEqual((error as? KernelTableError)?.diagnostics.first?.location.description, "/nonexistent/k.csv:1:1")
        }
    }

    // MARK: The shipped file, checked against values read by hand from aiconfigurator-core 0.12.0's raw tables

    private static let shipped = Result { try KernelTable.load(from: shippedCatalogURL.appendingPathComponent("kernel-efficiency.csv")) }

    func testShippedFileLoadsAndCoversTheMeasuredGPUs() throws {
        let t = try Self.shipped.get()
        XCTAssertEqual(t.source, "aiconfigurator-core 0.12.0 (Apache-2.0)")
        let gpus = Set(t.coverage.map(\.gpu))
        XCTAssertEqual(gpus, ["a100-sxm-80gb", "b200-180gb", "h100-sxm-80gb", "h200-sxm-141gb", "l40s-48gb"])
        // Every catalog id in the table exists in the shipped catalog.
        let catalog = try loadShipped()
        for g in gpus { XCTAssertNotNil(catalog.gpus.first { $0.id == g }, g) }
        XCTAssertEqual(t.engineVersion(gpu: "h100-sxm-80gb", engine: .trtllm, kernel: .gemm), "1.3.0rc20")
        XCTAssertEqual(t.engineVersion(gpu: "a100-sxm-80gb", engine: .trtllm, kernel: .gemm), "1.0.0")
        XCTAssertNil(t.gemmRatio(gpu: "a100-sxm-80gb", engine: .trtllm, precision: .fp8, tokens: 1, hidden: 4096), "A100 has no FP8 path")
        XCTAssertNil(t.gemmRatio(gpu: "mi300x-192gb", engine: .vllm, precision: .fp16, tokens: 1, hidden: 4096))
    }

    func testShippedDecodeAttentionMatchesTheRawH100Row() throws {
        // systems/data/h100_sxm/attention/trtllm/1.3.0rc20/generation_attention_perf.parquet, batch 64,
        // step 2047 (context 2048), 32 q / 8 kv heads, head dim 128, bf16 KV: latency 0.1934880018 ms.
        // Roofline: 64 · 2048 · 2 · 8 · 128 · 2 B = 536,870,912 B / 3,350 GB/s = 160.260 µs → 1.2073.
        let t = try Self.shipped.get()
        let r = try XCTUnwrap(t.decodeAttentionRatio(gpu: "h100-sxm-80gb", engine: .trtllm, batch: 64, context: 2048, kvHeads: 8))
        XCTAssertEqual(r, 193.488 / 160.260, accuracy: 0.001)
    }

    func testShippedPrefillAndAllReduceMatchTheRawH100Rows() throws {
        let t = try Self.shipped.get()
        // context_attention_perf.parquet, batch 1, isl 2048, 32/8 heads, bf16: 0.1245493293 ms. Roofline:
        // 2 · 32 · 128 · 2048² FLOPs = 34,359,738,368 / 989.4 TFLOPS = 34.7278 µs → 3.5864.
        let p = try XCTUnwrap(t.prefillAttentionRatio(gpu: "h100-sxm-80gb", engine: .trtllm, tokens: 2048, batch: 1))
        XCTAssertEqual(p, 124.5493 / 34.7278, accuracy: 0.001)
        // comm/trtllm/1.3.0rc20/custom_allreduce_perf.parquet, 2 GPUs, 1024 bf16 elements = 2048 B: 0.00277376 ms.
        let a = try XCTUnwrap(t.allReduceSeconds(gpu: "h100-sxm-80gb", engine: .trtllm, bytes: 2048, tensorParallel: 2))
        XCTAssertEqual(a, 2.774e-6, accuracy: 1e-9)
    }

    func testShippedNVFP4GEMMMatchesTheRawB200Shapes() throws {
        // gemm/trtllm/1.3.0rc20/gemm_perf.parquet on b200_sxm, nvfp4, m = 1 (µs): qkv 10240×8192 22.4493,
        // o 8192×8192 22.2533. Rooflines at 0.5625 B per weight (4 bits + one FP8 scale per 16), bf16 in and
        // out, 8,000 GB/s: qkv (10240·8192·0.5625 + 2·8192 + 2·10240) B → 5.9028 µs, o 4.7227 µs, gate_up
        // 57344×8192 33.0465 µs, down 8192×28672 16.5243 µs; Σ = 60.1964 µs. gate_up interpolates in ln n
        // between n = 51200 (59.8773 µs, ratio 2.02932) and 65536 (68.4213 µs, 1.81166) → 1.92940; down in
        // ln k between k = 16384 (38.8240 µs, 4.11126) and 51200 (107.1947 µs, 3.63297) → 3.87636.
        // Σ time = 22.4493 + 22.2533 + 1.92940 · 33.0465 + 3.87636 · 16.5243 = 172.517 µs → 2.8659.
        let t = try Self.shipped.get()
        let r = try XCTUnwrap(t.gemmRatio(gpu: "b200-180gb", engine: .trtllm, precision: .fp4, tokens: 1, hidden: 8192))
        XCTAssertEqual(r, 172.517 / 60.1964, accuracy: 0.002)
        // Only FP4 tensor cores were measured at NVFP4: Hopper has no fp4 rows.
        XCTAssertNil(t.gemmRatio(gpu: "h100-sxm-80gb", engine: .trtllm, precision: .fp4, tokens: 1, hidden: 8192))
        // fp4 is a GEMM and MoE precision only.
        XCTAssertThrowsError(try KernelTable(csv: "gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value\ng1,trtllm,1.0,decode_attention,fp4,q32kv8,1,1,100,2\n", file: "k.csv")) { error in
            XCTAssertEqual((error as? KernelTableError)?.description,
                           "k.csv:2:32: precision: fp4 is a GEMM and MoE precision only, expected fp16 or fp8 for decode_attention")
        }
    }

    func testShippedMoEMatchesTheRawB200Row() throws {
        // moe/trtllm/1.3.0rc20/moe_perf.parquet on b200_sxm: Qwen3-30B-A3B's experts (128, 8 active, hidden
        // 2048, expert width 768), nvfp4, TP 1, balanced routing, 4,096 tokens, CUTLASS lane: 0.529568 ms
        // (the min-latency lane's 0.144816 ms is left out). Roofline: FLOPs 2 · 4096 · 8 · 3 · 2048 · 768 =
        // 309.24 G / 9,000 TFLOPS = 34.36 µs; bytes: all 128 experts touched (1 − (1 − 8/128)^4096 = 1) ·
        // 3 · 2048 · 768 · 0.5625 B = 339.74 MB / 8,000 GB/s = 42.47 µs → ratio 529.568 / 42.467 = 12.470.
        let t = try Self.shipped.get()
        let shape = KernelTable.moeShape(experts: 128, active: 8, hidden: 2048, intermediate: 768)
        XCTAssertEqual(shape, "e128k8h2048i768")
        let r = try XCTUnwrap(t.moeRatio(gpu: "b200-180gb", engine: .trtllm, precision: .fp4, shape: shape, tokens: 4096))
        XCTAssertEqual(r, 529.568 / 42.467, accuracy: 0.01)
        // Only the exact shape and TP: another model's experts, or an unmeasured TP, have no curve.
        XCTAssertNil(t.moeRatio(gpu: "b200-180gb", engine: .trtllm, precision: .fp4, shape: "e64k8h2048i768", tokens: 4096))
        XCTAssertNil(t.moeRatio(gpu: "b200-180gb", engine: .trtllm, precision: .fp4, shape: shape, tensorParallel: 8, tokens: 4096))
        XCTAssertThrowsError(try KernelTable(csv: "gpu,engine,engine_version,kernel,precision,shape,tp,x,y,value\ng1,trtllm,1.0,moe,fp8,e8k2h4096,1,1,0,2\n", file: "k.csv")) { error in
            XCTAssertEqual((error as? KernelTableError)?.description,
                           "k.csv:2:23: shape: 'e8k2h4096' is not a mixture-of-experts shape, expected e<experts>k<active experts>h<hidden>i<expert intermediate> (e.g. e8k2h4096i14336)")
        }
    }

    func testShippedGEMMMatchesTheRawH100Shapes() throws {
        // gemm/trtllm/1.3.0rc20/gemm_perf.parquet, bfloat16, m = 1 (ms): 6144×4096 0.0221013, 4096×4096 0.0165600.
        // gate_up 28672×4096 is not measured: its ratio interpolates in ln n between n = 16384 (0.0502347 ms,
        // ratio 1.25345) and n = 51200 (0.1525707 ms, 1.21826) → 1.23617; down 4096×14336 between k = 12288
        // (0.0405387 ms, 1.34866) and k = 16384 (0.0509973 ms, 1.27248) in ln k → 1.30784.
        // Rooflines (bandwidth-bound at m = 1: (n·k·2 + 2k + 2n) B / 3,350 GB/s): qkv 15.0305 µs, o 10.0211 µs,
        // gate_up 70.1333 µs, down 35.0679 µs; Σ = 130.2528 µs.
        // Σ time = 22.1013 + 16.5600 + 1.23617 · 70.1333 + 1.30784 · 35.0679 = 171.221 µs → 1.3145.
        let t = try Self.shipped.get()
        let r = try XCTUnwrap(t.gemmRatio(gpu: "h100-sxm-80gb", engine: .trtllm, precision: .fp16, tokens: 1, hidden: 4096))
        XCTAssertEqual(r, 171.221 / 130.2528, accuracy: 0.001)
        // Physically a kernel cannot beat the roofline by much: every Hopper and Blackwell GEMM curve is ≥ 1.
        for gpu in ["h100-sxm-80gb", "h200-sxm-141gb", "b200-180gb"] {
            for e in EngineProfile.allCases {
                for m in [1.0, 16, 256, 4096] {
                    for tp in [1, 2, 4, 8] {
                        let v = try XCTUnwrap(t.gemmRatio(gpu: gpu, engine: e, precision: .fp8, tokens: m, hidden: 8192, tensorParallel: tp))
                        XCTAssertGreaterThanOrEqual(v, 1, "\(gpu) \(e) m=\(m) tp=\(tp)")
                    }
                }
            }
        }
    }
}
