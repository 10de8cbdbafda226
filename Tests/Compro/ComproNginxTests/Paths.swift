import Foundation
import KoniTestSupport

enum Paths {
    static let repository = Repository.root
    static let nginxConfig = "\(repository)/nginx"
    static let fixtureTenants = Repository.fixtureTenants
    static let demoTenants = "\(repository)/tenants"

    static func temporaryDirectory(_ name: String) -> String {
        TemporaryFolders.make(name)
    }
}
