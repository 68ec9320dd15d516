import Foundation
import PlannerCore

/// The page `planner serve` shows at `/`: one self-contained HTML document (inline CSS and script,
/// no network resource), whose script calls the JSON API. Written by hand rather than with a front-end
/// framework: it is one form, one YAML editor and a few tables, and must load with no network.
enum Page {
    /// Shown when `planner serve` is started without a spec: a copy of examples/chat-8b.yaml (a test
    /// keeps them equal).
    static let defaultSpec = """
        # A chat assistant on an 8B model: 64 users at once, interactive latency, a quarter-million budget.
        # Every field is documented in docs/spec.md; check it with `planner validate examples/chat-8b.yaml`.
        schema_version: 1
        name: chat-8b
        description: Internal chat assistant, 512-token prompts, 256-token answers, 64 concurrent users.
        model: deepseek-r1-distill-llama-8b
        precision: {weights: fp16, kv_cache: fp16}
        engine: vllm
        workload: {prompt_tokens: 512, output_tokens: 256, concurrency: 64}
        slo: {ttft_ms: 500, tpot_ms: 50, percentile: 99}
        budget: {capex_usd: 250000}
        objective: min_capex
        tco: {years: 3, electricity_usd_per_kwh: 0.12, pue: 1.4}
        constraints:
          psu_redundancy: n+1
          storage: {min_iops: 50000, min_fault_tolerance: 1}

        """

    /// What the script needs before its first request: the spec, its file name and the choices of
    /// the form's drop-downs, from PlannerCore's own enumerations.
    struct Boot: Encodable {
        var spec: String
        var file: String
        var settableKeys: [String]
        var choices: [String: [String]]
        var version: String
    }

    static func html(initialSpec: String, file: String = PlannerService.defaultFileName, settableKeys: [String]) -> String {
        let boot = Boot(
            spec: initialSpec, file: file, settableKeys: settableKeys,
            choices: [
                "precision.weights": Precision.allCases.map(\.rawValue),
                "precision.kv_cache": Precision.allCases.filter(\.isKVCacheFormat).map(\.rawValue),
                "engine": EngineProfile.allCases.map(\.rawValue),
                "objective": Objective.allCases.map(\.rawValue),
                "constraints.replica_redundancy": ReplicaRedundancy.allCases.map(\.rawValue),
                "constraints.cooling": CoolingChoice.allCases.map(\.rawValue),
                "measure": SweepResult.Measure.allCases.map(\.rawValue),
            ],
            version: PlannerVersion.current)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = (try? encoder.encode(boot)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        // Inside <script>, "</" and "<!--" must not appear; \u003c is the same character to JSON.
        return template.replacingOccurrences(of: "__PLANNER_BOOT__", with: json.replacingOccurrences(of: "<", with: "\\u003c"))
    }
}
