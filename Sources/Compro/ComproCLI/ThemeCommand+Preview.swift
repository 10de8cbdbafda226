import ArgumentParser
import ComproBuild
import ComproModel
import ComproPreview
import Foundation

extension ThemeCommand {
    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a tenant's site with a candidate theme, without publishing anything.",
            discussion: """
                Every page carries a banner saying it is a preview. With --out the rendered site is written \
                to that folder (an empty or new folder, or an earlier preview). Otherwise it is served on \
                http://127.0.0.1:<port>/ and rendered again within half a second whenever the theme file, \
                the tenant's folder or the templates change; a render error is shown in the browser as \
                file:line: reason. The tenant's published site is never touched. The tenant's own theme \
                overrides are not applied: the preview shows the candidate as it is.
                """
        )

        @Argument(help: "Tenant slug.")
        var slug: String

        @Option(name: .long, help: ArgumentHelp("A preset name (biru-samudra) or a theme .yml file.", valueName: "name|file"))
        var theme: String

        @Option(name: .long, help: ArgumentHelp("Port to serve the preview on (127.0.0.1).", valueName: "n"))
        var port: Int?

        @Option(name: .long, help: ArgumentHelp("Write the preview into this folder instead of serving it.", valueName: "dir"))
        var out: String?

        @OptionGroup var location: SiteLocationOptions

        @Option(name: .long, help: ArgumentHelp("Render as if it were this moment; default now, or $KONI_NOW.", valueName: "time"))
        var now: String?

        func validate() throws {
            if port != nil && out != nil { throw ValidationError("Pass --port or --out, not both.") }
            if let port, !(1...65535).contains(port) { throw ValidationError("--port must be between 1 and 65535.") }
        }

        func run() async throws {
            let environment = BuildEnvironment(
                tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
                now: try parseNow(now)
            )
            let preview = ThemePreview(builder: SiteBuilder(environment: environment), slug: slug, theme: ThemeSource(argument: theme))
            if let out {
                let site: PreviewSite
                do { site = try preview.render() } catch { throw CLIFailure("\(slug): the preview was not rendered:\n" + indent(error.description)) }
                for warning in site.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                do { try site.write(to: out) } catch { throw CLIFailure(error.description) }
                print("wrote the preview of \(slug) with theme \(site.themeName) to \(out) (\(site.files.count) files)")
                print("look at it with: python3 -m http.server 8080 -d \(out)")
                return
            }
            let server = PreviewServer(preview: preview, port: port ?? 8090)
            let slug = self.slug
            do {
                try await server.run(
                    onRunning: { port in
                        print("previewing \(slug) with theme \(preview.theme) on http://127.0.0.1:\(port)/ (Ctrl-C to stop)")
                    },
                    onRender: { result in
                        switch result {
                        case .success(let site):
                            print("rendered again (\(site.files.count) files)")
                            for warning in site.warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                        case .failure(let error):
                            FileHandle.standardError.write(Data("error: the preview was not rendered:\n\(indent(error.description))\n".utf8))
                        }
                    }
                )
            } catch let error as BuildFailure {
                throw CLIFailure("\(slug): the preview was not rendered:\n" + indent(error.description))
            }
        }
    }

    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a page showing a tenant's site under every theme preset, side by side.",
            discussion: """
                <out>/index.html shows --page of every preset in a frame, with its contrast report; <out>/<preset>/ \
                holds each full preview with relative links, so the folder opens from disk (file://) or any \
                static server. Nothing is published.
                """
        )

        @Argument(help: "Tenant slug.")
        var slug: String

        @Option(name: .long, help: ArgumentHelp("Folder to write the comparison into.", valueName: "dir"))
        var out: String

        @Option(name: .long, help: ArgumentHelp("Site path shown in each frame.", valueName: "path"))
        var page = "/"

        @OptionGroup var location: SiteLocationOptions

        @Option(name: .long, help: ArgumentHelp("Render as if it were this moment; default now, or $KONI_NOW.", valueName: "time"))
        var now: String?

        func run() throws {
            let environment = BuildEnvironment(
                tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
                now: try parseNow(now)
            )
            let comparison = ThemeComparison(builder: SiteBuilder(environment: environment), slug: slug, page: page)
            do {
                let entries = try comparison.write(to: out)
                print("wrote \(out)/index.html: \(slug) \(page) under \(entries.map(\.preset).joined(separator: ", "))")
            } catch {
                throw CLIFailure(error.description)
            }
        }
    }
}

func indent(_ text: String) -> String {
    text.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")
}
