"""«الصباح المغربية»: a Moroccan daily on an old home-made CMS. No ``<article>``, no ``<p>``: the body
is one ``<div class="article-body">`` of text runs separated by ``<br><br>``; French class names; the
date only as Arabic text with Moroccan month names (ماي، يوليوز، غشت ...); no JSON-LD, no
published-time meta; the header shows the day of the visit; comments with a form.
"""

from __future__ import annotations

from datetime import datetime

from gold_parts import Page, Profile, body_items, charset_tag, html_title, meta_tags, nav_items, para_html
from gold_text import attr, esc

PROFILE = Profile(
    name="sabah",
    site="الصباح المغربية",
    domain="www.sabah-maghribia.ma",
    legacy=True,
    title_formats=("dash",),
    date_styles=("ma",),
    clocks=(None, None, "24h"),
    weekday=(True, False),
    jsonld=("none",),
    og=("partial", "none"),
    time_el=(False,),
    byline_forms=("بقلم: {}", "{}"),
    invent_author=0.5,
    lead=0.5,
    read_also=(1, 2),
    ads=(1, 1),
    comments=(1, 4),
    related=(3, 4),
    meta_author=0.0,
    description=0.6,
    tags=0.0,
    today_header=1.0,
    footer_years=(2019, 2023),
    declare_legacy=("http-equiv", "meta"),
)

NAV = ["الرئيسية", "وطنية", "جهات", "اقتصاد", "الرياضة", "دولية", "ثقافة وفنون", "مجتمع", "آراء ومقالات"]
ABOUT = "الصباح المغربية يومية وطنية مستقلة تصدر عن مجموعة الأطلس للنشر والإعلام"


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/article.php?id={art_id}&rub={slug}"


def render(page: Page) -> str:
    p = page
    runs = []
    for kind, item in body_items(p, 1 if p.lead else 0):
        if kind == "p":
            runs.append(para_html(p, item))
        elif kind == "read_also":
            runs.append(f'<b>{esc(p.read_also_label)}</b> <a href="{attr(item.url)}">{esc(item.title)}</a>')
        else:
            runs.append(f'<div class="ad">إعلان</div>\n<div class="pub-texte">{esc(str(item))}</div>')
    body = "\n<br><br>\n".join(runs)
    chapeau = f'<div class="chapeau">{para_html(p, 0)}</div>' if p.lead else ""
    signature = f'<div class="signature">{esc(p.byline)}</div>' if p.byline else ""
    comments = ""
    if p.comments:
        rows = "\n".join(
            f'<div class="commentaire"><span class="auteur">{esc(c.name)}</span>\n'
            f'<span class="date-com">{esc(c.when)}</span>\n<div class="texte-com">{esc(c.text)}</div></div>'
            for c in p.comments)
        comments = (f'<div id="commentaires"><h3>التعليقات</h3>\n{rows}\n</div>\n'
                    f'<div id="ajout-commentaire"><h3>{esc(p.comment_prompt)}</h3>\n'
                    '<form action="/commentaire.php" method="post">\n'
                    '<label>الاسم</label> <input type="text" name="nom">\n'
                    '<label>البريد الإلكتروني</label> <input type="text" name="email">\n'
                    '<label>التعليق</label> <textarea name="texte"></textarea>\n'
                    '<input type="submit" value="إرسال"></form></div>')
    related = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.related)
    most = "\n".join(f'<li><a href="{attr(r.url)}">{esc(r.title)}</a></li>' for r in p.most_read)
    ticker = " - ".join(f'<a href="/flash.php?n={k}">{esc(t)}</a>' for k, t in enumerate(p.ticker))
    meta = meta_tags(p)
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html lang="ar" dir="rtl">
<head>
{charset_tag(p)}
<title>{esc(html_title(p))}</title>
{meta}
<link href="/css/style.css" rel="stylesheet" type="text/css">
<script type="text/javascript" src="/js/jquery.min.js"></script>
</head>
<body>
<div id="wrap">
<div id="entete">
<div class="date-jour">{esc(p.today_text)}</div>
<div class="logo"><a href="/"><img src="/images/logo.gif" alt="{attr(p.site)}" border="0"></a></div>
<ul id="menu">
{nav_items(p, prefix="/rubrique.php?r=")}
</ul>
</div>
<div id="flash"><span class="flash-titre">عاجل</span> {ticker}</div>
<div id="contenu">
<div class="col-droite">
<div class="fil-ariane"><a href="/">الرئيسية</a> &raquo;
<a href="/rubrique.php?r={p.section_slug}">{esc(p.section)}</a></div>
<div class="article-titre"><h1>{esc(p.title)}</h1></div>
<div class="date-pub">{esc(p.date_text)}</div>
{signature}
<div class="outils"><a href="javascript:window.print()">طباعة</a> |
<a href="/envoyer.php?id={p.art_id}">أرسل لصديق</a> |
<span>{esc(p.share_label)}</span> <a href="https://www.facebook.com/sharer/sharer.php?u={attr(p.url)}">فيسبوك</a>
<a href="https://twitter.com/intent/tweet?url={attr(p.url)}">تويتر</a></div>
<div class="image-article"><img src="{attr(p.image)}" width="600" alt=""><br><i>{esc(p.caption)}</i></div>
{chapeau}
<div class="article-body">
{body}
</div>
<div class="articles-lies"><h3>{esc(p.related_heading)}</h3>
<ul>
{related}
</ul></div>
{comments}
</div>
<div class="col-gauche">
<div class="bloc"><h3>{esc(p.most_read_heading)}</h3><ul>
{most}
</ul></div>
<div class="bloc newsletter"><h3>النشرة البريدية</h3><p>{esc(p.newsletter)}</p>
<form><input type="text" name="email"> <input type="submit" value="اشترك"></form></div>
<div class="bloc pub"><div class="ad">إعلان</div></div>
</div>
</div>
<div id="pied">
<p>{esc(p.footer_about)}</p>
<a href="/qui-sommes-nous.php">من نحن</a> | <a href="/contact.php">اتصل بنا</a> | <a href="/publicite.php">الإشهار</a>
<p>&copy; {p.footer_year} {esc(p.site)} - جميع الحقوق محفوظة</p>
</div>
</div>
</body>
</html>
"""
