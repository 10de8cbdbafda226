import AuthService
import CMSService
import ComproModel
import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Testing

/// The production path of trust: the CMS verifies the Auth service's tokens through its JWKS URL
/// over HTTP, and enforces the permission each token carries for its branch.
@Suite struct ServicesTrustTests {
    @Test func theCMSTrustsAuthTokensThroughJWKSAndEnforcesTheirBranch() async throws {
        let auth = try await AuthTestApp()
        try await auth.application().test(.live) { authClient in
            let jwks = "http://127.0.0.1:\(authClient.port ?? 0)/.well-known/jwks.json"
            let admin = freshEmail("admin"), cabang = freshEmail("cabang")
            _ = try await authClient.register(admin)
            _ = try await authClient.register(cabang)
            try await auth.grant("admin", to: admin)
            try await auth.grant("admin-cabang", to: cabang, tenant: "jatim")
            let adminToken = try #require(try await authClient.login(admin).json["access_token"]?.string)
            let jatimToken = try await RoleTests.branchToken(authClient, cabang, branch: "jatim")
            let jabarToken = try await RoleTests.branchToken(authClient, cabang, branch: "jabar")

            var configuration = CMSConfiguration(
                databaseURL: try await TestServers.makeDatabase(), tokenKeys: .jwks(url: jwks), amqpURL: try TestServers.amqpURL
            )
            configuration.themesDirectory = Repository.themes
            let cms = try await CMSServer.makeApplication(configuration: configuration, publisher: RecordingPublisher(), logger: auth.logger)
            try await cms.test(.router) { (client: any TestClientProtocol) async throws in
                for slug in ["jatim", "jabar"] {
                    let site = JSONValue.object([
                        ("id", .string(BranchID.derived(slug: slug).uuidString)), ("slug", .string(slug)),
                        ("settings", .object([("name", .string("KONI \(slug)")), ("timezone", .string("Asia/Jakarta"))])),
                        ("theme", .object([("preset", .string("merah-putih"))])),
                    ])
                    #expect(try await client.call(.post, "/api/v1/cms/admin/sites", json: site, token: adminToken).status == .created)
                }
                let news = JSONValue.object([
                    ("slug", .string("juara")), ("title", .string("Juara umum")), ("date", .string("2026-12-04T09:00:00+07:00")),
                    ("body", .string("Isi berita.")),
                ])
                #expect(try await client.call(.post, "/api/v1/cms/admin/sites/jatim/news", json: news, token: jatimToken).status == .created)
                #expect(try await client.call(.post, "/api/v1/cms/admin/sites/jabar/news", json: news, token: jatimToken).status == .forbidden)
                #expect(try await client.call(.post, "/api/v1/cms/admin/sites/jabar/news", json: news, token: jabarToken).status == .forbidden)
                #expect(try await client.call(.post, "/api/v1/cms/admin/sites/jabar/news", json: news, token: adminToken).status == .created)
                let forged = jatimToken.dropLast(4) + "AAAA"
                #expect(try await client.call(.post, "/api/v1/cms/admin/sites/jatim/news", json: news, token: String(forged)).status == .unauthorized)
            }
        }
    }
}
