import ComproContent
import ComproModel
import KoniJSON
import KoniSports

/// The Athlete service's export of a branch (`/api/v1/athletes/public/{tenant}/export`) as site
/// athletes: only the public field set the service gives (never a birth date, phone or address;
/// a minor's first name and initials), checked and bounded like any outside input.
package enum AthleteExport {
    package static let maximumAthletes = 10_000

    package static func athletes(_ body: JSONValue, source: String) throws(ContentErrors) -> [Athlete] {
        do throws(FieldError) {
            let fields = try JSONFields(body)
            let entries = try fields.objectList("athletes")
            guard entries.count <= maximumAthletes else { throw fields.error("athletes", "more than \(maximumAthletes)") }
            var result: [Athlete] = []
            var seen = Set<String>()
            for entry in entries {
                let athlete = try self.athlete(entry, source: source)
                guard seen.insert(athlete.meta.slug).inserted else { throw entry.error("slug", "'\(athlete.meta.slug)' twice") }
                result.append(athlete)
            }
            return result.sorted(by: ContentOrder.athlete)
        } catch {
            throw ContentErrors([ContentError(file: source, "the Athlete service's answer refused: \(error.description)")])
        }
    }

    static func athlete(_ entry: JSONFields, source: String) throws(FieldError) -> Athlete {
        let slug = try entry.slug("slug")
        let id = try entry.requiredString("id")
        guard id.utf8.count <= 64, id.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }) else {
            throw entry.error("id", "a lowercase UUID")
        }
        let code = try entry.line("sport", limit: 60, required: true) ?? ""
        let achievements = try entry.stringList("achievements")
        guard achievements.count <= 50, achievements.allSatisfy({ $0.count <= 200 }) else { throw entry.error("achievements", "at most 50 of 200 characters") }
        var stats: [(key: String, value: JSONValue)] = []
        for (key, value) in try entry.freeObject("stats").prefix(50) {
            guard key.count <= 40, case .number(let number) = value, number.isFinite, abs(number) < 1e12 else {
                throw entry.error("stats.\(key.prefix(40))", "a number")
            }
            stats.append((key, .number(number)))
        }
        let photoText = try entry.string("photo") ?? ""
        let name = try entry.line("name", limit: 200, required: true) ?? ""
        let meta = ItemMetadata(slug: slug, source: "\(source)#\(slug)", revision: Digest.sha256Hex(JSONValue.object(entry.pairs).jsonText))
        return Athlete(
            meta: meta, name: name, sport: SportCatalog.sport(code)?.name ?? code,
            // A photo only from a site path or an https address (never a script URL).
            photo: URLPolicy.isSiteOrWebURL(photoText) && !photoText.isEmpty ? ImageRef(src: photoText, alt: name) : nil,
            region: try entry.line("team", limit: 200) ?? "", club: try entry.line("club", limit: 200) ?? "",
            featured: try entry.bool("featured", default: false), achievements: achievements, stats: stats, externalID: id
        )
    }
}
