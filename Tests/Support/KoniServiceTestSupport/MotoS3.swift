import KoniJSON
import KoniStorage
import KoniTestSupport

/// moto's S3 server with signatures checked (Tests/Support/S3/moto_s3.py), one per test run.
package enum MotoS3 {
    package struct Failure: Error, CustomStringConvertible { package var description: String }

    package static let settings: Result<S3Storage.Settings, Failure> = {
        let started = ScriptServer.start("Tests/Support/S3/moto_s3.py")
        guard case .success(let line) = started else { return .failure(Failure(description: "cannot start moto: \(started)")) }
        guard let json = try? JSONValue.parse(Array(line.utf8)), let endpoint = json["endpoint"]?.text, let key = json["access_key_id"]?.text,
            let secret = json["secret"]?.text, let bucket = json["bucket"]?.text
        else { return .failure(Failure(description: "moto did not start: \(line)")) }
        return .success(S3Storage.Settings(endpoint: endpoint, bucket: bucket, region: "us-east-1", accessKeyID: key, secretAccessKey: secret))
    }()
}
