import ComproModel
import Foundation

/// A theme with every property set: a preset with a tenant's overrides applied.
public struct Theme: Sendable, Hashable {
    /// Preset name (`merah-putih`) or the file a candidate theme came from.
    public var name: String
    public var displayName: String
    public var description: String
    /// Values by property name, one for each of ``ThemeProperty/all``.
    public var values: [String: String]

    public init(name: String, displayName: String, description: String, values: [String: String]) {
        self.name = name
        self.displayName = displayName
        self.description = description
        self.values = values
    }

    /// The theme as a stylesheet of custom properties on `:root`, in the fixed property order.
    public var css: String {
        var css = "/* Theme: \(displayName.replacingOccurrences(of: "*/", with: "")) */\n:root {\n"
        for property in ThemeProperty.all {
            if let value = values[property.name] {
                css += "  --\(property.name): \(value);\n"
            }
        }
        let dark = values["color-background"].flatMap(RGBColor.init(hex:)).map { $0.luminance < 0.2 } ?? false
        css += "  color-scheme: \(dark ? "dark" : "light");\n}\n"
        return css
    }

    /// Applies `overrides`, checking each name and value.
    public func applying(_ overrides: [ThemeSelection.Override], file: String) throws(ContentErrors) -> Theme {
        var result = self
        var collector = ErrorCollector()
        for override in overrides {
            let location = override.location ?? SourceLocation(file: file)
            guard let property = ThemeProperty.byName[override.property] else {
                collector.add(
                    ContentError(location, "unknown theme property '\(override.property)'; known: \(ThemeProperty.all.map(\.name).joined(separator: ", "))"))
                continue
            }
            if let problem = property.problem(with: override.value) {
                collector.add(ContentError(location, "theme property '\(override.property)': \(problem)"))
                continue
            }
            result.values[property.name] = override.value
        }
        try collector.throwIfAny()
        return result
    }

    /// Pairs below WCAG AA contrast, for warnings.
    public var contrastProblems: [ContrastReport] {
        contrastReports.filter { !$0.passesAA }
    }

    /// The contrast of every checked text/background pair.
    public var contrastReports: [ContrastReport] {
        ThemeProperty.contrastPairs.compactMap { pair in
            guard let text = values[pair.text].flatMap(RGBColor.init(hex:)),
                let background = values[pair.background].flatMap(RGBColor.init(hex:))
            else { return nil }
            return ContrastReport(text: pair.text, background: pair.background, ratio: RGBColor.contrast(text, background))
        }
    }
}

/// The contrast of one text/background pair.
public struct ContrastReport: Sendable, Hashable, CustomStringConvertible {
    public static let minimumAA = 4.5

    public var text: String
    public var background: String
    public var ratio: Double

    public var passesAA: Bool { ratio >= Self.minimumAA }

    public var description: String {
        let rounded = (ratio * 100).rounded() / 100
        return "\(text) on \(background): \(rounded):1 \(passesAA ? "(AA ok)" : "(below WCAG AA \(Self.minimumAA):1)")"
    }
}
