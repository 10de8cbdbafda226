import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Logging
import Midtrans
import Testing

@testable import PaymentService

/// The Payment service's OpenAPI document against its router, route by route both ways.
@Suite struct PaymentOpenAPITests {
    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        // Nothing is contacted: routes are only registered.
        let ledger = PaymentLedger(
            database: try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger), store: PaymentStore(logger: logger),
            midtrans: MidtransClient(settings: .init(apiBaseURL: "http://127.0.0.1:1", snapBaseURL: "http://127.0.0.1:1", serverKey: "k")), relay: nil,
            logger: logger
        )
        let api = PaymentAPI(ledger: ledger, metrics: PaymentMetrics(ServiceMetrics()))
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        api.registerInternal(on: try router.internalRoutes(keys: [PaymentTestApp.serviceKey]))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: PaymentOpenAPI.served, ignoring: ["GET /api/v1/payments/openapi.json"]
        )
        #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented)")
        #expect(imaginary.isEmpty, "in the OpenAPI document but not served: \(imaginary)")
    }
}
