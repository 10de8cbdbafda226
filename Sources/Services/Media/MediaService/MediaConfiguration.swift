import Foundation
import KoniServiceKit
import KoniStorage
import Logging

/// Every setting of `media-service`, read from a flag or a `KONI_MEDIA_*` variable;
/// `media-service --help` lists them with their variables and defaults (``MediaServiceCommand``).
package struct MediaConfiguration: Sendable, CommonServiceSettings {
    package var host = "127.0.0.1"
    package var port = 8008
    package var databaseURL: String
    package var tokenKeys: TokenKeys
    package var jwtExpectations = JWTVerifier.Expectations()
    package var amqpURL: String
    package var exchange = EventTopology.exchange
    package var storage: Storage
    /// Largest upload (the file part); the image limits refuse anything larger anyway.
    package var maximumUploadBytes = 40 << 20
    /// Where uploads are spooled while they arrive (never served).
    package var spoolDirectory = NSTemporaryDirectory()
    /// The CMS, asked before a file is deleted whether content still uses it.
    package var cms: ServiceClient.Settings?
    /// Keys the site build sends to `/internal/…` to read originals; empty: no internal routes.
    package var serviceKeys: [String] = []
    package var logLevel: Logger.Level = .info
    package var relay = OutboxRelay.Settings()

    /// Where access tokens' keys come from.
    package typealias TokenKeys = ServiceTokenKeys

    /// Where files are kept.
    package enum Storage: Sendable {
        case fileSystem(root: String)
        case s3(S3Storage.Settings)
    }

    package init(databaseURL: String, tokenKeys: TokenKeys, amqpURL: String, storage: Storage) {
        self.databaseURL = databaseURL
        self.tokenKeys = tokenKeys
        self.amqpURL = amqpURL
        self.storage = storage
    }

    package static let environmentPrefix = MediaSettingNames.variablePrefix

    /// Reads the settings from flags and the environment.
    package static func load(_ settings: ServiceConfiguration) throws(ConfigurationError) -> MediaConfiguration {
        let keys = try ServiceTokenKeys.load(settings)
        let storage: Storage
        if let bucket = settings.string("s3-bucket") {
            guard let endpoint = settings.string("s3-endpoint") else {
                throw ConfigurationError(setting: "s3-endpoint", reason: "is required with --s3-bucket")
            }
            guard let key = settings.string("s3-access-key-id"), let secret = try settings.fileContents("s3-secret-file") ?? settings.string("s3-secret") else {
                throw ConfigurationError(setting: "s3-access-key-id", reason: "and a secret (--s3-secret-file) are required with --s3-bucket")
            }
            storage = .s3(
                S3Storage.Settings(
                    endpoint: endpoint, bucket: bucket, region: settings.string("s3-region", default: "us-east-1"), accessKeyID: key,
                    secretAccessKey: secret.trimmingCharacters(in: .whitespacesAndNewlines)
                )
            )
        } else {
            storage = .fileSystem(root: settings.string("storage-dir", default: "media-files"))
        }
        var configuration = MediaConfiguration(
            databaseURL: try settings.requiredString("database-url"), tokenKeys: keys, amqpURL: try settings.requiredString("amqp-url"), storage: storage
        )
        try configuration.loadCommonSettings(settings)
        configuration.maximumUploadBytes = try settings.int("max-upload-bytes", default: configuration.maximumUploadBytes, range: 1024...(40 << 20))
        configuration.spoolDirectory = settings.string("spool-dir", default: configuration.spoolDirectory)
        configuration.serviceKeys = settings.string("service-keys", default: "").split(separator: ",").map { String($0) }
        if let url = settings.string("cms-url") {
            guard let key = try settings.fileContents("service-key-file") ?? settings.string("service-key") else {
                throw ConfigurationError(setting: "service-key", reason: "is required with --cms-url (the key the CMS's /internal routes accept)")
            }
            configuration.cms = ServiceClient.Settings(baseURL: url, serviceKey: key.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return configuration
    }
}
