"""HTTP plumbing shared by the local fakes in Tests/Support (Midtrans/fake_midtrans.py,
International/fake_international.py). Standard library only (Python 3.11).

A fake imports it with its parent folder put first on sys.path, so it works from any cwd:

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    import fake_http

What is here is the part both fakes do the same way; what they answer (error bodies, routes,
the control API) stays in each fake:
  Handler        a keep-alive (HTTP/1.1) request handler: GET/POST/PUT/PATCH/DELETE go to
                 self._route(method), and an exception escaping it becomes a 500 with the body
                 self.internal_error_body(e), sent with the fake's own _send; request bodies
                 read with a size limit (max_body) and chunked encoding (read_body); answers
                 written with Content-Length (send_bytes); request lines logged to stderr only
                 when the server is verbose.
  Server         a threading HTTP server with daemon threads that stays silent about dropped
                 connections unless verbose.
  bind, serve_in_background, close
                 a server on 127.0.0.1 (port 0 = a free port) carrying the fake's state.
  run_until_stdin_closes
                 prints the one JSON line a ScriptServer reads, then serves until standard input
                 reaches EOF (the test process ending closes it).
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class BodyTooLarge(Exception):
    """A request body above the handler's max_body."""


class Handler(BaseHTTPRequestHandler):
    """Subclasses set server_version, log_name and max_body, and define _route(method),
    _send(code, body) (their own encoding of a body, written with send_bytes) and
    internal_error_body(error). HEAD is not routed (501) unless a subclass adds do_HEAD."""

    protocol_version = "HTTP/1.1"
    sys_version = ""
    log_name = "fake"
    max_body = 1 << 20

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write(f"{self.log_name}: " + (fmt % args) + "\n")

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_PUT(self):
        self._handle("PUT")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_DELETE(self):
        self._handle("DELETE")

    def _handle(self, method):
        try:
            self._route(method)
        except Exception as e:  # noqa: BLE001 - never crash on bad input
            try:
                self._send(500, self.internal_error_body(e))
            except Exception:  # noqa: BLE001
                self.close_connection = True

    def read_body(self):
        """The request body as bytes (b"" without one). Raises BodyTooLarge above max_body, and
        ValueError for a malformed Content-Length or chunked body."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                if not line:
                    raise ValueError("truncated chunked body")
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                total += size
                if total > self.max_body:
                    raise BodyTooLarge()
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length = self.headers.get("Content-Length")
        if length is None:
            return b""
        n = int(length)
        if n < 0:
            raise ValueError("negative Content-Length")
        if n > self.max_body:
            raise BodyTooLarge()
        return self.rfile.read(n)

    def send_bytes(self, code, data, content_type="application/json", headers=None):
        """Writes one answer with Content-Length (no body for HEAD); `Connection: close` when the
        connection is to be closed. A client gone away only closes the connection."""
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def bind(handler, fake, port=0, verbose=False):
    """A Server bound to 127.0.0.1:port (0 = a free port), not serving yet; handlers reach the
    fake's state as self.server.fake."""
    server = Server(("127.0.0.1", port), handler)
    server.fake, server.verbose = fake, verbose
    return server


def serve_in_background(server):
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    return thread


def close(server):
    """Stops serving and closes the listening socket."""
    server.shutdown()
    server.server_close()


def run_until_stdin_closes(ready, stop):
    """Prints `ready` as one JSON line (the only stdout output), waits until standard input reaches
    EOF (or Ctrl-C), then calls stop()."""
    print(json.dumps(ready), flush=True)
    try:
        while sys.stdin.buffer.read(65536):
            pass
    except (KeyboardInterrupt, OSError, ValueError):
        pass
    finally:
        stop()
