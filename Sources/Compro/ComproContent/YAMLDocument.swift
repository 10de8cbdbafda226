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
