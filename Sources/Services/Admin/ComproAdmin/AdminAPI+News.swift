import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

/// The news screens: list with paging, editor (new and existing), delete with confirmation.
/// Conflicts (412) are shown with the saved version's title and the admin's own input kept;
/// validation errors (422) appear beside their field.
extension AdminAPI {
    struct NewsListPage {
        var items: [[String: Any]]
        var hasMore: Bool
    }

    static let perPage = 20

    func registerNews(on router: Router<KoniRequestContext>) {
        router.get("/admin/berita/") { request, _ in
            try await page(request) { signedIn in
                let number = request.uri.queryParameters["halaman"].flatMap { Int($0) }.map { min(max($0, 1), 10_000) } ?? 1
                let list = try await newsPage(signedIn, page: number)
                var values: [String: Any] = ["items": list.items]
                if number > 1 { values["newer"] = number - 1 }
                if list.hasMore { values["older"] = number + 1 }
                let notice = request.uri.queryParameters["hasil"].flatMap { Self.outcomes[String($0)] }
                return html(AdminPages.page(
                    "newsList", title: "Berita", branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf, notice: notice,
                    values: values
                ))
            }
        }
        router.get("/admin/berita/baru") { request, _ in
            try await page(request) { signedIn in
                html(form(signedIn, NewsDraft(date: Self.localNow()), heading: "Tulis berita", action: "/admin/berita/"))
            }
        }
        router.post("/admin/berita/") { request, _ in
            try await formPost(request) { signedIn, fields in
                let draft = NewsDraft(fields)
                let reply = try await cms.call(.POST, newsPath(signedIn), json: draft.json(), token: signedIn.session.accessToken)
                if reply.status == 201 { return saved("disimpan") }
                return try await refused(signedIn, draft, reply, heading: "Tulis berita", action: "/admin/berita/")
            }
        }
        router.get("/admin/berita/{id}/") { request, context in
            try await page(request) { signedIn in
                guard let id = Self.itemID(context) else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                let reply = try await cms.call(.GET, "\(newsPath(signedIn))/\(id)", token: signedIn.session.accessToken)
                guard reply.status == 200 else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                return html(form(signedIn, NewsDraft(item: reply.body), heading: "Ubah berita", action: "/admin/berita/\(id)/", deleteURL: "/admin/berita/\(id)/hapus"))
            }
        }
        router.post("/admin/berita/{id}/") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let id = Self.itemID(context) else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                let draft = NewsDraft(fields)
                let path = "\(newsPath(signedIn))/\(id)"
                let reply = try await cms.call(.PUT, path, json: draft.json(), token: signedIn.session.accessToken, ifMatch: "\"\(draft.version)\"")
                guard reply.status == 200 else {
                    return try await refused(signedIn, draft, reply, heading: "Ubah berita", action: "/admin/berita/\(id)/", path: path)
                }
                if case .bool(let isPublished)? = reply.body["published"], isPublished != draft.published, let etag = reply.etag {
                    let action = draft.published ? "publish" : "unpublish"
                    _ = try await cms.call(.POST, "\(path)/\(action)", token: signedIn.session.accessToken, ifMatch: etag)
                }
                return saved("disimpan")
            }
        }
        router.get("/admin/berita/{id}/hapus") { request, context in
            try await page(request) { signedIn in
                guard let id = Self.itemID(context) else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                let reply = try await cms.call(.GET, "\(newsPath(signedIn))/\(id)", token: signedIn.session.accessToken)
                guard reply.status == 200 else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                let draft = NewsDraft(item: reply.body)
                return html(AdminPages.page("confirmDelete", title: "Hapus berita", branch: signedIn.branch.name, email: signedIn.session.email,
                                            csrf: signedIn.session.csrf, values: ["id": id, "title": draft.title, "version": draft.version, "csrf": signedIn.session.csrf]))
            }
        }
        router.post("/admin/berita/{id}/hapus") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let id = Self.itemID(context) else { return message(.notFound, "Tidak ditemukan", "Berita ini tidak ada.") }
                let version = fields["version"].flatMap { Int($0) } ?? 0
                let reply = try await cms.call(.DELETE, "\(newsPath(signedIn))/\(id)", token: signedIn.session.accessToken, ifMatch: "\"\(version)\"")
                switch reply.status {
                case 204: return saved("dihapus")
                case 412: return message(.conflict, "Berita sudah berubah", "Berita ini diubah orang lain setelah Anda membukanya; tidak dihapus.", link: "/admin/berita/\(id)/", linkText: "Lihat versi terbaru")
                default: return message(.badGateway, "Gagal menghapus", "CMS menjawab \(reply.status).", link: "/admin/berita/", linkText: "Kembali")
                }
            }
        }
    }

    func newsPath(_ signedIn: SignedIn) -> String { "/api/v1/cms/admin/sites/\(signedIn.branch.slug)/news" }

    static func itemID(_ context: KoniRequestContext) -> String? {
        context.parameters.get("id").flatMap(UUID.init(uuidString:)).map { $0.uuidString.lowercased() }
    }

    /// One page of the branch's news, drafts included, for the tables.
    func newsPage(_ signedIn: SignedIn, page: Int) async throws -> NewsListPage {
        let reply = try await cms.call(.GET, "\(newsPath(signedIn))?page=\(page)&per_page=\(Self.perPage)", token: signedIn.session.accessToken)
        guard reply.status == 200, case .array(let items)? = reply.body["items"] else { return NewsListPage(items: [], hasMore: false) }
        let rows: [[String: Any]] = items.map { item in
            let draft = NewsDraft(item: item)
            return ["id": item["id"]?.stringValue ?? "", "title": draft.title, "date": draft.date.replacingOccurrences(of: "T", with: " "), "published": draft.published]
        }
        var hasMore = false
        if case .number(let total)? = reply.body["total"] { hasMore = Double(page * Self.perPage) < total }
        return NewsListPage(items: rows, hasMore: hasMore)
    }

    func form(_ signedIn: SignedIn, _ draft: NewsDraft, heading: String, action: String, deleteURL: String? = nil, errors: [String: String] = [:], conflictTitle: String? = nil) -> String {
        var values = draft.values
        values["heading"] = heading
        values["action"] = action
        values["csrf"] = signedIn.session.csrf
        values["timezone"] = "WIB"
        if let deleteURL { values["deleteURL"] = deleteURL }
        for (field, text) in errors { values["\(field)Error"] = text }
        if !errors.isEmpty { values["error"] = true }
        if let conflictTitle {
            values["conflict"] = true
            values["currentTitle"] = conflictTitle
        }
        return AdminPages.page("newsForm", title: heading, branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf, values: values)
    }

    /// Back to the list (post/redirect/get), which then says what happened.
    func saved(_ outcome: String) -> Response {
        Response(status: .seeOther, headers: [.location: "/admin/berita/?hasil=\(outcome)", .cacheControl: "no-store"])
    }

    static let outcomes = ["disimpan": "Berita tersimpan.", "dihapus": "Berita dihapus."]

    /// The form again with what the CMS said: 422 beside the field, 409 on the slug, 412 as a conflict.
    func refused(_ signedIn: SignedIn, _ draft: NewsDraft, _ reply: UpstreamClient.Reply, heading: String, action: String, path: String? = nil) async throws -> Response {
        let messageText = reply.body["error"]?["message"]?.stringValue ?? "CMS menjawab \(reply.status)"
        switch reply.status {
        case 422, 400:
            let field = reply.body["error"]?["field"]?.stringValue ?? "title"
            let known = ["title", "slug", "date", "body"].contains(field) ? field : "title"
            return html(form(signedIn, draft, heading: heading, action: action, errors: [known: messageText]), status: .unprocessableContent)
        case 409:
            return html(form(signedIn, draft, heading: heading, action: action, errors: ["slug": "Alamat ini sudah dipakai berita lain."]), status: .conflict)
        case 412:
            guard let path else { break }
            let current = try await cms.call(.GET, path, token: signedIn.session.accessToken)
            var mine = draft
            let saved = NewsDraft(item: current.body)
            mine.version = saved.version
            return html(form(signedIn, mine, heading: heading, action: action, conflictTitle: saved.title), status: .conflict)
        default:
            break
        }
        return message(.badGateway, "Gagal menyimpan", messageText, link: "/admin/berita/", linkText: "Kembali")
    }

    /// Now in WIB, as the `datetime-local` field shows it.
    static func localNow() -> String {
        let wib = Date().addingTimeInterval(7 * 3600)
        return String(RFC3339.string(wib).prefix(16))
    }
}

/// What the news form holds, both ways: from the form's fields and from the CMS's item.
struct NewsDraft: Sendable {
    var title = ""
    var slug = ""
    var date = ""
    var summary = ""
    var tags = ""
    var body = ""
    var published = false
    var version = 0

    init(date: String) { self.date = date }

    init(_ fields: [String: String]) {
        title = fields["title"]?.trimmingCharacters(in: .whitespaces) ?? ""
        slug = fields["slug"]?.trimmingCharacters(in: .whitespaces) ?? ""
        date = fields["date"] ?? ""
        summary = fields["summary"] ?? ""
        tags = fields["tags"] ?? ""
        body = fields["body"] ?? ""
        published = fields["published"] == "1"
        version = fields["version"].flatMap { Int($0) } ?? 0
    }

    init(item: JSONValue) {
        title = item["title"]?.stringValue ?? ""
        slug = item["slug"]?.stringValue ?? ""
        // The CMS's date carries its offset; the field shows local WIB wall time.
        date = String((item["date"]?.stringValue ?? "").prefix(16))
        summary = item["summary"]?.stringValue ?? ""
        if case .array(let values)? = item["tags"] { tags = values.compactMap(\.stringValue).joined(separator: ", ") }
        body = item["body"]?.stringValue ?? ""
        if case .bool(let value)? = item["published"] { published = value }
        if case .number(let value)? = item["version"] { version = Int(value) }
    }

    /// The CMS's JSON; an empty slug is derived from the title.
    func json() -> JSONValue {
        let slugValue = slug.isEmpty ? (Slug.make(from: title) ?? "") : slug
        let tagList = tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var pairs: [(key: String, value: JSONValue)] = [
            ("slug", .string(slugValue)), ("title", .string(title)), ("date", .string(date.count == 16 ? date + ":00+07:00" : date)),
            ("tags", .array(tagList.map { .string($0) })), ("body", .string(body)), ("published", .bool(published)),
        ]
        if !summary.isEmpty { pairs.insert(("summary", .string(summary)), at: 3) }
        return .object(pairs)
    }

    var values: [String: Any] {
        ["title": title, "slug": slug, "date": date, "summary": summary, "tags": tags, "body": body, "published": published, "version": version]
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let text) = self { text } else { nil } }
}
