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
- each request uses its own database connection and writes in a transaction
  (``review_store``), so reviewers acting at once lose nothing.

Stories are checked once at start-up (and again on "Check again"); pages read the latest
decisions from the database on every request.
"""
from __future__ import annotations

import copy
import hmac
import html
import ipaddress
import json
import re
import secrets
import socket
import sys
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

from checker.review_store import STATUSES, ReviewStore, StaleEvidence, attach_reviews, os_user
from claims.errors import InputError

MAX_BODY = 64 * 1024
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DECIDE_PATH = "/decide"
RECHECK_PATH = "/recheck"
_STORY_PATH = re.compile(r"^/story/([^/]+)$")
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
    data: dict  # the report contract, without reviews (they are read fresh for every page)
    checked_at: str | None  # when this check was recorded; another check since makes it stale


def check_for_review(path: str | Path, store: ReviewStore, rules=None) -> ServedStory:
    """Check one story and record the check in the store (which reopens what changed)."""
    from checker.pipeline import check_story, result_to_dict

    result = check_story(path, rules)
    data = result_to_dict(result)
    store.record_check(data)
    return ServedStory(id=data["story"]["id"], path=str(path), data=data,
                       checked_at=store.last_checked(data["story"]["id"]))


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], stories: dict[str, ServedStory], store: ReviewStore,
                 *, rules=None, reviewer: str | None = None, quiet: bool = False,
                 allow_hosts: list[str] | None = None):
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

    # --- routing -------------------------------------------------------------------------------

    def do_GET(self) -> None:  # noqa: N802 - the http.server naming
        if not self._host_ok():
            return
        path = urlsplit(self.path).path
        try:
            if path == "/":
                self._send_html(self._index_page())
                return
            match = _STORY_PATH.match(path)
            story = self._story(unquote(match.group(1))) if match else None
            if story is None:
                self._send_text(HTTPStatus.NOT_FOUND, "no such page")
                return
            self._send_html(self._story_page(self._fresh(story)))
        except InputError as exc:  # the database went away, a story folder vanished, ...
            self._log(f"error: {exc}")
            self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, f"cannot show this page: {exc.problem}")

    do_HEAD = do_GET  # noqa: N815 - _send leaves the body out for HEAD

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok() or not self._same_origin():
            return
        form = self._form()
        if form is None:
            return
        if not hmac.compare_digest(form.get("csrf_token", "").encode("utf-8"), self.server.csrf_token.encode("utf-8")):
            self._send_text(HTTPStatus.FORBIDDEN, "the page is out of date or not from this server; reload it")
            return
        path = urlsplit(self.path).path
        try:
            if path == DECIDE_PATH:
                self._decide(form)
            elif path == RECHECK_PATH:
                self._recheck(form)
            else:
                self._send_text(HTTPStatus.NOT_FOUND, "no such page")
        except InputError as exc:
            self._log(f"error: {exc}")
            self._send_text(HTTPStatus.SERVICE_UNAVAILABLE, f"not saved: {exc.problem}")

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
        if "application/json" in self.headers.get("Accept", ""):
            self._send(HTTPStatus.OK, "application/json",
                       json.dumps({"ok": True, "decision": decision.to_dict()}).encode("utf-8"))
            return
        self._redirect(f"/story/{quote(story.id, safe='')}#{quote(finding_id, safe='')}")

    def _recheck(self, form: dict[str, str]) -> None:
        story = self._story(form.get("story", ""))
        if story is None:
            self._send_text(HTTPStatus.NOT_FOUND, "unknown story")
            return
        try:
            fresh = check_for_review(story.path, self.server.store, self.server.rules)
        except InputError as exc:
            self._send_text(HTTPStatus.UNPROCESSABLE_ENTITY, str(exc))
            return
        with self.server.lock:
            self.server.stories[story.id] = fresh
        self._redirect(f"/story/{quote(story.id, safe='')}")

    def _fresh(self, story: ServedStory) -> ServedStory:
        """The story as last recorded: when another check (``claimcheck check --db``, a nightly
        run) recorded it since, check it again so the page shows the evidence decisions apply to."""
        if self.server.store.last_checked(story.id) == story.checked_at:
            return story
        fresh = check_for_review(story.path, self.server.store, self.server.rules)
        with self.server.lock:
            self.server.stories[story.id] = fresh
        return fresh

    # --- pages ---------------------------------------------------------------------------------

    def _story_page(self, story: ServedStory) -> str:
        from checker.html_report import ReviewControls, render_html

        data = copy.deepcopy(story.data)
        attach_reviews(data, self.server.store.reviews(story.id, [f["id"] for f in data["findings"]]))
        return render_html(data, review=ReviewControls(action=DECIDE_PATH, csrf_token=self.server.csrf_token,
                                                       story=story.id))

    def _index_page(self) -> str:
        with self.server.lock:
            stories = sorted(self.server.stories.values(), key=lambda s: s.id)
        rows = []
        for story in stories:
            counts = story.data["summary"]["findings"]
            reviews = self.server.store.reviews(story.id, [f["id"] for f in story.data["findings"]])
            open_count = sum(1 for r in reviews.values() if r["status"] == "open")
            rows.append(
                f'<tr><td><a href="/story/{html.escape(quote(story.id, safe=""), quote=True)}">'
                f"{html.escape(story.id)}</a></td><td>{story.data['summary']['articles']}</td>"
                f"<td>{counts.get('error', 0)}</td><td>{counts.get('warning', 0)}</td><td>{counts.get('info', 0)}</td>"
                f"<td>{open_count}</td><td>"
                f'<form method="post" action="{RECHECK_PATH}">'
                f'<input type="hidden" name="csrf_token" value="{html.escape(self.server.csrf_token, quote=True)}">'
                f'<input type="hidden" name="story" value="{html.escape(story.id, quote=True)}">'
                f'<button type="submit">Check again</button></form></td></tr>')
        body = ("<table><thead><tr><th>Story</th><th>Articles</th><th>Errors</th><th>Warnings</th>"
                "<th>Info</th><th>Not reviewed</th><th></th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>claimcheck review</title>"
                f"<style>{INDEX_STYLE}</style></head><body><h1>claimcheck review</h1>"
                f"<p>{len(stories)} stories. Decisions are saved to {html.escape(str(self.server.store.path))}.</p>"
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
        try:
            fields = parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True,
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
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_html(self, page: str) -> None:
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", page.encode("utf-8"),
                   {"Content-Security-Policy": _page_policy(page)})

    def _send_text(self, status: HTTPStatus, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()

    def _log(self, message: str) -> None:
        if not self.server.quiet:
            sys.stderr.write(f"claimcheck serve: {message}\n")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the http.server signature
        self._log(format % args)


INDEX_STYLE = ("body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2330}"
               "table{border-collapse:collapse}td,th{padding:.4rem .8rem;border-bottom:1px solid #dde}"
               "th{text-align:left}")

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
                on_problem=None, allow_hosts: list[str] | None = None) -> ReviewServer:
    """Check every story and make the server (not yet serving). A story that cannot be read is
    reported through ``on_problem`` and left out; the rest are served."""
    stories: dict[str, ServedStory] = {}
    for path in paths:
        try:
            story = check_for_review(path, store, rules)
        except InputError as exc:
            if on_problem is None:
                raise
            on_problem(exc)
            continue
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
    if not stories:
        raise InputError(", ".join(map(str, paths)) or str(store.path), "no story could be checked")
    try:
        return ReviewServer((host, port), stories, store, rules=rules, reviewer=reviewer, quiet=quiet,
                            allow_hosts=allow_hosts)
    except OSError as exc:
        raise InputError(f"{host}:{port}", f"cannot listen: {exc.strerror or exc}") from None
