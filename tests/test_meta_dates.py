"""Publication dates in meta.json and feeds (claims.meta_dates): RFC 2822, dates in words, and the
stated rule for all-numeric day and month, each guess a warning naming the file, the raw value and
the reading chosen."""
from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from claims.meta_dates import DAY_FIRST, MONTH_FIRST, DateError, declared_order, file_order, read_date
from claims.read import read_story
from helpers import HARBOUR_FIRE

FIRE = "A fire on the cargo ship Polar Star killed 12 sailors in Murmansk harbour on Tuesday, officials said.\n"


@pytest.mark.parametrize("raw, when", [
    ("Tue, 17 Aug 1999 08:30:00 GMT", datetime(1999, 8, 17, 8, 30)),
    ("Tue, 17 Aug 1999 08:30:00 -0400", datetime(1999, 8, 17, 12, 30)),
    ("17 Aug 1999 08:30 EDT", datetime(1999, 8, 17, 12, 30)),
    ("November 1, 1999", datetime(1999, 11, 1)),
    ("Nov. 1, 1999 8:30 pm EST", datetime(1999, 11, 2, 1, 30)),
    ("Tuesday, November 2, 1999", datetime(1999, 11, 2)),
    ("1 November 1999", datetime(1999, 11, 1)),
    ("1999-11-01T08:30:00Z", datetime(1999, 11, 1, 8, 30)),
    ("1999-11-01 23:00 EST", datetime(1999, 11, 2, 4, 0)),
    (19991101, datetime(1999, 11, 1)),
    ("13/02/1999", datetime(1999, 2, 13)),    # only one reading is a date
    ("02/13/1999 16:30", datetime(1999, 2, 13, 16, 30)),
    ("02.11.1999", datetime(1999, 11, 2)),    # dots: day first
])
def test_dates_as_newsrooms_write_them_are_read_without_a_warning(raw, when):
    assert read_date(raw) == read_date(raw).__class__(when, None)


@pytest.mark.parametrize("raw", ["November 1999", "1999", "Tuesday", "garbage", "31/02/1999", "02/11/1999 foo",
                                 "x" * 500, "Mar 4", "1/2/3", "4 3 2024 soon"])
def test_what_is_not_a_full_date_is_refused(raw):
    with pytest.raises(ValueError):
        read_date(raw)


def test_an_ambiguous_numeric_date_is_read_day_first_and_says_so():
    reading = read_date("02/11/1999")
    assert reading.when == datetime(1999, 11, 2)
    assert "could be 2 November 1999 or 11 February 1999; read as 2 November 1999 (day first, the default" \
        in reading.note
    assert read_date("02/11/1999", hint=MONTH_FIRST) == read_date("11/02/1999", hint=DAY_FIRST)
    assert read_date("02/11/1999", hint=MONTH_FIRST).note is None


@pytest.mark.parametrize("raw, hint, when, guessed", [
    # spaces and mixed separators follow the same rule as slashes: the default, with a warning ...
    ("4 3 2024", None, datetime(2024, 3, 4), True),
    ("4/3 2024", None, datetime(2024, 3, 4), True),
    ("04 03 2024 08:30 +0100", None, datetime(2024, 3, 4, 7, 30), True),
    # ... the order the story declares or shows, without one ...
    ("4 3 2024", MONTH_FIRST, datetime(2024, 4, 3), False),
    ("4 3 2024", DAY_FIRST, datetime(2024, 3, 4), False),
    # ... and no guess when only one reading is a date, or the form is the dotted day-first one
    ("13 2 1999", MONTH_FIRST, datetime(1999, 2, 13), False),
    ("2 13 1999", None, datetime(1999, 2, 13), False),
    ("4. 3. 2024", MONTH_FIRST, datetime(2024, 3, 4), False),
    # two-digit years: 69-99 are the 1900s, 00-68 the 2000s
    ("13 2 69", None, datetime(1969, 2, 13), False),
    ("13-2-68", None, datetime(2068, 2, 13), False),
])
def test_numeric_dates_with_any_separator_follow_the_stated_order(raw, hint, when, guessed):
    reading = read_date(raw, hint=hint)
    assert reading.when == when
    if guessed:
        assert f"{raw!r} could be 4 March 2024 or 3 April 2024; read as 4 March 2024 (day first, the default" \
            in reading.note
    else:
        assert reading.note is None


@pytest.mark.parametrize("raw, why", [
    ("1/2/3", "has a 1-digit year"),             # was read as 2 January 2003, silently
    ("4 3 024", "has a 3-digit year"),
    ("Mar 4", "has no year"),
    ("November 1999", "has no day"),
    ("1999", "has no day or month"),
    ("1999-02-11T08:30:00-99:00", "is not a date (time zone offset -99:00 is out of range)"),
    ("Tue, 17 Aug 1999 08:30:00 +1500", "is not a date (time zone offset +15:00 is out of range)"),
    ("02/11/1999 08:30 -05:75", "is not a date (time zone offset -05:75 is out of range)"),
])
def test_a_refused_date_says_why_in_plain_words(raw, why):
    with pytest.raises(DateError) as refused:
        read_date(raw)
    assert str(refused.value) == why
    assert read_date("1999-02-11T08:30:00+14:00").when == datetime(1999, 2, 10, 18, 30)  # the furthest real zone


def test_meta_json_spaced_dates_follow_the_story_order_and_bad_ones_are_named(tmp_path):
    story = story_with_meta(tmp_path, [{"date": "4 3 2024"}, {"date": "1999-02-11T08:30:00-99:00"},
                                       {"date": "Mar 4"}], date_order="day-first")
    found, warnings = published(story)
    assert found == {"wire-a": datetime(2024, 3, 4), "paper-b": None, "site-c": None}
    assert sorted(w.split(": ", 1)[1] for w in warnings) == [
        "articles[1] ('paper-b.txt'): 'date' '1999-02-11T08:30:00-99:00' is not a date "
        "(time zone offset -99:00 is out of range); date dropped",
        "articles[2] ('site-c.txt'): 'date' 'Mar 4' has no year; date dropped"]
    # another spaced date that reads one way only shows the file's order
    story = story_with_meta(tmp_path / "shown", [{"date": "4 3 2024"}, {"date": "2 13 2024"}])
    found, warnings = published(story)
    assert found["wire-a"] == datetime(2024, 4, 3) and warnings == []


def test_the_order_a_story_declares_or_shows():
    assert declared_order({"locale": "en-US"}) == MONTH_FIRST
    assert declared_order({"locale": "en_GB"}) == DAY_FIRST
    assert declared_order({"date_order": "month-first"}) == MONTH_FIRST
    assert declared_order({"language": "en"}) is None  # a language alone says no country
    records = [{"datetime": "08/13/1998 02:34:00"}, {"datetime": "08/09/1998 16:30:00"}]
    assert file_order(records, ("datetime",)) == MONTH_FIRST
    assert file_order(records + [{"datetime": "25/12/1998"}], ("datetime",)) is None  # they disagree
    assert file_order(records, ("datetime",), top={"date_order": "day-first"}) == DAY_FIRST


def story_with_meta(tmp_path: Path, dates: list[dict], **top) -> Path:
    story = tmp_path / "harbour-fire"
    shutil.copytree(HARBOUR_FIRE, story)
    meta = json.loads((story / "meta.json").read_text(encoding="utf-8"))
    for entry, fields in zip(meta["articles"], dates):
        for key in ("date", "datetime", "published"):
            entry.pop(key, None)
        entry.update(fields)
    meta.update(top)
    (story / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return story


def published(story: Path) -> tuple[dict, list[str]]:
    result = read_story(story)
    assert not result.problems
    return {a.id: a.published for a in result.articles}, [str(w) for w in result.warnings]


def test_meta_json_rfc2822_and_words_are_read(tmp_path):
    story = story_with_meta(tmp_path, [{"date": "Tue, 17 Aug 1999 08:30:00 GMT"}, {"date": "November 1, 1999"},
                                       {"datetime": "1999-11-01T08:30:00+01:00"}])
    dates, warnings = published(story)
    assert sorted(dates.values()) == [datetime(1999, 8, 17, 8, 30), datetime(1999, 11, 1),
                                      datetime(1999, 11, 1, 7, 30)]
    assert warnings == []


def test_meta_json_ambiguous_date_is_a_warning_naming_file_value_and_reading(tmp_path):
    story = story_with_meta(tmp_path, [{"date": "02/11/1999"}, {"date": "1999-11-02"}, {"date": "1999-11-02"}])
    dates, warnings = published(story)
    assert datetime(1999, 11, 2) in dates.values()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{story / 'meta.json'}: articles[0] (")
    assert "'date' '02/11/1999' could be 2 November 1999 or 11 February 1999; read as 2 November 1999" in warnings[0]


@pytest.mark.parametrize("dates, top, want", [
    # the entry's other date field is one of the readings (as the DUC wire metadata has it)
    ([{"datetime": "02/11/1999 08:30", "date": "1999-02-11"}], {}, datetime(1999, 2, 11, 8, 30)),
    # the file declares its order
    ([{"date": "02/11/1999"}], {"date_order": "month-first"}, datetime(1999, 2, 11)),
    ([{"date": "02/11/1999"}], {"locale": "en-US"}, datetime(1999, 2, 11)),
    ([{"date": "02/11/1999", "locale": "en-US"}], {"locale": "en-GB"}, datetime(1999, 2, 11)),  # the entry wins
    # another date in the file can be read only one way
    ([{"date": "02/11/1999"}, {"date": "02/13/1999"}], {}, datetime(1999, 2, 11)),
])
def test_meta_json_order_known_from_the_story_is_no_warning(tmp_path, dates, top, want):
    story = story_with_meta(tmp_path, dates, **top)
    found, warnings = published(story)
    assert want in found.values()
    assert warnings == []


def test_meta_date_that_cannot_be_read_is_a_warning_not_silence(tmp_path):
    story = story_with_meta(tmp_path, [{"date": "November 1999"}, {"date": "sometime last week"}])
    found, warnings = published(story)
    assert sorted(w.split(": ", 1)[1] for w in warnings) == [
        "articles[0] ('wire-a.txt'): 'date' 'November 1999' has no day; date dropped",
        "articles[1] ('paper-b.txt'): 'date' 'sometime last week' is not a date; date dropped"]
    assert found["wire-a"] is None and found["paper-b"] is None


def test_feed_dates_rfc2822_and_ambiguous_with_record_lines(tmp_path):
    feed = tmp_path / "wire.jsonl"
    records = [{"id": "a", "text": FIRE, "published": "Tue, 17 Aug 1999 08:30:00 GMT"},
               {"id": "b", "text": FIRE, "published": "November 1, 1999"},
               {"id": "c", "text": FIRE, "published": "02/11/1999"},
               {"id": "d", "text": FIRE, "published": "04/05/1999", "locale": "en-US"}]
    feed.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = read_story(feed)
    dates = {a.id: a.published for a in result.articles}
    assert dates == {"a": datetime(1999, 8, 17, 8, 30), "b": datetime(1999, 11, 1), "c": datetime(1999, 11, 2),
                     "d": datetime(1999, 4, 5)}
    assert [(w.line, w.problem.split(":")[0]) for w in result.warnings] == [(3, "record 3")]
    assert "read as 2 November 1999" in result.warnings[0].problem


def test_json_feed_declares_its_order_at_the_top(tmp_path):
    feed = tmp_path / "wire.json"
    feed.write_text(json.dumps({"date_order": "month-first", "articles": [
        {"id": "a", "text": FIRE, "date": "02/11/1999"}]}), encoding="utf-8")
    result = read_story(feed)
    assert result.articles[0].published == datetime(1999, 2, 11)
    assert result.warnings == []


def test_existing_overflow_guards_hold():
    with pytest.raises(OverflowError):
        read_date("0001-01-01T00:00:00+01:00")
    with pytest.raises(OverflowError):
        read_date("9999-12-31T23:00:00-05:00")


def test_a_date_order_or_locale_that_says_nothing_is_a_warning(tmp_path):
    story = story_with_meta(tmp_path, [{"date": "02/11/1999", "locale": "English"}], date_order="sideways")
    found, warnings = published(story)
    assert datetime(1999, 11, 2) in found.values()  # the default, with its own warning
    assert [w.split(": ", 1)[1] for w in warnings if "ignored" in w] == [
        "'date_order' 'sideways' is not \"day-first\" or \"month-first\"; ignored",
        "articles[0] ('wire-a.txt'): 'locale' 'English' is not a locale with a country (such as en-US or en-GB); ignored"]
