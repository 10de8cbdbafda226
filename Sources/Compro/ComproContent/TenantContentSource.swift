import ComproModel

/// Where a tenant's content comes from when its `tenant.yml` names a source other than its own
/// folder (`source: cms` with `cms: url:`): the revalidation engine asks it for the content and
/// never knows how it is fetched, so a future source (another API, an export file) is one new
/// type. Static files and template overrides still come from the tenant's folder.
public protocol TenantContentSource: Sendable {
    /// The tenant's published content at `location` (the URL from `tenant.yml`). Throws, naming
    /// the source, when it cannot be read: nothing is published then, and the change is retried.
    func load(_ slug: String, from location: String, tenantsDirectory: String) async throws(ContentErrors) -> SiteContent
}
