import AsyncHTTPClient
import Foundation
import KoniJSON
import KoniTestSupport
import NIOCore
import Synchronization

/// The local Midtrans of `Tests/Support/Midtrans/fake_midtrans.py` (Snap, Core API, signed
/// notifications, outages), steered through its `/_control/` routes. Its notification address,
/// outages and counters are global to one server, so each serialized suite that uses it gets its
/// own (``named(_:)``), and suites do not disturb each other.
package struct FakeMidtrans: Sendable {
    package struct Failure: Error, CustomStringConvertible { package var description: String }

    package let baseURL: String
    package let serverKey: String

    private static let servers = Mutex<[String: Result<FakeMidtrans, Failure>]>([:])

    /// The server of `name`, started on first use; it stops when the test process ends.
    package static func named(_ name: String) throws -> FakeMidtrans {
        try servers.withLock { servers in
            if let server = servers[name] { return server }
            let key = "SB-Mid-server-\(name)-\(UUID().uuidString.prefix(8))"
            let started = ScriptServer.start("Tests/Support/Midtrans/fake_midtrans.py", ["--server-key", key, "--refund-any-payment-type"])
            let server: Result<FakeMidtrans, Failure>
            if case .success(let line) = started, let json = try? JSONValue.parse(Array(line.utf8)), case .string(let url)? = json["base_url"] {
                server = .success(FakeMidtrans(baseURL: url, serverKey: key))
            } else {
                server = .failure(Failure(description: "the fake Midtrans did not start: \(started)"))
            }
            servers[name] = server
            return server
        }.get()
    }

    /// Posts `body` to `/_control/<path>` (`state` is a GET); the answer's JSON.
    @discardableResult
    package func control(_ path: String, _ body: JSONValue = .object([])) async throws -> JSONValue {
        try await FakeServerControl.call(baseURL: baseURL, path, body, get: path == "state")
    }

    /// The customer pays (or fails to) on the Snap page of `orderID`; `notify` as the fake takes it.
    package func pay(_ orderID: String, status: String = "settlement", paymentType: String = "qris", notify: [(String, JSONValue)] = []) async throws {
        try await control(
            "pay",
            .object([
                ("order_id", .string(orderID)), ("transaction_status", .string(status)), ("payment_type", .string(paymentType)), ("notify", .object(notify)),
            ]))
    }

    /// Forgets every transaction, counter and outage, and sends notifications to the Payment service on `port`.
    package func reset(notifying port: Int) async throws {
        try await control("reset")
        try await control("notify-url", .object([("url", .string("http://127.0.0.1:\(port)/api/v1/payments/midtrans/notification"))]))
    }

    /// Waits until every notification sent so far was delivered.
    package func drain() async throws { try await control("drain", .object([("timeout_seconds", .number(20))])) }
}
