import ComproBuild
import ComproPublish
import ComproRevalidate
import ComproServe
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import Prometheus
import Testing

@Suite struct WebhookVerifierTests {
    let verifier = WebhookVerifier(secret: "rahasia")
    let body = Array(#"{"tenant":"uji","paths":["/"]}"#.utf8)

    @Test func acceptsAFreshSignatureOnce() throws {
        let header = verifier.sign(body: body, timestamp: 1_000)
        let parsed = try verifier.checkHeader(header, now: 1_100)
        try verifier.verify(parsed, body: body, now: 1_100)
        #expect(throws: WebhookVerifier.Failure.replayed) { try verifier.verify(parsed, body: body, now: 1_101) }
    }

    @Test func refusesStaleFutureMissingMalformedAndForged() throws {
        let header = verifier.sign(body: body, timestamp: 1_000)
        #expect(throws: WebhookVerifier.Failure.stale) { try verifier.checkHeader(header, now: 1_301) }
        #expect(throws: WebhookVerifier.Failure.stale) { try verifier.checkHeader(header, now: 699) }
        #expect(throws: WebhookVerifier.Failure.missing) { try verifier.checkHeader(nil, now: 1_000) }
        for bad in ["t=abc,v1=00", "v1=" + String(repeating: "0", count: 64), "t=1000", "t=1000,v1=zz", "garbage"] {
            #expect(throws: WebhookVerifier.Failure.malformed) { try verifier.checkHeader(bad, now: 1_000) }
        }
        let forged = WebhookVerifier(secret: "salah").sign(body: body, timestamp: 1_000)
        let parsed = try verifier.checkHeader(forged, now: 1_000)
        #expect(throws: WebhookVerifier.Failure.mismatch) { try verifier.verify(parsed, body: body, now: 1_000) }
        let tampered = try verifier.checkHeader(header, now: 1_000)
        #expect(throws: WebhookVerifier.Failure.mismatch) { try verifier.verify(tampered, body: body + [0x20], now: 1_000) }
    }
}

@Suite struct RevalidationRequestTests {
    @Test func parsesTheDocumentedBody() throws {
        let request = try RevalidationRequest.parse(Array(#"{"tenant":"jatim","changes":[{"entity":"news","slug":"juara","action":"updated"}],"paths":["/profil/"]}"#.utf8))
        #expect(request.tenant == "jatim")
        #expect(request.changes == [ContentChange(entity: .news, slug: "juara", action: "updated")])
        #expect(request.paths == ["/profil/"])
    }

    @Test(arguments: [
        ("{", "body"), (#"[1]"#, "body"), (#"{"changes":[]}"#, "tenant"), (#"{"tenant":"../x","paths":["/"]}"#, "tenant"),
        (#"{"tenant":"a","changes":[{"entity":"virus"}]}"#, "changes[0].entity"),
        (#"{"tenant":"a","changes":[{"entity":"news","slug":"../../etc"}]}"#, "changes[0].slug"),
        (#"{"tenant":"a","changes":[{"entity":"news","action":"burned"}]}"#, "changes[0].action"),
        (#"{"tenant":"a","paths":["/../etc/"]}"#, "paths[0]"), (#"{"tenant":"a","paths":["relative"]}"#, "paths[0]"),
        (#"{"tenant":"a"}"#, "changes"), (#"{"tenant":"a","paths":["/"],"extra":1}"#, "extra"),
    ])
    func refusesBadBodiesNamingTheField(_ body: String, _ field: String) {
        do {
            _ = try RevalidationRequest.parse(Array(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.field == field, "\(body): \(error)")
        }
    }
}

@Suite struct WebhookEndpointTests {
    func withDaemon(_ body: @Sendable (any TestClientProtocol, String, WebhookVerifier) async throws -> Void) async throws {
        let tenants = try TestSite.copyOfFixture()
        let out = TestSite.temporaryDirectory("webhook")
        let revalidator = Revalidator(builder: SiteBuilder(environment: TestSite.environment(tenants: tenants, out: out)))
        let verifier = WebhookVerifier(secret: "rahasia")
        let http = DaemonHTTP(revalidator: revalidator, verifier: verifier, registry: PrometheusCollectorRegistry(), maxBodyBytes: 4096, logger: Logger(label: "test"))
        let app = Application(router: http.router())
        try await app.test(.router) { client in try await body(client, tenants, verifier) }
    }

    func post(_ client: any TestClientProtocol, _ body: String, signature: String?, wait: Bool = true) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [:]
        if let signature { headers[HTTPField.Name("X-Koni-Signature")!] = signature }
        return try await client.execute(uri: "/api/revalidate\(wait ? "?wait=true" : "")", method: .post, headers: headers, body: ByteBuffer(string: body)) {
            ($0.status, String(buffer: $0.body))
        }
    }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    @Test func signedRequestPublishesAndListsThePaths() async throws {
        try await withDaemon { client, tenants, verifier in
            let open = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, open, signature: verifier.sign(body: Array(open.utf8), timestamp: now)).0 == .ok)
            let file = "\(tenants)/uji/content/news/berita-02.md"
            try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 2:", with: "Diperbarui:")
                .write(toFile: file, atomically: true, encoding: .utf8)
            let body = #"{"tenant":"uji","changes":[{"entity":"news","slug":"berita-02","action":"updated"}]}"#
            let (status, text) = try await post(client, body, signature: verifier.sign(body: Array(body.utf8), timestamp: now))
            #expect(status == .ok, "\(text)")
            #expect(text.contains("\"/berita/berita-02/\""))
            #expect(text.contains("\"/feed.xml\""))
        }
    }

    @Test func unsignedForgedStaleReplayedOversizedAndMalformedAreRefused() async throws {
        try await withDaemon { client, _, verifier in
            let body = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, body, signature: nil).0 == .unauthorized)
            #expect(try await post(client, body, signature: WebhookVerifier(secret: "salah").sign(body: Array(body.utf8), timestamp: now)).0 == .unauthorized)
            #expect(try await post(client, body, signature: verifier.sign(body: Array(body.utf8), timestamp: now - 301)).0 == .unauthorized)
            let signature = verifier.sign(body: Array(body.utf8), timestamp: now)
            #expect(try await post(client, body, signature: signature).0 == .ok)
            #expect(try await post(client, body, signature: signature).0 == .unauthorized, "replay")
            let big = #"{"tenant":"uji","paths":["/"],"x":""# + String(repeating: "a", count: 5000) + #""}"#
            #expect(try await post(client, big, signature: verifier.sign(body: Array(big.utf8), timestamp: now)).0 == .contentTooLarge)
            let bad = #"{"tenant":"uji","changes":[{"entity":"news","slug":"../x"}]}"#
            let (status, text) = try await post(client, bad, signature: verifier.sign(body: Array(bad.utf8), timestamp: now))
            #expect(status == .unprocessableContent)
            #expect(text.contains("changes[0].slug"))
            let unknown = #"{"tenant":"tidak-ada","paths":["/"]}"#
            #expect(try await post(client, unknown, signature: verifier.sign(body: Array(unknown.utf8), timestamp: now)).0 == .notFound)
        }
    }

    @Test func invalidContentAnswers422AndKeepsTheLiveSite() async throws {
        try await withDaemon { client, tenants, verifier in
            let first = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, first, signature: verifier.sign(body: Array(first.utf8), timestamp: now)).0 == .ok)
            try "---\ntitle: rusak\n---\n".write(toFile: "\(tenants)/uji/content/news/berita-01.md", atomically: true, encoding: .utf8)
            let body = #"{"tenant":"uji","changes":[{"entity":"news","slug":"berita-01"}]}"#
            let (status, text) = try await post(client, body, signature: verifier.sign(body: Array(body.utf8), timestamp: now))
            #expect(status == .unprocessableContent)
            #expect(text.contains("berita-01.md"))
        }
    }
}
