"""«أخبار الخليج اليوم»: a Gulf daily on ASP.NET WebForms. The whole page is one
``<form id="aspnetForm">`` with ``__VIEWSTATE``; table layout; the body is a ``<span>`` in a ``<td>``,
paragraphs separated by ``<br /><br />`` or written as ``<p>``; the date in Hijri and Gregorian,
as text only; prayer times and currency rates in the side column.
"""

from __future__ import annotations

from datetime import datetime

import base64
import hashlib

from gold_parts import Page, Profile, body_items, charset_tag, html_title, jsonld_script, meta_tags, para_html
from gold_text import attr, esc

PROFILE = Profile(
    name="khaleej",
    site="أخبار الخليج اليوم",
    domain="www.akhbar-alkhaleej-today.com",
    legacy=True,
    title_formats=("dash", "pipe"),
    date_styles=("hijri",),
    clocks=(None,),
    weekday=(True,),
    jsonld=("none", "none", "no_date"),
    og=("none", "partial"),
    time_el=(False,),
    byline_forms=("{} - وكالات", "بقلم: {}", "{}"),
    invent_author=0.5,
    read_also=(0, 1),
    ads=(1, 2),
    comments=(0, 3),
    related=(3, 5),
    meta_author=0.0,
    description=0.5,
    tags=0.0,
    today_header=0.6,
    footer_years=(2018, 2023),
    declare_utf8=("http-equiv",),
    declare_legacy=("http-equiv", "meta"),
)

NAV = ["الرئيسية", "محليات", "خليجيات", "عربي ودولي", "اقتصاد", "رياضة", "ثقافة وفنون", "كتاب وآراء",
       "الأرشيف"]
ABOUT = "أخبار الخليج اليوم صحيفة يومية شاملة تعنى بشؤون الخليج والوطن العربي"
PRAYERS = [("الفجر", "04:32"), ("الظهر", "11:58"), ("العصر", "03:21"), ("المغرب", "06:02"), ("العشاء", "07:32")]
RATES = [("الدولار الأمريكي", "3.750"), ("اليورو", "4.412"), ("الجنيه الإسترليني", "5.196")]


def url_path(art_id: int, slug: str, published: datetime, dated: bool) -> str:
    return f"/news.aspx?id={art_id}"


def _viewstate(page: Page, size: int) -> str:
    raw = b"".join(hashlib.sha256(f"{page.token}{k}".encode()).digest() for k in range(size))
    return base64.b64encode(raw).decode("ascii")


def render(page: Page) -> str:
    p = page
    use_p = int(p.token[0], 16) % 2 == 0  # half the pages write <p>, half <br /><br />
    runs = []
    for kind, item in body_items(p):
        if kind == "p":
            runs.append(f"<p>{para_html(p, item)}</p>" if use_p else para_html(p, item))
        elif kind == "read_also":
            runs.append(f'<font color="#990000"><b>{esc(p.read_also_label)}</b></font> '
                        f'<a href="news.aspx?id={item.url.rsplit("=", 1)[-1]}">{esc(item.title)}</a>')
        else:
            runs.append(f'<div class="ad">إعلان</div><div class="sponsor">{esc(str(item))}</div>')
    body = "\n".join(runs) if use_p else "\n<br /><br />\n".join(runs)
    nav = "\n".join(f'<td class="menuItem"><a href="default.aspx?sec={k}">{esc(n)}</a></td>'
                    for k, n in enumerate(p.nav))
    byline = (f'<tr><td class="newsWriter"><span id="ctl00_ContentPlaceHolder1_lblWriter">{esc(p.byline)}</span>'
              "</td></tr>") if p.byline else ""
    related = "\n".join(f'<tr><td class="relatedItem">&#9632; <a href="{attr(r.url)}">{esc(r.title)}</a></td></tr>'
                        for r in p.related)
    most = "\n".join(f'<tr><td><a href="{attr(r.url)}">{esc(r.title)}</a></td></tr>' for r in p.most_read)
    prayers = "\n".join(f"<tr><td>{n}</td><td>{t}</td></tr>" for n, t in PRAYERS)
    rates = "\n".join(f"<tr><td>{n}</td><td>{r}</td></tr>" for n, r in RATES)
    ticker = " &nbsp;&#9679;&nbsp; ".join(esc(t) for t in p.ticker)
    comments = ""
    if p.comments:
        rows = "\n".join(
            f'<tr><td class="commentName">{esc(c.name)}</td><td class="commentDate">{esc(c.when)}</td></tr>\n'
            f'<tr><td colspan="2" class="commentText">{esc(c.text)}</td></tr>' for c in p.comments)
        comments = (f'<table class="comments" width="100%"><tr><td colspan="2" class="blockTitle">التعليقات</td>'
                    f"</tr>\n{rows}\n</table>")
    comment_form = (f'<table class="addComment"><tr><td class="blockTitle">{esc(p.comment_prompt)}</td></tr>\n'
                    '<tr><td>الاسم: <input name="ctl00$ContentPlaceHolder1$txtName" type="text"></td></tr>\n'
                    '<tr><td><textarea name="ctl00$ContentPlaceHolder1$txtComment" rows="4"></textarea></td></tr>\n'
                    '<tr><td><input type="submit" name="ctl00$ContentPlaceHolder1$btnSend" value="إرسال"></td></tr>'
                    "</table>")
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="ar" dir="rtl">
<head id="ctl00_Head1">
{charset_tag(p)}
<title>
	{esc(html_title(p))}
</title>
{meta_tags(p)}
<link href="App_Themes/Default/style.css" type="text/css" rel="stylesheet" />
{jsonld_script(p, indent=1)}
</head>
<body>
<form name="aspnetForm" method="post" action="./news.aspx?id={p.art_id}" id="aspnetForm">
<div>
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="" />
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUK{_viewstate(p, 12)}" />
</div>
<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">
<tr><td class="topDate">{esc(p.today_text)}</td>
<td class="logo"><a href="default.aspx"><img src="images/logo.jpg" alt="{attr(p.site)}" border="0" /></a></td></tr>
<tr><td colspan="2"><table class="menu"><tr>
{nav}
</tr></table></td></tr>
<tr><td colspan="2" class="urgent"><span class="urgentTitle">عاجل</span>
<marquee direction="right" scrollamount="3">{ticker}</marquee></td></tr>
<tr>
<td valign="top" width="700">
<table width="100%" cellpadding="4">
<tr><td class="path"><a href="default.aspx">الرئيسية</a> &gt;
<a href="section.aspx?s={p.section_slug}">{esc(p.section)}</a></td></tr>
<tr><td class="newsTitle"><h1><span id="ctl00_ContentPlaceHolder1_lblTitle">{esc(p.title)}</span></h1></td></tr>
<tr><td class="newsDate"><span id="ctl00_ContentPlaceHolder1_lblDate">{esc(p.date_text)}</span></td></tr>
{byline}
<tr><td><img src="{attr(p.image)}" width="450" alt="" /><br /><span class="caption">{esc(p.caption)}</span></td></tr>
<tr><td id="ctl00_ContentPlaceHolder1_tdBody" class="newsBody"><span id="ctl00_ContentPlaceHolder1_lblBody">
{body}
</span></td></tr>
<tr><td class="tools"><a href="print.aspx?id={p.art_id}">طباعة</a> | <a href="send.aspx?id={p.art_id}">إرسال</a> |
{esc(p.share_label)} <a href="https://www.facebook.com/sharer/sharer.php?u={attr(p.url)}">فيسبوك</a>
<a href="https://twitter.com/intent/tweet?url={attr(p.url)}">تويتر</a>
<a href="https://api.whatsapp.com/send?text={attr(p.url)}">واتساب</a></td></tr>
<tr><td><table width="100%"><tr><td class="blockTitle">{esc(p.related_heading)}</td></tr>
{related}
</table></td></tr>
<tr><td>{comments}
{comment_form}</td></tr>
</table>
</td>
<td valign="top" width="280" class="sideCol">
<table width="100%"><tr><td class="blockTitle">{esc(p.most_read_heading)}</td></tr>
{most}
</table>
<table class="prayers" width="100%"><tr><td colspan="2" class="blockTitle">مواقيت الصلاة</td></tr>
{prayers}
</table>
<table class="rates" width="100%"><tr><td colspan="2" class="blockTitle">أسعار العملات</td></tr>
{rates}
</table>
<div class="ad">إعلان</div>
<table width="100%"><tr><td class="blockTitle">النشرة البريدية</td></tr>
<tr><td>{esc(p.newsletter)}<br /><input name="ctl00$txtMail" type="text" />
<input type="submit" name="ctl00$btnMail" value="اشترك" /></td></tr></table>
</td>
</tr>
<tr><td colspan="2" class="footer">{esc(p.footer_about)}<br />
جميع الحقوق محفوظة &copy; {esc(p.site)} {p.footer_year}<br />
<a href="about.aspx">من نحن</a> - <a href="contact.aspx">اتصل بنا</a> - <a href="ads.aspx">للإعلان</a></td></tr>
</table>
<div>
<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="/wEWBgL{_viewstate(p, 2)}" />
</div>
</form>
</body>
</html>
"""
