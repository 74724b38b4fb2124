"""Topic: the committed model on news-like texts written for these tests, the numpy inference
against scikit-learn, pickling, and the held-out-publisher accuracy floor on ANT."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from marsad.errors import ConfigError, ModelError
from marsad.nlp.topic import (
    LABELS,
    LabelledArticle,
    TopicClassifier,
    TopicOptions,
    _docs,
    _sparse_dot,
    fit_model,
    merged_topic,
    read_articles,
)

# Short articles written for these tests in the style of Arabic news sites; expected labels are
# merged (world) for political stories, since publishers split those two labels differently.
STORIES = [
    ("الأهلي يهزم الزمالك بثلاثية في قمة الدوري",
     "حقق النادي الأهلي فوزا كبيرا على غريمه الزمالك بثلاثة أهداف مقابل هدف في مباراة القمة التي "
     "أقيمت مساء الجمعة على استاد القاهرة ضمن الجولة العاشرة من الدوري المصري الممتاز. وسجل المهاجم "
     "هدفين في الشوط الأول، فيما قلص الزمالك الفارق من ركلة جزاء قبل أن يضيف الأهلي الهدف الثالث في "
     "الدقائق الأخيرة، ليعزز صدارته لجدول الترتيب بفارق خمس نقاط عن أقرب منافسيه.", "sport"),
    ("مؤشر البورصة السعودية يغلق على ارتفاع بدعم من أسهم البنوك",
     "أغلق المؤشر العام للسوق المالية السعودية تداولات اليوم الأحد مرتفعا بنسبة 1.2 في المئة، "
     "بدعم من مكاسب أسهم البنوك والبتروكيماويات، وبلغت قيمة التداولات نحو خمسة مليارات ريال. وقال "
     "محللون إن صعود أسعار النفط وتوقعات أرباح الشركات في الربع الثالث شجعا المستثمرين على الشراء.",
     "economy"),
    ("سامسونغ تكشف عن هاتفها الذكي الجديد بكاميرا متطورة",
     "كشفت شركة سامسونغ الكورية الجنوبية عن أحدث هواتفها الذكية الذي يأتي بشاشة قابلة للطي ومعالج "
     "أسرع وبطارية تدوم يومين، إضافة إلى كاميرا بدقة مئتي ميغابكسل تعتمد على الذكاء الاصطناعي في "
     "تحسين الصور. ويعمل الجهاز بنظام أندرويد، ويطرح في الأسواق الشهر المقبل، كما أعلنت الشركة عن "
     "تحديثات لتطبيقاتها وخدمات الحوسبة السحابية.", "technology"),
    ("افتتاح الدورة الجديدة لمهرجان القاهرة السينمائي بمشاركة أفلام عربية",
     "انطلقت مساء أمس فعاليات الدورة الجديدة من مهرجان القاهرة السينمائي الدولي بحضور نخبة من "
     "الفنانين والنجوم والمخرجين، ويشارك في المسابقة الرسمية خمسة عشر فيلما من بينها ثلاثة أفلام "
     "عربية. وكرم المهرجان في حفل الافتتاح الممثلة القديرة عن مسيرتها الفنية، وتعرض الأفلام على مدى "
     "عشرة أيام في دور السينما والمسارح.", "culture"),
    ("معرض الكتاب يستقبل آلاف الزوار في يومه الأول",
     "استقبل معرض الكتاب الدولي في يومه الأول آلاف الزوار الذين توافدوا على أجنحة دور النشر، "
     "وشهد المعرض توقيع روايات جديدة لعدد من الأدباء والشعراء، إلى جانب ندوات ثقافية وأمسيات شعرية "
     "ومعرض للفنون التشكيلية. وقالت إدارة المعرض إن دورة هذا العام تحتفي بالأدب العربي والترجمة.",
     "culture"),
    ("وزير الخارجية الأردني يبحث مع نظيره المصري تطورات الأوضاع في غزة",
     "بحث وزير الخارجية الأردني مع نظيره المصري في عمان اليوم تطورات الأوضاع في قطاع غزة والضفة "
     "الغربية، والجهود المبذولة للتوصل إلى وقف لإطلاق النار وإدخال المساعدات الإنسانية. وأكد الوزيران "
     "رفض أي محاولات لتهجير الفلسطينيين، وضرورة إطلاق مفاوضات جادة تفضي إلى حل الدولتين.", "world"),
    ("البرلمان الأوروبي يصوت على قانون جديد للهجرة",
     "صوت البرلمان الأوروبي في ستراسبورغ على قانون جديد للهجرة واللجوء، بعد مفاوضات طويلة بين "
     "الدول الأعضاء، وينص القانون على تسريع إجراءات البت في طلبات اللجوء وتوزيع المهاجرين بين دول "
     "الاتحاد. وانتقدت منظمات حقوقية القانون، فيما رحبت به حكومات عدة، وقالت المفوضية الأوروبية إنه "
     "خطوة تاريخية.", "world"),
    ("البنك المركزي يرفع سعر الفائدة لكبح التضخم",
     "قرر البنك المركزي رفع أسعار الفائدة بمقدار خمسين نقطة أساس، في خطوة تهدف إلى كبح التضخم "
     "الذي بلغ أعلى مستوياته منذ عشر سنوات. وتوقع خبراء اقتصاديون أن يؤثر القرار على القروض "
     "والاستثمار، وأن يدعم سعر صرف العملة المحلية أمام الدولار.", "economy"),
    ("ريال مدريد يتأهل إلى نصف نهائي دوري أبطال أوروبا",
     "تأهل ريال مدريد الإسباني إلى الدور نصف النهائي من بطولة دوري أبطال أوروبا لكرة القدم، بعد "
     "تعادله مع مانشستر سيتي بهدف لمثله في مباراة الإياب، مستفيدا من فوزه ذهابا. وأشاد المدرب بأداء "
     "لاعبيه، وقال إن الفريق سيستعد جيدا لمواجهة بايرن ميونخ.", "sport"),
    ("تطبيق جديد يعتمد على الذكاء الاصطناعي لترجمة المحادثات",
     "أطلقت شركة ناشئة تطبيقا جديدا للهواتف الذكية يعتمد على تقنيات الذكاء الاصطناعي لترجمة "
     "المحادثات الصوتية فوريا بين أكثر من أربعين لغة، دون الحاجة إلى اتصال بالإنترنت. ويتيح التطبيق "
     "للمستخدمين حماية بياناتهم، ويتوفر على متجري آبل وغوغل.", "technology"),
]

ANT = Path(__file__).resolve().parents[3] / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"


@pytest.fixture(scope="module")
def classifier() -> TopicClassifier:
    return TopicClassifier()


@pytest.mark.parametrize("title, text, expected", STORIES, ids=[s[2] + str(i) for i, s in enumerate(STORIES)])
def test_committed_model_on_written_stories(classifier: TopicClassifier, title: str, text: str,
                                            expected: str) -> None:
    label, score = classifier.predict(title, text)
    assert merged_topic(label) == expected
    assert 0.0 < score <= 1.0


def test_predict_many_equals_predict(classifier: TopicClassifier) -> None:
    items = [(t, x) for t, x, _ in STORIES] + [(None, ""), ("", "نص")]
    many = classifier.predict_many(items)
    for (title, text), (label, score) in zip(items, many):
        one = classifier.predict(title, text)
        assert one[0] == label and one[1] == pytest.approx(score, abs=1e-5)
    assert classifier.predict_many([]) == []


@pytest.mark.parametrize("title, text", [(None, ""), ("", "   "), (None, "123 ..."), ("Breaking", "")])
def test_empty_or_unknown_text_gets_a_label(classifier: TopicClassifier, title: str | None, text: str) -> None:
    label, score = classifier.predict(title, text)
    assert label in LABELS
    assert 0.0 <= score <= 1.0


def test_labels_and_merged_view(classifier: TopicClassifier) -> None:
    assert classifier.labels == LABELS
    assert {merged_topic(x) for x in LABELS} == {"culture", "economy", "sport", "technology", "world"}


def test_classifier_pickles_without_its_model(classifier: TopicClassifier) -> None:
    fresh = TopicClassifier()
    assert fresh._model is None  # nothing loaded in __init__
    classifier.predict(None, "مباراة كرة القدم")
    blob = pickle.dumps(classifier)
    assert len(blob) < 1000  # the loaded arrays are not in it
    clone = pickle.loads(blob)
    assert clone._model is None
    assert clone.predict(*STORIES[0][:2]) == classifier.predict(*STORIES[0][:2])


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError):
        TopicClassifier(model_path=tmp_path / "nope.npz").predict(None, "نص")


def test_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        TopicOptions.from_kwargs({"kernel": "rbf"})
    with pytest.raises(ConfigError):
        TopicOptions(words="roots")


def _written_corpus() -> list[LabelledArticle]:
    """The stories above, each cut into sentences, as a tiny two-publisher training set."""
    out = []
    for n, (title, text, label) in enumerate(STORIES):
        six = {"world": "middleEast" if "غزة" in text else "internationalNews"}.get(label, label)
        for k, sentence in enumerate(text.split("،")):
            out.append(LabelledArticle(title if k == 0 else None, sentence, "ab"[(n + k) % 2], six))
    return out


@pytest.mark.parametrize("model", ["svc", "lr", "cnb"])
def test_numpy_inference_equals_sklearn(model: str, tmp_path: Path) -> None:
    corpus = _written_corpus()
    opts = TopicOptions(model=model, min_df=1, max_features=40, source_aware=model == "svc")
    fitted = fit_model(corpus, opts)
    assert fitted.coef.shape[1] == 40  # pruned, then refitted on the kept features
    exported = fitted.export(opts)
    exported.save(tmp_path / "topic.npz")
    loaded = TopicClassifier(model_path=tmp_path / "topic.npz")
    docs = _docs(corpus, opts)
    reference = fitted.margins(docs)
    ours = _sparse_dot([loaded.model.features_of(d) for d in docs], loaded.model.weights) + loaded.model.intercepts
    np.testing.assert_allclose(ours, reference, atol=0.02)  # float16 weights
    assert [loaded.model.classes[k] for k in ours.argmax(axis=1)] == [fitted.classes[k] for k in reference.argmax(axis=1)]
    assert [p[0] for p in loaded.predict_many([(a.title, a.text) for a in corpus])] == \
        [fitted.classes[k] for k in reference.argmax(axis=1)]


def test_numpy_inference_equals_sklearn_on_ant(shared_data: Path) -> None:
    """On real articles: 3,000 to train, the next 2,000 to compare the two inference paths."""
    articles = read_articles(shared_data / "ant_multisource" / "articles.jsonl.gz")[::6][:5000]
    opts = TopicOptions(max_features=20_000)
    fitted = fit_model(articles[:3000], opts)
    model = fitted.export(opts)
    docs = _docs(articles[3000:], opts)
    reference = fitted.margins(docs).argmax(axis=1)
    ours = (_sparse_dot([model.features_of(d) for d in docs], model.weights) + model.intercepts).argmax(axis=1)
    assert (ours == reference).mean() >= 0.998  # float16 weights may flip a near tie


def test_held_out_publisher_accuracy_floor(shared_data: Path) -> None:
    """Trains the shipped configuration on four publishers and tests on BBC, the fifth.

    The committed model was trained on every publisher, so it cannot be tested honestly on any of
    them; this trains a fresh one (about 40 s on an idle core). BBC is the held-out source whose merged accuracy
    is the lowest but France 24's, whose ceiling is capped by texts filed under two sections.
    Floors are the measured scores minus 0.01 (docs: models/topic/CARD.md).
    """
    from marsad.nlp.topic_eval import score_predictions, text_groups

    articles = read_articles(shared_data / "ant_multisource" / "articles.jsonl.gz")
    train = [a for a in articles if a.source != "BBC"]
    test = [a for a in articles if a.source == "BBC"]
    opts = TopicOptions(calibrate=False)
    model = fit_model(train, opts).export(opts)
    docs = _docs(test, opts)
    margins = _sparse_dot([model.features_of(d) for d in docs], model.weights) + model.intercepts
    predicted = [model.classes[k] for k in margins.argmax(axis=1)]
    score = score_predictions("BBC", test, text_groups(test), predicted)
    assert score.merged >= BBC_MERGED_FLOOR
    assert score.six >= BBC_SIX_FLOOR


BBC_MERGED_FLOOR = 0.86
BBC_SIX_FLOOR = 0.76
