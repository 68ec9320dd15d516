import LinearModel

/// The constraints that hold with equality at the solution and say something about the plan
/// (structural ones such as "every server gets one PSU configuration" are left out).
enum BindingConstraints {
    static let meaningfulPrefixes = [
        "demand", "budget", "pin_gpu_count", "pin_server_count", "host_memory", "storage_capacity",
        "storage_read", "storage_iops", "storage_faults", "psu_capacity", "switch_ports", "rack_group",
        "rack_switches", "cooling_capacity", "cooling_per_rack",
    ]

    static func names(formulation: PlanFormulation, result: LinearModel.SolveResult) -> [String] {
        let usedKeys = Set(formulation.groups.indices.filter { formulation.serversExpression(group: $0).evaluate(result.values) > 0.5 }.map { formulation.groups[$0].key })
        let chosenDesign = formulation.rackDesigns.indices.first { result.values[formulation.rackChosen[$0].index] > 0.5 }.map { formulation.rackDesigns[$0].key } ?? ""
        let switches = formulation.switches.indices.reduce(0.0) { $0 + (formulation.leaf[$1] + formulation.spine[$1]).evaluate(result.values) }
        return result.bindingConstraints(in: formulation.model, tolerance: 1e-6).compactMap { reference in
            let definition = formulation.model.definition(of: reference)
            let name = definition.name
            // 0 ≥ 0 with nothing bought says nothing about the plan.
            if definition.terms.allSatisfy({ abs(result.values[$0.variable.index]) < 1e-9 }) { return nil }
            let family = String(name.prefix { $0 != "[" })
            guard meaningfulPrefixes.contains(family) else { return nil }
            if family == "switch_ports" {
                let used = formulation.fabricUsed.first { "switch_ports[\($0.key.key)]" == name }.map { result.values[$0.value.index] > 0.5 } ?? false
                guard used else { return nil }
            } else if family == "rack_group" {
                guard usedKeys.contains(where: { name.hasPrefix("rack_group[\($0),") }), name.hasSuffix(",\(chosenDesign)]") else { return nil }
            } else if family == "rack_switches" {
                guard switches > 0.5, name == "rack_switches[\(chosenDesign)]" else { return nil }
            } else if let open = name.firstIndex(of: "["), !["rack_switches", "cooling_capacity", "cooling_per_rack"].contains(family) {
                let index = String(name[name.index(after: open)...].dropLast())
                guard usedKeys.contains(index) else { return nil }
            }
            return name
        }
        .sorted()
    }
}

extension BindingConstraints {
    /// What a binding constraint means for the plan, in words (for the text renderers).
    public static func explanation(of name: String) -> String {
        meaning(of: name).map { "\(name): \($0)" } ?? name
    }

    /// The meaning alone, by the constraint's family; nil for a family without one.
    public static func meaning(of name: String) -> String? {
        let family = String(name.prefix { $0 != "[" })
        return switch family {
        case "demand": "capacity is just enough for the demand: one replica less would miss it"
        case "budget": "the budget is spent to the dollar"
        case "pin_gpu_count": "the pinned GPU count"
        case "pin_server_count": "the pinned server count"
        case "host_memory": "host memory is at the seed's rule (2 × the weights on the server, 32/64 GiB floor)"
        case "storage_capacity": "the array is as small as the checkpoints and OS reserve allow"
        case "storage_read": "the array reads just fast enough for the model-load time target"
        case "storage_iops": "the array has just the IOPS asked for"
        case "storage_faults": "the RAID level is set by the drive fault tolerance asked for"
        case "psu_capacity": "the PSUs just carry the server's peak with the redundancy asked for"
        case "switch_ports": "every switch port is used"
        case "rack_group": "every rack of these servers is full (space, power or PDU outlets)"
        case "rack_switches": "the switches fill the room the racks leave"
        case "cooling_capacity": "cooling units are sized to the heat exactly"
        case "cooling_per_rack": "one cooling unit per rack"
        default: nil
        }
    }
}
