/// The sections of a page under its form: each with edit, move up, move down and remove
/// (small forms, so that it works without JavaScript), and a type picker to add one.
extension AdminPages {
    static let sectionsPanel = """
        <section id="bagian" aria-labelledby="bagian-heading" class="sections">
        <h2 id="bagian-heading">Bagian halaman</h2>
        {{^hasSections}}<p>Halaman ini belum punya bagian; isinya tampil sebagai satu teks.</p>{{/hasSections}}
        <ol>
        {{#sections}}<li><span class="section-type">{{sectionLabel}}</span> <span class="section-title">{{sectionTitle}}</span>
        <span class="section-actions">{{#editable}}<a href="/admin/halaman/{{pageID}}/bagian/{{index}}/">Ubah</a>{{/editable}}
        <form method="post" action="/admin/halaman/{{pageID}}/bagian/{{index}}/naik"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button type="submit" class="small"{{#first}} disabled{{/first}}>Naik<span class="visually-hidden">: {{sectionLabel}} {{sectionTitle}}</span></button></form>
        <form method="post" action="/admin/halaman/{{pageID}}/bagian/{{index}}/turun"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button type="submit" class="small"{{#last}} disabled{{/last}}>Turun<span class="visually-hidden">: {{sectionLabel}} {{sectionTitle}}</span></button></form>
        <form method="post" action="/admin/halaman/{{pageID}}/bagian/{{index}}/hapus"><input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="version" value="{{version}}"><button type="submit" class="small danger">Hapus<span class="visually-hidden">: {{sectionLabel}} {{sectionTitle}}</span></button></form></span>
        </li>
        {{/sections}}
        </ol>
        <form method="get" action="/admin/halaman/{{pageID}}/bagian/baru" class="add-section"><label for="jenis">Tambah bagian</label>
        <select id="jenis" name="jenis">{{#types}}<option value="{{typeName}}">{{typeLabel}}</option>{{/types}}</select> <button type="submit">Tambah</button></form>
        </section>
        """
}
