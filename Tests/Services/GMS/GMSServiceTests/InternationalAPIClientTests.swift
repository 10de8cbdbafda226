@testable import GMSService
import Hummingbird
import HummingbirdTesting
import KoniJSON
import NIOCore
import Synchronization
import Testing

/// The international API client's answers read at the HTTP level, against a loopback server that
/// answers each page the way a provider can go wrong: the sync's behaviour over the documented
/// fake provider is in TournamentSyncTests.
@Suite struct InternationalAPIClientTests {
    static let key = "intl-test-key"

    /// What `/v1/tournaments` answers; `cursor` in the query picks the case.
    func withProvider(timeout: Duration = .seconds(5), _ body: @Sendable (InternationalAPIClient) async throws -> Void) async throws {
        let router = Router()
        router.get("/v1/tournaments") { request, _ -> Response in
            guard request.headers[.init("X-Api-Key")!] == Self.key else { return Response(status: .unauthorized) }
            switch request.uri.queryParameters.get("cursor") {
            case "limited":
                return Response(status: .tooManyRequests, headers: [.retryAfter: "7", .init("X-RateLimit-Remaining")!: "0"])
            case "stale":
                return Response(
                    status: .badRequest, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"code":"bad_cursor","message":"cursor expired"}}"#)))
            case "down":
                return Response(status: .badGateway, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>502</html>")))
            case "html":
                return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>ok</html>")))
            case "big":
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\"" + String(repeating: "a", count: 100_000) + "\"")))
            case "stalled":
                return Response(
                    status: .ok,
                    body: ResponseBody { writer in
                        try await writer.write(ByteBuffer(string: #"{"data":["#))
                        // The server's shutdown waits for this handler: long enough to tell, no longer.
                        try await Task.sleep(for: .seconds(12))
                        try await writer.finish(nil)
                    })
            default:
                return Response(
                    status: .ok, headers: [.contentType: "application/json", .init("X-RateLimit-Remaining")!: "41", .init("X-RateLimit-Reset")!: "30"],
                    body: .init(byteBuffer: ByteBuffer(string: #"{"data":[],"next_cursor":null}"#)))
            }
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            var settings = InternationalAPIClient.Settings(baseURL: "http://127.0.0.1:\(port)", apiKey: Self.key)
            settings.timeout = timeout
            settings.maxResponseBytes = 64 << 10
            try await body(InternationalAPIClient(settings: settings))
        }
    }

    func outcome(_ client: InternationalAPIClient, cursor: String?) async -> Result<ProviderPage<ProviderTournament>, ProviderError> {
        do throws(ProviderError) {
            return .success(try await client.tournaments(updatedSince: nil, cursor: cursor))
        } catch {
            return .failure(error)
        }
    }

    @Test func eachAnswerIsReadForWhatItSays() async throws {
        try await withProvider { client in
            let page = try await outcome(client, cursor: nil).get()
            #expect(page.items.isEmpty && page.nextCursor == nil && page.remaining == 41 && page.resetSeconds == 30)
            let cases: [(String, (ProviderError) -> Bool)] = [
                ("limited", { if case .rateLimited(7) = $0 { true } else { false } }),
                ("stale", { if case .refused(400, "cursor expired") = $0 { true } else { false } }),
                ("down", { if case .unavailable(let reason) = $0 { reason.contains("502") } else { false } }),
                ("html", { if case .malformed(let reason) = $0 { reason.contains("not JSON") } else { false } }),
                ("big", { if case .malformed(let reason) = $0 { reason.contains("more than 65536 bytes") } else { false } }),
            ]
            for (cursor, expected) in cases {
                guard case .failure(let error) = await outcome(client, cursor: cursor) else {
                    Issue.record("\(cursor): accepted")
                    continue
                }
                #expect(expected(error), "\(cursor): \(error)")
            }
            var keyless = client.settings
            keyless.apiKey = "wrong"
            guard case .failure(.refused(401, _)) = await outcome(InternationalAPIClient(settings: keyless), cursor: nil) else {
                Issue.record("a wrong key was not refused")
                return
            }
        }
    }

    /// A head at once and a body that does not come: the request's limit covers the body, so a
    /// stalled provider cannot hold the sync (AsyncHTTPClient's deadline ends with the head).
    @Test func aStalledBodyIsAnOutageAtTheLimit() async throws {
        try await withProvider(timeout: .seconds(2)) { client in
            let start = ContinuousClock.now
            let result = await outcome(client, cursor: "stalled")
            let waited = ContinuousClock.now - start
            guard case .failure(.unavailable(let reason)) = result, reason.contains("did not answer within") else {
                Issue.record("not a timeout: \(result)")
                return
            }
            #expect(waited >= .milliseconds(1900) && waited < .seconds(9), "waited \(waited) for a 2 s limit")
        }
    }
}
