import ComproModel
import Foundation
import Hummingbird
import KoniImage
import KoniJSON
import KoniServiceKit
import KoniStorage
import Logging
import PostgresNIO

/// The Media service's HTTP API under `/api/v1/media/{tenant}/`: a branch's photographs and
/// folders, for its admins, behind a bearer token.
struct MediaAPI: Sendable {
    let database: Database
    let store: MediaStore
    let storage: any ObjectStorage
    let images: ImageProcessor
    let references: (any MediaReferences)?
    let maximumUploadBytes: Int
    let spoolDirectory: String
    let relay: OutboxRelay?

    static let base = "/api/v1/media"

    func register(on router: Router<KoniRequestContext>, verifier: JWTVerifier) {
        router.get("\(Self.base)/openapi.json") { _, _ in Response.json(MediaOpenAPI.served) }
        let api = router.group(RouterPath(Self.base)).add(middleware: AuthMiddleware(verifier: verifier))
        registerUpload(on: api)
        registerFiles(on: api)
        registerFolders(on: api)
    }

    // MARK: Shared steps

    /// Reading and changing a branch's library needs `media:manage` for that branch (`admin`,
    /// `superadmin`: every branch; `admin-cabang`: its own); uploading needs `media:upload` or that.
    func authorize(_ context: KoniRequestContext, _ permission: Permission, branch: UUID) throws(APIError) {
        guard let identity = context.identity else { throw APIError.unauthorized }
        if identity.allows(permission, tenant: branch) || identity.allows(.mediaManage, tenant: branch) { return }
        if identity.permissions.contains(permission.claim(.own)) || identity.permissions.contains(Permission.mediaManage.claim(.own)) {
            throw APIError.forbidden("an admin-cabang may use only their own branch's media library")
        }
        throw APIError.forbidden("the media library needs the permission \(permission.rawValue) for this branch (roles admin-cabang, admin or superadmin)")
    }

    func fileID(_ context: KoniRequestContext) throws(APIError) -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("no such file") }
        return id
    }

    func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let result = try await database.transaction(.readWrite, body)
        relay?.notify()
        return result
    }

    func notFound(_ id: UUID) -> APIError {
        APIError(.notFound, code: "file_not_found", message: "no file \(id.uuidString.lowercased()) in this branch's library")
    }
}
