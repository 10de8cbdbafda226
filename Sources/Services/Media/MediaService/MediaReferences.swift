import Foundation
import KoniServiceKit

/// Who still uses a file: asked before a delete, so that no published page loses its photo.
protocol MediaReferences: Sendable {
    /// The content items (`news/juara-umum`, `page/profil`) of `tenant` that name `fileID`.
    func references(to fileID: UUID, tenant: String) async throws(APIError) -> [String]
}

/// The CMS's answer, from its `/internal/v1/cms/sites/{tenant}/references?file=` route.
struct CMSReferences: MediaReferences {
    let client: ServiceClient

    func references(to fileID: UUID, tenant: String) async throws(APIError) -> [String] {
        let reply: ServiceClient.Reply
        do {
            reply = try await client.get("/internal/v1/cms/sites/\(tenant)/references?file=\(fileID.uuidString.lowercased())")
        } catch {
            throw APIError(
                .serviceUnavailable, code: "cms_unavailable",
                message: "the CMS cannot say now whether content uses this file, so it is kept; try again later"
            )
        }
        guard reply.status == 200, case .object(let pairs) = reply.body,
            case .array(let items)? = pairs.first(where: { $0.key == "references" })?.value
        else {
            throw APIError(.badGateway, code: "cms_answer", message: "the CMS answered \(reply.status) to the usage question; the file is kept")
        }
        return items.compactMap { if case .string(let text) = $0 { text } else { nil } }
    }
}
