import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

/// The site settings screen (`/admin/pengaturan/`): name, tagline, description, navigation,
/// contact and social links, news per page. Domains, base URL, locale, time zone and logo are
/// kept as they are (they change how the site is served; operations owns them). A save against
/// newer settings (412) is shown as a conflict with the admin's input kept.
extension AdminKind {
    static let settings = AdminKind(
        collection: "settings", path: "pengaturan", noun: "pengaturan", titleField: "name", dateField: nil,
        fields: [
            AdminField("name", "Nama situs", .text, required: true),
            AdminField("short_name", "Nama singkat", .text),
            AdminField("tagline", "Slogan", .text),
            AdminField("description", "Deskripsi (untuk mesin pencari)", .text),
            AdminField("navigation", "Menu", .lines, help: "Satu tautan per baris: Judul | /alamat/"),
            AdminField("contact.address", "Alamat kantor", .text),
            AdminField("contact.phone", "Telepon", .text),
            AdminField("contact.email", "Email", .text),
            AdminField("contact.hours", "Jam layanan", .text),
            AdminField("contact.map_url", "Tautan peta", .url),
            AdminField("social", "Media sosial", .lines, help: "Satu per baris: platform | https://…"),
            AdminField("news_per_page", "Berita per halaman", .number),
        ], publishable: false)

    /// The form's values from the CMS's settings document.
    static func settingsValues(_ document: JSONValue) -> [String: String] {
        var values: [String: String] = [:]
        for key in ["name", "short_name", "tagline", "description"] { values[key] = document[key]?.stringValue ?? "" }
        if case .number(let count)? = document["news_per_page"], count.isFinite, abs(count) < 1e9 { values["news_per_page"] = String(Int(count)) }
        for key in ["address", "phone", "email", "hours", "map_url"] { values["contact.\(key)"] = document["contact"]?[key]?.stringValue ?? "" }
        values["navigation"] = lines(document["navigation"], "title", "url")
        values["social"] = lines(document["social"], "platform", "url")
        return values
    }

    /// The settings document to send: the current one with the form's fields replaced.
    static func settingsDocument(current: JSONValue, form: [String: String]) -> JSONValue {
        guard case .object(var pairs) = current else { return current }
        pairs.removeAll { $0.key == "version" }
        func set(_ key: String, _ value: JSONValue) {
            if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = value } else { pairs.append((key, value)) }
        }
        for key in ["name", "short_name", "tagline", "description"] {
            set(key, .string((form[key] ?? "").trimmingCharacters(in: .whitespaces)))
        }
        let count = (form["news_per_page"] ?? "").trimmingCharacters(in: .whitespaces)
        if !count.isEmpty { set("news_per_page", Int(count).map { .number(Double($0)) } ?? .string(count)) }
        set(
            "contact",
            .object(
                ["address", "phone", "email", "hours", "map_url"].map { key in
                    (key, .string((form["contact.\(key)"] ?? "").trimmingCharacters(in: .whitespaces)))
                }))
        set("navigation", objects(form["navigation"] ?? "", "title", "url"))
        set("social", objects(form["social"] ?? "", "platform", "url"))
        return .object(pairs)
    }

    /// `a | b` per line, from a list of objects.
    private static func lines(_ value: JSONValue?, _ first: String, _ second: String) -> String {
        guard case .array(let entries)? = value else { return "" }
        return entries.map { "\($0[first]?.stringValue ?? "") | \($0[second]?.stringValue ?? "")" }.joined(separator: "\n")
    }

    /// A list of objects from `a | b` lines (at most 100; blank lines skipped). A line without `|`
    /// becomes an entry without its second part, so the CMS's 422 names it.
    private static func objects(_ text: String, _ first: String, _ second: String) -> JSONValue {
        let entries = text.split(whereSeparator: \.isNewline).prefix(100).compactMap { line -> JSONValue? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            let parts = trimmed.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return .object([(first, .string(parts[0])), (second, .string(parts.count > 1 ? parts[1] : ""))])
        }
        return .array(entries)
    }
}

extension AdminAPI {
    func registerSettings(on router: Router<KoniRequestContext>) {
        let kind = AdminKind.settings
        router.get("/admin/pengaturan/") { request, _ in
            try await page(request) { signedIn in
                let reply = try await cms.call(.GET, settingsPath(signedIn), token: signedIn.session.accessToken)
                guard reply.status == 200 else { return message(.badGateway, "Gagal memuat", "CMS menjawab \(reply.status).") }
                let notice = Self.notice(request)
                return html(
                    form(
                        kind, signedIn, values: AdminKind.settingsValues(reply.body), published: false, version: Self.version(reply.body),
                        heading: "Pengaturan situs", action: "/admin/pengaturan/", notice: notice
                    ))
            }
        }
        router.post("/admin/pengaturan/") { request, _ in
            try await formPost(request) { signedIn, fields in
                let path = settingsPath(signedIn)
                let current = try await cms.call(.GET, path, token: signedIn.session.accessToken)
                guard current.status == 200 else { return message(.badGateway, "Gagal memuat", "CMS menjawab \(current.status).") }
                let version = fields["version"].flatMap { Int($0) } ?? 0
                let save = Save()
                let reply = try await cms.call(
                    .PUT, path, json: AdminKind.settingsDocument(current: current.body, form: fields), token: signedIn.session.accessToken,
                    ifMatch: "\"\(version)\"", traceID: save.traceID
                )
                if reply.status == 200 {
                    let live = await waitUntilLive(save)
                    return Response(
                        status: .seeOther, headers: [.location: "/admin/pengaturan/" + Self.outcomeQuery("disimpan", live), .cacheControl: "no-store"])
                }
                return try await refused(kind, signedIn, fields, reply, heading: "Pengaturan situs", action: "/admin/pengaturan/", path: path)
            }
        }
    }

    func settingsPath(_ signedIn: SignedIn) -> String { "/api/v1/cms/admin/sites/\(signedIn.branch.slug)/settings" }
}
