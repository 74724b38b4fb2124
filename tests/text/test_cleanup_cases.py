"""Cleanup's header and footer rules: the junk they were made for goes (section labels above the
headline, tickers, footers), and what belongs to the story stays (a subheading that opens the
body, a sign-off, a subheading that shares the headline's opening).

Texts are written for these tests, in our own words; each row is one case seen on real pages.
"""

from __future__ import annotations

import pytest

from marsad.article import Article
from marsad.steps.clean import TextCleaner
from marsad.text.cleanup import clean_document

TITLE = "مهرجان جرش - ليالي الطرب الأصيل"
P1 = "افتتحت وزارة الثقافة مساء أمس فعاليات الدورة الجديدة من المهرجان بحضور جمهور غفير ملأ المدرج الجنوبي."
P2 = "وتتضمن الدورة عشرين أمسية موسيقية يحييها فنانون من الأردن وسوريا ولبنان ومصر على مدى أسبوعين كاملين."
P3 = "وقالت مديرة المهرجان إن الإقبال على شراء التذاكر فاق التوقعات منذ الأيام الأولى لطرحها في منافذ البيع."


def clean(lines: list[str], **given):
    return clean_document("\n".join(lines), **given)


def reason_of(cleaned, line: str) -> str | None:
    return next((reason for removed, reason in cleaned.removed if removed == line), None)


# (lines, metadata given, the line, the reason it is removed with, or None when it stays in the body)
CASES = [
    # kept: a short subheading that opens the body (HTML text has no headline above it)
    ("subheading_opening_the_body", ["برنامج الأمسيات", P1, P2], {"title": TITLE}, "برنامج الأمسيات", None),
    ("kicker_opening_the_body", ["Künstlerischer Lebenslauf", "Soviel mal vorweg: Wir sind zu zweit und schreiben seit Jahren gemeinsam.", P2],
     {"title": "Über uns"}, "Künstlerischer Lebenslauf", None),
    # kept: a subheading that shares the headline's opening is not a copy of it
    ("subheading_sharing_the_opening", [P1, "مهرجان جرش - برنامج الأمسيات", P2], {"title": TITLE},
     "مهرجان جرش - برنامج الأمسيات", None),
    # kept: sign-offs and a label that more of the story follows
    ("arabic_sign_off", [P1, P2, "مع تحياتي"], {"title": TITLE}, "مع تحياتي", None),
    ("german_sign_off", [P1, P2, "Deine Mady"], {"title": TITLE}, "Deine Mady", None),
    ("desk_sign_off", [P1, P2, "XX, Die Redaktion"], {"title": TITLE}, "XX, Die Redaktion", None),
    ("list_item_at_the_end", [P1, P2, "- Ruster Ausbruch DAC"], {"title": TITLE}, "- Ruster Ausbruch DAC", None),
    ("label_followed_by_more_story", [P1, "Crash Room", "3 Minuten vom S-Bahnhof Ostkreuz"], {"title": TITLE},
     "Crash Room", None),
    # removed: the Arabic junk the rules were made for
    ("section_label_above_title", ["أخبار محلية", TITLE, "كتب: سامر الحلبي", P1, P2], {}, "أخبار محلية", "header_label"),
    ("section_label_after_byline", [TITLE, "سامر الحلبي | 3 جويلية 2023", "رياضة", P1, P2], {}, "رياضة", "header_label"),
    ("menu_above_byline", ["الرئيسية", "أخبار", "ثقافة", "بقلم: ليلى منصور", P1], {}, "ثقافة", "header_label"),
    ("short_line_atop_a_dump_with_no_headline", ["عنوان", P1, P2], {}, "عنوان", "header_label"),
    ("relative_dateline", [TITLE, "منذ ساعتين", P1, P2], {}, "منذ ساعتين", "header_label"),
    ("breaking_ticker", ["عاجل", TITLE, P1, P2], {}, "عاجل", "ticker"),
    ("footer_section_label", [P1, P2, "أخبار محلية"], {"title": TITLE}, "أخبار محلية", "footer_label"),
    ("credit_line_after_the_lead", [P1, "حوار: ليلى منصور", P2], {"title": TITLE, "author": "ليلى منصور"},
     "حوار: ليلى منصور", "byline"),
    ("title_with_site_suffix", [TITLE + " | صدى الجنوب", P1, P2], {"title": TITLE}, TITLE + " | صدى الجنوب",
     "repeated_title"),
]


@pytest.mark.parametrize("lines, given, line, reason", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_line(lines, given, line, reason):
    cleaned = clean(lines, **given)
    assert reason_of(cleaned, line) == reason
    assert (line in cleaned.paragraphs) == (reason is None)


AUTHORS = [
    ("katab_line", [TITLE, "كتب: سامر الحلبي", P1, P2], "سامر الحلبي"),
    ("agency_dateline", [TITLE, "عمان 5 أيار (بترا) - " + P1, P2], "بترا"),
    ("agency_between_dashes", [TITLE, "الرياض - واس - " + P1, P2], "واس"),
    ("signed_at_the_end", [TITLE, P1, P2, "– سامر الحلبي"], "سامر الحلبي"),
    ("commenter_is_no_author", [TITLE, P1, P2, "التعليقات", "بواسطة: زائر كريم - 3 مايو 2024"], None),
    ("label_before_a_date_is_no_author", [TITLE, "Aktualisiert 12.05.2024", P1, P2], None),
    ("no_author", [TITLE, P1, P2, P3], None),
]


@pytest.mark.parametrize("lines, author", [c[1:] for c in AUTHORS], ids=[c[0] for c in AUTHORS])
def test_author(lines, author):
    assert clean(lines).author == author


def _site_batch(credit: str, source: str, host: str) -> list[Article]:
    return [
        Article(id=str(i), raw="\n".join([f"{TITLE} {i}", f"كتب: {credit}", P1.replace("أمس", f"اليوم {i}"), P2]),
                url=f"https://{host}/news/{i}", source=source)
        for i in range(6)
    ]


@pytest.mark.parametrize("credit, source, host, author", [
    ("المدينة نيوز", "almadenahnews.com", "www.almadenahnews.com", None),  # the host's name, transliterated
    ("صدى الجنوب", "صدى الجنوب", "sadaljanoub.example", None),  # the source's own name
    ("جريدة الأفق اليوم", "ufuq.example", "ufuq.example", None),  # a publication credited on every page
    ("سامر الحلبي", "ufuq.example", "ufuq.example", "سامر الحلبي"),  # a staff writer signs many pages
])
def test_the_site_is_never_the_author(credit, source, host, author):
    articles = TextCleaner().process_batch(_site_batch(credit, source, host))
    assert [a.author for a in articles] == [author] * 6
    assert all(credit not in a.text for a in articles)
