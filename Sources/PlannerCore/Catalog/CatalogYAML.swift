import Yams

/// A catalog entry written back as catalog YAML (`planner catalog show ID --format yaml`): a
/// `kind:` key holding a one-entry list, fields in their file's order, so the text pastes into an
/// overlay file as is. Strings that would read back as another type (`"12"`, `"true"`) are quoted.
public enum CatalogYAML {
    public static func entry(kind: CatalogKind, fields: [CatalogField]) -> String {
        let document = Node.mapping(Node.Mapping([(Node(kind.rawValue), Node.sequence(Node.Sequence([node(.map(fields))])))]))
        // Yams only fails on nodes it did not build; these are plain scalars, sequences and mappings.
        return (try? Yams.serialize(node: document, width: -1, allowUnicode: true, sortKeys: false)) ?? ""
    }

    static func node(_ value: CatalogValue) -> Node {
        switch value {
        case .string(let s):
            // Quoted only when the plain text would read back as a number, a bool or null.
            return Node(s, Tag(.str), Node(s).tagName == .str ? .any : .singleQuoted)
        case .number(let n): return Node(format(n), Tag(n == n.rounded() && abs(n) < 1e15 ? .int : .float))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .list(let items): return .sequence(Node.Sequence(items.map(node), Tag(.seq), items.count <= 8 && items.allSatisfy(\.isScalar) ? .flow : .block))
        case .map(let fields):
            let flow = !fields.isEmpty && fields.count <= 6 && fields.allSatisfy(\.value.isScalar) && fields.first?.key != "id"
            return .mapping(Node.Mapping(fields.map { (Node($0.key), node($0.value)) }, Tag(.map), flow ? .flow : .block))
        case .null: return Node("null", Tag(.null))
        }
    }
}

extension CatalogValue {
    var isScalar: Bool {
        switch self {
        case .list, .map: false
        default: true
        }
    }
}
