import ComproRevalidate
import Logging
import ServiceLifecycle

/// Revalidates every open tenant every `interval` with no change at all: when the date moved,
/// events move from "upcoming" to "past" and the footer year changes, and the recorded queries
/// say exactly which pages that touches. On other ticks nothing is rendered.
package struct CalendarTicker: Service {
    let revalidator: Revalidator
    let interval: Duration
    let logger: Logger

    package init(revalidator: Revalidator, interval: Duration = .seconds(600), logger: Logger) {
        self.revalidator = revalidator
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        while !Task.isShuttingDownGracefully {
            // A plain sleep would hold a graceful shutdown for up to `interval`.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            guard !Task.isShuttingDownGracefully else { return }
            for tenant in revalidator.openTenants() {
                do {
                    let result = try await revalidator.revalidate(tenant: tenant)
                    if !result.written.isEmpty {
                        logger.info("date moved", metadata: ["tenant": "\(tenant)", "written": "\(result.written.count)", "release": "\(result.release)"])
                    }
                } catch {
                    logger.error("regeneration failed; live site unchanged", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
                }
            }
        }
    }
}
