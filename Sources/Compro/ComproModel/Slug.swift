/// URL path segments chosen by content authors.
///
/// A slug becomes a folder name under the published site, so it is the one piece of content that
/// could escape the output folder. Only `[a-z0-9]` words joined by single hyphens are accepted:
/// no dots, slashes, percent signs or uppercase, so `..`, `%2e%2e` and `a/b` are impossible.
public enum Slug {
    public static let maximumLength = 100

    /// Whether `slug` is a safe, canonical slug.
    public static func isValid(_ slug: String) -> Bool {
        guard !slug.isEmpty, slug.utf8.count <= maximumLength else { return false }
        var previousWasHyphen = true  // a leading hyphen is invalid
        for byte in slug.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousWasHyphen = false
            case UInt8(ascii: "-"):
                if previousWasHyphen { return false }
                previousWasHyphen = true
            default:
                return false
            }
        }
        return !previousWasHyphen
    }

    /// Why `slug` is refused, for error messages.
    public static func problem(with slug: String) -> String? {
        if isValid(slug) { return nil }
        if slug.isEmpty { return "slug is empty" }
        if slug.utf8.count > maximumLength { return "slug '\(slug)' is longer than \(maximumLength) characters" }
        return "slug '\(slug)' is not allowed: use lowercase letters a-z, digits and single hyphens (e.g. 'juara-umum-porprov')"
    }

    /// Turns free text (a tag, a title) into a slug: lowercase ASCII, accents dropped, every other
    /// run of characters becomes one hyphen. Returns nil when nothing usable is left.
    public static func make(from text: String) -> String? {
        var result = ""
        var pendingHyphen = false
        for scalar in text.decomposedStringWithCompatibilityMappingLowercased.unicodeScalars {
            let value = scalar.value
            let isLetterOrDigit = (0x61...0x7A).contains(value) || (0x30...0x39).contains(value)
            if isLetterOrDigit {
                if pendingHyphen && !result.isEmpty { result.append("-") }
                pendingHyphen = false
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.isDiacritic || scalar.properties.generalCategory == .nonspacingMark {
                continue
            } else {
                pendingHyphen = true
            }
        }
        if result.utf8.count > maximumLength {
            result = String(result.prefix(maximumLength))
            while result.hasSuffix("-") { result.removeLast() }
        }
        return result.isEmpty ? nil : result
    }
}

extension String {
    fileprivate var decomposedStringWithCompatibilityMappingLowercased: String {
        // Foundation-free NFKD: Unicode.Scalar.Properties exposes no decomposition, so fold the
        // handful of Latin letters with diacritics that occur in Indonesian names by hand.
        var out = ""
        for character in self.lowercased() {
            if let folded = latinFolding[character] {
                out.append(folded)
            } else {
                out.append(character)
            }
        }
        return out
    }
}

private let latinFolding: [Character: String] = [
    "à": "a", "á": "a", "â": "a", "ä": "a", "ã": "a", "å": "a", "è": "e", "é": "e", "ê": "e", "ë": "e",
    "ì": "i", "í": "i", "î": "i", "ï": "i", "ò": "o", "ó": "o", "ô": "o", "ö": "o", "õ": "o", "ù": "u",
    "ú": "u", "û": "u", "ü": "u", "ñ": "n", "ç": "c", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o",
]
