import ComproModel

/// What a release contains and what each file was made from; stored as
/// `<release>/.koni/manifest.json` (Nginx refuses dot paths, so it is never served).
///
/// The revalidation daemon reads it to find the outputs a change affects: an output is stale
/// when one of its items has a new revision or one of its queries now answers differently.
///
/// A *full* release lists everything. A *layer* release (written by the daemon) holds only what
/// changed since its `base`: its `outputs`, `revisions` and `staticFiles` are the entries changed
/// since the base, `removedOutputs` the outputs deleted since the base. ``merged(onto:)`` turns a
/// layer and its base into the complete picture.
public struct ReleaseManifest: Codable, Sendable {
    public static let currentFormat = 2
    public static let relativePath = ".koni/manifest.json"

    public var format = ReleaseManifest.currentFormat
    public var tenant: String
    public var release: String
    /// The full release this one is layered on, or nil for a full release.
    public var base: String?
    /// The generator's notion of "today" (local day number) when the release was rendered.
    public var today: Int
    /// Revision of every input: content items and site-wide inputs.
    public var revisions: [String: String]
    /// Inputs that existed in the base and are gone (layers only).
    public var removedRevisions: [String]
    public var outputs: [String: Output]
    /// Outputs of the base that this release no longer has (layers only).
    public var removedOutputs: [String]
    /// Files copied from `static/`: site path → source path.
    public var staticFiles: [String: String]
    /// The news archive's closed pages (complete in layers too); nil in manifests written
    /// before archives kept their pages, whose archive was numbered afresh on every build.
    public var archive: ArchiveLayout?

    public struct Output: Codable, Sendable, Equatable {
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

    public init(
        tenant: String, release: String, base: String? = nil, today: Int, revisions: [String: String],
        removedRevisions: [String] = [], outputs: [String: Output], removedOutputs: [String] = [], staticFiles: [String: String],
        archive: ArchiveLayout? = nil
    ) {
        self.tenant = tenant
        self.release = release
        self.base = base
        self.today = today
        self.revisions = revisions
        self.removedRevisions = removedRevisions
        self.outputs = outputs
        self.removedOutputs = removedOutputs
        self.staticFiles = staticFiles
        self.archive = archive
    }

    /// This layer applied to its base: the complete manifest of the live site.
    public func merged(onto base: ReleaseManifest) -> ReleaseManifest {
        var result = base
        result.release = release
        result.base = nil
        result.today = today
        for (key, value) in revisions { result.revisions[key] = value }
        for key in removedRevisions { result.revisions[key] = nil }
        for (path, output) in outputs { result.outputs[path] = output }
        for path in removedOutputs { result.outputs[path] = nil }
        result.staticFiles = staticFiles.isEmpty ? base.staticFiles : staticFiles
        result.archive = archive ?? base.archive
        result.removedOutputs = []
        result.removedRevisions = []
        return result
    }
}
