import Foundation
import PostgresNIO

/// Name search, most alike first (trigram similarity to the whole query; `pg_trgm`'s `%`
/// threshold, 0.3, decides what is alike at all), in two ways.
///
/// A GiST trigram index finds the nearest names directly (`ORDER BY full_name <-> q LIMIT n`),
/// and is fast when the nearest names are many alike ones; but its inner pages only hold unions
/// of trigram signatures, so for a rare three-word name it reads most of the index (35 ms on
/// 100,000 athletes). So a query looks at words first: each of its words (two names run together
/// are split where both parts are names' words) is corrected against the branch's vocabulary of
/// name words (a few thousand, so that kNN is cheap), and the candidates are the athletes whose
/// names hold two different corrected words (a GIN index keyed by branch and word); those few
/// hundred are ranked by similarity. That answer is what a person means by a name search, not the
/// similarity order over every name: a name sharing only one word ("Alif Alif" for "Alif Rahan")
/// may be more alike by trigrams and is not among them. When the words find fewer names than a
/// page (one word, or no two words like any name's), the nearest-name index answers.
extension AthleteStore {
    /// The SQL expression of the words of a name, as the word index and the vocabulary have them.
    static func nameWords(_ column: String) -> String {
        "regexp_split_to_array(lower(\(column)), '[^[:alnum:]]+')"
    }

    /// Up to `limit` athletes whose names share two corrected words with `query`, most alike first.
    func searchByWords(tenantID: UUID, query: String, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        let sql = """
                WITH typed AS (
                    SELECT word, position FROM unnest(\(Self.nameWords("$2::text"))) WITH ORDINALITY AS t(word, position)
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
                        SELECT \(Self.columns) FROM athletes
                        WHERE athlete_name_keys(tenant_id, full_name) @> ARRAY[$1::text || ' ' || pairs.pair[1], $1::text || ' ' || pairs.pair[2]]
                            AND tenant_id = $1
                    ) athlete
                )
                SELECT \(Self.columns) FROM candidates WHERE similarity(full_name, $2) >= 0.3
                ORDER BY similarity(full_name, $2) DESC, full_name, id LIMIT $3
                """
        return try await records(matching: sql, tenantID: tenantID, query: query, limit: limit, on: connection)
    }

    /// Up to `limit` athletes whose names hold a word like `query`'s only word (its three
    /// nearest words of the branch's names), most alike first; none when `query` has more words.
    ///
    /// A common word ("Alif") is in thousands of names, all alike to the nearest-name index, which
    /// then reads most of itself (24 ms on 100,000 athletes); `athlete_names_by_word` holds each
    /// word's names in likeness order, so each corrected word adds at most `limit` names (exact for
    /// the typed word itself; for a corrected one, its shortest names), ranked by similarity.
    func searchByOneWord(tenantID: UUID, query: String, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        let sql = """
                WITH typed AS (
                    SELECT word FROM unnest(\(Self.nameWords("$2::text"))) AS word WHERE word <> '' LIMIT 2
                ), corrected AS (
                    SELECT near.word FROM typed CROSS JOIN LATERAL (
                        SELECT v.word, similarity(v.word, typed.word) AS alike FROM athlete_name_words v
                        WHERE v.tenant_id = $1 ORDER BY v.word <-> typed.word LIMIT 3
                    ) near
                    WHERE near.alike >= 0.25 AND (SELECT count(*) FROM typed) = 1
                ), candidates AS (
                    SELECT named.athlete_id FROM corrected CROSS JOIN LATERAL (
                        SELECT athlete_id FROM athlete_names_by_word
                        WHERE tenant_id = $1 AND word = corrected.word ORDER BY trigrams, full_name, athlete_id LIMIT $3
                    ) named
                )
                SELECT \(Self.columns) FROM athletes WHERE tenant_id = $1 AND id IN (SELECT athlete_id FROM candidates)
                ORDER BY similarity(full_name, $2) DESC, full_name, id LIMIT $3
                """
        return try await records(matching: sql, tenantID: tenantID, query: query, limit: limit, on: connection)
    }

    /// The athletes a search statement finds, its parameters being $1 the branch, $2 the query, $3 the limit.
    private func records(matching sql: String, tenantID: UUID, query: String, limit: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        var bindings = PostgresBindings()
        bindings.append(tenantID)
        bindings.append(query)
        bindings.append(limit)
        return try await records(try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger))
    }

    /// The athletes nearest to `query` by the GiST trigram index.
    func searchNearest(tenantID: UUID, query: String, limit: Int, offset: Int, on connection: PostgresConnection) async throws -> [AthleteRecord] {
        // The index's nearest names (with `%` as its condition, which prunes), all those as near
        // as the last included (WITH TIES), then a total order: pages follow each other among
        // equally near names without giving up the index's order.
        try await records(
            try await connection.query(
                """
                SELECT \(unescaped: Self.columns) FROM (
                    SELECT \(unescaped: Self.columns) FROM athletes WHERE tenant_id = \(tenantID) AND full_name % \(query)
                    ORDER BY full_name <-> \(query) FETCH FIRST \(offset + limit) ROWS WITH TIES
                ) nearest ORDER BY full_name <-> \(query), full_name, id OFFSET \(offset) LIMIT \(limit)
                """,
                logger: logger
            )
        )
    }
}
