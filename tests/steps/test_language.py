import pickle

import pytest

from marsad.article import Article
from marsad.steps.language import LanguageDetector, detect_language

# (gold, text): news-style paragraphs written for these tests. Gold None: too little to go on.
CASES = [
    # Modern Standard Arabic
    ("ar", ("أعلن البنك المركزي اليوم الخميس رفع سعر الفائدة الرئيسي بمقدار نصف نقطة مئوية، في محاولة لكبح "
     "التضخم الذي بلغ أعلى مستوياته منذ عقد. وقال محافظ البنك إن القرار جاء بعد دراسة معمقة للمؤشرات.")),
    ("ar", ("لقي خمسة أشخاص حتفهم وأصيب العشرات إثر انهيار مبنى سكني قديم في وسط المدينة فجر اليوم. "
     "وهرعت فرق الدفاع المدني إلى المكان لانتشال العالقين تحت الأنقاض.")),
    ("ar", ("تنطلق غدا الجولة الثانية من الانتخابات البلدية وسط إجراءات أمنية مشددة، ودعت الهيئة العليا "
     "للانتخابات الناخبين إلى الإقبال بكثافة على مكاتب الاقتراع.")),
    ("ar", ("توج فريق الوداد الرياضي بلقب الدوري للمرة الثالثة على التوالي بعد فوزه على الرجاء في مباراة "
     "مثيرة. واحتفلت الجماهير في شوارع الدار البيضاء حتى ساعات الصباح الأولى.")),
    # Egyptian, Moroccan and Gulf flavoured Arabic
    ("ar", ("الناس في الشارع بتقول إن الأسعار مش معقولة خالص، وكل يوم فيه زيادة جديدة في العيش والزيت. "
     "الست أم أحمد قالت إنها مابقتش عارفة تجيب أكل للعيال.")),
    ("ar", ("قال واحد من السكان: الطريق مهرسة من شحال هادي والمسؤولين ما دارو والو، واحنا كنعانيو كل نهار "
     "مع الغبرة والحفر. وطالبت الساكنة بتدخل عاجل من طرف العمالة.")),
    ("ar", ("وقال أحد المواطنين إن الزحمة في الشارع صارت وايد، ويبي الحكومة تفتح طرق جديدة قبل بداية "
     "الدراسة. وأضاف أن المشوار اللي كان ياخذ عشر دقايق صار ياخذ ساعة.")),
    # Arabic with Persian names, some in Persian letters (چ ک)
    ("ar", ("التقى وزير الخارجية العراقي في بغداد نظيره الإيراني عباس عراقچي، وبحث الطرفان ملف المياه "
     "والحدود. كما زار الوفد مدينتي کربلاء والنجف قبل أن يعود إلى طهران.")),
    ("ar", ("قال المرشد الإيراني علي خامنئي في خطاب أمام حشد في مشهد إن بلاده لن تتراجع عن برنامجها "
     "النووي، بينما حذر الرئيس مسعود بزشكيان من تداعيات العقوبات على الاقتصاد.")),
    # Arabic typed on a Persian keyboard (ی ک for ي ك ى), as some Iranian Arabic-language sites do
    ("ar", ("قالت وزارة الخارجیة فی بیان لها إن الوزیر سیتوجه إلی الدوحة غدا للمشارکة فی الاجتماع "
     "الوزاری، مؤکدة أهمیة التنسیق بین الدول العربیة.")),
    # Persian
    ("fa", ("شورای شهر تهران با افزایش نرخ کرایه تاکسی و اتوبوس از ابتدای سال آینده موافقت کرد. به گفته "
     "رئیس کمیسیون عمران، این افزایش حدود بیست درصد خواهد بود.")),
    ("fa", ("تیم ملی والیبال در نخستین دیدار خود در لیگ ملت‌ها موفق شد ژاپن را با نتیجه سه بر یک شکست "
     "دهد. سرمربی تیم پس از بازی گفت بازیکنان عملکرد خوبی داشتند.")),
    ("fa", ("هواشناسی پیش‌بینی کرده است که دمای هوا در بیشتر نقاط کشور طی روزهای آینده کاهش پیدا کند و "
     "در ارتفاعات بارش برف رخ دهد.")),
    # Persian typed on an Arabic keyboard (ي ك), as older Persian sites were
    ("fa", ("رئيس سازمان برنامه و بودجه گفت كه اعتبارات عمراني استان‌ها تا پايان ماه پرداخت مي‌شود. وي "
     "افزود اين پرداخت‌ها از محل فروش اوراق انجام خواهد شد.")),
    # Urdu
    ("ur", ("وفاقی حکومت نے بجلی کے نرخوں میں اضافے کا فیصلہ واپس لے لیا ہے۔ وزیر توانائی نے پریس کانفرنس "
     "میں بتایا کہ صارفین کو اگلے ماہ کے بلوں میں ریلیف ملے گا۔")),
    ("ur", ("سندھ میں شدید گرمی کی لہر کے باعث درجنوں افراد ہسپتال منتقل کیے گئے۔ محکمہ صحت نے شہریوں کو "
     "دوپہر کے وقت گھروں سے باہر نہ نکلنے کی ہدایت کی ہے۔")),
    ("ur", ("پاکستان اور چین کے درمیان تجارتی معاہدے پر دستخط ہو گئے ہیں جس سے دونوں ممالک کے تعلقات "
     "مزید مضبوط ہوں گے۔")),
    # Pashto
    ("ps", ("د کابل ښاروالۍ ویلي چې د ښار د سړکونو د جوړولو کار به د راتلونکې میاشتې له پیل سره پیل شي. "
     "ښاروال زیاته کړه چې دې پروژې ته اړینه بودیجه برابره شوې ده.")),
    ("ps", "په هلمند ولایت کې د سېلابونو له امله لسګونه کورونه ویجاړ شوي او سلګونه کورنۍ بې کوره شوې دي."),
    ("ps", ("د پاکستان او افغانستان ترمنځ سوداګریزه غونډه په پېښور کې جوړه شوه چې پکې د دواړو هېوادونو "
     "سوداګرو ګډون کړی و.")),
    # Sorani Kurdish
    ("ku", ("حکومەتی هەرێمی کوردستان بڕیاریدا مووچەی مانگی ڕابردوو لە سەرەتای هەفتەی داهاتوو دابەش بکات. "
     "وتەبێژی حکومەت ڕایگەیاند کە پارەکە لە بەغداوە گەیشتووە.")),
    ("ku", ("تیمی نیشتمانیی عێراق بە ئەنجامی دوو بەرامبەر بە سفر بەسەر تیمی ئوردندا سەرکەوت و بۆ قۆناغی "
     "داهاتوو دەرچوو.")),
    ("ku", "لە ئەنجامی ڕووداوێکی هاتوچۆ لە ڕێگای هەولێر - کەرکووک سێ کەس گیانیان لەدەستدا."),
    # Malay in Jawi
    ("ms", ("کراجاءن ملسيا اکن منمبه باءيق ڤرونتوقن اونتوق سکوله لوار بندر دالم بجيت تاهون دڤن، کات "
     "منتري کواڠن.")),
    ("ms", "ريبوان ڤڠونجوڠ منيکماتي ڤرتونجوقن بوڠا اڤي ڤد مالم سمبوتن تاهون بارو د داترن مرديکا."),
    ("ms", "ڤيهق بركواس تله منڠکڤ سئورڠ ڤمندو لوري يڠ مماندو دالم کأداءن مابوق د لبوه راي اوتارا-سلاتن."),
    # English and French
    ("en", ("The government announced on Monday that fuel subsidies would be phased out over the next two "
     "years. Economists warned that the move could push inflation higher in the short term.")),
    ("en", ("Rescue teams were still searching for survivors on Tuesday after a powerful earthquake struck "
     "the mountainous region overnight.")),
    ("fr", ("Le Premier ministre a présenté mercredi son plan de relance, qui prévoit des investissements "
     "massifs dans les infrastructures et l'énergie solaire. L'opposition a dénoncé un programme irréaliste.")),
    ("fr", ("Les agriculteurs de la région s'inquiètent de la sécheresse qui frappe le pays depuis trois ans "
     "et réclament une aide d'urgence.")),
    # Mixed pages: the dominant language wins
    ("ar", ('وقال المتحدث باسم البيت الأبيض للصحفيين: "We are closely monitoring the situation"، مشيرا إلى '
     "أن واشنطن على اتصال دائم بحلفائها في المنطقة. وأضاف أن الرئيس سيعقد اجتماعا طارئا لمجلس الأمن القومي.")),
    ("ar", ("أعلنت شركة Microsoft عن شراكة جديدة مع OpenAI لتطوير خدمات الحوسبة السحابية Azure في منطقة "
     "الشرق الأوسط، على أن يفتتح أول مركز بيانات في الرياض العام المقبل.")),
    ("fr", ("À la sortie de la mosquée, un fidèle a résumé l'état d'esprit général : « الحمد لله على كل حال ». "
     "Les habitants du quartier attendent toujours les aides promises par la municipalité après les "
     "inondations de la semaine dernière, et beaucoup dorment encore chez des proches.")),
    ("en", ('The banner read "أهلا وسهلا بكم في الدوحة" as the first delegations arrived at the airport on '
     "Thursday morning for the summit, which is expected to focus on trade and regional security.")),
    # Too little to go on
    (None, "خبر عاجل"),
    (None, "Breaking"),
    (None, ""),
    (None, "٢٠٢٤/٠٥/٠٧ - ١٢:٣٠"),
    # A script no model here reads
    (None, "Правительство объявило о новых мерах поддержки экономики в понедельник."),
]


@pytest.mark.parametrize("gold, text", CASES)
def test_detect_language(gold, text):
    lang, score = detect_language(text)
    assert lang == gold
    if gold is None:
        assert score == 0.0
    else:
        assert 0.5 <= score <= 1.0


def test_the_table_covers_every_language():
    golds = [gold for gold, _ in CASES]
    assert len(CASES) >= 30
    assert {"ar", "fa", "ur", "ps", "ku", "ms", "en", "fr", None} <= set(golds)


def test_score_falls_with_the_share_of_the_other_script():
    pure = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الشركات الصغيرة والمتوسطة في جميع المحافظات."
    mixed = pure + " The plan, called Small Business Forward, was welcomed by investors."
    (lang, pure_score), (mixed_lang, mixed_score) = detect_language(pure), detect_language(mixed)
    assert lang == mixed_lang == "ar"
    assert mixed_score < pure_score - 0.1


def test_reads_only_the_beginning_of_a_long_body():
    body = "أعلنت الحكومة اليوم عن خطة جديدة لدعم الشركات الصغيرة في المحافظات. " * 40
    assert detect_language(body + "The end of the page is in English. " * 200)[0] == "ar"


def test_detector_annotates_an_article_and_counts_languages():
    step = LanguageDetector()
    articles = [
        Article(id="1", raw="", text=CASES[0][1]),
        Article(id="2", raw="", text=CASES[10][1]),
        Article(id="3", raw="", text="خبر"),
    ]
    out = list(step(articles))
    assert [a.lang for a in out] == ["ar", "fa", None]
    assert out[0].lang_score is not None and out[0].lang_score > 0.9
    assert out[2].lang_score == 0.0
    assert step.stats["lang:ar"] == 1
    assert step.stats["lang:fa"] == 1
    assert step.stats["lang:none"] == 1
    assert step.stats["seen"] == 3


def test_plain_arabic_does_not_need_the_model():
    step = LanguageDetector()
    list(step([Article(id=str(i), raw="", text=text) for i, (gold, text) in enumerate(CASES[:4])]))
    assert step.stats["lang:ar"] == 4
    assert step.stats["lingua"] == 0


def test_falls_back_to_the_title_with_a_lower_score():
    step = LanguageDetector()
    title = "الحكومة تعلن خطة جديدة لدعم الشركات الصغيرة والمتوسطة في المحافظات"
    from_title = next(step([Article(id="1", raw="", title=title, text="")]))
    from_body = next(step([Article(id="2", raw="", text=title)]))
    assert from_title.lang == from_body.lang == "ar"
    assert from_title.lang_score is not None and from_body.lang_score is not None
    assert from_title.lang_score == pytest.approx(from_body.lang_score / 2, abs=1e-3)
    assert step.stats["from_title"] == 1


def test_the_body_wins_over_the_title():
    step = LanguageDetector()
    article = Article(id="1", raw="", title="Breaking news from Cairo", text=CASES[0][1])
    assert next(step([article])).lang == "ar"
    assert step.stats["from_title"] == 0


def test_detector_pickles_before_and_after_use():
    step = LanguageDetector()
    copy = pickle.loads(pickle.dumps(step))
    assert next(copy([Article(id="1", raw="", text=CASES[26][1])])).lang == "en"  # lingua now loaded
    again = pickle.loads(pickle.dumps(copy))
    assert again.stats["lang:en"] == 1
    assert next(again([Article(id="2", raw="", text=CASES[28][1])])).lang == "fr"


def test_detector_names_the_install_line_when_lingua_is_missing(monkeypatch):
    import importlib.util

    from marsad.errors import ConfigError

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "lingua" else real(name, *a))
    with pytest.raises(ConfigError, match="pip install lingua-language-detector"):
        LanguageDetector()
