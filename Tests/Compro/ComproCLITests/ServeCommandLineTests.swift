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

    @Test
    func serveRefusesAShortWebhookSecretAndOutOfRangeNumbersAtStart() throws {
        let short = try run(["serve", "--webhook-secret", "rahasia", "--port", "0"])
        #expect(short.status != 0)
        #expect(short.errors.contains("at least 32 are required"), "\(short.errors)")
        let empty = try run(["serve", "--webhook-secret", "", "--port", "0"])
        #expect(empty.status != 0)
        for (option, value) in [("--max-attempts", "0"), ("--delivery-limit", "1000"), ("--max-pending-requests", "0"), ("--port", "70000")] {
            let result = try run(["serve", option, value])
            #expect(result.status != 0, "\(option) \(value)")
            #expect(result.errors.contains(option), "\(result.errors)")
        }
    }
}
