import Foundation
import Mustache

/// The admin's server-rendered pages: Indonesian, usable without JavaScript and on a phone, every
/// value escaped by Mustache, errors beside their field and announced (`role="alert"`).
enum AdminPages {
    static let layout = """
        <!doctype html>
        <html lang="id">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}} · Admin {{branch}}</title>
        <link rel="stylesheet" href="/admin/assets/admin.css">
        </head>
        <body>
        <header class="bar"><a class="brand" href="/admin/">Admin {{branch}}</a>
        <nav aria-label="Menu admin"><a href="/admin/">Dasbor</a> <a href="/admin/berita/">Berita</a> <a href="/admin/agenda/">Agenda</a> <a href="/admin/galeri/">Galeri</a> <a href="/admin/atlet/">Atlet</a> <a href="/admin/halaman/">Halaman</a> <a href="/admin/tema/">Tema</a> <a href="/admin/pengaturan/">Pengaturan</a></nav>
        <form method="post" action="/admin/keluar" class="logout"><input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Keluar ({{email}})</button></form>
        </header>
        <main>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{{content}}}
        </main>
        <script src="/admin/assets/admin.js" defer></script>
        </body>
        </html>
        """

    static let dashboard = """
        <h1>Dasbor</h1>
        <p>Anda masuk sebagai <strong id="who">{{email}}</strong> untuk <strong>{{branch}}</strong>.</p>
        <p id="live">{{#live}}Situs terbit terakhir: <strong>{{live}}</strong>.{{/live}}{{^live}}Situs belum terbit di server ini.{{/live}}</p>
        <p><a class="button" href="/admin/berita/baru">Tulis berita</a> <a class="button" href="/admin/agenda/baru">Tambah agenda</a></p>
        <h2>Perubahan terakhir di situs</h2>
        <ul id="changes">{{#changes}}<li><span class="section-type">{{changeKind}}</span> {{#changeURL}}<a href="{{changeURL}}">{{changeTitle}}</a>{{/changeURL}}{{^changeURL}}{{changeTitle}}{{/changeURL}}{{#changeDeleted}} (dihapus atau ditarik){{/changeDeleted}}</li>
        {{/changes}}{{^changes}}<li>Belum ada perubahan.</li>{{/changes}}</ul>
        <h2>Draf</h2>
        <ul id="drafts">{{#drafts}}<li><span class="section-type">{{itemKind}}</span> <a href="/admin/{{path}}/{{itemID}}/">{{itemTitle}}</a></li>
        {{/drafts}}{{^drafts}}<li>Tidak ada draf.</li>{{/drafts}}</ul>
        {{#hasBranches}}<h2>Cabang lain</h2>
        <p>Sebagai admin KONI Pusat Anda dapat mengelola cabang lain di alamat masing-masing (masuk otomatis).</p>
        <ul>{{#branches}}<li><a href="{{branchURL}}">{{branchName}}</a></li>{{/branches}}</ul>{{/hasBranches}}
        """

    static let itemTable = """
        <table>
        <thead><tr><th scope="col">Judul</th><th scope="col">Tanggal</th><th scope="col">Status</th></tr></thead>
        <tbody>
        {{#items}}<tr><td><a href="/admin/{{path}}/{{itemID}}/">{{itemTitle}}</a></td><td>{{itemDate}}</td><td>{{#itemPublished}}Terbit{{/itemPublished}}{{^itemPublished}}Draf{{/itemPublished}}</td></tr>
        {{/items}}{{^items}}<tr><td colspan="3">Belum ada isi.</td></tr>{{/items}}
        </tbody>
        </table>
        """

    static let itemList = """
        <h1>{{heading}}</h1>
        <p><a class="button" href="/admin/{{path}}/baru">Tambah</a></p>
        <form method="get" action="/admin/{{path}}/" role="search"><label for="cari">Cari judul atau alamat</label>
        <input id="cari" name="cari" type="search" value="{{query}}" maxlength="100"> <button type="submit">Cari</button></form>
        {{> itemTable}}
        <nav aria-label="Halaman">{{#newer}}<a href="/admin/{{path}}/?halaman={{newer}}{{queryParameter}}">Lebih baru</a>{{/newer}} {{#older}}<a href="/admin/{{path}}/?halaman={{older}}{{queryParameter}}">Lebih lama</a>{{/older}}</nav>
        """

    /// Inside `{{#fields}}` every key is the field's own (`fieldError`, `fieldHelp`): Mustache
    /// would otherwise find the page's `error` and mark every field.
    static let itemForm = """
        <h1>{{heading}}</h1>
        {{#conflict}}<div class="error" role="alert"><p>Isi ini sudah diubah orang lain sejak Anda membukanya. Perubahan Anda <strong>belum disimpan</strong>.</p>
        <p>Versi tersimpan sekarang berjudul “{{currentTitle}}”. Periksa isian di bawah (isian Anda), lalu simpan lagi untuk menimpanya.</p>
        {{#hasDifferences}}<p>Yang berbeda dari isian Anda:</p><dl class="differences">{{#differences}}<dt>{{differenceLabel}}</dt><dd>tersimpan: “{{differenceSaved}}”</dd>{{/differences}}</dl>{{/hasDifferences}}</div>{{/conflict}}
        {{#error}}<div class="error" role="alert"><p>Belum tersimpan: periksa isian yang ditandai.</p></div>{{/error}}
        <form method="post" action="{{action}}">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        {{#fields}}
        {{#isCheckbox}}<label class="check"><input type="checkbox" id="{{fieldName}}" name="{{fieldName}}" value="1"{{#fieldChecked}} checked{{/fieldChecked}}> {{fieldLabel}}</label>{{/isCheckbox}}
        {{^isCheckbox}}<label for="{{fieldName}}">{{fieldLabel}}</label>
        {{#isMarkdown}}<textarea id="{{fieldName}}" name="{{fieldName}}" rows="{{fieldRows}}"{{#fieldError}} aria-invalid="true" aria-describedby="{{fieldName}}-error"{{/fieldError}}>{{fieldValue}}</textarea>{{/isMarkdown}}
        {{#isRichText}}<button type="submit" class="secondary small preview-button" formaction="/admin/pratinjau-isi?bidang={{fieldName}}" formtarget="pratinjau-{{fieldName}}" formnovalidate>Pratinjau isi</button>
        <iframe name="pratinjau-{{fieldName}}" id="pratinjau-{{fieldName}}" class="markdown-preview" title="Pratinjau {{fieldLabel}}"></iframe>{{/isRichText}}
        {{^isMarkdown}}<input id="{{fieldName}}" name="{{fieldName}}" type="{{fieldType}}" value="{{fieldValue}}"{{#fieldRequired}} required{{/fieldRequired}}{{#fieldError}} aria-invalid="true" aria-describedby="{{fieldName}}-error"{{/fieldError}}>{{/isMarkdown}}
        {{#fieldHelp}}<p class="help">{{fieldHelp}}</p>{{/fieldHelp}}
        {{#fieldError}}<p class="field-error" id="{{fieldName}}-error">{{fieldError}}{{#fieldErrorDetail}} <span class="detail" lang="en">({{fieldErrorDetail}})</span>{{/fieldErrorDetail}}</p>{{/fieldError}}{{/isCheckbox}}
        {{/fields}}
        {{#publishable}}<label class="check"><input type="checkbox" name="published" value="1"{{#published}} checked{{/published}}> Terbitkan</label>{{/publishable}}
        <button type="submit">Simpan</button>
        </form>
        {{#deleteURL}}<p><a href="{{deleteURL}}">Hapus…</a></p>{{/deleteURL}}
        {{{after}}}
        """

    static let confirmDelete = """
        <h1>Hapus {{noun}}?</h1>
        <p>“{{itemTitle}}” akan dihapus dari situs. Tindakan ini tidak dapat dibatalkan.</p>
        <form method="post" action="/admin/{{path}}/{{itemID}}/hapus">
        <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}">
        <button type="submit" class="danger">Ya, hapus</button> <a href="/admin/{{path}}/{{itemID}}/">Batal</a>
        </form>
        """

    static let message = """
        <!doctype html>
        <html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{heading}}</title><link rel="stylesheet" href="/admin/assets/admin.css"></head>
        <body><main><h1>{{heading}}</h1><p role="alert">{{message}}</p>{{#link}}<p><a href="{{link}}">{{linkText}}</a></p>{{/link}}</main></body></html>
        """

    static let stylesheet = """
        :root{--accent:#b3141c;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color-scheme:light}
        body{margin:0;background:#f4f4f5;color:#18181b}
        .bar{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;background:#fff;padding:.75rem 1rem;border-bottom:1px solid #e4e4e7}
        .brand{font-weight:700;color:var(--accent);text-decoration:none}
        nav a{margin-right:.75rem}
        .logout{margin-left:auto}
        main{max-width:48rem;margin:0 auto;padding:1rem}
        label{display:block;font-weight:600;margin:1rem 0 .25rem}
        input,textarea{box-sizing:border-box;width:100%;font:inherit;padding:.5rem .6rem;border:1px solid #a1a1aa;border-radius:.4rem}
        .check{display:flex;gap:.5rem;align-items:center}.check input{width:auto}
        button,.button{display:inline-block;font:inherit;font-weight:600;padding:.55rem 1rem;border:0;border-radius:.4rem;background:var(--accent);color:#fff;text-decoration:none;cursor:pointer;margin-top:1rem}
        .logout button{margin:0;background:#52525b}
        .danger{background:#7f1d1d}
        table{width:100%;border-collapse:collapse;background:#fff}th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e4e4e7}
        .error{border-left:4px solid var(--accent);background:#fef2f2;padding:.25rem 1rem}
        .field-error{color:#991b1b;margin:.25rem 0}
        .differences dt{font-weight:600}.differences dd{margin:0 0 .5rem 1rem;overflow-wrap:anywhere}
        .field-error .detail{color:#52525b;font-size:.85rem}
        .help{color:#52525b;margin:.25rem 0;font-size:.9rem}
        .notice{background:#ecfdf5;border-left:4px solid #047857;padding:.5rem 1rem}
        :focus-visible{outline:3px solid #2563eb;outline-offset:2px}
        .preview-button{margin-top:.5rem}
        .markdown-preview{display:block;width:100%;height:16rem;margin-top:.5rem;border:1px dashed #a1a1aa;border-radius:.4rem;background:#fff}
        .preview-body{margin:0;padding:.5rem 1rem;background:#fff;line-height:1.6}.preview-body img{max-width:100%}
        .sections ol{padding-left:1.5rem}.sections li{padding:.5rem 0;border-bottom:1px solid #e4e4e7}
        .section-type{font-weight:600}.section-actions{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-top:.25rem}
        .section-actions form{display:inline}.small{margin:0;padding:.3rem .7rem;font-size:.9rem}
        button:disabled{background:#a1a1aa;cursor:not-allowed}
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
        select{font:inherit;padding:.45rem;border:1px solid #a1a1aa;border-radius:.4rem;max-width:100%}
        .secondary{background:#3f3f46}
        .picker{display:block;width:3rem;height:2rem;padding:0;margin-top:.25rem}
        .theme-preview iframe{width:100%;height:36rem;border:1px solid #a1a1aa;border-radius:.4rem;background:#fff}
        @media (min-width:70rem){main:has(.theme-editor){max-width:90rem}.theme-editor{display:grid;grid-template-columns:22rem 1fr;gap:2rem}}
        """

    static let library: MustacheLibrary? = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("dashboard", dashboard), ("itemTable", itemTable), ("itemList", itemList), ("itemForm", itemForm),
            ("confirmDelete", confirmDelete), ("message", message), ("themeEditor", themeEditor), ("sectionsPanel", sectionsPanel),
        ] {
            guard let template = try? MustacheTemplate(string: text) else { return nil }
            library.register(template, named: name)
        }
        return library
    }()

    /// `content` rendered inside the layout. The templates are constants; a test renders each.
    static func page(_ name: String, title: String, branch: String, email: String, csrf: String, notice: String? = nil, values: [String: Any]) -> String {
        guard let library, let content = library.render(values, withTemplate: name) else { return "template error" }
        var layoutValues: [String: Any] = ["title": title, "branch": branch, "email": email, "csrf": csrf, "content": content]
        if let notice { layoutValues["notice"] = notice }
        return library.render(layoutValues, withTemplate: "layout") ?? "template error"
    }

    static func message(heading: String, message: String, link: String? = nil, linkText: String? = nil) -> String {
        var values: [String: Any] = ["heading": heading, "message": message]
        if let link { values["link"] = link; values["linkText"] = linkText ?? link }
        return library?.render(values, withTemplate: "message") ?? "template error"
    }
}
