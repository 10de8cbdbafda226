import Foundation
import Mustache

/// The server-rendered pages of `app.koni.id/auth/`: the login form, its errors, and the pages
/// shown after logout or when a link is not valid. Indonesian, readable without JavaScript or
/// CSS, labels on every field, the error announced to screen readers (`role="alert"`) and
/// linked to the fields it concerns.
///
/// Mustache escapes every value (`{{…}}`), so nothing a request carries (state, e-mail,
/// branch names) can become markup.
enum LoginPage {
    /// What the login form shows.
    struct Form: Sendable {
        var branchName: String?
        var branchDomain: String?
        var email = ""
        var error: String?
        var redirectURI = ""
        var state = ""
        var codeChallenge = ""
        var csrf: String
    }

    static let layout = """
        <!doctype html>
        <html lang="id">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{title}} · Akun KONI</title>
        <link rel="stylesheet" href="/auth/assets/auth.css">
        </head>
        <body>
        <main class="card">
        <p class="brand">Akun KONI</p>
        {{{content}}}
        </main>
        </body>
        </html>
        """

    static let formTemplate = """
        <h1>Masuk</h1>
        {{#branchName}}<p class="lead">untuk melanjutkan ke <strong>{{branchName}}</strong> ({{branchDomain}})</p>{{/branchName}}
        {{#error}}<div class="error" role="alert" id="login-error"><p>{{error}}</p></div>{{/error}}
        <form method="post" action="/auth/login" novalidate>
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="redirect_uri" value="{{redirectURI}}">
        <input type="hidden" name="state" value="{{state}}">
        <input type="hidden" name="code_challenge" value="{{codeChallenge}}">
        <input type="hidden" name="code_challenge_method" value="S256">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}"{{#error}} aria-invalid="true" aria-describedby="login-error"{{/error}}>
        <label for="password">Kata sandi</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required{{#error}} aria-invalid="true" aria-describedby="login-error"{{/error}}>
        <button type="submit">Masuk</button>
        </form>
        <p class="note">Satu akun KONI untuk semua situs cabang. Halaman masuk selalu berada di <strong>app.koni.id</strong>.</p>
        """

    static let messageTemplate = """
        <h1>{{heading}}</h1>
        <p{{#alert}} role="alert"{{/alert}}>{{message}}</p>
        """

    static let stylesheet = """
        :root{color-scheme:light dark;--accent:#b3141c;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f4f5;color:#18181b}
        .card{background:#fff;max-width:24rem;width:calc(100% - 2rem);padding:2rem;border-radius:.75rem;box-shadow:0 1px 3px #0002}
        .brand{font-weight:700;color:var(--accent);margin:0 0 1rem}
        h1{font-size:1.5rem;margin:0 0 .5rem}
        .lead,.note{color:#52525b}
        label{display:block;font-weight:600;margin:1rem 0 .25rem}
        input{box-sizing:border-box;width:100%;font:inherit;padding:.6rem .75rem;border:1px solid #a1a1aa;border-radius:.5rem}
        input:focus-visible,button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
        button{margin-top:1.5rem;width:100%;font:inherit;font-weight:600;padding:.7rem;border:0;border-radius:.5rem;background:var(--accent);color:#fff;cursor:pointer}
        .error{border-left:4px solid var(--accent);background:#fef2f2;padding:.25rem 1rem;margin:1rem 0}
        @media (prefers-color-scheme:dark){body{background:#18181b;color:#f4f4f5}.card{background:#27272a}.lead,.note{color:#d4d4d8}.error{background:#450a0a}}
        """

    private static let templates: (layout: MustacheTemplate, form: MustacheTemplate, message: MustacheTemplate)? = {
        guard let layout = try? MustacheTemplate(string: layout), let form = try? MustacheTemplate(string: formTemplate),
            let message = try? MustacheTemplate(string: messageTemplate)
        else { return nil }
        return (layout, form, message)
    }()

    /// The templates are constants of this file; a test renders each, so nil here is a bug caught before release.
    static func render(_ form: Form) -> String {
        guard let templates else { return "template error" }
        var values: [String: Any] = [
            "email": form.email, "redirectURI": form.redirectURI, "state": form.state, "codeChallenge": form.codeChallenge, "csrf": form.csrf,
        ]
        // Absent keys, not nil values: a section over an Optional would be taken as present.
        if let name = form.branchName { values["branchName"] = name }
        if let domain = form.branchDomain { values["branchDomain"] = domain }
        if let error = form.error { values["error"] = error }
        let content = templates.form.render(values)
        return templates.layout.render(["title": "Masuk", "content": content] as [String: Any])
    }

    static func message(title: String, heading: String, message: String, alert: Bool = false) -> String {
        guard let templates else { return "template error" }
        let content = templates.message.render(["heading": heading, "message": message, "alert": alert] as [String: Any])
        return templates.layout.render(["title": title, "content": content] as [String: Any])
    }
}
