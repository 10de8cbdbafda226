import AsyncHTTPClient
import Foundation
import KoniJSON
import KoniServiceKit

/// The international tournament API of `docs/api/international-tournaments.openapi.yaml`, over
/// HTTP with its `X-Api-Key`. Every answer is checked field by field and bounded (size, items per
/// page, text lengths); an item that breaks the contract is refused on its own, with its reason.
struct InternationalAPIClient: TournamentProvider {
    struct Settings: Sendable {
        var baseURL: String
        var apiKey: String
        var timeout: Duration = .seconds(10)
        var pageSize = 100
        var maxResponseBytes = 4 << 20
    }

    let settings: Settings
    let source = "intl"
    /// One attempt per request (``TournamentSync`` retries with its own rate-limit-aware backoff),
    /// bounded as a whole: a provider that sends its head and stalls its body cannot hold the sync.
    /// Redirects are not followed (the API key is never sent elsewhere): a moved API is a refusal.
    private let client: ServiceClient

    init(settings: Settings, http: HTTPClient = ServiceClient.externalHTTPClient) {
        self.settings = settings
        var clientSettings = ServiceClient.Settings(baseURL: settings.baseURL, headers: [("X-Api-Key", settings.apiKey)])
        clientSettings.timeout = settings.timeout
        clientSettings.maxAttempts = 1
        clientSettings.maxResponseBytes = settings.maxResponseBytes
        // The sync reads every status itself (429's wait, 5xx as an outage).
        clientSettings.failureStatuses = []
        // No breaker of its own: the sync's attempts and backoff already pace an outage, and an
        // open breaker would answer its retries with "refused" instead of the provider's failure.
        client = ServiceClient(settings: clientSettings, breaker: CircuitBreaker(threshold: .max), http: http)
    }

    static let sports = ["football": "sepak-bola", "chess": "catur", "badminton": "bulu-tangkis", "basketball": "bola-basket"]

    func tournaments(updatedSince: String?, cursor: String?) async throws(ProviderError) -> ProviderPage<ProviderTournament> {
        let (body, remaining, reset) = try await get("/v1/tournaments", updatedSince: updatedSince, cursor: cursor)
        return try Self.page(body, remaining: remaining, reset: reset, read: Self.tournament)
    }

    func matches(tournamentID: String, updatedSince: String?, cursor: String?) async throws(ProviderError) -> ProviderPage<ProviderMatch> {
        guard Self.isID(tournamentID) else { throw .malformed("tournament id '\(tournamentID.prefix(70))'") }
        let (body, remaining, reset) = try await get("/v1/tournaments/\(tournamentID)/matches", updatedSince: updatedSince, cursor: cursor)
        return try Self.page(body, remaining: remaining, reset: reset, read: Self.match)
    }

    // MARK: HTTP

    func get(_ path: String, updatedSince: String?, cursor: String?) async throws(ProviderError) -> (JSONValue, Int?, Int?) {
        var query = ["limit=\(settings.pageSize)"]
        if let updatedSince { query.append("updated_since=\(Self.escape(updatedSince))") }
        if let cursor { query.append("cursor=\(Self.escape(cursor))") }
        let reply: ServiceClient.Reply
        do {
            reply = try await client.get(path + "?" + query.joined(separator: "&"))
        } catch {
            switch error {
            case .tooLarge: throw .malformed("more than \(settings.maxResponseBytes) bytes")
            case .malformed(_, let reason): throw .malformed("not JSON: \(reason)")
            default: throw .unavailable(error.description)
            }
        }
        let status = reply.status
        let remaining = reply.header("X-RateLimit-Remaining").flatMap { Int($0) }.map { max(0, $0) }
        let reset = reply.header("X-RateLimit-Reset").flatMap { Int($0) }.map { min(max(0, $0), 86400) }
        if status == 429 {
            let retryAfter = reply.header("Retry-After").flatMap { Int($0) } ?? reset ?? 60
            throw .rateLimited(retryAfter: min(max(1, retryAfter), 86400))
        }
        if status >= 500 { throw .unavailable("the provider answered \(status)") }
        guard status == 200 else {
            // The status decides (a stale cursor is a 400 whatever its body says).
            let message: String = if case .string(let text)? = reply.body["error"]?["message"] { String(text.prefix(200)) } else { "no message" }
            throw .refused(status, message)
        }
        return (reply.body, remaining, reset)
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }

    // MARK: Checking answers

    static func page<Item>(
        _ body: JSONValue, remaining: Int?, reset: Int?, read: (JSONFields) throws(FieldError) -> Item
    ) throws(ProviderError) -> ProviderPage<Item> {
        guard case .array(let data)? = body["data"] else { throw .malformed("no data array") }
        guard data.count <= 1000 else { throw .malformed("\(data.count) items on one page") }
        var next: String?
        switch body["next_cursor"] {
        case .string(let cursor)?:
            guard !cursor.isEmpty, cursor.utf8.count <= 1024 else { throw .malformed("next_cursor empty or longer than 1024 bytes") }
            next = cursor
        case .null?, nil: next = nil
        default: throw .malformed("next_cursor is not a string or null")
        }
        var page = ProviderPage<Item>(items: [], refused: [], latestUpdate: nil, nextCursor: next, remaining: remaining, resetSeconds: reset)
        for value in data {
            let fields: JSONFields
            do { fields = try JSONFields(value) } catch { page.refused.append("an item that is not an object"); continue }
            if case .string(let updated)? = value["updated_at"], let date = RFC3339.date(updated),
                date > (page.latestUpdate.flatMap(RFC3339.date) ?? .distantPast)
            {
                page.latestUpdate = updated
            }
            do {
                page.items.append(try read(fields))
            } catch {
                let id: String = if case .string(let text)? = value["id"] { String(text.prefix(64)) } else { "?" }
                page.refused.append("\(id): \(error.description)")
            }
        }
        return page
    }

    static func isID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { $0.isASCIIAlnum || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
    }

    static func id(_ fields: JSONFields, _ key: String) throws(FieldError) -> String {
        let text = try fields.requiredString(key)
        guard isID(text) else { throw fields.error(key, "1 to 64 letters, digits, - or _") }
        return text
    }

    static func updatedAt(_ fields: JSONFields) throws(FieldError) -> String {
        let text = try fields.requiredString("updated_at")
        guard RFC3339.date(text) != nil else { throw fields.error("updated_at", "an RFC 3339 time") }
        return text
    }

    static func tournament(_ fields: JSONFields) throws(FieldError) -> ProviderTournament {
        let sportName = try fields.requiredString("sport")
        guard let sport = sports[sportName] else { throw fields.error("sport", "'\(sportName.prefix(30))' is not a sport KONI keeps") }
        guard let format = TournamentRecord.Format(rawValue: try fields.requiredString("format")) else { throw fields.error("format", "league or knockout") }
        let startsOn = try GMSAPI.day(fields, "starts_on")
        let endsOn = try GMSAPI.day(fields, "ends_on")
        guard endsOn >= startsOn else { throw fields.error("ends_on", "on or after starts_on") }
        return ProviderTournament(
            id: try id(fields, "id"), name: try fields.line("name", limit: 200, required: true) ?? "", sport: sport, format: format, startsOn: startsOn,
            endsOn: endsOn,
            updatedAt: try updatedAt(fields)
        )
    }

    static func match(_ fields: JSONFields) throws(FieldError) -> ProviderMatch {
        guard let round = try fields.int("round"), (1...64).contains(round) else { throw fields.error("round", "a whole number from 1 to 64") }
        guard let position = try fields.int("position"), (1...4096).contains(position) else { throw fields.error("position", "a whole number from 1 to 4096") }
        guard let scheduled = RFC3339.date(try fields.requiredString("scheduled_at")) else { throw fields.error("scheduled_at", "an RFC 3339 time") }
        guard let status = MatchRecord.Status(rawValue: try fields.requiredString("status")) else {
            throw fields.error("status", "scheduled, live, completed or cancelled")
        }
        func side(_ key: String) throws(FieldError) -> String {
            guard let side = try fields.object(key) else { throw fields.error(key, "is required") }
            return try side.line("name", limit: 200, required: true) ?? ""
        }
        var score: JSONValue?
        if let value = fields.value("score"), value != .null {
            guard status == .completed else { throw fields.error("score", "only a completed match has a score") }
            score = value
        } else if status == .completed {
            throw fields.error("score", "a completed match needs one")
        }
        return ProviderMatch(
            id: try id(fields, "id"), round: round, position: position, scheduledAt: scheduled, status: status, home: try side("home"), away: try side("away"),
            score: score, updatedAt: try updatedAt(fields)
        )
    }
}

extension UInt8 {
    fileprivate var isASCIIAlnum: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
