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
    /// CMS fields the form does not edit: an update copies them from the saved item, so that a
    /// save never drops them (a page's sections are edited on their own screens).
    var keptFields: [String] = []

    static let news = AdminKind(
        collection: "news", path: "berita", noun: "berita", titleField: "title", dateField: "date",
        fields: [
            AdminField("title", "Judul", .text, required: true),
            .slug,
            AdminField("date", "Tanggal dan jam", .dateTime, required: true),
            AdminField("summary", "Ringkasan", .text),
            AdminField("cover", "Gambar sampul", .image, help: AdminField.imageHelp),
            AdminField("tags", "Tag (pisahkan dengan koma)", .list),
            AdminField("author", "Penulis", .text),
            AdminField("body", "Isi (Markdown)", .markdown),
        ])

    static let events = AdminKind(
        collection: "events", path: "agenda", noun: "agenda", titleField: "title", dateField: "start",
        fields: [
            AdminField("title", "Nama kegiatan", .text, required: true),
            .slug,
            AdminField("start", "Mulai", .dayOrTime, required: true, help: "Tanggal (2026-11-20) atau tanggal dan jam (2026-11-20T08:00)."),
            AdminField("end", "Selesai", .dayOrTime, help: "Kosongkan untuk kegiatan satu hari."),
            AdminField("location", "Tempat", .text),
            AdminField("registration_url", "Tautan pendaftaran", .url),
            AdminField("summary", "Ringkasan", .text),
            AdminField("cover", "Gambar sampul", .image, help: AdminField.imageHelp),
            AdminField("body", "Keterangan (Markdown)", .markdown),
        ])

    static let athletes = AdminKind(
        collection: "athletes", path: "atlet", noun: "atlet", titleField: "name", dateField: nil,
        fields: [
            AdminField("name", "Nama", .text, required: true),
            .slug,
            AdminField("sport", "Cabang olahraga", .text, required: true),
            AdminField("photo", "Foto", .image, help: AdminField.imageHelp),
            AdminField("region", "Daerah", .text),
            AdminField("club", "Klub", .text),
            AdminField("birth_year", "Tahun lahir", .number),
            AdminField("achievements", "Prestasi (pisahkan dengan koma)", .list),
            AdminField("featured", "Tampilkan di beranda", .checkbox),
            AdminField("body", "Profil (Markdown)", .markdown),
        ], keptFields: ["stats"])

    static let pages = AdminKind(
        collection: "pages", path: "halaman", noun: "halaman", titleField: "title", dateField: nil,
        fields: [
            AdminField("title", "Judul", .text, required: true),
            .slug,
            AdminField("summary", "Ringkasan", .text),
            AdminField("order", "Urutan di menu", .number, help: "Angka kecil tampil lebih dulu (bawaan 100)."),
            AdminField("menu", "Tampilkan di menu", .checkbox),
            AdminField("body", "Isi (Markdown)", .markdown, help: "Tampil di bagian “Isi halaman”, atau di bawah bagian-bagian bila tidak ada."),
        ], keptFields: ["sections"])

    static let galleries = AdminKind(
        collection: "galleries", path: "galeri", noun: "galeri", titleField: "title", dateField: "date",
        fields: [
            AdminField("title", "Judul", .text, required: true),
            .slug,
            AdminField("date", "Tanggal dan jam", .dateTime, required: true),
            AdminField("summary", "Ringkasan", .text),
            AdminField("photos", "Foto", .records(["src", "alt", "caption"]), help: "Satu foto per baris: /images/foto.jpg | teks alternatif | keterangan"),
            AdminField("body", "Keterangan (Markdown)", .markdown),
        ])

    static let all = [news, events, galleries, athletes, pages]

    /// The form's values from what the CMS returned for an item.
    func values(item: JSONValue, zone: SiteTimeZone = .jakarta) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            guard let value = item[field.name] else { continue }
            values[field.name] = field.formText(value, zone: zone)
        }
        return values
    }

    /// The fields whose saved value differs from the admin's input, with the saved value
    /// (shortened to 200 characters), for the conflict screen: what the other save changed.
    func differences(saved: JSONValue, input: [String: String], zone: SiteTimeZone = .jakarta) -> [[String: Any]] {
        let savedValues = values(item: saved, zone: zone)
        return fields.compactMap { field in
            let mine = (input[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let theirs = (savedValues[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard mine.replacingOccurrences(of: "\r\n", with: "\n") != theirs else { return nil }
            let shown = theirs.count > 200 ? String(theirs.prefix(200)) + "…" : theirs
            return ["differenceLabel": field.label, "differenceSaved": shown]
        }
    }

    /// The CMS body from the form's fields; an empty slug is derived from the title field;
    /// ``keptFields`` come from `saved` (the item as the CMS holds it, for an update).
    func json(_ form: [String: String], published: Bool, zone: SiteTimeZone = .jakarta, saved: JSONValue? = nil) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = []
        for name in keptFields {
            if let value = saved?[name], value != .null { pairs.append((name, value)) }
        }
        for field in fields {
            let text = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if field.name == "slug" {
                pairs.append(("slug", .string(text.isEmpty ? (Slug.make(from: form[titleField] ?? "") ?? "") : text)))
            } else if let value = field.wireValue(text, zone: zone) {
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
        /// An image as `src | alt` on one line.
        case image
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

    static let imageHelp = "Alamat gambar | teks alternatif, misalnya /images/juara.jpg | Para juara di podium. Kosongkan bila tanpa gambar."

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

    /// What the form shows for the CMS's value: times as wall time in the branch's zone, lists
    /// joined by commas.
    func formText(_ value: JSONValue, zone: SiteTimeZone = .jakarta) -> String {
        switch value {
        case .string(let text):
            switch kind {
            case .dateTime: return Self.wallTime(text, zone: zone)
            case .dayOrTime: return text.count > 10 ? Self.wallTime(text, zone: zone) : text
            default: return text
            }
        case .number(let number): return String(Int(number))
        case .bool(let flag): return flag ? "1" : ""
        case .object where kind == .image:
            return [value["src"], value["alt"]].map { if case .string(let text)? = $0 { text } else { "" } }.joined(separator: " | ")
        case .array(let values):
            if case .records(let keys) = kind {
                return values.map { record in
                    keys.map { record[$0].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "" }.joined(separator: " | ")
                }
                .joined(separator: "\n")
            }
            return values.compactMap { if case .string(let text) = $0 { text } else { nil } }.joined(separator: ", ")
        default: return ""
        }
    }

    /// `2026-12-04T09:30:00+08:00` as `2026-12-04T08:30` in WIB: the instant, shown in `zone`.
    static func wallTime(_ text: String, zone: SiteTimeZone) -> String {
        guard let instant = RFC3339.date(text) else { return String(text.prefix(16)) }
        return String(RFC3339.string(instant.addingTimeInterval(Double(zone.offsetSeconds))).prefix(16))
    }

    /// `+07:00` for WIB.
    static func offsetText(_ zone: SiteTimeZone) -> String {
        let hours = Int(zone.offsetSeconds) / 3600
        return "+" + (hours < 10 ? "0" : "") + String(hours) + ":00"
    }

    /// The CMS's value for the form's text; nil leaves the field out (the CMS's default).
    func wireValue(_ text: String, zone: SiteTimeZone = .jakarta) -> JSONValue? {
        switch kind {
        case .checkbox: return .bool(text == "1")
        case .list: return .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 != .string("") })
        case .number:
            guard !text.isEmpty else { return nil }
            // Not a number: sent as text, so the CMS's 422 names the field.
            return Int(text).map { .number(Double($0)) } ?? .string(text)
        case .dateTime, .dayOrTime:
            guard !text.isEmpty else { return nil }
            // A wall time from `datetime-local` (YYYY-MM-DDTHH:MM) is the branch's local time.
            return .string(text.count == 16 ? text + ":00" + Self.offsetText(zone) : text)
        case .markdown, .lines: return .string(text)
        case .records(let keys):
            // At most 200 lines; a line with fewer parts sends empty ones, so the CMS's 422 names them.
            let records = text.split(whereSeparator: \.isNewline).prefix(200).compactMap { line -> JSONValue? in
                let parts = line.split(separator: "|", maxSplits: keys.count - 1, omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
                guard parts.contains(where: { !$0.isEmpty }) else { return nil }
                return .object(keys.enumerated().map { index, key in (key, .string(index < parts.count ? parts[index] : "")) })
            }
            return .array(records)
        case .image:
            guard !text.isEmpty else { return nil }
            // Without `|` the whole line is the address and the CMS uses the title as the alt text.
            let parts = text.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return .object([("src", .string(parts[0]))] + (parts.count > 1 && !parts[1].isEmpty ? [("alt", .string(parts[1]))] : []))
        case .text, .url: return text.isEmpty && !required ? nil : .string(text)
        }
    }
}
