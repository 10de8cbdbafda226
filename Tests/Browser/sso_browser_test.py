#!/usr/bin/env python3
"""Single sign-on in a real browser: headless Chromium (Selenium + Debian's chromium-driver),
a real Nginx with TLS in front of the real Auth service, PostgreSQL, Redis and RabbitMQ.

    python3 Tests/Browser/sso_browser_test.py [--bin .build/debug] [--keep]

Needs the variables scripts/services writes (KONI_TEST_POSTGRES_URL, KONI_TEST_REDIS_URL,
KONI_TEST_AMQP_URL); scripts/test runs it last. Chromium maps app.koni.id, jatim.koni.id and
jabar.koni.id to the loopback Nginx with --host-resolver-rules, so every URL the browser sees is
the production one (https://app.koni.id/auth/login, https://jatim.koni.id/auth/callback).

The branches' side of the flow (the `/auth/callback` that exchanges the code, and a page that
says who is signed in) is played by a small stand-in written here: the real one is the compro
admin (its own issue). It does what a branch's server must: makes the PKCE verifier and the
state, keeps both on the server, checks the state on return, exchanges the code with the
verifier, and keeps the tokens on the server behind an HttpOnly session cookie.

Checks, each printed as `ok <name>` or `FAIL <name>: reason`:
  1. jatim's login link leads to the app's login form (a real page with labels, in Indonesian);
  2. a wrong password shows the error on the form, announced to screen readers;
  3. the right password lands back on jatim, signed in, with a token scoped to jatim;
  4. jabar's login link signs in without showing a password field;
  5. the tokens never reach the browser: no cookie the page's script can read holds them.
"""

import argparse
import base64
import hashlib
import http.server
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "Garuda-Emas-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def post_json(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


class Branch(http.server.BaseHTTPRequestHandler):
    """The stand-in for a branch's server side (see the module's doc)."""

    auth_url = ""  # the Auth service on loopback, for the code exchange
    pending = {}  # state -> (verifier, host)
    sessions = {}  # session id -> exchange reply

    def log_message(self, *args):
        pass

    def host(self):
        return (self.headers.get("Host") or "").split(":")[0]

    def send(self, status, body, headers=()):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        host = self.host()
        if url.path == "/masuk":
            verifier = secrets.token_urlsafe(48)
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            state = secrets.token_urlsafe(16)
            Branch.pending[state] = (verifier, host)
            target = "https://app.koni.id/auth/login?" + urllib.parse.urlencode({
                "redirect_uri": f"https://{host}/auth/callback", "state": state,
                "code_challenge": challenge, "code_challenge_method": "S256"})
            self.send(302, "", [("Location", target)])
        elif url.path == "/auth/callback":
            verifier, expected_host = Branch.pending.pop(query.get("state", ""), (None, None))
            if verifier is None or expected_host != host:
                self.send(400, "<p>state tidak dikenal</p>")
                return
            status, reply = post_json(Branch.auth_url + "/api/v1/auth/exchange", {
                "code": query.get("code", ""), "code_verifier": verifier, "redirect_uri": f"https://{host}/auth/callback"})
            if status != 200:
                self.send(400, f"<p>penukaran kode gagal: {status}</p>")
                return
            session = secrets.token_urlsafe(24)
            Branch.sessions[session] = reply
            self.send(303, "", [("Location", "/admin/"), ("Set-Cookie", f"branch_session={session}; HttpOnly; Secure; SameSite=Lax; Path=/")])
        elif url.path == "/admin/":
            cookies = dict(part.strip().split("=", 1) for part in (self.headers.get("Cookie") or "").split(";") if "=" in part)
            reply = Branch.sessions.get(cookies.get("branch_session", ""))
            if reply is None:
                self.send(200, f"<!doctype html><html lang=id><body><p id=status>Belum masuk di {host}</p><a href=/masuk>Masuk</a></body></html>")
                return
            token = reply["access_token"]
            payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
            self.send(200, "<!doctype html><html lang=id><body>"
                      f"<p id=status>Masuk sebagai {reply['user']['email']}</p>"
                      f"<p id=tenant>{reply['tenant']['slug']}</p><p id=claim>{payload.get('tenant_id')}</p></body></html>")
        else:
            self.send(404, "<p>tidak ada</p>")


NGINX_CONF = """
worker_processes 1;
error_log {dir}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  ssl_certificate {dir}/cert.pem; ssl_certificate_key {dir}/key.pem;
  server {{
    listen 127.0.0.1:{port} ssl; server_name app.koni.id;
    location /auth/ {{ proxy_pass http://127.0.0.1:{auth}; proxy_set_header Host $host; proxy_set_header X-Real-IP $remote_addr; }}
    location /api/v1/auth/ {{ proxy_pass http://127.0.0.1:{auth}; proxy_set_header Host $host; proxy_set_header X-Real-IP $remote_addr; }}
    location /.well-known/ {{ proxy_pass http://127.0.0.1:{auth}; }}
  }}
  server {{
    listen 127.0.0.1:{port} ssl; server_name jatim.koni.id jabar.koni.id;
    location / {{ proxy_pass http://127.0.0.1:{branch}; proxy_set_header Host $host; }}
  }}
}}
"""


class Run:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="koni-sso-browser-")
        self.processes = []
        self.passed = 0
        self.failed = 0
        self.database = f"auth_browser_{uuid.uuid4().hex[:8]}"
        self.pg_url = os.environ["KONI_TEST_POSTGRES_URL"]

    def check(self, name, condition, reason=""):
        if condition:
            self.passed += 1
            print(f"ok {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}: {reason}", flush=True)

    def start(self):
        binary = os.path.join(self.args.bin, "auth-service")
        keys = os.path.join(self.dir, "keys")
        subprocess.run([binary, "keys", "generate", "--keys", keys], check=True, capture_output=True)
        subprocess.run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{self.database}"'], check=True)
        database_url = self.pg_url.rsplit("/", 1)[0] + "/" + self.database
        self.auth_port, self.branch_port, self.nginx_port = free_port(), free_port(), free_port()
        env = dict(os.environ, KONI_AUTH_DATABASE_URL=database_url, KONI_AUTH_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"],
                   KONI_AUTH_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_AUTH_KEYS=keys, KONI_AUTH_PORT=str(self.auth_port),
                   KONI_AUTH_TENANTS=os.path.join(ROOT, "tenants"), KONI_AUTH_REDIS_KEY_PREFIX=f"browser-{uuid.uuid4().hex[:8]}:",
                   KONI_AUTH_LOG_LEVEL="warning", KONI_AUTH_SERVICE_KEYS="k" * 40)
        log = open(os.path.join(self.dir, "auth.log"), "w")
        self.processes.append(subprocess.Popen([binary], env=env, stdout=log, stderr=log))
        self.auth_url = f"http://127.0.0.1:{self.auth_port}"
        wait_for(self.auth_url + "/readyz")

        Branch.auth_url = self.auth_url
        server = http.server.ThreadingHTTPServer(("127.0.0.1", self.branch_port), Branch)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.branch_server = server

        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=koni.id",
                        "-addext", "subjectAltName=DNS:*.koni.id", "-keyout", f"{self.dir}/key.pem", "-out", f"{self.dir}/cert.pem"],
                       check=True, capture_output=True)
        with open(f"{self.dir}/nginx.conf", "w") as handle:
            handle.write(NGINX_CONF.format(dir=self.dir, port=self.nginx_port, auth=self.auth_port, branch=self.branch_port))
        self.processes.append(subprocess.Popen(["nginx", "-p", self.dir, "-c", f"{self.dir}/nginx.conf", "-g", f"daemon off; pid {self.dir}/nginx.pid;"]))
        time.sleep(0.5)

    def browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                     f"--host-resolver-rules=MAP *.koni.id 127.0.0.1:{self.nginx_port}", "--window-size=390,844"]:
            options.add_argument(flag)
        return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)

    def scenario(self):
        from selenium.webdriver.common.by import By

        email = f"atlet-{uuid.uuid4().hex[:8]}@koni.id"
        status, _ = post_json(self.auth_url + "/api/v1/auth/register", {"email": email, "name": "Atlet Browser", "password": PASSWORD})
        self.check("register the account", status == 201, f"status {status}")
        driver = self.browser()
        try:
            driver.get("https://jatim.koni.id/masuk")
            url = urllib.parse.urlsplit(driver.current_url)
            labels = [label.text for label in driver.find_elements(By.TAG_NAME, "label")]
            self.check("jatim's login link opens the app's login form",
                       url.netloc == "app.koni.id" and url.path == "/auth/login" and labels == ["Email", "Kata sandi"]
                       and driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
                       and "Jawa Timur" in driver.page_source, f"{driver.current_url} {labels}")

            driver.find_element(By.ID, "email").send_keys(email)
            driver.find_element(By.ID, "password").send_keys("Salah-Sekali-123")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            alerts = driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
            self.check("a wrong password shows the error on the form",
                       urllib.parse.urlsplit(driver.current_url).netloc == "app.koni.id" and alerts and "salah" in alerts[0].text,
                       driver.page_source[:300])

            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            jatim_id = str(uuid.uuid5(uuid.UUID("6b0e4f51-2d8a-4c3e-9a57-1f0c557d2190"), "jatim"))
            self.check("the right password lands back on jatim, signed in, with a jatim token",
                       driver.current_url == "https://jatim.koni.id/admin/"
                       and driver.find_element(By.ID, "status").text == f"Masuk sebagai {email}"
                       and driver.find_element(By.ID, "claim").text == jatim_id,
                       f"{driver.current_url} {driver.page_source[:300]}")

            seen = []
            driver.get("https://jabar.koni.id/masuk")
            seen.append(driver.current_url)
            self.check("jabar signs in without a password prompt",
                       driver.current_url == "https://jabar.koni.id/admin/"
                       and driver.find_element(By.ID, "status").text == f"Masuk sebagai {email}"
                       and driver.find_element(By.ID, "tenant").text == "jabar"
                       and not driver.find_elements(By.ID, "password"), f"{seen} {driver.page_source[:300]}")

            readable = driver.execute_script("return document.cookie")
            driver.get("https://app.koni.id/auth/assets/auth.css")
            app_readable = driver.execute_script("return document.cookie")
            self.check("no token or session is readable by page scripts", readable == "" and app_readable == "",
                       f"{readable!r} {app_readable!r}")
        finally:
            driver.quit()

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if hasattr(self, "branch_server"):
            self.branch_server.shutdown()
        subprocess.run(["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{self.database}"'], capture_output=True)
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, nginx.conf)")
    args = parser.parse_args()
    run = Run(args)
    try:
        run.start()
        run.scenario()
    except Exception as error:  # a setup failure is a failed check, with its reason
        run.check("the browser test ran", False, repr(error))
        for name in ("auth.log", "error.log"):
            path = os.path.join(run.dir, name)
            if os.path.exists(path):
                print(f"----- {name} -----\n" + open(path).read()[-3000:], file=sys.stderr)
    finally:
        run.stop()
    print(f"{run.passed} passed, {run.failed} failed")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
