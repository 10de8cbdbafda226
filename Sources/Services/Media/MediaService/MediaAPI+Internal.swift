import Foundation
import Hummingbird
import KoniServiceKit
import NIOCore

extension MediaAPI {
    /// `GET /internal/v1/media/sites/{tenant}/files/{id}/original`, behind the service key: the
    /// original bytes for the site build's image step, which makes the published variants (without
    /// metadata) from them. A branch's build reaches only its own branch's files, and only files
    /// with alt text: a page must not show a photo a screen reader cannot describe (409 otherwise).
    func registerInternal(on routes: RouterGroup<KoniRequestContext>) {
        routes.get("v1/media/sites/:tenant/files/:id/original") { _, context in
            let branch = try context.branch()
            let id = try fileID(context)
            guard let record = try await database.client.withConnection({ try await store.file(id, tenantID: branch.id, on: $0) }) else { throw notFound(id) }
            guard record.usableOnPublicPages else {
                throw APIError(.conflict, code: "alt_text_missing", message: "the file has no alt text; add it in the media library before a page shows it")
            }
            let bytes: [UInt8]
            do { bytes = try await storage.get(key: record.storageKey, maximumBytes: maximumUploadBytes) } catch {
                throw APIError(.serviceUnavailable, code: "storage_unavailable", message: "the file cannot be read now")
            }
            return Response(
                status: .ok, headers: [.contentType: record.mediaType, .init("X-Content-Type-Options")!: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }
}
