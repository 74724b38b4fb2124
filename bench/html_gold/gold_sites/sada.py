"""«صدى العاصمة»: a Jordanian daily's web edition. ``<div class="article-body">`` with ``<p>``, and a
"related news" box *between* paragraphs inside that body; dates with both month names
(``14 آذار/مارس 2018``, as Levantine sites print them); print-edition details (page number, issue);
a most-read table; charset declared by http-equiv.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import (Page, Profile, body_items, charset_tag, date_block, html_title, jsonld_script,
                        meta_tags, nav_items, para_html, share_links, tag_links)
from gold_text import attr, esc

PROFILE = Profile(
    name="sada",
    site="صدى العاصمة",
    domain="www.sada-alasima.jo",
    title_formats=("pipe", "dash"),
    date_styles=("dual",),
    clocks=(None,),
    weekday=(True, False),
    jsonld=("full", "no_date", "none"),
    og=("partial", "full", "none"),
    time_el=(False, True),
    byline_forms=("كتب: {}", "بقلم: {}"),
    invent_author=0.5,
    lead=0.4,
    read_also=(0, 1),
    ads=(1, 1),
    comments=(1, 3),
    related=(3, 3),
    related_inside=1.0,
    meta_author=0.5,
    tags=0.6,
    footer_years=(2023,),
    declare_utf8=("http-equiv",),
)

NAV = ["الرئيسية", "محليات", "برلمان", "عربي ودولي", "اقتصاد", "رياضة", "ثقافة", "كاريكاتير", "الصفحة الأخيرة"]
ABOUT = "صدى العاصمة صحيفة يومية سياسية مستقلة تصدر في عمان"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/article/{art_id}"


def render(page: Page) -> str:
    p = page
    related_box = (f'<div class="related-inline"><h4>{esc(p.related_heading)}</h4><ul>\n'
                   + "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.related)
                   + "\n</ul></div>")
    items = body_items(p, 1 if p.lead else 0)
    paras_seen = 0
    body = []
    if p.lead:
        body.append(f'<p class="article-lead">{para_html(p, 0)}</p>')
    for kind, item in items:
        if kind == "p":
            body.append(f"<p>{para_html(p, item)}</p>")
            paras_seen += 1
            if paras_seen == 2 and p.related:
                body.append(related_box)
        elif kind == "read_also":
            body.append(f'<p class="read-also">{esc(p.read_also_label)} <a href="{attr(item.url)}">'
                        f"{esc(item.title)}</a></p>")
        else:
            body.append(f'<div class="ad">إعلان</div>\n<div class="sponsor-line">{esc(str(item))}</div>')
    if paras_seen < 2 and p.related:
        body.append(related_box)
    byline = f'<p class="writer">{esc(p.byline)}</p>' if p.byline else ""
    tags = ""
    if p.tags:
        tags = f'<div class="tags"><b>كلمات دالة:</b> {tag_links(p, href="/tags/")}</div>'
    comments = ""
    if p.comments:
        rows = "\n".join(f'<tr><td class="c-name">{esc(c.name)}</td><td class="c-text">{esc(c.text)}</td>'
                         f'<td class="c-date">{esc(c.when)}</td></tr>' for c in p.comments)
        comments = f'<div class="comments"><h3>التعليقات</h3><table>\n{rows}\n</table></div>'
    most = "\n".join(f'<tr><td>{k + 1}</td><td><a href="{attr(r.url)}">{esc(r.title)}</a></td></tr>'
                     for k, r in enumerate(p.most_read))
    issue = int(p.token[:4], 16) % 3000 + 15000
    ticker = "\n".join(f'<li><a href="/urgent/{k}">{esc(t)}</a></li>' for k, t in enumerate(p.ticker))
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<title>{esc(html_title(p))}</title>
{meta_tags(p)}
{jsonld_script(p)}
<link rel="stylesheet" href="/styles/sada.css">
</head>
<body>
<div class="page-wrap">
<div class="top-links"><a href="/pdf">النسخة الورقية</a> <a href="/archive">الأرشيف</a>
<a href="/subscribe">الاشتراكات</a></div>
<div class="masthead"><a href="/"><img src="/images/sada-logo.png" alt="{attr(p.site)}"></a></div>
<nav class="sections"><ul>
{nav_items(p)}
</ul></nav>
<div class="news-bar"><span>عاجل</span><ul>
{ticker}
</ul></div>
<div class="cols">
<div class="col-article">
<div class="crumbs"><a href="/">الرئيسية</a> &rsaquo; <a href="/section/{p.section_slug}">{esc(p.section)}</a></div>
<div class="print-info">العدد {issue} - الصفحة {int(p.token[4], 16) + 2}</div>
<h1 class="headline">{esc(p.title)}</h1>
{byline}
<p class="pubdate">{date_block(p)}</p>
<figure><img src="{attr(p.image)}" alt=""><figcaption>{esc(p.caption)}</figcaption></figure>
<div class="article-body">
{chr(10).join(body)}
</div>
{tags}
<div class="tools">{esc(p.share_label)} {share_links(p, ["فيسبوك", "تويتر", "واتساب"])}
<a href="javascript:print()">طباعة</a></div>
<div class="newsletter-box">{esc(p.newsletter)} <input type="email"> <button>اشتراك</button></div>
{comments}
<div class="add-comment"><a href="/comment/{p.art_id}">{esc(p.comment_prompt)}</a></div>
</div>
<div class="col-side">
<h3>{esc(p.most_read_heading)}</h3>
<table class="most-read">
{most}
</table>
<div class="ad">إعلان</div>
</div>
</div>
<div class="footer">
<p>{esc(p.footer_about)}</p>
<p>&copy; {p.footer_year} {esc(p.site)} - جميع الحقوق محفوظة</p>
<p><a href="/about">من نحن</a> | <a href="/contact">اتصل بنا</a> | <a href="/terms">شروط الاستخدام</a></p>
</div>
</div>
</body>
</html>
"""
