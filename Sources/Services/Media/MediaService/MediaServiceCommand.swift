import ArgumentParser
import Foundation
import KoniServiceKit
import Logging

/// `media-service`: every setting is a flag or a `KONI_MEDIA_*` variable (flags win), read by
/// ``MediaConfiguration/load(_:)``; logs are JSON lines on standard error; SIGTERM or SIGINT
/// drains requests and the event relay, then exits.
package struct MediaServiceCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "media-service",
        abstract: "The KONI Media service: each branch's photographs, checked, stored and described.",
        discussion: """
            Every setting is a flag or the environment variable named beside it (flags win). Files are kept in a folder \
            (--storage-dir) or in an S3-compatible bucket (--s3-bucket with --s3-endpoint). Migrations run at start.
            """
    )

    @OptionGroup var common: ServiceOptions<MediaSettingNames>
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
    @Option(
        help: .setting(
            "Folder uploads are spooled in while they arrive.", variable: "KONI_MEDIA_SPOOL_DIR", default: "the system's temporary folder", valueName: "dir"))
    var spoolDir: String?
    @Option(
        help: .setting(
            "The CMS (http://cms.internal:8003), asked before a delete whether content uses the file.", variable: "KONI_MEDIA_CMS_URL", valueName: "url"))
    var cmsURL: String?
    @Option(help: .setting("File holding the key of the CMS's /internal routes.", variable: "KONI_MEDIA_SERVICE_KEY_FILE", valueName: "path"))
    var serviceKeyFile: String?
    @Option(help: .setting("The key itself (prefer the file).", variable: "KONI_MEDIA_SERVICE_KEY", valueName: "key")) var serviceKey: String?
    @Option(
        help: .setting(
            "Comma-separated keys the site build sends to /internal routes (none: no internal routes).", variable: "KONI_MEDIA_SERVICE_KEYS", valueName: "keys")
    )
    var serviceKeys: String?

    package init() {}

    /// Parses the process's arguments and runs; what `media-service`'s `main.swift` calls.
    package static func runFromCommandLine() async {
        await ServiceStart.main(Self.self)
    }

    package func run() async throws {
        let flags: [(String, String?)] =
            common.flags + [
                ("storage-dir", storageDir), ("max-upload-bytes", maxUploadBytes), ("spool-dir", spoolDir), ("cms-url", cmsURL),
                ("service-key-file", serviceKeyFile), ("service-key", serviceKey), ("service-keys", serviceKeys),
            ]
        try await ServiceStart.run(
            name: "media-service", prefix: MediaConfiguration.environmentPrefix, flags: flags, load: MediaConfiguration.load, logLevel: \.logLevel,
            run: MediaServer.run
        )
    }
}

/// The names of `media-service`'s settings.
package enum MediaSettingNames: ServiceSettingNames {
    package static let variablePrefix = "KONI_MEDIA_"
    package static let defaultPort = "8008"
    package static let databaseName = "media_db"
}
