"""Turn an article's bytes into text, guessing the encoding when it is not UTF-8.

The order of attempts, each measured on the cases in ``tests/test_input_robustness.py``:

1. a byte-order mark: UTF-8, UTF-32 or UTF-16 as it declares (checked before anything else,
   because UTF-16 text is full of zero bytes that would otherwise look binary);
2. zero bytes without a mark: UTF-16 or UTF-32 when the zeros sit in the columns that
   ASCII-heavy text in those encodings leaves them, otherwise a binary file;
3. strict UTF-8 (the usual case: no warning);
4. UTF-8 with a few bad bytes: when the valid multi-byte characters outnumber the bad bytes
   more than twice over, the file is UTF-8 with a stray byte or two (a pasted quote mark), and
   those are replaced by U+FFFD, one character each. Reading it as a code page instead would
   turn every correct character into mojibake;
5. charset-normalizer's best guess, but only when it reads the text in a non-Latin script
   (Cyrillic, Greek, CJK, ...) with at least ``MIN_SCRIPT_LETTERS`` such letters. On less it
   guesses wildly (Urdu cp1006 for "Caf\xe9 in Kyiv"), and for Latin-script text it cannot
   tell the Windows code pages apart on a news-sized sample (it calls English and French
   Windows-1252 "cp1250");
6. otherwise Windows-1252, the legacy encoding of Western newsrooms, which reads Latin-1 the
   same way in every printable position; its five undefined bytes become U+FFFD.

A web page that is not UTF-8 and declares its charset (``<meta charset="iso-8859-2">`` or the
``http-equiv`` form, in its first ``SAMPLE_BYTES``) is read in that charset before step 5, when
every byte decodes in it: a browser does the same, and no guess tells Central European
ISO-8859-2 from Windows-1252 on a page of Latin letters. Only the labels browsers accept are
believed (``claims.web_charsets``): a page declaring ``base64``, ``rot13`` or a name nobody
knows, or bytes its declared charset cannot decode, gets a warning naming the declaration and
is read as if it declared nothing.

Whatever was guessed, text full of control characters is refused as binary. The decoded text
is what ``Article.text`` holds and what evidence offsets index.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from claims.web_charsets import web_charset, why_not_web_charset

SAMPLE_BYTES = 8192
# Text has tabs and newlines; a few stray control characters happen in scraped text, a
# decoded binary file has them everywhere.
MAX_CONTROL_SHARE = 0.01
LATIN_FALLBACK = "cp1252"
MIN_SCRIPT_LETTERS = 20

_BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", None),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_ENCODING_NAMES = {"cp1252": "Windows-1252", "latin_1": "Latin-1", "iso8859_1": "Latin-1",
                   "utf-16-le": "UTF-16 little-endian", "utf-16-be": "UTF-16 big-endian",
                   "utf-32-le": "UTF-32 little-endian", "utf-32-be": "UTF-32 big-endian"}


class NotText(ValueError):
    """The bytes are not text in any encoding tried; ``str(exc)`` says why, in a few words."""


@dataclass
class Decoded:
    text: str
    encoding: str           # the Python codec name used
    note: str | None = None  # why the reader should know: a guessed or declared non-UTF-8 encoding
    # a page's charset declaration that was not followed, and why (a warning of its own)
    declaration_note: str | None = None


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]{1,40})""", re.IGNORECASE)


def declared_label(data: bytes) -> str | None:
    """The charset label an HTML page declares in its first bytes, as written, or None."""
    match = _DECLARED_CHARSET.search(data[:SAMPLE_BYTES])
    return match.group(1).decode("ascii") if match else None


def decode_bytes(data: bytes, *, html: bool = False) -> Decoded:
    """Decode an article's bytes, or raise NotText saying why they are not text. ``html``: the
    bytes are a web page, whose declared charset is believed when the bytes are not UTF-8."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise NotText(f"starts with a {name or 'UTF-8'} byte-order mark but is not "
                              f"{name or 'UTF-8'} (byte {exc.start})") from None
            if name is None:  # UTF-8 with a mark reads as UTF-8 always did
                return Decoded(text, codec)
            _refuse_binary(text)
            return Decoded(text, codec, f"read as {name} (byte-order mark)")
    sample = data[:SAMPLE_BYTES]
    if b"\x00" in sample:
        return _wide_without_bom(data, sample)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mostly = _mostly_utf8(data)
    if mostly is not None:
        text, bad = mostly
        return Decoded(text, "utf-8", f"not valid UTF-8 at byte {first_bad} ({bad} bad byte"
                                      f"{'s' if bad > 1 else ''}); read as UTF-8 with U+FFFD for each")
    label = declared_label(data) if html else None
    if label is None:
        return _single_byte(data, first_bad)
    charset = web_charset(label)
    if charset is None:
        ignored = f"declares charset {label!r}, {why_not_web_charset(label)}; the declaration is ignored"
    elif charset[1] == "utf-8":  # declared UTF-8 but is not: a guess names what it was read as
        return _single_byte(data, first_bad)
    else:
        name, codec = charset
        try:
            text = data.decode(codec)
        except UnicodeError as exc:  # the declaration is wrong: guess as for any other file
            bad_at = f" (byte {exc.start})" if isinstance(exc, UnicodeDecodeError) else ""
            ignored = f"declares charset {label!r} but is not {name}{bad_at}; the declaration is ignored"
        else:
            _refuse_binary(text)
            return Decoded(text, codec, f"not valid UTF-8 (byte {first_bad}); read as {name}, "
                                        "the charset the page declares")
    guessed = _single_byte(data, first_bad)
    guessed.declaration_note = ignored
    return guessed


def _mostly_utf8(data: bytes) -> tuple[str, int] | None:
    """(text, number of bad bytes) when the bytes are UTF-8 but for a few bad ones, else None.

    Text in a code page almost never holds a valid multi-byte UTF-8 sequence by chance, so
    as many valid ones as bad bytes is UTF-8 with strays (or a code page already mangled)."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for char in text if not char.isascii()) - text.count("\ufffd")
    return (text, bad) if 0 < bad <= valid else None


def _wide_without_bom(data: bytes, sample: bytes) -> Decoded:
    """UTF-16/32 without a byte-order mark, told apart from binary by where the zeros are."""
    codec = _zero_columns(sample)
    if codec is None:
        raise NotText("binary file, not text")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise NotText("binary file, not text") from None
    _refuse_binary(text)
    return Decoded(text, codec, f"read as {_ENCODING_NAMES[codec]} (no byte-order mark; a guess)")


def _zero_columns(sample: bytes) -> str | None:
    """The wide encoding whose zero-byte columns the sample shows, or None.

    ASCII-range characters in UTF-16-LE are (char, 0): zeros in the odd columns and almost none
    in the even ones. Binary formats scatter zeros over every column."""
    size = len(sample) - len(sample) % 4
    if size < 4:
        return None
    sample = sample[:size]
    columns4 = [sample[k::4].count(0) for k in range(4)]
    quarter = size // 4
    if columns4[1] > 0.5 * quarter and columns4[2] > 0.5 * quarter and columns4[3] > 0.5 * quarter \
            and columns4[0] < 0.05 * quarter:
        return "utf-32-le"
    if columns4[0] > 0.5 * quarter and columns4[1] > 0.5 * quarter and columns4[2] > 0.5 * quarter \
            and columns4[3] < 0.05 * quarter:
        return "utf-32-be"
    half = size // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.1 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even > 0.1 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def _single_byte(data: bytes, first_bad: int) -> Decoded:
    guess = _charset_normalizer_guess(data)
    if guess is not None and _other_script(guess[1]):
        codec, text = guess
    else:
        codec, text = LATIN_FALLBACK, data.decode(LATIN_FALLBACK, "replace")
    _refuse_binary(text)
    return Decoded(text, codec, f"not valid UTF-8 (byte {first_bad}); read as {_encoding_name(codec)}, a guess")


def _encoding_name(codec: str) -> str:
    name = _ENCODING_NAMES.get(codec) or (f"Windows-{codec[2:]}" if codec.startswith("cp125") else codec)
    return name.upper().replace("ISO8859-", "ISO-8859-") if name.startswith("iso8859") else name


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return best.encoding, str(best)


def _other_script(text: str) -> bool:
    """True when the text has at least MIN_SCRIPT_LETTERS letters outside the Latin script and
    more than twice as many of them as non-ASCII Latin ones (é, ß, ł)."""
    latin = other = 0
    for char in text[:4 * SAMPLE_BYTES]:
        if char.isascii() or not char.isalpha():
            continue
        if unicodedata.name(char, "").startswith("LATIN"):
            latin += 1
        else:
            other += 1
    return other >= MIN_SCRIPT_LETTERS and other > 2 * latin


def _refuse_binary(text: str) -> None:
    if "\x00" in text:
        raise NotText("binary file, not text")
    sample = text[:SAMPLE_BYTES]
    controls = sum(1 for char in sample
                   if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\v")
    if controls > MAX_CONTROL_SHARE * len(sample):
        raise NotText("binary file, not text")
