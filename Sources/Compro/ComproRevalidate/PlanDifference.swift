import ComproRender

/// The outputs a new plan adds and drops against the live one, found without hashing every
/// output: a plan lists its outputs in sections (pages, archive pages, news items, tag pages,
/// …) in a fixed order, and a change to a few items changes a few places, so each section is
/// compared by its common start and end and only what lies between is compared as sets.
///
/// At 100,000 news, rebuilding the plan's path table and the set of dropped paths from scratch
/// was a third of a creation's cost.
struct PlanDifference {
    var added: [OutputSpec] = []
    var dropped: [OutputSpec] = []

    /// Nil when a plan's sections are not in order (then only a full comparison is exact).
    init?(old: [OutputSpec], new: [OutputSpec]) {
        guard let oldSections = Self.sections(old), let newSections = Self.sections(new) else { return nil }
        for rank in Set(oldSections.keys).union(newSections.keys) {
            let before = oldSections[rank].map { old[$0] } ?? old[0..<0]
            let after = newSections[rank].map { new[$0] } ?? new[0..<0]
            compare(before, after)
        }
    }

    private mutating func compare(_ before: ArraySlice<OutputSpec>, _ after: ArraySlice<OutputSpec>) {
        var start = 0
        let shorter = min(before.count, after.count)
        while start < shorter, before[before.startIndex + start] == after[after.startIndex + start] { start += 1 }
        var end = 0
        while end < shorter - start, before[before.endIndex - 1 - end] == after[after.endIndex - 1 - end] { end += 1 }
        let middleBefore = before[(before.startIndex + start)..<(before.endIndex - end)]
        let middleAfter = after[(after.startIndex + start)..<(after.endIndex - end)]
        if middleBefore.isEmpty {
            added += middleAfter
        } else if middleAfter.isEmpty {
            dropped += middleBefore
        } else {
            let kept = Set(middleBefore).intersection(middleAfter)
            added += middleAfter.filter { !kept.contains($0) }
            dropped += middleBefore.filter { !kept.contains($0) }
        }
    }

    /// Each section's range in `plan`, or nil when a section appears twice.
    private static func sections(_ plan: [OutputSpec]) -> [Int: Range<Int>]? {
        var ranges: [Int: Range<Int>] = [:]
        var start = 0
        while start < plan.count {
            let rank = section(plan[start])
            var end = start + 1
            while end < plan.count, section(plan[end]) == rank { end += 1 }
            guard ranges[rank] == nil else { return nil }
            ranges[rank] = start..<end
            start = end
        }
        return ranges
    }

    /// The section an output belongs to, in plan order (``ContentIndex/plan()``).
    private static func section(_ spec: OutputSpec) -> Int {
        switch spec {
        case .siteCSS, .themeCSS: 0
        case .home, .page: 1
        case .newsList: 2
        case .newsItem: 3
        case .tag: 4
        case .eventsList, .event: 5
        case .galleriesList, .gallery: 6
        case .athletesList, .athlete: 7
        case .tournamentsList, .tournament: 8
        case .notFound, .feed, .sitemap, .robots: 9
        case .sitemapPart: 10
        }
    }
}
