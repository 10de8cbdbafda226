import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import PostgresNIO

extension CMSAPI {
    /// `GET /internal/v1/cms/sites/{tenant}/references?file=<media file id>`, for the Media
    /// service before it deletes a file: the content items (drafts included) whose fields, body,
    /// sections or gallery photos name the file's id, as `["news/slug", "page/profil", …]`.
    func registerReferences(on routes: RouterGroup<KoniRequestContext>) {
        routes.get("v1/cms/sites/:tenant/references") { request, context in
            let slug = try tenantSlug(context)
            guard let text = request.uri.queryParameters.get("file"), let id = UUID(uuidString: text) else {
                throw APIError.badRequest("invalid_file", "file must be a media file id", field: "file")
            }
            // A UUID is hex digits and dashes: nothing in it is a LIKE wildcard.
            let pattern = "%\(id.uuidString.lowercased())%"
            let sql = """
                SELECT 'page/' || slug FROM cms_pages t WHERE tenant_slug = $1 AND t::text LIKE $2
                UNION SELECT 'page/' || p.slug FROM cms_sections s JOIN cms_pages p ON p.id = s.page_id WHERE s.tenant_slug = $1 AND s.content::text LIKE $2
                UNION SELECT 'news/' || slug FROM cms_news t WHERE tenant_slug = $1 AND t::text LIKE $2
                UNION SELECT 'event/' || slug FROM cms_events t WHERE tenant_slug = $1 AND t::text LIKE $2
                UNION SELECT 'gallery/' || slug FROM cms_galleries t WHERE tenant_slug = $1 AND t::text LIKE $2
                UNION SELECT 'gallery/' || g.slug FROM cms_gallery_photos ph JOIN cms_galleries g ON g.id = ph.gallery_id
                    WHERE g.tenant_slug = $1 AND ph.src LIKE $2
                UNION SELECT 'athlete/' || slug FROM cms_athletes t WHERE tenant_slug = $1 AND t::text LIKE $2
                ORDER BY 1 LIMIT 100
                """
            var binds = PostgresBindings()
            binds.append(slug)
            binds.append(pattern)
            let names = try await database.client.withConnection { connection in
                var names: [String] = []
                for try await name in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: database.logger).decode(String.self) {
                    names.append(name)
                }
                return names
            }
            return Response.json(.object([("references", .array(names.map { .string($0) }))]))
        }
    }
}
