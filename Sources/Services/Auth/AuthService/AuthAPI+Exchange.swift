import ComproModel
import Crypto
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension AuthAPI {
    /// PKCE (RFC 7636): a verifier is 43 to 128 unreserved characters.
    static func isValidVerifier(_ verifier: String) -> Bool {
        (43...128).contains(verifier.utf8.count)
            && verifier.utf8.allSatisfy { byte in
                byte.isASCIILetterOrDigit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
            }
    }

    /// A S256 challenge is the 43-character base64url SHA-256 of a verifier.
    static func isValidChallenge(_ challenge: String) -> Bool {
        challenge.utf8.count == 43 && challenge.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    static func challenge(of verifier: String) -> String { Base64URL.encode(SHA256.hash(data: Array(verifier.utf8))) }

    /// `POST /exchange` {code, code_verifier, redirect_uri}: a branch's server trades the one-time
    /// code for a token scoped to that branch and a refresh token (kept on that server).
    ///
    /// Every refusal is the same `invalid_grant` (RFC 6749 §5.2) with a reason for the branch's
    /// logs. The code is taken before anything is checked, so a wrong verifier also burns it; a
    /// code presented again after a successful exchange revokes the refresh-token family that
    /// exchange issued (RFC 9700 §4.2.4).
    func exchange(_ request: Request, _ context: KoniRequestContext) async throws -> Response {
        let fields = try await body(request, known: ["code", "code_verifier", "redirect_uri", "grant_type"])
        let (code, verifier, redirectURI) = try APIError.validating { () throws(FieldError) in
            if let grantType = try fields.string("grant_type"), grantType != "authorization_code" {
                throw fields.error("grant_type", "only authorization_code is supported")
            }
            return (try fields.requiredString("code"), try fields.requiredString("code_verifier"), try fields.requiredString("redirect_uri"))
        }
        func refuse(_ reason: String) -> APIError {
            context.logger.notice("code exchange refused", metadata: ["reason": .string(reason)])
            return APIError(.badRequest, code: "invalid_grant", message: reason)
        }
        guard let codeGrant = try await sso.takeCode(code) else {
            if let family = try await sso.redeemedFamily(code) {
                try await write { try await refreshTokens.revokeFamily(family, reason: "code replay", on: $0) }
                throw refuse("the code was already used; what it issued is revoked")
            }
            throw refuse("the code is unknown or expired")
        }
        guard codeGrant.redirectURI == redirectURI else { throw refuse("redirect_uri differs from the one the code was issued for") }
        guard Self.isValidVerifier(verifier),
            ComproModel.Digest.constantTimeEqual(Array(Self.challenge(of: verifier).utf8), Array(codeGrant.codeChallenge.utf8))
        else {
            throw refuse("code_verifier does not match the code_challenge")
        }
        guard let branch = branches.current.branch(id: codeGrant.tenantID), branches.current.branch(redirectURI: redirectURI) == branch else {
            throw refuse("the branch is no longer registered for this redirect_uri")
        }
        // Remembered before the tokens exist, so that a replay racing this exchange still finds the family.
        let family = UUID()
        try await sso.markRedeemed(code, family: family)
        let issued = try await write { connection -> (UserRecord, String, String)? in
            guard let user = try await users.user(id: codeGrant.userID, on: connection), user.status == "active" else { return nil }
            let token = try await issuer.sign(try await grant(for: user, tenant: branch.id, on: connection))
            let refresh = try await refreshTokens.issue(
                .init(userID: user.id, familyID: family, tenantID: branch.id, tenantSlug: branch.slug), on: connection
            )
            return (user, token, refresh)
        }
        guard let (user, access, refresh) = issued else { throw refuse("the account is not active") }
        var response = Response.json(
            tokenBody(
                access: access, refresh: refresh,
                extra: [
                    ("tenant", .object([("id", .string(branch.id.uuidString.lowercased())), ("slug", .string(branch.slug))])),
                    ("user", Self.userJSON(user)),
                ]))
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
