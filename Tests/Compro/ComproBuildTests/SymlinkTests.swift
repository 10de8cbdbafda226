import ComproBuild
import ComproModel
import ComproPublish
import ComproTestSupport
import Foundation
import Testing

/// A symbolic link anywhere in a tenant is refused by name, and nothing is read through one.
@Suite struct SymlinkTests {
    /// A file outside the tenant whose content must never be published.
    static func secret() throws -> String {
        let path = Fixture.temporaryDirectory("secret") + "/rahasia.txt"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "RAHASIA-SERVER".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Builds once, applies `change` to the tenant folder, builds again: the build fails naming
    /// `message`, the live release stays, and no published file holds the secret.
    func expectRefused(_ message: String, _ change: (_ root: String, _ secret: String) throws -> Void) throws {
        let tenants = try Fixture.copyOfTenants()
        let builder = SiteBuilder(environment: Fixture.environment(tenants: tenants))
        let good = try builder.build(slug: "uji")
        let secret = try Self.secret()
        try change("\(tenants)/uji", secret)
        do {
            _ = try builder.build(slug: "uji")
            Issue.record("build succeeded; expected: \(message)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.description.contains("symbolic link"), "\(error.description)")
        }
        #expect(builder.publisher.currentRelease("uji") == good.release)
        let out = builder.environment.outputDirectory
        let leaked =
            FileManager.default.enumerator(atPath: out)?.compactMap { $0 as? String }.filter { relative in
                (try? String(contentsOfFile: "\(out)/\(relative)", encoding: .utf8))?.contains("RAHASIA-SERVER") == true
            } ?? []
        #expect(leaked.isEmpty, "\(leaked)")
    }

    @Test func aLinkedTemplateIsRefused() throws {
        try expectRefused("uji/templates/pages/404.mustache") { root, secret in
            try FileManager.default.createDirectory(atPath: "\(root)/templates/pages", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/templates/pages/404.mustache", withDestinationPath: secret)
        }
    }

    @Test func aLinkedTemplatesFolderIsRefused() throws {
        try expectRefused("uji/templates") { root, secret in
            let elsewhere = (secret as NSString).deletingLastPathComponent + "/templates"
            try FileManager.default.createDirectory(atPath: "\(elsewhere)/pages", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(elsewhere)/pages/404.mustache", withDestinationPath: secret)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/templates", withDestinationPath: elsewhere)
        }
    }

    @Test func aLinkedContentFileIsRefused() throws {
        try expectRefused("uji/content/news/bocor.md") { root, secret in
            try FileManager.default.createSymbolicLink(atPath: "\(root)/content/news/bocor.md", withDestinationPath: secret)
        }
    }

    @Test func aLinkedTenantConfigIsRefused() throws {
        try expectRefused("uji/tenant.yml") { root, secret in
            let copy = (secret as NSString).deletingLastPathComponent + "/tenant.yml"
            try FileManager.default.moveItem(atPath: "\(root)/tenant.yml", toPath: copy)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/tenant.yml", withDestinationPath: copy)
        }
    }

    @Test func aLinkedStaticFileIsRefused() throws {
        try expectRefused("uji/static/bocor.txt") { root, secret in
            try FileManager.default.createDirectory(atPath: "\(root)/static", withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: "\(root)/static/bocor.txt", withDestinationPath: secret)
        }
    }

    @Test func aLinkedStaticFolderIsRefused() throws {
        try expectRefused("uji/static") { root, secret in
            try? FileManager.default.removeItem(atPath: "\(root)/static")
            try FileManager.default.createSymbolicLink(atPath: "\(root)/static", withDestinationPath: (secret as NSString).deletingLastPathComponent)
        }
    }

    @Test func aLinkThatIsNeverReadIsStillNamed() throws {
        try expectRefused("uji/content/catatan.txt") { root, secret in
            try FileManager.default.createSymbolicLink(atPath: "\(root)/content/catatan.txt", withDestinationPath: secret)
        }
    }

    /// The check is the open: a link swapped in after the folder was listed is not followed.
    @Test func confinedReadsNeverFollowALinkOnTheWay() throws {
        let root = Fixture.temporaryDirectory("confined")
        let secret = try Self.secret()
        try FileManager.default.createDirectory(atPath: "\(root)/a", withIntermediateDirectories: true)
        try "isi".write(toFile: "\(root)/a/b.txt", atomically: true, encoding: .utf8)
        let folder = ConfinedFolder(root: root)
        #expect(try folder.read("a/b.txt", maximumBytes: 100) == Array("isi".utf8))
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link.txt", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/dir", withDestinationPath: (secret as NSString).deletingLastPathComponent)
        #expect(throws: ConfinedFileError(path: "link.txt", kind: .symbolicLink)) { try folder.read("link.txt", maximumBytes: 100) }
        #expect(throws: ConfinedFileError(path: "dir", kind: .symbolicLink)) { try folder.read("dir/rahasia.txt", maximumBytes: 100) }
        #expect(throws: ConfinedFileError(path: "../x", kind: .outside)) { try folder.read("../x", maximumBytes: 100) }
        #expect(throws: ConfinedFileError(path: "a/b.txt", kind: .tooLarge(2))) { try folder.read("a/b.txt", maximumBytes: 2) }
        #expect(try folder.walk("").links == ["dir", "link.txt"])
        let linkedRoot = Fixture.temporaryDirectory("linked-root")
        try FileManager.default.removeItem(atPath: linkedRoot)
        try FileManager.default.createSymbolicLink(atPath: linkedRoot, withDestinationPath: root)
        #expect(throws: ConfinedFileError(path: "", kind: .symbolicLink)) { try ConfinedFolder(root: linkedRoot).read("a/b.txt", maximumBytes: 100) }
    }
}

/// Every template escapes with the project's escaper; a template cannot turn escaping off.
@Suite struct TemplateEscapingTests {
    @Test func aTenantTemplateWithoutThePragmaEscapesCombiningMarks() throws {
        let tenants = try Fixture.copyOfTenants()
        try FileManager.default.createDirectory(atPath: "\(tenants)/uji/templates/partials", withIntermediateDirectories: true)
        try "<footer><a title=\"{{site.short_name}}\">x</a></footer>".write(
            toFile: "\(tenants)/uji/templates/partials/footer.mustache", atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8)
        // `"` followed by a combining mark is one Character: the library's escaper left it as it was.
        let hostile = "Uji\"\u{0301} onmouseover=alert(1) x=\""
        try config.replacingOccurrences(of: "short_name: KONI Uji", with: "short_name: '\(hostile.replacingOccurrences(of: "'", with: "''"))'")
            .write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
        let builder = SiteBuilder(environment: Fixture.environment(tenants: tenants))
        _ = try builder.build(slug: "uji")
        let home = try String(contentsOfFile: "\(builder.environment.outputDirectory)/uji/current/index.html", encoding: .utf8)
        let escaped = "title=\"Uji&quot;\u{0301} onmouseover=alert(1) x=&quot;\""
        let breakout = "\"\u{0301} onmouseover"
        #expect(home.contains(escaped), "\(home.suffix(400))")
        #expect(!home.contains(breakout))
    }

    @Test func aTemplateAskingForUnescapedTextIsRefused() throws {
        let tenants = try Fixture.copyOfTenants()
        try FileManager.default.createDirectory(atPath: "\(tenants)/uji/templates/partials", withIntermediateDirectories: true)
        try "\n{{% CONTENT_TYPE: TEXT }}\n<footer>{{site.short_name}}</footer>".write(
            toFile: "\(tenants)/uji/templates/partials/footer.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try SiteBuilder(environment: Fixture.environment(tenants: tenants)).build(slug: "uji")
            Issue.record("a TEXT template was accepted")
        } catch {
            #expect(error.description.contains("templates/partials/footer.mustache:2"), "\(error.description)")
            #expect(error.description.contains("CONTENT_TYPE: HTML"), "\(error.description)")
        }
    }
}
