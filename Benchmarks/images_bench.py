#!/usr/bin/env python3
"""Images: responsive variants of the same photographs by koni-compro's pipeline (KoniImage on
libvips, `koni-image-bench`) and by Hugo (its image processing), in the same run.

N photographs of 4000 x 3000 (12 MP JPEG, like a phone's; made by the `vips` command from smoothed
noise and gradients, no download) are resized to 480, 960 and 1600 pixels wide as WebP (q78) and
JPEG (q80): 6 files per photo, 2 at a time on this 2-core machine for both. Measured with GNU time:
wall seconds and peak memory (max RSS), first run (empty caches) and a rerun with no photo changed
(Hugo's resources/_gen kept, koni's variant cache kept). Started by Benchmarks/images.
"""
import argparse, os, re, shutil, statistics, subprocess, sys, time
from datetime import datetime, timezone

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTHS = [480, 960, 1600]


def run(*command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        sys.exit(f"{' '.join(map(str, command[:4]))} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done


def timed(command, cwd=None):
    """(wall seconds, peak RSS MiB) of a command under GNU time."""
    return time_report(run("/usr/bin/time", "-v", *command, cwd=cwd).stderr)


def time_report(stderr):
    """(wall seconds, peak RSS MiB) from what GNU time -v printed."""
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    seconds = (int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)))
    return seconds, int(rss.group(1)) / 1024


def photos(folder, count):
    """`count` 12 MP JPEGs that compress like photographs (smooth areas, edges, some grain)."""
    os.makedirs(folder, exist_ok=True)
    for i in range(count):
        target = f"{folder}/foto-{i:04d}.jpg"
        if os.path.exists(target):
            continue
        work = f"{folder}/.work-{i}"
        os.makedirs(work, exist_ok=True)
        run("vips", "gaussnoise", f"{work}/n.v", "1000", "750", "--sigma", "60", "--mean", str(100 + i % 60))
        run("vips", "gaussblur", f"{work}/n.v", f"{work}/b.v", "6")
        run("vips", "resize", f"{work}/b.v", f"{work}/big.v", "4")
        run("vips", "gaussnoise", f"{work}/grain.v", "4000", "3000", "--sigma", "6", "--mean", "0")
        run("vips", "add", f"{work}/big.v", f"{work}/grain.v", f"{work}/g.v")
        run("vips", "linear", f"{work}/g.v", f"{work}/r.v", "1", str(i % 40))
        run("vips", "bandjoin", f"{work}/r.v {work}/g.v {work}/big.v", f"{work}/c.v")
        run("vips", "cast", f"{work}/c.v", f"{work}/u.v", "uchar")
        run("vips", "copy", f"{work}/u.v", f"{work}/s.v", "--interpretation", "srgb")
        run("vips", "copy", f"{work}/s.v", f"{target}[Q=88]")
        shutil.rmtree(work)


def hugo_site(folder, photo_folder):
    """A Hugo site whose home page makes the same six variants of every photo."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(f"{folder}/layouts")
    os.makedirs(f"{folder}/assets")
    os.symlink(photo_folder, f"{folder}/assets/photos")
    with open(f"{folder}/hugo.toml", "w") as f:
        f.write('baseURL = "https://jatim.koni.id/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                '[imaging]\n  quality = 80\n')
    resizes = "".join(f'{{{{ $w{w} := .Resize "{w}x webp q78" }}}}{{{{ $j{w} := .Resize "{w}x jpg q80" }}}}'
                      f'<img src="{{{{ $w{w}.RelPermalink }}}}"><img src="{{{{ $j{w}.RelPermalink }}}}">' for w in WIDTHS)
    with open(f"{folder}/layouts/index.html", "w") as f:
        f.write('{{ range resources.Match "photos/*.jpg" }}' + resizes + "\n{{ end }}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=40, help="12 MP photographs (default 40)")
    parser.add_argument("--work", default="/tmp/koni-images-bench")
    parser.add_argument("--bench", required=True, help="the koni-image-bench binary")
    parser.add_argument("--record", action="store_true", help="prepend the results to BENCHMARKS.md")
    args = parser.parse_args()
    photo_folder = f"{args.work}/photos"
    started = time.monotonic()
    photos(photo_folder, args.photos)
    source_mb = sum(os.path.getsize(f"{photo_folder}/{n}") for n in os.listdir(photo_folder) if n.endswith(".jpg")) / 2**20
    site, cache = f"{args.work}/hugo", f"{args.work}/koni-cache"
    hugo_site(site, photo_folder)
    shutil.rmtree(cache, ignore_errors=True)
    rows = []
    hugo_cold = timed(["hugo", "--quiet", "-d", f"{args.work}/hugo-public"], cwd=site)
    hugo_warm = timed(["hugo", "--quiet", "-d", f"{args.work}/hugo-public"], cwd=site)
    koni_cold = timed([args.bench, photo_folder, cache, ",".join(map(str, WIDTHS)), "webp,jpeg", "2"])
    koni_warm = timed([args.bench, photo_folder, cache, ",".join(map(str, WIDTHS)), "webp,jpeg", "2"])
    # glibc gives each thread its own malloc arena; libvips's documentation recommends
    # MALLOC_ARENA_MAX=2 for servers. The same first run again with it (into a second, empty cache).
    arena_cache = f"{args.work}/koni-cache-arena"
    shutil.rmtree(arena_cache, ignore_errors=True)
    koni_arena = timed(["env", "MALLOC_ARENA_MAX=2", args.bench, photo_folder, arena_cache, ",".join(map(str, WIDTHS)), "webp,jpeg", "2"])
    variants = [n for d, _, files in os.walk(cache) for n in files if n.endswith((".webp", ".jpg"))]
    hugo_files = [n for d, _, files in os.walk(f"{args.work}/hugo-public") for n in files if n.endswith((".webp", ".jpg"))]
    koni_bytes = sum(os.path.getsize(os.path.join(d, n)) for d, _, files in os.walk(cache) for n in files if n.endswith(".webp") and "-480." in n)
    hugo_bytes = sum(os.path.getsize(os.path.join(d, n)) for d, _, files in os.walk(f"{args.work}/hugo-public") for n in files
                     if n.endswith(".webp") and "_480x0_" in n)
    lines = [
        f"photos: {args.photos} of 4000 x 3000 ({source_mb:.0f} MiB of JPEG); widths {WIDTHS}, WebP q78 and JPEG q80: "
        f"koni wrote {len(variants)} files, Hugo {len(hugo_files)}",
        "",
        "| tool | first run s | peak MiB | rerun, nothing changed, s | rerun peak MiB |",
        "|---|---|---|---|---|",
        f"| koni-compro (KoniImage, libvips {run('vips', '--version').stdout.strip().split('-')[1] if '-' in run('vips', '--version').stdout else ''}) | {koni_cold[0]:.1f} | {koni_cold[1]:.0f} | {koni_warm[0]:.2f} | {koni_warm[1]:.0f} |",
        f"| koni-compro, MALLOC_ARENA_MAX=2 | {koni_arena[0]:.1f} | {koni_arena[1]:.0f} | | |",
        f"| Hugo {run('hugo', 'version').stdout.split()[1]} | {hugo_cold[0]:.1f} | {hugo_cold[1]:.0f} | {hugo_warm[0]:.2f} | {hugo_warm[1]:.0f} |",
        "",
        f"ratio: koni is {hugo_cold[0] / koni_cold[0]:.1f}x faster on the first run with {koni_cold[1] / hugo_cold[1]:.2f}x Hugo's peak memory "
        f"({koni_arena[1] / hugo_cold[1]:.2f}x with MALLOC_ARENA_MAX=2); "
        f"rerun {koni_warm[0] / koni_cold[0] * 100:.1f}% of koni's first run.",
        "",
        f"bytes of the 480 px WebP (what a 390 px phone loads): koni {koni_bytes / max(1, args.photos) / 1024:.0f} KiB per photo, "
        f"Hugo {hugo_bytes / max(1, args.photos) / 1024:.0f} KiB per photo; the 12 MP originals average {source_mb * 1024 / max(1, args.photos):.0f} KiB",
    ]
    print("\n".join(lines))
    if args.record:
        from bench import machine_info, prepend_record
        m, commit = machine_info(), run("git", "-C", REPO, "rev-parse", "--short", "HEAD").stdout.strip()
        intro = ("`Benchmarks/images` makes the same responsive variants of the same 12 MP photographs with "
                 "koni-compro's image pipeline (`KoniImage` on libvips, through `koni-image-bench`) and with Hugo, in the same run. "
                 "The pipeline is not wired into the site build yet (issue 18); this compares the image work alone.")
        block = [f"### {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — `Benchmarks/images --photos {args.photos}`", "",
                 f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Linux {m['kernel']}",
                 f"- git {commit}; total time of this run (photos included): {(time.monotonic() - started) / 60:.1f} min", "",
                 *lines, "", ""]
        prepend_record(os.path.join(REPO, "BENCHMARKS.md"), "## Images: responsive variants against Hugo", intro, "## Markdown limits", block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
