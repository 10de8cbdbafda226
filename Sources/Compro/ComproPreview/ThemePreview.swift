import ComproBuild
import ComproModel
import ComproRender
import ComproTheme
import Foundation

/// Renders one tenant's site with a candidate theme, in memory, with a banner on every page
/// saying that it is a preview. Nothing is published: the tenant's live `current` is untouched.
package struct ThemePreview: Sendable {
    package let builder: SiteBuilder
    package let slug: String
    package let theme: ThemeSource

    package init(builder: SiteBuilder, slug: String, theme: ThemeSource) {
        self.builder = builder
        self.slug = slug
        self.theme = theme
    }

    /// The locale key of the banner text; `{theme}` and `{tenant}` are replaced.
    package static let bannerKey = "preview_banner"

    /// Loads the tenant and the theme and renders every page and asset.
    package func render() throws(BuildFailure) -> PreviewSite {
        let candidate = try theme.load(from: builder.themes)
        let content: SiteContent
        do { content = try builder.source.load(slug) } catch { throw .content(error) }
        let banner = try bannerText(for: content.tenant, theme: candidate)
        let renderer = try builder.renderer(for: content, theme: candidate, previewBanner: banner)
        let outputs: [RenderedOutput]
        do { outputs = try renderer.renderAll() } catch { throw .render(error) }
        var files: [String: [UInt8]] = [:]
        for output in outputs { files[output.path] = output.bytes }
        var cached: [String: String] = [:]
        for file in renderer.index.content.staticFiles where files[file.path] == nil {
            if file.linkable {
                cached[file.path] = file.sourcePath
                continue
            }
            do throws(ConfinedFileError) {
                files[file.path] = try file.read()
            } catch {
                throw .content(ContentErrors([ContentError(file: file.sourcePath, "cannot read static file: \(error.reason)")]))
            }
        }
        return PreviewSite(
            slug: slug, themeName: candidate.displayName, files: files, cachedFiles: cached,
            warnings: candidate.contrastProblems.map { "theme \(candidate.name): \($0)" }
        )
    }

    /// The banner in the tenant's language, from `Templates/locales/<locale>.yml`.
    func bannerText(for tenant: TenantConfig, theme: Theme) throws(BuildFailure) -> String {
        let strings: LocaleStrings
        do { strings = try LocaleStrings.load(directory: builder.environment.localesDirectory, locale: tenant.locale) } catch {
            throw .content(error)
        }
        guard let text = strings.strings[Self.bannerKey] else {
            let file = "\(builder.environment.localesDirectory)/\(tenant.locale).yml"
            throw .content(ContentErrors([ContentError(file: file, "'strings' lacks \(Self.bannerKey), the theme preview banner")]))
        }
        return text.replacingOccurrences(of: "{theme}", with: theme.displayName).replacingOccurrences(of: "{tenant}", with: tenant.shortName)
    }

    /// Files whose change means the preview must be rendered again: the theme (and the presets
    /// a file may extend), the tenant's folder, and the shared templates and strings.
    package var watchedRoots: [String] {
        var roots = [builder.source.tenantDirectory(slug), builder.environment.templatesDirectory, builder.environment.themesDirectory]
        if case .file(let path) = theme { roots.append(path) }
        return roots
    }
}
