#!/usr/bin/env python3
"""A local fake of Midtrans (Snap + Core API v2) on loopback for the Payment service's tests.

Standard library only (Python 3.11); the HTTP plumbing is ../fake_http.py. Run:

    python3 fake_midtrans.py --server-key KEY [--port 0] [--notify-url URL]
                             [--merchant-id G000000001] [--refund-any-payment-type] [--verbose]

Binds 127.0.0.1 (port 0 = a free port), prints ONE JSON line {"base_url", "server_key"} once
ready, then serves until its standard input reaches EOF (the test process ending closes it).
Nothing else is written to stdout; stderr stays silent unless --verbose.

Documentation this follows (public Midtrans docs, read when this was written):
  Snap create:     https://docs.midtrans.com/docs/snap-snap-integration-guide
                   https://docs.midtrans.com/reference/transaction-details-object  (order_id rules)
                   https://docs.midtrans.com/docs/snap-advanced-feature            (item_details)
  GET status:      https://docs.midtrans.com/docs/get-status-api-requests
                   https://docs.midtrans.com/reference/get-transaction-status-api-1
  Refund:          https://docs.midtrans.com/reference/refund-transaction
                   https://docs.midtrans.com/reference-link/refund-transaction     (refund_key retries)
                   https://docs.midtrans.com/reference/refund-transactions-card
  Cancel / expire: https://docs.midtrans.com/reference-link/cancel-transaction-card
                   https://docs.midtrans.com/reference/cancel-api-1
                   https://docs.midtrans.com/reference-link/expire-transaction
  Notifications:   https://docs.midtrans.com/docs/https-notification-webhooks
                   https://docs.midtrans.com/reference/handle-async-payment
  Statuses/codes:  https://docs.midtrans.com/docs/transaction-status-cycle
                   https://docs.midtrans.com/reference/code-statuses  (2xx)
                   https://docs.midtrans.com/reference/code-4xx
                   https://docs.midtrans.com/docs/error-code-and-response-code
  Field shapes cross-checked against the official clients github.com/Midtrans/midtrans-go
  (coreapi/response.go: RefundDetails, RefundResponse), midtrans-python-client and
  midtrans-nodejs-client (http_client: body status_code >= 400 except 407 is an error).

Midtrans API (every request needs `Authorization: Basic base64(server_key + ":")`, else 401):
  POST /snap/v1/transactions       -> 201 {"token", "redirect_url": base_url/snap/v2/vtweb/<token>}
                                      400 {"error_messages": [...]}; honours X-Override-Notification /
                                      X-Append-Notification (up to 2 comma-separated URLs).
  GET  /v2/{order_id|transaction_id}/status
  POST /v2/{order_id|transaction_id}/refund   {"refund_key"?, "amount"?, "reason"?}
  POST /v2/{order_id|transaction_id}/cancel
  POST /v2/{order_id|transaction_id}/expire
  GET  /snap/v2/vtweb/<token>      -> a small HTML page (no auth), so redirect_url resolves.
  Core API errors carry {"status_code", "status_message", "id"}, and the HTTP status equals the
  body's status_code (404, 412, ...), except malformed JSON (HTTP 400, body "413" as documented).

Control API for tests (no auth, never affected by outages), all JSON:
  POST /_control/pay      {"order_id", "transaction_status": settlement|capture|pending|deny|cancel|
                           expire|failure|authorize (default settlement), "payment_type": default
                           bank_transfer (qris, gopay, shopeepay, credit_card, echannel, cstore, ...),
                           "fraud_status": default "accept", "extra": {fields merged into the
                           transaction}, "notify": {"send": true, "duplicates": 0, "bad_signature":
                           false, "stale_first": false, "order": "normal"|"reversed",
                           "delay_ms": 0, "parallel": false, "retry": false,
                           "retry_interval_ms": 200}}
                          -> {"status": <GET-status JSON or null>, "notifications": [records]}
      The customer "pays": the transaction gets a transaction_id/transaction_time on first pay and
      the new state, then notifications are sent from a background thread. bad_signature: the
      state is NOT changed; the notification claims the new state, signed with a wrong key.
      stale_first: a "pending" notification is sent before the new-state one. order "reversed":
      the new-state notification(s) first, then an older "pending" one (out-of-order delivery).
      duplicates: n extra identical copies. parallel: send the batch concurrently.
      retry: follow the documented retry policy (500 -> 1 retry, 503 -> 4, 400/404 -> 2,
      2xx/301/302/303 -> none, 307/308 followed, others -> 5) with retry_interval_ms between tries.
  POST /_control/forge    {"order_id", "transaction_status" (default settlement), "gross_amount"
                           (number or string; default the real "N.00"), "status_code" (default by
                           status), "signature": "valid"|"invalid", "payment_type"?, "fraud_status"?,
                           "transaction_id"?, "extra"?: {...}, "duplicates"?, "delay_ms"?}
                          -> sends a notification WITHOUT changing any state (replay/forgery).
  POST /_control/outage   {"mode": "none"|"timeout"|"error500"|"reset", "delay_seconds": 35,
                           "count": null|n} -> affects Snap/Core endpoints only. timeout: sleep
                           delay_seconds, then answer normally (side effects happen late);
                           error500: HTTP 500 Midtrans-style; reset: drop the TCP connection
                           (RST) without answering. count: only the next n requests.
  GET  /_control/state    -> {"transactions": {...}, "counters": {...}, "notifications": [...],
                              "outage": {...}, "notify_url"}
  POST /_control/notify-url {"url": "http://..." | null}
  POST /_control/drain    {"timeout_seconds": 10} -> waits until no notification is in flight.
  POST /_control/reset    -> forgets transactions, counters, notifications, outage; notify URL
                              back to the --notify-url value.

Signatures: signature_key = sha512(order_id + status_code + gross_amount + server_key) hex, with
the status_code and gross_amount ("10000.00") of the very body that carries it.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import fake_http  # noqa: E402 (Tests/Support/fake_http.py, found through the line above)

MAX_BODY = 1 << 20
WIB = timezone(timedelta(hours=7))  # Midtrans times are GMT+7
ORDER_ID_RE = re.compile(r"^[A-Za-z0-9\-_.~]+$")
REFUND_KEY_RE = re.compile(r"^[A-Za-z0-9\-_]+$")
CORE_PATH_RE = re.compile(r"^/v2/([^/]+)/(status|refund|cancel|expire)$")
PAY_STATUSES = {"settlement", "capture", "pending", "deny", "cancel", "expire", "failure", "authorize"}
# https://docs.midtrans.com/reference-link/refund-transaction: refund is supported only for these.
REFUNDABLE_PAYMENT_TYPES = {"credit_card", "gopay", "shopeepay", "dana", "ovo", "qris", "kredivo", "akulaku"}
# status_code of GET status / action responses per transaction_status (code-statuses page;
# 407 for expire is what the official clients special-case as a non-error).
QUERY_STATUS_CODE = {"settlement": "200", "capture": "200", "authorize": "200", "cancel": "200",
                     "refund": "200", "partial_refund": "200", "pending": "201",
                     "deny": "202", "failure": "202", "expire": "407"}
# Notifications use the same codes, except an expire notification carries "202" (documented sample).
NOTIFY_STATUS_CODE = dict(QUERY_STATUS_CODE, expire="202")
MAX_INT = 10 ** 15

SNAP_UNAUTHORIZED = ["Access denied due to unauthorized transaction, please check client or server key",
                     "Visit https://snap-docs.midtrans.com/#request-headers for more details"]
CORE_UNAUTHORIZED = "Access denied due to unauthorized transaction, please check client or server key"
CANNOT_MODIFY = "Merchant cannot modify the status of the transaction"


def now_wib():
    return datetime.now(WIB)


def fmt_time(dt):
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def money(n):
    return f"{int(n)}.00"


def sign(order_id, status_code, gross_amount, key):
    return hashlib.sha512(f"{order_id}{status_code}{gross_amount}{key}".encode("utf-8")).hexdigest()


def as_int(value):
    """An integer from a JSON int, an integral float or a string of digits; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) <= MAX_INT else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) <= MAX_INT else None
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,16}", value.strip()):
        return int(value.strip())
    return None


def digits(seed, n):
    return str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:n].rjust(n, "0")


class HTTPFail(Exception):
    """An error answer: HTTP status, JSON body."""

    def __init__(self, code, body):
        super().__init__(code)
        self.code, self.body = code, body


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # every 3xx surfaces as HTTPError; 307/308 are followed by hand


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


class Fake:
    def __init__(self, server_key, notify_url, merchant_id, refund_any):
        self.server_key = server_key
        self.initial_notify_url = notify_url
        self.merchant_id = merchant_id
        self.refund_any = refund_any
        self.base_url = ""
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.stop = threading.Event()
        self.refund_seq = 0
        self.notification_seq = 0
        with self.lock:
            self._reset_locked()

    # ----- state -----------------------------------------------------------------------------
    def _reset_locked(self):
        self.txs = {}  # order_id -> transaction dict
        self.by_token = {}
        self.notify_url = self.initial_notify_url
        self.notifications = []
        self.in_flight = 0
        self.counters = {
            "requests": {}, "requests_by_order": {}, "snap_create_attempts": {}, "snap_creates": {},
            "auth_failures": 0, "outage_hits": 0,
            "refunds": {"requested": 0, "applied": 0, "replayed": 0, "rejected": 0, "by_order": {}},
            "notifications": {"queued": 0, "sent": 0, "failed": 0, "skipped": 0, "by_receiver_status": {}},
        }
        if hasattr(self, "outage"):
            self.outage["release"].set()
        self.outage = {"mode": "none", "delay_seconds": 35.0, "count": None, "release": threading.Event()}

    def reset(self):
        with self.lock:
            self._reset_locked()
            self.changed.notify_all()

    def count_request(self, endpoint, order_id=None):
        with self.lock:
            c = self.counters
            c["requests"][endpoint] = c["requests"].get(endpoint, 0) + 1
            if order_id is not None:
                per = c["requests_by_order"].setdefault(endpoint, {})
                per[order_id] = per.get(order_id, 0) + 1

    def find(self, ident):
        """A transaction by order_id, or by transaction_id (the docs allow either in URLs)."""
        tx = self.txs.get(ident)
        if tx is not None:
            return tx
        for candidate in self.txs.values():
            if candidate["transaction_id"] == ident:
                return candidate
        return None

    def authorized(self, header):
        if not header or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        return decoded == self.server_key + ":"

    def take_outage(self):
        """The outage to apply to this request, as (mode, delay, release-event), and count it."""
        with self.lock:
            o = self.outage
            if o["mode"] == "none":
                return None
            mode, delay, release = o["mode"], o["delay_seconds"], o["release"]
            self.counters["outage_hits"] += 1
            if o["count"] is not None:
                o["count"] -= 1
                if o["count"] <= 0:
                    o.update(mode="none", count=None)
            return mode, delay, release

    # ----- bodies ----------------------------------------------------------------------------
    def tx_body(self, tx, status_code, status_message, transaction_status=None, key=None,
                with_signature=True, with_refunds=True):
        status = transaction_status or tx["transaction_status"]
        body = {
            "status_code": status_code,
            "status_message": status_message,
            "transaction_id": tx["transaction_id"],
            "order_id": tx["order_id"],
            "merchant_id": self.merchant_id,
            "gross_amount": money(tx["gross_amount"]),
            "currency": "IDR",
            "payment_type": tx["payment_type"],
            "transaction_time": tx["transaction_time"],
            "transaction_status": status,
            "fraud_status": tx["fraud_status"],
        }
        body.update(tx["extras"])
        if status in ("settlement", "refund", "partial_refund") and tx.get("settlement_time"):
            body["settlement_time"] = tx["settlement_time"]
        if status == "pending" and tx.get("expiry_time"):
            body["expiry_time"] = tx["expiry_time"]
        if with_refunds and tx["refunds"] and status in ("refund", "partial_refund"):
            body["refund_amount"] = money(tx["refunded"])
            body["refunds"] = [dict(r) for r in tx["refunds"]]
        if with_signature:
            body["signature_key"] = sign(tx["order_id"], status_code, body["gross_amount"],
                                         self.server_key if key is None else key)
        return body

    def status_json(self, tx):
        if tx["transaction_status"] is None:
            return None
        code = QUERY_STATUS_CODE.get(tx["transaction_status"], "200")
        return self.tx_body(tx, code, "Success, transaction is found")

    def notification_body(self, tx, transaction_status=None, key=None):
        status = transaction_status or tx["transaction_status"]
        return self.tx_body(tx, NOTIFY_STATUS_CODE.get(status, "200"), "midtrans payment notification",
                            transaction_status=status, key=key)

    @staticmethod
    def core_error(code, message, http=None, **extra):
        body = {"status_code": str(code), "status_message": message, "id": str(uuid.uuid4())}
        body.update(extra)
        return HTTPFail(http or int(code), body)

    # ----- Snap ------------------------------------------------------------------------------
    def snap_create(self, data, headers):
        if not isinstance(data, dict):
            raise HTTPFail(400, {"error_messages": ["There was a problem in the JSON you submitted"]})
        errors = []
        details = data.get("transaction_details")
        if details is not None and not isinstance(details, dict):
            errors.append("transaction_details must be an object")
            details = {}
        details = details or {}
        order_id = details.get("order_id")
        if isinstance(order_id, int) and not isinstance(order_id, bool):
            order_id = str(order_id)
        if order_id is None or order_id == "":
            errors.append("transaction_details.order_id is required")
        elif not isinstance(order_id, str):
            errors.append("transaction_details.order_id must be a string")
        else:
            if len(order_id) > 50:
                errors.append("transaction_details.order_id is too long (maximum is 50 characters)")
            if not ORDER_ID_RE.match(order_id):
                errors.append("transaction_details.order_id contains invalid characters, allowed are "
                              "alphanumeric, dash(-), underscore(_), tilde(~) and dot(.)")
        raw_amount = details.get("gross_amount")
        gross = as_int(raw_amount)
        if raw_amount is None:
            errors.append("transaction_details.gross_amount is required")
        elif gross is None:
            errors.append("transaction_details.gross_amount must be an integer (IDR has no decimals)")
        elif gross < 1:
            errors.append("transaction_details.gross_amount must be greater than or equal to 1")
        items = data.get("item_details")
        if items is not None:
            if not isinstance(items, list):
                errors.append("item_details must be an array")
            else:
                total, items_ok = 0, True
                for i, item in enumerate(items):
                    if not isinstance(item, dict):
                        errors.append(f"item_details[{i}] must be an object")
                        items_ok = False
                        continue
                    price, qty = as_int(item.get("price")), as_int(item.get("quantity"))
                    if item.get("price") is None:
                        errors.append(f"item_details[{i}].price is required")
                        items_ok = False
                    elif price is None:
                        errors.append(f"item_details[{i}].price must be an integer")
                        items_ok = False
                    if item.get("quantity") is None:
                        errors.append(f"item_details[{i}].quantity is required")
                        items_ok = False
                    elif qty is None or qty < 1:
                        errors.append(f"item_details[{i}].quantity must be a positive integer")
                        items_ok = False
                    if "name" in item and not isinstance(item["name"], str):
                        errors.append(f"item_details[{i}].name must be a string")
                    if price is not None and qty is not None:
                        total += price * qty
                if items_ok and gross is not None and total != gross:
                    errors.append("transaction_details.gross_amount is not equal to the sum of item_details")
        for field in ("customer_details", "callbacks", "expiry", "page_expiry", "credit_card"):
            if field in data and data[field] is not None and not isinstance(data[field], dict):
                errors.append(f"{field} must be an object")
        payments = data.get("enabled_payments")
        if payments is not None and not (isinstance(payments, list) and all(isinstance(p, str) for p in payments)):
            errors.append("enabled_payments must be an array of strings")
        callbacks = data.get("callbacks")
        if isinstance(callbacks, dict) and "finish" in callbacks and not isinstance(callbacks["finish"], str):
            errors.append("callbacks.finish must be a string")
        expiry = data.get("expiry")
        if isinstance(expiry, dict):
            unit = expiry.get("unit")
            if unit not in ("second", "seconds", "minute", "minutes", "hour", "hours", "day", "days"):
                errors.append("expiry.unit must be one of second, minute, hour, day")
            duration = as_int(expiry.get("duration"))
            if duration is None or duration < 1:
                errors.append("expiry.duration must be a positive integer")
        if isinstance(order_id, str):
            with self.lock:
                attempts = self.counters["snap_create_attempts"]
                attempts[order_id] = attempts.get(order_id, 0) + 1
        if errors:
            raise HTTPFail(400, {"error_messages": errors})

        override = _notify_urls(headers.get("X-Override-Notification"))
        append = _notify_urls(headers.get("X-Append-Notification"))
        with self.lock:
            existing = self.txs.get(order_id)
            # Docs: an order_id cannot be reused while active or paid; an expired or cancelled
            # one can be reused (expire / error-code pages).
            if existing is not None and existing["transaction_status"] not in ("expire", "cancel"):
                raise HTTPFail(400, {"error_messages": ["transaction_details.order_id sudah digunakan"]})
            token = str(uuid.uuid4())
            tx = {
                "order_id": order_id, "gross_amount": gross, "token": token,
                "redirect_url": f"{self.base_url}/snap/v2/vtweb/{token}",
                "created_at": fmt_time(now_wib()), "snap_request": data,
                "notify_override": override, "notify_append": append,
                "transaction_id": None, "transaction_status": None, "payment_type": None,
                "fraud_status": None, "transaction_time": None, "settlement_time": None,
                "expiry_time": None, "extras": {}, "refunds": [], "refunded": 0,
                "refund_results": {}, "history": [],
                "previous": ([_public_tx(self, existing)] + existing.get("previous", [])) if existing else [],
            }
            if existing is not None:
                self.by_token.pop(existing["token"], None)
            self.txs[order_id] = tx
            self.by_token[token] = tx
            creates = self.counters["snap_creates"]
            creates[order_id] = creates.get(order_id, 0) + 1
            return 201, {"token": token, "redirect_url": tx["redirect_url"]}

    # ----- Core ------------------------------------------------------------------------------
    def core_status(self, ident):
        with self.lock:
            tx = self.find(ident)
            body = self.status_json(tx) if tx is not None else None
            if body is None:
                raise self.core_error(404, "Transaction doesn't exist.")
            return (200 if body["status_code"] in ("200", "201", "202", "407") else int(body["status_code"])), body

    def core_cancel(self, ident):
        with self.lock:
            tx = self.find(ident)
            if tx is None or tx["transaction_status"] is None:
                raise self.core_error(404, "Transaction doesn't exist.")
            if tx["transaction_status"] not in ("pending", "authorize", "capture"):
                raise self.core_error(412, CANNOT_MODIFY)
            self._set_state(tx, "cancel", "api:cancel")
            body = self.tx_body(tx, "200", "Success, transaction is canceled", with_signature=False)
            self._queue(tx, [("cancel", self.notification_body(tx), True)], {})
            return 200, body

    def core_expire(self, ident):
        with self.lock:
            tx = self.find(ident)
            if tx is None or tx["transaction_status"] is None:
                raise self.core_error(404, "Transaction doesn't exist.")
            if tx["transaction_status"] != "pending":
                raise self.core_error(412, CANNOT_MODIFY)
            self._set_state(tx, "expire", "api:expire")
            body = self.tx_body(tx, "407", "Success, transaction has expired", with_signature=False)
            self._queue(tx, [("expire", self.notification_body(tx), True)], {})
            return 200, body

    def core_refund(self, ident, data):
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise self.core_error(400, "One or more parameters in the payload is invalid.",
                                  validation_messages=["request body must be a JSON object"])
        with self.lock:
            stats = self.counters["refunds"]
            stats["requested"] += 1
            tx = self.find(ident)
            order_key = tx["order_id"] if tx is not None else ident
            log = stats["by_order"].setdefault(order_key, [])
            entry = {"at": fmt_time(now_wib()), "refund_key": data.get("refund_key"),
                     "amount": data.get("amount"), "reason": data.get("reason")}
            log.append(entry)
            try:
                code, body = self._refund_locked(tx, data)
            except HTTPFail as fail:
                stats["rejected"] += 1
                entry.update(outcome="rejected", http_status=fail.code, status_code=fail.body.get("status_code"))
                raise
            entry.update(outcome=body.pop("_outcome"), http_status=code, status_code=body["status_code"])
            return code, body

    def _refund_locked(self, tx, data):
        problems = []
        key = data.get("refund_key")
        if key is not None and not (isinstance(key, str) and 0 < len(key) <= 255 and REFUND_KEY_RE.match(key)):
            problems.append("refund_key may only contain alphabets, numbers, dash (-) and underscore (_)")
        reason = data.get("reason")
        if reason is not None and not (isinstance(reason, str) and len(reason) <= 255):
            problems.append("reason must be a string of at most 255 characters")
        amount = None
        if data.get("amount") is not None:
            amount = as_int(data.get("amount"))
            if amount is None or amount < 1:
                problems.append("amount must be a positive integer")
        if problems:
            raise self.core_error(400, "One or more parameters in the payload is invalid.", validation_messages=problems)
        if tx is None or tx["transaction_status"] is None:
            raise self.core_error(404, "Transaction doesn't exist.")
        if key is not None and key in tx["refund_results"]:
            # Same refund_key again: the same answer, nothing refunded twice (docs: retry with
            # the same refund_key; a new refund needs a new key).
            self.counters["refunds"]["replayed"] += 1
            code, body = tx["refund_results"][key]
            return code, dict(body, _outcome="replayed")
        if tx["transaction_status"] not in ("settlement", "partial_refund"):
            raise self.core_error(412, CANNOT_MODIFY)
        if not self.refund_any and tx["payment_type"] not in REFUNDABLE_PAYMENT_TYPES:
            raise self.core_error(412, f"Refund is not supported for payment_type {tx['payment_type']}")
        remaining = tx["gross_amount"] - tx["refunded"]
        if amount is None:
            amount = remaining
        if amount > remaining:
            raise self.core_error(412, "Refund amount exceeds the remaining refundable amount "
                                       f"({money(remaining)})")
        if key is None:
            key = f"auto-{uuid.uuid4()}"
        self.refund_seq += 1
        stamp = fmt_time(now_wib())
        refund = {"refund_chargeback_id": self.refund_seq, "refund_chargeback_uuid": str(uuid.uuid4()),
                  "refund_amount": money(amount), "created_at": stamp,
                  "reason": reason if reason is not None else "", "refund_key": key,
                  "refund_method": "online", "bank_confirmed_at": stamp}
        tx["refunds"].append(refund)
        tx["refunded"] += amount
        new_status = "refund" if tx["refunded"] == tx["gross_amount"] else "partial_refund"
        self._set_state(tx, new_status, f"api:refund {key}")
        body = {
            "status_code": "200", "status_message": "Success, refund request is approved",
            "transaction_id": tx["transaction_id"], "order_id": tx["order_id"],
            "merchant_id": self.merchant_id, "payment_type": tx["payment_type"],
            "transaction_time": tx["transaction_time"], "transaction_status": new_status,
            "gross_amount": money(tx["gross_amount"]), "currency": "IDR",
            "fraud_status": tx["fraud_status"], "settlement_time": tx["settlement_time"],
            "refund_chargeback_id": refund["refund_chargeback_id"],
            "refund_chargeback_uuid": refund["refund_chargeback_uuid"],
            "refund_amount": money(amount), "refund_key": key,
        }
        if body["settlement_time"] is None:
            del body["settlement_time"]
        tx["refund_results"][key] = (200, dict(body))
        self.counters["refunds"]["applied"] += 1
        self._queue(tx, [("refund", self.notification_body(tx), True)], {})
        return 200, dict(body, _outcome="refunded")

    # ----- state changes and notifications ---------------------------------------------------
    def _set_state(self, tx, status, source):
        tx["transaction_status"] = status
        tx["history"].append({"at": fmt_time(now_wib()), "transaction_status": status, "source": source})

    def _apply_payment(self, tx, status, payment_type, fraud_status, extra):
        now = now_wib()
        if tx["transaction_id"] is None:
            tx["transaction_id"] = str(uuid.uuid4())
            tx["transaction_time"] = fmt_time(now)
        if payment_type != tx["payment_type"]:
            tx["payment_type"] = payment_type
            tx["extras"] = _payment_extras(payment_type, tx["order_id"])
        tx["fraud_status"] = fraud_status
        if status == "settlement" and not tx["settlement_time"]:
            tx["settlement_time"] = fmt_time(now)
        if status == "pending":
            tx["expiry_time"] = fmt_time(now + timedelta(hours=24))
        if extra:
            tx["extras"].update(extra)
        self._set_state(tx, status, "control:pay")

    def control_pay(self, data):
        order_id = _need_str(data, "order_id")
        status = data.get("transaction_status", "settlement")
        if status not in PAY_STATUSES:
            raise HTTPFail(400, {"error": f"transaction_status must be one of {sorted(PAY_STATUSES)}"})
        payment_type = data.get("payment_type")
        fraud_status = data.get("fraud_status", "accept")
        extra = data.get("extra") or {}
        if payment_type is not None and not (isinstance(payment_type, str) and payment_type):
            raise HTTPFail(400, {"error": "payment_type must be a non-empty string"})
        if not isinstance(fraud_status, str) or not isinstance(extra, dict):
            raise HTTPFail(400, {"error": "fraud_status must be a string and extra an object"})
        opts = _notify_options(data.get("notify"))
        with self.lock:
            tx = self.txs.get(order_id)
            if tx is None:
                raise HTTPFail(404, {"error": f"no Snap transaction for order_id {order_id!r}"})
            if tx["refunds"]:
                raise HTTPFail(409, {"error": "transaction already has refunds; pay is refused"})
            payment_type = payment_type or tx["payment_type"] or "bank_transfer"
            if opts["bad_signature"]:
                view = _copy_tx(tx)
                self._apply_payment(view, status, payment_type, fraud_status, extra)
                key = self.server_key + "-not-the-server-key"
            else:
                self._apply_payment(tx, status, payment_type, fraud_status, extra)
                view, key = tx, None
            main = self.notification_body(view, key=key)
            valid = key is None
            batch = []
            if opts["stale_first"] and status != "pending":
                batch.append(("stale_pending", self.notification_body(view, "pending", key=key), valid))
            batch.append(("payment", main, valid))
            batch += [("duplicate", dict(main), valid)] * opts["duplicates"]
            if opts["order"] == "reversed" and status != "pending":
                batch.append(("stale_pending", self.notification_body(view, "pending", key=key), valid))
            records = self._queue(tx, batch, opts) if opts["send"] else []
            return 200, {"status": self.status_json(tx), "notifications": records}

    def control_forge(self, data):
        order_id = _need_str(data, "order_id")
        status = data.get("transaction_status", "settlement")
        if not isinstance(status, str):
            raise HTTPFail(400, {"error": "transaction_status must be a string"})
        signature = data.get("signature", "valid")
        if signature not in ("valid", "invalid"):
            raise HTTPFail(400, {"error": "signature must be \"valid\" or \"invalid\""})
        extra = data.get("extra") or {}
        if not isinstance(extra, dict):
            raise HTTPFail(400, {"error": "extra must be an object"})
        opts = _notify_options({k: data[k] for k in ("duplicates", "delay_ms", "parallel", "retry",
                                                     "retry_interval_ms") if k in data})
        with self.lock:
            tx = self.txs.get(order_id)
            gross = data.get("gross_amount")
            if gross is None:
                if tx is None:
                    raise HTTPFail(400, {"error": "gross_amount is required for an unknown order_id"})
                gross = money(tx["gross_amount"])
            elif isinstance(gross, (int, float)) and not isinstance(gross, bool):
                gross = money(gross) if float(gross).is_integer() else f"{gross:.2f}"
            elif not isinstance(gross, str):
                raise HTTPFail(400, {"error": "gross_amount must be a number or a string"})
            status_code = str(data.get("status_code") or NOTIFY_STATUS_CODE.get(status, "200"))
            known = tx is not None and tx["transaction_id"] is not None
            body = {
                "status_code": status_code, "status_message": "midtrans payment notification",
                "transaction_id": data.get("transaction_id") or (tx["transaction_id"] if known else str(uuid.uuid4())),
                "order_id": order_id, "merchant_id": self.merchant_id, "gross_amount": gross,
                "currency": "IDR",
                "payment_type": data.get("payment_type") or (tx["payment_type"] if known else "bank_transfer"),
                "transaction_time": tx["transaction_time"] if known else fmt_time(now_wib()),
                "transaction_status": status,
                "fraud_status": data.get("fraud_status", "accept"),
            }
            if status == "settlement":
                body["settlement_time"] = fmt_time(now_wib())
            key = self.server_key if signature == "valid" else self.server_key + "-forged"
            body["signature_key"] = sign(order_id, status_code, gross, key)
            body.update(extra)
            batch = [("forged", body, signature == "valid")]
            batch += [("forged", dict(body), signature == "valid")] * opts["duplicates"]
            records = self._queue(tx, batch, opts, order_id=order_id)
            return 200, {"status": self.status_json(tx) if tx else None, "notifications": records}

    def _urls_for(self, tx):
        if tx is not None and tx.get("notify_override"):
            return list(tx["notify_override"])
        urls = [self.notify_url] if self.notify_url else []
        if tx is not None and tx.get("notify_append"):
            urls += tx["notify_append"]
        return urls

    def _queue(self, tx, batch, opts, order_id=None):
        """Records the notifications (with the lock held) and sends them from a thread."""
        opts = dict(_notify_options(None), **opts)
        urls = self._urls_for(tx)
        records = []
        for kind, body, valid in batch:
            for url in (urls or [None]):
                self.notification_seq += 1
                rec = {"id": self.notification_seq, "kind": kind,
                       "order_id": order_id or (tx["order_id"] if tx else body.get("order_id")),
                       "transaction_status": body.get("transaction_status"),
                       "status_code": body.get("status_code"), "signature_valid": valid, "url": url,
                       "state": "queued" if url else "skipped", "receiver_status": None, "error": None,
                       "attempts": [], "queued_at": fmt_time(now_wib()), "body": body}
                if url is None:
                    rec["error"] = "no notification URL configured"
                    self.counters["notifications"]["skipped"] += 1
                else:
                    self.counters["notifications"]["queued"] += 1
                self.notifications.append(rec)
                records.append(rec)
        to_send = [r for r in records if r["url"]]
        if to_send:
            self.in_flight += len(to_send)
            threading.Thread(target=self._send_batch, args=(to_send, opts), daemon=True).start()
        return [_summary(r) for r in records]

    def _send_batch(self, records, opts):
        if opts["delay_ms"]:
            self.stop.wait(opts["delay_ms"] / 1000.0)
        if opts["parallel"]:
            threads = [threading.Thread(target=self._deliver, args=(r, opts), daemon=True) for r in records]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for rec in records:
                self._deliver(rec, opts)

    def _deliver(self, rec, opts):
        data = json.dumps(rec["body"]).encode("utf-8")
        tries_left = None
        try:
            while not self.stop.is_set():
                url, status, error = rec["url"], None, None
                for _ in range(6):  # 307/308 are followed with the same POST, at most 5 times
                    status, error, location = _post(url, data)
                    if status in (307, 308) and location:
                        url = urllib.parse.urljoin(url, location)
                        continue
                    break
                with self.lock:
                    rec["attempts"].append({"at": fmt_time(now_wib()), "receiver_status": status, "error": error})
                    rec["receiver_status"], rec["error"] = status, error
                if status is not None and 200 <= status < 300:
                    break
                if not opts["retry"]:
                    break
                if tries_left is None:
                    tries_left = _retries_for(status)
                if tries_left <= 0:
                    break
                tries_left -= 1
                self.stop.wait(opts["retry_interval_ms"] / 1000.0)
        finally:
            with self.lock:
                ok = rec["receiver_status"] is not None and 200 <= rec["receiver_status"] < 300
                rec["state"] = "sent" if ok else "failed"
                c = self.counters["notifications"]
                c["sent" if ok else "failed"] += 1
                label = str(rec["receiver_status"]) if rec["receiver_status"] is not None else "no_response"
                c["by_receiver_status"][label] = c["by_receiver_status"].get(label, 0) + 1
                self.in_flight -= 1
                self.changed.notify_all()

    # ----- other control endpoints -----------------------------------------------------------
    def control_outage(self, data):
        mode = data.get("mode", "none")
        if mode not in ("none", "timeout", "error500", "reset"):
            raise HTTPFail(400, {"error": "mode must be none, timeout, error500 or reset"})
        delay = data.get("delay_seconds", 35)
        count = data.get("count")
        if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= 3600:
            raise HTTPFail(400, {"error": "delay_seconds must be a number between 0 and 3600"})
        if count is not None and (as_int(count) is None or as_int(count) < 1):
            raise HTTPFail(400, {"error": "count must be a positive integer or null"})
        with self.lock:
            self.outage["release"].set()  # wake requests still sleeping under the previous outage
            self.outage = {"mode": mode, "delay_seconds": float(delay),
                           "count": as_int(count) if mode != "none" and count is not None else None,
                           "release": threading.Event()}
            return 200, {"outage": _outage_view(self.outage)}

    def control_state(self):
        with self.lock:
            return 200, {
                "transactions": {oid: _public_tx(self, tx) for oid, tx in self.txs.items()},
                "counters": json.loads(json.dumps(self.counters)),
                "notifications": [dict(r) for r in self.notifications],
                "notifications_in_flight": self.in_flight,
                "outage": _outage_view(self.outage),
                "notify_url": self.notify_url,
            }

    def control_notify_url(self, data):
        url = data.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith(("http://", "https://"))):
            raise HTTPFail(400, {"error": "url must be an http(s) URL or null"})
        with self.lock:
            self.notify_url = url
            return 200, {"notify_url": url}

    def control_drain(self, data):
        timeout = data.get("timeout_seconds", 10)
        if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 <= timeout <= 600:
            raise HTTPFail(400, {"error": "timeout_seconds must be a number between 0 and 600"})
        deadline = time.monotonic() + timeout
        with self.lock:
            while self.in_flight > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(left)
            return 200, {"drained": self.in_flight == 0, "in_flight": self.in_flight,
                         "notifications": [_summary(r) for r in self.notifications]}


# ----- helpers -------------------------------------------------------------------------------
def _notify_urls(header):
    if not header:
        return None
    urls = [u.strip() for u in header.split(",") if u.strip().startswith(("http://", "https://"))]
    return urls[:2] or None


def _need_str(data, field):
    value = data.get(field)
    if not isinstance(value, str) or not value:
        raise HTTPFail(400, {"error": f"{field} is required (a non-empty string)"})
    return value


def _notify_options(raw):
    opts = {"send": True, "duplicates": 0, "bad_signature": False, "stale_first": False,
            "order": "normal", "delay_ms": 0, "parallel": False, "retry": False, "retry_interval_ms": 200}
    if raw is None:
        return opts
    if not isinstance(raw, dict):
        raise HTTPFail(400, {"error": "notify must be an object"})
    for key in ("send", "bad_signature", "stale_first", "parallel", "retry"):
        if key in raw:
            if not isinstance(raw[key], bool):
                raise HTTPFail(400, {"error": f"notify.{key} must be a boolean"})
            opts[key] = raw[key]
    for key, top in (("duplicates", 100), ("delay_ms", 600000), ("retry_interval_ms", 600000)):
        if key in raw:
            n = as_int(raw[key])
            if n is None or not 0 <= n <= top:
                raise HTTPFail(400, {"error": f"notify.{key} must be an integer between 0 and {top}"})
            opts[key] = n
    if "order" in raw:
        if raw["order"] not in ("normal", "reversed"):
            raise HTTPFail(400, {"error": "notify.order must be \"normal\" or \"reversed\""})
        opts["order"] = raw["order"]
    return opts


def _payment_extras(payment_type, order_id):
    if payment_type == "bank_transfer":
        return {"va_numbers": [{"bank": "bca", "va_number": digits(order_id, 11)}], "payment_amounts": []}
    if payment_type == "echannel":
        return {"biller_code": "70012", "bill_key": digits(order_id, 12)}
    if payment_type == "qris":
        return {"acquirer": "gopay", "issuer": "gopay", "transaction_type": "on-us"}
    if payment_type == "credit_card":
        return {"masked_card": "481111-1114", "bank": "bni", "card_type": "credit", "eci": "05",
                "approval_code": digits(order_id + "approval", 13), "channel_response_code": "00",
                "channel_response_message": "Approved"}
    if payment_type == "cstore":
        return {"store": "indomaret", "payment_code": digits(order_id, 14)}
    return {}


def _copy_tx(tx):
    view = dict(tx)
    view["extras"] = dict(tx["extras"])
    view["history"] = []
    view["refunds"] = list(tx["refunds"])
    return view


def _public_tx(fake, tx):
    return {
        "order_id": tx["order_id"], "gross_amount": tx["gross_amount"], "token": tx["token"],
        "redirect_url": tx["redirect_url"], "created_at": tx["created_at"],
        "snap_request": tx["snap_request"], "notify_override": tx["notify_override"],
        "notify_append": tx["notify_append"], "transaction_id": tx["transaction_id"],
        "transaction_status": tx["transaction_status"], "payment_type": tx["payment_type"],
        "fraud_status": tx["fraud_status"], "refunded_amount": tx["refunded"],
        "refunds": [dict(r) for r in tx["refunds"]], "refund_keys": sorted(tx["refund_results"]),
        "history": list(tx["history"]), "status": fake.status_json(tx),
        "previous": tx.get("previous", []),
    }


def _summary(rec):
    return {k: rec[k] for k in ("id", "kind", "order_id", "transaction_status", "status_code",
                                "signature_valid", "url", "state", "receiver_status", "error")}


def _outage_view(outage):
    return {"mode": outage["mode"], "delay_seconds": outage["delay_seconds"], "count": outage["count"]}


def _retries_for(status):
    """Documented retry counts (https-notification-webhooks, Best Practices)."""
    if status is None:
        return 5
    if 200 <= status < 300 or status in (301, 302, 303, 307, 308):
        return 0
    return {500: 1, 503: 4, 400: 2, 404: 2}.get(status, 5)


def _post(url, data):
    """POSTs one notification; returns (HTTP status or None, error text or None, Location)."""
    req = urllib.request.Request(url, data=data, method="POST", headers={
        "Content-Type": "application/json", "Accept": "application/json", "User-Agent": "Veritrans"})
    try:
        with _OPENER.open(req, timeout=15) as resp:  # Midtrans' documented 15 s timeout
            resp.read(MAX_BODY)
            return resp.status, None, None
    except urllib.error.HTTPError as e:
        try:
            e.read(MAX_BODY)
        except Exception:  # noqa: BLE001 - the body does not matter
            pass
        return e.code, None, e.headers.get("Location") if e.headers else None
    except Exception as e:  # noqa: BLE001 - refused, reset, timeout, bad URL: all recorded
        return None, f"{type(e).__name__}: {e}", None


# ----- HTTP ----------------------------------------------------------------------------------
class Handler(fake_http.Handler):
    """The Midtrans and control routes. HEAD is not served (501)."""

    server_version = "fake-midtrans/1"
    log_name = "fake_midtrans"
    max_body = MAX_BODY

    def internal_error_body(self, error):
        return {"status_code": "500", "status_message": f"fake_midtrans internal error: {error}"}

    def _route(self, method):
        fake = self.server.fake
        path = urllib.parse.urlsplit(self.path).path
        try:
            raw = self.read_body()
        except fake_http.BodyTooLarge:
            self.close_connection = True
            if path.startswith("/snap/"):
                return self._send(413, {"error_messages": ["Request body is too large (limit 1 MiB)"]})
            return self._send(413, {"status_code": "413", "status_message": "Request body is too large (limit 1 MiB)"})
        except ValueError as e:
            self.close_connection = True
            return self._send(400, {"status_code": "400", "status_message": f"Bad request: {e}"})

        if path.startswith("/_control/"):
            return self._control(method, path, raw)
        if path.startswith("/snap/v2/vtweb/"):
            fake.count_request("GET /snap/v2/vtweb/{token}")
            return self._snap_page(path[len("/snap/v2/vtweb/"):])

        snap = path == "/snap/v1/transactions"
        match = CORE_PATH_RE.match(path)
        if snap:
            endpoint = f"{method} /snap/v1/transactions"
            fake.count_request(endpoint)
        elif match:
            ident, action = urllib.parse.unquote(match.group(1)), match.group(2)
            endpoint = f"{method} /v2/{{id}}/{action}"
            fake.count_request(endpoint, ident)
        else:
            fake.count_request(f"{method} (unknown path)")
            return self._send(404, {"status_code": "404", "status_message": "The requested resource is not found"})

        outage = fake.take_outage()
        if outage is not None:
            mode, delay, release = outage
            if mode == "reset":
                return self._reset_connection()
            if mode == "error500":
                if snap:
                    return self._send(500, {"error_messages": [
                        "Sorry, we encountered internal server error. We will fix this soon."]})
                return self._send(500, {"status_code": "500", "id": str(uuid.uuid4()), "status_message":
                                        "Sorry. Our system is recovering from unexpected issues. Please retry."})
            # timeout: answer (and act) only after the delay
            release.wait(delay)
            if fake.stop.is_set():
                return self._reset_connection()

        if not fake.authorized(self.headers.get("Authorization")):
            with fake.lock:
                fake.counters["auth_failures"] += 1
            if snap:
                return self._send(401, {"error_messages": SNAP_UNAUTHORIZED})
            return self._send(401, {"status_code": "401", "status_message": CORE_UNAUTHORIZED, "id": str(uuid.uuid4())})

        try:
            if snap:
                if method != "POST":
                    raise HTTPFail(405, {"error_messages": ["HTTP method is not allowed"]})
                try:
                    data = json.loads(raw.decode("utf-8")) if raw.strip() else None
                except (ValueError, UnicodeDecodeError):
                    raise HTTPFail(400, {"error_messages": ["There was a problem in the JSON you submitted"]})
                if data is None:
                    raise HTTPFail(400, {"error_messages": ["transaction_details.order_id is required",
                                                            "transaction_details.gross_amount is required"]})
                code, body = fake.snap_create(data, self.headers)
                return self._send(code, body)
            wanted = "GET" if action == "status" else "POST"
            if method != wanted:
                raise fake.core_error(405, "HTTP method is not allowed.")
            if action == "status":
                code, body = fake.core_status(ident)
            elif action == "cancel":
                code, body = fake.core_cancel(ident)
            elif action == "expire":
                code, body = fake.core_expire(ident)
            else:
                try:
                    data = json.loads(raw.decode("utf-8")) if raw.strip() else None
                except (ValueError, UnicodeDecodeError):
                    raise fake.core_error(413, "The request cannot be processed due to syntax error in the request body.",
                                          http=400)
                code, body = fake.core_refund(ident, data)
            return self._send(code, body)
        except HTTPFail as fail:
            return self._send(fail.code, fail.body)

    def _control(self, method, path, raw):
        fake = self.server.fake
        name = path[len("/_control/"):].rstrip("/")
        try:
            if name == "state":
                if method != "GET":
                    raise HTTPFail(405, {"error": "use GET"})
                code, body = fake.control_state()
                return self._send(code, body)
            if method != "POST":
                raise HTTPFail(405, {"error": "use POST"})
            try:
                data = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError):
                raise HTTPFail(400, {"error": "malformed JSON"})
            if not isinstance(data, dict):
                raise HTTPFail(400, {"error": "the body must be a JSON object"})
            handlers = {"pay": fake.control_pay, "forge": fake.control_forge, "outage": fake.control_outage,
                        "notify-url": fake.control_notify_url, "drain": fake.control_drain}
            if name == "reset":
                fake.reset()
                return self._send(200, {"reset": True})
            if name not in handlers:
                raise HTTPFail(404, {"error": f"unknown control endpoint {path}"})
            code, body = handlers[name](data)
            return self._send(code, body)
        except HTTPFail as fail:
            return self._send(fail.code, fail.body)

    def _snap_page(self, token):
        fake = self.server.fake
        with fake.lock:
            tx = fake.by_token.get(token)
            info = (tx["order_id"], tx["gross_amount"], tx["transaction_status"]) if tx else None
        if info is None:
            return self._send(404, b"<html><body>Transaction not found.</body></html>", content_type="text/html")
        page = (f"<html><head><title>Fake Midtrans Snap</title></head><body><h1>Fake Midtrans Snap</h1>"
                f"<p>order_id: {_html(info[0])}</p><p>gross_amount: {money(info[1])} IDR</p>"
                f"<p>transaction_status: {_html(info[2] or 'none yet')}</p>"
                f"<p>Tests pay with POST /_control/pay.</p></body></html>")
        return self._send(200, page.encode("utf-8"), content_type="text/html; charset=utf-8")

    def _send(self, code, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        self.send_bytes(code, data, content_type)

    def _reset_connection(self):
        """Drops the connection with a TCP RST and no answer."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            os.close(self.connection.detach())
        except OSError:
            pass


def _html(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv=None):
    ap = argparse.ArgumentParser(description="Local fake of the Midtrans Snap and Core API.")
    ap.add_argument("--server-key", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--notify-url", default=None)
    ap.add_argument("--merchant-id", default="G000000001")
    ap.add_argument("--refund-any-payment-type", action="store_true",
                    help="also refund bank_transfer/echannel/cstore (real Midtrans refuses these)")
    ap.add_argument("--verbose", action="store_true", help="log requests to stderr")
    args = ap.parse_args(argv)

    fake = Fake(args.server_key, args.notify_url, args.merchant_id, args.refund_any_payment_type)
    server = fake_http.bind(Handler, fake, args.port, args.verbose)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    fake_http.serve_in_background(server)

    def stop():
        fake.stop.set()
        with fake.lock:
            fake.outage["release"].set()
        fake_http.close(server)

    fake_http.run_until_stdin_closes({"base_url": fake.base_url, "server_key": args.server_key}, stop)


if __name__ == "__main__":
    main()
