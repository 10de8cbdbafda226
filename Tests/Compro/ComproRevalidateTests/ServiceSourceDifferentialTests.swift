import ComproBuild
import ComproContent
import ComproModel
import ComproPublish
import ComproRevalidate
import ComproTestSupport
import Foundation
import KoniTestSupport
import Synchronization
import Testing

/// The manifest is exact for items services keep as well: random changes to a branch's GMS
/// tournaments and Athlete-service athletes (results, players, featured flags, statistics, items
/// that appear and go), revalidated after each batch by the hint an event would carry, must leave
/// the live tree byte-identical to a full build of the same snapshots.
@Suite struct ServiceSourceDifferentialTests {
    /// The services' current content, changed by the test between revalidations.
    final class Services: ServiceContentSource {
        private let state = Mutex<(tournaments: [Tournament], athletes: [Athlete], clock: Int64)>(([], [], 0))

        func set(tournaments: [Tournament]? = nil, athletes: [Athlete]? = nil) {
            state.withLock { state in
                if let tournaments { state.tournaments = tournaments }
                if let athletes { state.athletes = athletes }
            }
        }

        var current: (tournaments: [Tournament], athletes: [Athlete]) { state.withLock { ($0.tournaments, $0.athletes) } }

        func snapshot(of kind: ContentKind, tenant slug: String, from location: String, timeZone: SiteTimeZone) async throws(ContentErrors) -> ItemSnapshot {
            state.withLock { state in
                state.clock += 1
                let items: [ParsedItem] = kind == .tournament ? state.tournaments.map { .tournament($0) } : state.athletes.map { .athlete($0) }
                return ItemSnapshot(kind: kind, items: items, asOf: state.clock)
            }
        }

        func snapshots() -> [ItemSnapshot] {
            let (tournaments, athletes) = current
            return [
                ItemSnapshot(kind: .tournament, items: tournaments.map { .tournament($0) }, asOf: nil),
                ItemSnapshot(kind: .athlete, items: athletes.map { .athlete($0) }, asOf: nil),
            ]
        }
    }

    static func athlete(_ index: Int, _ random: inout SeededRandom) -> Athlete {
        let name = "Atlet \(random.pick(["Ayu", "Bima", "Citra", "Dodi"])) \(index)"
        let featured = random.chance(40)
        let goals = random.int(0...99)
        return Athlete(
            meta: ItemMetadata(slug: "pemain-\(index)", source: "athletes: test#pemain-\(index)", revision: "\(name)|\(featured)|\(goals)"),
            name: name, sport: "Sepak bola", featured: featured, stats: [("goals", .number(Double(goals)))], externalID: "id-\(index)"
        )
    }

    static func tournament(_ slug: String, _ random: inout SeededRandom, athletes: [Athlete]) -> Tournament {
        let clubs = ["Persiu", "PS Uji Timur", "Uji United", "Persiu Muda"]
        var matches: [TournamentMatch] = []
        for position in 1...random.int(1...4) {
            let home = random.pick(clubs), away = random.pick(clubs.filter { $0 != home })
            let day = random.int(1...28)
            let time = SiteDate.parse("2026-11-\(day < 10 ? "0" : "")\(day) 15:30", defaultOffsetSeconds: 7 * 3600)!
            let played = random.chance(70)
            // Players by the service's id: sometimes one the service no longer has.
            let players = played && !athletes.isEmpty && random.chance(60) ? [random.pick(athletes.map { $0.externalID ?? "" } + ["id-99"])] : []
            matches.append(
                TournamentMatch(
                    round: random.int(1...3), position: position, time: time, status: played ? .completed : .scheduled,
                    home: .init(name: home, athleteID: random.chance(20) ? random.pick(athletes.map { $0.externalID ?? "" } + ["id-98"]) : nil),
                    away: .init(name: away),
                    score: played ? "\(random.int(0...4))-\(random.int(0...4))" : "", players: players
                ))
        }
        let end = random.int(10...28)
        return Tournament(
            meta: ItemMetadata(slug: slug, source: "gms: test#\(slug)", revision: "\(slug)|\(random.next())"), name: "Liga \(slug) \(random.int(1...99))",
            sport: "sepak-bola", format: .league, startsOn: SiteDate.parse("2026-11-01", defaultOffsetSeconds: 7 * 3600)!,
            endsOn: SiteDate.parse("2026-11-\(end)", defaultOffsetSeconds: 7 * 3600)!, matches: matches
        )
    }

    @Test(arguments: [UInt64(21), 22, 23, 24])
    func serviceFedItemsRevalidateToAFullBuild(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let tenants = try Fixture.copyOfTenants()
        let yml =
            try String(contentsOfFile: "\(tenants)/uji/tenant.yml", encoding: .utf8) + "gms:\n  url: http://gms.test\nathletes:\n  url: http://athletes.test\n"
        try yml.write(toFile: "\(tenants)/uji/tenant.yml", atomically: true, encoding: .utf8)
        let services = Services()
        var athletes = (1...4).map { Self.athlete($0, &random) }
        services.set(tournaments: [Self.tournament("liga-a", &random, athletes: athletes)], athletes: athletes)
        let daemonOut = Fixture.temporaryDirectory("service-daemon")
        let freshOut = Fixture.temporaryDirectory("service-fresh")
        let revalidator = Revalidator(
            builder: SiteBuilder(environment: Fixture.environment(tenants: tenants, out: daemonOut)), compactionThreshold: 30, serviceSource: services
        )
        _ = try await revalidator.revalidate(tenant: "uji")
        for batch in 0..<15 {
            var changes: [ContentChange] = []
            for _ in 0..<random.int(1...3) {
                if random.chance(50) {
                    // An athlete registered, changed (statistics, featured) or gone.
                    let index = random.int(1...6)
                    athletes.removeAll { $0.meta.slug == "pemain-\(index)" }
                    if random.chance(80) { athletes.append(Self.athlete(index, &random)) }
                    services.set(athletes: athletes)
                    changes.append(ContentChange(entity: .athlete, slug: "pemain-\(index)"))
                } else {
                    // A tournament's results change, or a tournament appears or goes.
                    var tournaments = services.current.tournaments
                    let slug = random.pick(["liga-a", "liga-b", "liga-c"])
                    tournaments.removeAll { $0.meta.slug == slug }
                    if random.chance(80) { tournaments.append(Self.tournament(slug, &random, athletes: athletes)) }
                    services.set(tournaments: tournaments)
                    changes.append(ContentChange(entity: .tournament, slug: slug))
                }
            }
            _ = try await revalidator.revalidate(tenant: "uji", changes: changes)
            let content = try LocalContentSource(tenantsDirectory: tenants).load("uji", replacing: services.snapshots())
            let fresh = await Fixture.offPool { () throws(BuildFailure) in
                try SiteBuilder(environment: Fixture.environment(tenants: tenants, out: freshOut)).build(content: content)
            }
            _ = try fresh.get()
            let live = try Fixture.tree(currentLink: "\(daemonOut)/uji/current")
            let full = try Fixture.tree(currentLink: "\(freshOut)/uji/current")
            Fixture.expectEqual(live, full, "seed \(seed) batch \(batch) after \(changes)")
        }
    }
}
