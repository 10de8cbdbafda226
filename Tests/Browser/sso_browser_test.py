#!/usr/bin/env python3
"""Single sign-on and the branch admin in a real browser: headless Chromium (Selenium + Debian's
chromium-driver), a real Nginx with TLS in front of the real Auth service, compro-admin, CMS and
`koni-compro serve`, with PostgreSQL, Redis and RabbitMQ.

    python3 Tests/Browser/sso_browser_test.py [--bin .build/debug] [--keep]

Needs the variables scripts/services writes (KONI_TEST_POSTGRES_URL, KONI_TEST_REDIS_URL,
KONI_TEST_AMQP_URL); scripts/test runs it last. Chromium maps app.koni.id, jatim.koni.id and
jabar.koni.id to the loopback Nginx with --host-resolver-rules, so every URL the browser sees is
the production one (https://app.koni.id/auth/login, https://jatim.koni.id/admin/).

Setup goes the way an operator's would: accounts register through the API, the first admin is
made with `auth-service users grant`, the admin creates the branches in the CMS with its own
token and makes the branch admin an `admin-cabang` of jatim through the Auth API.

Checks, each printed as `ok <name>` or `FAIL <name>: reason`:
  0. the server blocks `koni-compro nginx render --admin-upstream` writes serve the static site;
  1. jatim's /admin/ leads to the app's login form (a real page with labels, in Indonesian);
  2. a wrong password shows the error on the form, announced to screen readers;
  3. the right password lands on jatim's dashboard, signed in; the dashboard lists what changed on
     the site and when it was published;
  4. the Markdown preview follows the body as it is typed; a news item with a cover written in the
     admin is published, the admin says "live in N ms",
     and it is on the public site through Nginx with its cover;
  5. a save against a newer version shows the conflict and keeps the admin's input;
  6. an event with a `javascript:` registration link is refused beside that field;
  6b. a gallery with its photo is published;
  6c. the site settings (tagline, menu) are saved, the domains kept;
  6d. a page's sections are reordered, and the public page shows the new order;
  6e. the theme editor shows jatim's real page with the candidate colour and the contrast report;
      saved, the site's theme CSS through Nginx has the new colour;
  6f. a form post forged from jatim's admin to jabar's is blocked by the browser (CSP) and refused
      by the admin (sent anyway with the browser's cookies), and nothing is written;
  7. jabar's /admin/ signs in without a password prompt, and refuses a jatim admin;
  8. no token or session is readable by page scripts; the generated gateway (`koni-compro nginx
     gateway`) routes the public APIs and the keys and never `/internal/`;
  9. axe-core (axe-core-python from PyPI) finds no serious or critical violation on any screen.

jatim's site comes from the CMS (`koni-compro cms import`, then `source: cms`) and is kept fresh by
`koni-compro serve` from the CMS's events; the admin asks the daemon when a save is live.
`--screenshots DIR` saves every checked screen at 390 px and at 1280 px (docs/screenshots/).
"""

import argparse
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
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


def settle(driver, condition, seconds=15):
    """Waits until `condition(driver)` holds (a click's navigation has finished), at most `seconds`;
    the check that follows reports what the page shows if it never does."""
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        WebDriverWait(driver, seconds).until(lambda d: condition(d))
    except Exception:
        pass


def body_text(driver):
    """What the page says, for a failure's reason."""
    try:
        return driver.current_url + " | " + driver.execute_script("return document.body ? document.body.innerText : ''")[:400]
    except Exception as error:
        return repr(error)


def branch_id(slug):
    """BranchID.derived: the version-5 UUID of the slug in the KONI namespace."""
    return str(uuid.uuid5(uuid.UUID("6b0e4f51-2d8a-4c3e-9a57-1f0c557d2190"), slug))


def post_json(url, body, token=None, method="POST"):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode() if body is not None else None, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


# The shape of nginx/nginx.conf under the test's prefix: the repository's koni/ snippets, the
# branch server blocks `koni-compro nginx render --tls --admin-upstream` writes and the gateway
# (app.koni.id, api.koni.id) `koni-compro nginx gateway --tls` writes.
NGINX_CONF = """
worker_processes 1;
error_log {dir}/error.log;
pid {dir}/nginx.pid;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  include koni/http.conf;
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  include sites/*.conf;
}}
"""


class Run:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="koni-sso-browser-")
        # Nginx's workers run as an unprivileged user: they must be able to read the sites.
        os.chmod(self.dir, 0o755)
        self.processes = []
        self.passed = 0
        self.failed = 0
        self.databases = []
        self.pg_url = os.environ["KONI_TEST_POSTGRES_URL"]

    def shot(self, driver, name):
        if self.args.screenshots:
            os.makedirs(self.args.screenshots, exist_ok=True)
            driver.save_screenshot(os.path.join(self.args.screenshots, f"{name}.png"))

    def check(self, name, condition, reason=""):
        if condition:
            self.passed += 1
            print(f"ok {name}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL {name}: {reason}", flush=True)

    def service(self, name, env, ready):
        log = open(os.path.join(self.dir, f"{name}.log"), "w")
        self.processes.append(subprocess.Popen([os.path.join(self.args.bin, name)], env=env, stdout=log, stderr=log))
        wait_for(ready)

    def database(self, name):
        subprocess.run(["psql", self.pg_url, "-v", "ON_ERROR_STOP=1", "-qc", f'CREATE DATABASE "{name}"'], check=True)
        self.databases.append(name)
        return self.pg_url.rsplit("/", 1)[0] + "/" + name

    def start(self):
        keys = os.path.join(self.dir, "keys")
        subprocess.run([os.path.join(self.args.bin, "auth-service"), "keys", "generate", "--keys", keys], check=True, capture_output=True)
        self.auth_port, self.admin_port, self.cms_port, self.nginx_port = free_port(), free_port(), free_port(), free_port()
        self.auth_db = self.database(f"auth_browser_{uuid.uuid4().hex[:8]}")
        base = dict(os.environ)
        prefix = uuid.uuid4().hex[:8]
        self.service("auth-service", dict(base, KONI_AUTH_DATABASE_URL=self.auth_db, KONI_AUTH_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"],
                     KONI_AUTH_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_AUTH_KEYS=keys, KONI_AUTH_PORT=str(self.auth_port),
                     KONI_AUTH_TENANTS=os.path.join(ROOT, "tenants"), KONI_AUTH_REDIS_KEY_PREFIX=f"browser-auth-{prefix}:",
                     KONI_AUTH_LOG_LEVEL="warning", KONI_AUTH_SERVICE_KEYS="k" * 40), f"http://127.0.0.1:{self.auth_port}/readyz")
        self.auth_url = f"http://127.0.0.1:{self.auth_port}"
        self.service("cms-service", dict(base, KONI_CMS_DATABASE_URL=self.database(f"cms_browser_{uuid.uuid4().hex[:8]}"),
                     KONI_CMS_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_CMS_JWKS_URL=self.auth_url + "/.well-known/jwks.json",
                     KONI_CMS_PORT=str(self.cms_port), KONI_CMS_THEMES=os.path.join(ROOT, "Themes"), KONI_CMS_LOG_LEVEL="warning"),
                     f"http://127.0.0.1:{self.cms_port}/readyz")
        self.cms_url = f"http://127.0.0.1:{self.cms_port}"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=koni.id",
                        "-addext", "subjectAltName=DNS:*.koni.id", "-keyout", f"{self.dir}/key.pem", "-out", f"{self.dir}/cert.pem"],
                       check=True, capture_output=True)
        # The branches' sites: jatim from the CMS (imported from its folder, then kept fresh by
        # `koni-compro serve` from the CMS's events), jabar from its folder.
        self.accounts()
        compro = os.path.join(self.args.bin, "koni-compro")
        public, conf, letsencrypt = f"{self.dir}/public", f"{self.dir}/conf", f"{self.dir}/letsencrypt"
        self.public = public
        tenants = f"{self.dir}/tenants"
        for slug in ("jatim", "jabar"):
            shutil.copytree(os.path.join(ROOT, "tenants", slug), f"{tenants}/{slug}")
        subprocess.run([compro, "cms", "import", "jatim", "--cms", self.cms_url, "--token", self.admin_token, "--tenants", tenants],
                       check=True, capture_output=True)
        shutil.rmtree(f"{tenants}/jatim/content")
        with open(f"{tenants}/jatim/tenant.yml") as handle:
            yml = handle.read().replace("source: local\n", "")
        with open(f"{tenants}/jatim/tenant.yml", "w") as handle:
            handle.write(yml + f"source: cms\ncms:\n  url: {self.cms_url}\n")
        common = ["--tenants", tenants, "--templates", os.path.join(ROOT, "Templates"), "--themes", os.path.join(ROOT, "Themes")]
        subprocess.run([compro, "build", "jatim", "jabar", "--out", public] + common, check=True, capture_output=True)
        self.daemon_port = free_port()
        log = open(os.path.join(self.dir, "koni-compro-serve.log"), "w")
        self.processes.append(subprocess.Popen([compro, "serve", "--out", public, "--port", str(self.daemon_port), "--amqp", os.environ["KONI_TEST_AMQP_URL"],
                                                "--queue", f"browser.revalidate.{prefix}"] + common, stdout=log, stderr=log))
        wait_for(f"http://127.0.0.1:{self.daemon_port}/healthz")
        self.service("compro-admin", dict(base, KONI_ADMIN_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"], KONI_ADMIN_AUTH_URL=self.auth_url,
                     KONI_ADMIN_CMS_URL=self.cms_url, KONI_ADMIN_PORT=str(self.admin_port), KONI_ADMIN_TENANTS=os.path.join(ROOT, "tenants"),
                     KONI_ADMIN_REDIS_KEY_PREFIX=f"browser-admin-{prefix}:", KONI_ADMIN_LOG_LEVEL="warning", KONI_ADMIN_SITES=public,
                     KONI_ADMIN_THEMES=os.path.join(ROOT, "Themes"), KONI_ADMIN_DAEMON_URL=f"http://127.0.0.1:{self.daemon_port}"),
                     f"http://127.0.0.1:{self.admin_port}/healthz")
        shutil.copytree(os.path.join(ROOT, "nginx", "koni"), f"{conf}/koni")
        for host in ("jatim.koni.id", "jabar.koni.id", "app.koni.id", "api.koni.id"):
            os.makedirs(f"{letsencrypt}/live/{host}")
            shutil.copy(f"{self.dir}/cert.pem", f"{letsencrypt}/live/{host}/fullchain.pem")
            shutil.copy(f"{self.dir}/key.pem", f"{letsencrypt}/live/{host}/privkey.pem")
        subprocess.run([compro, "nginx", "gateway", "--auth-upstream", f"127.0.0.1:{self.auth_port}", "--service", f"cms=127.0.0.1:{self.cms_port}",
                        "--listen", f"127.0.0.1:{free_port()}", "--tls", "--tls-listen", f"127.0.0.1:{self.nginx_port}", "--letsencrypt", letsencrypt,
                        "--acme-root", f"{self.dir}/acme", "--nginx-config", os.path.join(ROOT, "nginx"), "--out", f"{conf}/sites"],
                       check=True, capture_output=True)
        subprocess.run([compro, "nginx", "render", "jatim", "jabar", "--tenants", os.path.join(ROOT, "tenants"), "--out", f"{conf}/sites",
                        "--listen", f"127.0.0.1:{free_port()}", "--tls", "--tls-listen", f"127.0.0.1:{self.nginx_port}", "--sites", public,
                        "--letsencrypt", letsencrypt, "--acme-root", f"{self.dir}/acme", "--admin-upstream", f"127.0.0.1:{self.admin_port}",
                        "--nginx-config", os.path.join(ROOT, "nginx")], check=True, capture_output=True)
        with open(f"{conf}/nginx.conf", "w") as handle:
            handle.write(NGINX_CONF.format(dir=self.dir))
        subprocess.run(["nginx", "-t", "-p", self.dir, "-c", f"{conf}/nginx.conf"], check=True, capture_output=True)
        self.processes.append(subprocess.Popen(["nginx", "-p", self.dir, "-c", f"{conf}/nginx.conf", "-g", "daemon off;"]))
        time.sleep(0.5)

    def accounts(self):
        """The operator's path: register, `users grant` the first admin, the admin creates the
        branches in the CMS and grants admin-cabang through the API."""
        self.admin_email = f"admin-{uuid.uuid4().hex[:8]}@koni.id"
        self.email = f"cabang-{uuid.uuid4().hex[:8]}@koni.id"
        for email in (self.admin_email, self.email):
            status, reply = post_json(self.auth_url + "/api/v1/auth/register", {"email": email, "name": "Uji Peramban", "password": PASSWORD})
            assert status == 201, (status, reply)
        subprocess.run([os.path.join(self.args.bin, "auth-service"), "users", "grant", "--email", self.admin_email, "--role", "admin",
                        "--database-url", self.auth_db], check=True, capture_output=True)
        status, reply = post_json(self.auth_url + "/api/v1/auth/login", {"email": self.admin_email, "password": PASSWORD})
        assert status == 200, (status, reply)
        self.admin_token = reply["access_token"]
        for slug in ("jabar",):  # jatim is imported from its folder
            status, reply = post_json(self.cms_url + "/api/v1/cms/admin/sites", {
                "id": branch_id(slug), "slug": slug, "settings": {"name": f"KONI {slug}", "timezone": "Asia/Jakarta"},
                "theme": {"preset": "merah-putih"}}, token=self.admin_token)
            assert status == 201, (slug, status, reply)
        status, reply = post_json(self.auth_url + "/api/v1/auth/users/" + self.user_id(self.email) + "/roles",
                                  {"role": "admin-cabang", "tenant": "jatim"}, token=self.admin_token)
        assert status == 200, (status, reply)

    def user_id(self, email):
        status, reply = post_json(self.auth_url + "/api/v1/auth/login", {"email": email, "password": PASSWORD})
        payload = json.loads(base64.urlsafe_b64decode(reply["access_token"].split(".")[1] + "=="))
        return payload["sub"]

    def browser(self):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--ignore-certificate-errors",
                     f"--host-resolver-rules=MAP *.koni.id 127.0.0.1:{self.nginx_port}", "--window-size=390,844"]:
            options.add_argument(flag)
        return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)

    def axe(self, driver, screen):
        """axe-core (from the axe-core-python package) on the current page: no serious or critical violation."""
        import axe_core_python
        with open(os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")) as handle:
            source = handle.read()
        driver.execute_script(source)
        result = driver.execute_async_script("var done = arguments[arguments.length - 1]; axe.run(document).then(done, function (e) { done({error: String(e)}); });")
        if result.get("error"):
            self.axe_problems.append(f"{screen}: axe failed: {result['error']}")
            return
        self.axe_screens.append(screen)
        for violation in result.get("violations", []):
            if violation.get("impact") in ("serious", "critical"):
                targets = [node.get("target") for node in violation.get("nodes", [])][:3]
                self.axe_problems.append(f"{screen}: {violation['id']} ({violation['impact']}) {targets}")

    def look(self, driver, name):
        """Checks the screen with axe and saves it at 390 px and at desktop width (with --screenshots)."""
        self.axe(driver, name)
        if self.args.screenshots:
            self.shot(driver, f"{name}-390")
            driver.set_window_size(1280, 900)
            self.shot(driver, f"{name}-desktop")
            driver.set_window_size(390, 844)

    def scenario(self):
        from selenium.webdriver.common.by import By
        self.axe_screens, self.axe_problems = [], []
        email = self.email
        driver = self.browser()
        try:
            driver.get("https://jatim.koni.id/")
            self.check("the rendered server block serves jatim's static site",
                       "KONI Provinsi Jawa Timur" in driver.title, body_text(driver))
            driver.get("https://jatim.koni.id/admin/")
            url = urllib.parse.urlsplit(driver.current_url)
            labels = [label.text for label in driver.find_elements(By.TAG_NAME, "label")]
            self.check("jatim's admin leads to the app's login form",
                       url.netloc == "app.koni.id" and url.path == "/auth/login" and labels == ["Email", "Kata sandi"]
                       and driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "id"
                       and "Jawa Timur" in driver.page_source, f"{driver.current_url} {labels}")

            driver.find_element(By.ID, "email").send_keys(email)
            driver.find_element(By.ID, "password").send_keys("Salah-Sekali-123")
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            settle(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
            alerts = driver.find_elements(By.CSS_SELECTOR, "[role=alert]")
            self.look(driver, "login-error")
            self.check("a wrong password shows the error on the form",
                       urllib.parse.urlsplit(driver.current_url).netloc == "app.koni.id" and alerts and "salah" in alerts[0].text,
                       body_text(driver))

            driver.find_element(By.ID, "password").send_keys(PASSWORD)
            driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            settle(driver, lambda d: d.current_url.startswith("https://jatim.koni.id/"))
            who = driver.find_elements(By.ID, "who")
            self.check("the right password lands on jatim's dashboard, signed in",
                       driver.current_url == "https://jatim.koni.id/admin/" and who and who[0].text == email,
                       f"{driver.current_url} {body_text(driver)}")

            driver.get("https://jatim.koni.id/admin/berita/baru")
            self.look(driver, "news-form")
            driver.find_element(By.ID, "title").send_keys("Atlet Jatim raih emas <b>PON</b> Zamrud")
            driver.find_element(By.ID, "cover").send_keys("/images/hero.svg | Para juara di podium")
            driver.find_element(By.ID, "body").send_keys("Tim **Jawa Timur** menang.")

            def previewed(d):
                d.switch_to.frame(d.find_element(By.ID, "pratinjau-body"))
                try:
                    return [b.text for b in d.find_elements(By.TAG_NAME, "strong")]
                finally:
                    d.switch_to.default_content()
            settle(driver, lambda d: previewed(d) == ["Jawa Timur"])
            self.check("the Markdown preview under the body follows the text as it is typed", previewed(driver) == ["Jawa Timur"],
                       repr(previewed(driver)))
            driver.find_element(By.NAME, "published").click()
            driver.find_element(By.CSS_SELECTOR, "form[action='/admin/berita/'] button:not(.preview-button)[type=submit]").click()
            settle(driver, lambda d: "hasil=" in d.current_url or d.find_elements(By.CSS_SELECTOR, ".error"))
            notice = " ".join(n.text for n in driver.find_elements(By.CSS_SELECTOR, ".notice"))
            self.look(driver, "news-list")
            with urllib.request.urlopen(self.cms_url + "/api/v1/cms/sites/jatim/news?per_page=100", timeout=10) as reply:
                published = [item for item in json.loads(reply.read())["items"] if "Zamrud" in item["title"]]
            titles = [item["title"] for item in published]
            self.check("a news item with a cover written in the admin is in the CMS, published, and the admin says when it went live",
                       driver.current_url.startswith("https://jatim.koni.id/admin/berita/") and "Tersimpan." in notice
                       and re.search(r"Tayang di situs dalam \d+ ms", notice) is not None
                       and titles == ["Atlet Jatim raih emas <b>PON</b> Zamrud"] and published[0].get("cover", {}).get("src") == "/images/hero.svg",
                       f"{driver.current_url} {notice!r} {titles}")
            if published:
                driver.get(f"https://jatim.koni.id/berita/{published[0]['slug']}/")
                covers = [img.get_attribute("alt") for img in driver.find_elements(By.CSS_SELECTOR, "img") if "hero" in (img.get_attribute("src") or "")]
                self.check("the news item is on the public site through Nginx, with its cover",
                           "Atlet Jatim raih emas <b>PON</b> Zamrud" in driver.title and "Para juara di podium" in covers,
                           f"{driver.title} {covers}")

            driver.get("https://jatim.koni.id/admin/")
            changes = driver.find_element(By.ID, "changes").text
            live = driver.find_element(By.ID, "live").text
            self.look(driver, "dashboard")
            self.check("the dashboard lists the change among the latest on the site and says when the site was published",
                       "Atlet Jatim raih emas <b>PON</b> Zamrud" in changes and re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB", live) is not None,
                       f"{changes!r} {live!r}")
            for screen, path in (("athlete-form", "/admin/atlet/baru"), ("gallery-form", "/admin/galeri/baru"), ("event-list", "/admin/agenda/"),
                                 ("page-list", "/admin/halaman/")):
                driver.get("https://jatim.koni.id" + path)
                self.look(driver, screen)
            if published:
                driver.get(f"https://jatim.koni.id/admin/berita/{published[0]['id']}/hapus")
                self.look(driver, "delete-confirmation")

            driver.get("https://jatim.koni.id/admin/berita/")
            driver.find_element(By.ID, "cari").send_keys("ZAMRUD")
            driver.find_element(By.CSS_SELECTOR, "form[role=search] button[type=submit]").click()
            settle(driver, lambda d: "cari=" in d.current_url)
            found = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "tbody td:first-child")]
            driver.get("https://jatim.koni.id/admin/berita/?cari=tidak-ada-yang-cocok")
            none = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "tbody td:first-child")]
            self.check("the news list searches titles", found == ["Atlet Jatim raih emas <b>PON</b> Zamrud"] and none == ["Belum ada isi."],
                       f"{found} {none}")

            if not published:
                raise RuntimeError("no published news to edit; the later checks need one")
            item_id = published[0]["id"]
            driver.get(f"https://jatim.koni.id/admin/berita/{item_id}/")
            status, current = post_json(self.cms_url + f"/api/v1/cms/admin/sites/jatim/news/{item_id}", None, token=self.admin_token, method="GET")
            changed = {key: current[key] for key in ("slug", "title", "date", "body")}
            changed["title"] = "Diubah admin pusat"
            request = urllib.request.Request(self.cms_url + f"/api/v1/cms/admin/sites/jatim/news/{item_id}", data=json.dumps(changed).encode(),
                                             method="PUT", headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.admin_token}",
                                                                    "If-Match": f'"{current["version"]}"'})
            urllib.request.urlopen(request, timeout=10).read()
            title = driver.find_element(By.ID, "title")
            title.clear()
            title.send_keys("Judul dari admin cabang")
            driver.find_element(By.CSS_SELECTOR, f"form[action='/admin/berita/{item_id}/'] button:not(.preview-button)[type=submit]").click()
            settle(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".error[role=alert]"))
            alerts = [alert.text for alert in driver.find_elements(By.CSS_SELECTOR, "[role=alert]")]
            self.look(driver, "conflict")
            self.check("a save against a newer version shows the conflict and keeps the admin's input",
                       any("sudah diubah orang lain" in text and "Diubah admin pusat" in text and "Yang berbeda dari isian Anda" in text for text in alerts)
                       and driver.find_element(By.ID, "title").get_attribute("value") == "Judul dari admin cabang",
                       f"{alerts} {body_text(driver)}")

            driver.get("https://jatim.koni.id/admin/agenda/baru")
            driver.find_element(By.ID, "title").send_keys("Porprov 2026")
            driver.find_element(By.ID, "start").send_keys("2026-12-20")
            driver.find_element(By.ID, "registration_url").send_keys("javascript:alert(1)")
            driver.find_element(By.CSS_SELECTOR, "form[action='/admin/agenda/'] button:not(.preview-button)[type=submit]").click()
            settle(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".field-error"))
            errors = driver.find_elements(By.ID, "registration_url-error")
            self.look(driver, "field-error")
            self.check("an event with a script link is refused beside that field, in Indonesian, the input kept",
                       errors and errors[0].text.startswith("Tulis alamat")
                       and driver.find_element(By.ID, "registration_url").get_attribute("aria-invalid") == "true"
                       and driver.find_element(By.ID, "title").get_attribute("value") == "Porprov 2026", body_text(driver))

            driver.get("https://jatim.koni.id/admin/galeri/baru")
            driver.find_element(By.ID, "title").send_keys("Porprov hari pertama")
            driver.find_element(By.ID, "photos").send_keys("/images/logo.svg | Logo KONI Jatim | Pembukaan")
            driver.find_element(By.NAME, "published").click()
            driver.find_element(By.CSS_SELECTOR, "form[action='/admin/galeri/'] button:not(.preview-button)[type=submit]").click()
            settle(driver, lambda d: "hasil=" in d.current_url or d.find_elements(By.CSS_SELECTOR, ".error"))
            with urllib.request.urlopen(self.cms_url + "/api/v1/cms/sites/jatim/galleries", timeout=10) as reply:
                galleries = json.loads(reply.read())["items"]
            self.check("a gallery with its photo is published from the admin",
                       [(g["title"], [p["alt"] for p in g.get("photos", [])]) for g in galleries if g["title"] == "Porprov hari pertama"]
                       == [("Porprov hari pertama", ["Logo KONI Jatim"])],
                       f"{body_text(driver)} {json.dumps(galleries)[:300]}")

            driver.get("https://jatim.koni.id/admin/pengaturan/")
            self.look(driver, "settings")
            tagline = driver.find_element(By.ID, "tagline")
            tagline.clear()
            tagline.send_keys("Lumbung atlet nasional")
            navigation = driver.find_element(By.ID, "navigation")
            navigation.clear()
            navigation.send_keys("Beranda | /\nAgenda | /agenda/")
            driver.find_element(By.CSS_SELECTOR, "form[action='/admin/pengaturan/'] button[type=submit]").click()
            settle(driver, lambda d: "hasil=" in d.current_url or d.find_elements(By.CSS_SELECTOR, ".error"))
            with urllib.request.urlopen(self.cms_url + "/api/v1/cms/sites/jatim", timeout=10) as reply:
                site = json.loads(reply.read())
            settings = site.get("settings", site)
            self.check("the site settings are saved: tagline and menu, the domains kept",
                       "hasil=disimpan" in driver.current_url and settings.get("tagline") == "Lumbung atlet nasional"
                       and [link["title"] for link in settings.get("navigation") or []] == ["Beranda", "Agenda"]
                       and settings.get("domains") == ["jatim.koni.id"], f"{body_text(driver)} {json.dumps(settings)[:300]}")

            self.sections_and_theme(driver)

            # A form post forged from jatim's admin page to jabar's admin. The browser does not even
            # send it (the admin's CSP says form-action 'self'); sent anyway, with every cookie the
            # browser holds and jatim's CSRF token, as a same-site request, the admin refuses it.
            driver.get("https://jatim.koni.id/admin/")
            token = driver.find_element(By.CSS_SELECTOR, "input[name=csrf]").get_attribute("value")
            driver.execute_script("""
                var form = document.createElement('form'); form.method = 'post'; form.action = 'https://jabar.koni.id/admin/berita/';
                [['csrf', arguments[0]], ['title', 'Palsu'], ['published', '1']].forEach(function (pair) {
                  var input = document.createElement('input'); input.type = 'hidden'; input.name = pair[0]; input.value = pair[1]; form.appendChild(input); });
                document.body.appendChild(form); form.submit();""", token)
            time.sleep(1)
            stayed = driver.current_url.startswith("https://jatim.koni.id/")
            cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
            forged = subprocess.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "--resolve", f"jabar.koni.id:{self.nginx_port}:127.0.0.1",
                                     "-H", f"Cookie: {cookies}", "-H", "Origin: https://jatim.koni.id", "-H", "Sec-Fetch-Site: same-site",
                                     "--data", f"csrf={token}&title=Palsu&published=1", f"https://jabar.koni.id:{self.nginx_port}/admin/berita/"],
                                    capture_output=True, text=True).stdout
            status, jabar = post_json(self.cms_url + "/api/v1/cms/admin/sites/jabar/news", None, token=self.admin_token, method="GET")
            jabar_news = [item["title"] for item in jabar.get("items", [])]
            self.check("a form post forged from jatim's admin to jabar's is blocked by the browser, refused by the admin, and nothing is written",
                       stayed and forged == "403" and "Palsu" not in jabar_news, f"{driver.current_url} forged={forged} {jabar_news}")

            driver.get("https://jabar.koni.id/admin/")
            settle(driver, lambda d: d.current_url.startswith("https://jabar.koni.id/admin/"))
            self.check("jabar's admin signs in without a password prompt and refuses a jatim admin",
                       urllib.parse.urlsplit(driver.current_url).netloc == "jabar.koni.id"
                       and not driver.find_elements(By.ID, "password") and "Tidak ada akses" in driver.page_source,
                       f"{driver.current_url} {body_text(driver)}")
            self.axe(driver, "no-access")

            def through_gateway(url):
                host = urllib.parse.urlsplit(url).hostname
                return subprocess.run(["curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "--resolve", f"{host}:{self.nginx_port}:127.0.0.1",
                                       url.replace(host, f"{host}:{self.nginx_port}", 1)], capture_output=True, text=True).stdout
            answers = {path: through_gateway(path) for path in (
                "https://api.koni.id/api/v1/cms/sites/jatim", "https://app.koni.id/.well-known/jwks.json",
                f"https://api.koni.id/internal/users/{uuid.uuid4()}", "https://api.koni.id/api/v1/auth/../../internal/users/x")}
            self.check("the generated gateway routes the public APIs and the keys, and never /internal/",
                       list(answers.values()) == ["200", "200", "404", "404"], repr(answers))

            readable = driver.execute_script("return document.cookie")
            driver.get("https://app.koni.id/auth/assets/auth.css")
            app_readable = driver.execute_script("return document.cookie")
            self.check("no token or session is readable by page scripts", readable == "" and app_readable == "",
                       f"{readable!r} {app_readable!r}")
            self.check(f"axe-core finds no serious or critical violation on {len(self.axe_screens)} screens",
                       len(self.axe_screens) >= 15 and not self.axe_problems, f"{self.axe_screens} {self.axe_problems}")
        finally:
            driver.quit()

    def sections_and_theme(self, driver):
        """Reorders the sections of jatim's Profil page and changes the primary colour in the
        theme editor; both must reach the public site through the daemon and Nginx."""
        from selenium.webdriver.common.by import By
        status, pages = post_json(self.cms_url + "/api/v1/cms/admin/sites/jatim/pages?per_page=100", None, token=self.admin_token, method="GET")
        profil = next(page for page in pages["items"] if page["slug"] == "profil")
        driver.get(f"https://jatim.koni.id/admin/halaman/{profil['id']}/")
        self.look(driver, "page-sections")
        before = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#bagian li .section-type")]
        driver.find_element(By.CSS_SELECTOR, f"form[action='/admin/halaman/{profil['id']}/bagian/1/turun'] button").click()
        settle(driver, lambda d: "hasil=" in d.current_url or d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        after = [item.text for item in driver.find_elements(By.CSS_SELECTOR, "#bagian li .section-type")]
        notice = " ".join(n.text for n in driver.find_elements(By.CSS_SELECTOR, ".notice"))
        driver.get("https://jatim.koni.id/profil/")
        html = driver.page_source
        history, office = html.find("Sejarah Singkat"), html.find("kantor")
        self.check("a page's sections are reordered in the admin, and the public page shows the new order",
                   before[:3] == ["Sampul besar", "Teks", "Gambar"] and after[:3] == ["Sampul besar", "Gambar", "Teks"]
                   and re.search(r"Tayang di situs dalam \d+ ms", notice) is not None and 0 <= office < history,
                   f"{before} {after} {notice!r} office={office} history={history}")

        driver.get(f"https://jatim.koni.id/admin/halaman/{profil['id']}/bagian/baru?jenis=stats")
        self.look(driver, "section-form")

        driver.get("https://jatim.koni.id/admin/tema/")
        field = driver.find_element(By.ID, "color-primary")
        field.clear()
        field.send_keys("#0b5ed7")
        settle(driver, lambda d: "0b5ed7" in (d.find_element(By.ID, "preview").get_attribute("src") or "").lower())
        time.sleep(0.5)
        driver.switch_to.frame(driver.find_element(By.ID, "preview"))
        settle(driver, lambda d: d.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--color-primary')").strip() != "")
        previewed = driver.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--color-primary')").strip()
        preview_heading = driver.execute_script("return document.title")
        driver.switch_to.default_content()
        report = [row.text for row in driver.find_elements(By.CSS_SELECTOR, "#contrast-report tr")]
        self.look(driver, "theme-editor")
        self.check("the theme editor re-renders jatim's real page with the candidate colour, beside the contrast report",
                   previewed.lower() == "#0b5ed7" and "KONI" in preview_heading and len(report) >= 5 and all(":1" in row for row in report),
                   f"{previewed!r} {preview_heading!r} {report}")
        driver.find_element(By.CSS_SELECTOR, "form#theme-form button:not(.secondary)").click()
        settle(driver, lambda d: "hasil=" in d.current_url or d.find_elements(By.CSS_SELECTOR, "[role=alert]"))
        notice = " ".join(n.text for n in driver.find_elements(By.CSS_SELECTOR, ".notice"))
        # The live site, through Nginx, as the browser sees it.
        driver.get("https://jatim.koni.id/")
        css_path = re.search(r'href="(/assets/theme\.[0-9a-f]{12}\.css)"', driver.page_source)
        css = driver.execute_async_script(
            "var done = arguments[arguments.length - 1]; fetch(arguments[0]).then(function (r) { return r.text(); }).then(done, function (e) { done(String(e)); });",
            css_path.group(1)) if css_path else ""
        self.check("the saved theme is live: the site's theme CSS through Nginx has the new primary colour",
                   "Tersimpan." in notice and "--color-primary: #0b5ed7;" in css, f"{notice!r} {css[:300]!r}")

    def stop(self):
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        for name in self.databases:
            subprocess.run(["psql", self.pg_url, "-qc", f'DROP DATABASE IF EXISTS "{name}"'], capture_output=True)
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "debug"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (logs, nginx.conf)")
    parser.add_argument("--screenshots", help="save a PNG of each screen into this folder (to look at them)")
    args = parser.parse_args()
    run = Run(args)
    try:
        run.start()
        run.scenario()
    except Exception as error:  # a setup failure is a failed check, with its reason
        run.check("the browser test ran", False, repr(error))
        for name in ("auth-service.log", "cms-service.log", "compro-admin.log", "error.log"):
            path = os.path.join(run.dir, name)
            if os.path.exists(path):
                print(f"----- {name} -----\n" + open(path).read()[-3000:], file=sys.stderr)
    finally:
        run.stop()
    print(f"{run.passed} passed, {run.failed} failed")
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
