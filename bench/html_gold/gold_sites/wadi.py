"""«بوابة الوادي»: a large Egyptian news portal. HTML5 ``<article>`` with ``<p>``, rich metadata,
"read also" lines and inline ads between paragraphs, related news often inside ``<article>``,
a header that shows the day of the visit, comments under the story.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        link_items, meta_tags, nav_items, para_html, share_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="wadi",
    site="بوابة الوادي",
    domain="www.alwadi-gate.com",
    title_formats=("pipe",),
    date_styles=("eg",),
    clocks=("12h", "12h", None),
    weekday=(True, False),
    jsonld=("full", "full", "no_author", "none"),
    og=("full", "full", "partial"),
    time_el=(True, True, False),
    byline_forms=("كتب - {}", "كتب: {}", "{}"),
    invent_author=0.6,
    lead=0.3,
    read_also=(1, 2),
    ads=(1, 2),
    comments=(2, 4),
    related_inside=0.6,
    updated=0.4,
    author_box=0.3,
    today_header=0.7,
    footer_years=(2023, 2024),
)

NAV = ["الرئيسية", "أخبار مصر", "عربي ودولي", "سياسة", "اقتصاد", "رياضة", "فن وثقافة", "حوادث",
       "علوم وتكنولوجيا", "فيديو"]
ABOUT = "بوابة الوادي موقع إخباري مستقل يقدم تغطية على مدار الساعة لأخبار مصر والعالم العربي"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/news/{slug}/{art_id}"


def render(page: Page) -> str:
    p = page
    body = []
    if p.lead:
        body.append(f'<p class="lead"><strong>{para_html(p, 0)}</strong></p>')
    for kind, item in body_items(p, 1 if p.lead else 0):
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            body.append(f'<p class="read-also"><strong>{esc(p.read_also_label)}</strong> '
                        f'<a href="{attr(item.url)}">{esc(item.title)}</a></p>')
        else:
            body.append(f'<div class="ad ad-inread"><span class="ad-label">إعلان</span>\n'
                        f'<a href="https://ads.alwadi-gate.com/click?id={p.token[:8]}" rel="sponsored">'
                        f'{esc(str(item))}</a></div>')
    related = ""
    if p.related:
        related = (f'<section class="related-news">\n<h3>{esc(p.related_heading)}</h3>\n<ul>\n'
                   f'{link_items(p.related)}\n</ul>\n</section>')
    byline = f'<span class="author">{esc(p.byline)}</span>' if p.byline else ""
    updated = f'<span class="updated">آخر تحديث: {esc(p.updated_text)}</span>' if p.updated_text else ""
    tags = ""
    if p.tags:
        tags = ('<div class="tags"><span>الكلمات المفتاحية:</span>\n'
                + "\n".join(f'<a href="/tag/{k}">{esc(t)}</a>' for k, t in enumerate(p.tags)) + "</div>")
    box = ""
    if p.author_bio:
        box = (f'<div class="author-box"><img src="/img/writers/{p.token[:5]}.jpg" alt="">\n'
               f'<h4>{esc(p.author)}</h4>\n<p>{esc(p.author_bio)}</p></div>')
    comments = ""
    if p.comments:
        rows = "\n".join(
            f'<li class="comment"><div class="comment-head"><span class="author">{esc(c.name)}</span>\n'
            f'<span class="comment-date">{esc(c.when)}</span></div>\n<p>{esc(c.text)}</p></li>'
            for c in p.comments)
        comments = (f'<section class="comments" id="comments">\n<h3>التعليقات ({len(p.comments)})</h3>\n'
                    f'<ul>\n{rows}\n</ul>\n<form class="comment-form"><h4>{esc(p.comment_prompt)}</h4>\n'
                    '<input name="name" placeholder="الاسم">\n<textarea name="body" placeholder="التعليق">'
                    '</textarea>\n<button>إرسال</button></form>\n</section>')
    today = f'<span class="today">{esc(p.today_text)}</span>' if p.today_text else ""
    ticker = "\n".join(f"<li><a href=\"/breaking/{k}\">{esc(t)}</a></li>" for k, t in enumerate(p.ticker))
    most = link_items(p.most_read, with_date=False)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(html_title(p))}</title>
{meta_tags(p)}
<link rel="canonical" href="{attr(p.url)}">
<link rel="stylesheet" href="/assets/css/main.min.css?v=3.2">
{jsonld_script(p)}
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"section": "{p.section_slug}"}});</script>
</head>
<body class="single-news">
<header class="site-header">
<div class="top-bar">{today}
<a href="/epaper">العدد الورقي</a> <a href="/contact">اتصل بنا</a></div>
<div class="logo"><a href="/"><img src="/assets/img/logo.svg" alt="{attr(p.site)}"></a></div>
<nav class="main-menu"><ul>
{nav_items(p)}
</ul></nav>
</header>
<div class="breaking-bar"><strong>عاجل</strong>
<ul class="ticker">
{ticker}
</ul></div>
<main class="container">
<div class="row">
<div class="col-main">
<ol class="breadcrumb">
<li><a href="/">الرئيسية</a></li>
<li><a href="/section/{p.section_slug}">{esc(p.section)}</a></li>
</ol>
<article class="news-article">
<h1 class="news-title">{esc(p.title)}</h1>
<div class="news-meta">{byline}
{date_block(p)}
{updated}</div>
<div class="share-top"><span>{esc(p.share_label)}</span>
{share_links(p, ["فيسبوك", "تويتر", "واتساب"])}</div>
<figure class="main-image"><img src="{attr(p.image)}" alt="{attr(p.title)}">
<figcaption>{esc(p.caption)}</figcaption></figure>
<div class="news-body" id="NewsStory">
{chr(10).join(body)}
</div>
{tags}
{box}
{related if p.related_inside else ""}
</article>
{"" if p.related_inside else related}
{comments}
</div>
<aside class="col-side">
<div class="widget most-read"><h3>{esc(p.most_read_heading)}</h3>
<ol>
{most}
</ol></div>
<div class="widget newsletter"><p>{esc(p.newsletter)}</p>
<form><input type="email" placeholder="البريد الإلكتروني"><button>اشترك</button></form></div>
<div class="ad ad-side">إعلان</div>
</aside>
</div>
</main>
<footer class="site-footer">
<p class="about">{esc(p.footer_about or ABOUT)}</p>
<ul class="footer-links"><li><a href="/about">من نحن</a></li>
<li><a href="/privacy">سياسة الخصوصية</a></li>
<li><a href="/advertise">أعلن معنا</a></li></ul>
<p class="copyright">جميع الحقوق محفوظة &copy; {p.footer_year} {esc(p.site)}</p>
</footer>
</body>
</html>
"""
