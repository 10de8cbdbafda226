import ComproModel
import ComproRender

/// The live site's plan: its outputs by release path and in plan order, the stylesheets' paths
/// then (they are named by their content, not by the plan) and the archive page counts it was made
/// for. Kept and given up as one, so that its parts always describe the same plan.
struct LivePlan {
    var paths: [String: OutputSpec]
    /// To compare the next plan with (``PlanDifference``).
    var order: [OutputSpec]
    var stylesheets: [String]
    var pageCounts: ArchivePageCounts
}

/// The plan a regeneration renders against, and how it differs from the live one.
struct PlanChoice {
    var paths: [String: OutputSpec]
    var order: [OutputSpec]
    /// Paths the plan gained and lost, when only those were compared (nil: compare all).
    var difference: (added: [String], dropped: [String])?
    /// Whether the plan is not the live one (a kept plan keeps the paths it was made with).
    var changed: Bool
}

extension LiveSite {
    /// The live plan when no item appeared or disappeared and every archive keeps its pages;
    /// else the live plan changed in place section by section (``PlanDifference``) when the two
    /// line up; else a new plan.
    func choosePlan(_ renderer: SiteRenderer, selection: QuerySelection?, stylesheets: [String], fullRebuild: Bool) -> PlanChoice {
        let pageCounts = renderer.index.archivePageCounts
        if let live = livePlan, let selection, selection.planKept, !fullRebuild, pageCounts == live.pageCounts,
            renderer.index.archive == manifest.archive
        {
            return PlanChoice(paths: live.paths, order: live.order, changed: false)
        }
        if var live = livePlan, !fullRebuild, live.paths.count == live.order.count, live.stylesheets == stylesheets,
            let difference = PlanDifference(old: live.order, new: renderer.index.plan())
        {
            // Changed in place: the live plan is given up first, so its table is not copied (a
            // failed publish leaves none, and the next change builds it again).
            livePlan = nil
            let dropped = difference.dropped.map(renderer.filePath(of:))
            let added = difference.added.map { (renderer.filePath(of: $0), $0) }
            for path in dropped { live.paths[path] = nil }
            for (path, spec) in added where live.paths[path] == nil { live.paths[path] = spec }
            return PlanChoice(paths: live.paths, order: renderer.index.plan(), difference: (added.map(\.0), dropped), changed: true)
        }
        let order = renderer.index.plan()
        let paths = Dictionary(order.map { (renderer.filePath(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
        return PlanChoice(paths: paths, order: order, changed: true)
    }
}
