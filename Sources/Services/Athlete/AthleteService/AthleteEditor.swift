import Foundation
import KoniServiceKit
import PostgresNIO

/// Who may change an athlete, and which fields: the branch's athlete managers everything; the
/// athlete their own contact details, photo, club and achievements; a guardian the same for the
/// linked minor only; a team official the club, achievements and statistics of their team's
/// athletes only.
enum AthleteEditor {
    case manager
    case athlete
    case guardian
    case teamOfficial

    var fields: [String] {
        switch self {
        case .manager: AthleteDraft.allFields.filter { $0 != "slug" }
        case .athlete, .guardian: AthleteDraft.personalFields
        case .teamOfficial: AthleteDraft.sportingFields
        }
    }

    /// The caller's role for `athlete`, or nil when they may not change it.
    static func of(_ identity: Identity, athlete: AthleteRecord, today: String, store: AthleteStore, on connection: PostgresConnection) async throws
        -> AthleteEditor?
    {
        if identity.allows(.athletesWrite, tenant: athlete.tenantID) { return .manager }
        if athlete.userID == identity.subject, identity.allowsOnSelf(.athletesProfile, owner: identity.subject) { return .athlete }
        if athlete.guardianUserID == identity.subject, athlete.isMinor(today: today), identity.allowsOnSelf(.athletesWard, owner: identity.subject) {
            return .guardian
        }
        if let team = athlete.teamID, identity.allows(.athletesTeam, tenant: athlete.tenantID),
            try await store.isOfficial(identity.subject, of: team, on: connection)
        {
            return .teamOfficial
        }
        return nil
    }
}
