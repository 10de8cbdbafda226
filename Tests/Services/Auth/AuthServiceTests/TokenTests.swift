import AuthService
import ComproModel
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniTestSupport
import Logging
import NIOCore
import Synchronization
import Testing
import _CryptoExtras

/// Keys, JWKS and what a verifier in another service accepts.
@Suite struct TokenTests {
    static let logger = Logger(label: "token-tests")
    static let expectations = JWTVerifier.Expectations()

    static func verifier(for issuer: TokenIssuer) throws -> JWTVerifier {
        let keySet = JWKSKeySet(logger: logger) { issuer.jwks }
        return try JWTVerifier(keySet: keySet, expectations: expectations)
    }

    static func grant(tenant: UUID? = nil) -> TokenIssuer.Grant {
        TokenIssuer.Grant(userID: UUID(), email: "a@koni.id", roles: ["admin-cabang"], permissions: ["cms:write:own"], tenantID: tenant)
    }

    @Test func keyRotationKeepsOldTokensValidThroughTheOverlapAndNotAfter() async throws {
        let keys = TemporaryFolders.make("rotation")
        var ring = try SigningKeyRing.generate(directory: keys)
        let issuer = try await TokenIssuer(keysDirectory: keys, issuer: Self.expectations.issuer, audience: Self.expectations.audience, logger: Self.logger)
        let old = try await issuer.sign(Self.grant())
        let oldKID = try #require(header(of: old)["kid"]?.string)
        #expect(oldKID == ring.signingKID)

        try ring.rotate(overlap: .seconds(3600))
        await issuer.reload()
        let new = try await issuer.sign(Self.grant())
        #expect(header(of: new)["kid"]?.string == ring.signingKID)
        #expect(header(of: new)["kid"]?.string != oldKID)
        #expect(issuer.publishedKeyIDs == [ring.signingKID, oldKID])
        let verifier = try Self.verifier(for: issuer)
        #expect(try (await verifier.verify(old)).get().roles == ["admin-cabang"])
        #expect(try (await verifier.verify(new)).get().permissions == ["cms:write:own"])

        // After the overlap the old key is pruned; a verifier that fetches the set refuses its tokens.
        #expect(throws: KeyRingError.self) { try ring.rotate(overlap: .seconds(60)) }
        #expect(try ring.prune(now: Date().addingTimeInterval(3601)) == [oldKID])
        await issuer.reload()
        #expect(issuer.publishedKeyIDs == [ring.signingKID])
        #expect(try await Self.verifier(for: issuer).verify(old) == Result<Identity, TokenError>.failure(.unknownKey(oldKID)))
        #expect(try (await Self.verifier(for: issuer).verify(new)).get().email == "a@koni.id")
    }

    @Test func onlyRS256WithAPublishedKeyIsAccepted() async throws {
        let keys = TemporaryFolders.make("alg")
        let ring = try SigningKeyRing.generate(directory: keys)
        let issuer = try await TokenIssuer(keysDirectory: keys, issuer: Self.expectations.issuer, audience: Self.expectations.audience, logger: Self.logger)
        let verifier = try Self.verifier(for: issuer)
        let genuine = try await issuer.sign(Self.grant())
        let parts = genuine.split(separator: ".").map(String.init)
        let payload = parts[1]

        func forged(_ header: JSONValue, signature: (String) -> String) -> String {
            let input = Base64URL.encode(header.jsonBytes) + "." + payload
            return input + "." + signature(input)
        }
        // alg confusion: HS256 "signed" with the published public key as the HMAC secret.
        let publicPEM = try ring.privateKey(ring.signingKID).publicKey.pemRepresentation
        let hs256 = forged(.object([("alg", .string("HS256")), ("kid", .string(ring.signingKID))])) { input in
            Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(publicPEM.utf8))))
        }
        #expect(await verifier.verify(hs256) == Result<Identity, TokenError>.failure(.algorithmRefused("\"HS256\"")))
        let none = forged(.object([("alg", .string("none")), ("kid", .string(ring.signingKID))])) { _ in "" }
        #expect(await verifier.verify(none) == Result<Identity, TokenError>.failure(.algorithmRefused("\"none\"")))
        // RS256 by a key that is not published, naming the published kid.
        let stranger = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let impostor = forged(.object([("alg", .string("RS256")), ("kid", .string(ring.signingKID))])) { input in
            Base64URL.encode((try? stranger.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5).rawRepresentation) ?? Data())
        }
        guard case .failure(.invalid) = await verifier.verify(impostor) else { Issue.record("an unpublished key's signature was accepted"); return }
        // No kid at all.
        let noKID = forged(.object([("alg", .string("RS256"))])) { _ in parts[2] }
        guard case .failure(.malformed) = await verifier.verify(noKID) else { Issue.record("a token without kid was accepted"); return }
        #expect(try (await verifier.verify(genuine)).get().roles == ["admin-cabang"])
    }

    @Test func forgedKidsCostNoFetchesInsideTheInterval() async throws {
        let fetches = Counter()
        let keys = TemporaryFolders.make("forged-kids")
        _ = try SigningKeyRing.generate(directory: keys)
        let issuer = try await TokenIssuer(keysDirectory: keys, issuer: Self.expectations.issuer, audience: Self.expectations.audience, logger: Self.logger)
        var settings = JWKSKeySet.Settings()
        settings.minimumRefreshInterval = .seconds(120)
        let keySet = JWKSKeySet(settings: settings, logger: Self.logger) {
            fetches.increment()
            return issuer.jwks
        }
        let verifier = try JWTVerifier(keySet: keySet, expectations: Self.expectations)
        let token = try await issuer.sign(Self.grant())
        for _ in 0..<3 { _ = try (await verifier.verify(token)).get() }
        #expect(fetches.value == 1, "a known kid is served from the cache")
        let unknown =
            Base64URL.encode(JSONValue.object([("alg", .string("RS256")), ("kid", .string("made-up"))]).jsonBytes) + "." + token.split(separator: ".")[1] + ".x"
        for _ in 0..<50 { #expect(await verifier.verify(unknown) == Result<Identity, TokenError>.failure(.unknownKey("made-up"))) }
        #expect(fetches.value == 1, "50 forged kids inside the minimum interval cost no fetch")
    }

    @Test func aRotatedKeyIsFetchedWhenItsFirstTokenArrives() async throws {
        let fetches = Counter()
        let keys = TemporaryFolders.make("refetch")
        var ring = try SigningKeyRing.generate(directory: keys)
        let issuer = try await TokenIssuer(keysDirectory: keys, issuer: Self.expectations.issuer, audience: Self.expectations.audience, logger: Self.logger)
        var settings = JWKSKeySet.Settings()
        settings.minimumRefreshInterval = .zero
        let keySet = JWKSKeySet(settings: settings, logger: Self.logger) {
            fetches.increment()
            return issuer.jwks
        }
        let verifier = try JWTVerifier(keySet: keySet, expectations: Self.expectations)
        _ = try (await verifier.verify(try await issuer.sign(Self.grant()))).get()
        #expect(fetches.value == 1)
        try ring.rotate(overlap: .seconds(3600))
        await issuer.reload()
        let rotated = try await issuer.sign(Self.grant())
        #expect(try (await verifier.verify(rotated)).get().email == "a@koni.id")
        #expect(fetches.value == 2, "the new kid was unknown, so the set was fetched again")
    }

    /// The key set read from its URL, as every service but Auth reads it: a JWKS endpoint whose
    /// answer stalls after its head is given up within the attempts' limits, and the keys
    /// already known keep verifying tokens meanwhile.
    @Test func aKeySetURLThatStallsCannotHoldTheVerifiers() async throws {
        let keys = TemporaryFolders.make("jwks-url")
        _ = try SigningKeyRing.generate(directory: keys)
        let issuer = try await TokenIssuer(keysDirectory: keys, issuer: Self.expectations.issuer, audience: Self.expectations.audience, logger: Self.logger)
        let stalls = Atomic<Bool>(false)
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ -> Response in
            guard stalls.load(ordering: .relaxed) else {
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: issuer.jwks)))
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{"))
                    // The server's shutdown waits for this handler: long enough to tell, no longer.
                    try await Task.sleep(for: .seconds(15))
                    try await writer.finish(nil)
                })
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var settings = JWKSKeySet.Settings()
            settings.minimumRefreshInterval = .zero
            settings.timeout = .seconds(2)
            let keySet = try JWKSKeySet(url: "http://127.0.0.1:\(port)/.well-known/jwks.json", settings: settings, logger: Self.logger)
            let verifier = try JWTVerifier(keySet: keySet, expectations: Self.expectations)
            let token = try await issuer.sign(Self.grant())
            #expect(try (await verifier.verify(token)).get().email == "a@koni.id")

            stalls.store(true, ordering: .relaxed)
            let start = ContinuousClock.now
            await keySet.refresh()
            let waited = ContinuousClock.now - start
            // Two attempts of 2 s and a backoff; without a bound on the body, the 15 s of the stall.
            #expect(waited >= .milliseconds(3900) && waited < .seconds(12), "the refresh waited \(waited)")
            print("JWKS refresh against a stalled body gave up after \(waited)")
            #expect(try (await verifier.verify(token)).get().email == "a@koni.id")
        }
        #expect(throws: ConfigurationError.self) { try JWKSKeySet(url: "ftp://auth.internal/jwks.json", logger: Self.logger) }
        #expect(throws: ConfigurationError.self) { try JWKSKeySet(url: "http://user@auth.internal/jwks.json", logger: Self.logger) }
        #expect(throws: ConfigurationError.self) { try JWKSKeySet(url: "http://:secret@auth.internal/jwks.json", logger: Self.logger) }
    }

    @Test func hostileKeySetsAreRefusedNamingTheField() throws {
        let cases: [(String, String)] = [
            ("not json", "jwks"),
            (#"{"keys":[{"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB"}]}"#, "n"),
            (#"{"keys":[{"kty":"RSA","kid":"","n":"AQAB","e":"AQAB"}]}"#, "kid"),
            (#"{"keys":"x"}"#, "keys"),
            (String(repeating: " ", count: 70_000) + "{}", "jwks"),
        ]
        for (text, field) in cases {
            #expect(throws: FieldError.self, "\(text.prefix(40))") { try JWKSDocument.parse(Array(text.utf8)) }
            do { _ = try JWKSDocument.parse(Array(text.utf8)) } catch { #expect(error.field.hasSuffix(field), "\(error)") }
        }
        let many = "{\"keys\":[" + Array(repeating: #"{"kty":"EC"}"#, count: 40).joined(separator: ",") + "]}"
        #expect(throws: FieldError.self) { try JWKSDocument.parse(Array(many.utf8)) }
        // Keys that are not RSA signature keys for RS256 are skipped, not trusted.
        let skipped = try JWKSDocument.parse(Array(#"{"keys":[{"kty":"EC","kid":"e"},{"kty":"RSA","use":"enc","kid":"x","n":"AQAB","e":"AQAB"}]}"#.utf8))
        #expect(skipped.keys.isEmpty)
    }

    @Test func aDamagedKeyFolderIsAnErrorNamingTheFile() throws {
        let keys = TemporaryFolders.make("damaged")
        #expect(throws: KeyRingError.self) { try SigningKeyRing.load(directory: keys) }
        _ = FileManager.default.createFile(atPath: keys + "/keyring.json", contents: Data(#"{"signing":"../etc/passwd","keys":[]}"#.utf8))
        do { _ = try SigningKeyRing.load(directory: keys); Issue.record("loaded") } catch { #expect(error.description.contains("keyring.json")) }
        _ = FileManager.default.createFile(
            atPath: keys + "/keyring.json", contents: Data(#"{"signing":"a","keys":[{"kid":"../x","created_at":"2026-12-04T00:00:00Z"}]}"#.utf8))
        do { _ = try SigningKeyRing.load(directory: keys); Issue.record("loaded") } catch { #expect(error.description.contains("kid")) }
    }
}

/// A counter shared with a sendable closure.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
