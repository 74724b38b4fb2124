"""«منبر الجزيرة العربية»: a Saudi news-and-discussion site. Numeric dates, day first, with the Hijri
date beside them (``26/6/1439هـ - 14/03/2018``); a long, busy comment thread (often more text than the
story); an "about the writer" box; paragraphs with bold phrases; a visitors counter.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        meta_tags, nav_items, para_html, share_links, tag_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="jazira",
    site="منبر الجزيرة العربية",
    domain="www.minbar-arabia.net",
    legacy=True,
    title_formats=("dash",),
    date_styles=("numeric_hijri",),
    clocks=(None, "12h"),
    weekday=(True, False),
    jsonld=("none", "no_author", "no_date"),
    og=("partial", "full", "none"),
    time_el=(False,),
    byline_forms=("بقلم: {}", "{}"),
    invent_author=0.7,
    read_also=(0, 1),
    ads=(1, 2),
    comments=(4, 6),
    related=(3, 4),
    meta_author=0.5,
    tags=0.5,
    author_box=0.8,
    inline_markup=0.3,
    footer_years=(2023, 2020),
    declare_utf8=("meta",),
    declare_legacy=("meta", "http-equiv"),
)

NAV = ["الرئيسية", "محليات", "الخليج", "العالم", "اقتصاد", "رياضة", "المنتدى", "كتاب المنبر", "اتصل بنا"]
ABOUT = "منبر الجزيرة العربية صحيفة إلكترونية ومنتدى حوار مفتوح لقراء المملكة والخليج"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/news/show/{art_id}"


def render(page: Page) -> str:
    p = page
    body = []
    for kind, item in body_items(p):
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            body.append(f'<p class="see-also">{esc(p.read_also_label)} '
                        f'<a href="{attr(item.url)}">{esc(item.title)}</a></p>')
        else:
            body.append(f'<div class="ad">إعلان</div><div class="promo"><a href="#">{esc(str(item))}</a></div>')
    writer = f'<div class="writer">{esc(p.byline)}</div>' if p.byline else ""
    box = ""
    if p.author_bio:
        box = (f'<div class="about-writer"><h4>عن الكاتب</h4><img src="/writers/{p.token[:4]}.jpg" alt="">'
               f'<strong>{esc(p.author)}</strong><p>{esc(p.author_bio)}</p></div>')
    likes = [int(p.token[k:k + 2], 16) % 40 for k in range(0, 20, 2)]
    comments = "\n".join(
        f'<div class="cmt"><div class="cmt-user">{esc(c.name)}</div><div class="cmt-date">{esc(c.when)}</div>\n'
        f'<div class="cmt-body">{esc(c.text)}</div>\n<div class="cmt-tools">أعجبني ({likes[k % 10]}) | رد</div></div>'
        for k, c in enumerate(p.comments))
    related = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a> <span>{esc(r.when)}</span></li>'
                        for r in p.related)
    most = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.most_read)
    tags = ""
    if p.tags:
        tags = f'<div class="tags">وسوم: {tag_links(p, sep=" - ")}</div>'
    ticker = "\n".join(f"<li>{esc(t)}</li>" for t in p.ticker)
    views = int(p.token[20:24], 16) % 9000 + 300
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<title>{esc(html_title(p))}</title>
{meta_tags(p)}
{jsonld_script(p)}
<link rel="stylesheet" href="/css/minbar.css">
</head>
<body>
<div id="top">
<div class="logo"><a href="/">{esc(p.site)}</a></div>
<ul class="mainnav">
{nav_items(p)}
</ul>
<div class="breaking"><b>عاجل</b><ul>
{ticker}
</ul></div>
</div>
<div id="container">
<div id="right">
<div class="news-container">
<div class="path"><a href="/">الرئيسية</a> :: <a href="/news/{p.section_slug}">{esc(p.section)}</a></div>
<div class="news-head"><h1>{esc(p.title)}</h1>
{writer}
<div class="news-info">{date_block(p)} | عدد القراءات: {views}</div></div>
<div class="news-img"><img src="{attr(p.image)}" alt=""></div>
<div id="news-text" class="text">
{chr(10).join(body)}
</div>
{tags}
{box}
<div class="share">{esc(p.share_label)} {share_links(p, ["تويتر", "واتساب", "فيسبوك"])}</div>
<div class="related"><h3>{esc(p.related_heading)}</h3><ul>
{related}
</ul></div>
<div id="comments"><h3>التعليقات ({len(p.comments)})</h3>
{comments}
<div class="add-comment"><h3>{esc(p.comment_prompt)}</h3><form method="post"><input name="n" placeholder="الاسم">
<textarea name="c"></textarea><button>أرسل</button></form></div>
</div>
</div>
</div>
<div id="left">
<div class="box"><h3>{esc(p.most_read_heading)}</h3><ol>
{most}
</ol></div>
<div class="box ad">إعلان</div>
<div class="box"><h3>القائمة البريدية</h3><p>{esc(p.newsletter)}</p></div>
</div>
</div>
<div id="footer"><p>{esc(p.footer_about)}</p>
<p>جميع الحقوق محفوظة &copy; {p.footer_year} - {esc(p.site)}</p></div>
</body>
</html>
"""
