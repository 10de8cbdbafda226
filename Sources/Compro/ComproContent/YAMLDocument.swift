import ComproModel
import Foundation
import Yams

/// Parses YAML text into a node tree, turning libyaml's errors into ``ContentError``s that name
/// the file and line.
enum YAMLDocument {
    /// Values one document may hold once aliases are expanded. Yams resolves `*alias` to the
    /// anchored node, so ten levels of ten aliases (a "billion laughs" of 500 bytes) would make
    /// every later walk of the tree visit 10⁹ values; a front matter needs a few hundred.
    static let maximumNodes = 50_000

    /// Aliases one document may use. With 20, no nesting of them expands past a few thousand
    /// values; content needs none.
    static let maximumAliases = 20

    /// How many `*alias` tokens `text` holds: a `*` where a YAML node starts (a line's first
    /// character, after `- `, `? ` or `: `, or after `[`, `{` or `,` in a flow collection),
    /// outside quotes and comments. A `*` inside a plain scalar (`dua *kata*`) is text. The
    /// count can only err high, on odd plain text, and matters only past the limit.
    static func aliasCount(_ text: String) -> Int {
        var count = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            var atNodeStart = true
            var flowDepth = 0
            var quote: UInt8?
            // Inside an anchor (`&name`) or a tag (`!tag`) that precedes a node: the node starts
            // after it.
            var inProperty = false
            var previous: UInt8 = UInt8(ascii: " ")
            scan: for byte in line {
                if let open = quote {
                    if byte == open { quote = nil }
                    previous = byte
                    continue
                }
                if inProperty {
                    if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                        inProperty = false
                        atNodeStart = true
                    } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                        inProperty = false
                        atNodeStart = true
                    } else {
                        previous = byte
                        continue
                    }
                }
                switch byte {
                case UInt8(ascii: "&"), UInt8(ascii: "!"):
                    if atNodeStart { inProperty = true }
                    atNodeStart = false
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    if previous == UInt8(ascii: "-") || previous == UInt8(ascii: "?") || previous == UInt8(ascii: ":") { atNodeStart = true }
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    // A flow collection only where a node starts; elsewhere it is text.
                    if atNodeStart || flowDepth > 0 { flowDepth += 1 } else { atNodeStart = false }
                    if flowDepth > 0 { atNodeStart = true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                    atNodeStart = false
                case UInt8(ascii: ","):
                    atNodeStart = flowDepth > 0
                case UInt8(ascii: "\""), UInt8(ascii: "'"):
                    if atNodeStart { quote = byte }
                    atNodeStart = false
                case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t"):
                    break scan
                case UInt8(ascii: "*"):
                    if atNodeStart { count += 1 }
                    atNodeStart = false
                default:
                    if !(byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: ":")) { atNodeStart = false }
                }
                previous = byte
            }
        }
        return count
    }

    /// The mark of the node at which a walk of `root` passed ``maximumNodes``, or nil when the
    /// document is within it. The walk stops there, so it costs at most that many steps.
    static func exceedsNodeBudget(_ root: Node) -> Mark?? {
        var pending = [root]
        var visited = 0
        while let node = pending.popLast() {
            visited += 1
            if visited > maximumNodes { return .some(node.mark) }
            switch node {
            case .mapping(let mapping):
                for (key, value) in mapping {
                    pending.append(key)
                    pending.append(value)
                }
            case .sequence(let sequence): pending.append(contentsOf: sequence)
            case .scalar, .alias: continue
            }
        }
        return nil
    }

    /// - Parameter firstLine: the file line on which `text` starts (2 for front matter).
    static func parseMapping(_ text: String, file: String, firstLine: Int = 1) throws(ContentError) -> YAMLObject {
        // Before Yams composes the tree: it hashes every mapping key, walking an aliased key's
        // whole expansion, so a key like `? *l12` would cost 10¹² steps before the budget below
        // could see the tree.
        let aliases = aliasCount(text)
        guard aliases <= maximumAliases else {
            throw ContentError(
                file: file, line: firstLine, "YAML with \(aliases) aliases (*name); at most \(maximumAliases) are accepted: write the values out instead")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ContentError(file: file, line: error.line.map { $0 + firstLine - 1 }, "invalid YAML: \(error.problem)")
        } catch {
            throw ContentError(file: file, line: nil, "invalid YAML: \(error)")
        }
        guard let node else {
            return YAMLObject(mapping: [:], file: file, lineOffset: firstLine - 1, line: firstLine)
        }
        if let mark = exceedsNodeBudget(node) {
            throw ContentError(
                file: file, line: mark.map { $0.line + firstLine - 1 },
                "YAML expands to more than \(maximumNodes) values (aliases of aliases?); write the values out instead")
        }
        guard case .mapping(let mapping) = node else {
            throw ContentError(file: file, line: node.mark.map { $0.line + firstLine - 1 }, "expected a map of fields (key: value) at the top level")
        }
        return YAMLObject(mapping: mapping, file: file, lineOffset: firstLine - 1, line: node.mark.map { $0.line + firstLine - 1 })
    }
}

extension YamlError {
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(_, let context):
            return context.mark.line
        default:
            return nil
        }
    }

    var problem: String {
        switch self {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            if let context { return "\(problem) (\(context.text))" }
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
        default:
            return "\(self)"
        }
    }
}
