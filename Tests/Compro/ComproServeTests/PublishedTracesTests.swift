import ComproBuild
import ComproRevalidate
import ComproServe
import ComproTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KoniJSON
import Logging
import KoniMetrics
import Testing

@Suite struct PublishedTracesTests {
    @Test func aWaiterIsWokenByTheRecordAndOthersTimeOut() async throws {
        let traces = PublishedTraces()
        async let waited = traces.outcome("a", wait: .seconds(10))
        try await Task.sleep(for: .milliseconds(50))
        await traces.record("a", published: true, release: "r1")
        #expect(await waited?.release == "r1")
        #expect(await traces.outcome("b", wait: .milliseconds(20)) == nil)
        #expect(await traces.outcome("a")?.published == true, "kept after it was read")
    }

    @Test func keepsOnlyTheLastCapacityOutcomes() async {
        let traces = PublishedTraces(capacity: 3)
        for index in 0..<10 { await traces.record("t\(index)", published: true, release: "r\(index)") }
        #expect(await traces.count == 3)
        #expect(await traces.outcome("t6") == nil)
        #expect(await traces.outcome("t9")?.release == "r9")
    }

    @Test func waitersBeyondTheLimitAreAnsweredAtOnce() async throws {
        let traces = PublishedTraces(maximumWaiters: 1)
        async let first = traces.outcome("x", wait: .seconds(10))
        try await Task.sleep(for: .milliseconds(50))
        let started = ContinuousClock.now
        #expect(await traces.outcome("x", wait: .seconds(10)) == nil)
        #expect(ContinuousClock.now - started < .seconds(5), "the second waiter did not wait")
        await traces.record("x", published: false, release: "")
        #expect(await first?.published == false)
    }

    @Test func theEndpointAnswersRecordedTracesAndRefusesBadQueries() async throws {
        let traces = PublishedTraces()
        let revalidator = Revalidator(
            builder: SiteBuilder(
                environment: Fixture.environment(tenants: Fixture.temporaryDirectory("traces"), out: Fixture.temporaryDirectory("traces-out"))))
        let http = DaemonHTTP(revalidator: revalidator, verifier: nil, metrics: ServiceMetrics(), traces: traces, logger: Logger(label: "test"))
        try await Application(router: http.router()).test(.router) { client in
            #expect(try await client.execute(uri: "/api/published/abc?wait_ms=10", method: .get) { $0.status } == .notFound)
            for query in ["wait_ms=-1", "wait_ms=10001", "wait_ms=9223372036854775808", "wait_ms=x"] {
                #expect(try await client.execute(uri: "/api/published/abc?\(query)", method: .get) { $0.status } == .badRequest, "\(query)")
            }
            let long = String(repeating: "a", count: 129)
            #expect(try await client.execute(uri: "/api/published/\(long)", method: .get) { $0.status } == .badRequest)
            await traces.record("abc", published: true, release: "20261204T000000Z")
            let body = try await client.execute(uri: "/api/published/abc?wait_ms=0", method: .get) { response in
                #expect(response.status == .ok)
                return try JSONValue.parse(Array(buffer: response.body))
            }
            #expect(body["published"] == .bool(true))
            #expect(body["release"] == .string("20261204T000000Z"))
        }
    }
}
