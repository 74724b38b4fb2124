"""«وكالة الأطلس للأنباء»: a Tunisian news site with schema.org microdata instead of JSON-LD:
``itemprop="articleBody"``, ``<meta itemprop="datePublished">`` when it has a machine date, and
comments that are themselves ``Comment`` items with ``itemprop="author"`` (a trap for author
extraction). Tunisian month names (جانفي، فيفري، أفريل ...); charset declared only by http-equiv.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, html_title, iso, jsonld_script, link_items,
                        meta_tags, nav_items, para_html, share_links, tag_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="atlas",
    site="وكالة الأطلس للأنباء",
    domain="www.atlas-infos.tn",
    title_formats=("pipe",),
    date_styles=("tn",),
    clocks=("24h", None),
    weekday=(True, False),
    jsonld=("none", "none", "full"),
    og=("full", "partial", "none"),
    time_el=(True, False),
    byline_forms=("بقلم: {}", "{}"),
    invent_author=0.5,
    lead=0.3,
    read_also=(0, 1),
    ads=(1, 2),
    comments=(2, 4),
    related=(3, 4),
    related_inside=0.7,
    meta_author=0.4,
    tags=0.6,
    footer_years=(2023,),
    declare_utf8=("http-equiv",),
)

NAV = ["الرئيسية", "وطنية", "سياسة", "جهات", "اقتصاد", "رياضة", "عالمية", "ثقافة", "فيديو"]
ABOUT = "وكالة الأطلس للأنباء موقع إخباري تونسي يصدر عن شركة الأطلس للإعلام"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/ar/article/{art_id}/{slug}"


def render(page: Page) -> str:
    p = page
    body = []
    if p.lead:
        body.append(f'<p class="intro"><b>{para_html(p, 0)}</b></p>')
    for kind, item in body_items(p, 1 if p.lead else 0):
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            body.append(f'<p class="lire-aussi">{esc(p.read_also_label)} <a href="{attr(item.url)}">'
                        f"{esc(item.title)}</a></p>")
        else:
            body.append(f'<div class="ad"><small>إعلان</small><div class="ad-text">{esc(str(item))}</div></div>')
    machine = ""
    if p.time_el:
        machine = (f'<meta itemprop="datePublished" content="{iso(p.published)}">\n'
                   f'<meta itemprop="dateModified" content="{iso(p.modified)}">')
    author = ""
    if p.byline:
        author = f'<div class="auteur" itemprop="author" itemscope itemtype="https://schema.org/Person">' \
                 f'<span itemprop="name">{esc(p.byline)}</span></div>'
    related = (f'<div class="related"><h4>{esc(p.related_heading)}</h4><ul>\n{link_items(p.related)}\n</ul></div>'
               if p.related else "")
    comments = ""
    if p.comments:
        rows = "\n".join(
            f'<li itemprop="comment" itemscope itemtype="https://schema.org/Comment">'
            f'<span itemprop="author">{esc(c.name)}</span> <span class="quand">{esc(c.when)}</span>\n'
            f'<p itemprop="text">{esc(c.text)}</p></li>' for c in p.comments)
        comments = (f'<div class="commentaires"><h3>التعليقات ({len(p.comments)})</h3><ul>\n{rows}\n</ul>\n'
                    f'<a class="btn" href="#form">{esc(p.comment_prompt)}</a></div>')
    tags = ""
    if p.tags:
        tags = f'<p class="tags">{tag_links(p, href="/ar/tag/", prefix="#")}</p>'
    ticker = "\n".join(f'<li><a href="#">{esc(t)}</a></li>' for t in p.ticker)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{esc(html_title(p))}</title>
{meta_tags(p)}
{jsonld_script(p)}
<link rel="stylesheet" href="/themes/atlas/css/app.css">
</head>
<body>
<div class="wrapper">
<div class="header">
<div class="logo"><a href="/ar">{esc(p.site)}</a></div>
<ul class="menu">
{nav_items(p, prefix="/ar/")}
</ul>
<div class="breaking"><span>عاجل</span><ul>
{ticker}
</ul></div>
</div>
<div class="main">
<div class="content">
<ul class="ariane"><li><a href="/ar">الرئيسية</a></li><li><a href="/ar/{p.section_slug}">{esc(p.section)}</a></li></ul>
<section class="article" itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">{esc(p.title)}</h1>
<div class="infos">{author}
<span class="date">{esc(p.date_text)}</span>
{machine}</div>
<div class="partage">{share_links(p, ["فيسبوك", "تويتر", "لينكدإن"])}</div>
<img itemprop="image" src="{attr(p.image)}" alt="{attr(p.title)}">
<div itemprop="articleBody">
{chr(10).join(body)}
</div>
{tags}
{related if p.related_inside else ""}
{comments}
</section>
</div>
<div class="sidebar">
{"" if p.related_inside else related}
<div class="bloc"><h4>{esc(p.most_read_heading)}</h4><ul>
{link_items(p.most_read, with_date=False)}
</ul></div>
<div class="bloc ad">إعلان</div>
<div class="bloc"><h4>النشرة الإخبارية</h4><p>{esc(p.newsletter)}</p></div>
<div class="bloc"><p>{esc(p.share_label)}</p></div>
</div>
</div>
<div class="footer">
<p>{esc(p.footer_about)}</p>
<p>&copy; {p.footer_year} {esc(p.site)} - كل الحقوق محفوظة</p>
</div>
</div>
</body>
</html>
"""
