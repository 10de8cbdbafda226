import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import KoniTestSupport
import Testing

/// The whole payment path against real PostgreSQL and the local Midtrans: a charge gets a Snap
/// page, signed notifications (duplicated, reordered, forged) settle it exactly once, refunds,
/// an outage that trips the breaker. Serialized: the fake Midtrans has one notification address.
@Suite(.serialized) struct PaymentFlowTests {
    static func fake() throws -> FakeMidtrans { try FakeMidtrans.named("payment-flow") }

    /// Events the relay published, by type.
    static func published(_ publisher: RecordingPublisher, _ type: String) -> [JSONValue] {
        publisher.recorded.filter { $0.type == type }.compactMap { try? JSONValue.parse($0.body) }
    }

    @Test func anInvoicePaidThroughMidtransIsPaidOnceUnderDuplicateAndReorderedNotifications() async throws {
        let test = try await PaymentTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            let branch = UUID()
            let created = try await client.charge(owner: "INV-2026-0001", key: "inv-0001-a", tenant: branch)
            #expect(created.status == 201, "\(created.text)")
            let orderID = try #require(created.json["order_id"]?.text)
            let paymentID = try #require(created.json["id"]?.text)
            #expect(created.json["status"]?.text == "pending")
            #expect(created.json["redirect_url"]?.text?.hasPrefix(try Self.fake().baseURL) == true)

            // The same key again: the same charge, no second Snap transaction.
            let again = try await client.charge(owner: "INV-2026-0001", key: "inv-0001-a", tenant: branch)
            #expect(again.status == 200 && again.json["id"]?.text == paymentID)
            // Another key for the same invoice while one is live: refused.
            let second = try await client.charge(owner: "INV-2026-0001", key: "inv-0001-b", tenant: branch)
            #expect(second.status == 409 && second.json["error"]?["code"]?.text == "charge_exists", "\(second.text)")

            // Paid with QRIS; Midtrans sends the settlement three times and then a stale "pending".
            try await Self.fake().pay(orderID, notify: [("duplicates", .number(2)), ("order", .string("reversed")), ("stale_first", .bool(true))])
            try await Self.fake().drain()
            let state = try await Self.fake().control("state")
            let receiverStatuses = state["notifications"]?.list.compactMap { $0["receiver_status"]?.int } ?? []
            #expect(receiverStatuses.count >= 4 && receiverStatuses.allSatisfy { $0 == 200 }, "\(receiverStatuses)")

            let read = try await client.jsonRequest(.get, "/api/v1/payments/\(paymentID)", token: TestKeys.admin)
            #expect(read.json["status"]?.text == "paid" && read.json["payment_type"]?.text == "qris", "\(read.text)")
            try await eventually("payment.succeeded published") { !Self.published(publisher, "payment.succeeded").isEmpty }
            // Give a wrongly repeated event the time to appear before counting.
            try await Task.sleep(for: .milliseconds(300))
            let succeeded = Self.published(publisher, "payment.succeeded")
            #expect(succeeded.count == 1)
            #expect(succeeded.first?["data"]?["owner_id"]?.text == "INV-2026-0001" && succeeded.first?["data"]?["amount"]?.int == 250_000)
            #expect(succeeded.first?["tenant_id"]?.text == branch.uuidString.lowercased())
            let outcomes = try await test.query("SELECT outcome FROM payment_notifications ORDER BY id", as: String.self)
            #expect(outcomes.filter { $0 == "paid" }.count == 1, "\(outcomes)")
            #expect(outcomes.count >= 4)
        }
    }

    @Test func aForgedNotificationChangesNothing() async throws {
        let test = try await PaymentTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            let created = try await client.charge(owner: "INV-2026-0002", key: "inv-0002")
            let orderID = try #require(created.json["order_id"]?.text)
            let paymentID = try #require(created.json["id"]?.text)
            try await Self.fake().pay(orderID, status: "pending")
            try await Self.fake().drain()
            // A settlement signed with the wrong key, and one signed correctly that Midtrans's status contradicts.
            for signature in ["invalid", "valid"] {
                try await Self.fake().control(
                    "forge",
                    .object([
                        ("order_id", .string(orderID)), ("transaction_status", .string("settlement")), ("gross_amount", .string("250000.00")),
                        ("status_code", .string("200")), ("signature", .string(signature)),
                    ]))
            }
            try await Self.fake().drain()
            let receivers = try await Self.fake().control("state")["notifications"]?.list.compactMap { $0["receiver_status"]?.int } ?? []
            #expect(receivers.contains(403), "the badly signed one is refused: \(receivers)")
            // Made up by hand: a notification for 1 rupiah signed with a guessed key.
            let forged = try await client.jsonRequest(
                .post, "/api/v1/payments/midtrans/notification",
                json: .object([
                    ("order_id", .string(orderID)), ("status_code", .string("200")), ("gross_amount", .string("1.00")),
                    ("transaction_status", .string("settlement")), ("signature_key", .string(String(repeating: "0", count: 128))),
                ]))
            #expect(forged.status == 403 && forged.json["error"]?["code"]?.text == "invalid_signature")
            let read = try await client.jsonRequest(.get, "/api/v1/payments/\(paymentID)", token: TestKeys.admin)
            #expect(read.json["status"]?.text == "pending", "\(read.text)")
            try await Task.sleep(for: .milliseconds(300))
            #expect(publisher.recorded.isEmpty)
        }
    }

    @Test func refundsInPartAndInFullOnceEach() async throws {
        let test = try await PaymentTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            let branch = UUID()
            let created = try await client.charge(owner: "INV-2026-0003", amount: 100_000, key: "inv-0003", tenant: branch)
            let orderID = try #require(created.json["order_id"]?.text)
            let id = try #require(created.json["id"]?.text)
            // Not paid yet: nothing to refund.
            let early = try await client.jsonRequest(
                .post, "/api/v1/payments/\(id)/refunds", json: .object([("reason", .string("batal"))]), token: TestKeys.admin,
                headers: [("Idempotency-Key", "r-early")])
            #expect(early.status == 409, "\(early.text)")
            try await Self.fake().pay(orderID)
            try await Self.fake().drain()

            let refund = { (amount: Int?, key: String) async throws -> ServiceReply in
                var body: [(key: String, value: JSONValue)] = [("reason", .string("Kelebihan bayar"))]
                if let amount { body.append(("amount", .number(Double(amount)))) }
                return try await client.jsonRequest(
                    .post, "/api/v1/payments/\(id)/refunds", json: .object(body), token: TestKeys.admin, headers: [("Idempotency-Key", key)])
            }
            let partial = try await refund(30_000, "r-1")
            #expect(partial.status == 201 && partial.json["payment"]?["status"]?.text == "partially_refunded", "\(partial.text)")
            // Retried with the same key: the same refund, Midtrans asked with the same refund_key.
            let retried = try await refund(30_000, "r-1")
            #expect(retried.status == 201 && retried.json["refund"]?["id"] == partial.json["refund"]?["id"])
            let tooMuch = try await refund(80_000, "r-2")
            #expect(tooMuch.status == 422 && tooMuch.json["error"]?["field"]?.text == "amount", "\(tooMuch.text)")
            let rest = try await refund(nil, "r-3")
            #expect(rest.status == 201 && rest.json["refund"]?["amount"]?.int == 70_000 && rest.json["payment"]?["status"]?.text == "refunded", "\(rest.text)")
            try await Self.fake().drain()

            let refunds = try await client.jsonRequest(.get, "/api/v1/payments/\(id)/refunds", token: TestKeys.admin)
            #expect(refunds.json["items"]?.list.map { $0["status"]?.text } == ["succeeded", "succeeded"])
            let midtransRefunds = try await Self.fake().control("state")["transactions"]?[orderID]?["refunds"]?.list ?? []
            #expect(midtransRefunds.count == 2, "Midtrans refunded twice, not three times")
            try await eventually("two payment.refunded published") { Self.published(publisher, "payment.refunded").count >= 2 }
            try await Task.sleep(for: .milliseconds(300))
            #expect(Self.published(publisher, "payment.refunded").compactMap { $0["data"]?["amount"]?.int }.sorted() == [30_000, 70_000])

            // An admin-cabang reads its own branch's payments only, and refunds none.
            let own = try TestKeys.token(roles: ["admin-cabang"], tenantID: branch)
            let other = try TestKeys.token(roles: ["admin-cabang"], tenantID: UUID())
            #expect(try await client.jsonRequest(.get, "/api/v1/payments/\(id)", token: own).status == 200)
            #expect(try await client.jsonRequest(.get, "/api/v1/payments?limit=5", token: own).json["items"]?.list.count == 1)
            #expect(try await client.jsonRequest(.get, "/api/v1/payments/\(id)", token: other).status == 404)
            #expect(try await client.jsonRequest(.get, "/api/v1/payments?limit=5", token: other).json["items"]?.list.count == 0)
            #expect(try await refund(1, "r-4").status == 409, "nothing left")
            let byOwn = try await client.jsonRequest(
                .post, "/api/v1/payments/\(id)/refunds", json: .object([("reason", .string("x"))]), token: own, headers: [("Idempotency-Key", "r-5")])
            #expect(byOwn.status == 403)
            let byOther = try await client.jsonRequest(
                .post, "/api/v1/payments/\(id)/refunds", json: .object([("reason", .string("x"))]), token: other, headers: [("Idempotency-Key", "r-6")])
            #expect(byOther.status == 404)
        }
    }

    @Test func aMidtransOutageTripsTheBreakerAndTheChargeRecovers() async throws {
        let test = try await PaymentTestApp(timeout: .milliseconds(400), breakerCooldown: .seconds(2))
        try await test.application().test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            try await Self.fake().control("outage", .object([("mode", .string("timeout")), ("delay_seconds", .number(3))]))
            // Each of the first three charges waits for the 400 ms timeout; the breaker then opens.
            for index in 1...3 {
                let reply = try await client.charge(owner: "INV-OUT-\(index)", key: "out-\(index)")
                #expect(reply.status == 503 && reply.json["error"]?["code"]?.text == "midtrans_unavailable", "\(reply.text)")
            }
            let start = ContinuousClock.now
            let fast = try await client.charge(owner: "INV-OUT-4", key: "out-4")
            let waited = ContinuousClock.now - start
            #expect(fast.status == 503 && fast.text.contains("refused"), "\(fast.text)")
            print("payment: with the breaker open a charge answered in \(waited) (the timeout is 400 ms)")

            try await Self.fake().control("outage", .object([("mode", .string("none"))]))
            try await Task.sleep(for: .milliseconds(2200))
            // Retried with the same key after the cooldown: a new order id, since the first Snap call's outcome is unknown.
            let recovered = try await client.charge(owner: "INV-OUT-1", key: "out-1")
            #expect(recovered.status == 200 && recovered.json["redirect_url"]?.text != nil, "\(recovered.text)")
            #expect(recovered.json["order_id"]?.text?.hasSuffix("-2") == true, "\(recovered.text)")
        }
    }

    @Test func aPaymentWhoseNotificationsNeverCameIsSettledByTheReconciler() async throws {
        var test = try await PaymentTestApp()
        test.configuration.reconcileIntervalSeconds = 1
        test.configuration.reconcileIdleSeconds = 1
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            let created = try await client.charge(owner: "INV-2026-0004", key: "inv-0004")
            let orderID = try #require(created.json["order_id"]?.text)
            let id = try #require(created.json["id"]?.text)
            // Paid at Midtrans, but no notification reaches the service.
            try await Self.fake().pay(orderID, notify: [("send", .bool(false))])
            try await eventually("the reconciler finds the payment") {
                try await client.jsonRequest(.get, "/api/v1/payments/\(id)", token: TestKeys.admin).json["status"]?.text == "paid"
            }
            try await eventually("payment.succeeded published") { Self.published(publisher, "payment.succeeded").count == 1 }
            let asked = try await Self.fake().control("state")["counters"]?["requests"]?["GET /v2/{id}/status"]?.int ?? 0
            #expect(asked >= 1)
        }
    }

    @Test func aChargeMidtransRefusesOrWhosePageGoesUnusedFailsAndIsAnnounced() async throws {
        var test = try await PaymentTestApp()
        test.configuration.reconcileIntervalSeconds = 1
        test.configuration.reconcileIdleSeconds = 1
        test.configuration.reconcileAbandonSeconds = 2
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            // Never paid: once its page is older than the abandon time and Midtrans knows no transaction, it fails.
            let unused = try await client.charge(owner: "INV-2026-0005", key: "inv-0005")
            let id = try #require(unused.json["id"]?.text)
            try await eventually("the unused charge fails") {
                try await client.jsonRequest(.get, "/api/v1/payments/\(id)", token: TestKeys.admin).json["status"]?.text == "failed"
            }
            try await eventually("payment.failed published") { Self.published(publisher, "payment.failed").count == 1 }
            // Its owner may now be charged again.
            #expect(try await client.charge(owner: "INV-2026-0005", key: "inv-0005-2").status == 201)
        }
        // Midtrans refuses the charge (here: a wrong server key): failed at once, and announced.
        var wrongKey = try await PaymentTestApp()
        wrongKey.configuration.midtrans.serverKey = "SB-Mid-server-wrong"
        let refused = RecordingPublisher()
        try await wrongKey.application(publisher: refused).test(.router) { client in
            let reply = try await client.charge(owner: "INV-2026-0006", key: "inv-0006")
            #expect(reply.status == 422 && reply.json["error"]?["code"]?.text == "midtrans_refused", "\(reply.text)")
            try await eventually("payment.failed published") { Self.published(refused, "payment.failed").count == 1 }
            let again = try await client.charge(owner: "INV-2026-0006", key: "inv-0006")
            #expect(again.status == 200 && again.json["status"]?.text == "failed")
        }
    }

    @Test func anEarlierChargePaidAfterAllDropsTheLaterOneAndASecondPaymentIsRefunded() async throws {
        let test = try await PaymentTestApp()
        let publisher = RecordingPublisher()
        try await test.application(publisher: publisher).test(.live) { client in
            try await Self.fake().reset(notifying: try #require(client.port))
            func status(_ id: String) async throws -> String? {
                try await client.jsonRequest(.get, "/api/v1/payments/\(id)", token: TestKeys.admin).json["status"]?.text
            }
            let first = try await client.charge(owner: "INV-2026-0009", key: "inv-0009-a")
            let firstOrder = try #require(first.json["order_id"]?.text)
            let firstID = try #require(first.json["id"]?.text)
            try await Self.fake().pay(firstOrder, status: "deny")
            try await Self.fake().drain()
            try await eventually("the denied charge fails") { try await status(firstID) == "failed" }
            let second = try await client.charge(owner: "INV-2026-0009", key: "inv-0009-b")
            #expect(second.status == 201, "\(second.text)")
            let secondOrder = try #require(second.json["order_id"]?.text)
            let secondID = try #require(second.json["id"]?.text)

            // The customer tries again on the first page, and pays: the first charge pays the
            // invoice; the second, not paid, is dropped without a payment.failed.
            try await Self.fake().pay(firstOrder, status: "settlement")
            try await Self.fake().drain()
            #expect(try await status(firstID) == "paid")
            #expect(try await status(secondID) == "failed")
            let reasons = try await test.query("SELECT coalesce(failure_reason, '') FROM payments WHERE id = '\(secondID)'", as: String.self)
            #expect(reasons.first?.hasPrefix("superseded") == true, "\(reasons)")
            try await eventually("payment.succeeded published") { Self.published(publisher, "payment.succeeded").count == 1 }

            // Then the second page is paid as well: that money goes back in full, once, and the
            // owner hears of one payment only.
            try await Self.fake().pay(secondOrder, notify: [("duplicates", .number(2))])
            try await Self.fake().drain()
            try await eventually("the second payment is refunded") { try await status(secondID) == "refunded" }
            #expect(try await status(firstID) == "paid")
            let refunds = try await test.query(
                "SELECT amount FROM refunds WHERE payment_id = '\(secondID)' AND status = 'succeeded'", as: Int64.self
            )
            #expect(refunds == [250_000])
            let midtransRefunds = try await Self.fake().control("state")["transactions"]?[secondOrder]?["refunds"]?.list.count
            #expect(midtransRefunds == 1)
            try await Task.sleep(for: .milliseconds(300))
            let succeeded = Self.published(publisher, "payment.succeeded")
            #expect(succeeded.count == 1 && succeeded.first?["data"]?["payment_id"]?.text == firstID, "\(succeeded)")
            #expect(Self.published(publisher, "payment.failed").count == 1)
        }
    }

    @Test func hostileRequestsGetClearErrors() async throws {
        let test = try await PaymentTestApp()
        try await test.application().test(.live) { client in
            let internalKey = [(ServiceKey.headerName, PaymentTestApp.serviceKey)]
            let cases: [(JSONValue, String)] = [
                (
                    .object([("owner_kind", .string("tenant_invoice")), ("owner_id", .string("x")), ("amount", .number(1e300)), ("description", .string("d"))]),
                    "amount"
                ),
                (
                    .object([("owner_kind", .string("tenant_invoice")), ("owner_id", .string("x")), ("amount", .number(-5)), ("description", .string("d"))]),
                    "amount"
                ),
                (
                    .object([("owner_kind", .string("tenant_invoice")), ("owner_id", .string("x")), ("amount", .number(1.5)), ("description", .string("d"))]),
                    "amount"
                ),
                (.object([("owner_kind", .string("pizza")), ("owner_id", .string("x")), ("amount", .number(5)), ("description", .string("d"))]), "owner_kind"),
                (
                    .object([("owner_kind", .string("booking")), ("owner_id", .string("a b")), ("amount", .number(5)), ("description", .string("d"))]),
                    "owner_id"
                ),
                (
                    .object([("owner_kind", .string("booking")), ("owner_id", .string("b")), ("amount", .number(5)), ("description", .string("d\nx"))]),
                    "description"
                ),
                (
                    .object([
                        ("owner_kind", .string("booking")), ("owner_id", .string("b")), ("amount", .number(5)), ("description", .string("d")),
                        ("methods", .array([.string("bitcoin")])),
                    ]), "methods"
                ),
            ]
            for (body, field) in cases {
                let reply = try await client.jsonRequest(
                    .post, "/internal/v1/payments/charges", json: body, headers: internalKey + [("Idempotency-Key", "h-\(field)")])
                #expect(reply.status == 422 && reply.json["error"]?["field"]?.text == field, "\(field): \(reply.text)")
            }
            let noKey = try await client.jsonRequest(.post, "/internal/v1/payments/charges", json: .object([]), headers: internalKey)
            #expect(noKey.status == 400 && noKey.json["error"]?["field"]?.text == "Idempotency-Key")
            let first = try await client.charge(owner: "x", key: "k").status
            #expect(first == 201)
            let withoutServiceKey = try await client.jsonRequest(.post, "/internal/v1/payments/charges", json: .object([]), headers: [("Idempotency-Key", "k")])
            #expect(withoutServiceKey.status == 401)
            // The same key with another amount is not a retry.
            let reused = try await client.jsonRequest(
                .post, "/internal/v1/payments/charges",
                json: .object([
                    ("owner_kind", .string("tenant_invoice")), ("owner_id", .string("x")), ("amount", .number(999)),
                    ("description", .string("Langganan KONI Compro x")),
                ]), headers: internalKey + [("Idempotency-Key", "k")])
            #expect(reused.status == 422 && reused.json["error"]?["code"]?.text == "idempotency_key_reused", "\(reused.text)")
            for body in [Array("{".utf8), Array(repeating: UInt8(ascii: "["), count: 10_000), Array(repeating: UInt8(ascii: " "), count: 20_000)] {
                let reply = try await client.jsonRequest(.post, "/api/v1/payments/midtrans/notification", raw: body)
                #expect(reply.status == 400 || reply.status == 413, "\(reply.text)")
            }
            #expect(try await client.jsonRequest(.get, "/healthz").status == 200)
            let methods = try await client.jsonRequest(.get, "/api/v1/payments/methods")
            #expect(methods.json["items"]?.list.compactMap { $0["code"]?.text }.contains("other_qris") == true)
        }
    }
}
