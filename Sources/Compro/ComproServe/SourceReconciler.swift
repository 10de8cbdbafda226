import ComproRevalidate
import Logging
import ServiceLifecycle

/// Keeps `source: cms` tenants equal to the CMS when events do not arrive (a broker outage, a
/// daemon that was down, a message lost): at start and then every `interval`, each tenant is
/// compared with the CMS (its cursor, then a digest of its content) and caught up when they
/// differ. A tenant that is current costs one small request; folder tenants cost nothing.
package struct SourceReconciler: Service {
    let revalidator: Revalidator
    /// Nil: only once, at start.
    let interval: Duration?
    let tenants: @Sendable () -> [String]
    let logger: Logger

    package init(revalidator: Revalidator, interval: Duration?, tenants: @escaping @Sendable () -> [String], logger: Logger) {
        self.revalidator = revalidator
        self.interval = interval
        self.tenants = tenants
        self.logger = logger
    }

    package func run() async throws {
        while !Task.isShuttingDownGracefully {
            for tenant in tenants() {
                guard !Task.isShuttingDownGracefully else { return }
                do {
                    if let result = try await revalidator.reconcile(tenant: tenant) {
                        logger.info(
                            "caught up with the CMS", metadata: ["tenant": "\(tenant)", "written": "\(result.written.count)", "release": "\(result.release)"]
                        )
                    }
                } catch {
                    logger.error("cannot compare with the CMS; will try again", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                }
            }
            guard let interval else { return }
            // A plain sleep would hold a graceful shutdown for up to `interval`.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
