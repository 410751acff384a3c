"""``claimcheck serve``: review in the browser, over real HTTP on a loopback port."""
from __future__ import annotations

import http.client
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, urlencode

import pytest

from helpers import hostile_story, serving, story_with_toll_conflict

PAYLOAD = '<script>alert("x")</script> <img src=x onerror=alert(1)>'


@pytest.fixture()
def served(tmp_path):
    """A server on a free port with the toll-conflict story; yields (server, story path)."""
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", reviewer="tester") as server:
        yield server, story


def request(server, method: str, path: str, form: dict | None = None, headers: dict | None = None,
            body: bytes | None = None) -> tuple[int, dict, str]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    sent = {"Host": f"{host}:{port}"}
    if form is not None:
        body = urlencode(form).encode()
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    sent.update(headers or {})
    conn.request(method, path, body=body, headers=sent)
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def toll_id(server) -> str:
    [finding] = [f for f in server.stories["harbour-fire"].data["findings"] if f["rule"] == "count-conflict"]
    return finding["id"]


def decision(server, **fields) -> dict:
    form = {"csrf_token": server.csrf_token, "story": "harbour-fire", "finding_id": toll_id(server),
            "status": "dismissed", "note": ""}
    form.update(fields)
    return form


def finding_card(page: str, finding_id: str) -> str:
    at = page.index(f'id="{finding_id}"')
    return page[at: at + 6000]


def test_pages_and_a_decision_that_sticks(served):
    server, _ = served
    status, headers, page = request(server, "GET", "/")
    assert status == 200 and 'href="/story/harbour-fire"' in page
    status, headers, page = request(server, "GET", "/story/harbour-fire")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "script-src 'sha256-" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"
    assert page.count('class="review-form"') == len(server.stories["harbour-fire"].data["findings"])
    assert server.csrf_token in page

    status, headers, _ = request(server, "POST", "/decide", decision(server, note="two dock workers"))
    assert status == 303 and headers["location"] == f"/story/harbour-fire#{toll_id(server)}"
    _, _, page = request(server, "GET", "/story/harbour-fire")
    card = finding_card(page, toll_id(server))
    assert 'data-status="dismissed"' in card and "two dock workers" in card and "tester" in card

    status, _, body = request(server, "POST", "/decide", decision(server, status="confirmed", by="ana"),
                              headers={"Accept": "application/json"})
    assert status == 200 and json.loads(body)["decision"]["reviewer"] == "ana"
    history = server.store.history("harbour-fire", toll_id(server))
    assert [(d.status, d.reviewer) for d in history] == [("dismissed", "tester"), ("confirmed", "ana")]


@pytest.mark.parametrize("change, expected", [
    ({"form": {"csrf_token": "forged"}}, 403),
    ({"headers": {"Origin": "http://evil.example"}}, 403),
    ({"headers": {"Referer": "http://evil.example/page"}}, 403),
    ({"headers": {"Sec-Fetch-Site": "cross-site"}}, 403),
    ({"headers": {"Origin": "null"}}, 403),
    ({"headers": {"Host": "evil.example:80"}}, 421),
    ({"form": {"finding_id": "cc-000000000000"}}, 404),
    ({"form": {"story": "../../etc"}}, 404),
    ({"form": {"status": "deleted"}}, 400),
    ({"form": {"note": "x" * 20_000}}, 400),
    ({"raw": b'{"status": "dismissed"}', "headers": {"Content-Type": "application/json"}}, 415),
    ({"raw": b"a=" + b"x" * 70_000, "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 413),
])
def test_refused_requests_change_nothing(served, change, expected):
    server, _ = served
    form = decision(server, **change.get("form", {}))
    if "raw" in change:
        status, _, _ = request(server, "POST", "/decide", body=change["raw"], headers=change["headers"])
    else:
        status, _, _ = request(server, "POST", "/decide", form, headers=change.get("headers"))
    assert status == expected
    assert server.store.history("harbour-fire", toll_id(server)) == []


def test_same_origin_posts_are_accepted(served):
    server, _ = served
    host, port = server.server_address[:2]
    headers = {"Origin": f"http://{host}:{port}", "Sec-Fetch-Site": "same-origin"}
    status, _, _ = request(server, "POST", "/decide", decision(server), headers=headers)
    assert status == 303


def test_unknown_pages_and_methods(served):
    server, _ = served
    assert request(server, "GET", "/story/nope")[0] == 404
    assert request(server, "GET", "/etc/passwd")[0] == 404
    assert request(server, "PUT", "/decide", body=b"")[0] == 405
    assert request(server, "POST", "/elsewhere", decision(server))[0] == 404


def test_concurrent_reviewers_lose_nothing(served):
    server, _ = served
    statuses = ["confirmed", "dismissed", "follow-up", "corrected", "open"]

    def post(i: int) -> int:
        form = decision(server, status=statuses[i % 5], note=f"note {i}", by=f"reviewer-{i % 2}")
        return request(server, "POST", "/decide", form, headers={"Accept": "application/json"})[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(post, range(60)))
    assert results == [200] * 60
    history = server.store.history("harbour-fire", toll_id(server))
    assert sorted(d.note for d in history) == sorted(f"note {i}" for i in range(60))
    assert len({d.seq for d in history}) == 60


def test_check_again_reopens_what_changed(served):
    server, story = served
    request(server, "POST", "/decide", decision(server, note="fine"))
    paper = story / "paper-b.txt"
    paper.write_text(paper.read_text(encoding="utf-8").replace("killed 14 sailors", "killed 16 sailors"),
                     encoding="utf-8")
    status, headers, _ = request(server, "POST", "/recheck", {"csrf_token": server.csrf_token, "story": "harbour-fire"})
    assert status == 303
    _, _, page = request(server, "GET", "/story/harbour-fire")
    card = finding_card(page, toll_id(server))
    assert 'data-status="open"' in card and "replaces cc-" in card and "16 sailors" in card


def test_served_article_text_is_escaped(tmp_path):
    story = hostile_story(tmp_path, PAYLOAD, after="according to regional officials.")
    with serving(story, tmp_path / "review.db") as server:
        _, _, page = request(server, "GET", "/story/harbour-fire")
        _, _, index = request(server, "GET", "/")
    assert "onerror=alert(1)" in page.replace("&#x27;", "'").replace("&quot;", '"')  # shown, as text
    for html_page in (page, index):
        assert "<img" not in html_page and '<script>alert' not in html_page
        assert len(re.findall(r"<script\b", html_page)) <= 1


def test_serve_command_errors(capsys, tmp_path, monkeypatch):
    from helpers import run_cli

    monkeypatch.delenv("CLAIMCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "serve", "--db", tmp_path / "empty.db")
    assert code == 2 and "no stories recorded here yet" in err
    code, _, err = run_cli(capsys, "serve", tmp_path / "missing", "--db", tmp_path / "r.db")
    assert code == 2 and "missing: no such file or folder" in err and "no story could be checked" in err
    assert len([line for line in err.splitlines() if line.strip()]) == 2


def test_a_port_in_use_is_an_input_error(served, capsys, tmp_path, monkeypatch):
    from helpers import run_cli

    server, story = served
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "serve", story, "--db", tmp_path / "r2.db", "--port", server.server_address[1])
    assert code == 2 and "cannot listen" in err


def test_a_decision_on_evidence_changed_since_the_page_loaded_is_refused(served, capsys):
    from helpers import run_cli

    server, story = served
    _, _, page = request(server, "GET", "/story/harbour-fire")
    shown = re.search(r'name="evidence_hash" value="([^"]+)"', finding_card(page, toll_id(server))).group(1)
    (story / "radio-d.txt").write_text("Fire kills 14\n\nA fire on the cargo ship Polar Star killed 14 sailors in "
                                       "Murmansk harbour on March 3, the radio said.\n", encoding="utf-8")
    code, _, _ = run_cli(capsys, "check", story, "--db", server.store.path, "--fail-on", "never")
    assert code == 0
    status, _, body = request(server, "POST", "/decide", decision(server, evidence_hash=shown))
    assert status == 409 and "reload" in body
    assert server.store.history("harbour-fire", toll_id(server)) == []
    _, _, page = request(server, "GET", "/story/harbour-fire")  # the page is checked again: radio-d is there
    card = finding_card(page, toll_id(server))
    assert "radio-d" in page
    fresh = re.search(r'name="evidence_hash" value="([^"]+)"', card).group(1)
    assert fresh != shown
    assert request(server, "POST", "/decide", decision(server, evidence_hash=fresh))[0] == 303


def test_odd_story_ids_and_tokens(tmp_path):
    story = story_with_toll_conflict(tmp_path, "a b%2Fc ü%")
    with serving(story, tmp_path / "review.db") as server:
        assert request(server, "GET", "/story/" + quote("a b%2Fc ü%", safe=""))[0] == 200
        [finding] = [f for f in server.stories["a b%2Fc ü%"].data["findings"] if f["rule"] == "count-conflict"]
        form = {"csrf_token": server.csrf_token, "story": "a b%2Fc ü%", "finding_id": finding["id"], "status": "dismissed"}
        assert request(server, "POST", "/decide", form)[0] == 303
        assert request(server, "POST", "/decide", {**form, "csrf_token": "é"})[0] == 403
        assert request(server, "HEAD", "/")[0] == 200


def test_bound_to_all_interfaces_only_addresses_and_known_names_are_answered(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", host="0.0.0.0", allow_hosts=["review.newsroom.example"]) as server:
        port = server.server_address[1]
        for host, expected in ((f"127.0.0.1:{port}", 200), (f"10.1.2.3:{port}", 200),
                               (f"review.newsroom.example:{port}", 200), (f"rebind.evil.example:{port}", 421),
                               (f"127.0.0.1:{port + 1}", 421)):
            assert request(server, "GET", "/", headers={"Host": host})[0] == expected, host


def test_the_reviewer_name_is_remembered_escaped_and_forgotten_when_cleared(served):
    server, _ = served
    hostile = 'Ana "><script>alert(1)</script>; Path=/x, Set-Cookie: evil=1'
    status, headers, _ = request(server, "POST", "/decide", decision(server, by=hostile))
    assert status == 303
    cookie = headers["set-cookie"]
    assert cookie.startswith("claimcheck_reviewer=Ana%20%22%3E%3Cscript%3E")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "evil=1" not in cookie.split(";")[0]
    assert "\r" not in cookie and "\n" not in cookie
    sent = cookie.split(";")[0]
    _, headers, page = request(server, "GET", "/story/harbour-fire", headers={"Cookie": f"other=1; {sent}"})
    card = finding_card(page, toll_id(server))
    value = re.search(r'<input type="text" name="by" autocomplete="name" value="([^"]*)">', card).group(1)
    assert value == "Ana &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;; Path=/x, Set-Cookie: evil=1"
    assert "<script>alert(1)" not in page
    assert "script-src 'sha256-" in headers["content-security-policy"]  # the policy is unchanged
    # no cookie, or a broken one: the field is empty and the server's reviewer decides
    for jar in ({}, {"Cookie": 'claimcheck_reviewer="unterminated'}):
        _, _, page = request(server, "GET", "/story/harbour-fire", headers=jar)
        assert '<input type="text" name="by" autocomplete="name">' in page
    # clearing the field forgets the name
    _, headers, _ = request(server, "POST", "/decide", decision(server, by=""), headers={"Cookie": sent})
    assert headers["set-cookie"].startswith("claimcheck_reviewer=; Max-Age=0")
    assert [d.reviewer for d in server.store.history("harbour-fire", toll_id(server))][-1] == "tester"
    # a client that sends no reviewer field leaves the cookie alone
    form = {k: v for k, v in decision(server).items() if k != "by"}
    assert "set-cookie" not in request(server, "POST", "/decide", form)[1]


def test_reopen_is_offered_only_for_decided_findings_and_counts_are_singular(served):
    server, _ = served
    _, _, index = request(server, "GET", "/")
    assert "<p>1 story. " in index and "1 stories" not in index
    _, _, page = request(server, "GET", "/story/harbour-fire")
    card = finding_card(page, toll_id(server))
    card = card[:card.index("</article>")]
    assert ">Reopen</button>" not in card and 'class="current"' not in card and "0 decisions so far" in card
    request(server, "POST", "/decide", decision(server, status="dismissed"))
    _, _, page = request(server, "GET", "/story/harbour-fire")
    card = finding_card(page, toll_id(server))
    card = card[:card.index("</article>")]
    assert '<button type="submit" name="status" value="open" data-action="open">Reopen</button>' in card
    assert 'value="dismissed" data-action="dismissed" class="current">Dismiss</button>' in card
    assert "1 decision so far" in card
