"""Main text on page builds that lost whole articles: each mend must fire where it should and not
where it must not, and a mended result that loses the story falls back to trafilatura's reading.

Pages are written for these tests (own words); each row is one failure kind seen on real pages.
"""

from __future__ import annotations

import pytest

import marsad
from marsad.html.main import keeps_story, looks_like_headline_list, restore_story

STORY = [
    "قررت بلدية صفاقس تمديد ساعات عمل السوق المركزي خلال شهر رمضان المقبل استجابة لطلبات التجار والسكان على حد سواء.",
    "وأوضح رئيس البلدية في ندوة صحفية أن القرار يشمل أيضا تنظيم حركة المرور في الأنهج المحيطة بالسوق وتخصيص مواقف إضافية للسيارات.",
    "ويشتكي سكان المدينة العتيقة منذ سنوات من الاكتظاظ الذي تشهده المنطقة في الأسابيع التي تسبق العيد.",
    "وينتظر أن تعرض البلدية خطة مفصلة على المجلس البلدي في دورته القادمة قبل الشروع في تنفيذها.",
]
TITLE = "بلدية صفاقس تمدد ساعات عمل السوق المركزي في رمضان"
RELATED = [f"عنوان خبر آخر رقم {i} عن أحداث الجهة" for i in range(1, 7)]


def paras(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def related_list() -> str:
    items = "".join(f'<li><a href="/n/{i}">{t}</a></li>' for i, t in enumerate(RELATED))
    return f'<div class="related-posts"><h3>أخبار ذات صلة</h3><ul>{items}</ul></div>'


def wrap(body: str, head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{TITLE}</title>{head}</head>'
        '<body><nav class="menu"><a href="/">الرئيسية</a> <a href="/local">جهات</a> <a href="/eco">اقتصاد</a></nav>'
        f"{body}<footer>جميع الحقوق محفوظة لصحيفة الجنوب</footer></body></html>"
    )


# Containers that hold the story though their class or id carries a junk word (page builders' names).
JUNK_NAMED_CONTAINERS = [
    ("wordpress_tag_slug", '<article class="post-311 post type-post status-publish tag-baladiya tag-ramadan">{}</article>'),
    ("blogger_widget", '<div class="widget Blog" id="Blog1"><div class="post-body">{}</div></div>'),
    ("elementor_widget_wrap", '<div class="elementor-widget-wrap"><div class="elementor-widget-container">{}</div></div>'),
    ("drupal_promoted", '<div class="node node--promoted node--view-mode-full">{}</div>'),
    ("layout_sidebar_word", '<div class="content-with-sidebar-wrp"><div class="l-sidebar-fixed l-article-body-segment">{}</div></div>'),
    ("read_more_word", '<div class="entry-content entry-content-read-more">{}</div>'),
    ("sharing_container", '<div class="documentContent__sharingContainer">{}</div>'),
]


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
@pytest.mark.parametrize("name,container", JUNK_NAMED_CONTAINERS, ids=[c[0] for c in JUNK_NAMED_CONTAINERS])
def test_story_in_a_junk_named_container_is_kept(name, container, fast):
    page = wrap(f"<h1>{TITLE}</h1>" + container.format(paras(STORY)) + related_list())
    article = marsad.process_html(page, "https://janoub.example/local/311", fast=fast)
    for line in STORY:
        assert line in article.text, (name, article.text)


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
def test_furniture_with_junk_names_is_still_removed(fast):
    """The mend still fires on what it was made for: a related list and a share bar inside the article."""
    share = '<div class="share-bar"><a href="#">فيسبوك</a> <a href="#">تويتر</a> <a href="#">واتساب</a></div>'
    body = f"<article><h1>{TITLE}</h1>{share}{paras(STORY[:2])}{related_list()}{paras(STORY[2:])}</article>"
    article = marsad.process_html(wrap(body), "https://janoub.example/local/312", fast=fast)
    for line in STORY:
        assert line in article.text
    for junk in RELATED + ["واتساب"]:
        assert junk not in article.text, article.text


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
def test_byline_alone_is_never_the_body(fast):
    """A WordPress page whose post container carries tag-<slug> classes: the body is not the byline alone."""
    body = (
        f'<div class="entry-header"><h1>{TITLE}</h1><span class="byline">كتب: سامي الطرابلسي</span></div>'
        f'<div class="post tag-akhbar tag-sfax td-post-content">{paras(STORY)}</div>'
        '<div class="widget widget_recent"><ul>' + "".join(f'<li><a href="/x/{i}">{t}</a></li>' for i, t in enumerate(RELATED)) + "</ul></div>"
    )
    article = marsad.process_html(wrap(body), "https://janoub.example/local/313", fast=fast)
    assert len(article.text) > 300, article.text
    assert STORY[0] in article.text and STORY[-1] in article.text


def aspnet_page() -> str:
    """An ASP.NET page: one <form>, the story as <br>-separated text in a span, and a sidebar table of
    the site's other headlines with their dates that holds more text than the story."""
    sidebar_rows = "".join(
        f'<tr><td><a href="/Details.aspx?id={900 + i}">{t} في ولاية صفاقس خلال الأسبوع الجاري</a></td>'
        f"<td>{10 + i}/03/2024</td></tr>"
        for i, t in enumerate(RELATED * 3)
    )
    story = "<br><br>".join(STORY[:3])
    return wrap(
        '<form method="post" action="./Details.aspx?id=871" id="form1">'
        f'<div id="ctl00_header"><h1 id="ctl00_lblTitle">{TITLE}</h1></div>'
        f'<table id="ctl00_tblLatest" class="latest-news">{sidebar_rows}</table>'
        f'<div id="ctl00_ContentPlaceHolder1_pnlNews"><span id="ctl00_ContentPlaceHolder1_lblBody">{story}</span></div>'
        "</form>"
    )


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
def test_headline_list_sidebar_bigger_than_the_story(fast):
    article = marsad.process_html(aspnet_page(), "https://janoub.example/Details.aspx?id=871", fast=fast)
    for line in STORY[:3]:
        assert line in article.text, article.text
    assert not looks_like_headline_list(article.text), article.text


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
def test_body_split_over_several_containers_stays_whole(fast):
    """A lead box, the text, an ad, then the last paragraphs in another container."""
    body = (
        f"<article><h1>{TITLE}</h1>"
        f'<div class="article-lead"><p>{STORY[0]}</p></div>'
        f'<div class="article-text">{paras(STORY[1:3])}</div>'
        '<div class="inline-ad"><a href="/ad">إعلان</a></div>'
        f'<div class="article-text-more"><p>{STORY[3]}</p></div>'
        "</article>"
    )
    article = marsad.process_html(wrap(body), "https://janoub.example/local/314", fast=fast)
    for line in STORY:
        assert line in article.text, article.text


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
def test_text_written_straight_into_divs_is_not_lost(fast):
    """No <p> at all: a forum-style post in nested divs."""
    body = f"<div class='thread'><div class='post'><h1>{TITLE}</h1><div class='message'>{' '.join(STORY)}</div></div></div>"
    article = marsad.process_html(wrap(body), "https://janoub.example/forum/t/9", fast=fast)
    assert STORY[0] in article.text and STORY[-1] in article.text


# keeps_story(mended, plain): marsad's mended result stands unless it loses trafilatura's running text
# or reads as a list of headlines where trafilatura's result does not.
HEADLINES = "\n".join(f"{t} 12/03/2024" for t in RELATED)
KEEPS_STORY = [
    ("same_text", "\n".join(STORY), "\n".join(STORY), True),
    ("junk_removed", "\n".join(STORY), "\n".join(STORY) + "\n" + "\n".join(RELATED), True),
    ("one_paragraph_of_four_lost", "\n".join(STORY[:3]), "\n".join(STORY), True),
    ("byline_only", "كتب: سامي الطرابلسي", "كتب: سامي الطرابلسي\n" + "\n".join(STORY), False),
    ("half_the_story_lost", STORY[0], "\n".join(STORY), False),
    ("headline_list_instead", HEADLINES, "\n".join(STORY), False),
    ("trafilatura_found_nothing", "\n".join(STORY), "", True),
    ("both_headline_lists", HEADLINES, HEADLINES, True),
]


@pytest.mark.parametrize("name,mended,plain,expected", KEEPS_STORY, ids=[row[0] for row in KEEPS_STORY])
def test_keeps_story(name, mended, plain, expected):
    assert keeps_story(mended, plain) is expected


LEAD = "تمدد البلدية ساعات عمل السوق المركزي إلى منتصف الليل طيلة الشهر الكريم وتنظم حركة المرور حوله."
TEASER = "وزارة التجارة تعلن عن حملة مراقبة للأسعار في الأسواق الأسبوعية بكامل ولايات الجمهورية قبل العيد."


@pytest.mark.parametrize(
    "name,body,lead_expected",
    [
        ("chapeau_under_headline",
         f'<article><h1>{TITLE}</h1><div class="chapeau">{LEAD}</div><div class="text">{paras(STORY)}</div></article>', True),
        ("teaser_of_another_article_in_a_list",
         f'<article><h1>{TITLE}</h1><div class="text">{paras(STORY)}</div></article>'
         f'<aside><div class="teaser"><h3><a href="/n/5">حملة مراقبة</a></h3><p class="summary">{TEASER}</p></div></aside>', False),
    ],
    ids=lambda v: v if isinstance(v, str) and v.isidentifier() else "",
)
def test_lead_is_the_articles_own(name, body, lead_expected):
    article = marsad.process_html(wrap(body), "https://janoub.example/local/315")
    assert (LEAD in article.text) is lead_expected
    assert TEASER not in article.text, article.text
    assert STORY[0] in article.text


# restore_story(mended, plain, removed): running text that trafilatura finds and the mends lost without
# meaning to goes back where it stood; furniture the mends removed, and trafilatura's tail, stay out.
COMMENT = "تعليق طويل من أحد القراء يقول فيه إن القرار جاء متأخرا جدا وإن السوق يحتاج إلى إصلاح شامل منذ سنوات."
RESTORE = [
    ("nothing_lost", "\n".join(STORY), "\n".join(STORY), [], "\n".join(STORY)),
    ("first_paragraph_lost_by_a_restructuring_mend", "\n".join(STORY[1:]), "\n".join(STORY), [], "\n".join(STORY)),
    ("middle_paragraph_lost", "\n".join([STORY[0], *STORY[2:]]), "\n".join(STORY), [], "\n".join(STORY)),
    ("removed_on_purpose_stays_out", "\n".join(STORY[1:]), "\n".join(STORY), [STORY[0]], "\n".join(STORY[1:])),
    ("trafilatura_tail_stays_out", "\n".join(STORY), "\n".join([*STORY, COMMENT]), [], "\n".join(STORY)),
    ("short_lines_are_not_running_text", "\n".join(STORY), "\n".join(["اقرأ أيضا", *STORY]), [], "\n".join(STORY)),
]


@pytest.mark.parametrize("name,mended,plain,removed,expected", RESTORE, ids=[row[0] for row in RESTORE])
def test_restore_story(name, mended, plain, removed, expected):
    assert restore_story(mended, plain, removed) == expected


# The tail: a line trafilatura finds after the story's last kept line goes back only when it stands
# beside that line on the page as it came (a closing box next to the body), never when it is
# elsewhere (comments under the page, other stories in a sidebar), nor when it repeats a kept line.
CLOSING = "وفي ختام الندوة دعا رئيس البلدية التجار إلى احترام الأسعار المعلنة والتعاون مع أعوان المراقبة طيلة الشهر."
TAIL_PAGES = [
    ("closing_box_beside_the_body",
     f'<div class="post"><div class="text">{paras(STORY)}<div class="verdict"><b>رأينا</b></div>'
     f'<div id="conclprev">{CLOSING}</div></div></div>', CLOSING, True),
    ("comment_far_below_the_story",
     f'<div id="page"><div class="text">{paras(STORY)}</div><section><div><p>{CLOSING}</p></div></section></div>',
     CLOSING, False),
    ("same_line_as_kept_with_a_word_more",
     f'<div class="post"><div class="text">{paras(STORY)}</div></div>', STORY[-1].replace("قبل", "قبل أيام"), False),
]


@pytest.mark.parametrize("name,body,tail,expected", TAIL_PAGES, ids=[row[0] for row in TAIL_PAGES])
def test_tail_goes_back_only_beside_the_story(name, body, tail, expected):
    from selectolax.lexbor import LexborHTMLParser

    page = LexborHTMLParser(wrap(f"<h1>{TITLE}</h1>{body}"))
    got = restore_story("\n".join(STORY), "\n".join([*STORY, tail]), [], page)
    assert got == "\n".join([*STORY, tail] if expected else STORY), name


# A story of one long paragraph in an element that resiliparse and trafilatura read as furniture
# (<aside>, <footer>): fast mode's own block has it, and both modes keep it rather than return nothing.
ONE_PARAGRAPH = "، ".join(line.rstrip(".") for line in STORY[:3]) + "."


@pytest.mark.parametrize("fast", [False, True], ids=["default", "fast"])
@pytest.mark.parametrize("holder", ["aside", "footer"])
def test_one_paragraph_story_that_the_peers_read_as_furniture(holder, fast):
    page = wrap(f"<h1>{TITLE}</h1><{holder}><p>{ONE_PARAGRAPH}</p></{holder}>")
    article = marsad.process_html(page, "https://janoub.example/local/312", fast=fast)
    assert ONE_PARAGRAPH in article.text, article.text
