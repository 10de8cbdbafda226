#!/usr/bin/env python3
"""A generic OpenAPI 3.x fuzzer: every operation of a service's document, attacked with seeded requests.

    python3 openapi_fuzz.py --base-url http://127.0.0.1:8003 --spec http://127.0.0.1:8003/api/v1/cms/openapi.json \
        [--header 'Authorization: Bearer TOKEN']... [--path-value tenant=jatim]... [--cases 60] [--seed 0] \
        [--skip-operation 'DELETE /api/v1/cms/admin/sites/{tenant}/news/{id}']...

For each operation (path and method; a JSON document, local $refs) a third of the requests are valid
for the schemas, so that deep code paths are reached, and the rest carry one hostile change each:
edge strings and numbers swept through the body's fields one at a time, and random mutations: wrong
types, missing or extra fields, JSON nested 10,000 deep, duplicate keys, truncated or non-JSON
bodies, wrong Content-Type, broken multipart, hostile path segments, query parameters and headers. Values seen in successful answers (ids, ETags) are reused, so that
operations on existing items are reached too: POST runs first, DELETE last.

A request fails when the answer is a 5xx (a 503 the operation documents is allowed), when there is no
answer within 10 s or the connection is closed without one, or when a body that claims to be JSON
does not parse. After each operation's batch GET /healthz must answer 200. The CLI prints one line
per operation, then `N operations, M failures`, and exits 1 on a failure. Standard library only;
plain HTTP only (the services are fuzzed on loopback).
"""

import argparse
import base64
import collections
import copy
import datetime
import http.client
import json
import random
import re
import socket
import struct
import sys
import threading
import urllib.parse
import urllib.request
import uuid
import zlib
from dataclasses import dataclass, field

# Also the order operations are fuzzed in: what creates, what reads (an ETag, a version), what changes.
METHODS = ("post", "get", "head", "options", "put", "patch", "delete")
TIMEOUT = 10.0
HUGE = 64 * 1024
MAX_DEPTH = 6  # how deep valid values nest (schemas may be recursive)

# Edge values, the likeliest to break something first (a field sweep tries them in this order).
EDGE_NUMBERS = [2**63, -2**63 - 1, 1e308, 1.5, 2**31, -0.0, "NaN", -1, 0, 10**40]
EDGE_STRINGS = ["a\u0000b", "\ud800", "a" * HUGE, "e" + "\u0301" * 300, "\U0001F600" * 40, "\u202eevil\u202c", "",
                "\u0000", "\udfff\ud800x", "fuzz\u0000", "\ufeff\u200b", "../../etc/passwd", "' OR 1=1 --",
                "<script>x</script>", "\r\nX-Injected: 1"]
OTHER_VALUES = [None, True, False, [], {}, [[[]]], {"": None}, [None] * 100]
EXTRA_KEYS = ["fuzz_extra", "", "__proto__", "constructor", "\u0000", "a" * 1000]
PATH_ATTACKS = ["..", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f%2e%2e", "%00", "a%00b",
                "a" * 8192, "%ff%fe", "%F0%9F%98%80", "%E2%80%AE", "", "%20", "%", "%zz", "-1", str(2**63), "1.5",
                "null", "%27", "*", ".", ";", "%0D%0AX:1", "%C0%AE%C0%AE"]
QUERY_EDGES = ["", "NaN", "-0", "1.5", "1e308", "-1", str(2**31), str(2**63), str(-2**63 - 1), "9" * 30, "0x10",
               "true", "null", "%00", "%ff", "%E2%80%AE", "%5B%5D", "..%2F..%2F", "a" * 16384]
HEADER_GARBAGE = ['"', "*", 'W/"x"', '"99999999999999999999"', '"-1"', '"1", "2"', "garbage", "",
                  '"' + "9" * 4000 + '"', "\u00ff\u00fe", "\u202e\U0001F600", "x" * 16384]
HEADER_NAMES = ["If-Match", "If-None-Match", "Authorization", "Accept", "X-Request-ID", "traceparent", "Cookie"]
CONTENT_TYPES = ["text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                 "application/json; charset=utf-16", "garbage", "", "application/json; boundary=" + "x" * 1000]
NOT_JSON = [b"not json", b"<a/>", b"a=1&b=2", b"{'single': 1}", b"[1,2,]", b'{"a":1}{"b":2}', b'{"a": NaN}',
            b"1e99999", b'"just a string"', b"null", b"\xff\xfe\x00{", b"{\"a\":\"\xc3\x28\"}", bytes(range(256))]


class NoAnswer(Exception):
    """The service gave no (complete) HTTP answer."""


@dataclass
class Operation:
    """One method on one path of the document, its parameters and request body resolved."""
    method: str
    template: str
    parameters: list
    body: dict | None
    responses: set

    @property
    def name(self):
        return f"{self.method.upper()} {self.template}"


@dataclass
class Draft:
    """A request before it is written: path values and query pairs already percent-encoded, the body
    as a value of `media_type` unless `raw` replaces it."""
    path: dict = field(default_factory=dict)
    query: list = field(default_factory=list)
    headers: dict = field(default_factory=dict)
    media_type: str | None = None
    value: object = None
    raw: bytes | None = None
    content_type: str | None = None
    boundary: str = "fuzz-boundary"
    label: str = "valid"


# -- the document ------------------------------------------------------------------------------

def load_spec(spec, headers=None):
    """The OpenAPI document: a dict as it is, an http(s) URL fetched (with `headers`), anything else a JSON file."""
    if isinstance(spec, dict):
        return spec
    if spec.startswith(("http://", "https://")):
        with urllib.request.urlopen(urllib.request.Request(spec, headers=headers or {}), timeout=TIMEOUT) as response:
            return json.load(response)
    with open(spec, encoding="utf-8") as handle:
        return json.load(handle)


def resolve(document, node):
    """`node` with local $refs ("#/components/...") followed; a foreign or cyclic $ref gives {}."""
    seen = set()
    while isinstance(node, dict) and "$ref" in node:
        reference = node["$ref"]
        if not reference.startswith("#/") or reference in seen:
            return {}
        seen.add(reference)
        node = document
        for part in reference[2:].split("/"):
            node = node.get(part.replace("~1", "/").replace("~0", "~"), {})
    return node


def operations(document):
    """Every operation, in the order of METHODS, those with fewer path parameters first within a
    method (so that /items creates what /items/{id}/publish then uses)."""
    server = (document.get("servers") or [{}])[0].get("url", "")
    prefix = urllib.parse.urlsplit(server).path.rstrip("/") if "{" not in server else ""
    found = []
    for template, item in document.get("paths", {}).items():
        item = resolve(document, item)
        shared = [resolve(document, parameter) for parameter in item.get("parameters", [])]
        for method in METHODS:
            if method not in item:
                continue
            operation = resolve(document, item[method])
            own = [resolve(document, parameter) for parameter in operation.get("parameters", [])]
            overridden = {(parameter.get("name"), parameter.get("in")) for parameter in own}
            parameters = own + [p for p in shared if (p.get("name"), p.get("in")) not in overridden]
            body = resolve(document, operation["requestBody"]) if "requestBody" in operation else None
            responses = {str(status) for status in operation.get("responses", {})}
            found.append(Operation(method, prefix + template, parameters, body, responses))
    found.sort(key=lambda operation: (METHODS.index(operation.method), operation.template.count("{")))
    return found


def parameter_schema(document, parameter):
    """A parameter's schema, from `schema` or from its first `content` entry."""
    if "schema" in parameter:
        return resolve(document, parameter["schema"])
    for media in parameter.get("content", {}).values():
        return resolve(document, media.get("schema", {}))
    return {}


# -- values --------------------------------------------------------------------------------------

def tiny_png(rng, width, height):
    """A real RGB PNG with random pixels: binary fields (uploads) often must be images."""
    rows = b"".join(b"\x00" + bytes(rng.randrange(256) for _ in range(width * 3)) for _ in range(height))

    def chunk(kind, data):  # length, type, data, CRC
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Generator:
    """Values for schemas from a seeded random generator: valid ones, and valid ones with one hostile change."""

    def __init__(self, document, rng):
        self.document = document
        self.rng = rng
        self.optional_rate = 0.5  # how often an optional property is filled in

    def valid(self, schema, name="", depth=0):
        """A value that the schema accepts (`pattern` aside); property names hint at dates, URLs, slugs."""
        schema = resolve(self.document, schema)
        if not isinstance(schema, dict):
            return None
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return self.rng.choice(schema["enum"])
        if schema.get("allOf"):
            return self.valid(self.merge(schema["allOf"]), name, depth)
        for combinator in ("oneOf", "anyOf"):
            if schema.get(combinator):
                return self.valid(self.rng.choice(schema[combinator]), name, depth)
        if schema.get("nullable") and self.rng.random() < 0.2:
            return None
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = self.rng.choice(kind)
        if kind is None:
            kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
        if kind == "boolean":
            return self.rng.random() < 0.5
        makers = {"object": self.valid_object, "array": self.valid_array, "string": self.valid_string,
                  "integer": self.valid_number, "number": self.valid_number}
        return makers[kind](schema, name, depth) if kind in makers else None

    def merge(self, schemas):
        """allOf as one schema: properties and required lists joined, the first of any other keyword."""
        merged = {}
        for part in schemas:
            part = resolve(self.document, part)
            if part.get("allOf"):
                part = self.merge(part["allOf"])
            for key, value in part.items():
                if key == "properties":
                    merged.setdefault("properties", {}).update(value)
                elif key == "required":
                    merged["required"] = merged.get("required", []) + list(value)
                else:
                    merged.setdefault(key, value)
        return merged

    def valid_object(self, schema, name, depth):
        """Every required property, optional ones at `optional_rate`, extra ones where additionalProperties allows."""
        required = set(schema.get("required", []))
        value = {}
        for key, child in schema.get("properties", {}).items():
            child = resolve(self.document, child)
            wanted = depth < MAX_DEPTH and not child.get("readOnly") and self.rng.random() < self.optional_rate
            if key in required or wanted:
                value[key] = self.valid(child, key, depth + 1)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and depth < MAX_DEPTH:
            for _ in range(self.rng.randint(0, 2)):
                value[self.word()] = self.valid(extra, "", depth + 1)
        return value

    def valid_array(self, schema, name, depth):
        """Up to three items (within minItems and maxItems)."""
        low = schema.get("minItems", 0)
        high = low if depth >= MAX_DEPTH else max(low, min(schema.get("maxItems", low + 3), low + 3))
        return [self.valid(schema.get("items", {}), name, depth + 1) for _ in range(self.rng.randint(low, high))]

    def valid_string(self, schema, name, depth):
        """A string of the schema's format; else a slug-like word, or a short title with accents."""
        kind, name = schema.get("format", ""), name.lower()
        if kind == "binary":
            return tiny_png(self.rng, self.rng.randint(1, 40), self.rng.randint(1, 40))
        if kind == "byte":
            return base64.b64encode(self.rng.randbytes(self.rng.randint(0, 30))).decode()
        if kind == "uuid" or name == "id" or name.endswith("_id"):
            return self.uuid()
        moment = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=self.rng.randrange(40 * 365 * 86400))
        if kind == "date-time":
            return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
        if kind == "date" or "date" in name or name in ("start", "end"):
            return moment.strftime("%Y-%m-%d")
        if kind in ("uri", "url") or name.endswith(("url", "src", "href", "link")):
            return f"https://example.com/{self.word()}"
        if kind == "email" or "email" in name:
            return f"{self.word()}@example.com"
        text = self.word()
        if self.rng.random() < 0.3 and "slug" not in name:
            text = f"Judul {text} \u00e9\u00e8 {self.rng.randint(1, 99)}"
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10**6)
        return (text + "x" * max(0, low - len(text)))[:high]

    def valid_number(self, schema, name, depth):
        """A small integer or number within minimum and maximum."""
        low = schema.get("minimum", 0)
        high = max(low, schema.get("maximum", low + 100))
        if schema.get("type") == "integer":
            return self.rng.choice([low, min(low + 1, high), self.rng.randint(int(low), int(high))])
        return round(self.rng.uniform(low, high), 3)

    def word(self):
        """A slug-like word, acceptable to most string rules."""
        return "fuzz-" + "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(6))

    def uuid(self):
        """A random (but seeded) UUID."""
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hostile(self):
        """One edge value: a number, a string, or a value of some other JSON type."""
        family = self.rng.choice([EDGE_NUMBERS, EDGE_STRINGS, OTHER_VALUES])
        return copy.deepcopy(self.rng.choice(family))

    def mutate(self, value):
        """`value` with one hostile change at a random place: a field replaced (wrong type, edge value,
        null), a field removed (required ones are always there) or an unknown field added."""
        places = list(self.places(value))
        if not places or self.rng.random() < 0.1:
            return self.hostile()
        container, key = self.rng.choice(places)
        action = self.rng.choice(["replace", "replace", "null", "remove", "extra"])
        if isinstance(container, dict) and action == "remove":
            del container[key]
        elif isinstance(container, dict) and action == "extra":
            container[self.rng.choice(EXTRA_KEYS)] = self.hostile()
        elif action == "null":
            container[key] = None
        else:
            container[key] = self.replacement(container[key])
        return value

    def replacement(self, old):
        """A hostile value for `old`: mostly one of its own type (that passes type checks and reaches
        deeper), else anything."""
        if isinstance(old, str) and self.rng.random() < 0.6:
            return self.rng.choice(EDGE_STRINGS)
        if isinstance(old, (int, float)) and not isinstance(old, bool) and self.rng.random() < 0.6:
            return self.rng.choice(EDGE_NUMBERS)
        return self.hostile()

    def places(self, value, depth=0):
        """(container, key) for every field and item inside `value`."""
        children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
        for key, child in list(children):
            yield value, key
            if depth < 20:
                yield from self.places(child, depth + 1)


# -- requests ------------------------------------------------------------------------------------

class Memory:
    """Values from successful answers (fields of the JSON, the ETag), by the path template that gave
    them; an operation recalls those of its own template and of the templates its path extends."""

    def __init__(self):
        self.values = collections.defaultdict(list)

    def learn(self, template, answer):
        """Remembers the ETag and the scalar fields of a 2xx JSON answer (and of the items it lists)."""
        if not 200 <= answer.status < 300:
            return
        found = [("ETag", answer.headers["ETag"])] if answer.headers["ETag"] else []
        try:
            body = json.loads(answer.body) if answer.body else None
        except ValueError:
            body = None
        objects = []
        if isinstance(body, dict):
            objects.append(body)
            for item in body.values():  # the items of a list answer
                if isinstance(item, list):
                    objects += [one for one in item if isinstance(one, dict)]
        for one in objects:
            for key, value in one.items():
                if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
                    found.append((key, value))
        for key, value in found:
            known = self.values[(template, key)]
            if value not in known:
                self.values[(template, key)] = known[-19:] + [value]

    def recall(self, template, key):
        """The values remembered for `key` from `template` and from the templates it extends."""
        return [value for (known, name), values in self.values.items()
                if name == key and template.startswith(known) for value in values]


def quote(value):
    """A parameter value as URL text: booleans as true/false, everything percent-encoded."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return urllib.parse.quote(str(value), safe="", errors="surrogatepass")


class Requests:
    """Drafts for one operation: valid ones, and valid ones with one hostile change (a mutation)."""

    def __init__(self, document, rng, memory, path_values):
        self.document, self.rng, self.memory, self.path_values = document, rng, memory, path_values
        self.values = Generator(document, rng)

    def valid(self, operation):
        """A draft that the document allows: every required parameter and body property, some optional ones."""
        draft = Draft(boundary=f"fuzz{self.rng.getrandbits(64):x}")
        # Minimal values half the time: the most likely to be accepted (documents often list, in a
        # request body, properties that only answers have, such as id or created_at).
        self.values.optional_rate = self.rng.choice([0.0, 0.0, 0.3, 0.8])
        self.add_parameters(operation, draft)
        if operation.body:
            self.add_valid_body(operation, draft)
        return draft

    def add_parameters(self, operation, draft):
        """Path values, query pairs and headers for the operation's parameters."""
        for parameter in operation.parameters:
            name, where = parameter.get("name", ""), parameter.get("in")
            schema = parameter_schema(self.document, parameter)
            wanted = parameter.get("required") or self.rng.random() < 0.5
            if where == "path":
                draft.path[name] = quote(self.path_value(operation, name, schema))
            elif where == "query" and wanted:
                value = self.values.valid(schema, name)
                for item in value if isinstance(value, list) else [value]:
                    draft.query.append((quote(name), quote(item if not isinstance(item, dict) else json.dumps(item))))
            elif where == "header" and wanted:
                known = self.memory.recall(operation.template, "ETag") if name.lower().startswith("if-") else []
                draft.headers[name] = self.rng.choice(known) if known else str(self.values.valid(schema, name))

    def add_valid_body(self, operation, draft):
        """A body of the operation's first JSON media type (else its first); changes reuse remembered
        values half the time (the version an earlier answer gave, say)."""
        content = operation.body.get("content", {})
        json_types = [media for media in content if media.endswith("json")]
        draft.media_type = json_types[0] if json_types else next(iter(content), None)
        if draft.media_type:
            draft.value = self.values.valid(content[draft.media_type].get("schema", {}))
        if isinstance(draft.value, dict) and operation.method != "post":
            for key in draft.value:
                known = self.memory.recall(operation.template, key)
                if known and self.rng.random() < 0.5:
                    draft.value[key] = self.rng.choice(known)

    def path_value(self, operation, name, schema):
        """The --path-value given, else half the time a value an earlier answer named, else a new one."""
        if name in self.path_values:
            return self.path_values[name]
        known = self.memory.recall(operation.template, name) or self.memory.recall(operation.template, "id")
        return self.rng.choice(known) if known and self.rng.random() < 0.5 else self.values.valid(schema, name)

    def hostile(self, operation):
        """A valid draft with one mutation from a family that applies to the operation."""
        draft = self.valid(operation)
        families = [self.mutate_query, self.mutate_header]
        families += [self.mutate_path] if draft.path else []
        if draft.media_type:  # changed values reach deepest: twice the weight
            families += [self.mutate_value, self.mutate_value, self.mutate_raw, self.mutate_content_type]
        else:
            families.append(self.add_body)
        self.rng.choice(families)(operation, draft)
        return draft

    def sweep(self, operation, step):
        """A valid draft with one string or number field set to an edge value, chosen by `step`: over
        the steps each field gets each edge value in turn, which random mutations may never do."""
        draft = self.valid(operation)
        places = [(container, key) for container, key in self.values.places(draft.value)
                  if isinstance(container[key], (str, int, float)) and not isinstance(container[key], bool)]
        if not places:
            return self.hostile(operation)
        container, key = places[step % len(places)]
        edges = EDGE_STRINGS if isinstance(container[key], str) else EDGE_NUMBERS
        container[key] = edges[step // len(places) % len(edges)]
        draft.label = f"field sweep: {key}={str(container[key])[:20]!r}"
        return draft

    def mutate_path(self, operation, draft):
        """One path value replaced: traversal, encoded NUL, a very long segment, bad encoding, edge values."""
        name = self.rng.choice(sorted(draft.path))
        draft.path[name] = self.rng.choice(PATH_ATTACKS + [quote(self.values.hostile())])
        draft.label = f"path {name}={draft.path[name][:40]}"

    def mutate_query(self, operation, draft):
        """One query parameter: an edge value, repeated 200 times, without a value, or an unknown one."""
        names = [quote(p.get("name", "")) for p in operation.parameters if p.get("in") == "query"] or ["fuzz"]
        name, action = self.rng.choice(names), self.rng.choice(["edge", "edge", "repeated", "bare", "unknown"])
        draft.query = [(key, value) for key, value in draft.query if key != name]
        if action == "repeated":
            draft.query += [(name, self.rng.choice(QUERY_EDGES[:12])) for _ in range(200)]
        elif action == "bare":
            draft.query.append((name, None))
        elif action == "unknown":
            draft.query.append((self.rng.choice(["%00", "a" * 4096, name + "%5B%5D", "__proto__"]), "1"))
        else:
            draft.query.append((name, self.rng.choice(QUERY_EDGES)))
        draft.label = f"query {name}: {action}"

    def mutate_header(self, operation, draft):
        """One header given garbage (If-Match, Authorization, ...), or the caller's token left out."""
        names = HEADER_NAMES + [p.get("name", "") for p in operation.parameters if p.get("in") == "header"]
        name = self.rng.choice(names)
        if name == "Authorization" and self.rng.random() < 0.3:
            draft.headers[name] = None  # sent without the caller's token
        else:
            draft.headers[name] = self.rng.choice(HEADER_GARBAGE + ["Bearer", "Bearer a.b.c", "Basic Zm9vOmJhcg=="])
        draft.label = f"header {name}: {str(draft.headers[name])[:40]!r}"

    def mutate_value(self, operation, draft):
        """One field of the body changed (see Generator.mutate)."""
        draft.value = self.values.mutate(draft.value)
        draft.label = "body value"

    def mutate_content_type(self, operation, draft):
        """The valid body sent under a wrong Content-Type, sometimes as an empty body."""
        draft.content_type = self.rng.choice(CONTENT_TYPES)
        if self.rng.random() < 0.3:
            draft.raw = b""
        draft.label = f"Content-Type {draft.content_type!r}" + (" and no body" if draft.raw == b"" else "")

    def add_body(self, operation, draft):
        """A JSON body, possibly broken, for an operation that takes none."""
        draft.media_type, draft.value = "application/json", {"fuzz": self.values.hostile()}
        if self.rng.random() < 0.5:
            self.mutate_raw(operation, draft)
        draft.label = "a body where none is expected"

    def mutate_raw(self, operation, draft):
        """The body as broken text: broken multipart for forms, broken JSON for everything else."""
        if draft.media_type.startswith("multipart/"):
            label, draft.raw, draft.content_type = self.rng.choice(self.broken_multipart(draft))
        else:
            label, draft.raw = self.rng.choice(self.broken_json(draft))
        draft.label = f"raw body: {label}"

    def broken_json(self, draft):
        """(label, body) for JSON broken in one way each: nesting, truncation, duplicate keys, encodings."""
        text = encode_body(draft)[0]
        duplicated = b"{}"
        if isinstance(draft.value, dict) and draft.value:
            pairs = list(draft.value.items())
            pairs.insert(self.rng.randint(0, len(pairs)), (self.rng.choice(pairs)[0], self.values.hostile()))
            duplicated = ("{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in pairs) + "}").encode()
        return [
            ("arrays nested 10,000 deep", b"[" * 10000 + b"]" * 10000),
            ("objects nested 10,000 deep", b'{"a":' * 10000 + b"1" + b"}" * 10000),
            ("10,000 unclosed arrays", b"[" * 10000),
            ("truncated", text[:self.rng.randrange(max(1, len(text)))]),
            ("a duplicate key", duplicated),
            ("not JSON", self.rng.choice(NOT_JSON)),
            ("a byte order mark", b"\xef\xbb\xbf" + text),
            ("raw lone surrogates", json.dumps({"a": "\ud800"}, ensure_ascii=False).encode("utf-8", "surrogatepass")),
            ("empty", b""),
        ]

    def broken_multipart(self, draft):
        """(label, body, Content-Type) for forms broken in one way each."""
        parts, boundary = multipart_parts(draft.value), draft.boundary
        good = multipart_bytes(parts, boundary)
        form = f"multipart/form-data; boundary={boundary}"
        text_part = 'Content-Disposition: form-data; name="alt"'
        file_index = next((i for i, (head, _) in enumerate(parts) if "filename=" in head), None)

        def with_file(content=None, filename=None):  # the form with its file part changed
            changed = list(parts)
            if file_index is not None:
                head, old = changed[file_index]
                if filename is not None:
                    head = head.replace('filename="fuzz.png"', f'filename="{filename}"')
                changed[file_index] = (head, old if content is None else content(old))
            return multipart_bytes(changed, boundary)

        bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + struct.pack(">II", 65535, 65535) + b"\x08\x02\x00\x00\x00"
        return [
            ("no closing boundary", good[:good.rfind(b"--" + boundary.encode())], form),
            ("another boundary in the body", multipart_bytes(parts, "other-boundary"), form),
            ("no boundary parameter", good, "multipart/form-data"),
            ("a 200-character boundary", multipart_bytes(parts, "b" * 200), f"multipart/form-data; boundary={'b' * 200}"),
            ("a part without Content-Disposition", multipart_bytes([("Content-Type: text/plain", b"x")] + parts, boundary),
             form),
            ("part headers that never end", f"--{boundary}\r\n".encode() + b"X-Fuzz: y\r\n" * 2000, form),
            ("LF line endings", multipart_bytes(parts, boundary, newline=b"\n"), form),
            ("every part twice", multipart_bytes(parts + parts, boundary), form),
            ("1,000 empty parts", multipart_bytes([(text_part, b"")] * 1000 + parts, boundary), form),
            ("a 64 KiB text part", multipart_bytes(parts + [(text_part, b"a" * HUGE)], boundary), form),
            ("truncated", good[:self.rng.randrange(max(1, len(good)))], form),
            ("a JSON body", b'{"file": "x"}', form),
            ("empty", b"", form),
            ("file name ../../etc/passwd", with_file(filename="../../etc/passwd"), form),
            ("file name with NUL and RTL", with_file(filename="a\u0000b\u202egnp.exe"), form),
            ("file cut short", with_file(content=lambda old: old[:len(old) // 2]), form),
            ("file of random bytes", with_file(content=lambda old: self.rng.randbytes(len(old) or 10)), form),
            ("empty file", with_file(content=lambda old: b""), form),
            ("PNG header claiming 65535 x 65535", with_file(content=lambda old: bomb), form),
        ]


def multipart_parts(value):
    """(part headers, content) per form field; bytes are files, lists repeat, non-strings become JSON."""
    parts = []
    for name, item in (value.items() if isinstance(value, dict) else [("value", value)]):
        for one in item if isinstance(item, list) else [item]:
            disposition = f'Content-Disposition: form-data; name="{name}"'
            if isinstance(one, bytes):
                kind = "image/png" if one.startswith(b"\x89PNG") else "application/octet-stream"
                parts.append((f'{disposition}; filename="fuzz.png"\r\nContent-Type: {kind}', one))
            else:
                text = one if isinstance(one, str) else json.dumps(one)
                parts.append((disposition, text.encode("utf-8", "surrogatepass")))
    return parts


def multipart_bytes(parts, boundary, newline=b"\r\n"):
    """A multipart body of `parts`, with `newline` as its line ending."""
    body = b""
    for head, content in parts:
        body += f"--{boundary}".encode() + newline + head.encode("utf-8", "surrogatepass").replace(b"\r\n", newline)
        body += newline + newline + content + newline
    return body + f"--{boundary}--".encode() + newline


def encode_body(draft):
    """(body bytes, Content-Type or None) for a draft."""
    media = draft.media_type
    if draft.raw is not None:
        return draft.raw, draft.content_type if draft.content_type is not None else media
    if media is None:
        return b"", draft.content_type
    if media.startswith("multipart/form-data"):
        body = multipart_bytes(multipart_parts(draft.value), draft.boundary)
        kind = f"{media}; boundary={draft.boundary}"
    elif media == "application/x-www-form-urlencoded" and isinstance(draft.value, dict):
        body, kind = urllib.parse.urlencode({k: str(v) for k, v in draft.value.items()}).encode(), media
    elif isinstance(draft.value, bytes):
        body, kind = draft.value, media
    else:
        text = json.dumps(draft.value, default=lambda data: base64.b64encode(data).decode())
        body, kind = text.encode("utf-8", "surrogatepass"), media
    return body, draft.content_type if draft.content_type is not None else kind


def target(operation, draft):
    """The request target: the path with its values in place, then the query."""
    path = re.sub(r"\{([^}/]+)\}", lambda match: draft.path.get(match.group(1), "x"), operation.template)
    pairs = [key if value is None else f"{key}={value}" for key, value in draft.query]
    return path + ("?" + "&".join(pairs) if pairs else "")


# -- HTTP ----------------------------------------------------------------------------------------

Answer = collections.namedtuple("Answer", "status headers body")


def send(base_url, method, path, headers, body, timeout=TIMEOUT):
    """One request on a new connection (Connection: close). The body is written on its own thread,
    so that an answer given before the body was read (413, 401) is still heard. NoAnswer when the
    connection fails, closes without a complete answer, or is silent for `timeout` seconds."""
    url = urllib.parse.urlsplit(base_url)
    try:
        connection = socket.create_connection((url.hostname, url.port or 80), timeout=timeout)
    except OSError as error:
        raise NoAnswer(f"cannot connect ({error})")
    lines = [f"{method} {path} HTTP/1.1", f"Host: {url.netloc}", "Connection: close", f"Content-Length: {len(body)}"]
    head = "".join(line + "\r\n" for line in lines).encode("latin-1")
    for name, value in headers.items():
        head += f"{name}: ".encode("latin-1") + value.encode("utf-8", "surrogatepass") + b"\r\n"

    def write():  # an error here shows as a missing answer below
        try:
            connection.sendall(head + b"\r\n" + body)
        except OSError:
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    response = http.client.HTTPResponse(connection, method=method)
    try:
        response.begin()
        return Answer(response.status, response.headers, response.read())
    except TimeoutError:
        raise NoAnswer(f"no answer within {timeout:.0f} s")
    except (OSError, http.client.HTTPException) as error:
        raise NoAnswer(f"no answer: {type(error).__name__}: {error}")
    finally:
        connection.close()
        writer.join(timeout)


def refuse_constant(constant):
    """NaN and Infinity are not JSON, though Python's parser takes them."""
    raise ValueError(f"{constant} is not JSON")


def judge(operation, answer):
    """None when the answer is acceptable, else what is wrong with it."""
    if answer.status >= 500 and not (answer.status == 503 and "503" in operation.responses):
        return f"{answer.status}"
    media = answer.headers.get_content_type()
    claims_json = media == "application/json" or media.endswith("+json")
    if claims_json and answer.status not in (204, 304) and operation.method != "head":
        try:
            json.loads(answer.body, parse_constant=refuse_constant)
        except ValueError as error:
            return f"{answer.status} whose body claims application/json but does not parse ({error})"
    return None


# -- the run -------------------------------------------------------------------------------------

def fuzz_operation(base_url, operation, requests, headers, cases, memory):
    """Sends `cases` requests for one operation: a third valid, a third field sweeps (when there is a
    body), the rest random mutations; (ok, detail)."""
    statuses = collections.Counter()
    failures = []
    for number in range(cases):
        if number % 3 == 0:
            draft = requests.valid(operation)
        elif number % 3 == 1 and operation.body:
            draft = requests.sweep(operation, number // 3)
        else:
            draft = requests.hostile(operation)
        body, content_type = encode_body(draft)
        sent = {name: value for name, value in {**headers, **draft.headers}.items() if value is not None}
        if content_type is not None:
            sent["Content-Type"] = content_type
        path = target(operation, draft)
        request = f"{operation.method.upper()} {base_url}{path[:300]} ({draft.label}) body={body[:300]!r}"
        try:
            answer = send(base_url, operation.method.upper(), path, sent, body)
        except NoAnswer as error:
            statuses["no answer"] += 1
            failures.append(f"{error} for {request}")
            continue
        statuses[answer.status] += 1
        memory.learn(operation.template, answer)
        problem = judge(operation, answer)
        if problem:
            failures.append(f"{problem} for {request} answer={answer.body[:300]!r}")
    counts = ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items(), key=str))
    if failures:
        more = f" (and {len(failures) - 1} more failing requests)" if len(failures) > 1 else ""
        return False, failures[0] + more
    return True, f"{cases} requests, statuses {{{counts}}}"


def healthy(base_url, health_path):
    """None when GET health_path answers 200, else why not."""
    try:
        answer = send(base_url, "GET", health_path, {}, b"")
    except NoAnswer as error:
        return f"GET {health_path}: {error}"
    return None if answer.status == 200 else f"GET {health_path} answered {answer.status}"


def fuzz(base_url, spec, headers=None, path_values=None, cases=60, seed=0, skip=(), health_path="/healthz",
         progress=None):
    """Fuzzes every operation of `spec` (URL, file or dict) against `base_url`; a list of
    (name, ok, detail). `progress`, when given, is called with each result as it comes."""
    document = load_spec(spec, headers)
    base_url = base_url.rstrip("/")
    memory = Memory()
    results = []
    for operation in operations(document):
        if operation.name in skip:
            continue
        rng = random.Random(f"{seed}:{operation.name}")
        requests = Requests(document, rng, memory, dict(path_values or {}))
        ok, detail = fuzz_operation(base_url, operation, requests, dict(headers or {}), cases, memory)
        dead = healthy(base_url, health_path)
        if dead:
            ok, detail = False, f"the service is down after the batch ({dead}); {detail}"
        results.append((operation.name, ok, detail))
        if progress:
            progress(results[-1])
        if dead:
            break  # every further request would fail the same way
    return results


def main():
    """The command line: one line per operation and a summary; exit status 1 on a failure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True, help="the service, e.g. http://127.0.0.1:8003")
    parser.add_argument("--spec", required=True, help="the OpenAPI document (JSON): a URL or a file")
    parser.add_argument("--header", action="append", default=[], help="'Name: value', sent with every request")
    parser.add_argument("--path-value", action="append", default=[], help="name=value for a path parameter")
    parser.add_argument("--cases", type=int, default=60, help="requests per operation (default 60)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random generator (default 0)")
    parser.add_argument("--skip-operation", action="append", default=[], help="'METHOD /path/{name}' to leave out")
    parser.add_argument("--health-path", default="/healthz", help="checked for 200 after each operation")
    arguments = parser.parse_args()
    headers, path_values = {}, {}
    for line in arguments.header:
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    for item in arguments.path_value:
        name, _, value = item.partition("=")
        path_values[name] = value

    def show(result):  # as each operation finishes
        name, ok, detail = result
        print(f"ok {name} ({detail})" if ok else f"FAIL {name}: {detail}", flush=True)

    try:
        results = fuzz(arguments.base_url, arguments.spec, headers, path_values, arguments.cases, arguments.seed,
                       set(arguments.skip_operation), arguments.health_path, show)
    except (OSError, ValueError) as error:  # no document to fuzz
        print(f"FAIL {arguments.spec}: {type(error).__name__}: {error}", flush=True)
        sys.exit(1)
    failures = sum(1 for _, ok, _ in results if not ok)
    print(f"{len(results)} operations, {failures} failures", flush=True)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
