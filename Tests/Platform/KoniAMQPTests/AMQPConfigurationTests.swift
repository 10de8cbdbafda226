import Testing

@testable import KoniAMQP

@Suite struct AMQPConfigurationTests {
    @Test func parsesAFullURL() throws {
        let configuration = try AMQPConfiguration(url: "amqp://koni:s3cret@broker.internal:5673/koni-prod")
        #expect(configuration.user == "koni")
        #expect(configuration.password == "s3cret")
        #expect(configuration.host == "broker.internal")
        #expect(configuration.port == 5673)
        #expect(configuration.virtualHost == "koni-prod")
        #expect(configuration.heartbeatSeconds == 30)
        #expect(configuration.connectionName == "koni")
        #expect(configuration.reconnectDelay == .seconds(1))
    }

    @Test(arguments: [
        ("amqp://127.0.0.1:25672/", "/"),
        ("amqp://127.0.0.1:25672", "/"),
        ("amqp://127.0.0.1/%2f", "/"),
        ("amqp://127.0.0.1/%2F", "/"),
        ("amqp://127.0.0.1/%2fkoni", "/koni"),
        ("amqp://127.0.0.1/jatim%20dev", "jatim dev"),
    ])
    func decodesTheVirtualHost(url: String, virtualHost: String) throws {
        #expect(try AMQPConfiguration(url: url).virtualHost == virtualHost)
    }

    @Test func appliesDefaultsAndDecodesCredentials() throws {
        let bare = try AMQPConfiguration(url: "amqp://localhost")
        #expect(bare.user == "guest" && bare.password == "guest" && bare.port == 5672 && bare.virtualHost == "/")

        let encoded = try AMQPConfiguration(url: "AMQP://relay%40cms:p%3Ass%2Fw%40rd@10.0.0.5:5672/cms")
        #expect(encoded.user == "relay@cms")
        #expect(encoded.password == "p:ss/w@rd")
        #expect(encoded.host == "10.0.0.5")

        let ipv6 = try AMQPConfiguration(url: "amqp://u:p@[::1]:5000/")
        #expect(ipv6.host == "::1" && ipv6.port == 5000)
        #expect(ipv6.endpoint == "[::1]:5000")
    }

    @Test(arguments: [
        ("http://localhost/", "the scheme must be amqp://"),
        ("localhost:5672", "expected amqp://"),
        ("amqps://localhost/", "TLS (amqps://) is not supported"),
        ("amqp:///vhost", "the host is missing"),
        ("amqp://user:pw@:5672/", "the host is missing"),
        ("amqp://localhost:http/", "the port 'http' is not a number"),
        ("amqp://localhost:70000/", "the port '70000' is not a number between 1 and 65535"),
        ("amqp://localhost:0/", "the port '0'"),
        ("amqp://local host/", "is not a host name"),
        ("amqp://localhost/a/b", "single path segment"),
        ("amqp://localhost/%zz", "'%' that is not followed by two hex digits"),
        ("amqp://localhost/%ff", "not UTF-8"),
        ("amqp://localhost/%00", "NUL"),
        ("amqp://:pw@localhost/", "the user name is empty"),
        ("amqp://localhost/?heartbeat=10", "query parameters are not supported"),
        ("amqp://[::1/", "closing ']'"),
    ])
    func rejectsBadURLs(url: String, reason: String) {
        #expect {
            try AMQPConfiguration(url: url)
        } throws: { error in
            guard case .invalidURL(_, let message) = error as? AMQPError else { return false }
            return message.contains(reason)
        }
    }

    @Test func neverShowsThePassword() throws {
        let error = #expect(throws: AMQPError.self) {
            try AMQPConfiguration(url: "amqp://koni:topsecret@localhost:notaport/")
        }
        let text = "\(String(describing: error))"
        #expect(text.contains("amqp://koni:***@localhost:notaport/"))
        #expect(!text.contains("topsecret"))

        let configuration = try AMQPConfiguration(url: "amqp://koni:topsecret@localhost:5672/prod")
        #expect(configuration.description == "amqp://koni:***@localhost:5672/prod")
    }

    @Test func rejectsBadSettings() {
        #expect(throws: AMQPError.invalidConfiguration(field: "heartbeatSeconds", reason: "-1 is not between 0 and 65535")) {
            try AMQPConfiguration(url: "amqp://localhost/", heartbeatSeconds: -1)
        }
        #expect(throws: AMQPError.self) {
            try AMQPConfiguration(url: "amqp://localhost/", reconnectDelay: .zero)
        }
        #expect(throws: AMQPError.self) {
            try AMQPConfiguration(url: "amqp://localhost/", connectionName: "")
        }
    }

    @Test func backsOffUpToTheCap() throws {
        let configuration = try AMQPConfiguration(
            url: "amqp://localhost/", reconnectDelay: .milliseconds(500), maxReconnectDelay: .seconds(3))
        let delays = (1...6).map { configuration.reconnectDelay(attempt: $0) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(3), .seconds(3), .seconds(3)])
    }
}
