import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

/// The content screens of every kind in ``AdminKind/all`` (news, events, athletes): list with
/// paging, editor for new and existing items, delete with a confirmation page. A conflict (412)
/// is shown with the saved version's title and the admin's input kept; a validation error (422)
/// appears beside its field; a taken slug beside the slug.
extension AdminAPI {
    struct ListPage {
        var items: [[String: Any]]
        var hasMore: Bool
    }

    static let perPage = 20
    static let outcomes = ["disimpan": "Tersimpan.", "dihapus": "Dihapus."]

    func registerContent(on router: Router<KoniRequestContext>) {
        for kind in AdminKind.all { registerContent(kind, on: router) }
    }

    private func registerContent(_ kind: AdminKind, on router: Router<KoniRequestContext>) {
        let base = "/admin/\(kind.path)"
        router.get("\(base)/") { request, _ in
            try await page(request) { signedIn in
                let number = request.uri.queryParameters["halaman"].flatMap { Int($0) }.map { min(max($0, 1), 10_000) } ?? 1
                let query = request.uri.queryParameters["cari"].map { String($0.prefix(100)).trimmingCharacters(in: .whitespaces) } ?? ""
                let list = try await listPage(kind, signedIn, page: number, search: query)
                var values: [String: Any] = ["items": list.items, "path": kind.path, "heading": kind.noun.capitalized, "query": query]
                if !query.isEmpty { values["queryParameter"] = "&cari=" + Self.queryEncoded(query) }
                if number > 1 { values["newer"] = number - 1 }
                if list.hasMore { values["older"] = number + 1 }
                let notice = Self.notice(request)
                return html(
                    AdminPages.page(
                        "itemList", title: kind.noun.capitalized, branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf,
                        notice: notice, values: values
                    ))
            }
        }
        router.get("\(base)/baru") { request, _ in
            try await page(request) { signedIn in
                var initial: [String: String] = [:]
                if kind.fields.contains(where: { $0.name == "date" }) { initial["date"] = Self.localNow(signedIn.branch.timeZone) }
                return html(form(kind, signedIn, values: initial, published: false, version: 0, heading: "Tambah \(kind.noun)", action: "\(base)/"))
            }
        }
        router.post("\(base)/") { request, _ in
            try await formPost(request) { signedIn, fields in
                let save = Save()
                let published = fields["published"] == "1"
                let reply = try await cms.call(
                    .POST, cmsPath(kind, signedIn), json: kind.json(fields, published: published, zone: signedIn.branch.timeZone),
                    token: signedIn.session.accessToken, traceID: save.traceID
                )
                if reply.status == 201 { return saved(kind, "disimpan", published ? await waitUntilLive(save) : .unknown) }
                return try await refused(kind, signedIn, fields, reply, heading: "Tambah \(kind.noun)", action: "\(base)/")
            }
        }
        router.get("\(base)/{id}/") { request, context in
            try await page(request) { signedIn in
                guard let id = Self.itemID(context) else { return notFound(kind) }
                let reply = try await cms.call(.GET, "\(cmsPath(kind, signedIn))/\(id)", token: signedIn.session.accessToken)
                guard reply.status == 200 else { return notFound(kind) }
                return html(
                    form(
                        kind, signedIn, values: kind.values(item: reply.body, zone: signedIn.branch.timeZone),
                        published: reply.body["published"] == .bool(true), version: Self.version(reply.body),
                        heading: "Ubah \(kind.noun)", action: "\(base)/\(id)/", deleteURL: "\(base)/\(id)/hapus", notice: Self.notice(request),
                        after: kind.keptFields.contains("sections") ? Self.sectionsPanel(pageID: id, page: reply.body, csrf: signedIn.session.csrf) : nil
                    ))
            }
        }
        router.post("\(base)/{id}/") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let id = Self.itemID(context) else { return notFound(kind) }
                let path = "\(cmsPath(kind, signedIn))/\(id)"
                let published = fields["published"] == "1"
                let version = fields["version"].flatMap { Int($0) } ?? 0
                var save = Save()
                // Fields the form does not edit are sent as saved; If-Match still guards the whole item.
                let savedItem = kind.keptFields.isEmpty ? nil : try await cms.call(.GET, path, token: signedIn.session.accessToken).body
                let reply = try await cms.call(
                    .PUT, path, json: kind.json(fields, published: published, zone: signedIn.branch.timeZone, saved: savedItem),
                    token: signedIn.session.accessToken,
                    ifMatch: "\"\(version)\"", traceID: save.traceID
                )
                guard reply.status == 200 else {
                    return try await refused(kind, signedIn, fields, reply, heading: "Ubah \(kind.noun)", action: "\(base)/\(id)/", path: path)
                }
                // Publishing is its own action in the CMS (it has its own event).
                let toggled = reply.body["published"] != .bool(published)
                if toggled, let etag = reply.etag {
                    _ = try await cms.call(
                        .POST, "\(path)/\(published ? "publish" : "unpublish")", token: signedIn.session.accessToken, ifMatch: etag, traceID: save.nextCall()
                    )
                }
                // A draft that stays a draft changes nothing on the public site.
                return saved(kind, "disimpan", published || toggled ? await waitUntilLive(save) : .unknown)
            }
        }
        router.get("\(base)/{id}/hapus") { request, context in
            try await page(request) { signedIn in
                guard let id = Self.itemID(context) else { return notFound(kind) }
                let reply = try await cms.call(.GET, "\(cmsPath(kind, signedIn))/\(id)", token: signedIn.session.accessToken)
                guard reply.status == 200 else { return notFound(kind) }
                return html(
                    AdminPages.page(
                        "confirmDelete", title: "Hapus \(kind.noun)", branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf,
                        values: [
                            "itemID": id, "path": kind.path, "noun": kind.noun, "itemTitle": reply.body[kind.titleField]?.stringValue ?? "",
                            "version": Self.version(reply.body), "csrf": signedIn.session.csrf,
                        ]
                    ))
            }
        }
        router.post("\(base)/{id}/hapus") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let id = Self.itemID(context) else { return notFound(kind) }
                let version = fields["version"].flatMap { Int($0) } ?? 0
                let save = Save()
                let reply = try await cms.call(
                    .DELETE, "\(cmsPath(kind, signedIn))/\(id)", token: signedIn.session.accessToken, ifMatch: "\"\(version)\"", traceID: save.traceID
                )
                switch reply.status {
                case 204: return saved(kind, "dihapus", await waitUntilLive(save))
                case 412:
                    return message(
                        .conflict, "Isi sudah berubah", "Isi ini diubah orang lain setelah Anda membukanya; tidak dihapus.", link: "\(base)/\(id)/",
                        linkText: "Lihat versi terbaru")
                default: return message(.badGateway, "Gagal menghapus", "CMS menjawab \(reply.status).", link: "\(base)/", linkText: "Kembali")
                }
            }
        }
    }

    func cmsPath(_ kind: AdminKind, _ signedIn: SignedIn) -> String { "/api/v1/cms/admin/sites/\(signedIn.branch.slug)/\(kind.collection)" }

    static func itemID(_ context: KoniRequestContext) -> String? {
        context.parameters.get("id").flatMap(UUID.init(uuidString:)).map { $0.uuidString.lowercased() }
    }

    static func version(_ item: JSONValue) -> Int {
        if case .number(let value)? = item["version"], value.isFinite, value >= 0, value < 1e15 { return Int(value) }
        return 0
    }

    func notFound(_ kind: AdminKind) -> Response {
        message(.notFound, "Tidak ditemukan", "Isi \(kind.noun) ini tidak ada.", link: "/admin/\(kind.path)/", linkText: "Kembali")
    }

    /// One page of the branch's items of `kind`, drafts included, for the tables.
    func listPage(_ kind: AdminKind, _ signedIn: SignedIn, page: Int, search: String = "") async throws -> ListPage {
        let filter = search.isEmpty ? "" : "&q=" + Self.queryEncoded(search)
        let reply = try await cms.call(.GET, "\(cmsPath(kind, signedIn))?page=\(page)&per_page=\(Self.perPage)\(filter)", token: signedIn.session.accessToken)
        guard reply.status == 200, case .array(let items)? = reply.body["items"] else { return ListPage(items: [], hasMore: false) }
        let rows: [[String: Any]] = items.map { item in
            let date =
                kind.dateField.flatMap { item[$0]?.stringValue }.map { text in
                    (text.count > 10 ? AdminField.wallTime(text, zone: signedIn.branch.timeZone) : text).replacingOccurrences(of: "T", with: " ")
                } ?? ""
            return [
                "itemID": item["id"]?.stringValue ?? "", "itemTitle": item[kind.titleField]?.stringValue ?? "", "itemDate": date,
                "itemPublished": item["published"] == .bool(true), "path": kind.path,
            ]
        }
        var hasMore = false
        if case .number(let total)? = reply.body["total"] { hasMore = Double(page * Self.perPage) < total }
        return ListPage(items: rows, hasMore: hasMore)
    }

    func form(
        _ kind: AdminKind, _ signedIn: SignedIn, values: [String: String], published: Bool, version: Int, heading: String, action: String,
        deleteURL: String? = nil, errors: [String: String] = [:], errorDetails: [String: String] = [:], conflictTitle: String? = nil,
        differences: [[String: Any]] = [], notice: String? = nil, after: String? = nil
    ) -> String {
        let zone = Self.abbreviation(signedIn.branch.timeZone)
        let fields: [[String: Any]] = kind.fields.map { field in
            let timed = field.kind == .dateTime || field.kind == .dayOrTime
            var entry: [String: Any] = [
                "fieldName": field.name, "fieldLabel": timed ? "\(field.label) (\(zone))" : field.label, "fieldType": field.inputType,
                "fieldValue": values[field.name] ?? "",
                "isCheckbox": field.kind == .checkbox, "isMarkdown": field.isTextArea, "isRichText": field.kind == .markdown,
                "fieldRows": field.kind == .markdown ? 14 : 6,
                "fieldRequired": field.required,
                "fieldChecked": values[field.name] == "1",
            ]
            if let help = field.help { entry["fieldHelp"] = help }
            if let error = errors[field.name] { entry["fieldError"] = error }
            if let detail = errorDetails[field.name] { entry["fieldErrorDetail"] = detail }
            return entry
        }
        var page: [String: Any] = [
            "heading": heading, "action": action, "csrf": signedIn.session.csrf, "version": version, "published": published, "fields": fields,
            "publishable": kind.publishable,
        ]
        if let deleteURL { page["deleteURL"] = deleteURL }
        if let after { page["after"] = after }
        if !errors.isEmpty { page["error"] = true }
        if let conflictTitle {
            page["conflict"] = true
            page["currentTitle"] = conflictTitle
            page["differences"] = differences
            page["hasDifferences"] = !differences.isEmpty
        }
        return AdminPages.page(
            "itemForm", title: heading, branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf, notice: notice, values: page
        )
    }

    /// Back to the list (post/redirect/get), which then says what happened.
    func saved(_ kind: AdminKind, _ outcome: String, _ live: Live) -> Response {
        Response(status: .seeOther, headers: [.location: "/admin/\(kind.path)/" + Self.outcomeQuery(outcome, live), .cacheControl: "no-store"])
    }

    /// The form again with what the CMS said: 422 beside the field, 409 on the slug, 412 as a conflict.
    func refused(
        _ kind: AdminKind, _ signedIn: SignedIn, _ fields: [String: String], _ reply: UpstreamClient.Reply, heading: String, action: String, path: String? = nil
    ) async throws -> Response {
        let published = fields["published"] == "1"
        let version = fields["version"].flatMap { Int($0) } ?? 0
        let text = reply.body["error"]?["message"]?.stringValue ?? "CMS menjawab \(reply.status)"
        switch reply.status {
        case 422, 400:
            let field = Self.formField(for: reply.body["error"]?["field"]?.stringValue, in: kind)
            let message = AdminMessage.indonesian(text, field: kind.fields.first { $0.name == field })
            return html(
                form(
                    kind, signedIn, values: fields, published: published, version: version, heading: heading, action: action,
                    errors: [field: message], errorDetails: [field: text]), status: .unprocessableContent)
        case 409:
            return html(
                form(
                    kind, signedIn, values: fields, published: published, version: version, heading: heading, action: action,
                    errors: ["slug": "Alamat ini sudah dipakai isi lain."]), status: .conflict)
        case 412:
            guard let path else { break }
            let current = try await cms.call(.GET, path, token: signedIn.session.accessToken)
            return html(
                form(
                    kind, signedIn, values: fields, published: published, version: Self.version(current.body), heading: heading, action: action,
                    conflictTitle: current.body[kind.titleField]?.stringValue ?? "",
                    differences: kind.differences(saved: current.body, input: fields, zone: signedIn.branch.timeZone)), status: .conflict)
        default:
            break
        }
        return message(.badGateway, "Gagal menyimpan", text, link: "/admin/\(kind.path)/", linkText: "Kembali")
    }

    /// The form field a CMS error names: `contact.email` as it is, `navigation[1].url` as
    /// `navigation`, `cover.src` as `cover`; the title field when the form has no such field.
    static func formField(for named: String?, in kind: AdminKind) -> String {
        guard let named else { return kind.titleField }
        let candidates = [named, String(named.prefix { $0 != "[" }), String(named.prefix { $0 != "." && $0 != "[" })]
        return candidates.first { candidate in kind.fields.contains { $0.name == candidate } } ?? kind.titleField
    }

    /// `text` as one query value: everything but unreserved characters percent-encoded.
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Now in the branch's zone, as a `datetime-local` field shows it.
    static func localNow(_ zone: SiteTimeZone) -> String {
        String(RFC3339.string(Date().addingTimeInterval(Double(zone.offsetSeconds))).prefix(16))
    }

    static func abbreviation(_ zone: SiteTimeZone) -> String {
        switch zone {
        case .jakarta: "WIB"
        case .makassar: "WITA"
        case .jayapura: "WIT"
        }
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let text) = self { text } else { nil } }
}
