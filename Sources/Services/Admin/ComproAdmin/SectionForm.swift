import KoniJSON

/// The form of one section type of a page (the types of `Section`, with the JSON field names of
/// `SectionWire`). The CMS validates every value again; this describes only the form.
struct SectionForm: Sendable {
    var type: String
    var label: String
    var fields: [AdminField]

    static let all: [SectionForm] = [
        SectionForm(
            type: "hero", label: "Sampul besar",
            fields: [
                AdminField("title", "Judul", .text, required: true), AdminField("subtitle", "Subjudul", .text),
                AdminField("image", "Gambar (alamat)", .text, help: "Misalnya /images/hero.svg"), AdminField("image_alt", "Teks alternatif gambar", .text),
                AdminField("cta_label", "Tombol: tulisan", .text), AdminField("cta_url", "Tombol: alamat", .text),
            ]),
        SectionForm(type: "text", label: "Teks", fields: [AdminField("title", "Judul", .text), AdminField("body", "Isi (Markdown)", .markdown)]),
        SectionForm(
            type: "image", label: "Gambar",
            fields: [
                AdminField("src", "Gambar (alamat)", .text, required: true), AdminField("alt", "Teks alternatif", .text, required: true),
                AdminField("caption", "Keterangan", .text),
            ]),
        SectionForm(
            type: "gallery_strip", label: "Deretan foto galeri",
            fields: [
                AdminField("title", "Judul", .text), AdminField("gallery", "Galeri (slug)", .text, required: true), AdminField("limit", "Jumlah foto", .number),
            ]),
        SectionForm(
            type: "stats", label: "Angka-angka",
            fields: [
                AdminField("title", "Judul", .text),
                AdminField("items", "Angka", .records(["value", "label"]), help: "Satu per baris: angka | keterangan, misalnya 38 | Cabang olahraga"),
            ]),
        SectionForm(
            type: "cta", label: "Ajakan",
            fields: [
                AdminField("title", "Judul", .text, required: true), AdminField("text", "Teks", .text),
                AdminField("label", "Tombol: tulisan", .text, required: true),
                AdminField("url", "Tombol: alamat", .text, required: true),
            ]),
        SectionForm(
            type: "latest_news", label: "Berita terbaru",
            fields: [
                AdminField("title", "Judul", .text), AdminField("limit", "Jumlah berita", .number), AdminField("tag", "Hanya tag", .text),
            ]),
        SectionForm(
            type: "upcoming_events", label: "Agenda mendatang", fields: [AdminField("title", "Judul", .text), AdminField("limit", "Jumlah agenda", .number)]),
        SectionForm(
            type: "featured_athletes", label: "Atlet unggulan",
            fields: [
                AdminField("title", "Judul", .text), AdminField("limit", "Jumlah atlet", .number), AdminField("sport", "Hanya cabang olahraga", .text),
            ]),
        SectionForm(type: "contact", label: "Kontak", fields: [AdminField("title", "Judul", .text), AdminField("map", "Tampilkan peta", .checkbox)]),
        SectionForm(type: "body", label: "Isi halaman", fields: []),
    ]

    static func named(_ type: String) -> SectionForm? { all.first { $0.type == type } }

    /// The form of `section` (its `type`), or nil for a type the admin does not know.
    static func of(_ section: JSONValue) -> SectionForm? { section["type"]?.stringValue.flatMap(named) }

    /// An ``AdminKind`` for the shared item form: the section's fields, nothing to publish.
    var kind: AdminKind {
        AdminKind(
            collection: "pages", path: "halaman", noun: "bagian", titleField: fields.first?.name ?? "title", dateField: nil, fields: fields, publishable: false)
    }

    func values(_ section: JSONValue) -> [String: String] { kind.values(item: section) }

    /// The section's JSON from the form.
    func json(_ form: [String: String]) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [("type", .string(type))]
        for field in fields {
            let text = (form[field.name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if let value = field.wireValue(text) { pairs.append((field.name, value)) }
        }
        return .object(pairs)
    }
}
