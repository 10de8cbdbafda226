import ComproModel
import Foundation

extension KoniRequestContext {
    /// The branch a route's `:tenant` names: its slug and id (the Tenant service's id of a slug,
    /// ``BranchID``, as in the CMS and in tokens); 404 for anything that is not a branch slug.
    public func branch() throws(APIError) -> (slug: String, id: UUID) {
        guard let slug = parameters.get("tenant"), Slug.isValid(slug) else { throw APIError.notFound("no such branch") }
        return (slug, BranchID.derived(slug: slug))
    }
}
