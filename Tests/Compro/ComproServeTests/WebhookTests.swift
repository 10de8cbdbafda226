import ComproBuild
import ComproPublish
import ComproRevalidate
import ComproServe
import ComproTestSupport
import Foundation
import Hummingbird
import HTTPTypes
import HummingbirdTesting
import Logging
import KoniMetrics
import Testing

/// Secrets of the minimum length (32 bytes).
let testSecret = "rahasia-rahasia-rahasia-rahasia!"
let otherSecret = "salah-salah-salah-salah-salah-sa"

@Suite struct WebhookVerifierTests {
    let verifier = try! WebhookVerifier(secret: testSecret)
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
        let forged = try WebhookVerifier(secret: otherSecret).sign(body: body, timestamp: 1_000)
        let parsed = try verifier.checkHeader(forged, now: 1_000)
        #expect(throws: WebhookVerifier.Failure.mismatch) { try verifier.verify(parsed, body: body, now: 1_000) }
        let tampered = try verifier.checkHeader(header, now: 1_000)
        #expect(throws: WebhookVerifier.Failure.mismatch) { try verifier.verify(tampered, body: body + [0x20], now: 1_000) }
    }

    /// `abs(now - t)` trapped on these before the range check: one request killed the daemon.
    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "-1", "4294967297", "-9223372036854775807"])
    func refusesTimestampsOutsideTheRangeWithoutArithmetic(_ t: String) {
        let header = "t=\(t),v1=" + String(repeating: "ab", count: 32)
        #expect(throws: WebhookVerifier.Failure.stale) { try verifier.checkHeader(header, now: 1_800_000_000) }
        #expect(throws: WebhookVerifier.Failure.malformed) {
            try verifier.checkHeader("t=99999999999999999999,v1=" + String(repeating: "ab", count: 32), now: 1_000)
        }
    }

    @Test func refusesManyCandidatesAndLongHeadersBeforeAnyMAC() {
        let candidate = ",v1=" + String(repeating: "cd", count: 32)
        let many = "t=1000" + String(repeating: candidate, count: WebhookVerifier.maximumCandidates + 1)
        #expect(throws: WebhookVerifier.Failure.malformed) { try verifier.checkHeader(many, now: 1_000) }
        let flood = "t=1000" + String(repeating: candidate, count: 10_000)
        #expect(throws: WebhookVerifier.Failure.malformed) { try verifier.checkHeader(flood, now: 1_000) }
        #expect(throws: WebhookVerifier.Failure.malformed) { try verifier.checkHeader("t=1000,t=1001" + candidate, now: 1_000) }
    }

    @Test func acceptsTheRightSignatureAmongFewCandidates() throws {
        let right = verifier.sign(body: body, timestamp: 1_000)
        let wrong = try WebhookVerifier(secret: otherSecret).sign(body: body, timestamp: 1_000).split(separator: ",")[1]
        let header = try verifier.checkHeader("\(right.split(separator: ",")[0]),\(wrong),\(right.split(separator: ",")[1])", now: 1_000)
        #expect(header.signatures.count == 2)
        try verifier.verify(header, body: body, now: 1_000)
    }

    @Test func refusesShortSecrets() {
        #expect(throws: WebhookVerifier.WeakSecret.self) { try WebhookVerifier(secret: "") }
        #expect(throws: WebhookVerifier.WeakSecret.self) { try WebhookVerifier(secret: String(repeating: "x", count: 31)) }
        #expect(throws: Never.self) { try WebhookVerifier(secret: String(repeating: "x", count: 32)) }
    }
}

@Suite struct RevalidationRequestTests {
    @Test func parsesTheDocumentedBody() throws {
        let request = try RevalidationRequest.parse(
            Array(#"{"tenant":"jatim","changes":[{"entity":"news","slug":"juara","action":"updated"}],"paths":["/profil/"]}"#.utf8))
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
    func withDaemon(
        maxPending: Int = 64, metrics: ServiceMetrics = ServiceMetrics(),
        _ body: @Sendable (any TestClientProtocol, String, WebhookVerifier) async throws -> Void
    ) async throws {
        let tenants = try Fixture.copyOfTenants()
        let out = Fixture.temporaryDirectory("webhook")
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: out)), metrics: DaemonMetrics(factory: metrics.factory))
        let verifier = try WebhookVerifier(secret: testSecret)
        let http = DaemonHTTP(
            revalidator: revalidator, verifier: verifier, metrics: metrics, maxBodyBytes: 4096, maxPendingRequests: maxPending, logger: Logger(label: "test"))
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

    /// Retitles `berita-02` in the folder and posts its signed change.
    func retitleNews02(_ client: any TestClientProtocol, _ tenants: String, _ verifier: WebhookVerifier) async throws -> (HTTPResponse.Status, String) {
        let file = "\(tenants)/uji/content/news/berita-02.md"
        try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "Berita uji nomor 2:", with: "Diperbarui:")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let body = #"{"tenant":"uji","changes":[{"entity":"news","slug":"berita-02","action":"updated"}]}"#
        return try await post(client, body, signature: verifier.sign(body: Array(body.utf8), timestamp: now))
    }

    @Test func signedRequestPublishesAndListsThePaths() async throws {
        try await withDaemon { client, tenants, verifier in
            let open = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, open, signature: verifier.sign(body: Array(open.utf8), timestamp: now)).0 == .ok)
            let (status, text) = try await retitleNews02(client, tenants, verifier)
            #expect(status == .ok, "\(text)")
            #expect(text.contains("\"/berita/berita-02/\""))
            #expect(text.contains("\"/feed.xml\""))
        }
    }

    /// `/metrics` shows what the daemon recorded: the request, the event, the regeneration and
    /// its files, and the refusals by reason (each daemon has its own registry, so the numbers
    /// are this test's alone).
    @Test func metricsCountRequestsEventsRegenerationsAndRefusals() async throws {
        let metrics = ServiceMetrics()
        try await withDaemon(metrics: metrics) { client, tenants, verifier in
            let body = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, body, signature: verifier.sign(body: Array(body.utf8), timestamp: now)).0 == .ok)
            // The first regeneration opens the tenant with a full release; an edit writes a layer.
            #expect(try await retitleNews02(client, tenants, verifier).0 == .ok)
            #expect(try await post(client, body, signature: nil).0 == .unauthorized)
            let forged = try WebhookVerifier(secret: otherSecret).sign(body: Array(body.utf8), timestamp: now)
            #expect(try await post(client, body, signature: forged).0 == .unauthorized)
            let (status, type, text) = try await client.execute(uri: "/metrics", method: .get) {
                ($0.status, $0.headers[.contentType], String(buffer: $0.body))
            }
            #expect(status == .ok)
            #expect(type == ServiceMetrics.contentType)
            let lines = Set(text.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"koni_events_received_total{source="webhook"} 2"#), "\(text)")
            #expect(lines.contains(#"koni_webhook_refused_total{reason="missing"} 1"#), "\(text)")
            #expect(lines.contains(#"koni_webhook_refused_total{reason="mismatch"} 1"#), "\(text)")
            #expect(lines.contains(#"koni_publish_latency_seconds_count{tenant="uji"} 2"#), "\(text)")
            #expect(lines.contains(#"http_requests_total{method="POST",route="/api/revalidate",status="200"} 2"#), "\(text)")
            #expect(lines.contains(#"http_requests_total{method="POST",route="/api/revalidate",status="401"} 2"#), "\(text)")
            let written = lines.first { $0.hasPrefix(#"koni_files_written_total{tenant="uji"} "#) }?.split(separator: " ").last.flatMap { Double($0) }
            #expect((written ?? 0) > 0, "\(text)")
        }
    }

    @Test func unsignedForgedStaleReplayedOversizedAndMalformedAreRefused() async throws {
        try await withDaemon { client, _, verifier in
            let body = #"{"tenant":"uji","paths":["/"]}"#
            #expect(try await post(client, body, signature: nil).0 == .unauthorized)
            #expect(
                try await post(client, body, signature: try WebhookVerifier(secret: otherSecret).sign(body: Array(body.utf8), timestamp: now)).0
                    == .unauthorized)
            for t in ["-9223372036854775808", "9223372036854775807"] {
                #expect(try await post(client, body, signature: "t=\(t),v1=" + String(repeating: "ab", count: 32)).0 == .unauthorized)
            }
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

    @Test func signedRequestsBeyondThePendingLimitAnswer429WithRetryAfter() async throws {
        try await withDaemon(maxPending: 1) { client, _, verifier in
            // Requests that are not awaited: the first one's regeneration (the tenant's first full
            // build, far longer than sending ten requests) holds the only slot.
            var statuses: [HTTPResponse.Status] = []
            var retryAfter: [String?] = []
            var signatures: [String] = []
            for index in 0..<10 {
                let body = #"{"tenant":"uji","paths":["/berita/page/\#(index + 1)/"]}"#
                let signature = verifier.sign(body: Array(body.utf8), timestamp: now)
                signatures.append(signature)
                let response = try await client.execute(
                    uri: "/api/revalidate", method: .post,
                    headers: [HTTPField.Name("X-Koni-Signature")!: signature], body: ByteBuffer(string: body)
                ) { $0 }
                statuses.append(response.status)
                if response.status == .tooManyRequests { retryAfter.append(response.headers[.retryAfter]) }
            }
            #expect(statuses.first == .accepted)
            #expect(statuses.contains(.tooManyRequests), "\(statuses)")
            #expect(retryAfter.allSatisfy { $0 == "1" })
            // A refused request was not recorded as used: the same signed request is accepted once a slot is free.
            guard let refused = statuses.firstIndex(of: .tooManyRequests) else { return }
            let body = #"{"tenant":"uji","paths":["/berita/page/\#(refused + 1)/"]}"#
            let signature = signatures[refused]
            var again: HTTPResponse.Status = .tooManyRequests
            for _ in 0..<200 where again == .tooManyRequests {
                try await Task.sleep(for: .milliseconds(50))
                again = try await client.execute(
                    uri: "/api/revalidate", method: .post, headers: [HTTPField.Name("X-Koni-Signature")!: signature], body: ByteBuffer(string: body)
                ) { $0.status }
            }
            #expect(again == .accepted)
        }
    }
}
