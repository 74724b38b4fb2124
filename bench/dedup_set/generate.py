"""Build a labelled near-duplicate set from the ANT corpus, for measuring marsad's dedup.

    python bench/dedup_set/generate.py --out build/dedup_set [--seed 1]

Writes ``articles.jsonl`` (id, url, source, title, published, text), ``pairs.json`` (labelled pairs:
``exact``, ``near``, ``recrawl``, ``negative``, plus ``negative_kinds`` and ``unscored``),
``clusters.json`` (gold cluster id per article) and ``edits.json`` (what was done to each generated
copy, with its 5-shingle Jaccard similarity to its source). README.md beside this file describes the
set. The output is deterministic for a seed: every set is sorted before it is sampled.

The labels come from this file alone, never from marsad: the text key here is this module's own
light normalisation, so the set does not grade marsad against marsad's own definitions.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from itertools import combinations
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import numpy as np

DEFAULT_ANT = Path(__file__).resolve().parents[3] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"

# -- normalisation (this module's own: a label must not depend on the system it grades) ----------

_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f]")  # harakat, tatweel, bidi
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ؤ": "و", "ئ": "ي", "ة": "ه"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@cache
def _fold(word: str) -> str:
    return word.translate(_FOLD).translate(_DIGITS).lower()


@cache
def _word_hash(word: str) -> int:
    return zlib.crc32(word.encode("utf-8"))


def words_of(text: str) -> list[str]:
    """Words of a text with diacritics, hamza/alef, final-letter and digit variants folded."""
    return list(map(_fold, _WORD.findall(_MARKS.sub("", text))))


def shingles(words: list[str], k: int = 5) -> np.ndarray:
    """Sorted distinct 32-bit hashes of the ``k``-word shingles (the whole text if shorter)."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    h = np.fromiter(map(_word_hash, words), dtype=np.uint64, count=len(words))
    k = min(k, len(h))
    acc = np.zeros(len(h) - k + 1, dtype=np.uint64)
    for i in range(k):  # a polynomial of the k word hashes, wrapping in 64 bits
        acc = acc * np.uint64(0x100000001B3) + h[i : len(h) - k + 1 + i]
    return np.unique((acc ^ (acc >> np.uint64(29))) & np.uint64(0xFFFFFFFF))


def _common(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.intersect1d(a, b, assume_unique=True).size)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    n = _common(a, b)
    return n / (a.size + b.size - n) if a.size or b.size else 1.0


def containment(a: np.ndarray, b: np.ndarray) -> float:
    return _common(a, b) / min(a.size, b.size) if a.size and b.size else 0.0


# -- the corpus --------------------------------------------------------------------------------


@dataclass(slots=True)
class Doc:
    id: str
    url: str
    source: str
    category: str
    title: str
    published: datetime | None
    text: str
    abstract: str = ""
    words: list[str] = field(default_factory=list)
    sh: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.uint64))

    def set_text(self, text: str) -> None:
        self.text = text
        self.words = words_of(text)
        self.sh = shingles(self.words)

    @property
    def day(self) -> str:
        return self.published.date().isoformat() if self.published else ""

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n") if p.strip()]

    def record(self) -> dict[str, str | None]:
        return {
            "id": self.id,
            "url": self.url,
            "source": self.source,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "text": self.text,
        }


def load_ant(path: Path) -> list[Doc]:
    docs = []
    with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as fh:
        for line in fh:
            row = json.loads(line)
            try:
                published: datetime | None = parsedate_to_datetime(row["time"])
            except (TypeError, ValueError):
                published = None
            doc = Doc(
                id=row["id"], url=row["url"], source=row["source"], category=row["category"], title=row["title"] or "",
                published=published, text=row["text"] or "", abstract=row.get("abstract") or "",
            )
            doc.set_text(doc.text)
            docs.append(doc)
    return docs


def similar_pairs(docs: list[Doc], *, rate: int = 8, min_share: float = 0.3) -> set[tuple[str, str]]:
    """Pairs of ANT articles with different texts that share many 5-word shingles.

    ANT holds updates and cross-posted wire copies besides its exact duplicates; an article that has
    such a neighbour must not serve as an original, a re-crawl base or a negative, or the set would
    call a real duplicate a negative. Candidates share at least two of the shingles kept by a 1 in
    ``rate`` sample; a pair is similar when ``min_share`` of the smaller text's shingles are in both.
    """
    index: dict[int, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        for h in doc.sh[doc.sh % np.uint64(rate) == 0].tolist():
            index[h].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in index.values():
        if 1 < len(ids) <= 30:  # a shingle in more than 30 articles is a site's boilerplate, not a story
            shared.update(combinations(ids, 2))
    out = set()
    for (i, j), n in shared.items():
        a, b = docs[i], docs[j]
        if n >= 2 and a.words != b.words and containment(a.sh, b.sh) >= min_share:
            out.add(_pair(a.id, b.id))
    return out


# -- edits that turn a story into a wire copy on another site ---------------------------------

DATELINES = [
    "الرياض - واس:", "القاهرة (أ ش أ) -", "بيروت - «الحياة»:", "دبي - وام:", "عمّان - بترا:",
    "الرباط (و م ع) -", "تونس (وات) -", "بغداد - رويترز:", "باريس (أ ف ب) -", "لندن - «الشرق الأوسط»:",
    "الكويت (كونا) -", "الدوحة - قنا:", "الجزائر (واج) -", "دمشق - سانا:", "أبوظبي - وام:", "الخرطوم (سونا) -",
]

# invented sites (the .example domain is reserved: none of these exists)
SITES = [
    ("صحيفة الوطن اليوم", "alwatan-alyawm.example"),
    ("بوابة الخبر", "bawabat-alkhabar.example"),
    ("منبر الأخبار", "minbar-news.example"),
    ("الساحة الإخبارية", "alsaha-news.example"),
    ("شبكة النهار العربي", "nahar-net.example"),
    ("الفجر الجديد", "alfajr-aljadid.example"),
    ("أنباء الخليج", "anbaa-alkhalij.example"),
    ("المشهد المغاربي", "almashhad-almaghribi.example"),
    ("نافذة الشرق", "nafidhat-alsharq.example"),
    ("الحدث 24", "alhadath24.example"),
    ("وكالة الأخبار المستقلة", "akhbar-mustaqilla.example"),
    ("موقع الرأي الآخر", "alrai-alakhar.example"),
]

SLOGANS = [
    "{name}.. الخبر كما هو",
    "تابعوا {name} على فيسبوك وتويتر لآخر المستجدات",
    "لمتابعة آخر الأخبار اشترك في النشرة البريدية لـ{name}",
    "حمّل تطبيق {name} على هاتفك الآن",
]
COPYRIGHTS = [
    "© 2018 {name}. جميع الحقوق محفوظة",
    "جميع الحقوق محفوظة لـ{name} - يمنع النسخ أو إعادة النشر دون إذن مسبق",
    "حقوق النشر محفوظة © {name} 2018",
]
HEADLINE_TAGS = ["عاجل: ", "بالفيديو: ", "شاهد: ", "بالصور: ", "تفاصيل: ", "خاص: "]

# whole-token substitutions a copy editor makes without changing the story
SYNONYMS = {
    "قال": "ذكر", "وقال": "وذكر", "قالت": "ذكرت", "وقالت": "وذكرت", "أكد": "شدد", "وأكد": "وشدد",
    "أكدت": "شددت", "أعلن": "كشف", "وأعلن": "وكشف", "أعلنت": "كشفت", "وأضاف": "وتابع", "وأضافت": "وتابعت",
    "الأمريكي": "الأميركي", "الأمريكية": "الأميركية", "الأمريكيين": "الأميركيين", "خلال": "أثناء",
    "بعد": "عقب", "حوالي": "نحو", "نحو": "قرابة", "أيضا": "كذلك", "كما": "وكذلك", "اليوم": "أمس",
    "الثلاثاء": "الاربعاء", "مؤخرا": "في الآونة الأخيرة", "وأوضح": "وبيّن", "أشار": "لفت",
}
FILLERS = ["أيضا", "كذلك", "بدوره", "من جهته", "حسب المصادر"]
HARAKAT = ["\u064e", "\u064f", "\u0650", "\u0651", "\u0652"]  # fatha, damma, kasra, shadda, sukun
SPELLING = {"أ": "ا", "إ": "ا", "آ": "ا"}

CONTENT_EDITS = ["dateline", "trim_last", "boilerplate", "words", "punctuation", "diacritics", "spelling", "paragraphs"]
EDIT_ODDS = {"dateline": 0.7, "trim_last": 0.5, "boilerplate": 0.6, "words": 0.6, "punctuation": 0.5,
             "diacritics": 0.3, "spelling": 0.4, "paragraphs": 0.4}


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!؟?])\s+", paragraph) if s]


def edit_headline(rng: random.Random, doc: Doc) -> str:
    title = doc.title.strip()
    kind = rng.choice(["tag", "swap", "lead", "word"])
    if kind == "swap" and ":" in title:
        head, _, tail = title.partition(":")
        return f"{tail.strip()}.. {head.strip()}"
    if kind == "lead":
        lead = (doc.abstract if words_of(doc.abstract) else doc.paragraphs[0]).split()
        return " ".join(lead[: rng.randint(7, 11)]).rstrip("،,.:")
    if kind == "word":
        tokens = title.split()
        if len(tokens) > 3:
            del tokens[rng.randrange(1, len(tokens))]
            return " ".join(tokens) + rng.choice(["", " (فيديو)", " - تفاصيل"])
    return rng.choice(HEADLINE_TAGS) + title


def edit_words(rng: random.Random, paragraphs: list[str]) -> tuple[list[str], int]:
    tokens = [p.split(" ") for p in paragraphs]
    spots = [(i, j) for i, p in enumerate(tokens) for j, t in enumerate(p) if t in SYNONYMS]
    rng.shuffle(spots)
    changes = rng.randint(1, 5)
    done = 0
    for i, j in spots[:changes]:
        tokens[i][j] = SYNONYMS[tokens[i][j]]
        done += 1
    while done < changes:  # no synonym left: drop a word or add a filler, as an editor would
        i = rng.randrange(len(tokens))
        if len(tokens[i]) > 6 and rng.random() < 0.5:
            del tokens[i][rng.randrange(1, len(tokens[i]))]
        else:
            tokens[i].insert(rng.randrange(1, len(tokens[i]) + 1), rng.choice(FILLERS))
        done += 1
    return [" ".join(p) for p in tokens], changes


def edit_punctuation(rng: random.Random, text: str) -> str:
    text = text.replace("،", ",") if rng.random() < 0.5 else text.replace(",", "،")
    if rng.random() < 0.6:
        text = re.sub(r'"([^"\n]{1,200})"', r"«\1»", text)
    if rng.random() < 0.5:
        text = re.sub(r"\.(?=\n|$)", "", text)
    if rng.random() < 0.3:
        text = text.replace("؟", "?")
    return text


def edit_diacritics(rng: random.Random, text: str) -> str:
    """Vowel a few words, as some sites do for names and ambiguous words."""
    tokens = text.split(" ")
    for i in rng.sample(range(len(tokens)), min(len(tokens), rng.randint(4, 15))):
        t = tokens[i]
        spots = [j for j in range(1, len(t)) if "\u0628" <= t[j - 1] <= "\u064a" and t[j - 1] not in "اويىـ"]
        if t.endswith("ا") and len(t) > 2 and rng.random() < 0.3:
            tokens[i] = t + "\u064b"  # tanween fath on a final alef
        elif spots:
            j = rng.choice(spots)
            tokens[i] = t[:j] + rng.choice(HARAKAT) + t[j:]
    return " ".join(tokens)


def edit_spelling(rng: random.Random, text: str) -> str:
    out = []
    for t in text.split(" "):
        if t[:1] in SPELLING and rng.random() < 0.4:
            t = SPELLING[t[0]] + t[1:]
        elif t.endswith("ى") and rng.random() < 0.4:
            t = t[:-1] + "ي"
        elif t.endswith("ة") and rng.random() < 0.15:
            t = t[:-1] + "ه"
        elif t.isdigit() and t.isascii() and rng.random() < 0.5:
            t = t.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
        out.append(t)
    return " ".join(out)


def edit_paragraphs(rng: random.Random, paragraphs: list[str]) -> list[str]:
    paragraphs = list(paragraphs)
    if len(paragraphs) > 2 and rng.random() < 0.5:
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i : i + 2] = [paragraphs[i] + " " + paragraphs[i + 1]]
    else:
        long = [i for i, p in enumerate(paragraphs) if len(_sentences(p)) > 1]
        if long:
            i = rng.choice(long)
            s = _sentences(paragraphs[i])
            cut = rng.randrange(1, len(s))
            paragraphs[i : i + 1] = [" ".join(s[:cut]), " ".join(s[cut:])]
    return paragraphs


def make_copy(rng: random.Random, doc: Doc, new_id: str, site: tuple[str, str], other_titles: list[str],
              when: datetime | None) -> tuple[Doc, list[str]]:
    """One republication of ``doc`` on ``site``: the edits it got are returned with it."""
    name, domain = site
    edits = [e for e in CONTENT_EDITS if rng.random() < EDIT_ODDS[e]]
    while len(edits) < 2:
        extra = rng.choice(CONTENT_EDITS)
        if extra not in edits:
            edits.append(extra)
    edits.sort(key=CONTENT_EDITS.index)
    paragraphs = doc.paragraphs
    notes = ["headline"]
    if "trim_last" in edits:
        last_words = len(paragraphs[-1].split())
        if len(paragraphs) >= 3 and last_words <= 0.3 * len(doc.text.split()):
            paragraphs = paragraphs[:-1]
            notes.append("trim_last:paragraph")
        else:
            s = _sentences(paragraphs[-1])
            if len(s) > 1:
                paragraphs = paragraphs[:-1] + [" ".join(s[:-1])]
                notes.append("trim_last:sentence")
    if "words" in edits:
        paragraphs, n = edit_words(rng, paragraphs)
        notes.append(f"words:{n}")
    if "paragraphs" in edits:
        paragraphs = edit_paragraphs(rng, paragraphs)
        notes.append("paragraphs")
    if "dateline" in edits:
        dateline = rng.choice(DATELINES)
        paragraphs = [f"{dateline} {paragraphs[0]}", *paragraphs[1:]]
        notes.append(f"dateline:{dateline}")
    text = "\n".join(paragraphs)
    for edit, fn in (("punctuation", edit_punctuation), ("diacritics", edit_diacritics), ("spelling", edit_spelling)):
        if edit in edits:
            text = fn(rng, text)
            notes.append(edit)
    if "boilerplate" in edits:
        lines = text.split("\n")
        slogan = SLOGANS[zlib.crc32(domain.encode()) % len(SLOGANS)].format(name=name)  # one per site, as on the web
        copyright = COPYRIGHTS[zlib.crc32(name.encode()) % len(COPYRIGHTS)].format(name=name)
        added = []
        if rng.random() < 0.7:
            lines.insert(rng.randrange(1, len(lines) + 1), f"اقرأ أيضا: {rng.choice(other_titles)}")
            added.append("read_also")
        if rng.random() < 0.6:
            lines = [slogan, *lines] if rng.random() < 0.5 else [*lines, slogan]
            added.append("slogan")
        if rng.random() < 0.8 or not added:
            lines.append(copyright)
            added.append("copyright")
        text = "\n".join(lines)
        notes.append("boilerplate:" + "+".join(added))
    title = edit_headline(rng, doc)
    stamp = when or datetime(2018, 1, 1, tzinfo=UTC)
    slug = "-".join(title.split()[:8]) if rng.random() < 0.5 else str(rng.randrange(10**5, 10**7))
    url = f"https://www.{domain}/{rng.choice(['news', 'akhbar', 'arab-world', 'article'])}/{stamp:%Y/%m/%d}/{slug}"
    copy = Doc(id=new_id, url=url, source=domain, category=doc.category, title=title, published=when, text=text)
    copy.set_text(text)
    return copy, notes


# -- re-crawls: one page reached again under another address ---------------------------------

UPDATES = [
    "(تم تحديث هذا الخبر)",
    "وسنوافيكم بالمزيد من التفاصيل لاحقا.",
    "يتبع...",
]


def variant_url(rng: random.Random, url: str) -> tuple[str, list[str]]:
    parts = urlsplit(url)
    scheme, host, path, query = parts.scheme, parts.netloc, parts.path, parts.query
    kinds = rng.sample(["tracking", "amp", "scheme", "slash", "encoding", "www"], rng.randint(1, 3))
    notes = []
    for kind in kinds:
        if kind == "tracking":
            params = rng.choice([
                "utm_source=facebook&utm_medium=social&utm_campaign=share",
                "utm_source=twitter&utm_medium=referral", "fbclid=IwAR0" + str(rng.randrange(10**8)),
                "utm_source=newsletter&utm_content=" + str(rng.randrange(100)), "ref=rss",
            ])
            query = f"{query}&{params}" if query else params
        elif kind == "amp":
            style = rng.choice(["prefix", "suffix"])
            path = "/amp" + path if style == "prefix" else path.rstrip("/") + "/amp"
            kind = f"amp:{style}"
        elif kind == "scheme":
            scheme = "https" if scheme == "http" else "http"
        elif kind == "slash":
            if path.endswith(("/", ".html")):
                continue
            path += "/"
        elif kind == "encoding":  # raw Arabic path <-> percent-encoded, whichever the address is not
            if not path.isascii():
                path = quote(path, safe="/-._~")
            elif re.search(r"%[0-9A-Fa-f]{2}", path) and unquote(path) != path:
                path = unquote(path)
            else:
                continue
        elif kind == "www":
            host = host[4:] if host.startswith("www.") else "www." + host
        notes.append(kind)
    if not notes:  # the chosen changes did not apply to this address: fall back to tracking parameters
        query = f"{query}&utm_source=rss" if query else "utm_source=rss"
        notes.append("tracking")
    return urlunsplit((scheme, host, path, query, "")), notes


def make_recrawl(rng: random.Random, doc: Doc, new_id: str) -> tuple[Doc, list[str]]:
    url, notes = variant_url(rng, doc.url)
    text, published, title = doc.text, doc.published, doc.title
    if rng.random() < 0.5:
        kind = rng.choice(["append", "number", "word"])
        paragraphs = doc.paragraphs
        if kind == "number" and re.search(r"\d+", text):
            text = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text, count=1)
        elif kind == "word":
            paragraphs, _ = edit_words(rng, paragraphs)
            text = "\n".join(paragraphs)
        else:
            kind = "append"
            text = "\n".join([*paragraphs, rng.choice(UPDATES)])
        notes.append(f"text:{kind}")
        if published:
            published = published + timedelta(minutes=rng.randint(20, 360))
        if rng.random() < 0.2:
            title = "محدث: " + title
            notes.append("title")
    else:
        notes.append("text:same")
    copy = Doc(id=new_id, url=url, source=doc.source, category=doc.category, title=title, published=published, text=text)
    copy.set_text(text)
    return copy, notes


# -- hard negatives ------------------------------------------------------------------------------

_TITLE_STOP = set(words_of(
    "في من على إلى الى عن مع بعد قبل أن إن التي الذي الذين هذا هذه ذلك تلك بين حول ضد خلال عند منذ"
    " هل ما لا لم لن قد كان كانت يكون أو ثم كل بعض غير عبر لدى أمام وسط جديد جديدة"
))


def title_words(title: str) -> set[str]:
    return {w for w in words_of(title) if len(w) > 2 and w not in _TITLE_STOP and not w.isdigit()}


def different(a: Doc, b: Doc) -> bool:
    """Different stories: few shared 5-word shingles either way."""
    return jaccard(a.sh, b.sh) < 0.1 and containment(a.sh, b.sh) < 0.2


# -- the set -----------------------------------------------------------------------------------


class _Clusters:
    """Union-find over article ids: the gold clusters are the connected parts of the positive pairs."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


class _Builder:
    """The set as it is drawn: the articles chosen or made, their labelled pairs and gold clusters."""

    def __init__(self, docs: list[Doc], rng: random.Random) -> None:
        self.docs, self.rng = docs, rng
        self.by_id = {d.id: d for d in docs}
        self.look_alikes = similar_pairs(docs)
        self.entangled = {x for pair in self.look_alikes for x in pair}
        self.by_text: dict[str, list[Doc]] = defaultdict(list)
        self.by_url: dict[str, list[Doc]] = defaultdict(list)
        for d in docs:
            self.by_text[" ".join(d.words)].append(d)
            self.by_url[d.url].append(d)
        self.chosen: dict[str, Doc] = {}  # ANT articles in the set
        self.generated: list[Doc] = []
        self.edits: dict[str, dict[str, object]] = {}
        self.clusters = _Clusters()
        self.labels: dict[str, set[tuple[str, str]]] = {k: set() for k in ("exact", "near", "recrawl")}
        self.negatives: dict[tuple[str, str], str] = {}  # pair -> kind
        self.stats: dict[str, int] = {}
        self.left_out: set[str] = set()
        self.originals: list[Doc] = []
        self.recrawl_bases: list[Doc] = []

    def _link(self, label: str, members: list[Doc]) -> None:
        for a, b in combinations(members, 2):
            self.labels[label].add(_pair(a.id, b.id))
            self.clusters.union(a.id, b.id)

    def _alone(self, d: Doc) -> bool:
        """No other ANT article with this text or this URL."""
        return len(self.by_text[" ".join(d.words)]) == 1 and len(self.by_url[d.url]) == 1

    def add_exact(self) -> None:
        """ANT's own exact duplicates: the same folded text under different ids."""
        groups = []
        for key, members in self.by_text.items():
            if len(members) < 2:
                continue
            # A short line under many different titles and URLs is what the crawler kept of a failed
            # page (an opinion-column disclaimer, a copyright line): the same text, not the same article.
            failed = len(key.split()) < 15 and len({" ".join(words_of(m.title)) for m in members}) > 1 \
                and len({m.url for m in members}) > 1
            if failed or not key:
                self.left_out.update(m.id for m in members)
                self.stats["exact_groups_left_out"] = self.stats.get("exact_groups_left_out", 0) + 1
                continue
            groups.append(sorted(members, key=lambda m: m.id))
        for group in sorted(groups, key=lambda g: g[0].id):
            self.chosen.update((m.id, m) for m in group)
            self._link("exact", group)
        self.stats["exact_groups"] = len(groups)

    def add_ant_recrawls(self) -> None:
        """ANT's own re-crawls: one URL, the text updated between two crawls."""
        count = 0
        for url in sorted(self.by_url):
            members = sorted(self.by_url[url], key=lambda m: m.id)
            if len(members) < 2 or len({" ".join(m.words) for m in members}) < 2:
                continue  # one text: already an exact group
            self.chosen.update((m.id, m) for m in members)
            for a, b in combinations(members, 2):
                if a.words != b.words:
                    self.labels["recrawl"].add(_pair(a.id, b.id))
                    count += 1
                self.clusters.union(a.id, b.id)
        self.stats["ant_recrawl_pairs"] = count

    def pick_sources(self, originals: int, recrawls: int) -> None:
        """Originals and re-crawl bases: no look-alike in ANT, long enough to survive a trim."""
        used = set(self.chosen) | self.left_out
        eligible = [
            d for d in self.docs
            if d.id not in used and d.id not in self.entangled and d.published and len(d.paragraphs) >= 3
            and len(d.words) >= 120 and self._alone(d)
        ]
        picked = self.rng.sample(eligible, min(originals + recrawls, len(eligible)))
        self.originals, self.recrawl_bases = picked[:originals], picked[originals:]
        self.left_out |= used

    def add_wire_copies(self) -> None:
        rng = self.rng
        other_titles = sorted(d.title for d in rng.sample(self.docs, 400) if d.title)
        for orig in self.originals:
            self.chosen[orig.id] = orig
            members = [orig]
            when = orig.published
            for site in rng.sample(SITES, rng.choice([1, 1, 2, 2, 3])):
                assert when is not None
                when = when + timedelta(minutes=rng.randint(15, 1800))
                copy, notes = make_copy(rng, orig, self._new_id("w"), site, other_titles, when)
                self._add_generated(copy, orig, "wire_copy", notes, site=site[1])
                members.append(copy)
            self._link("near", members)

    def add_recrawls(self) -> None:
        for base in self.recrawl_bases:
            self.chosen[base.id] = base
            members = [base]
            for _ in range(self.rng.choice([1, 1, 2])):
                copy, notes = make_recrawl(self.rng, base, self._new_id("r"))
                self._add_generated(copy, base, "recrawl", notes)
                members.append(copy)
            self._link("recrawl", members)

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}-{len(self.generated) + 1:05d}"

    def _add_generated(self, copy: Doc, source: Doc, kind: str, notes: list[str], **extra: str) -> None:
        self.edits[copy.id] = {"of": source.id, "kind": kind, **extra, "edits": notes,
                               "jaccard": round(jaccard(source.sh, copy.sh), 3)}
        self.generated.append(copy)

    # hard negatives ------------------------------------------------------------------------

    def _can_negate(self, d: Doc) -> bool:
        return d.id not in self.entangled and len(d.words) >= 60 and d.published is not None

    def _try_negative(self, a: Doc, b: Doc, kind: str, text_a: Doc | None = None, text_b: Doc | None = None) -> bool:
        pair = _pair(a.id, b.id)
        if pair in self.negatives or self.clusters.find(a.id) == self.clusters.find(b.id):
            return False
        if not different(text_a or a, text_b or b):
            return False
        self.negatives[pair] = kind
        return True

    def add_similar_titles(self, wanted: int) -> None:
        """The same event written up by another newsroom: titles that share most content words."""
        free = [d for d in self.docs if d.id not in self.left_out and d.id not in self.chosen
                and self._can_negate(d) and self._alone(d)]
        pool = [d for d in (*self.originals, *self.recrawl_bases) if self._can_negate(d)] + free
        words = {d.id: title_words(d.title) for d in pool}
        index: dict[str, list[Doc]] = defaultdict(list)
        for d in pool:
            for w in sorted(words[d.id]):
                index[w].append(d)
        shared: Counter[tuple[str, str]] = Counter()
        for w in sorted(index):
            if len(index[w]) > 200:
                continue  # a word in hundreds of titles (a country, a club) says little about the story
            for a, b in combinations(index[w], 2):
                if a.category == b.category and a.published and b.published \
                        and abs(a.published - b.published) <= timedelta(days=2):
                    shared[_pair(a.id, b.id)] += 1
        by_id = {d.id: d for d in pool}
        candidates = sorted(p for p, n in shared.items() if n >= 3 and n / len(words[p[0]] | words[p[1]]) >= 0.3)
        self.rng.shuffle(candidates)
        overlapping = 0  # similar titles, but too much text in common to call them different stories
        found = 0
        for x, y in candidates:
            if found >= wanted:
                break
            a, b = by_id[x], by_id[y]
            if self.clusters.find(x) == self.clusters.find(y):
                continue
            if not self._try_negative(a, b, "similar_title"):
                overlapping += 1
                continue
            found += 1
            self.chosen.setdefault(x, a)
            self.chosen.setdefault(y, b)
        self.stats["similar_title_candidates"] = len(candidates)
        self.stats["similar_title_skipped_overlap"] = overlapping

    def add_same_site(self, wanted: int) -> None:
        """Two different stories on one site: the same slogan and copyright line, often the same agency."""
        copies = {d.id: d for d in self.generated}
        by_site: dict[str, list[Doc]] = defaultdict(list)
        for d in self.generated:
            notes = self.edits[d.id]["edits"]
            assert isinstance(notes, list)
            if self.edits[d.id]["kind"] == "wire_copy" and any(n.startswith("boilerplate") for n in notes):
                by_site[d.source].append(d)
        candidates = sorted(_pair(a.id, b.id) for ds in by_site.values() for a, b in combinations(ds, 2)
                            if a.category == b.category)
        self.rng.shuffle(candidates)
        found = 0
        for x, y in candidates:
            if found >= wanted:
                break
            # the stories must differ: judge by the originals, whose texts carry no site lines
            oa, ob = self.by_id[str(self.edits[x]["of"])], self.by_id[str(self.edits[y]["of"])]
            found += self._try_negative(copies[x], copies[y], "same_site", oa, ob)

    def add_same_day(self, total: int) -> None:
        """Same category, same day, among the ANT articles already in the set, up to ``total`` negatives."""
        by_day: dict[tuple[str, str], list[Doc]] = defaultdict(list)
        for d in sorted((d for d in self.chosen.values() if self._can_negate(d)), key=lambda d: d.id):
            by_day[(d.category, d.day)].append(d)
        candidates = sorted(_pair(a.id, b.id) for ds in by_day.values() for a, b in combinations(ds, 2))
        self.rng.shuffle(candidates)
        for x, y in candidates:
            if len(self.negatives) >= total:
                break
            self._try_negative(self.chosen[x], self.chosen[y], "same_day")

    # output ------------------------------------------------------------------------------

    def write(self, out: Path, seed: int) -> None:
        everything = sorted(
            [*self.chosen.values(), *self.generated],
            key=lambda d: (d.published.astimezone(UTC).isoformat() if d.published else "9999", d.id),
        )
        by_id = {d.id: d for d in everything}
        out.mkdir(parents=True, exist_ok=True)
        with open(out / "articles.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(d.record(), ensure_ascii=False) + "\n" for d in everything)
        gold: dict[str, str] = {}
        names: dict[str, str] = {}
        for d in everything:
            gold[d.id] = names.setdefault(self.clusters.find(d.id), f"c{len(names) + 1:05d}")
        # look-alikes between set members that no label covers: neither positive nor negative
        unscored = sorted(p for p in self.look_alikes if p[0] in by_id and p[1] in by_id
                          and self.clusters.find(p[0]) != self.clusters.find(p[1]))
        negatives = sorted(self.negatives)
        pairs: dict[str, list[tuple[str, str]] | list[str]] = {
            "exact": sorted(self.labels["exact"]),
            "near": sorted(self.labels["near"]),
            "recrawl": sorted(self.labels["recrawl"]),
            "negative": negatives,
            "negative_kinds": [self.negatives[p] for p in negatives],
            "unscored": unscored,
        }
        (out / "pairs.json").write_text(json.dumps(pairs, ensure_ascii=False, indent=0), encoding="utf-8")
        (out / "clusters.json").write_text(json.dumps(gold, ensure_ascii=False, indent=0), encoding="utf-8")
        (out / "edits.json").write_text(json.dumps(self.edits, ensure_ascii=False, indent=1), encoding="utf-8")
        summary = {
            "seed": seed,
            "articles": len(everything),
            "ant_articles": len(self.chosen),
            "generated": len(self.generated),
            "clusters": len(names),
            "pairs": {k: len(v) for k, v in pairs.items() if k != "negative_kinds"},
            "negative_kinds": dict(sorted(Counter(self.negatives.values()).items())),
            "similar_title_candidates": self.stats["similar_title_candidates"],
            "similar_title_skipped_overlap": self.stats["similar_title_skipped_overlap"],
            "negative_max_jaccard": round(max((jaccard(by_id[a].sh, by_id[b].sh) for a, b in negatives), default=0.0), 3),
            "exact_groups": self.stats["exact_groups"],
            "exact_groups_left_out": self.stats.get("exact_groups_left_out", 0),
            "ant_recrawl_pairs": self.stats["ant_recrawl_pairs"],
            "wire_originals": len(self.originals),
            "wire_copies": sum(1 for e in self.edits.values() if e["kind"] == "wire_copy"),
            "recrawl_bases": len(self.recrawl_bases),
            "recrawl_copies": sum(1 for e in self.edits.values() if e["kind"] == "recrawl"),
        }
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")


def generate(
    out: Path,
    seed: int = 1,
    data: Path = DEFAULT_ANT,
    *,
    originals: int = 600,
    recrawls: int = 200,
    negatives: int = 1000,
) -> Path:
    """Write the set into ``out`` and return it: ``originals`` stories with wire copies, ``recrawls``
    pages with re-crawls, at least ``negatives`` hard negative pairs, and all of ANT's duplicate texts."""
    build = _Builder(load_ant(Path(data)), random.Random(seed))
    build.add_exact()
    build.add_ant_recrawls()
    build.pick_sources(originals, recrawls)
    build.add_wire_copies()
    build.add_recrawls()
    build.add_similar_titles(int(negatives * 0.4))
    build.add_same_site(int(negatives * 0.15))
    build.add_same_day(negatives)  # the same-day pairs make up what the other kinds could not find
    build.write(Path(out), seed)
    return Path(out)


def main(argv: Iterable[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Build marsad's labelled near-duplicate set from the ANT corpus.")
    ap.add_argument("--out", type=Path, default=Path("build/dedup_set"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", type=Path, default=DEFAULT_ANT)
    ap.add_argument("--originals", type=int, default=600)
    ap.add_argument("--recrawls", type=int, default=200)
    ap.add_argument("--negatives", type=int, default=1000)
    args = ap.parse_args(list(argv) if argv is not None else None)
    if not args.data.exists():
        sys.exit(f"{args.data} not found: the set is built from the ANT corpus in shared/data")
    out = generate(args.out, args.seed, args.data, originals=args.originals, recrawls=args.recrawls, negatives=args.negatives)
    print((out / "summary.json").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
