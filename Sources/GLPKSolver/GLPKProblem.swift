import CGLPK
import LinearModel

/// A GLPK problem object built from a validated ``Model``; deleted when the value goes away.
/// Only use it inside ``GLPKEnvironment/run(_:)``, on one thread.
final class GLPKProblem {
    let pointer: OpaquePointer

    /// Builds the problem. `lpNames` rewrites names into the CPLEX LP alphabet (see
    /// ``GLPKNames/lpSafe(_:)``); otherwise names are passed as they are.
    init(_ model: Model, lpNames: Bool = false) {
        pointer = glp_create_prob()
        func name(_ text: String) -> String { lpNames ? GLPKNames.lpSafe(text) : text }
        glp_set_prob_name(pointer, name(model.name.isEmpty ? "model" : String(model.name.prefix(200))))
        glp_set_obj_dir(pointer, model.objective.sense == .minimize ? GLP_MIN : GLP_MAX)
        glp_set_obj_coef(pointer, 0, model.objective.expression.constant)
        if !model.variables.isEmpty {
            glp_add_cols(pointer, Int32(model.variables.count))
        }
        for (offset, variable) in model.variables.enumerated() {
            let column = Int32(offset + 1)
            glp_set_col_name(pointer, column, name(variable.name))
            switch variable.kind {
            case .continuous: glp_set_col_kind(pointer, column, GLP_CV)
            case .integer: glp_set_col_kind(pointer, column, GLP_IV)
            case .binary: glp_set_col_kind(pointer, column, GLP_IV)
            }
            let (type, lower, upper) = Self.boundType(variable.lowerBound, variable.upperBound)
            glp_set_col_bnds(pointer, column, type, lower, upper)
        }
        for (variable, coefficient) in model.objective.expression.sortedTerms {
            glp_set_obj_coef(pointer, Int32(variable.index + 1), coefficient)
        }
        if !model.constraints.isEmpty {
            glp_add_rows(pointer, Int32(model.constraints.count))
        }
        var rowIndices: [Int32] = [0]
        var columnIndices: [Int32] = [0]
        var values: [Double] = [0]
        for (offset, constraint) in model.constraints.enumerated() {
            let row = Int32(offset + 1)
            glp_set_row_name(pointer, row, name(constraint.name))
            let (type, lower, upper) = Self.boundType(constraint.lowerBound, constraint.upperBound)
            glp_set_row_bnds(pointer, row, type, lower, upper)
            for term in constraint.terms {
                rowIndices.append(row)
                columnIndices.append(Int32(term.variable.index + 1))
                values.append(term.coefficient)
            }
        }
        if values.count > 1 {
            glp_load_matrix(pointer, Int32(values.count - 1), &rowIndices, &columnIndices, &values)
        }
    }

    deinit { glp_delete_prob(pointer) }

    /// GLPK's bound type for `[lower, upper]` (either side optional, already validated lower ≤ upper).
    static func boundType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): (GLP_FR, 0, 0)
        case let (lower?, nil): (GLP_LO, lower, 0)
        case let (nil, upper?): (GLP_UP, 0, upper)
        case let (lower?, upper?): (lower == upper ? GLP_FX : GLP_DB, lower, upper)
        }
    }
}

/// Name rules of GLPK's file formats.
public enum GLPKNames {
    /// The CPLEX LP format allows letters, digits and `!"#$%&()/,.;?@_`'{}|~` in names, and a name may
    /// not start with a digit or a period. Planner names such as `gpus[h100-sxm-80gb]` are written as
    /// `gpus(h100_sxm_80gb)`: `[` `]` become `(` `)`, `-` becomes `_`, any other character becomes `_`,
    /// and a name starting with a digit or period gets a leading `_`.
    public static func lpSafe(_ name: String) -> String {
        let allowed = Set("!\"#$%&()/,.;?@_`'{}|~")
        var result = String(name.map { character -> Character in
            switch character {
            case "[": "("
            case "]": ")"
            case _ where character.isASCII && (character.isLetter || character.isNumber): character
            case _ where allowed.contains(character): character
            default: "_"
            }
        })
        if let first = result.first, first.isNumber || first == "." { result = "_" + result }
        return String(result.prefix(255))
    }
}
