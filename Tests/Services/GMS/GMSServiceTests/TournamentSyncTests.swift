import ComproModel
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Testing

@testable import GMSService

/// The sync against the local international API (`fake_international.py`) and real PostgreSQL:
/// paging, rate limits, a failing page, refused items, incremental runs, resuming after an outage.
@Suite(.serialized) struct TournamentSyncTests {
    static func tournament(_ id: String, sport: String = "football", format: String = "league") -> JSONValue {
        .object([
            ("id", .string(id)), ("name", .string("International \(id)")), ("sport", .string(sport)), ("country", .string("ID")), ("format", .string(format)),
            ("starts_on", .string("2026-11-01")), ("ends_on", .string("2026-12-31")),
        ])
    }

    static func match(_ id: String, of tournament: String, round: Int = 1, position: Int, score: (Int, Int)? = nil) -> JSONValue {
        .object([
            ("id", .string(id)), ("tournament_id", .string(tournament)), ("round", .number(Double(round))), ("position", .number(Double(position))),
            ("scheduled_at", .string("2026-12-0\(position)T12:00:00.000Z")), ("status", .string(score == nil ? "scheduled" : "completed")),
            ("home", .object([("id", .string("\(id)-h")), ("name", .string("Team \(id) H"))])),
            ("away", .object([("id", .string("\(id)-a")), ("name", .string("Team \(id) A"))])),
            ("score", score.map { .object([("home", .number(Double($0.0))), ("away", .number(Double($0.1)))]) } ?? .null),
        ])
    }

    struct Harness {
        let fake: FakeInternational
        let database: Database
        let logger: Logger

        func sync(pageSize: Int = 2, maxWaitSeconds: Int = 5, apiKey: String? = nil) -> TournamentSync {
            var client = InternationalAPIClient.Settings(baseURL: fake.baseURL, apiKey: apiKey ?? fake.apiKey)
            client.pageSize = pageSize
            client.timeout = .seconds(5)
            var settings = TournamentSync.Settings()
            settings.maxAttempts = 3
            settings.initialBackoff = .milliseconds(20)
            settings.maxWaitSeconds = maxWaitSeconds
            return TournamentSync(
                database: database, store: GMSStore(logger: logger), provider: InternationalAPIClient(settings: client), settings: settings, relay: nil,
                logger: logger
            )
        }
    }

    /// GMS's schema on a fresh database (the application runs its migrations), then `body`.
    func withHarness(_ body: @Sendable (Harness, String) async throws -> Void) async throws {
        let fake = try FakeInternational.named("sync-tests")
        try await fake.control("reset")
        let test = try await GMSTestApp()
        let url = test.configuration.databaseURL
        let logger = test.logger
        try await test.application().test(.router) { _ in
            let database = try Database(url: url, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await database.client.run() }
                try await body(Harness(fake: fake, database: database, logger: logger), url)
                group.cancelAll()
            }
        }
    }

    @Test func aSyncReadsEverythingThroughRateLimitsAndAFailingPageThenOnlyWhatChanged() async throws {
        try await withHarness { harness, url in
            let fake = harness.fake
            try await fake.control(
                "seed",
                .object([
                    (
                        "tournaments",
                        .array([
                            Self.tournament("wc-2026"), Self.tournament("afc-cup"), Self.tournament("chess-open", sport: "chess", format: "knockout"),
                            Self.tournament("bwf-finals", sport: "badminton", format: "knockout"), Self.tournament("fiba-asia", sport: "basketball"),
                        ])
                    ),
                    (
                        "matches",
                        .array([
                            Self.match("wc-1", of: "wc-2026", position: 1, score: (2, 1)), Self.match("wc-2", of: "wc-2026", position: 2, score: (0, 0)),
                            Self.match("wc-3", of: "wc-2026", position: 3), Self.match("afc-1", of: "afc-cup", position: 1, score: (3, 3)),
                            Self.match("fiba-1", of: "fiba-asia", position: 1), Self.match("bwf-1", of: "bwf-finals", position: 1, score: (2, 0)),
                        ])
                    ),
                ]))
            // Outside the contract (it names four sports), stored as a careless provider would send it.
            try await fake.control("seed", .object([("tournaments", .array([Self.tournament("ipl-2026", sport: "cricket")])), ("validate", .bool(false))]))
            // A rate limit of 5 requests per 2 s, and one 429 with `Retry-After: 1` for certain (on a
            // busy machine the window may pass before it fills).
            try await fake.control("rate_limit", .object([("limit", .number(5)), ("window_seconds", .number(2))]))
            try await fake.control(
                "fail", .object([("path_contains", .string("/v1/tournaments")), ("times", .number(1)), ("status", .number(429)), ("retry_after", .number(1))]))
            try await fake.control("fail", .object([("path_contains", .string("/matches")), ("times", .number(2)), ("status", .number(503))]))

            let first = try await harness.sync().run()
            #expect(first.status == "succeeded", "\(first.error ?? "")")
            #expect(first.counts.tournaments == 5 && first.counts.matches == 6, "\(first.counts)")
            #expect(first.counts.refused == 1 && (first.error ?? "").contains("ipl-2026"), "\(first.error ?? "")")
            #expect(first.counts.retries == 2 && first.counts.waitedMilliseconds >= 1000, "\(first.counts)")
            let logged = try await TestServers.query(
                "SELECT status || ' ' || requests || ' ' || retries || ' ' || tournaments || ' ' || matches || ' ' || refused FROM gms_sync_logs", on: url,
                as: String.self
            )
            #expect(logged == ["succeeded \(first.counts.requests) 2 5 6 1"], "\(logged)")
            let pusat = BranchID.derived(slug: "pusat")
            let stored = try await TestServers.query(
                "SELECT slug || ' ' || sport_code || ' ' || format FROM tournaments WHERE tenant_id = '\(pusat.uuidString.lowercased())' ORDER BY slug",
                on: url, as: String.self
            )
            #expect(
                stored == [
                    "intl-afc-cup sepak-bola league", "intl-bwf-finals bulu-tangkis knockout", "intl-chess-open catur knockout",
                    "intl-fiba-asia bola-basket league",
                    "intl-wc-2026 sepak-bola league",
                ], "\(stored)")
            let completed = try await TestServers.query("SELECT count(*)::int FROM outbox WHERE type = 'match.completed'", on: url, as: Int.self)
            #expect(completed == [4])

            // One match gets its result; the next run reads from where the last stopped.
            try await fake.control("rate_limit", .object([("limit", .null)]))
            let before = try await fake.requests().count
            try await fake.control("seed", .object([("matches", .array([Self.match("wc-3", of: "wc-2026", position: 3, score: (1, 0))]))]))
            let second = try await harness.sync().run()
            #expect(second.status == "succeeded" && second.counts.matches == 1 && second.counts.tournaments == 0, "\(second.counts) \(second.error ?? "")")
            let seen = try await fake.requests().dropFirst(before)
            // The tournaments' list and the changed tournament's matches are asked for what changed since the last run.
            let incremental = seen.filter { ($0["path"]?.text ?? "") == "/v1/tournaments" || ($0["path"]?.text ?? "").contains("wc-2026") }
            #expect(incremental.count >= 2 && incremental.allSatisfy { ($0["query"]?.text ?? "").contains("updated_since=") }, "\(seen)")
            // Only the tournament whose match changed has its matches read again.
            let matchReads = Set(seen.compactMap { $0["path"]?.text }.filter { $0.hasSuffix("/matches") })
            #expect(matchReads == ["/v1/tournaments/wc-2026/matches"], "\(matchReads)")
            let completedNow = try await TestServers.query("SELECT count(*)::int FROM outbox WHERE type = 'match.completed'", on: url, as: Int.self)
            #expect(completedNow == [5])
            let score = try await TestServers.query("SELECT score::text FROM matches WHERE external_id = 'wc-3'", on: url, as: String.self)
            #expect(score.first?.contains("\"home\": 1") == true || score.first?.contains("\"home\":1") == true, "\(score)")
        }
    }

    @Test func aRunCutByAnOutageOrALongRateLimitResumesWhereItStopped() async throws {
        try await withHarness { harness, url in
            let fake = harness.fake
            try await fake.control("seed", .object([("tournaments", .array((1...7).map { Self.tournament("cup-\($0)") }))]))
            // Every page after the first fails: the run gives up after its attempts and keeps its place.
            try await fake.control("fail", .object([("path_contains", .string("cursor=")), ("times", .number(100)), ("status", .number(503))]))
            let cut = try await harness.sync().run()
            #expect(cut.status == "failed" && cut.counts.tournaments == 2, "\(cut.status) \(cut.counts)")
            try await fake.control("fail", .object([("clear", .bool(true))]))
            // A 429 longer than the run may wait ends the run as rate limited, place kept.
            try await fake.control(
                "fail",
                .object([("path_contains", .string("/v1/tournaments")), ("times", .number(1)), ("status", .number(429)), ("retry_after", .number(120))]))
            let limited = try await harness.sync().run()
            #expect(limited.status == "rate_limited" && limited.counts.tournaments == 0, "\(limited.status) \(limited.counts)")

            let before = try await fake.requests().count
            let resumed = try await harness.sync().run()
            #expect(resumed.status == "succeeded" && resumed.counts.tournaments == 5, "\(resumed.status) \(resumed.counts) \(resumed.error ?? "")")
            let first = try await fake.requests().dropFirst(before).first
            #expect(first?["query"]?.text?.contains("cursor=") == true, "the resumed run started a new pass: \(String(describing: first))")
            let count = try await TestServers.query("SELECT count(*)::int FROM tournaments", on: url, as: Int.self)
            #expect(count == [7])
            let statuses = try await TestServers.query("SELECT status FROM gms_sync_logs ORDER BY id", on: url, as: String.self)
            #expect(statuses == ["failed", "rate_limited", "succeeded"])

            // A wrong key is refused at once, not retried.
            let refused = try await harness.sync(apiKey: "wrong").run()
            #expect(refused.status == "failed" && refused.counts.requests == 1 && (refused.error ?? "").contains("401"), "\(refused.error ?? "")")
        }
    }
}
