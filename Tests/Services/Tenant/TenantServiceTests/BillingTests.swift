import Foundation
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import KoniServiceTestSupport
import Testing

/// Subscriptions and invoices against real PostgreSQL, with a clock the test moves.
@Suite struct BillingTests {
    @Test func invoiceNumbersAreGaplessPerYearEvenWhenIssuedConcurrently() async throws {
        let test = try await TenantTestApp()
        try await test.application().test(.router) { client in
            var ids: [String] = []
            for index in 0..<12 { ids.append(try #require(try await client.register("kab-\(index)").json["id"]?.text)) }
            // Twelve branches subscribe at once: twelve first invoices, numbered 1…12 with no gap and no repeat.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for id in ids {
                    group.addTask {
                        try await client.jsonRequest(
                            .put, "/api/v1/tenants/\(id)/subscription", json: .object([("plan", .string("tahunan"))]), token: TestKeys.admin
                        ).status
                    }
                }
                for try await status in group { #expect(status == 201) }
            }
            let bad = try await client.jsonRequest(
                .put, "/api/v1/tenants/\(ids[0])/subscription", json: .object([("plan", .string("gratis"))]), token: TestKeys.admin)
            #expect(bad.status == 422 && bad.json["error"]?["field"]?.text == "plan")
        }
        let numbers = try await test.query("SELECT number FROM subscription_invoices ORDER BY number", as: String.self)
        #expect(numbers == (1...12).map { "INV/2027/" + String(format: "%06d", $0) })
    }

    @Test func theScheduleIssuesTheNextInvoiceMarksItOverdueAndRollsThePeriod() async throws {
        let test = try await TenantTestApp()
        let app = try await test.application()
        try await app.test(.router) { client in
            let id = try #require(try await client.register("kota-malang").json["id"]?.text)
            let subscribed = try await client.jsonRequest(
                .put, "/api/v1/tenants/\(id)/subscription", json: .object([("plan", .string("bulanan"))]), token: TestKeys.admin)
            #expect(subscribed.status == 201, "\(subscribed.text)")
            #expect(subscribed.json["subscription"]?["current_period_end"]?.text == "2027-02-01")
            #expect(subscribed.json["invoice"]?["due_date"]?.text == "2027-01-15" && subscribed.json["invoice"]?["amount"]?.int == 250_000)

            // 20 days later: the first invoice is overdue, the subscription past due, the next invoice issued.
            test.clock.advance(days: 20)
            try await runSchedule(client)
            let invoices = try await client.jsonRequest(.get, "/api/v1/tenants/\(id)/invoices", token: TestKeys.admin).json["items"]?.list ?? []
            #expect(invoices.compactMap { $0["period_start"]?.text } == ["2027-02-01", "2027-01-01"])
            #expect(invoices.last?["status"]?.text == "overdue")
            #expect(invoices.first?["number"]?.text == "INV/2027/000002" && invoices.first?["due_date"]?.text == "2027-02-01")
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(id)/subscription", token: TestKeys.admin).json["status"]?.text == "past_due")
            // Running again issues nothing new.
            try await runSchedule(client)
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(id)/invoices", token: TestKeys.admin).json["items"]?.list.count == 2)
            // After the period ends, the subscription moves into the invoiced next period.
            test.clock.advance(days: 15)
            try await runSchedule(client)
            let subscription = try await client.jsonRequest(.get, "/api/v1/tenants/\(id)/subscription", token: TestKeys.admin).json
            #expect(subscription["current_period_start"]?.text == "2027-02-01" && subscription["current_period_end"]?.text == "2027-03-01")
        }
    }

    @Test func aRetiredPlanStillRenewsAndAFreePlansInvoicesArePaidWhenIssued() async throws {
        let test = try await TenantTestApp()
        let app = try await test.application()
        try await app.test(.router) { client in
            _ = try await test.query("INSERT INTO plans (code, name, price_idr, period_months) VALUES ('gratis', 'Gratis', 0, 1) RETURNING 1", as: Int.self)
            let paying = try #require(try await client.register("kota-batu").json["id"]?.text)
            let free = try #require(try await client.register("kota-blitar").json["id"]?.text)
            for (id, plan) in [(paying, "bulanan"), (free, "gratis")] {
                let subscribed = try await client.jsonRequest(
                    .put, "/api/v1/tenants/\(id)/subscription", json: .object([("plan", .string(plan))]), token: TestKeys.admin)
                #expect(subscribed.status == 201, "\(subscribed.text)")
            }
            // Neither plan is offered any more; both subscriptions go on.
            _ = try await test.query("UPDATE plans SET active = false WHERE code IN ('bulanan', 'gratis') RETURNING 1", as: Int.self)
            test.clock.advance(days: 20)
            try await runSchedule(client)
            let payingInvoices = try await client.jsonRequest(.get, "/api/v1/tenants/\(paying)/invoices", token: TestKeys.admin).json["items"]?.list ?? []
            #expect(payingInvoices.compactMap { $0["period_start"]?.text } == ["2027-02-01", "2027-01-01"], "\(payingInvoices)")
            let freeInvoices = try await client.jsonRequest(.get, "/api/v1/tenants/\(free)/invoices", token: TestKeys.admin).json["items"]?.list ?? []
            #expect(freeInvoices.compactMap { $0["status"]?.text } == ["paid", "paid"], "\(freeInvoices)")
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(free)/subscription", token: TestKeys.admin).json["status"]?.text == "active")
            #expect(try await client.jsonRequest(.get, "/api/v1/tenants/\(paying)/subscription", token: TestKeys.admin).json["status"]?.text == "past_due")
            // A retired plan is not offered to a new subscriber.
            let other = try #require(try await client.register("kota-kediri").json["id"]?.text)
            let refused = try await client.jsonRequest(
                .put, "/api/v1/tenants/\(other)/subscription", json: .object([("plan", .string("bulanan"))]), token: TestKeys.admin)
            #expect(refused.status == 422 || refused.status == 404, "\(refused.text)")
        }
    }

    /// The schedule's round, through the internal route tests may call.
    func runSchedule(_ client: some TestClientProtocol) async throws {
        let reply = try await client.jsonRequest(.post, "/internal/tenants/billing/run", headers: [(ServiceKey.headerName, TenantTestApp.serviceKey)])
        #expect(reply.status == 200, "\(reply.text)")
    }
}
