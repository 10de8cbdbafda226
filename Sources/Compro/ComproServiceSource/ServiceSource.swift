import AsyncHTTPClient
import ComproContent
import ComproModel
import Foundation
import KoniJSON
import NIOCore

/// The KONI services as content sources: GMS's export for tournaments
/// (`/api/v1/gms/public/{tenant}/export`) and the Athlete service's for athletes
/// (`/api/v1/athletes/public/{tenant}/export`), one GET per build or change, each answer checked
/// like any outside input.
public struct ServiceSource: ServiceContentSource {
    public var timeout: TimeAmount = .seconds(10)
    public var maximumBytes = 16 << 20
    let http: HTTPClient

    public init(http: HTTPClient = .shared) {
        self.http = http
    }

    public func snapshot(of kind: ContentKind, tenant slug: String, from location: String, timeZone: SiteTimeZone) async throws(ContentErrors) -> ItemSnapshot {
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
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let bytes: [UInt8]
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: timeout)
            status = response.status.code
            bytes = Array(try await response.body.collect(upTo: maximumBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw failure("the answer is larger than \(maximumBytes) bytes")
        } catch {
            throw failure("the service cannot be reached: \(error)")
        }
        guard status == 200 else { throw failure("the service answered \(status)") }
        let body: JSONValue
        do { body = try JSONValue.parse(bytes) } catch { throw failure("not JSON: \(error.description)") }
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
