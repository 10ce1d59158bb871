"""Free text as evidence: decoding, HTML masking, words and sentences with offsets, transliteration folding,
and the small grammar of figures (quantities with units), dates and status words in English, Russian
and Kazakh.

Every span is a pair of character offsets into the decoded text, so ``text[start:end]`` is always the
evidence itself. HTML is masked, not stripped: markup becomes spaces (a line break for block tags), so
the offsets of the visible words stay those of the file. Knows nothing of the catalog.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

MAX_BYTES = 100_000_000  # a text larger than this is not an article
NUL = b"\0"

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i", "ў": "u", "ј": "j",
    "ı": "i", "ə": "a", "ß": "ss", "'": "", "’": "", "ʼ": "", "ʻ": "", "`": "",
}
_FOLD = str.maketrans(_CYRILLIC)
_SOUNDS = (("dzh", "j"), ("zh", "j"), ("kh", "h"), ("q", "k"), ("y", "i"), ("w", "u"))
_DOUBLE = re.compile(r"(.)\1+")
WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


@functools.lru_cache(maxsize=1 << 18)
def fold(word: str) -> str:
    """A spelling key shared by a word's transliterations: Cyrillic to Latin, accents off, kh = h, q = k,
    y = i, zh = j, doubled letters once (Aqtau, Актау, Ақтау -> aktau; Moiynty, Мойынты -> moint)."""
    plain = unicodedata.normalize("NFKD", word.casefold().translate(_FOLD))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    for sound, key in _SOUNDS:
        plain = plain.replace(sound, key)
    return _DOUBLE.sub(r"\1", plain)


def words(text: str) -> list[tuple[int, int, str]]:
    """Every word (letters, with inner apostrophes) as (start, end, word); an English possessive 's is left out."""
    found = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
    for i, (start, end, word) in enumerate(found):
        if word.endswith(("'s", "’s")) and len(word) > 2:
            found[i] = (start, end - 2, word[:-2])
    return found


# --- decoding and markup

class Unreadable(ValueError):
    """A file that is not a text this command can read; the message says why."""


def decode(data: bytes) -> str:
    """UTF-8 text (a byte-order mark dropped), or Unreadable saying where it is not."""
    if len(data) > MAX_BYTES:
        raise Unreadable(f"too large ({len(data):,} bytes; at most {MAX_BYTES:,})")
    if NUL in data[:65536]:
        raise Unreadable(f"a binary file, not text (a NUL byte at offset {data.index(NUL):,})")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise Unreadable(f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start:,} (line {line}); "
                         "convert it first, e.g. iconv -f WINDOWS-1251 -t UTF-8") from None
    if not text.strip():
        raise Unreadable("empty: no text to read")
    return text


_HTML_START = re.compile(r"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title|article|div|p)\b", re.I | re.S)
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")
_BLOCK = {"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "title", "section", "article",
          "header", "footer", "blockquote", "pre", "ul", "ol", "table", "figcaption", "dd", "dt", "hr"}


def looks_like_html(text: str, name: str) -> bool:
    return name.lower().endswith((".html", ".htm", ".xhtml")) or bool(_HTML_START.match(text))


def mask_html(text: str) -> str:
    """``text`` with its markup blanked out, the same length: tags and scripts become spaces (a line break
    for a block tag, so sentences end there) and an entity becomes its character padded with spaces."""
    out = list(text)

    def blank(start: int, end: int, first: str = " ") -> None:
        for i in range(start, end):
            if out[i] != "\n":
                out[i] = " "
        if end > start:
            out[start] = first

    for match in _HIDDEN.finditer(text):
        blank(match.start(), match.end(), "\n")
    masked = "".join(out)
    for match in _TAG.finditer(masked):
        blank(match.start(), match.end(), "\n" if match.group(1).lower() in _BLOCK else " ")
    for match in _ENTITY.finditer(masked):
        character = html.unescape(match.group())
        if len(character) == 1 and character != match.group():
            blank(match.start(), match.end(), " " if character in "\u00a0\u202f" else character)
    return "".join(out)


# --- sentences

_ABBREVIATIONS = {"st", "mr", "mrs", "ms", "dr", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "inc", "ltd", "co", "gen", "prof", "г", "гг", "им", "ул", "тыс", "млн",
                  "млрд", "трлн", "т", "км", "ж", "e", "i", "u", "s"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*\s+(?=[\"'«“(]?[^\W\d_])|\n")


class Sentences:
    """Sentence boundaries of a text: a line break, or ., ! or ? before a capital (not after St., Aug., млн.)."""

    def __init__(self, text: str):
        self.starts = [0]
        for match in _SENTENCE_END.finditer(text):
            if match.group() != "\n":
                before = re.search(r"(\w+)[.!?…]+[\"'»”’)\]]*\s+$", text[max(0, match.start() - 12):match.end()])
                if before and before.group(1).casefold() in _ABBREVIATIONS:
                    continue
                if not text[match.end()].isupper() and not text[match.end()] in "\"'«“(":
                    continue
            self.starts.append(match.end())
        self.text = text

    def index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def span(self, offset: int) -> tuple[int, int]:
        """The sentence holding ``offset``, without its surrounding blanks."""
        i = self.index(offset)
        start, end = self.starts[i], self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


# --- figures

_NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)(?![\d])"
_SCALES = {
    "thousand": 1e3, "k": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "мың": 1e3,
    "million": 1e6, "millions": 1e6, "mln": 1e6, "mn": 1e6, "m": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "млрд": 1e9,
    "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12, "трлн": 1e12,
    "триллион": 1e12, "триллиона": 1e12, "триллионов": 1e12,
}
_SCALE = r"(?:thousand|billions?|millions?|trillion|mln|bln|mn|bn|tn|trn|тыс\.?|тысяч[аи]?|мың|млн\.?|млрд\.?|трлн\.?|" \
         r"миллион(?:а|ов)?|миллиард(?:а|ов)?|триллион(?:а|ов)?|[kmb])(?![^\W\d_])"
_CURRENCY_BEFORE = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "₸": "KZT", "kzt": "KZT",
                    "¥": "CNY", "cny": "CNY", "rmb": "CNY", "£": "GBP", "₽": "RUB", "rub": "RUB"}
_UNITS = (  # (pattern, unit): the first that matches after the number wins
    (r"(?:km|kilomet(?:er|re)s?|км|километр(?:а|ов)?|шақырым)(?![^\W\d_])", "km"),
    (r"(?:TEUs?|ДФЭ)(?![^\W\d_])", "TEU"),
    (r"(?:containers?|контейнер(?:а|ов)?)(?![^\W\d_])", "containers"),
    (r"(?:tonnes?|tons?|t|т|тонн[аы]?)(?![^\W\d_])(?:\s+(?:of\s+)?(?:cargo|freight|goods|груза|грузов|жүк))?", "t"),
    (r"(?:%|percent|per\s+cent|процент(?:а|ов)?|пайыз)", "%"),
    (r"(?:US\s+dollars?|dollars?|USD|доллар(?:а|ов)?|долл\.)(?![^\W\d_])", "USD"),
    (r"(?:euros?|EUR|евро)(?![^\W\d_])", "EUR"),
    (r"(?:tenge|KZT|тенге|теңге)(?![^\W\d_])", "KZT"),
    (r"(?:yuan|CNY|RMB|юан(?:ь|ей|я))(?![^\W\d_])", "CNY"),
    (r"(?:roubles?|rubles?|RUB|рубл(?:ь|ей|я))(?![^\W\d_])", "RUB"),
    (r"(?:manats?|манат(?:а|ов)?)(?![^\W\d_])", "manat"),
    (r"(?:days|дней|дня|день|күн)(?![^\W\d_])", "days"),
)
_PER_YEAR = r"(?:\s*(?:per\s+(?:year|annum)|a\s+year|annually|/\s*y(?:ea)?r|в\s+год|ежегодно|жылына|in\s+a\s+year))"
_FIGURE = re.compile(
    r"(?P<cur>US\$|\$|€|₸|¥|£|₽|(?:USD|EUR|KZT|CNY|RMB|RUB)\s?)?(?P<num>" + _NUMBER + r")"
    r"(?:[ \t\u00a0\u202f]{0,6}-?(?P<scale>" + _SCALE + r"))?"
    r"(?:[ \t\u00a0\u202f]{0,6}-?(?P<unit>" + "|".join(f"(?P<u{i}>{p})" for i, (p, _) in enumerate(_UNITS)) + r"))?"
    r"(?P<year>" + _PER_YEAR + r")?", re.I)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    value: float
    unit: str  # km, TEU, containers, t, t/year, %, days, or a currency code (USD, KZT, ...)


def _number(text: str, cyrillic: bool) -> float:
    digits = re.sub(r"[ \u00a0\u202f]", "", text)
    if "," in digits and "." not in digits and (cyrillic or not re.fullmatch(r"\d{1,3}(,\d{3})+", digits)):
        digits = digits.replace(",", ".")  # 1,5 млн (decimal comma); 1,500 km stays fifteen hundred
    return float(digits.replace(",", ""))


def _windows(text: str, anchor: re.Pattern[str], before: int, after: int) -> Iterator[tuple[int, int]]:
    """Stretches of ``text`` within ``before``/``after`` characters of an ``anchor`` (a digit, a year, a key
    word), merged where they meet: a pattern sought only there finds what it finds over the whole text
    when no match is longer than that, many times faster."""
    window: list[int] = []
    for hit in anchor.finditer(text):
        start, end = max(0, hit.start() - before), hit.end() + after
        if window and start <= window[1]:
            window[1] = end
            continue
        if window:
            yield window[0], window[1]
        window = [start, end]
    if window:
        yield window[0], window[1]


def _near(text: str, anchor: re.Pattern[str], pattern: re.Pattern[str], before: int, after: int,
          scan: str | None = None) -> Iterator[re.Match[str]]:
    """``pattern``'s matches in ``text`` near an ``anchor`` found in ``scan`` (the text itself, or its lower case)."""
    for start, end in _windows(text if scan is None else scan, anchor, before, after):
        yield from pattern.finditer(text, start, end)


_DIGITS = re.compile(r"\d+")


def figures(text: str) -> list[Figure]:
    """Quantities with a unit or a currency: 272 km, 200,000 TEU, $15 billion, 321bn tenge, 80%, 1,5 млн тонн в год."""
    found = []
    for match in _near(text, _DIGITS, _FIGURE, 8, 60):
        unit = next((_UNITS[int(k[1:])][1] for k, v in match.groupdict().items() if v and k[0] == "u" and k[1:].isdigit()), None)
        currency = match.group("cur")
        if currency:
            unit = _CURRENCY_BEFORE[currency.strip().casefold()]
        if unit is None:
            continue
        scale = match.group("scale")
        if scale and scale.casefold().rstrip(".") in ("k", "m", "b") and not currency and unit not in (
                "USD", "EUR", "KZT", "CNY", "RUB", "manat", "t", "TEU"):
            continue  # 5 m km is no figure; m and b are scales only for money and tonnage
        context = text[max(0, match.start() - 40):match.end()]
        value = _number(match.group("num"), bool(CYRILLIC_LETTER.search(context)))
        if scale:
            value *= _SCALES[scale.casefold().rstrip(".")]
        end = match.end()
        if unit == "t" and match.group("year"):
            unit = "t/year"
        elif unit == "TEU" and match.group("year"):
            unit = "TEU/year"
        elif match.group("year"):
            end = match.end("year") - len(match.group("year"))  # "per year" belongs to tonnage only
        if not match.group("unit") and not match.group("scale"):
            end = match.end("num")
        elif not match.group("unit"):
            end = match.end("scale")
        found.append(Figure(match.start(), end, round(value, 6), unit))
    return found


# --- dates

_MONTHS = {
    **{m: i + 1 for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                       "september", "october", "november", "december"))},
    **{m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))},
    "sept": 9,
    **{m: i + 1 for i, m in enumerate(("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
                                       "октябр", "ноябр", "декабр"))},
    **{m: i + 1 for i, m in enumerate(("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
                                       "қыркүйек", "қазан", "қараша", "желтоқсан"))},
}
_EN_MONTH = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|" \
            r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_RU_MONTH = r"(?:январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(?:ь|я|е|а|т|й)?"
_KK_MONTH = r"(?:қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)\w*"
_YEAR = r"(?P<y>1[89]\d\d|20\d\d)"
_YEARS = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?!\d)")
_DATE = re.compile("|".join((
    r"(?<!\d)" + _YEAR + r"-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])(?!\d)",
    r"(?<![\w.])(?P<d1>[0-3]?\d)\s+(?P<m1>" + _EN_MONTH + r"),?\s+(?P<y1>1[89]\d\d|20\d\d)(?!\d)",
    r"(?<![\w.])(?P<m2>" + _EN_MONTH + r")\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>1[89]\d\d|20\d\d)(?!\d)",
    r"(?<![\w.])(?P<m3>" + _EN_MONTH + r"),?\s+(?:of\s+)?(?P<y3>1[89]\d\d|20\d\d)(?!\d)",
    r"(?<![\w.])(?P<d4>[0-3]?\d)\s+(?P<m4>" + _RU_MONTH + r")\s+(?P<y4>1[89]\d\d|20\d\d)(?:\s*(?:года|г\.))?(?!\d)",
    r"(?<![\w.])(?P<m5>" + _RU_MONTH + r")\s+(?P<y5>1[89]\d\d|20\d\d)(?:\s*(?:года|г\.))?(?!\d)",
    r"(?<![\w.])(?P<y6>1[89]\d\d|20\d\d)\s+жыл\w*\s+(?P<d6>[0-3]?\d)\s+(?P<m6>" + _KK_MONTH + r")",
    r"(?<![\w.])(?P<y7>1[89]\d\d|20\d\d)\s+жыл\w*\s+(?P<m7>" + _KK_MONTH + r")(?:\s+айында)?",
    r"(?<![\w.,])(?P<y8>1[89]\d\d|20\d\d)(?:\s*(?:года|году|год|г\.|жылы|жылға|жылдың|жылғы|жылдан|жыл))?(?![\w,.]\d|\d)",
)), re.I)


@dataclass(frozen=True)
class Date:
    start: int
    end: int
    value: str  # YYYY, YYYY-MM or YYYY-MM-DD


def _month(word: str) -> int:
    key = word.casefold().rstrip(".")
    if key in _MONTHS:
        return _MONTHS[key]
    return next(_MONTHS[stem] for stem in sorted(_MONTHS, key=len, reverse=True) if key.startswith(stem))


def dates(text: str) -> list[Date]:
    """Years and dates: 2025-11-25, 25 November 2025, November 2025, 25 ноября 2025 года, 2025 жылғы 25 қарашада, 2027."""
    found = []
    for match in _near(text, _YEARS, _DATE, 30, 40):
        g = match.groupdict()
        year = next(g[k] for k in ("y", "y1", "y2", "y3", "y4", "y5", "y6", "y7", "y8") if g[k])
        month_word = next((g[k] for k in ("m1", "m2", "m3", "m4", "m5", "m6", "m7") if g[k]), None)
        day = next((g[k] for k in ("id", "d1", "d2", "d4", "d6") if g[k]), None)
        month = int(g["im"]) if g["im"] else _month(month_word) if month_word else None
        value = year
        if month:
            value += f"-{month:02d}"
            if day:
                try:
                    value = dt.date(int(year), month, int(day)).isoformat()
                except ValueError:
                    pass  # 31 June: keep the month
        found.append(Date(match.start(), match.end(), value))
    return found


# --- what a date refers to, and status words

_FUTURE = r"(?:will|shall|is\s+to|are\s+to|to\s+be|planned|plans?\s+to|expected|due|scheduled|aims?\s+to|by\s+the\s+end\s+of|" \
          r"будет|будут|планиру\w*|намечен\w*|ожида\w*|предполага\w*|к\s+концу|до\s+конца|жоспарла\w*|күтіл\w*)"
REFERS = (  # (what a date refers to, words that say so), tried nearest first
    ("construction_start", r"(?:construction|work|building)\s+(?:\w+\s+){0,3}(?:began|begins|started|starts|commenced|"
                           r"kicked\s+off|got\s+under\s*way)|(?:start|began|begin|started|launched)\s+(?:the\s+)?"
                           r"construction|broke\s+ground|groundbreaking|laid\s+the\s+foundation|"
                           r"начал\w*\s+строительств\w*|строительств\w*\s+(?:\w+\s+){0,2}начал\w*|начало\s+строительства|"
                           r"құрылыс\w*\s+басталды|құрылысы\w*\s+бастал\w*|began|begins|started|commenced|начал\w*|"
                           r"стартовал\w*|басталды|бастал\w*"),
    ("opened", r"opened|opening|inaugurated|commissioned|put\s+into\s+(?:operation|service)|went\s+into\s+service|"
               r"came\s+into\s+operation|launched|since|открыт\w*|открыл\w*|открыти\w*|запущен\w*|запуск\w*|"
               r"введ\w*\s+в\s+эксплуатаци\w*|сдан\w*\s+в\s+эксплуатаци\w*|ашыл\w*|іске\s+қосыл\w*|"
               r"пайдалануға\s+беріл\w*"),
    ("expected_completion", r"complet\w*|finish\w*|ready|due|заверш\w*|окончани\w*|аяқта\w*|" + _FUTURE[3:-1]),
)
STATUS_WORDS = (  # (catalog status, words that say so)
    ("under_construction", r"under\s+construction|being\s+built|(?:construction|building)\s+(?:is|was|has\s+been)\s+"
                           r"(?:under\s*way|in\s+progress|ongoing)|construction\s+(?:works?\s+)?(?:continues|is\s+"
                           r"continuing)|строится|строятся|строящ\w*|вед[её]тся\s+строительств\w*|"
                           r"строительство\s+(?:\w+\s+)?(?:идет|идёт|продолжается)|салынуда|салынып\s+жатыр|"
                           r"құрылысы\s+жүріп\s+жатыр"),
    ("operational", r"(?:was|were|has\s+been|have\s+been|is\s+now)\s+(?:officially\s+)?(?:opened|launched|commissioned)|"
                    r"in\s+operation|operational|in\s+service|open\s+to\s+traffic|открыт[аы]?|запущен[аы]?|"
                    r"введен[аы]?\s+в\s+эксплуатацию|введён\s+в\s+эксплуатацию|действующ\w*|ашылды|іске\s+қосылды|"
                    r"пайдалануға\s+берілді"),
    ("planned", r"planned|plans\s+to|is\s+to\s+be\s+built|will\s+be\s+built|feasibility\s+study|планиру\w*|"
                r"запланирован\w*|жоспарлан\w*"),
    ("proposed", r"proposed|proposal|предлож\w*|ұсын\w*"),
    ("upgrading", r"upgrad\w*|reconstruct\w*|moderni[sz]\w*|rehabilitat\w*|widening|реконструкц\w*|модернизац\w*|"
                  r"капитальн\w*\s+ремонт\w*|жаңғырт\w*|қайта\s+жаңарт\w*"),
)
_REFERS = [(name, re.compile(r"(?<![^\W\d_])(?:" + words + r")(?![^\W\d_])", re.I)) for name, words in REFERS]
_DEADLINE_BEFORE = re.compile(r"(?<![^\W\d_])(?:by|until|till|before|к|до)\s+(?:the\s+end\s+of\s+|конца\s+)?$", re.I)
_DEADLINE_AFTER = re.compile(r"\S*\s+(?:жыл\w*\s+)?дейін", re.I)
_FUTURE_WORDS = re.compile(r"(?<![^\W\d_])" + _FUTURE + r"(?![^\W\d_])", re.I)
_STATUS = re.compile(r"(?<![^\W\d_])(?:" + "|".join(f"(?P<{name}>{words})" for name, words in STATUS_WORDS)
                     + r")(?![^\W\d_])", re.I)


def refers_to(sentence: str, at: int) -> str | None:
    """What a date at offset ``at`` of ``sentence`` refers to, by the nearest cue word: construction_start,
    opened or expected_completion; an opening in the future (will be opened in 2027) is an expected completion."""
    if _DEADLINE_BEFORE.search(sentence[max(0, at - 30):at]) or _DEADLINE_AFTER.match(sentence, at):
        return "expected_completion"
    best: tuple[int, str] | None = None
    for name, cue in _REFERS:
        for match in cue.finditer(sentence):
            distance = at - match.end() if match.end() <= at else (match.start() - at) * 2  # cues before count more
            if 0 <= distance <= 80 and (best is None or distance < best[0]):
                best = (distance, name)
    if best and best[1] == "opened" and _FUTURE_WORDS.search(sentence[max(0, at - 80):at]):
        return "expected_completion"
    return best[1] if best else None


@dataclass(frozen=True)
class Status:
    start: int
    end: int
    status: str


_STATUS_ANCHOR = re.compile(  # the word each status phrase turns on, in lower case (a case-blind scan is slow)
    r"under|being|construct|building|opened|launched|commissioned|operat|service|open|planned|plans|built|feasib|"
    r"propos|upgrad|moderni|rehabilitat|reconstruct|widening|стро|вед|салын|құрылыс|откры|запущ|введ|действ|ашыл|"
    r"іске|пайдалан|план|заплан|жоспар|предлож|ұсын|реконстр|модерн|капитал|жаңғ|қайта")


def lower(text: str) -> str:
    """``text`` in lower case, character for character (İ stays İ rather than becoming two characters)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def statuses(text: str) -> list[Status]:
    """Words that state a status: under construction, opened, planned, proposed, upgrading (and the Russian and Kazakh)."""
    return [Status(m.start(), m.end(), m.lastgroup) for m in _near(text, _STATUS_ANCHOR, _STATUS, 20, 40, lower(text))]
