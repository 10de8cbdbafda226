import Foundation
import KoniServiceTestSupport
import KoniTestSupport
import Hummingbird
import HummingbirdTesting
import KoniJSON
import KoniServiceKit
import Logging
import Testing

/// Health, readiness, metrics, request ids, JSON logs and the OpenAPI document.
@Suite struct OperationsTests {
    @Test func healthMetricsAndOpenAPI() async throws {
        let test = try await CMSTestApp()
        let app = try await test.application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            #expect(try await client.send(.get, "/healthz", token: nil).body["status"] == .string("ok"))
            #expect(try await client.send(.get, "/readyz", token: nil).status == .ok)
            try await client.send(.post, "/api/v1/cms/admin/sites", json: Samples.site(slug: "jatim"))
            try await client.send(.get, "/api/v1/cms/sites/jatim/news", token: nil)
            let metrics = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            #expect(metrics.contains(#"http_requests_total{method="GET",route="/api/v1/cms/sites/{tenant}/news",status="200"} 1"#), "\(metrics)")
            #expect(metrics.contains("http_request_duration_seconds_bucket"))
            let document = try await client.send(.get, "/api/v1/cms/openapi.json", token: nil)
            #expect(document.body["openapi"] == .string("3.1.0"))
            for path in ["/api/v1/cms/sites/{tenant}/news", "/api/v1/cms/admin/sites/{tenant}/athletes/{id}/publish", "/api/v1/cms/admin/sites/{tenant}/theme"]
            {
                #expect(document.body["paths"]?[path] != nil, "\(path)")
            }
            // Unknown routes get the uniform error body too.
            let missing = try await client.send(.get, "/api/v1/cms/nope", token: nil)
            #expect(missing.status == .notFound)
            #expect(missing.body["error"]?["code"] == .string("not_found"))
            // Every answer is counted and timed, errors included (they are thrown past the metrics middleware).
            #expect(try await client.send(.get, "/api/v1/cms/admin/sites/jatim/news", token: nil).status == .unauthorized)
            #expect(try await client.send(.post, "/api/v1/cms/admin/sites/jatim/news", json: .object([("title", .number(1))])).status == .unprocessableContent)
            let counted = try await client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
            for line in [
                #"http_requests_total{method="GET",route="/api/v1/cms/admin/sites/{tenant}/news",status="401"} 1"#,
                #"http_requests_total{method="POST",route="/api/v1/cms/admin/sites/{tenant}/news",status="422"} 1"#,
                #"http_requests_total{method="GET",route="NotFound",status="404"} 1"#,
                #"http_request_duration_seconds_count{method="GET",route="/api/v1/cms/admin/sites/{tenant}/news"} 1"#,
            ] {
                #expect(counted.contains(line), "\(line)\n\(counted)")
            }
        }
    }

    @Test func requestIDsAreHonouredAndLogged() async throws {
        let sink = LogSink.memory()
        var test = try await CMSTestApp()
        test.logSink = sink
        let app = try await test.application(publisher: RecordingPublisher())
        try await app.test(.router) { client in
            let traced = try await client.send(
                .get, "/healthz", token: nil, headers: [.init("traceparent")!: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"])
            #expect(traced.headers[.init("X-Request-ID")!] == "0af7651916cd43dd8448eb211c80319c")
            let given = try await client.send(.get, "/healthz", token: nil, headers: [.init("X-Request-ID")!: "req-123"])
            #expect(given.headers[.init("X-Request-ID")!] == "req-123")
            let fresh = try await client.send(.get, "/healthz", token: nil, headers: [.init("X-Request-ID")!: "bad id with spaces"])
            #expect(fresh.headers[.init("X-Request-ID")!]?.count == 32)
        }
        let lines = try sink.captured.map { try JSONValue.parse($0) }
        #expect(
            lines.contains {
                $0["msg"] == .string("request") && $0["trace_id"] == .string("0af7651916cd43dd8448eb211c80319c") && $0["status"] == .string("200")
            })
        #expect(lines.contains { $0["trace_id"] == .string("req-123") })
    }
}

/// `cms-service` as ops start it: one settings table, generated, and clear refusals.
@Suite struct CMSCommandLineTests {
    let binary = Repository.binary("cms-service")

    @Test func helpListsEverySettingWithItsVariable() throws {
        let help = try ProcessRunner.run(binary, ["--help"], environment: [:])
        #expect(help.status == 0)
        for (flag, variable) in [
            ("--host", "KONI_CMS_HOST"), ("--port", "KONI_CMS_PORT"), ("--database-url", "KONI_CMS_DATABASE_URL"),
            ("--jwks-url", "KONI_CMS_JWKS_URL"), ("--jwt-public-key-file", "KONI_CMS_JWT_PUBLIC_KEY_FILE"), ("--jwt-issuer", "KONI_CMS_JWT_ISSUER"),
            ("--jwt-audience", "KONI_CMS_JWT_AUDIENCE"), ("--amqp-url", "KONI_CMS_AMQP_URL"), ("--max-body-bytes", "KONI_CMS_MAX_BODY_BYTES"),
        ] {
            #expect(help.output.contains(flag) && help.output.contains(variable), "\(flag) / \(variable)")
        }
    }

    @Test func badSettingsAreRefusedNamingThemBeforeAnythingStarts() throws {
        let required = try ProcessRunner.run(binary, [], environment: [:])
        #expect(required.status == 2)
        #expect(required.errors.contains("jwks-url"), "\(required.errors)")
        let both = try ProcessRunner.run(binary, ["--jwt-public-key", "x", "--jwks-url", "https://app.koni.id/.well-known/jwks.json"], environment: [:])
        #expect(both.status == 2)
        #expect(both.errors.contains("use one"), "\(both.errors)")
        let port = try ProcessRunner.run(
            binary, ["--jwt-public-key", "x", "--database-url", "postgres://u@db/cms", "--amqp-url", "amqp://db/"], environment: ["KONI_CMS_PORT": "99999"])
        #expect(port.status == 2)
        #expect(port.errors.contains("setting 'port'"), "\(port.errors)")
        let unknown = try ProcessRunner.run(binary, ["--prot", "1"], environment: [:])
        #expect(unknown.status != 0)
    }
}
