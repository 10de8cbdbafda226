/// Why hashing or verifying a password failed.
///
/// A wrong password is not an error: `verify` returns `false` for it. Errors are
/// for input that must never reach libargon2 (`tooLong`, a forged or damaged stored
/// hash) and for failures of the hashing machinery itself.
package struct PasswordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The category of failure, with the details that are safe to log
    /// (never the password and never the stored hash itself).
    package enum Kind: Sendable, Equatable {
        /// The password is longer than ``PasswordHasher/maximumPasswordBytes`` UTF-8 bytes.
        /// Refused before hashing so that huge inputs cannot be used to burn CPU.
        case tooLong(maximumBytes: Int)
        /// The stored hash is not a PHC string this module produces or accepts.
        case malformedHash(reason: String)
        /// A cost or length parameter (`m`, `t`, `p`, `salt`, `hash`) lies outside
        /// the accepted range, either in a stored hash or in the configured ``PasswordHasher/Parameters``.
        case parametersOutOfRange(name: String)
        /// libargon2 returned an error code other than a plain mismatch.
        case library(code: Int32, message: String)
        /// The task was cancelled before hashing started.
        case cancelled
        /// The blocking thread pool has been shut down, so there is nowhere to hash.
        case threadPoolUnavailable
    }

    /// The category of failure.
    package let kind: Kind

    /// Creates an error of the given kind.
    package init(_ kind: Kind) {
        self.kind = kind
    }

    package var description: String {
        switch kind {
        case .tooLong(let maximumBytes):
            "PasswordError: password longer than \(maximumBytes) bytes"
        case .malformedHash(let reason):
            "PasswordError: malformed stored hash (\(reason))"
        case .parametersOutOfRange(let name):
            "PasswordError: parameter '\(name)' out of range"
        case .library(let code, let message):
            "PasswordError: libargon2 error \(code): \(message)"
        case .cancelled:
            "PasswordError: cancelled before hashing started"
        case .threadPoolUnavailable:
            "PasswordError: blocking thread pool is not running"
        }
    }

    static let tooLong = PasswordError(.tooLong(maximumBytes: PasswordHasher.maximumPasswordBytes))

    static func malformed(_ reason: String) -> PasswordError {
        PasswordError(.malformedHash(reason: reason))
    }

    static func outOfRange(_ name: String) -> PasswordError {
        PasswordError(.parametersOutOfRange(name: name))
    }
}
