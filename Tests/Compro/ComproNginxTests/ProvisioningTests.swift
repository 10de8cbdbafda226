import ComproModel
@testable import ComproProvision
import ComproTheme
import Foundation
import HummingbirdTesting
import KoniAMQP
import KoniEvents
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Logging
import NIOCore
import TenantService
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A branch registered in the Tenant service appears through Nginx by itself: the real RabbitMQ
/// carries `tenant.created` to `koni-compro serve --provision-nginx-out`, which writes the tenant
/// folder, publishes the starter site, writes the server block and reloads the real Nginx.
/// Suspending shows the maintenance notice; resuming brings the site back.
@Suite(.serialized) struct ProvisioningTests {
    @Test func aBranchRegisteredThroughTheTenantAPIAnswersThroughNginxAndItsSuspensionShowsTheNotice() async throws {
        let sites = Paths.temporaryDirectory("provision-sites")
        let tenants = Paths.temporaryDirectory("provision-tenants")
        let slug = "kab-uji-\(UUID().uuidString.prefix(6).lowercased())"
        let host = "\(slug).koni.id"
        let queue = "provision-test-\(slug)"
        try await withNginx(tenants: [], sites: sites) { nginx in
            let daemon = try Daemon.start(nginx: nginx, tenants: tenants, sites: sites, queue: queue)
            defer { daemon.stop() }
            var logger = Logger(label: "provision-test") { _ in JSONLogHandler(label: "provision-test", level: .error) }
            logger.logLevel = .error
            let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: try TestServers.amqpURL, connectionName: "provision-tests"), logger: logger)
            defer { Task { await amqp.close() } }
            try await eventually("the daemon declared its queue", limit: .seconds(60)) { (try? await amqp.queueStatus(queue)) != nil }

            var configuration = TenantConfiguration(
                databaseURL: try await TestServers.makeDatabase(prefix: "tenant_test"), tokenKeys: .publicKeyPEM(TestKeys.publicKeyPEM),
                amqpURL: try TestServers.amqpURL, themePresets: ThemeCatalog(directory: Repository.themes).presetNames()
            )
            configuration.billingIntervalSeconds = 0
            let tenantDatabase = configuration.databaseURL
            let app = try await TenantServer.makeApplication(
                configuration: configuration, publisher: AMQPOutboxPublisher(connection: amqp, exchange: EventTopology.exchange), amqp: nil, logger: logger
            )
            try await app.test(.router) { client in
                let start = ContinuousClock.now
                let created = try await client.execute(
                    uri: "/api/v1/tenants", method: .post, headers: [.authorization: "Bearer \(TestKeys.admin)", .contentType: "application/json"],
                    body: ByteBuffer(
                        bytes: JSONValue.object([
                            ("slug", .string(slug)), ("name", .string("KONI Kabupaten Uji")), ("level", .string("kabupaten-kota")),
                            ("theme_preset", .string("hijau-priangan")),
                        ]).jsonBytes)
                ) { response in (response.status.code, try JSONValue.parse(Array(response.body.readableBytesView))) }
                #expect(created.0 == 201, "\(created.1.jsonText)")
                let id = try #require(created.1["id"].flatMap { if case .string(let text) = $0 { text } else { nil } })

                do {
                    try await eventually("the site answers through Nginx", limit: .seconds(60)) {
                        // Both pages, on one poll: right after a reload, an old worker may still answer briefly.
                        let page = try? nginx.get("/", host: host)
                        return page?.status == 200 && page?.text.contains("KONI Kabupaten Uji") == true
                            && (try? nginx.get("/profil/", host: host))?.status == 200
                    }
                } catch {
                    Issue.record("daemon log:\n\(daemon.logTail)\nnginx errors:\n\((try? String(contentsOfFile: nginx.errorLog, encoding: .utf8)) ?? "")")
                    throw error
                }
                print("provisioning: a branch registered through the Tenant API answered through Nginx after \(ContinuousClock.now - start)")
                #expect(FileManager.default.fileExists(atPath: "\(tenants)/\(slug)/tenant.yml"))

                let suspendedAt = ContinuousClock.now
                let suspended = try await client.execute(
                    uri: "/api/v1/tenants/\(id)/suspend", method: .post,
                    headers: [.authorization: "Bearer \(TestKeys.admin)", .contentType: "application/json"],
                    body: ByteBuffer(bytes: JSONValue.object([("reason", .string("Tagihan belum dibayar"))]).jsonBytes)
                ) { $0.status.code }
                #expect(suspended == 200)
                try await eventually("the maintenance notice on every page, with its headers", limit: .seconds(60)) {
                    let page = try? nginx.get("/berita/", host: host)
                    let home = try? nginx.get("/", host: host)
                    return page?.status == 503 && page?.text.contains("Situs sedang tidak tersedia") == true && home?.status == 503
                        && home?.header("Retry-After") == "3600" && home?.header("Content-Security-Policy") != nil
                }
                print("provisioning: suspended after \(ContinuousClock.now - suspendedAt)")

                let resumed = try await client.execute(
                    uri: "/api/v1/tenants/\(id)/resume", method: .post, headers: [.authorization: "Bearer \(TestKeys.admin)"]
                ) { $0.status.code }
                #expect(resumed == 200)
                try await eventually("the site is back", limit: .seconds(60)) { (try? nginx.get("/", host: host))?.status == 200 }

                // Renamed and given a custom domain in the Tenant service: tenant.yml, the pages and the server block follow.
                let version = try await client.execute(
                    uri: "/api/v1/tenants/\(id)", method: .get, headers: [.authorization: "Bearer \(TestKeys.admin)"]
                ) { response in response.headers[.eTag] ?? "" }
                let patched = try await client.execute(
                    uri: "/api/v1/tenants/\(id)", method: .patch,
                    headers: [.authorization: "Bearer \(TestKeys.admin)", .contentType: "application/json", .ifMatch: version],
                    body: ByteBuffer(
                        bytes: JSONValue.object([("name", .string("KONI Kabupaten Uji Baru")), ("domains", .array([.string("koniuji.id")]))]).jsonBytes)
                ) { $0.status.code }
                #expect(patched == 200)
                try await eventually("the new name on the site and the new domain served", limit: .seconds(60)) {
                    (try? nginx.get("/", host: host))?.text.contains("KONI Kabupaten Uji Baru") == true
                        && (try? nginx.get("/", host: "koniuji.id"))?.text.contains("KONI Kabupaten Uji Baru") == true
                }
                let file = try String(contentsOfFile: "\(tenants)/\(slug)/tenant.yml", encoding: .utf8)
                #expect(
                    file.contains("name: \"KONI Kabupaten Uji Baru\"") && file.contains("  - koniuji.id") && file.contains("# KONI Kabupaten Uji: created by"))

                // tenant.created delivered again (a redelivery), and a hostile one: the site stays as it is.
                let again = try await TestServers.query(
                    "SELECT payload FROM outbox WHERE type = 'tenant.created'", on: tenantDatabase, as: String.self
                )
                let hostile = KoniEvent(
                    type: .tenantCreated, tenantID: nil, tenantSlug: "evil",
                    data: .object([
                        ("slug", .string("evil")), ("name", .string("KONI <script>")), ("domains", .array([.string("evil.koni.id"), .string(host)])),
                        ("status", .string("active")), ("theme_preset", .string("../../etc")), ("version", .number(1)),
                    ]), traceID: "t")
                for body in again.map({ Array($0.utf8) }) + [hostile.body] {
                    try await amqp.publish(exchange: EventTopology.exchange, routingKey: "tenant.created", body: body)
                }
                try await eventually("the daemon consumed them", limit: .seconds(60)) { (try? await amqp.queueStatus(queue).messageCount) == 0 }
                try await Task.sleep(for: .milliseconds(500))
                #expect((try? nginx.get("/", host: host))?.status == 200)
                #expect(!FileManager.default.fileExists(atPath: "\(tenants)/evil"))
                #expect(daemon.isRunning)
            }
        }
    }
}

/// `koni-compro serve` provisioning into a running test Nginx.
final class Daemon: @unchecked Sendable {
    let process: Process
    let log: String

    private init(process: Process, log: String) {
        self.process = process
        self.log = log
    }

    /// The last lines the daemon logged, for a failure's message.
    var logTail: String {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(30).joined(separator: "\n")
    }

    static func start(nginx: NginxServer, tenants: String, sites: String, queue: String) throws -> Daemon {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Repository.binary("koni-compro"))
        process.arguments = [
            "serve", "--tenants", tenants, "--templates", Repository.templates, "--themes", Repository.themes, "--out", sites, "--port", "0",
            "--amqp", try TestServers.amqpURL, "--queue", queue, "--binding", "tenant.#", "--provision-nginx-out", "\(nginx.prefix)/conf/sites",
            "--nginx-reload", "\(NginxServer.binary) -p \(nginx.prefix) -c \(nginx.prefix)/conf/nginx.conf -s reload",
            "--listen", nginx.settings.listen[0], "--sites", sites, "--nginx-config", Paths.nginxConfig, "--acme-root", "\(nginx.prefix)/acme",
            "--log-format", "json",
        ]
        let log = "\(nginx.prefix)/logs/daemon.log"
        guard FileManager.default.createFile(atPath: log, contents: nil), let handle = FileHandle(forWritingAtPath: log) else {
            throw NginxTestError(description: "cannot create \(log)")
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Daemon(process: process, log: log)
    }

    var isRunning: Bool { process.isRunning }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }
}
