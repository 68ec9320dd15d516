import Foundation

/// One rule a plan breaks, with the numbers that break it.
public struct PlanViolation: Sendable, Hashable, CustomStringConvertible {
    /// Short rule name (`gpu_slots`, `psu_capacity`, `demand`, …).
    public var rule: String
    public var message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}

/// Re-checks a plan against its problem from the plan's values alone: what each server carries,
/// what the bill of materials buys, and the plan-level limits (demand, network, racks, power,
/// cooling, budget, SLO, pins).
///
/// This is an independent referee for the optimizer: it does not use the MILP formulation. It
/// reads the catalog items back from the problem by listing id and recomputes every figure it
/// checks from docs/optimizer.md. Racks are checked one by one: every server and switch is placed
/// (first fit, heaviest first) at its own draw in a rack with the space, power and PDU outlets
/// left, and each rack's load and cords then say how many PDUs (and per-rack cooling units) it
/// needs (the MILP packs at the group's heaviest configuration, which is never lighter).
public struct PlanChecker: Sendable {
    public let problem: PlanningProblem
    public let target: SLO
    /// Relative tolerance for comparisons (solver round-off).
    public var tolerance: Double = 1e-6

    public init(problem: PlanningProblem, target: SLO) {
        self.problem = problem
        self.target = target
    }

    /// Every rule `plan` breaks; empty when it is valid. Plans without a solution (infeasible,
    /// error) have nothing to check. Each family of rules is in Plan/Checks/.
    public func violations(of plan: Plan) -> [PlanViolation] {
        guard plan.status.hasPlan else { return [] }
        var check = PlanCheck(plan: plan, problem: problem, target: target, tolerance: tolerance)
        return check.run()
    }

    /// First fit: each item (rack units, watts, cords), in the order given, goes into the first of
    /// `racks` racks with the space, the power (≤ `limitWatts`) and the outlets left for it. The
    /// racks' loads, and the index of the first item that finds no room (`nil` when all are placed).
    static func placeFirstFit(
        _ items: [(rackUnits: Int, watts: Double, cords: Int)], racks: Int, rackUnits: Int, limitWatts: Double, outlets: Int
    ) -> (racks: [(rackUnits: Int, watts: Double, cords: Int)], unplaced: Int?) {
        var loads = [(rackUnits: Int, watts: Double, cords: Int)](repeating: (0, 0, 0), count: max(racks, 0))
        for (index, item) in items.enumerated() {
            guard let r = loads.indices.first(where: {
                loads[$0].rackUnits + item.rackUnits <= rackUnits && loads[$0].watts + item.watts <= limitWatts
                    && loads[$0].cords + item.cords <= outlets
            }) else { return (loads, index) }
            loads[r].rackUnits += item.rackUnits
            loads[r].watts += item.watts
            loads[r].cords += item.cords
        }
        return (loads, nil)
    }
}
