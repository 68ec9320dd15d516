import Foundation
import XCTest
@testable import PlannerCore

/// One fixture per kind of error, each checked for its exact message, file, line and column.
final class DiagnosticTests: XCTestCase {
    func testRendering() {
        let d = Diagnostic(file: "examples/chat.yaml", line: 12, column: 5, keyPath: "slo.tpot_ms",
                           message: "must be a positive number (got -5)")
        XCTAssertEqual(d.description, "examples/chat.yaml:12:5: slo.tpot_ms: must be a positive number (got -5)")
        XCTAssertEqual(Diagnostic(file: "a.yaml", line: 1, column: 1, keyPath: "", message: "file is empty").description,
                       "a.yaml:1:1: file is empty")
    }

    func testUnknownKeyWithDidYouMean() {
        let yaml = minimalSpec + "\nslo: {ttft_ms: 500, tpot_msec: 50}\n"
        XCTAssertEqual(specDiagnostics(yaml, file: "chat.yaml"),
                       ["chat.yaml:3:21: slo.tpot_msec: unknown key, did you mean 'tpot_ms'?"])
    }

    func testUnknownKeyWithoutCloseMatchListsTheKeys() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nbudget: {zzz: 1}\n"),
                       ["spec.yaml:3:10: budget.zzz: unknown key, expected one of: capex_usd"])
    }

    func testWrongType() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nbudget: {capex_usd: lots}\n"),
                       ["spec.yaml:3:21: budget.capex_usd: must be a number (got 'lots')"])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nslo: [1, 2]\n"),
                       ["spec.yaml:3:6: slo: must be a mapping (got a list)"])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nconstraints: {mix_gpu_types: yes please}\n"),
                       ["spec.yaml:3:30: constraints.mix_gpu_types: must be true or false (got 'yes please')"])
    }

    func testMissingRequiredField() {
        XCTAssertEqual(specDiagnostics("model: llama-3.1-8b\nworkload: {prompt_tokens: 512}\n"),
                       ["spec.yaml:2:11: workload.output_tokens: missing required field, expected an integer"])
        XCTAssertEqual(specDiagnostics("workload: {prompt_tokens: 1, output_tokens: 1}\n"),
                       ["spec.yaml:1:1: model: missing required field, expected a string"])
    }

    func testNegativeNumber() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nslo: {ttft_ms: 500, tpot_ms: -5}\n", file: "examples/chat.yaml"),
                       ["examples/chat.yaml:3:30: slo.tpot_ms: must be a positive number (got -5)"])
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 0, output_tokens: 1}\n"),
                       ["spec.yaml:2:27: workload.prompt_tokens: must be a positive integer (got 0)"])
    }

    func testNaNAndInfinity() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nslo: {ttft_ms: .nan, tpot_ms: .inf}\n"),
                       ["spec.yaml:3:16: slo.ttft_ms: must be a finite number (got .nan)",
                        "spec.yaml:3:31: slo.tpot_ms: must be a finite number (got .inf)"])
    }

    func testOutOfRange() {
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 512, output_tokens: 256, concurrency: 200000}\n"),
                       ["spec.yaml:2:65: workload.concurrency: out of range (got 200000), expected at most 100000"])
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 99999999999999999999999, output_tokens: 1}\n"),
                       ["spec.yaml:2:27: workload.prompt_tokens: out of range (got 99999999999999999999999), expected at most 10000000"])
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nslo: {percentile: 100}\nconstraints: {virtualization_overhead: 0.7}\n"),
                       ["spec.yaml:3:19: slo.percentile: out of range (got 100), expected 50 to 99.9",
                        "spec.yaml:4:40: constraints.virtualization_overhead: out of range (got 0.7), expected 0 to 0.5"])
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 1.5, output_tokens: 1}\n"),
                       ["spec.yaml:2:27: workload.prompt_tokens: must be a whole number (got 1.5)"])
    }

    func testBadEnumSuggests() {
        XCTAssertEqual(specDiagnostics(minimalSpec + "\nengine: vlm\n"),
                       ["spec.yaml:3:9: engine: must be one of vllm, trtllm, sglang, nim-trtllm (got 'vlm'), did you mean 'vllm'?"])
    }

    func testUnsupportedSchemaVersion() {
        XCTAssertEqual(specDiagnostics("schema_version: 2\n" + minimalSpec),
                       ["spec.yaml:1:17: schema_version: unsupported schema_version 2, expected 1; upgrade planner or rewrite the spec for this version"])
    }

    func testConcurrencyAndRateAreExclusive() {
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 1, output_tokens: 1, concurrency: 4, requests_per_second: 2}\n"),
                       ["spec.yaml:2:64: workload.requests_per_second: conflicts with workload.concurrency, expected exactly one of concurrency and requests_per_second (or neither, for maximum throughput)"])
    }

    func testDuplicateKey() {
        let yaml = "model: a\nworkload:\n  prompt_tokens: 5\n  output_tokens: 5\n  prompt_tokens: 6\n"
        XCTAssertEqual(specDiagnostics(yaml),
                       ["spec.yaml:5:3: prompt_tokens: duplicate key (first at line 3), expected each key at most once in a mapping"])
        // Windows and old-Mac line ends point at the same line. (CR-only text once trapped here:
        // libyaml counts "\r" as a line end, and the lines were split at "\n" only. Found by `make fuzz`.)
        for end in ["\r\n", "\r"] {
            XCTAssertEqual(specDiagnostics(yaml.replacingOccurrences(of: "\n", with: end)),
                           ["spec.yaml:5:3: prompt_tokens: duplicate key (first at line 3), expected each key at most once in a mapping"], "\(Array(end.utf8))")
        }
    }

    func testEmptyFile() {
        XCTAssertEqual(specDiagnostics(""), ["spec.yaml:1:1: file is empty, expected a YAML mapping"])
        XCTAssertEqual(specDiagnostics("# only a comment\n\n"), ["spec.yaml:1:1: file is empty, expected a YAML mapping"])
        XCTAssertEqual(specDiagnostics("---\n  # a comment\n\t\n...\n---"), ["spec.yaml:1:1: file is empty, expected a YAML mapping"])
        XCTAssertEqual(specDiagnostics("# a comment\r\n\r\n"), ["spec.yaml:1:1: file is empty, expected a YAML mapping"])
        // A Windows file that starts with a comment is not empty ("\r\n" is one Character in Swift).
        XCTAssertEqual(specDiagnostics("# a comment\r\n---\r\njust text\r\n"),
                       ["spec.yaml:3:1: must be a mapping with model, workload, slo, ... (see docs/spec.md) (got 'just text')"])
        XCTAssertEqual(specDiagnostics("# a comment\n---\njust text"),
                       ["spec.yaml:3:1: must be a mapping with model, workload, slo, ... (see docs/spec.md) (got 'just text')"])
        XCTAssertEqual(specDiagnostics("just text"),
                       ["spec.yaml:1:1: must be a mapping with model, workload, slo, ... (see docs/spec.md) (got 'just text')"])
    }

    /// Byte offsets become line:column the way libyaml counts lines: "\n", "\r", "\r\n" as one.
    func testPositionsCountEveryKindOfLineEnd() {
        let bytes = Array("a: 1\r\nb: 2\rc\nd".utf8)
        let positions = [9, 11, 13].map { YAMLDocument.position(ofByte: $0, in: bytes) }
        XCTAssertEqual(positions.map { "\($0.0):\($0.1)" }, ["2:4", "3:1", "4:1"])
    }

    func testBinaryJunkFile() throws {
        let dir = try temporaryDirectory(self)
        let junk = dir.appendingPathComponent("junk.yaml")
        try Data([0x6d, 0x3a, 0x20, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]).write(to: junk)
        XCTAssertThrowsError(try SpecLoader.load(path: junk.path)) { error in
            XCTAssertEqual((error as? LoadError)?.diagnostics.map(\.description),
                           ["\(junk.path):2:5: file is binary (NUL byte), expected UTF-8 YAML text"])
        }
        let latin1 = dir.appendingPathComponent("latin1.yaml")
        try Data("name: caf\u{e9}".utf8.dropLast(2) + [0xe9, 0x0a]).write(to: latin1)
        XCTAssertThrowsError(try SpecLoader.load(path: latin1.path)) { error in
            XCTAssertEqual((error as? LoadError)?.diagnostics.map(\.description),
                           ["\(latin1.path):1:10: file is not valid UTF-8 text, expected UTF-8 YAML text"])
        }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let flow = "model: " + String(repeating: "[", count: 200_000)
        XCTAssertEqual(specDiagnostics(flow).count, 1)
        XCTAssertTrue(specDiagnostics(flow)[0].contains("nesting is too deep"), specDiagnostics(flow)[0])
        var block = "model: x\n"
        for i in 0..<100 { block += String(repeating: " ", count: 2 * i) + "k\(i):\n" }
        XCTAssertEqual(specDiagnostics(block),
                       ["spec.yaml:65:127: nesting is too deep, expected at most 64 levels of mappings and lists"])
    }

    func testVeryLongStringsAndHugeFiles() {
        let long = "name: " + String(repeating: "x", count: 5_000) + "\n" + minimalSpec
        XCTAssertEqual(specDiagnostics(long), ["spec.yaml:1:7: name: string is too long (5000 characters), expected at most 200"])
        let huge = "name: " + String(repeating: "x", count: 5_000_000)
        XCTAssertEqual(specDiagnostics(huge).first?.hasPrefix("spec.yaml:1:1: file is too large"), true)
    }

    func testAliasBombIsRefused() {
        var yaml = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
        for (prev, name) in zip("abcdefgh", "bcdefghi") {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(prev)", count: 9).joined(separator: ", ") + "]\n"
        }
        XCTAssertEqual(specDiagnostics(yaml),
                       ["spec.yaml:1:1: document expands to more than 1000000 nodes (aliases?), expected a plain catalog or spec"])
    }

    func testSyntaxErrorHasLocation() {
        XCTAssertEqual(specDiagnostics("model: m\nworkload: {prompt_tokens: 1\n"),
                       ["spec.yaml:3:1: invalid YAML: while parsing a flow mapping did not find expected ',' or '}'"])
    }

    func testAllProblemsAreReportedSorted() {
        let yaml = """
            model: m
            workload: {prompt_tokens: -1, output_tokens: abc}
            slo: {ttft_ms: 0}
            bogus: 1
            """
        XCTAssertEqual(specDiagnostics(yaml), [
            "spec.yaml:2:27: workload.prompt_tokens: must be a positive integer (got -1)",
            "spec.yaml:2:46: workload.output_tokens: must be an integer (got 'abc')",
            "spec.yaml:3:16: slo.ttft_ms: must be a positive number (got 0)",
            "spec.yaml:4:1: bogus: unknown key, expected one of: schema_version, name, description, model, precision, engine, workload, slo, budget, objective, tco, constraints, pin, site, existing",
        ])
    }

    // MARK: Catalog errors

    func testCatalogDuplicateID() {
        let yaml = "gpus:\n" + gpuYAML(id: "x") + "\n" + gpuYAML(id: "x")
        XCTAssertEqual(catalogDiagnostics(yaml),
                       ["gpus.yaml:20:9: gpus[1].id: duplicate id 'x', first defined at gpus.yaml:2:5; ids must be unique across the catalog"])
    }

    /// One 8-GPU chassis `srv` as a catalog `servers:` entry, with `gpus` after its form factors and
    /// `bays` after its NVMe bays when given, and `psu` as its one compatible PSU.
    private func serverYAML(gpus: String? = nil, bays: String? = nil, psu: String) -> String {
        var lines = ["  - id: srv", "    name: S", "    vendor: V", "    gpu_slots: 8", "    gpu_form_factors: [sxm]"]
        if let gpus { lines.append("    " + gpus) }
        lines += ["    rack_units: 8", "    power_watts: 3000", "    dimm_slots: 32", "    memory_channels: 16",
                  "    max_dimm_gib: 128", "    dimm_types: [rdimm]", "    nvme_bays: 8"]
        if let bays { lines.append("    " + bays) }
        lines += ["    nic_slots: 8", "    psu_bays: 6", "    compatible_psus: [\(psu)]", "    cooling: [air]", "    price_usd: 100000",
                  "    price_basis: list", "    source: s", "    as_of: 2025-01", "    part_number: S-1"]
        return lines.joined(separator: "\n")
    }

    func testCatalogMissingReference() {
        let yaml = """
            psus:
              - {id: psu-a, name: P, vendor: V, capacity_watts: 3000, efficiency_tier: titanium, efficiency: 0.96, price_usd: 700, price_basis: list, source: s, as_of: 2025-01, part_number: P-1}
            servers:
            """ + "\n" + serverYAML(gpus: "compatible_gpus: [h100]", psu: "psu-b")
        XCTAssertEqual(catalogDiagnostics(yaml, file: "servers.yaml"), [
            "servers.yaml:9:23: servers[0].compatible_gpus[0]: unknown GPU 'h100', expected a GPU id from the catalog",
            "servers.yaml:19:23: servers[0].compatible_psus[0]: unknown PSU 'psu-b', did you mean 'psu-a'?",
        ])
    }

    /// Decoded enums stay typed (issue 14): a chassis's `ssd_form_factors` is checked against the
    /// drive form factors (u.2, e3.s, m.2) like a drive's own `form_factor`, where it used to be
    /// any string, and a cable's `kind` and a PSU's `efficiency_tier` name their own lists.
    func testCatalogTypedChoices() {
        let yaml = """
            psus:
              - {id: psu-a, name: P, vendor: V, capacity_watts: 3000, efficiency_tier: bronze, efficiency: 0.96, price_usd: 700, price_basis: list, source: s, as_of: 2025-01, part_number: P-1}
            cables:
              - {id: c, name: C, vendor: V, fabric: ethernet, speed_gbps: 400, kind: fibre, power_watts: 1, price_usd: 7, price_basis: list, source: s, as_of: 2025-01, part_number: C-1}
            servers:
            """ + "\n" + serverYAML(bays: "ssd_form_factors: [u.2, sata]", psu: "psu-a")
        XCTAssertEqual(catalogDiagnostics(yaml, file: "servers.yaml"), [
            "servers.yaml:2:76: psus[0].efficiency_tier: must be one of gold, platinum, titanium (got 'bronze')",
            "servers.yaml:4:74: cables[0].kind: must be one of dac, aoc, transceiver-pair (got 'fibre')",
            "servers.yaml:18:29: servers[0].ssd_form_factors[1]: must be one of u.2, e3.s, m.2 (got 'sata')",
        ])
    }

    func testCatalogEstimateNeedsNoteAndFieldErrors() {
        let yaml = "gpus:\n" + gpuYAML(price: "-3", extra: "    price_basis_note: x").replacingOccurrences(of: "price_basis: list", with: "price_basis: estimate")
        XCTAssertEqual(catalogDiagnostics(yaml), [
            "gpus.yaml:13:16: gpus[0].price_usd: must be a positive number (got -3)",
            "gpus.yaml:14:5: gpus[0].price_note: missing required field, expected how the estimate was derived (price_basis is estimate)",
            "gpus.yaml:19:5: gpus[0].price_basis_note: unknown key, did you mean 'price_basis'?",
        ])
    }

    func testCatalogUnknownKindAndBadID() {
        XCTAssertEqual(catalogDiagnostics("gpu:\n" + gpuYAML()),
                       ["gpus.yaml:1:1: gpu: unknown key, did you mean 'gpus'?"])
        XCTAssertEqual(catalogDiagnostics("gpus:\n" + gpuYAML(id: "H100 SXM")), [
            "gpus.yaml:2:9: gpus[0].id: invalid value 'H100 SXM', expected an id of lowercase letters, digits, '.' and '-' starting with a letter or digit",
        ])
    }
}
