"""``claimcheck serve``: the HTML report with review buttons, writing to the review store.

A small standard-library HTTP server (no framework to install, nothing to configure), meant for a
fact-checker's own machine or a newsroom's intranet:

- binds to 127.0.0.1 unless told otherwise, and answers only requests whose ``Host`` names this
  server (an address, or one of this machine's names or ``--allow-host``), against DNS rebinding;
- every POST must carry the server's CSRF token (a random secret made at start-up, put in each
  form), and is refused when the browser says it comes from another site (``Origin``,
  ``Referer`` or ``Sec-Fetch-Site``);
- accepts only known stories, finding ids and statuses, and refuses (409) a decision made on a
  page whose evidence has changed since it was loaded; article text is only ever escaped into
  HTML, never run; pages carry a Content-Security-Policy that allows no script but our own;
- remembers the reviewer's name: a decision's "Reviewer" field is kept in a cookie
  (``REVIEWER_COOKIE``: HttpOnly, SameSite=Strict, percent-encoded) and filled in, escaped, on
  the next page; it is only a default for a form field, never a credential;
- each request uses its own database connection and writes in a transaction
  (``review.store``), so reviewers acting at once lose nothing;
- under load: a listen backlog of ``LISTEN_BACKLOG``, a fixed pool of worker threads and a
  bounded queue of accepted connections; past that a connection gets 503 with Retry-After,
  never a reset. Each request must arrive whole within ``request_timeout`` (a slowloris client
  holds one thread for that long at most, then gets 408), and every connection is closed
  gently (its unread input drained), since closing a socket with unread input sends a reset
  that can destroy the response before the client reads it.

Stories are checked once at start-up (and again on "Check again"); pages read the latest
decisions from the database on every request. A story that fails to check, at start-up or
later, is listed as failed with the problem in one line, and the rest are served as before.
"""
from __future__ import annotations

import copy
import hmac
import html
import io
import ipaddress
import json
import queue
import re
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from checker.review.store import (MAX_REVIEWER, STATUSES, CheckScope, ReviewStore, StaleEvidence, attach_reviews,
                                  os_user)
from claims.errors import InputError, stage_failure

MAX_BODY = 64 * 1024
LISTEN_BACKLOG = 1024  # connections the kernel holds before accept (the system may cap it: somaxconn)
DEFAULT_WORKERS = 16  # requests handled at once
DEFAULT_QUEUE = 128  # accepted connections waiting for a worker; past it: 503
REFUSAL_QUEUE = 64  # connections waiting to be told 503; past it, accepting waits (the backlog holds them)
DEFAULT_REQUEST_TIMEOUT_S = 20.0  # to receive a whole request (line, headers, body)
RETRY_AFTER_S = 2
LINGER_S = 2.0  # how long a closing connection's unread input is drained, at most
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DECIDE_PATH = "/decide"
RECHECK_PATH = "/recheck"
_STORY_PATH = re.compile(r"^/story/([^/]+)$")
REVIEWER_COOKIE = "claimcheck_reviewer"
REVIEWER_COOKIE_MAX_AGE_S = 365 * 24 * 3600
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass
class ServedStory:
    id: str
    path: str
    data: dict | None  # the report contract, without reviews (they are read fresh for every page)
    checked_at: str | None  # when this check was recorded; another check since makes it stale
    error: str | None = None  # why the story could not be checked (then there is no data)


def failed_story(path: str | Path, exc: BaseException, story_id: str | None = None) -> ServedStory:
    """A story that could not be checked, served as its problem in one line: any exception
    inside one story's check costs that story, never the server."""
    problem = exc if isinstance(exc, InputError) else stage_failure(str(path), "check", exc)
    return ServedStory(id=story_id or story_id_of(path), path=str(path), data=None, checked_at=None,
                       error=" ".join(str(problem).split()))


def story_id_of(path: str | Path) -> str:
    """The id ``read_story`` gives the story at ``path``: the folder's name, or a feed's stem."""
    root = Path(path)
    if root.suffix.lower() in (".json", ".jsonl") and not root.is_dir():
        return root.stem
    return root.name or root.resolve().name


def check_for_review(path: str | Path, store: ReviewStore, rules=None) -> ServedStory:
    """Check one story and record the check in the store (which reopens what changed)."""
    from checker.pipeline.check import check_story, result_to_dict

    result = check_story(path, rules)
    data = result_to_dict(result)
    # a served check with --select or --min-severity marks gone only what it could have found
    store.record_check(data, scope=CheckScope.of(result.rules))
    return ServedStory(id=data["story"]["id"], path=str(path), data=data,
                       checked_at=store.last_checked(data["story"]["id"]))


class ReviewServer(HTTPServer):
    """The HTTP server: one thread accepts, ``workers`` threads answer, and two more tell the
    connections that find the queue full to come back later (503)."""

    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], stories: dict[str, ServedStory], store: ReviewStore,
                 *, rules=None, reviewer: str | None = None, quiet: bool = False,
                 allow_hosts: list[str] | None = None, workers: int = DEFAULT_WORKERS,
                 queue_size: int = DEFAULT_QUEUE, request_timeout: float = DEFAULT_REQUEST_TIMEOUT_S):
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, ReviewHandler)
        self.extra_hosts = {h.lower() for h in allow_hosts or []}
        self.stories = stories
        self.store = store
        self.rules = rules
        self.reviewer = reviewer or os_user()
        self.quiet = quiet
        self.csrf_token = secrets.token_urlsafe(32)
        self.lock = threading.Lock()  # guards ``stories`` while "Check again" replaces one
        self.request_timeout = float(request_timeout)
        self._waiting: queue.Queue = queue.Queue(maxsize=max(1, queue_size))
        self._refusals: queue.Queue = queue.Queue(maxsize=REFUSAL_QUEUE)
        self._threads = [threading.Thread(target=self._answer, name=f"claimcheck-serve-{n}", daemon=True)
                         for n in range(max(1, workers))]
        self._refusers = [threading.Thread(target=self._refuse, name=f"claimcheck-busy-{n}", daemon=True)
                          for n in range(2)]
        for thread in self._threads + self._refusers:
            thread.start()

    # --- connections ---------------------------------------------------------------------------

    def process_request(self, request, client_address) -> None:
        """Called by the accepting thread: queue the connection for a worker, or, when the queue
        is full, for a 503. When even the refusers are behind, this waits, and new connections
        wait in the kernel's backlog: slower, never reset."""
        try:
            self._waiting.put_nowait((request, client_address))
        except queue.Full:
            self._refusals.put((request, client_address))

    def _answer(self) -> None:
        while True:
            item = self._waiting.get()
            if item is None:
                return
            request, client_address = item
            handler = None
            try:
                handler = self.RequestHandlerClass(request, client_address, self)
            except Exception:  # noqa: BLE001 - one connection's failure is logged, never fatal
                self.handle_error(request, client_address)
            finally:
                close_gently(request, linger_s=LINGER_S if getattr(handler, "input_left", True) else 0.0)

    def _refuse(self) -> None:
        while True:
            item = self._refusals.get()
            if item is None:
                return
            request, _ = item
            try:
                _read_request_quickly(request, limit_s=1.0)
                request.settimeout(2.0)
                request.sendall(BUSY_RESPONSE)
            except OSError:
                pass
            close_gently(request, linger_s=0.0)

    def handle_error(self, request, client_address) -> None:
        """One line in the log, not a traceback; the server goes on."""
        exc = sys.exc_info()[1]
        if not self.quiet:
            sys.stderr.write(f"claimcheck serve: error: {client_address[0]}: {type(exc).__name__}: "
                             f"{' '.join(str(exc).split())[:300]}\n")

    def server_close(self) -> None:
        super().server_close()
        # also called by the constructor when the port is taken, before any thread exists
        for _ in getattr(self, "_threads", []):
            self._waiting.put(None)
        for _ in getattr(self, "_refusers", []):
            self._refusals.put(None)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else host
        return f"http://{shown}:{port}/"

    def host_allowed(self, header: str) -> bool:
        """Whether a request's Host names this server. Bound to one address: that address (and
        the loopback names); bound to all interfaces: any IP address, this machine's names and
        ``--allow-host`` names, never a name an attacker's DNS could point here (DNS rebinding)."""
        host, port = self.server_address[:2]
        name, _, given_port = header.lower().rpartition(":") if not header.endswith("]") else (header.lower(), "", "")
        if given_port != str(port):
            return False
        name = name.strip("[]")
        if host not in ("0.0.0.0", "::"):
            names = {str(host).lower()} | (LOOPBACK if str(host) in LOOPBACK else set())
            return name in names or name in self.extra_hosts
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            pass
        return name in LOOPBACK or name in self.extra_hosts or name in {socket.gethostname().lower(),
                                                                         socket.getfqdn().lower()}


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "claimcheck"
    sys_version = ""

    # --- the connection ------------------------------------------------------------------------

    def setup(self) -> None:
        super().setup()
        self.responded = False
        self.body_read = False
        self.input_left = True  # until the request is known: the server drains before closing
        # the request is read through a reader that gives the whole request one deadline
        self.rfile.close()
        self.reader = _DeadlineReader(self.connection, self.server.request_timeout)
        self.rfile = io.BufferedReader(self.reader)

    def handle_one_request(self) -> None:
        super().handle_one_request()  # a request that times out is logged and ends the connection
        if self.reader.timed_out and not self.responded:
            self.close_connection = True
            try:
                self.connection.settimeout(1.0)
                self.connection.sendall(TIMEOUT_RESPONSE)
            except OSError:
                pass

    def finish(self) -> None:
        super().finish()
        headers = getattr(self, "headers", None)
        sent_body = headers is not None and (headers.get("Transfer-Encoding")
                                             or headers.get("Content-Length", "0").strip() not in ("", "0"))
        # a request cut off by its deadline may still be arriving: drain it too, for LINGER_S at most
        self.input_left = self.reader.timed_out or (bool(sent_body) and not self.body_read)

    # --- routing -------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        if not self._host_ok():
            return
        self._respond(self._get, "cannot show this page")

    do_HEAD = do_GET  # noqa: N815 - _send leaves the body out for HEAD

    def _get(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self._send_html(self._index_page())
            return
        match = _STORY_PATH.match(path)
        story = self._story(unquote(match.group(1))) if match else None
        if story is None:
            self._send_text(HTTPStatus.NOT_FOUND, "no such page")
            return
        story = self._fresh(story)
        if story.error is not None:
            self._send_html(self._error_page(story))
            return
        self._send_html(self._story_page(story))

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok() or not self._same_origin():
            return
        self._respond(self._post, "not saved")

    def _post(self) -> None:
        form = self._form()
        if form is None:
            return
        if not hmac.compare_digest(form.get("csrf_token", "").encode("utf-8"), self.server.csrf_token.encode("utf-8")):
            self._send_text(HTTPStatus.FORBIDDEN, "the page is out of date or not from this server; reload it")
            return
        path = urlsplit(self.path).path
        if path == DECIDE_PATH:
            self._decide(form)
        elif path == RECHECK_PATH:
            self._recheck(form)
        else:
            self._send_text(HTTPStatus.NOT_FOUND, "no such page")

    def _respond(self, action, failed: str) -> None:
        """Run ``action``; whatever goes wrong in it is answered with one line (and logged as
        one), never a traceback and a dropped connection."""
        try:
            action()
        except (TimeoutError, ConnectionError):
            raise  # the client is too slow or gone: nobody to answer (http.server closes it)
        except InputError as exc:  # the database went away, a story folder vanished, ...
            self._log(f"error: {exc}")
            if not self.responded:
                self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, f"{failed}: {exc.problem}")
        except Exception as exc:  # noqa: BLE001 - one request's failure never stops the server
            message = f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
            self._log(f"error: {self.command} {urlsplit(self.path).path}: {message}")
            if not self.responded:
                self._send_text(HTTPStatus.INTERNAL_SERVER_ERROR, f"{failed}: {message}")

    def do_PUT(self) -> None:  # noqa: N802
        self._send_text(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed")

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    # --- actions -------------------------------------------------------------------------------

    def _decide(self, form: dict[str, str]) -> None:
        story = self._story(form.get("story", ""))
        finding_id = form.get("finding_id", "")
        status = form.get("status", "")
        if story is None:
            self._send_text(HTTPStatus.NOT_FOUND, "unknown story")
            return
        if story.error is not None:
            self._send_text(HTTPStatus.CONFLICT, f"not saved: this story could not be checked: {story.error}")
            return
        finding = next((f for f in story.data["findings"] if f["id"] == finding_id), None)
        if finding is None:
            self._send_text(HTTPStatus.NOT_FOUND, "unknown finding id")
            return
        if status not in STATUSES:
            self._send_text(HTTPStatus.BAD_REQUEST, f"unknown status; known: {', '.join(STATUSES)}")
            return
        try:
            decision = self.server.store.decide(story.id, finding_id, status, form.get("note", ""),
                                                form.get("by") or self.server.reviewer,
                                                evidence_hash=form.get("evidence_hash") or finding["evidence_hash"])
        except StaleEvidence:
            self._send_text(HTTPStatus.CONFLICT, "not saved: the evidence behind this finding changed since the "
                                                 "page was loaded; reload the page and decide again")
            return
        except InputError as exc:
            self._send_text(HTTPStatus.BAD_REQUEST, exc.problem)
            return
        self._log(f"{story.id} {finding_id}: {decision.status} by {decision.reviewer}")
        remember = reviewer_cookie(form["by"]) if "by" in form else {}
        if "application/json" in self.headers.get("Accept", ""):
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps({"ok": True, "decision": decision.to_dict()}).encode("utf-8"), remember)
            return
        self._redirect(f"/story/{quote(story.id, safe='')}#{quote(finding_id, safe='')}", remember)

    def _recheck(self, form: dict[str, str]) -> None:
        story = self._story(form.get("story", ""))
        if story is None:
            self._send_text(HTTPStatus.NOT_FOUND, "unknown story")
            return
        fresh = self._check(story)
        if fresh.error is not None:
            self._send_html(self._error_page(fresh), HTTPStatus.UNPROCESSABLE_ENTITY)
            return
        self._redirect(f"/story/{quote(story.id, safe='')}")

    def _fresh(self, story: ServedStory) -> ServedStory:
        """The story as last recorded: when another check (``claimcheck check --db``, a nightly
        run) recorded it since, check it again so the page shows the evidence decisions apply to."""
        if story.error is not None or self.server.store.last_checked(story.id) == story.checked_at:
            return story
        return self._check(story)

    def _check(self, story: ServedStory) -> ServedStory:
        """Check the story again and serve the result; a check that fails (an invalid meta.json,
        any exception in the checker) makes the story a failed one, shown with its problem."""
        try:
            fresh = check_for_review(story.path, self.server.store, self.server.rules)
            if fresh.id != story.id:  # the folder now reads as another story: keep serving it as this one
                fresh.id = story.id
        except Exception as exc:  # noqa: BLE001 - one story's failure never stops the server
            fresh = failed_story(story.path, exc, story.id)
            self._log(f"error: {fresh.error}")
        with self.server.lock:
            self.server.stories[story.id] = fresh
        return fresh

    # --- pages ---------------------------------------------------------------------------------

    def _story_page(self, story: ServedStory) -> str:
        from checker.report.html import ReviewControls, render_html

        data = copy.deepcopy(story.data)
        attach_reviews(data, self.server.store.reviews(story.id, [f["id"] for f in data["findings"]]))
        return render_html(data, review=ReviewControls(action=DECIDE_PATH, csrf_token=self.server.csrf_token,
                                                       story=story.id, reviewer=self._remembered_reviewer()))

    def _remembered_reviewer(self) -> str:
        """The name this browser last gave as reviewer (the cookie), or "" for none."""
        jar = SimpleCookie()
        try:
            jar.load(self.headers.get("Cookie", ""))
        except CookieError:
            return ""
        morsel = jar.get(REVIEWER_COOKIE)
        return reviewer_name(unquote(morsel.value)) if morsel is not None else ""

    def _error_page(self, story: ServedStory) -> str:
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(story.id)}: not checked</title><style>{INDEX_STYLE}</style></head><body>"
                f"<h1>{html.escape(story.id)}</h1><p class=\"failed\">This story could not be checked: "
                f"{html.escape(story.error or '')}</p><p>Fix the story on disk, then check it again.</p>"
                f"{self._recheck_form(story)}<p><a href=\"/\">All stories</a></p></body></html>")

    def _recheck_form(self, story: ServedStory) -> str:
        return (f'<form method="post" action="{RECHECK_PATH}">'
                f'<input type="hidden" name="csrf_token" value="{html.escape(self.server.csrf_token, quote=True)}">'
                f'<input type="hidden" name="story" value="{html.escape(story.id, quote=True)}">'
                f'<button type="submit">Check again</button></form>')

    def _index_page(self) -> str:
        with self.server.lock:
            stories = sorted(self.server.stories.values(), key=lambda s: s.id)
        rows = []
        for story in stories:
            link = (f'<a href="/story/{html.escape(quote(story.id, safe=""), quote=True)}">'
                    f"{html.escape(story.id)}</a>")
            if story.error is not None:
                rows.append(f'<tr><td>{link}</td><td colspan="5" class="failed">not checked: '
                            f"{html.escape(story.error)}</td><td>{self._recheck_form(story)}</td></tr>")
                continue
            counts = story.data["summary"]["findings"]
            reviews = self.server.store.reviews(story.id, [f["id"] for f in story.data["findings"]])
            open_count = sum(1 for r in reviews.values() if r["status"] == "open")
            rows.append(
                f"<tr><td>{link}</td><td>{story.data['summary']['articles']}</td>"
                f"<td>{counts.get('error', 0)}</td><td>{counts.get('warning', 0)}</td><td>{counts.get('info', 0)}</td>"
                f"<td>{open_count}</td><td>{self._recheck_form(story)}</td></tr>")
        body = ("<table><thead><tr><th>Story</th><th>Articles</th><th>Errors</th><th>Warnings</th>"
                "<th>Info</th><th>Not reviewed</th><th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>claimcheck review</title>"
                f"<style>{INDEX_STYLE}</style></head><body><h1>claimcheck review</h1>"
                f"<p>{len(stories)} {'story' if len(stories) == 1 else 'stories'}. Decisions are saved to {html.escape(str(self.server.store.path))}.</p>"
                f"{body}</body></html>")

    # --- request checks ------------------------------------------------------------------------

    def _host_ok(self) -> bool:
        if self.server.host_allowed(self.headers.get("Host", "")):
            return True
        self._send_text(HTTPStatus.MISDIRECTED_REQUEST, "wrong Host header for this server")
        return False

    def _same_origin(self) -> bool:
        """Refuse POSTs a browser says come from another site; non-browser clients send none of
        these headers and are held to the CSRF token alone."""
        site = self.headers.get("Sec-Fetch-Site")
        if site and site not in ("same-origin", "none"):
            self._send_text(HTTPStatus.FORBIDDEN, "cross-site request refused")
            return False
        host = self.headers.get("Host", "")
        for header in ("Origin", "Referer"):
            value = self.headers.get(header)
            if value and value != "null":
                origin = urlsplit(value)
                if origin.scheme != "http" or origin.netloc != host:
                    self._send_text(HTTPStatus.FORBIDDEN, "cross-site request refused")
                    return False
                return True
            if value == "null":
                self._send_text(HTTPStatus.FORBIDDEN, "cross-site request refused")
                return False
        return True

    def _form(self) -> dict[str, str] | None:
        if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            self._send_text(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send a form (application/x-www-form-urlencoded)")
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send_text(HTTPStatus.LENGTH_REQUIRED, "Content-Length required")
            return None
        if length < 0 or length > MAX_BODY:
            self._send_text(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"form too large (limit {MAX_BODY} bytes)")
            return None
        raw = self.rfile.read(length)
        self.body_read = len(raw) == length
        try:
            fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True,
                              strict_parsing=False, max_num_fields=20)
        except (UnicodeDecodeError, ValueError):
            self._send_text(HTTPStatus.BAD_REQUEST, "unreadable form")
            return None
        if any(len(values) != 1 for values in fields.values()):
            self._send_text(HTTPStatus.BAD_REQUEST, "each form field may be given once")
            return None
        return {k: v[0] for k, v in fields.items()}

    def _story(self, story_id: str) -> ServedStory | None:
        with self.server.lock:
            return self.server.stories.get(story_id)

    # --- responses -----------------------------------------------------------------------------

    def _send(self, status: HTTPStatus, content_type: str, body: bytes, extra: dict | None = None) -> None:
        self._start_response()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_html(self, page: str, status: HTTPStatus = HTTPStatus.OK) -> None:
        self._send(status, "text/html; charset=utf-8", page.encode("utf-8"),
                   {"Content-Security-Policy": _page_policy(page)})

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _start_response(self) -> None:
        self.responded = True
        # the request's reading deadline is spent; writing the answer gets a time of its own
        self.connection.settimeout(self.server.request_timeout)

    def _redirect(self, location: str, extra: dict | None = None) -> None:
        self._start_response()
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()

    def _log(self, message: str) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"claimcheck serve: {message}\n")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the http.server signature
        self._log(format % args)


INDEX_STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330}"
               "table{border-collapse:collapse}td,th{padding:.4rem .8rem;border-bottom:1px solid #dde}"
               "th{text-align:left}.failed{color:#b42318}")


def reviewer_name(value: str) -> str:
    """A reviewer's name as remembered: one line, no control characters, no longer than the
    store accepts (it is shown in a form and written to the store)."""
    name = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return name[:MAX_REVIEWER]


def reviewer_cookie(value: str) -> dict[str, str]:
    """The Set-Cookie header that remembers (or, for an empty name, forgets) the reviewer's name.
    Percent-encoded, so no name can add an attribute or a header; HttpOnly and SameSite=Strict:
    no script reads it and no other site sends it."""
    name = reviewer_name(value)
    attributes = "Path=/; HttpOnly; SameSite=Strict"
    if not name:
        return {"Set-Cookie": f"{REVIEWER_COOKIE}=; Max-Age=0; {attributes}"}
    return {"Set-Cookie": f"{REVIEWER_COOKIE}={quote(name, safe='')}; Max-Age={REVIEWER_COOKIE_MAX_AGE_S}; "
                          f"{attributes}"}


def _plain_response(status: HTTPStatus, message: str, extra: str = "") -> bytes:
    """A whole HTTP response, written straight to a socket where no handler runs."""
    body = (message + "\n").encode("utf-8")
    head = (f"HTTP/1.0 {status.value} {status.phrase}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n{extra}"
            + "".join(f"{name}: {value}\r\n" for name, value in SECURITY_HEADERS.items()) + "\r\n")
    return head.encode("ascii") + body


BUSY_RESPONSE = _plain_response(HTTPStatus.SERVICE_UNAVAILABLE, "busy: too many requests at once; try again "
                                                                "in a moment", f"Retry-After: {RETRY_AFTER_S}\r\n")
TIMEOUT_RESPONSE = _plain_response(HTTPStatus.REQUEST_TIMEOUT, "the request did not arrive in time")


class _DeadlineReader(io.RawIOBase):
    """The socket as a stream that must deliver a whole request before one deadline. A plain
    socket timeout applies to each read, so a client sending a byte every few seconds would
    hold its thread for ever; this one runs out ``limit_s`` after the connection is taken up."""

    def __init__(self, sock: socket.socket, limit_s: float):
        super().__init__()
        self.sock = sock
        self.deadline = time.monotonic() + limit_s
        self.timed_out = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            raise TimeoutError("the request did not arrive in time")
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv_into(buffer)
        except TimeoutError:
            self.timed_out = True
            raise


def close_gently(sock: socket.socket, *, linger_s: float) -> None:
    """Close a client connection without a reset. A socket closed with unread input (a request
    body nobody read, a request answered 503 unread) makes the kernel send RST, and a reset can
    wipe out the response before the client reads it. So: finish sending, read what input is
    left (for up to ``linger_s`` when more may still be on its way), then close."""
    try:
        sock.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    deadline = time.monotonic() + linger_s
    drained = 0
    try:
        while drained < 4 * MAX_BODY:
            remaining = deadline - time.monotonic()
            sock.settimeout(remaining if remaining > 0 else 0.0)
            chunk = sock.recv(65536)
            if not chunk:
                break
            drained += len(chunk)
    except OSError:  # nothing more within the time (or the client has gone)
        pass
    sock.close()


def _read_request_quickly(sock: socket.socket, *, limit_s: float) -> None:
    """Read a request's head and body (as its Content-Length says, up to MAX_BODY) before it is
    refused, so that the refusal closes a connection with no unread input."""
    deadline = time.monotonic() + limit_s
    data = b""

    def more() -> bool:
        nonlocal data
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        sock.settimeout(remaining)
        chunk = sock.recv(65536)
        data += chunk
        return bool(chunk)

    try:
        while b"\r\n\r\n" not in data and len(data) <= 65536:
            if not more():
                return
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = min(int(value.strip()), MAX_BODY)
        while len(body) < length:
            before = len(data)
            if not more():
                return
            body += data[before:]
    except OSError:
        return

_META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')


def _page_policy(page: str) -> str:
    """The page's own CSP (the report carries one in a meta tag, with hashes of its inline style
    and script), sent as a header too; pages without one get a strict default."""
    match = _META_POLICY.search(page[:4000])
    if match:
        return html.unescape(match.group(1))
    return "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"


def make_server(paths: list[Path], store: ReviewStore, *, host: str = "127.0.0.1", port: int = 8765,
                rules=None, reviewer: str | None = None, quiet: bool = False,
                on_problem=None, allow_hosts: list[str] | None = None, workers: int = DEFAULT_WORKERS,
                queue_size: int = DEFAULT_QUEUE,
                request_timeout: float = DEFAULT_REQUEST_TIMEOUT_S) -> ReviewServer:
    """Check every story and make the server (not yet serving). A story that cannot be checked
    (any exception) is reported through ``on_problem`` and served as failed, with its problem,
    so that it can be fixed and checked again; with no ``on_problem`` the error is raised. The
    server starts when at least one story could be checked."""
    stories: dict[str, ServedStory] = {}
    checked = 0
    for path in paths:
        try:
            story = check_for_review(path, store, rules)
        except Exception as exc:  # noqa: BLE001 - one story's failure never stops the server
            problem = exc if isinstance(exc, InputError) else stage_failure(str(path), "check", exc)
            if on_problem is None:
                raise problem from None
            on_problem(problem)
            story = failed_story(path, problem)
        else:
            checked += 1
            for problem in story.data.get("problems", []):
                if on_problem is not None:
                    on_problem(InputError(problem["path"], problem["problem"], line=problem.get("line")))
        if story.id in stories:
            problem = InputError(str(path), f"story id {story.id!r} is already served (from "
                                            f"{stories[story.id].path}); story ids are folder names")
            if on_problem is None:
                raise problem
            on_problem(problem)
            continue
        stories[story.id] = story
    if not checked:
        raise InputError(", ".join(map(str, paths)) or str(store.path), "no story could be checked")
    try:
        return ReviewServer((host, port), stories, store, rules=rules, reviewer=reviewer, quiet=quiet,
                            allow_hosts=allow_hosts, workers=workers, queue_size=queue_size,
                            request_timeout=request_timeout)
    except OSError as exc:
        raise InputError(f"{host}:{port}", f"cannot listen: {exc.strerror or exc}") from None
