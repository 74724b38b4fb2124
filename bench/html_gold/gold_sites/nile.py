"""«شبكة النيل الإخبارية»: the AMP version of an Egyptian news site. ``<html amp>``, ``<amp-img>``,
``<amp-ad>`` with a text fallback, ``<amp-social-share>``, a sidebar menu in ``<amp-sidebar>``; the body in
``<article>`` with ``<p>``; ``كتب - NAME`` bylines; ``<time datetime>``; no comments (AMP pages drop them).
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        meta_tags, para_html, tag_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="nile",
    site="شبكة النيل الإخبارية",
    domain="www.nile-news-net.com",
    title_formats=("dash", "pipe"),
    date_styles=("eg",),
    clocks=("12h",),
    weekday=(True,),
    jsonld=("full", "full", "no_author"),
    og=("full", "partial"),
    time_el=(True, True, False),
    byline_forms=("كتب - {}", "كتب: {}"),
    invent_author=0.6,
    lead=0.0,
    read_also=(1, 2),
    ads=(1, 2),
    comments=(0, 0),
    related=(3, 5),
    related_inside=1.0,
    updated=0.3,
    meta_author=0.5,
    tags=0.5,
    footer_years=(2023, 2024),
)

NAV = ["الرئيسية", "أخبار مصر", "المحافظات", "سياسة", "اقتصاد", "رياضة", "حوادث", "فن", "منوعات", "مقالات"]
ABOUT = "شبكة النيل الإخبارية تقدم أخبار مصر والمحافظات لحظة بلحظة"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/amp/Story/{art_id}"


def render(page: Page) -> str:
    p = page
    body = []
    for kind, item in body_items(p):
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            body.append(f'<p class="more"><b>{esc(p.read_also_label)}</b> <a href="{attr(item.url)}">'
                        f"{esc(item.title)}</a></p>")
        else:
            body.append(f'<amp-ad width="300" height="250" type="doubleclick" data-slot="/2093/nile/inread">'
                        f'<div fallback class="ad">إعلان - {esc(str(item))}</div></amp-ad>')
    byline = f'<span class="writer">{esc(p.byline)}</span>' if p.byline else ""
    updated = f' <span class="upd">آخر تحديث: {esc(p.updated_text)}</span>' if p.updated_text else ""
    related = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.related)
    menu = "\n".join(f'<li><a href="/section/{k}">{esc(n)}</a></li>' for k, n in enumerate(p.nav))
    most = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.most_read)
    tags = ""
    if p.tags:
        tags = f'<div class="tags">{tag_links(p, href="/tags/")}</div>'
    ticker = " | ".join(esc(t) for t in p.ticker)
    canonical = p.url.replace("/amp/", "/")
    return f"""<!doctype html>
<html amp lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<script async src="https://cdn.ampproject.org/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-social-share" src="https://cdn.ampproject.org/v0/amp-social-share-0.1.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.org/v0/amp-sidebar-0.1.js"></script>
<title>{esc(html_title(p))}</title>
<link rel="canonical" href="{attr(canonical)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
{meta_tags(p)}
{jsonld_script(p)}
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both}}</style>
<style amp-custom>body{{font-family:Tahoma,sans-serif}}.ad{{background:#eee}}</style>
</head>
<body>
<amp-sidebar id="menu" layout="nodisplay" side="right"><ul>
{menu}
</ul></amp-sidebar>
<header class="top"><button on="tap:menu.toggle">القائمة</button>
<a href="/" class="logo">{esc(p.site)}</a></header>
<div class="urgent"><strong>عاجل:</strong> {ticker}</div>
<main>
<article>
<div class="crumb"><a href="/">الرئيسية</a> &gt; <a href="/section/{p.section_slug}">{esc(p.section)}</a></div>
<h1>{esc(p.title)}</h1>
<div class="info">{byline}
{date_block(p)}{updated}</div>
<amp-img src="{attr(p.image)}" width="800" height="450" layout="responsive" alt="{attr(p.caption)}"></amp-img>
<div class="share"><span>{esc(p.share_label)}</span>
<amp-social-share type="facebook" width="32" height="32"></amp-social-share>
<amp-social-share type="twitter" width="32" height="32"></amp-social-share>
<amp-social-share type="whatsapp" width="32" height="32"></amp-social-share></div>
<div class="article-text">
{chr(10).join(body)}
</div>
{tags}
<div class="related"><h3>{esc(p.related_heading)}</h3><ul>
{related}
</ul></div>
</article>
<section class="most"><h3>{esc(p.most_read_heading)}</h3><ol>
{most}
</ol></section>
<section class="nl"><p>{esc(p.newsletter)}</p></section>
</main>
<footer><p>{esc(p.footer_about)}</p><p>&copy; {p.footer_year} {esc(p.site)}</p>
<a href="/">النسخة الكاملة للموقع</a></footer>
</body>
</html>
"""
