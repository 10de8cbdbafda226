import Hummingbird
import KoniAMQP
import KoniImage
import KoniServiceKit
import KoniStorage
import Logging

/// Assembles the Media service: PostgreSQL, migrations, the storage, the HTTP API and the outbox
/// relay, as one Hummingbird application that shuts down in order on SIGTERM.
package enum MediaServer {
    package static func makeApplication(
        configuration: MediaConfiguration, publisher: any OutboxPublisher, logger: Logger, metrics: ServiceMetrics = ServiceMetrics()
    ) async throws -> some ApplicationProtocol {
        let database = try Database(url: configuration.databaseURL, logger: logger)
        let verifier = try await configuration.tokenKeys.verifier(expectations: configuration.jwtExpectations, logger: logger)
        let storage: any ObjectStorage
        switch configuration.storage {
        case .fileSystem(let root): storage = try FileSystemStorage(root: root)
        case .s3(let settings): storage = try S3Storage(settings: settings)
        }
        let ready = ReadyGate()
        let relay = OutboxRelay(database: database, publisher: publisher, settings: configuration.relay, ready: ready, metrics: metrics, logger: logger)
        let api = MediaAPI(
            database: database, store: MediaStore(logger: logger), storage: storage, images: try ImageProcessor(),
            references: configuration.cms.map { CMSReferences(client: ServiceClient(settings: $0)) },
            maximumUploadBytes: configuration.maximumUploadBytes, spoolDirectory: configuration.spoolDirectory, relay: relay
        )
        logger.info("media storage", metadata: ["storage": "\(storage.description)"])

        let router = Router<KoniRequestContext>.koniService(database: database, ready: ready, metrics: metrics)
        api.register(on: router, verifier: verifier)
        if !configuration.serviceKeys.isEmpty {
            api.registerInternal(on: try router.internalRoutes(keys: configuration.serviceKeys))
        }

        var app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "koni-media"),
            services: [database.client, relay],
            logger: logger
        )
        app.beforeServerStarts(perform: Migrator.startupStep(database: database, migrations: MediaMigrations.all, ready: ready, logger: logger))
        return app
    }

    /// Runs the service until SIGTERM or SIGINT (see ``CMSServer``'s twin).
    package static func run(configuration: MediaConfiguration, logger: Logger) async throws {
        try await ServiceStart.runWithBroker(
            name: "media-service", amqpURL: configuration.amqpURL, exchange: configuration.exchange, port: configuration.port, logger: logger
        ) { publisher, _ in
            try await makeApplication(configuration: configuration, publisher: publisher, logger: logger)
        }
    }
}
