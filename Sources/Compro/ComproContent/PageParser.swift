import ComproModel

/// Reads a page's front matter, including its typed `sections`.
struct PageParser {
    let yaml: YAMLObject

    func page(meta: ItemMetadata, body: String) throws(ContentError) -> Page {
        try yaml.checkKeys(["title", "order", "menu", "summary", "slug", "draft", "sections"])
        var sections: [Section] = []
        for entry in try yaml.objectList("sections") {
            sections.append(try section(entry))
        }
        return Page(
            meta: meta, title: try yaml.requiredString("title"), order: try yaml.int("order", default: 100, range: -10_000...10_000),
            menu: try yaml.bool("menu", default: true), summary: try yaml.string("summary", default: ""),
            sections: sections, body: body
        )
    }

    private func section(_ s: YAMLObject) throws(ContentError) -> Section {
        try Section.decode(s)
    }
}
