import ComproModel
import Foundation
import Yams

/// The theme presets of `Themes/`, and loading of candidate theme files.
public struct ThemeCatalog: Sendable {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// Names of every preset, sorted.
    public func presetNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yml") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// Loads the preset `name`.
    public func preset(_ name: String, requestedAt location: SourceLocation? = nil) throws(ContentErrors) -> Theme {
        guard Slug.isValid(name) else {
            throw ContentErrors([ContentError(location ?? SourceLocation(file: name), "'\(name)' is not a theme preset name")])
        }
        let path = (directory as NSString).appendingPathComponent("\(name).yml")
        guard FileManager.default.fileExists(atPath: path) else {
            let known = presetNames().joined(separator: ", ")
            throw ContentErrors([ContentError(location ?? SourceLocation(file: path), "unknown theme preset '\(name)'; available: \(known)")])
        }
        return try load(file: path, name: name, displayPath: "Themes/\(name).yml")
    }

    /// Loads a theme file (a preset or a designer's candidate): every property must be set.
    public func load(file path: String, name: String? = nil, displayPath: String? = nil) throws(ContentErrors) -> Theme {
        let display = displayPath ?? path
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ContentErrors([ContentError(file: display, "cannot read the theme file")])
        }
        return try parse(text, name: name ?? ((path as NSString).lastPathComponent as NSString).deletingPathExtension, file: display)
    }

    /// Parses theme YAML: `name`, `description`, `properties` (or `extends: <preset>` plus
    /// `properties` that change only some values).
    public func parse(_ text: String, name: String, file: String) throws(ContentErrors) -> Theme {
        let root: Node.Mapping
        do {
            guard let node = try Yams.compose(yaml: text), case .mapping(let mapping) = node else {
                throw ContentErrors([ContentError(file: file, line: 1, "a theme file is a map with name, description and properties")])
            }
            root = mapping
        } catch let error as ContentErrors {
            throw error
        } catch let error as YamlError {
            throw ContentErrors([ContentError(file: file, line: error.mark?.line, "invalid YAML: \(error)")])
        } catch {
            throw ContentErrors([ContentError(file: file, "invalid YAML: \(error)")])
        }
        var collector = ErrorCollector()
        for (key, _) in root where !["name", "description", "properties", "extends"].contains(key.string ?? "") {
            collector.add(ContentError(file: file, line: key.mark?.line, "unknown field '\(key.string ?? "?")'; known: name, description, extends, properties"))
        }
        var theme = Theme(name: name, displayName: root["name"]?.string ?? name, description: root["description"]?.string ?? "", values: [:])
        if let base = root["extends"]?.string {
            if let parent = collector.collect({ try preset(base, requestedAt: SourceLocation(file: file, line: root["extends"]?.mark?.line)) }) {
                theme.values = parent.values
            }
        }
        var overrides: [ThemeSelection.Override] = []
        if let properties = root["properties"] {
            guard case .mapping(let mapping) = properties else {
                throw ContentErrors([ContentError(file: file, line: properties.mark?.line, "'properties' must be a map of property: value")])
            }
            for (key, value) in mapping {
                overrides.append(.init(property: key.string ?? "?", value: value.string ?? "", location: SourceLocation(file: file, line: key.mark?.line)))
            }
        }
        if let applied = collector.collect({ try theme.applying(overrides, file: file) }) {
            theme = applied
        }
        let missing = ThemeProperty.all.map(\.name).filter { theme.values[$0] == nil }
        if !missing.isEmpty && collector.errors.isEmpty {
            collector.add(ContentError(file: file, "theme does not set \(missing.joined(separator: ", ")) (set them, or add 'extends: <preset>')"))
        }
        try collector.throwIfAny()
        return theme
    }

    /// The tenant's theme: its preset with its overrides.
    public func resolve(_ selection: ThemeSelection, tenantFile: String) throws(ContentErrors) -> Theme {
        try preset(selection.preset, requestedAt: selection.presetLocation).applying(selection.overrides, file: tenantFile)
    }
}

extension YamlError {
    var mark: Mark? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark
        case .duplicatedKeysInMapping(_, let context): context.mark
        default: nil
        }
    }
}
