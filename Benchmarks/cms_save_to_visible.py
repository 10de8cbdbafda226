#!/usr/bin/env python3
"""Save → visible: a save through the CMS admin API (cms-service, PostgreSQL) → outbox → RabbitMQ →
`koni-compro serve` → published release → Nginx on loopback, timed from just before the API
request to the first Nginx answer that shows it, one settled change at a time, per branch size:

  edit    a news title (PUT with If-Match); visible when /berita/<slug>/ shows the new title
  create  a published news item dated today (POST); visible when /berita/<slug>/ answers 200 with it
  delete  a news item (DELETE); visible when /berita/<slug>/ answers 404 or 410

Settled: a change is saved once the previous one is visible, the daemon has logged "published"
for every outbox row the CMS stored, and --pause has passed. Files per change: the daemon's
`koni_files_written_total` (GET /metrics; site paths, `.gz` siblings not counted) across it.
Started by Benchmarks/cms-save-to-visible (builds, PostgreSQL, RabbitMQ); standard library only.
"""
import argparse, http.client, json, math, os, random, shutil, socket, statistics, subprocess, sys, time
import urllib.error, urllib.request
from datetime import date, datetime, timedelta, timezone

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TIMEOUT = 60.0  # seconds a change may take to become visible (--timeout)
POLL = 0.005  # seconds between two requests to Nginx while waiting
SPORTS = ["Sepak Bola", "Bulu Tangkis", "Atletik", "Renang", "Pencak Silat", "Bola Voli", "Bola Basket", "Tinju",
          "Angkat Besi", "Panahan", "Karate", "Taekwondo", "Catur", "Balap Sepeda", "Dayung", "Senam"]
TOPICS = ["PON", "Porprov", "Pembinaan", "Prestasi"]
BODY = ("Paragraf pembuka berita uji nomor {n}: KONI menyiapkan atlet untuk kejuaraan berikutnya "
        "dengan program latihan yang terukur dan evaluasi setiap bulan.\n\n## Persiapan\n\n"
        "Pelatih menjelaskan bahwa **seleksi** berlangsung dua tahap, dan para atlet muda mengikuti "
        "pemusatan latihan di GOR Delta.\n\n- Latihan fisik\n- Latihan teknik\n- Evaluasi\n")
DAYS = 2860  # seeded news are dated 2019-01-01 … 2026-10-31


class Failure(Exception):
    """A step that failed or a change that never became visible; the message names it."""


def log(message):
    """Progress on stderr, so that stdout holds only the results."""
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def free_port():
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*command, **kwargs):
    """Runs a command and returns its output; a failure raises Failure with the output's tail."""
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise Failure(f"{' '.join(map(str, command[:3]))} … failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout


def psql(sql, db="postgres"):
    """Runs SQL on the services' PostgreSQL (database `db`); returns the unaligned output."""
    url = os.environ["KONI_TEST_POSTGRES_URL"].rsplit("/", 1)[0] + "/" + db
    return run("psql", url, "-qtAX", "-v", "ON_ERROR_STOP=1", "-c", sql).strip()


def api(method, url, body=None, headers=None):
    """One JSON request with urllib; returns (status, parsed body or text or None)."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=120) as reply:
            status, raw = reply.status, reply.read()
    except urllib.error.HTTPError as error:
        status, raw = error.code, error.read()
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


class Process:
    """A server this script started, its output in a log file; stopped by its own pid."""

    def __init__(self, name, command, log_path, env=None):
        self.name, self.log_path = name, log_path
        with open(log_path, "ab") as out:
            self.handle = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)

    def wait_until(self, ready, what):
        """Polls `ready()` until it is true; fails with the log's tail if the process exits or after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and self.handle.poll() is None:
            try:
                if ready():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        with open(self.log_path, errors="replace") as f:
            raise Failure(f"{self.name} never became {what}; last lines of {self.log_path}:\n{''.join(f.readlines()[-20:])}")

    def stop(self):
        """SIGTERM, then SIGKILL after 20 s."""
        self.handle.terminate()
        try:
            self.handle.wait(20)
        except subprocess.TimeoutExpired:
            self.handle.kill()
            self.handle.wait()


def poll(check, what, every=0.1):
    """Calls `check()` every `every` seconds until it returns something true, and returns that;
    raises Failure("<what> within <TIMEOUT> s") when TIMEOUT has passed."""
    deadline = time.monotonic() + TIMEOUT
    while not (result := check()):
        if time.monotonic() > deadline:
            raise Failure(f"{what} within {TIMEOUT:.0f} s")
        time.sleep(every)
    return result


def news_fields(i, n):
    """Generated news item number i of n (wire JSON); the SQL seeding writes the same values."""
    day = date.fromordinal(date(2019, 1, 1).toordinal() + (i - 1) * DAYS // n)
    return {"slug": f"berita-{i}", "title": f"Berita uji nomor {i}", "date": day.isoformat(),
            "summary": f"Ringkasan berita uji nomor {i}.", "tags": [SPORTS[i % 16], TOPICS[(i // 16) % 4]],
            "author": "Tim Humas", "body": BODY.replace("{n}", str(i))}


def seed(mode, ctx, n):
    """Puts the branch with its n news into the CMS and returns the seconds it took.

    The folder is the demo tenant jatim (settings, theme, pages, events, galleries, athletes,
    static files) without its news, as `<slug>` with the domain `<slug>.koni.id`.
    `api`: the n news are written into it as files and `koni-compro cms import` sends them.
    `sql`: the folder is imported without news, then one INSERT … SELECT generate_series writes
    the n news straight into cms_news (its columns as of CMSMigrations version 1; a database
    trigger sees them like any other write). Both give the same site, byte for byte.
    Afterwards the folder says `source: cms` and loses its content/, as a CMS branch's does."""
    started, slug = time.monotonic(), ctx["slug"]
    folder = os.path.join(ctx["tenants"], slug)
    shutil.copytree(os.path.join(REPO, "tenants", "jatim"), folder, ignore=lambda d, names: ["news"] if d.endswith("/content") else [])
    os.makedirs(os.path.join(folder, "content", "news"))
    with open(os.path.join(folder, "tenant.yml"), "r+") as f:
        yml = f.read().replace("  - jatim.koni.id\n", f"  - {slug}.koni.id\n").replace("source: local\n", "")
        f.seek(0)
        f.truncate()
        f.write(yml)
    if mode == "api":
        for i in range(1, n + 1):
            item = news_fields(i, n)
            front = "".join(f"{k}: {json.dumps(item[k], ensure_ascii=False)}\n" for k in ("title", "summary", "tags", "author"))
            with open(os.path.join(folder, "content", "news", f"{item['slug']}.md"), "w") as f:
                f.write(f"---\n{front}date: {item['date']}\n---\n{item['body']}")
    run(ctx["koni"], "cms", "import", slug, "--cms", ctx["cms"], "--token", ctx["token"], "--tenants", ctx["tenants"])
    if mode == "sql":
        array = lambda words: "ARRAY[" + ", ".join(f"'{w}'" for w in words) + "]"
        psql(f"""
            INSERT INTO cms_news (id, tenant_id, tenant_slug, slug, published, published_at, title, date_at, date_text,
                                  summary, cover, tags, author, body)
            SELECT gen_random_uuid(), s.tenant_id, s.tenant_slug, 'berita-' || i, true, now(), 'Berita uji nomor ' || i,
                   (d::text || 'T00:00:00+07:00')::timestamptz, d::text, 'Ringkasan berita uji nomor ' || i || '.', NULL,
                   ARRAY[({array(SPORTS)})[1 + i % 16], ({array(TOPICS)})[1 + (i / 16) % 4]], 'Tim Humas',
                   replace($body${BODY}$body$, '{{n}}', i::text)
            FROM cms_site_settings s, generate_series(1, {n}) AS i,
                 LATERAL (SELECT date '2019-01-01' + ((i - 1)::bigint * {DAYS} / {n})::int AS d) AS day
            WHERE s.tenant_slug = '{slug}';
            ANALYZE cms_news;""", db=ctx["db"])
    shutil.rmtree(os.path.join(folder, "content"))
    with open(os.path.join(folder, "tenant.yml"), "a") as f:
        f.write(f"source: cms\ncms:\n  url: {ctx['cms']}\n")
    return time.monotonic() - started


def start_nginx(ctx):
    """Nginx as a plain process with its own prefix, serving the branch's rendered block on loopback."""
    work = os.path.join(ctx["work"], "nginx")
    for sub in ("conf/sites", "logs", "temp", "acme"):
        os.makedirs(os.path.join(work, sub), exist_ok=True)
    shutil.copytree(os.path.join(REPO, "nginx", "koni"), os.path.join(work, "conf", "koni"))
    run(ctx["koni"], "nginx", "render", ctx["slug"], "--tenants", ctx["tenants"], "--listen", f"127.0.0.1:{ctx['nginx_port']}",
        "--sites", ctx["out"], "--acme-root", f"{work}/acme", "--nginx-config", os.path.join(REPO, "nginx"), "--out", f"{work}/conf/sites")
    temps = "".join(f"    {k}_temp_path {work}/temp/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(f"{work}/conf/nginx.conf", "w") as f:
        f.write(f"worker_processes 1;\nerror_log {work}/logs/error.log warn;\npid {work}/nginx.pid;\n"
                "events { worker_connections 1024; }\nhttp {\n    include /etc/nginx/mime.types;\n"
                "    default_type application/octet-stream;\n    include koni/http.conf;\n    access_log off;\n"
                f"{temps}    include sites/*.conf;\n}}\n")
    run("nginx", "-t", "-q", "-p", work, "-c", f"{work}/conf/nginx.conf")
    return Process("nginx", ["nginx", "-p", work, "-c", f"{work}/conf/nginx.conf", "-g", "daemon off;"], f"{ctx['work']}/nginx.log")


class Site:
    """GET requests to Nginx with the branch's Host header, on one kept-alive connection."""

    def __init__(self, port, host):
        self.port, self.host, self.connection = port, host, None

    def get(self, path):
        """Returns (status, body text); a closed connection is opened again for the next request."""
        try:
            self.connection = self.connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.connection.request("GET", path, headers={"Host": self.host})
            reply = self.connection.getresponse()
            return reply.status, reply.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.connection = None
            return 0, ""

    def wait(self, path, visible, what):
        """Polls `path` until `visible(status, body)`; returns when that answer arrived (monotonic)."""
        return poll(lambda: visible(*self.get(path)) and time.monotonic(), f"{what} never became visible at {path}", POLL)


class Daemon:
    """`koni-compro serve` on the broker (a queue of its own): its /metrics and its JSON log."""

    def __init__(self, ctx):
        self.port, self.log_path, self.published, self.offset = free_port(), f"{ctx['work']}/serve.log", 0, 0
        self.process = Process("koni-compro serve", [
            ctx["koni"], "serve", "--tenants", ctx["tenants"], "--out", ctx["out"], "--templates", f"{REPO}/Templates",
            "--themes", f"{REPO}/Themes", "--host", "127.0.0.1", "--port", str(self.port), "--amqp", os.environ["KONI_TEST_AMQP_URL"],
            "--queue", f"s2v.{ctx['slug']}.{os.getpid()}", "--log-format", "json"], self.log_path)
        self.process.wait_until(lambda: "consuming events" in open(self.log_path).read(), "a consumer")

    def read_log(self):
        """Adds up the new "published" lines and returns how many there are in all; an error logged raises Failure."""
        with open(self.log_path, "rb") as f:
            f.seek(self.offset)
            chunk = f.read()
        chunk = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(chunk)
        for line in chunk.decode(errors="replace").splitlines():
            entry = json.loads(line) if line.startswith("{") else {}
            self.published += entry.get("msg") == "published"
            if entry.get("level") in ("error", "critical"):
                raise Failure(f"the daemon logged an error: {line}")
        return self.published

    def files_written(self):
        """koni_files_written_total (all tenants) from GET /metrics."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=10) as reply:
            lines = reply.read().decode().splitlines()
        return sum(float(line.rsplit(" ", 1)[1]) for line in lines if line.startswith("koni_files_written_total"))

    def settle(self, events):
        """Waits until the daemon has published `events` events since it started."""
        poll(lambda: self.read_log() >= events, f"the daemon did not handle all {events} events", 0.02)


class Branch:
    """One branch of n news: its CMS, Nginx and daemon, and the changes timed against them."""

    def __init__(self, args, n, ctx):
        self.args, self.n, self.ctx, self.servers = args, n, ctx, []
        self.slug = ctx["slug"] = f"s2v-{n}"
        work = ctx["work"] = os.path.join(args.work, self.slug)
        ctx["tenants"], ctx["out"], ctx["db"] = f"{work}/tenants", f"{work}/public", "cms_s2v"
        os.makedirs(ctx["tenants"])

    def start(self):
        """A fresh cms_db and cms-service; seeding; a full build; Nginx; then the daemon."""
        ctx, slug, db = self.ctx, self.slug, self.ctx["db"]
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(f"CREATE DATABASE {db}")
        port = free_port()
        ctx["cms"] = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KONI_CMS_DATABASE_URL=os.environ["KONI_TEST_POSTGRES_URL"].rsplit("/", 1)[0] + "/" + db,
                   KONI_CMS_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_CMS_JWT_PUBLIC_KEY_FILE=f"{self.args.keys}/public.pem",
                   KONI_CMS_PORT=str(port), KONI_CMS_LOG_LEVEL="warning", KONI_CMS_THEMES=f"{REPO}/Themes")
        self.servers.append(Process("cms-service", [f"{self.args.bin}/cms-service"], f"{ctx['work']}/cms.log", env=env))
        self.servers[-1].wait_until(lambda: api("GET", f"{ctx['cms']}/readyz")[0] == 200, "ready")
        log(f"{slug}: seeding {self.n:,} news ({self.args.seed})")
        seconds = seed(self.args.seed, ctx, self.n)
        count = psql(f"SELECT count(*) FROM cms_news WHERE tenant_slug = '{slug}' AND published", db=db)
        if int(count) != self.n:
            raise Failure(f"{slug}: seeding left {count} published news, not {self.n}")
        started = time.monotonic()
        run(ctx["koni"], "build", slug, "--tenants", ctx["tenants"], "--out", ctx["out"], "--templates", f"{REPO}/Templates", "--themes", f"{REPO}/Themes")
        self.note(f"seeding ({self.args.seed}) {seconds:.1f} s, full build from the CMS {time.monotonic() - started:.1f} s")
        ctx["nginx_port"] = free_port()
        self.servers.append(start_nginx(ctx))
        self.site = Site(ctx["nginx_port"], f"{slug}.koni.id")
        self.servers[-1].wait_until(lambda: self.site.get("/berita/berita-1/")[0] == 200, "serving /berita/berita-1/")
        # The seeding's events must not reach the daemon: it starts once the relay has sent them all.
        poll(lambda: psql("SELECT count(*) FROM outbox WHERE sent_at IS NULL", db=db) == "0", f"{slug}: the relay did not send the seeding's events")
        self.base_events = self.events()
        self.daemon = Daemon(ctx)
        self.servers.append(self.daemon.process)
        self.admin = f"{ctx['cms']}/api/v1/cms/admin/sites/{slug}/news"

    def stop(self):
        """Stops the daemon, Nginx and cms-service."""
        for server in reversed(self.servers):
            server.stop()

    def note(self, text):
        """A line printed now and above the table."""
        self.ctx["notes"].append(f"{self.slug}: {text}")
        log(self.ctx["notes"][-1])

    def events(self):
        """Outbox rows in all: every event the CMS stored, each a "published" line of the daemon once handled."""
        return int(psql("SELECT count(*) FROM outbox", db=self.ctx["db"]))

    def change(self, what, method, url, body, headers, status, path, visible):
        """Saves one change, waits until Nginx shows it and the daemon has handled its events.
        Returns (save → visible ms, API request ms, files written)."""
        files_before = self.daemon.files_written()
        started = time.monotonic()
        answer, reply = api(method, url, body, {"Authorization": f"Bearer {self.ctx['token']}", **headers})
        saved = time.monotonic()
        if answer != status:
            raise Failure(f"{self.slug}: {what}: {method} answered {answer}, not {status}: {reply}")
        seen = self.site.wait(path, visible, f"{self.slug}: {what}")
        self.daemon.settle(self.events() - self.base_events)
        files = self.daemon.files_written() - files_before
        time.sleep(self.args.pause)
        return (seen - started) * 1000, (saved - started) * 1000, files

    def item(self, item_slug):
        """A published news item as the public API serves it (with id and version)."""
        status, item = api("GET", f"{self.ctx['cms']}/api/v1/cms/sites/{self.slug}/news/{item_slug}")
        if status != 200:
            raise Failure(f"{self.slug}: GET news {item_slug} answered {status}")
        return item

    def edit(self, i, label):
        """Changes the title of berita-i."""
        item, title = self.item(f"berita-{i}"), f"Berita uji nomor {i} disunting {label}"
        body = {k: v for k, v in item.items() if k not in ("id", "version")} | {"title": title}
        return self.change(f"edit {label} of berita-{i}", "PUT", f"{self.admin}/{item['id']}", body, {"If-Match": f'"{item["version"]}"'},
                           200, f"/berita/berita-{i}/", lambda status, page: status == 200 and title in page)

    def create(self, k, today):
        """Adds the published news item baru-k dated today (at the top of every list)."""
        body = news_fields(self.n + k, self.n) | {"date": today, "slug": f"baru-{k}", "title": f"Berita baru nomor {k}", "published": True}
        return self.change(f"creation of baru-{k}", "POST", self.admin, body, {}, 201,
                           f"/berita/baru-{k}/", lambda status, page: status == 200 and body["title"] in page)

    def delete(self, i):
        """Deletes berita-i."""
        item = self.item(f"berita-{i}")
        return self.change(f"deletion of berita-{i}", "DELETE", f"{self.admin}/{item['id']}", None, {}, 204,
                           f"/berita/berita-{i}/", lambda status, page: status in (404, 410))

    def measure(self):
        """A warm-up edit, then the edits, creations and deletions, one at a time; returns the table rows."""
        args, picks = self.args, random.Random(self.n).sample(range(1, self.n + 1), self.args.edits + self.args.deletes + 1)
        self.note(f"first change after the daemon started (warm-up, not counted) {self.edit(picks[0], 'warm-up')[0]:.0f} ms")
        results = {"edit": [self.edit(i, str(k)) for k, i in enumerate(picks[1:args.edits + 1], 1)]}
        today = datetime.now(timezone(timedelta(hours=7))).date().isoformat()  # in the branch's time zone, Asia/Jakarta
        results["create"] = [self.create(k, today) for k in range(1, args.creates + 1)]
        results["delete"] = [self.delete(i) for i in picks[args.edits + 1:]]
        files = {name: statistics.median(s[2] for s in samples) for name, samples in results.items() if samples}
        self.note("files written (median): " + ", ".join(f"{v:,.0f} per {k}" for k, v in files.items()))
        return [row(self.n, name, samples) for name, samples in results.items() if samples]


def row(n, scenario, samples):
    """One table row: save → visible p50, p99 (nearest rank) and max; files per creation; API p50."""
    times, files = sorted(s[0] for s in samples), sorted(s[2] for s in samples)
    p99, med = times[max(0, math.ceil(0.99 * len(times)) - 1)], statistics.median
    created = f"{med(files):,.0f} ({files[0]:,.0f}–{files[-1]:,.0f})" if scenario == "create" else ""
    return (f"| {n:,} | {scenario} | {len(times)} | {med(times):.0f} | {p99:.0f} | {times[-1]:.0f} | {created} | "
            f"{med(s[1] for s in samples):.0f} |")


def table(rows):
    """The results as a Markdown table."""
    return "\n".join(["| size | scenario | n | p50 ms | p99 ms | max ms | files/creation | save p50 ms |",
                      "|---|---|---|---|---|---|---|---|"] + rows)


def record(path, command, rows, notes, seconds, binaries):
    """Prepends a dated section under "## CMS save to visible" in BENCHMARKS.md, adding that part if missing."""
    from bench import machine_info, prepend_record  # Benchmarks/bench.py, the Hugo suite's runner: the same machine line
    m, commit = machine_info(), run("git", "-C", REPO, "rev-parse", "--short", "HEAD").strip()
    block = [f"### {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — `{command}`", "",
             f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Linux {m['kernel']}",
             f"- git {commit}; binaries `{os.path.relpath(binaries, REPO)}`; total time of this benchmark run: {seconds / 60:.1f} min",
             *[f"- {note}" for note in notes],
             "- files/creation: median (min–max) of the daemon's `koni_files_written_total` across each creation; "
             "save p50: the API request alone.", "", table(rows), "", ""]
    intro = ("`Benchmarks/cms-save-to-visible` times the whole production path: a save through the CMS admin "
             "API (PostgreSQL) → outbox → RabbitMQ → `koni-compro serve` → published release → Nginx on loopback, one settled "
             "change at a time: news title edits, creations and deletions, and the files the daemon wrote per creation.")
    if prepend_record(path, "## CMS save to visible", intro, "## Markdown limits", block):
        with open(path) as f:
            text = f.read()
        bullet = text.find("- [CMS read API](#cms-read-api)")
        if bullet >= 0:
            at = text.index("\n", bullet) + 1
            text = (text[:at] + "- [CMS save to visible](#cms-save-to-visible): a save in the CMS until Nginx serves it "
                    "(`Benchmarks/cms-save-to-visible`).\n" + text[at:])
            with open(path, "w") as f:
                f.write(text)


def main():
    """Parses the options, measures every size, prints (and with --record records) the results."""
    global TIMEOUT
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="news per branch, comma-separated (default 1000,10000)")
    parser.add_argument("--quick", action="store_true", help="size 200 with 10 edits, 5 creations and 5 deletions")
    parser.add_argument("--edits", type=int, default=100, help="title edits per size (default 100)")
    parser.add_argument("--creates", type=int, default=20, help="creations per size (default 20)")
    parser.add_argument("--deletes", type=int, default=20, help="deletions per size (default 20)")
    parser.add_argument("--seed", choices=["api", "sql"], default="sql", help="how the news reach the CMS (default sql)")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between a settled change and the next (default 0.2)")
    parser.add_argument("--timeout", type=float, default=TIMEOUT, help="seconds a change may take to become visible (default 60)")
    parser.add_argument("--record", action="store_true", help="prepend the results to BENCHMARKS.md")
    parser.add_argument("--work", default="/tmp/koni-s2v-work", help="work folder (default /tmp/koni-s2v-work)")
    parser.add_argument("--bin", required=True, help="folder with cms-service and koni-compro (given by the bash script)")
    parser.add_argument("--keys", required=True, help="folder with private.pem and public.pem (given by the bash script)")
    args = parser.parse_args()
    TIMEOUT = args.timeout
    if args.quick:
        args.sizes, args.edits, args.creates, args.deletes = "200", 10, 5, 5
    sizes = [int(s.strip().replace("k", "000")) for s in args.sizes.split(",")]
    os.makedirs(args.work, exist_ok=True)
    os.chmod(args.work, 0o755)  # Nginx's workers run unprivileged and must reach the published files
    for n in sizes:  # an earlier run's files: removing 10,000s of them takes minutes here, and is not timed
        if os.path.exists(old := os.path.join(args.work, f"s2v-{n}")):
            log(f"removing {old} (an earlier run's)")
            shutil.rmtree(old)
    token = run(f"{REPO}/scripts/cms-token", f"{args.keys}/private.pem", "admin", "", "720").strip()
    ctx, started, rows = {"koni": f"{args.bin}/koni-compro", "token": token, "notes": []}, time.monotonic(), []
    try:
        for n in sizes:
            branch = Branch(args, n, ctx)
            try:
                branch.start()
                rows += branch.measure()
            finally:
                branch.stop()
    except Failure as error:
        print("\n".join(ctx["notes"] + ([table(rows)] if rows else [])), file=sys.stderr)
        print(f"cms-save-to-visible: {error}", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    print(f"save → visible, {args.edits} edits / {args.creates} creations / {args.deletes} deletions per size, one at a time; "
          f"seeding {args.seed}; whole run {seconds / 60:.1f} min")
    print("\n".join(ctx["notes"] + [table(rows)]))
    if args.record:
        command = " ".join(["Benchmarks/cms-save-to-visible"] + [a for a in sys.argv[1:] if not a.startswith(("--bin=", "--keys=", "--record"))])
        record(os.path.join(REPO, "BENCHMARKS.md"), command, rows, ctx["notes"], seconds, args.bin)
        log("recorded in BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
