import Foundation
import Synchronization

/// Header and footer HTML rendered once per navigation state and shared by the pages of one
/// renderer (one build or one regeneration), from whichever thread renders first.
final class ChromeCache: Sendable {
    private let fragments = Mutex<[String: [String: String]]>([:])

    /// The fragments for `state` (the current navigation URL, "" for none), made by `render`
    /// the first time. Two threads may both render a missing state; both get the same text.
    func fragments(forNavigationState state: String, render: () throws(RenderError) -> [String: String]) throws(RenderError) -> [String: String] {
        if let cached = fragments.withLock({ $0[state] }) { return cached }
        let made = try render()
        fragments.withLock { $0[state] = made }
        return made
    }
}
