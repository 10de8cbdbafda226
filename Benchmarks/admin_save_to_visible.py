#!/usr/bin/env python3
"""Admin save → visible: a branch admin saves a news title in compro-admin (the form post a browser
sends, with the session cookie and CSRF token) → CMS (PostgreSQL) → outbox → RabbitMQ →
`koni-compro serve` → published release → Nginx on loopback. Timed from just before the form post
to the first Nginx answer that shows the new title, one settled edit at a time, on a branch of
10,000 news (--size). Also printed: the admin's own answer time (its 303 comes once the daemon says
the change is live) and the "live in N ms" the admin showed.

The admin signs in the way a browser does: /admin/masuk → the Auth service's login form (PKCE,
CSRF cookie) → /auth/callback → session cookie. Auth, CMS, admin, daemon and Nginx are the real
binaries; the CMS trusts the Auth service's JWKS. Helpers (seeding, Nginx, daemon, table) are
Benchmarks/cms_save_to_visible.py's. Started by Benchmarks/admin-save-to-visible.
"""
import argparse, http.client, json, math, os, re, shutil, statistics, subprocess, sys, time, urllib.parse, uuid
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cms_save_to_visible as s2v  # noqa: E402
from cms_save_to_visible import REPO, Failure, Process, api, free_port, log, poll, psql, run  # noqa: E402

PASSWORD = "Garuda-Emas-2026"


class Browser:
    """HTTP/1.1 to one server with a Host header and a cookie jar, the way a browser talks to it."""

    def __init__(self, port, host):
        self.port, self.host, self.cookies = port, host, {}

    def request(self, method, target, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": self.host, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body)
        connection.request(method, target, body=body, headers=headers)
        reply = connection.getresponse()
        text = reply.read().decode(errors="replace")
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return reply.status, reply.getheader("Location"), text


def hidden_fields(page):
    """The `<input type="hidden" name value>` pairs of a page (the templates write name before value)."""
    return {name: value.replace("&amp;", "&") for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}


class AdminBranch(s2v.Branch):
    """s2v.Branch with the Auth service in front: the CMS trusts its JWKS, and edits go through compro-admin."""

    def __init__(self, args, n, ctx):
        super().__init__(args, n, ctx)
        self.slug = ctx["slug"] = f"a2v-{n}"
        work = ctx["work"] = os.path.join(args.work, self.slug)
        ctx["tenants"], ctx["out"], ctx["db"] = f"{work}/tenants", f"{work}/public", "cms_a2v"
        os.makedirs(ctx["tenants"], exist_ok=True)
        self.domain = f"{self.slug}.koni.id"

    def start_auth(self):
        """auth-service on a fresh auth_db, its branch registry naming the benchmark's branch; an admin account and its token."""
        ctx, work = self.ctx, self.ctx["work"]
        registry = f"{work}/registry/{self.slug}"
        os.makedirs(registry)
        with open(os.path.join(REPO, "tenants", "jatim", "tenant.yml")) as f:
            yml = f.read().replace("  - jatim.koni.id\n", f"  - {self.domain}\n")
        with open(f"{registry}/tenant.yml", "w") as f:
            f.write(yml)
        psql("DROP DATABASE IF EXISTS auth_a2v WITH (FORCE)")
        psql("CREATE DATABASE auth_a2v")
        db = os.environ["KONI_TEST_POSTGRES_URL"].rsplit("/", 1)[0] + "/auth_a2v"
        keys = f"{work}/keys"
        run(f"{self.args.bin}/auth-service", "keys", "generate", "--keys", keys)
        port = free_port()
        ctx["auth"] = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KONI_AUTH_DATABASE_URL=db, KONI_AUTH_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"],
                   KONI_AUTH_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_AUTH_KEYS=keys, KONI_AUTH_PORT=str(port),
                   KONI_AUTH_TENANTS=f"{work}/registry", KONI_AUTH_REDIS_KEY_PREFIX=f"a2v-{uuid.uuid4().hex[:8]}:", KONI_AUTH_LOG_LEVEL="warning",
                   KONI_AUTH_SERVICE_KEYS=uuid.uuid4().hex + uuid.uuid4().hex)
        self.servers.append(Process("auth-service", [f"{self.args.bin}/auth-service"], f"{work}/auth.log", env=env))
        self.servers[-1].wait_until(lambda: api("GET", f"{ctx['auth']}/readyz")[0] == 200, "ready")
        self.email = f"admin-{uuid.uuid4().hex[:8]}@koni.id"
        status, reply = api("POST", f"{ctx['auth']}/api/v1/auth/register", {"email": self.email, "name": "Admin Bench", "password": PASSWORD})
        if status != 201:
            raise Failure(f"register answered {status}: {reply}")
        run(f"{self.args.bin}/auth-service", "users", "grant", "--email", self.email, "--role", "admin", "--database-url", db)
        status, reply = api("POST", f"{ctx['auth']}/api/v1/auth/login", {"email": self.email, "password": PASSWORD})
        if status != 200:
            raise Failure(f"login answered {status}: {reply}")
        ctx["token"] = reply["access_token"]

    def start(self):
        """Auth; the CMS trusting Auth's JWKS; seeding, build, Nginx and the daemon as s2v.Branch does; then compro-admin, signed in."""
        self.start_auth()
        ctx, slug, db = self.ctx, self.slug, self.ctx["db"]
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(f"CREATE DATABASE {db}")
        port = free_port()
        ctx["cms"] = f"http://127.0.0.1:{port}"
        env = dict(os.environ, KONI_CMS_DATABASE_URL=os.environ["KONI_TEST_POSTGRES_URL"].rsplit("/", 1)[0] + "/" + db,
                   KONI_CMS_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_CMS_JWKS_URL=ctx["auth"] + "/.well-known/jwks.json",
                   KONI_CMS_PORT=str(port), KONI_CMS_LOG_LEVEL="warning", KONI_CMS_THEMES=f"{REPO}/Themes")
        self.servers.append(Process("cms-service", [f"{self.args.bin}/cms-service"], f"{ctx['work']}/cms.log", env=env))
        self.servers[-1].wait_until(lambda: api("GET", f"{ctx['cms']}/readyz")[0] == 200, "ready")
        log(f"{slug}: seeding {self.n:,} news (sql)")
        seconds = s2v.seed("sql", ctx, self.n)
        started = time.monotonic()
        run(ctx["koni"], "build", slug, "--tenants", ctx["tenants"], "--out", ctx["out"], "--templates", f"{REPO}/Templates", "--themes", f"{REPO}/Themes")
        self.note(f"seeding {seconds:.1f} s, full build from the CMS {time.monotonic() - started:.1f} s")
        ctx["nginx_port"] = free_port()
        self.servers.append(s2v.start_nginx(ctx))
        self.site = s2v.Site(ctx["nginx_port"], self.domain)
        self.servers[-1].wait_until(lambda: self.site.get("/berita/berita-1/")[0] == 200, "serving /berita/berita-1/")
        poll(lambda: psql("SELECT count(*) FROM outbox WHERE sent_at IS NULL", db=db) == "0", f"{slug}: the relay did not send the seeding's events")
        self.base_events = self.events()
        self.daemon = s2v.Daemon(ctx)
        self.servers.append(self.daemon.process)
        ctx, work = self.ctx, self.ctx["work"]
        port = free_port()
        env = dict(os.environ, KONI_ADMIN_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"], KONI_ADMIN_AUTH_URL=ctx["auth"], KONI_ADMIN_CMS_URL=ctx["cms"],
                   KONI_ADMIN_PORT=str(port), KONI_ADMIN_TENANTS=f"{work}/registry", KONI_ADMIN_SITES=ctx["out"], KONI_ADMIN_THEMES=f"{REPO}/Themes",
                   KONI_ADMIN_DAEMON_URL=f"http://127.0.0.1:{self.daemon.port}", KONI_ADMIN_REDIS_KEY_PREFIX=f"a2v-{uuid.uuid4().hex[:8]}:",
                   KONI_ADMIN_LOG_LEVEL="warning")
        self.servers.append(Process("compro-admin", [f"{self.args.bin}/compro-admin"], f"{work}/admin.log", env=env))
        self.servers[-1].wait_until(lambda: api("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200, "ready")
        self.browser = Browser(port, self.domain)
        self.sign_in()

    def sign_in(self):
        """/admin/masuk → Auth's login form → POST credentials → /auth/callback → the admin's session cookie."""
        status, location, _ = self.browser.request("GET", "/admin/masuk")
        login = urllib.parse.urlsplit(location or "")
        if status != 303 or login.path != "/auth/login":
            raise Failure(f"/admin/masuk answered {status} {location}")
        auth = Browser(int(urllib.parse.urlsplit(self.ctx["auth"]).port), "app.koni.id")
        status, _, page = auth.request("GET", f"{login.path}?{login.query}")
        if status != 200:
            raise Failure(f"the login page answered {status}")
        status, location, page = auth.request("POST", "/auth/login", hidden_fields(page) | {"email": self.email, "password": PASSWORD})
        callback = urllib.parse.urlsplit(location or "")
        if status != 303 or callback.path != "/auth/callback":
            raise Failure(f"the login answered {status} {location} {page[-300:]}")
        status, location, _ = self.browser.request("GET", f"{callback.path}?{callback.query}")
        if status != 303 or location != "/admin/":
            raise Failure(f"the callback answered {status} {location}")

    def edit(self, i, label):
        """Changes the title of berita-i in the admin's form. Returns (save → visible ms, admin answer ms, files written, live ms)."""
        item, title = self.item(f"berita-{i}"), f"Berita uji nomor {i} disunting di admin {label}"
        status, _, page = self.browser.request("GET", f"/admin/berita/{item['id']}/")
        if status != 200:
            raise Failure(f"the admin's form of berita-{i} answered {status}")
        values = dict(re.findall(r'<input id="([a-z_]+)" name="[a-z_]+" type="[a-z-]+" value="([^"]*)"', page))
        body = hidden_fields(page) | {k: v.replace("&amp;", "&") for k, v in values.items()} | {"title": title, "published": "1",
                                                                                             "body": item.get("body", "")}
        files_before = self.daemon.files_written()
        started = time.monotonic()
        status, location, page = self.browser.request("POST", f"/admin/berita/{item['id']}/", body)
        answered = time.monotonic()
        if status != 303 or "hasil=disimpan" not in (location or ""):
            raise Failure(f"the admin's save of berita-{i} answered {status} {location} {page[-500:]}")
        live = re.search(r"tayang=(\d+)", location)
        seen = self.site.wait(f"/berita/berita-{i}/", lambda status, text: status == 200 and title in text, f"admin edit of berita-{i}")
        self.daemon.settle(self.events() - self.base_events)
        files = self.daemon.files_written() - files_before
        time.sleep(self.args.pause)
        return (seen - started) * 1000, (answered - started) * 1000, files, int(live.group(1)) if live else None

    def measure(self):
        """A warm-up edit, then the edits one at a time."""
        picks = s2v.random.Random(self.n).sample(range(1, self.n + 1), self.args.edits + 1)
        self.note(f"first edit after the daemon started (warm-up, not counted) {self.edit(picks[0], 'warm-up')[0]:.0f} ms")
        samples = [self.edit(i, str(k)) for k, i in enumerate(picks[1:], 1)]
        lives = sorted(s[3] for s in samples if s[3] is not None)
        self.note(f"\"live in N ms\" shown by the admin: {len(lives)} of {len(samples)} saves, p50 {statistics.median(lives):.0f} ms, "
                  f"max {lives[-1]:.0f} ms" if lives else "the admin never said \"live in N ms\"")
        self.note(f"files written per edit (median): {statistics.median(s[2] for s in samples):,.0f}")
        return [row(self.n, samples)]


def row(n, samples):
    times, answers = sorted(s[0] for s in samples), sorted(s[1] for s in samples)
    p99 = lambda values: values[max(0, math.ceil(0.99 * len(values)) - 1)]
    return (f"| {n:,} | admin title edit | {len(times)} | {statistics.median(times):.0f} | {p99(times):.0f} | {times[-1]:.0f} | "
            f"{statistics.median(answers):.0f} | {p99(answers):.0f} |")


def table(rows):
    return "\n".join(["| size | scenario | n | p50 ms | p99 ms | max ms | admin answer p50 ms | admin answer p99 ms |",
                      "|---|---|---|---|---|---|---|---|"] + rows)


def record(path, command, rows, notes, seconds, binaries):
    """Prepends a dated section under "## Admin save to visible" in BENCHMARKS.md, adding that part if missing."""
    from bench import machine_info, prepend_record
    m, commit = machine_info(), run("git", "-C", REPO, "rev-parse", "--short", "HEAD").strip()
    block = [f"### {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC — `{command}`", "",
             f"- Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} RAM, {m['os']}, Linux {m['kernel']}",
             f"- git {commit}; binaries `{os.path.relpath(binaries, REPO)}`; total time of this benchmark run: {seconds / 60:.1f} min",
             *[f"- {note}" for note in notes],
             "- admin answer: the form post until the admin's 303, which it sends once the daemon said the change is live "
             "(or after 3 s).", "", table(rows), "", ""]
    intro = ("`Benchmarks/admin-save-to-visible` times what a branch admin waits for: a save in compro-admin (the "
             "browser's form post, session cookie and CSRF token) → CMS → outbox → RabbitMQ → `koni-compro serve` → Nginx, until "
             "Nginx serves the new title, one settled edit at a time on a 10,000-news branch. Target (issue 17): p99 under 250 ms.")
    prepend_record(path, "## Admin save to visible", intro, "## CMS save to visible", block)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="news in the branch (default 10000)")
    parser.add_argument("--edits", type=int, default=100, help="settled title edits (default 100)")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between a settled edit and the next (default 0.2)")
    parser.add_argument("--quick", action="store_true", help="200 news, 10 edits")
    parser.add_argument("--record", action="store_true", help="prepend the results to BENCHMARKS.md")
    parser.add_argument("--work", default="/tmp/koni-a2v-work", help="work folder (default /tmp/koni-a2v-work)")
    parser.add_argument("--bin", required=True, help="folder with the four binaries (given by the bash script)")
    args = parser.parse_args()
    args.seed = "sql"
    if args.quick:
        args.size, args.edits = 200, 10
    if os.path.exists(args.work):
        log(f"removing {args.work} (an earlier run's)")
        shutil.rmtree(args.work)
    os.makedirs(args.work)
    os.chmod(args.work, 0o755)  # Nginx's workers run unprivileged and must reach the published files
    ctx, started = {"koni": f"{args.bin}/koni-compro", "notes": []}, time.monotonic()
    branch, rows = AdminBranch(args, args.size, ctx), []
    try:
        branch.start()
        rows = branch.measure()
    except Failure as error:
        print("\n".join(ctx["notes"]), file=sys.stderr)
        print(f"admin-save-to-visible: {error}", file=sys.stderr)
        return 1
    finally:
        branch.stop()
    seconds = time.monotonic() - started
    print(f"admin save → visible, {args.edits} settled title edits on {args.size:,} news; whole run {seconds / 60:.1f} min")
    print("\n".join(ctx["notes"] + [table(rows)]))
    if args.record:
        command = " ".join(["Benchmarks/admin-save-to-visible"] + [a for a in sys.argv[1:] if not a.startswith(("--bin=", "--record"))])
        record(os.path.join(REPO, "BENCHMARKS.md"), command, rows, ctx["notes"], seconds, args.bin)
        log("recorded in BENCHMARKS.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
