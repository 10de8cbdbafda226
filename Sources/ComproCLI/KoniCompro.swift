import ArgumentParser

/// `koni-compro`: builds, publishes and keeps fresh the websites of KONI branches.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct KoniCompro: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "koni-compro",
        abstract: "Build and publish the websites of KONI branches (jatim.koni.id, jabar.koni.id, …).",
        discussion: """
            Each branch (tenant) is a folder tenants/<slug>/ with tenant.yml, content/ (Markdown with YAML \
            front matter) and static/. Sites are rendered with the shared Templates/ and Themes/ and \
            published atomically to <out>/<slug>/current, the folder Nginx serves.
            """,
        version: "0.1.0",
        subcommands: [BuildCommand.self, ThemeCommand.self, RollbackCommand.self, CMSCommand.self]
    )

    public init() {}
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
