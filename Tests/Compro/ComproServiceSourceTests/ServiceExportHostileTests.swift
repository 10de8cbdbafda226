import ComproContent
import ComproModel
import ComproServiceSource
import KoniJSON
import Testing

/// GMS's and the Athlete service's exports are outside input to the site build and the daemon:
/// each breach is refused naming the source and the field, and nothing unsafe reaches a page.
@Suite struct ServiceExportHostileTests {
    static func match(_ extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
        replacing(
            [
                ("round", .number(1)), ("position", .number(1)), ("scheduled_at", .string("2026-12-01T08:00:00.000Z")), ("status", .string("completed")),
                ("home", .object([("name", .string("A"))])), ("away", .object([("name", .string("B"))])),
                ("score", .object([("home", .number(2)), ("away", .number(1))])),
            ], with: extra)
    }

    /// `pairs` with each of `extra`'s keys set (replaced, or added).
    static func replacing(_ pairs: [(key: String, value: JSONValue)], with extra: [(key: String, value: JSONValue)]) -> JSONValue {
        var pairs = pairs
        for (key, value) in extra {
            if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = value } else { pairs.append((key, value)) }
        }
        return .object(pairs)
    }

    static func page(slug: String = "piala", format: String = "league", name: String = "Piala", matches: [JSONValue] = [match()]) -> JSONValue {
        .object([
            (
                "tournament",
                .object([
                    ("slug", .string(slug)), ("name", .string(name)), ("sport", .string("sepak-bola")), ("format", .string(format)),
                    ("starts_on", .string("2026-12-01")), ("ends_on", .string("2026-12-20")),
                ])
            ),
            ("matches", .array(matches)),
        ])
    }

    func tournamentError(_ pages: [JSONValue]) -> String? {
        do {
            _ = try GMSExport.tournaments(.object([("tournaments", .array(pages))]), source: "gms: http://gms.test", timeZone: .jakarta)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func gmsAnswersOutsideTheRulesAreRefusedNamingTheField() throws {
        #expect(tournamentError([Self.page()]) == nil)
        let cases: [(JSONValue, String)] = [
            (Self.page(slug: "../etc"), "slug"),
            (Self.page(name: "Piala\u{7}"), "name"),
            (Self.page(format: "knockout", matches: [Self.match([("score", .object([("home", .number(1)), ("away", .number(1))]))])]), "winner"),
            (Self.page(matches: [Self.match([("score", .object([("home", .number(1e9)), ("away", .number(0))]))])]), "score.home"),
            (Self.page(matches: [Self.match(), Self.match()]), "two matches"),
            (Self.page(matches: [Self.match([("participants", .array(Array(repeating: .string("a1"), count: 201)))])]), "participants"),
            (Self.page(matches: [Self.match([("scheduled_at", .string("tomorrow"))])]), "scheduled_at"),
        ]
        for (page, expected) in cases {
            let error = try #require(tournamentError([page]), "accepted: \(page.jsonText.prefix(120))")
            #expect(error.contains("gms: http://gms.test") && error.contains(expected), "\(error)")
        }
        let tooMany = try #require(tournamentError((0...GMSExport.maximumTournaments).map { Self.page(slug: "t\($0)") }))
        #expect(tooMany.contains("more than \(GMSExport.maximumTournaments)"))
        let twice = try #require(tournamentError([Self.page(), Self.page()]))
        #expect(twice.contains("twice"))
    }

    static func athlete(_ extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
        replacing(
            [
                ("id", .string("0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b")), ("slug", .string("muhammad-alif")), ("name", .string("Muhammad Alif")),
                ("sport", .string("sepak-bola")), ("club", .string("Persiu")), ("photo", .string("/media/1/a.jpg")), ("achievements", .array([])),
                ("stats", .object([("goals", .number(12))])),
            ], with: extra)
    }

    func athletes(_ entries: [JSONValue]) -> Result<[Athlete], ContentErrors> {
        Result { () throws(ContentErrors) in try AthleteExport.athletes(.object([("athletes", .array(entries))]), source: "athletes: http://athletes.test") }
    }

    @Test func athleteServiceAnswersOutsideTheRulesAreRefusedOrMadeSafe() throws {
        let read = try athletes([Self.athlete()]).get()
        #expect(
            read.first?.externalID == "0b9d6f6e-1c2a-4f8e-9b1a-2c3d4e5f6a7b" && read.first?.sport == "Sepak bola" && read.first?.photo?.src == "/media/1/a.jpg")
        // A script address is never a photo.
        #expect(try athletes([Self.athlete([("photo", .string("javascript:alert(1)"))])]).get().first?.photo == nil)
        let cases: [(JSONValue, String)] = [
            (Self.athlete([("id", .string("x'; DROP"))]), "id"),
            (Self.athlete([("slug", .string("Muhammad Alif"))]), "slug"),
            (Self.athlete([("stats", .object([("goals", .string("many"))]))]), "stats.goals"),
            (Self.athlete([("achievements", .array(Array(repeating: .string("Emas"), count: 51)))]), "achievements"),
            (Self.athlete([("name", .string(String(repeating: "a", count: 201)))]), "name"),
        ]
        for (entry, expected) in cases {
            guard case .failure(let error) = athletes([entry]) else {
                Issue.record("accepted: \(entry.jsonText.prefix(120))")
                continue
            }
            #expect(error.description.contains("athletes: http://athletes.test") && error.description.contains(expected), "\(error)")
        }
        guard case .failure(let twice) = athletes([Self.athlete(), Self.athlete()]) else {
            Issue.record("a slug twice was accepted")
            return
        }
        #expect(twice.description.contains("twice"))
    }
}
