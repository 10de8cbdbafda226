import ArgumentParser
import ComproModel
import ComproTheme
import Foundation

struct ThemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "List, check, preview and compare theme presets.",
        subcommands: [List.self, Validate.self, Preview.self, Compare.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the theme presets of Themes/.")

        @Option(name: .long, help: ArgumentHelp("Theme presets folder.", valueName: "dir"))
        var themes = "Themes"

        func run() throws {
            let catalog = ThemeCatalog(directory: themes)
            for name in catalog.presetNames() {
                do {
                    let theme = try catalog.preset(name)
                    let primary = theme.values["color-primary"] ?? ""
                    print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(primary)  \(theme.displayName): \(theme.description)")
                } catch {
                    print("\(name.padding(toLength: 18, withPad: " ", startingAt: 0)) INVALID: \(error.errors.first?.description ?? "")")
                }
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check presets or a theme file: unknown properties, invalid values, WCAG AA contrast.",
            discussion: "Without an argument every preset is checked. Exit status 1 on any error or contrast failure."
        )

        @Argument(help: "A preset name or a path to a theme .yml file.")
        var theme: String?

        @Option(name: .long, help: ArgumentHelp("Theme presets folder.", valueName: "dir"))
        var themes = "Themes"

        func run() throws {
            let catalog = ThemeCatalog(directory: themes)
            let targets = theme.map { [$0] } ?? catalog.presetNames()
            var failed = false
            for target in targets {
                do {
                    let loaded =
                        target.hasSuffix(".yml") || target.contains("/")
                        ? try catalog.load(file: target) : try catalog.preset(target)
                    let problems = loaded.contrastProblems
                    print("\(target): \(problems.isEmpty ? "ok" : "\(problems.count) contrast problem(s)")")
                    for report in loaded.contrastReports { print("  \(report)") }
                    if !problems.isEmpty { failed = true }
                } catch {
                    failed = true
                    print("\(target): invalid")
                    for problem in error.errors { print("  \(problem)") }
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
