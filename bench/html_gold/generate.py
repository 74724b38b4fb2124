"""Generate a development gold set for HTML extraction: Arabic news pages built from ANT articles.

    python bench/html_gold/generate.py --out build/html_gold [--n 48] [--seed 1]

Writes DIR/pages/*.html and DIR/gold.json in the form of trafilatura's ``tests/evaldata.json``
(keyed by URL: file, url, title, author, date, description, categories, tags, with, without, ...,
plus ``source``, ``encoding`` and ``template``), and DIR/variants.json (what each page varies).
The pages hold ANT text, which must never be committed: the default DIR is under the git-ignored
``build/``. The two real pages of ``../shared/data/html_dev`` are added with absolute paths.

Each ANT article is rendered in one of ten invented site templates (``gold_sites/``); the generator
checks that every ``with`` snippet is in the page's visible text and in no boilerplate, and that no
``without`` snippet is in the body, and fails loudly otherwise. Same seed, same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import re
import shutil
import sys
from collections import Counter
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # bench/ is not a package: the generator's modules sit beside it

import gold_junk as junk  # noqa: E402
from gold_parts import AntArticle, Comment, Link, Page  # noqa: E402
from gold_sites import TEMPLATES  # noqa: E402
from gold_text import (clean_text, fold_text, format_date, has_presentation_forms, normalize_ws,  # noqa: E402
                       page_text)

REPO = HERE.parents[1]
SHARED = REPO.parent / "shared" / "data"
DEFAULT_ANT = SHARED / "ant_multisource" / "articles.jsonl.gz"
HTML_DEV = SHARED / "html_dev"
DEFAULT_OUT = REPO / "build" / "html_gold"
SOURCES = ("alarabia", "BBC", "CNN", "france24", "skynews")

# Boilerplate inside ANT bodies themselves: an article holding one would blur its gold.
_ANT_JUNK = ("اقرأ أيضا", "إقرأ أيضا", "اقرأ ايضا", "للمزيد", "اضغط هنا", "http:", "https:", "www.", "\nشاهد")
_ISO_DAY = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d")


@lru_cache(maxsize=2)
def load_ant(path: Path) -> tuple[AntArticle, ...]:
    """ANT articles fit for a page: 3-15 clean paragraphs, no boilerplate lines, one copy per text."""
    seen: set[str] = set()
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            raw = row["text"]
            if row["category"] not in junk.SECTIONS or not 2 <= raw.count("\n") <= 20:
                continue
            if raw.startswith("شاهد") or any(k in raw for k in _ANT_JUNK):
                continue
            paras = tuple(p for p in (clean_text(x) for x in raw.split("\n")) if p)
            title = clean_text(row["title"])
            if not 3 <= len(paras) <= 15 or len(title.split()) < 3:
                continue
            if len(paras[0].split()) < 6 or len(paras[-1].split()) < 6:
                continue
            if has_presentation_forms(raw + row["title"]):
                continue
            key = hashlib.sha1(" ".join(paras).encode()).hexdigest()
            if key in seen:
                continue
            seen.add(key)
            try:
                published = parsedate_to_datetime(row["time"])
            except (TypeError, ValueError):
                continue
            out.append(AntArticle(row["id"], row["source"], row["category"], title, published,
                                  clean_text(row["author"]), clean_text(row["abstract"]), paras))
    return tuple(out)


# ---------------------------------------------------------------- planning

def pick_articles(rng: random.Random, pool: tuple[AntArticle, ...], n: int) -> list[AntArticle]:
    by_source: dict[str, list[AntArticle]] = {s: [] for s in SOURCES}
    for art in pool:
        if art.source in by_source:
            by_source[art.source].append(art)
    order = list(SOURCES)
    rng.shuffle(order)
    chosen: list[AntArticle] = []
    for k, source in enumerate(order):
        quota = n // len(SOURCES) + (1 if k < n % len(SOURCES) else 0)
        chosen.extend(rng.sample(by_source[source], quota))
    rng.shuffle(chosen)
    return chosen


def plan_encodings(rng: random.Random, templates: list[ModuleType]) -> list[tuple[str, str]]:
    """(codec, declaration) per page: legacy charsets go to the templates of older CMSs."""
    n = len(templates)
    plan = [("utf-8", rng.choice(t.PROFILE.declare_utf8)) for t in templates]
    legacy = [i for i, t in enumerate(templates) if t.PROFILE.legacy]
    rng.shuffle(legacy)
    slots = [("cp1256", "none")] * 2 + [("iso-8859-6", "")] * 2 + [("cp1256", "")] * max(6, round(n / 6))
    for i, (codec, declare) in zip(legacy, slots, strict=False):  # fewer legacy pages: fewer slots
        plan[i] = (codec, declare or rng.choice(templates[i].PROFILE.declare_legacy))
    return plan


def _site_url(tpl: ModuleType, art: AntArticle, dated: bool = False) -> str:
    slug = junk.SECTIONS[art.category][1]
    return f"https://{tpl.PROFILE.domain}{tpl.url_path(art.number, slug, art.published, dated)}"


# Desk credits that sign thousands of ANT articles: shown on half the pages, so that bylines vary.
_DESK_CREDITS = ("أبوظبي - سكاي نيوز عربية", "فرانس 24", "العربية.نت")
_ORG_WORDS = re.compile(r"\d|\.|وكال|فرانس|رويترز|سكاي|العربية|نيوز|بي بي سي")


def _is_person_name(author: str) -> bool:
    """A bare personal name (``ليانا صالح``) that a site prefixes with ``بقلم:``/``كتب -``; a dateline
    (``القاهرة - أحمد الريدي``) or an organisation (``فرانس 24``) is shown as it is."""
    return not re.search(r"[-–،,/]| ـ ", author) and not _ORG_WORDS.search(author)


def gold_author(shown: str) -> str:
    """The author as the gold records it: the person or agency, without a wire dateline
    (``القاهرة - أحمد الريدي`` → ``أحمد الريدي``) or a desk credit (``NAME - وكالات`` → ``NAME``);
    empty for a credit alone (وكالات، متابعات), which names no one."""
    credits = {"وكالات", "متابعات", "(وكالات)"}
    parts = [p.strip() for p in re.split(r"\s+[-–—]\s+", shown) if p.strip() and p.strip() not in credits]
    if len(parts) >= 2 and len(parts[0].split()) <= 2:
        parts = parts[1:]
    return parts[0] if parts else ""


def _usable_author(author: str) -> str:
    """The ANT author if it reads as a byline: some are ids (``b8a20013-a897-...``) or empty."""
    if not re.search(r"[\u0621-\u064a]", author) or len(author.split()) > 8:
        return ""
    return author


def plan_page(index: int, art: AntArticle, tpl: ModuleType, codec: str, declare: str, seed: int,
              pool: tuple[AntArticle, ...], taken: set[str]) -> Page:
    prof = tpl.PROFILE
    rng = random.Random(f"{seed}:{index}:{art.id}")
    token = hashlib.sha256(f"{seed}:{index}:{art.id}".encode()).hexdigest()

    def f(text: str) -> str:
        return normalize_ws(fold_text(text, codec))

    section, slug = junk.SECTIONS[art.category]
    published = art.published
    modified = published + timedelta(minutes=rng.randint(7, 600))
    if rng.random() < 0.3:
        modified += timedelta(days=rng.randint(1, 3))  # a later day: a decoy for "last modified"
    style = rng.choice(prof.date_styles)
    weekday = rng.choice(prof.weekday)
    clock = rng.choice(prof.clocks)
    indic = rng.choice(prof.indic) and codec == "utf-8"

    def day(moment: datetime, *, wd: bool = weekday, ck: str | None = clock) -> str:
        return f(format_date(moment, style, weekday=wd, clock=ck, indic=indic))

    date_text = day(published)
    updated_text = day(modified, ck=clock or "24h") if rng.random() < prof.updated else ""
    today_text = ""
    if rng.random() < prof.today_header:
        today_text = day(published + timedelta(days=rng.randint(1, 40)), wd=True, ck=None)

    # Author: the ANT byline when shown, an invented reporter, or nobody.
    ant_author = _usable_author(art.author)
    author = byline = bio = ""
    person = False
    drop = max(prof.drop_author, 0.5) if ant_author in _DESK_CREDITS else prof.drop_author
    if ant_author and rng.random() >= drop:
        author = f(ant_author)
        person = _is_person_name(ant_author)
        forms = [x for x in prof.byline_forms if "وكالات" not in x] or ["{}"]
        byline = rng.choice(forms).format(author) if person else author
    elif rng.random() < prof.invent_author:
        author = rng.choice(junk.REPORTERS)
        person = True
        byline = rng.choice(prof.byline_forms).format(author)
    elif rng.random() < 0.2:
        byline = rng.choice(["المصدر: وكالات", "(وكالات)", "متابعات"])  # a credit, not an author
    if author and person and rng.random() < prof.author_box:
        bio = rng.choice(junk.AUTHOR_BIOS)

    others = [a for a in pool if a.id not in taken and a.id != art.id and a.title != art.title]
    same = [a for a in others if a.category == art.category]
    picks = rng.sample(same, rng.randint(*prof.related) + 2)
    related = [Link(f(a.title), _site_url(tpl, a), day(a.published, wd=False, ck=None)) for a in picks[:-2]]
    n = len(art.paragraphs)
    positions = list(range(1, n - 1))
    read_also = {}
    spots = sorted(rng.sample(positions, min(len(positions), rng.randint(*prof.read_also))))
    for pos, a in zip(spots, picks[-2:], strict=False):
        read_also[pos] = Link(f(a.title), _site_url(tpl, a))
    free = [i for i in range(n - 1) if i not in read_also]
    spots = sorted(rng.sample(free, min(len(free), rng.randint(*prof.ads))))
    ads = {pos: f(rng.choice(junk.SPONSORED)) for pos in spots}
    most_read = [Link(f(a.title), _site_url(tpl, a)) for a in rng.sample(others, 5)]

    n_comments = rng.randint(*prof.comments)
    comments = []
    for name, text in zip(rng.sample(junk.COMMENTERS, n_comments), rng.sample(junk.COMMENTS, n_comments), strict=True):
        if rng.random() < 0.5:
            when = rng.choice(junk.COMMENT_AGES)
        else:
            when = day(published + timedelta(hours=rng.randint(2, 90)), wd=False)
        comments.append(Comment(f(name), when, f(text)))

    inline = {}
    for i, para in enumerate(art.paragraphs):
        words = para.split()
        if len(words) >= 8 and rng.random() < prof.inline_markup:
            start = rng.randint(0, len(words) - 4)
            inline[i] = (start, start + rng.randint(1, 3), rng.choice(["strong", "a", "b"]))

    tags = [f(t) for t in rng.sample(junk.TAGS[art.category], rng.randint(2, 4))] if rng.random() < prof.tags else []
    description = f(art.abstract) if art.abstract and rng.random() < prof.description else ""
    url_dated = rng.choice(prof.url_dated)
    return Page(
        index=index, profile=prof, art_id=art.number,
        url=f"https://{prof.domain}{tpl.url_path(art.number, slug, published, url_dated)}",
        codec=codec, declare=declare, title=f(art.title), title_format=rng.choice(prof.title_formats),
        paragraphs=[f(p) for p in art.paragraphs], lead=n >= 4 and rng.random() < prof.lead,
        section=section, section_slug=slug, published=published, modified=modified,
        date_text=date_text, updated_text=updated_text, today_text=today_text,
        author=author, byline=f(byline), author_bio=bio, description=description,
        jsonld=rng.choice(prof.jsonld), og=rng.choice(prof.og), time_el=rng.choice(prof.time_el),
        url_dated=url_dated, meta_author=bool(author) and rng.random() < prof.meta_author, tags=tags,
        nav=list(tpl.NAV), ticker=rng.sample(junk.TICKER, 3), related=related,
        related_heading=rng.choice(junk.RELATED_HEADINGS), related_inside=rng.random() < prof.related_inside,
        most_read=most_read, most_read_heading=rng.choice(junk.MOST_READ_HEADINGS),
        read_also=read_also, read_also_label=rng.choice(junk.READ_ALSO_LABELS), ads=ads, comments=comments,
        comment_prompt=rng.choice(junk.COMMENT_PROMPTS), newsletter=rng.choice(junk.NEWSLETTER),
        share_label=rng.choice(junk.SHARE_LABELS), footer_about=f(tpl.ABOUT),
        footer_year=rng.choice(prof.footer_years), image=f"https://{prof.domain}/media/{token[:16]}.jpg",
        caption=rng.choice(junk.CAPTIONS), inline=inline, token=token,
        date_style=style + ("+indic" if indic else ""),
    )


# ---------------------------------------------------------------- snippets

class GoldError(RuntimeError):
    """A generated page and its gold disagree."""


def _span(words: list[str], start: int, k: int) -> str:
    return " ".join(words[start:start + k])


def choose_with(page: Page, text: str, junk_text: str, rng: random.Random) -> list[str]:
    """3-6 body snippets of 3-8 words: the beginning, the middle, the end, and more for longer bodies."""
    paras = page.paragraphs
    n = len(paras)
    targets = [0, n // 2, n - 1]
    rest = [i for i in range(1, n - 1) if i != n // 2]
    targets += rng.sample(rest, min(len(rest), rng.randint(0, 3)))
    chosen: list[str] = []

    def ok(s: str) -> bool:
        return len(s) >= 15 and len(s.split()) >= 3 and s in text and s not in junk_text and \
            not any(s in c or c in s for c in chosen)

    for i in targets:
        words = paras[i].split()
        found = ""
        for attempt in range(12):
            k = min(len(words), rng.randint(3, 7) + (attempt // 4))
            if k < 3:
                break
            if i == 0:
                start = attempt // 3  # the very beginning, or a word or two in
            elif i == n - 1:
                start = len(words) - k - attempt // 3  # the very end, or a word or two before
            else:
                start = rng.randint(0, len(words) - k)
            s = _span(words, max(start, 0), k)
            if ok(s):
                found = s
                break
        if found:
            chosen.append(found)
        elif i in (0, n - 1):
            raise GoldError(f"{page.url}: no clean snippet at the {'start' if i == 0 else 'end'} of the body")
    if len(chosen) < 3:
        raise GoldError(f"{page.url}: only {len(chosen)} body snippets")
    return chosen[:6]


def choose_without(page: Page, text: str, body: str, rng: random.Random) -> list[str]:
    """3-6 boilerplate snippets (3-5 words, or a two-word menu item) from the blocks this page has,
    "read also" lines and related news first."""
    pools = {
        "read_also": [x.title for x in page.read_also.values()],
        "related": [x.title for x in page.related],
        "comments": [c.text for c in page.comments],
        "ticker": list(page.ticker),
        "ad": list(page.ads.values()),
        "footer": [page.footer_about],
        "most_read": [x.title for x in page.most_read],
        "newsletter": [page.newsletter],
        "share": [page.share_label] if len(page.share_label.split()) >= 2 else [],
        "menu": [x for x in page.nav if len(x.split()) >= 2],
    }
    first = [k for k in ("read_also", "related") if pools[k]]
    others = [k for k in pools if k not in first and pools[k]]
    rng.shuffle(others)
    want = rng.randint(3, 6)
    neutral = " ¶ ".join([page.title, page.byline, page.date_text, page.section, body])
    chosen: list[str] = []
    for key in first + others:
        if len(chosen) >= want:
            break
        for _ in range(10):
            words = rng.choice(pools[key]).split()
            k = len(words) if key == "menu" else min(len(words), rng.randint(3, 5))
            s = _span(words, rng.randint(0, len(words) - k), k)
            if len(s) >= 10 and s in text and s not in neutral and not any(s in c or c in s for c in chosen):
                chosen.append(s)
                break
    if len(chosen) < 3:
        raise GoldError(f"{page.url}: only {len(chosen)} boilerplate snippets")
    return chosen


def check_page(page: Page, raw: bytes) -> tuple[str, str, str]:
    """The page's visible text, its body and its boilerplate; fails when the page does not hold its gold."""
    text = page_text(raw, page.codec)
    paras = [normalize_ws(p) for p in page.paragraphs]
    for i, para in enumerate(paras):
        if para not in text:
            raise GoldError(f"{page.url}: paragraph {i} is not in the page text: {para[:60]}")
    if page.title not in text:
        raise GoldError(f"{page.url}: the headline is not in the page text")
    junk_text = text
    for para in sorted(paras, key=len, reverse=True):
        junk_text = junk_text.replace(para, " ¶ ")
    html = raw.decode(page.codec)
    if not page.machine_date:
        found = [m for m in ("datePublished", "published_time", "datetime=") if m in html]
        if found or _ISO_DAY.search(html) or re.search(r"/20\d\d/", page.url):
            raise GoldError(f"{page.url}: meant to have no machine-readable date but has {found}")
    if page.declare == "none" and "charset" in html.lower():
        raise GoldError(f"{page.url}: meant to declare no charset")
    return text, " ¶ ".join(paras), junk_text


# ---------------------------------------------------------------- real pages

CNN_URL = "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html"


def real_entries(html_dev: Path = HTML_DEV) -> dict[str, dict[str, object]]:
    """The two real pages of ``html_dev``, with ``file`` as an absolute path."""
    out: dict[str, dict[str, object]] = {}
    eval_dir = html_dev / "trafilatura_eval"
    for url, entry in json.loads((eval_dir / "evaldata_arabic_subset.json").read_text(encoding="utf-8")).items():
        entry = dict(entry)
        entry["file"] = str((eval_dir / entry["file"]).resolve())
        entry = {"file": entry.pop("file"), "url": url, **entry,
                 "source": "الصباح (assabah.com.tn)", "encoding": "utf-8", "template": "real:assabah"}
        # trafilatura's gold leaves the date out; the page states it: `property="dc:date"
        # content="2019-02-08T00:00:00+01:00"` and the visible «الجمعة 8 فيفري 2019» under the headline.
        entry["date"] = "2019-02-08"
        out[url] = entry
    cnn_dir = html_dev / "newspaper_cnn_arabic"
    # Beginning, middle and end of the gold body (arabic.txt); boilerplate read off the page: most
    # read list, comment policy, SMS service link, footer.
    cnn_with = [
        "أكدت جهات سورية معارضة أن فصائل مسلحة",
        "سيطروا على ثلاثة مستودعات للذخيرة",
        "أفاد المرصد عن اشتباكات دارت",
        "لضمان سلامة المدنيين وإخلاء سبيل",
        "التي يقطنها الأكراد في سوريا بشكل مستقل.",
    ]
    cnn_without = [
        "القبض على شاب تحرش بطفلة في السعودية",
        "ترحب شبكة CNN بالنقاش الحيوي والمفيد",
        "خدمة آخر خبر للرسائل النصية",
        "ليبيا: تأجيل محاكمة شخصيات بنظام القذافي",
        "شروط الخدمة",
    ]
    body = normalize_ws((cnn_dir / "arabic.txt").read_text(encoding="utf-8"))
    text = page_text((cnn_dir / "arabic_article.html").read_bytes(), "utf-8")
    for snippet in cnn_with:
        if snippet not in body or snippet not in text:
            raise GoldError(f"CNN page: with-snippet not in the gold body and the page: {snippet}")
    for snippet in cnn_without:
        if snippet in body or snippet not in text:
            raise GoldError(f"CNN page: without-snippet in the body or missing from the page: {snippet}")
    out[CNN_URL] = {
        "file": str((cnn_dir / "arabic_article.html").resolve()),
        "url": CNN_URL,
        "author": "",
        "title": "معارضون يسيطرون على مخازن للصواريخ بريف دمشق",
        "date": "2013-08-28",  # the page: الأربعاء، 28 آب/اغسطس 2013 (its URL's 8/3 is not the day)
        "description": "",
        "categories": [],
        "tags": [],
        "with": cnn_with,
        "without": cnn_without,
        "comments": [],
        "license": "",
        "region": "",
        "source": "CNN بالعربية (arabic.cnn.com)",
        "encoding": "utf-8",
        "template": "real:cnn_arabic",
    }
    return out


# ---------------------------------------------------------------- main

def generate(out: Path, n: int = 48, seed: int = 1, data: Path = DEFAULT_ANT) -> Path:
    """Write ``n`` generated pages and the two real ones into ``out``; return the gold.json path."""
    out = Path(out)
    pool = load_ant(Path(data))
    rng = random.Random(seed)
    articles = pick_articles(rng, pool, n)
    templates = [TEMPLATES[i % len(TEMPLATES)] for i in range(n)]
    rng.shuffle(templates)
    encodings = plan_encodings(rng, templates)
    taken = {a.id for a in articles}

    pages_dir = out / "pages"
    if pages_dir.exists():
        shutil.rmtree(pages_dir)
    pages_dir.mkdir(parents=True)
    gold: dict[str, dict[str, object]] = {}
    variants: dict[str, dict[str, object]] = {}
    for index, (art, tpl, (codec, declare)) in enumerate(zip(articles, templates, encodings, strict=True)):
        page = plan_page(index, art, tpl, codec, declare, seed, pool, taken)
        raw = tpl.render(page).encode(codec)  # strict: a character the charset lacks is a bug here
        text, body, junk_text = check_page(page, raw)
        snippet_rng = random.Random(f"{seed}:snippets:{index}")
        with_ = choose_with(page, text, junk_text, snippet_rng)
        without = choose_without(page, text, body, snippet_rng)
        name = f"{index:03d}-{page.profile.name}.html"
        (pages_dir / name).write_bytes(raw)
        if page.url in gold:
            raise GoldError(f"two pages share the URL {page.url}")
        gold[page.url] = {
            "file": name, "url": page.url, "author": gold_author(page.author), "title": page.title,
            "date": page.published.date().isoformat(), "description": page.description,
            "categories": [page.section], "tags": page.tags, "with": with_, "without": without,
            "comments": [], "license": "", "region": "",
            "source": page.site, "encoding": page.charset_label, "template": page.profile.name,
        }
        variants[page.url] = {
            "file": name, "template": page.profile.name, "ant_id": art.id, "ant_source": art.source,
            "encoding": page.charset_label, "declared": page.declare, "jsonld": page.jsonld, "og": page.og,
            "time_element": page.time_el, "url_dated": page.url_dated, "machine_date": page.machine_date,
            "date_style": page.date_style, "date_text": page.date_text, "updated_text": page.updated_text,
            "header_today": page.today_text,
            "byline": page.byline, "author_box": bool(page.author_bio), "meta_author": page.meta_author,
            "lead": page.lead, "related_inside": page.related_inside, "read_also": len(page.read_also),
            "ads": len(page.ads), "comments": len(page.comments), "inline_markup": len(page.inline),
            "footer_year": page.footer_year, "title_format": page.title_format,
        }
    html_dev = Path(data).resolve().parents[1] / "html_dev"  # beside the ANT folder in shared/data
    gold.update(real_entries(html_dev if html_dev.is_dir() else HTML_DEV))
    gold_path = out / "gold.json"
    gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "variants.json").write_text(json.dumps(variants, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return gold_path


def summarize(out: Path) -> str:
    variants = json.loads((out / "variants.json").read_text(encoding="utf-8"))
    rows = list(variants.values())
    lines = [f"{len(rows)} generated pages + 2 real pages in {out}"]
    for r in rows:
        r["has_author"] = bool(r["byline"]) and r["byline"] not in ("المصدر: وكالات", "(وكالات)", "متابعات")
    for key in ("template", "encoding", "declared", "jsonld", "og", "time_element", "machine_date", "date_style",
                "has_author", "lead", "related_inside", "ant_source"):
        counts = Counter(f"{r[key]}" for r in rows)
        lines.append(f"  {key:13} " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    enc = Counter((r["encoding"], r["declared"]) for r in rows)
    lines.append("  charset      " + ", ".join(f"{e}/{d}: {v}" for (e, d), v in sorted(enc.items())))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default build/html_gold)")
    parser.add_argument("--n", type=int, default=48, help="number of generated pages (default 48)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_ANT, help="ANT articles.jsonl.gz")
    args = parser.parse_args(argv)
    if not Path(args.data).is_file():
        print(f"error: ANT corpus not found at {args.data}", file=sys.stderr)
        return 1
    try:
        generate(args.out, args.n, args.seed, args.data)
    except GoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(summarize(args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
