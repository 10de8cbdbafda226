import Foundation

enum Paths {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let nginxConfig = "\(repository)/nginx"
    static let fixtureTenants = "\(repository)/Tests/ComproRenderTests/Fixtures/tenants"
    static let demoTenants = "\(repository)/tenants"

    static func temporaryDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "koni-\(name)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
