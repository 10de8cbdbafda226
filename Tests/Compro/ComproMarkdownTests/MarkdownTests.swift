import ComproMarkdown
import ComproModel
import Foundation
import Testing

@Suite struct MarkdownTests {
    let markdown = MarkdownRenderer()

    @Test func rendersGitHubFlavouredMarkdown() {
        let html = markdown.html(from: "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~lama~~ https://koni.id\n\n- [x] selesai\n")
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>lama</del>"))
        #expect(html.contains("<a href=\"https://koni.id\">"))
        #expect(html.contains("checked=\"\""))
    }

    @Test func rawHTMLIsNotPassedThrough() {
        let html = markdown.html(from: "Halo <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n<iframe src=x></iframe>")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("<iframe"))
    }

    @Test func scriptAndDataLinksAreDropped() {
        let html = markdown.html(from: "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) ![c](data:image/png;base64,AAAA) [d](data:text/html,x) [e](/profil/)")
        #expect(!html.lowercased().contains("javascript:"))
        #expect(!html.contains("data:"))
        #expect(html.contains("href=\"/profil/\""))
    }
}
