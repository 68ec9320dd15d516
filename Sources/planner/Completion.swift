import ArgumentParser
import Foundation
import PlannerCore

/// Shell completion beyond what ArgumentParser derives from the types: spec paths and catalog ids.
/// The id lists run when the user presses TAB (`planner ---completion …`) and read the catalog the
/// command would read: the shipped one, plus any `--catalog`/`--catalog-root` already on the line.
enum Completion {
    /// Workload specs: `.yaml` and `.yml` files (and folders to descend into).
    static let spec = CompletionKind.file(extensions: ["yaml", "yml"])

    /// The ids of `kinds` (every kind when nil) starting with the word being completed.
    static func ids(_ kinds: [CatalogKind]? = nil) -> CompletionKind {
        .custom { words, _, prefix in ids(of: kinds, words: words).filter { $0.hasPrefix(prefix) } }
    }

    /// `--vary` values: the settable keys, `gpu=` and `model=`; after `gpu=`/`model=`, catalog ids
    /// (after the last comma).
    static let vary = CompletionKind.custom { words, _, prefix in
        for (key, kind) in [("gpu=", CatalogKind.gpus), ("model=", .models)] where prefix.hasPrefix(key) {
            let typed = prefix.dropFirst(key.count).components(separatedBy: ",")
            let head = key + typed.dropLast().map { $0 + "," }.joined()
            return ids(of: [kind], words: words).filter { $0.hasPrefix(typed.last ?? "") }.map { head + $0 }
        }
        return (Spec.settableKeys + Spec.catalogKeys.keys).sorted().map { $0 + "=" }.filter { $0.hasPrefix(prefix) }
    }

    /// Catalog ids, sorted by kind then id; empty when the catalog cannot be loaded.
    static func ids(of kinds: [CatalogKind]?, words: [String]) -> [String] {
        var overlays: [String] = [], root: String?
        for (i, word) in words.enumerated() where i + 1 < words.count {
            if word == "--catalog" { overlays.append(unquoted(words[i + 1])) }
            if word == "--catalog-root" { root = unquoted(words[i + 1]) }
        }
        guard let catalog = try? CatalogLoader.load(catalogRoot: root, overlays: overlays, executablePath: CatalogOptions.executablePath)
        else { return [] }
        return (kinds ?? CatalogKind.allCases).flatMap { catalog.ids(of: $0) }
    }

    /// A shell word without surrounding quotes (words reach the completion function verbatim).
    static func unquoted(_ word: String) -> String {
        for quote in ["'", "\""] where word.count >= 2 && word.hasPrefix(quote) && word.hasSuffix(quote) {
            return String(word.dropFirst().dropLast())
        }
        return word
    }
}
