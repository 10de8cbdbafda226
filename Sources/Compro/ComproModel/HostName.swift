/// DNS host names as they appear in `tenant.yml`, Nginx's `server_name` and certificates.
public enum HostName {
    /// Whether `text` is a lowercase host name of at least two labels (`jatim.koni.id`): labels
    /// of `a-z`, `0-9` and inner hyphens, at most 63 bytes each and 253 in all. No wildcards,
    /// no trailing dot, no IP addresses written as names, nothing Nginx would read as syntax.
    public static func isValid(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, text.utf8.count <= 253 else { return false }
        let allLabelsValid = labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        }
        // The last label of a real name is never all digits (that would be an IPv4 address).
        return allLabelsValid && !(labels.last?.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } ?? true)
    }

    /// Why `text` is refused, for error messages.
    public static func problem(with text: String) -> String? {
        if isValid(text) { return nil }
        if text.isEmpty { return "host name is empty" }
        if text != text.lowercased() { return "'\(text)' must be written in lowercase (\(text.lowercased()))" }
        return "'\(text)' is not a host name like jatim.koni.id (letters a-z, digits, inner hyphens, labels joined by dots)"
    }
}
