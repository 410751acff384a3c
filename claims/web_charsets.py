"""The charsets a web page may declare: the WHATWG Encoding Standard's labels, as data.

A page's ``<meta charset>`` is untrusted text. Python's ``codecs.lookup`` accepts far more
than text encodings (``base64``, ``rot13``, ``zlib`` and ``hex`` turn bytes into bytes;
``undefined`` always fails; ``unicode_escape`` and ``utf-7`` turn ordinary bytes into other
characters), so a declaration is believed only when its label is one browsers accept, and the
page is then decoded by the Python codec that reads that encoding. Everything else is ignored
with a warning, as a browser ignores a label it does not know.

The table follows https://encoding.spec.whatwg.org/#names-and-labels, with the HTML
standard's two overrides for a charset declared inside the page: a UTF-16 label means UTF-8
(the page was read as ASCII-compatible bytes to find the tag at all), and ``x-user-defined``
means Windows-1252. The ``replacement`` encoding's labels (ISO-2022-KR, HZ-GB-2312, ...),
which browsers refuse to decode, are left out, so they are ignored like an unknown label.
"""
from __future__ import annotations

import codecs

# (name shown to the user, Python codec, the WHATWG labels, space-separated)
_ENCODINGS = (
    ("UTF-8", "utf-8", "unicode-1-1-utf-8 unicode11utf8 unicode20utf8 utf-8 utf8 x-unicode20utf8 "
                       # UTF-16 declared in a page's own markup: UTF-8, by the HTML standard
                       "csunicode iso-10646-ucs-2 ucs-2 unicode unicodefeff utf-16 utf-16le unicodefffe utf-16be"),
    ("IBM866", "cp866", "866 cp866 csibm866 ibm866"),
    ("ISO-8859-2", "iso8859_2", "csisolatin2 iso-8859-2 iso-ir-101 iso8859-2 iso88592 iso_8859-2 "
                                "iso_8859-2:1987 l2 latin2"),
    ("ISO-8859-3", "iso8859_3", "csisolatin3 iso-8859-3 iso-ir-109 iso8859-3 iso88593 iso_8859-3 "
                                "iso_8859-3:1988 l3 latin3"),
    ("ISO-8859-4", "iso8859_4", "csisolatin4 iso-8859-4 iso-ir-110 iso8859-4 iso88594 iso_8859-4 "
                                "iso_8859-4:1988 l4 latin4"),
    ("ISO-8859-5", "iso8859_5", "csisolatincyrillic cyrillic iso-8859-5 iso-ir-144 iso8859-5 iso88595 "
                                "iso_8859-5 iso_8859-5:1988"),
    ("ISO-8859-6", "iso8859_6", "arabic asmo-708 csiso88596e csiso88596i csisolatinarabic ecma-114 "
                                "iso-8859-6 iso-8859-6-e iso-8859-6-i iso-ir-127 iso8859-6 iso88596 "
                                "iso_8859-6 iso_8859-6:1987"),
    ("ISO-8859-7", "iso8859_7", "csisolatingreek ecma-118 elot_928 greek greek8 iso-8859-7 iso-ir-126 "
                                "iso8859-7 iso88597 iso_8859-7 iso_8859-7:1987 sun_eu_greek"),
    ("ISO-8859-8", "iso8859_8", "csiso88598e csisolatinhebrew hebrew iso-8859-8 iso-8859-8-e iso-ir-138 "
                                "iso8859-8 iso88598 iso_8859-8 iso_8859-8:1988 visual"),
    # logical order instead of visual: the same bytes, the same characters
    ("ISO-8859-8-I", "iso8859_8", "csiso88598i iso-8859-8-i logical"),
    ("ISO-8859-10", "iso8859_10", "csisolatin6 iso-8859-10 iso-ir-157 iso8859-10 iso885910 l6 latin6"),
    ("ISO-8859-13", "iso8859_13", "iso-8859-13 iso8859-13 iso885913"),
    ("ISO-8859-14", "iso8859_14", "iso-8859-14 iso8859-14 iso885914"),
    ("ISO-8859-15", "iso8859_15", "csisolatin9 iso-8859-15 iso8859-15 iso885915 iso_8859-15 l9"),
    ("ISO-8859-16", "iso8859_16", "iso-8859-16"),
    ("KOI8-R", "koi8_r", "cskoi8r koi koi8 koi8-r koi8_r"),
    ("KOI8-U", "koi8_u", "koi8-ru koi8-u"),
    ("Macintosh Roman", "mac_roman", "csmacintosh mac macintosh x-mac-roman"),
    ("Windows-874", "cp874", "dos-874 iso-8859-11 iso8859-11 iso885911 tis-620 windows-874"),
    ("Windows-1250", "cp1250", "cp1250 windows-1250 x-cp1250"),
    ("Windows-1251", "cp1251", "cp1251 windows-1251 x-cp1251"),
    # browsers read Latin-1 and ASCII pages as Windows-1252, its superset in printable positions
    ("Windows-1252", "cp1252", "ansi_x3.4-1968 ascii cp1252 cp819 csisolatin1 ibm819 iso-8859-1 iso-ir-100 "
                               "iso8859-1 iso88591 iso_8859-1 iso_8859-1:1987 l1 latin1 us-ascii "
                               "windows-1252 x-cp1252 x-user-defined"),
    ("Windows-1253", "cp1253", "cp1253 windows-1253 x-cp1253"),
    ("Windows-1254", "cp1254", "cp1254 csisolatin5 iso-8859-9 iso-ir-148 iso8859-9 iso88599 iso_8859-9 "
                               "iso_8859-9:1989 l5 latin5 windows-1254 x-cp1254"),
    ("Windows-1255", "cp1255", "cp1255 windows-1255 x-cp1255"),
    ("Windows-1256", "cp1256", "cp1256 windows-1256 x-cp1256"),
    ("Windows-1257", "cp1257", "cp1257 windows-1257 x-cp1257"),
    ("Windows-1258", "cp1258", "cp1258 windows-1258 x-cp1258"),
    ("Macintosh Cyrillic", "mac_cyrillic", "x-mac-cyrillic x-mac-ukrainian"),
    # WHATWG decodes GBK with the GB18030 decoder (a superset), and Big5 with the HKSCS extension
    ("GBK", "gb18030", "chinese csgb2312 csiso58gb231280 gb2312 gb_2312 gb_2312-80 gbk iso-ir-58 x-gbk"),
    ("GB18030", "gb18030", "gb18030"),
    ("Big5", "big5hkscs", "big5 big5-hkscs cn-big5 csbig5 x-x-big5"),
    ("EUC-JP", "euc_jp", "cseucpkdfmtjapanese euc-jp x-euc-jp"),
    ("ISO-2022-JP", "iso2022_jp", "csiso2022jp iso-2022-jp"),
    # WHATWG's Shift_JIS and EUC-KR are Microsoft's extended forms of them
    ("Shift_JIS", "cp932", "csshiftjis ms932 ms_kanji shift-jis shift_jis sjis windows-31j x-sjis"),
    ("EUC-KR", "cp949", "cseuckr csksc56011987 euc-kr iso-ir-149 korean ks_c_5601-1987 ks_c_5601-1989 "
                        "ksc5601 ksc_5601 windows-949"),
)

_BY_LABEL = {label: (name, codec) for name, codec, labels in _ENCODINGS for label in labels.split()}


def web_charset(label: str) -> tuple[str, str] | None:
    """(display name, Python codec) of the encoding a declared charset label names, or None when
    browsers would not accept the label. Labels match without case and surrounding white space."""
    return _BY_LABEL.get(label.strip().lower())


def why_not_web_charset(label: str) -> str:
    """Why ``label`` (which ``web_charset`` refused) is ignored, in a few words for a warning."""
    try:
        info = codecs.lookup(label.strip())
    except (LookupError, ValueError):
        return "which is not a known text encoding"
    if not info._is_text_encoding:  # base64, rot13, zlib, hex: bytes to bytes
        return "which is not a text encoding"
    return "which is not an encoding web pages may use"
