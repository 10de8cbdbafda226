import Foundation

/// A branch's full name (`KONI Kabupaten Malang`), as `koni-compro tenant new` and the Tenant
/// service accept it. Names are written into YAML and Markdown, so only letters (any script),
/// digits, spaces and `. , ' ‘ ’ ( ) & / -` are accepted.
public enum BranchName {
    public static let maximumLength = 100

    /// Why `name` is refused, or nil.
    public static func problem(with name: String) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "the name is empty; write the branch's full name, e.g. \"KONI Kabupaten Malang\"" }
        if trimmed != name { return "the name starts or ends with spaces" }
        if name.count > maximumLength { return "the name is longer than \(maximumLength) characters" }
        let allowedPunctuation: Set<Character> = [" ", ".", ",", "'", "‘", "’", "(", ")", "&", "/", "-"]
        if let bad = name.first(where: { !($0.isLetter || $0.isNumber || allowedPunctuation.contains($0)) }) {
            let shown = bad.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } ? "a control character" : "'\(bad)'"
            return "the name contains \(shown); use letters, digits, spaces and . , ' ( ) & / -"
        }
        return nil
    }
}
