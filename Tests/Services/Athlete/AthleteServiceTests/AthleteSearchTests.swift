import ComproModel
import Foundation
import HummingbirdTesting
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import PostgresNIO
import Testing

@testable import AthleteService

/// Name search looks at words first and falls back to the nearest-name index. On random typo'd
/// names over a branch whose names share many words: the words path's page is ordered by
/// likeness, holds only the branch's athletes, finds the typed name whenever the nearest-name
/// index does, and holds every name of the index's page that shares two words with the query
/// unless its page is full of names at least as alike (a name sharing one word, "Alif Alif" for
/// "Ani Alif", may be more alike and is not a candidate: docs/athlete-service.md); a one-word
/// search lists the names holding that word in the order of similarity; pages follow each other.
@Suite struct AthleteSearchTests {
    static let first = ["Muhammad", "Ahmad", "Budi", "Siti", "Dewi", "Agus", "Rizki", "Putri", "Andi", "Nur", "Fajar", "Alif"]
    static let last = ["Pratama", "Saputra", "Wijaya", "Santoso", "Hidayat", "Kurniawan", "Lestari", "Rahman", "Siregar", "Alif"]

    static func typo(_ name: String, _ dice: inout SeededRandom) -> String {
        var characters = Array(name)
        let index = 1 + dice.below(characters.count - 2)
        if dice.chance(50) { characters.remove(at: index) } else { characters.insert(characters[index], at: index) }
        return String(characters)
    }

    @Test func theWordPathFindsWhatTheNearestNamesWouldAndOnlyTheBranchs() async throws {
        let test = try await AthleteAPITests.App()
        // The migrations run when the application starts.
        try await test.application().test(.router) { _ in try await Self.check(test) }
    }

    static func check(_ test: AthleteAPITests.App) async throws {
        let jatim = AthleteAPITests.jatim
        let jabar = BranchID.derived(slug: "jabar")
        var dice = SeededRandom(seed: 20)
        var names: [String] = []
        for _ in 0..<800 {
            let middle = dice.chance(30) ? " \(dice.pick(Self.first))" : ""
            names.append("\(dice.pick(Self.first))\(middle) \(dice.pick(Self.last))")
        }
        var rows: [String] = []
        for (index, name) in names.enumerated() {
            rows.append("('\(UUID())', '\(jatim)', 'atlet-\(index)', '\(name)', '1999-01-01', 'L', 'sepak-bola')")
        }
        // A word like "alif" (and names whose other word shares its trigrams): the one-word path's
        // second correction.
        for index in 0..<30 {
            rows.append(
                "('\(UUID())', '\(jatim)', 'alifah-\(index)', 'Alifah \(index % 3 == 0 ? "Syarif" : dice.pick(Self.last))', '1999-01-01', 'P', 'sepak-bola')")
        }
        // Another branch with the same names: never among jatim's results.
        for (index, name) in names.prefix(100).enumerated() {
            rows.append("('\(UUID())', '\(jabar)', 'atlet-\(index)', '\(name)', '1999-01-01', 'L', 'sepak-bola')")
        }
        _ = try await TestServers.query(
            "INSERT INTO athletes (id, tenant_id, slug, full_name, birth_date, gender, sport_code) VALUES \(rows.joined(separator: ", ")) RETURNING 1",
            on: test.configuration.databaseURL, as: Int.self
        )
        // The trigger kept the branch's vocabulary.
        let vocabulary = try await TestServers.query(
            "SELECT word FROM athlete_name_words WHERE tenant_id = '\(jatim)' ORDER BY word", on: test.configuration.databaseURL, as: String.self
        )
        #expect(vocabulary == Set((Self.first + Self.last + ["Alifah", "Syarif"]).map { $0.lowercased() }).sorted())

        let client = PostgresClient(configuration: try Database.configuration(url: test.configuration.databaseURL))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let store = AthleteStore(logger: test.logger)
            var byWords = 0
            for _ in 0..<80 {
                let typed = dice.pick(names)
                let query = Self.typo(typed, &dice)
                try await client.withConnection { connection in
                    let words = try await store.searchByWords(tenantID: jatim, query: query, limit: 10, on: connection)
                    let nearest = try await store.searchNearest(tenantID: jatim, query: query, limit: 10, offset: 0, on: connection)
                    #expect((words + nearest).allSatisfy { $0.tenantID == jatim })
                    guard words.count == 10 else { return }
                    byWords += 1
                    func likeness(_ found: [AthleteRecord]) async throws -> [Double] {
                        var result: [Double] = []
                        for athlete in found {
                            for try await value in try await connection.query("SELECT similarity(\(athlete.fullName), \(query))::float8", logger: test.logger)
                                .decode(Double.self)
                            { result.append(value) }
                        }
                        return result
                    }
                    let alike = try await likeness(words)
                    let context = "\(query): \(words.map(\.fullName)) vs \(nearest.map(\.fullName))"
                    #expect(alike == alike.sorted(by: >) && alike.allSatisfy { $0 >= 0.3 }, "\(context)")
                    if nearest.contains(where: { $0.fullName == typed }) { #expect(words.contains { $0.fullName == typed }, "\(context)") }
                    // Names of the index's page that share two words with the query are on the words' page,
                    // unless the page is full of names at least as alike.
                    let queryWords = Set(query.lowercased().split { !$0.isLetter })
                    for athlete in nearest where Set(athlete.fullName.lowercased().split { !$0.isLetter }).intersection(queryWords).count >= 2 {
                        let its = try await likeness([athlete])[0]
                        #expect(words.contains { $0.id == athlete.id } || (alike.last ?? 0) >= its, "\(athlete.fullName) missing: \(context)")
                    }
                    // search() answers from the words path when it fills the page.
                    let answered = try await store.search(tenantID: jatim, query: query, limit: 10, offset: 0, on: connection)
                    #expect(answered.map(\.id) == words.map(\.id))
                }
            }
            // Most queries take the words path (else this test would check little).
            #expect(byWords >= 40, "\(byWords) of 80 queries took the words path")
            try await Self.checkOneWord(test, client: client, store: store)
            try await client.withConnection { connection in
                let one = try await store.search(tenantID: jatim, query: "Siregr", limit: 5, offset: 0, on: connection)
                #expect(one.count == 5 && one.allSatisfy { $0.fullName.hasSuffix("Siregar") }, "\(one.map(\.fullName))")
                // Two words no name holds together: the nearest names.
                let nearest = try await store.search(tenantID: jatim, query: "Alif Zzzz", limit: 5, offset: 0, on: connection)
                #expect(
                    nearest.map(\.id) == (try await store.searchNearest(tenantID: jatim, query: "Alif Zzzz", limit: 5, offset: 0, on: connection)).map(\.id))
                // Pages follow each other, by words and by the nearest names.
                for query in ["Siti Pratama", "Sti Pratama", "Aliff", "Alif Zzzz"] {
                    var seen: [UUID] = []
                    for page in 0..<4 { seen += try await store.search(tenantID: jatim, query: query, limit: 5, offset: page * 5, on: connection).map(\.id) }
                    #expect(Set(seen).count == seen.count && seen.count > 5, "\(query): \(seen.count) results")
                }
                // Two names run together are split.
                let together = try await store.searchByWords(tenantID: jatim, query: "SitiPratama", limit: 5, on: connection)
                #expect(
                    together.count == 5 && together.allSatisfy { $0.fullName.hasPrefix("Siti") && $0.fullName.hasSuffix("Pratama") },
                    "\(together.map(\.fullName))")
            }
        }
    }

    /// One word: the names holding each of its three nearest words of the branch (the typed word
    /// first), an athlete under the nearest it holds, each word's names shortest first (for the
    /// typed word, the order of similarity over every such name, also those under `%`'s 0.3), page
    /// after page at any page size; the table follows inserts, renames and deletions, and not other
    /// updates.
    static func checkOneWord(_ test: AthleteAPITests.App, client: PostgresClient, store: AthleteStore) async throws {
        let jatim = AthleteAPITests.jatim
        let url = test.configuration.databaseURL
        let words = AthleteStore.nameWords("a.full_name")
        let expected = try await TestServers.query(
            """
            WITH corrected AS (
                SELECT word, row_number() OVER (ORDER BY word <-> 'alif', word) AS rank FROM athlete_name_words
                WHERE tenant_id = '\(jatim)' AND similarity(word, 'alif') >= 0.25 ORDER BY word <-> 'alif', word LIMIT 3
            )
            SELECT a.id::text FROM athletes a CROSS JOIN LATERAL (SELECT min(rank) AS rank FROM corrected WHERE word = ANY (\(words))) nearest
            WHERE a.tenant_id = '\(jatim)' AND nearest.rank IS NOT NULL
            ORDER BY nearest.rank, cardinality(show_trgm(a.full_name)), a.full_name, a.id
            """,
            on: url, as: String.self
        )
        let holdingAlif = try await TestServers.query(
            "SELECT id::text FROM athletes a WHERE tenant_id = '\(jatim)' AND 'alif' = ANY (\(words)) ORDER BY similarity(full_name, 'Alif') DESC, full_name, id",
            on: url, as: String.self
        )
        let underThreshold = try await TestServers.query(
            "SELECT count(*)::int FROM athletes a WHERE tenant_id = '\(jatim)' AND 'alif' = ANY (\(words)) AND NOT full_name % 'Alif'", on: url, as: Int.self
        )
        #expect(holdingAlif.count > 100 && expected.count > holdingAlif.count + 20 && underThreshold.first ?? 0 > 0)
        #expect(Array(expected.prefix(holdingAlif.count)) == holdingAlif)
        try await client.withConnection { connection in
            for size in [50, 7] {
                var pages: [String] = []
                for page in 0..<80 {
                    let found = try await store.search(tenantID: jatim, query: "Alif", limit: size, offset: page * size, on: connection)
                    pages += found.map { $0.id.uuidString.lowercased() }
                    if found.count < size { break }
                }
                #expect(pages == expected, "page size \(size): \(pages.count) of \(expected.count)")
            }
            #expect(try await store.searchByOneWord(tenantID: jatim, query: "Alif Pratama", limit: 5, on: connection).isEmpty)
            // Two names run together with a typo (the split finds no two names' words) are not read
            // as the shorter word they hold ("siti"): the nearest names answer.
            let together = try await store.search(tenantID: jatim, query: "SitiPratma", limit: 5, offset: 0, on: connection)
            let nearest = try await store.searchNearest(tenantID: jatim, query: "SitiPratma", limit: 5, offset: 0, on: connection)
            #expect(
                !together.isEmpty && together.map(\.id) == nearest.map(\.id)
                    && together.first.map { $0.fullName.hasPrefix("Siti") && $0.fullName.hasSuffix("Pratama") } == true, "\(together.map(\.fullName))")
        }
        try await Self.checkHopeless(test, client: client, store: store)
        // A rename: the new word is searchable at once; an update that keeps the name rewrites
        // nothing; a deletion takes the athlete's rows.
        let renamed = try await TestServers.query(
            "UPDATE athletes SET full_name = 'Zulkarnain Pratama' WHERE tenant_id = '\(jatim)' AND slug = 'atlet-0' RETURNING id::text", on: url,
            as: String.self
        )
        let rows = "SELECT word || ' ' || full_name || ' ' || xmin::text FROM athlete_names_by_word WHERE athlete_id = '\(renamed.joined())' ORDER BY word"
        let indexed = try await TestServers.query(rows, on: url, as: String.self)
        #expect(
            renamed.count == 1
                && indexed.map { $0.split(separator: " ").dropLast().joined(separator: " ") } == [
                    "pratama Zulkarnain Pratama", "zulkarnain Zulkarnain Pratama",
                ])
        try await client.withConnection { connection in
            let found = try await store.search(tenantID: jatim, query: "Zulkarnain", limit: 5, offset: 0, on: connection)
            #expect(found.map { $0.id.uuidString.lowercased() } == renamed)
        }
        _ = try await TestServers.query(
            "UPDATE athletes SET full_name = full_name, featured = true WHERE id = '\(renamed.joined())' RETURNING 1", on: url, as: Int.self)
        #expect(try await TestServers.query(rows, on: url, as: String.self) == indexed)
        _ = try await TestServers.query("DELETE FROM athletes WHERE id = '\(renamed.joined())' RETURNING 1", on: url, as: Int.self)
        #expect(try await TestServers.query(rows, on: url, as: String.self).isEmpty)
    }

    /// One or two letters like no word of the branch's names: the nearest-name index is not read,
    /// and that loses nothing, because no name can be 0.3 alike to such a query. The reason is a
    /// property of pg_trgm's similarity, checked here over every name of two words (one of up to
    /// five letters, one of up to three) and of three words (four letters in all) over the letters
    /// a, n, r, which share trigrams as much as words can; it is false for three letters.
    static func checkHopeless(_ test: AthleteAPITests.App, client: PostgresClient, store: AthleteStore) async throws {
        let jatim = AthleteAPITests.jatim
        let url = test.configuration.databaseURL
        let counterexamples = try await TestServers.query(
            """
            WITH RECURSIVE words(word) AS (
                SELECT unnest(ARRAY['a', 'n', 'r']) UNION ALL
                SELECT word || letter FROM words, unnest(ARRAY['a', 'n', 'r']) letter WHERE length(word) < 5
            ), names AS (
                SELECT ARRAY[a.word, b.word] AS parts FROM words a, words b WHERE length(b.word) <= 3
                UNION ALL SELECT ARRAY[a.word, b.word, c.word] FROM words a, words b, words c WHERE length(a.word || b.word || c.word) <= 4
            ), queries AS (SELECT word AS query FROM words WHERE length(word) <= 2)
            SELECT count(*)::int FROM names, queries
            WHERE similarity(array_to_string(parts, ' '), query) >= 0.3
                AND NOT EXISTS (SELECT 1 FROM unnest(parts) part WHERE similarity(part, query) >= 0.25)
            UNION ALL
            SELECT count(*)::int FROM (VALUES ('aaanaa n', 'naa')) AS three(name, query)
            WHERE name % query AND similarity('aaanaa', query) < 0.25 AND similarity('n', query) < 0.25
            """,
            on: url, as: Int.self
        )
        #expect(counterexamples == [0, 1])

        func plan(_ query: String) async throws -> [String] {
            let sql = AthleteStore.nearestSQL.replacingOccurrences(of: "$1", with: "'\(jatim)'::uuid").replacingOccurrences(of: "$2", with: "'\(query)'")
                .replacingOccurrences(of: "$3", with: "10").replacingOccurrences(of: "$4", with: "0").replacingOccurrences(of: "$5", with: "10")
            return try await TestServers.query("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) \(sql)", on: url, as: String.self)
        }
        let names = try await TestServers.query("SELECT full_name FROM athletes WHERE tenant_id = '\(jatim)'", on: url, as: String.self)
        try await client.withConnection { connection in
            // "Xq" and "Zz" are like no word of the names; "Nu" is like "nur" and is searched.
            for query in ["Xq", "Zz"] {
                #expect(try await store.search(tenantID: jatim, query: query, limit: 10, offset: 0, on: connection).isEmpty)
                let lines = try await plan(query)
                let athleteScans = lines.filter { $0.contains("Scan") && $0.contains(" on athletes") }
                #expect(lines.contains { $0.contains("One-Time Filter") } && !athleteScans.isEmpty && athleteScans.allSatisfy { $0.contains("never executed") })
                #expect(!names.contains { name in name.lowercased().split(separator: " ").contains { $0.hasPrefix(query.lowercased()) } })
            }
            let nu = try await store.search(tenantID: jatim, query: "Nu", limit: 10, offset: 0, on: connection)
            #expect(!nu.isEmpty && nu.allSatisfy { $0.fullName.contains("Nur") })
            #expect(try await plan("Nu").contains { $0.contains("Scan") && $0.contains(" on athletes") && !$0.contains("never executed") })
        }
    }
}
