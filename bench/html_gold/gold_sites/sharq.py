"""«الشرق الرقمي»: a modern JavaScript-rendered site. No ``<article>`` and no ``<p>``: the body is a run of
``<div class="paragraph">`` inside hashed class names; "read also" cards between paragraphs; a JSON-LD
``@graph`` (article + breadcrumbs); an application-state ``<script>`` holding the headline; a sticky
share bar and newsletter box in the middle of the story.
"""

from __future__ import annotations

from datetime import datetime

import json

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        meta_tags, nav_items, para_html, share_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="sharq",
    site="الشرق الرقمي",
    domain="www.alsharq-digital.com",
    title_formats=("pipe",),
    date_styles=("eg",),
    clocks=("24h",),
    weekday=(False,),
    jsonld=("full", "no_author", "full"),
    og=("full", "full", "none"),
    time_el=(True, False),
    url_dated=(False, True),
    byline_forms=("{}", "كتب: {}"),
    invent_author=0.5,
    lead=0.5,
    read_also=(1, 2),
    ads=(1, 2),
    comments=(0, 0),
    related=(4, 5),
    meta_author=0.7,
    tags=0.8,
    footer_years=(2024, 2023),
)

NAV = ["الرئيسية", "الأخبار", "سياسة", "اقتصاد وأعمال", "رياضة", "تكنولوجيا", "ثقافة", "بودكاست", "فيديو"]
ABOUT = "الشرق الرقمي منصة أخبار عربية رقمية تقدم الخبر والتحليل بالصوت والصورة"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    if dated:
        d = published
        return f"/{slug}/{d.year}-{d.month:02d}-{d.day:02d}/{art_id}"
    return f"/{slug}/{art_id}"


def render(page: Page) -> str:
    p = page
    h = p.token[:5]
    blocks = []
    for kind, item in body_items(p, 1 if p.lead else 0):
        if kind == "p":
            blocks.append(f'<div class="paragraph_{h}">{para_html(p, item)}</div>')
        elif kind == "read_also":
            blocks.append(f'<div class="readMore_{h}"><span class="readMore_label">{esc(p.read_also_label)}</span>'
                          f'<a href="{attr(item.url)}"><div class="readMore_title">{esc(item.title)}</div></a></div>')
        else:
            blocks.append(f'<div class="ad" id="div-gpt-ad-{p.token[5:12]}"></div>\n'
                          f'<div class="sponsored_{h}"><span>إعلان</span> {esc(str(item))}</div>')
        if len(blocks) == 3:
            blocks.append(f'<div class="newsletterInline_{h}"><div>{esc(p.newsletter)}</div>'
                          '<input type="email" placeholder="بريدك الإلكتروني"><button>اشترك الآن</button></div>')
    lead = f'<div class="summary_{h}">{para_html(p, 0)}</div>' if p.lead else ""
    author = f'<div class="author_{h}"><a href="/author/{p.token[:6]}">{esc(p.byline)}</a></div>' if p.byline else ""
    cards = "\n".join(f'<a class="card_{h}" href="{attr(r.url)}"><div class="cardTitle_{h}">{esc(r.title)}</div>'
                      f'<div class="cardDate_{h}">{esc(r.when)}</div></a>' for r in p.related)
    most = "\n".join(f'<a class="rank_{h}" href="{attr(r.url)}"><span>{k + 1}</span><div>{esc(r.title)}</div></a>'
                     for k, r in enumerate(p.most_read))
    tags = "\n".join(f'<a class="tag_{h}" href="/tag/{k}">{esc(t)}</a>' for k, t in enumerate(p.tags))
    state = json.dumps({"props": {"pageProps": {"id": p.art_id, "headline": p.title, "section": p.section_slug}},
                        "page": "/[section]/[id]", "buildId": p.token[:10]}, ensure_ascii=False).replace("</", "<\\/")
    ticker = "\n".join(f'<div class="tickerItem_{h}">{esc(t)}</div>' for t in p.ticker)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{esc(html_title(p))}</title>
{meta_tags(p)}
<link rel="preload" href="/_next/static/css/{p.token[:8]}.css" as="style">
{jsonld_script(p, graph=True)}
</head>
<body>
<div id="__next">
<div class="layout_{h}">
<div class="header_{h}">
<a class="logo_{h}" href="/" aria-label="{attr(p.site)}"><svg width="120" height="32"></svg></a>
<div class="nav_{h}"><ul>
{nav_items(p)}
</ul></div>
</div>
<div class="ticker_{h}"><div class="tickerLabel_{h}">عاجل</div>
{ticker}
</div>
<div class="main_{h}">
<div class="story_{h}">
<div class="crumbs_{h}"><a href="/">الرئيسية</a><span>/</span><a href="/{p.section_slug}">{esc(p.section)}</a></div>
<h1 class="headline_{h}">{esc(p.title)}</h1>
{lead}
<div class="meta_{h}">{author}
{date_block(p, tag="div")}</div>
<div class="shareSticky_{h}"><span>{esc(p.share_label)}</span>
{share_links(p, ["فيسبوك", "تويتر", "واتساب", "تيليجرام"])}
<button class="copy_{h}">نسخ الرابط</button></div>
<div class="hero_{h}"><img src="{attr(p.image)}" alt="" loading="lazy">
<div class="caption_{h}">{esc(p.caption)}</div></div>
<div class="body_{h}">
{chr(10).join(blocks)}
</div>
<div class="tags_{h}">
{tags}
</div>
</div>
<div class="related_{h}"><div class="sectionTitle_{h}">{esc(p.related_heading)}</div>
{cards}
</div>
<div class="mostRead_{h}"><div class="sectionTitle_{h}">{esc(p.most_read_heading)}</div>
{most}
</div>
</div>
<div class="footer_{h}">
<div>{esc(p.footer_about)}</div>
<div>&copy; {p.footer_year} {esc(p.site)}. جميع الحقوق محفوظة</div>
</div>
</div>
</div>
<script id="__NEXT_DATA__" type="application/json">{state}</script>
</body>
</html>
"""
