import Foundation
import KoniJSON

/// A source of tournaments and matches outside KONI, read page by page with `updated_since` and a
/// cursor (the contract is `docs/api/international-tournaments.openapi.yaml`); a real provider is
/// one type conforming to this, ``InternationalAPIClient`` is the contract's own.
protocol TournamentProvider: Sendable {
    /// The name sync state and logs are kept under (`intl`).
    var source: String { get }
    func tournaments(updatedSince: String?, cursor: String?) async throws(ProviderError) -> ProviderPage<ProviderTournament>
    func matches(tournamentID: String, updatedSince: String?, cursor: String?) async throws(ProviderError) -> ProviderPage<ProviderMatch>
}

/// One page of a provider's answer, with what it said about its rate limit.
struct ProviderPage<Item: Sendable>: Sendable {
    /// The items that passed checking.
    var items: [Item]
    /// Items refused by checking, each with its id (when readable) and the reason.
    var refused: [String]
    /// The greatest `updated_at` on the page, refused items included (they are not read again).
    var latestUpdate: String?
    var nextCursor: String?
    /// Requests left in the provider's window, and seconds until it resets, if it said.
    var remaining: Int?
    var resetSeconds: Int?
}

/// A tournament as a provider describes it, checked.
struct ProviderTournament: Sendable, Equatable {
    var id: String
    var name: String
    /// KONI's sport code (`sepak-bola`), mapped from the provider's (`football`).
    var sport: String
    var format: TournamentRecord.Format
    var startsOn: String
    var endsOn: String
    var updatedAt: String
}

/// A match as a provider describes it, checked except for its score, which needs the sport.
struct ProviderMatch: Sendable, Equatable {
    var id: String
    var round: Int
    var position: Int
    var scheduledAt: Date
    var status: MatchRecord.Status
    var home: String
    var away: String
    var score: JSONValue?
    var updatedAt: String
}

/// Why a provider call failed, and so what the sync does next.
enum ProviderError: Error, Sendable, CustomStringConvertible {
    /// 429: wait `retryAfter` seconds.
    case rateLimited(retryAfter: Int)
    /// 5xx, a timeout, no connection: worth another attempt.
    case unavailable(String)
    /// Any other refusal (a bad key, a bad cursor): another attempt would get the same.
    case refused(Int, String)
    /// An answer that is not the contract's.
    case malformed(String)

    var description: String {
        switch self {
        case .rateLimited(let seconds): "rate limited for \(seconds) s"
        case .unavailable(let reason): "unavailable: \(reason)"
        case .refused(let status, let message): "refused (\(status)): \(message)"
        case .malformed(let reason): "answer not in the contract: \(reason)"
        }
    }
}
