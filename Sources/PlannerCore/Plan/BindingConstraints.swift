import LinearModel

/// The constraints that hold with equality at the solution and say something about the plan: the
/// rows of each ``ConstraintFamily`` for the server groups, rack design, fabric classes and cooling
/// options the plan uses, named forward from their keys and looked up in the program (a name is
/// never parsed back).
enum BindingConstraints {
    static func binding(formulation: PlanFormulation, result: LinearModel.SolveResult) -> [BindingConstraint] {
        let values = result.values
        let model = formulation.model
        var rowByName: [String: ConstraintReference] = [:]
        for row in result.bindingConstraints(in: model, tolerance: 1e-6) { rowByName[model.definition(of: row).name] = row }

        let used = formulation.groups.indices.filter { formulation.serversExpression(group: $0).evaluate(values) > 0.5 }.map { formulation.groups[$0].key }
        let design = formulation.rackDesigns.indices.first { values[formulation.rackChosen[$0].index] > 0.5 }.map { formulation.rackDesigns[$0].key }
        let switches = formulation.switches.indices.reduce(0.0) { $0 + (formulation.leaf[$1] + formulation.spine[$1]).evaluate(values) }
        let fabrics = formulation.fabricUsed.filter { values[$0.value.index] > 0.5 }.map(\.key.key)

        var candidates: [BindingConstraint] = [.init(.demand), .init(.budget), .init(.pinGPUCount), .init(.pinServerCount)]
        for key in used {
            candidates += [ConstraintFamily.hostMemory, .hostMemoryPartial, .storageCapacity, .storageRead, .storageIOPS, .storageFaults,
                           .psuCapacity, .psuCapacityPartial].map { .init($0, [key]) }
            if let design { candidates.append(.init(.rackGroup, [key, design])) }
        }
        candidates += fabrics.map { .init(.switchPorts, [$0]) }
        if let design, switches > 0.5 { candidates.append(.init(.rackSwitches, [design])) }
        for option in formulation.coolingOptions {
            candidates += [.init(.coolingCapacity, [option.id]), .init(.coolingPerRack, [option.id])]
        }
        return candidates.filter { candidate in
            guard let row = rowByName[candidate.name] else { return false }
            // 0 ≥ 0 with nothing bought says nothing about the plan.
            return !model.definition(of: row).terms.allSatisfy { abs(values[$0.variable.index]) < 1e-9 }
        }
        .sorted()
    }
}
