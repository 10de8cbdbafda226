/// The theme editor's page and its script. Without the script the editor works with its
/// "Pratinjau" button (a form post that renders the page again); with it, the preview and the
/// contrast report follow every keystroke, and each colour gets a picker.
extension AdminPages {
    static let themeEditor = """
        <h1>Tema situs</h1>
        {{#conflict}}<div class="error" role="alert"><p>Tema sudah diubah orang lain sejak Anda membukanya. Perubahan Anda <strong>belum disimpan</strong>; simpan lagi untuk menimpanya.</p></div>{{/conflict}}
        {{#error}}<div class="error" role="alert"><p>Belum tersimpan: periksa isian yang ditandai.</p></div>{{/error}}
        <div class="theme-editor">
        <form method="post" action="/admin/tema/" id="theme-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="version" value="{{version}}">
        <label for="preset">Tema dasar</label>
        <select id="preset" name="preset"{{#presetError}} aria-invalid="true" aria-describedby="preset-error"{{/presetError}}>{{#presets}}<option value="{{presetName}}"{{#presetSelected}} selected{{/presetSelected}}>{{presetLabel}}</option>{{/presets}}</select>
        {{#presetError}}<p class="field-error" id="preset-error">{{presetError}}</p>{{/presetError}}
        <p class="help">Kosongkan isian untuk memakai nilai tema dasar (tertulis samar di dalam isian).</p>
        {{#properties}}
        <label for="{{fieldName}}">{{fieldLabel}}</label>
        <input id="{{fieldName}}" name="{{fieldName}}" type="text" value="{{fieldValue}}" placeholder="{{fieldPlaceholder}}" maxlength="300"{{#isColor}} data-color="1" pattern="#([0-9a-fA-F]{3}){1,2}"{{/isColor}}{{#fieldError}} aria-invalid="true" aria-describedby="{{fieldName}}-error"{{/fieldError}}>
        {{#fieldError}}<p class="field-error" id="{{fieldName}}-error">{{fieldError}}</p>{{/fieldError}}
        {{/properties}}
        <p><button type="submit" formaction="/admin/tema/pratinjau" class="secondary">Pratinjau</button> <button type="submit">Simpan tema</button></p>
        </form>
        <section aria-labelledby="preview-heading" class="theme-preview">
        <h2 id="preview-heading">Pratinjau</h2>
        {{#hasPages}}<p><label for="preview-page">Halaman</label>
        <select id="preview-page">{{#pages}}<option value="{{previewURL}}" data-path="{{pagePath}}">{{pageLabel}}</option>{{/pages}}</select></p>
        <iframe id="preview" title="Pratinjau halaman situs dengan tema ini" src="{{previewURL}}"></iframe>{{/hasPages}}
        {{^hasPages}}<p>Situs cabang ini belum diterbitkan; pratinjau tampil setelah terbit pertama.</p>{{/hasPages}}
        <h2 id="contrast-heading">Kontras warna (WCAG AA, minimal 4.5:1)</h2>
        {{#contrastWarning}}<p class="error" role="alert" id="contrast-warning">Ada pasangan warna yang sulit dibaca: perbaiki sebelum menyimpan.</p>{{/contrastWarning}}
        <table aria-labelledby="contrast-heading"><thead><tr><th scope="col">Teks</th><th scope="col">Latar</th><th scope="col">Rasio</th><th scope="col">Hasil</th></tr></thead>
        <tbody id="contrast-report">{{#reports}}<tr><td>{{pairText}}</td><td>{{pairBackground}}</td><td>{{ratio}}</td><td>{{#passes}}Lulus{{/passes}}{{^passes}}<strong>Gagal</strong>{{/passes}}</td></tr>{{/reports}}
        {{^hasReport}}<tr><td colspan="4">Perbaiki isian yang ditandai untuk melihat laporan.</td></tr>{{/hasReport}}</tbody></table>
        </section>
        </div>
        <script src="/admin/assets/theme-editor.js" defer></script>
        """

    /// Live preview: rebuilds the preview's URL from the form on every change (debounced),
    /// reloads the contrast report, and pairs every colour field with a native picker.
    static let themeScript = """
        (function () {
          "use strict";
          var form = document.getElementById("theme-form");
          var frame = document.getElementById("preview");
          var pages = document.getElementById("preview-page");
          var report = document.getElementById("contrast-report");
          if (!form) { return; }
          function query() {
            var parts = [];
            Array.prototype.forEach.call(form.elements, function (field) {
              if (!field.name || field.name === "csrf" || field.name === "version" || field.value === "") { return; }
              parts.push(encodeURIComponent(field.name) + "=" + encodeURIComponent(field.value));
            });
            return parts.join("&");
          }
          function cell(text, strong) {
            var td = document.createElement("td");
            if (strong) { var b = document.createElement("strong"); b.textContent = text; td.appendChild(b); } else { td.textContent = text; }
            return td;
          }
          var timer = null;
          function refresh() {
            var q = query();
            if (frame && pages) {
              var path = pages.options[pages.selectedIndex].getAttribute("data-path");
              frame.src = "/admin/tema/pratinjau.html?halaman=" + encodeURIComponent(path) + "&" + q;
            }
            fetch("/admin/tema/kontras?" + q, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
              while (report.firstChild) { report.removeChild(report.firstChild); }
              (data.reports || []).forEach(function (row) {
                var tr = document.createElement("tr");
                tr.appendChild(cell(row.pairText)); tr.appendChild(cell(row.pairBackground)); tr.appendChild(cell(row.ratio));
                tr.appendChild(cell(row.passes ? "Lulus" : "Gagal", !row.passes));
                report.appendChild(tr);
              });
              if (!(data.reports || []).length) {
                var tr = document.createElement("tr"); var td = cell("Perbaiki isian yang ditandai untuk melihat laporan."); td.colSpan = 4;
                tr.appendChild(td); report.appendChild(tr);
              }
            }).catch(function () {});
          }
          function later() { clearTimeout(timer); timer = setTimeout(refresh, 200); }
          form.addEventListener("input", later);
          form.addEventListener("change", later);
          if (pages) { pages.addEventListener("change", refresh); }
          Array.prototype.forEach.call(form.querySelectorAll("input[data-color]"), function (field) {
            var picker = document.createElement("input");
            picker.type = "color";
            picker.className = "picker";
            picker.setAttribute("aria-label", "Pilih " + (field.labels && field.labels[0] ? field.labels[0].textContent : "warna"));
            var start = field.value || field.placeholder;
            if (/^#[0-9a-fA-F]{6}$/.test(start)) { picker.value = start; }
            picker.addEventListener("input", function () { field.value = picker.value; later(); });
            field.addEventListener("input", function () { if (/^#[0-9a-fA-F]{6}$/.test(field.value)) { picker.value = field.value; } });
            field.parentNode.insertBefore(picker, field.nextSibling);
          });
        })();
        """
}

extension AdminPages {
    /// Every admin page: the Markdown preview follows the text as the admin types (it presses the
    /// field's *Pratinjau isi* button, which posts the form into the frame under the field).
    static let editorScript = """
        (function () {
          "use strict";
          Array.prototype.forEach.call(document.querySelectorAll("button.preview-button"), function (button) {
            var field = button.form && button.form.elements[button.getAttribute("formtarget").replace("pratinjau-", "")];
            if (!field) { return; }
            var timer = null;
            field.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { button.click(); }, 400); });
            if (field.value) { button.click(); }
          });
        })();
        """
}
