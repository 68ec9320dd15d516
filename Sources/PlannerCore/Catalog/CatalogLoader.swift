import Foundation
import Yams

/// Loads the shipped catalog and user overlays, validating every entry.
public enum CatalogLoader {
    /// Environment variable naming the shipped catalog directory.
    public static let environmentVariable = "PLANNER_CATALOG_DIR"

    /// Finds the shipped `catalogs/` directory: `explicitRoot` (`--catalog-root`), else
    /// `$PLANNER_CATALOG_DIR`, else `./catalogs`, else, walking up from the executable's directory,
    /// the first `catalogs/` or `share/planner/catalogs/` (`.build/release/planner` → the repository
    /// root; `PREFIX/bin/planner` → `PREFIX/share/planner/catalogs`, where `make install` puts them).
    public static func locateShippedCatalog(
        explicitRoot: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = CommandLine.arguments.first
    ) throws(LoadError) -> URL {
        let fm = FileManager.default
        func isDir(_ url: URL) -> Bool {
            var d: ObjCBool = false
            return fm.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
        }
        let cwd = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        if let explicitRoot {
            let url = URL(fileURLWithPath: explicitRoot, relativeTo: cwd).standardizedFileURL
            guard isDir(url) else { throw .fileNotFound(explicitRoot) }
            return url
        }
        if let env = environment[environmentVariable], !env.isEmpty {
            let url = URL(fileURLWithPath: env, relativeTo: cwd).standardizedFileURL
            guard isDir(url) else { throw .fileNotFound("\(env) (from \(environmentVariable))") }
            return url
        }
        var searched: [String] = []
        let local = cwd.appendingPathComponent("catalogs", isDirectory: true).standardizedFileURL
        if isDir(local) { return local }
        searched.append(local.path)
        if let executablePath, !executablePath.isEmpty {
            var dir = URL(fileURLWithPath: executablePath, relativeTo: cwd).standardizedFileURL.resolvingSymlinksInPath()
                .deletingLastPathComponent()
            for _ in 0..<8 {
                for relative in installedLayouts {
                    let candidate = dir.appendingPathComponent(relative, isDirectory: true)
                    if isDir(candidate) { return candidate }
                    searched.append(candidate.path)
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw .catalogNotFound(searched: searched)
    }

    /// Where the catalogs lie relative to an ancestor of the executable: a checkout, then an install.
    static let installedLayouts = ["catalogs", "share/planner/catalogs"]

    /// Locates the shipped catalog and loads it with `overlays` applied in order.
    public static func load(
        catalogRoot: String? = nil, overlays: [String] = [],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        executablePath: String? = CommandLine.arguments.first
    ) throws(LoadError) -> Catalog {
        let root = try locateShippedCatalog(explicitRoot: catalogRoot, environment: environment,
                                            currentDirectory: currentDirectory, executablePath: executablePath)
        let cwd = URL(fileURLWithPath: currentDirectory, isDirectory: true)
        return try load(root: root, overlays: overlays.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL },
                        currentDirectory: currentDirectory)
    }

    /// Loads every `.yaml` file in `root`, then each overlay (a directory of `.yaml` files or one
    /// file) in order. An overlay entry whose id exists patches it: the fields it names replace the
    /// entry's (a nested map such as `tflops` is replaced whole), the others are kept, and the changed
    /// fields are recorded in ``Catalog/replacements``. New ids are added and must be complete.
    public static func load(root: URL, overlays: [URL] = [],
                            currentDirectory: String = FileManager.default.currentDirectoryPath) throws(LoadError) -> Catalog {
        // The YAML files and the kernel table (a 300 KB CSV) are independent reads: parse them all at
        // the same time, then add the YAML in file order (later files patch earlier ones) and report
        // its errors before the kernel table's, as a sequential load would.
        var listed = try yamlFiles(in: root, overlay: false).map { (url: $0, overlay: false) }
        for overlay in overlays { listed += try yamlFiles(in: overlay, overlay: true).map { (url: $0, overlay: true) } }
        let files = listed
        /// A parsed file crossing from the thread that parsed it to this one: Yams' `Node` is not
        /// marked `Sendable`, but each tree is built by one parse and only read after it.
        struct Parsed: @unchecked Sendable { var result: Result<Node, DiagnosticList> }
        enum Part: Sendable {
            case yaml(Parsed, file: String, overlay: Bool)
            case kernels(Result<KernelTable?, LoadError>)
        }
        // The kernel table first: it is the largest single read.
        let parts = ConcurrentMap.map(count: files.count + 1) { index -> Part in
            guard index > 0 else {
                return .kernels(Result { () throws(LoadError) in try kernelTable(in: root, currentDirectory: currentDirectory) })
            }
            let file = files[index - 1]
            let display = displayPath(file.url, currentDirectory: currentDirectory)
            return .yaml(Parsed(result: YAMLDocument.load(contentsOf: file.url, displayPath: display)), file: display, overlay: file.overlay)
        }
        var builder = CatalogBuilder(currentDirectory: currentDirectory)
        for case let .yaml(parsed, file, overlay) in parts { builder.add(parsed: parsed.result, file: file, overlay: overlay) }
        var catalog = try builder.finish()
        for case let .kernels(result) in parts { catalog.calibration.kernels = try result.get() }
        if var table = catalog.calibration.kernels {
            let measured = Set(table.coverage.map(\.gpu))
            table.measuredGPUs = Dictionary(catalog.gpus.filter { measured.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
            catalog.calibration.kernels = table
        }
        return catalog
    }

    /// The measured kernel curves shipped beside the catalog (`kernel-efficiency.csv`, written by
    /// `make kernel-tables`), or nil when the directory has none: every GPU then uses the fitted efficiencies.
    static func kernelTable(in root: URL, currentDirectory: String) throws(LoadError) -> KernelTable? {
        let url = root.appendingPathComponent(kernelTableFile)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            throw .invalid([Diagnostic(file: displayPath(url, currentDirectory: currentDirectory), line: 1, column: 1, keyPath: "", message: "cannot read the kernel table, expected UTF-8 CSV")])
        }
        do {
            return try KernelTable(csv: text, file: displayPath(url, currentDirectory: currentDirectory))
        } catch {
            throw .invalid(error.diagnostics)
        }
    }

    /// The kernel-table file name in a catalog directory.
    public static let kernelTableFile = "kernel-efficiency.csv"

    /// Loads catalog YAML given as text (tests, tools); `file` names it in diagnostics.
    public static func load(yaml: String, file: String = "catalog.yaml") throws(LoadError) -> Catalog {
        var builder = CatalogBuilder(currentDirectory: "/")
        builder.add(parsed: YAMLDocument.parse(text: yaml, file: file), file: file, overlay: false)
        return try builder.finish()
    }

    static func yamlFiles(in url: URL, overlay: Bool) throws(LoadError) -> [URL] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw overlay ? .fileNotFound(url.path) : .catalogNotFound(searched: [url.path])
        }
        if !isDir.boolValue { return [url] }
        let names = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { url.appendingPathComponent($0) }
        if files.isEmpty { throw overlay ? .emptyOverlay(url.path) : .catalogNotFound(searched: [url.path]) }
        return files
    }

    /// A path as diagnostics show it: relative to the current directory when below it.
    static func displayPath(_ url: URL, currentDirectory: String) -> String {
        let path = url.standardizedFileURL.path
        let base = currentDirectory.hasSuffix("/") ? currentDirectory : currentDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }
}

/// Accumulates entries file by file, then checks cross-references.
struct CatalogBuilder {
    let currentDirectory: String
    var diagnostics: [Diagnostic] = []
    var items: [String: Staged] = [:]
    var replacements: [Catalog.Replacement] = []
    var calibration = CalibrationTable.shipped
    var calibrationFiles: [String] = []
    var engineSupport: [EngineProfile: EngineSupport] = [:]

    struct Staged {
        var item: CatalogEntry
        var kind: CatalogKind { item.kind }
        /// The entry as written (after any patches), for an overlay to patch.
        var node: Node
        var provenance: Catalog.Provenance
        var references: [(id: String, kind: CatalogKind, path: String, node: SourceLocation)]
    }

    init(currentDirectory: String) { self.currentDirectory = currentDirectory }

    mutating func add(file: URL, overlay: Bool) {
        let display = CatalogLoader.displayPath(file, currentDirectory: currentDirectory)
        add(parsed: YAMLDocument.load(contentsOf: file, displayPath: display), file: display, overlay: overlay)
    }

    mutating func add(parsed: Result<Node, DiagnosticList>, file: String, overlay: Bool) {
        let root: Node
        switch parsed {
        case .failure(let list): diagnostics += list.items; return
        case .success(let node): root = node
        }
        let sink = DiagnosticSink(file: file)
        defer { diagnostics += sink.diagnostics }
        guard let top = YAMLMap(root, path: "", sink: sink,
                                allowed: CatalogKind.allCases.map(\.rawValue) + [CatalogDecoding.calibrationKey, CatalogDecoding.enginesKey],
                                what: "a mapping of kinds (gpus, servers, ...) to lists") else { return }
        if let node = top.value(CatalogDecoding.calibrationKey),
           let table = CatalogDecoding.calibration(node, path: CatalogDecoding.calibrationKey, sink: sink, onto: calibration) {
            calibration = table
            calibrationFiles.append(file)
        }
        if let node = top.value(CatalogDecoding.enginesKey),
           let table = CatalogDecoding.engineSupport(node, path: CatalogDecoding.enginesKey, sink: sink, onto: engineSupport) {
            engineSupport = table
        }
        var seenInFile: [String: SourceLocation] = [:]
        for (key, _, _) in top.entries {
            guard let kind = CatalogKind(rawValue: key), let list = top.list(key, required: false) else { continue }
            for (i, written) in list.enumerated() {
                let path = "\(key)[\(i)]"
                // An overlay entry for an existing id of the same kind patches it.
                var node = written
                var base: Staged?
                if overlay, case .scalar(let idScalar)? = written["id"], let existing = items[idScalar.string], existing.kind == kind,
                   seenInFile[idScalar.string] == nil {
                    node = Self.patch(existing.node, with: written)
                    base = existing
                }
                guard let decoded = CatalogDecoding.decode(kind, node, path: path, sink: sink) else { continue }
                let location = sink.location(node)
                let id = decoded.id
                let idNode = node["id"] ?? node
                if let first = seenInFile[id] {
                    sink.report(idNode, "\(path).id", "duplicate id '\(id)', first defined at \(first); ids must be unique across the catalog")
                    continue
                }
                seenInFile[id] = location
                let staged = Staged(item: decoded.item, node: node,
                                    provenance: Catalog.Provenance(kind: kind, location: location, fromOverlay: overlay,
                                                                   fields: CatalogDecoding.fields(node)),
                                    references: decoded.references)
                if let existing = items[id] {
                    if !overlay {
                        sink.report(idNode, "\(path).id", "duplicate id '\(id)', first defined at \(existing.provenance.location); ids must be unique across the catalog")
                        continue
                    }
                    if existing.kind != kind {
                        sink.report(idNode, "\(path).id", "id '\(id)' is already \(existing.kind.withArticle) (\(existing.provenance.location)); an overlay may only replace an entry of the same kind")
                        continue
                    }
                    replacements.append(Catalog.Replacement(id: id, kind: kind, overlayFile: file,
                                                            replacedFile: existing.provenance.location.file,
                                                            changes: Self.changes(from: base ?? existing, to: staged)))
                }
                items[id] = staged
            }
        }
    }

    /// `base` with each key of `patch` replacing (or, when new, appended to) base's; keys keep
    /// base's order. Both are mappings (the caller checked `patch` has an id; a non-mapping patch is
    /// returned as is, for the decoder to report). Kept fields are moved to the patch's position, so a
    /// diagnostic about one (a kept `kv_heads` above a patched `attention_heads`) names the overlay
    /// entry rather than a line of another file.
    static func patch(_ base: Node, with patch: Node) -> Node {
        guard case .mapping(let baseMap) = base, case .mapping(let patchMap) = patch else { return patch }
        var pairs = baseMap.map { (key: moved($0.key, to: patchMap.mark), value: moved($0.value, to: patchMap.mark)) }
        for (key, value) in patchMap {
            if let i = pairs.firstIndex(where: { $0.key == key }) { pairs[i] = (key, value) } else { pairs.append((key, value)) }
        }
        return .mapping(Node.Mapping(pairs.map { ($0.key, $0.value) }, patchMap.tag, patchMap.style, patchMap.mark))
    }

    /// `node` with every mark set to `mark`.
    static func moved(_ node: Node, to mark: Mark?) -> Node {
        switch node {
        case .scalar(let s): return .scalar(Node.Scalar(s.string, s.tag, s.style, mark))
        case .sequence(let q): return .sequence(Node.Sequence(q.map { moved($0, to: mark) }, q.tag, q.style, mark))
        case .mapping(let m): return .mapping(Node.Mapping(m.map { (moved($0.key, to: mark), moved($0.value, to: mark)) }, m.tag, m.style, mark))
        case .alias: return node
        }
    }

    /// The fields whose value differs between two versions of an entry, in the new entry's order.
    static func changes(from old: Staged, to new: Staged) -> [Catalog.Replacement.Change] {
        let before = Dictionary(old.provenance.fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        return new.provenance.fields.compactMap { field in
            before[field.key] == field.value ? nil
                : Catalog.Replacement.Change(key: field.key, old: before[field.key]?.description, new: field.value.description)
        }
    }

    mutating func finish() throws(LoadError) -> Catalog {
        // References are checked against the final, merged catalog.
        let allIDs = items.keys
        for (_, staged) in items {
            for ref in staged.references {
                if let target = items[ref.id] {
                    if target.kind != ref.kind {
                        diagnostics.append(Diagnostic(at: ref.node, keyPath: ref.path,
                            message: "'\(ref.id)' is \(target.kind.withArticle), expected \(ref.kind.withArticle) id"))
                    }
                } else {
                    let candidates = allIDs.filter { items[$0]?.kind == ref.kind }
                    diagnostics.append(Diagnostic(at: ref.node, keyPath: ref.path,
                        message: "unknown \(ref.kind.singular) '\(ref.id)'\(Suggest.hint(ref.id, candidates, orExpected: "\(ref.kind.withArticle) id from the catalog"))"))
                }
            }
        }
        if !diagnostics.isEmpty { throw .invalid(diagnostics.sorted()) }
        var gpus: [GPU] = [], servers: [Server] = [], dimms: [DIMM] = [], ssds: [SSD] = [], nics: [NIC] = []
        var switches: [NetworkSwitch] = [], cables: [Cable] = [], psus: [PSU] = [], pdus: [PDU] = []
        var cooling: [CoolingOption] = [], racks: [Rack] = [], models: [ModelArchitecture] = []
        for staged in items.values {
            switch staged.item {
            case .gpu(let x): gpus.append(x)
            case .server(let x): servers.append(x)
            case .dimm(let x): dimms.append(x)
            case .ssd(let x): ssds.append(x)
            case .nic(let x): nics.append(x)
            case .networkSwitch(let x): switches.append(x)
            case .cable(let x): cables.append(x)
            case .psu(let x): psus.append(x)
            case .pdu(let x): pdus.append(x)
            case .cooling(let x): cooling.append(x)
            case .rack(let x): racks.append(x)
            case .model(let x): models.append(x)
            }
        }
        return Catalog(
            gpus: gpus, servers: servers, dimms: dimms, ssds: ssds, nics: nics, switches: switches,
            cables: cables, psus: psus, pdus: pdus, cooling: cooling, racks: racks, models: models,
            replacements: replacements,
            provenance: items.mapValues(\.provenance),
            calibration: calibration, calibrationFiles: calibrationFiles, engineSupport: engineSupport
        )
    }
}
