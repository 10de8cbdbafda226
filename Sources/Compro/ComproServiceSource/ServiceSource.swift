import AsyncHTTPClient
import ComproContent
import ComproModel
import KoniJSON
import KoniServiceClient
import Synchronization

/// The KONI services as content sources: GMS's export for tournaments
/// (`/api/v1/gms/public/{tenant}/export`) and the Athlete service's for athletes
/// (`/api/v1/athletes/public/{tenant}/export`), one GET per build or change (on
/// ``ServiceClient``: retried with backoff, a circuit breaker per service address), each answer
/// checked like any outside input.
package struct ServiceSource: ServiceContentSource {
    /// Per attempt.
    package let timeout: Duration
    package let maximumBytes: Int
    let http: HTTPClient
    /// Shared by copies of this source, which have the same settings.
    private let clients = ClientTable()

    package init(timeout: Duration = .seconds(10), maximumBytes: Int = 16 << 20, http: HTTPClient = ServiceClient.sharedHTTPClient) {
        self.timeout = timeout
        self.maximumBytes = maximumBytes
        self.http = http
    }

    package func snapshot(of kind: ContentKind, tenant slug: String, from location: String, timeZone: SiteTimeZone) async throws(ContentErrors) -> ItemSnapshot
    {
        let (path, name): (String, String) =
            switch kind {
            case .tournament: ("/api/v1/gms/public/\(slug)/export", "gms")
            case .athlete: ("/api/v1/athletes/public/\(slug)/export", "athletes")
            case .page, .news, .event, .gallery: ("", "")
            }
        let url = location + path
        func failure(_ reason: String) -> ContentErrors { ContentErrors([ContentError(file: "\(name): \(url)", reason)]) }
        guard !path.isEmpty else { throw failure("no KONI service keeps \(kind.folder)") }
        guard Slug.isValid(slug) else { throw failure("not a branch slug") }
        let reply: ServiceClient.Reply
        do {
            reply = try await client(location).get(path)
        } catch {
            switch error {
            case .tooLarge: throw failure("the answer is larger than \(maximumBytes) bytes")
            case .malformed(_, let reason): throw failure("not JSON: \(reason)")
            case .status(let status, _): throw failure("the service answered \(status)")
            default: throw failure("the service cannot be reached: \(error)")
            }
        }
        guard reply.status == 200 else { throw failure("the service answered \(reply.status)") }
        let body = reply.body
        let source = "\(name): \(url)"
        let items: [ParsedItem] =
            switch kind {
            case .tournament: try GMSExport.tournaments(body, source: source, timeZone: timeZone).map { .tournament($0) }
            default: try AthleteExport.athletes(body, source: source).map { .athlete($0) }
            }
        let asOf: Int64? = if case .string(let text)? = body["as_of"] { Int64(text) } else { nil }
        return ItemSnapshot(kind: kind, items: items, asOf: asOf)
    }
}

extension ServiceSource {
    /// The client of the service at `location` (from a `tenant.yml`), made on first use and kept,
    /// so that its breaker remembers the service's health across changes.
    func client(_ location: String) -> ServiceClient {
        clients.client(location) {
            var settings = ServiceClient.Settings(baseURL: location, headers: [])
            settings.timeout = timeout
            settings.maxResponseBytes = maximumBytes
            return ServiceClient(settings: settings, http: http)
        }
    }
}

/// The clients by service address. Addresses come from the tenant folders (an operator's
/// configuration), so there are few; the table is still bounded.
private final class ClientTable: Sendable {
    private let clients = Mutex<[String: ServiceClient]>([:])
    static let maximumClients = 1024

    func client(_ location: String, make: () -> ServiceClient) -> ServiceClient {
        clients.withLock { clients in
            if let client = clients[location] { return client }
            if clients.count >= Self.maximumClients { clients.removeAll() }
            let client = make()
            clients[location] = client
            return client
        }
    }
}
