import ComproModel
import Foundation
import KoniJSON
import KoniServiceKit
import KoniSports
import Logging
import PostgresNIO

/// One sync of a ``TournamentProvider`` into a branch's tournaments (KONI Pusat's by default):
/// tournaments first, then each followed tournament's matches, page by page from where the last
/// run stopped. Incremental (`updated_since` from the latest update seen), resumable (the cursor
/// is stored in the same transaction as the page's rows, so a run cut anywhere neither loses nor
/// repeats a page), rate-limit aware (waits out a 429's `Retry-After` and an exhausted window up to
/// ``Settings/maxWaitSeconds``, else stops as `rate_limited` to resume next run), bounded (a
/// request budget per run), and logged in `gms_sync_logs`. New and changed tournaments announce
/// `tournament.created`/`tournament.updated`; a match that becomes completed, `match.completed`.
struct TournamentSync: Sendable {
    struct Settings: Sendable {
        /// The branch synced tournaments belong to.
        var tenantSlug = "pusat"
        /// Provider requests one run may make; the next run goes on from there.
        var maxRequests = 2000
        /// Attempts of one page when the provider is unavailable.
        var maxAttempts = 4
        var initialBackoff: Duration = .milliseconds(500)
        /// The longest rate-limit wait inside a run; a longer one ends the run.
        var maxWaitSeconds = 60
    }

    /// How a run ended.
    struct Outcome: Sendable {
        var logID: Int64?
        var status: String
        var counts: GMSStore.SyncCounts
        var error: String?
    }

    let database: Database
    let store: GMSStore
    let provider: any TournamentProvider
    let settings: Settings
    let relay: OutboxRelay?
    let logger: Logger
    var sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }

    /// Why a run stops early.
    enum Stop: Error {
        case rateLimited(Int)
        case failed(String)
        /// The provider refused a request (4xx): a stale cursor is worth one fresh pass.
        case refused(Int, String)
        case budget
    }

    func run() async throws -> Outcome {
        let logID = try await database.client.withConnection { try await store.startSyncLog(source: provider.source, on: $0) }
        var run = SyncRun(sync: self, traceID: UUID().uuidString.lowercased())
        var outcome = Outcome(logID: logID, status: "succeeded", counts: .init(), error: nil)
        do {
            try await run.tournaments()
            try await run.matches()
        } catch let stop as Stop {
            switch stop {
            case .rateLimited(let seconds): (outcome.status, outcome.error) = ("rate_limited", "the provider asked to wait \(seconds) s; the next run resumes")
            case .failed(let reason): (outcome.status, outcome.error) = ("failed", reason)
            case .refused(let status, let message): (outcome.status, outcome.error) = ("failed", "the provider refused a request (\(status)): \(message)")
            case .budget: (outcome.status, outcome.error) = ("interrupted", "the budget of \(settings.maxRequests) requests is used; the next run resumes")
            }
        } catch is CancellationError {
            (outcome.status, outcome.error) = ("interrupted", "stopped by shutdown; the next run resumes")
        } catch {
            (outcome.status, outcome.error) = ("failed", String(reflecting: error).prefix(500).description)
        }
        outcome.counts = run.counts
        if !run.refused.isEmpty {
            let list = run.refused.prefix(20).joined(separator: "; ")
            outcome.error = [outcome.error, "refused \(run.refused.count): \(list)"].compactMap { $0 }.joined(separator: " | ")
        }
        if let logID {
            let final = outcome
            try await database.client.withConnection { connection in
                try await store.finishSyncLog(
                    logID, status: final.status, counts: final.counts, error: final.error.map { String($0.prefix(4000)) }, on: connection)
            }
        }
        logger.log(
            level: outcome.status == "succeeded" ? .info : .warning, "tournament sync finished",
            metadata: [
                "source": "\(provider.source)", "status": "\(outcome.status)", "requests": "\(run.counts.requests)", "pages": "\(run.counts.pages)",
                "tournaments": "\(run.counts.tournaments)", "matches": "\(run.counts.matches)", "refused": "\(run.counts.refused)",
                "error": "\(outcome.error ?? "")",
            ]
        )
        return outcome
    }
}

/// The state of one run: its counters and the items it refused.
struct SyncRun: Sendable {
    let sync: TournamentSync
    let traceID: String
    var counts = GMSStore.SyncCounts()
    var refused: [String] = []

    var store: GMSStore { sync.store }
    var source: String { sync.provider.source }

    /// One page, with retries for an unavailable provider and waits for its rate limit.
    mutating func fetch<Item>(_ call: () async throws(ProviderError) -> ProviderPage<Item>) async throws -> ProviderPage<Item> {
        var attempt = 0
        var backoff = sync.settings.initialBackoff
        while true {
            guard counts.requests < sync.settings.maxRequests else { throw TournamentSync.Stop.budget }
            try Task.checkCancellation()
            counts.requests += 1
            var error = ProviderError.unavailable("no attempt made")
            let page: ProviderPage<Item>?
            do throws(ProviderError) {
                page = try await call()
            } catch let failure {
                error = failure
                page = nil
            }
            if let page {
                // An exhausted window is waited out before the next request, not after a 429.
                if page.remaining == 0, let reset = page.resetSeconds, reset > 0, reset <= sync.settings.maxWaitSeconds {
                    try await wait(seconds: reset)
                }
                return page
            }
            switch error {
            case .rateLimited(let seconds):
                guard seconds <= sync.settings.maxWaitSeconds else { throw TournamentSync.Stop.rateLimited(seconds) }
                try await wait(seconds: seconds)
            case .unavailable(let reason):
                attempt += 1
                guard attempt < sync.settings.maxAttempts else {
                    throw TournamentSync.Stop.failed("the provider was unavailable \(attempt) times in a row: \(reason)")
                }
                counts.retries += 1
                try await sync.sleep(backoff)
                backoff = min(backoff * 2, .seconds(30))
            case .refused(let status, let message):
                throw TournamentSync.Stop.refused(status, message)
            case .malformed:
                throw TournamentSync.Stop.failed(error.description)
            }
        }
    }

    mutating func wait(seconds: Int) async throws {
        counts.waitedMilliseconds += Int64(seconds) * 1000
        try await sync.sleep(.seconds(seconds))
    }

    /// Pages of tournaments from the stored position until the last page.
    mutating func tournaments() async throws {
        let source = self.source
        let provider = sync.provider
        let start = try await sync.database.client.withConnection { [store] in try await store.tournamentsPosition(source: source, on: $0) }
        try await walk(
            "tournament", from: start, counting: \.tournaments,
            page: { position throws(ProviderError) in try await provider.tournaments(updatedSince: position.since, cursor: position.cursor) },
            apply: { [self] item, connection in try await upsert(item, on: connection) },
            save: { [store] position, connection in try await store.saveTournamentsPosition(position, source: source, on: connection) },
            id: \.id
        )
    }

    /// Each followed tournament's matches from its stored position until its last page.
    mutating func matches() async throws {
        let source = self.source
        let provider = sync.provider
        let tenantID = self.tenantID
        let followed = try await sync.database.client.withConnection { [store] in try await store.syncedTournaments(source: source, on: $0) }
        for tournament in followed {
            guard
                let record = try await sync.database.client.withConnection({ [store] in
                    try await store.tournament(id: tournament.tournamentID, tenantID: tenantID, on: $0)
                })
            else { continue }
            try await walk(
                "match", from: tournament.position, counting: \.matches,
                page: { position throws(ProviderError) in
                    try await provider.matches(tournamentID: tournament.externalID, updatedSince: position.since, cursor: position.cursor)
                },
                apply: { [self] item, connection in try await upsert(item, of: record, on: connection) },
                save: { [store] position, connection in
                    try await store.saveMatchesPosition(position, source: source, externalID: tournament.externalID, on: connection)
                },
                id: \.id
            )
        }
    }

    /// One list read from `start` to its last page; each page's items are written together with
    /// the position after the page, in one transaction. A cursor the provider no longer takes
    /// (400) starts the pass again from `since`. Changed items are counted in `counter` page by
    /// page, so a run cut halfway still logs what it wrote.
    mutating func walk<Item: Sendable>(
        _ kind: String, from start: GMSStore.SyncPosition, counting counter: WritableKeyPath<GMSStore.SyncCounts, Int>,
        page read: @escaping @Sendable (GMSStore.SyncPosition) async throws(ProviderError) -> ProviderPage<Item>,
        apply: @escaping @Sendable (Item, PostgresConnection) async throws -> Bool,
        save: @escaping @Sendable (GMSStore.SyncPosition, PostgresConnection) async throws -> Void,
        id: @escaping @Sendable (Item) -> String
    ) async throws {
        var position = start
        while true {
            let current = position
            let page: ProviderPage<Item>
            do {
                page = try await fetch { () throws(ProviderError) in try await read(current) }
            } catch TournamentSync.Stop.refused(400, _) where current.cursor != nil {
                position.cursor = nil
                position.seenUntil = nil
                continue
            }
            let next = position.after(nextCursor: page.nextCursor, latestUpdate: page.latestUpdate)
            let (changed, refusedHere) = try await sync.database.transaction(.readWrite) { connection -> (Int, [String]) in
                var changed = 0
                var refusedHere: [String] = []
                for item in page.items {
                    do {
                        if try await apply(item, connection) { changed += 1 }
                    } catch let error as FieldError {
                        refusedHere.append("\(kind) \(id(item)): \(error.description)")
                    }
                }
                try await save(next, connection)
                return (changed, refusedHere)
            }
            sync.relay?.notify()
            position = next
            counts.pages += 1
            counts[keyPath: counter] += changed
            note(refused: page.refused.map { "\(kind) \($0)" } + refusedHere)
            if page.nextCursor == nil { return }
        }
    }

    mutating func note(refused items: [String]) {
        guard !items.isEmpty else { return }
        counts.refused += items.count
        if refused.count < 100 { refused.append(contentsOf: items.prefix(100 - refused.count)) }
        sync.logger.warning("sync refused items", metadata: ["source": "\(source)", "items": "\(items.prefix(5).joined(separator: "; "))"])
    }

    var tenantID: UUID { BranchID.derived(slug: sync.settings.tenantSlug) }
}
