import Foundation
import Hummingbird

/// Answers requests from the ``PreviewStore``'s in-memory site, with the URL rules Nginx uses
/// in production: `/berita/` is `berita/index.html`, `/profil` redirects to `/profil/`, a
/// missing path gets the site's own `404.html` with status 404.
///
/// Requests are answered from a dictionary lookup, never from the file system, so no path,
/// however encoded, can reach a file outside the preview.
package struct PreviewResponder: HTTPResponder {
    package typealias Context = BasicRequestContext

    package let store: PreviewStore

    package init(store: PreviewStore) {
        self.store = store
    }

    /// The policy of `nginx/koni/security-headers.conf`, so that a theme or template change that
    /// would break under it in production breaks in the preview too.
    package static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    package func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            return Self.response(.methodNotAllowed, type: "text/plain; charset=utf-8", body: Array("GET and HEAD only\n".utf8), head: false)
        }
        let head = request.method == .head
        let site = await store.site
        let failure = await store.failure
        guard let site else {
            return Self.errorPage(failure ?? "The preview has not been rendered yet.", head: head)
        }
        switch Self.resolve(request.uri.path, in: site.paths) {
        case .file(let path):
            if let failure, path.hasSuffix(".html") { return Self.errorPage(failure, head: head) }
            return Self.response(.ok, type: Self.contentType(of: path), body: site.contents(path) ?? [], head: head)
        case .redirect(let location):
            var response = Self.response(.movedPermanently, type: "text/plain; charset=utf-8", body: [], head: head)
            response.headers[.location] = location
            return response
        case .notFound:
            if let failure { return Self.errorPage(failure, head: head) }
            return Self.response(.notFound, type: "text/html; charset=utf-8", body: site.files["404.html"] ?? Array("Not found\n".utf8), head: head)
        }
    }

    /// What a request path names.
    package enum Resolution: Sendable, Equatable {
        case file(String)
        case redirect(String)
        case notFound
    }

    /// Maps a raw request path to a file of the site.
    package static func resolve(_ rawPath: String, in files: some Collection<String>) -> Resolution {
        let known = Set(files)
        guard let decoded = rawPath.removingPercentEncoding, decoded.hasPrefix("/"), !decoded.contains("\0") else { return .notFound }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: true)
        // Hidden files (.koni-preview, a manifest) and any dot component are never served.
        if parts.contains(where: { $0.hasPrefix(".") }) { return .notFound }
        let relative = parts.joined(separator: "/")
        if relative.isEmpty { return known.contains("index.html") ? .file("index.html") : .notFound }
        if decoded.hasSuffix("/") {
            return known.contains("\(relative)/index.html") ? .file("\(relative)/index.html") : .notFound
        }
        if relative == "404.html" { return .notFound }
        if known.contains(relative) { return .file(relative) }
        if known.contains("\(relative)/index.html") { return .redirect("/\(relative)/") }
        return .notFound
    }

    static func contentType(of path: String) -> String {
        let types = [
            "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "xml": "text/xml; charset=utf-8",
            "txt": "text/plain; charset=utf-8", "svg": "image/svg+xml", "png": "image/png", "jpg": "image/jpeg",
            "jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif", "gif": "image/gif", "ico": "image/x-icon",
            "json": "application/json", "pdf": "application/pdf", "woff2": "font/woff2",
        ]
        return types[(path as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }

    static func response(_ status: HTTPResponse.Status, type: String, body: [UInt8], head: Bool) -> Response {
        var headers: HTTPFields = [
            .contentType: type, .cacheControl: "no-store", .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
        ]
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The render error, shown instead of the page until the file is fixed.
    static func errorPage(_ message: String, head: Bool) -> Response {
        let escaped = message.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Preview error</title></head>
            <body><h1>The preview could not be rendered</h1>
            <p>Fix the file named below and save it; the preview renders again within a second.</p>
            <pre>\(escaped)</pre></body></html>

            """
        return response(.internalServerError, type: "text/html; charset=utf-8", body: Array(html.utf8), head: head)
    }
}
