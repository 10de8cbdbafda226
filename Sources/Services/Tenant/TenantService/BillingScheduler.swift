import KoniServiceKit
import ServiceLifecycle

/// Runs ``Billing/runSchedule(batch:)`` every ``interval`` until graceful shutdown: next
/// invoices, period roll-overs and past-due marks happen without anyone pressing a button.
struct BillingScheduler: Service {
    let billing: Billing
    let interval: Duration
    let ready: ReadyGate

    func run() async throws {
        guard await ready.wait() else { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let issued = try await billing.runSchedule()
                    if issued > 0 { billing.logger.info("invoices issued", metadata: ["count": "\(issued)"]) }
                } catch {
                    billing.logger.warning("billing round failed; trying again next round", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
