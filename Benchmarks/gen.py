#!/usr/bin/env python3
"""Deterministic synthetic content for the koni-compro vs Hugo benchmarks.

One logical data set is written twice from the same random stream:
  * as a koni-compro tenant folder (docs/content-format.md), and
  * as an equivalent Hugo site (same Markdown bodies, front matter mapped to Hugo's),
    which uses the shared theme Benchmarks/hugo/themes/koni-bench (pass --themesDir).

It also returns/writes a manifest with the set of page paths the URL scheme implies
(`/`, `/<page>/`, `/berita/`, `/berita/page/N/`, `/berita/<slug>/`, `/agenda/…`, `/galeri/…`,
`/atlet/…`, `/tag/<tag>/`, `/tag/<tag>/page/N/`), so the runner can check that both generators
produced the same set of pages.

Python 3 standard library only.  Usage as a script (normally the runner calls it):
    python3 gen.py single --news 1000 --out DIR
    python3 gen.py many --tenants 500 --items 200 --out DIR
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import shutil
import sys
from datetime import datetime, timedelta

NEWS_PER_PAGE = 10
THEME_PRESET = "merah-putih"
DEFAULT_PRIMARY = "#b71c1c"
THEME_TEST_COLORS = ("#0b5394", "#1e7b34")  # the theme scenario alternates between these

# --------------------------------------------------------------------------- vocabulary

WORDS = """
dan yang di ke dari untuk dengan pada dalam oleh akan telah sudah masih juga karena agar
sehingga namun tetapi serta bahwa para ini itu tersebut setiap seluruh semua beberapa banyak
tahun bulan minggu hari pagi siang sore malam kegiatan pertandingan kejuaraan turnamen latihan
pelatih atlet pemain tim regu klub cabang olahraga pengurus ketua sekretaris bendahara anggota
daerah provinsi kabupaten kota kecamatan desa masyarakat pemuda pelajar mahasiswa sekolah
prestasi medali emas perak perunggu juara peringkat final semifinal perempat babak kualifikasi
seleksi pembinaan program anggaran dana bantuan fasilitas stadion gedung lapangan kolam arena
lintasan peralatan perlengkapan seragam sepatu bola raket jaring matras sasaran busur panah
kemenangan kekalahan hasil skor poin nilai waktu rekor nasional internasional regional
persiapan jadwal pelaksanaan pembukaan penutupan upacara penyerahan hadiah piala piagam
penghargaan apresiasi dukungan semangat kerja keras disiplin sportivitas kebersamaan
kesehatan kebugaran gizi cedera pemulihan fisik mental teknik taktik strategi evaluasi
pemerintah dinas pemuda olahraga pariwisata gubernur bupati wali kota wakil kepala bidang
rapat koordinasi musyawarah kerja tahunan laporan pertanggungjawaban rencana target sasaran
menyampaikan mengatakan menjelaskan menegaskan berharap meminta mengajak mendorong
meningkatkan mengembangkan memperkuat menyiapkan melaksanakan mengikuti meraih memenangkan
mempertahankan menghadapi mengirimkan menerima memberikan membuka menutup mengumumkan
baru besar kecil tinggi muda senior junior putra putri ganda tunggal beregu campuran
terbaik utama penting khusus umum resmi terbuka tertutup lokal nasional berikutnya
sebelumnya mendatang terakhir pertama kedua ketiga keempat kelima terus selalu kembali
bersama sekitar hampir lebih kurang sangat cukup tidak belum pernah sedang segera
""".split()

SPORTS = ["Sepak Bola", "Bulu Tangkis", "Atletik", "Renang", "Pencak Silat", "Bola Voli",
          "Bola Basket", "Tinju", "Angkat Besi", "Panahan", "Karate", "Taekwondo", "Catur",
          "Balap Sepeda", "Dayung", "Senam"]
# 20-tag vocabulary: 16 sports + 4 topics
TAGS = SPORTS + ["PON", "Porprov", "Pembinaan", "Prestasi"]

REGIONS = ["Surabaya", "Malang", "Sidoarjo", "Kediri", "Jember", "Banyuwangi", "Madiun", "Blitar",
           "Gresik", "Lamongan", "Bandung", "Bogor", "Medan", "Makassar", "Denpasar", "Palembang",
           "Padang", "Pontianak", "Manado", "Jayapura", "Ambon", "Kupang", "Mataram", "Samarinda"]
FIRST = ["Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Wahyu", "Nur", "Fitri", "Eko",
         "Indah", "Dimas", "Ayu", "Bayu", "Ratna", "Hendra", "Lestari", "Yoga", "Sri", "Fajar", "Rina"]
LAST = ["Santoso", "Wijaya", "Saputra", "Pratama", "Hidayat", "Kurniawan", "Rahmawati", "Nugroho",
        "Setiawan", "Susanto", "Siregar", "Nasution", "Simanjuntak", "Manurung", "Harahap",
        "Tanjung", "Wibowo", "Permana", "Hakim", "Maharani"]
EVENTS = ["PON", "Porprov", "Kejurnas", "Kejurda", "SEA Games", "Asian Games", "Piala Gubernur",
          "Piala Bupati", "Liga Pelajar", "Festival Olahraga Rakyat"]
MEDALS = ["Emas", "Perak", "Perunggu", "Dua Emas", "Tiga Medali", "Gelar Juara Umum"]
ACTIVITIES = ["Pelatihan Pelatih", "Seleksi Atlet", "Rapat Kerja", "Musyawarah Olahraga",
              "Uji Coba", "Pemusatan Latihan", "Sosialisasi Antidoping", "Penataran Wasit"]
LOCATIONS = ["GOR Delta", "Stadion Gelora", "Kolam Renang Tirta", "Lapangan Merdeka",
             "Gedung KONI", "Hall Bulu Tangkis Kartika", "Sirkuit Sepeda Mandala", "Aula Dispora"]
PAGE_DEFS = [  # (slug, title, order)
    ("profil", "Profil", 10), ("kontak", "Kontak", 90), ("visi-misi", "Visi dan Misi", 20),
    ("struktur-organisasi", "Struktur Organisasi", 30), ("sejarah", "Sejarah", 40),
    ("cabang-olahraga", "Cabang Olahraga", 50), ("layanan", "Layanan", 60),
]

COVERS = [f"/images/sampul-{i}.svg" for i in range(1, 7)]
PHOTOS = [f"/images/foto-{i}.svg" for i in range(1, 9)]
SVG_COLORS = ["#b71c1c", "#0b5394", "#38761d", "#bf9000", "#674ea7", "#a61c00", "#134f5c", "#741b47"]

START_NEWS = datetime(2019, 1, 1)
END_NEWS = datetime(2026, 10, 31)  # news only in the past (the suite was written on 2026-11-25)
START_EVENT = datetime(2019, 1, 1)
END_EVENT = datetime(2027, 12, 31)  # events also in the future: "upcoming" lists are not empty


def slugify(s):
    s = s.lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def q(s):
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(s, ensure_ascii=False)


# --------------------------------------------------------------------------- text

class Text:
    def __init__(self, rng):
        self.r = rng

    def words(self, n):
        return self.r.choices(WORDS, k=n)

    def sentence(self, lo=8, hi=20):
        r = self.r
        w = self.words(r.randint(lo, hi))
        x = r.random()
        if x < 0.25:
            w[r.randrange(len(w))] = r.choice(REGIONS)
        elif x < 0.4:
            w[r.randrange(len(w))] = r.choice(FIRST) + " " + r.choice(LAST)
        elif x < 0.5:
            k = r.randrange(1, len(w))
            w[k] = "**" + w[k] + "**"
        if len(w) > 10 and r.random() < 0.4:
            w[len(w) // 2] += ","
        s = " ".join(w)
        return s[0].upper() + s[1:] + "."

    def paragraph(self, lo=2, hi=6):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def phrase(self, lo=3, hi=8):
        s = " ".join(self.words(self.r.randint(lo, hi)))
        return s[0].upper() + s[1:]

    def name(self):
        return self.r.choice(FIRST) + " " + self.r.choice(LAST)

    def news_title(self):
        r = self.r
        k = r.randrange(6)
        sp, reg, ev, yr = r.choice(SPORTS), r.choice(REGIONS), r.choice(EVENTS), r.randint(2019, 2027)
        if k == 0:
            return f"Atlet {sp} {reg} Raih {r.choice(MEDALS)} di {ev} {yr}"
        if k == 1:
            return f"KONI {reg} Gelar {r.choice(ACTIVITIES)} {sp}"
        if k == 2:
            return f"{r.randint(5, 120)} Atlet {sp} Siap Bertanding di {ev} {yr}"
        if k == 3:
            return f"Pelatih {sp} {reg} Targetkan {r.choice(MEDALS)} pada {ev}"
        if k == 4:
            return f"{self.name()} Pecahkan Rekor {sp} di {ev} {yr}"
        return self.phrase(5, 10).title()


def markdown_body(t, size, links):
    """A Markdown article of about `size` words: h2/h3, lists, sometimes a table, links, an image."""
    r = t.r
    out = [t.paragraph(2, 4)]
    words = len(out[0].split())
    n_sections = 1
    while words < size or n_sections < 2:
        out.append("## " + t.phrase(3, 7))
        p = t.paragraph()
        out.append(p)
        words += len(p.split()) + 5
        if r.random() < 0.5:
            out.append("### " + t.phrase(2, 6))
            p = t.paragraph(2, 5)
            out.append(p)
            words += len(p.split()) + 4
        n_sections += 1
        if n_sections > 12:
            break
    # a list, a table, an image and links, at random positions after the first paragraph
    extras = []
    if r.random() < 0.75:
        mark = "-" if r.random() < 0.6 else None
        items = [t.phrase(3, 10) for _ in range(r.randint(3, 6))]
        extras.append("\n".join((f"- {x}" if mark else f"{i + 1}. {x}") for i, x in enumerate(items)))
    if r.random() < 0.3:
        rows = ["| Nomor | Atlet | Daerah | Hasil |", "|---|---|---|---|"]
        for _ in range(r.randint(3, 6)):
            rows.append(f"| {r.choice(SPORTS)} {r.choice(['putra', 'putri', 'campuran'])} | {t.name()} | "
                        f"{r.choice(REGIONS)} | {r.choice(['Emas', 'Perak', 'Perunggu', 'Peringkat 4'])} |")
        extras.append("\n".join(rows))
    if r.random() < 0.7:
        src = r.choice(PHOTOS)
        extras.append(f"![{t.phrase(3, 6)}]({src})")
    link_par = t.paragraph(1, 2)
    for title, url in links:
        link_par += f" Baca juga [{title}]({url})."
    if r.random() < 0.5:
        link_par += " Informasi lengkap tersedia di [situs resmi KONI Pusat](https://www.koni.or.id/)."
    extras.append(link_par)
    for e in extras:
        out.insert(r.randint(1, len(out)), e)
    return "\n\n".join(out) + "\n"


def body_size(r):
    x = r.random()
    if x < 0.4:
        return r.randint(100, 250)
    if x < 0.8:
        return r.randint(250, 600)
    return r.randint(600, 1500)


def rand_dt(r, a, b):
    span = int((b - a).total_seconds() // 60)
    d = a + timedelta(minutes=r.randrange(span))
    return d.replace(minute=(d.minute // 15) * 15, second=0)


def koni_date(d, r):
    # both documented forms: "2026-11-24" and "2026-11-24 09:30"
    return d.strftime("%Y-%m-%d") if r.random() < 0.3 else d.strftime("%Y-%m-%d %H:%M")


def hugo_date(s):
    if len(s) == 10:
        s += " 00:00"
    return s.replace(" ", "T") + ":00+07:00"


# --------------------------------------------------------------------------- the data set

def make_tenant(slug, seed, n_news, n_pages, n_events, n_galleries, n_athletes):
    """Build the logical content of one tenant (lists of dicts with shared Markdown bodies)."""
    r = random.Random(seed)
    t = Text(r)
    region = REGIONS[seed % len(REGIONS)]
    tenant = {
        "slug": slug,
        "name": f"KONI Kabupaten {region} {slug.split('-')[-1].upper()}",
        "short_name": f"KONI {region}",
        "tagline": "Membina prestasi olahraga daerah",
        "description": f"Situs resmi KONI {region}: berita, agenda, galeri dan atlet.",
        "domain": f"{slug}.koni.id",
        "contact": {"address": f"Jl. {r.choice(LAST)} No. {r.randint(1, 200)}, {region}",
                    "phone": f"(031) {r.randint(1000000, 9999999)}",
                    "email": f"sekretariat@{slug}.koni.id", "hours": "Senin–Jumat 08.00–16.00",
                    "map_url": f"https://maps.google.com/?q=KONI+{region}"},
        "social": [{"platform": "instagram", "url": f"https://instagram.com/koni{slugify(region)}"},
                   {"platform": "facebook", "url": f"https://facebook.com/koni{slugify(region)}"},
                   {"platform": "youtube", "url": f"https://youtube.com/@koni{slugify(region)}"}],
    }
    # tags: Zipf-like popularity so some tag lists are long and paginated
    tag_weights = [1.0 / (i + 1) ** 0.8 for i in range(len(TAGS))]

    news = []
    for i in range(n_news):
        title = t.news_title()
        nslug = f"{slugify(title)[:60].rstrip('-')}-{i + 1}"
        d = rand_dt(r, START_NEWS, END_NEWS)
        tags = []
        for _ in range(r.randint(1, 4)):
            x = r.choices(TAGS, weights=tag_weights)[0]
            if x not in tags:
                tags.append(x)
        links = []
        for _ in range(r.randint(0, 2) if i else 0):
            o = news[r.randrange(i)]
            links.append((o["title"], f"/berita/{o['slug']}/"))
        item = {"slug": nslug, "title": title, "date": koni_date(d, r), "summary": t.sentence(12, 28),
                "author": t.name(), "tags": tags, "body": markdown_body(t, body_size(r), links)}
        if r.random() < 0.7:
            item["cover"] = r.choice(COVERS)
            item["cover_alt"] = t.phrase(3, 7)
        news.append(item)

    events = []
    for i in range(n_events):
        title = f"{r.choice(ACTIVITIES)} {r.choice(SPORTS)} {r.choice(REGIONS)}"
        s = rand_dt(r, START_EVENT, END_EVENT).replace(hour=r.choice([8, 9, 13, 19]), minute=0)
        e = {"slug": f"{slugify(title)}-{i + 1}", "title": title, "start": s.strftime("%Y-%m-%d %H:%M"),
             "location": f"{r.choice(LOCATIONS)}, {r.choice(REGIONS)}", "summary": t.sentence(10, 22),
             "body": markdown_body(t, r.randint(80, 250), [])}
        if r.random() < 0.6:
            e["end"] = (s + timedelta(days=r.randint(0, 5), hours=4)).strftime("%Y-%m-%d %H:%M")
        if r.random() < 0.4:
            e["registration_url"] = f"https://daftar.koni.id/{e['slug']}"
        if r.random() < 0.5:
            e["cover"] = r.choice(COVERS)
            e["cover_alt"] = t.phrase(3, 6)
        events.append(e)

    galleries = []
    for i in range(n_galleries):
        title = f"Galeri {r.choice(EVENTS)} {r.choice(SPORTS)} {r.randint(2019, 2026)}"
        d = rand_dt(r, START_NEWS, END_NEWS)
        photos = [{"src": r.choice(PHOTOS), "alt": t.phrase(3, 7), "caption": t.sentence(6, 14)}
                  for _ in range(r.randint(6, 12))]
        galleries.append({"slug": f"{slugify(title)}-{i + 1}", "title": title, "date": koni_date(d, r),
                          "summary": t.sentence(8, 18), "photos": photos,
                          "body": t.paragraph(1, 3) + "\n"})

    athletes = []
    for i in range(n_athletes):
        nm = t.name()
        sp = r.choice(SPORTS)
        stats = ({"rating_elo": r.randint(1600, 2500)} if sp == "Catur" else
                 {"goals": r.randint(0, 80), "assists": r.randint(0, 40)} if sp == "Sepak Bola" else
                 {"pertandingan": (g := r.randint(5, 200)), "menang": r.randint(0, g)})
        athletes.append({"slug": f"{slugify(nm)}-{i + 1}", "name": nm, "sport": sp,
                         "photo": r.choice(PHOTOS), "photo_alt": f"Foto {nm}", "region": r.choice(REGIONS),
                         "club": f"{r.choice(['PB', 'PS', 'Klub', 'Perkumpulan'])} {r.choice(LAST)} {r.choice(REGIONS)}",
                         "birth_year": r.randint(1985, 2010), "featured": r.random() < 0.3,
                         "achievements": [f"{r.choice(['Emas', 'Perak', 'Perunggu'])} {r.choice(EVENTS)} {r.randint(2015, 2026)}"
                                          for _ in range(r.randint(1, 4))],
                         "stats": stats, "body": t.paragraph(2, 4) + "\n"})

    pages = []
    for slug_, title, order in PAGE_DEFS[:max(0, n_pages - 1)]:
        p = {"slug": slug_, "title": title, "order": order, "summary": t.sentence(8, 16),
             "body": markdown_body(t, r.randint(150, 500), []), "sections": []}
        if slug_ == "kontak":
            p["sections"] = [{"type": "contact", "title": "Hubungi Kami"}, {"type": "body"}]
        elif slug_ == "profil":
            p["sections"] = [{"type": "stats", "title": "Sekilas", "items": [
                {"value": str(r.randint(20, 60)), "label": "Cabang olahraga"},
                {"value": str(r.randint(300, 3000)), "label": "Atlet binaan"},
                {"value": str(r.randint(50, 400)), "label": "Pelatih"}]}, {"type": "body"}]
        pages.append(p)
    home = {"slug": "index", "title": "Beranda", "summary": tenant["description"],
            "body": markdown_body(t, 120, []), "sections": [
                {"type": "hero", "title": f"Selamat datang di {tenant['short_name']}",
                 "subtitle": tenant["tagline"], "image": COVERS[0], "image_alt": "Atlet berlaga",
                 "cta_label": "Baca berita", "cta_url": "/berita/"},
                {"type": "latest_news", "title": "Berita Terbaru", "limit": 6},
                {"type": "upcoming_events", "title": "Agenda Mendatang", "limit": 3},
                {"type": "stats", "title": "KONI dalam Angka", "items": [
                    {"value": str(n_news), "label": "Berita"}, {"value": str(n_athletes), "label": "Atlet"},
                    {"value": str(len(SPORTS)), "label": "Cabang olahraga"}]}]}
    if galleries:
        home["sections"].append({"type": "gallery_strip", "title": "Galeri", "gallery": galleries[0]["slug"], "limit": 6})
    home["sections"] += [{"type": "cta", "title": "Bergabung bersama kami", "text": t.sentence(8, 14),
                          "label": "Hubungi kami", "url": "/kontak/"}, {"type": "body"}]
    tenant.update(news=news, events=events, galleries=galleries, athletes=athletes, pages=pages, home=home)
    return tenant


def expected_paths(tn):
    """Page paths (each an …/index.html) the URL scheme implies for this tenant."""
    paths = ["/"] + [f"/{p['slug']}/" for p in tn["pages"]]
    n = len(tn["news"])
    paths.append("/berita/")
    paths += [f"/berita/page/{k}/" for k in range(2, math.ceil(n / NEWS_PER_PAGE) + 1)]
    paths += [f"/berita/{x['slug']}/" for x in tn["news"]]
    for sec, key in (("agenda", "events"), ("galeri", "galleries"), ("atlet", "athletes")):
        paths.append(f"/{sec}/")
        paths += [f"/{sec}/{x['slug']}/" for x in tn[key]]
    counts = {}
    for x in tn["news"]:
        for tg in x["tags"]:
            counts[tg] = counts.get(tg, 0) + 1
    for tg, c in counts.items():
        s = slugify(tg)
        paths.append(f"/tag/{s}/")
        paths += [f"/tag/{s}/page/{k}/" for k in range(2, math.ceil(c / NEWS_PER_PAGE) + 1)]
    return paths


# --------------------------------------------------------------------------- writers

def svg(i, w, h, label):
    c = SVG_COLORS[i % len(SVG_COLORS)]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">'
            f'<rect width="{w}" height="{h}" fill="{c}"/><circle cx="{w // 2}" cy="{h // 2}" r="{h // 4}" '
            f'fill="#fff" opacity=".35"/><text x="16" y="{h - 16}" font-family="sans-serif" '
            f'font-size="20" fill="#fff">{label}</text></svg>\n')


def write_images(static_dir):
    d = os.path.join(static_dir, "images")
    os.makedirs(d, exist_ok=True)
    files = {"logo.svg": svg(0, 96, 96, "KONI")}
    for i, p in enumerate(COVERS):
        files[os.path.basename(p)] = svg(i, 640, 360, f"Sampul {i + 1}")
    for i, p in enumerate(PHOTOS):
        files[os.path.basename(p)] = svg(i + 3, 800, 600, f"Foto {i + 1}")
    for n, c in files.items():
        with open(os.path.join(d, n), "w") as f:
            f.write(c)


def wfile(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def yaml_value(v, indent):
    """Tiny YAML emitter for the front matter shapes used here (str, int, bool, list, dict)."""
    pad = " " * indent
    if isinstance(v, bool):
        return " true" if v else " false"
    if isinstance(v, int):
        return f" {v}"
    if isinstance(v, str):
        return " " + q(v)
    if isinstance(v, dict):
        if not v:
            return " {}"
        return "".join(f"\n{pad}  {k}:{yaml_value(x, indent + 2)}" for k, x in v.items())
    if isinstance(v, list):
        if not v:
            return " []"
        out = []
        for x in v:
            if isinstance(x, dict):
                items = list(x.items())
                first = f"\n{pad}  - {items[0][0]}:{yaml_value(items[0][1], indent + 4)}"
                rest = "".join(f"\n{pad}    {k}:{yaml_value(y, indent + 4)}" for k, y in items[1:])
                out.append(first + rest)
            else:
                out.append(f"\n{pad}  -{yaml_value(x, indent + 2)}")
        return "".join(out)
    raise TypeError(type(v))


def front_matter(fields, body):
    lines = ["---"]
    for k, v in fields.items():
        if v is None:
            continue
        lines.append(f"{k}:{yaml_value(v, 0)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def pick(d, *keys):
    return {k: d[k] for k in keys if k in d}


def tenant_yml(tn, primary=DEFAULT_PRIMARY):
    c = tn["contact"]
    social = "".join(f"\n  - platform: {s['platform']}\n    url: {q(s['url'])}" for s in tn["social"])
    return (f"name: {q(tn['name'])}\nshort_name: {q(tn['short_name'])}\ntagline: {q(tn['tagline'])}\n"
            f"description: {q(tn['description'])}\ndomains:\n  - {tn['domain']}\n"
            f"timezone: Asia/Jakarta\nlogo: /images/logo.svg\n"
            f"theme:\n  preset: {THEME_PRESET}\n  overrides:\n    color-primary: {q(primary)}\n"
            f"contact:\n  address: {q(c['address'])}\n  phone: {q(c['phone'])}\n  email: {q(c['email'])}\n"
            f"  hours: {q(c['hours'])}\n  map_url: {q(c['map_url'])}\nsocial:{social}\n"
            f"news_per_page: {NEWS_PER_PAGE}\n")


def write_koni(tn, root):
    """tenants/<slug>/ as docs/content-format.md describes it."""
    base = os.path.join(root, tn["slug"])
    if os.path.exists(base):
        shutil.rmtree(base)
    c = os.path.join(base, "content")
    for sub in ("pages", "news", "events", "galleries", "athletes"):
        os.makedirs(os.path.join(c, sub))
    write_images(os.path.join(base, "static"))
    wfile(os.path.join(base, "tenant.yml"), tenant_yml(tn))
    h = tn["home"]
    wfile(os.path.join(c, "pages", "index.md"),
          front_matter({"title": h["title"], "summary": h["summary"], "menu": False, "sections": h["sections"]}, h["body"]))
    for p in tn["pages"]:
        fm = {"title": p["title"], "order": p["order"], "summary": p["summary"]}
        if p["sections"]:
            fm["sections"] = p["sections"]
        wfile(os.path.join(c, "pages", p["slug"] + ".md"), front_matter(fm, p["body"]))
    for x in tn["news"]:
        fm = pick(x, "title", "date", "summary", "cover", "cover_alt", "tags", "author")
        wfile(os.path.join(c, "news", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["events"]:
        fm = pick(x, "title", "start", "end", "location", "registration_url", "summary", "cover", "cover_alt")
        wfile(os.path.join(c, "events", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["galleries"]:
        fm = pick(x, "title", "date", "summary", "photos")
        wfile(os.path.join(c, "galleries", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["athletes"]:
        fm = pick(x, "name", "sport", "photo", "photo_alt", "region", "club", "birth_year", "featured",
                  "achievements", "stats")
        wfile(os.path.join(c, "athletes", x["slug"] + ".md"), front_matter(fm, x["body"]))


def nav_items(tn):
    items = [{"title": "Beranda", "url": "/"}]
    pages = sorted(tn["pages"], key=lambda p: p["order"])
    items += [{"title": p["title"], "url": f"/{p['slug']}/"} for p in pages if p["slug"] != "kontak"]
    items += [{"title": "Berita", "url": "/berita/"}, {"title": "Agenda", "url": "/agenda/"},
              {"title": "Galeri", "url": "/galeri/"}, {"title": "Atlet", "url": "/atlet/"}]
    items += [{"title": p["title"], "url": f"/{p['slug']}/"} for p in tn["pages"] if p["slug"] == "kontak"]
    return items


def theme_css(primary=DEFAULT_PRIMARY):
    """The Hugo stand-in for koni's theme stylesheet: preset merah-putih's properties + the override."""
    props = {"color-primary": primary, "color-secondary": "#1b2a41", "color-accent": "#e8b923",
             "color-background": "#f7f7f8", "color-surface": "#ffffff", "color-text": "#1a1c21",
             "color-muted": "#585d68", "color-on-primary": "#ffffff", "color-on-secondary": "#ffffff",
             "color-border": "#dfe1e6", "color-link": "#b00d27", "color-primary-dark": "#8e0b21",
             "color-header-bg": primary, "color-header-text": "#ffffff", "color-footer-bg": "#1b2a41",
             "color-footer-text": "#ffffff",
             "font-heading": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
             "font-body": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
             "radius": "8px", "content-width": "72rem", "container-width": "72rem", "space": "1rem",
             "shadow": "0 1px 3px rgba(0,0,0,.15)"}
    return ":root{" + ";".join(f"--{k}:{v}" for k, v in props.items()) + "}\n"


def hugo_toml(tn):
    c = tn["contact"]
    nav = "".join(f"\n[[params.nav]]\ntitle = {q(n['title'])}\nurl = {q(n['url'])}" for n in nav_items(tn))
    social = "".join(f"\n[[params.social]]\nplatform = {q(s['platform'])}\nurl = {q(s['url'])}" for s in tn["social"])
    return f"""baseURL = "https://{tn['domain']}/"
title = {q(tn['name'])}
languageCode = "id"
defaultContentLanguage = "id"
timeZone = "Asia/Jakarta"
theme = "koni-bench"
# hugo 0.111: top-level paginate/paginatePath (newer Hugo: [pagination] pagerSize)
paginate = {NEWS_PER_PAGE}
paginatePath = "page"
uglyURLs = false
buildFuture = true
enableRobotsTXT = true
disableHugoGeneratorInject = true
# no /tags/ index page and no per-section RSS: koni-compro makes neither
disableKinds = ["taxonomy", "RSS"]
ignoreErrors = ["error-disable-taxonomy"]

# Markdown as koni-compro renders it (cmark-gfm: table, autolink, strikethrough, tasklist, smart
# punctuation; no heading ids, footnotes or definition lists)
[markup.goldmark.parser]
autoHeadingID = false
[markup.goldmark.extensions]
definitionList = false
footnote = false
linkify = true
strikethrough = true
table = true
taskList = true
typographer = true

[taxonomies]
tag = "tags"

[permalinks]
berita = "/berita/:slug/"
tags = "/tag/:slug/"

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "feed"
isHTML = false
isPlainText = false
rel = "alternate"
noUgly = true

[outputs]
home = ["HTML", "Atom"]
section = ["HTML"]
page = ["HTML"]
term = ["HTML"]

[sitemap]
changefreq = ""
priority = -1
filename = "sitemap.xml"

[params]
short_name = {q(tn['short_name'])}
tagline = {q(tn['tagline'])}
description = {q(tn['description'])}
logo = "/images/logo.svg"
feed_limit = 20
[params.contact]
address = {q(c['address'])}
phone = {q(c['phone'])}
email = {q(c['email'])}
hours = {q(c['hours'])}
map_url = {q(c['map_url'])}
{nav}
{social}
"""


def write_hugo(tn, site):
    """An equivalent Hugo site; the layouts come from the shared theme (hugo --themesDir)."""
    if os.path.exists(site):
        shutil.rmtree(site)
    c = os.path.join(site, "content")
    for sub in ("berita", "agenda", "galeri", "atlet"):
        os.makedirs(os.path.join(c, sub))
    os.makedirs(os.path.join(site, "assets", "css"))
    write_images(os.path.join(site, "static"))
    wfile(os.path.join(site, "hugo.toml"), hugo_toml(tn))
    wfile(os.path.join(site, "assets", "css", "theme.css"), theme_css())
    h = tn["home"]
    wfile(os.path.join(c, "_index.md"),
          front_matter({"title": h["title"], "summary": h["summary"], "sections": h["sections"]}, h["body"]))
    for sec, title in (("berita", "Berita"), ("agenda", "Agenda"), ("galeri", "Galeri"), ("atlet", "Atlet")):
        wfile(os.path.join(c, sec, "_index.md"), front_matter({"title": title}, ""))
    for p in tn["pages"]:
        fm = {"title": p["title"], "weight": p["order"], "summary": p["summary"]}
        if p["sections"]:
            fm["sections"] = p["sections"]
        wfile(os.path.join(c, p["slug"] + ".md"), front_matter(fm, p["body"]))
    for x in tn["news"]:
        fm = {"title": x["title"], "slug": x["slug"], "date": hugo_date(x["date"])}
        fm.update(pick(x, "summary", "cover", "cover_alt", "tags", "author"))
        wfile(os.path.join(c, "berita", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["events"]:
        fm = {"title": x["title"], "date": hugo_date(x["start"]), "start": hugo_date(x["start"])}
        if "end" in x:
            fm["end"] = hugo_date(x["end"])
        fm.update(pick(x, "location", "registration_url", "summary", "cover", "cover_alt"))
        wfile(os.path.join(c, "agenda", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["galleries"]:
        fm = {"title": x["title"], "date": hugo_date(x["date"])}
        fm.update(pick(x, "summary", "photos"))
        wfile(os.path.join(c, "galeri", x["slug"] + ".md"), front_matter(fm, x["body"]))
    for x in tn["athletes"]:
        fm = {"title": x["name"]}
        fm.update(pick(x, "sport", "photo", "photo_alt", "region", "club", "birth_year", "featured",
                       "achievements", "stats"))
        wfile(os.path.join(c, "atlet", x["slug"] + ".md"), front_matter(fm, x["body"]))


# --------------------------------------------------------------------------- data sets

def _fingerprint(params):
    with open(__file__, "rb") as f:
        h = hashlib.sha256(f.read())
    h.update(json.dumps(params, sort_keys=True).encode())
    return h.hexdigest()[:16]


def single_counts(n_news):
    return dict(n_news=n_news, n_pages=8, n_events=max(5, n_news // 20),
                n_galleries=max(3, n_news // 50), n_athletes=max(5, n_news // 50))


def many_counts(items):
    """Split `items` content files of one small tenant: ~80% news, the rest pages, events, galleries, athletes."""
    n_pages, n_galleries, n_athletes = 6, max(1, items // 25), max(1, items // 25)
    n_events = max(1, items // 11)
    n_news = max(1, items - n_pages - n_galleries - n_athletes - n_events)
    return dict(n_news=n_news, n_pages=n_pages, n_events=n_events, n_galleries=n_galleries,
                n_athletes=n_athletes)


def single_slug(n_news):
    return f"bench-{n_news}"


def gen_single(out, n_news, force=False, log=print):
    """work/single-N/{koni/tenants/bench-N, hugo/site, manifest.json}. Cached by a fingerprint."""
    params = {"kind": "single", **single_counts(n_news)}
    fp = _fingerprint(params)
    mf = os.path.join(out, "manifest.json")
    if not force and os.path.exists(mf):
        with open(mf) as f:
            m = json.load(f)
        if m.get("fingerprint") == fp:
            return m
    log(f"generating single tenant with {n_news} news into {out} …")
    slug = single_slug(n_news)
    tn = make_tenant(slug, 7919 + n_news, **single_counts(n_news))
    os.makedirs(os.path.join(out, "koni", "tenants"), exist_ok=True)
    write_koni(tn, os.path.join(out, "koni", "tenants"))
    write_hugo(tn, os.path.join(out, "hugo", "site"))
    m = {"fingerprint": fp, "kind": "single", "slugs": [slug], "counts": {slug: single_counts(n_news)},
         "expected": {slug: sorted(expected_paths(tn))}, "markdown_files": count_md(tn)}
    with open(mf, "w") as f:
        json.dump(m, f)
    return m


def gen_many(out, n_tenants, items, force=False, log=print):
    """work/many-TxI/{koni/tenants/<slug>…, hugo/sites/<slug>…, manifest.json}."""
    counts = many_counts(items)
    params = {"kind": "many", "tenants": n_tenants, **counts}
    fp = _fingerprint(params)
    mf = os.path.join(out, "manifest.json")
    if not force and os.path.exists(mf):
        with open(mf) as f:
            m = json.load(f)
        if m.get("fingerprint") == fp:
            return m
    log(f"generating {n_tenants} tenants × {items} items into {out} …")
    troot = os.path.join(out, "koni", "tenants")
    hroot = os.path.join(out, "hugo", "sites")
    for d in (troot, hroot):
        if os.path.exists(d):
            shutil.rmtree(d)
        os.makedirs(d)
    m = {"fingerprint": fp, "kind": "many", "slugs": [], "counts": {}, "expected": {}, "markdown_files": 0}
    for k in range(n_tenants):
        slug = f"koni-kab-{k + 1:03d}"
        tn = make_tenant(slug, 104729 * (k + 1) + items, **counts)
        write_koni(tn, troot)
        write_hugo(tn, os.path.join(hroot, slug))
        m["slugs"].append(slug)
        m["counts"][slug] = counts
        m["expected"][slug] = sorted(expected_paths(tn))
        m["markdown_files"] += count_md(tn)
    with open(mf, "w") as f:
        json.dump(m, f)
    return m


def count_md(tn):
    return 1 + sum(len(tn[k]) for k in ("pages", "news", "events", "galleries", "athletes"))


def set_theme(koni_tenant_dir, hugo_site_dir, slug, n_news, primary):
    """Theme change for the `theme` scenario: koni tenant.yml override / Hugo theme CSS."""
    tn = make_tenant(slug, 7919 + n_news, **{**single_counts(n_news), "n_news": 0, "n_events": 0,
                                             "n_galleries": 0, "n_athletes": 0})
    # tenant.yml depends only on the seed-driven header, which does not depend on the counts above
    wfile(os.path.join(koni_tenant_dir, "tenant.yml"), tenant_yml(tn, primary))
    wfile(os.path.join(hugo_site_dir, "assets", "css", "theme.css"), theme_css(primary))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("single")
    a.add_argument("--news", type=int, required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--force", action="store_true")
    b = sub.add_parser("many")
    b.add_argument("--tenants", type=int, default=500)
    b.add_argument("--items", type=int, default=200)
    b.add_argument("--out", required=True)
    b.add_argument("--force", action="store_true")
    args = ap.parse_args()
    if args.cmd == "single":
        m = gen_single(args.out, args.news, args.force)
    else:
        m = gen_many(args.out, args.tenants, args.items, args.force)
    n = sum(len(v) for v in m["expected"].values())
    print(f"{len(m['slugs'])} tenant(s), {m['markdown_files']} Markdown files, {n} expected pages")


if __name__ == "__main__":
    sys.exit(main())
