import ArgumentParser
import ComproBuild
import ComproContent
import ComproServiceSource
import ComproModel
import ComproPublish
import ComproRevalidate
import Foundation
import Synchronization

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Render tenants' sites and publish each as a new release.",
        discussion: """
            Each tenant is published to <out>/<slug>/releases/<id>/ and <out>/<slug>/current is switched to \
            it with rename(2). A tenant whose content has errors is reported as file:line: reason and its \
            live release is left as it was; with --all the other tenants are still published. The exit \
            status is 1 when any tenant failed.
            """
    )

    @Argument(help: "Tenant slugs to build (e.g. jatim jabar).")
    var slugs: [String] = []

    @Flag(name: .long, help: "Build every tenant under --tenants.")
    var all = false

    @OptionGroup var location: SiteLocationOptions

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out = "public"

    @Option(name: .long, help: ArgumentHelp("Releases to keep per tenant for rollback.", valueName: "n"))
    var keep = 5

    @Option(
        name: .long,
        help: ArgumentHelp("Render as if it were this moment (2026-11-24 or RFC 3339); default now, or $KONI_NOW.", valueName: "time")
    )
    var now: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Take content, settings and theme from this CMS (e.g. http://127.0.0.1:8003) instead of the tenant folder; static/ and templates/ still come from the folder when it exists. Tenants whose tenant.yml says 'source: cms' use their cms.url without this option.",
            valueName: "url"
        )
    )
    var cms: String?

    @Flag(
        name: .long,
        help: ArgumentHelp(
            "Number the news archive afresh (every archive page full again, oldest first) instead of keeping the live release's archive pages, so that /berita/page/N/ may then show other items."
        )
    )
    var renumberArchive = false

    func validate() throws {
        if all == !slugs.isEmpty { throw ValidationError("Name tenant slugs or pass --all (not both).") }
        if keep < 1 { throw ValidationError("--keep must be at least 1.") }
    }

    func run() async throws {
        var environment = BuildEnvironment(
            tenantsDirectory: location.tenants, templatesDirectory: location.templates, themesDirectory: location.themes,
            outputDirectory: out, now: try parseNow(now), keepReleases: keep
        )
        environment.renumberArchive = renumberArchive
        let builder = SiteBuilder(environment: environment)
        let slugs: [String]
        if all {
            do { slugs = try builder.source.tenantSlugs() } catch {
                throw ValidationError("Cannot list tenants in \(location.tenants): \(error.localizedDescription)")
            }
            if slugs.isEmpty { throw ValidationError("No tenants (folders with tenant.yml) in \(location.tenants).") }
        } else {
            slugs = self.slugs
        }
        let progress = SharedProgress(Progress(total: slugs.count))
        let clock = ContinuousClock()
        let start = clock.now
        // Tenants are built side by side, two at a time (one per core): most of a small tenant's
        // build is serial (loading, folders, manifest, the swap), so a second tenant fills the
        // other core. A tenant's own pages still spread over the cores when one is free.
        let outcomes = await withTaskGroup(of: (Int, Result<BuildReport, BuildFailure>).self) { group in
            var results = [Result<BuildReport, BuildFailure>?](repeating: nil, count: slugs.count)
            var next = 0
            func launch() {
                guard next < slugs.count else { return }
                let index = next
                let slug = slugs[index]
                next += 1
                group.addTask {
                    progress.with { $0.starting(slug) }
                    do throws(BuildFailure) {
                        let report = try await build(slug, builder: builder)
                        progress.with { $0.finished(report) }
                        return (index, .success(report))
                    } catch {
                        progress.with { $0.failed(slug, error.description) }
                        return (index, .failure(error))
                    }
                }
            }
            launch()
            launch()
            for await (index, result) in group {
                results[index] = result
                launch()
            }
            return results.compactMap { $0 }
        }
        var reports: [BuildReport] = []
        var failures: [(String, String)] = []
        for (slug, outcome) in zip(slugs, outcomes) {
            switch outcome {
            case .success(let report): reports.append(report)
            case .failure(let error): failures.append((slug, error.description))
            }
        }
        progress.with { $0.summary(reports: reports, failures: failures, seconds: (clock.now - start).seconds) }
        if !failures.isEmpty { throw ExitCode(1) }
    }
}

extension BuildCommand {
    /// Builds one tenant from the folder or, with `--cms` or a `source:` in `tenant.yml`, from
    /// the source it names.
    func build(_ slug: String, builder: SiteBuilder) async throws(BuildFailure) -> BuildReport {
        var remote: ResolvedContentSource?
        // The source `tenant.yml` names, which a daemon will read the tenant from.
        var named: ResolvedContentSource?
        var services: [(kind: ContentKind, url: String)] = []
        var timeZone = SiteTimeZone.jakarta
        do throws(ContentErrors) {
            if let cms { remote = try ContentSources.carried.source(.cms, at: cms, for: slug) }
            if FileManager.default.fileExists(atPath: "\(builder.source.tenantDirectory(slug))/tenant.yml") {
                let config = try builder.source.loadConfig(slug)
                if remote == nil {
                    remote = try ContentSources.carried.resolve(config)
                    named = remote
                } else {
                    // `--cms` wins; what `tenant.yml` names only decides whether the cursor is kept.
                    named = try? ContentSources.carried.resolve(config)
                }
                services = config.serviceSources
                timeZone = config.timeZone
            }
        } catch {
            throw .content(error)
        }
        let clock = ContinuousClock()
        let start = clock.now
        // Tournaments or athletes a KONI service keeps come from its export, not from the folder.
        var snapshots: [ItemSnapshot] = []
        for (kind, url) in services {
            do { snapshots.append(try await ServiceSource().snapshot(of: kind, tenant: slug, from: url, timeZone: timeZone)) } catch { throw .content(error) }
        }
        guard let remote else {
            guard !snapshots.isEmpty else { return try builder.build(slug: slug) }
            var content: SiteContent
            do { content = try builder.source.load(slug, replacing: snapshots) } catch { throw .content(error) }
            var report = try builder.build(content: content)
            report.totalSeconds = (clock.now - start).seconds
            return report
        }
        var loaded: SourcedContent
        do { loaded = try await remote.load(slug, tenantsDirectory: builder.environment.tenantsDirectory) } catch { throw .content(error) }
        for snapshot in snapshots { snapshot.apply(to: &loaded.content) }
        do throws(ContentErrors) { try SiteAssembler.checkReferences(loaded.content) } catch { throw .content(error) }
        var report = try builder.build(content: loaded.content)
        // The cursor beside the release: a daemon started next reads nothing until an event comes,
        // instead of the whole export again. Not storing it costs that one read, not the build.
        // Only a cursor of the source the daemon will read counts: one of another CMS (`--cms`)
        // could equal it and hide that the live site is not that source's content.
        if let cursor = loaded.cursor, named?.identity == remote.identity {
            do throws(PublishError) {
                try SourceCursorFile.store(cursor, origin: loaded.origin, release: report.release, tenant: slug, publisher: builder.publisher)
            } catch {
                report.warnings.append(
                    "the \(remote.kind.rawValue) cursor was not stored beside the release (\(error)); a daemon will read the source's export once")
            }
        }
        report.totalSeconds = (clock.now - start).seconds
        return report
    }
}

/// `--now` / `$KONI_NOW`, so that builds can be reproduced exactly (tests, benchmarks).
func parseNow(_ text: String?) throws -> SiteDate {
    guard let text = text ?? ProcessInfo.processInfo.environment["KONI_NOW"], !text.isEmpty else { return .now() }
    guard let date = SiteDate.parse(text, defaultOffsetSeconds: 0) else {
        throw ValidationError("'\(text)' is not a date; use 2026-11-24 or 2026-11-24T09:30:00+07:00")
    }
    return date
}

/// The progress display shared by the tenants being built at the same time; one writer at a time.
final class SharedProgress: Sendable {
    private let progress: Mutex<Progress>

    init(_ progress: sending Progress) { self.progress = Mutex(progress) }

    func with(_ body: (Progress) -> Void) { progress.withLock { body($0) } }
}
