import Foundation

/// `planner estimate --format json`: sorted keys, nulls written out.
public struct EstimateJSONRenderer: Sendable {
    public init() {}

    public func render(_ report: EstimateReport) -> String {
        let d = report.deployment, m = report.estimate.memory, e = report.estimate, workload = report.workload
        let serving = m.fits && d.replicas >= 1
        var load: [String: JSONValue] = [:]
        switch workload.load {
        case .concurrency(let n): load = ["kind": .string("concurrency"), "value": .number(Double(n))]
        case .requestsPerSecond(let r): load = ["kind": .string("requests_per_second"), "value": .number(r)]
        case .burst(let n): load = ["kind": .string("burst"), "value": .number(Double(n))]
        case .maximum: load = ["kind": .string("maximum"), "value": .null]
        }
        func num(_ x: Double, _ places: Double = 1000) -> JSONValue {
            x.isFinite ? .number((x * places).rounded() / places) : .null
        }
        let object: [String: JSONValue] = [
            "model": .string(d.model.id), "gpu": .string(d.gpu.id), "gpus": .number(Double(d.gpuCount)),
            "tp": .number(Double(d.tensorParallel)), "replicas": .number(Double(d.replicas)),
            "precision": .string(d.weightPrecision.rawValue), "kv_precision": .string(d.kvPrecision.rawValue),
            "engine": .string(d.engine.rawValue),
            "engine_settings": EstimateReport.engineSettingsJSON(d),
            "input_tokens": .number(Double(workload.promptTokens)),
            "output_tokens": .number(Double(workload.outputTokens)), "load": .object(load),
            "percentile": workload.percentile.map { .number($0 * 100) } ?? .null,
            "ttft_ms": serving && e.stable ? num(e.ttftMs) : .null,
            "request_overhead_ms": num(report.requestOverheadMs),
            "tpot_ms": serving ? num(e.tpotMs) : .null,
            "output_tokens_per_s": num(e.outputTokensPerSecond),
            "requests_per_s": num(e.requestsPerSecond, 1e6),
            "batch": num(e.batch),
            "batch_limit": .string(EstimateReport.snake(e.batchLimit.rawValue)),
            "bound": serving ? .string(e.bound.rawValue) : .null,
            "stable": .bool(e.stable),
            "memory": .object([
                "weights_gib": num(m.weightsGiB), "kv_cache_gib": num(m.kvCacheGiB),
                "overhead_gib": num(m.overheadGiB), "capacity_gib": num(m.capacityGiB),
                "usable_gib": num(m.usableGiB), "kv_capacity_tokens": .number(Double(m.kvCapacityTokens)),
                "kv_bytes_per_token": num(m.kvBytesPerToken), "max_batch": .number(Double(m.maxBatch)),
                "fits": .bool(m.fits), "shortfall": m.shortfall.map(JSONValue.string) ?? .null,
            ]),
            "step_costs": .string(report.stepCosts),
            "calibration": .array(report.calibrationFiles.isEmpty ? [.string("shipped")] : report.calibrationFiles.map(JSONValue.string)),
        ]
        return JSONValue.object(object).document
    }
}
