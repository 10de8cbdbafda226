import ComproTheme
import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import Testing

@testable import CMSService

/// The OpenAPI document against the router: every route the CMS serves is documented with its
/// method, and the document names no route that does not exist.
@Suite struct OpenAPIRoutesTests {
    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        // The database is never contacted: routes are only registered.
        let database = try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger)
        let api = CMSAPI(
            database: database, contents: ContentStore(logger: logger), sites: SiteStore(logger: logger), changeLog: ChangeLogStore(logger: logger),
            themes: ThemeCatalog(directory: Repository.root + "/Themes"), maximumBodyBytes: 1024, relay: nil
        )
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: OpenAPIDocument.document, ignoring: ["GET /api/v1/cms/openapi.json"]
        )
        #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented)")
        #expect(imaginary.isEmpty, "in the OpenAPI document but not served: \(imaginary)")
    }
}
