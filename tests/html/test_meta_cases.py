"""Title and author of news pages: one row per kind of case seen on real pages (an ASP.NET page
that left ``&quot;`` in its title, a WordPress page that named its writer in a ``كتب:`` line above
the body, a page that gave the site's own name as its author ...).

Pages are written for these tests, in our own words.
"""

from __future__ import annotations

from datetime import date

import pytest

import marsad
from marsad.html.meta import extract_meta

SITE = "صدى الجنوب"
URL = "https://sadaljanoub.example/local/2024/05/871"
HEADLINE = "افتتاح محطة لتحلية مياه البحر في خليج العقبة"
STORY = [
    "افتتح وزير المياه صباح اليوم محطة جديدة لتحلية مياه البحر على الشاطئ الجنوبي لخليج العقبة بطاقة تبلغ عشرين ألف متر مكعب يوميا.",
    "وقال الوزير في كلمة خلال الافتتاح إن المحطة ستغطي حاجة المدينة من مياه الشرب خلال أشهر الصيف التي يشتد فيها الطلب.",
    "وأضاف أن الحكومة تعمل على مشروع أكبر لنقل المياه المحلاة إلى العاصمة خلال السنوات الخمس المقبلة بالشراكة مع القطاع الخاص.",
]


def page(
    body: str = "",
    *,
    title: str = f"{HEADLINE} | {SITE}",
    head: str = "",
    h1: str | None = HEADLINE,
    site: str | None = SITE,
) -> str:
    site_tag = f'<meta property="og:site_name" content="{site}">' if site else ""
    headline = f'<h1 class="entry-title">{h1}</h1>' if h1 else ""
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>{site_tag}{head}'
        f'</head><body><header class="site-header"><a href="/">{SITE}</a></header>'
        f'<article class="post">{headline}{body}<div class="entry-content">{paragraphs}</div></article>'
        '<footer class="site-footer">جميع الحقوق محفوظة</footer></body></html>'
    )


# ---------------------------------------------------------------- authors

AUTHORS = [
    # a WordPress page: the writer in a كتب line above the body, the site's account in the meta tag
    ("katab_line_above_body", page('<p><strong>كتب: سامر الحلبي</strong></p>', head=f'<meta name="author" content="{SITE}">'),
     "سامر الحلبي"),
    ("katabat_line", page("<p>كتبت - ليلى منصور</p>"), "ليلى منصور"),
    ("bqalam_line", page('<div class="meta"><span>بقلم: هاني العمري</span> <span>الأحد 5 مايو 2024</span></div>'), "هاني العمري"),
    ("idad_line", page("<p>إعداد: رنا خليل</p>"), "رنا خليل"),
    ("byline_element", page('<div class="post-author">بواسطة عمر الزعبي</div>'), "عمر الزعبي"),
    ("json_ld_author_by_reference", page(head=(
        '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
        '{"@type": "NewsArticle", "headline": "' + HEADLINE + '", "author": {"@id": "#writer-7"}},'
        '{"@type": "Person", "@id": "#writer-7", "name": "دانة الخطيب"}]}</script>'
    )), "دانة الخطيب"),
    ("agency_in_byline_element", page('<span class="author">وكالة الأنباء الأردنية (بترا)</span>'),
     "وكالة الأنباء الأردنية (بترا)"),
    ("site_name_is_no_author", page(head=f'<meta name="author" content="{SITE}">'), None),
    ("title_suffix_is_no_author", page(site=None, head='<meta name="author" content="صدى الجنوب الإخباري">',
                                       title=f"{HEADLINE} - صدى الجنوب الإخباري"), None),
    ("developer_credit_is_no_author", page(head='<meta name="author" content="تصميم وتطوير شركة الأفق الرقمي">'), None),
    ("developed_by_is_no_author", page(head='<meta name="author" content="Developed by Ufuq Digital">'), None),
    ("photographer_is_no_author", page('<div class="author">تصوير: خالد يوسف</div>'), None),
    ("photo_lens_is_no_author", page('<span class="byline">عدسة: خالد يوسف</span>'), None),
    ("commenter_is_no_author", page(
        '<div id="comments"><div class="comment"><span class="comment-author">بواسطة: زائر من إربد</span>'
        "<p>خبر جميل</p></div></div>"
    ), None),
    ("no_author", page(), None),
    ("english_by_line", page('<p class="byline">By John Smith</p>', site="Gulf Wire"), "John Smith"),
    ("german_von_line", page('<div class="article-meta">Von Max Muster, 5. Mai 2024</div>', site="Nordkurier"),
     "Max Muster"),
    ("name_with_particle_is_whole", page('<span class="author">Walter von Aachen</span>', site="Stadtblatt"),
     "Walter von Aachen"),
    # a credit line in the body's own paragraphs, its byline word after a label or a verb
    ("written_by_colon", page('<p><em>Written by: <a href="/people/7">Nora Quinlan</a></em></p>', site="Harbour Notes"),
     "Nora Quinlan"),
    ("blog_post_by", page("<p>Blog Beitrag von Tamara Wendt</p>", site="Grünes Tal"), "Tamara Wendt"),
    # several writers in one credit, a team after them
    ("posted_by_several", page('<span class="byline-author">Posted by Ann Lee, Bo Chen, Carl Dunn and Dara M Ekwe'
                               " - Platform Reliability team</span>", site="Cloudway Blog"),
     "Ann Lee, Bo Chen, Carl Dunn, Dara M Ekwe"),
    ("von_two_names", page("<p>Von <strong>Jonas Keller</strong> und <strong>Mira Stein</strong></p>", site="Weltblick"),
     "Jonas Keller, Mira Stein"),
    # a credit longer than a byline box usually is, a team after the names
    ("long_credit_in_byline_box", page('<div class="byline">Posted by Ann Lee, Bo Chen, Carl Dunn and Dara M Ekwe '
                                       "of the Platform Reliability team at Cloudway</div>",
                                       site="Cloudway Blog"), "Ann Lee, Bo Chen, Carl Dunn, Dara M Ekwe"),
    ("byline_element_tag", page("<byline>Von Henrik Sommer, dpa</byline>", site="Marktblick"), "Henrik Sommer"),
    ("autor_class_any_case", page('<div class="Beitrag-Autor">Greta Lindholm</div>', site="Weltblick"), "Greta Lindholm"),
    # a link to the writer's page: the name its markup gives, not the portrait's copyright credit
    ("author_link_with_portrait", page(
        '<a href="/autoren/greta-lindholm-12"><span class="pic"><img src="/g.jpg" alt="">'
        '<span class="copyright">&copy; Greta Lindholm</span></span><span itemprop="name">Greta Lindholm</span></a>',
        site="Weltblick"), "Greta Lindholm"),
    ("copyright_credit_is_no_author", page('<span class="author-photo">&copy; Greta Lindholm</span>', site="Weltblick"), None),
    # an author box that names the site, with a link to write to it
    ("site_with_contact_link_is_no_author", page(
        '<div class="autor-box"><a href="/redaccion"><h6>Gulf Wire</h6></a> <a href="#">Contactar</a></div>',
        site="Gulf Wire"), None),
    ("article_count_is_no_author", page('<a href="/author/greta">12 articles</a>', site="Weltblick"), None),
    # a byline line that runs on into a comment count and a notice, a recipe card's credit further down
    ("byline_line_runs_on", page('<p class="entry-meta">By <span class="entry-author">Mira</span> on 3. May, 2024 | '
                                 "12 Comments . This post may contain links to shops that pay us a small share of a sale.</p>"
                                 '<div class="recipe-meta">Author: Mira Lindqvist-Holt</div>', site="Green Spoon"), "Mira"),
    # a labelled credit after another label on its line
    ("autor_label_mid_line", page('<div class="info">Datum: 03.11.2021 Autor: Lukas Brenner/SP-X</div>', site="Motorblick"),
     "Lukas Brenner"),
    # the meta tag names the institute that publishes; the page's byline box names the writer
    ("person_over_organisation_in_meta", page(
        '<p>Autoren: <span itemprop="author">Greta Lindholm</span></p>', site="Waldblatt",
        head='<meta name="author" content="Landesinstitut für Wald und Forstwirtschaft - LWF">'), "Greta Lindholm"),
    ("handle_in_meta_stays", page('<span class="author">Greta Lindholm</span>', site="Weltblick",
                                  head='<meta name="author" content="glindholm">'), "glindholm"),
    # "Von" opening a subheading: capitalised nouns joined by "und" are no writers
    ("von_subheading_is_no_author", page("<h2>Von Chancen und Grenzen</h2>", site="Weltblick"), None),
    ("von_from_to_is_no_author", page("<p>Von Schutzbrille über Handschuhe bis zum Helm: was auf die Liste gehört</p>",
                                      site="Weltblick"), None),
]


@pytest.mark.parametrize("html, author", [row[1:] for row in AUTHORS], ids=[row[0] for row in AUTHORS])
def test_author(html, author):
    assert extract_meta(html, URL).author == author


def test_byline_far_down_a_page_without_headline_or_article():
    # a table layout: no <h1>, <article> or <main>, hundreds of menu links before the story
    menu = "".join(f'<li><a href="/c/{i}">قسم {i}</a></li>' for i in range(450))
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    html = (
        f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>{HEADLINE}</title></head><body>'
        f"<ul>{menu}</ul><table><tr><td><h6>{HEADLINE}</h6><h5><em>Von Leona Hartwig</em></h5>{paragraphs}"
        "</td></tr></table></body></html>"
    )
    assert extract_meta(html, URL).author == "Leona Hartwig"


def test_site_name_spelled_out_in_the_host_is_no_author():
    # almadenahnews.com ~ المدينة نيوز: the host's name transliterated
    html = page(head='<meta name="author" content="المدينة نيوز">', site=None, title=HEADLINE)
    assert extract_meta(html, "https://www.almadenahnews.com/article/1022").author is None


def test_writer_above_the_body_reaches_the_article():
    article = marsad.process_html(page('<p>كتب: سامر الحلبي</p>'), URL)
    assert article.author == "سامر الحلبي"
    assert "سامر الحلبي" not in article.text


def test_agency_credit_is_the_author_when_no_writer_is_named():
    body = "".join(f"<p>{p}</p>" for p in ["عمان 5 أيار (بترا) - " + STORY[0], *STORY[1:]])
    html = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{HEADLINE}</title></head>'
        f"<body><article><h1>{HEADLINE}</h1>{body}</article></body></html>"
    )
    assert marsad.process_html(html, URL).author == "بترا"


# ---------------------------------------------------------------- titles

TITLES = [
    ("entity_in_og_title", page(head='<meta property="og:title" content="وزير المالية: &quot;لا ضرائب جديدة&quot;">',
                                h1=None, title=SITE), 'وزير المالية: "لا ضرائب جديدة"'),
    ("double_escaped_entity", page(head='<meta property="og:title" content="وزير المالية: &amp;quot;لا ضرائب جديدة&amp;quot;">',
                                   h1=None, title=SITE), 'وزير المالية: "لا ضرائب جديدة"'),
    ("entity_in_title_tag", page(title="وزير المالية: &amp;quot;لا ضرائب جديدة&amp;quot; | " + SITE, h1=None),
     'وزير المالية: "لا ضرائب جديدة"'),
    ("site_after_pipe", page(title=f"{HEADLINE} | {SITE}", h1=None), HEADLINE),
    ("site_after_dash", page(title=f"{HEADLINE} - {SITE}", h1=None), HEADLINE),
    ("site_after_en_dash", page(title=f"{HEADLINE} – {SITE}", h1=None), HEADLINE),
    ("site_after_double_colon", page(title=f"{HEADLINE} :: {SITE}", h1=None), HEADLINE),
    ("site_after_guillemet", page(title=f"{HEADLINE} » {SITE}", h1=None), HEADLINE),
    ("site_first", page(title=f"{SITE} | {HEADLINE}", h1=None), HEADLINE),
    ("site_as_domain", page(title=f"{HEADLINE} | sadaljanoub.com", h1=None, site=None), HEADLINE),
    ("site_in_og_title", page(head=f'<meta property="og:title" content="{HEADLINE} - {SITE}">', h1=None), HEADLINE),
    ("colon_opens_a_headline", page(title=f"الأردن: {HEADLINE} | {SITE}", h1=None), f"الأردن: {HEADLINE}"),
    ("dash_inside_a_headline_stays", page(
        head='<meta property="og:title" content="مهرجان جرش – ليالي الطرب الأصيل">', h1=None, title=SITE),
     "مهرجان جرش – ليالي الطرب الأصيل"),
    ("logo_h1_is_no_headline", page(
        '<h1 class="site-title"><a href="/" rel="home">' + SITE + "</a></h1>", h1=HEADLINE), HEADLINE),
    ("h1_with_subtitle", page(title=f"{HEADLINE} | {SITE}", h1=f"{HEADLINE}: عشرون ألف متر مكعب يوميا"),
     f"{HEADLINE}: عشرون ألف متر مكعب يوميا"),
    ("generic_title_gives_way_to_the_h1", page(title="الرئيسية", site=None), HEADLINE),
]


@pytest.mark.parametrize("html, title", [row[1:] for row in TITLES], ids=[row[0] for row in TITLES])
def test_title(html, title):
    assert extract_meta(html, URL).title == title


# ---------------------------------------------------------------- dates htmldate reads

# Pages whose only date is in running text in a Latin-script form that marsad's own readers leave to
# htmldate; its answer is kept when the page writes that day, and not when it guessed from a year.
UNDATED_URL = "https://sadaljanoub.example/local/desalination-plant"
DATES = [
    ("german_month_in_text", page('<p class="meta">Veröffentlicht am 15. September 2009</p>'), date(2009, 9, 15)),
    ("english_month_first", page('<p class="meta">Posted on September 15, 2009 by admin</p>'), date(2009, 9, 15)),
    ("french_month", page('<p class="meta">Publié le 7 mai 2020</p>'), date(2020, 5, 7)),
    ("dotted_digits", page('<p class="meta">26.10.2013 von Hans</p>'), date(2013, 10, 26)),
    ("dotted_digits_two_digit_year", page('<p class="meta">26.10.13 von Hans</p>'), date(2013, 10, 26)),
    ("no_break_space_before_the_year", page('<p class="meta">Wiesbaden, 11. November&nbsp;2021</p>'),
     date(2021, 11, 11)),
    # stated only in the markup, as a timestamp htmldate reads from an attribute
    ("timestamp_in_markup", page('<span property="schema:dateCreated" content="2022-01-28T12:45:46+00:00"></span>'),
     date(2022, 1, 28)),
    ("two_digit_year_ends_a_sentence", page('<p class="meta">نشر في 26.10.13.</p>'), date(2013, 10, 26)),
    # htmldate guesses the first of January from "© 2021"; the page never writes that day
    ("footer_year_only", page('<p class="meta">© 2021 صدى الجنوب</p>'), None),
    # ... nor does a build stamp at midnight in a script, or a timestamp in a link, or a version number
    ("build_stamp_and_footer_year", page('<script>var cfg = {"built": "2021-01-01T00:00:00Z"};</script>'
                                         '<p class="meta">© 2021 صدى الجنوب</p>'), None),
    ("timestamp_in_a_link", page('<img src="/photo.jpg?v=2019-07-08T09:10:11" alt="">'), None),
    ("version_number", page('<p class="meta">الإصدار 1.2.13 من التطبيق</p>'), None),
]


@pytest.mark.parametrize("html, day", [row[1:] for row in DATES], ids=[row[0] for row in DATES])
def test_date_htmldate_reads_and_the_page_confirms(html, day):
    assert extract_meta(html, UNDATED_URL).published == day


# The same moment stated twice, in UTC first and then in the publisher's own time zone: the day is
# the publisher's (a gold date, like a reader, goes by the day the page shows).
MOMENTS = [
    ("utc_then_local_email_form", '"datePublished": "2019-10-18T22:04:00Z"',
     '<meta name="date" content="Sat, 19 Oct 2019 00:04:00 +0200">', "2019-10-19T00:04:00+02:00"),
    ("utc_then_local_iso", '"datePublished": "2019-10-18T22:04:00Z"',
     '<meta property="article:published_time" content="2019-10-19T00:04:00+02:00">', "2019-10-19T00:04:00+02:00"),
    # another moment is not the same one: the first stated stays
    ("utc_then_a_later_moment", '"datePublished": "2019-10-18T22:04:00Z"',
     '<meta property="article:published_time" content="2019-10-19T09:00:00+02:00">', "2019-10-18T22:04:00+00:00"),
    ("local_then_utc", '"datePublished": "2019-10-19T00:04:00+02:00"',
     '<meta property="article:published_time" content="2019-10-18T22:04:00Z">', "2019-10-19T00:04:00+02:00"),
]


@pytest.mark.parametrize("ld, meta, published", [row[1:] for row in MOMENTS], ids=[row[0] for row in MOMENTS])
def test_date_in_the_publishers_time_zone(ld, meta, published):
    head = f'<script type="application/ld+json">{{"@type": "NewsArticle", {ld}}}</script>{meta}'
    assert extract_meta(page(head=head), UNDATED_URL).published.isoformat() == published


@pytest.mark.parametrize("text, day, writes", [
    ("Wiesbaden, 11. November\xa02021", date(2021, 11, 11), True),
    ("26 | 01 | 2022", date(2022, 1, 26), True),
    ("26 | 01 | 2022", date(2022, 1, 27), False),
    ("Posted on September 15, 2009 by admin", date(2009, 9, 15), True),
    ("Veröffentlicht am 15. September 2009", date(2009, 9, 15), True),
    ("le 15 septembre 2009", date(2009, 9, 15), True),
    ("26.10.2013 von Hans", date(2013, 10, 26), True),
    ("10/26/2013", date(2013, 10, 26), True),
    ("2009-09-15T10:00", date(2009, 9, 15), True),
    ("© 2021 alle Rechte", date(2021, 1, 1), False),      # a year alone writes no day
    ("126.10.2013", date(2013, 10, 26), False),           # digits run on
    ("15 September 2010", date(2009, 9, 15), False),      # another year
])
def test_latin_writes(text, day, writes):
    from marsad.html.meta import latin_writes

    assert latin_writes(text, day) is writes
