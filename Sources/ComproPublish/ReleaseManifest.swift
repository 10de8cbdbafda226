import ComproModel

/// What a release contains and what each file was made from; stored as
/// `<release>/.koni/manifest.json` (Nginx refuses dot paths, so it is never served).
///
/// The revalidation daemon reads it to find the outputs a change affects: an output is stale
/// when one of its items has a new revision or one of its queries now answers differently.
public struct ReleaseManifest: Codable, Sendable {
    public static let currentFormat = 1
    public static let relativePath = ".koni/manifest.json"

    public var format = ReleaseManifest.currentFormat
    public var tenant: String
    public var release: String
    /// The generator's notion of "today" (local day number) when the release was rendered.
    public var today: Int
    /// Revision of every input: content items and site-wide inputs.
    public var revisions: [String: String]
    public var outputs: [String: Output]
    /// Files copied from `static/`, with their digests.
    public var staticFiles: [String: String]

    public struct Output: Codable, Sendable {
        /// Site path the output answers (`/berita/`), or nil for assets.
        public var url: String?
        public var sha256: String
        public var items: [String]
        public var queries: [String: [String]]

        public init(url: String?, sha256: String, items: [String], queries: [String: [String]]) {
            self.url = url
            self.sha256 = sha256
            self.items = items
            self.queries = queries
        }
    }

    public init(tenant: String, release: String, today: Int, revisions: [String: String], outputs: [String: Output], staticFiles: [String: String]) {
        self.tenant = tenant
        self.release = release
        self.today = today
        self.revisions = revisions
        self.outputs = outputs
        self.staticFiles = staticFiles
    }
}
