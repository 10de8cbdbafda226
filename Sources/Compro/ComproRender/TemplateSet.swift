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
        func add(_ relative: String, root: String, read: () throws(ContentErrors) -> String) throws(ContentErrors) {
            if relative.hasSuffix(".mustache") {
                sources[templateName(relative)] = (try read(), "\(root)/\(relative)")
            } else if relative == "assets/site.css" {
                css = (try read(), "\(root)/\(relative)")
            }
        }
        if let enumerator = FileManager.default.enumerator(atPath: shared) {
            while let relative = enumerator.nextObject() as? String {
                let full = "\(shared)/\(relative)"
                try add(relative, root: shared) { () throws(ContentErrors) in
                    guard let text = try? String(contentsOfFile: full, encoding: .utf8) else {
                        throw ContentErrors([ContentError(file: full, "cannot read \(relative.hasSuffix(".css") ? "stylesheet" : "template")")])
                    }
                    return text
                }
            }
        }
        // A tenant's own templates are read without following links: a linked template would
        // publish a file from elsewhere on the server (as `404.html`, say).
        if let override {
            let folder = ConfinedFolder(root: override)
            let walked: (files: [String], links: [String])
            do throws(ConfinedFileError) { walked = try folder.walk("") } catch {
                throw ContentErrors([ContentError(file: "\(override)/\(error.path)", error.reason)])
            }
            if folder.isLinked("") { throw ContentErrors([ContentError(file: override, ConfinedFileError(path: "", kind: .symbolicLink).reason)]) }
            if !walked.links.isEmpty {
                throw ContentErrors(walked.links.map { ContentError(file: "\(override)/\($0)", ConfinedFileError(path: $0, kind: .symbolicLink).reason) })
            }
            for relative in walked.files {
                try add(relative, root: override) { () throws(ContentErrors) in
                    let bytes: [UInt8]
                    do throws(ConfinedFileError) { bytes = try folder.read(relative, maximumBytes: 1 << 20) } catch {
                        throw ContentErrors([ContentError(file: "\(override)/\(error.path)", error.reason)])
                    }
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        throw ContentErrors([ContentError(file: "\(override)/\(relative)", "not valid UTF-8 text")])
                    }
                    return text
                }
            }
        }
        var errors: [ContentError] = []
        var templates: [String: MustacheTemplate] = [:]
        for (name, source) in sources.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch Self.htmlEscaped(source.text) {
            case .success(let escaped): text = escaped
            case .failure(let problem):
                errors.append(ContentError(file: source.file, line: problem.line, problem.reason))
                continue
            }
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch let error as MustacheTemplate.ParserError {
                errors.append(
                    ContentError(
                        file: source.file, line: error.context.lineNumber,
                        "template syntax: \(error.error) near '\(error.context.line.trimmingCharacters(in: .whitespaces))'"))
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
        let digestInput =
            sources.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value.text)" }.joined(separator: "\u{1}")
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

    /// A template's text with HTML escaping ensured: a template without the content-type pragma
    /// gets it prepended (on the first line, so line numbers stay), so that every `{{name}}` goes
    /// through ``HTMLEscape`` rather than the library's default escaper, which leaves a `"` or `<`
    /// followed by a combining mark unescaped (one Character to it, an attribute breakout to a
    /// browser). A template that asks for another content type (`TEXT`: no escaping) is refused.
    static func htmlEscaped(_ text: String) -> Result<String, TemplateProblem> {
        var line = 1
        var sawHTML = false
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            line += rest[..<open.lowerBound].utf8.count { $0 == UInt8(ascii: "\n") }
            rest = rest[open.upperBound...]
            guard rest.first == "%" else { continue }
            guard let close = rest.range(of: "}}") else { break }
            let pragma = rest[rest.index(after: rest.startIndex)..<close.lowerBound]
            let parts = pragma.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if parts.first == "CONTENT_TYPE" {
                guard parts.count == 2, parts[1] == "HTML" else {
                    return .failure(TemplateProblem(line: line, reason: "templates render HTML: only {{% CONTENT_TYPE: HTML }} is allowed"))
                }
                sawHTML = true
            }
            line += rest[..<close.lowerBound].utf8.count { $0 == UInt8(ascii: "\n") }
            rest = rest[close.upperBound...]
        }
        return .success(sawHTML ? text : "{{% CONTENT_TYPE: HTML }}" + text)
    }

    struct TemplateProblem: Error {
        var line: Int
        var reason: String
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
