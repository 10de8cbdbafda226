import Foundation
import PostgresNIO

/// Name search, most alike first (trigram similarity to the whole query), in three ways.
///
/// A GiST trigram index finds the nearest names directly (`ORDER BY full_name <-> q LIMIT n`, with
/// `pg_trgm`'s `%` threshold, 0.3, deciding what is alike at all), and is fast when the nearest
/// names are many alike ones; but its inner pages only hold unions of trigram signatures, so for a
/// rare three-word name it reads most of the index (35 ms on 100,000 athletes), and for a common
/// word thousands of equally alike names (24 ms). So a query looks at words first: each of its
/// words (two names run together are split where both parts are names' words) is corrected
/// against the branch's vocabulary of name words (a few thousand, so that kNN is cheap), and the
/// candidates are the athletes whose names hold two different corrected words (a GIN index keyed
/// by branch and word); those few hundred are ranked by similarity. That answer is what a person
/// means by a name search, not the similarity order over every name: a name sharing only one word
/// ("Alif Alif" for "Alif Rahan") may be more alike by trigrams and is not among them. A query of
/// one word the words do not answer lists the names holding a word like it (`searchByOneWord`).
/// Otherwise (words that fill less than a page, or one word like no name's word) the nearest-name
/// index answers, unless the query is one or two letters like no name's word, which no name can
/// be alike (`hopelessSQL`).
extension AthleteStore {
    /// The SQL expression of the words of a name, as the word index and the vocabulary have them.
    static func nameWords(_ column: String) -> String {
        "regexp_split_to_array(lower(\(column)), '[^[:alnum:]]+')"
    }

    /// Up to `limit` athletes whose names share two corrected words with `query`, most alike first.
    func searchByWords(tenantID: UUID, query: String, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        try await results(of: AthleteSearch<WordsPath>(tenantID: tenantID, query: query, limit: limit), on: connection)
    }

    /// Up to `limit` athletes whose names hold a word like `query`'s only word; none when `query`
    /// has more words.
    ///
    /// A common word ("Alif") is in thousands of names, all alike to the nearest-name index, which
    /// then reads most of itself (24 ms on 100,000 athletes). `athlete_names_by_word` holds each
    /// word's names in order of their count of distinct trigrams, which for the word itself is the
    /// order of similarity (all its trigrams are in the name). So the answer is, for the three
    /// nearest words of the branch's names (the typed word first when it is one), each word's names
    /// in that order, an athlete listed under the nearest word it holds: one total order, read as a
    /// page of each word's index range, so pages follow each other. Not the similarity order for a
    /// corrected word: a longer name whose other words share trigrams with the query can be more
    /// alike than a shorter one, and still comes after it.
    func searchByOneWord(tenantID: UUID, query: String, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        try await results(of: AthleteSearch<OneWordPath>(tenantID: tenantID, query: query, limit: limit), on: connection)
    }

    /// The athletes a search statement finds.
    ///
    /// PostgresNIO remembers a statement that failed to prepare on a connection and fails every
    /// later use of it there without asking the server; so a failure is retried once as an
    /// unnamed statement, and a connection whose preparation failed still answers.
    private func results<Path>(of statement: AthleteSearch<Path>, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        do {
            var result: [AthleteRecord] = []
            for try await athlete in try await connection.execute(statement, logger: logger) { result.append(athlete) }
            return result
        } catch let error as PSQLError {
            logger.warning(
                "prepared search failed, retried unprepared", metadata: ["statement": "\(AthleteSearch<Path>.name)", "error": "\(String(reflecting: error))"])
            return try await records(try await connection.query(PostgresQuery(unsafeSQL: Path.sql, binds: try statement.makeBindings()), logger: logger))
        }
    }

    /// The athletes nearest to `query` by the GiST trigram index.
    func searchNearest(tenantID: UUID, query: String, limit: Int, offset: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        var binds = PostgresBindings()
        binds.append(tenantID)
        binds.append(query)
        binds.append(offset + limit)
        binds.append(offset)
        binds.append(limit)
        return try await records(try await connection.query(PostgresQuery(unsafeSQL: Self.nearestSQL, binds: binds), logger: logger))
    }

    /// The nearest-name statement: $1 the branch, $2 the query, $3 how many to read (the offset
    /// plus the limit), $4 the offset, $5 the limit.
    ///
    /// The index's nearest names (with `%` as its condition, which prunes), all those as near as
    /// the last included (WITH TIES), then a total order: pages follow each other among equally
    /// near names without giving up the index's order. The index is not read at all (a one-time
    /// filter) for a query no name can be alike (`hopelessSQL`).
    static let nearestSQL = """
        SELECT \(columns) FROM (
            SELECT \(columns) FROM athletes WHERE tenant_id = $1 AND full_name % $2 AND NOT (\(hopelessSQL))
            ORDER BY full_name <-> $2 FETCH FIRST $3 ROWS WITH TIES
        ) nearest ORDER BY full_name <-> $2, full_name, id OFFSET $4 LIMIT $5
        """

    /// Whether the query ($2) is one word of one or two characters that no word of the branch's
    /// ($1) names is like (trigram similarity under 0.25). Then no name is 0.3 alike either, which
    /// `%` asks: a two-character word has three trigrams, and a name holding enough of them to be
    /// 0.3 alike holds a word 0.25 alike to it (checked over every name of two or three short words
    /// in `AthleteSearchTests`; false for three characters: "aaanaa n" is 0.3 alike to "naa").
    /// The nearest-name index would otherwise read most of itself to find nothing ("Nr" for "Nur":
    /// 23 ms on 100,000 athletes); the vocabulary's own index finds its nearest word at once.
    static let hopelessSQL = """
        SELECT cardinality(typed.words) = 1 AND length(typed.words[1]) <= 2 AND NOT EXISTS (
            SELECT 1 FROM (
                SELECT v.word FROM athlete_name_words v WHERE v.tenant_id = $1 ORDER BY v.word <-> typed.words[1] LIMIT 1
            ) nearest WHERE similarity(nearest.word, typed.words[1]) >= 0.25
        ) FROM (SELECT array_remove(\(nameWords("$2::text")), '') AS words) typed
        """
}

/// A search statement, prepared once per connection, so that it is not parsed and analysed for
/// every search (PostgreSQL may still plan each execution for its parameters). Its parameters are
/// $1 the branch, $2 the query and $3 the limit; `Path` holds its SQL (and so its prepared name).
struct AthleteSearch<Path: AthleteSearchPath>: PostgresPreparedStatement {
    typealias Row = AthleteRecord
    static var sql: String { Path.sql }
    /// Short: PostgreSQL cuts names at 63 bytes (the default, the generic type's full name, is 56).
    static var name: String { "athlete_search_\(Path.self)" }

    let tenantID: UUID
    let query: String
    let limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(tenantID)
        bindings.append(query)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> AthleteRecord { try AthleteStore.record(row) }
}

/// The SQL of one way to search.
protocol AthleteSearchPath: Sendable {
    static var sql: String { get }
}

/// The words path (`AthleteStore.searchByWords`).
enum WordsPath: AthleteSearchPath {
    static let sql = """
        WITH typed AS (
            SELECT word, position FROM unnest(\(AthleteStore.nameWords("$2::text"))) WITH ORDINALITY AS t(word, position)
            WHERE word <> '' LIMIT 6
        ), words AS (
            SELECT word, position * 100 AS position FROM typed
            UNION ALL
            -- Two names run together ("sitipermana"): the first cut whose both parts are
            -- words of the branch's names.
            SELECT part.word, typed.position * 100 + part.n FROM typed CROSS JOIN LATERAL (
                SELECT cut FROM generate_series(2, length(typed.word) - 2) AS cut
                WHERE length(typed.word) <= 40
                    AND EXISTS (SELECT 1 FROM athlete_name_words v WHERE v.tenant_id = $1 AND v.word = left(typed.word, cut))
                    AND EXISTS (SELECT 1 FROM athlete_name_words v WHERE v.tenant_id = $1 AND v.word = substr(typed.word, cut + 1))
                ORDER BY cut LIMIT 1
            ) split CROSS JOIN LATERAL (VALUES (1, left(typed.word, split.cut)), (2, substr(typed.word, split.cut + 1))) AS part(n, word)
        ), corrected AS (
            SELECT position, word FROM (
                SELECT words.position, near.word, near.alike, max(near.alike) OVER (PARTITION BY words.position) AS best
                FROM words CROSS JOIN LATERAL (
                    SELECT v.word, similarity(v.word, words.word) AS alike FROM athlete_name_words v
                    WHERE v.tenant_id = $1 ORDER BY v.word <-> words.word LIMIT 3
                ) near
            ) scored WHERE alike >= 0.25 AND alike >= best - 0.2
        ), pairs AS (
            SELECT DISTINCT ARRAY[least(a.word, b.word), greatest(a.word, b.word)] AS pair
            FROM corrected a JOIN corrected b ON a.position < b.position AND a.word <> b.word
        ), candidates AS MATERIALIZED (
            SELECT DISTINCT ON (athlete.id) athlete.* FROM pairs CROSS JOIN LATERAL (
                SELECT \(AthleteStore.columns) FROM athletes
                WHERE athlete_name_keys(tenant_id, full_name) @> ARRAY[$1::text || ' ' || pairs.pair[1], $1::text || ' ' || pairs.pair[2]]
                    AND tenant_id = $1
            ) athlete
        )
        SELECT \(AthleteStore.columns) FROM candidates WHERE similarity(full_name, $2) >= 0.3
        ORDER BY similarity(full_name, $2) DESC, full_name, id LIMIT $3
        """
}

/// The one-word path (`AthleteStore.searchByOneWord`).
enum OneWordPath: AthleteSearchPath {
    static let sql = """
        WITH typed AS (
            SELECT word FROM unnest(\(AthleteStore.nameWords("$2::text"))) AS word WHERE word <> '' LIMIT 2
        ), corrected AS (
            SELECT near.word, row_number() OVER (ORDER BY near.distance, near.word) AS rank FROM typed CROSS JOIN LATERAL (
                SELECT v.word, v.word <-> typed.word AS distance, similarity(v.word, typed.word) AS alike FROM athlete_name_words v
                WHERE v.tenant_id = $1 ORDER BY v.word <-> typed.word, v.word LIMIT 3
            ) near
            -- A word much shorter than the typed one is a part of it: two names run together,
            -- one with a typo ("nurhayat"), which the nearest names answer better than "nur".
            WHERE near.alike >= 0.25 AND length(near.word) >= length(typed.word) - 2 AND (SELECT count(*) FROM typed) = 1
        ), named AS (
            SELECT DISTINCT ON (hit.athlete_id) hit.athlete_id, corrected.rank, hit.trigrams, hit.full_name
            FROM corrected CROSS JOIN LATERAL (
                SELECT athlete_id, trigrams, full_name FROM athlete_names_by_word
                WHERE tenant_id = $1 AND word = corrected.word ORDER BY trigrams, full_name, athlete_id LIMIT $3
            ) hit
            ORDER BY hit.athlete_id, corrected.rank
        ), page AS (
            SELECT * FROM named ORDER BY rank, trigrams, full_name, athlete_id LIMIT $3
        )
        SELECT \(AthleteStore.columns) FROM (
            SELECT athletes.*, page.rank AS word_rank, page.trigrams AS name_trigrams
            FROM page JOIN athletes ON athletes.id = page.athlete_id AND athletes.tenant_id = $1
        ) found
        ORDER BY word_rank, name_trigrams, full_name, id
        """
}
