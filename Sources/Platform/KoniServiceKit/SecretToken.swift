import Crypto

/// Secrets a service hands out (codes, sessions, refresh tokens) and the form they are stored
/// in: only a digest, so that reading the store (a Redis dump, a database backup) gives out none.
public enum SecretToken {
    /// `bytes` random bytes from the system's CSPRNG, base64url without padding.
    public static func random(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Base64URL.encode((0..<max(1, min(bytes, 1024))).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The base64url SHA-256 of `text`: what is stored in place of a secret.
    public static func digest(_ text: String) -> String {
        Base64URL.encode(SHA256.hash(data: Array(text.utf8)))
    }
}
