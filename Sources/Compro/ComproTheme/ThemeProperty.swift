import Foundation

/// The CSS custom properties a theme may set, and what kind of value each takes.
///
/// The list is closed on purpose: templates and `site.css` rely on exactly these names, and a
/// value is written into a stylesheet, so every value is checked against its kind (which also
/// keeps `;`, `}` and `url(` out of the CSS).
public struct ThemeProperty: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case color, font, length
    }

    public var name: String
    public var kind: Kind
    public var summary: String

    public static let all: [ThemeProperty] = [
        .init(name: "color-primary", kind: .color, summary: "brand colour: header, buttons, headings accents"),
        .init(name: "color-secondary", kind: .color, summary: "second brand colour: footer, stats band"),
        .init(name: "color-accent", kind: .color, summary: "highlights: tags, badges, focus ring"),
        .init(name: "color-background", kind: .color, summary: "page background"),
        .init(name: "color-surface", kind: .color, summary: "cards and panels"),
        .init(name: "color-text", kind: .color, summary: "body text"),
        .init(name: "color-muted", kind: .color, summary: "secondary text: dates, captions"),
        .init(name: "color-on-primary", kind: .color, summary: "text on the primary colour"),
        .init(name: "color-on-secondary", kind: .color, summary: "text on the secondary colour"),
        .init(name: "color-border", kind: .color, summary: "lines and card borders"),
        .init(name: "color-link", kind: .color, summary: "links in text"),
        .init(name: "font-heading", kind: .font, summary: "font stack of headings"),
        .init(name: "font-body", kind: .font, summary: "font stack of body text"),
        .init(name: "radius", kind: .length, summary: "corner radius of cards and buttons"),
        .init(name: "content-width", kind: .length, summary: "maximum width of the content column"),
    ]

    public static let byName: [String: ThemeProperty] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// Text/background pairs that must reach WCAG AA (4.5:1) contrast.
    public static let contrastPairs: [(text: String, background: String)] = [
        ("color-text", "color-background"),
        ("color-text", "color-surface"),
        ("color-muted", "color-background"),
        ("color-muted", "color-surface"),
        ("color-on-primary", "color-primary"),
        ("color-on-secondary", "color-secondary"),
        ("color-link", "color-background"),
    ]

    /// Why `value` is not valid for this property, or nil when it is.
    public func problem(with value: String) -> String? {
        switch kind {
        case .color:
            return RGBColor(hex: value) == nil ? "'\(value)' is not a colour; write #rrggbb or #rgb" : nil
        case .font:
            return Self.isFontStack(value) ? nil : "'\(value)' is not a font stack; write names separated by commas, e.g. \"Poppins\", system-ui, sans-serif"
        case .length:
            return Self.isLength(value) ? nil : "'\(value)' is not a length; write a number with px, rem, em, ch, vw or %"
        }
    }

    static func isFontStack(_ value: String) -> Bool {
        let families = value.split(separator: ",", omittingEmptySubsequences: false)
        guard !families.isEmpty, value.utf8.count <= 300 else { return false }
        return families.allSatisfy { raw in
            let family = raw.trimmingCharacters(in: .whitespaces)
            if family.count >= 2, let quote = family.first, quote == "\"" || quote == "'", family.last == quote {
                let inner = family.dropFirst().dropLast()
                return !inner.isEmpty && inner.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
            }
            return !family.isEmpty && family.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == " " || $0 == "-" }
        }
    }

    static func isLength(_ value: String) -> Bool {
        if value == "0" { return true }
        for unit in ["rem", "px", "em", "ch", "vw", "%"] where value.hasSuffix(unit) {
            let number = value.dropLast(unit.count)
            guard let parsed = Double(number), parsed >= 0, parsed < 10_000, !number.contains("e") else { return false }
            return true
        }
        return false
    }
}
