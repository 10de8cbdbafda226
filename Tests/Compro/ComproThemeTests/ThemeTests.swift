import ComproModel
import ComproTheme
import Foundation
import KoniTestSupport
import Testing

@Suite struct ThemeTests {
    static let themesDirectory = Repository.themes

    let catalog = ThemeCatalog(directory: ThemeTests.themesDirectory)

    @Test func contrastMatchesWCAG() throws {
        let black = try #require(RGBColor(hex: "#000"))
        let white = try #require(RGBColor(hex: "#ffffff"))
        #expect(abs(RGBColor.contrast(black, white) - 21) < 0.001)
        let grey = try #require(RGBColor(hex: "#777777"))
        #expect(abs(RGBColor.contrast(grey, white) - 4.48) < 0.01)
    }

    @Test func everyShippedPresetIsValidAndPassesAA() throws {
        let names = catalog.presetNames()
        #expect(names.count >= 4)
        for name in names {
            let theme = try catalog.preset(name)
            #expect(theme.contrastProblems.isEmpty, "\(name): \(theme.contrastProblems)")
            #expect(theme.css.contains("--color-primary:"))
        }
    }

    @Test func overridesAreCheckedWithTheirLocation() throws {
        let base = try catalog.preset("merah-putih")
        let location = SourceLocation(file: "jatim/tenant.yml", line: 7)
        #expect(throws: ContentErrors.self) {
            try base.applying([.init(property: "color-primary", value: "red; } body { display:none", location: location)], file: "jatim/tenant.yml")
        }
        do {
            _ = try base.applying([.init(property: "colour-primary", value: "#fff", location: location)], file: "jatim/tenant.yml")
            Issue.record("unknown property accepted")
        } catch {
            #expect(error.errors.first?.description.hasPrefix("jatim/tenant.yml:7: unknown theme property 'colour-primary'") == true)
        }
        let changed = try base.applying([.init(property: "color-primary", value: "#0b5394")], file: "x")
        #expect(changed.css.contains("--color-primary: #0b5394;"))
    }

    @Test func lowContrastIsReportedWithThePair() throws {
        let base = try catalog.preset("merah-putih")
        let washed = try base.applying([.init(property: "color-text", value: "#eeeeee")], file: "x")
        let problem = try #require(washed.contrastProblems.first { $0.text == "color-text" })
        #expect(problem.ratio < 4.5)
        #expect(problem.description.contains("below WCAG AA"))
    }

    @Test func unknownPresetListsTheAvailableOnes() {
        do {
            _ = try catalog.preset("pelangi")
            Issue.record("unknown preset accepted")
        } catch {
            #expect(error.description.contains("unknown theme preset 'pelangi'"))
            #expect(error.description.contains("merah-putih"))
        }
    }

    @Test func fontAndLengthValues() {
        let font = ThemeProperty.byName["font-body"]
        #expect(font?.problem(with: "\"Inter\", system-ui, sans-serif") == nil)
        #expect(font?.problem(with: "x; background: url(evil)") != nil)
        let radius = ThemeProperty.byName["radius"]
        #expect(radius?.problem(with: "12px") == nil)
        #expect(radius?.problem(with: "12") != nil)
    }
}
