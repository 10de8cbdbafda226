import Foundation
import Hummingbird
import HummingbirdTesting
import KoniJSON
@testable import KoniServiceClient
import KoniServiceKit
import Synchronization
import Testing

/// Service-to-service calls against a real HTTP server on loopback: the key, retries, the
/// timeout, the circuit breaker, streamed lines. (The server checks the key with the kit's
/// `ServiceKeyMiddleware`, the other half of the contract.)
@Suite struct ServiceClientTests {
    static let key = String(repeating: "k", count: 40)

    /// A small internal API: `/internal/flaky` fails with 503 until its third call, `/internal/slow`
    /// answers after 10 s, `/internal/big` sends 2 MiB, `/internal/proxy-error` is a proxy's 503
    /// HTML page, `/internal/html` a 200 that is not JSON, `/internal/put` counts writes and sends
    /// an `ETag`, `/internal/lines…` answer JSON lines; all behind the service key.
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
        internalRoutes.get("proxy-error") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            return Response(status: .serviceUnavailable, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>503</html>")))
        }
        internalRoutes.get("html") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>ok</html>")))
        }
        internalRoutes.put("put") { _, _ -> Response in
            let count = calls.value.add(1, ordering: .relaxed).newValue
            if count < 3 { return Response(status: .serviceUnavailable) }
            return Response(status: .ok, headers: [.eTag: "\"7\""], body: .init(byteBuffer: ByteBuffer(string: #"{"version":7}"#)))
        }
        internalRoutes.get("lines") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: "{\"n\":1}\n{\"n\":2}\n{\"n\":3}")))
        }
        internalRoutes.get("lines-flaky") { _, _ -> Response in
            let count = calls.value.add(1, ordering: .relaxed).newValue
            if count < 3 { return Response(status: .badGateway) }
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: .init(byteBuffer: ByteBuffer(string: "{\"n\":1}\n")))
        }
        internalRoutes.get("lines-long") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{\"n\":1}\n\"" + String(repeating: "a", count: 4096) + "\"\n")))
        }
        internalRoutes.get("lines-cut") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            // One line, then the connection ends without the rest.
            return Response(
                status: .ok,
                body: ResponseBody(contentLength: 1000) { writer in
                    try await writer.write(ByteBuffer(string: "{\"n\":1}\n"))
                    throw CancellationError()
                })
        }
        internalRoutes.get("lines-stalled") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            // One line, then silence (the server's shutdown waits for this handler).
            return Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{\"n\":1}\n"))
                    try await Task.sleep(for: .seconds(6))
                    try await writer.finish(nil)
                })
        }
        internalRoutes.get("stalled-body") { _, _ -> Response in
            // The head at once, then a body that does not come.
            Response(
                status: .ok,
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(string: "{"))
                    try await Task.sleep(for: .seconds(10))
                    try await writer.write(ByteBuffer(string: "}"))
                    try await writer.finish(nil)
                })
        }
        internalRoutes.get("lines-missing") { _, _ -> Response in
            calls.value.add(1, ordering: .relaxed)
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: #"{"error":{"message":"no such site"}}"#)))
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

    /// A stream that stops sending ends at the client's read limit (60 s in production, 1 s
    /// here) as a timeout, after the lines it sent, and is not asked again.
    @Test func aStreamThatFallsSilentEndsAtTheReadLimit() async throws {
        try await withServer { port, calls in
            let http = ServiceClient.makeHTTPClient(connect: .seconds(2), read: .seconds(1))
            var settings = client(port).settings
            settings.initialBackoff = .milliseconds(10)
            let silent = ServiceClient(settings: settings, http: http)
            var seen: [String] = []
            let start = ContinuousClock.now
            var failure: (any Error)?
            do {
                try await silent.lines("/internal/lines-stalled", maximumLineBytes: 1024, timeout: .seconds(5)) {
                    seen.append(String(decoding: $0, as: UTF8.self))
                }
            } catch {
                failure = error
            }
            let waited = ContinuousClock.now - start
            // AsyncHTTPClient requires its clients shut down before they go.
            try await http.shutdown()
            guard let error = failure as? ServiceCallError, case .timeout = error else {
                Issue.record("a silent stream ended with \(failure.map { "\($0)" } ?? "success")")
                return
            }
            #expect(waited < .seconds(5), "waited \(waited) for a 1 s read limit")
            #expect(seen == [#"{"n":1}"#])
            #expect(calls.value.load(ordering: .relaxed) == 1, "not asked again after a line")
        }
    }

    /// An answer too large to read, whole or one line of a stream, is the service failing: both
    /// count against its breaker alike.
    @Test func anOversizedAnswerCountsAgainstTheBreakerInACallAndInAStream() async throws {
        try await withServer { port, _ in
            let callBreaker = CircuitBreaker(threshold: 1, cooldown: .seconds(60))
            do throws(ServiceCallError) {
                _ = try await client(port, breaker: callBreaker).get("/internal/big")
                Issue.record("2 MiB accepted")
            } catch {
                guard case .tooLarge = error else { Issue.record("\(error)"); return }
            }
            #expect(callBreaker.isOpen)

            let streamBreaker = CircuitBreaker(threshold: 1, cooldown: .seconds(60))
            do {
                try await client(port, breaker: streamBreaker).lines("/internal/lines-long", maximumLineBytes: 1024, timeout: .seconds(5)) { _ in }
                Issue.record("a 4 KiB line accepted under a 1 KiB limit")
            } catch let error as ServiceCallError {
                guard case .tooLarge = error else { Issue.record("\(error)"); return }
            }
            #expect(streamBreaker.isOpen)

            // A line the caller refuses is the caller's business, not the service's health.
            struct Refused: Error {}
            let refusingBreaker = CircuitBreaker(threshold: 1, cooldown: .seconds(60))
            try? await client(port, breaker: refusingBreaker).lines("/internal/lines", maximumLineBytes: 1024, timeout: .seconds(5)) { _ in throw Refused() }
            #expect(!refusingBreaker.isOpen)
        }
    }

    /// A head that comes at once and a body that does not: the attempt's limit covers the body too
    /// (AsyncHTTPClient's deadline ends with the head).
    @Test func aStalledBodyEndsTheAttemptAtItsLimit() async throws {
        try await withServer { port, _ in
            var settings = client(port).settings
            settings.maxAttempts = 1
            settings.timeout = .seconds(1)
            let start = ContinuousClock.now
            do throws(ServiceCallError) {
                _ = try await ServiceClient(settings: settings).get("/internal/stalled-body")
                Issue.record("a stalled body was answered")
            } catch {
                guard case .timeout = error else { Issue.record("\(error)"); return }
            }
            #expect(ContinuousClock.now - start < .seconds(8), "did not wait for the 10 s body")
        }
    }

    /// Nothing listens on port 1: each attempt ends when the connection is refused, not at the
    /// minute-long timeout (AsyncHTTPClient's default keeps trying to connect, which took 80 s for
    /// these three attempts in a loaded CI run).
    @Test func aServiceThatIsDownIsUnreachableAtOnce() async throws {
        var settings = ServiceClient.Settings(baseURL: "http://127.0.0.1:1", serviceKey: Self.key)
        settings.timeout = .seconds(60)
        settings.initialBackoff = .milliseconds(10)
        let breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(60))
        let service = ServiceClient(settings: settings, breaker: breaker)
        let start = ContinuousClock.now
        do throws(ServiceCallError) {
            _ = try await service.get("/internal/anything")
            Issue.record("a closed port answered")
        } catch {
            guard case .unreachable = error else { Issue.record("\(error)"); return }
        }
        // Milliseconds alone; the bound is loose because a loaded CI machine delays everything,
        // and still half of what three attempts waiting out their 60 s would take.
        #expect(ContinuousClock.now - start < .seconds(90), "three refused attempts and their backoff, far from 3 × 60 s")
        #expect(breaker.isOpen, "three refused attempts open a breaker of threshold 3")
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

    @Test func aProxysErrorPageIsAFailureStatusAndA200ThatIsNotJSONIsMalformed() async throws {
        try await withServer { port, calls in
            do throws(ServiceCallError) {
                _ = try await client(port).get("/internal/proxy-error")
                Issue.record("a 503 page accepted")
            } catch {
                guard case .status(503, .null) = error else { Issue.record("\(error)"); return }
            }
            #expect(calls.value.load(ordering: .relaxed) == 3, "retried like any 503")
            do throws(ServiceCallError) {
                _ = try await client(port).get("/internal/html")
                Issue.record("HTML accepted as JSON")
            } catch {
                guard case .malformed = error else { Issue.record("\(error)"); return }
            }
        }
    }

    @Test func aWriteIsSentOnceUnlessTheCallerSaysItIsIdempotent() async throws {
        try await withServer { port, calls in
            do throws(ServiceCallError) {
                _ = try await client(port).send(.PUT, "/internal/put", body: .object([("a", .number(1))]))
                Issue.record("the 503 was not reported")
            } catch {
                guard case .status(503, _) = error else { Issue.record("\(error)"); return }
            }
            #expect(calls.value.load(ordering: .relaxed) == 1, "a PUT is not retried by default")
            let reply = try await client(port).send(.PUT, "/internal/put", body: .object([("a", .number(1))]), idempotent: true)
            #expect(reply.status == 200)
            #expect(calls.value.load(ordering: .relaxed) == 3, "an idempotent PUT is retried past its 503")
            #expect(reply.etag == "\"7\"")
            #expect(reply.body["version"] == .number(7))
        }
    }

    @Test func linesArriveOneByOneAndAreRetriedOnlyBeforeTheFirst() async throws {
        try await withServer { port, calls in
            var seen: [String] = []
            try await client(port).lines("/internal/lines", maximumLineBytes: 1024, timeout: .seconds(5)) { seen.append(String(decoding: $0, as: UTF8.self)) }
            #expect(seen == [#"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#], "the last line needs no newline")

            seen = []
            try await client(port).lines("/internal/lines-flaky", maximumLineBytes: 1024, timeout: .seconds(5)) {
                seen.append(String(decoding: $0, as: UTF8.self))
            }
            #expect(seen == [#"{"n":1}"#])
            #expect(calls.value.load(ordering: .relaxed) == 3, "two 502s retried")

            seen = []
            do {
                try await client(port).lines("/internal/lines-long", maximumLineBytes: 1024, timeout: .seconds(5)) {
                    seen.append(String(decoding: $0, as: UTF8.self))
                }
                Issue.record("a 4 KiB line accepted under a 1 KiB limit")
            } catch let error as ServiceCallError {
                guard case .tooLarge = error else { Issue.record("\(error)"); return }
            }
            #expect(seen == [#"{"n":1}"#], "the lines before the long one were handed over")
            #expect(calls.value.load(ordering: .relaxed) == 4, "not retried")

            struct Refused: Error {}
            do {
                try await client(port).lines("/internal/lines", maximumLineBytes: 1024, timeout: .seconds(5)) { _ in throw Refused() }
                Issue.record("the handler's error was lost")
            } catch is Refused {}

            do {
                try await client(port).lines("/internal/lines-missing", maximumLineBytes: 1024, timeout: .seconds(5)) { _ in }
                Issue.record("a 404 accepted")
            } catch let error as ServiceCallError {
                guard case .status(404, let body) = error else { Issue.record("\(error)"); return }
                #expect(body["error"]?["message"] == .string("no such site"))
            }
            #expect(calls.value.load(ordering: .relaxed) == 5, "a 404 is an answer, not retried")

            seen = []
            do {
                try await client(port).lines("/internal/lines-cut", maximumLineBytes: 1024, timeout: .seconds(5)) {
                    seen.append(String(decoding: $0, as: UTF8.self))
                }
                Issue.record("a cut stream ended as if complete")
            } catch let error as ServiceCallError {
                guard case .unreachable = error else { Issue.record("\(error)"); return }
            }
            #expect(seen == [#"{"n":1}"#])
            #expect(calls.value.load(ordering: .relaxed) == 6, "not asked again once a line was handed over")
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
