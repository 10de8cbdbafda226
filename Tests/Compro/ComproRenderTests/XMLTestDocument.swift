import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML document (libxml2 through FoundationXML): parsing fails on anything not
/// well-formed, which is the first thing a feed reader or a search engine checks.
struct XMLTestDocument {
    let document: XMLDocument

    init(_ text: String) throws {
        document = try XMLDocument(xmlString: text, options: [])
    }

    var root: String? { document.rootElement()?.name }

    func texts(of element: String) -> [String] {
        ((try? document.nodes(forXPath: "//*[local-name()='\(element)']")) ?? []).compactMap(\.stringValue)
    }
}
