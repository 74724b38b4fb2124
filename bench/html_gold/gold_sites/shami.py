"""«المرصد الشامي»: a Levantine news blog on a WordPress-like theme. Title in ``<h2 class="entry-title">``
(no ``<h1>``), ``بقلم:`` byline with ``rel="author"``, Levantine month names (آذار، نيسان ...),
paragraphs with inline ``<strong>`` and links, "read also" and related posts *inside* the entry content,
a sidebar of opinion writers (names that are not the author), threaded comments with ``<cite class="fn">``.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        meta_tags, nav_items, para_html, share_links)
from gold_junk import COLUMNISTS
from gold_text import attr, esc

PROFILE = Profile(
    name="shami",
    site="المرصد الشامي",
    domain="www.almarsad-alshami.net",
    legacy=True,
    title_formats=("pipe", "dash"),
    date_styles=("levant", "dual"),
    clocks=(None, "12h"),
    weekday=(True, False),
    jsonld=("none", "no_date", "full"),
    og=("partial", "none", "full"),
    time_el=(False, False, True),
    byline_forms=("بقلم: {}",),
    invent_author=0.7,
    read_also=(1, 2),
    ads=(0, 1),
    comments=(2, 4),
    related=(3, 4),
    related_inside=1.0,
    meta_author=0.3,
    tags=0.8,
    inline_markup=0.35,
    footer_years=(2023, 2022),
    declare_utf8=("meta", "http-equiv"),
    declare_legacy=("meta", "http-equiv"),
)

NAV = ["الرئيسية", "سوريا", "لبنان", "فلسطين", "العراق", "الأردن", "اقتصاد", "منوعات", "آراء ومقالات"]
ABOUT = "المرصد الشامي منصة إخبارية تتابع شؤون بلاد الشام والمنطقة بعين مستقلة"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/archives/{art_id}"


def render(page: Page) -> str:
    p = page
    content = []
    for kind, item in body_items(p):
        if kind == "p":
            content.append(f"<p>{para_html(p, item)}</p>")
        elif kind == "read_also":
            content.append(f'<p><strong>{esc(p.read_also_label)} </strong><a href="{attr(item.url)}">'
                           f"{esc(item.title)}</a></p>")
        else:
            content.append(f'<div class="ad">إعلان</div>\n<p class="sponsored"><em>{esc(str(item))}</em></p>')
    related = "\n".join(f'<li><a href="{attr(r.url)}" rel="bookmark">{esc(r.title)}</a> '
                        f"<small>{esc(r.when)}</small></li>" for r in p.related)
    byline = ""
    if p.byline:
        byline = f'<span class="byline"><a href="/author/{p.token[:6]}" rel="author">{esc(p.byline)}</a></span>'
    tags = ""
    if p.tags:
        tags = ('<div class="post-tags">الوسوم: '
                + "، ".join(f'<a href="/tag/{k}" rel="tag">{esc(t)}</a>' for k, t in enumerate(p.tags)) + "</div>")
    comments = ""
    if p.comments:
        rows = "\n".join(
            f'<li class="comment" id="comment-{k}"><div class="comment-author vcard">'
            f'<cite class="fn">{esc(c.name)}</cite> <span class="says">قال:</span></div>\n'
            f'<div class="comment-meta">{esc(c.when)}</div>\n<p>{esc(c.text)}</p>\n'
            f'<a class="comment-reply-link" href="#respond">رد</a></li>' for k, c in enumerate(p.comments))
        comments = (f'<h3 id="comments">{len(p.comments)} تعليقات على "{esc(p.title)}"</h3>\n'
                    f'<ol class="commentlist">\n{rows}\n</ol>')
    columnists = "\n".join(f'<li><a class="writer-name" href="/author/w{k}">{esc(n)}</a><br>'
                           f'<a href="/opinion/{k}">{esc(t)}</a></li>' for k, (n, t) in enumerate(COLUMNISTS[:4]))
    most = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.most_read)
    ticker = "\n".join(f"<li>{esc(t)}</li>" for t in p.ticker)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<title>{esc(html_title(p))}</title>
<link rel="stylesheet" id="theme-css" href="/wp-content/themes/marsad/style.css?ver=2.4" type="text/css" media="all">
{meta_tags(p)}
{jsonld_script(p)}
</head>
<body class="post-template-default single single-post">
<div id="page" class="hfeed site">
<div id="top-news"><span class="label">عاجل</span><ul>
{ticker}
</ul></div>
<header id="masthead" class="site-header">
<p class="site-title"><a href="/" rel="home">{esc(p.site)}</a></p>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">
{nav_items(p)}
</ul></nav>
</header>
<div id="content" class="site-content">
<div id="primary" class="content-area">
<div class="post type-post status-publish" id="post-{p.art_id}">
<div class="breadcrumbs"><a href="/">الرئيسية</a> / <a href="/category/{p.section_slug}">{esc(p.section)}</a></div>
<h2 class="entry-title">{esc(p.title)}</h2>
<div class="entry-meta">{byline} {"|" if byline else ""} {date_block(p, cls="entry-date")}</div>
<div class="entry-content">
<p><img class="aligncenter size-large" src="{attr(p.image)}" alt="" width="700"></p>
{chr(10).join(content)}
<div class="related-posts"><h3>{esc(p.related_heading)}</h3><ul>
{related}
</ul></div>
</div>
{tags}
<div class="share-post">{esc(p.share_label)}
{share_links(p, ["فيسبوك", "تويتر", "واتساب", "تيليجرام"])}</div>
</div>
<div id="comments-area">
{comments}
<div id="respond"><h3 id="reply-title">{esc(p.comment_prompt)}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform">
<p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني.</p>
<textarea id="comment" name="comment" cols="45" rows="8"></textarea>
<input id="author" name="author" type="text" placeholder="الاسم">
<input name="submit" type="submit" id="submit" value="إرسال التعليق"></form></div>
</div>
</div>
<div id="secondary" class="widget-area">
<aside class="widget"><h3 class="widget-title">كتاب الرأي</h3><ul>
{columnists}
</ul></aside>
<aside class="widget"><h3 class="widget-title">{esc(p.most_read_heading)}</h3><ul>
{most}
</ul></aside>
<aside class="widget widget_newsletter"><p>{esc(p.newsletter)}</p></aside>
</div>
</div>
<footer id="colophon" class="site-footer"><div class="site-info">
<p>{esc(p.footer_about)}</p>
&copy; {p.footer_year} {esc(p.site)}. جميع الحقوق محفوظة.</div></footer>
</div>
</body>
</html>
"""
