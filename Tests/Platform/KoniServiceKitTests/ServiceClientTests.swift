import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Synchronization
import Testing

/// Service-to-service calls against a real HTTP server on loopback: the key, retries, the
/// timeout and the circuit breaker.
@Suite struct ServiceClientTests {
    static let key = String(repeating: "k", count: 40)

    /// A small internal API: `/internal/flaky` fails with 503 until its third call, `/internal/slow`
    /// answers after 10 s, `/internal/big` sends 2 MiB; all behind the service key.
    func withServer(_ body: @Sendable (Int, CallCount) async throws -> Void) async throws {
        let calls = CallCount()
        let router = Router()
        let internalRoutes = router.group("internal").add(middleware: try ServiceKeyMiddleware<BasicRequestContext>(keys: [Self.key]))
        internalRoutes.get("flaky") { _, _ -> Response in
            let count = calls.value.add(1, ordering: .relaxed).newValue
            if count < 3 { return Response(status: .serviceUnavailable) }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"id":"jatim"}"#)))
        }
        internalRoutes.get("down") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            return Response(status: .badGateway)
        }
        internalRoutes.get("slow") { _, _ -> Response in
            try await Task.sleep(for: .seconds(10))
            return Response(status: .ok)
        }
        internalRoutes.get("big") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\"" + String(repeating: "a", count: 2 << 20) + "\"")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            try await body(port, calls)
        }
    }

    func client(_ port: Int, key: String = ServiceClientTests.key, breaker: CircuitBreaker = CircuitBreaker(threshold: 3, cooldown: .seconds(60)))
        -> ServiceClient
    {
        var settings = ServiceClient.Settings(baseURL: "http://127.0.0.1:\(port)/", serviceKey: key)
        // Generous: the suite runs beside CPU-heavy tests on two cores.
        settings.timeout = .seconds(5)
        settings.initialBackoff = .milliseconds(10)
        return ServiceClient(settings: settings, breaker: breaker)
    }

    @Test func anIdempotentCallIsRetriedPastTransientFailures() async throws {
        try await withServer { port, calls in
            let reply = try await client(port).get("/internal/flaky")
            #expect(reply.status == 200)
            #expect(reply.body["id"] == .string("jatim"))
            #expect(calls.value.load(ordering: .relaxed) == 3)
        }
    }

    @Test func withoutTheKeyTheServiceAnswers401AndItIsNotRetried() async throws {
        try await withServer { port, calls in
            let reply = try await client(port, key: "salah-" + String(repeating: "x", count: 40)).get("/internal/flaky")
            #expect(reply.status == 401)
            #expect(calls.value.load(ordering: .relaxed) == 0, "the handler never ran")
        }
        #expect(throws: ConfigurationError.self) { try ServiceKeyMiddleware<BasicRequestContext>(keys: ["pendek"]) }
    }

    @Test func aSlowServiceTimesOutAndABigAnswerIsRefused() async throws {
        try await withServer { port, _ in
            var settings = client(port).settings
            settings.maxAttempts = 1
            settings.timeout = .seconds(1)
            let single = ServiceClient(settings: settings)
            let start = ContinuousClock.now
            do throws(ServiceCallError) {
                _ = try await single.get("/internal/slow")
                Issue.record("no timeout")
            } catch {
                guard case .timeout = error else { Issue.record("\(error)"); return }
            }
            #expect(ContinuousClock.now - start < .seconds(8), "did not wait for the 10 s handler")
            do throws(ServiceCallError) {
                _ = try await client(port).get("/internal/big")
                Issue.record("2 MiB accepted")
            } catch {
                guard case .tooLarge = error else { Issue.record("\(error)"); return }
            }
        }
    }

    @Test func theBreakerOpensAfterRepeatedFailuresAndFailsFast() async throws {
        try await withServer { port, calls in
            let breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(60))
            let service = client(port, breaker: breaker)
            do throws(ServiceCallError) { _ = try await service.get("/internal/down") } catch {
                guard case .status(let status, _) = error, status == 502 else { Issue.record("\(error)"); return }
            }
            #expect(calls.value.load(ordering: .relaxed) == 3)
            #expect(breaker.isOpen)
            do throws(ServiceCallError) {
                _ = try await service.get("/internal/down")
                Issue.record("called through an open breaker")
            } catch {
                guard case .circuitOpen = error else { Issue.record("\(error)"); return }
            }
            #expect(calls.value.load(ordering: .relaxed) == 3, "no call reached the service while open")
        }
    }

    @Test func aHalfOpenBreakerLetsOneTrialThroughAndClosesOnSuccess() {
        let breaker = CircuitBreaker(threshold: 2, cooldown: .seconds(5))
        let start = ContinuousClock.now
        breaker.recordFailure(now: start)
        #expect(breaker.admit(now: start) == nil, "one failure: still closed")
        breaker.recordFailure(now: start)
        #expect(breaker.admit(now: start + .seconds(1)) != nil, "open")
        #expect(breaker.admit(now: start + .seconds(6)) == nil, "half-open: the trial")
        #expect(breaker.admit(now: start + .seconds(6)) != nil, "only one trial at a time")
        breaker.recordSuccess()
        #expect(breaker.admit(now: start + .seconds(6)) == nil, "closed again")
    }
}

/// Calls the test server's handlers received.
final class CallCount: Sendable {
    let value = Atomic<Int>(0)
}
