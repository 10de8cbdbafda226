import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit

extension MediaAPI {
    /// A branch's folders: list (with their number of files), create, delete when empty.
    func registerFolders(on api: RouterGroup<KoniRequestContext>) {
        api.get(":tenant/folders") { _, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let folders = try await database.client.withConnection { try await store.folders(tenantID: branch.id, on: $0) }
            return Response.json(.object([("items", .array(folders.map(\.json)))]))
        }
        api.post(":tenant/folders") { request, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            let body = try await request.jsonBody(limit: 4096)
            let name = try APIError.validating { () throws(FieldError) in
                let fields = try JSONFields(body)
                try fields.checkKeys(["name"])
                return try fields.requiredString("name")
            }
            let cleaned = try Self.text(name, field: "name", limit: 80)
            guard !cleaned.isEmpty, !cleaned.contains("\n") else { throw APIError.badRequest("invalid_name", "a folder needs a one-line name", field: "name") }
            let folder = MediaFolder(id: UUID(), name: cleaned, files: 0)
            let created = try await write { try await store.createFolder(folder, tenantID: branch.id, on: $0) }
            guard created else {
                throw APIError(.conflict, code: "folder_exists", message: "this branch already has a folder named '\(cleaned)'", field: "name")
            }
            return Response.json(folder.json, status: .created)
        }
        api.delete(":tenant/folders/:id") { _, context in
            let branch = try context.branch()
            try authorize(context, .mediaManage, branch: branch.id)
            guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else { throw APIError.notFound("no such folder") }
            let files = try await write { try await store.deleteFolder(id, tenantID: branch.id, on: $0) }
            guard let files else { throw APIError.notFound("no such folder in this branch") }
            guard files == 0 else { throw APIError(.conflict, code: "folder_not_empty", message: "the folder holds \(files) files; move or delete them first") }
            return Response(status: .noContent)
        }
    }
}
