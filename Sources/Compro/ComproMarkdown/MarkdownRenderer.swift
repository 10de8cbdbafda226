import CCmarkGFM
import ComproModel
import Foundation

/// Renders GitHub-flavoured Markdown to HTML that is safe to embed in a page.
///
/// Content comes from branch admins and the CMS, so it is treated as hostile: raw HTML is not
/// passed through (cmark's safe mode replaces it with a comment), and every link and image URL
/// is checked against ``URLPolicy`` before rendering, so `javascript:`, `data:` and other
/// schemes never reach the output.
public struct MarkdownRenderer: Sendable {
    /// The GFM extensions this renderer enables.
    public static let extensions = ["table", "autolink", "strikethrough", "tasklist", "tagfilter"]

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    public init() {
        _ = Self.registered
    }

    /// The libcmark-gfm version linked (`0.29.0.gfm.6` on Debian 12).
    public static var libraryVersion: String { String(cString: cmark_version_string()) }

    /// Renders `markdown` to an HTML fragment.
    public func html(from markdown: String) -> String {
        if markdown.isEmpty { return "" }
        let options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_SMART
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in Self.extensions {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var utf8 = markdown
        utf8.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        Self.sanitizeURLs(in: document)
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// Replaces the destination of every link or image whose URL the policy refuses.
    private static func sanitizeURLs(in document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE else { continue }
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            if !URLPolicy.isSafe(url) {
                cmark_node_set_url(node, "")
            }
        }
    }
}
