"""Bylines: who wrote an article and when, from the lines crawlers leave above or below the body.

Forms seen on Arabic news sites: ``بقلم: سعاد بنعلي``, ``كتب: محمد سعيد | الأحد 5 مايو 2024 - 10:30 ص``,
``بواسطة هدى في 12 يناير، 2024``, ``نشر في: 2024/05/05 | آخر تحديث: 2024/05/06`` and the glued dump
``مدير الموقع3 مارس 2023آخر تحديث :`` (author, published date, empty "last update").

Also here: what is never an author (a site's name, a developer or photo credit, a label, a URL), and the
news agency a wire story credits in its opening words (``عمان 5 أيار (بترا) -``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from .arabic import normalize
from .dates import find_dates


def _tolerant(word: str) -> str:
    """A regex for an Arabic keyword that accepts the spelling variants writers use."""
    variants = {"ا": "[اأإآٱ]", "ي": "[يىئ]", "ة": "[ةه]", "ه": "[هة]", "و": "[وؤ]"}
    return "".join(variants.get(ch, re.escape(ch)) for ch in word).replace(r"\ ", r"\s+")


def _keywords(*words: str) -> re.Pattern[str]:
    body = "|".join(_tolerant(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


_AUTHOR_PREFIX = _keywords(
    "بقلم", "كتب", "كتبت", "كتبه", "كتبها", "بواسطة", "اعداد", "إعداد", "تحرير", "المحرر", "الكاتب", "الكاتبة",
    "متابعة", "by", "author", "الصحفي", "الصحفية", "المراسل", "مراسل", "حوار",
)
# Latin bylines, only where a line starts (mid-line "von" is part of a name: Walter von Aachen).
_LATIN_PREFIX = re.compile(
    r"^(?:(?:post(?:ed)?|written|published|veröffentlicht|publiziert|geschrieben|verfasst|erstellt|publié|écrit|"
    r"escrito|publicado|redactado|article|beitrag|artikel)\b\s*(?:by|von|par|por|door)?|"
    r"(?:by|von|par|por|door)\b|(?:autor(?:in)?|author|auteur|text|texte|redaktion)\b\s*(?::|by|von|par|por)?)"
    r"\s*:?\s*",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"\s*(?<![\w.])@\w+(?:\s*,)?\s*")
# Words after a name in a byline box: a preposition before its date, a link to write to or follow the writer.
_LATIN_TRAILING = re.compile(
    r"(?:\s+(?:am|on|le|el|il|op|um|at|\||·|-|contact|contactar|contacter|kontakt|kontaktieren|follow|folgen|suivre"
    r"|seguir|e-?mail|mail|profil|profile|more|mehr))+$",
    re.IGNORECASE,
)
_PUBLISHED = _keywords(
    "نشر في", "نشر بتاريخ", "تاريخ النشر", "تم النشر", "نشر يوم", "نشر", "منشور في", "بتاريخ",
    "published", "posted on",
)
_UPDATED = _keywords(
    "آخر تحديث", "اخر تحديث", "تاريخ التحديث", "تم التحديث", "تحديث", "محدث", "آخر تعديل", "updated",
    "last update",
)
# A relative date ("منذ ساعتين") ends the author's name even when no reference lets it be resolved.
_RELATIVE = _keywords("منذ", "قبل", "أمس", "البارحة", "اليوم", "الآن")
_WEEKDAY = _keywords("الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يوم")
_SEPARATORS = " \t-–—|:،,/·•()[]«»\"'*_"
_TRAILING_GLUE = re.compile(r"(?:\s+(?:في|فى|on|يوم))+$")
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")

MAX_AUTHOR_WORDS = 6
MAX_BYLINE_WORDS = 16


@dataclass(frozen=True, slots=True)
class Byline:
    author: str | None
    published: date | datetime | None
    updated: date | datetime | None


# Desk credits name no one: "agencies", "follow-ups", "the editor". An article credited so has no author.
GENERIC_CREDITS = frozenset(
    "وكالات متابعات متابعة المحرر التحرير هيئة التحرير فريق التحرير خاص مصادر المصدر وكالات الانباء "
    "المحرر الاخباري قسم الاخبار الموقع".split(" ")
) | {"هيئة التحرير", "فريق التحرير", "وكالات الانباء", "المحرر الاخباري", "قسم الاخبار"}
# Numbers in a name are rare (فرانس 24, عربي 21); a year, a time or a date means the text is no name.
_DATE_LIKE = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]{3,}|[0-9\u0660-\u0669\u06f0-\u06f9][:/.]|[:/.][0-9\u0660-\u0669\u06f0-\u06f9]")
_DASHES = re.compile(r"\s+[-–—]\s+")


def _generic(name: str) -> bool:
    key = name.strip("()[] ").replace("أ", "ا").replace("إ", "ا")
    return key in GENERIC_CREDITS


def clean_author(segment: str) -> str | None:
    """The name in a byline fragment: label words, weekday and a wire dateline taken off
    (``القاهرة - أحمد الريدي`` → ``أحمد الريدي``, ``منى الشريف - وكالات`` → ``منى الشريف``,
    ``Von Max Muster am`` → ``Max Muster``); ``None`` for a desk credit (وكالات، متابعات) or
    anything that is not a name."""
    segment = _HANDLE.sub(", ", segment).strip(_SEPARATORS)  # "April Roach @aprilroach28 Daniel O'Mahony"
    for _ in range(3):  # "Post author: By Jane Doe"
        rest = _LATIN_PREFIX.sub("", segment, count=1)
        if rest == segment or not rest.strip(_SEPARATORS):
            break
        segment = rest.strip(_SEPARATORS)
    segment = _LATIN_TRAILING.sub("", segment)
    segment = _AUTHOR_PREFIX.sub(" ", segment)
    segment = _WEEKDAY.sub(" ", segment)
    segment = " ".join(segment.split()).strip(_SEPARATORS)
    segment = _TRAILING_GLUE.sub("", segment).strip(_SEPARATORS)
    parts = [p.strip(_SEPARATORS) for p in _DASHES.split(segment)]
    parts = [p for p in parts if p and not _generic(p)]
    if len(parts) >= 2 and len(parts[0].split()) <= 2:
        parts = parts[1:]  # "CITY - NAME", the wire dateline
    segment = " - ".join(parts[:1])
    if segment.count("(") > segment.count(")"):
        segment += ")"  # "وكالة الأنباء الأردنية (بترا)": the separator strip took its closing bracket
    if not segment or _DATE_LIKE.search(segment) or len(segment.split()) > MAX_AUTHOR_WORDS:
        return None
    return segment


def parse_byline(line: str, reference: datetime | None = None) -> Byline | None:
    """The author and dates of a byline line, or ``None`` when the line is not a byline."""
    if len(line.split()) > MAX_BYLINE_WORDS + 6:
        return None
    dates = find_dates(line, reference)
    prefix = _AUTHOR_PREFIX.search(line)
    pub_kw = _PUBLISHED.search(line)
    upd_kw = _UPDATED.search(line)
    if not dates and not prefix and not pub_kw and not upd_kw:
        return None
    # Words left once dates are taken out: a byline is short, a body sentence with a date is not.
    rest = line
    for m in reversed(dates):
        rest = rest[: m.start] + " " + rest[m.end :]
    if len(rest.split()) > MAX_BYLINE_WORDS:
        return None
    if prefix is None and pub_kw is None and upd_kw is None and len(rest.split()) > MAX_AUTHOR_WORDS + 2:
        return None  # a sentence that mentions a date ("ولد في 11 فبراير 1974 في دالاس …")
    if not dates and prefix is None and (pub_kw or upd_kw) and len(rest.split()) > 4:
        return None  # "نشر" or "تحديث" inside an ordinary sentence
    if not dates and prefix is not None and prefix.start() > 0:
        return None  # "كتب" mid-sentence is a verb, not a byline

    split_at = upd_kw.start() if upd_kw else len(line)
    published = next((m.value for m in dates if m.start < split_at), None)
    updated = next((m.value for m in dates if m.start >= split_at), None)

    relative = _RELATIVE.search(line)
    markers = sorted([m.start for m in dates] + [m.start() for m in (pub_kw, upd_kw, relative) if m is not None])
    if prefix is not None:
        end = next((s for s in markers if s > prefix.start()), len(line))
        author = clean_author(line[prefix.start() : end])
    else:
        author = clean_author(line[: markers[0]]) if markers else None
    if author is None and published is None and updated is None and not (pub_kw or upd_kw):
        return None
    return Byline(author=author, published=published, updated=updated)



# ---------------------------------------------------------------- what is never an author

# Credits for the site's makers and the pictures, and labels that stand where a name would.
_NOT_A_WRITER = re.compile(
    r"^(?:(?:developed|designed|powered|hosted|built|made|created|design(?:ed)?|web ?design|programmed)\s+(?:by|with)\b"
    r"|(?:تصميم|تطوير|برمجة|استضافة|تصميم وتطوير|تطوير وتصميم|تصميم وبرمجة|برمجة وتصميم)(?:\s|$|:)"
    r"|(?:تصوير|عدسة|بعدسة|صور|الصورة|الصور|photo|photos|foto|fotos|bild|bilder|image|picture|credit|"
    r"photographer|photography|fotograf|fotografie|getty)\b|©|\(c\)\s"
    r"|(?:sponsored|gesponsert\w*|anzeige|advertisement|werbung|publicidad|إعلان|اعلان|محتوى ممول)\b)",
    re.IGNORECASE,
)
_LABELS = frozenset(
    """published posted publiziert veröffentlicht geschrieben erstellt updated aktualisiert date datum follow
    folgen share teilen more mehr read lesen profile profil comments kommentare author autor autorin auteur
    redaktion editor admin administrator wordpressadmin webmaster user guest gast anonymous anonym unknown
    staff home menu search suche by von por par posts beiträge all alle view see artikel articles
    about am on at um le el il the in quelle source zuletzt geändert letzte änderung data veröffentlichung
    publication publicación""".split()
)
_SPLIT_NAMES = re.compile(r"\s*(?:[,;|/،]|\s(?:and|und|et|y|و)\s)\s*", re.IGNORECASE)
_URLISH = re.compile(r"https?:|www\.|\.(?:com|net|org|de|info)\b|@|\.[a-z]{2,4}$", re.IGNORECASE)
_LEGAL_FORM = re.compile(r"(?:\s|^)(?:gmbh|ag|e\. ?v\.?|ltd\.?|inc\.?|llc|s\.a\.|s\.l\.|kg|se|co\. kg|plc|ش\.م\.م)$", re.IGNORECASE)


def _squash(text: str) -> str:
    return "".join(ch for ch in normalize(text).casefold() if ch.isalnum())


def is_not_author(name: str) -> bool:
    """True for what stands in an author slot but names no writer: a developer or photo credit,
    a label (``Published``, ``Follow``), an account (``admin``), a URL, an organisation's legal name."""
    key = _HANDLE.sub(" ", normalize(name)).casefold().strip(_SEPARATORS)  # a writer's @handle is no URL
    if not key or _NOT_A_WRITER.search(key) or _URLISH.search(key) or _LEGAL_FORM.search(key):
        return True
    words = [w.strip(_SEPARATORS) for w in key.split()]
    return all(w in _LABELS or w.isdigit() for w in words if w)  # "9 articles": a count of them


# Arabic letters and Latin letters by the consonant a transliteration writes for them; vowels,
# weak letters, ع and the h sounds are left out, since writers spell those every which way.
_SKELETON_AR = str.maketrans({
    **dict.fromkeys("ب", "b"), **dict.fromkeys("تطث", "t"), **dict.fromkeys("جغ", "g"),
    **dict.fromkeys("كقخ", "k"), **dict.fromkeys("دضذ", "d"), **dict.fromkeys("سصشزظ", "s"),
    "ر": "r", "ف": "f", "ل": "l", "م": "m", "ن": "n",
})
_SKELETON_LATIN = str.maketrans({
    **dict.fromkeys("bpv", "b"), **dict.fromkeys("t", "t"), **dict.fromkeys("gj", "g"),
    **dict.fromkeys("kqcx", "k"), **dict.fromkeys("d", "d"), **dict.fromkeys("sz", "s"),
    "r": "r", "f": "f", "l": "l", "m": "m", "n": "n",
})


def _skeleton(text: str) -> str:
    text = normalize(text).casefold()
    out = text.translate(_SKELETON_AR).translate(_SKELETON_LATIN)
    return "".join(ch for ch in out if ch in "btgkdsrflmn")


def _host_labels(host: str | None) -> list[str]:
    if not host:
        return []
    parts = [p for p in host.lower().split(".") if p not in ("www", "m", "amp", "mobile", "ar", "arabic")]
    labels = [p for p in parts[:-1] if len(p) >= 3] if len(parts) > 1 else parts
    return labels + ["".join(parts)]


def is_site_name(name: str, sites: list[str], host: str | None = None) -> bool:
    """True when ``name`` is the site's own name: one of ``sites`` (``og:site_name``, the title's
    suffix ...) give or take spaces and a domain ending, or the host's name written out, in Latin
    letters or transliterated (``المدينة نيوز`` for almadenahnews.com)."""
    key = _squash(name)
    if not key:
        return False
    for site in sites:
        other = _squash(site)
        if not other:
            continue
        if key == other or (len(key) >= 4 and len(other) >= 4 and (key in other or other in key)
                            and min(len(key), len(other)) >= 0.75 * max(len(key), len(other))):
            return True
    skeleton = _skeleton(name)
    for label in _host_labels(host):
        label_key = "".join(ch for ch in label if ch.isalnum())
        if key == label_key or (len(key) >= 4 and key in label_key and len(key) >= 0.6 * len(label_key)):
            return True
        other = _skeleton(label)
        if len(skeleton) >= 4 and len(other) >= 4 and (skeleton == other or (
                (skeleton in other or other in skeleton) and min(len(skeleton), len(other)) >= 0.8 * max(len(skeleton), len(other)))):
            return True
    return False


_LATIN_BY = re.compile(r"(?:^|(?<=\s))(?:(?:by|von|par|por|door)(?:\s*:\s*|\s+)|(?:autor(?:in)?|author|auteur|text|texte)\s*:\s*)(?=\S)", re.IGNORECASE)
_NAME_END = re.compile(
    r"\s+(?:am|on|le|el|il|um|at|in|op|the)(?=\s|$)|\s*[|•·,;(]|\s+[-–—]\s|\s+[0-9]|\s+\w+\s*:", re.IGNORECASE
)
# Words that may stand before "von" in a credit; a capitalised word there is a first name (Walter von Aachen).
_CREDIT_WORDS = frozenset(
    "posted published written veröffentlicht publiziert geschrieben verfasst erstellt artikel beitrag article "
    "post text bericht foto view all posts alle beiträge publié écrit escrito publicado".split()
)


def latin_byline(text: str) -> str | None:
    """The name after "by", "von", "par", "por" or "Autor:" in a short credit line, wherever it stands
    (``Veröffentlicht am 8. Februar 2022 von PETA-Team``, ``Datum: 19.11.2021 Autor: Fritz Imhof Quelle: X``);
    several names in a row are all kept (``Posted by Ann Lee, Bo Chen and Cy Dunn - Security team`` gives
    ``Ann Lee, Bo Chen, Cy Dunn``), up to the first part that is no name (``Von Max Muster, dpa``)."""
    for m in _LATIN_BY.finditer(text):
        before = text[: m.start()].split()
        if before and before[-1][:1].isupper() and before[-1].casefold() not in _CREDIT_WORDS and ":" not in m.group(0):
            continue  # "Walter von Aachen": a name with a particle
        rest = text[m.end():]
        end = _NAME_END.search(rest)
        name = (rest[: end.start()] if end else rest).strip(_SEPARATORS)
        if name:
            names = _names_in_a_row(rest)
            return ", ".join(names) if names else name
    return None


# Where a run of names ends: as _NAME_END, but a comma, "and", "und" go on to the next name.
_NAMES_END = re.compile(
    r"\s+(?:am|on|le|el|il|um|at|in|op|the|of|for|für|from)(?=\s|$)|\s*[|•·(]|\s+[-–—]\s|\s+[0-9]|\s+\w+\s*:",
    re.IGNORECASE,
)


def _names_in_a_row(rest: str) -> list[str]:
    """The names that open ``rest``, each of two to four words; the first part that is no name ends them."""
    end = _NAMES_END.search(rest)
    names = []
    for part in split_names((rest[: end.start()] if end else rest).strip(_SEPARATORS)):
        part = part.strip(_SEPARATORS)
        if not part or not looks_like_name(part) or not 2 <= len(part.split()) <= 4:
            break  # in a list, a one-word "name" is as likely a capitalised noun (Von Risiken und Nebenwirkungen)
        names.append(part)
    return names


_FUNCTION_WORDS = frozenset(
    "في من الى إلى على عن أن ان مع هذا هذه التي الذي قد لقد كان حول بعد قبل the of a an to in und and "
    "über bis nach für aus bei vom zum zur durch gegen ohne mit with from for into".split()
)
# Weekdays and months stand next to a byline's name, never in it.
_NOT_NAMES = _FUNCTION_WORDS | frozenset(
    """montag dienstag mittwoch donnerstag freitag samstag sonntag monday tuesday wednesday thursday friday
    saturday sunday lundi mardi mercredi jeudi vendredi samedi dimanche lunes martes miércoles jueves viernes
    sábado domingo januar februar märz juli september oktober november dezember january
    february march july october december""".split()
)
_NAME_PARTICLES = frozenset("von van de der den da das del della di du la le bin ben al el ibn abu y zu ter".split())


def looks_like_name(name: str) -> bool:
    """Words a name is made of: one to five, no function word, and in Latin script capitalised
    (particles aside: Walter von Aachen); Arabic script has no capitals to tell by."""
    words = _HANDLE.sub(" ", name).replace(",", " ").split()
    if not 1 <= len(words) <= 5 or any(w.strip(".:").isdigit() or w.casefold().strip(".") in _NOT_NAMES for w in words):
        return False  # a number alone (4. November) is a date's
    latin = [w for w in words if w[:1].isascii() and w[:1].isalpha()]
    return all(w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in latin)


def split_names(value: str) -> list[str]:
    """Several names in one credit (``A, B and C``, ``أ و ب``), each as written."""
    return [n.strip() for n in _SPLIT_NAMES.split(value) if n.strip()]


# ---------------------------------------------------------------- agency credits

# Wire agencies as Arabic and European stories credit them: the agency's name or initials.
_AGENCY_NAMES = (
    "وكالة الأنباء الأردنية", "وكالة الانباء الاردنية", "وكالة الأنباء السعودية", "وكالة أنباء الإمارات",
    "وكالة الأنباء القطرية", "وكالة الأنباء الكويتية", "وكالة أنباء البحرين", "وكالة الأنباء العمانية",
    "وكالة الأنباء العراقية", "وكالة الأنباء الفلسطينية", "وكالة الأنباء السورية", "وكالة المغرب العربي للأنباء",
    "وكالة الأنباء الجزائرية", "وكالة تونس إفريقيا للأنباء", "وكالة أنباء الشرق الأوسط", "وكالة الأناضول",
    "وكالة فرانس برس", "فرانس برس", "وكالة رويترز", "رويترز", "الأناضول", "أسوشيتد برس", "شينخوا", "سبوتنيك",
    "بترا", "واس", "وام", "قنا", "كونا", "بنا", "العمانية", "سانا", "وفا", "ومع", "واج", "وات", "سبأ", "نينا",
    "أ ف ب", "أ.ف.ب", "ا ف ب", "أ ش أ", "د ب أ", "د.ب.أ", "أ ب", "إفي", "إرنا",
    "dpa", "afp", "ap", "reuters", "apa", "efe", "ansa", "kna", "epd", "sda", "keystone-sda", "xinhua",
    "anadolu", "tass", "aa",
)
_AGENCY = re.compile(
    r"(?:^|[(\[/\-–—|]\s*)(" + "|".join(sorted((re.escape(a).replace(r"\ ", r"\s*") for a in _AGENCY_NAMES), key=len, reverse=True))
    + r")(?:\s*[/,]\s*[\w.]{1,12})?\s*(?=[)\]/\-–—|:])",
    re.IGNORECASE,
)


def agency_credit(paragraph: str) -> str | None:
    """The wire agency a story credits in its opening words (``عمان 5 أيار (بترا) -``, ``الرياض - واس -``,
    ``Berlin (dpa) -``), as written; ``None`` when the opening credits none."""
    opening = " ".join(paragraph.split()[:14])
    m = _AGENCY.search(opening)
    if m is None:
        return None
    return m.group(1).strip()
