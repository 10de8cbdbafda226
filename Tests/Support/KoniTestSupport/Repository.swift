import Foundation

/// Paths of this repository, for tests that run its binaries or read its fixtures.
package enum Repository {
    /// The folder holding `Package.swift`, found from this file's path whatever the layout.
    package static let root: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// The fixture tenants (`uji`) every generator test builds.
    package static let fixtureTenants = "\(root)/Tests/Compro/ComproRenderTests/Fixtures/tenants"
    package static let templates = "\(root)/Templates"
    package static let themes = "\(root)/Themes"

    /// A product of the debug build (`scripts/test` builds them before the tests run).
    package static func binary(_ name: String) -> String { "\(root)/.build/debug/\(name)" }
}
