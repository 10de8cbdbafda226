import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging
import Testing

@testable import TenantService

/// The Tenant service's OpenAPI document against its router, route by route both ways.
@Suite struct TenantOpenAPITests {
    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        // Nothing is contacted: routes are only registered.
        let database = try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger)
        let tenants = TenantStore(logger: logger)
        let billing = Billing(
            database: database, tenants: tenants, store: BillingStore(logger: logger), payments: nil, calendar: BillingCalendar(), relay: nil, logger: logger
        )
        let api = TenantAPI(database: database, store: tenants, billing: billing, presets: ["merah-putih"], relay: nil)
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        api.registerInternal(on: try router.internalRoutes(keys: [TenantTestApp.serviceKey]))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: TenantOpenAPI.served, ignoring: ["GET /api/v1/tenants/openapi.json"]
        )
        #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented)")
        #expect(imaginary.isEmpty, "in the OpenAPI document but not served: \(imaginary)")
    }
}
