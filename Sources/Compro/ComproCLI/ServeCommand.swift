import ArgumentParser
import ComproBuild
import ComproCMSSource
import ComproModel
import ComproNginx
import ComproOnboarding
import ComproProvision
import ComproRevalidate
import ComproServe
import ComproServiceSource
import Foundation
import Hummingbird
import KoniAMQP
import KoniLogging
import KoniMetrics
import Logging
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the revalidation daemon: regenerate exactly the pages a change affects and publish them atomically.",
        discussion: """
            Inputs: the signed webhook POST /api/revalidate (HMAC-SHA256, header X-Koni-Signature: \
            t=<unix>,v1=<hex of HMAC("<t>.<body>")>, 300 s tolerance, replays refused; ?wait=true answers after \
            publishing with the paths written), and with --watch the tenant folders, templates and themes. \
            Also GET /healthz and GET /metrics (Prometheus). Stops gracefully on SIGTERM or SIGINT.
            """
    )

    @OptionGroup var location: SiteLocationOptions

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out = "public"

    @Option(name: .long, help: ArgumentHelp("Address to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("HTTP port.", valueName: "n"))
    var port = 8090

    @Option(
        name: .long,
        help: ArgumentHelp("Webhook secret (prefer $KONI_WEBHOOK_SECRET: arguments are visible to other users).", valueName: "s")
    )
    var webhookSecret: String?

    @Flag(name: .long, help: "Watch tenant folders, templates and themes and apply changes as they are saved.")
    var watch = false

    @Option(name: .long, help: ArgumentHelp("RabbitMQ URL to consume CMS events from (or $KONI_AMQP_URL).", valueName: "url"))
    var amqp: String?

    @Option(name: .long, help: ArgumentHelp("Queue to consume.", valueName: "name"))
    var queue = "compro.revalidate"

    @Option(
        name: .customLong("binding"),
        help: ArgumentHelp(
            "Routing key (event type pattern) bound to koni.events (repeatable). Default cms.#, tenant.#, tournament.#, match.completed and athlete.#. To carry only some tenants, use --shard-tenant.",
            valueName: "key")
    )
    var bindings: [String] = []

    @Option(
        name: .customLong("shard-tenant"),
        help: ArgumentHelp(
            "Consume only this tenant's events (repeatable; default: every tenant). The queue is then bound, through the headers exchange <queue>.by-tenant, to events whose tenant_slug header names one of these tenants.",
            valueName: "slug")
    )
    var shardTenants: [String] = []

    @Option(name: .long, help: ArgumentHelp("Attempts before an event goes to the dead-letter queue (1-100).", valueName: "n"))
    var maxAttempts = 5

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Deliveries of one message without an acknowledgement (the daemon died while handling it) before the broker dead-letters it (1-100; the queue's x-delivery-limit).",
            valueName: "n")
    )
    var deliveryLimit = 20

    @Option(name: .long, help: ArgumentHelp("Signed webhook requests revalidating at once; more are answered 429 (1-10000).", valueName: "n"))
    var maxPendingRequests = 64

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Seconds between comparisons of each source: cms tenant with the CMS (cursor, then digest), which catch up what lost events missed (0: only at start; 1-86400).",
            valueName: "s")
    )
    var cmsReconcileInterval = 60

    @Option(name: .long, help: ArgumentHelp("Log format: json or text (default: text on a terminal, json otherwise).", valueName: "format"))
    var logFormat: String?

    @Option(name: .long, help: ArgumentHelp("Releases to keep per tenant for rollback.", valueName: "n"))
    var keep = 5

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Provision branches from the Tenant service's tenant.* events (needs --amqp): a new branch's folder, site and Nginx server block written into this folder; a suspended branch's block shows the maintenance notice.",
            valueName: "dir"))
    var provisionNginxOut: String?

    @Option(
        name: .long, help: ArgumentHelp("Command run after a server block changed, without a shell, e.g. \"/usr/sbin/nginx -s reload\".", valueName: "command"))
    var nginxReload: String?

    @OptionGroup(title: "Server blocks written by --provision-nginx-out") var nginx: NginxOptions

    /// `--amqp`, else `$KONI_AMQP_URL` (ArgumentParser reads no environment variables itself).
    var amqpURL: String? { amqp ?? ProcessInfo.processInfo.environment["KONI_AMQP_URL"] }

    /// `--webhook-secret`, else `$KONI_WEBHOOK_SECRET`.
    var secret: String? { webhookSecret ?? ProcessInfo.processInfo.environment["KONI_WEBHOOK_SECRET"] }

    func validate() throws {
        if let secret {
            do { _ = try WebhookVerifier(secret: secret) } catch { throw ValidationError("\(error)") }
        }
        guard (1...100).contains(maxAttempts) else { throw ValidationError("--max-attempts must be in 1...100.") }
        guard (1...100).contains(deliveryLimit) else { throw ValidationError("--delivery-limit must be in 1...100.") }
        guard (1...10_000).contains(maxPendingRequests) else { throw ValidationError("--max-pending-requests must be in 1...10000.") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be in 0...65535.") }
        guard (0...86_400).contains(cmsReconcileInterval) else { throw ValidationError("--cms-reconcile-interval must be in 0...86400.") }
        guard (1...1_000).contains(keep) else { throw ValidationError("--keep must be in 1...1000.") }
        for slug in shardTenants where !Slug.isValid(slug) {
            throw ValidationError("--shard-tenant '\(slug)' is not a tenant slug (lowercase letters and digits joined by single hyphens).")
        }
        if provisionNginxOut != nil && amqpURL == nil {
            throw ValidationError("--provision-nginx-out needs --amqp or $KONI_AMQP_URL: branches are provisioned from the Tenant service's events.")
        }
        if !shardTenants.isEmpty && amqpURL == nil {
            throw ValidationError("--shard-tenant needs --amqp or $KONI_AMQP_URL: it selects which events are consumed from RabbitMQ.")
        }
    }

    func run() async throws {
        let json = (logFormat ?? (isatty(STDERR_FILENO) == 1 ? "text" : "json")) == "json"
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) as any LogHandler : StreamLogHandler.standardError(label: label)
        }
        let metrics = ServiceMetrics()
        let logger = Logger(label: "koni-compro.serve")

        var environment = BuildEnvironment(
            tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
            outputDirectory: out, keepReleases: keep
        )
        environment.durablePublishing = true
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: environment), contentSources: .carried, serviceSource: ServiceSource(),
            metrics: DaemonMetrics(factory: metrics.factory), logger: logger)
        if secret == nil { logger.warning("no webhook secret: POST /api/revalidate answers 503") }
        let verifier = try secret.map { secret throws(WebhookVerifier.WeakSecret) in try WebhookVerifier(secret: secret) }
        let traces = PublishedTraces()
        let http = DaemonHTTP(
            revalidator: revalidator, verifier: verifier, metrics: metrics, maxPendingRequests: maxPendingRequests, traces: traces, logger: logger
        )
        let app = Application(
            router: http.router(), configuration: .init(address: .hostname(host, port: port), serverName: "koni-compro"),
            logger: logger
        )
        var services: [any Service] = [app, CalendarTicker(revalidator: revalidator, logger: logger)]
        if watch { services.append(TenantWatcher(revalidator: revalidator, logger: logger)) }
        // A sharded daemon carries only its shard's tenants.
        let carriedTenants = shardTenants
        services.append(
            SourceReconciler(
                revalidator: revalidator, interval: cmsReconcileInterval == 0 ? nil : .seconds(cmsReconcileInterval),
                tenants: { carriedTenants.isEmpty ? revalidator.tenants() : carriedTenants }, logger: logger
            )
        )
        var connection: AMQPConnection?
        if let url = amqpURL {
            let amqp = AMQPConnection(configuration: try AMQPConfiguration(url: url, connectionName: "koni-compro serve"), logger: logger)
            var settings = EventConsumer.Settings()
            settings.queue = queue
            if !bindings.isEmpty { settings.bindings = bindings }
            settings.shardTenants = shardTenants
            let carried = Set(revalidator.tenants())
            for slug in shardTenants where !carried.contains(slug) {
                logger.warning(
                    "--shard-tenant names a tenant with no folder here; its events will be acknowledged and skipped", metadata: ["tenant": "\(slug)"])
            }
            settings.maxAttempts = maxAttempts
            settings.deliveryLimit = deliveryLimit
            var provisioner: TenantProvisioner?
            if let directory = provisionNginxOut {
                let onboarding = TenantOnboarding(
                    environment: environment, nginxConfigDirectory: nginx.nginxConfig, nginxSettings: nginx.settings(defaultSites: out),
                    nginxOutputDirectory: directory
                )
                provisioner = try TenantProvisioner(onboarding: onboarding, reloadCommand: (nginxReload ?? "").split(separator: " ").map(String.init))
                logger.info("provisioning branches from tenant.* events", metadata: ["nginx_out": "\(directory)", "reload": "\(nginxReload ?? "none")"])
            }
            services.append(
                EventConsumer(connection: amqp, revalidator: revalidator, settings: settings, traces: traces, provisioner: provisioner, logger: logger))
            connection = amqp
        }
        let group = ServiceGroup(
            configuration: .init(services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        logger.info("serving", metadata: ["address": "\(host):\(port)", "tenants": "\(revalidator.tenants().count)", "watch": "\(watch)"])
        try await group.run()
        await connection?.close()
    }
}
