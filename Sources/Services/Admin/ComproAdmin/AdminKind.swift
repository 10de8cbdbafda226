import ComproModel
import Foundation
import KoniJSON

/// One content kind as the admin edits it: where it lives in the admin and in the CMS, and its
/// form's fields in order. The CMS validates every value again; these describe only the form.
struct AdminKind: Sendable {
    /// The CMS collection (`news`) and the admin's path (`berita`).
    var collection: String
    var path: String
    /// "berita", "agenda", "atlet": for headings and messages.
    var noun: String
    /// The field shown in lists and conflict messages.
    var titleField: String
    /// The field shown as the list's date column, if any.
    var dateField: String?
    var fields: [AdminField]
    /// Whether items are published and unpublished (the site settings are not).
    var publishable = true

    static let news = AdminKind(collection: "news", path: "berita", noun: "berita", titleField: "title", dateField: "date", fields: [
        AdminField("title", "Judul", .text, required: true),
        .slug,
        AdminField("date", "Tanggal dan jam (WIB)", .dateTime, required: true),
        AdminField("summary", "Ringkasan", .text),
        AdminField("tags", "Tag (pisahkan dengan koma)", .list),
        AdminField("author", "Penulis", .text),
        AdminField("body", "Isi (Markdown)", .markdown),
    ])

    static let events = AdminKind(collection: "events", path: "agenda", noun: "agenda", titleField: "title", dateField: "start", fields: [
        AdminField("title", "Nama kegiatan", .text, required: true),
        .slug,
        AdminField("start", "Mulai", .dayOrTime, required: true, help: "Tanggal (2026-11-20) atau tanggal dan jam (2026-11-20T08:00), WIB."),
        AdminField("end", "Selesai", .dayOrTime, help: "Kosongkan untuk kegiatan satu hari."),
        AdminField("location", "Tempat", .text),
        AdminField("registration_url", "Tautan pendaftaran", .url),
        AdminField("summary", "Ringkasan", .text),
        AdminField("body", "Keterangan (Markdown)", .markdown),
    ])

    static let athletes = AdminKind(collection: "athletes", path: "atlet", noun: "atlet", titleField: "name", dateField: nil, fields: [
        AdminField("name", "Nama", .text, required: true),
        .slug,
        AdminField("sport", "Cabang olahraga", .text, required: true),
        AdminField("region", "Daerah", .text),
        AdminField("club", "Klub", .text),
        AdminField("birth_year", "Tahun lahir", .number),
        AdminField("achievements", "Prestasi (pisahkan dengan koma)", .list),
        AdminField("featured", "Tampilkan di beranda", .checkbox),
        AdminField("body", "Profil (Markdown)", .markdown),
    ])

    static let galleries = AdminKind(collection: "galleries", path: "galeri", noun: "galeri", titleField: "title", dateField: "date", fields: [
        AdminField("title", "Judul", .text, required: true),
        .slug,
        AdminField("date", "Tanggal dan jam (WIB)", .dateTime, required: true),
        AdminField("summary", "Ringkasan", .text),
        AdminField("photos", "Foto", .records(["src", "alt", "caption"]), help: "Satu foto per baris: /images/foto.jpg | teks alternatif | keterangan"),
        AdminField("body", "Keterangan (Markdown)", .markdown),
    ])

    static let all = [news, events, galleries, athletes]

    /// The form's values from what the CMS returned for an item.
    func values(item: JSONValue) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            guard let value = item[field.name] else { continue }
            values[field.name] = field.formText(value)
        }
        return values
    }

    /// The CMS body from the form's fields; an empty slug is derived from the title field.
    func json(_ form: [String: String], published: Bool) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = []
        for field in fields {
            let text = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if field.name == "slug" {
                pairs.append(("slug", .string(text.isEmpty ? (Slug.make(from: form[titleField] ?? "") ?? "") : text)))
            } else if let value = field.wireValue(text) {
                pairs.append((field.name, value))
            }
        }
        pairs.append(("published", .bool(published)))
        return .object(pairs)
    }
}

/// One field of a form.
struct AdminField: Sendable {
    enum Kind: Sendable, Equatable {
        case text, dateTime, dayOrTime, url, number, list, checkbox, markdown, lines
        /// One object per line, its values in `keys` order separated by `|` (`src | alt | caption`).
        case records([String])
    }

    var name: String
    var label: String
    var kind: Kind
    var required = false
    var help: String?

    init(_ name: String, _ label: String, _ kind: Kind, required: Bool = false, help: String? = nil) {
        self.name = name
        self.label = label
        self.kind = kind
        self.required = required
        self.help = help
    }

    static let slug = AdminField("slug", "Alamat (slug)", .text, help: "Kosongkan untuk dibuat dari judul. Huruf kecil, angka dan tanda hubung.")

    /// Markdown, lines and records are edited in a text area.
    var isTextArea: Bool {
        switch kind {
        case .markdown, .lines, .records: true
        default: false
        }
    }

    var inputType: String {
        switch kind {
        case .dateTime: "datetime-local"
        case .url: "url"
        case .number: "number"
        case .checkbox: "checkbox"
        default: "text"
        }
    }

    /// What the form shows for the CMS's value: local wall time for times (the branches are in
    /// WIB), lists joined by commas.
    func formText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text):
            switch kind {
            case .dateTime: return String(text.prefix(16))
            case .dayOrTime: return text.count > 10 ? String(text.prefix(16)) : text
            default: return text
            }
        case .number(let number): return String(Int(number))
        case .bool(let flag): return flag ? "1" : ""
        case .array(let values):
            if case .records(let keys) = kind {
                return values.map { record in keys.map { record[$0].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "" }.joined(separator: " | ") }
                    .joined(separator: "\n")
            }
            return values.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: ", ")
        default: return ""
        }
    }

    /// The CMS's value for the form's text; nil leaves the field out (the CMS's default).
    func wireValue(_ text: String) -> JSONValue? {
        switch kind {
        case .checkbox: return .bool(text == "1")
        case .list: return .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 != .string("") })
        case .number:
            guard !text.isEmpty else { return nil }
            // Not a number: sent as text, so the CMS's 422 names the field.
            return Int(text).map { .number(Double($0)) } ?? .string(text)
        case .dateTime, .dayOrTime:
            guard !text.isEmpty else { return nil }
            // A wall time from `datetime-local` (YYYY-MM-DDTHH:MM) is WIB.
            return .string(text.count == 16 ? text + ":00+07:00" : text)
        case .markdown, .lines: return .string(text)
        case .records(let keys):
            // At most 200 lines; a line with fewer parts sends empty ones, so the CMS's 422 names them.
            let records = text.split(whereSeparator: \.isNewline).prefix(200).compactMap { line -> JSONValue? in
                let parts = line.split(separator: "|", maxSplits: keys.count - 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.contains(where: { !$0.isEmpty }) else { return nil }
                return .object(keys.enumerated().map { index, key in (key, .string(index < parts.count ? parts[index] : "")) })
            }
            return .array(records)
        case .text, .url: return text.isEmpty && !required ? nil : .string(text)
        }
    }
}
