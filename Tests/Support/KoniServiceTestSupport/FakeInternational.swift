import Foundation
import KoniJSON
import KoniTestSupport
import Synchronization

/// The local international tournament API of `Tests/Support/International/fake_international.py`
/// (the contract `docs/api/international-tournaments.openapi.yaml`), steered through its
/// `/_control/` routes: seed data, rate limits, failing pages, outages, the requests it saw.
/// One server per name, so that serialized suites do not disturb each other.
package struct FakeInternational: Sendable {
    package let baseURL: String
    package let apiKey: String

    private static let servers = Mutex<[String: Result<FakeInternational, FakeServerControl.Failure>]>([:])

    /// The server of `name`, started on first use; it stops when the test process ends.
    package static func named(_ name: String) throws -> FakeInternational {
        try servers.withLock { servers in
            if let server = servers[name] { return server }
            let key = "intl-\(name)-\(UUID().uuidString.prefix(8))"
            let started = ScriptServer.start("Tests/Support/International/fake_international.py", ["--api-key", key])
            let server: Result<FakeInternational, FakeServerControl.Failure>
            if case .success(let line) = started, let json = try? JSONValue.parse(Array(line.utf8)), case .string(let url)? = json["base_url"] {
                server = .success(FakeInternational(baseURL: url, apiKey: key))
            } else {
                server = .failure(FakeServerControl.Failure(description: "the fake international API did not start: \(started)"))
            }
            servers[name] = server
            return server
        }.get()
    }

    /// Posts `body` to `/_control/<path>` (`requests` is a GET); the answer's JSON.
    @discardableResult
    package func control(_ path: String, _ body: JSONValue = .object([])) async throws -> JSONValue {
        try await FakeServerControl.call(baseURL: baseURL, path, body, get: path == "requests")
    }

    /// The API requests the server saw (method, path, query, status), in order.
    package func requests() async throws -> [JSONValue] {
        if case .array(let items) = try await control("requests") { return items }
        return []
    }
}
