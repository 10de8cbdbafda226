import Foundation
import KoniJSON

/// One athlete as the service keeps it, personal data included.
struct AthleteRecord: Sendable {
    var id: UUID
    var tenantID: UUID
    var slug: String
    /// The athlete's own account (`sub`), once registered.
    var userID: String?
    /// The guardian's account, for a minor.
    var guardianUserID: String?
    var fullName: String
    /// `YYYY-MM-DD`.
    var birthDate: String
    var gender: String
    var phone: String
    var address: String
    var sport: String
    var club: String
    var teamID: UUID?
    var photo: String
    var achievements: [String]
    var stats: [(key: String, value: Int)]
    /// Shown by a site's featured-athletes section.
    var featured = false
    var version: Int

    /// Under 18 on `today` (`YYYY-MM-DD`).
    func isMinor(today: String) -> Bool {
        guard let born = Int(birthDate.prefix(4)), let year = Int(today.prefix(4)) else { return true }
        let age = year - born - (today.dropFirst(5) < birthDate.dropFirst(5) ? 1 : 0)
        return age < 18
    }

    var statsJSON: JSONValue { .object(stats.map { ($0.key, .number(Double($0.value))) }) }

    /// Everything, for those who manage the athlete.
    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        return .object([
            ("id", .string(id.uuidString.lowercased())), ("tenant_id", .string(tenantID.uuidString.lowercased())), ("slug", .string(slug)),
            ("user_id", optional(userID)), ("guardian_user_id", optional(guardianUserID)), ("full_name", .string(fullName)), ("birth_date", .string(birthDate)),
            ("gender", .string(gender)), ("phone", .string(phone)), ("address", .string(address)), ("sport", .string(sport)), ("club", .string(club)),
            ("team_id", optional(teamID?.uuidString.lowercased())), ("photo", .string(photo)), ("achievements", .array(achievements.map { .string($0) })),
            ("stats", statsJSON), ("featured", .bool(featured)), ("version", .number(Double(version))),
        ])
    }

    /// What a public page may show: never the birth date, phone, address or accounts; for a
    /// minor only the first name and the initial of the rest, the sport, the club and the team.
    func publicJSON(today: String, teamName: String?) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [
            ("slug", .string(slug)), ("sport", .string(sport)), ("club", .string(club)), ("featured", .bool(featured)),
        ]
        if let teamName { pairs.append(("team", .string(teamName))) }
        if isMinor(today: today) {
            let parts = fullName.split(separator: " ")
            let shown = ([parts.first.map(String.init) ?? ""] + parts.dropFirst().compactMap { $0.first.map { "\($0)." } }).joined(separator: " ")
            pairs.insert(("name", .string(shown)), at: 0)
            pairs.append(("minor", .bool(true)))
        } else {
            pairs.insert(("name", .string(fullName)), at: 0)
            pairs += [("photo", .string(photo)), ("achievements", .array(achievements.map { .string($0) })), ("stats", statsJSON)]
        }
        return .object(pairs)
    }
}
