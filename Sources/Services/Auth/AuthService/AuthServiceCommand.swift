import ArgumentParser
import Foundation
import KoniJSON
import KoniServiceKit
import Logging

/// `auth-service`: `serve` (the default) runs the service; `keys` manages its signing keys.
package struct AuthServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "auth-service",
        abstract: "The KONI Auth service: accounts, roles, single sign-on and the tokens every service trusts.",
        subcommands: [Serve.self, Keys.self, Users.self],
        defaultSubcommand: Serve.self
    )

    package init() {}

    /// Parses the process's arguments and runs; what `auth-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }
}

extension AuthServiceCommand {
    /// Runs the service.
    package struct Serve: AsyncParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Serve the API and the login pages.",
            discussion:
                "Every setting is a flag or the environment variable named beside it (flags win). Migrations run at start. SIGTERM or SIGINT drains requests and the event relay, then exits."
        )

        @OptionGroup var listen: ListenOptions<AuthSettingNames>
        @OptionGroup var store: StoreOptions<AuthSettingNames>
        @Option(help: .setting("redis://[:password@]host:port[/db], required.", variable: "KONI_AUTH_REDIS_URL", valueName: "url")) var redisURL: String?
        @Option(help: .setting("Signing-key folder (auth-service keys generate), required.", variable: "KONI_AUTH_KEYS", valueName: "dir")) var keys: String?
        @Option(help: .setting("iss of the tokens.", variable: "KONI_AUTH_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
        var issuer: String?
        @Option(help: .setting("aud of the tokens.", variable: "KONI_AUTH_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience, valueName: "value"))
        var audience: String?
        @Option(
            help: .setting("Origin of the login pages (checked on form posts).", variable: "KONI_AUTH_PUBLIC_ORIGIN", default: "the issuer", valueName: "url"))
        var publicOrigin: String?
        @Option(
            help: .setting("Tenant folders: the branches and their registered domains.", variable: "KONI_AUTH_TENANTS", default: "tenants", valueName: "dir"))
        var tenants: String?
        @Option(help: .setting("Comma-separated keys accepted on /internal (32+ bytes each).", variable: "KONI_AUTH_SERVICE_KEYS", valueName: "keys"))
        var serviceKeys: String?
        @Option(
            help: .setting(
                "The queue the Tenant service's tenant.* events are read from.", variable: "KONI_AUTH_TENANTS_QUEUE", default: "auth.tenants", valueName: "name"
            )) var tenantsQueue: String?
        @Option(help: .setting("Peers whose X-Real-IP is trusted.", variable: "KONI_AUTH_TRUSTED_PROXIES", default: "127.0.0.1,::1", valueName: "ips"))
        var trustedProxies: String?
        @Option(
            help: .setting("Failed logins before an account is locked for 15 minutes.", variable: "KONI_AUTH_ACCOUNT_FAILURES", default: "5", valueName: "n"))
        var accountFailures: String?
        @Option(help: .setting("Login attempts per client address per minute.", variable: "KONI_AUTH_ADDRESS_ATTEMPTS", default: "30", valueName: "n"))
        var addressAttempts: String?
        @Option(help: .setting("Prefix of every Redis key.", variable: "KONI_AUTH_REDIS_KEY_PREFIX", default: "auth:", valueName: "text")) var redisKeyPrefix:
            String?

        package init() {}

        package func run() async throws {
            let flags: [(String, String?)] =
                listen.flags + store.flags + [
                    ("redis-url", redisURL), ("keys", keys), ("issuer", issuer), ("audience", audience), ("public-origin", publicOrigin), ("tenants", tenants),
                    ("service-keys", serviceKeys), ("tenants-queue", tenantsQueue), ("trusted-proxies", trustedProxies), ("account-failures", accountFailures),
                    ("address-attempts", addressAttempts), ("redis-key-prefix", redisKeyPrefix),
                ]
            try await ServiceStart.run(
                name: "auth-service", prefix: AuthConfiguration.environmentPrefix, flags: flags, load: AuthConfiguration.load, logLevel: \.logLevel,
                run: AuthServer.run
            )
        }
    }

    /// The operator's key commands.
    package struct Keys: ParsableCommand {
        package static let configuration = CommandConfiguration(
            abstract: "Manage the signing keys (a running service re-reads the folder within 30 s).",
            subcommands: [Generate.self, Rotate.self, Prune.self, List.self]
        )
        package init() {}

        package struct Generate: ParsableCommand {
            package static let configuration = CommandConfiguration(abstract: "Create the folder's first signing key.")
            @Option(help: "The key folder.") var keys: String
            package init() {}
            package func run() throws {
                let ring = try SigningKeyRing.generate(directory: keys)
                print("signing key \(ring.signingKID) created in \(keys)")
            }
        }

        package struct Rotate: ParsableCommand {
            package static let configuration = CommandConfiguration(
                abstract: "Make a new key the signing key; the previous one stays published for the overlap."
            )
            @Option(help: "The key folder.") var keys: String
            @Option(help: "How long the previous key stays published, in hours (at least 0.25).") var overlapHours: Double = 24
            package init() {}
            package func run() throws {
                guard overlapHours.isFinite, overlapHours >= 0.25, overlapHours <= 24 * 90 else {
                    throw ValidationError("--overlap-hours must be between 0.25 and 2160")
                }
                var ring = try SigningKeyRing.load(directory: keys)
                let previous = ring.signingKID
                try ring.rotate(overlap: .seconds(Int64(overlapHours * 3600)))
                print("signing key \(ring.signingKID) created; \(previous) stays published for \(overlapHours) h")
            }
        }

        package struct Prune: ParsableCommand {
            package static let configuration = CommandConfiguration(abstract: "Delete the keys whose overlap has ended.")
            @Option(help: "The key folder.") var keys: String
            package init() {}
            package func run() throws {
                var ring = try SigningKeyRing.load(directory: keys)
                let removed = try ring.prune()
                print(removed.isEmpty ? "no key to prune" : "pruned \(removed.joined(separator: ", "))")
            }
        }

        package struct List: ParsableCommand {
            package static let configuration = CommandConfiguration(abstract: "List the keys and which one signs.")
            @Option(help: "The key folder.") var keys: String
            package init() {}
            package func run() throws {
                let ring = try SigningKeyRing.load(directory: keys)
                for entry in ring.entries {
                    let role = entry.kid == ring.signingKID ? "signing" : entry.retireAt.map { "published until \(RFC3339.string($0))" } ?? "published"
                    print("\(entry.kid)  created \(RFC3339.string(entry.createdAt))  \(role)")
                }
            }
        }
    }
}

/// The names of `auth-service`'s settings.
package enum AuthSettingNames: ServiceSettingNames {
    package static let variablePrefix = AuthConfiguration.environmentPrefix
    package static let defaultPort = "8001"
    package static let databaseName = "auth_db"
}
