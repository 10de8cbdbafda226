#!/usr/bin/env python3
"""A local fake of the international tournament API (docs/api/international-tournaments.openapi.yaml)
on loopback, for the GMS service's sync tests.

Standard library only (Python 3.11); the HTTP plumbing is ../fake_http.py. Run:

    python3 fake_international.py --api-key KEY [--port 0] [--verbose]
    python3 fake_international.py --self-test

Binds 127.0.0.1 (port 0 = a free port), prints ONE JSON line {"base_url", "port", "api_key"} once
ready (as fake_midtrans.py does, for ScriptServer), then serves until its standard input reaches
EOF (the test process ending closes it). Nothing else is written to stdout; stderr stays silent
unless --verbose. --self-test starts the server in this process, runs the checks below against it,
prints one line per check and exits 0 when every check passed (1 otherwise).

The API (the contract; every request needs `X-Api-Key: KEY`, else 401):
  GET /v1/tournaments                 ?updated_since=&cursor=&limit=  -> {"data": [Tournament], "next_cursor"}
  GET /v1/tournaments/{id}/matches    ?updated_since=&cursor=&limit=  -> {"data": [Match], "next_cursor"}
  Items ordered by (updated_at, id); updated_since inclusive; limit 1..100 (default 50); keyset
  cursors, opaque (base64url of a small signed JSON array naming the listing and the position),
  that never expire. Errors: {"error": {"code", "message", "parameter"?}}.
  Every 2xx/4xx carries X-RateLimit-Limit/-Remaining/-Reset (with the limit off: 1000000 per 60 s
  window); 429 adds Retry-After. 5xx answers (outage, injected) carry no rate-limit headers.
  An API request goes through, in this order: outage (503) -> an injected failure (hang, then the
  injected status if any) -> the rate limit (429; every request that gets this far counts, whatever
  its key) -> the API key (401) -> method (405) -> path (404, unknown tournament 404) -> query (400).

Control API for tests (no key, never affected by outages, faults or the rate limit), all JSON:
  POST /_control/reset       -> forgets items, the request log, faults, outage and the rate limit
                                (updated_at keeps increasing across resets). {"reset": true}
  POST /_control/seed        {"tournaments": [{"id","name","sport","country","format","starts_on",
                              "ends_on"}], "matches": [{"id","tournament_id","round","position",
                              "scheduled_at","status","home":{"id","name"},"away":{...},"score"?}],
                              "validate": true}
                             -> upserts by id; each stored item gets a new updated_at, strictly
                                increasing in 1 ms steps (tournaments in order, then matches in
                                order, then every tournament whose matches were seeded is bumped
                                once more). Validated against the contract (400 {"error","errors"}),
                                all or nothing; "validate": false stores the items as given (only
                                an "id", and a "tournament_id" for matches, are needed) to test how
                                a client copes with a provider breaking the contract. A match may
                                not change tournament (409).
                             -> {"tournaments": [...], "matches": [...]} as the API serves them now.
  POST /_control/rate_limit  {"limit": N|null, "window_seconds": S (default 60)} -> at most N API
                              requests per fixed window (it starts with the first request after the
                              previous one ended); then 429 with Retry-After = whole seconds left
                              (at least 1). null turns it off (the default).
  POST /_control/fail        {"path_contains": "" (matches the raw path+query), "times": 1,
                              "status": 400|401|404|429|500|502|503|504, "hang_seconds": t,
                              "retry_after": 1 (429), "parameter": "cursor" (400)}
                             -> the next `times` API requests whose raw target contains the string
                                first sleep hang_seconds (if given), then answer `status` (if given;
                                500 when neither is given) or else go on normally. Rules queue up;
                                a request consumes the first matching one. {"clear": true} drops
                                all pending rules. -> {"pending": [rules]}
  POST /_control/outage      {"on": true|false} -> every API request answers 503 while on.
  GET  /_control/requests    -> [{"method", "path" (raw, as sent), "query" (raw, "" if none),
                                "status" (null while in flight)}] of every API request, in arrival
                                order.
"""
import argparse
import base64
import binascii
import calendar
import hashlib
import hmac
import json
import math
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import fake_http  # noqa: E402 (Tests/Support/fake_http.py, found through the line above)

MAX_BODY = 8 << 20
ID_RE = re.compile(r"[A-Za-z0-9_-]{1,64}", re.ASCII)
COUNTRY_RE = re.compile(r"[A-Z]{2}", re.ASCII)
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
RFC3339_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?"
    r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))", re.ASCII)
MATCHES_PATH_RE = re.compile(r"/v1/tournaments/([^/]+)/matches")
SPORTS = ("football", "chess", "badminton", "basketball")
FORMATS = ("league", "knockout")
STATUSES = ("scheduled", "live", "completed", "cancelled")
CHESS_RESULTS = ("1-0", "0-1", "1/2-1/2")
TOURNAMENT_FIELDS = ("id", "name", "sport", "country", "format", "starts_on", "ends_on")
MATCH_FIELDS = ("id", "tournament_id", "round", "position", "scheduled_at", "status", "home", "away", "score")
QUERY_PARAMETERS = ("updated_since", "cursor", "limit")
DEFAULT_LIMIT, MAX_LIMIT = 50, 100
UNLIMITED = 1_000_000  # what the rate-limit headers say while the limit is off
MAX_NAME = 200
MAX_CURSOR = 1024
CURSOR_KEY = b"fake-international cursor v1"  # fixed: cursors stay valid across restarts
INJECTABLE = {400: "invalid_parameter", 401: "unauthorized", 404: "not_found", 429: "rate_limited",
              500: "unavailable", 502: "unavailable", 503: "unavailable", 504: "unavailable"}


# ----- times and cursors ---------------------------------------------------------------------
def parse_rfc3339(text):
    """Nanoseconds since the epoch of an RFC 3339 date-time, or None."""
    m = RFC3339_RE.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        return None
    y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
    try:
        date(y, mo, d)
    except ValueError:
        return None
    if h > 23 or mi > 59 or s > 59:  # no leap seconds
        return None
    offset = 0
    if m.group(8) is None:
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            return None
        offset = (oh * 60 + om) * 60 * (1 if m.group(9) == "+" else -1)
    seconds = calendar.timegm((y, mo, d, h, mi, s, 0, 0, 0)) - offset
    fraction = int(m.group(7).ljust(9, "0")) if m.group(7) else 0
    return seconds * 10 ** 9 + fraction


def fmt_ms(ms):
    """2026-12-01T10:00:00.000Z for milliseconds since the epoch."""
    seconds, millis = divmod(ms, 1000)
    t = time.gmtime(seconds)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{millis:03d}Z"


def _cursor_mac(payload):
    return hmac.new(CURSOR_KEY, payload.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def make_cursor(scope, ms, ident):
    payload = json.dumps(["v1", scope, ms, ident], separators=(",", ":"), ensure_ascii=False)
    raw = json.dumps(["v1", scope, ms, ident, _cursor_mac(payload)], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode("utf-8")).rstrip(b"=").decode("ascii")


def read_cursor(text, scope):
    """The (updated_ms, id) position a cursor of the listing `scope` marks, or None."""
    if not text or len(text) > MAX_CURSOR or not re.fullmatch(r"[A-Za-z0-9_-]+", text, re.ASCII):
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
        value = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not (isinstance(value, list) and len(value) == 5 and value[0] == "v1" and value[1] == scope
            and type(value[2]) is int and isinstance(value[3], str) and isinstance(value[4], str)):
        return None
    if make_cursor(scope, value[2], value[3]) != text:  # tampered, or not in canonical form
        return None
    return value[2], value[3]


# ----- errors --------------------------------------------------------------------------------
class HTTPFail(Exception):
    """An error answer: HTTP status, JSON body, extra headers."""

    def __init__(self, code, body, headers=None):
        super().__init__(code)
        self.code, self.body, self.headers = code, body, headers or {}


def api_error(status, code, message, parameter=None, headers=None):
    err = {"code": code, "message": message}
    if parameter is not None:
        err["parameter"] = parameter
    return HTTPFail(status, {"error": err}, headers)


def bad_parameter(name, message):
    return api_error(400, "invalid_parameter", message, parameter=name)


def control_error(code, errors):
    errors = [errors] if isinstance(errors, str) else errors
    return HTTPFail(code, {"error": "; ".join(errors), "errors": errors})


# ----- seed validation -----------------------------------------------------------------------
def _is_int(v):
    return type(v) is int


def _check_keys(obj, where, required, optional, errors):
    for key in required:
        if key not in obj:
            errors.append(f"{where}.{key} is required")
    for key in obj:
        if key not in required and key not in optional:
            extra = " (the fake sets updated_at)" if key == "updated_at" else ""
            errors.append(f"{where}.{key} is not a field of the contract{extra}")


def _check_id(value, where, errors):
    if not (isinstance(value, str) and ID_RE.fullmatch(value)):
        errors.append(f"{where} must be 1 to 64 characters of [A-Za-z0-9_-]")


def _check_name(value, where, errors):
    if not (isinstance(value, str) and 1 <= len(value) <= MAX_NAME):
        errors.append(f"{where} must be a string of 1 to {MAX_NAME} characters")


def _check_date(value, where, errors):
    if isinstance(value, str) and DATE_RE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.append(f"{where} must be a date YYYY-MM-DD")
    return None


def parse_tournament(i, t, errors):
    where = f"tournaments[{i}]"
    if not isinstance(t, dict):
        errors.append(f"{where} must be an object")
        return None
    n = len(errors)
    _check_keys(t, where, TOURNAMENT_FIELDS, (), errors)
    _check_id(t.get("id"), f"{where}.id", errors)
    _check_name(t.get("name"), f"{where}.name", errors)
    if t.get("sport") not in SPORTS:
        errors.append(f"{where}.sport must be one of {', '.join(SPORTS)}")
    if not (isinstance(t.get("country"), str) and COUNTRY_RE.fullmatch(t["country"])):
        errors.append(f"{where}.country must be an ISO 3166-1 alpha-2 code in upper case")
    if t.get("format") not in FORMATS:
        errors.append(f"{where}.format must be league or knockout")
    starts = _check_date(t.get("starts_on"), f"{where}.starts_on", errors)
    ends = _check_date(t.get("ends_on"), f"{where}.ends_on", errors)
    if starts and ends and ends < starts:
        errors.append(f"{where}.ends_on is before starts_on")
    if len(errors) > n:
        return None
    return {k: t[k] for k in TOURNAMENT_FIELDS}


def _parse_team(value, where, errors):
    if not isinstance(value, dict):
        errors.append(f"{where} must be an object {{\"id\", \"name\"}}")
        return None
    _check_keys(value, where, ("id", "name"), (), errors)
    _check_id(value.get("id"), f"{where}.id", errors)
    _check_name(value.get("name"), f"{where}.name", errors)
    return {"id": value.get("id"), "name": value.get("name")}


def parse_match(i, m, errors):
    """The match without its sport-dependent checks (score), or None."""
    where = f"matches[{i}]"
    if not isinstance(m, dict):
        errors.append(f"{where} must be an object")
        return None
    n = len(errors)
    _check_keys(m, where, MATCH_FIELDS[:-1], ("score",), errors)
    _check_id(m.get("id"), f"{where}.id", errors)
    _check_id(m.get("tournament_id"), f"{where}.tournament_id", errors)
    for key in ("round", "position"):
        if not (_is_int(m.get(key)) and 1 <= m[key] <= 1_000_000):
            errors.append(f"{where}.{key} must be an integer from 1")
    ns = parse_rfc3339(m.get("scheduled_at"))
    if ns is None:
        errors.append(f"{where}.scheduled_at must be an RFC 3339 date-time")
    elif ns % 1_000_000:
        errors.append(f"{where}.scheduled_at must be whole milliseconds")
    if m.get("status") not in STATUSES:
        errors.append(f"{where}.status must be one of {', '.join(STATUSES)}")
    home = _parse_team(m.get("home"), f"{where}.home", errors)
    away = _parse_team(m.get("away"), f"{where}.away", errors)
    if home and away and home["id"] == away["id"] and isinstance(home["id"], str):
        errors.append(f"{where}: home and away are the same team")
    if len(errors) > n:
        return None
    return {"id": m["id"], "tournament_id": m["tournament_id"], "round": m["round"], "position": m["position"],
            "scheduled_at": fmt_ms(ns // 1_000_000), "status": m["status"], "home": home, "away": away,
            "score": m.get("score")}


def check_score(match, sport, where, errors):
    score, status = match.get("score"), match.get("status")
    if status != "completed":
        if score is not None:
            errors.append(f"{where}.score must be null unless status is completed")
        return
    if score is None:
        errors.append(f"{where}.score is required when status is completed")
    elif sport == "chess":
        if not (isinstance(score, dict) and set(score) == {"result"} and score["result"] in CHESS_RESULTS):
            errors.append(f"{where}.score must be {{\"result\": \"1-0\"|\"0-1\"|\"1/2-1/2\"}} in chess")
    elif not (isinstance(score, dict) and set(score) == {"home", "away"}
              and all(_is_int(score[k]) and score[k] >= 0 for k in ("home", "away"))):
        errors.append(f"{where}.score must be {{\"home\": n, \"away\": n}} (whole numbers >= 0) in {sport}")


# ----- state ---------------------------------------------------------------------------------
class Fake:
    def __init__(self, api_key):
        self.api_key = api_key
        self.lock = threading.RLock()
        self.stop = threading.Event()
        self.last_ms = 0  # never goes back, not even on reset
        self.release = threading.Event()
        with self.lock:
            self._reset_locked()

    def _reset_locked(self):
        self.tournaments = {}  # id -> {"ms": updated ms, "body": API object}
        self.matches = {}
        self.requests = []
        self.faults = []
        self.outage = False
        self.release.set()  # wakes requests hanging on an injected fault
        self.release = threading.Event()
        self.rate = {"limit": None, "window_seconds": 60.0, "window_end": None, "used": 0}

    def reset(self):
        with self.lock:
            self._reset_locked()

    def _stamp(self, row):
        self.last_ms = max(time.time_ns() // 1_000_000, self.last_ms + 1)
        row["ms"] = self.last_ms
        row["body"]["updated_at"] = fmt_ms(self.last_ms)

    # ----- the API -----------------------------------------------------------------------------
    def authorized(self, key):
        return key is not None and hmac.compare_digest(key.encode("utf-8", "surrogateescape"),
                                                       self.api_key.encode("utf-8"))

    def page(self, rows, scope, params):
        since, after, limit = params
        with self.lock:
            keyed = sorted(((r["ms"], r["body"]["id"], r["body"]) for r in rows()), key=lambda x: (x[0], x[1]))
            chosen = [k for k in keyed
                      if (since is None or k[0] * 1_000_000 >= since) and (after is None or (k[0], k[1]) > after)]
            data = [json.loads(json.dumps(k[2])) for k in chosen[:limit]]
            more = len(chosen) > limit
            next_cursor = make_cursor(scope, chosen[limit - 1][0], chosen[limit - 1][1]) if more else None
        return {"data": data, "next_cursor": next_cursor}

    def list_tournaments(self, params):
        return self.page(lambda: self.tournaments.values(), "t", params)

    def list_matches(self, tid, params):
        with self.lock:
            if tid not in self.tournaments:
                raise api_error(404, "not_found", f"no tournament with id {tid}")
        return self.page(lambda: [r for r in self.matches.values() if r["body"].get("tournament_id") == tid],
                         "m:" + tid, params)

    # ----- rate limit --------------------------------------------------------------------------
    def _window(self, now, consume):
        r = self.rate
        limit = UNLIMITED if r["limit"] is None else r["limit"]
        if r["window_end"] is None or now >= r["window_end"]:
            if not consume:
                return limit, limit, max(1, math.ceil(r["window_seconds"])), True
            r["window_end"], r["used"] = now + r["window_seconds"], 0
        reset = max(1, math.ceil(r["window_end"] - now))
        if r["used"] >= limit:
            return limit, 0, reset, False
        if consume:
            r["used"] += 1
        return limit, limit - r["used"], reset, True

    def rate_take(self):
        """(allowed, headers): counts this request in the window."""
        with self.lock:
            limit, remaining, reset, ok = self._window(time.monotonic(), True)
        headers = {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
                   "X-RateLimit-Reset": str(reset)}
        if not ok:
            headers["Retry-After"] = str(reset)
        return ok, headers

    def rate_headers(self):
        """The rate-limit headers as they stand, without counting a request."""
        with self.lock:
            limit, remaining, reset, _ = self._window(time.monotonic(), False)
        return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
                "X-RateLimit-Reset": str(reset)}

    def take_fault(self, target):
        with self.lock:
            for rule in self.faults:
                if rule["path_contains"] in target:
                    rule["times"] -= 1
                    if rule["times"] <= 0:
                        self.faults.remove(rule)
                    return dict(rule), self.release
        return None, None

    # ----- control -----------------------------------------------------------------------------
    def control_seed(self, data):
        unknown = sorted(set(data) - {"tournaments", "matches", "validate"})
        if unknown:
            raise control_error(400, f"unknown fields {unknown}")
        tournaments, matches = data.get("tournaments", []), data.get("matches", [])
        validate = data.get("validate", True)
        if not isinstance(tournaments, list) or not isinstance(matches, list) or not isinstance(validate, bool):
            raise control_error(400, "tournaments and matches must be arrays, validate a boolean")
        with self.lock:
            if validate:
                new_t, new_m = self._validated(tournaments, matches)
            else:
                new_t, new_m = self._unchecked(tournaments, matches)
            touched = []
            for body in new_t:
                row = {"body": body}
                self._stamp(row)
                self.tournaments[body["id"]] = row
            for body in new_m:
                row = {"body": body}
                self._stamp(row)
                self.matches[body["id"]] = row
                tid = body.get("tournament_id")
                if tid in self.tournaments and tid not in touched:
                    touched.append(tid)
            for tid in touched:
                self._stamp(self.tournaments[tid])
            return 200, {"tournaments": [json.loads(json.dumps(self.tournaments[b["id"]]["body"])) for b in new_t],
                         "matches": [json.loads(json.dumps(self.matches[b["id"]]["body"])) for b in new_m]}

    def _unchecked(self, tournaments, matches):
        errors = []
        for kind, items in (("tournaments", tournaments), ("matches", matches)):
            for i, item in enumerate(items):
                if not (isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"]):
                    errors.append(f"{kind}[{i}] must be an object with a non-empty string id")
                elif kind == "matches" and not isinstance(item.get("tournament_id"), str):
                    errors.append(f"{kind}[{i}].tournament_id must be a string")
        if errors:
            raise control_error(400, errors)
        strip = lambda item: {k: v for k, v in item.items() if k != "updated_at"}  # noqa: E731
        return [strip(t) for t in tournaments], [strip(m) for m in matches]

    def _validated(self, tournaments, matches):
        errors = []
        new_t = [parse_tournament(i, t, errors) for i, t in enumerate(tournaments)]
        new_m = [parse_match(i, m, errors) for i, m in enumerate(matches)]
        for kind, items in (("tournaments", new_t), ("matches", new_m)):
            seen = set()
            for i, item in enumerate(items):
                if item is not None:
                    if item["id"] in seen:
                        errors.append(f"{kind}[{i}].id {item['id']} appears twice in this seed")
                    seen.add(item["id"])
        if errors:
            raise control_error(400, errors)
        sports = {tid: row["body"].get("sport") for tid, row in self.tournaments.items()}
        sports.update({t["id"]: t["sport"] for t in new_t})
        after = {mid: row["body"] for mid, row in self.matches.items()}
        conflicts = []
        for i, m in enumerate(new_m):
            old = after.get(m["id"])
            if old is not None and old.get("tournament_id") != m["tournament_id"]:
                conflicts.append(f"matches[{i}]: match {m['id']} belongs to tournament {old.get('tournament_id')}; "
                                 "a match never moves to another tournament")
            if m["tournament_id"] not in sports:
                errors.append(f"matches[{i}].tournament_id {m['tournament_id']} is not a known tournament")
            else:
                check_score(m, sports[m["tournament_id"]], f"matches[{i}]", errors)
        if conflicts:
            raise control_error(409, conflicts)
        # A tournament whose sport changes must still fit the scores of its other matches.
        seeded = {m["id"] for m in new_m}
        changed = {t["id"] for t in new_t
                   if t["id"] in self.tournaments and self.tournaments[t["id"]]["body"].get("sport") != t["sport"]}
        for mid, body in after.items():
            if body.get("tournament_id") in changed and mid not in seeded:
                check_score(body, sports[body["tournament_id"]], f"stored match {mid}", errors)
        after.update({m["id"]: m for m in new_m})
        slots = {}
        for body in after.values():
            key = (body.get("tournament_id"), body.get("round"), body.get("position"))
            slots.setdefault(key, []).append(body["id"])
        for m in new_m:
            ids = slots.get((m["tournament_id"], m["round"], m["position"]), [])
            if len(ids) > 1:
                errors.append(f"match {m['id']}: round {m['round']} position {m['position']} of tournament "
                              f"{m['tournament_id']} is also held by {', '.join(sorted(set(ids) - {m['id']}))}")
        if errors:
            raise control_error(400, errors)
        return new_t, new_m

    def control_rate_limit(self, data):
        unknown = sorted(set(data) - {"limit", "window_seconds"})
        if unknown or "limit" not in data:
            raise control_error(400, "the body is {\"limit\": N|null, \"window_seconds\": S}")
        limit, window = data["limit"], data.get("window_seconds", 60)
        if limit is not None and not (_is_int(limit) and 0 <= limit <= UNLIMITED):
            raise control_error(400, f"limit must be null or an integer from 0 to {UNLIMITED}")
        if isinstance(window, bool) or not isinstance(window, (int, float)) or not 0 < window <= 86400:
            raise control_error(400, "window_seconds must be a number above 0, at most 86400")
        with self.lock:
            self.rate = {"limit": limit, "window_seconds": float(window) if limit is not None else 60.0,
                         "window_end": None, "used": 0}
            return 200, {"rate_limit": {"limit": limit, "window_seconds": self.rate["window_seconds"]}}

    def control_fail(self, data):
        allowed = {"path_contains", "times", "status", "hang_seconds", "retry_after", "parameter", "clear"}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise control_error(400, f"unknown fields {unknown}")
        if data.get("clear") is True:
            with self.lock:
                self.faults = []
                return 200, {"pending": []}
        contains, times = data.get("path_contains", ""), data.get("times", 1)
        status, hang = data.get("status"), data.get("hang_seconds")
        retry_after, parameter = data.get("retry_after", 1), data.get("parameter", "cursor")
        errors = []
        if not isinstance(contains, str):
            errors.append("path_contains must be a string")
        if not (_is_int(times) and 1 <= times <= 100000):
            errors.append("times must be an integer from 1")
        if status is not None and status not in INJECTABLE:
            errors.append(f"status must be one of {sorted(INJECTABLE)}")
        if hang is not None and (isinstance(hang, bool) or not isinstance(hang, (int, float)) or not 0 <= hang <= 600):
            errors.append("hang_seconds must be a number from 0 to 600")
        if not (_is_int(retry_after) and retry_after >= 1):
            errors.append("retry_after must be an integer from 1")
        if not (isinstance(parameter, str) and parameter):
            errors.append("parameter must be a non-empty string")
        if errors:
            raise control_error(400, errors)
        if status is None and hang is None:
            status = 500
        rule = {"path_contains": contains, "times": times, "status": status, "hang_seconds": hang,
                "retry_after": retry_after, "parameter": parameter}
        with self.lock:
            self.faults.append(rule)
            return 200, {"pending": [dict(r) for r in self.faults]}

    def control_outage(self, data):
        if set(data) != {"on"} or not isinstance(data["on"], bool):
            raise control_error(400, "the body is {\"on\": true|false}")
        with self.lock:
            self.outage = data["on"]
            return 200, {"outage": self.outage}

    def control_requests(self):
        with self.lock:
            return 200, [dict(r) for r in self.requests]


# ----- query parameters ----------------------------------------------------------------------
def parse_query(query, scope):
    """(updated_since ns|None, cursor position|None, limit) from a raw query string, or HTTPFail."""
    values = {}
    for piece in query.split("&") if query else []:
        if piece == "":
            continue
        raw_name, _, raw_value = piece.partition("=")
        try:
            name = urllib.parse.unquote_plus(raw_name, errors="strict")
            value = urllib.parse.unquote_plus(raw_value, errors="strict")
        except UnicodeDecodeError:
            raise bad_parameter(raw_name, f"query parameter {raw_name} is not valid UTF-8")
        if name not in QUERY_PARAMETERS:
            raise bad_parameter(name, f"unknown query parameter {name!r}; known: {', '.join(QUERY_PARAMETERS)}")
        if name in values:
            raise bad_parameter(name, f"{name} is given more than once")
        values[name] = value
    since = None
    if "updated_since" in values:
        since = parse_rfc3339(values["updated_since"])
        if since is None:
            raise bad_parameter("updated_since", "updated_since must be an RFC 3339 date-time such as "
                                "2026-12-01T10:00:00.000Z (percent-encode + as %2B)")
    after = None
    if "cursor" in values:
        after = read_cursor(values["cursor"], scope)
        if after is None:
            raise bad_parameter("cursor", "cursor is not a next_cursor this listing issued")
    limit = DEFAULT_LIMIT
    if "limit" in values:
        text = values["limit"]
        if not re.fullmatch(r"[0-9]{1,10}", text, re.ASCII) or not 1 <= int(text) <= MAX_LIMIT:
            raise bad_parameter("limit", f"limit must be an integer from 1 to {MAX_LIMIT}")
        limit = int(text)
    return since, after, limit


# ----- HTTP ----------------------------------------------------------------------------------
class Handler(fake_http.Handler):
    """The API and control routes; HEAD is routed as well (its answers carry no body)."""

    server_version = "fake-international/1"
    log_name = "fake_international"
    max_body = MAX_BODY

    def do_HEAD(self):
        self._handle("HEAD")

    def internal_error_body(self, error):
        return {"error": {"code": "unavailable", "message": f"fake_international internal error: {error}"}}

    def _route(self, method):
        split = urllib.parse.urlsplit(self.path)
        try:
            raw = self.read_body()
        except fake_http.BodyTooLarge:
            self.close_connection = True
            return self._send(413, {"error": {"code": "invalid_parameter", "message": "request body too large"}})
        except ValueError as e:
            self.close_connection = True
            return self._send(400, {"error": {"code": "invalid_parameter", "message": f"bad request: {e}"}})
        if split.path.startswith("/_control/"):
            return self._control(method, split.path, raw)
        fake = self.server.fake
        record = {"method": method, "path": split.path, "query": split.query, "status": None}
        with fake.lock:
            fake.requests.append(record)
        code = 500
        try:
            code, body, headers = self._api(method, split)
        except HTTPFail as fail:
            code, body, headers = fail.code, fail.body, fail.headers
        finally:
            with fake.lock:
                record["status"] = code
        if body is None:  # the server is stopping while the request hung
            self.close_connection = True
            return None
        return self._send(code, body, headers=headers)

    def _api(self, method, split):
        fake = self.server.fake
        if fake.outage:
            raise api_error(503, "unavailable", "the provider is unavailable (outage)")
        rule, release = fake.take_fault(self.path)
        if rule is not None:
            if rule["hang_seconds"]:
                release.wait(rule["hang_seconds"])
                if fake.stop.is_set():
                    return 503, None, {}
            status = rule["status"]
            if status is not None:
                code = INJECTABLE[status]
                if status >= 500:
                    raise api_error(status, code, f"injected failure ({status})")
                headers = fake.rate_headers()
                if status == 429:
                    headers["Retry-After"] = str(rule["retry_after"])
                raise api_error(status, code, f"injected failure ({status})",
                                parameter=rule["parameter"] if status == 400 else None, headers=headers)
        ok, headers = fake.rate_take()
        if not ok:
            raise api_error(429, "rate_limited", f"rate limit exceeded; retry in {headers['Retry-After']} s",
                            headers=headers)
        if not fake.authorized(self.headers.get("X-Api-Key")):
            raise api_error(401, "unauthorized", "missing or invalid X-Api-Key", headers=headers)
        path = split.path
        known = path == "/v1/tournaments" or MATCHES_PATH_RE.fullmatch(path)
        if known and method != "GET":
            raise api_error(405, "method_not_allowed", "only GET is served", headers=dict(headers, Allow="GET"))
        try:
            if path == "/v1/tournaments":
                return 200, fake.list_tournaments(parse_query(split.query, "t")), headers
            match = MATCHES_PATH_RE.fullmatch(path)
            if match:
                tid = urllib.parse.unquote(match.group(1), errors="replace")
                with fake.lock:
                    if tid not in fake.tournaments:
                        raise api_error(404, "not_found", f"no tournament with id {tid}")
                return 200, fake.list_matches(tid, parse_query(split.query, "m:" + tid)), headers
            raise api_error(404, "not_found", f"no such path {path}")
        except HTTPFail as fail:
            fail.headers = dict(headers, **fail.headers)
            raise

    def _control(self, method, path, raw):
        fake = self.server.fake
        name = path[len("/_control/"):].rstrip("/")
        try:
            if name == "requests":
                if method != "GET":
                    raise control_error(405, "use GET")
                code, body = fake.control_requests()
                return self._send(code, body)
            handlers = {"seed": fake.control_seed, "rate_limit": fake.control_rate_limit,
                        "fail": fake.control_fail, "outage": fake.control_outage}
            if name != "reset" and name not in handlers:
                raise control_error(404, f"unknown control endpoint {path}")
            if method != "POST":
                raise control_error(405, "use POST")
            try:
                data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError, RecursionError):
                raise control_error(400, "malformed JSON")
            if not isinstance(data, dict):
                raise control_error(400, "the body must be a JSON object")
            if name == "reset":
                fake.reset()
                return self._send(200, {"reset": True})
            code, body = handlers[name](data)
            return self._send(code, body)
        except HTTPFail as fail:
            return self._send(fail.code, fail.body)

    def _send(self, code, body, headers=None):
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_bytes(code, data, headers=headers)


def start(api_key, port=0, verbose=False):
    """A running server on 127.0.0.1 and its Fake; stop with stop(server)."""
    fake = Fake(api_key)
    server = fake_http.bind(Handler, fake, port, verbose)
    fake_http.serve_in_background(server)
    return server, fake


def stop(server):
    server.fake.stop.set()
    with server.fake.lock:
        server.fake.release.set()
    fake_http.close(server)


# ----- self-test -----------------------------------------------------------------------------
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SelfTestFailure(Exception):
    pass


class Client:
    def __init__(self, base_url, api_key):
        self.base_url, self.api_key = base_url, api_key

    def call(self, method, path, body=None, key="default"):
        headers = {"Accept": "application/json"}
        key = self.api_key if key == "default" else key
        if key is not None and not path.startswith("/_control/"):
            headers["X-Api-Key"] = key
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with _OPENER.open(req, timeout=30) as resp:
                return resp.status, resp.headers, json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read() or b"null")

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def control(self, name, body=None):
        status, _, answer = self.call("GET" if name == "requests" else "POST", "/_control/" + name,
                                      body=None if name == "requests" else (body or {}))
        if status != 200:
            raise SelfTestFailure(f"/_control/{name} answered {status}: {answer}")
        return answer


def _expect(condition, what):
    if not condition:
        raise SelfTestFailure(what)


def _q(**params):
    return "?" + urllib.parse.urlencode(params) if params else ""


def _walk(client, path, limit, **params):
    """Every page of a listing: (items, pages, cursors)."""
    items, pages, cursor = [], 0, None
    while True:
        query = dict(params, limit=limit)
        if cursor is not None:
            query["cursor"] = cursor
        status, _, body = client.get(path + _q(**query))
        _expect(status == 200, f"GET {path} page {pages + 1} answered {status}: {body}")
        pages += 1
        _expect(len(body["data"]) <= limit, f"a page holds {len(body['data'])} items, more than limit {limit}")
        items += body["data"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items, pages
        _expect(pages < 1000, "paging does not end")


def _ordered(items):
    keys = [(i["updated_at"], i["id"]) for i in items]
    return keys == sorted(keys) and len(set(keys)) == len(keys)


def _team(code):
    return {"id": code, "name": code.upper()}


def self_test_seed():
    tournaments = [
        {"id": "wc-2026", "name": "World Cup 2026", "sport": "football", "country": "US", "format": "knockout",
         "starts_on": "2026-06-11", "ends_on": "2026-07-19"},
        {"id": "olympiad-45", "name": "Chess Olympiad", "sport": "chess", "country": "HU", "format": "league",
         "starts_on": "2024-09-10", "ends_on": "2024-09-23"},
        {"id": "thomas-cup-2026", "name": "Thomas Cup 2026", "sport": "badminton", "country": "DK",
         "format": "knockout", "starts_on": "2026-04-24", "ends_on": "2026-05-03"},
        {"id": "fiba-asia-2025", "name": "FIBA Asia Cup 2025", "sport": "basketball", "country": "SA",
         "format": "knockout", "starts_on": "2025-08-05", "ends_on": "2025-08-17"},
        {"id": "aff-2026", "name": "ASEAN Championship 2026", "sport": "football", "country": "ID",
         "format": "league", "starts_on": "2026-11-24", "ends_on": "2026-12-26"},
    ]
    at = "2026-06-1{}T19:00:00Z"
    matches = [
        {"id": "wc-m1", "tournament_id": "wc-2026", "round": 1, "position": 1, "scheduled_at": at.format(1),
         "status": "completed", "home": _team("mex"), "away": _team("rsa"), "score": {"home": 2, "away": 0}},
        {"id": "wc-m2", "tournament_id": "wc-2026", "round": 1, "position": 2, "scheduled_at": at.format(2),
         "status": "completed", "home": _team("bra"), "away": _team("arg"), "score": {"home": 1, "away": 1}},
        {"id": "wc-m3", "tournament_id": "wc-2026", "round": 1, "position": 3, "scheduled_at": at.format(3),
         "status": "live", "home": _team("fra"), "away": _team("ger")},
        {"id": "wc-m4", "tournament_id": "wc-2026", "round": 1, "position": 4, "scheduled_at": at.format(4),
         "status": "scheduled", "home": _team("idn"), "away": _team("jpn"), "score": None},
        {"id": "wc-m5", "tournament_id": "wc-2026", "round": 2, "position": 1,
         "scheduled_at": "2026-06-20T02:00:00.000+07:00", "status": "cancelled", "home": _team("mex"),
         "away": _team("bra")},
        {"id": "ol-r1-b1", "tournament_id": "olympiad-45", "round": 1, "position": 1,
         "scheduled_at": "2024-09-11T13:00:00Z", "status": "completed", "home": _team("ind"),
         "away": _team("mar"), "score": {"result": "1/2-1/2"}},
        {"id": "ol-r1-b2", "tournament_id": "olympiad-45", "round": 1, "position": 2,
         "scheduled_at": "2024-09-11T13:00:00Z", "status": "scheduled", "home": _team("usa"),
         "away": _team("nor")},
    ]
    return tournaments, matches


def self_test():
    key = "self-test-key"
    server, _ = start(key)
    port = server.server_address[1]
    client = Client(f"http://127.0.0.1:{port}", key)
    checks = []

    def passed(what):
        checks.append(what)
        print(f"ok {len(checks):2d}  {what}", flush=True)

    try:
        # Authentication.
        status, headers, body = client.get("/v1/tournaments", key=None)
        _expect(status == 401 and body["error"]["code"] == "unauthorized", f"no key: {status} {body}")
        _expect(all(headers.get(h) for h in ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")),
                "a 401 lacks the rate-limit headers")
        status, _, body = client.get("/v1/tournaments", key="wrong")
        _expect(status == 401 and body["error"]["code"] == "unauthorized", f"wrong key: {status} {body}")
        passed("401 unauthorized without X-Api-Key and with a wrong one, with the rate-limit headers")

        # Seeding and ordering.
        tournaments, matches = self_test_seed()
        seeded = client.control("seed", {"tournaments": tournaments, "matches": matches})
        _expect(len(seeded["tournaments"]) == 5 and len(seeded["matches"]) == 7, "seed did not store 5 + 7 items")
        stamps = [m["updated_at"] for m in seeded["matches"]]
        _expect(stamps == sorted(stamps) and len(set(stamps)) == 7, f"match updated_at not strictly increasing: {stamps}")
        _expect(all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", s) for s in stamps), f"bad stamps {stamps}")
        _expect(seeded["matches"][4]["scheduled_at"] == "2026-06-19T19:00:00.000Z", "scheduled_at not normalized to UTC")
        _expect(seeded["matches"][2]["score"] is None, "a live match without score should serve score null")
        passed("seed stored 5 tournaments and 7 matches, updated_at strictly increasing, times in UTC with ms")

        items, pages = _walk(client, "/v1/tournaments", 2)
        ids = [t["id"] for t in items]
        _expect(pages == 3 and len(items) == 5, f"5 tournaments by 2 should be 3 pages, got {pages} / {len(items)}")
        _expect(_ordered(items), f"tournaments not ordered by (updated_at, id): {ids}")
        # Tournaments whose matches were seeded are bumped after them.
        _expect(ids == ["thomas-cup-2026", "fiba-asia-2025", "aff-2026", "wc-2026", "olympiad-45"], f"order {ids}")
        wc = next(t for t in items if t["id"] == "wc-2026")
        _expect(all(wc["updated_at"] >= m["updated_at"] for m in seeded["matches"][:5]),
                "a tournament's updated_at is earlier than one of its matches")
        passed("tournaments paged by 2: pages of 2, 2, 1, next_cursor null at the end, ordered by (updated_at, id), "
               "a tournament bumped after its matches")

        match_items, pages = _walk(client, "/v1/tournaments/wc-2026/matches", 2)
        _expect(pages == 3 and [m["id"] for m in match_items] == ["wc-m1", "wc-m2", "wc-m3", "wc-m4", "wc-m5"],
                f"wc-2026 matches by 2: {pages} pages, {[m['id'] for m in match_items]}")
        _expect(_ordered(match_items), "matches not ordered")
        chess, pages = _walk(client, "/v1/tournaments/olympiad-45/matches", 2)
        _expect(pages == 1 and len(chess) == 2 and chess[0]["score"] == {"result": "1/2-1/2"}, f"chess {chess}")
        passed("matches paged by 2 per tournament (5 -> 3 pages, 2 -> 1 page), chess score shape kept")

        # Cursor paging: a resumed walk, a changed item moving to the end.
        status, _, first = client.get("/v1/tournaments" + _q(limit=2))
        cursor = first["next_cursor"]
        tampered = cursor[:-1] + ("B" if cursor[-1] == "A" else "A")
        status, _, second = client.get("/v1/tournaments" + _q(limit=2, cursor=cursor))
        status2, _, again = client.get("/v1/tournaments" + _q(limit=2, cursor=cursor))
        _expect(status == status2 == 200 and second == again, "the same cursor gave different pages")
        _expect([t["id"] for t in second["data"]] == ["aff-2026", "wc-2026"], f"page 2 {second}")
        client.control("seed", {"tournaments": [dict(tournaments[2], name="Thomas Cup 2026 (Horsens)")]})
        rest, _ = _walk_from(client, "/v1/tournaments", 2, cursor)
        _expect([t["id"] for t in rest] == ["aff-2026", "wc-2026", "olympiad-45", "thomas-cup-2026"],
                f"a tournament changed mid-walk should come last: {[t['id'] for t in rest]}")
        passed("a cursor resumes a walk after the page it came from, stays valid, and an item changed mid-walk "
               "moves to the end")

        # updated_since is inclusive and incremental.
        everything, _ = _walk(client, "/v1/tournaments", 100)
        watermark = everything[-1]["updated_at"]
        status, _, body = client.get("/v1/tournaments" + _q(updated_since=watermark))
        _expect(status == 200 and [t["id"] for t in body["data"]] == ["thomas-cup-2026"], f"inclusive: {body}")
        client.control("seed", {"matches": [dict(matches[6], status="completed", score={"result": "0-1"})]})
        client.control("seed", {"tournaments": [dict(tournaments[3], name="FIBA Asia Cup 2025 (Jeddah)")]})
        status, _, body = client.get("/v1/tournaments" + _q(updated_since=watermark))
        _expect([t["id"] for t in body["data"]] == ["thomas-cup-2026", "olympiad-45", "fiba-asia-2025"],
                f"incremental tournaments: {[t['id'] for t in body['data']]}")
        status, _, body = client.get("/v1/tournaments/olympiad-45/matches" + _q(updated_since=watermark))
        _expect([m["id"] for m in body["data"]] == ["ol-r1-b2"] and body["data"][0]["score"] == {"result": "0-1"},
                f"incremental matches: {body}")
        no_offset = everything[-1]["updated_at"][:-1]  # no Z: not RFC 3339
        status, _, body = client.get("/v1/tournaments" + _q(updated_since="2100-01-01T00:00:00+07:00"))
        _expect(status == 200 and body == {"data": [], "next_cursor": None}, f"future updated_since: {body}")
        passed("updated_since is inclusive (the watermark item comes again), returns only later changes, "
               "and a match change bumps its tournament; offsets accepted when %2B-encoded")

        # Bad parameters.
        bad = [("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("limit=", "limit"),
               ("limit=1.5", "limit"), ("limit=2&limit=3", "limit"), ("updated_since=yesterday", "updated_since"),
               ("updated_since=" + urllib.parse.quote(no_offset), "updated_since"),
               ("updated_since=2026-12-01T10:00:00+07:00", "updated_since"),
               ("updated_since=2026-02-30T10:00:00Z", "updated_since"), ("cursor=!!!", "cursor"),
               ("cursor=garbage", "cursor"), ("cursor=", "cursor"), ("cursor=" + tampered, "cursor"),
               ("page=2", "page"), ("since=2026-01-01T00:00:00Z", "since")]
        for query, parameter in bad:
            status, headers, body = client.get("/v1/tournaments?" + query)
            _expect(status == 400 and body["error"]["code"] == "invalid_parameter"
                    and body["error"]["parameter"] == parameter and parameter in body["error"]["message"]
                    and headers.get("X-RateLimit-Remaining"), f"?{query}: {status} {body}")
        status, _, body = client.get("/v1/tournaments/wc-2026/matches" + _q(cursor=cursor))
        _expect(status == 400 and body["error"]["parameter"] == "cursor", "a tournaments cursor used on matches")
        status, _, body = client.get("/v1/tournaments/wc-2026/matches" + _q(limit=2))
        status, _, body2 = client.get("/v1/tournaments/olympiad-45/matches" + _q(cursor=body["next_cursor"]))
        _expect(status == 400 and body2["error"]["parameter"] == "cursor", "another tournament's cursor was accepted")
        passed(f"{len(bad) + 2} bad queries -> 400 invalid_parameter naming the parameter (limit 0/101/abc/empty/"
               "1.5/twice, updated_since garbage/no offset/bare +/Feb 30, cursor garbage/empty/tampered/"
               "of another listing, unknown parameters)")

        status, headers, body = client.get("/v1/tournaments/nope/matches")
        _expect(status == 404 and body["error"]["code"] == "not_found" and headers.get("X-RateLimit-Limit"), f"404 {body}")
        status, _, body = client.get("/v1/tournaments/nope/matches?limit=0")
        _expect(status == 404, "an unknown tournament should be 404 whatever the query")
        status, _, body = client.get("/v1/nothing")
        _expect(status == 404 and body["error"]["code"] == "not_found", f"unknown path {status}")
        status, headers, body = client.call("POST", "/v1/tournaments", body={})
        _expect(status == 405 and headers.get("Allow") == "GET", f"POST {status}")
        passed("unknown tournament and unknown path -> 404 not_found; POST -> 405 with Allow: GET")

        # Rate limiting.
        client.control("rate_limit", {"limit": 3, "window_seconds": 2})
        remaining = []
        for _ in range(3):
            status, headers, _ = client.get("/v1/tournaments?limit=1")
            _expect(status == 200 and headers["X-RateLimit-Limit"] == "3", f"under the limit: {status}")
            _expect(1 <= int(headers["X-RateLimit-Reset"]) <= 2, f"X-RateLimit-Reset {headers['X-RateLimit-Reset']}")
            remaining.append(int(headers["X-RateLimit-Remaining"]))
        _expect(remaining == [2, 1, 0], f"X-RateLimit-Remaining {remaining}")
        status, headers, body = client.get("/v1/tournaments?limit=1")
        _expect(status == 429 and body["error"]["code"] == "rate_limited", f"over the limit: {status} {body}")
        retry = headers.get("Retry-After", "")
        _expect(retry.isdigit() and 1 <= int(retry) <= 2 and headers["X-RateLimit-Remaining"] == "0",
                f"Retry-After {retry!r}")
        time.sleep(int(retry) + 0.05)
        status, headers, _ = client.get("/v1/tournaments?limit=1")
        _expect(status == 200 and headers["X-RateLimit-Remaining"] == "2", "the window did not reset")
        client.control("rate_limit", {"limit": None})
        status, headers, _ = client.get("/v1/tournaments?limit=1")
        _expect(status == 200 and int(headers["X-RateLimit-Limit"]) == UNLIMITED, "rate limit off")
        passed(f"rate limit 3 per 2 s: Remaining 2, 1, 0, then 429 rate_limited with Retry-After: {retry}; "
               "after waiting it passes again; off again with {\"limit\": null}")

        # Failure injection.
        client.control("fail", {"path_contains": "cursor=", "times": 2, "status": 500})
        status, _, body = client.get("/v1/tournaments?limit=2")
        _expect(status == 200, "a request without cursor= was failed")
        page_two = "/v1/tournaments" + _q(limit=2, cursor=body["next_cursor"])
        for _ in range(2):
            status, headers, failed = client.get(page_two)
            _expect(status == 500 and failed["error"]["code"] == "unavailable"
                    and headers.get("X-RateLimit-Limit") is None, f"injected 500: {status} {failed}")
        status, _, _ = client.get(page_two)
        _expect(status == 200, "the third try after two injected failures should pass")
        client.control("fail", {"path_contains": "/matches", "hang_seconds": 0.3})
        began = time.monotonic()
        status, _, _ = client.get("/v1/tournaments/wc-2026/matches")
        _expect(status == 200 and time.monotonic() - began >= 0.3, "hang_seconds did not delay the answer")
        client.control("fail", {"status": 429, "retry_after": 7})
        status, headers, body = client.get("/v1/tournaments")
        _expect(status == 429 and headers.get("Retry-After") == "7" and body["error"]["code"] == "rate_limited",
                f"injected 429 {status} {dict(headers)}")
        client.control("fail", {"status": 400})
        status, _, body = client.get("/v1/tournaments")
        _expect(status == 400 and body["error"]["parameter"] == "cursor", f"injected 400 {body}")
        client.control("outage", {"on": True})
        status, _, body = client.get("/v1/tournaments")
        _expect(status == 503 and body["error"]["code"] == "unavailable", f"outage {status}")
        client.control("outage", {"on": False})
        status, _, _ = client.get("/v1/tournaments")
        _expect(status == 200, "after the outage")
        passed("fail: 2 x 500 unavailable on requests with 'cursor=', then normal; hang 0.3 s then normal; "
               "injected 429 with Retry-After 7 and 400 cursor; outage 503 on and off")

        # The request log.
        client.control("reset")
        client.control("seed", {"tournaments": tournaments})
        _walk(client, "/v1/tournaments", 2)
        client.get("/v1/tournaments?limit=0")
        log = client.control("requests")
        _expect([(r["method"], r["path"], r["status"]) for r in log] ==
                [("GET", "/v1/tournaments", s) for s in (200, 200, 200, 400)], f"request log {log}")
        _expect(log[0]["query"] == "limit=2" and log[1]["query"].startswith("limit=2&cursor="), f"queries {log}")
        passed("GET /_control/requests lists method, path, query and status of each API request (reset clears it)")

        # Seed validation.
        invalid = [
            ({"matches": [dict(matches[3], score={"home": 1, "away": 0})]}, "score must be null"),
            ({"matches": [dict(matches[0], score=None)]}, "score is required"),
            ({"tournaments": [tournaments[1]], "matches": [dict(matches[5], score={"home": 1, "away": 0})]}, "in chess"),
            ({"matches": [dict(matches[0], tournament_id="nope")]}, "not a known tournament"),
            ({"tournaments": [dict(tournaments[0], sport="cricket")]}, "sport"),
            ({"tournaments": [dict(tournaments[0], id="has space")]}, "id"),
            ({"matches": [dict(matches[1], id="wc-other", position=1), matches[0]]}, "also held by"),
            ({"matches": [dict(matches[0], scheduled_at="2026-06-11 19:00")]}, "scheduled_at"),
        ]
        for body, words in invalid:
            status, _, answer = client.call("POST", "/_control/seed", body=body)
            _expect(status == 400 and words in answer.get("error", ""), f"seed {body}: {status} {answer}")
        client.control("seed", {"matches": [matches[0]]})
        moved = {"matches": [dict(matches[0], tournament_id="aff-2026")]}
        status, _, answer = client.call("POST", "/_control/seed", body=moved)
        _expect(status == 409, f"moving a match: {status} {answer}")
        odd = {"id": "odd", "tournament_id": "aff-2026", "sport": "x"}
        client.control("seed", {"validate": False, "matches": [odd]})
        status, _, body = client.get("/v1/tournaments/aff-2026/matches")
        _expect(status == 200 and body["data"][0]["id"] == "odd" and "updated_at" in body["data"][0], "unchecked seed")
        passed(f"seed rejects {len(invalid)} contract violations (400) and moving a match (409); "
               "\"validate\": false stores an item as given")

        client.control("reset")
        status, _, body = client.get("/v1/tournaments")
        _expect(status == 200 and body == {"data": [], "next_cursor": None}, f"after reset {body}")
        passed("reset empties everything: an empty listing is {\"data\": [], \"next_cursor\": null}")
    except SelfTestFailure as e:
        print(f"FAILED: {e}", flush=True)
        return 1
    finally:
        stop(server)
    print(f"self-test passed: {len(checks)} checks", flush=True)
    return 0


def _walk_from(client, path, limit, cursor):
    items, pages = [], 0
    while cursor is not None:
        status, _, body = client.get(path + _q(limit=limit, cursor=cursor))
        _expect(status == 200, f"GET {path} answered {status}: {body}")
        items += body["data"]
        cursor = body["next_cursor"]
        pages += 1
    return items, pages


def main(argv=None):
    ap = argparse.ArgumentParser(description="Local fake of the international tournament API.")
    ap.add_argument("--api-key", help="the X-Api-Key every API request must carry")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    ap.add_argument("--self-test", action="store_true", help="run the built-in checks and exit")
    args = ap.parse_args(argv)
    if args.self_test:
        return self_test()
    if not args.api_key:
        ap.error("--api-key is required")

    server, _ = start(args.api_key, args.port, args.verbose)
    port = server.server_address[1]
    fake_http.run_until_stdin_closes({"base_url": f"http://127.0.0.1:{port}", "port": port, "api_key": args.api_key},
                                     lambda: stop(server))
    return 0


if __name__ == "__main__":
    sys.exit(main())
