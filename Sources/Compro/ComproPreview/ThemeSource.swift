import ComproBuild
import ComproModel
import ComproTheme

/// Where a candidate theme comes from: a preset of `Themes/` or a designer's file.
package enum ThemeSource: Sendable, Hashable, CustomStringConvertible {
    case preset(String)
    case file(String)

    /// `merah-putih` is a preset; anything ending in `.yml`/`.yaml` or containing `/` is a file.
    package init(argument: String) {
        if argument.hasSuffix(".yml") || argument.hasSuffix(".yaml") || argument.contains("/") {
            self = .file(argument)
        } else {
            self = .preset(argument)
        }
    }

    package var description: String {
        switch self {
        case .preset(let name): name
        case .file(let path): path
        }
    }

    /// Loads the theme; a bad file is reported as `file:line: reason`.
    package func load(from catalog: ThemeCatalog) throws(BuildFailure) -> Theme {
        do {
            switch self {
            case .preset(let name): return try catalog.preset(name)
            case .file(let path): return try catalog.load(file: path)
            }
        } catch {
            throw .content(error)
        }
    }
}
