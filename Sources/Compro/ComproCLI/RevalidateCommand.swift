import ArgumentParser
import ComproBuild
import ComproCMSSource
import ComproServiceSource
import ComproRevalidate
import Foundation

struct RevalidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revalidate",
        abstract: "Regenerate the pages of a tenant that a change affects, and publish them now.",
        discussion: """
            With --entity KIND:SLUG (news:juara-umum, page:profil, event:…, gallery:…, athlete:…, theme, settings) \
            the named items are re-read; with --path the given site paths are re-rendered; with neither, every \
            file of the tenant is checked for changes. Exit status 1 when the content is invalid (the live site \
            is then unchanged).
            """
    )

    @Argument(help: "Tenant slug.")
    var slug: String

    @Option(name: .customLong("path"), help: ArgumentHelp("Site path to re-render, e.g. /profil/.", valueName: "path"))
    var paths: [String] = []

    @Option(name: .customLong("entity"), help: ArgumentHelp("What changed, as KIND:SLUG.", valueName: "kind:slug"))
    var entities: [String] = []

    @OptionGroup var location: SiteLocationOptions

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out = "public"

    func validate() throws {
        _ = try changes()
        for path in paths where !path.hasPrefix("/") { throw ValidationError("--path \(path): site paths start with /") }
    }

    func changes() throws -> [ContentChange] {
        try entities.map { text in
            let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
            guard let entity = ContentChange.Entity(rawValue: parts[0]) else {
                throw ValidationError("--entity \(text): kind must be one of \(ContentChange.Entity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return ContentChange(entity: entity, slug: parts.count > 1 ? parts[1] : "")
        }
    }

    func run() async throws {
        let environment = BuildEnvironment(
            tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
            outputDirectory: out, now: try parseNow(nil)
        )
        let revalidator = Revalidator(builder: SiteBuilder(environment: environment), contentSources: .carried, serviceSource: ServiceSource())
        let changes = try changes()
        do {
            let result = try await revalidator.revalidate(tenant: slug, changes: changes, paths: paths, rescan: changes.isEmpty && paths.isEmpty)
            for path in result.written { print("written  /\(path)") }
            for path in result.removed { print("removed  /\(path)") }
            print("\(slug): \(result.rendered) rendered, \(result.written.count) written, \(result.removed.count) removed; live release \(result.release)")
        } catch {
            FileHandle.standardError.write(Data("error: \(slug) was not published; its live site is unchanged:\n".utf8))
            for line in error.description.split(separator: "\n") { FileHandle.standardError.write(Data("  \(line)\n".utf8)) }
            throw ExitCode(1)
        }
    }
}
