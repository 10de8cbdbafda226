import AsyncHTTPClient
import ComproContent
import ComproModel
import Foundation
import KoniJSON
import NIOCore

/// GMS's public API as the tournament source of branches whose `tenant.yml` says
/// `gms: {url: …}`: one GET of the branch's export per build or change.
public struct GMSTournamentSource: TournamentSource {
    public var timeout: TimeAmount = .seconds(10)
    public var maximumBytes = 16 << 20
    let http: HTTPClient

    public init(http: HTTPClient = .shared) {
        self.http = http
    }

    public func tournaments(_ slug: String, from location: String, timeZone: SiteTimeZone) async throws(ContentErrors) -> TournamentSnapshot {
        let url = "\(location)/api/v1/gms/public/\(slug)/export"
        func failure(_ reason: String) -> ContentErrors { ContentErrors([ContentError(file: "gms: \(url)", reason)]) }
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
            throw failure("GMS cannot be reached: \(error)")
        }
        guard status == 200 else { throw failure("GMS answered \(status)") }
        let body: JSONValue
        do { body = try JSONValue.parse(bytes) } catch { throw failure("not JSON: \(error.description)") }
        let tournaments = try GMSExport.tournaments(body, source: "gms: \(url)", timeZone: timeZone)
        let asOf: Int64? = if case .string(let text)? = body["as_of"] { Int64(text) } else { nil }
        return TournamentSnapshot(tournaments: tournaments, asOf: asOf)
    }
}
