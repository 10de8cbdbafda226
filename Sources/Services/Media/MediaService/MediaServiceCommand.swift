import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `media-service`: every setting is a flag or a `KONI_MEDIA_*` variable (flags win), read by
/// ``MediaConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests and the event relay, then exits.
public struct MediaServiceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "media-service",
        abstract: "The KONI Media service: each branch's photographs, checked, stored and described.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Files are kept in a folder \
            (--storage-dir) or in an S3-compatible bucket (--s3-bucket with --s3-endpoint). Migrations run at start.
            """
    )

    @Option(help: .setting("Address to listen on.", variable: "KONI_MEDIA_HOST", default: "127.0.0.1", valueName: "host")) var host: String?
    @Option(help: .setting("HTTP port.", variable: "KONI_MEDIA_PORT", default: "8008", valueName: "n")) var port: String?
    @Option(help: .setting("postgres://user:password@host:port/media_db, required.", variable: "KONI_MEDIA_DATABASE_URL", valueName: "url"))
    var databaseURL: String?
    @Option(help: .setting("The Auth service's JWKS; required unless a PEM key is given.", variable: "KONI_MEDIA_JWKS_URL", valueName: "url"))
    var jwksURL: String?
    @Option(help: .setting("Development only: one RS256 public key (PEM) instead of the JWKS.", variable: "KONI_MEDIA_JWT_PUBLIC_KEY_FILE", valueName: "path"))
    var jwtPublicKeyFile: String?
    @Option(help: .setting("The PEM itself.", variable: "KONI_MEDIA_JWT_PUBLIC_KEY", valueName: "pem")) var jwtPublicKey: String?
    @Option(help: .setting("The iss of accepted tokens.", variable: "KONI_MEDIA_JWT_ISSUER", default: JWTVerifier.Expectations.defaultIssuer, valueName: "url"))
    var jwtIssuer: String?
    @Option(help: .setting("A value the aud of accepted tokens includes.", variable: "KONI_MEDIA_JWT_AUDIENCE", default: JWTVerifier.Expectations.defaultAudience, valueName: "value"))
    var jwtAudience: String?
    @Option(help: .setting("amqp://user:password@host:port/vhost, required.", variable: "KONI_MEDIA_AMQP_URL", valueName: "url")) var amqpURL: String?
    @Option(help: .setting("Topic exchange for events.", variable: "KONI_MEDIA_EXCHANGE", default: EventTopology.exchange, valueName: "name"))
    var exchange: String?
    @Option(help: .setting("Folder the files are kept in (without --s3-bucket).", variable: "KONI_MEDIA_STORAGE_DIR", default: "media-files", valueName: "dir"))
    var storageDir: String?
    @Option(help: .setting("S3 bucket to keep the files in instead of a folder.", variable: "KONI_MEDIA_S3_BUCKET", valueName: "name")) var s3Bucket: String?
    @Option(help: .setting("S3 endpoint (https://s3.ap-southeast-3.amazonaws.com, http://minio:9000).", variable: "KONI_MEDIA_S3_ENDPOINT", valueName: "url"))
    var s3Endpoint: String?
    @Option(help: .setting("S3 region.", variable: "KONI_MEDIA_S3_REGION", default: "us-east-1", valueName: "name")) var s3Region: String?
    @Option(help: .setting("S3 access key id.", variable: "KONI_MEDIA_S3_ACCESS_KEY_ID", valueName: "id")) var s3AccessKeyID: String?
    @Option(help: .setting("File holding the S3 secret access key.", variable: "KONI_MEDIA_S3_SECRET_FILE", valueName: "path")) var s3SecretFile: String?
    @Option(help: .setting("The S3 secret itself (prefer the file).", variable: "KONI_MEDIA_S3_SECRET", valueName: "secret")) var s3Secret: String?
    @Option(help: .setting("Largest upload in bytes, 1024…41943040.", variable: "KONI_MEDIA_MAX_UPLOAD_BYTES", default: "41943040", valueName: "n"))
    var maxUploadBytes: String?
    @Option(help: .setting("Folder uploads are spooled in while they arrive.", variable: "KONI_MEDIA_SPOOL_DIR", default: "the system's temporary folder", valueName: "dir"))
    var spoolDir: String?
    @Option(help: .setting("The CMS (http://cms.internal:8003), asked before a delete whether content uses the file.", variable: "KONI_MEDIA_CMS_URL", valueName: "url"))
    var cmsURL: String?
    @Option(help: .setting("File holding the key of the CMS's /internal routes.", variable: "KONI_MEDIA_SERVICE_KEY_FILE", valueName: "path"))
    var serviceKeyFile: String?
    @Option(help: .setting("The key itself (prefer the file).", variable: "KONI_MEDIA_SERVICE_KEY", valueName: "key")) var serviceKey: String?
    @Option(help: .setting("Comma-separated keys the site build sends to /internal routes (none: no internal routes).", variable: "KONI_MEDIA_SERVICE_KEYS", valueName: "keys"))
    var serviceKeys: String?
    @Option(help: .setting("trace, debug, info, notice, warning, error or critical.", variable: "KONI_MEDIA_LOG_LEVEL", default: "info", valueName: "level"))
    var logLevel: String?

    public init() {}

    /// Parses the process's arguments and runs; what `media-service`'s `main.swift` calls.
    public static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    public func run() async throws {
        let flags: [(String, String?)] = [
            ("host", host), ("port", port), ("database-url", databaseURL), ("jwks-url", jwksURL), ("jwt-public-key-file", jwtPublicKeyFile),
            ("jwt-public-key", jwtPublicKey), ("jwt-issuer", jwtIssuer), ("jwt-audience", jwtAudience), ("amqp-url", amqpURL),
            ("exchange", exchange), ("storage-dir", storageDir), ("s3-bucket", s3Bucket), ("s3-endpoint", s3Endpoint), ("s3-region", s3Region),
            ("s3-access-key-id", s3AccessKeyID), ("s3-secret-file", s3SecretFile), ("s3-secret", s3Secret), ("max-upload-bytes", maxUploadBytes),
            ("spool-dir", spoolDir), ("cms-url", cmsURL), ("service-key-file", serviceKeyFile), ("service-key", serviceKey), ("service-keys", serviceKeys), ("log-level", logLevel),
        ]
        try await ServiceStart.run(
            name: "media-service", prefix: MediaConfiguration.environmentPrefix, flags: flags, load: MediaConfiguration.load, logLevel: \.logLevel,
            run: MediaServer.run
        )
    }
}
