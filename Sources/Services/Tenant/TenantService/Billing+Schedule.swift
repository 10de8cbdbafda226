import KoniServiceKit

extension Billing {
    /// One round of ``runSchedule(batch:)`` as a ``RecurringJob`` runs it: next invoices, period
    /// roll-overs and past-due marks happen without anyone pressing a button; a failed round is
    /// logged and the next one tries again.
    func scheduledRound() async {
        do {
            let issued = try await runSchedule()
            if issued > 0 { logger.info("invoices issued", metadata: ["count": "\(issued)"]) }
        } catch {
            logger.warning("billing round failed; trying again next round", metadata: ["error": "\(error)"])
        }
    }
}
