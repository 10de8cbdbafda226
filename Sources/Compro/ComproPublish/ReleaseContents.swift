import ComproModel

/// Everything one new release is made of.
///
/// A full release (`base == nil`) holds every file of the site. A layer release holds only the
/// files changed since `base` and marks outputs deleted since then in `gone`; Nginx serves a path
/// from the layer, else (unless it is gone) from the base. Publishing a layer costs the size of
/// the change, not the size of the site.
public struct ReleaseContents: Sendable {
    /// New files, written with their `.gz` siblings.
    public var files: [PublishedFile]
    /// Existing files shared with an earlier release through hard links (their `.gz` too, when present).
    public var links: [Link]
    /// Files copied from `static/`.
    public var staticFiles: [StaticFile]
    /// Site paths deleted since `base` (layers only).
    public var gone: [String]
    /// Release id of the full release this one is layered on.
    public var base: String?
    /// Manifest entries already written as JSON, by output path (see
    /// ``ReleaseManifest/jsonBytes(cachedOutputs:)``); only ever a saving.
    public var cachedManifestOutputs: [String: [UInt8]] = [:]
    /// The manifest's archive layout already written as JSON (``ArchiveLayout/jsonBytes()``).
    public var cachedManifestArchive: [UInt8]?

    public struct Link: Sendable {
        /// Path inside the new release.
        public var path: String
        /// Release id that already has the file at the same path.
        public var fromRelease: String

        public init(path: String, fromRelease: String) {
            self.path = path
            self.fromRelease = fromRelease
        }
    }

    public init(files: [PublishedFile], links: [Link] = [], staticFiles: [StaticFile] = [], gone: [String] = [], base: String? = nil) {
        self.files = files
        self.links = links
        self.staticFiles = staticFiles
        self.gone = gone
        self.base = base
    }
}
