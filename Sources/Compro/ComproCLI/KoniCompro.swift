import ArgumentParser
import KoniImage

/// `koni-compro`: builds, publishes and keeps fresh the websites of KONI branches.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
package struct KoniCompro: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "koni-compro",
        abstract: "Build and publish the websites of KONI branches (jatim.koni.id, jabar.koni.id, …).",
        discussion: """
            Each branch (tenant) is a folder tenants/<slug>/ with tenant.yml, content/ (Markdown with YAML \
            front matter) and static/. Sites are rendered with the shared Templates/ and Themes/ and \
            published atomically to <out>/<slug>/current, the folder Nginx serves.
            """,
        version: "0.1.0",
        subcommands: [
            BuildCommand.self, ServeCommand.self, RevalidateCommand.self, RollbackCommand.self, ThemeCommand.self, NginxCommand.self,
            TenantCommand.self, CMSCommand.self, ImagesCommand.self,
        ]
    )

    package init() {}
}

/// Options every command that reads tenants shares.
struct SiteLocationOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder with one sub-folder per tenant.", valueName: "dir"))
    var tenants = "tenants"

    @Option(name: .long, help: ArgumentHelp("Shared templates folder.", valueName: "dir"))
    var templates = "Templates"

    @Option(name: .long, help: ArgumentHelp("Theme presets folder.", valueName: "dir"))
    var themes = "Themes"
}

extension KoniCompro {
    /// Parses the process arguments and runs the chosen command, awaiting async commands.
    package static func runFromCommandLine() async {
        // Builds and the daemon process photos on several threads (KoniImage).
        ImageProcessor.limitMallocArenas()
        await runAsync(Self.self)
    }
}

/// Called through a generic so that `AsyncParsableCommand.main` (which awaits `run()`) is chosen
/// over the synchronous `ParsableCommand.main`.
private func runAsync<Command: AsyncParsableCommand>(_ command: Command.Type) async {
    await command.main(nil)
}
