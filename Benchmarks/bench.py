#!/usr/bin/env python3
"""koni-compro vs Hugo benchmark runner (Python 3 standard library only).

Normally started through Benchmarks/run, which finds or builds the koni-compro binary first.

Scenarios
  single  one tenant of N news (plus pages, events, galleries, athletes) for each N in --sizes;
          every build writes to a fresh output directory.
  many    --many-tenants tenants of --many-items content files each: `koni-compro build --all`
          against Hugo building the same sites one after another (one `hugo` process per site).
  theme   the --theme-size tenant rebuilt after a theme change (koni: tenant.yml theme override;
          Hugo: the theme CSS), into the output directory of the previous build.

Each tool is run --runs times, koni-compro and Hugo alternating (the order swaps every run), each
build under /usr/bin/time -f '%e %U %S %M' (wall s, user s, sys s, peak RSS KiB). The runner prints
medians with min–max and the koni-compro/Hugo ratios, checks the set of pages both produced against
the set the URL scheme implies, and prepends the results to BENCHMARKS.md (unless --no-record; runs
with --quick are not recorded unless --record).
"""
import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import gen  # noqa: E402

THEMES_DIR = os.path.join(HERE, "hugo", "themes")
TIME_BIN = "/usr/bin/time"
BENCH_MD = os.path.join(REPO, "BENCHMARKS.md")  # --results FILE overrides
MARK_START = "<!-- results:start -->"
MARK_END = "<!-- results:end -->"
PLACEHOLDER_RE = re.compile(r"<!-- placeholder -->.*?<!-- /placeholder -->\n?", re.S)
KONI, HUGO = "koni-compro", "hugo"


def log(msg=""):
    print(msg, flush=True)


def die(msg, code=2):
    print(f"error: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def parse_sizes(s):
    out = []
    for x in s.split(","):
        x = x.strip().lower()
        if not x:
            continue
        mult = 1000 if x.endswith("k") else 1
        out.append(int(float(x.rstrip("k")) * mult))
    return out


# --------------------------------------------------------------------------- machine and versions

def sh(cmd, timeout=20):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return (p.stdout or p.stderr).strip() if p.returncode == 0 else ""
    except Exception:
        return ""


def prepend_record(path, heading, intro, before, block):
    """Puts `block` (lines) first under `heading` in BENCHMARKS.md at `path`. A missing part is
    added, `intro` under its heading, before the `before` heading (or at the end). Returns whether
    the part was added (so that a caller can add its line to the list at the top)."""
    with open(path) as f:
        text = f.read()
    added = heading not in text
    if added:
        part = f"{heading}\n\n{intro}\n\n"
        at = text.find(before)
        text = text[:at] + part + text[at:] if at >= 0 else text.rstrip() + "\n\n" + part
    start = text.index(heading) + len(heading)
    following = [i for i in (text.find("\n### ", start), text.find("\n## ", start)) if i >= 0]
    at = min(following) + 1 if following else len(text)
    with open(path, "w") as f:
        f.write(text[:at] + "\n".join(block) + text[at:])
    return added


def machine_info():
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "unknown"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                    break
    except OSError:
        pass
    osname = platform.system()
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    osname = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {"nproc": os.cpu_count() or 0, "cpu": cpu, "memory": mem, "os": osname,
            "kernel": platform.release()}


def hugo_version(hugo):
    return sh([hugo, "version"]) or "unknown"


def koni_version(koni):
    v = ""
    for args in (["--version"], ["version"]):
        out = sh([koni] + args, timeout=10)
        if out and len(out) < 200:
            v = out.splitlines()[0]
            break
    rev = sh(["git", "-C", REPO, "rev-parse", "--short", "HEAD"]) or "no commit yet"
    dirty = " + uncommitted changes" if sh(["git", "-C", REPO, "status", "--porcelain"]) else ""
    return (v + " " if v else "") + f"(git {rev}{dirty})"


# --------------------------------------------------------------------------- measuring

class Run:
    def __init__(self, wall, user, sys_, rss_kb, rc, log_path):
        self.wall, self.user, self.sys, self.rss_kb, self.rc, self.log = wall, user, sys_, rss_kb, rc, log_path

    @property
    def cpu(self):
        return self.user + self.sys

    @property
    def ok(self):
        return self.rc == 0


def timed(cmd, log_path, cwd=None, env=None):
    tf = log_path + ".time"
    with open(log_path, "w") as lf:
        lf.write("$ " + " ".join(cmd) + "\n")
        lf.flush()
        p = subprocess.run([TIME_BIN, "-f", "%e %U %S %M", "-o", tf, "--"] + cmd, cwd=cwd, env=env,
                           stdin=subprocess.DEVNULL, stdout=lf, stderr=subprocess.STDOUT)
    wall = user = sys_ = 0.0
    rss = 0
    try:
        with open(tf) as f:
            lines = [x for x in f.read().splitlines() if x.strip()]
        parts = lines[-1].split()
        wall, user, sys_, rss = float(parts[0]), float(parts[1]), float(parts[2]), int(parts[3])
    except (OSError, IndexError, ValueError):
        pass
    return Run(wall, user, sys_, rss, p.returncode, log_path)


def tail(path, n=15):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return ""


def rmtree(path):
    if os.path.lexists(path):
        shutil.rmtree(path, ignore_errors=True)


# Where clear_output() moves old outputs; emptied when the run ends (set by main()).
TRASH = {"dir": None, "count": 0, "delete": False}


def clear_output(path):
    """Makes room for a fresh build at `path` (not timed).

    The old output is moved aside, not deleted: on ext4 without a journal (this machine's root
    file system) the inode allocator skips every inode freed in the last minutes one by one, so
    a build that starts right after tens of thousands of files were deleted spends most of its
    time in the kernel (measured: koni-compro 22 s of system time instead of 2.5 s, Hugo 11 s
    instead of 5 s). Both tools get the same treatment; `--delete-outputs` restores deleting."""
    if not os.path.lexists(path):
        return
    if TRASH["delete"] or TRASH["dir"] is None:
        rmtree(path)
        return
    os.makedirs(TRASH["dir"], exist_ok=True)
    TRASH["count"] += 1
    os.rename(path, os.path.join(TRASH["dir"], f"{TRASH['count']}-{os.path.basename(path)}"))


# --------------------------------------------------------------------------- output checks

def scan_site(root, prefix=""):
    """Pages (dirs holding index.html, as site paths), Hugo alias redirects, file and byte counts."""
    s = {"pages": set(), "aliases": 0, "html_files": 0, "html_bytes": 0, "files": 0, "bytes": 0,
         "gz_files": 0, "gz_bytes": 0, "missing_special": []}
    if not os.path.isdir(root):
        s["missing_special"] = ["(no output directory)"]
        return s
    for d, dirs, files in os.walk(root):
        dirs[:] = [x for x in dirs if not x.startswith(".")]  # koni-compro's .koni/ (manifest) is never served
        rel = os.path.relpath(d, root).replace(os.sep, "/")
        for fn in files:
            p = os.path.join(d, fn)
            try:
                size = os.path.getsize(p)
            except OSError:
                continue
            s["files"] += 1
            s["bytes"] += size
            if fn.endswith(".gz"):
                s["gz_files"] += 1
                s["gz_bytes"] += size
            elif fn.endswith(".html"):
                s["html_files"] += 1
                s["html_bytes"] += size
            if fn == "index.html":
                if size < 2048:
                    with open(p, "rb") as f:
                        if b'http-equiv="refresh"' in f.read():
                            s["aliases"] += 1
                            continue
                path = "/" if rel == "." else f"/{rel}/"
                s["pages"].add(prefix + path)
    for special in ("feed.xml", "sitemap.xml", "robots.txt", "404.html"):
        if not os.path.exists(os.path.join(root, special)):
            s["missing_special"].append(special)
    return s


def merge_scans(scans):
    out = {"pages": set(), "aliases": 0, "html_files": 0, "html_bytes": 0, "files": 0, "bytes": 0,
           "gz_files": 0, "gz_bytes": 0, "missing_special": []}
    for sc in scans:
        for k, v in sc.items():
            if k == "pages":
                out["pages"] |= v
            elif k == "missing_special":
                out["missing_special"] += v
            else:
                out[k] += v
    out["missing_special"] = sorted(set(out["missing_special"]))
    return out


def koni_site_root(out, slug):
    """Where koni-compro put one tenant's live site: OUT/<slug>/current/ (the publisher's symlink to
    the live release), else OUT/<slug>/ or OUT/ itself."""
    for c in (os.path.join(out, slug, "current"), os.path.join(out, slug), out):
        if os.path.exists(os.path.join(c, "index.html")):
            return c
    return os.path.join(out, slug)


def expected_set(manifest, multi):
    exp = set()
    for slug, paths in manifest["expected"].items():
        pre = f"/{slug}" if multi else ""
        exp.update(pre + p for p in paths)
    return exp


def compare(scan, expected):
    got = scan["pages"]
    missing = sorted(expected - got)
    extra = sorted(got - expected)
    return missing, extra


# --------------------------------------------------------------------------- scenarios

class Scenario:
    def __init__(self, key, title, detail, expected_pages):
        self.key, self.title, self.detail, self.expected_pages = key, title, detail, expected_pages
        self.runs = {KONI: [], HUGO: []}
        self.scan = {}
        self.check = {}
        self.notes = []
        self.failed = {}


def alternate(sc, runs, tools, run_one):
    """Run each tool `runs` times; the order of the pair swaps every run."""
    for r in range(runs):
        order = list(tools) if r % 2 == 0 else list(reversed(tools))
        for tool in order:
            if tool in sc.failed:
                continue
            res = run_one(tool, r)
            sc.runs[tool].append(res)
            mark = "ok" if res.ok else f"FAILED (exit {res.rc})"
            log(f"  run {r + 1}/{runs} {tool:<11} wall {res.wall:7.2f} s  cpu {res.cpu:7.2f} s  "
                f"rss {res.rss_kb / 1024:7.1f} MiB  {mark}")
            if not res.ok:
                sc.failed[tool] = f"exit {res.rc}; log {res.log}\n{tail(res.log)}"
                log(f"    {tool} failed; last lines of {res.log}:\n" + tail(res.log))


def check_pages(sc, tool, scan, expected):
    sc.scan[tool] = scan
    missing, extra = compare(scan, expected)
    if tool == KONI:
        # koni-compro numbers its archive pages from the oldest, so `…/page/1/` is a real page
        # there (the oldest items); Hugo writes a redirect to the list at that path.
        scan["archive_first_pages"] = sum(1 for p in extra if p.endswith("/page/1/"))
        extra = [p for p in extra if not p.endswith("/page/1/")]
    sc.check[tool] = (missing, extra)


def scenario_single(a, n, tools):
    data = os.path.join(a.work, "data", f"single-{n}")
    m = gen.gen_single(data, n, force=a.force_generate, log=log)
    slug = m["slugs"][0]
    exp = expected_set(m, multi=False)
    c = m["counts"][slug]
    sc = Scenario(f"single-{n}", f"single — 1 tenant, {n:,} news",
                  f"{c['n_news']:,} news, {c['n_pages']} pages (incl. home), {c['n_events']:,} events, "
                  f"{c['n_galleries']:,} galleries, {c['n_athletes']:,} athletes = "
                  f"{m['markdown_files']:,} Markdown files", len(exp))
    tenants = os.path.join(data, "koni", "tenants")
    site = os.path.join(data, "hugo", "site")
    gen.set_theme(os.path.join(tenants, slug), site, slug, n, gen.DEFAULT_PRIMARY)
    outs = {KONI: os.path.join(a.work, "out", f"single-{n}-koni"), HUGO: os.path.join(a.work, "out", f"single-{n}-hugo")}
    logs = os.path.join(a.work, "logs")
    log(f"\n== {sc.title}: {sc.detail}; {len(exp):,} pages expected; {a.runs} runs each ==")

    def run_one(tool, r):
        clear_output(outs[tool])  # a fresh output directory for every build (not timed)
        lp = os.path.join(logs, f"{sc.key}-{tool}-{r + 1}.log")
        if tool == KONI:
            return timed([a.koni, "build", slug, "--tenants", tenants, "--out", outs[tool]], lp, cwd=REPO)
        return timed([a.hugo, "--quiet", "-s", site, "-d", outs[tool], "--themesDir", THEMES_DIR], lp, env=a.hugo_env)

    for _ in range(a.warmup):
        for tool in tools:
            run_one(tool, -1)
    alternate(sc, a.runs, tools, run_one)
    for tool in tools:
        if tool not in sc.failed:
            root = koni_site_root(outs[tool], slug) if tool == KONI else outs[tool]
            check_pages(sc, tool, scan_site(root), exp)
    return sc


def scenario_many(a, tools):
    nt, ni = a.many_tenants, a.many_items
    data = os.path.join(a.work, "data", f"many-{nt}x{ni}")
    m = gen.gen_many(data, nt, ni, force=a.force_generate, log=log)
    exp = expected_set(m, multi=True)
    c = gen.many_counts(ni)
    sc = Scenario(f"many-{nt}x{ni}", f"many — {nt} tenants × {ni} content files",
                  f"per tenant {c['n_news']} news, {c['n_pages']} pages, {c['n_events']} events, "
                  f"{c['n_galleries']} galleries, {c['n_athletes']} athletes; "
                  f"{m['markdown_files']:,} Markdown files in all", len(exp))
    tenants = os.path.join(data, "koni", "tenants")
    sites = os.path.join(data, "hugo", "sites")
    outs = {KONI: os.path.join(a.work, "out", f"{sc.key}-koni"), HUGO: os.path.join(a.work, "out", f"{sc.key}-hugo")}
    logs = os.path.join(a.work, "logs")
    os.makedirs(logs, exist_ok=True)
    script = os.path.join(a.work, f"hugo-{sc.key}.sh")
    with open(script, "w") as f:
        f.write("#!/bin/bash\n# Hugo builds the sites one after another, one process per site\nset -e\n")
        f.write(f"for s in {' '.join(m['slugs'])}; do\n")
        f.write(f'  "{a.hugo}" --quiet -s "{sites}/$s" -d "{outs[HUGO]}/$s" --themesDir "{THEMES_DIR}"\n')
        f.write("done\n")
    log(f"\n== {sc.title}: {sc.detail}; {len(exp):,} pages expected; {a.runs} runs each ==")

    def run_one(tool, r):
        clear_output(outs[tool])
        lp = os.path.join(logs, f"{sc.key}-{tool}-{r + 1}.log")
        if tool == KONI:
            return timed([a.koni, "build", "--all", "--tenants", tenants, "--out", outs[tool]], lp, cwd=REPO)
        return timed(["bash", script], lp, env=a.hugo_env)

    for _ in range(a.warmup):
        for tool in tools:
            run_one(tool, -1)
    alternate(sc, a.runs, tools, run_one)
    for tool in tools:
        if tool not in sc.failed:
            scans = []
            for slug in m["slugs"]:
                root = koni_site_root(outs[tool], slug) if tool == KONI else os.path.join(outs[tool], slug)
                scans.append(scan_site(root, prefix=f"/{slug}"))
            check_pages(sc, tool, merge_scans(scans), exp)
    sc.notes.append("Hugo: one `hugo` process per site, run sequentially by a bash loop timed as a whole "
                    "(CPU = sum over the processes; peak RSS = the largest single process).")
    return sc


def referenced_css_has(site_root, color):
    """Does the home page, or a stylesheet it links, contain the colour?"""
    idx = os.path.join(site_root, "index.html")
    try:
        with open(idx, encoding="utf-8", errors="replace") as f:
            html = f.read()
    except OSError:
        return False
    if color.lower() in html.lower():
        return True
    for href in re.findall(r'<link[^>]+href="(/[^"]+\.css)"', html):
        p = os.path.join(site_root, href.lstrip("/"))
        try:
            with open(p, encoding="utf-8", errors="replace") as f:
                if color.lower() in f.read().lower():
                    return True
        except OSError:
            pass
    return False


def scenario_theme(a, tools):
    n = a.theme_size
    data = os.path.join(a.work, "data", f"single-{n}")
    m = gen.gen_single(data, n, force=a.force_generate, log=log)
    slug = m["slugs"][0]
    exp = expected_set(m, multi=False)
    tenants = os.path.join(data, "koni", "tenants")
    site = os.path.join(data, "hugo", "site")
    sc = Scenario(f"theme-{n}", f"theme — rebuild of the {n:,}-news tenant after a theme change",
                  f"koni: `theme.overrides.color-primary` in tenant.yml; Hugo: `--color-primary` in the theme CSS "
                  f"(fingerprinted, linked from every page); both rebuild into the previous build's output",
                  len(exp))
    outs = {KONI: os.path.join(a.work, "out", f"{sc.key}-koni"), HUGO: os.path.join(a.work, "out", f"{sc.key}-hugo")}
    logs = os.path.join(a.work, "logs")
    log(f"\n== {sc.title}: {len(exp):,} pages expected; {a.runs} runs each ==")

    def build(tool, r):
        lp = os.path.join(logs, f"{sc.key}-{tool}-{r + 1 if r >= 0 else 'warm'}.log")
        if tool == KONI:
            return timed([a.koni, "build", slug, "--tenants", tenants, "--out", outs[tool]], lp, cwd=REPO)
        return timed([a.hugo, "--quiet", "-s", site, "-d", outs[tool], "--themesDir", THEMES_DIR], lp, env=a.hugo_env)

    # two colours unlike the preset's red, so the check below cannot be fooled by a default value
    colors = list(gen.THEME_TEST_COLORS)
    last = {}
    try:
        gen.set_theme(os.path.join(tenants, slug), site, slug, n, gen.DEFAULT_PRIMARY)
        log("  first build of both (not timed) …")
        for tool in tools:
            clear_output(outs[tool])
            w = build(tool, -1)
            if not w.ok:
                sc.failed[tool] = f"first build failed (exit {w.rc}); log {w.log}\n{tail(w.log)}"
                log(f"    {tool} first build failed:\n{tail(w.log)}")

        def run_one(tool, r):
            color = colors[r % 2]
            if last.get(tool) != color:  # each build sees one theme change since its previous build
                if tool == KONI:
                    gen.set_theme(os.path.join(tenants, slug), site, slug, n, color)
                else:
                    with open(os.path.join(site, "assets", "css", "theme.css"), "w") as f:
                        f.write(gen.theme_css(color))
            last[tool] = color
            return build(tool, r)

        alternate(sc, a.runs, tools, run_one)
        for tool in tools:
            if tool in sc.failed:
                continue
            root = koni_site_root(outs[tool], slug) if tool == KONI else outs[tool]
            check_pages(sc, tool, scan_site(root), exp)
            other = colors[0] if last[tool] == colors[1] else colors[1]
            ok = referenced_css_has(root, last[tool]) and not referenced_css_has(root, other)
            sc.notes.append(f"{tool}: after the last rebuild the home page's stylesheets "
                            f"{'have the new colour ' + last[tool] if ok else 'DO NOT show the new colour ' + last[tool] + ' alone'}.")
    finally:
        gen.set_theme(os.path.join(tenants, slug), site, slug, n, gen.DEFAULT_PRIMARY)
    return sc


# --------------------------------------------------------------------------- reporting

def med(xs):
    return statistics.median(xs) if xs else float("nan")


def stat(runs, f):
    xs = [f(r) for r in runs if r.ok]
    if not xs:
        return None
    return med(xs), min(xs), max(xs)


METRICS = [("wall s", lambda r: r.wall, "{:.2f}"), ("CPU s (user+sys)", lambda r: r.cpu, "{:.2f}"),
           ("peak RSS MiB", lambda r: r.rss_kb / 1024, "{:.0f}")]


def fmt_stat(st, f):
    if st is None:
        return "—"
    m, lo, hi = st
    return f"{f.format(m)} ({f.format(lo)}–{f.format(hi)})"


def page_line(sc, tool):
    if tool not in sc.scan:
        return "—"
    s = sc.scan[tool]
    missing, extra = sc.check[tool]
    n = len(s["pages"])
    txt = f"{n:,}"
    if not missing and not extra:
        txt += " ✓"
    else:
        txt += f" ✗ ({len(missing):,} missing, {len(extra):,} extra)"
    return txt


def output_line(sc, tool):
    if tool not in sc.scan:
        return "—"
    s = sc.scan[tool]
    txt = f"{s['files']:,} files, {s['bytes'] / 2**20:.1f} MiB"
    if s["html_files"]:
        txt += f"; HTML {s['html_bytes'] / max(1, s['html_files']) / 1024:.1f} KiB/page"
    if s["gz_files"]:
        txt += f"; {s['gz_files']:,} .gz ({s['gz_bytes'] / 2**20:.1f} MiB)"
    return txt


def scenario_notes(sc):
    notes = []
    for tool in (KONI, HUGO):
        if tool in sc.failed:
            notes.append(f"{tool} FAILED: {sc.failed[tool].splitlines()[0]}")
        if tool in sc.check:
            missing, extra = sc.check[tool]
            if missing:
                notes.append(f"{tool} missing pages, e.g. {', '.join(missing[:5])}")
            if extra:
                notes.append(f"{tool} extra pages, e.g. {', '.join(extra[:5])}")
            if sc.scan[tool]["missing_special"]:
                notes.append(f"{tool} without: {', '.join(sc.scan[tool]['missing_special'])}")
    if HUGO in sc.scan and sc.scan[HUGO]["aliases"]:
        notes.append(f"Hugo also wrote {sc.scan[HUGO]['aliases']:,} `…/page/1/` alias redirects (not counted as pages).")
    if KONI in sc.scan:
        if sc.scan[KONI].get("archive_first_pages"):
            notes.append(f"koni-compro also wrote {sc.scan[KONI]['archive_first_pages']:,} `…/page/1/` archive pages (its archive is numbered from the oldest; not counted as pages).")
        if sc.scan[KONI]["gz_files"]:
            notes.append("koni-compro's times include writing the .gz siblings of its text files; Hugo does not gzip.")
    return notes + sc.notes


def ratio(sc, f):
    k, h = stat(sc.runs[KONI], f), stat(sc.runs[HUGO], f)
    if not k or not h or h[0] == 0:
        return "—"
    return f"{k[0] / h[0]:.2f}×"


def print_table(sc, tools):
    n_runs = max(len(sc.runs[t]) for t in tools)
    log(f"\n{sc.title} — {sc.expected_pages:,} pages expected, {n_runs} runs each, median (min–max)")
    head = ["", *[m[0] for m in METRICS], "pages", "output"]
    rows = []
    for tool in tools:
        rows.append([tool, *[fmt_stat(stat(sc.runs[tool], f), fm) for _, f, fm in METRICS],
                     page_line(sc, tool), output_line(sc, tool)])
    if KONI in tools and HUGO in tools:
        rows.append(["koni/hugo", *[ratio(sc, f) for _, f, _ in METRICS], "", ""])
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    for r in [head] + rows:
        log("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
    for n in scenario_notes(sc):
        log(f"  · {n}")


def md_table(sc, tools):
    lines = [f"#### {sc.title}", "", f"{sc.detail}. {sc.expected_pages:,} pages expected "
             f"(`index.html` files). Median (min–max) of {max(len(sc.runs[t]) for t in tools)} runs each, "
             "koni-compro and Hugo alternating.", "",
             "| | wall s | CPU s (user+sys) | peak RSS MiB | pages | output |", "|---|---|---|---|---|---|"]
    for tool in tools:
        name = "koni-compro" if tool == KONI else "Hugo"
        lines.append(f"| {name} | " + " | ".join(fmt_stat(stat(sc.runs[tool], f), fm) for _, f, fm in METRICS)
                     + f" | {page_line(sc, tool)} | {output_line(sc, tool)} |")
    if KONI in tools and HUGO in tools:
        lines.append("| **koni/Hugo** | " + " | ".join(f"**{ratio(sc, f)}**" for _, f, _ in METRICS) + " | | |")
    notes = scenario_notes(sc)
    if notes:
        lines.append("")
        lines += [f"- {n}" for n in notes]
    return "\n".join(lines) + "\n"


def record(results, tools, meta, path):
    when = meta["date"]
    block = [f"### {when} — `{meta['command']}`", "",
             f"- Machine: {meta['machine']['nproc']} CPUs ({meta['machine']['cpu']}), {meta['machine']['memory']} RAM, "
             f"{meta['machine']['os']}, Linux {meta['machine']['kernel']}",
             f"- Hugo: {meta['hugo_version'] if HUGO in tools else 'not run'}",
             f"- koni-compro: {meta['koni_version'] if KONI in tools else 'not run'}"
             + (f" — binary `{os.path.relpath(meta['koni'], REPO) if meta['koni'].startswith(REPO) else meta['koni']}`" if KONI in tools else ""),
             f"- Runs per tool: {meta['runs']}, alternating; total time of this benchmark run: {meta['elapsed']}", ""]
    for sc in results:
        block.append(md_table(sc, tools))
    text = "\n".join(block) + "\n"
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            doc = f.read()
    else:
        doc = f"# Benchmarks\n\n## Results\n\n{MARK_START}\n{MARK_END}\n"
    if MARK_START not in doc:
        doc = doc.rstrip("\n") + f"\n\n## Results\n\n{MARK_START}\n{MARK_END}\n"
    doc = PLACEHOLDER_RE.sub("", doc)
    i = doc.index(MARK_START) + len(MARK_START)
    doc = doc[:i] + "\n\n" + text + doc[i:].lstrip("\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
    log(f"\nresults prepended to {path}")


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(prog="Benchmarks/run", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenarios", default="single,many,theme", help="comma list of single,many,theme (default: all)")
    ap.add_argument("--sizes", help="news counts of the single scenario (default 1000,10000,50000; 10k form ok)")
    ap.add_argument("--runs", type=int, help="timed runs per tool and scenario (default 5; --quick 2)")
    ap.add_argument("--warmup", type=int, default=0, help="untimed builds per tool before the timed runs (default 0)")
    ap.add_argument("--many-tenants", type=int, help="tenants of the many scenario (default 500)")
    ap.add_argument("--many-items", type=int, help="content files per tenant in the many scenario (default 200)")
    ap.add_argument("--theme-size", type=int, help="news of the tenant of the theme scenario (default 10000)")
    ap.add_argument("--quick", action="store_true",
                    help="small smoke run: sizes 200, 2 runs, 10 tenants × 200, theme size 200; not recorded")
    ap.add_argument("--koni", default=os.path.join(REPO, ".build", "release", "koni-compro"),
                    help="koni-compro binary (default .build/release/koni-compro)")
    ap.add_argument("--no-build", action="store_true",
                    help="(Benchmarks/run) never run `swift build -c release`, even if the default binary is missing")
    ap.add_argument("--hugo", default="hugo", help="hugo binary (default: hugo on PATH)")
    ap.add_argument("--hugo-only", action="store_true", help="run only Hugo (e.g. before koni-compro builds)")
    ap.add_argument("--koni-only", action="store_true", help="run only koni-compro")
    ap.add_argument("--work", default=os.path.join(HERE, ".work"), help="work directory (default Benchmarks/.work)")
    ap.add_argument("--generate-only", action="store_true", help="only generate the data sets")
    ap.add_argument("--force-generate", action="store_true", help="regenerate data sets even if cached")
    ap.add_argument("--clean", action="store_true", help="delete the build outputs at the end")
    ap.add_argument("--delete-outputs", action="store_true",
                    help="delete each old output right before the next build instead of moving it aside "
                         "(adds the file system's cost of reusing just-freed inodes to both tools)")
    ap.add_argument("--results", default=BENCH_MD, help="results file (default BENCHMARKS.md at the repo root)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--record", dest="record", action="store_true", default=None, help="write results to BENCHMARKS.md")
    g.add_argument("--no-record", dest="record", action="store_false", help="do not touch BENCHMARKS.md")
    a = ap.parse_args()
    TRASH["delete"] = a.delete_outputs

    q = a.quick
    a.work = os.path.abspath(a.work)
    TRASH["dir"] = os.path.join(a.work, "trash")
    a.sizes = parse_sizes(a.sizes) if a.sizes else ([200] if q else [1000, 10000, 50000])
    a.runs = a.runs if a.runs is not None else (2 if q else 5)
    a.many_tenants = a.many_tenants or (10 if q else 500)
    a.many_items = a.many_items or 200
    a.theme_size = a.theme_size or (200 if q else 10000)
    if a.record is None:
        a.record = not q and not a.generate_only
    scenarios = [s.strip() for s in a.scenarios.split(",") if s.strip()]
    for s in scenarios:
        if s not in ("single", "many", "theme"):
            die(f"unknown scenario {s!r} (single, many, theme)")
    if a.runs < 1:
        die("--runs must be at least 1")
    if a.hugo_only and a.koni_only:
        die("--hugo-only and --koni-only exclude each other")
    tools = [HUGO] if a.hugo_only else [KONI] if a.koni_only else [KONI, HUGO]
    a.work = os.path.abspath(a.work)
    a.koni = os.path.abspath(a.koni)

    # preflight
    if not a.generate_only:
        if not os.access(TIME_BIN, os.X_OK):
            die(f"{TIME_BIN} not found: install GNU time (apt-get install -y time)")
        if KONI in tools and not (os.path.isfile(a.koni) and os.access(a.koni, os.X_OK)):
            die(f"koni-compro binary not found at {a.koni}.\n"
                "  Build it with `swift build -c release` in the repository root (Benchmarks/run does this when the\n"
                "  default binary is missing), pass --koni PATH, or use --hugo-only to run only the Hugo half.")
        if HUGO in tools:
            hb = shutil.which(a.hugo)
            if not hb:
                die(f"hugo not found ({a.hugo}): install Debian's hugo package (apt-get install -y hugo)")
            a.hugo = hb
    os.makedirs(os.path.join(a.work, "logs"), exist_ok=True)
    os.makedirs(os.path.join(a.work, "out"), exist_ok=True)
    a.hugo_env = dict(os.environ, HUGO_CACHEDIR=os.path.join(a.work, "hugo-cache"))

    t0 = time.time()
    meta = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": os.environ.get("BENCH_CMDLINE") or "python3 Benchmarks/bench.py " + " ".join(sys.argv[1:]),
            "machine": machine_info(), "runs": a.runs, "koni": a.koni}
    if not a.generate_only:
        meta["hugo_version"] = hugo_version(a.hugo) if HUGO in tools else ""
        meta["koni_version"] = koni_version(a.koni) if KONI in tools else ""
        m = meta["machine"]
        log(f"machine: {m['nproc']} CPUs, {m['cpu']}, {m['memory']}, {m['os']}")
        if HUGO in tools:
            log(f"hugo: {meta['hugo_version']}")
        if KONI in tools:
            log(f"koni-compro: {meta['koni_version']} at {a.koni}")

    if a.generate_only:
        if "single" in scenarios:
            for n in a.sizes:
                gen.gen_single(os.path.join(a.work, "data", f"single-{n}"), n, force=a.force_generate, log=log)
        if "theme" in scenarios:
            gen.gen_single(os.path.join(a.work, "data", f"single-{a.theme_size}"), a.theme_size,
                           force=a.force_generate, log=log)
        if "many" in scenarios:
            gen.gen_many(os.path.join(a.work, "data", f"many-{a.many_tenants}x{a.many_items}"),
                         a.many_tenants, a.many_items, force=a.force_generate, log=log)
        log(f"data sets ready under {os.path.join(a.work, 'data')}")
        return 0

    results = []
    if "single" in scenarios:
        for n in a.sizes:
            results.append(scenario_single(a, n, tools))
    if "many" in scenarios:
        results.append(scenario_many(a, tools))
    if "theme" in scenarios:
        results.append(scenario_theme(a, tools))
    el = int(time.time() - t0)
    meta["elapsed"] = f"{el // 60} min {el % 60} s"

    log("\n================ summary ================")
    m = meta["machine"]
    log(f"{meta['date']} · {m['nproc']} CPUs ({m['cpu']}) · {m['memory']} · {meta['command']}")
    for sc in results:
        print_table(sc, tools)
    if a.record:
        record(results, tools, meta, a.results)
    if TRASH["dir"]:
        rmtree(TRASH["dir"])
    if a.clean:
        rmtree(os.path.join(a.work, "out"))
    failed = any(sc.failed for sc in results)
    mismatched = any(m_ or e_ for sc in results for (m_, e_) in sc.check.values())
    return 1 if failed else (3 if mismatched else 0)


if __name__ == "__main__":
    sys.exit(main())
