import Foundation

/// `--export-lp`: the programs actually solved for a plan, as files `glpsol` reads.
extension SpecSolver {
    /// Writes the programs `recorder` kept while this solver solved `spec` into `plan`:
    ///
    /// - `path` gets the program behind the plan: the one whose optimum the plan is (with the search
    ///   split by GPU type, the plan's GPU type's program, objective cutoff included); without a
    ///   plan, the last program solved (the whole program the diagnosis is about); when nothing was
    ///   solved (no GPU could serve), the whole program as built.
    /// - Every other program solved is written beside it as `<stem>.<gpu-id>.<ext>` (`all` for a
    ///   program over several types; `-2`, `-3`… when a name repeats), in solve order.
    ///
    /// Returns the paths written, `path` first. The folder of `path` must exist.
    public func writePrograms(
        for spec: Spec, catalog: Catalog, plan: Plan, recorder: ProgramRecorder, to path: String,
        format: ProgramFileFormat = .lp, writer: MILPSolver = .glpk
    ) throws(ProgramExportError) -> [String] {
        let programs = recorder.programs
        guard !programs.isEmpty else {
            try writer.write(model(for: spec, catalog: catalog), to: path, format: format)
            return [path]
        }
        let planGPUs = Set(plan.deployments.map(\.gpuID)).sorted()
        let main = plan.hasBuild ? programs.lastIndex { $0.gpuIDs == planGPUs } ?? programs.count - 1 : programs.count - 1
        try writer.write(programs[main].model, to: path, format: format)
        var written = [path]
        let url = URL(fileURLWithPath: path)
        let stem = url.deletingPathExtension().path
        let ext = url.pathExtension.isEmpty ? format.rawValue : url.pathExtension
        var used: Set<String> = [path]
        for (index, program) in programs.enumerated() where index != main {
            let label = program.gpuIDs.count == 1 ? program.gpuIDs[0] : "all"
            var name = "\(stem).\(label).\(ext)", n = 1
            while used.contains(name) {
                n += 1
                name = "\(stem).\(label)-\(n).\(ext)"
            }
            used.insert(name)
            try writer.write(program.model, to: name, format: format)
            written.append(name)
        }
        return written
    }
}
