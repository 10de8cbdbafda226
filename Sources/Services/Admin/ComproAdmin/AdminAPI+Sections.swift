import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

/// A page's sections (`/admin/halaman/<id>/`): add, edit, move up and down, remove. Every change
/// is one update of the whole page in the CMS with the version the admin saw (If-Match), so a
/// section index always means the section the admin saw, and a concurrent change is a conflict,
/// never a wrong section moved or removed.
extension AdminAPI {
    static let pageFields = ["slug", "title", "order", "menu", "summary", "sections", "body", "published"]

    func registerSections(on router: Router<KoniRequestContext>) {
        let base = "/admin/halaman/{id}/bagian"
        router.get("\(base)/baru") { request, context in
            try await page(request) { signedIn in
                guard let pageID = Self.itemID(context), let form = request.uri.queryParameters.get("jenis").flatMap(SectionForm.named) else {
                    return notFound(.pages)
                }
                let saved = try await cms.call(.GET, pagePath(signedIn, pageID), token: signedIn.session.accessToken)
                guard saved.status == 200 else { return notFound(.pages) }
                return html(
                    sectionForm(
                        form, signedIn, pageID: pageID, values: [:], version: Self.version(saved.body),
                        action: "\(Self.pageURL(pageID))bagian/tambah/\(form.type)"))
            }
        }
        router.post("\(base)/tambah/{type}") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let pageID = Self.itemID(context), let form = context.parameters.get("type").flatMap(SectionForm.named) else { return notFound(.pages) }
                return try await changeSections(signedIn, pageID: pageID, fields: fields, form: form) { sections in
                    sections + [form.json(fields)]
                }
            }
        }
        router.get("\(base)/{index}/") { request, context in
            try await page(request) { signedIn in
                guard let pageID = Self.itemID(context) else { return notFound(.pages) }
                let saved = try await cms.call(.GET, pagePath(signedIn, pageID), token: signedIn.session.accessToken)
                guard saved.status == 200, case .array(let sections)? = saved.body["sections"], let index = Self.sectionIndex(context, count: sections.count),
                    let form = SectionForm.of(sections[index])
                else { return notFound(.pages) }
                return html(
                    sectionForm(
                        form, signedIn, pageID: pageID, values: form.values(sections[index]), version: Self.version(saved.body),
                        action: "\(Self.pageURL(pageID))bagian/\(index)/"
                    ))
            }
        }
        router.post("\(base)/{index}/") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let pageID = Self.itemID(context), let index = context.parameters.get("index").flatMap({ Int($0) }) else { return notFound(.pages) }
                return try await changeSections(signedIn, pageID: pageID, fields: fields, index: index) { sections in
                    guard index < sections.count, let form = SectionForm.of(sections[index]) else { return nil }
                    var changed = sections
                    changed[index] = form.json(fields)
                    return changed
                }
            }
        }
        for (action, offset) in [("naik", -1), ("turun", 1)] {
            router.post("\(base)/{index}/\(action)") { request, context in
                try await formPost(request) { signedIn, fields in
                    guard let pageID = Self.itemID(context), let index = context.parameters.get("index").flatMap({ Int($0) }) else { return notFound(.pages) }
                    return try await changeSections(signedIn, pageID: pageID, fields: fields) { sections in
                        let target = index + offset
                        guard sections.indices.contains(index), sections.indices.contains(target) else { return nil }
                        var moved = sections
                        moved.swapAt(index, target)
                        return moved
                    }
                }
            }
        }
        router.post("\(base)/{index}/hapus") { request, context in
            try await formPost(request) { signedIn, fields in
                guard let pageID = Self.itemID(context), let index = context.parameters.get("index").flatMap({ Int($0) }) else { return notFound(.pages) }
                return try await changeSections(signedIn, pageID: pageID, fields: fields) { sections in
                    guard sections.indices.contains(index) else { return nil }
                    var remaining = sections
                    remaining.remove(at: index)
                    return remaining
                }
            }
        }
    }

    func pagePath(_ signedIn: SignedIn, _ pageID: String) -> String { "\(cmsPath(.pages, signedIn))/\(pageID)" }

    static func pageURL(_ pageID: String) -> String { "/admin/halaman/\(pageID)/" }

    static func sectionIndex(_ context: KoniRequestContext, count: Int) -> Int? {
        context.parameters.get("index").flatMap { Int($0) }.flatMap { (0..<count).contains($0) ? $0 : nil }
    }

    /// Applies `change` to the saved page's sections (nil: the index is not there) and saves the
    /// page with the version the form carried. A section form (`form`) shows a refusal beside its field.
    func changeSections(
        _ signedIn: SignedIn, pageID: String, fields: [String: String], form: SectionForm? = nil, index: Int? = nil,
        _ change: ([JSONValue]) -> [JSONValue]?
    ) async throws -> Response {
        let path = pagePath(signedIn, pageID)
        let version = fields["version"].flatMap { Int($0) } ?? 0
        let saved = try await cms.call(.GET, path, token: signedIn.session.accessToken)
        guard saved.status == 200, case .object(let pairs) = saved.body else { return notFound(.pages) }
        guard Self.version(saved.body) == version else { return pageChanged(pageID) }
        guard case .array(let sections)? = saved.body["sections"], let changed = change(sections) else {
            return message(.notFound, "Bagian tidak ada", "Bagian ini tidak ada lagi di halaman.", link: Self.pageURL(pageID), linkText: "Kembali ke halaman")
        }
        var body = pairs.filter { Self.pageFields.contains($0.key) }
        if let at = body.firstIndex(where: { $0.key == "sections" }) { body[at].value = .array(changed) }
        let save = Save()
        let reply = try await cms.call(.PUT, path, json: .object(body), token: signedIn.session.accessToken, ifMatch: "\"\(version)\"", traceID: save.traceID)
        switch reply.status {
        case 200:
            let live = saved.body["published"] == .bool(true) ? await waitUntilLive(save) : .unknown
            return Response(
                status: .seeOther, headers: [.location: Self.pageURL(pageID) + Self.outcomeQuery("disimpan", live) + "#bagian", .cacheControl: "no-store"])
        case 412:
            return pageChanged(pageID)
        case 422, 400:
            let text = reply.body["error"]?["message"]?.stringValue ?? "CMS menolak bagian ini."
            let refused = form ?? index.flatMap { sections.indices.contains($0) ? SectionForm.of(sections[$0]) : nil }
            guard let refused else { break }
            let named = reply.body["error"]?["field"]?.stringValue.map { String($0.split(separator: ".").last ?? "") }
            let field = Self.formField(for: named, in: refused.kind)
            let action = index.map { "\(Self.pageURL(pageID))bagian/\($0)/" } ?? "\(Self.pageURL(pageID))bagian/tambah/\(refused.type)"
            let message = AdminMessage.indonesian(text, field: refused.fields.first { $0.name == field })
            return html(
                sectionForm(
                    refused, signedIn, pageID: pageID, values: fields, version: version, action: action, errors: [field: message], errorDetails: [field: text]),
                status: .unprocessableContent)
        default:
            break
        }
        return message(.badGateway, "Gagal menyimpan", "CMS menjawab \(reply.status).", link: Self.pageURL(pageID), linkText: "Kembali ke halaman")
    }

    func pageChanged(_ pageID: String) -> Response {
        message(
            .conflict, "Halaman sudah berubah", "Halaman ini diubah orang lain setelah Anda membukanya; perubahan Anda belum disimpan.",
            link: Self.pageURL(pageID), linkText: "Buka versi terbaru")
    }

    func sectionForm(
        _ form: SectionForm, _ signedIn: SignedIn, pageID: String, values: [String: String], version: Int, action: String, errors: [String: String] = [:],
        errorDetails: [String: String] = [:]
    ) -> String {
        self.form(
            form.kind, signedIn, values: values, published: false, version: version, heading: "Bagian: \(form.label)", action: action, errors: errors,
            errorDetails: errorDetails,
            after: "<p><a href=\"\(Self.pageURL(pageID))#bagian\">Kembali ke halaman</a></p>")
    }

    /// The list of a page's sections under its form, with the buttons that change them.
    static func sectionsPanel(pageID: String, page: JSONValue, csrf: String) -> String {
        guard case .array(let sections)? = page["sections"] else { return "" }
        let rows: [[String: Any]] = sections.enumerated().map { index, section in
            let form = SectionForm.of(section)
            return [
                "index": index, "sectionLabel": form?.label ?? (section["type"]?.stringValue ?? "?"),
                "sectionTitle": section["title"]?.stringValue ?? section["caption"]?.stringValue ?? "", "first": index == 0,
                "last": index == sections.count - 1,
                "editable": form != nil,
            ]
        }
        let types: [[String: Any]] = SectionForm.all.map { ["typeName": $0.type, "typeLabel": $0.label] }
        return AdminPages.library?.render(
            ["sections": rows, "pageID": pageID, "csrf": csrf, "version": Self.version(page), "types": types, "hasSections": !rows.isEmpty],
            withTemplate: "sectionsPanel"
        ) ?? ""
    }
}
