import ArgumentParser
import ComproPublish

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make a tenant's previous release live again (instant: one symlink swap)."
    )

    @Argument(help: "Tenant slug.")
    var slug: String

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out = "public"

    func run() throws {
        let publisher = Publisher(outputDirectory: out)
        let from = publisher.currentRelease(slug) ?? "?"
        do {
            let to = try publisher.rollback(slug)
            print("\(slug): live release is now \(to) (was \(from))")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
