"""``claimcheck serve`` under load and faults: bursts of simultaneous POSTs, slow clients, and
stories that fail to check at start-up or on "Check again"."""
from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from helpers import HARBOUR_FIRE, serving, story_with_toll_conflict


def toll_id(server) -> str:
    [finding] = [f for f in server.stories["harbour-fire"].data["findings"] if f["rule"] == "count-conflict"]
    return finding["id"]


def decision_request(server, note: str) -> bytes:
    """A whole decision POST as raw bytes, as a browser would send it."""
    host, port = server.server_address[:2]
    body = urlencode({"csrf_token": server.csrf_token, "story": "harbour-fire", "finding_id": toll_id(server),
                      "status": "dismissed", "note": note}).encode()
    head = (f"POST /decide HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Accept: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    return head + body


def read_all(sock: socket.socket) -> bytes:
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1."), response[:80]
    return int(response.split(b" ", 2)[1])


def burst(server, count: int) -> list[bytes]:
    """``count`` connections opened at once, each sending one decision before any response is
    read; every response, in order. A reset raises ConnectionResetError and fails the test."""
    host, port = server.server_address[:2]
    sockets = [socket.create_connection((host, port), timeout=60) for _ in range(count)]
    try:
        for i, sock in enumerate(sockets):
            sock.sendall(decision_request(server, f"burst {i}"))
        return [read_all(sock) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def get(server, path: str) -> tuple[int, dict, str]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("GET", path, headers={"Host": f"{host}:{port}"})
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def post(server, path: str, form: dict) -> tuple[int, dict, str]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    conn.request("POST", path, body=urlencode(form).encode(),
                 headers={"Host": f"{host}:{port}", "Content-Type": "application/x-www-form-urlencoded"})
    response = conn.getresponse()
    text = response.read().decode("utf-8")
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def saved_notes(server) -> list[str]:
    return sorted(d.note for d in server.store.history("harbour-fire", toll_id(server)))


# --- bursts -------------------------------------------------------------------------------------

def test_200_simultaneous_posts_are_each_answered_and_none_reset(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db") as server:
        responses = burst(server, 200)
        statuses = [status_of(r) for r in responses]
        assert set(statuses) <= {200, 503}
        accepted = [f"burst {i}" for i, s in enumerate(statuses) if s == 200]
        assert accepted and saved_notes(server) == sorted(accepted)  # every acknowledged decision kept
        assert get(server, "/")[0] == 200  # and the server goes on


def test_connections_made_while_the_server_is_busy_wait_in_the_backlog(tmp_path):
    from checker.review.store import ReviewStore
    from checker.review.server import make_server

    story = story_with_toll_conflict(tmp_path)
    server = make_server([story], ReviewStore(tmp_path / "review.db"), port=0, quiet=True)
    host, port = server.server_address[:2]
    count = min(200, int(open("/proc/sys/net/core/somaxconn").read()) - 8) if \
        os.path.exists("/proc/sys/net/core/somaxconn") else 100
    # nobody accepts yet: the kernel alone holds these (a backlog of 5 held 6)
    sockets = [socket.create_connection((host, port), timeout=30) for _ in range(count)]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for i, sock in enumerate(sockets):
            sock.sendall(decision_request(server, f"held {i}"))
        statuses = [status_of(read_all(sock)) for sock in sockets]
        assert set(statuses) <= {200, 503}
        assert saved_notes(server) == sorted(f"held {i}" for i, s in enumerate(statuses) if s == 200)
    finally:
        for sock in sockets:
            sock.close()
        server.shutdown()
        server.server_close()


def test_a_saturated_server_says_503_with_retry_after(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", workers=1, queue_size=1) as server:
        responses = burst(server, 200)
        statuses = [status_of(r) for r in responses]
        assert set(statuses) <= {200, 503} and 503 in statuses and 200 in statuses
        busy = next(r for r, s in zip(responses, statuses) if s == 503)
        head = busy.split(b"\r\n\r\n", 1)[0].lower()
        assert b"\r\nretry-after: " in head and b"connection: close" in head
        assert saved_notes(server) == sorted(f"burst {i}" for i, s in enumerate(statuses) if s == 200)


def test_200_clients_in_threads_all_get_a_status(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", workers=4, queue_size=8) as server:
        host, port = server.server_address[:2]
        start = threading.Barrier(200)

        def one(i: int) -> int:
            body = decision_request(server, f"thread {i}")
            with socket.create_connection((host, port), timeout=60) as sock:
                start.wait(timeout=60)
                sock.sendall(body)
                return status_of(read_all(sock))

        with ThreadPoolExecutor(max_workers=200) as pool:
            statuses = list(pool.map(one, range(200)))
        assert set(statuses) <= {200, 503}
        assert saved_notes(server) == sorted(f"thread {i}" for i, s in enumerate(statuses) if s == 200)


# --- slow clients -------------------------------------------------------------------------------

def test_a_half_sent_request_is_closed_after_the_read_timeout(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", workers=1, request_timeout=0.5) as server:
        host, port = server.server_address[:2]
        with socket.create_connection((host, port), timeout=30) as slow:
            slow.sendall(f"POST /decide HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Le".encode())
            answer = read_all(slow)  # returns once the server closes; the socket timeout catches a hang
        assert status_of(answer) == 408
        assert get(server, "/")[0] == 200  # the only worker is free again


def test_a_request_sent_a_byte_at_a_time_still_times_out(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db", workers=1, request_timeout=0.5) as server:
        host, port = server.server_address[:2]
        request = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n" + "X-Padding: " + "x" * 200 + "\r\n\r\n"
        with socket.create_connection((host, port), timeout=30) as slow:
            answer = b""
            for byte in request.encode():
                try:
                    slow.sendall(bytes([byte]))
                except OSError:  # closed by the server: what we wait for
                    break
                time.sleep(0.02)  # 240 bytes: about 5 s in all, far past the 0.5 s for the request
            try:
                answer = read_all(slow)
            except ConnectionResetError:
                answer = b"reset"
        assert answer.startswith(b"HTTP/1.0 408"), answer[:80]


def test_a_body_never_read_does_not_reset_the_answer(tmp_path):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db") as server:
        host, port = server.server_address[:2]
        body = b"a=" + b"x" * 200_000
        with socket.create_connection((host, port), timeout=30) as sock:
            sock.sendall(f"POST /decide HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/"
                         f"x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
            assert status_of(read_all(sock)) == 413


# --- stories that fail to check -----------------------------------------------------------------

def test_check_again_on_a_story_whose_meta_json_broke_answers_and_goes_on(tmp_path, capsys):
    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db") as server:
        server.quiet = False  # the log is checked: one line, no traceback
        (story / "meta.json").write_text(json.dumps({"articles": [{"file": ["paper-a.txt"], "id": {}}]}),
                                         encoding="utf-8")
        status, _, page = post(server, "/recheck", {"csrf_token": server.csrf_token, "story": "harbour-fire"})
        assert status in (303, 422)  # checked despite the broken meta.json, or its problem shown
        if status == 422:
            assert "could not be checked" in page
        assert get(server, "/")[0] == 200
    assert "Traceback" not in capsys.readouterr().err


def test_a_check_that_raises_gives_that_story_an_error_page(tmp_path, monkeypatch, capsys):
    import checker.review.server as serve

    first = story_with_toll_conflict(tmp_path / "a")
    with serving(first, tmp_path / "review.db") as server:
        server.quiet = False
        real = serve.check_for_review

        def broken(path, store, rules=None):
            raise KeyError("articles")

        monkeypatch.setattr(serve, "check_for_review", broken)
        status, headers, page = post(server, "/recheck", {"csrf_token": server.csrf_token, "story": "harbour-fire"})
        assert status == 422 and headers["content-type"].startswith("text/html")
        assert "could not be checked" in page and "check failed: KeyError" in page and "Check again" in page
        assert "default-src 'none'" in headers["content-security-policy"]
        status, _, index = get(server, "/")
        assert status == 200 and "not checked: " in index and "KeyError" in index
        status, _, page = get(server, "/story/harbour-fire")
        assert status == 200 and "could not be checked" in page
        form = {"csrf_token": server.csrf_token, "story": "harbour-fire", "finding_id": "cc-000000000000",
                "status": "dismissed"}
        status, _, text = post(server, "/decide", form)
        assert status == 409 and "could not be checked" in text

        monkeypatch.setattr(serve, "check_for_review", real)  # fixed on disk: check again
        assert post(server, "/recheck", {"csrf_token": server.csrf_token, "story": "harbour-fire"})[0] == 303
        assert get(server, "/story/harbour-fire")[0] == 200 and toll_id(server)
    err = capsys.readouterr().err
    assert "Traceback" not in err and "KeyError" in err


def test_an_exception_while_rendering_is_a_500_and_the_server_goes_on(tmp_path, monkeypatch, capsys):
    import checker.report.html as html_report

    story = story_with_toll_conflict(tmp_path)
    with serving(story, tmp_path / "review.db") as server:
        server.quiet = False

        def broken(*args, **kwargs):
            raise ValueError("bad page")

        monkeypatch.setattr(html_report, "render_html", broken)
        status, _, text = get(server, "/story/harbour-fire")
        assert status == 500 and "ValueError: bad page" in text and len(text.strip().splitlines()) == 1
        monkeypatch.undo()
        assert get(server, "/story/harbour-fire")[0] == 200
    assert "Traceback" not in capsys.readouterr().err


def test_a_story_that_crashes_at_start_up_is_served_as_failed(tmp_path, monkeypatch):
    import shutil

    import checker.pipeline.check as pipeline
    from checker.review.store import ReviewStore
    from checker.review.server import make_server

    good = story_with_toll_conflict(tmp_path)
    bad = tmp_path / "weekday-clash"
    shutil.copytree(HARBOUR_FIRE, bad)
    real = pipeline.check_story

    def check_story(source, rules=None, deadline=None):
        if str(source).endswith("weekday-clash"):
            raise ValueError("two undated articles name different weekdays")
        return real(source, rules, deadline)

    monkeypatch.setattr(pipeline, "check_story", check_story)
    problems = []
    server = make_server([bad, good], ReviewStore(tmp_path / "review.db"), port=0, quiet=True,
                         on_problem=problems.append)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        [problem] = problems
        assert str(problem).startswith(f"{bad}: check failed: ValueError")
        assert server.stories["weekday-clash"].error and server.stories["harbour-fire"].error is None
        status, _, index = get(server, "/")
        assert status == 200 and "weekday-clash" in index and "not checked" in index
        status, _, page = get(server, "/story/weekday-clash")
        assert status == 200 and "two undated articles name different weekdays" in page
        assert get(server, "/story/harbour-fire")[0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_no_story_checked_at_all_is_still_an_error(tmp_path, monkeypatch):
    import checker.pipeline.check as pipeline
    from checker.review.store import ReviewStore
    from checker.review.server import make_server
    from claims.errors import InputError

    story = story_with_toll_conflict(tmp_path)

    def check_story(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "check_story", check_story)
    problems = []
    with pytest.raises(InputError, match="no story could be checked"):
        make_server([story], ReviewStore(tmp_path / "review.db"), port=0, quiet=True, on_problem=problems.append)
    assert [p.problem for p in problems] == ["check failed: RuntimeError: boom"]
