import Foundation
import Testing

extension CommandLineTests {
    @Test
    func serveDocumentsAndChecksShardTenants() throws {
        let help = try run(["serve", "--help"]).output
        for option in ["--shard-tenant", "--binding", "--queue", "tenant_slug"] { #expect(help.contains(option), "serve --help names \(option)") }
        let badSlug = try run(["serve", "--amqp", "amqp://guest:guest@127.0.0.1:1/", "--shard-tenant", "../Jatim"])
        #expect(badSlug.status != 0)
        #expect(badSlug.errors.contains("--shard-tenant '../Jatim' is not a tenant slug"))
        let noBroker = try run(["serve", "--shard-tenant", "jatim"])
        #expect(noBroker.status != 0)
        #expect(noBroker.errors.contains("--shard-tenant needs --amqp"))
    }
}
