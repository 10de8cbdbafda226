import ComproModel
import ComproNginx
import Foundation
import KoniTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A real Nginx on a free loopback port, run with the repository's `nginx/koni/` snippets and
/// the server blocks `NginxRenderer` generates, under its own prefix folder.
final class NginxServer: @unchecked Sendable {
    let prefix: String
    let port: Int
    let settings: NginxSettings
    private let process: Process

    static let binary: String = {
        let candidates = ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? "nginx"
    }()

    var accessLog: String { "\(prefix)/logs/access.json" }
    var errorLog: String { "\(prefix)/logs/error.log" }
    var acmeRoot: String { "\(prefix)/acme" }

    /// Renders the configuration for `tenants` (published under `sites`), checks it with
    /// `nginx -t` and starts Nginx in the foreground.
    static func start(tenants: [TenantConfig], sites: String, tls: TLSSetup? = nil) throws -> NginxServer {
        let prefix = Paths.temporaryDirectory("nginx")
        let port = try freePort()
        let tlsPort = tls == nil ? nil : try freePort()
        for folder in ["conf/sites", "logs", "acme", "temp"] {
            try FileManager.default.createDirectory(atPath: "\(prefix)/\(folder)", withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: "\(Paths.nginxConfig)/koni", toPath: "\(prefix)/conf/koni")
        var settings = NginxSettings(listen: ["127.0.0.1:\(port)"], sitesDirectory: sites, acmeRoot: "\(prefix)/acme")
        if let tls, let tlsPort {
            settings.tls = true
            settings.tlsListen = ["127.0.0.1:\(tlsPort)"]
            settings.letsEncryptDirectory = tls.letsEncryptDirectory
        }
        let renderer = try NginxRenderer(configDirectory: Paths.nginxConfig)
        try NginxConfigFiles.write(try renderer.files(for: tenants, settings: settings), to: "\(prefix)/conf/sites")
        // The shape of nginx/nginx.conf, with every path under the prefix.
        let main = """
            worker_processes 1;
            error_log \(prefix)/logs/error.log warn;
            pid \(prefix)/nginx.pid;
            events { worker_connections 256; }
            http {
                include /etc/nginx/mime.types;
                default_type application/octet-stream;
                include koni/http.conf;
                access_log \(prefix)/logs/access.json koni_json;
                client_body_temp_path \(prefix)/temp/body;
                proxy_temp_path \(prefix)/temp/proxy;
                fastcgi_temp_path \(prefix)/temp/fastcgi;
                uwsgi_temp_path \(prefix)/temp/uwsgi;
                scgi_temp_path \(prefix)/temp/scgi;
                include sites/*.conf;
            }

            """
        try main.write(toFile: "\(prefix)/conf/nginx.conf", atomically: true, encoding: .utf8)

        let check = try run(binary, ["-t", "-p", prefix, "-c", "\(prefix)/conf/nginx.conf"])
        guard check.status == 0 else { throw NginxTestError(description: "nginx -t failed:\n\(check.output)") }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", prefix, "-c", "\(prefix)/conf/nginx.conf", "-g", "daemon off;"]
        guard FileManager.default.createFile(atPath: "\(prefix)/logs/stderr.log", contents: nil),
            let log = FileHandle(forWritingAtPath: "\(prefix)/logs/stderr.log")
        else { throw NginxTestError(description: "cannot create \(prefix)/logs/stderr.log") }
        process.standardOutput = log
        process.standardError = log
        try process.run()
        let server = NginxServer(prefix: prefix, port: port, settings: settings, process: process)
        try server.waitUntilListening(tlsPort: tlsPort)
        return server
    }

    private init(prefix: String, port: Int, settings: NginxSettings, process: Process) {
        self.prefix = prefix
        self.port = port
        self.settings = settings
        self.process = process
    }

    var tlsPort: Int? {
        settings.tls ? settings.tlsListen.first.flatMap { Int($0.split(separator: ":").last ?? "") } : nil
    }

    /// Polls until the ports accept connections (readiness, not a timing assertion).
    private func waitUntilListening(tlsPort: Int?) throws {
        for _ in 0..<500 {
            guard process.isRunning else {
                let log = (try? String(contentsOfFile: "\(prefix)/logs/stderr.log", encoding: .utf8)) ?? ""
                let errors = (try? String(contentsOfFile: errorLog, encoding: .utf8)) ?? ""
                throw NginxTestError(description: "nginx exited (\(process.terminationStatus)):\n\(log)\n\(errors)")
            }
            if Self.accepts(port: port) && (tlsPort.map(Self.accepts(port:)) ?? true) { return }
            usleep(10_000)
        }
        stop()
        throw NginxTestError(description: "nginx did not listen on \(port) within 5 s")
    }

    /// Writes the server block of one more tenant and reloads, as an operator adding a branch does.
    func add(_ tenant: TenantConfig) throws {
        let renderer = try NginxRenderer(configDirectory: Paths.nginxConfig)
        try NginxConfigFiles.write([("\(tenant.slug).conf", try renderer.serverBlock(for: tenant, settings: settings))], to: "\(prefix)/conf/sites")
        for arguments in [["-t"], ["-s", "reload"]] {
            let result = try Self.run(Self.binary, arguments + ["-p", prefix, "-c", "\(prefix)/conf/nginx.conf"])
            guard result.status == 0 else { throw NginxTestError(description: "nginx \(arguments) failed:\n\(result.output)") }
        }
    }

    /// The worker processes of this server's master (children in /proc).
    func workerPIDs() -> Set<Int32> {
        let master = process.processIdentifier
        var result = Set<Int32>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // "pid (comm) state ppid …": the fields after the command name.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == master { result.insert(pid) }
        }
        return result
    }

    /// Stops the master process this test started (by its pid) and waits for it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    func get(_ path: String, host: String?, headers: [String: String] = [:], method: String = "GET") throws -> RawResponse {
        try RawHTTP.get(port: port, path, host: host, headers: headers, method: method)
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// A port the kernel has just handed out for loopback and nobody holds now.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw NginxTestError(description: "socket failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard bound else { throw NginxTestError(description: "bind failed: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct Run {
        var status: Int32
        var output: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Run {
        let run = try ProcessRunner.run(executable, arguments)
        return Run(status: run.status, output: run.output + run.errors)
    }
}

/// Certificates laid out like certbot's (`<dir>/live/<name>/fullchain.pem`, `privkey.pem`).
struct TLSSetup {
    var letsEncryptDirectory: String

    /// A self-signed certificate per name, made with the openssl command line.
    static func selfSigned(names: [String]) throws -> TLSSetup {
        let directory = Paths.temporaryDirectory("letsencrypt")
        for name in names {
            let live = "\(directory)/live/\(name)"
            try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
            let result = try NginxServer.run(
                "/usr/bin/openssl",
                [
                    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=\(name)",
                    "-addext", "subjectAltName=DNS:\(name)", "-keyout", "\(live)/privkey.pem", "-out", "\(live)/fullchain.pem",
                ])
            guard result.status == 0 else { throw NginxTestError(description: "openssl failed: \(result.output)") }
        }
        return TLSSetup(letsEncryptDirectory: directory)
    }
}

struct NginxTestError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body` with a started server and always stops it.
func withNginx<T>(
    tenants: [TenantConfig], sites: String, tls: TLSSetup? = nil, _ body: (NginxServer) async throws -> T
) async throws -> T {
    let server = try NginxServer.start(tenants: tenants, sites: sites, tls: tls)
    defer { server.stop() }
    return try await body(server)
}
