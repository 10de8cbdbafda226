import ComproRender
import KoniTestSupport
import Testing

@testable import ComproRevalidate

/// ``PlanDifference`` finds exactly what a set difference of the two plans finds.
@Suite struct PlanDifferenceTests {
    static let plan: [OutputSpec] =
        [.siteCSS, .themeCSS, .home, .page("profil"), .newsList(page: 0), .newsList(page: 1), .newsList(page: 2)]
        + (1...30).map { .newsItem("berita-\($0)") } + [.tag("pon", page: 0), .tag("pon", page: 1), .tag("voli", page: 0)]
        + [.eventsList, .event("a"), .galleriesList, .athletesList, .notFound, .feed, .sitemap, .robots]

    static func expectSetDifference(_ old: [OutputSpec], _ new: [OutputSpec], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let difference = try #require(PlanDifference(old: old, new: new), sourceLocation: sourceLocation)
        #expect(Set(difference.added) == Set(new).subtracting(old), sourceLocation: sourceLocation)
        #expect(Set(difference.dropped) == Set(old).subtracting(new), sourceLocation: sourceLocation)
        #expect(difference.added.count == Set(difference.added).count && difference.dropped.count == Set(difference.dropped).count)
    }

    @Test func aCreationADeletionAndANewSectionAreFound() throws {
        var new = Self.plan
        new.insert(.newsItem("baru"), at: 7)
        new.removeAll { $0 == .newsItem("berita-12") || $0 == .tag("pon", page: 1) }
        new.insert(.newsList(page: 3), at: 7)
        new += [.sitemapPart("situs-1"), .sitemapPart("berita-1")]
        try Self.expectSetDifference(Self.plan, new)
        try Self.expectSetDifference(new, Self.plan)
        try Self.expectSetDifference(Self.plan, Self.plan)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func randomChangesAreFoundExactly(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var new = Self.plan
        for _ in 0..<random.int(1...8) {
            let position = random.below(new.count)
            if random.chance(50), case .newsItem = new[position] {
                new.remove(at: position)
            } else if case .newsItem = new[position] {
                new.insert(.newsItem("acak-\(random.int(0...999))"), at: position)
            }
        }
        var seen = Set<OutputSpec>()
        new = new.filter { seen.insert($0).inserted }
        try Self.expectSetDifference(Self.plan, new)
    }

    @Test func sectionsOutOfOrderAreRefused() {
        #expect(PlanDifference(old: Self.plan, new: [.home, .siteCSS, .page("x")]) == nil)
    }
}
