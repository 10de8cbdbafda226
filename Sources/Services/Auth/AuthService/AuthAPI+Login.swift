import Foundation
import Hummingbird
import KoniPassword
import KoniServiceKit

/// Why a login did not succeed, as both the JSON API and the login page report it.
enum LoginFailure: Error, Sendable, Equatable {
    /// Wrong password, unknown account or disabled account: one answer for all three.
    case invalidCredentials
    case throttled(LoginThrottle.Refusal)
    case unavailable
}

extension AuthAPI {
    /// `email` in the form accounts are keyed by, or nil when it cannot be an address.
    static func emailKey(_ email: String) -> String? {
        let trimmed = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...254).contains(trimmed.utf8.count) else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return nil }
        guard trimmed.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" && $0 != "\"" }) else { return nil }
        return trimmed
    }

    /// Checks a password against an account, with the limits of ``LoginThrottle``. An unknown
    /// account runs a dummy verification so that it takes as long as a wrong password.
    func authenticate(email: String, password: String, address: String) async throws(LoginFailure) -> UserRecord {
        guard password.utf8.count <= PasswordPolicy.maximumBytes else { throw .invalidCredentials }
        let key = Self.emailKey(email) ?? "invalid:" + String(email.prefix(254))
        do {
            if let refusal = try await throttle.admit(emailKey: key, address: address) { throw LoginFailure.throttled(refusal) }
            let found = try await database.client.withConnection { try await users.credentials(emailKey: key, on: $0) }
            guard let (user, hash) = found else {
                await hasher.verifyDummy(password)
                try await throttle.recordFailure(emailKey: key)
                throw LoginFailure.invalidCredentials
            }
            guard try await hasher.verify(password, against: hash), user.status == "active" else {
                try await throttle.recordFailure(emailKey: key)
                throw LoginFailure.invalidCredentials
            }
            try await throttle.recordSuccess(emailKey: key)
            if hasher.needsRehash(hash) {
                let fresh = try await hasher.hash(password)
                try await database.client.withConnection { try await users.setPassword(userID: user.id, hash: fresh, on: $0) }
            }
            return user
        } catch let failure as LoginFailure {
            throw failure
        } catch {
            database.logger.error("login could not be checked", metadata: ["error": .string(String(reflecting: error))])
            throw .unavailable
        }
    }

    static func apiError(_ failure: LoginFailure) -> APIError {
        switch failure {
        case .invalidCredentials: APIError(.unauthorized, code: "invalid_credentials", message: "email atau kata sandi salah")
        case .throttled(let refusal): tooManyAttempts(refusal)
        case .unavailable: APIError(.serviceUnavailable, code: "unavailable", message: "login is unavailable; try again shortly")
        }
    }
}
