#!/usr/bin/env python3
"""Login and code exchange latency of the Auth service, Argon2id (OWASP parameters) included.

Starts a release `auth-service` on loopback against the real PostgreSQL and Redis that
scripts/services starts (KONI_TEST_POSTGRES_URL, KONI_TEST_REDIS_URL, KONI_TEST_AMQP_URL), then
times, sequentially over one keep-alive connection each:

  login     POST /api/v1/auth/login (JSON): Argon2 verify, roles, an RS256 signature, a refresh token row
  form      POST /auth/login (the SSO form): the same plus the SSO session and the one-time code in Redis
  exchange  POST /api/v1/auth/exchange: GETDEL of the code, PKCE, roles, a signature, a refresh token row
  silent    GET /auth/login with the SSO session cookie (a second branch): a code without a password

    swift build -c release --product auth-service
    python3 Benchmarks/auth_login.py [--bin .build/release] [--count 50] [--runs 3]

Prints p50 and p99 per step and run, and the median of the runs' p50 (the spread of the runs is the
machine's noise).
"""

import argparse
import base64
import hashlib
import http.client
import json
import os
import secrets
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "Garuda-Emas-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Client:
    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        self.connection.request(method, path, body=body, headers=headers)
        reply = self.connection.getresponse()
        data = reply.read()
        return reply, data, (time.perf_counter() - started) * 1000


def cookie(reply, name):
    for header, value in reply.getheaders():
        if header.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def run_once(port, email, count):
    client = Client(port)
    times = {"login": [], "form": [], "exchange": [], "silent": []}
    for _ in range(count):
        reply, _, ms = client.request("POST", "/api/v1/auth/login", {"email": email, "password": PASSWORD})
        assert reply.status == 200, reply.status
        times["login"].append(ms)
    session = None
    for index in range(count):
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        redirect = "https://jatim.koni.id/auth/callback"
        query = urllib.parse.urlencode({"redirect_uri": redirect, "state": "s", "code_challenge": challenge, "code_challenge_method": "S256"})
        reply, _, _ = client.request("GET", "/auth/login?" + query)
        csrf = cookie(reply, "__Host-koni-csrf")
        form = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": PASSWORD, "redirect_uri": redirect, "state": "s",
                                       "code_challenge": challenge, "code_challenge_method": "S256"})
        reply, _, ms = client.request("POST", "/auth/login", form, {
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"__Host-koni-csrf={csrf}", "Origin": "https://app.koni.id"})
        assert reply.status == 303, reply.status
        times["form"].append(ms)
        session = cookie(reply, "__Host-koni-sso")
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(reply.getheader("Location")).query)["code"][0]
        reply, data, ms = client.request("POST", "/api/v1/auth/exchange", {"code": code, "code_verifier": verifier, "redirect_uri": redirect})
        assert reply.status == 200, (reply.status, data)
        times["exchange"].append(ms)
    for _ in range(count):
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        query = urllib.parse.urlencode({"redirect_uri": "https://jabar.koni.id/auth/callback", "state": "s", "code_challenge": challenge,
                                        "code_challenge_method": "S256"})
        reply, _, ms = client.request("GET", "/auth/login?" + query, headers={"Cookie": f"__Host-koni-sso={session}"})
        assert reply.status == 303, reply.status
        times["silent"].append(ms)
    return times


def main():
    parser = argparse.ArgumentParser(description="Auth service login and exchange latency")
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release"))
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="koni-auth-bench-")
    binary = os.path.join(args.bin, "auth-service")
    keys = os.path.join(work, "keys")
    subprocess.run([binary, "keys", "generate", "--keys", keys], check=True, capture_output=True)
    pg = os.environ["KONI_TEST_POSTGRES_URL"]
    database = f"auth_bench_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", pg, "-qc", f'CREATE DATABASE "{database}"'], check=True)
    port = free_port()
    env = dict(os.environ, KONI_AUTH_DATABASE_URL=pg.rsplit("/", 1)[0] + "/" + database, KONI_AUTH_REDIS_URL=os.environ["KONI_TEST_REDIS_URL"],
               KONI_AUTH_AMQP_URL=os.environ["KONI_TEST_AMQP_URL"], KONI_AUTH_KEYS=keys, KONI_AUTH_PORT=str(port),
               KONI_AUTH_TENANTS=os.path.join(ROOT, "tenants"), KONI_AUTH_ADDRESS_ATTEMPTS="100000", KONI_AUTH_LOG_LEVEL="warning", KONI_AUTH_SERVICE_KEYS="k" * 40,
               KONI_AUTH_REDIS_KEY_PREFIX=f"bench-{uuid.uuid4().hex[:8]}:")
    process = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "auth.log"), "w"))
    try:
        for _ in range(100):
            try:
                reply, _, _ = Client(port).request("GET", "/readyz")
                if reply.status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        email = f"bench-{uuid.uuid4().hex[:8]}@koni.id"
        reply, _, _ = Client(port).request("POST", "/api/v1/auth/register", {"email": email, "name": "Bench", "password": PASSWORD})
        assert reply.status == 201, reply.status
        run_once(port, email, 5)  # warm-up: connections, caches
        medians = {}
        for run in range(args.runs):
            times = run_once(port, email, args.count)
            line = []
            for step, values in times.items():
                medians.setdefault(step, []).append(statistics.median(values))
                line.append(f"{step} p50 {statistics.median(values):.1f} ms p99 {percentile(values, 99):.1f} ms")
            print(f"run {run + 1} (n={args.count}): " + "; ".join(line), flush=True)
        print("median of the runs' p50: " + "; ".join(f"{step} {statistics.median(values):.1f} ms (runs {min(values):.1f}..{max(values):.1f})"
                                                     for step, values in medians.items()))
    finally:
        process.terminate()
        process.wait(timeout=10)
        subprocess.run(["psql", pg, "-qc", f'DROP DATABASE IF EXISTS "{database}"'], capture_output=True)


if __name__ == "__main__":
    main()
