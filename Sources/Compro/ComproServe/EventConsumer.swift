import ComproModel
import ComproProvision
import ComproRevalidate
import Foundation
import KoniAMQP
import KoniEvents
import Logging
import ServiceLifecycle

/// Consumes CMS and tenant events from RabbitMQ and revalidates the tenants they name.
///
/// Topology (declared here, re-declared by the connection after every reconnect):
/// - without ``Settings/shardTenants``, the durable queue `<queue>` bound to the topic exchange
///   `koni.events` with the configured routing keys (default `cms.#`, `tenant.#`, `tournament.#`,
///   `match.completed` and `athlete.#`);
/// - with ``Settings/shardTenants`` (a server that carries only some tenants), the durable headers
///   exchange `<queue>.by-tenant`, bound to `koni.events` with the same routing keys (an
///   exchange-to-exchange binding: it gets exactly the event types the unsharded queue would), and
///   the queue bound to it once per tenant with `x-match: all, tenant_slug: <slug>`. The routing
///   key stays the event type; the tenant comes from the `tenant_slug` message header that the
///   outbox publisher sets. The exchange is per queue so that servers with other `--binding`
///   keys never widen each other's event types. Switching a queue between the two modes removes
///   the other mode's bindings (the direct topic bindings, or the `<queue>.by-tenant` exchange);
///   a tenant dropped from the shard list keeps its binding until `<queue>.by-tenant` is deleted
///   (its events are then acknowledged as "not a tenant of this server" if its folder is gone);
/// - `<queue>` is a quorum queue with `x-delivery-limit` (``Settings/deliveryLimit``) that
///   dead-letters to `koni.events.dead`: a message that kills the process before it is settled
///   is redelivered at most that many times, then parked, so one poison event cannot stop
///   revalidation for every branch by crashing the daemon on each restart;
/// - `<queue>.retry`, whose messages wait `retryDelay` and then dead-letter back to `<queue>`;
/// - the direct exchange `koni.events.dead` and the queue `<queue>.dead` (bound with the routing
///   key `<queue>`) for events that failed `maxAttempts` times or cannot be read at all.
///
/// A delivery is acknowledged only after its regeneration was published (or after it was moved
/// to the retry or dead queue with a confirmed publish), so a crash redelivers it. Events are hints
/// and regeneration re-reads current state, so redelivered, duplicated or reordered events
/// converge to the same site.
package struct EventConsumer: Service {
    package struct Settings: Sendable {
        package var queue = "compro.revalidate"
        package var bindings = ["cms.#", "tenant.#", "tournament.#", "match.completed", "athlete.#"]
        /// The tenants (slugs) this server carries; empty means every tenant. When set, only
        /// events whose `tenant_slug` header names one of them reach the queue.
        package var shardTenants: [String] = []
        package var prefetch: UInt16 = 32
        package var maxAttempts = 5
        /// Deliveries of one message without a settlement (the process died while handling it)
        /// after which the broker dead-letters it: the queue's `x-delivery-limit`.
        /// 20, as RabbitMQ 4 defaults: each restart or deploy while messages are in flight
        /// counts one delivery against every one of them, so a low limit would park innocent events.
        package var deliveryLimit = 20
        package var retryDelay: Duration = .seconds(2)

        package init() {}
    }

    package static let exchange = EventTopology.exchange
    package static let deadExchange = EventTopology.deadExchange
    /// The message header a sharded queue's bindings match (set by the CMS's outbox publisher).
    package static let tenantHeader = EventTopology.tenantHeader

    /// The headers exchange of a sharded queue: `<queue>.by-tenant`.
    package static func tenantExchange(queue: String) -> String { "\(queue).by-tenant" }

    /// The binding arguments that route one tenant's events to a sharded queue.
    package static func tenantBindingArguments(_ slug: String) -> [String: AMQPFieldValue] {
        ["x-match": "all", tenantHeader: .string(slug)]
    }

    let connection: AMQPConnection
    let revalidator: Revalidator
    /// The queue, bindings, shard tenants and retry policy this consumer declares and follows.
    package let settings: Settings
    let logger: Logger
    /// Where the outcome of each event is recorded by its trace id (for "live in N ms").
    let traces: PublishedTraces?
    /// Provisions branches from `tenant.*` events (`serve --provision-nginx-out`); nil: those
    /// events only re-read the tenant's settings.
    let provisioner: TenantProvisioner?

    package init(
        connection: AMQPConnection, revalidator: Revalidator, settings: Settings = Settings(), traces: PublishedTraces? = nil,
        provisioner: TenantProvisioner? = nil, logger: Logger
    ) {
        self.connection = connection
        self.revalidator = revalidator
        self.settings = settings
        self.traces = traces
        self.provisioner = provisioner
        self.logger = logger
    }

    /// The arguments of the consumed queue: a quorum queue whose broker counts deliveries.
    package static func queueArguments(_ settings: Settings) -> [String: AMQPFieldValue] {
        [
            "x-queue-type": "quorum", "x-delivery-limit": .int(Int64(min(max(settings.deliveryLimit, 1), 100))),
            "x-dead-letter-exchange": .string(deadExchange), "x-dead-letter-routing-key": .string(settings.queue),
        ]
    }

    /// Declares the exchanges, queues and bindings.
    package func declareTopology() async throws(AMQPError) {
        let delayMilliseconds =
            min(max(Int64(settings.retryDelay.components.seconds), 0), 86_400) * 1000
            + settings.retryDelay.components.attoseconds / 1_000_000_000_000_000
        try await connection.declareExchange(Self.exchange, type: "topic")
        try await connection.declareExchange(Self.deadExchange, type: "direct")
        do {
            try await connection.declareQueue(settings.queue, arguments: Self.queueArguments(settings))
        } catch {
            if error.replyCode == 406 {
                logger.critical(
                    "the queue exists with other arguments (a classic queue of an earlier version?); drain and delete it, then start again",
                    metadata: [
                        "queue": "\(settings.queue)", "remedy": "rabbitmqctl delete_queue \(settings.queue)", "error": "\(error)",
                    ])
            }
            throw error
        }
        try await declareRouting()
        try await connection.declareQueue(
            "\(settings.queue).retry",
            arguments: [
                "x-message-ttl": .int(delayMilliseconds), "x-dead-letter-exchange": .string(""),
                "x-dead-letter-routing-key": .string(settings.queue),
            ]
        )
        try await connection.declareQueue("\(settings.queue).dead")
        try await connection.bindQueue("\(settings.queue).dead", exchange: Self.deadExchange, routingKey: settings.queue)
    }

    /// Binds the queue for every tenant (topic bindings) or for the shard's tenants (through the
    /// headers exchange), and removes the other mode's bindings left by an earlier run.
    private func declareRouting() async throws(AMQPError) {
        let byTenant = Self.tenantExchange(queue: settings.queue)
        if settings.shardTenants.isEmpty {
            // Deleting a missing exchange is not an error; this drops an earlier sharded run's tenant bindings.
            try await connection.deleteExchange(byTenant)
            for key in settings.bindings { try await connection.bindQueue(settings.queue, exchange: Self.exchange, routingKey: key) }
            return
        }
        try await connection.declareExchange(byTenant, type: "headers", durable: true)
        for key in settings.bindings { try await connection.bindExchange(byTenant, to: Self.exchange, routingKey: key) }
        for slug in settings.shardTenants {
            try await connection.bindQueue(settings.queue, exchange: byTenant, routingKey: "", arguments: Self.tenantBindingArguments(slug))
        }
        // An earlier unsharded run bound the queue to every tenant's events: not any more.
        for key in settings.bindings { try await connection.unbindQueue(settings.queue, exchange: Self.exchange, routingKey: key) }
    }

    package func run() async throws {
        try await declareTopology()
        logger.info(
            "consuming events",
            metadata: [
                "queue": "\(settings.queue)", "bindings": "\(settings.bindings)",
                "shard_tenants": "\(settings.shardTenants.isEmpty ? "all" : settings.shardTenants.joined(separator: ","))",
            ])
        try await withThrowingDiscardingTaskGroup { group in
            for try await delivery in connection.consume(queue: settings.queue, prefetch: settings.prefetch).cancelOnGracefulShutdown() {
                // Each delivery in its own task: tenants regenerate in parallel, and the
                // revalidator serializes (and coalesces) each tenant's work.
                group.addTask { await handle(delivery) }
            }
        }
    }

    func handle(_ delivery: AMQPDelivery) async {
        if case .int(let count)? = delivery.headers["x-delivery-count"], count > 0 {
            logger.warning(
                "event delivered again without a settlement (an earlier process died handling it?)",
                metadata: [
                    "message_id": "\(delivery.messageID ?? "")", "delivery_count": "\(count)", "delivery_limit": "\(settings.deliveryLimit)",
                ])
        }
        let event: EventEnvelope
        do throws(EventEnvelope.Invalid) {
            event = try EventEnvelope.parse(delivery.body)
        } catch {
            logger.error("unreadable event dead-lettered", metadata: ["message_id": "\(delivery.messageID ?? "")", "error": "\(error)"])
            await deadLetter(delivery, reason: error.description, attempts: attempts(of: delivery))
            return
        }
        revalidator.metrics.eventReceived(.amqp)
        if let lag = event.lagSeconds(now: Date().timeIntervalSince1970) {
            revalidator.metrics.queueLag(seconds: lag)
        }
        let metadata: Logger.Metadata = [
            "event_id": "\(event.id)", "type": "\(event.type)", "tenant": "\(event.tenantSlug)", "trace_id": "\(event.traceID)",
        ]
        if let provisioner, TenantChange.eventTypes.contains(EventType(rawValue: event.type)) {
            await provision(event, delivery: delivery, provisioner: provisioner, metadata: metadata)
            return
        }
        do throws(RevalidationError) {
            let result = try await revalidator.revalidate(tenant: event.tenantSlug, changes: event.changes)
            logger.info(
                "published",
                metadata: metadata.merging([
                    "release": "\(result.release)", "written": "\(result.written.count)", "removed": "\(result.removed.count)",
                ]) { $1 })
            await traces?.record(event.traceID, published: true, release: result.release)
            await settle { try await delivery.ack() }
        } catch {
            if case .unknownTenant = error {
                // Not a tenant of this server (its bindings should not have routed it here).
                logger.warning("event for a tenant this server does not carry", metadata: metadata)
                await settle { try await delivery.ack() }
                return
            }
            let attempt = attempts(of: delivery)
            logger.error("regeneration failed; live site unchanged", metadata: metadata.merging(["attempt": "\(attempt)", "error": "\(error)"]) { $1 })
            if attempt >= settings.maxAttempts {
                await traces?.record(event.traceID, published: false, release: "")
                await deadLetter(delivery, reason: error.description, attempts: attempt)
            } else {
                await retry(delivery, attempt: attempt)
            }
        }
    }

    /// Applies a `tenant.*` event with the provisioner (on a thread of its own: it writes files,
    /// builds a site and runs the reload command); retried, then dead-lettered, like a regeneration.
    func provision(_ event: EventEnvelope, delivery: AMQPDelivery, provisioner: TenantProvisioner, metadata: Logger.Metadata) async {
        guard let change = event.tenantChange else {
            logger.error(
                "tenant event without a readable branch dead-lettered", metadata: metadata.merging(["error": "\(event.tenantChangeError ?? "")"]) { $1 })
            await deadLetter(delivery, reason: event.tenantChangeError ?? "no tenant data", attempts: attempts(of: delivery))
            return
        }
        let result: Result<TenantProvisioner.Outcome, ProvisionError> = await withCheckedContinuation { continuation in
            Thread {
                do throws(ProvisionError) { continuation.resume(returning: .success(try provisioner.apply(change))) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }.start()
        }
        if case .success(let outcome) = result, outcome == .settingsChanged || (event.type == EventType.tenantUpdated.rawValue && outcome != .created) {
            // The new name, domains or theme are in tenant.yml: regenerate what shows them (also
            // on a retry, when an earlier attempt already wrote the file).
            do throws(RevalidationError) {
                _ = try await revalidator.revalidate(tenant: event.tenantSlug, changes: event.changes)
            } catch {
                let attempt = attempts(of: delivery)
                logger.error("regeneration after a settings change failed", metadata: metadata.merging(["attempt": "\(attempt)", "error": "\(error)"]) { $1 })
                if attempt >= settings.maxAttempts {
                    await deadLetter(delivery, reason: error.description, attempts: attempt)
                } else {
                    await retry(delivery, attempt: attempt)
                }
                return
            }
        }
        switch result {
        case .success(let outcome):
            logger.info("branch provisioned", metadata: metadata.merging(["outcome": "\(outcome)", "status": "\(change.status.rawValue)"]) { $1 })
            await traces?.record(event.traceID, published: true, release: "")
            await settle { try await delivery.ack() }
        case .failure(let error):
            let attempt = attempts(of: delivery)
            logger.error("provisioning failed; files as they were", metadata: metadata.merging(["attempt": "\(attempt)", "error": "\(error)"]) { $1 })
            if attempt >= settings.maxAttempts {
                await deadLetter(delivery, reason: error.description, attempts: attempt)
            } else {
                await retry(delivery, attempt: attempt)
            }
        }
    }

    /// The attempt this delivery is (1 for the first), counted in our own header because the
    /// retry cycle re-publishes the event. The header comes from outside: it is clamped to
    /// 1…maxAttempts before anything adds to it.
    func attempts(of delivery: AMQPDelivery) -> Int {
        guard case .int(let attempt)? = delivery.headers["x-koni-attempt"] else { return 1 }
        return Int(min(max(attempt, 1), Int64(max(settings.maxAttempts, 1))))
    }

    private func retry(_ delivery: AMQPDelivery, attempt: Int) async {
        do {
            var headers = delivery.headers
            headers["x-koni-attempt"] = .int(Int64(attempt + 1))
            try await connection.publish(
                exchange: "", routingKey: "\(settings.queue).retry", body: delivery.body, messageID: delivery.messageID, headers: headers
            )
            await settle { try await delivery.ack() }
        } catch {
            // Could not park it: let the broker redeliver it instead.
            logger.error("could not schedule a retry", metadata: ["error": "\(error)"])
            await settle { try await delivery.nack(requeue: true) }
        }
    }

    private func deadLetter(_ delivery: AMQPDelivery, reason: String, attempts: Int) async {
        do {
            var headers = delivery.headers
            headers["x-koni-error"] = .string(String(reason.prefix(1000)))
            headers["x-koni-attempt"] = .int(Int64(attempts))
            headers["x-koni-routing-key"] = .string(delivery.routingKey)
            try await connection.publish(
                exchange: Self.deadExchange, routingKey: settings.queue, body: delivery.body, messageID: delivery.messageID, headers: headers)
            revalidator.metrics.eventDeadLettered()
            await settle { try await delivery.ack() }
        } catch {
            logger.error("could not dead-letter an event", metadata: ["error": "\(error)"])
            await settle { try await delivery.nack(requeue: true) }
        }
    }

    private func settle(_ action: () async throws -> Void) async {
        do { try await action() } catch { logger.warning("could not acknowledge a delivery; the broker will redeliver it", metadata: ["error": "\(error)"]) }
    }
}
