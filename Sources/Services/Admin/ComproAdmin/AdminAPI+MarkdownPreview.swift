import ComproMarkdown
import ComproModel
import Foundation
import Hummingbird
import KoniServiceKit
import NIOCore

/// The Markdown preview beside every Markdown field: the editor's *Pratinjau isi* button posts the
/// form into a frame under the field (no script needed; `admin.js` presses it as the admin types).
/// The text goes through the site's own limits and renderer (`MarkdownLimits`, `MarkdownRenderer`:
/// raw HTML and `javascript:` links never pass), and the page that shows it runs no script.
extension AdminAPI {
    func registerMarkdownPreview(on router: Router<KoniRequestContext>) {
        router.post("/admin/pratinjau-isi") { request, _ in
            try await formPost(request) { _, fields in
                let name = request.uri.queryParameters.get("bidang") ?? "body"
                let markdown = fields[name] ?? ""
                var headers = Self.pageHeaders
                headers[.contentSecurityPolicy] = Self.previewPolicy
                let content: String
                if let violation = MarkdownLimits.check(markdown) {
                    content = "<p role=\"alert\">Isi ini tidak dapat ditampilkan: \(Self.escaped(violation.description))</p>"
                } else {
                    content = markdown.isEmpty ? "<p>(kosong)</p>" : MarkdownRenderer().html(from: markdown)
                }
                let page = """
                    <!doctype html><html lang="id"><head><meta charset="utf-8"><title>Pratinjau isi</title>
                    <link rel="stylesheet" href="/admin/assets/admin.css"></head><body class="preview-body">\(content)</body></html>
                    """
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
            }
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
