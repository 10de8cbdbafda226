import ComproModel
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

/// The dashboard (`/admin/`): what is live (the published release and when), the latest changes
/// that reached the site (the CMS's change feed), the drafts waiting, and for `admin` and
/// `superadmin` the other branches.
extension AdminAPI {
    static let collectionNouns = ["news": "Berita", "events": "Agenda", "galleries": "Galeri", "athletes": "Atlet", "pages": "Halaman", "site": "Pengaturan"]
    static let recentChanges = 10

    func registerDashboard(on router: Router<KoniRequestContext>) {
        router.get("/admin/") { request, _ in
            try await page(request) { signedIn in
                var values: [String: Any] = ["email": signedIn.session.email, "branch": signedIn.branch.name]
                values["changes"] = try await recentChanges(signedIn)
                values["drafts"] = try await drafts(signedIn)
                if let live = liveRelease(signedIn) { values["live"] = live }
                // `admin` and `superadmin` switch branches by going to the other branch's admin; SSO signs them in there.
                if signedIn.identity.isGlobalAdmin {
                    let others: [[String: Any]] = branches.branches.filter { $0.slug != signedIn.branch.slug }.compactMap { branch in
                        branch.domains.first.map { ["branchName": branch.name, "branchURL": "https://\($0)/admin/"] }
                    }
                    values["branches"] = others
                    values["hasBranches"] = !others.isEmpty
                }
                return html(
                    AdminPages.page(
                        "dashboard", title: "Dasbor", branch: signedIn.branch.name, email: signedIn.session.email, csrf: signedIn.session.csrf,
                        notice: Self.notice(request), values: values
                    ))
            }
        }
    }

    /// The last changes the public site got, newest first, from the CMS's change feed.
    func recentChanges(_ signedIn: SignedIn) async throws -> [[String: Any]] {
        let base = "/api/v1/cms/sites/\(signedIn.branch.slug)"
        let state = try await cms.call(.GET, "\(base)/state?digest=false")
        guard state.status == 200, case .number(let cursor)? = state.body["cursor"], cursor.isFinite, cursor >= 0, cursor < 9e15 else { return [] }
        let since = max(0, Int(cursor) - Self.recentChanges)
        let reply = try await cms.call(.GET, "\(base)/changes?since=\(since)&limit=\(Self.recentChanges)")
        guard reply.status == 200, case .array(let entries)? = reply.body["changes"] else { return [] }
        return entries.reversed().map { entry in
            let collection = entry["collection"]?.stringValue ?? ""
            let deleted = entry["deleted"] == .bool(true)
            let item = entry["item"]
            let title = collection == "site" ? "Pengaturan dan tema situs" : (item?["title"]?.stringValue ?? item?["name"]?.stringValue ?? "")
            var row: [String: Any] = ["changeKind": Self.collectionNouns[collection] ?? collection, "changeTitle": title, "changeDeleted": deleted]
            if !deleted, let kind = AdminKind.all.first(where: { $0.collection == collection }), let id = entry["id"]?.stringValue {
                row["changeURL"] = "/admin/\(kind.path)/\(id)/"
            }
            return row
        }
    }

    /// Drafts among the latest items of every kind (the first page of each list), at most 10.
    func drafts(_ signedIn: SignedIn) async throws -> [[String: Any]] {
        var rows: [[String: Any]] = []
        for kind in AdminKind.all where rows.count < 10 {
            let list = try await listPage(kind, signedIn, page: 1)
            for item in list.items where item["itemPublished"] as? Bool == false {
                rows.append(item.merging(["itemKind": kind.noun.capitalized]) { $1 })
            }
        }
        return Array(rows.prefix(10))
    }

    /// When the live site was published: the release `current` points at, in the branch's zone.
    func liveRelease(_ signedIn: SignedIn) -> String? {
        let link = settings.sitesDirectory + "/" + signedIn.branch.slug + "/current"
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else { return nil }
        let release = String(target.split(separator: "/").last ?? "")
        // `20261204T143107.863136Z`: the UTC time the release was made.
        let digits = release.prefix(15)
        guard digits.count == 15,
            let date = RFC3339.date(
                "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.dropFirst(6).prefix(2))T\(digits.dropFirst(9).prefix(2)):\(digits.dropFirst(11).prefix(2)):\(digits.dropFirst(13).prefix(2))Z"
            )
        else { return nil }
        let zone = signedIn.branch.timeZone
        let local = RFC3339.string(date.addingTimeInterval(Double(zone.offsetSeconds)))
        return "\(local.prefix(10)) \(local.dropFirst(11).prefix(5)) \(Self.abbreviation(zone))"
    }
}
