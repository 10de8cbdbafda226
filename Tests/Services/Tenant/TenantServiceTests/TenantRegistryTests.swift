import ComproModel
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Testing

/// The registry against real PostgreSQL: the rules of `tenant new`, domains unique across
/// branches, the hierarchy, changes with the version seen, suspension, events in the outbox.
@Suite struct TenantRegistryTests {
    @Test func aBranchIsRegisteredWithTheIdEveryServiceAlreadyUsesAndAnnounced() async throws {
        let test = try await TenantTestApp()
        try await test.application().test(.router) { client in
            let jatim = try await client.register("jatim", name: "KONI Provinsi Jawa Timur", level: "provinsi", domains: ["konijatim.or.id"])
            #expect(jatim.status == 201, "\(jatim.text)")
            #expect(jatim.json["id"]?.text == BranchID.derived(slug: "jatim").uuidString.lowercased())
            #expect(jatim.json["domains"]?.list.compactMap(\.text) == ["jatim.koni.id", "konijatim.or.id"])
            #expect(jatim.json["theme_preset"]?.text == "merah-putih" && jatim.json["status"]?.text == "active")
            let malang = try await client.register("kab-malang", parent: jatim.json["id"]?.text)
            #expect(malang.status == 201, "\(malang.text)")

            let read = try await client.jsonRequest(.get, "/api/v1/tenants/\(jatim.json["id"]?.text ?? "")", token: TestKeys.admin)
            #expect(read.status == 200 && read.json["slug"]?.text == "jatim")
            let internalRead = try await client.jsonRequest(
                .get, "/internal/tenants/by-domain/konijatim.or.id", headers: [(ServiceKey.headerName, TenantTestApp.serviceKey)])
            #expect(internalRead.json["slug"]?.text == "jatim")
        }
        let events = try await test.query("SELECT type || ' ' || (payload::jsonb -> 'data' ->> 'slug') FROM outbox ORDER BY seq", as: String.self)
        #expect(events == ["tenant.created jatim", "tenant.created kab-malang"])
    }

    @Test func badRequestsNameTheFieldAndChangeNothing() async throws {
        let test = try await TenantTestApp()
        try await test.application().test(.router) { client in
            #expect(try await client.register("jabar", level: "provinsi", domains: ["konijabar.or.id"]).status == 201)
            let cases: [(JSONValue, Int, String)] = [
                (.object([("slug", .string("Jatim")), ("name", .string("KONI")), ("level", .string("provinsi"))]), 422, "slug"),
                (.object([("slug", .string(String(repeating: "a", count: 64))), ("name", .string("KONI")), ("level", .string("provinsi"))]), 422, "slug"),
                (.object([("slug", .string("../etc")), ("name", .string("KONI")), ("level", .string("provinsi"))]), 422, "slug"),
                (.object([("slug", .string("x")), ("name", .string("KONI <script>")), ("level", .string("provinsi"))]), 422, "name"),
                (.object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("negara"))]), 422, "level"),
                (
                    .object([
                        ("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("domains", .array([.string("jabar.koni.id")])),
                    ]), 422, "domains"
                ),
                (
                    .object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("domains", .array([.string("KONI.or.id")]))]),
                    422, "domains"
                ),
                (
                    .object([
                        ("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("domains", .array([.string("konijabar.or.id")])),
                    ]), 409, "domains"
                ),
                (
                    .object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("theme_preset", .string("../../etc/passwd"))]),
                    422, "theme_preset"
                ),
                (
                    .object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("pusat")), ("parent_id", .string(UUID().uuidString))]), 422,
                    "parent_id"
                ),
                (
                    .object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("parent_id", .string(UUID().uuidString))]),
                    422, "parent_id"
                ),
                (.object([("slug", .string("jabar")), ("name", .string("KONI")), ("level", .string("provinsi"))]), 409, "slug"),
                (.object([("slug", .string("x")), ("name", .string("KONI")), ("level", .string("provinsi")), ("owner", .string("me"))]), 422, "owner"),
            ]
            for (body, status, field) in cases {
                let reply = try await client.jsonRequest(.post, "/api/v1/tenants", json: body, token: TestKeys.admin)
                #expect(reply.status == status && reply.json["error"]?["field"]?.text == field, "\(field): \(reply.text)")
            }
            // A regency cannot sit directly under another regency.
            let malang = try await client.register("kab-malang")
            let under = try await client.register("kota-batu", parent: malang.json["id"]?.text)
            #expect(under.status == 422 && under.json["error"]?["field"]?.text == "parent_id")
        }
        let slugs = try await test.query("SELECT slug FROM tenants ORDER BY slug", as: String.self)
        #expect(slugs == ["jabar", "kab-malang"])
    }

    @Test func aBranchWithBranchesUnderItKeepsItsLevel() async throws {
        let test = try await TenantTestApp()
        try await test.application().test(.router) { client in
            let jatim = try #require(try await client.register("jatim", level: "provinsi").json["id"]?.text)
            let malang = try await client.register("kab-malang", parent: jatim)
            #expect(malang.status == 201, "\(malang.text)")
            // jatim as a regency would leave kab-malang under its peer.
            let demoted = try await client.jsonRequest(
                .patch, "/api/v1/tenants/\(jatim)", json: .object([("level", .string("kabupaten-kota")), ("version", .number(1))]), token: TestKeys.admin)
            #expect(demoted.status == 422 && demoted.json["error"]?["field"]?.text == "level", "\(demoted.text)")
            #expect(try await test.query("SELECT level FROM tenants WHERE slug = 'jatim'", as: String.self) == ["provinsi"])
            // A branch with none under it may change level.
            let kediri = try #require(try await client.register("kab-kediri").json["id"]?.text)
            let promoted = try await client.jsonRequest(
                .patch, "/api/v1/tenants/\(kediri)", json: .object([("level", .string("provinsi")), ("version", .number(1))]), token: TestKeys.admin)
            #expect(promoted.status == 200, "\(promoted.text)")
        }
    }

    @Test func changesNeedTheVersionSeenAndSuspensionIsAnnounced() async throws {
        let test = try await TenantTestApp()
        try await test.application().test(.router) { client in
            let created = try await client.register("kab-kediri")
            let id = try #require(created.json["id"]?.text)
            let noVersion = try await client.jsonRequest(
                .patch, "/api/v1/tenants/\(id)", json: .object([("name", .string("KONI Kabupaten Kediri"))]), token: TestKeys.admin)
            #expect(noVersion.status == 428)
            let changed = try await client.jsonRequest(
                .patch, "/api/v1/tenants/\(id)", json: .object([("name", .string("KONI Kabupaten Kediri")), ("domains", .array([.string("konikediri.id")]))]),
                token: TestKeys.admin, headers: [("If-Match", "\"1\"")])
            #expect(changed.status == 200 && changed.json["version"]?.int == 2, "\(changed.text)")
            let stale = try await client.jsonRequest(
                .patch, "/api/v1/tenants/\(id)", json: .object([("name", .string("Lama")), ("version", .number(1))]), token: TestKeys.admin)
            #expect(stale.status == 412)
            let suspended = try await client.jsonRequest(
                .post, "/api/v1/tenants/\(id)/suspend", json: .object([("reason", .string("Tagihan belum dibayar"))]), token: TestKeys.admin)
            #expect(suspended.json["status"]?.text == "suspended")
            let again = try await client.jsonRequest(
                .post, "/api/v1/tenants/\(id)/suspend", json: .object([("reason", .string("Tagihan belum dibayar"))]), token: TestKeys.admin)
            #expect(again.json["version"] == suspended.json["version"], "suspending twice changes nothing")
            let resumed = try await client.jsonRequest(.post, "/api/v1/tenants/\(id)/resume", token: TestKeys.admin)
            #expect(resumed.json["status"]?.text == "active")

            // An admin-cabang reads its own branch only and manages none.
            let cabang = try TestKeys.token(roles: ["admin-cabang"], tenantID: UUID(uuidString: id))
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(id)", token: cabang).status == 200)
            let otherID = try #require(try await client.register("kab-blitar").json["id"]?.text)
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(otherID)", token: TestKeys.admin).status == 200)
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(otherID)", token: cabang).status == 404)
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants", token: cabang).json["items"]?.list.count == 1)
            #expect(
                try await client.jsonRequest(.post, "/api/v1/tenants/\(id)/suspend", json: .object([("reason", .string("x"))]), token: cabang).status == 403)
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants", token: nil).status == 401)
        }
        let events = try await test.query("SELECT type FROM outbox ORDER BY seq", as: String.self)
        #expect(events == ["tenant.created", "tenant.updated", "tenant.suspended", "tenant.updated", "tenant.created"])
        let domains = try await test.query("SELECT domain FROM tenant_domains ORDER BY domain", as: String.self)
        #expect(domains == ["kab-blitar.koni.id", "kab-kediri.koni.id", "konikediri.id"])
    }
}
