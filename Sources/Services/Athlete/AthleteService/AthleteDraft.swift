import ComproModel
import Foundation
import KoniJSON
import KoniSports

/// The fields of a registration or a change, checked one by one; the error names the field.
/// Who may change which field is ``AthleteEditor``'s question.
enum AthleteDraft {
    static let personalFields = ["phone", "address", "photo", "club", "achievements"]
    static let sportingFields = ["club", "achievements", "stats"]
    static let allFields = [
        "slug", "full_name", "birth_date", "gender", "phone", "address", "sport", "club", "team_id", "photo", "achievements", "stats",
        "user_id", "guardian_user_id", "featured",
    ]

    /// Applies the fields of `fields` to `athlete` (`allowed` lists those the caller may send).
    static func apply(
        _ fields: JSONFields, to athlete: inout AthleteRecord, allowed: [String], sports: [SportRules], today: String
    ) throws(FieldError) {
        try fields.checkKeys(allowed + ["version"])
        func line(_ key: String, limit: Int, required: Bool = false) throws(FieldError) -> String? {
            guard fields.has(key) else { return nil }
            let text = required ? try fields.requiredString(key) : try fields.string(key, default: "")
            guard text.count <= limit, !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw fields.error(key, "one line of at most \(limit) characters")
            }
            return text.trimmingCharacters(in: .whitespaces)
        }
        if let name = try line("full_name", limit: 120, required: true) {
            guard BranchName.problem(with: name) == nil else { throw fields.error("full_name", "letters, spaces and . , ' - only") }
            athlete.fullName = name
        }
        if let born = try line("birth_date", limit: 10, required: true) {
            guard born.count == 10, let date = SiteDate.parse(born, defaultOffsetSeconds: 7 * 3600), born >= "1900-01-01", born <= today,
                date.epochSeconds > -2_300_000_000
            else { throw fields.error("birth_date", "a date YYYY-MM-DD from 1900-01-01 to today") }
            athlete.birthDate = born
        }
        if let gender = try line("gender", limit: 1, required: true) {
            guard gender == "L" || gender == "P" else { throw fields.error("gender", "L or P") }
            athlete.gender = gender
        }
        if let phone = try line("phone", limit: 20) {
            guard phone.allSatisfy({ $0.isNumber || $0 == "+" || $0 == " " || $0 == "-" }) else { throw fields.error("phone", "digits, +, - and spaces") }
            athlete.phone = phone
        }
        if let address = try line("address", limit: 300) { athlete.address = address }
        if let club = try line("club", limit: 120) { athlete.club = club }
        if let photo = try line("photo", limit: 500) {
            guard photo.isEmpty || (photo.hasPrefix("/") && !photo.contains("..") && !photo.contains("//")) || photo.hasPrefix("https://") else {
                throw fields.error("photo", "a site path (/media/…, /images/…) or an https address")
            }
            athlete.photo = photo
        }
        if fields.has("achievements") {
            let list = try fields.stringList("achievements")
            guard list.count <= 50, list.allSatisfy({ $0.count <= 200 && !$0.contains("\n") }) else {
                throw fields.error("achievements", "at most 50 lines of 200 characters")
            }
            athlete.achievements = list
        }
        if let sport = try line("sport", limit: 40, required: true) {
            guard sports.contains(where: { $0.code == sport }) else {
                throw fields.error("sport", "one of \(sports.map(\.code).joined(separator: ", "))")
            }
            athlete.sport = sport
        }
        if fields.has("stats") {
            guard let rules = sports.first(where: { $0.code == athlete.sport }) else { throw fields.error("sport", "unknown sport") }
            athlete.stats = try rules.validate(try fields.freeObject("stats"))
        }
        if fields.has("team_id") {
            if case .null? = fields.pairs.first(where: { $0.key == "team_id" })?.value {
                athlete.teamID = nil
            } else {
                guard let text = try fields.string("team_id"), let id = UUID(uuidString: text) else { throw fields.error("team_id", "not a team id") }
                athlete.teamID = id
            }
        }
        if fields.has("featured") { athlete.featured = try fields.bool("featured", default: false) }
        for key in ["user_id", "guardian_user_id"] where fields.has(key) {
            let text = try fields.string(key)
            guard (text?.utf8.count ?? 0) <= 100 else { throw fields.error(key, "at most 100 characters") }
            if key == "user_id" { athlete.userID = text } else { athlete.guardianUserID = text }
        }
    }
}
