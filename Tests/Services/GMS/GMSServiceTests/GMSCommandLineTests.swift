import KoniTestSupport
import Testing

/// `gms-service` as ops start it: every setting with its variable, the sync's settings refused
/// naming them before anything starts.
@Suite struct GMSCommandLineTests {
    let binary = Repository.binary("gms-service")

    @Test func helpListsTheSyncSettingsAndBadOnesAreRefused() throws {
        let help = try ProcessRunner.run(binary, ["--help"], environment: [:])
        #expect(help.status == 0)
        for (flag, variable) in [
            ("--port", "KONI_GMS_PORT"), ("--database-url", "KONI_GMS_DATABASE_URL"), ("--intl-api-url", "KONI_GMS_INTL_API_URL"),
            ("--intl-api-key-file", "KONI_GMS_INTL_API_KEY_FILE"), ("--sync-interval-s", "KONI_GMS_SYNC_INTERVAL_S"), ("--sync-tenant", "KONI_GMS_SYNC_TENANT"),
            ("--sync-max-requests", "KONI_GMS_SYNC_MAX_REQUESTS"),
        ] {
            #expect(help.output.contains(flag) && help.output.contains(variable), "\(flag) / \(variable)")
        }
        let base = ["--jwt-public-key", "x", "--database-url", "postgres://u@db/gms", "--amqp-url", "amqp://db/"]
        let keyless = try ProcessRunner.run(binary, base + ["--intl-api-url", "https://intl.example"], environment: [:])
        #expect(keyless.status == 2 && keyless.errors.contains("intl-api-key-file"), "\(keyless.errors)")
        let tenant = try ProcessRunner.run(
            binary, base + ["--intl-api-url", "https://intl.example", "--intl-api-key", "k", "--sync-tenant", "Not A Slug"], environment: [:])
        #expect(tenant.status == 2 && tenant.errors.contains("sync-tenant"), "\(tenant.errors)")
        let interval = try ProcessRunner.run(
            binary, base + ["--intl-api-url", "https://intl.example", "--intl-api-key", "k", "--sync-interval-s", "999999"], environment: [:])
        #expect(interval.status == 2 && interval.errors.contains("sync-interval-s"), "\(interval.errors)")
    }
}
