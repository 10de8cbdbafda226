import ComproCMSSource
import ComproContent

extension ContentSources {
    /// Every source besides the folder that `build`, `serve` and `revalidate` read tenants from:
    /// a new kind of source is added here, once for all three.
    static let carried = ContentSources([.cms: CMSTenantContentSource()])
}
