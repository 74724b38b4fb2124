"""Rules that recognise the junk lines crawlers leave around Arabic news bodies.

Every rule returns a snake_case reason so that cleanup can record *why* it removed a line.
Patterns are written against :func:`line_key`, the normalised form of a line (alef, yeh and
punctuation folded, diacritics and tatweel removed), so one pattern serves every spelling.
"""

from __future__ import annotations

import re

from .arabic import normalize

_AR = "\u0621-\u064a\u0671-\u06d3"
_SPACE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Letters glued to digits by crawlers that drop the markup between a byline and its date
# (مدير الموقع3 مارس 2023آخر). A lone proclitic before a number (ب5، لـ2023، و3) is the writer's.
_GLUE_LETTER_DIGIT = re.compile(rf"(?<=[{_AR}]{{2}})(?<!\u0640)(?=[0-9\u0660-\u0669\u06f0-\u06f9])")
_GLUE_DIGIT_LETTER = re.compile(rf"(?<=[0-9\u0660-\u0669\u06f0-\u06f9])(?=[{_AR}]{{2}})")
_PROCLITIC_ARTICLE = re.compile(rf"(?:^|(?<=\s))(?:[وفبلك]?ال|[وفبلك]) (?=[0-9\u0660-\u0669\u06f0-\u06f9])")

SENTENCE_END = (".", "!", "؟", "?", "…", ":", "»", "”", '"', ")", "؛")


def tidy_line(line: str) -> str:
    """Collapse runs of spaces (NBSP included) and strip."""
    return _SPACE.sub(" ", line).strip()


def unglue(line: str) -> str:
    """Separate letters and digits that a crawler glued together (مدير الموقع3 مارس 2023آخر تحديث).

    Used on byline and metadata lines only: in the body, such spellings are the writer's.
    """
    line = _GLUE_LETTER_DIGIT.sub(" ", line)
    line = _GLUE_DIGIT_LETTER.sub(" ", line)
    # Undo a split that separated the article or a proclitic from its number (الـ20 stays whole).
    return _PROCLITIC_ARTICLE.sub(lambda m: m.group(0)[:-1], line)


def line_key(line: str) -> str:
    """The form of a line that rules and repeat detection compare."""
    return normalize(line).strip(" .:-|–—_*•·,;!?\"'()[]")


def word_count(line: str) -> int:
    return len(line.split())


def _alt(*words: str) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_TICKER = re.compile(
    r"^(?:"
    + _alt(
        "الاخبار العاجلة", "اخبار عاجلة", "عاجل", "اخر الاخبار", "شريط الاخبار", "الاكثر قراءة",
        "الاكثر مشاهدة", "الاكثر تداولا", "الاكثر تعليقا", "الاخبار الرئيسية", "اهم الاخبار",
        "المزيد من الاخبار", "اخبار متعلقة", "اخبار ذات صلة", "مواضيع ذات صلة", "مقالات ذات صلة",
        "اخترنا لك", "قد يهمك ايضا", "قد يعجبك ايضا", "المزيد", "تابع المزيد", "مواضيع متعلقة",
        "اخبار مشابهة", "الاخبار المتعلقة", "ذات صلة", "فيديو", "صور", "اعلان",
    )
    + r")$"
)
_TICKER_ITEM = re.compile(r"^عاجل ?[|:-]")
_READ_ALSO = re.compile(
    r"^(?:ا?قرا|اقرئي|شاهد|شاهدي|طالع|اطلع على|تابع|انظر|للمزيد|لمزيد من المعلومات|اقرا المزيد)"
    r"(?: ايضا| كذلك| المزيد| اكثر)?(?: ?:|$| ايضا)"
)
_READ_ALSO_PREFIX = re.compile(r"^(?:ا?قرا|شاهد|طالع) (?:ايضا|كذلك)\b")
_TAGS = re.compile(
    r"^(?:"
    + _alt("الوسوم", "وسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "كلمات دلالية", "الكلمات الدلالية",
           "تاغ", "هاشتاغ", "tags", "المواضيع", "موضوعات")
    + r") ?:"
)
_TAGS_LABEL = re.compile(
    r"^(?:" + _alt("الوسوم", "وسوم", "كلمات مفتاحية", "الكلمات المفتاحية", "كلمات دلالية", "الكلمات الدلالية", "tags") + r")$"
)
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|جميع الحقوق محفوظة|كل الحقوق محفوظة|حقوق النشر محفوظة|الحقوق محفوظة|"
    r"all rights reserved|copyright|يمنع نسخ|يحظر نسخ|لا يجوز نسخ|يسمح بالاقتباس)",
    re.IGNORECASE,
)
_COMMENTS = re.compile(
    r"^(?:"
    + _alt("التعليقات", "تعليقات", "اضف تعليق", "اضف تعليقك", "اترك تعليقا", "اترك تعليقك", "لا توجد تعليقات",
           "عدد التعليقات", "التعليق", "اكتب تعليقك", "ارسل تعليقك", "تعليقك", "الاسم", "البريد الالكتروني",
           "ارسال", "ارسل")
    + r")(?: ?\(?\d*\)?| ?:.*)?$"
)
_NEWSLETTER = re.compile(
    r"(?:اشترك في (?:النشرة|نشرتنا|القائمة)|النشرة البريدية|تابعونا على|تابعنا على|تابعوا .{0,30} على"
    r"|لتصلك النشرة|سجل بريدك|ليصلك جديد|حمل تطبيق|حملوا تطبيق|انضم الى قناتنا|اشترك في قناتنا|للاشتراك في)"
)
# The site's standing notices on opinions and comments (لا تعبر عن رأي الموقع, مراجعة التعليقات).
_DISCLAIMER = re.compile(
    r"(?:لا تعبر (?:بالضرورة )?عن (?:راي|وجهة نظر)|تعبر عن (?:راي|وجهة نظر) (?:كاتبها|كتابها|اصحابها)|"
    r"تمثل راي (?:كاتبها|كتابها)|الاراء الواردة|بالنقاش الحيوي|مراجعة التعليقات قبل نشرها|"
    r"ارشادات الاستخدام|شروط استخدام الموقع|سياسة الخصوصية)"
)
_ADVERT = re.compile(r"^(?:اعلان|اعلان ممول|محتوى مدفوع|محتوى ممول|محتوى برعاية|برعاية شركائنا|برعاية|مساحة اعلانية|sponsored)\b ?:")
_SOURCE_CREDIT = re.compile(r"^(?:المصدر|مصدر الخبر|المصادر|source) ?:", re.IGNORECASE)

_SHARE_WORDS = frozenset(
    """شارك شاركي مشاركة المشاركة طباعة اطبع ارسال لصديق ارسل البريد الالكتروني بريد نسخ الرابط حفظ
    المقال الخبر عبر على تويتر تويتير اكس فيسبوك فيس بوك واتساب واتس اب تلغرام تيليغرام تلجرام لينكدان
    لينكد ان انستغرام انستجرام يوتيوب تيك توك ماسنجر بينترست جوجل بلس facebook twitter whatsapp telegram
    linkedin email print share x pinterest messenger reddit copy link google plus""".split()
)
_NAV_WORDS = frozenset(
    """الرئيسية الرئيسيه الصفحة اتصل بنا من نحن سياسة الخصوصية شروط الاستخدام الاستعمال اعلن معنا
    خريطة الموقع ارشيف الارشيف هيئة التحرير فريق العمل وظائف للاعلان دخول تسجيل الخروج بحث ابحث
    القائمة عربي english français english home about contact privacy terms""".split()
)
_DIGITS = re.compile(r"\d")
_BREADCRUMB_SPLIT = re.compile(r" ?(?:/|>|»|«|›|‹|\\|\|) ?")


def junk_reason(line: str, key: str | None = None) -> str | None:
    """The reason this line is boilerplate wherever it stands, or ``None`` if no rule names it."""
    if key is None:
        key = line_key(line)
    if not key:
        return "empty_markup" if line.strip() else None
    words = key.split()
    n = len(words)
    if n > 60:  # running text: only a long tags line or a disclaimer-free paragraph gets here
        return "tags" if _TAGS.match(key) else None
    if n <= 6 and _TICKER.match(key):
        return "ticker"
    if n <= 25 and _TICKER_ITEM.match(key):
        return "ticker"
    if n <= 30 and (_READ_ALSO.match(key) or _READ_ALSO_PREFIX.match(key)):
        return "read_also"
    if _TAGS.match(key) or _TAGS_LABEL.match(key):
        return "tags"
    if n <= 30 and _COPYRIGHT.search(key):
        return "copyright"
    if n <= 12 and _COMMENTS.match(key):
        return "comments"
    if n <= 25 and _NEWSLETTER.search(key):
        return "newsletter"
    if n <= 30 and _ADVERT.match(key):
        return "advertisement"
    if n <= 15 and _SOURCE_CREDIT.match(key):
        return "source_credit"
    lowered = [w.lower() for w in words]
    if all(w in _SHARE_WORDS or w.isdigit() for w in lowered) and any(w in _SHARE_WORDS for w in lowered):
        return "share"
    if all(w in _NAV_WORDS for w in lowered):
        return "navigation"
    parts = [p for p in _BREADCRUMB_SPLIT.split(key) if p]
    if len(parts) >= 2 and not _DIGITS.search(key) and all(word_count(p) <= 4 for p in parts) and (
        parts[0] in ("الرئيسية", "الرئيسيه", "home") or len(parts) >= 3
    ):
        return "breadcrumb"
    if n <= 60 and _DISCLAIMER.search(key):
        return "disclaimer"
    return None


_TRAILING_TICKER = re.compile(
    r"(?<=[.!؟?»”\"])\s*(?:الأخبار العاجلة|الاخبار العاجلة|أخبار عاجلة|اخبار عاجلة|آخر الأخبار|اخر الاخبار|عاجل)\s*$"
)


def split_trailing_ticker(line: str) -> tuple[str, str | None]:
    """A ticker label glued after the last sentence (… السيبراني.الاخبار العاجلة) comes off."""
    m = _TRAILING_TICKER.search(line)
    if not m:
        return line, None
    return line[: m.start()].rstrip(), m.group(0).strip()


def is_paragraph(line: str) -> bool:
    """Looks like running text rather than a label: long enough, or a complete short sentence."""
    n = word_count(line)
    return n >= 10 or (n >= 4 and line.endswith(SENTENCE_END))


def is_title_like(line: str) -> bool:
    n = word_count(line)
    return 2 <= n <= 30 and len(line) <= 250 and not line.endswith((".", "،", ":", "؛"))


def is_bare_name(line: str) -> bool:
    """Two to five words, no digits or sentence punctuation: how a name or an agency stands alone."""
    n = word_count(line)
    return 2 <= n <= 5 and not _DIGITS.search(line) and not any(c in line for c in ".:!؟?،,|«»\"()")


def is_tags_label(key: str) -> bool:
    """A bare tags heading (الوسوم) with the tags on the lines below it."""
    return bool(_TAGS_LABEL.match(key))


def is_footer_label(line: str) -> bool:
    """A short trailing line with no sentence end and no number: a label, not the body's last line
    (numbered lines there are usually a ranking or a list that belongs to the story). A list item
    (``- …``) and a writer's sign-off (``Deine Mady``, ``– David Dunkley``) are the story's."""
    return (
        word_count(line) <= 5 and not line.endswith(SENTENCE_END) and not _DIGITS.search(line)
        and not _LIST_ITEM.match(line) and not is_sign_off(line)
    )


_LIST_ITEM = re.compile(r"^[-–—•·*▪►✓]\s*\S")
_SIGN_OFF = re.compile(
    r"^(?:deine?|dein|eure?|euer|ihre?|your|yours|cheers|best|love|xoxo|gru(?:ß|ss)|grüße|viele grüße|liebe grüße|lg|"
    r"bis bald|bis dann|alles liebe|liebst|herzlich\w*|all the best|best wishes|kind regards|regards|thanks|danke|ciao|"
    r"cordialement|amicalement|bises|à bientôt|saludos|un abrazo|abrazos|مع تحياتي|مع خالص|تحياتي|دمتم|محبتي)\b"
    r"|,\s*(?:die|the|eure?|ihre?|your)?\s*(?:redaktion|team|editors?|redacción|rédaction)$",
    re.IGNORECASE,
)


def is_sign_off(line: str) -> bool:
    """A writer's closing line: a greeting with a name (``Deine Mady``, ``مع تحياتي``), ``X, Die Redaktion``."""
    return word_count(line) <= 8 and bool(_SIGN_OFF.search(line.strip()))


# Sections of Arabic news sites, as their labels stand above a headline (normalised spelling).
_SECTIONS = frozenset(
    """اخبار الاخبار محلي محليات محلية عربي عربيات دولي دوليات عالمي العالم سياسة السياسة اقتصاد الاقتصاد
    رياضة الرياضة ثقافة الثقافة فن الفن فنون منوعات صحة الصحة تكنولوجيا التكنولوجيا تقنية علوم مجتمع المجتمع
    حوادث مقالات مقال راي الراي اراء اخترنا تقارير تقرير تحقيقات تحقيق ملفات برلمان تعليم بيئة سياحة المراة
    مراة اسرة شباب جامعات محافظات عاجل مال اعمال""".split()
)
_SECTION_JOIN = re.compile(r" (?:و|&|-|/) ?| و(?=ال)")


def is_section_label(key: str) -> bool:
    """A site's section name (``أخبار محلية``, ``ثقافة وفنون``, ``عربي ودولي``): label words only."""
    words = [w for w in _SECTION_JOIN.sub(" ", key).split() if w]
    if not 1 <= len(words) <= 3:
        return False
    return all(w in _SECTIONS or w.removeprefix("و") in _SECTIONS or w.removeprefix("ال") in _SECTIONS for w in words)
