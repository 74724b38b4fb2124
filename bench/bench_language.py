"""Benchmark: marsad's language detector against lingua alone (same languages), in one run.

    python bench/bench_language.py            # accuracy tables and speed
    python bench/bench_language.py --load     # also lingua's load time and memory per build option
    python bench/bench_language.py -v         # also list every miss

The labelled set is written for this project (bench/lang_set/): one-sentence-a-line pools for ar,
fa, ur, ps, ku, ms (Jawi), en and fr, recombined into paragraphs of one to four sentences with a
fixed seed, plus hand-written mixed pages (mixed.tsv) whose gold is the dominant language. When
../shared/data/ant_multisource/articles.jsonl.gz exists, 2,000 of its bodies (real Arabic news,
sampled evenly over the file) are added as Arabic.

Peers: lingua built for the ten languages marsad's detector uses (ar fa ur en fr ms id tr es de),
in high- and low-accuracy mode, reading the same 2,000-character sample of each text. lingua has
no Pashto, Kurdish or Jawi model, so those rows show what a lingua-only pipeline would call them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.article import Article  # noqa: E402
from marsad.steps import language  # noqa: E402
from marsad.steps.language import LINGUA_LANGUAGES, SAMPLE_CHARS, detect_language  # noqa: E402

SET = ROOT / "bench" / "lang_set"
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
POOLS = ("ar", "fa", "ur", "ps", "ku", "ms", "en", "fr")
#: paragraphs per pool language: every sentence alone, then recombinations up to this many
PER_LANGUAGE = {"ar": 60, "fa": 60, "ur": 60, "ps": 24, "ku": 24, "ms": 24, "en": 24, "fr": 24}
ANT_ITEMS = 2000
SEED = 20240507
REPEATS = 3

Item = tuple[str, str, str]  # (category, gold, text)
Detector = Callable[[str], str]  # a language code, or "none"


def read_pool(lang: str) -> list[str]:
    lines = (SET / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_set(*, ant: bool = True) -> list[Item]:
    rng = random.Random(SEED)
    items: list[Item] = []
    for lang in POOLS:
        pool = read_pool(lang)
        paragraphs = list(pool)
        while len(paragraphs) < PER_LANGUAGE[lang]:
            paragraphs.append(" ".join(rng.sample(pool, rng.randint(2, 4))))
        category = f"{lang}-jawi" if lang == "ms" else lang
        items += [(category, lang, text) for text in paragraphs]
    # The same sentences typed on the other keyboard: Arabic with Persian ی ک (some Iranian and
    # Iraqi sites), Persian with Arabic ي ك (older Persian sites).
    ar_on_fa = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
    fa_on_ar = str.maketrans({"ی": "ي", "ک": "ك"})
    items += [("ar-on-fa-keys", "ar", text.translate(ar_on_fa)) for text in read_pool("ar")]
    items += [("fa-on-ar-keys", "fa", text.translate(fa_on_ar)) for text in read_pool("fa")]
    # Headline-length snippets: the first eight words of every sentence.
    for lang in POOLS:
        items += [("8-words", lang, " ".join(text.split()[:8])) for text in read_pool(lang)]
    for line in (SET / "mixed.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            gold, text = line.split("\t", 1)
            items.append(("too-short" if gold == "none" else "mixed", gold, text))
    if ant and ANT.is_file():
        items += [("ant", "ar", text) for text in ant_bodies(ANT_ITEMS)]
    return items


def ant_bodies(n: int) -> list[str]:
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        bodies = [text for line in f if (text := json.loads(line).get("text") or "").strip()]
    step = max(1, len(bodies) // n)
    return bodies[::step][:n]


def lingua_detector(*, low_accuracy: bool) -> Detector:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(IsoCode639_1.from_str(code)) for code in LINGUA_LANGUAGES]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    if low_accuracy:
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text[:SAMPLE_CHARS])
        return found.iso_code_639_1.name.lower() if found is not None else "none"

    return detect


def marsad_detector(text: str) -> str:
    return detect_language(text)[0] or "none"


def rate(detect: Detector, texts: list[str]) -> float:
    """Texts per second, best of :data:`REPEATS` runs, every model loaded beforehand."""
    for text in _PROBES:
        detect(text)
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for text in texts:
            detect(text)
        best = min(best, time.perf_counter() - start)
    return len(texts) / best


def arabic_precision_recall(items: list[Item], predicted: list[str]) -> tuple[float, float]:
    tp = sum(gold == "ar" and p == "ar" for (_, gold, _), p in zip(items, predicted))
    fp = sum(gold != "ar" and p == "ar" for (_, gold, _), p in zip(items, predicted))
    fn = sum(gold == "ar" and p != "ar" for (_, gold, _), p in zip(items, predicted))
    return tp / ((tp + fp) or 1), tp / ((tp + fn) or 1)


def confusion(items: list[Item], predicted: list[str]) -> str:
    counts = Counter((gold, p) for (_, gold, _), p in zip(items, predicted))
    golds = sorted({g for g, _ in counts}, key=lambda g: (g != "ar", g))
    columns = sorted({p for _, p in counts}, key=lambda p: (p != "ar", p == "none", p))
    lines = ["| gold \\ predicted | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for gold in golds:
        lines.append(f"| {gold} | " + " | ".join(str(counts[gold, c] or "") for c in columns) + " |")
    return "\n".join(lines)


def per_category(items: list[Item], results: dict[str, list[str]]) -> str:
    categories = list(dict.fromkeys(category for category, _, _ in items))
    names = list(results)
    lines = ["| set | n | " + " | ".join(names) + " |", "|---|---:|" + "---:|" * len(names)]
    for category in [*categories, "all"]:
        idx = [i for i, (c, _, _) in enumerate(items) if category in (c, "all")]
        cells = [f"{sum(results[n][i] == items[i][1] for i in idx) / len(idx):.2%}" for n in names]
        lines.append(f"| {category} | {len(idx)} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


_LOAD_PROBE = """
import time, sys
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
from lingua import IsoCode639_1, Language, LanguageDetectorBuilder
base = rss()
start = time.perf_counter()
b = LanguageDetectorBuilder.from_languages(*[Language.from_iso_code_639_1(IsoCode639_1.from_str(c)) for c in {codes!r}])
if {low}: b = b.with_low_accuracy_mode()
if {pre}: b = b.with_preloaded_language_models()
d = b.build()
built = time.perf_counter() - start
for text in {probes!r}:
    d.compute_language_confidence_values(text)
total = time.perf_counter() - start
print(f"{{built:.2f}} {{total:.2f}} {{rss() - base:.0f}}")
"""

# One sentence in each of the ten languages, so that a lazily loading detector loads every model.
_PROBES = [
    "أعلنت وزارة الصحة في بيان رسمي عن تسجيل انخفاض ملحوظ في عدد الإصابات خلال الأسبوع الماضي.",
    "وزارت بهداشت در بیانیه‌ای از کاهش چشمگیر شمار مبتلایان در هفته گذشته خبر داد.",
    "محکمہ صحت کے مطابق گزشتہ ہفتے مریضوں کی تعداد میں نمایاں کمی ہوئی ہے۔",
    "The ministry said in a statement that the number of cases fell sharply last week.",
    "Le ministère a indiqué dans un communiqué que le nombre de cas a nettement baissé.",
    "Kementerian berkata jumlah kes menurun dengan ketara pada minggu lalu.",
    "Kementerian mengatakan jumlah kasus turun tajam pada pekan lalu.",
    "Bakanlık yaptığı açıklamada vaka sayısının geçen hafta belirgin şekilde düştüğünü söyledi.",
    "El ministerio informó en un comunicado que el número de casos bajó la semana pasada.",
    "Das Ministerium teilte mit, dass die Zahl der Fälle in der vergangenen Woche deutlich sank.",
]


def lingua_load() -> str:
    """Build time, time to a first answer in Arabic, Persian and Latin, and memory, per option."""
    lines = [
        "| lingua build (10 languages) | build s | build + one answer per language s | RSS added MB |",
        "|---|---:|---:|---:|",
    ]
    for label, low, pre in [
        ("high accuracy, lazy models", False, False),
        ("high accuracy, preloaded", False, True),
        ("low accuracy, lazy models (marsad)", True, False),
        ("low accuracy, preloaded", True, True),
    ]:
        code = _LOAD_PROBE.format(codes=list(LINGUA_LANGUAGES), low=low, pre=pre, probes=_PROBES)
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        lines.append(f"| {label} | {out[0]} | {out[1]} | {out[2]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    parser.add_argument("--load", action="store_true", help="measure lingua's load time and memory")
    parser.add_argument("--no-ant", action="store_true", help="leave out the ANT bodies")
    parser.add_argument("--lingua-high", action="store_true", help="marsad with lingua in high-accuracy mode")
    args = parser.parse_args()
    if args.lingua_high:
        language.LINGUA_LOW_ACCURACY = False
        language._lingua.cache_clear()

    items = build_set(ant=not args.no_ant)
    detectors: dict[str, Detector] = {
        "marsad": marsad_detector,
        "lingua (high accuracy)": lingua_detector(low_accuracy=False),
        "lingua (low accuracy)": lingua_detector(low_accuracy=True),
    }
    results = {name: [detect(text) for _, _, text in items] for name, detect in detectors.items()}

    counts = Counter(category for category, _, _ in items)
    print(f"{len(items)} items: " + ", ".join(f"{c} {n}" for c, n in counts.items()) + "\n")
    print("## Accuracy by set\n")
    print(per_category(items, results) + "\n")
    print("## Arabic precision and recall (all items)\n")
    print("| detector | precision | recall | F1 |\n|---|---:|---:|---:|")
    for name, predicted in results.items():
        p, r = arabic_precision_recall(items, predicted)
        print(f"| {name} | {p:.4f} | {r:.4f} | {2 * p * r / ((p + r) or 1):.4f} |")
    for name, predicted in results.items():
        print(f"\n## Confusion: {name} (rows gold, columns predicted)\n")
        print(confusion(items, predicted))

    print(f"\n## Speed (articles/s, one core, models loaded, best of {REPEATS})\n")
    ant_texts = [text for category, _, text in items if category == "ant"]
    all_texts = [text for _, _, text in items]
    print("| detector | all items | ANT bodies |\n|---|---:|---:|")
    for name, detect in detectors.items():
        ant_rate = f"{rate(detect, ant_texts):,.0f}" if ant_texts else "-"
        print(f"| {name} | {rate(detect, all_texts):,.0f} | {ant_rate} |")
    if ant_texts:
        step = language.LanguageDetector()

        def through_step(text: str) -> str:
            article = next(step([Article(id="a", raw="", text=text)]))
            return article.lang or "none"

        print(f"| marsad LanguageDetector step (Article in and out) | - | {rate(through_step, ant_texts):,.0f} |")
    used = [language._detect(text)[2] for _, _, text in items]
    ant_used = [u for u, (category, _, _) in zip(used, items) if category == "ant"]
    print(f"\nmarsad consulted lingua on {sum(used) / len(used):.1%} of all items", end="")
    print(f" and {sum(ant_used) / len(ant_used):.2%} of the ANT bodies." if ant_used else ".")

    if args.load:
        print("\n## lingua load time and memory (fresh process each)\n")
        print(lingua_load())

    if args.verbose:
        print("\n## Misses\n")
        for name, predicted in results.items():
            for (category, gold, text), p in zip(items, predicted):
                if p != gold and (name == "marsad" or category != "ant"):
                    print(f"{name:24} {category:8} gold={gold} got={p}  {text[:90]!r}")


if __name__ == "__main__":
    main()
