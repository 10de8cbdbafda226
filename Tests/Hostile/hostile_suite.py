#!/usr/bin/env python3
"""Hostile-input suite: attacks the real revalidation daemon and CMS as a hostile client would.

Runs against REAL servers: PostgreSQL and RabbitMQ must be running, with the variables that
scripts/services writes exported (KONI_TEST_POSTGRES_URL, KONI_TEST_AMQP_URL,
KONI_TEST_RABBITMQ_NODE, KONI_TEST_RABBITMQ_HOME). scripts/test runs it after the Swift tests:

    python3 Tests/Hostile/hostile_suite.py [--bin .build/debug] [--keep]

It copies the demo tenant jatim into a temporary tenants folder, builds it, creates its own CMS
database and RSA key pair, starts `cms-service` and `koni-compro serve` on free loopback ports,
then attacks both: crafted webhook signature headers, oversized bodies, poison AMQP events,
pathological Markdown, symlinks inside tenant folders, and crafted JWTs; and `media-service` (its
own database and storage folder) with hostile uploads. Last, every operation of the CMS and Media
OpenAPI documents is fuzzed (Tests/Support/openapi_fuzz.py): no 5xx, no dropped connection, and
JSON answers that parse. Every check prints
`ok <name>` or `FAIL <name>: reason` and also requires the daemon to be alive afterwards (a daemon
that died is restarted, its queue purged, so that the remaining checks still say something). The
last line is `N passed, M failed`; the exit status is 1 when a check failed.

Only Python's standard library, the amqp-tools CLIs, rabbitmqctl, psql and openssl are used, and
only loopback addresses are contacted. Everything it starts is stopped, its database dropped and
its queues deleted at the end.
"""

import argparse
import base64
import datetime
import gzip
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "Tests", "Support"))
import openapi_fuzz  # noqa: E402 (found through the line above)

TENANT = "jatim"
CMS_TENANT = "hostile-cms"
TENANT_ID = "00000000-0000-0000-0000-000000000001"
PASSWD_MARKER = b"root:x:0:0"
OUTSIDE_NEWS_MARKER = "HOSTILE OUTSIDE NEWS MARKER"
OUTSIDE_TENANT_MARKER = "HOSTILE OUTSIDE TENANT MARKER"
ISSUER = os.environ.get("KONI_JWT_ISSUER", "https://app.koni.id")
AUDIENCE = os.environ.get("KONI_JWT_AUDIENCE", "https://api.koni.id")


class Fail(Exception):
    """A check's expectation that did not hold."""


class Stop(Exception):
    """SIGTERM or SIGINT: clean up and leave."""


def log(message):
    print(f"hostile: {message}", file=sys.stderr, flush=True)


def tail(path, lines=60):
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return f"(cannot read {path}: {error})"
    text = data.decode("utf-8", "replace").splitlines()[-lines:]
    return "\n".join(line[:2000] for line in text)


def loopback_only(url, what):
    host = urllib.parse.urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"hostile: {what} ({url}) is not a loopback address; this suite contacts only loopback")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command, timeout=120, check=True, env=None, input=None):
    """Runs a command with a bounded time; returns CompletedProcess (bytes)."""
    result = subprocess.run(command, capture_output=True, timeout=timeout, env=env, input=input)
    if check and result.returncode != 0:
        raise Fail(f"{' '.join(map(str, command))[:200]} exited {result.returncode}: "
                   f"{result.stderr.decode('utf-8', 'replace')[-800:]}")
    return result


# ---------------------------------------------------------------------------------------------
# HTTP over a raw socket: the body is sent on its own thread so that a server answering before it
# has read the whole body (413, 401) is still heard, and nothing (proxies, redirects) is implicit.

class Reply:
    def __init__(self, status, headers, body, seconds):
        self.status, self.headers, self.body, self.seconds = status, headers, body, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def __str__(self):
        return f"{self.status} in {self.seconds:.2f}s {self.text[:300]!r}"


def http(port, method, path, headers=None, body=b"", timeout=30.0):
    """One request to 127.0.0.1:port; Reply, or Fail when there is no answer."""
    headers = dict(headers or {})
    headers.setdefault("Host", f"127.0.0.1:{port}")
    headers["Connection"] = "close"
    if body or method in ("POST", "PUT"):
        headers["Content-Length"] = str(len(body))
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    start = time.monotonic()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=min(timeout, 5))
    except OSError as error:
        raise Fail(f"cannot connect to 127.0.0.1:{port}: {error}")
    sock.settimeout(timeout)
    send_error = []

    def send():
        try:
            sock.sendall(head.encode("latin-1") + body)
        except OSError as error:
            send_error.append(error)

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    data = b""
    deadline = start + timeout
    try:
        while True:
            parsed = parse_response(data)
            if parsed is not None:
                status, response_headers, response_body = parsed
                return Reply(status, response_headers, response_body, time.monotonic() - start)
            if time.monotonic() > deadline:
                raise Fail(f"{method} {path[:80]}: no complete answer within {timeout:.0f}s")
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                raise Fail(f"{method} {path[:80]}: no complete answer within {timeout:.0f}s")
            except OSError as error:
                raise Fail(f"{method} {path[:80]}: connection failed before an answer ({error}; "
                           f"{len(data)} bytes received, send error {send_error or 'none'})")
            if not chunk:
                parsed = parse_response(data, eof=True)
                if parsed is not None:
                    status, response_headers, response_body = parsed
                    return Reply(status, response_headers, response_body, time.monotonic() - start)
                raise Fail(f"{method} {path[:80]}: connection closed without an answer "
                           f"({len(data)} bytes received, send error {send_error or 'none'})")
            data += chunk
    finally:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()
        sender.join(timeout=5)


def parse_response(data, eof=False):
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].decode("latin-1").split("\r\n")
    try:
        status = int(lines[0].split(" ")[1])
    except (IndexError, ValueError):
        raise Fail(f"not an HTTP answer: {data[:100]!r}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    rest = data[end + 4:]
    if "content-length" in headers:
        length = int(headers["content-length"])
        return (status, headers, rest[:length]) if len(rest) >= length else None
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body, position = b"", 0
        while True:
            line_end = rest.find(b"\r\n", position)
            if line_end < 0:
                return None
            size = int(rest[position:line_end].split(b";")[0], 16)
            if size == 0:
                return status, headers, body
            if len(rest) < line_end + 2 + size + 2:
                return None
            body += rest[line_end + 2:line_end + 2 + size]
            position = line_end + 2 + size + 2
    if status in (204, 304) or 100 <= status < 200:
        return status, headers, b""
    return (status, headers, rest) if eof else None


# ---------------------------------------------------------------------------------------------

class Suite:
    def __init__(self, bin_dir, keep):
        self.bin = bin_dir
        self.keep = keep
        self.results = []
        self.processes = {}
        self.env = os.environ.copy()
        for name in ("KONI_TEST_POSTGRES_URL", "KONI_TEST_AMQP_URL", "KONI_TEST_RABBITMQ_NODE", "KONI_TEST_RABBITMQ_HOME"):
            if not self.env.get(name):
                raise SystemExit(f"hostile: {name} is not set; start the servers with scripts/services and source its env file")
        self.pg_url = self.env["KONI_TEST_POSTGRES_URL"]
        self.amqp_url = self.env["KONI_TEST_AMQP_URL"]
        loopback_only(self.pg_url, "KONI_TEST_POSTGRES_URL")
        loopback_only(self.amqp_url, "KONI_TEST_AMQP_URL")
        # amqp-tools read a trailing "/" as the empty vhost; the services' vhost is "/".
        self.amqp_tools_url = self.amqp_url.rstrip("/")
        self.node = self.env["KONI_TEST_RABBITMQ_NODE"]
        self.rabbit_home = self.env["KONI_TEST_RABBITMQ_HOME"]
        tag = f"{os.getpid()}{secrets.token_hex(3)}"
        self.database = f"cms_hostile_{tag}"
        self.auth_database = f"auth_hostile_{tag}"
        self.auth_database_created = False
        self.auth_port = None
        self.queue = f"hostile.{tag}.revalidate"
        self.secret = secrets.token_hex(20)  # 40 bytes
        self.used_signatures = set()
        self.work = tempfile.mkdtemp(prefix="koni-hostile-")
        self.tenants = os.path.join(self.work, "tenants")
        self.out = os.path.join(self.work, "public")
        self.outside = os.path.join(self.work, "outside")
        self.templates = os.path.join(ROOT, "Templates")
        self.themes = os.path.join(ROOT, "Themes")
        self.daemon_log = os.path.join(self.work, "daemon.log")
        self.cms_log = os.path.join(self.work, "cms.log")
        self.media_log = os.path.join(self.work, "media.log")
        self.media_database = f"media_hostile_{tag}"
        self.media_database_created = False
        self.media_files = os.path.join(self.work, "media-files")
        self.media_port = None
        # The Payment and Tenant services, started only to be fuzzed (each on its own database).
        self.extra_services = {
            "payment": {"database": f"payment_hostile_{tag}", "port": None, "log": os.path.join(self.work, "payment.log")},
            "tenant": {"database": f"tenant_hostile_{tag}", "port": None, "log": os.path.join(self.work, "tenant.log")},
            "athlete": {"database": f"athlete_hostile_{tag}", "port": None, "log": os.path.join(self.work, "athlete.log")},
            "gms": {"database": f"gms_hostile_{tag}", "port": None, "log": os.path.join(self.work, "gms.log")},
        }
        self.service_key = "hostile-service-key-" + secrets.token_hex(16)
        self.tenant_queue = f"tenant.payments.hostile-{tag}"
        self.cms_tenants_queue = f"cms.tenants.hostile-{tag}"
        self.athlete_queue = f"athlete.matches.hostile-{tag}"
        self.auth_log = os.path.join(self.work, "auth.log")
        self.admin_log = os.path.join(self.work, "admin.log")
        self.daemon_port = None
        self.cms_port = None
        self.database_created = False
        self.daemon_restarts = 0
        self.ready = False

    # -- checks ----------------------------------------------------------------------------------

    def check(self, name, body):
        """Runs one check; it passes when body returns without Fail and the daemon still lives."""
        reason = None
        try:
            note = body()
        except Fail as failure:
            reason = str(failure)
        except Stop:
            raise
        except Exception as error:  # a bug in a check must not stop the suite
            reason = f"{type(error).__name__}: {error}"
        else:
            if note:
                log(f"{name}: {note}")
        died = self.daemon_death()
        if died:
            reason = (reason + "; " if reason else "") + died
        if reason is None:
            print(f"ok {name}", flush=True)
            self.results.append((name, True))
        else:
            reason = " ".join(reason.split())
            print(f"FAIL {name}: {reason[:600]}", flush=True)
            self.results.append((name, False))
        if died and self.ready:
            log(f"daemon log (last lines):\n{tail(self.daemon_log, 40)}")
            self.restart_daemon()

    def daemon_death(self):
        process = self.processes.get("daemon")
        if process is None:
            return "the daemon is not running"
        code = process.poll()
        if code is not None:
            how = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            return f"the daemon died ({how})"
        try:
            reply = http(self.daemon_port, "GET", "/healthz", timeout=10)
        except Fail as failure:
            return f"the daemon does not answer /healthz ({failure})"
        if reply.status != 200:
            return f"the daemon's /healthz answers {reply.status}"
        return None

    # -- set-up ----------------------------------------------------------------------------------

    def koni(self, *arguments, timeout=300):
        return run([os.path.join(self.bin, "koni-compro"), *arguments], timeout=timeout, env=self.env)

    def setup(self):
        for binary in ("koni-compro", "cms-service", "auth-service", "compro-admin", "media-service", "payment-service", "tenant-service", "athlete-service",
                       "gms-service"):
            if not os.access(os.path.join(self.bin, binary), os.X_OK):
                raise Fail(f"{os.path.join(self.bin, binary)} is missing; build first (swift build)")
        os.makedirs(self.tenants)
        os.makedirs(self.outside)
        shutil.copytree(os.path.join(ROOT, "tenants", TENANT), os.path.join(self.tenants, TENANT), symlinks=True)
        self.write(os.path.join(self.outside, "news.md"), news_file(OUTSIDE_NEWS_MARKER, "Isi dari luar folder tenant."))
        with open(os.path.join(self.tenants, TENANT, "tenant.yml"), encoding="utf-8") as handle:
            settings = handle.read()
        self.write(os.path.join(self.outside, "tenant.yml"),
                   settings.replace("name: KONI Provinsi Jawa Timur", f"name: {OUTSIDE_TENANT_MARKER}", 1))
        start = time.monotonic()
        self.koni("build", TENANT, "--tenants", self.tenants, "--out", self.out,
                  "--templates", self.templates, "--themes", self.themes)
        log(f"built {TENANT} in {time.monotonic() - start:.1f}s")
        self.news = sorted(name[:-3] for name in os.listdir(os.path.join(self.tenants, TENANT, "content", "news"))
                           if name.endswith(".md"))
        if len(self.news) < 4:
            raise Fail("the demo tenant has fewer than 4 news items")
        for slug in self.news[:3]:
            if self.read_page(TENANT, f"berita/{slug}/index.html") is None:
                raise Fail(f"the build did not publish berita/{slug}/index.html")
        self.start_cms()
        self.start_media()
        self.start_payment_and_tenant()
        self.start_auth()
        self.start_daemon()
        self.ready = True

    def start_cms(self):
        run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{self.database}"'], timeout=60)
        self.database_created = True
        keys = os.path.join(self.work, "jwt")
        os.makedirs(keys)
        self.private_key = os.path.join(keys, "private.pem")
        self.public_key = os.path.join(keys, "public.pem")
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", self.private_key], timeout=60)
        run(["openssl", "pkey", "-in", self.private_key, "-pubout", "-out", self.public_key], timeout=60)
        self.cms_port = free_port()
        database_url = self.pg_url.rsplit("/", 1)[0] + "/" + self.database
        env = dict(self.env, KONI_CMS_DATABASE_URL=database_url, KONI_CMS_AMQP_URL=self.amqp_url, KONI_CMS_TENANTS_QUEUE=self.cms_tenants_queue,
                   KONI_CMS_JWT_PUBLIC_KEY_FILE=self.public_key, KONI_CMS_PORT=str(self.cms_port),
                   KONI_CMS_HOST="127.0.0.1", KONI_CMS_THEMES=self.themes)
        self.processes["cms"] = self.spawn([os.path.join(self.bin, "cms-service")], env, self.cms_log)
        self.wait_http("cms", self.cms_port, "/readyz", 60)
        self.admin_token = self.cms_token("admin")
        reply = http(self.cms_port, "POST", "/api/v1/cms/admin/sites", self.bearer(self.admin_token), json_bytes({
            "slug": CMS_TENANT, "settings": {"name": "KONI Hostile", "timezone": "Asia/Jakarta"},
            "theme": {"preset": "merah-putih"},
        }))
        if reply.status != 201:
            raise Fail(f"creating the CMS tenant {CMS_TENANT}: {reply}")

    def start_media(self):
        run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{self.media_database}"'], timeout=60)
        self.media_database_created = True
        self.media_port = free_port()
        database_url = self.pg_url.rsplit("/", 1)[0] + "/" + self.media_database
        env = dict(self.env, KONI_MEDIA_DATABASE_URL=database_url, KONI_MEDIA_AMQP_URL=self.amqp_url,
                   KONI_MEDIA_JWT_PUBLIC_KEY_FILE=self.public_key, KONI_MEDIA_PORT=str(self.media_port), KONI_MEDIA_HOST="127.0.0.1",
                   KONI_MEDIA_STORAGE_DIR=self.media_files, KONI_MEDIA_SPOOL_DIR=self.work)
        self.processes["media"] = self.spawn([os.path.join(self.bin, "media-service")], env, self.media_log)
        self.wait_http("media", self.media_port, "/readyz", 60)

    def start_payment_and_tenant(self):
        """payment-service (Midtrans unreachable: a charge is a documented 503) and tenant-service,
        each on its own database, both with the suite's service key on their /internal routes."""
        for name in ("payment", "tenant", "athlete", "gms"):
            service = self.extra_services[name]
            run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{service["database"]}"'], timeout=60)
            service["created"] = True
            service["port"] = free_port()
        url = lambda name: self.pg_url.rsplit("/", 1)[0] + "/" + self.extra_services[name]["database"]
        payment = self.extra_services["payment"]
        env = dict(self.env, KONI_PAYMENT_DATABASE_URL=url("payment"), KONI_PAYMENT_AMQP_URL=self.amqp_url, KONI_PAYMENT_JWT_PUBLIC_KEY_FILE=self.public_key,
                   KONI_PAYMENT_PORT=str(payment["port"]), KONI_PAYMENT_MIDTRANS_SERVER_KEY="SB-Mid-server-hostile", KONI_PAYMENT_MIDTRANS_API_URL="http://127.0.0.1:1",
                   KONI_PAYMENT_MIDTRANS_SNAP_URL="http://127.0.0.1:1", KONI_PAYMENT_MIDTRANS_TIMEOUT_MS="300", KONI_PAYMENT_SERVICE_KEYS=self.service_key,
                   KONI_PAYMENT_RECONCILE_INTERVAL_S="0")
        self.processes["payment"] = self.spawn([os.path.join(self.bin, "payment-service")], env, payment["log"])
        tenant = self.extra_services["tenant"]
        env = dict(self.env, KONI_TENANT_DATABASE_URL=url("tenant"), KONI_TENANT_AMQP_URL=self.amqp_url, KONI_TENANT_JWT_PUBLIC_KEY_FILE=self.public_key,
                   KONI_TENANT_PORT=str(tenant["port"]), KONI_TENANT_THEMES=self.themes, KONI_TENANT_SERVICE_KEYS=self.service_key,
                   KONI_TENANT_PAYMENT_URL=f"http://127.0.0.1:{payment['port']}", KONI_TENANT_SERVICE_KEY=self.service_key,
                   KONI_TENANT_PAYMENTS_QUEUE=self.tenant_queue, KONI_TENANT_BILLING_INTERVAL_S="0")
        self.processes["tenant"] = self.spawn([os.path.join(self.bin, "tenant-service")], env, tenant["log"])
        athlete = self.extra_services["athlete"]
        env = dict(self.env, KONI_ATHLETE_DATABASE_URL=url("athlete"), KONI_ATHLETE_AMQP_URL=self.amqp_url, KONI_ATHLETE_JWT_PUBLIC_KEY_FILE=self.public_key,
                   KONI_ATHLETE_PORT=str(athlete["port"]), KONI_ATHLETE_MATCHES_QUEUE=self.athlete_queue)
        self.processes["athlete"] = self.spawn([os.path.join(self.bin, "athlete-service")], env, athlete["log"])
        self.wait_http("payment", payment["port"], "/readyz", 60)
        self.wait_http("tenant", tenant["port"], "/readyz", 60)
        # GMS with its sync pointed at a provider that does not answer: a sync that fails is logged, never a crash.
        gms = self.extra_services["gms"]
        env = dict(self.env, KONI_GMS_DATABASE_URL=url("gms"), KONI_GMS_AMQP_URL=self.amqp_url, KONI_GMS_JWT_PUBLIC_KEY_FILE=self.public_key,
                   KONI_GMS_PORT=str(gms["port"]), KONI_GMS_INTL_API_URL="http://127.0.0.1:1", KONI_GMS_INTL_API_KEY="hostile",
                   KONI_GMS_INTL_TIMEOUT_MS="300", KONI_GMS_SYNC_INTERVAL_S="3600")
        self.processes["gms"] = self.spawn([os.path.join(self.bin, "gms-service")], env, gms["log"])
        self.wait_http("athlete", athlete["port"], "/readyz", 60)
        self.wait_http("gms", gms["port"], "/readyz", 60)

    def media_checks(self):
        """Hostile uploads and requests to the real media-service; after each it must still answer
        /healthz, and at the end no hostile file may have been stored."""
        port = self.media_port
        token = self.media_admin_headers()

        def multipart(parts, boundary="hostile-boundary"):
            body = b""
            for headers, content in parts:
                body += f"--{boundary}\r\n".encode() + headers.encode() + b"\r\n\r\n" + content + b"\r\n"
            return body + f"--{boundary}--\r\n".encode(), {"Content-Type": f"multipart/form-data; boundary={boundary}"}

        def file_part(content, filename="foto.jpg"):
            return (f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\nContent-Type: image/jpeg', content)

        def expect(name, method, path, body=b"", headers=None, statuses=(400,)):
            def check():
                reply = http(port, method, path, dict(token, **(headers or {})), body, timeout=120)
                if reply.status not in statuses:
                    raise Fail(f"answered {reply.status}, expected {statuses}: {reply.text[:200]}")
                if self.processes["media"].poll() is not None or http(port, "GET", "/healthz", timeout=10).status != 200:
                    raise Fail("media-service died or does not answer /healthz")
            self.check(f"media: {name}", check)

        upload = "/api/v1/media/jatim/files"
        bomb = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", 100000, 100000) + b"\x08\x02\x00\x00\x00"
                + b"\x00\x00\x00\x00" + struct.pack(">I", 0) + b"IEND\xaeB`\x82")
        body, form = multipart([file_part(bomb)])
        expect("a PNG header claiming 100,000 x 100,000 pixels -> 422", "POST", upload, body, form, (422,))
        body, form = multipart([file_part(b"<html><script>alert(1)</script></html>")])
        expect("HTML named foto.jpg -> 422", "POST", upload, body, form, (422,))
        body, form = multipart([('Content-Disposition: form-data; name="alt"', b"x")] * 10_000)
        expect("10,000 form parts -> 400", "POST", upload, body, form, (400,))
        body, form = multipart([file_part(b"x" * 100, filename="a" * 100_000)])
        expect("a 100 KB file name -> refused, not stored", "POST", upload, body, form, (400, 413, 422))
        body, _ = multipart([file_part(b"x")])
        expect("a boundary of 71 characters -> 415", "POST", upload, body, {"Content-Type": "multipart/form-data; boundary=" + "b" * 71}, (415,))

        def declared_too_large():
            # Raw, because http() writes the true Content-Length: the service must answer 413 from
            # the header alone, without waiting for 50 MiB that never come.
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall((f"POST {upload} HTTP/1.1\r\nHost: 127.0.0.1\r\n{next(iter(token))}: {next(iter(token.values()))}\r\n"
                              f"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: {50 << 20}\r\n\r\n").encode() + b"x" * 1024)
                answer = sock.recv(200).decode("latin-1")
            if not answer.startswith("HTTP/1.1 413"):
                raise Fail(f"answered {answer.splitlines()[0] if answer else 'nothing'}, expected 413 at once")
            if http(port, "GET", "/healthz", timeout=10).status != 200:
                raise Fail("media-service does not answer /healthz")
        self.check("media: Content-Length of 50 MiB declared, 1 KiB sent -> 413 at once", declared_too_large)
        body, form = multipart([file_part(os.urandom(41 << 20))])
        expect("a 41 MiB file -> 413", "POST", upload, body, form, (413,))
        expect("limit=1e30 -> 400", "GET", "/api/v1/media/jatim/files?limit=1e30")
        expect("limit=-1 -> 400", "GET", "/api/v1/media/jatim/files?limit=-1")
        expect("after=99999999999999999999999_<uuid> -> 400", "GET", f"/api/v1/media/jatim/files?after=99999999999999999999999_{uuid.uuid4()}")
        expect("If-Match of 2^63 on an unknown file -> 400 or 404", "PATCH", f"/api/v1/media/jatim/files/{uuid.uuid4()}",
               b'{"alt":"x"}', {"Content-Type": "application/json", "If-Match": '"9223372036854775808"'}, (400, 404))
        expect("a PATCH body nested 50,000 deep -> 400 or 422", "PATCH", f"/api/v1/media/jatim/files/{uuid.uuid4()}",
               b"[" * 50_000, {"Content-Type": "application/json", "If-Match": '"1"'}, (400, 404, 413, 422))
        expect("a tenant of ../../etc -> 404", "GET", "/api/v1/media/..%2F..%2Fetc/files", statuses=(404,))
        expect("no token -> 401", "GET", "/api/v1/media/jatim/files", headers={"Authorization": ""}, statuses=(401,))

        def nothing_stored():
            stored = [name for _, _, names in os.walk(self.media_files) for name in names]
            if stored:
                raise Fail(f"{len(stored)} object(s) stored: {stored[:5]}")
        self.check("media: no hostile upload was stored", nothing_stored)

    def media_admin_headers(self):
        """An admin's bearer token for the Media service (media:manage and media:upload, 15 minutes)."""
        now = int(time.time())
        claims = {"iss": "https://app.koni.id", "aud": "https://api.koni.id", "sub": "hostile-admin", "roles": ["admin"],
                  "permissions": ["media:manage", "media:upload"], "iat": now, "nbf": now, "exp": now + 900}
        return {"Authorization": f"Bearer {self.jwt(claims)}"}

    # -- every operation of the services' OpenAPI documents, fuzzed --------------------------------

    # Requests per operation (the CMS has 64 operations, Media 9) and the seed that picks them:
    # KONI_HOSTILE_FUZZ_CASES and KONI_HOSTILE_FUZZ_SEED try more or other requests.
    FUZZ_CASES = int(os.environ.get("KONI_HOSTILE_FUZZ_CASES", "40"))
    FUZZ_SEED = int(os.environ.get("KONI_HOSTILE_FUZZ_SEED", "1"))

    def openapi_checks(self):
        """The CMS (an admin token, the suite's CMS tenant) and Media (an admin token, jatim) fuzzed.
        Another service is one more fuzz_service call here, once setup() has started it."""
        self.fuzz_service("cms", self.cms_port, "/api/v1/cms/openapi.json",
                          {"Authorization": f"Bearer {self.cms_token('admin')}"}, {"tenant": CMS_TENANT})
        self.fuzz_service("media", self.media_port, "/api/v1/media/openapi.json", self.media_admin_headers(), {"tenant": TENANT})
        # An admin's token plus the service key, so that the /internal routes are fuzzed as well.
        now = int(time.time())
        claims = {"iss": "https://app.koni.id", "aud": "https://api.koni.id", "sub": "hostile-admin", "roles": ["admin"],
                  "permissions": ["tenants:read", "tenants:manage", "payments:read", "payments:refund"], "iat": now, "nbf": now, "exp": now + 900}
        admin = {"Authorization": f"Bearer {self.jwt(claims)}", "X-Koni-Service-Key": self.service_key}
        self.fuzz_service("payment", self.extra_services["payment"]["port"], "/api/v1/payments/openapi.json", admin, {})
        self.fuzz_service("tenant", self.extra_services["tenant"]["port"], "/api/v1/tenants/openapi.json", admin, {})
        claims["permissions"] = ["athletes:read", "athletes:write"]
        self.fuzz_service("athlete", self.extra_services["athlete"]["port"], "/api/v1/athletes/openapi.json",
                          {"Authorization": f"Bearer {self.jwt(claims)}"}, {"tenant": TENANT})
        claims["roles"], claims["permissions"] = ["game-admin"], ["gms:read", "gms:write"]
        self.fuzz_service("gms", self.extra_services["gms"]["port"], "/api/v1/gms/openapi.json",
                          {"Authorization": f"Bearer {self.jwt(claims)}"}, {"tenant": TENANT})

    def fuzz_service(self, name, port, spec_path, headers, path_values, cases=None, skip=()):
        """One check, `openapi fuzz: <name>`: every operation of the document the service serves at
        spec_path fuzzed with openapi_fuzz.fuzz (no 5xx but a documented 503, no connection dropped
        without an answer, JSON answers that parse, /healthz 200 after each operation). Each failing
        operation is logged in full; the check's reason names the first ones."""
        def check():
            started = time.monotonic()
            base = f"http://127.0.0.1:{port}"
            count = cases or self.FUZZ_CASES
            results = openapi_fuzz.fuzz(base, base + spec_path, headers, path_values, count, self.FUZZ_SEED, set(skip))
            failed = [(operation, detail) for operation, passed, detail in results if not passed]
            for operation, detail in failed:
                log(f"openapi fuzz {name}: FAIL {operation}: {detail}")
            summary = (f"{len(results)} operations, {len(results) * count} requests in {time.monotonic() - started:.1f} s "
                       f"(seed {self.FUZZ_SEED})")
            if not results:
                raise Fail(f"{spec_path} lists no operations")
            if failed:
                log(f"openapi fuzz: {name}: {summary}")
                first, detail = failed[0]
                raise Fail(f"{len(failed)} of {len(results)} operations failed (seed {self.FUZZ_SEED}; each logged above); "
                           f"first {first}: {detail[:300]}; also: {', '.join(operation for operation, _ in failed[1:]) or 'none'}")
            return summary
        self.check(f"openapi fuzz: {name}", check)

    def start_auth(self):
        """The Auth service on its own database, the suite's tenants (jatim) and the test Redis."""
        if not self.env.get("KONI_TEST_REDIS_URL"):
            raise Fail("KONI_TEST_REDIS_URL is not set; start Redis with scripts/services start redis")
        run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{self.auth_database}"'], timeout=60)
        self.auth_database_created = True
        keys = os.path.join(self.work, "auth-keys")
        run([os.path.join(self.bin, "auth-service"), "keys", "generate", "--keys", keys], timeout=60)
        self.auth_port = free_port()
        env = dict(self.env, KONI_AUTH_DATABASE_URL=self.pg_url.rsplit("/", 1)[0] + "/" + self.auth_database,
                   KONI_AUTH_REDIS_URL=self.env["KONI_TEST_REDIS_URL"], KONI_AUTH_AMQP_URL=self.amqp_url, KONI_AUTH_KEYS=keys,
                   KONI_AUTH_PORT=str(self.auth_port), KONI_AUTH_TENANTS=self.tenants, KONI_AUTH_SERVICE_KEYS=secrets.token_hex(20),
                   KONI_AUTH_REDIS_KEY_PREFIX=f"hostile-{self.auth_database}:", KONI_AUTH_ADDRESS_ATTEMPTS="100000")
        self.processes["auth"] = self.spawn([os.path.join(self.bin, "auth-service")], env, self.auth_log)
        self.wait_http("auth", self.auth_port, "/readyz", 60)
        # The branch admin in front of them (its attacks need no signed-in user).
        self.admin_port = free_port()
        env = dict(self.env, KONI_ADMIN_REDIS_URL=self.env["KONI_TEST_REDIS_URL"], KONI_ADMIN_AUTH_URL=f"http://127.0.0.1:{self.auth_port}",
                   KONI_ADMIN_CMS_URL=f"http://127.0.0.1:{self.cms_port}", KONI_ADMIN_PORT=str(self.admin_port), KONI_ADMIN_TENANTS=self.tenants,
                   KONI_ADMIN_REDIS_KEY_PREFIX=f"hostile-admin-{self.auth_database}:")
        self.processes["admin"] = self.spawn([os.path.join(self.bin, "compro-admin")], env, self.admin_log)
        self.wait_http("admin", self.admin_port, "/healthz", 60)

    def start_daemon(self):
        if self.daemon_port is None:
            self.daemon_port = free_port()
        env = dict(self.env, KONI_WEBHOOK_SECRET=self.secret)
        env.pop("KONI_AMQP_URL", None)
        command = [os.path.join(self.bin, "koni-compro"), "serve", "--tenants", self.tenants, "--out", self.out,
                   "--templates", self.templates, "--themes", self.themes, "--port", str(self.daemon_port),
                   "--amqp", self.amqp_url, "--queue", self.queue, "--binding", "cms.#", "--log-format", "json"]
        self.processes["daemon"] = self.spawn(command, env, self.daemon_log)
        self.wait_http("daemon", self.daemon_port, "/healthz", 60)
        deadline = time.monotonic() + 60
        while True:
            counts = self.queue_counts()
            if self.queue in counts and f"{self.queue}.dead" in counts:
                break
            if time.monotonic() > deadline:
                raise Fail(f"the daemon did not declare its queues {self.queue} and {self.queue}.dead within 60s")
            if self.processes["daemon"].poll() is not None:
                raise Fail("the daemon exited while declaring its queues:\n" + tail(self.daemon_log, 30))
            time.sleep(0.5)

    def restart_daemon(self):
        """After the daemon died: purge what would kill it again, and start it once more."""
        self.stop_process("daemon")
        self.daemon_restarts += 1
        for queue in (self.queue, f"{self.queue}.retry"):
            self.rabbitmqctl("purge_queue", queue, check=False)
        with open(self.daemon_log, "ab") as handle:
            handle.write(f"\n----- hostile suite: daemon restarted ({self.daemon_restarts}) -----\n".encode())
        try:
            self.start_daemon()
            log(f"daemon restarted (queue {self.queue} purged) so that the remaining checks run")
        except Fail as failure:
            log(f"the daemon could not be restarted: {failure}")

    def spawn(self, command, env, log_path):
        handle = open(log_path, "ab")
        try:
            return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=handle, stderr=handle, env=env,
                                    cwd=self.work, start_new_session=True)
        finally:
            handle.close()

    def wait_http(self, what, port, path, seconds):
        deadline = time.monotonic() + seconds
        process = self.processes[what]
        last = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log_path = self.daemon_log if what == "daemon" else self.cms_log
                raise Fail(f"{what} exited with status {process.returncode} before answering {path}:\n{tail(log_path, 30)}")
            try:
                reply = http(port, "GET", path, timeout=5)
                if reply.status == 200:
                    return
                last = reply
            except Fail as failure:
                last = failure
            time.sleep(0.3)
        raise Fail(f"{what} did not answer 200 on {path} within {seconds}s (last: {last})")

    def stop_process(self, name):
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop within 10s of SIGTERM; killing it")
            process.kill()
            process.wait(timeout=10)

    def cleanup(self):
        """Stops what the suite started, drops its database, deletes its queues; each step bounded."""
        steps = [(f"stopping {name}", lambda name=name: self.stop_process(name)) for name in list(self.processes)]
        if self.database_created:
            def drop():
                result = run(["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'],
                             timeout=60, check=False)
                if result.returncode != 0:
                    log(f"could not drop {self.database}: {result.stderr.decode('utf-8', 'replace')}")
            steps.append((f"dropping {self.database}", drop))
        if self.auth_database_created:
            steps.append((f"dropping {self.auth_database}", lambda: run(
                ["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{self.auth_database}" WITH (FORCE)'], timeout=60, check=False)))
        for service in self.extra_services.values():
            if service.get("created"):
                steps.append((f"dropping {service['database']}", lambda database=service["database"]: run(
                    ["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'], timeout=60, check=False)))
        for queue in (self.tenant_queue, f"{self.tenant_queue}.dead", self.cms_tenants_queue, f"{self.cms_tenants_queue}.dead",
                      self.athlete_queue, f"{self.athlete_queue}.dead"):
            steps.append((f"deleting {queue}", lambda queue=queue: self.rabbitmqctl("delete_queue", queue, check=False)))
        if self.media_database_created:
            steps.append((f"dropping {self.media_database}", lambda: run(
                ["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{self.media_database}" WITH (FORCE)'], timeout=60, check=False)))
        for queue in (self.queue, f"{self.queue}.retry", f"{self.queue}.dead"):
            steps.append((f"deleting {queue}", lambda queue=queue: self.rabbitmqctl("delete_queue", queue, check=False)))
        steps.append(("deleting the shard exchange",
                      lambda: self.rabbitmqctl("delete_exchange", f"{self.queue}.by-tenant", check=False)))
        for what, step in steps:
            try:
                step()
            except Exception as error:
                log(f"{what}: {type(error).__name__}: {error}")
        if self.keep:
            log(f"kept {self.work}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    # -- g) the Auth service ---------------------------------------------------------------------

    def auth_checks(self):
        """Hostile requests to the login and token endpoints; after each, the Auth service must
        still answer /readyz."""
        port = self.auth_port
        callback = "https://jatim.koni.id/auth/callback"
        challenge = base64.urlsafe_b64encode(hashlib.sha256(b"v" * 50).digest()).rstrip(b"=").decode()

        def alive():
            if self.processes["auth"].poll() is not None:
                raise Fail("the Auth service died")
            if http(port, "GET", "/readyz", timeout=10).status != 200:
                raise Fail("the Auth service does not answer /readyz")

        def expect(name, method, path, body=b"", headers=None, statuses=(400,), no_location=True):
            def check():
                reply = http(port, method, path, headers, body, timeout=60)
                if reply.status not in statuses:
                    raise Fail(f"answered {reply.status}, expected {statuses}: {reply.text[:200]}")
                if no_location and any(k.lower() == "location" for k in reply.headers):
                    raise Fail("answered with a redirect")
                if any(k.lower() == "x-injected" for k in reply.headers):
                    raise Fail("a header was injected")
                alive()
            self.check(f"auth: {name}", check)

        json_headers = {"Content-Type": "application/json"}
        form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
        expect("2 MiB login body -> 413", "POST", "/api/v1/auth/login", b"{" + b" " * (2 << 20) + b"}", json_headers, (413,))
        expect("login JSON nested 500 levels -> 400", "POST", "/api/v1/auth/login", b"[" * 500 + b"]" * 500, json_headers)
        expect("a 5,000-byte password -> 401 before any hashing", "POST", "/api/v1/auth/login",
               json_bytes({"email": "a@koni.id", "password": "x" * 5000}), json_headers, (401,))
        expect("exchange with a 60 KB code -> invalid_grant", "POST", "/api/v1/auth/exchange",
               json_bytes({"code": "c" * 60000, "code_verifier": "v" * 50, "redirect_uri": callback}), json_headers)
        expect("exchange naming an unregistered redirect -> invalid_grant", "POST", "/api/v1/auth/exchange",
               json_bytes({"code": "c", "code_verifier": "v" * 50, "redirect_uri": "https://evil.example/auth/callback"}), json_headers)
        for name, redirect in (("CRLF in redirect_uri", callback + "%0d%0aX-Injected:%201"),
                               ("another host", "https://evil.example/auth/callback"),
                               ("a look-alike host", "https://jatim.koni.id.evil.example/auth/callback"),
                               ("a path after the callback", callback + "/..%2f..%2fevil")):
            query = urllib.parse.urlencode({"state": "s", "code_challenge": challenge, "code_challenge_method": "S256"})
            expect(f"login page with {name} -> 400 page, no redirect", "GET",
                   f"/auth/login?redirect_uri={urllib.parse.quote(redirect, safe='%')}&{query}")
        expect("state with CRLF -> 400", "GET", "/auth/login?" + urllib.parse.urlencode(
            {"redirect_uri": callback, "state": "a\r\nX-Injected: 1", "code_challenge": challenge, "code_challenge_method": "S256"}))
        expect("a 40 KB login form -> 400 page", "POST", "/auth/login", b"email=" + b"a" * 40000, form_headers)
        expect("a login form from another site -> 403", "POST", "/auth/login", b"email=a&password=b&csrf=x",
               dict(form_headers, Origin="https://evil.example"), (403,))
        expect("refresh with a 10 KB cookie -> 401", "POST", "/api/v1/auth/refresh", b"",
               {"Cookie": "__Host-koni-refresh=" + "r" * 10000}, (401,))
        traversal = ".".join([base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
                              for part in ({"alg": "RS256", "kid": "../../../../etc/passwd"}, {"sub": "x"})]) + ".c2ln"
        expect("a token whose kid is a path -> 401", "GET", "/api/v1/auth/me", b"", {"Authorization": f"Bearer {traversal}"}, (401,))
        none_token = ".".join([base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()
                               for part in ({"alg": "none"}, {"sub": "x", "roles": ["superadmin"]})]) + "."
        expect("alg none on a role grant -> 401", "POST", "/api/v1/auth/users/00000000-0000-0000-0000-000000000000/roles",
               json_bytes({"role": "superadmin"}), dict(json_headers, Authorization=f"Bearer {none_token}"), (401,))

    # -- h) the branch admin ---------------------------------------------------------------------

    def admin_checks(self):
        """Hostile requests to compro-admin without a signed-in user; after each, it must still
        answer /healthz and must never have let a request through to the CMS."""
        port = self.admin_port
        host = {"Host": "jatim.koni.id"}

        def expect(name, method, path, body=b"", headers=None, statuses=(303,), location=None):
            def check():
                reply = http(port, method, path, dict(host, **(headers or {})), body, timeout=60)
                if reply.status not in statuses:
                    raise Fail(f"answered {reply.status}, expected {statuses}: {reply.text[:200]}")
                where = reply.headers.get("location")
                if location is not None and (where or "") != location:
                    raise Fail(f"redirected to {where!r}, expected {location!r}")
                if self.processes["admin"].poll() is not None or http(port, "GET", "/healthz", timeout=10).status != 200:
                    raise Fail("compro-admin died or does not answer /healthz")
            self.check(f"admin: {name}", check)

        form = {"Content-Type": "application/x-www-form-urlencoded"}
        expect("an unknown host gets a 404 page", "GET", "/admin/", headers={"Host": "evil.example"}, statuses=(404,))
        expect("no session -> to the login", "GET", "/admin/", location="/admin/masuk")
        expect("a 10 KB session cookie -> to the login", "GET", "/admin/berita/", headers={"Cookie": "__Host-koni-admin=" + "s" * 10000},
               location="/admin/masuk")
        expect("a forged session id -> to the login", "GET", "/admin/", headers={"Cookie": "__Host-koni-admin=" + secrets.token_urlsafe(32)},
               location="/admin/masuk")
        expect("a form post without a session changes nothing", "POST", "/admin/berita/", b"title=x&csrf=y", form, location="/admin/masuk")
        expect("10,000 form fields without a session", "POST", "/admin/berita/", "&".join(f"f{i}=1" for i in range(10000)).encode(), form,
               location="/admin/masuk")
        expect("a 1 MiB form -> refused before anything", "POST", "/admin/berita/", b"a=" + b"x" * (1 << 20), form, statuses=(413,))
        expect("a cross-site form post -> 403", "POST", "/admin/keluar", b"csrf=x", dict(form, **{"Sec-Fetch-Site": "cross-site"}), statuses=(403,))
        expect("a callback with an unknown state -> 400 page", "GET", "/auth/callback?code=x&state=" + secrets.token_urlsafe(32), statuses=(400,))
        expect("a callback with a 10 KB state -> 400 page", "GET", "/auth/callback?code=x&state=" + "s" * 10000, statuses=(400,))
        expect("an edit page with an id that is not a UUID -> to the login", "GET", "/admin/berita/..%2f..%2fetc/", location="/admin/masuk")
        expect("theme preview path ../../etc/passwd without a session -> to the login", "GET",
               "/admin/tema/pratinjau.html?halaman=..%2F..%2F..%2Fetc%2Fpasswd&preset=..%2Fetc", location="/admin/masuk")
        expect("theme candidate CSS with CSS injection without a session -> to the login", "GET",
               "/admin/tema/kandidat.css?preset=merah-putih&color-primary=red%3B%7Dbody%7Bdisplay%3Anone&" + "radius=" + "9" * 5000,
               location="/admin/masuk")
        expect("a section index past Int.max without a session -> to the login", "POST", "/admin/halaman/" + str(uuid.uuid4()) + "/bagian/99999999999999999999999/naik",
               b"csrf=x&version=1", form, location="/admin/masuk")

        def login_redirect():
            reply = http(port, "GET", "/admin/masuk", host, timeout=30)
            where = reply.headers.get("location", "")
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(where).query)
            if not where.startswith("https://app.koni.id/auth/login?") or query.get("redirect_uri") != ["https://jatim.koni.id/auth/callback"] \
                    or query.get("code_challenge_method") != ["S256"] or len(query.get("code_challenge", [""])[0]) != 43:
                raise Fail(f"the login link is {where!r}")
        self.check("admin: the login link names the app, the branch's own callback and PKCE S256", login_redirect)

    # -- tools -----------------------------------------------------------------------------------

    def rabbitmqctl(self, *arguments, check=True):
        env = dict(self.env, HOME=self.rabbit_home)
        return run(["rabbitmqctl", "-n", self.node, "-q", *arguments], timeout=60, check=check, env=env)

    def queue_counts(self):
        """{queue: messages (ready + unacknowledged)} of this suite's queues."""
        result = self.rabbitmqctl("list_queues", "name", "messages", "--formatter", "json", check=False)
        if result.returncode != 0:
            return {}
        try:
            rows = json.loads(result.stdout.decode() or "[]")
        except ValueError:
            return {}
        return {row["name"]: int(row["messages"]) for row in rows if row["name"].startswith(self.queue)}

    def publish(self, body, headers=None):
        command = ["amqp-publish", f"--url={self.amqp_tools_url}", "-e", "koni.events", "-r", "cms.page_updated",
                   "-p", "-C", "application/json"]
        for key, value in (headers or {}).items():
            command += ["-H", f"{key}: {value}"]
        run(command, timeout=60, input=body)

    def sign(self, body, timestamp=None):
        """A valid X-Koni-Signature for body; never the same (t, body) twice (that is a replay)."""
        while True:
            t = int(time.time()) if timestamp is None else timestamp
            if timestamp is not None or (t, body) not in self.used_signatures:
                break
            time.sleep(0.2)
        self.used_signatures.add((t, body))
        mac = hmac.new(self.secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={t},v1={mac}"

    def webhook(self, body, signature=None, wait=True, timeout=120, extra_headers=None):
        headers = {"Content-Type": "application/json"}
        if signature is not False:
            headers["X-Koni-Signature"] = signature if signature is not None else self.sign(body)
        headers.update(extra_headers or {})
        return http(self.daemon_port, "POST", "/api/revalidate" + ("?wait=true" if wait else ""), headers, body, timeout)

    def cms_token(self, role="admin", minutes=15):
        result = run([os.path.join(ROOT, "scripts", "cms-token"), self.private_key, role, "", str(minutes)], timeout=30)
        return result.stdout.decode().strip()

    def jwt(self, claims, algorithm="RS256", hmac_key=None):
        header = {"alg": algorithm, "typ": "JWT"}
        signing_input = f"{b64url(json_bytes(header))}.{b64url(json_bytes(claims))}".encode()
        if algorithm == "HS256":
            signature = hmac.new(hmac_key, signing_input, hashlib.sha256).digest()
        else:
            signature = run(["openssl", "dgst", "-sha256", "-sign", self.private_key], input=signing_input, timeout=30).stdout
        return f"{signing_input.decode()}.{b64url(signature)}"

    @staticmethod
    def bearer(token):
        return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    @staticmethod
    def write(path, text):
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)

    def current(self, slug):
        link = os.path.join(self.out, slug, "current")
        if not os.path.islink(link):
            return None
        return os.path.join(os.path.dirname(link), os.readlink(link))

    def read_page(self, slug, path):
        """The bytes Nginx would serve at path (mimics ReleaseReader: the layer, else its base)."""
        current = self.current(slug)
        if current is None:
            return None
        candidate = os.path.join(current, path)
        if os.path.isfile(candidate):
            with open(candidate, "rb") as handle:
                return handle.read()
        if os.path.exists(os.path.join(current, ".koni", "gone", path)):
            return None
        base = os.path.join(current, ".koni", "base", path)
        if os.path.isfile(base):
            with open(base, "rb") as handle:
                return handle.read()
        return None

    def served_files(self, slug):
        """Every file the tenant's current release serves (layer and base), as real paths."""
        current = self.current(slug)
        if current is None:
            return []
        files = {}
        base = os.path.join(current, ".koni", "base")
        roots = [current]
        if os.path.islink(base) and os.readlink(base) != "..":
            roots.append(base)
        for root in reversed(roots):  # the layer wins over its base
            for folder, folders, names in os.walk(root):
                relative_folder = os.path.relpath(folder, root)
                if relative_folder.split(os.sep)[0] == ".koni":
                    folders[:] = []
                    continue
                for name in names:
                    relative = os.path.normpath(os.path.join(relative_folder, name))
                    files[relative] = os.path.join(folder, name)
        return list(files.values())

    @staticmethod
    def contents(path):
        if os.path.islink(path) or not os.path.isfile(path):
            return b""
        with open(path, "rb") as handle:
            data = handle.read()
        if path.endswith(".gz"):
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError):
                pass
        return data

    def leaks(self, slug, markers):
        """Served files of slug that contain one of markers."""
        found = []
        for path in self.served_files(slug):
            data = self.contents(path)
            for marker in markers:
                if marker in data:
                    found.append(f"{os.path.relpath(path, self.out)} contains {marker.decode()!r}")
        return found

    # -- a) webhook signature headers -------------------------------------------------------------

    def published_checks(self):
        """GET /api/published/{trace}: bad waits and ids are 400, unknown traces 404 at once, and the daemon lives on."""
        def expect(name, path, statuses, limit=5.0):
            def check():
                started = time.monotonic()
                reply = http(self.daemon_port, "GET", path, timeout=30)
                if reply.status not in statuses:
                    raise Fail(f"answered {reply.status}, expected {statuses}: {reply.text[:200]}")
                if time.monotonic() - started > limit:
                    raise Fail(f"took {time.monotonic() - started:.1f} s")
                if http(self.daemon_port, "GET", "/healthz", timeout=10).status != 200:
                    raise Fail("the daemon does not answer /healthz")
            self.check(f"daemon: published {name}", check)
        expect("wait_ms=9223372036854775808 -> 400", "/api/published/abc?wait_ms=9223372036854775808", (400,))
        expect("wait_ms=-1 -> 400", "/api/published/abc?wait_ms=-1", (400,))
        expect("a 10 KB trace id -> 400", "/api/published/" + "a" * 10000, (400, 414, 431))
        expect("an unknown trace without a wait -> 404 at once", "/api/published/" + secrets.token_hex(16), (404,), limit=2.0)

    def webhook_checks(self):
        body = json_bytes({"tenant": TENANT, "paths": ["/"]})
        fake = "0" * 64

        def refused(signature, name, limit=None, payload=body, accept=(401,)):
            def check():
                reply = self.webhook(payload, signature=signature, timeout=30)
                if reply.status not in accept:
                    raise Fail(f"answered {reply} (expected {' or '.join(map(str, accept))})")
                if limit is not None and reply.seconds > limit:
                    raise Fail(f"answered {reply.status} after {reply.seconds:.2f}s (limit {limit}s)")
            self.check(name, check)

        for t in ("-9223372036854775808", "9223372036854775807", "99999999999999999999999", "-1", "4294967297"):
            refused(f"t={t},v1={fake}", f"webhook: t={t} -> 401")
        # 10,000 candidates over a 200 KB body: 2 GB of HMAC if each candidate is hashed.
        big = json_bytes({"tenant": TENANT, "paths": ["/"] * 1, "changes": [
            {"entity": "news", "slug": "x" * 60, "action": "updated"}] * 1000})
        many = f"t={int(time.time())}," + ",".join(f"v1={secrets.token_hex(32)}" for _ in range(10000))
        refused(many, "webhook: 10,000 v1 candidates -> 401 in under 1 s", limit=1.0, payload=big, accept=(400, 401, 431))
        refused(f"t={int(time.time())},v1={'zz' * 32}", "webhook: non-hex v1 -> 401")
        refused(False, "webhook: missing signature header -> 401")

        def huge_header():
            value = f"t={int(time.time())},v1={fake}," + "x=" + "a" * (64 * 1024)
            reply = self.webhook(body, signature=value, timeout=30)
            if not 400 <= reply.status < 500:
                raise Fail(f"answered {reply} (expected a 4xx)")
        self.check("webhook: 64 KB signature header -> 4xx", huge_header)

        stale = int(time.time()) - 400
        refused(self.sign(body, timestamp=stale), "webhook: correct signature, t=now-400 -> 401")

        def replay():
            payload = json_bytes({"tenant": TENANT, "paths": ["/kontak/"]})
            signature = self.sign(payload)
            first = self.webhook(payload, signature=signature)
            if first.status != 200:
                raise Fail(f"the first, valid request answered {first} (expected 200)")
            second = self.webhook(payload, signature=signature)
            if second.status != 401:
                raise Fail(f"the replay answered {second} (expected 401)")
        self.check("webhook: replayed signature -> 401", replay)

    # -- b) oversized bodies -----------------------------------------------------------------------

    def oversized_checks(self):
        def webhook_body():
            payload = json_bytes({"tenant": TENANT, "paths": ["/"], "changes": [
                {"entity": "news", "slug": "a" * 200, "action": "updated"}] * 1400})
            assert len(payload) > 300 * 1024, len(payload)
            payload = payload[:300 * 1024 + 1]
            reply = self.webhook(payload, timeout=30)
            if reply.status != 413:
                raise Fail(f"answered {reply} (expected 413)")
        self.check("webhook: signed 300 KiB body -> 413", webhook_body)

        def deep_body():
            payload = b'{"tenant":"jatim","paths":' + b"[" * 50000 + b"]" * 50000 + b"}"
            reply = self.webhook(payload, timeout=30)
            if not 400 <= reply.status < 500:
                raise Fail(f"answered {reply} (expected 400, 413 or 422)")
        self.check("webhook: signed body nested 50,000 deep -> 4xx", deep_body)

        def cms_body():
            payload = json_bytes({"slug": "besar", "title": "Besar", "date": "2026-11-24", "summary": "s",
                                  "body": "a" * (2 * 1024 * 1024)})
            reply = http(self.cms_port, "POST", f"/api/v1/cms/admin/sites/{CMS_TENANT}/news",
                         self.bearer(self.admin_token), payload, timeout=30)
            if reply.status != 413:
                raise Fail(f"answered {reply} (expected 413)")
        self.check("cms: 2 MiB admin JSON body -> 413", cms_body)

        # The change feed, keyset lists and batches take numbers and tokens from the query.
        hostile_reads = [
            ("changes?since=99999999999999999999999", 400), ("changes?since=-1", 400), ("changes?limit=100000", 400),
            ("changes?since=9007199254740992", 409), ("news?after=" + "A" * 5000, 400),
            ("news?after=WyJub3QgYSBkYXRlIiwiYWJjIl0", 400), ("news?after=start&page=2", 400),
        ]
        for query, expected in hostile_reads:
            def cms_read(query=query, expected=expected):
                reply = http(self.cms_port, "GET", f"/api/v1/cms/sites/{CMS_TENANT}/{query}")
                if reply.status != expected:
                    raise Fail(f"answered {reply} (expected {expected})")
            self.check(f"cms: GET …/{query[:40]} -> {expected}", cms_read)

        def cms_batch():
            items = [{"slug": f"b{n}", "title": "B", "date": "2026-11-24"} for n in range(501)]
            reply = http(self.cms_port, "POST", f"/api/v1/cms/admin/sites/{CMS_TENANT}/news/batch",
                         self.bearer(self.admin_token), json_bytes({"upsert": items}), timeout=30)
            if reply.status != 422:
                raise Fail(f"answered {reply} (expected 422)")
        self.check("cms: batch of 501 items -> 422", cms_batch)

    # -- c) poison events --------------------------------------------------------------------------

    def event_outcome(self, body, seconds=20):
        """Publishes body and waits until it leaves the queue: 'dead', 'consumed' or Fail."""
        dead_queue, retry_queue = f"{self.queue}.dead", f"{self.queue}.retry"
        before = self.queue_counts().get(dead_queue, 0)
        self.publish(body, headers={"tenant_slug": "jatim", "type": "cms.page_updated"})
        deadline = time.monotonic() + seconds
        quiet = 0
        while time.monotonic() < deadline:
            time.sleep(0.5)
            if self.processes["daemon"].poll() is not None:
                raise Fail("the event killed the daemon")
            counts = self.queue_counts()
            if counts.get(dead_queue, 0) > before:
                return "dead"
            if counts.get(self.queue, 1) == 0 and counts.get(retry_queue, 0) == 0:
                quiet += 1
                if quiet >= 3:
                    return "consumed"
            else:
                quiet = 0
        counts = self.queue_counts()
        raise Fail(f"still not settled after {seconds}s (queue {counts.get(self.queue)}, retry {counts.get(retry_queue)}, "
                   f"dead {counts.get(dead_queue)}; before {before})")

    def poison_checks(self):
        slug = self.news[0]

        def envelope(**overrides):
            value = {"id": str(uuid.uuid4()), "type": "cms.page_updated",
                     "occurred_at": now_rfc3339(), "tenant_id": TENANT_ID, "tenant_slug": TENANT,
                     "data": {"entity": "news", "id": "1", "slug": slug, "action": "updated"}, "trace_id": "hostile"}
            value.update(overrides)
            return json_bytes(value)

        def dead_lettered(name, body):
            def check():
                outcome = self.event_outcome(body)
                if outcome != "dead":
                    raise Fail(f"the event was {outcome} instead of dead-lettered to {self.queue}.dead")
            self.check(name, check)

        def settled(name, body):
            # Valid apart from an absurd time: dead-lettered, or applied with the lag clamped.
            def check():
                return f"event {self.event_outcome(body)}"
            self.check(name, check)

        dead_lettered("event: '{not json' -> dead-lettered", b"{not json")
        settled("event: occurred_at 0001-01-01 -> settled, daemon alive", envelope(occurred_at="0001-01-01T00:00:00Z"))
        settled("event: occurred_at 9999-12-31 -> settled, daemon alive", envelope(occurred_at="9999-12-31T23:59:59Z"))
        dead_lettered("event: tenant_slug '../etc' -> dead-lettered", envelope(tenant_slug="../etc"))
        dead_lettered("event: array nested 100,000 deep -> dead-lettered", b"[" * 100000 + b"]" * 100000)
        # Small enough to pass a body-size cap, so that the JSON parser's own depth limit is tried.
        dead_lettered("event: array nested 30,000 deep (60 KB) -> dead-lettered", b"[" * 30000 + b"]" * 30000)
        dead_lettered("event: 2 MiB envelope -> dead-lettered", envelope(trace_id="t" * (2 * 1024 * 1024)))

        def valid_event():
            title = f"Judul Baru Hostile {secrets.token_hex(4)}"
            path = os.path.join(self.tenants, TENANT, "content", "news", f"{slug}.md")
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            lines = text.split("\n")
            index = next(i for i, line in enumerate(lines) if line.startswith("title:"))
            lines[index] = f"title: {title}"
            self.write(path, "\n".join(lines))
            self.publish(envelope(), headers={"tenant_slug": TENANT, "type": "cms.page_updated"})
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                page = self.read_page(TENANT, f"berita/{slug}/index.html") or b""
                if title.encode() in page:
                    return
                if self.processes["daemon"].poll() is not None:
                    raise Fail("the daemon died")
                time.sleep(0.25)
            raise Fail(f"the new title did not appear in berita/{slug}/index.html within 15s")
        self.check("event: valid cms.page_updated after the poison -> page republished", valid_event)

    # -- d) pathological Markdown ------------------------------------------------------------------

    BOMBS = [
        ("700x700 table", "|" + "a|" * 700 + "\n" + "|" + "-|" * 700 + "\n" + "|a\n" * 700),
        ("'*a' x 30000", "*a" * 30000 + "\n"),
        ("'[' x 30000", "[" * 30000 + "\n"),
        ("'>' x 10000", ">" * 10000 + "a\n"),
    ]

    def markdown_checks(self):
        slug = self.news[1]
        path = os.path.join(self.tenants, TENANT, "content", "news", f"{slug}.md")
        page = f"berita/{slug}/index.html"
        with open(path, encoding="utf-8") as handle:
            original = handle.read()
        front = original[:original.index("\n---\n", 4) + 5]
        change = lambda: json_bytes({"tenant": TENANT, "changes": [{"entity": "news", "slug": slug, "action": "updated"}]})

        for label, bomb in self.BOMBS:
            def check(bomb=bomb):
                before = self.read_page(TENANT, page)
                self.write(path, front + bomb)
                try:
                    reply = self.webhook(change(), timeout=60)
                    after = self.read_page(TENANT, page)
                finally:
                    self.write(path, original)
                problems = []
                if reply.status != 422:
                    problems.append(f"answered {reply.status} (expected 422)")
                elif f"news/{slug}.md" not in reply.text:
                    problems.append(f"the error does not name news/{slug}.md: {reply.text[:300]!r}")
                if reply.seconds >= 2:
                    problems.append(f"took {reply.seconds:.2f}s (limit 2s)")
                if after != before:
                    problems.append(f"the live page changed ({len(before or b'')} -> {len(after or b'')} bytes)")
                # The restored article must be accepted again (the daemon recovers from the refusal).
                restored = self.webhook(change(), timeout=120)
                if restored.status != 200:
                    problems.append(f"after restoring the article the webhook answered {restored}")
                if problems:
                    raise Fail("; ".join(problems))
            self.check(f"markdown: {label} in news/{slug}.md -> 422 naming the file, page unchanged, < 2 s", check)

        for number, (label, bomb) in enumerate(self.BOMBS):
            def cms_check(bomb=bomb, number=number):
                payload = json_bytes({"slug": f"bom-{number}", "title": "Bom", "date": "2026-11-24",
                                      "summary": "s", "body": bomb})
                reply = http(self.cms_port, "POST", f"/api/v1/cms/admin/sites/{CMS_TENANT}/news",
                             self.bearer(self.admin_token), payload, timeout=60)
                problems = []
                error = (reply.json() or {}).get("error") if isinstance(reply.json(), dict) else None
                if reply.status != 422:
                    problems.append(f"answered {reply} (expected 422)")
                elif not (isinstance(error, dict) and error.get("field") == "body"):
                    problems.append(f"the error does not name the field body: {reply.text[:300]!r}")
                if reply.seconds >= 2:
                    problems.append(f"took {reply.seconds:.2f}s (limit 2s)")
                if problems:
                    raise Fail("; ".join(problems))
            self.check(f"cms: news body {label} -> 422 naming body", cms_check)

    # -- e) symlinks -----------------------------------------------------------------------------

    def symlink_checks(self):
        markers = [PASSWD_MARKER, OUTSIDE_NEWS_MARKER.encode(), OUTSIDE_TENANT_MARKER.encode()]
        source = os.path.join(ROOT, "tenants", TENANT)
        news_slug = self.news[2]
        outside_news = os.path.join(self.outside, "news.md")
        outside_settings = os.path.join(self.outside, "tenant.yml")

        def template(folder):
            os.makedirs(os.path.join(folder, "templates", "pages"), exist_ok=True)
            os.symlink("/etc/passwd", os.path.join(folder, "templates", "pages", "404.mustache"))

        def news(folder):
            target = os.path.join(folder, "content", "news", f"{news_slug}.md")
            os.remove(target)
            os.symlink(outside_news, target)

        def settings(folder):
            os.remove(os.path.join(folder, "tenant.yml"))
            os.symlink(outside_settings, os.path.join(folder, "tenant.yml"))

        def static_file(folder):
            os.symlink("/etc/passwd", os.path.join(folder, "static", "leak.txt"))

        def static_folder(folder):
            shutil.rmtree(os.path.join(folder, "static"))
            os.symlink("/etc", os.path.join(folder, "static"))

        cases = [
            ("templates/pages/404.mustache -> /etc/passwd", "sym-template", template, "pages/404.mustache",
             [{"entity": "templates"}], ["/404.html"]),
            (f"content/news/{news_slug}.md -> outside file", "sym-news", news, f"news/{news_slug}.md",
             [{"entity": "news", "slug": news_slug, "action": "updated"}], []),
            ("tenant.yml -> outside file", "sym-settings", settings, "tenant.yml", [{"entity": "settings"}], []),
            ("static/leak.txt -> /etc/passwd", "sym-static-file", static_file, "static/leak.txt",
             [{"entity": "settings"}], ["/leak.txt"]),
            ("static/ -> /etc", "sym-static-dir", static_folder, "static", [{"entity": "settings"}], ["/"]),
        ]

        def expect_refusal(slug, changes, paths, names):
            payload = {"tenant": slug, "changes": changes}
            if paths:
                payload["paths"] = paths
            reply = self.webhook(json_bytes(payload), timeout=180)
            problems = []
            if 200 <= reply.status < 300 or reply.status >= 500:
                problems.append(f"answered {reply} (expected a 4xx refusal)")
            elif names not in reply.text:
                problems.append(f"answered {reply.status} but the error does not name {names}: {reply.text[:300]!r}")
            problems += self.leaks(slug, markers)
            return problems

        # In a fresh copy that the daemon opens for the first time (a full build).
        for label, slug, make, names, changes, paths in cases:
            def fresh(slug=slug, make=make, names=names, changes=changes, paths=paths):
                folder = os.path.join(self.tenants, slug)
                shutil.copytree(source, folder, symlinks=True)
                make(folder)
                problems = expect_refusal(slug, changes, paths, names)
                if problems:
                    raise Fail("; ".join(problems))
            self.check(f"symlink (new tenant): {label} -> refused naming {names}, nothing leaked", fresh)

        # In the live tenant, changed under the running daemon, then restored.
        # static/ is not re-read by a webhook (only by a full build or --watch's rescan), so the
        # static cases are covered by the fresh tenants above.
        live = os.path.join(self.tenants, TENANT)
        for label, slug, make, names, changes, paths in cases[:3]:
            def in_place(make=make, names=names, changes=changes, paths=paths):
                backup = os.path.join(self.work, "live-backup")
                shutil.rmtree(backup, ignore_errors=True)
                shutil.copytree(live, backup, symlinks=True)
                try:
                    make(live)
                    problems = expect_refusal(TENANT, changes, paths, names)
                finally:
                    shutil.rmtree(live)
                    shutil.move(backup, live)
                restore = json_bytes({"tenant": TENANT, "changes": changes + [{"entity": "settings"}, {"entity": "templates"}],
                                      "paths": paths or ["/"]})
                restored = self.webhook(restore, timeout=180)
                if restored.status != 200:
                    problems.append(f"after restoring the tenant the webhook answered {restored}")
                if problems:
                    raise Fail("; ".join(problems))
            self.check(f"symlink (live {TENANT}): {label} -> refused naming {names}, nothing leaked", in_place)

    # -- f) JWT ----------------------------------------------------------------------------------

    def jwt_checks(self):
        path = f"/api/v1/cms/admin/sites/{CMS_TENANT}/news"
        now = int(time.time())

        def claims(**changes):
            value = {"iss": ISSUER, "aud": AUDIENCE, "sub": "hostile", "email": "hostile@koni.id", "roles": ["admin"],
                     "permissions": ["cms:write"], "iat": now, "nbf": now, "exp": now + 600}
            for key, replacement in changes.items():
                if replacement is None:
                    value.pop(key)
                else:
                    value[key] = replacement
            return value

        with open(self.public_key, "rb") as handle:
            public_pem = handle.read()
        tokens = [
            ("token without aud", self.jwt(claims(aud=None))),
            ("token with a wrong iss", self.jwt(claims(iss="https://evil.example"))),
            ("HS256 token signed with the public key", self.jwt(claims(), algorithm="HS256", hmac_key=public_pem)),
            ("token expired 10 minutes ago", self.jwt(claims(iat=now - 1200, nbf=now - 1200, exp=now - 600))),
            ("token with nbf 10 minutes ahead", self.jwt(claims(nbf=now + 600))),
        ]
        for label, token in tokens:
            def refused(token=token):
                reply = http(self.cms_port, "GET", path, self.bearer(token), timeout=30)
                if reply.status != 401:
                    raise Fail(f"answered {reply} (expected 401)")
            self.check(f"jwt: {label} -> 401", refused)

        def accepted():
            reply = http(self.cms_port, "GET", path, self.bearer(self.cms_token("admin")), timeout=30)
            if not 200 <= reply.status < 300:
                raise Fail(f"answered {reply} (expected 2xx)")
        self.check("jwt: scripts/cms-token admin token -> 2xx", accepted)

    # -- g) the end --------------------------------------------------------------------------------

    def final_checks(self):
        def daemon():
            if self.daemon_restarts:
                raise Fail(f"the daemon had to be restarted {self.daemon_restarts} time(s) during the suite")
            reply = http(self.daemon_port, "GET", "/healthz", timeout=10)
            if reply.status != 200:
                raise Fail(f"/healthz answered {reply}")
        self.check("end: daemon /healthz -> 200, never restarted", daemon)

        def cms():
            if self.processes["cms"].poll() is not None:
                raise Fail(f"cms-service died (status {self.processes['cms'].returncode})")
            reply = http(self.cms_port, "GET", "/healthz", timeout=10)
            if reply.status != 200:
                raise Fail(f"/healthz answered {reply}")
        self.check("end: cms /healthz -> 200", cms)

        def nothing_leaked():
            found = []
            for folder, _, names in os.walk(self.out):
                for name in names:
                    path = os.path.join(folder, name)
                    if PASSWD_MARKER in self.contents(path):
                        found.append(os.path.relpath(path, self.out))
            if found:
                raise Fail(f"{len(found)} published file(s) contain root:x:0:0, e.g. {', '.join(sorted(found)[:5])}")
        self.check("end: no file in the output folder contains root:x:0:0", nothing_leaked)

    def main(self):
        try:
            self.check("setup: build, cms-service and daemon started", self.setup)
            if self.results[-1][1]:
                self.webhook_checks()
                self.published_checks()
                self.oversized_checks()
                self.poison_checks()
                self.markdown_checks()
                self.symlink_checks()
                self.jwt_checks()
                self.auth_checks()
                self.admin_checks()
                self.media_checks()
                self.openapi_checks()
                self.final_checks()
        except Stop:
            print("FAIL interrupted: the suite was stopped by a signal", flush=True)
            self.results.append(("interrupted", False))
        finally:
            # Cleaning up is bounded; a second signal must not cut it short.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            failed = sum(1 for _, passed in self.results if not passed)
            if failed:
                for what, path in (("daemon", self.daemon_log), ("cms-service", self.cms_log), ("auth-service", self.auth_log), ("compro-admin", self.admin_log),
                                   ("media-service", self.media_log), ("payment-service", self.extra_services["payment"]["log"]),
                                   ("tenant-service", self.extra_services["tenant"]["log"]), ("athlete-service", self.extra_services["athlete"]["log"]),
                                   ("gms-service", self.extra_services["gms"]["log"])):
                    if os.path.exists(path):
                        log(f"{what} log, last lines ({path}):\n{tail(path, 60)}")
            self.cleanup()
        passed = sum(1 for _, ok in self.results if ok)
        print(f"{passed} passed, {failed} failed", flush=True)
        return 1 if failed else 0


def news_file(title, body):
    return f"---\ntitle: {title}\ndate: 2026-01-02\nsummary: Ringkasan\ntags: [hostile]\n---\n{body}\n"


def json_bytes(value):
    return json.dumps(value, separators=(",", ":")).encode()


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def now_rfc3339():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bin", nargs="?", help="folder with koni-compro and cms-service (default $KONI_HOSTILE_BIN or .build/debug)")
    parser.add_argument("--bin", dest="bin_option", help="the same, as an option")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, output) for inspection")
    arguments = parser.parse_args()
    bin_dir = arguments.bin_option or arguments.bin or os.environ.get("KONI_HOSTILE_BIN") or os.path.join(ROOT, ".build", "debug")
    bin_dir = os.path.abspath(bin_dir)

    def stop(signum, _frame):
        raise Stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        suite = Suite(bin_dir, arguments.keep)
    except SystemExit as error:
        print(f"FAIL setup: {str(error.code).removeprefix('hostile: ')}", flush=True)
        print("0 passed, 1 failed", flush=True)
        sys.exit(1)
    sys.exit(suite.main())


if __name__ == "__main__":
    main()
