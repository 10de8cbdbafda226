import Mustache

/// HTML escaping for `{{name}}` in the templates, registered as swift-mustache's `HTML` content type.
///
/// Hand-written because the library's own escaper walks the text Character by Character with a
/// dictionary lookup for each one (grapheme breaking and hashing per character): about 9 % of the
/// CPU time of a 10,000-news build. This one scans UTF-8 bytes and returns the text unchanged when
/// there is nothing to escape. It replaces the same five characters with the same entities, so
/// the output is the same, with one deliberate difference: a `"` or `<` followed by a combining
/// mark forms one Character that the library leaves unescaped; here it is escaped.
struct FastHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLEscape.escape(text) }
}

enum HTMLEscape {
    /// Makes `{{% CONTENT_TYPE: HTML }}` (first line of every shared template) select the fast
    /// escaper; it must run before templates are parsed, since the pragma is resolved then.
    /// Templates without the pragma (a tenant's own) get it prepended by `TemplateSet.htmlEscaped`.
    static let registered: Void = MustacheContentTypes.register(FastHTMLContentType(), named: "HTML")

    static func escape(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: needsEscape) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 32)
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
            default: output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\"")
            || byte == UInt8(ascii: "'")
    }
}
