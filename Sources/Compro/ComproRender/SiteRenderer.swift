import ComproMarkdown
import ComproModel
import ComproTheme

/// Renders the outputs of one tenant's site.
///
/// The renderer is a value built once per build from the content, theme, templates and strings;
/// rendering an output reads nothing else, so outputs can be rendered in any order, in parallel,
/// or one at a time by the revalidation daemon.
public struct SiteRenderer: Sendable {
    public let index: ContentIndex
    public let theme: Theme
    public let templates: TemplateSet
    public let strings: LocaleStrings
    /// The site's photos in their variants (from the image step; empty: every image is a plain `<img>`).
    public let images: ImageCatalog
    /// When set, every page shows this text in a banner (theme preview).
    public let previewBanner: String?
    let markdown = MarkdownRenderer()
    let chrome = ChromeCache()
    let themeCSS: String
    /// Content-hashed file paths of the two stylesheets (`assets/theme.0f3a….css`).
    public let themeCSSPath: String
    public let siteCSSPath: String

    public init(
        index: ContentIndex, theme: Theme, templates: TemplateSet, strings: LocaleStrings, images: ImageCatalog = ImageCatalog(),
        previewBanner: String? = nil
    ) {
        self.index = index
        self.images = images
        self.theme = theme
        self.templates = templates
        self.strings = strings
        self.previewBanner = previewBanner
        themeCSS = theme.css
        themeCSSPath = "assets/theme.\(Digest.sha256Hex(themeCSS).prefix(12)).css"
        siteCSSPath = "assets/site.\(Digest.sha256Hex(templates.siteCSS).prefix(12)).css"
    }

    public var tenant: TenantConfig { index.content.tenant }

    /// Revisions of every input: the content items' and the site-wide ones.
    public var revisions: [ItemID: String] {
        index.content.revisions.merging(siteRevisions) { $1 }
    }

    /// Revisions of the site-wide inputs: settings, theme, templates, strings.
    public var siteRevisions: [ItemID: String] {
        [.siteConfig: tenant.revision, .theme: themeCSSPath, .templates: templates.revision, .strings: strings.revision]
    }

    /// The release path of `spec`'s file.
    public func filePath(of spec: OutputSpec) -> String {
        switch spec {
        case .siteCSS: siteCSSPath
        case .themeCSS: themeCSSPath
        default: spec.filePath
        }
    }

    /// Renders one output.
    public func render(_ spec: OutputSpec) throws(RenderError) -> RenderedOutput {
        let builder = PageBuilder(renderer: self, spec: spec)
        let text: String
        switch spec {
        case .siteCSS:
            builder.deps.read(.templates)
            text = templates.siteCSS
        case .themeCSS:
            builder.deps.read(.theme)
            text = themeCSS
        case .feed: text = builder.feed()
        case .sitemap: text = builder.sitemap()
        case .sitemapPart(let name): text = builder.sitemap(part: name)
        case .robots: text = builder.robots()
        default: text = try builder.html()
        }
        return RenderedOutput(spec: spec, path: filePath(of: spec), bytes: Array(text.utf8), dependencies: builder.deps)
    }

    /// Renders every output of the plan, spread over all cores; the result keeps the plan's order.
    public func renderAll() throws(RenderError) -> [RenderedOutput] {
        let plan = index.plan()
        let results = ParallelMap.map(plan) { spec -> Result<RenderedOutput, RenderError> in
            do throws(RenderError) {
                return .success(try render(spec))
            } catch {
                return .failure(error)
            }
        }
        var outputs: [RenderedOutput] = []
        outputs.reserveCapacity(results.count)
        for result in results {
            switch result {
            case .success(let output): outputs.append(output)
            case .failure(let error): throw error
            }
        }
        return outputs
    }
}

/// One rendered file and what it was made from.
public struct RenderedOutput: Sendable {
    public var spec: OutputSpec
    /// Path inside the release folder, e.g. `berita/juara-umum/index.html`.
    public var path: String
    public var bytes: [UInt8]
    public var dependencies: OutputDependencies
}
