import Foundation
import Hummingbird
import KoniJSON
import KoniServiceKit
import Midtrans
import NIOCore

extension PaymentAPI {
    /// Without a token: the enabled payment methods, and Midtrans's notification webhook, which
    /// is believed only through its signature *and* a fresh read of Midtrans's status endpoint.
    func registerPublic(on router: Router<KoniRequestContext>) {
        router.get("\(Self.base)/methods") { _, _ in
            let methods = try await ledger.database.client.withConnection { try await ledger.store.methods(on: $0) }
            let items = methods.map { JSONValue.object([("code", .string($0.code)), ("name", .string($0.name)), ("kind", .string($0.kind))]) }
            return Response.json(.object([("items", .array(items))]), headers: [.cacheControl: "public, max-age=300"])
        }
        router.post("\(Self.base)/midtrans/notification") { request, context in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: MidtransNotification.maximumBytes) } catch {
                throw APIError(.contentTooLarge, code: "body_too_large", message: "a notification is at most \(MidtransNotification.maximumBytes) bytes")
            }
            let notification: MidtransNotification
            do throws(FieldError) { notification = try MidtransNotification.parse(Array(body.readableBytesView)) } catch {
                metrics.notifications.refused.increment()
                throw APIError.badRequest("invalid_notification", error.reason, field: error.field)
            }
            guard notification.isSigned(with: ledger.midtrans.settings.serverKey) else {
                metrics.notifications.forged.increment()
                ledger.logger.warning(
                    "notification with a wrong signature refused",
                    metadata: ["order_id": "\(notification.status.orderID.prefix(60))", "trace_id": "\(context.traceID)"]
                )
                throw APIError(.forbidden, code: "invalid_signature", message: "signature_key does not match")
            }
            let outcome: String?
            do {
                outcome = try await ledger.settle(
                    orderID: notification.status.orderID, notification: notification.status.transactionStatus, traceID: context.traceID
                )
            } catch let error as MidtransError {
                // Midtrans retries a notification that was not answered 2xx.
                metrics.notifications.deferred.increment()
                throw APIError(
                    .serviceUnavailable, code: "midtrans_unavailable", message: "\(error); send it again later", headers: Self.midtransUnavailableHeaders)
            }
            guard let outcome else {
                metrics.notifications.unknown.increment()
                throw APIError(.notFound, code: "unknown_order", message: "no payment used order \(notification.status.orderID.prefix(60))")
            }
            metrics.notifications.accepted.increment()
            return Response.json(.object([("status", .string("ok")), ("outcome", .string(outcome))]))
        }
    }
}
