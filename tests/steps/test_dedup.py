"""Duplicates as users meet them: re-crawls, verbatim copies, wire stories republished, and different
stories on the same event that must stay apart."""

from datetime import datetime, timezone

import pytest

from marsad.article import Article
from marsad.steps.dedup import DedupIndex, Deduplicator, cluster_records

WIRE = [
    "أعلنت وزارة الطاقة المغربية، اليوم الثلاثاء، عن إطلاق المرحلة الثانية من مشروع المحطة الشمسية الكبرى قرب مدينة ورزازات، بكلفة إجمالية تقدر بنحو ملياري درهم، في إطار خطة وطنية لرفع حصة الطاقات المتجددة في المزيج الطاقي.",
    "وقال وزير الطاقة في ندوة صحفية عقدها بالرباط إن المرحلة الجديدة ستضيف قدرة إنتاجية تبلغ ثلاثمائة ميغاواط، وستوفر الكهرباء لأكثر من مليون منزل، مشيرا إلى أن الأشغال ستنطلق مطلع السنة المقبلة وتستمر ثلاث سنوات.",
    "وأوضح الوزير أن المشروع سيخلق نحو ألفي فرصة عمل مباشرة خلال فترة البناء، وأن الأولوية في التشغيل ستمنح لشباب المنطقة، بتنسيق مع مراكز التكوين المهني التي أعدت برامج خاصة لتأهيلهم في مهن الطاقة الشمسية.",
    "ويسعى المغرب إلى بلوغ نسبة اثنين وخمسين في المائة من الطاقات المتجددة في إنتاج الكهرباء بحلول سنة ألفين وثلاثين، وهو هدف يقول خبراء إنه أصبح قابلا للتحقيق بفضل تراجع كلفة الألواح الشمسية وتحسن شروط التمويل الدولي.",
    "وكانت المرحلة الأولى من المشروع قد دخلت حيز الخدمة قبل خمس سنوات، وتعد اليوم من أكبر المحطات الشمسية الحرارية في العالم، وتزور وفود أجنبية الموقع بانتظام للاطلاع على التجربة المغربية في هذا المجال.",
]
# Another story on the same day and subject: must not join the wire story's cluster.
OTHER = [
    "انتقد اتحاد المقاولات المغربية بطء إجراءات الربط بالشبكة الكهربائية بالنسبة للمشاريع الصغيرة للطاقة الشمسية، معتبرا أن المقاولات التي تستثمر في ألواح فوق أسطح مصانعها تنتظر أشهرا قبل الحصول على التراخيص اللازمة.",
    "وطالب رئيس لجنة الطاقة في الاتحاد بتبسيط المساطر الإدارية ورقمنتها، وبالسماح للمقاولات ببيع فائض إنتاجها للشبكة الوطنية بأسعار عادلة، كما هو معمول به في عدد من الدول الأوروبية والمتوسطية.",
    "وأشار إلى أن الطاقة تمثل ما يصل إلى ثلث تكاليف الإنتاج في بعض القطاعات الصناعية، وأن خفض هذه الكلفة عبر الإنتاج الذاتي سيعزز تنافسية الصادرات المغربية في الأسواق الخارجية خلال السنوات المقبلة.",
]


EARLY = datetime(2024, 5, 1, 8, tzinfo=timezone.utc)


def article(id, paragraphs, url=None, published=None):
    return Article(id=id, raw="", url=url, text="\n\n".join(paragraphs), published=published)


def run(articles, **kw):
    dedup = Deduplicator(**kw)
    out = list(dedup(articles))
    return dedup, {a.id: dedup.final(a.id) for a in out}


COPIES = {
    "prefix": ["الرباط - و م ع: " + WIRE[0], *WIRE[1:]],
    "trimmed_last_paragraph": WIRE[:-1],
    "site_boilerplate": [*WIRE, "اقرأ أيضا: أسعار المحروقات تستقر للأسبوع الثالث", "جميع الحقوق محفوظة لموقع الجنوب اليوم 2024"],
    "words_changed": [WIRE[0].replace("اليوم الثلاثاء", "يوم الثلاثاء"), WIRE[1].replace("ثلاثمائة", "300"), *WIRE[2:]],
    "spelling_variants": [p.replace("أ", "ا").replace("ى", "ي").replace("ة ", "ه ") for p in WIRE],
    "all_edits": ["ورزازات (أ ف ب) - " + WIRE[0], WIRE[1], WIRE[2] + " " + WIRE[3], "تابعونا على فيسبوك"],
}


@pytest.mark.parametrize("edit", sorted(COPIES))
def test_near_copy_joins_the_wire_story(edit):
    _, result = run([article("wire", WIRE, "https://agency.example/1", EARLY), article("copy", COPIES[edit], "https://site.example/9")])
    assert result["copy"][0] == result["wire"][0] == "wire"
    assert result["copy"][1] == 2
    assert result["copy"][3] in ("near_duplicate", "same_text")


def test_different_story_same_day_stays_apart():
    _, result = run([article("wire", WIRE), article("other", OTHER), article("copy", COPIES["prefix"])])
    assert result["other"][0] == "other" and result["other"][1] == 1
    assert result["copy"][0] == "wire"


def test_recrawl_same_url_with_updated_text():
    updated = [*WIRE[:-1], WIRE[-1] + " وأضاف الوزير أن الحكومة ستعرض المشروع على البرلمان الشهر المقبل."]
    _, result = run([
        article("v1", WIRE, "http://www.agency.example/news/1?utm_source=fb", EARLY),
        article("v2", updated, "https://agency.example/news/1/"),
    ])
    assert result["v2"] == ("v1", 2, "v1", "same_url")


def test_verbatim_copy_is_same_text():
    _, result = run([article("a", WIRE, "https://one.example/x"), article("b", WIRE, "https://two.example/y")])
    assert result["b"][0] == "a" and result["b"][3] == "same_text"


def test_original_is_the_earliest_published_then_the_longest():
    early = EARLY
    late = datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
    _, result = run([
        article("late", COPIES["prefix"], published=late),
        article("early", COPIES["trimmed_last_paragraph"], published=early),
        article("undated", WIRE),
    ])
    assert {r[2] for r in result.values()} == {"early"}
    assert result["early"][3] is None and result["late"][3] == "near_duplicate"


def test_short_texts_are_never_near_duplicates():
    _, result = run([article("a", ["خبر قصير جدا عن الطقس"]), article("b", ["خبر قصير جدا عن الطقس اليوم"])])
    assert result["a"][0] != result["b"][0]


def test_index_persists_across_runs(tmp_path):
    path = tmp_path / "dedup.idx"
    first = Deduplicator(index=DedupIndex.load(path))
    list(first([article("wire", WIRE, "https://agency.example/1", EARLY)]))
    first.index.save(path)
    second = Deduplicator(index=DedupIndex.load(path))
    (copy,) = second([article("copy", COPIES["prefix"], "https://site.example/2")])
    assert copy.cluster == "wire" and copy.duplicate_of == "near_duplicate" and copy.cluster_size == 2


def test_two_clusters_bridged_by_a_copy_merge():
    a = [*WIRE[:3]]
    b = [*WIRE[2:]]
    bridge = WIRE
    _, result = run([article("a", a), article("b", b), article("bridge", bridge)], threshold=0.3)
    assert len({r[0] for r in result.values()}) == 1
    assert {r[1] for r in result.values()} == {3}


def test_cluster_records_api():
    out = cluster_records([
        {"id": "1", "url": "https://a.example/1", "text": "\n".join(WIRE), "published": "2024-05-01T08:00:00Z"},
        {"id": "2", "url": "https://b.example/2", "text": "\n".join(COPIES["prefix"]), "published": None},
        {"id": "3", "url": "https://c.example/3", "text": "\n".join(OTHER), "published": None},
    ])
    assert out["2"] == ("1", "near_duplicate") and out["1"] == ("1", None) and out["3"] == ("3", None)


def test_deduplicator_pickles():
    import pickle

    dedup = Deduplicator()
    list(dedup([article("wire", WIRE)]))
    clone = pickle.loads(pickle.dumps(dedup))
    (copy,) = clone([article("copy", COPIES["prefix"])])
    assert copy.cluster == "wire"


def test_undated_copies_prefer_the_longest_as_original():
    _, result = run([article("short", WIRE[:-1]), article("long", WIRE)])
    assert result["short"][2] == "long" and result["long"][3] is None
