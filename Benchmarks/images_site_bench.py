#!/usr/bin/env python3
"""Images in a whole site build: koni-compro (`build`, its image step on libvips) against Hugo
(page bundles, its image processing), the same photographs, widths, formats and cards, in the
same run. Started by Benchmarks/images-site.

The branch: `--news` news items, each with its own 12 MP cover, and `--galleries` galleries of
`--per-gallery` 12 MP photos (issue 18's scenario is 1,000 covers and 50 galleries of 20). Every
photo is its own file with its own content: copies of `--base` generated photographs (4000 x 3000,
made by the `vips` command, no download) that differ by a JPEG comment, so each costs a full
decode and a cache key of its own in both tools. Both make 480, 960 and 1600 px WebP (q78) and
JPEG (q80) of every photo and a 1200 x 630 card of every lead image (covers, each gallery's first
photo). Measured with GNU time: wall seconds and peak memory of a first build (empty caches) and
of a rebuild with no photo changed; and what a gallery page costs a 390 px phone, before (the
originals, as the site linked them without the pipeline) and after (the candidates a browser
picks from the page's srcset at 2x and 3x).

Hugo takes about two hours on the full scenario on a 2-core machine. `--hugo-cap RATIO` stops its
first build once it has run RATIO times as long as koni's: the record then says so and gives lower
bounds (Hugo's time so far, the share of its image files written, its peak memory so far) and a
linear extrapolation; Hugo's rebuild is not run.
"""
import argparse, os, re, shutil, struct, subprocess, sys, time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from images_bench import photos, run, time_report, timed  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTHS = [480, 960, 1600]


def distinct_copy(source, target, label):
    """`source` with a JPEG comment segment carrying `label`: the same picture, other bytes."""
    if os.path.exists(target):
        return
    data = open(source, "rb").read()
    comment = label.encode()
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    with open(target + ".tmp", "wb") as f:
        f.write(data[:2] + segment + data[2:])
    os.replace(target + ".tmp", target)


def make_photos(work, base, news, galleries, per_gallery):
    base_folder = f"{work}/base"
    photos(base_folder, base)
    bases = sorted(f"{base_folder}/{n}" for n in os.listdir(base_folder) if n.endswith(".jpg"))
    folder = f"{work}/site-photos"
    os.makedirs(folder, exist_ok=True)
    covers, albums, index = [], [], 0
    for n in range(news):
        target = f"{folder}/cover-{n:04d}.jpg"
        distinct_copy(bases[index % len(bases)], target, f"cover {n}")
        covers.append(target)
        index += 1
    for g in range(galleries):
        album = []
        for p in range(per_gallery):
            target = f"{folder}/galeri-{g:03d}-{p:02d}.jpg"
            distinct_copy(bases[index % len(bases)], target, f"gallery {g} photo {p}")
            album.append(target)
            index += 1
        albums.append(album)
    return covers, albums


def link(source, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.link(source, target)


def koni_tenant(root, covers, albums):
    shutil.rmtree(root, ignore_errors=True)
    tenant = f"{root}/bench"
    for folder in ["content/news", "content/galleries", "content/pages", "static/images/foto"]:
        os.makedirs(f"{tenant}/{folder}")
    with open(f"{tenant}/tenant.yml", "w") as f:
        f.write("name: KONI Bench\nshort_name: KONI Bench\ndomains: [bench.koni.id]\nlocale: id-ID\ntimezone: Asia/Jakarta\n"
                "theme:\n  preset: merah-putih\n")
    with open(f"{tenant}/content/pages/index.md", "w") as f:
        f.write("---\ntitle: Beranda\nsections:\n  - {type: latest_news, limit: 6}\n---\n")
    for n, cover in enumerate(covers):
        link(cover, f"{tenant}/static/images/foto/{os.path.basename(cover)}")
        with open(f"{tenant}/content/news/berita-{n:04d}.md", "w") as f:
            f.write(f"---\ntitle: Berita {n}\ndate: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}\ncover: /images/foto/{os.path.basename(cover)}\n"
                    f"cover_alt: Foto berita {n}\n---\nIsi berita {n}.\n")
    for g, album in enumerate(albums):
        lines = [f"---\ntitle: Galeri {g}\ndate: 2026-{1 + g % 12:02d}-{1 + g % 28:02d}\nphotos:"]
        for photo in album:
            link(photo, f"{tenant}/static/images/foto/{os.path.basename(photo)}")
            lines.append(f"  - {{src: /images/foto/{os.path.basename(photo)}, alt: Foto {os.path.basename(photo)}}}")
        with open(f"{tenant}/content/galleries/galeri-{g:03d}.md", "w") as f:
            f.write("\n".join(lines) + "\n---\nGaleri.\n")


def hugo_site(root, covers, albums):
    """Page bundles whose templates make the same variants and cards."""
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(f"{root}/layouts/_default")
    with open(f"{root}/hugo.toml", "w") as f:
        f.write('baseURL = "https://bench.koni.id/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                '[imaging]\n  quality = 80\n')
    variants = "".join(f'{{{{ $w := $p.Resize "{w}x webp q78" }}}}{{{{ $j := $p.Resize "{w}x jpg q80" }}}}'
                       f'<source srcset="{{{{ $w.RelPermalink }}}} {w}w"><img src="{{{{ $j.RelPermalink }}}}">' for w in WIDTHS)
    card = '{{ $c := $p.Fill "1200x630 jpg q80 Smart" }}<meta property="og:image" content="{{ $c.Permalink }}">'
    with open(f"{root}/layouts/_default/single.html", "w") as f:
        f.write('{{ range $i, $p := .Resources.ByType "image" }}{{ if eq $i 0 }}' + card + "{{ end }}<picture>" + variants + "</picture>\n{{ end }}\n")
    with open(f"{root}/layouts/_default/list.html", "w") as f:
        f.write("{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>\n{{ end }}\n")
    with open(f"{root}/layouts/index.html", "w") as f:
        f.write("{{ range first 6 .Site.RegularPages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>\n{{ end }}\n")
    for n, cover in enumerate(covers):
        bundle = f"{root}/content/berita/berita-{n:04d}"
        link(cover, f"{bundle}/cover.jpg")
        with open(f"{bundle}/index.md", "w") as f:
            f.write(f"---\ntitle: Berita {n}\ndate: 2026-{1 + n % 12:02d}-{1 + n % 28:02d}\n---\nIsi berita {n}.\n")
    for g, album in enumerate(albums):
        bundle = f"{root}/content/galeri/galeri-{g:03d}"
        for p, photo in enumerate(album):
            link(photo, f"{bundle}/{p:02d}.jpg")
        with open(f"{bundle}/index.md", "w") as f:
            f.write(f"---\ntitle: Galeri {g}\ndate: 2026-{1 + g % 12:02d}-{1 + g % 28:02d}\n---\nGaleri.\n")


def hugo_capped(command, cwd, seconds):
    """(wall seconds, peak RSS MiB, finished) of Hugo's first build, stopped after `seconds`:
    `timeout` is Hugo's parent under GNU time, so time's rusage covers Hugo even when stopped."""
    done = subprocess.run(["/usr/bin/time", "-v", "timeout", "--signal=TERM", f"{seconds:.0f}", *command],
                          cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 124):
        sys.exit(f"hugo failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return (*time_report(done.stderr), done.returncode == 0)


def count_files(folder, keep=lambda name: True):
    return sum(1 for _, _, files in os.walk(folder) for n in files if keep(n))


def picked(srcset, needed):
    """The candidate a browser takes from `srcset` for `needed` device pixels: the narrowest at
    least that wide, else the widest."""
    candidates = sorted((int(w), url) for url, w in re.findall(r"(\S+) (\d+)w", srcset))
    for width, url in candidates:
        if width >= needed:
            return url
    return candidates[-1][1]


def gallery_bytes(release, album):
    html = open(f"{release}/galeri/galeri-000/index.html", encoding="utf-8").read()
    sources = re.findall(r'<source type="image/webp" srcset="([^"]+)"', html)
    after = {}
    for density in (2, 3):
        after[density] = sum(os.path.getsize(release + picked(s, 390 * density)) for s in sources)
    before = sum(os.path.getsize(p) for p in album)
    return len(sources), before, after


def hugo_row(cold, warm):
    version = run("hugo", "version").stdout.split()[1]
    if warm is None:
        return f"| Hugo {version}, stopped unfinished | more than {cold[0]:.1f} | at least {cold[1]:.0f} | not run | not run |"
    return f"| Hugo {version} | {cold[0]:.1f} | {cold[1]:.0f} | {warm[0]:.2f} | {warm[1]:.0f} |"


def ratio_line(koni_cold, koni_warm, hugo_cold, hugo_warm, hugo_files, koni_files):
    rebuild = f"koni's rebuild is {koni_warm[0] / koni_cold[0] * 100:.1f}% of its first build."
    if hugo_warm is not None:
        return (f"ratio: koni is {hugo_cold[0] / koni_cold[0]:.1f}x faster than Hugo on the first build with "
                f"{koni_cold[1] / hugo_cold[1]:.2f}x its peak memory; {rebuild}")
    share = hugo_files / koni_files if koni_files else 0
    guess = f"; at the rate it had, Hugo would have taken about {hugo_cold[0] / share / 60:.0f} min ({hugo_cold[0] / share / koni_cold[0]:.1f}x)" if share else ""
    return (f"ratio: Hugo was stopped after {hugo_cold[0]:.0f} s with {hugo_files} of about {koni_files} image files written "
            f"({share * 100:.0f}%): koni is at least {hugo_cold[0] / koni_cold[0]:.1f}x faster on the first build{guess}; "
            f"koni's peak memory is at most {koni_cold[1] / hugo_cold[1]:.2f}x Hugo's; {rebuild}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news", type=int, default=1000)
    parser.add_argument("--galleries", type=int, default=50)
    parser.add_argument("--per-gallery", type=int, default=20)
    parser.add_argument("--base", type=int, default=40, help="distinct generated photographs the copies are made from")
    parser.add_argument("--work", default="/tmp/koni-images-site-bench")
    parser.add_argument("--koni", required=True, help="the koni-compro binary")
    parser.add_argument("--hugo-cap", type=float, metavar="RATIO",
                        help="stop Hugo's first build after RATIO times koni's first build (lower bounds are recorded)")
    parser.add_argument("--record", action="store_true", help="prepend the results to BENCHMARKS.md")
    args = parser.parse_args()
    started = time.monotonic()
    covers, albums = make_photos(args.work, args.base, args.news, args.galleries, args.per_gallery)
    count = len(covers) + sum(map(len, albums))
    source_mb = sum(os.path.getsize(p) for p in covers + [p for a in albums for p in a]) / 2**20
    tenants, out, cache = f"{args.work}/tenants", f"{args.work}/koni-out", f"{args.work}/koni-cache"
    koni_tenant(tenants, covers, albums)
    site = f"{args.work}/hugo"
    hugo_site(site, covers, albums)
    for folder in (out, cache, f"{args.work}/hugo-public"):
        shutil.rmtree(folder, ignore_errors=True)
    env = ["env", f"KONI_IMAGE_CACHE={cache}"]
    koni = [*env, args.koni, "build", "bench", "--tenants", tenants, "--out", out]
    koni_cold = timed(koni)
    koni_warm = timed(koni)
    hugo = ["hugo", "--quiet", "-d", f"{args.work}/hugo-public"]
    release = os.path.realpath(f"{out}/bench/current")
    koni_files = count_files(f"{release}/_img")
    if args.hugo_cap:
        seconds, peak, finished = hugo_capped(hugo, site, args.hugo_cap * koni_cold[0])
        hugo_cold, hugo_warm = (seconds, peak), None
    else:
        hugo_cold, hugo_warm, finished = timed(hugo, cwd=site), timed(hugo, cwd=site), True
    # Hugo also publishes each bundle's original photo; its processed files carry "_hu" in their
    # names. Stopped, it has published nothing: count what its image cache holds.
    if finished:
        hugo_files = count_files(f"{args.work}/hugo-public", lambda n: "_hu" in n and n.endswith((".webp", ".jpg")))
    else:
        hugo_files = count_files(f"{site}/resources/_gen/images", lambda n: n.endswith((".webp", ".jpg")))
    shown, before, after = gallery_bytes(release, albums[0]) if albums else (0, 0, {2: 0, 3: 0})
    version = run("vips", "--version").stdout.strip()
    lines = [
        f"branch: {len(covers)} news with a cover, {len(albums)} galleries of {args.per_gallery}: {count} photos of 4000 x 3000 "
        f"({source_mb:.0f} MiB of JPEG); widths {WIDTHS} in WebP q78 and JPEG q80, a 1200 x 630 card per lead image; "
        f"koni published {koni_files} image files, Hugo {hugo_files}",
        "",
        "| tool | first build s | peak MiB | rebuild, nothing changed, s | rebuild peak MiB |",
        "|---|---|---|---|---|",
        f"| koni-compro build ({version}) | {koni_cold[0]:.1f} | {koni_cold[1]:.0f} | {koni_warm[0]:.2f} | {koni_warm[1]:.0f} |",
        hugo_row(hugo_cold, hugo_warm),
        "",
        ratio_line(koni_cold, koni_warm, hugo_cold, hugo_warm, hugo_files, koni_files),
        "",
        f"a gallery page on a 390 px phone ({shown} photos, all of them, as scrolling loads them): before the pipeline "
        f"{before / 2**20:.1f} MiB (the originals); after {after[2] / 2**20:.2f} MiB at 2x (780 px wanted), {after[3] / 2**20:.2f} MiB at 3x "
        f"(1170 px wanted), WebP.",
    ]
    print("\n".join(lines))
    if args.record:
        from bench import machine_info, prepend_record
        m, commit = machine_info(), run("git", "-C", REPO, "rev-parse", "--short", "HEAD").stdout.strip()
        intro = ("`Benchmarks/images-site` builds a branch whose news covers and gallery photos are 12 MP JPEGs with `koni-compro build` "
                 "(its image step) and with Hugo (page bundles, the same variants and cards), in the same run.")
        command = f"Benchmarks/images-site --news {args.news} --galleries {args.galleries} --per-gallery {args.per_gallery}"
        command += f" --hugo-cap {args.hugo_cap:g}" if args.hugo_cap else ""
        block = [f"### {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — `{command}`", "",
                 f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Linux {m['kernel']}",
                 f"- git {commit}; total time of this run (photos included): {(time.monotonic() - started) / 60:.1f} min", "",
                 *lines, "", ""]
        prepend_record(os.path.join(REPO, "BENCHMARKS.md"), "## Images in a site build against Hugo", intro, "## Images: responsive variants against Hugo", block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
