"""A small news corpus written for these tests: three sites, each with its own furniture (a slogan and
a footer on every page), one that credits its own name as the author, wire stories republished by
several sites with a dateline and a trimmed ending, and verbatim copies."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

SITES = {
    "الوادي": ("wadi.example", "الوادي نيوز: الخبر كما هو", "جميع الحقوق محفوظة لموقع الوادي نيوز ٢٠٢٤"),
    "المرفأ": ("marfa.example", "المرفأ: صوت المدن الساحلية", "تابعونا على صفحاتنا في مواقع التواصل"),
    "السهل": ("sahl.example", "السهل اليوم: أخبار الريف والمدينة", "للإعلان في الموقع اتصلوا بقسم التسويق"),
}
TOWNS = ["الرباط", "صفاقس", "إربد", "المنصورة", "وهران", "صلالة", "الموصل", "سوسة", "طنجة", "حمص"]
SUBJECTS = ["مجلس المدينة", "وزارة الزراعة", "جمعية الصيادين", "مديرية التعليم", "اتحاد النقل", "إدارة الميناء",
            "نقابة الأطباء", "هيئة المياه", "غرفة التجارة", "مكتب السياحة"]
ACTS = ["أعلن عن خطة جديدة لتأهيل", "افتتح صباح اليوم مشروعا لتوسيع", "ناقش في اجتماع طارئ أوضاع",
        "خصص ميزانية إضافية لصيانة", "أطلق حملة ميدانية لتنظيف", "وقع اتفاقا مع شركة محلية لتطوير"]
THINGS = ["الطرق الريفية", "شبكة الري القديمة", "المدارس الابتدائية", "السوق المركزي", "محطة الحافلات",
          "الحدائق العامة", "المستشفى الجهوي", "رصيف الصيد", "مكتبة البلدية", "ملاعب الأحياء"]
DETAILS = [
    "وقال مسؤول في {s} إن الأشغال ستبدأ خلال الأسابيع المقبلة وتستمر قرابة ستة أشهر.",
    "وأوضح بيان صادر عن {s} أن المشروع يستجيب لمطالب السكان المتكررة منذ سنوات.",
    "وأشار متحدث باسم {s} إلى أن التمويل يأتي من موارد محلية ودعم من الحكومة.",
    "ورحب عدد من سكان {t} بالخطوة معتبرين أنها تأخرت كثيرا عن موعدها.",
    "ومن المنتظر أن يستفيد من المشروع آلاف الأسر في {t} والقرى المجاورة لها.",
    "ودعا ناشطون في {t} إلى إشراك المجتمع المدني في متابعة تنفيذ الأشغال.",
    "وكانت {s} قد وعدت العام الماضي بإطلاق المشروع قبل نهاية السنة دون أن تفي بذلك.",
    "ويأمل التجار في {t} أن ينعكس المشروع على حركة البيع والشراء في المدينة.",
]


def story(rng: random.Random) -> tuple[str, str]:
    """A headline and a body of five to seven sentences, each word chosen by ``rng``."""
    town, subject = rng.choice(TOWNS), rng.choice(SUBJECTS)
    act, thing = rng.choice(ACTS), rng.choice(THINGS)
    title = f"{subject} في {town} {act} {thing}"
    lead = f"{subject} في مدينة {town} {act} {thing} وسط ترقب من السكان والتجار."
    rest = rng.sample(DETAILS, k=rng.randint(5, 7))
    return title, "\n".join([lead, *(d.format(s=subject, t=town) for d in rest)])


def page(site: str, title: str, body: str, day: int) -> str:
    """A crawler's text of one page: title, date, body between the site's own lines."""
    _, slogan, footer = SITES[site]
    return "\n".join([slogan, title, f"{day} مارس 2024", body, footer])


def write_corpus(folder: Path, *, stories: int = 40, seed: int = 7) -> Path:
    """``articles.jsonl`` (sites' pages and wire copies) in ``folder``; its path."""
    rng = random.Random(seed)
    lines = []
    names = list(SITES)
    for i in range(stories):
        title, body = story(rng)
        site = names[i % 3]
        host = SITES[site][0]
        record = {"id": f"p{i:03d}", "url": f"https://{host}/news/{i}", "source": site,
                  "text": page(site, title, body, 1 + i % 27)}
        if site == "الوادي":
            record["author"] = "الوادي نيوز"
        lines.append(record)
        if i % 5 == 0:  # a wire story: taken by another site with a dateline, its last sentence cut
            other = "المرفأ" if site != "المرفأ" else "السهل"  # الوادي credits itself on all its pages
            copy_body = f"{rng.choice(TOWNS)} (وكالات) - " + "\n".join(body.splitlines()[:-1])
            lines.append({"id": f"w{i:03d}", "url": f"https://{SITES[other][0]}/wire/{i}", "source": other,
                          "text": page(other, title, copy_body, 2 + i % 27)})
        if i % 9 == 0:  # a verbatim copy, crawled again under another address
            lines.append({**record, "id": f"c{i:03d}", "url": f"https://{host}/amp/{i}"})
    path = folder / "articles.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    return path


def write_pages(folder: Path, *, count: int = 7, seed: int = 11) -> Path:
    """``pages/``: one site's HTML pages (menu, story, related links, footer) in ``folder``; its path."""
    rng = random.Random(seed)
    pages = folder / "pages"
    pages.mkdir()
    for i in range(count):
        title, body = story(rng)
        paragraphs = "".join(f"<p>{line}</p>" for line in body.splitlines())
        html = (f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title} | الساحل</title>'
                f'<link rel="canonical" href="https://sahil.example/n/{i}"></head><body>'
                '<nav><a href="/">الرئيسية</a> <a href="/local">محليات</a> <a href="/sport">رياضة</a></nav>'
                f'<article><h1>{title}</h1><time datetime="2024-04-{1 + i:02d}T09:30:00+01:00">{1 + i} أبريل 2024</time>'
                f'{paragraphs}</article><aside><h3>اقرأ أيضا</h3><ul><li><a href="/n/90">خبر آخر من الساحل</a></li></ul></aside>'
                '<footer>الساحل للإعلام والنشر</footer></body></html>')
        (pages / f"{i:02d}.html").write_text(html, encoding="utf-8")
    return pages


def marsad(*args: str) -> list[str]:
    """The command line that runs ``marsad ARGS`` with this Python."""
    return [sys.executable, "-m", "marsad.cli", *args]


def kill_after_shards(command: list[str], work: Path, shards: int = 1, *, timeout: float = 180) -> None:
    """Start ``command`` and kill -9 it once it has finished ``shards`` shard passes (their markers
    are in the work folder ``work``)."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while len(list(work.glob("*/*.done"))) < shards:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "no shard finished"
            time.sleep(0.01)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
