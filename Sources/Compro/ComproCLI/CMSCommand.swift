import ArgumentParser
import ComproCMSSource
import Foundation

/// `koni-compro cms …`: working with the CMS service.
struct CMSCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cms",
        abstract: "Work with the CMS service (import a tenant folder).",
        subcommands: [CMSImportCommand.self]
    )
}

struct CMSImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Upload a tenant folder's settings, theme and content to the CMS.",
        discussion: """
            The folder is checked first and nothing is sent while any file has an error. A tenant the CMS \
            does not know is created (this needs an admin or superadmin token); items are sent in batches \
            and matched by slug: new ones created, changed ones replaced, equal ones left alone. Drafts \
            arrive unpublished. --prune deletes the CMS's items that are not in the folder (--dry-run lists \
            them and changes nothing), so the folder and its CMS copy can be kept equal. Afterwards \
            'koni-compro build <slug> --cms URL' renders the same site as the folder.
            """
    )

    @Argument(help: "Tenant slug (a folder under --tenants).")
    var slug: String

    @Option(name: .long, help: ArgumentHelp("CMS base URL, e.g. http://127.0.0.1:8003.", valueName: "url"))
    var cms: String

    @Option(name: .long, help: ArgumentHelp("Bearer token (RS256 JWT) of an admin, or $KONI_CMS_TOKEN.", valueName: "jwt"))
    var token: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Tenant id (UUID) for a tenant the CMS does not know yet; default the id derived from its slug (the one the Auth service signs).", valueName: "uuid"
        ))
    var tenantID: String?

    @Option(name: .long, help: ArgumentHelp("Folder with one sub-folder per tenant.", valueName: "dir"))
    var tenants = "tenants"

    @Flag(name: .long, help: "Delete the CMS's items of this tenant that the folder does not have.")
    var prune = false

    @Flag(name: .long, help: "Change nothing; list the CMS's items that the folder does not have (what --prune would delete).")
    var dryRun = false

    func run() async throws {
        guard let token = token ?? ProcessInfo.processInfo.environment["KONI_CMS_TOKEN"], !token.isEmpty else {
            throw ValidationError("Pass --token or set KONI_CMS_TOKEN.")
        }
        var id: UUID?
        if let tenantID {
            guard let parsed = UUID(uuidString: tenantID) else { throw ValidationError("--tenant-id '\(tenantID)' is not a UUID.") }
            id = parsed
        }
        let importer = CMSImporter(client: CMSClient(baseURL: cms, token: token), tenantsDirectory: tenants)
        do {
            let report = try await importer.importTenant(slug, tenantID: id, prune: prune, dryRun: dryRun)
            print(dryRun ? "\(slug): \(report)" : "imported \(slug): \(report)")
        } catch {
            FileHandle.standardError.write(Data("error: \(slug) was not imported: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
