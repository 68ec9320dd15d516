import Foundation

/// Why a sweep's axes cannot be used (`planner sweep --vary`, `POST /api/sweep?vary=`).
public enum SweepGridError: LocalizedError, Equatable, Sendable {
    case noAxes
    /// An axis written without `=`.
    case malformedAxis(String)
    case noValues(key: String)
    case repeatedKey(keys: [String])
    case tooManyPoints(count: Int, maximum: Int)
    /// A value that the spec does not accept for its key.
    case invalidSetting(SpecSettingError)
    /// A varied spec that fails a catalog check a loaded spec passes (a model's context, say).
    case catalogCheck(settings: String, keyPath: String, message: String)

    public var errorDescription: String? {
        switch self {
        case .noAxes: "give at least one --vary KEY=V1,V2,..."
        case .malformedAxis(let text): "--vary \(text): expected KEY=V1,V2,... (for example slo.tpot_ms=10,20,50)"
        case .noValues(let key): "--vary \(key): give at least one value"
        case .repeatedKey(let keys): "each key may be varied once (got \(keys.joined(separator: ", ")))"
        case let .tooManyPoints(count, maximum): "the grid has \(count) points, expected at most \(maximum); vary fewer values"
        case .invalidSetting(let error): "--vary \(error.localizedDescription)"
        case let .catalogCheck(settings, keyPath, message): "--vary \(settings): \(keyPath): \(message)"
        }
    }
}

/// The grid of a sweep: axes parsed from `KEY=V1,V2,…` texts, every combination of their values
/// (the last axis fastest), each applied to a base spec and solved.
public struct SweepGrid: Sendable {
    /// The size limit: a sweep is for exploring, not for enumerating.
    public static let maximumPoints = 1_000

    public var axes: [SweepResult.Axis]

    /// Parses and checks `KEY=V1,V2,…` texts; at most `maximumPoints` combinations.
    public init(varying texts: [String], maximumPoints: Int = SweepGrid.maximumPoints) throws(SweepGridError) {
        guard !texts.isEmpty else { throw .noAxes }
        var axes: [SweepResult.Axis] = []
        for text in texts {
            guard let equals = text.firstIndex(of: "=") else { throw .malformedAxis(text) }
            let key = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
            let values = text[text.index(after: equals)...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !values.isEmpty else { throw .noValues(key: key) }
            axes.append(SweepResult.Axis(key: key, values: values))
        }
        let keys = axes.map(\.key)
        guard Set(keys).count == keys.count else { throw .repeatedKey(keys: keys) }
        // Multiplied with a cap, so a huge grid cannot overflow.
        let count = axes.reduce(1) { min($0 * $1.values.count, Int(Int32.max)) }
        guard count <= maximumPoints else { throw .tooManyPoints(count: count, maximum: maximumPoints) }
        self.axes = axes
    }

    /// Every combination of the axes' values, the last axis fastest.
    public var points: [[String]] { SweepResult.grid(axes) }

    /// `base` with each point's values applied, in grid order; every value is checked (`gpu` and `model`
    /// against `catalog`, and each varied spec against the catalog checks a loaded spec passes) before
    /// anything is solved, so a bad one fails fast.
    public func specs(from base: Spec, catalog: Catalog? = nil) throws(SweepGridError) -> [Spec] {
        var specs: [Spec] = []
        for values in points {
            var spec = base
            for (axis, value) in zip(axes, values) {
                do {
                    if let catalog { spec = try spec.setting(axis.key, to: value, catalog: catalog) }
                    else { spec = try spec.setting(axis.key, to: value) }
                } catch { throw .invalidSetting(error) }
            }
            if let catalog, let problem = SpecLoader.check(spec, against: catalog).first {
                let settings = zip(axes, values).map { "\($0.key)=\($1)" }.joined(separator: ", ")
                throw .catalogCheck(settings: settings, keyPath: problem.keyPath, message: problem.message)
            }
            specs.append(spec)
        }
        return specs
    }

    /// Solves every point on all cores (results in grid order) and finds the frontier against `measure`.
    /// `solve` is called once per point, from several threads.
    public func solve(
        _ base: Spec, catalog: Catalog? = nil, measure: SweepResult.Measure, progress: (@Sendable (Int, Int) -> Void)? = nil,
        _ solve: @Sendable (Spec) -> Plan
    ) throws(SweepGridError) -> SweepResult {
        let specs = try specs(from: base, catalog: catalog)
        let plans = ConcurrentMap.map(count: specs.count, progress: progress) { solve(specs[$0]) }
        return SweepResult(axes: axes, points: zip(points, plans).map { SweepResult.Point(values: $0, plan: $1) }, measure: measure)
    }
}
