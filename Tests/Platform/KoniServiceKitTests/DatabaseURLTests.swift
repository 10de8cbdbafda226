import Foundation
import KoniServiceKit
import PostgresNIO
import Testing

/// `sslmode` in a database URL never silently means plaintext.
@Suite struct DatabaseURLTests {
    func setting(_ query: String) throws -> DatabaseTLSSetting {
        try DatabaseTLSSetting(queryItems: URLComponents(string: "postgres://u:p@db/cms\(query)")?.queryItems ?? [])
    }

    @Test func eachModeMeansWhatItSays() throws {
        #expect(try setting("").mode == .disable)
        #expect(try setting("?sslmode=disable").mode == .disable)
        #expect(try setting("?sslmode=prefer").mode == .prefer)
        #expect(try setting("?sslmode=require") == DatabaseTLSSetting(mode: .require, verification: .noHostnameVerification))
        #expect(try setting("?sslmode=verify-ca") == DatabaseTLSSetting(mode: .require, verification: .noHostnameVerification))
        #expect(
            try setting("?sslmode=verify-full&sslrootcert=/etc/ssl/koni-ca.pem")
                == DatabaseTLSSetting(mode: .require, verification: .fullVerification, rootCertificate: "/etc/ssl/koni-ca.pem"))
        _ = try Database.configuration(url: "postgres://u:p@db:5432/cms?sslmode=verify-full")
    }

    @Test func unknownModesAndParametersAreRefusedWithoutEchoingThePassword() {
        for url in ["postgres://u:rahasia@db/cms?sslmode=allow", "postgres://u:rahasia@db/cms?sslmode=verify_full", "postgres://u:rahasia@db/cms?ssl=true"] {
            do {
                _ = try Database.configuration(url: url)
                Issue.record("accepted \(url)")
            } catch {
                #expect(error.setting == "database-url")
                #expect(!error.description.contains("rahasia"), "\(error)")
            }
        }
    }
}
