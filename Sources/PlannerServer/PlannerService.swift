import Foundation
import PlannerCore

/// The API of `planner serve` without HTTP: spec text in, the CLI's own output out. Each call goes
/// through the same PlannerCore entry points as the command it mirrors (``SpecLoader``,
/// ``SpecSolver``, the renderers, ``SweepGrid``, ``CatalogList``), so the bytes are the CLI's. Never
/// touches the file system: the catalog is loaded once, by the caller, and specs come as text.
public struct PlannerService: Sendable {
    public let catalog: Catalog
    public let configuration: ServeSettings
    let slots: SolveSlots

    /// The file name the spec is given when a request names none: diagnostics do not show it, but a
    /// spec without `name:` is named after it, as `planner solve` names it after its file.
    public static let defaultFileName = "spec.yaml"

    public init(catalog: Catalog, configuration: ServeSettings = ServeSettings()) {
        self.catalog = catalog
        self.configuration = configuration
        slots = SolveSlots(capacity: configuration.maximumConcurrentSolves, maximumWaiting: configuration.maximumWaitingRequests)
    }

    /// Output formats of `POST /api/solve?format=`, as `planner solve --format`.
    public enum PlanFormat: String, Sendable, CaseIterable {
        case json, csv, html, markdown, table

        /// The renderer `planner solve --format` uses; the HTML report reads rack sizes from `catalog`.
        func renderer(catalog: Catalog) -> any PlanRenderer {
            switch self {
            case .json: JSONPlanRenderer()
            case .csv: CSVPlanRenderer()
            case .html: HTMLPlanRenderer(catalog: catalog)
            case .markdown: MarkdownPlanRenderer()
            case .table: TablePlanRenderer(colour: false)
            }
        }

        var contentType: String {
            switch self {
            case .json: "application/json; charset=utf-8"
            case .csv: "text/csv; charset=utf-8"
            case .html: "text/html; charset=utf-8"
            case .markdown: "text/markdown; charset=utf-8"
            case .table: "text/plain; charset=utf-8"
            }
        }
    }

    /// Sweep output formats, as `planner sweep --format`.
    public enum SweepFormat: String, Sendable, CaseIterable {
        case json, csv, markdown, table

        var renderer: any SweepRenderer {
            switch self {
            case .json: JSONSweepRenderer()
            case .csv: CSVSweepRenderer()
            case .markdown: MarkdownSweepRenderer()
            case .table: TableSweepRenderer()
            }
        }

        var contentType: String {
            switch self {
            case .json: PlanFormat.json.contentType
            case .csv: PlanFormat.csv.contentType
            case .markdown: PlanFormat.markdown.contentType
            case .table: PlanFormat.table.contentType
            }
        }
    }

    // MARK: Calls

    /// `POST /api/validate`: 200 with `{"ok": true, "summary": …}` (the line `planner validate`
    /// prints) or 400 with the validator's errors.
    public func validate(yaml: String, file: String? = nil) -> APIResponse {
        switch parse(yaml, file: file) {
        case .failure(let box): return box.response
        case .success(let spec):
            return .json(APIResponse.encode(ValidDocument(ok: true, summary: SpecSummary.line(spec, catalog))))
        }
    }

    /// `POST /api/solve`: the plan as `planner solve --format <format>` writes it, 200 whatever
    /// the plan's status (which also goes in ``APIResponse/planStatus``); 400 for a bad spec.
    public func solve(yaml: String, file: String? = nil, format: String? = nil) async -> APIResponse {
        guard let format = Self.choice(format, default: PlanFormat.json) else {
            return .errors([Self.parameterError("format", format ?? "", PlanFormat.allCases.map(\.rawValue))])
        }
        let spec: Spec
        switch parse(yaml, file: file) {
        case .failure(let box): return box.response
        case .success(let s): spec = s
        }
        let solver = SpecSolver(timeLimitSeconds: configuration.timeLimitSeconds, solver: .glpk)
        let catalog = catalog
        let plan: Plan
        do {
            plan = try await slots.withSlots(1) { await Self.offPool { solver.solve(spec, catalog: catalog) } }
        } catch {
            return Self.busy
        }
        return APIResponse(status: 200, contentType: format.contentType, body: format.renderer(catalog: catalog).render(plan), planStatus: plan.status.code)
    }

    /// `POST /api/sweep?vary=KEY=V1,V2&measure=tpot`: `planner sweep --format <format>`'s output.
    /// The points share the request's time limit, and the sweep holds every solver slot while it runs.
    public func sweep(yaml: String, vary: [String], measure: String? = nil, format: String? = nil, file: String? = nil) async -> APIResponse {
        guard let format = Self.choice(format, default: SweepFormat.json) else {
            return .errors([Self.parameterError("format", format ?? "", SweepFormat.allCases.map(\.rawValue))])
        }
        guard let measure = Self.choice(measure, default: SweepResult.Measure.tpot) else {
            return .errors([Self.parameterError("measure", measure ?? "", SweepResult.Measure.allCases.map(\.rawValue))])
        }
        let spec: Spec
        switch parse(yaml, file: file) {
        case .failure(let box): return box.response
        case .success(let s): spec = s
        }
        let grid: SweepGrid
        do {
            grid = try SweepGrid(varying: vary, maximumPoints: configuration.maximumSweepPoints)
            _ = try grid.specs(from: spec, catalog: catalog)  // every value checked before any slot is taken
        } catch {
            return .errors([APIError(line: nil, column: nil, field: "vary", message: error.localizedDescription)])
        }
        let catalog = catalog
        let timeLimit = configuration.timeLimitSeconds
        let result: SweepResult?
        do {
            result = try await slots.withSlots(configuration.maximumConcurrentSolves) {
                await Self.offPool {
                    let deadline = Date().addingTimeInterval(timeLimit)
                    return try? grid.solve(spec, catalog: catalog, measure: measure) { point in
                        // Each point gets what is left of the request's limit.
                        let left = max(0.001, deadline.timeIntervalSinceNow)
                        return SpecSolver(timeLimitSeconds: left, solver: .glpk).solve(point, catalog: catalog)
                    }
                }
            }
        } catch {
            return Self.busy
        }
        guard let result else { return .errors([APIError(line: nil, column: nil, field: "vary", message: "the grid could not be applied")]) }
        return APIResponse(status: 200, contentType: format.contentType, body: format.renderer.render(result))
    }

    /// `GET /api/catalog`: `planner catalog list --format json`'s output.
    public func catalogList() -> APIResponse {
        .json(CatalogList(catalog).json() + "\n")
    }

    // MARK: Helpers

    /// The spec, or the 400 response listing its problems (from the validator `planner validate` uses).
    func parse(_ yaml: String, file: String?) -> Result<Spec, APIResponseBox> {
        do {
            return .success(try SpecLoader.parse(yaml: yaml, file: Self.fileName(file), catalog: catalog))
        } catch {
            let diagnostics = error.diagnostics
            if diagnostics.isEmpty {
                return .failure(APIResponseBox(.errors([APIError(line: nil, column: nil, field: "", message: error.localizedDescription)])))
            }
            return .failure(APIResponseBox(.errors(diagnostics.sorted().map(APIError.init))))
        }
    }

    /// A display name only (never opened): its last path component, or the default.
    static func fileName(_ file: String?) -> String {
        guard let file, !file.isEmpty else { return defaultFileName }
        let last = String((file as NSString).lastPathComponent.prefix(200))
        return last.isEmpty || last == "/" ? defaultFileName : last
    }

    static func choice<T: RawRepresentable>(_ text: String?, default value: T) -> T? where T.RawValue == String {
        guard let text, !text.isEmpty else { return value }
        return T(rawValue: text)
    }

    static func parameterError(_ name: String, _ value: String, _ allowed: [String]) -> APIError {
        APIError(line: nil, column: nil, field: name, message: "unknown value '\(value)', expected one of \(allowed.joined(separator: ", "))")
    }

    static let busy = APIResponse.errors(
        [APIError(line: nil, column: nil, field: "", message: "the server is busy (too many requests waiting for a solver); try again shortly")],
        status: 503)

    /// Runs blocking work (GLPK) on a Dispatch thread, not on Swift's cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    private struct ValidDocument: Encodable {
        var ok: Bool
        var summary: String
    }
}

/// A response carried as an `Error`, so `Result` can hold it.
struct APIResponseBox: Error {
    var response: APIResponse
    init(_ response: APIResponse) { self.response = response }
}
