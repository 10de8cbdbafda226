import ComproModel
import ComproTheme
import Foundation
import HTTPTypes
import Hummingbird
import KoniJSON
import KoniServiceKit
import NIOCore

/// The theme editor (`/admin/tema/`): a preset, colours, fonts and sizes; the branch's real
/// published pages shown with the candidate theme, and the WCAG contrast report, before saving.
///
/// The preview is the page the site serves now, read from the published release, with its theme
/// stylesheet swapped for the candidate's: a page's HTML does not depend on the theme, only the
/// `:root` custom properties of `theme.<hash>.css` do, so this is exactly what a save would show.
extension AdminAPI {
    /// The pages a preview may show, if the branch publishes them.
    static let previewPages: [(path: String, label: String)] = [
        ("/", "Beranda"), ("/berita/", "Berita"), ("/agenda/", "Agenda"), ("/galeri/", "Galeri"), ("/atlet/", "Atlet"), ("/profil/", "Profil"),
        ("/kontak/", "Kontak"),
    ]
    static let maximumPreviewBytes = 8 << 20

    var themes: ThemeCatalog { ThemeCatalog(directory: settings.themesDirectory) }

    func registerTheme(on router: Router<KoniRequestContext>) {
        router.get("/admin/tema/") { request, _ in
            try await page(request) { signedIn in
                let reply = try await cms.call(.GET, themePath(signedIn), token: signedIn.session.accessToken)
                guard reply.status == 200 else { return message(.badGateway, "Gagal memuat", "CMS menjawab \(reply.status).") }
                return themeEditor(signedIn, ThemeCandidate(document: reply.body), version: Self.version(reply.body), notice: Self.notice(request))
            }
        }
        router.post("/admin/tema/pratinjau") { request, _ in
            try await formPost(request) { signedIn, fields in
                let candidate = ThemeCandidate { fields[$0] }
                let problems = candidate.problems(presets: themes.presetNames())
                return themeEditor(
                    signedIn, candidate, version: fields["version"].flatMap { Int($0) } ?? 0, errors: problems,
                    status: problems.isEmpty ? .ok : .unprocessableContent
                )
            }
        }
        router.post("/admin/tema/") { request, _ in
            try await formPost(request) { signedIn, fields in
                let candidate = ThemeCandidate { fields[$0] }
                let version = fields["version"].flatMap { Int($0) } ?? 0
                let problems = candidate.problems(presets: themes.presetNames())
                guard problems.isEmpty, let base = try? themes.preset(candidate.preset) else {
                    return themeEditor(signedIn, candidate, version: version, errors: problems, status: .unprocessableContent)
                }
                let save = Save()
                let reply = try await cms.call(
                    .PUT, themePath(signedIn), json: candidate.document(base: base), token: signedIn.session.accessToken, ifMatch: "\"\(version)\"",
                    traceID: save.traceID
                )
                switch reply.status {
                case 200:
                    let live = await waitUntilLive(save)
                    return Response(status: .seeOther, headers: [.location: "/admin/tema/" + Self.outcomeQuery("disimpan", live), .cacheControl: "no-store"])
                case 412:
                    let current = try await cms.call(.GET, themePath(signedIn), token: signedIn.session.accessToken)
                    return themeEditor(signedIn, candidate, version: Self.version(current.body), conflict: true, status: .conflict)
                case 422, 400:
                    let field = (reply.body["error"]?["field"]?.stringValue ?? "preset").replacingOccurrences(of: "overrides.", with: "")
                    return themeEditor(signedIn, candidate, version: version, errors: [field: "CMS menolak nilai ini."], status: .unprocessableContent)
                default:
                    return message(.badGateway, "Gagal menyimpan", "CMS menjawab \(reply.status).", link: "/admin/tema/", linkText: "Kembali")
                }
            }
        }
        router.get("/admin/tema/pratinjau.html") { request, _ in
            try await page(request) { signedIn in try previewPage(request, signedIn) }
        }
        router.get("/admin/tema/kandidat.css") { request, _ in
            try await page(request) { _ in
                let candidate = ThemeCandidate { request.uri.queryParameters.get($0) }
                guard candidate.problems(presets: themes.presetNames()).isEmpty, let base = try? themes.preset(candidate.preset),
                    let theme = try? base.applying(candidate.selection(base: base).overrides, file: "kandidat")
                else { return Response(status: .unprocessableContent, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-store"]) }
                return Response(
                    status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-store", .xContentTypeOptions: "nosniff"],
                    body: .init(byteBuffer: ByteBuffer(string: theme.css)))
            }
        }
        router.get("/admin/tema/kontras") { request, _ in
            try await page(request) { _ in
                let candidate = ThemeCandidate { request.uri.queryParameters.get($0) }
                let problems = candidate.problems(presets: themes.presetNames())
                var rows: [JSONValue] = []
                if problems.isEmpty, let base = try? themes.preset(candidate.preset),
                    let theme = try? base.applying(candidate.selection(base: base).overrides, file: "kandidat")
                {
                    rows = Self.contrastRows(theme).map { row in
                        .object(row.map { key, value in (key, value is Bool ? .bool(value as? Bool ?? false) : .string("\(value)")) }.sorted { $0.0 < $1.0 })
                    }
                }
                let body = JSONValue.object([
                    ("errors", .object(problems.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })), ("reports", .array(rows)),
                ])
                return Response(
                    status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(bytes: body.jsonBytes)))
            }
        }
    }

    func themePath(_ signedIn: SignedIn) -> String { "/api/v1/cms/admin/sites/\(signedIn.branch.slug)/theme" }

    /// The contrast report's rows: pair labels, ratio (`4.52:1`) and whether it reaches WCAG AA.
    static func contrastRows(_ theme: Theme) -> [[String: Any]] {
        theme.contrastReports.map { report in
            [
                "pairText": ThemeCandidate.labels[report.text] ?? report.text, "pairBackground": ThemeCandidate.labels[report.background] ?? report.background,
                "ratio": String(format: "%.2f:1", report.ratio), "passes": report.passesAA,
            ]
        }
    }

    func themeEditor(
        _ signedIn: SignedIn, _ candidate: ThemeCandidate, version: Int, errors: [String: String] = [:], conflict: Bool = false,
        notice: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        let catalog = themes
        let presetNames = catalog.presetNames()
        let base = try? catalog.preset(candidate.preset)
        let resolved = errors.isEmpty ? base.flatMap { try? $0.applying(candidate.selection(base: $0).overrides, file: "kandidat") } : nil
        let presets: [[String: Any]] = presetNames.map { name in
            ["presetName": name, "presetLabel": (try? catalog.preset(name).displayName) ?? name, "presetSelected": name == candidate.preset]
        }
        let properties: [[String: Any]] = ThemeProperty.all.map { property in
            var entry: [String: Any] = [
                "fieldName": property.name, "fieldLabel": ThemeCandidate.labels[property.name] ?? property.name,
                "fieldValue": candidate.values[property.name] ?? "", "fieldPlaceholder": base?.values[property.name] ?? "",
                "isColor": property.kind == .color,
            ]
            if let error = errors[property.name] { entry["fieldError"] = error }
            return entry
        }
        let site = settings.sitesDirectory + "/" + signedIn.branch.slug + "/current"
        let pages: [[String: Any]] = Self.previewPages.filter { FileManager.default.fileExists(atPath: site + $0.path + "index.html") }.map {
            ["pagePath": $0.path, "pageLabel": $0.label, "previewURL": "/admin/tema/pratinjau.html?halaman=\(Self.queryEncoded($0.path))&\(candidate.query)"]
        }
        var values: [String: Any] = [
            "presets": presets, "properties": properties, "csrf": signedIn.session.csrf, "version": version, "pages": pages,
            "reports": resolved.map(Self.contrastRows) ?? [], "hasReport": resolved != nil,
        ]
        if let first = pages.first {
            values["previewURL"] = first["previewURL"]
            values["hasPages"] = true
        }
        if let error = errors["preset"] { values["presetError"] = error }
        if !errors.isEmpty { values["error"] = true }
        if conflict { values["conflict"] = true }
        if let resolved, !resolved.contrastProblems.isEmpty { values["contrastWarning"] = true }
        return Response(
            status: status, headers: Self.pageHeaders,
            body: .init(
                byteBuffer: ByteBuffer(
                    string: AdminPages.page(
                        "themeEditor", title: "Tema", branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf, notice: notice,
                        values: values
                    ))))
    }

    /// A published page of the branch with the candidate theme's stylesheet instead of the live one.
    func previewPage(_ request: Request, _ signedIn: SignedIn) throws -> Response {
        let requested = request.uri.queryParameters["halaman"].map(String.init) ?? "/"
        let candidate = ThemeCandidate { request.uri.queryParameters.get($0) }
        guard let page = Self.previewPages.first(where: { $0.path == requested }) else {
            return message(.notFound, "Halaman tidak ada", "Pratinjau hanya untuk halaman utama situs.")
        }
        guard candidate.problems(presets: themes.presetNames()).isEmpty else {
            return message(.unprocessableContent, "Tema belum benar", "Perbaiki isian yang ditandai di penyunting tema.")
        }
        // The path comes from the fixed list above and the slug from the registry: nothing from the request reaches the file system.
        let file = settings.sitesDirectory + "/" + signedIn.branch.slug + "/current" + page.path + "index.html"
        guard let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int), size <= Self.maximumPreviewBytes,
            let data = FileManager.default.contents(atPath: file)
        else {
            return message(.notFound, "Belum terbit", "Halaman \(page.label) belum diterbitkan untuk \(signedIn.branch.name).")
        }
        let html = String(decoding: data, as: UTF8.self)
        let stylesheet = "/admin/tema/kandidat.css?" + candidate.query.replacingOccurrences(of: "&", with: "&amp;")
        guard let range = html.range(of: #"href="/assets/theme\.[0-9a-f]{12}\.css""#, options: .regularExpression) else {
            return message(.internalServerError, "Pratinjau tidak tersedia", "Halaman terbit tidak memuat stylesheet tema.")
        }
        var headers = Self.pageHeaders
        headers[.contentSecurityPolicy] = Self.previewPolicy
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.replacingCharacters(in: range, with: "href=\"\(stylesheet)\""))))
    }

    /// The preview shows a page of the site inside the editor: no script, framed by the admin only.
    static let previewPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'none'; frame-ancestors 'self'; base-uri 'none'"
}
