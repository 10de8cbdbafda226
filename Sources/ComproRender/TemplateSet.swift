import ComproModel
import Foundation
import Mustache

/// The Mustache templates one tenant renders with: the shared `Templates/` folder with the
/// tenant's own `templates/` laid over it, file by file.
public struct TemplateSet: Sendable {
    public let library: MustacheLibrary
    /// The shared stylesheet (`assets/site.css`), overridable like a template.
    public let siteCSS: String
    /// Digest over every template and the stylesheet: a change to any of them changes every page.
    public let revision: String
    public let names: Set<String>

    /// The name of the template file at `relative` (`partials/header.mustache` → `partials.header`).
    /// Mustache closes a parent tag with a section name, which may not contain `/`, so names use dots.
    public static func templateName(_ relative: String) -> String {
        String(relative.dropLast(".mustache".count)).replacingOccurrences(of: "/", with: ".")
    }

    /// Templates the renderer asks for by name; a set without them is refused at load time.
    public static let required: [String] =
        [
            "layouts.base", "pages.home", "pages.page", "pages.news-list", "pages.news-item", "pages.tag",
            "pages.events-list", "pages.event", "pages.galleries-list", "pages.gallery", "pages.athletes-list",
            "pages.athlete", "pages.404",
        ] + Section.typeNames.filter { $0 != "body" }.map { "sections.\($0)" }

    /// Loads `shared`, then `override` (which may be missing) on top.
    public static func load(shared: String, override: String? = nil) throws(ContentErrors) -> TemplateSet {
        _ = HTMLEscape.registered
        var sources: [String: (text: String, file: String)] = [:]
        var css: (text: String, file: String)?
        for root in [shared, override].compactMap({ $0 }) {
            guard let enumerator = FileManager.default.enumerator(atPath: root) else { continue }
            while let relative = enumerator.nextObject() as? String {
                let full = "\(root)/\(relative)"
                if relative.hasSuffix(".mustache") {
                    guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
                        throw ContentErrors([ContentError(file: full, "cannot read template")])
                    }
                    sources[templateName(relative)] = (text, full)
                } else if relative == "assets/site.css" {
                    guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
                        throw ContentErrors([ContentError(file: full, "cannot read stylesheet")])
                    }
                    css = (text, full)
                }
            }
        }
        var errors: [ContentError] = []
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            do {
                templates[name] = try MustacheTemplate(string: source.text)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(ContentError(file: source.file, line: error.context.lineNumber, "template syntax: \(error.error) near '\(error.context.line.trimmingCharacters(in: .whitespaces))'"))
            } catch {
                errors.append(ContentError(file: source.file, "template syntax: \(error)"))
            }
            for reference in Self.references(in: source.text) where sources[reference.name] == nil {
                errors.append(ContentError(file: source.file, line: reference.line, "unknown template '\(reference.name)'"))
            }
        }
        for name in required where sources[name] == nil {
            errors.append(ContentError(file: "\(shared)/\(name.replacingOccurrences(of: ".", with: "/")).mustache", "required template is missing"))
        }
        if css == nil { errors.append(ContentError(file: "\(shared)/assets/site.css", "the shared stylesheet is missing")) }
        if !errors.isEmpty { throw ContentErrors(errors) }
        let digestInput = sources.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value.text)" }.joined(separator: "\u{1}")
            + "\u{2}" + (css?.text ?? "")
        return TemplateSet(
            library: MustacheLibrary(templates: templates), siteCSS: css?.text ?? "", revision: Digest.sha256Hex(digestInput),
            names: Set(sources.keys)
        )
    }

    private init(library: MustacheLibrary, siteCSS: String, revision: String, names: Set<String>) {
        self.library = library
        self.siteCSS = siteCSS
        self.revision = revision
        self.names = names
    }

    /// Renders the template `name` with `context`.
    func render(_ name: String, _ context: [String: Any]) throws(RenderError) -> String {
        guard let output = library.render(context, withTemplate: name) else {
            throw RenderError.missingTemplate(name)
        }
        return output
    }

    /// Partial (`{{> name}}`) and parent (`{{< name}}`) references, with their lines.
    static func references(in text: String) -> [(name: String, line: Int)] {
        var result: [(String, Int)] = []
        var line = 1
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\n" { line += 1 }
            if character == "{", text[index...].hasPrefix("{{") {
                var cursor = text.index(index, offsetBy: 2)
                if cursor < text.endIndex, text[cursor] == ">" || text[cursor] == "<" {
                    cursor = text.index(after: cursor)
                    guard let close = text[cursor...].range(of: "}}") else { break }
                    let name = text[cursor..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                    if !name.hasPrefix("*") { result.append((name, line)) }
                }
            }
            index = text.index(after: index)
        }
        return result
    }
}

/// A failure while rendering one output.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    case missingTemplate(String)
    case content(ContentError)

    public var description: String {
        switch self {
        case .missingTemplate(let name): "template '\(name)' not found"
        case .content(let error): error.description
        }
    }
}
