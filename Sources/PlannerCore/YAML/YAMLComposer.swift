import Yams

/// Composes YAML text into the tree `Yams.compose(yaml:)` builds with `Resolver.default` (same nodes,
/// strings, styles, marks, tag names and errors), without running the default resolver's regular
/// expressions: on Linux those took about a fifth of the time of loading the catalogs.
///
/// Why the result is the same:
/// - Without a `!` in the text no node carries an explicit tag: libyaml leaves plain scalars untagged
///   (Yams' `.implicit`, which a resolver turns into a tag) and tags every other scalar `str`
///   (`quoted_implicit`); mappings and sequences resolve to `map` and `seq` whatever the resolver.
///   Text with a `!` is composed by Yams with `Resolver.default`, as before.
/// - Composing depends on the resolver only through Yams' duplicate-key check, where two keys are equal
///   when their strings and tags are. `Resolver.basic` tags every scalar `str`, so it finds every
///   duplicate the default resolver finds, and perhaps more (`1:` beside `"1":`). When it throws,
///   Yams composes the text again with `Resolver.default`, which gives the error (or tree) it always gave.
/// - Each plain scalar then gets the tag ``ScalarTagResolver`` computes, which is the one
///   `Resolver.default` would give it, so `Node.tag`, `Node.bool`, `==` and hashing behave as before
///   and never reach a regular expression.
///
/// One difference no planner code can see: tags keep `Resolver.basic` as the resolver Yams' string
/// subscripts (`node["key"]`) would use for the looked-up key, which the planner does not use (naming
/// `Resolver.default` at all compiles its seven regular expressions, a millisecond per process).
///
/// Complexity: O(n) in the size of the text; aliased subtrees are retagged once and shared, as Yams
/// shares them, so an alias bomb costs no more here than in Yams.
enum YAMLComposer {
    /// The root node of the single document in `text`, or nil for an empty stream; throws `YamlError`.
    static func compose(yaml text: String) throws -> Node? {
        guard !text.utf8.contains(UInt8(ascii: "!")) else { return try Yams.compose(yaml: text) }
        let untagged: Node?
        do {
            untagged = try Yams.compose(yaml: text, .basic)
        } catch {
            return try Yams.compose(yaml: text)
        }
        guard let untagged else { return nil }
        var retagger = Retagger()
        return retagger.retag(untagged)
    }

    /// Gives every plain scalar its default tag.
    private struct Retagger {
        /// One constructor for the document, as Yams' parser has (`Constructor.default` builds a new one).
        private let constructor = Constructor.default
        /// Retagged collections by the identity of their `Tag`, which an alias shares with the node it
        /// refers to.
        private var done: [ObjectIdentifier: Node] = [:]

        mutating func retag(_ node: Node) -> Node {
            switch node {
            case .scalar(var scalar):
                guard scalar.style == .plain else { return node }
                scalar.tag = Tag(ScalarTagResolver.tagName(of: scalar.string), .basic, constructor)
                return .scalar(scalar)
            case .mapping(let mapping):
                if let known = done[ObjectIdentifier(mapping.tag)] { return known }
                let pairs = mapping.map { (retag($0.key), retag($0.value)) }
                let result = Node.mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark, mapping.anchor))
                done[ObjectIdentifier(mapping.tag)] = result
                return result
            case .sequence(let sequence):
                if let known = done[ObjectIdentifier(sequence.tag)] { return known }
                let items = sequence.map { retag($0) }
                let result = Node.sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark, sequence.anchor))
                done[ObjectIdentifier(sequence.tag)] = result
                return result
            case .alias:
                return node
            }
        }
    }
}
