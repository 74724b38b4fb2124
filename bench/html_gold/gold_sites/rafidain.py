"""«أنباء الرافدين»: an Iraqi news agency. ``<section class="story">`` (no ``<article>``), the first
paragraph as a standfirst in ``<h2>``, the body in ``<div class="story-body">``; dates with Levantine
months, often in Arabic-Indic digits, a later "last updated" line; JSON-LD whose author is often
the agency (an Organization); a wire-style byline ``NAME - وكالات``.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        link_items, meta_tags, nav_items, para_html, share_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="rafidain",
    site="أنباء الرافدين",
    domain="www.anbaa-alrafidain.iq",
    title_formats=("dash", "pipe"),
    date_styles=("levant",),
    clocks=("12h", None),
    weekday=(False, True),
    indic=(True, True, False),
    jsonld=("full", "no_author", "no_date", "full"),
    og=("full", "partial"),
    time_el=(False, True),
    url_dated=(False, True),
    byline_forms=("{} - وكالات", "بقلم: {}"),
    invent_author=0.4,
    lead=0.7,
    read_also=(0, 1),
    ads=(1, 1),
    comments=(0, 2),
    related=(4, 5),
    updated=0.6,
    meta_author=0.6,
    tags=0.8,
    footer_years=(2023, 2021),
    declare_utf8=("meta", "http-equiv"),
)

NAV = ["الرئيسية", "محلي", "سياسة", "أمن", "اقتصاد", "رياضة", "دولي", "ثقافة", "صحة", "تقارير"]
ABOUT = "أنباء الرافدين وكالة أخبار عراقية مستقلة تأسست لتقديم الخبر الدقيق من مصادره"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    if dated:
        d = published
        return f"/{d.year}/{d.month:02d}/{d.day:02d}/{art_id}"
    return f"/ar/news/{art_id}"


def render(page: Page) -> str:
    p = page
    body = []
    for kind, item in body_items(p, 1 if p.lead else 0):
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            body.append(f'<div class="also"><span>{esc(p.read_also_label)}</span> '
                        f'<a href="{attr(item.url)}">{esc(item.title)}</a></div>')
        else:
            body.append(f'<div class="ad" data-slot="story-mid">إعلان</div>\n'
                        f'<div class="native-ad"><a href="#" rel="sponsored">{esc(str(item))}</a></div>')
    standfirst = f'<h2 class="standfirst">{para_html(p, 0)}</h2>' if p.lead else ""
    byline = f'<div class="story-byline">{esc(p.byline)}</div>' if p.byline else ""
    updated = f'<div class="story-updated">آخر تحديث: {esc(p.updated_text)}</div>' if p.updated_text else ""
    tags = ""
    if p.tags:
        tags = ('<ul class="keywords"><li class="title">كلمات مفتاحية</li>\n'
                + "\n".join(f'<li><a href="/tags/{k}">{esc(t)}</a></li>' for k, t in enumerate(p.tags)) + "</ul>")
    comments = ""
    if p.comments:
        rows = "\n".join(f'<div class="comment"><b class="author">{esc(c.name)}</b> '
                         f'<i>{esc(c.when)}</i><div>{esc(c.text)}</div></div>' for c in p.comments)
        comments = (f'<div class="comments-box"><h4>التعليقات</h4>\n{rows}\n'
                    f'<a href="#add">{esc(p.comment_prompt)}</a></div>')
    ticker = "\n".join(f'<span class="item">{esc(t)}</span>' for t in p.ticker)
    return f"""<!doctype html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<title>{esc(html_title(p))}</title>
<meta name="viewport" content="width=device-width">
{meta_tags(p)}
{jsonld_script(p, indent=2)}
<link rel="stylesheet" href="/static/agency.css">
</head>
<body>
<div class="page">
<div class="urgent-strip"><b>عاجل</b>
{ticker}
</div>
<header class="masthead">
<a class="brand" href="/">{esc(p.site)}</a>
<ul class="nav">
{nav_items(p)}
</ul>
</header>
<div class="layout">
<section class="story">
<header class="story-header">
<a class="kicker" href="/ar/{p.section_slug}">{esc(p.section)}</a>
<h1>{esc(p.title)}</h1>
{standfirst}
{byline}
<div class="story-date">{date_block(p)}</div>
{updated}
</header>
<div class="story-media"><img src="{attr(p.image)}" alt=""><span class="credit">{esc(p.caption)}</span></div>
<div class="story-body">
{chr(10).join(body)}
</div>
{tags}
<div class="story-share">{esc(p.share_label)}:
{share_links(p, ["فيسبوك", "تويتر", "تيليجرام"])}</div>
{comments}
</section>
<aside class="rail">
<div class="box"><h3>{esc(p.related_heading)}</h3><ul>
{link_items(p.related)}
</ul></div>
<div class="box"><h3>{esc(p.most_read_heading)}</h3><ol>
{link_items(p.most_read, with_date=False)}
</ol></div>
<div class="box newsletter">{esc(p.newsletter)}</div>
</aside>
</div>
<footer class="foot">
<p>{esc(p.footer_about)}</p>
<p>جميع الحقوق محفوظة لوكالة {esc(p.site)} &copy; {p.footer_year}</p>
</footer>
</div>
</body>
</html>
"""
