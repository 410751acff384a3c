"""The review store: fact-checkers' decisions on findings, kept in an embedded SQLite database.

Why SQLite: one file that travels with the reports (default ``reports/claimcheck.db``), safe
for several reviewers at once (WAL journal, writes in ``BEGIN IMMEDIATE`` transactions, a busy
timeout instead of "database is locked"), and no server to run.

What is kept
- ``decisions``: every decision ever made (story, finding id, status, note, reviewer, time, and
  the evidence the reviewer saw). Append-only: triggers refuse UPDATE and DELETE, so the history
  is never overwritten. A finding's review status is its latest decision.
- ``findings``: the latest state of every finding a check recorded (message, severity, evidence),
  so ``review show`` and ``review export`` work without re-running the check, and whether the
  last check of its story still found it.
- ``snapshots``: each distinct evidence set a finding has had, by ``evidence_hash``, so a
  reopened finding can say what changed since the decision.
- ``stories``: where each story was read from, for ``claimcheck serve`` with no story named.
- ``runs``: each nightly run: date, inbox, start, end, status and counts, failed stories.

Decisions stick: ``record_check`` compares each finding's evidence with the evidence its latest
decision was made on. When they differ (an article edited, a new source adding a value, a source
dropping out) a decided finding is reopened by a decision of the checker's own (reviewer
``claimcheck``) that says why. Dismissed findings whose evidence is unchanged stay dismissed.
A check that ran only some rules (``--select``, ``--ignore``, a rule turned off) or dropped
severities (``min_severity``) says so with a ``CheckScope``: only the findings it could have
raised are marked no longer found, so a filtered check never buries a decision.

The schema is versioned with ``PRAGMA user_version``; ``MIGRATIONS[n]`` takes version n to n+1.
Add a migration, never edit a released one.
"""
from __future__ import annotations

import getpass
import json
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from checker.engine.findings import REVIEW_STATUSES, SEVERITY_RANK, dismissed
from claims.errors import InputError, InputWarning

STATUSES = REVIEW_STATUSES
STATUS_TEXT = {
    "open": "Open: not reviewed yet",
    "confirmed": "Confirmed: the sources really disagree",
    "dismissed": "Dismissed: not a real inconsistency",
    "corrected": "Corrected: an article was fixed",
    "follow-up": "Follow-up: needs more checking",
}
CHECKER = "claimcheck"  # the reviewer name on decisions the checker makes itself (reopening)
DEFAULT_DB = Path("reports") / "claimcheck.db"
DB_ENV = "CLAIMCHECK_DB"
BUSY_TIMEOUT_S = 30
MAX_NOTE = 10_000
MAX_REVIEWER = 200



@dataclass(frozen=True)
class CheckScope:
    """Which findings a check could have raised: those of the rules that ran, at or above its
    min_severity. A finding outside the scope that the check did not report is not gone; it
    was not looked for."""

    rules: frozenset[str]
    min_severity: str = "info"

    @classmethod
    def of(cls, ruleset) -> CheckScope:
        """The scope of a check with ``ruleset`` (a ``RuleSet``: its enabled rules, its floor)."""
        return cls(frozenset(r.id for r in ruleset.enabled), ruleset.min_severity)

    def covers(self, rule: str, severity: str) -> bool:
        return rule in self.rules and SEVERITY_RANK.get(severity, 0) >= SEVERITY_RANK.get(self.min_severity, 0)


_STATUS_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in STATUSES) + ")"

MIGRATIONS: list[list[str]] = [
    [  # 0 -> 1: decisions, finding state, evidence snapshots, stories
        f"""CREATE TABLE decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            story TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            status TEXT NOT NULL CHECK ({_STATUS_CHECK}),
            note TEXT NOT NULL DEFAULT '',
            reviewer TEXT NOT NULL,
            decided_at TEXT NOT NULL,
            evidence_hash TEXT,
            reopened_because TEXT)""",
        "CREATE INDEX decisions_by_finding ON decisions (story, finding_id, seq)",
        """CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
           BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END""",
        """CREATE TABLE findings (
            story TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            claim_type TEXT NOT NULL,
            subject TEXT NOT NULL,
            message TEXT NOT NULL,
            evidence_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            present INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (story, finding_id))""",
        """CREATE TABLE snapshots (
            story TEXT NOT NULL,
            finding_id TEXT NOT NULL,
            evidence_hash TEXT NOT NULL,
            evidence_json TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (story, finding_id, evidence_hash))""",
        """CREATE TABLE stories (
            story TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            last_checked TEXT NOT NULL)""",
    ],
    [  # 1 -> 2: nightly runs
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL,
            inbox TEXT NOT NULL,
            output TEXT NOT NULL,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'interrupted')),
            stories INTEGER NOT NULL DEFAULT 0,
            failed INTEGER NOT NULL DEFAULT 0,
            articles INTEGER NOT NULL DEFAULT 0,
            findings INTEGER NOT NULL DEFAULT 0,
            new INTEGER NOT NULL DEFAULT 0,
            resolved INTEGER NOT NULL DEFAULT 0,
            failures_json TEXT NOT NULL DEFAULT '[]')""",
    ],
]
SCHEMA_VERSION = len(MIGRATIONS)
APPLICATION_ID = 0x63436B31  # "cCk1": marks a SQLite file as a claimcheck review database
_CONTROL = {c for c in range(0x20)} | {0x7F} | set(range(0x80, 0xA0))


class StaleEvidence(Exception):
    """A decision was made on evidence that has changed since (the page was loaded before the
    last check)."""


@dataclass
class Decision:
    seq: int
    story: str
    finding_id: str
    status: str
    note: str
    reviewer: str
    decided_at: str
    evidence_hash: str | None
    reopened_because: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def os_user() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # noqa: BLE001 - no login name (containers): still a usable default
        return os.environ.get("USER") or "unknown"


def db_path(option: Path | None, *, must_exist: bool = False, default: Path = DEFAULT_DB) -> Path | None:
    """The database to use: ``--db``, else ``$CLAIMCHECK_DB``, else ``default``
    (``reports/claimcheck.db``; the nightly run's is ``OUT/claimcheck.db``, beside its reports).

    With ``must_exist`` the default is used only when it is already there (``claimcheck check``
    does not create a database nobody asked for); a path given explicitly is always used.
    """
    if option is not None:
        return option
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    if must_exist and not default.is_file():
        return None
    return default


class ReviewStore:
    """One database file. Every method opens its own short-lived connection, so a store can be
    shared by the threads of ``claimcheck serve`` and by several processes."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if self.path.is_dir():
            raise InputError(str(self.path), "is a folder; the review database must be a file")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(str(self.path), f"cannot create its folder: {exc.strerror}") from None
        self._checked = False
        self._session: sqlite3.Connection | None = None
        with self._connect() as conn:
            self._migrate(conn)
        self._checked = True

    # --- connection and schema -------------------------------------------------------------

    @contextmanager
    def session(self) -> Iterator[None]:
        """Use one connection for every call inside (in this thread): a nightly run records
        thousands of checks, and opening and closing the database for each cost more than its
        writes. Each write is still its own transaction."""
        with self._connect() as conn:
            self._session = conn
            try:
                yield
            finally:
                self._session = None

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = None
        try:
            conn = self._session or self._open()
            yield conn
        except sqlite3.DatabaseError as exc:
            raise InputError(str(self.path), f"not a usable review database: {exc}") from None
        finally:
            if conn is not None and conn is not self._session:
                conn.close()

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(str(self.path), f"cannot open the review database: {exc}") from None
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            if self._checked:
                # WAL lets readers and a writer work at once; with NORMAL sync it cannot corrupt
                # the database, and a power cut may lose only the last commit, which costs far
                # less than an fsync on every decision and every check
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; IMMEDIATE takes the write lock up front, so two reviewers saving
        at once wait for each other instead of one failing halfway."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        app = conn.execute("PRAGMA application_id").fetchone()[0]
        if app not in (0, APPLICATION_ID) or (version == 0 and conn.execute(
                "SELECT COUNT(*) FROM sqlite_master").fetchone()[0]):
            # never take over somebody else's database, even for a read
            raise InputError(str(self.path), "a SQLite database of another program, not a claimcheck review database")
        if version > SCHEMA_VERSION:
            raise InputError(str(self.path), f"made by a newer claimcheck (schema {version}; "
                                             f"this one knows up to {SCHEMA_VERSION})")
        if version == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            # read again under the lock: another process may have migrated meanwhile
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        with self._connect() as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    # --- recording checks ------------------------------------------------------------------

    def record_check(self, data: dict, *, now: str | None = None, path_may_change: bool = False,
                     scope: CheckScope | None = None) -> dict[str, dict]:
        """Record one story's check (the report contract of ``pipeline.result_to_dict``), reopen
        decided findings whose evidence changed, and return each finding's review by id.

        ``scope`` (None: every rule, every severity) says what the check could have found: a
        recorded finding outside it is left as it was, not marked no longer found.

        Stories are told apart by id alone (the folder name), so two folders of the same name
        share one set of decisions. When the story id was last recorded from another path that
        still exists, a warning says so: it is added to ``data["warnings"]`` and printed as one
        ``claimcheck: warning:`` line. ``path_may_change`` turns this off for callers that read
        the same story from a new place on purpose (a nightly inbox folder per date).
        """
        now = now or utc_now()
        story = data["story"]["id"]
        ids = [f["id"] for f in data.get("findings", [])]
        if not path_may_change:
            self._warn_if_recorded_elsewhere(story, data)
        if data.get("problems"):
            # an article could not be read (an editor mid-save, say): its claims are missing,
            # so this check must neither reopen decisions nor mark findings gone
            with self._connect() as conn:
                return _reviews(conn, story, ids)
        snapshots = {f["id"]: evidence_snapshot(f, data) for f in data.get("findings", [])}
        with self._write() as conn:
            conn.execute("INSERT INTO stories (story, path, last_checked) VALUES (?, ?, ?) "
                         "ON CONFLICT (story) DO UPDATE SET path = excluded.path, "
                         "last_checked = excluded.last_checked",
                         # to the microsecond: a server compares it to see if another check came since
                         (story, _absolute(data["story"].get("path")),
                          datetime.now(timezone.utc).isoformat(timespec="microseconds")))
            if scope is None:
                conn.execute("UPDATE findings SET present = 0 WHERE story = ?", (story,))
            else:
                absent = [(story, row["finding_id"]) for row in conn.execute(
                    "SELECT finding_id, rule, severity FROM findings WHERE story = ? AND present = 1", (story,))
                    if scope.covers(row["rule"], row["severity"])]
                conn.executemany("UPDATE findings SET present = 0 WHERE story = ? AND finding_id = ?", absent)
            for finding in data.get("findings", []):
                self._record_finding(conn, story, finding, snapshots[finding["id"]], now)
            for finding in data.get("findings", []):
                self._inherit_decision(conn, story, finding, snapshots[finding["id"]], now)
            return _reviews(conn, story, ids)

    def _warn_if_recorded_elsewhere(self, story: str, data: dict) -> None:
        path = _absolute(data["story"].get("path"))
        if not path:
            return
        with self._connect() as conn:
            row = conn.execute("SELECT path FROM stories WHERE story = ?", (story,)).fetchone()
        before = row["path"] if row else ""
        # a folder that no longer exists was moved or renamed: the same story, nothing to share
        if not before or before == path or not Path(before.partition("#")[0]).exists():
            return
        warning = InputWarning(path, f"story id {story!r} was recorded in {self.path} from {before}; "
                                     "both share one set of review decisions (rename one folder to keep them apart)")
        data.setdefault("warnings", []).append(warning.to_dict())
        from checker.console import warning_line

        warning_line(str(warning))

    def _record_finding(self, conn: sqlite3.Connection, story: str, finding: dict,
                        snapshot: list[dict], now: str) -> None:
        fid, current = finding["id"], finding["evidence_hash"]
        conn.execute(
            "INSERT INTO findings (story, finding_id, rule, kind, severity, claim_type, subject, "
            "message, evidence_hash, first_seen, last_seen, present) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (story, finding_id) DO UPDATE SET rule = excluded.rule, "
            "kind = excluded.kind, severity = excluded.severity, claim_type = excluded.claim_type, "
            "subject = excluded.subject, message = excluded.message, "
            "evidence_hash = excluded.evidence_hash, last_seen = excluded.last_seen, present = 1",
            (story, fid, finding["rule"], finding["kind"], finding["severity"], finding["claim_type"],
             str(finding["subject"]), finding["message"], current, now, now))
        # the same evidence may come with a new url, outlet or headline: keep the latest of those
        conn.execute("INSERT INTO snapshots (story, finding_id, evidence_hash, evidence_json, first_seen) "
                     "VALUES (?, ?, ?, ?, ?) ON CONFLICT (story, finding_id, evidence_hash) "
                     "DO UPDATE SET evidence_json = excluded.evidence_json",
                     (story, fid, current, json.dumps(snapshot, ensure_ascii=False, sort_keys=True), now))
        latest = _latest(conn, story, fid)
        if latest is None or latest.evidence_hash == current:
            return
        if latest.status == "open":
            self._restore(conn, story, fid, latest, current, now)
            return
        before = _snapshot(conn, story, fid, latest.evidence_hash)
        reason = (f"evidence changed since it was marked {latest.status} by {latest.reviewer} "
                  f"on {latest.decided_at[:10]}: {describe_change(before, snapshot)}")
        conn.execute("INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at, "
                     "evidence_hash, reopened_because) VALUES (?, ?, 'open', '', ?, ?, ?, ?)",
                     (story, fid, CHECKER, now, current, reason))

    def _restore(self, conn: sqlite3.Connection, story: str, finding_id: str, latest: Decision,
                 current: str, now: str) -> None:
        """The checker reopened a finding and the evidence is now back to what a person decided
        on (an article briefly broken, a source added and withdrawn): their decision returns."""
        if latest.reviewer != CHECKER:
            return
        rows = conn.execute("SELECT * FROM decisions WHERE story = ? AND finding_id = ? AND reviewer != ? "
                            "ORDER BY seq DESC LIMIT 1", (story, finding_id, CHECKER)).fetchall()
        if not rows:
            return
        human = _decision(rows[0])
        if human.evidence_hash != current or human.status == "open":
            return
        conn.execute("INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at, evidence_hash, "
                     "reopened_because) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
                     (story, finding_id, human.status,
                      f"restored: the evidence is again what {human.reviewer} decided on {human.decided_at[:10]}"
                      + (f" ({human.note})" if human.note else ""), CHECKER, now, current))

    def _inherit_decision(self, conn: sqlite3.Connection, story: str, finding: dict,
                          snapshot: list[dict], now: str) -> None:
        """A finding's id names its conflicting values, so editing a value or adding a source
        with a new value gives a new id. When a new finding takes the place of a decided one
        that is gone (same rule and subject), it opens saying what it replaces and what changed,
        rather than looking like a conflict nobody has seen."""
        if _latest(conn, story, finding["id"]) is not None:
            return
        gone = conn.execute("SELECT finding_id, evidence_hash FROM findings WHERE story = ? AND rule = ? "
                            "AND subject = ? AND claim_type = ? AND present = 0",
                            (story, finding["rule"], str(finding["subject"]), finding["claim_type"])).fetchall()
        best, best_shared = None, -1
        for row in gone:
            decision = _latest(conn, story, row["finding_id"])
            if decision is None or decision.status == "open":
                continue
            before = _snapshot(conn, story, row["finding_id"], decision.evidence_hash) or []
            shared = len({e["article"] for e in before} & {e["article"] for e in snapshot})
            if shared > best_shared:
                best, best_shared = (row["finding_id"], decision, before), shared
        if best is None:
            return
        old_id, decision, before = best
        reason = (f"replaces {old_id}, marked {decision.status} by {decision.reviewer} on "
                  f"{decision.decided_at[:10]}" + (f" ({decision.note})" if decision.note else "")
                  + f"; evidence changed: {describe_change(before, snapshot)}")
        conn.execute("INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at, "
                     "evidence_hash, reopened_because) VALUES (?, ?, 'open', '', ?, ?, ?, ?)",
                     (story, finding["id"], CHECKER, now, finding["evidence_hash"], reason))

    # --- decisions -------------------------------------------------------------------------

    def decide(self, story: str, finding_id: str, status: str, note: str = "", reviewer: str | None = None,
               *, evidence_hash: str | None = None, now: str | None = None) -> Decision:
        """Append a decision on the finding's latest evidence. ``evidence_hash`` is the evidence
        the reviewer looked at (a served page may be older than the last check): when given and
        no longer current, nothing is written and StaleEvidence is raised."""
        if status not in STATUSES:
            raise InputError(str(self.path), f"unknown status {status!r} (known: {', '.join(STATUSES)})")
        note = (note or "").replace("\r\n", "\n")
        reviewer = (reviewer or os_user()).strip() or os_user()
        if len(note) > MAX_NOTE:
            raise InputError(str(self.path), f"note too long ({len(note)} characters; limit {MAX_NOTE})")
        if len(reviewer) > MAX_REVIEWER:
            raise InputError(str(self.path), f"reviewer name too long (limit {MAX_REVIEWER})")
        # notes and names end up on terminals and in logs: no escape sequences, no fake lines
        if any(ord(c) in _CONTROL for c in note if c not in "\n\t") or any(ord(c) in _CONTROL for c in reviewer):
            raise InputError(str(self.path), "control characters are not allowed in a note or reviewer name")
        if reviewer == CHECKER:
            raise InputError(str(self.path), f"{CHECKER!r} is the checker's own name; choose another reviewer name")
        with self._write() as conn:
            row = conn.execute("SELECT evidence_hash FROM findings WHERE story = ? AND finding_id = ?",
                               (story, finding_id)).fetchone()
            if row is None:
                raise InputError(str(self.path), f"no finding {finding_id!r} in story {story!r}")
            if evidence_hash is not None and evidence_hash != row["evidence_hash"]:
                raise StaleEvidence(f"the evidence of {finding_id} changed since it was shown")
            evidence_hash = row["evidence_hash"]
            cursor = conn.execute(
                "INSERT INTO decisions (story, finding_id, status, note, reviewer, decided_at, evidence_hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (story, finding_id, status, note, reviewer, now or utc_now(), evidence_hash))
            return _decision(conn.execute("SELECT * FROM decisions WHERE seq = ?", (cursor.lastrowid,)).fetchone())

    def history(self, story: str, finding_id: str) -> list[Decision]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM decisions WHERE story = ? AND finding_id = ? ORDER BY seq",
                                (story, finding_id)).fetchall()
        return [_decision(r) for r in rows]

    def reviews(self, story: str, finding_ids: list[str] | None = None) -> dict[str, dict]:
        """Each finding's review: its latest decision, or ``open`` with no decision yet."""
        with self._connect() as conn:
            return _reviews(conn, story, finding_ids)

    # --- lookups ---------------------------------------------------------------------------

    def resolve(self, finding_id: str, story: str | None = None) -> tuple[str, str]:
        """(story, full finding id) for an id or a unique prefix of one (at least 6 characters)."""
        wanted = finding_id.strip()
        if len(wanted) < 6:
            raise InputError(wanted or "(empty)", "finding id too short (give at least 6 characters)")
        like = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = "SELECT story, finding_id FROM findings WHERE finding_id LIKE ? ESCAPE '\\'"
        args: list[Any] = [like]
        if story is not None:
            query += " AND story = ?"
            args.append(story)
        with self._connect() as conn:
            rows = conn.execute(query, args).fetchall()
        exact = [r for r in rows if r["finding_id"] == wanted]
        rows = exact or rows
        if not rows:
            where = f" in story {story!r}" if story else ""
            raise InputError(wanted, f"no such finding{where} in {self.path} "
                                     "(ids come from 'claimcheck check STORY --db ...')")
        if len({(r["story"], r["finding_id"]) for r in rows}) > 1:
            options = ", ".join(sorted(f"{r['finding_id']} ({r['story']})" for r in rows)[:6])
            raise InputError(wanted, f"ambiguous: matches {options}; give the full id and --story")
        return rows[0]["story"], rows[0]["finding_id"]

    def findings(self, story: str | None = None, status: str | None = None,
                 include_gone: bool = False, finding_id: str | None = None) -> list[dict]:
        """Recorded findings with their latest evidence and review, filtered; those the last
        check no longer found are left out unless ``include_gone``. One query, whatever the size."""
        clauses, args = [], []
        if story is not None:
            clauses.append("f.story = ?")
            args.append(story)
        if not include_gone:
            clauses.append("f.present = 1")
        if finding_id is not None:
            clauses.append("f.finding_id = ?")
            args.append(finding_id)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        query = (
            "SELECT f.*, s.evidence_json, d.seq AS d_seq, d.status AS d_status, d.note AS d_note, "
            "d.reviewer AS d_reviewer, d.decided_at AS d_decided_at, d.evidence_hash AS d_evidence_hash, "
            "d.reopened_because AS d_reopened_because, latest.n AS d_count "
            "FROM findings f "
            "LEFT JOIN snapshots s ON s.story = f.story AND s.finding_id = f.finding_id "
            "AND s.evidence_hash = f.evidence_hash "
            "LEFT JOIN (SELECT story, finding_id, MAX(seq) AS last, COUNT(*) AS n FROM decisions "
            "GROUP BY story, finding_id) latest ON latest.story = f.story AND latest.finding_id = f.finding_id "
            "LEFT JOIN decisions d ON d.seq = latest.last" + where)
        with self._connect() as conn:
            rows = conn.execute(query, args).fetchall()
        out = []
        for row in rows:
            item = {k: row[k] for k in row.keys() if not k.startswith("d_") and k != "evidence_json"}
            item["present"] = bool(item["present"])
            item["evidence"] = json.loads(row["evidence_json"]) if row["evidence_json"] else []
            decision = None if row["d_seq"] is None else Decision(
                seq=row["d_seq"], story=row["story"], finding_id=row["finding_id"], status=row["d_status"],
                note=row["d_note"], reviewer=row["d_reviewer"], decided_at=row["d_decided_at"],
                evidence_hash=row["d_evidence_hash"], reopened_because=row["d_reopened_because"])
            item["review"] = review_dict(decision, row["d_count"] or 0)
            out.append(item)
        out.sort(key=lambda f: (f["story"], -SEVERITY_RANK.get(f["severity"], 0), f["finding_id"]))
        return [f for f in out if status is None or f["review"]["status"] == status]

    def finding(self, story: str, finding_id: str) -> dict:
        """A recorded finding with its latest evidence and review."""
        found = self.findings(story, include_gone=True, finding_id=finding_id)
        if not found:
            raise InputError(finding_id, f"no such finding in story {story!r}")
        return found[0]

    def last_checked(self, story: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("SELECT last_checked FROM stories WHERE story = ?", (story,)).fetchone()
        return row["last_checked"] if row else None

    # --- nightly runs ---------------------------------------------------------------------

    def start_run(self, date: str, inbox: str, output: str, *, now: str | None = None) -> int:
        with self._write() as conn:
            cursor = conn.execute("INSERT INTO runs (date, inbox, output, started, status) VALUES (?, ?, ?, ?, 'running')",
                                  (date, inbox, output, now or utc_now()))
            return int(cursor.lastrowid)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int], failures: list[dict],
                   *, now: str | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE runs SET finished = ?, status = ?, stories = ?, failed = ?, articles = ?, "
                         "findings = ?, new = ?, resolved = ?, failures_json = ? WHERE id = ?",
                         (now or utc_now(), status, counts.get("stories", 0), counts.get("failed", 0),
                          counts.get("articles", 0), counts.get("findings", 0), counts.get("new", 0),
                          counts.get("resolved", 0), json.dumps(failures, ensure_ascii=False), run_id))

    def runs(self) -> list[dict]:
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM runs ORDER BY id").fetchall()
        return [{**dict(r), "failures": json.loads(r["failures_json"])} for r in rows]

    def stories(self) -> list[dict]:
        with self._connect() as conn:
            return [dict(r) for r in conn.execute("SELECT * FROM stories ORDER BY story").fetchall()]


# --- helpers -------------------------------------------------------------------------------

def _reviews(conn: sqlite3.Connection, story: str, finding_ids: list[str] | None) -> dict[str, dict]:
    rows = conn.execute(
        "SELECT d.*, counts.n FROM decisions d JOIN (SELECT finding_id, MAX(seq) AS last, COUNT(*) AS n "
        "FROM decisions WHERE story = ? GROUP BY finding_id) counts ON d.seq = counts.last",
        (story,)).fetchall()
    latest = {r["finding_id"]: (_decision(r), r["n"]) for r in rows}
    ids = finding_ids if finding_ids is not None else list(latest)
    return {fid: review_dict(*latest[fid]) if fid in latest else review_dict(None, 0) for fid in ids}


def _absolute(path: str | None) -> str:
    """Stories are found again by path (``serve`` with no story named), from any folder."""
    if not path:
        return ""
    file, sep, rest = str(path).partition("#")
    return str(Path(file).resolve()) + sep + rest


def _decision(row: sqlite3.Row) -> Decision:
    return Decision(seq=row["seq"], story=row["story"], finding_id=row["finding_id"], status=row["status"],
                    note=row["note"], reviewer=row["reviewer"], decided_at=row["decided_at"],
                    evidence_hash=row["evidence_hash"], reopened_because=row["reopened_because"])


def _latest(conn: sqlite3.Connection, story: str, finding_id: str) -> Decision | None:
    row = conn.execute("SELECT * FROM decisions WHERE story = ? AND finding_id = ? ORDER BY seq DESC LIMIT 1",
                       (story, finding_id)).fetchone()
    return _decision(row) if row else None


def _snapshot(conn: sqlite3.Connection, story: str, finding_id: str, evidence_hash: str | None) -> list[dict] | None:
    row = conn.execute("SELECT evidence_json FROM snapshots WHERE story = ? AND finding_id = ? AND evidence_hash = ?",
                       (story, finding_id, evidence_hash)).fetchone()
    return json.loads(row["evidence_json"]) if row else None


def review_dict(decision: Decision | None, count: int) -> dict[str, Any]:
    """The ``review`` field a finding carries in every report format."""
    if decision is None:
        return {"status": "open", "note": "", "reviewer": None, "decided_at": None,
                "reopened_because": None, "decisions": 0}
    return {"status": decision.status, "note": decision.note, "reviewer": decision.reviewer,
            "decided_at": decision.decided_at, "reopened_because": decision.reopened_because,
            "decisions": count}


def evidence_snapshot(finding: dict, data: dict) -> list[dict]:
    """What a reviewer sees of a finding's evidence, with each source's outlet, headline and url
    (kept so an export can name every appearance without the articles at hand)."""
    articles = {a["id"]: a for a in data.get("articles", [])}
    out = []
    for ev in finding.get("evidence", []):
        article = articles.get(ev.get("article"), {})
        out.append({"article": ev.get("article"), "text": ev.get("text"), "value": ev.get("value"),
                    "normalized": ev.get("normalized"), "sentence": ev.get("sentence"),
                    "outlet": ev.get("outlet") or article.get("outlet"),
                    "published": ev.get("published") or article.get("published"),
                    "title": article.get("title"), "url": article.get("url")})
    return out


def _shown(item: dict) -> str:
    text = " ".join(str(item.get("text") or item.get("value") or "").split())
    return text if len(text) <= 80 else text[:79] + "…"


def _source(item: dict) -> str:
    return f"{item['outlet']} ({item['article']})" if item.get("outlet") else str(item.get("article"))


def describe_change(before: list[dict] | None, after: list[dict]) -> str:
    """What changed between two evidence snapshots, in words a reviewer can act on."""
    if before is None:
        return "the evidence it was decided on is not recorded"
    old: dict[str, list[dict]] = {}
    new: dict[str, list[dict]] = {}
    for item in before:
        old.setdefault(item["article"], []).append(item)
    for item in after:
        new.setdefault(item["article"], []).append(item)
    changes = []
    for article in sorted(set(new) - set(old)):
        values = ", ".join(f"'{_shown(i)}'" for i in new[article])
        changes.append(f"new source {_source(new[article][0])} says {values}")
    for article in sorted(set(old) & set(new)):
        was = {_shown(i) for i in old[article]}
        now = {_shown(i) for i in new[article]}
        if was != now:
            changes.append(f"{_source(new[article][0])} was edited: "
                           f"'{'; '.join(sorted(was))}' is now '{'; '.join(sorted(now))}'")
    for article in sorted(set(old) - set(new)):
        changes.append(f"{_source(old[article][0])} no longer makes the claim")
    return "; ".join(changes) or "the wording of the evidence changed"


def attach_reviews(data: dict, reviews: dict[str, dict]) -> dict:
    """Put each finding's review into the report contract (``finding["review"]``) and count the
    findings by review status in ``summary["review"]``."""
    counts = {s: 0 for s in STATUSES}
    for finding in data.get("findings", []):
        review = reviews.get(finding["id"]) or review_dict(None, 0)
        finding["review"] = review
        counts[review["status"]] += 1
    data.setdefault("summary", {})["review"] = counts
    return data


def counts_toward_failure(finding: dict) -> bool:
    """``--fail-on`` counts a finding unless a reviewer dismissed it."""
    return not dismissed(finding)
