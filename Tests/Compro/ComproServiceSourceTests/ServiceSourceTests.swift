import ComproContent
import ComproModel
import ComproServiceSource
import Hummingbird
import HummingbirdTesting
import KoniJSON
import NIOCore
import Synchronization
import Testing

/// `ServiceSource` against a live loopback server speaking GMS's and the Athlete service's
/// export routes: what reaches a build is the service's answer checked, or an error naming the
/// service; the real services are tested in GMSServiceTests.
@Suite struct ServiceSourceTests {
    final class Calls: Sendable {
        let count = Atomic<Int>(0)
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.jsonText)))
    }

    /// `uji`'s exports are good; `rusak`'s GMS export fails with 500; `besar`'s is larger than
    /// the source takes; `html`'s is a proxy's page.
    func withServices(_ body: @Sendable (String, Calls) async throws -> Void) async throws {
        let calls = Calls()
        let router = Router()
        router.get("/api/v1/gms/public/{tenant}/export") { _, context -> Response in
            calls.count.add(1, ordering: .relaxed)
            switch context.parameters.get("tenant") {
            case "uji":
                return Self.json(.object([("as_of", .string("1764900000000000")), ("tournaments", .array([ServiceExportHostileTests.page()]))]))
            case "besar":
                return Self.json(.object([("tournaments", .array([])), ("padding", .string(String(repeating: "a", count: 70_000)))]))
            case "html":
                return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>ok</html>")))
            default:
                return Response(status: .internalServerError)
            }
        }
        router.get("/api/v1/athletes/public/{tenant}/export") { _, _ -> Response in
            calls.count.add(1, ordering: .relaxed)
            return Self.json(.object([("athletes", .array([ServiceExportHostileTests.athlete()]))]))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            guard let port = client.port else { throw CancellationError() }
            try await body("http://127.0.0.1:\(port)", calls)
        }
    }

    /// A source that gives up quickly: the suite runs beside CPU-heavy tests.
    let source = ServiceSource(timeout: .seconds(5), maximumBytes: 64 << 10)

    func refusal(_ kind: ContentKind, _ tenant: String, _ location: String) async -> String? {
        do {
            _ = try await source.snapshot(of: kind, tenant: tenant, from: location, timeZone: .jakarta)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func theExportsBecomeTheBranchsTournamentsAndAthletes() async throws {
        try await withServices { location, _ in
            let tournaments = try await source.snapshot(of: .tournament, tenant: "uji", from: location, timeZone: .jakarta)
            #expect(tournaments.asOf == 1_764_900_000_000_000)
            guard case .tournament(let piala)? = tournaments.items.first else {
                Issue.record("no tournament: \(tournaments.items)")
                return
            }
            #expect(piala.meta.slug == "piala" && piala.matches.count == 1)
            // 08:00 UTC is shown at 15:00 in Jakarta.
            let time = try #require(piala.matches.first?.time)
            #expect(time.offsetSeconds == 7 * 3600 && time.rfc3339.hasPrefix("2026-12-01T15:00"), "\(time.rfc3339)")
            #expect(piala.meta.source.hasPrefix("gms: \(location)/api/v1/gms/public/uji/export"))

            let athletes = try await source.snapshot(of: .athlete, tenant: "uji", from: location, timeZone: .jakarta)
            #expect(athletes.asOf == nil)
            guard case .athlete(let alif)? = athletes.items.first else {
                Issue.record("no athlete: \(athletes.items)")
                return
            }
            #expect(alif.meta.slug == "muhammad-alif" && alif.externalID == "0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b")
        }
    }

    @Test func aFailingServiceIsNamedAndNothingIsRead() async throws {
        try await withServices { location, calls in
            let failed = try #require(await refusal(.tournament, "rusak", location))
            #expect(failed.contains("gms: \(location)/api/v1/gms/public/rusak/export") && failed.contains("500"), "\(failed)")
            let large = try #require(await refusal(.tournament, "besar", location))
            #expect(large.contains("larger than \(64 << 10) bytes"), "\(large)")
            let page = try #require(await refusal(.tournament, "html", location))
            #expect(page.contains("not JSON"), "\(page)")

            // A slug that is not one, and a kind no service keeps, are refused before any request.
            let before = calls.count.load(ordering: .relaxed)
            let traversal = try #require(await refusal(.tournament, "../admin", location))
            #expect(traversal.contains("not a branch slug"), "\(traversal)")
            let news = try #require(await refusal(.news, "uji", location))
            #expect(news.contains("no KONI service keeps"), "\(news)")
            #expect(calls.count.load(ordering: .relaxed) == before)
        }
    }

    @Test func aServiceThatIsDownIsNamed() async throws {
        // The discard port, which nothing on a test machine listens on (a port freed by another
        // test's server could be taken again by a third).
        let closed = "http://127.0.0.1:9"
        let refused = try #require(await refusal(.athlete, "uji", closed))
        #expect(refused.contains("athletes: \(closed)") && refused.contains("cannot be reached"), "\(refused)")
    }

    @Test func aNewerSnapshotIsNeverReplacedByAnOlderOne() {
        let older = ItemSnapshot(kind: .tournament, items: [], asOf: 10)
        let newer = ItemSnapshot(kind: .tournament, items: [], asOf: 20)
        let undated = ItemSnapshot(kind: .tournament, items: [], asOf: nil)
        #expect(newer.isAtLeast(older) && !older.isAtLeast(newer))
        #expect(undated.isAtLeast(newer) && older.isAtLeast(undated))
    }
}
