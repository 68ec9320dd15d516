import ArgumentParser
import Foundation
import PlannerCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List and inspect catalog entries.",
        discussion: """
            \(HelpExamples.text(
                "planner catalog list gpus",
                "planner catalog show h100-sxm-80gb --format json"))
            """,
        subcommands: [List.self, Show.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List catalog entries (id, name, vendor, price, price basis), sorted by kind and id.",
            discussion: """
                KIND is one of: \(CatalogKind.allCases.map(\.rawValue).joined(separator: ", ")). Without it, every kind is listed.

                \(HelpExamples.text(
                    "planner catalog list gpus",
                    "planner catalog list --format json --catalog my-prices/"))
                """
        )

        @Argument(help: ArgumentHelp("Only entries of this kind.", valueName: "kind"), completion: .list(CatalogKind.allCases.map(\.rawValue)))
        var kind: String?

        @Option(help: "Output format: table or json.")
        var format: OutputFormat = .table

        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            var kinds = CatalogKind.allCases
            if let kind {
                guard let k = CatalogKind(rawValue: kind) ?? CatalogKind(rawValue: kind + "s") else {
                    let hint = Suggest.closest(to: kind, in: CatalogKind.allCases.map(\.rawValue)).map { ", did you mean '\($0)'?" } ?? ""
                    throw UserError(message: "unknown kind '\(kind)'\(hint); expected one of \(CatalogKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kinds = [k]
            }
            let catalog = try loadCatalog(catalogOptions)
            let list = CatalogList(catalog, kinds: kinds)
            let rows = list.rows
            switch format {
            case .json:
                print(list.json())
            case .table:
                var table: [[String]] = [["KIND", "ID", "NAME", "VENDOR", "PRICE", "BASIS"]]
                for r in rows {
                    table.append([r.kind, r.id, r.name, r.vendor, r.priceUSD.map { "$" + grouped($0) } ?? "-",
                                  r.priceBasis ?? "-"])
                }
                if kinds.count == 1 { table = table.map { Array($0.dropFirst()) } }
                print(render(table))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Show one catalog entry with every field and where it came from.",
            discussion: """
                \(HelpExamples.text(
                    "planner catalog show h100-sxm-80gb",
                    "planner catalog show deepseek-r1 --format json",
                    "planner catalog show h100-sxm-80gb --format yaml > my-prices/h100.yaml"))
                """
        )

        @Argument(help: ArgumentHelp("The entry's id.", valueName: "id"), completion: Completion.ids())
        var id: String

        @Option(help: "Output format: table, json, or yaml (the entry as catalog YAML, to paste into an overlay and edit).")
        var format: ShowFormat = .table

        enum ShowFormat: String, ExpressibleByArgument, CaseIterable {
            case table, json, yaml
        }

        @OptionGroup var catalogOptions: CatalogOptions

        func run() throws {
            let catalog = try loadCatalog(catalogOptions)
            guard let kind = catalog.kind(of: id), let provenance = catalog.provenance[id] else {
                let hint = Suggest.closest(to: id, in: catalog.allIDs).map { ", did you mean '\($0)'?" } ?? ""
                throw UserError(message: "unknown id '\(id)'" + (hint.isEmpty ? "; see planner catalog list" : hint))
            }
            let replacement = catalog.replacement(for: id)
            var derived: [CatalogField] = []
            if let model = catalog.model(id) {
                derived.append(CatalogField(key: "computed_params_b", value: .number((model.computedParamsBillions * 100).rounded() / 100)))
                derived.append(CatalogField(key: "active_params_b", value: .number((model.activeParamsBillions * 100).rounded() / 100)))
            }
            switch format {
            case .yaml:
                print(CatalogYAML.entry(kind: kind, fields: provenance.fields), terminator: "")
            case .json:
                let entry = Entry(
                    id: id, kind: kind.rawValue, file: provenance.location.file, line: provenance.location.line,
                    fromOverlay: provenance.fromOverlay, replaces: replacement?.replacedFile,
                    fields: .map(provenance.fields), derived: derived.isEmpty ? nil : .map(derived))
                print(try jsonString(entry))
            case .table:
                var lines = ["\(id) (\(kind.rawValue)) from \(provenance.location)"
                    + (replacement.map { ", patching the entry in \($0.replacedFile) (\($0.changeSummary))" } ?? "")]
                let width = (provenance.fields + derived).map(\.key.count).max() ?? 0
                for field in provenance.fields {
                    lines.append("  " + field.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + field.value.description)
                }
                for field in derived {
                    lines.append("  " + field.key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + field.value.description + "  (derived)")
                }
                print(lines.joined(separator: "\n"))
            }
        }
    }

    struct Entry: Encodable {
        var id: String
        var kind: String
        var file: String
        var line: Int
        var fromOverlay: Bool
        var replaces: String?
        var fields: CatalogValue
        var derived: CatalogValue?
    }
}

/// Loads the catalog, turning diagnostics into a user error.
func loadCatalog(_ options: CatalogOptions) throws -> Catalog {
    do {
        return try options.load()
    } catch {
        if case .invalid(let diagnostics) = error {
            for d in diagnostics.sorted() { StandardError.write(d.description) }
            throw ExitCode(2)
        }
        throw UserError(message: error.localizedDescription)
    }
}

/// JSON with sorted, snake_case keys; numbers stay numbers.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.keyEncodingStrategy = .convertToSnakeCase
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// Columns padded to their widest cell.
func render(_ rows: [[String]]) -> String {
    guard let first = rows.first else { return "" }
    var widths = [Int](repeating: 0, count: first.count)
    for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
    return rows.map { row in
        row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
        }.joined(separator: "  ")
    }.joined(separator: "\n")
}

/// `12500` → `12,500`; cents kept when present.
func grouped(_ x: Double) -> String {
    let whole = Int64(x.rounded(.down))
    var digits = String(whole)
    var out = ""
    while digits.count > 3 {
        out = "," + digits.suffix(3) + out
        digits = String(digits.dropLast(3))
    }
    out = digits + out
    let cents = Int(((x - Double(whole)) * 100).rounded())
    return cents == 0 ? out : out + String(format: ".%02d", cents)
}
