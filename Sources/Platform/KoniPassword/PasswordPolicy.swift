/// The minimum rules a new password must satisfy, with messages in Indonesian
/// for showing to the user. Applied when a password is set, not when it is checked at login.
package enum PasswordPolicy {
    /// Minimum length in characters (grapheme clusters, as a user counts them).
    package static let minimumCharacters = 10

    /// Maximum length in UTF-8 bytes; the same limit ``PasswordHasher`` enforces.
    package static let maximumBytes = PasswordHasher.maximumPasswordBytes

    /// Passwords at the top of public breach lists that are long enough to pass
    /// the length rule, plus the obvious local ones. Compared case-insensitively.
    /// Deliberately tiny: a real breach-list check is a separate concern.
    static let common: Set<String> = [
        "password123", "password1234", "passw0rd123", "password12345",
        "1234567890", "12345678910", "0123456789", "123456789a", "1234567890a",
        "qwertyuiop", "qwerty12345", "qwerty123456", "1q2w3e4r5t", "1qaz2wsx3edc",
        "abcdefghij", "abc1234567", "iloveyou123", "admin12345", "administrator",
        "koni12345678", "koni123456", "koni1234567", "indonesia123", "bismillah123",
        "katasandi123",
    ]

    /// Checks a proposed new password.
    /// - Returns: `nil` if acceptable, otherwise a message in Indonesian saying why not.
    package static func check(_ password: String) -> String? {
        if password.utf8.count > maximumBytes {
            return "Kata sandi terlalu panjang (maksimal \(maximumBytes) byte)."
        }
        if password.count < minimumCharacters {
            return "Kata sandi minimal \(minimumCharacters) karakter."
        }
        if let first = password.first, password.allSatisfy({ $0 == first }) {
            return "Kata sandi tidak boleh hanya berisi satu karakter yang diulang."
        }
        if common.contains(password.lowercased()) {
            return "Kata sandi ini terlalu umum dan mudah ditebak. Gunakan kata sandi lain."
        }
        return nil
    }
}
