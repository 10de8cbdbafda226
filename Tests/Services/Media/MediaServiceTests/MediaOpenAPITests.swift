import Foundation
import Hummingbird
import KoniImage
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniStorage
import KoniTestSupport
import Logging
import Testing

@testable import MediaService

/// The Media service's OpenAPI document against its router, route by route both ways.
@Suite struct MediaOpenAPITests {
    @Test func theDocumentNamesEveryRouteAndNoOther() async throws {
        let logger = Logger(label: "openapi-test")
        // Nothing is contacted: routes are only registered.
        let api = MediaAPI(
            database: try Database(url: "postgres://nobody@127.0.0.1:1/none", logger: logger), store: MediaStore(logger: logger),
            storage: try FileSystemStorage(root: TemporaryFolders.make("openapi-media")), images: try ImageProcessor(), references: nil,
            maximumUploadBytes: 1024, spoolDirectory: TemporaryFolders.make("spool"), relay: nil
        )
        let router = Router(context: KoniRequestContext.self)
        api.register(on: router, verifier: try await JWTVerifier(publicKeyPEM: TestKeys.publicKeyPEM, expectations: .init()))
        let (undocumented, imaginary) = OpenAPIRoutes.differences(
            served: router.routes.map { "\($0.method.rawValue) \($0.path)" }, document: MediaOpenAPI.served, ignoring: ["GET /api/v1/media/openapi.json"]
        )
        #expect(undocumented.isEmpty, "served but not in the OpenAPI document: \(undocumented)")
        #expect(imaginary.isEmpty, "in the OpenAPI document but not served: \(imaginary)")
    }
}
