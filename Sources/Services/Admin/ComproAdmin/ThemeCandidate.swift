import ComproModel
import ComproTheme
import KoniJSON

/// A theme as the editor holds it: a preset and the properties the admin set (an empty field
/// means "the preset's value"). Values come from a form or a query: each is checked against its
/// property's kind before it reaches a stylesheet, and every message is in Indonesian.
struct ThemeCandidate: Sendable, Equatable {
    var preset: String
    /// Property name → value, only for properties the admin set.
    var values: [String: String]

    static let maximumValueLength = 300

    /// The properties in the editor's order, with their Indonesian labels.
    static let labels: [String: String] = [
        "color-primary": "Warna utama", "color-secondary": "Warna kedua", "color-accent": "Warna aksen",
        "color-background": "Latar halaman", "color-surface": "Latar kartu", "color-text": "Teks",
        "color-muted": "Teks sekunder (tanggal, keterangan)", "color-on-primary": "Teks di atas warna utama",
        "color-on-secondary": "Teks di atas warna kedua", "color-border": "Garis", "color-link": "Tautan",
        "font-heading": "Huruf judul", "font-body": "Huruf isi", "radius": "Sudut membulat", "content-width": "Lebar kolom isi",
    ]

    /// From the CMS's theme document (`{"preset", "overrides": {…}}`).
    init(document: JSONValue) {
        preset = document["preset"]?.stringValue ?? ThemeSelection.defaultPreset
        values = [:]
        if case .object(let pairs)? = document["overrides"] {
            for (name, value) in pairs where ThemeProperty.byName[name] != nil {
                if case .string(let text) = value { values[name] = text }
            }
        }
    }

    /// From form fields or query parameters named `preset` and by property; unknown names are ignored.
    init(fields: (String) -> String?) {
        preset = String((fields("preset") ?? ThemeSelection.defaultPreset).prefix(64))
        values = [:]
        for property in ThemeProperty.all {
            let value = String((fields(property.name) ?? "").prefix(Self.maximumValueLength + 1)).trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[property.name] = value }
        }
    }

    /// Field name → Indonesian reason, for every value that is not valid; empty when all are.
    func problems(presets: [String]) -> [String: String] {
        var problems: [String: String] = [:]
        if !presets.contains(preset) { problems["preset"] = "Pilih salah satu tema dasar yang tersedia." }
        for (name, value) in values {
            guard let property = ThemeProperty.byName[name] else { continue }
            if value.count > Self.maximumValueLength || property.problem(with: value) != nil {
                problems[name] =
                    switch property.kind {
                    case .color: "Tulis warna sebagai #rrggbb, misalnya #c8102e."
                    case .font: "Tulis nama huruf dipisah koma, misalnya \"Poppins\", system-ui, sans-serif."
                    case .length: "Tulis angka dengan satuan px, rem, em, ch, vw atau %, misalnya 0.5rem."
                    }
            }
        }
        return problems
    }

    /// The selection the CMS stores: only values that differ from the preset's are overrides.
    func selection(base: Theme) -> ThemeSelection {
        let overrides = ThemeProperty.all.compactMap { property -> ThemeSelection.Override? in
            guard let value = values[property.name], value.lowercased() != base.values[property.name]?.lowercased() else { return nil }
            return ThemeSelection.Override(property: property.name, value: value, location: SourceLocation(file: "overrides.\(property.name)"))
        }
        return ThemeSelection(preset: preset, overrides: overrides)
    }

    /// The CMS's theme document.
    func document(base: Theme) -> JSONValue {
        let selection = selection(base: base)
        return .object([("preset", .string(selection.preset)), ("overrides", .object(selection.overrides.map { ($0.property, .string($0.value)) }))])
    }

    /// The query of the preview and the candidate stylesheet (`preset=…&color-primary=…`).
    var query: String {
        (["preset=" + AdminAPI.queryEncoded(preset)]
            + ThemeProperty.all.compactMap { property in
                values[property.name].map { "\(property.name)=\(AdminAPI.queryEncoded($0))" }
            }).joined(separator: "&")
    }
}
