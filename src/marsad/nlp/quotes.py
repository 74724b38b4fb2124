"""Quotations in Arabic news: direct (between quote marks) and reported (after a reporting verb).

What counts, and why:

* **Direct**: text between «», “” (either way round: Arabic pages mix their direction), „“, "" or
  ''. Symmetric marks pair within a line; a quotation runs on past a newline only when that line
  and the next each hold an odd number of marks (the quote opened on one and closed on the other),
  so one stray mark never swallows the rest of the article. A quotation inside another is part of
  it, not a second quote; marks that cross are left alone.
* **Names are not quotes**: news sets film, book, campaign and company names in quote marks too
  (مسلسل «الهيبة»، تطبيق "تيك توك"). A quoted span of at most five words is taken as a quotation
  only when speech is signalled around it: a reporting verb earlier in the sentence or right after
  the closing mark, or a colon or إن/أن just before it; and never when a naming noun (فيلم، كتاب،
  حملة، ...) sits right before it.
* **Reported**: a reporting verb (قال، أكد، أضاف، أوضح، صرح، أشار، ذكر، اعتبر، شدد، نفى، أعلن، ... in
  past, present and participle forms, with و/ف attached) followed within a few words by إن/أن (with
  a pronoun: إنه، أنها، بأن) or a colon: the quotation is the clause after it, to the sentence end.
  ``بحسب`` / ``وفقا لـ`` at the start of a sentence attributes what follows the comma.
* **Speaker**: the words between the verb and إن/أن (قال وزير الخارجية ناصر بوريطة إن), cut before
  the setting (في بيان، خلال مؤتمر، لوكالة، a weekday); else the noun phrase before the verb
  (الوزير، في تصريح، قال); for a direct quote without a verb, the verb after it, a speaker already
  named in the sentence, a tagged person or organisation before it, or the sentence's opening noun
  phrase when إن/أن or a colon introduces the quote. A verb with no named subject (وقال: ، مضيفا أن)
  speaks for the most recent speaker whose verb agrees in gender; with none, the speaker is None.
* Quotations never overlap: a reported clause that is mostly one direct quote gives way to it, and
  short direct fragments inside a reported clause are left to the clause.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from marsad.article import Entity, Quote
from marsad.nlp.summary import split_sentences
from marsad.text.arabic import normalize
from marsad.text.quality import arabic_stop_words

__all__ = ["find_quotes"]

# Words, and the punctuation that matters here (clause and sentence marks, quote marks, brackets).
_TOKEN_RE = re.compile(r"[\w\u0640\u064B-\u065F\u0670]+|[:،,()\-–—؛\"«»“”„'.؟?!]")
_MARK_RE = re.compile(r"''|[«»“”„\"]")

# Reporting verbs, as written; normalised at import. Gender: "f" feminine, "m" masculine, "" plural.
_VERB_FORMS = {
    "قال": "قال قالت قالوا قالا يقول تقول يقولون قائلا قائلة",
    "أكد": "أكد أكدت أكدوا يؤكد تؤكد يؤكدون مؤكدا مؤكدة مؤكدين",
    "أضاف": "أضاف أضافت أضافوا يضيف تضيف يضيفون مضيفا مضيفة مضيفين",
    "أوضح": "أوضح أوضحت أوضحوا يوضح توضح موضحا موضحة",
    "صرح": "صرح صرحت صرحوا يصرح تصرح مصرحا مصرحة",
    "أشار": "أشار أشارت أشاروا يشير تشير مشيرا مشيرة",
    "ذكر": "ذكر ذكرت ذكروا",  # يذكر أن is mostly the passive "it is recalled that"
    "اعتبر": "اعتبر اعتبرت اعتبروا يعتبر تعتبر معتبرا معتبرة",
    "شدد": "شدد شددت شددوا يشدد تشدد مشددا مشددة",
    "نفى": "نفى نفت نفوا ينفي تنفي نافيا نافية",
    "أعلن": "أعلن أعلنت أعلنوا يعلن تعلن معلنا معلنة",
    "أفاد": "أفاد أفادت أفادوا يفيد تفيد",
    "تابع": "تابع تابعت",
    "أردف": "أردف أردفت",
    "كشف": "كشف كشفت يكشف تكشف كاشفا كاشفة",
    "لفت": "لفت لفتت لافتا لافتة",
    "رأى": "رأى رأت يرى ترى",
    "حذر": "حذر حذرت يحذر تحذر محذرا محذرة",
    "زعم": "زعم زعمت يزعم تزعم",
    "اعترف": "اعترف اعترفت",
}


def _gender(form: str) -> str:
    if form.endswith(("وا", "ون", "ين", "ا")) and not form.endswith(("قائلا", "ضيفا", "كدا", "وضحا", "صرحا",
                                                                      "شيرا", "تبرا", "شددا", "نافيا", "علنا",
                                                                      "اشفا", "لافتا", "حذرا")):
        return ""
    if form.endswith(("ت", "ة")) or (form.startswith("ت") and form not in ("تابع", "تابعت")):
        return "f"
    return "m"


_VERBS: dict[str, tuple[str, str]] = {}
for _forms in _VERB_FORMS.values():
    for _form in _forms.split():
        _VERBS[normalize(_form)] = (_form, "f" if _form == "تابعت" else _gender(normalize(_form)))
# Participles (مضيفا، مؤكدة) never have their own subject: the main clause's speaker said it.
_PARTICIPLES = frozenset(normalize(f) for forms in _VERB_FORMS.values() for f in forms.split()
                         if f.startswith(("م", "قائل", "ناف", "كاشف", "لافت")) and f not in ("معلنا",))
_PREPOSITIONS = frozenset({"الي", "علي", "من", "في"})
_PRONOUN_SUFFIXES = frozenset({"", "ه", "ها", "هم", "هما", "هن", "نا", "ني", "ك", "كم"})
# Words that end a speaker span: the setting, time and medium of the statement.
_CUT_WORDS = frozenset(normalize(w) for w in (
    "خلال أمام عبر عقب بعد قبل أثناء لدى يوم اليوم أمس غدا مساء صباح مساءا ظهر الليلة الأسبوع الشهر "
    "السبت الأحد الإثنين الاثنين الثلاثاء الأربعاء الخميس الجمعة لوكالة لصحيفة لقناة لشبكة لموقع لمجلة "
    "لإذاعة لتلفزيون لـ لراديو بالقول قائلا مجددا أيضا رسميا سابقا لاحقا مؤخرا كذلك بدوره بدورها بدورهم حينها حسبما كما وفق وفقا حسب بحسب نقلا إذ حيث"
).split())
# After في or على, these nouns name the setting of a statement (في بيان، على حسابه), not the speaker.
_SETTING_WORDS = ("بيان", "تصريح", "مؤتمر", "حديث", "مقابل", "تغريد", "كلم", "لقاء", "رسال", "اجتماع",
                  "جلس", "ختام", "افتتاح", "حوار", "منشور", "حساب", "صفح", "تدوين", "خطاب", "برنامج",
                  "مداخل", "ندو", "تقرير", "كتاب", "مقال", "اتصال", "زيار", "حفل", "موقع")
# Speakers that are a role inside a body keep their في/على phrase: مسؤول في الوزارة، عضو في المجلس.
_ROLE_WORDS = frozenset(normalize(w) for w in (
    "مسؤول مسؤولة مسؤولون مصدر مصادر عضو عضوة أعضاء خبير خبيرة خبراء باحث باحثة أستاذ أستاذة مستشار "
    "ضابط موظف محلل محللون قيادي قيادية نائب نائبة ناشط ناشطة مراسل مراسلة متحدث متحدثة".split()))
# Stop words that belong inside a speaker's name or title: المتحدث باسم، أبو، بن، الأمين العام.
_NAME_PARTICLES = frozenset(normalize(w) for w in "باسم أبو ابو بن ابن عام العام الأول الاول الثاني السابق الحالي".split())
# Words before أن that make it a time or manner clause (قبل أن يعلن), not reported speech.
_NOT_SPEECH = frozenset(normalize(w) for w in "قبل بعد دون بدون منذ حتى لولا لو كما".split())
_PRONOUN_PHRASES = frozenset(normalize(w) for w in (
    "بدوره بدورها بدورهم وبدوره وبدورها هو هي هم وهو وهي جانبه جانبها جهته جهتها ناحيته ناحيتها ومن".split()))
_NAMING_NOUNS = frozenset(normalize(w) for w in (
    "فيلم مسلسل برنامج كتاب رواية أغنية ألبوم مسرحية حملة عملية صحيفة جريدة مجلة موقع حركة حزب تطبيق منصة "
    "شركة قناة وكالة هاشتاغ هاشتاج وسم شعار مبادرة مهرجان مؤتمر منتدى معرض مشروع قانون مسابقة جائزة "
    "لقب عنوان مجموعة فريق نادي تنظيم جماعة ائتلاف تحالف اسم سلسلة موسم عرض لعبة مدينة مركز مجلس جمعية "
    "مؤسسة منظمة صفقة خطة عمليه ماركة علامة سيارة هاتف طائرة سفينة برنامجه بعنوان المسمى المسماة يدعى تدعى "
    "تسمى يسمى باسم".split()))
_W_NOUNS = frozenset(normalize(w) for w in "وزير وزراء وفد وسائل ولي والي وكيل وكلاء وزارات فريق".split())
_ATTRIBUTIONS = frozenset(normalize(w) for w in ("بحسب وبحسب حسب وحسب وفقا ووفقا طبقا وطبقا".split()))
# Every word that may open a quotation: reporting verbs with و/ف attached or not, attributions.
_TRIGGERS = frozenset({*_VERBS, *("و" + v for v in _VERBS), *("ف" + v for v in _VERBS), *_ATTRIBUTIONS})
_SHORT = 5  # a quoted span of at most this many words needs a speech cue (see the module notes)
_MAX_SPAN = 3000


def _verb(norm: str) -> tuple[str, str] | None:
    """(verb as listed, gender) of a normalised word that is a reporting verb, و/ف attached or not."""
    hit = _VERBS.get(norm)
    if hit is None and len(norm) > 3 and norm[0] in "وف":
        hit = _VERBS.get(norm[1:])
    return hit


def _is_complementizer(norm: str) -> bool:
    """إن، أن، بأن، فإن, with an attached pronoun (إنه، أنها، بأنهم) or not."""
    if norm[:1] in "بف" and norm[1:3] == "ان":
        norm = norm[1:]
    return norm[:2] == "ان" and norm[2:] in _PRONOUN_SUFFIXES


_NORMS: dict[str, str] = {}


def _norm(word: str) -> str:
    norm = normalize(word) if len(word) > 1 or word.isalnum() else word
    _NORMS[word] = norm = norm or "_"  # a word of marks only (tatweel, harakat) is nothing to match
    return norm


class _Tokens:
    """Words and punctuation of the text with offsets, normalised once, with their sentence."""

    __slots__ = ("starts", "ends", "norms", "bounds", "sentences")

    def __init__(self, text: str) -> None:
        self.sentences = split_sentences(text)
        found = [(m.start(), m.group()) for m in _TOKEN_RE.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [s + len(w) for s, w in found]
        norms = _NORMS
        if len(norms) > 200_000:
            norms.clear()
        self.norms = [norms.get(w) or _norm(w) for _, w in found]
        self.bounds = [b for _, b in self.sentences]

    def sent(self, index: int) -> int:
        """The sentence of token ``index`` (the one whose end is past its start)."""
        k = bisect.bisect_right(self.bounds, self.starts[index])
        return min(k, len(self.bounds) - 1)

    def at(self, offset: int) -> int:
        """Index of the first token starting at or after ``offset``."""
        return bisect.bisect_left(self.starts, offset)

    def sentence_end(self, index: int) -> int:
        return self.sentences[self.sent(index)][1] if self.sentences else 0


def _pair_marks(text: str) -> list[tuple[int, int, int]]:
    """(open offset, close offset, mark length) of every quote-mark pair (see the module notes)."""
    pairs: list[tuple[int, int, int]] = []
    guillemets: list[int] = []
    lines: dict[str, list[list[int]]] = {"\"": [], "“": [], "''": []}
    line_no = 0
    last = 0
    for m in _MARK_RE.finditer(text):
        mark = m.group()
        line_no += text.count("\n", last, m.start())
        last = m.start()
        if mark == "«":
            guillemets.append(m.start())
        elif mark == "»":
            if guillemets:
                start = guillemets.pop()
                if m.start() - start <= _MAX_SPAN:
                    pairs.append((start, m.start(), 1))
            continue
        else:
            kind = "“" if mark in "“”„" else mark
            rows = lines[kind]
            while len(rows) <= line_no:
                rows.append([])
            rows[line_no].append(m.start())
    for rows in lines.values():
        carry: int | None = None
        for row in rows:
            marks = list(row)
            if carry is not None:
                if len(marks) % 2 == 1:
                    marks.insert(0, carry)  # the quote opened on the line above closes here
                carry = None
            if len(marks) % 2 == 1:
                carry = marks.pop()
            for a, b in zip(marks[::2], marks[1::2], strict=True):
                if b - a <= _MAX_SPAN:
                    pairs.append((a, b, 2 if text.startswith("''", a) else 1))
    return pairs


def _direct_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(open mark, text start, text end, close mark end) of each outermost quotation with words."""
    out: list[tuple[int, int, int, int]] = []
    for a, b, width in sorted(_pair_marks(text), key=lambda p: (p[0], -p[1])):
        if out and a < out[-1][3]:
            continue  # nested in (or crossing) the previous quotation
        start, end = a + width, b
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end and any(c.isalpha() for c in text[start:end]):
            out.append((a, start, end, b + width))
    return out


def _speaker_segments(text: str, toks: _Tokens, first: int, last: int) -> list[tuple[int, int]]:
    """Spans of the speaker words among tokens ``first``..``last``-1, split at commas and brackets,
    each cut before the setting of the statement; time, setting and pronoun segments are dropped."""
    segments: list[tuple[int, int]] = []
    seg_start: int | None = None
    seg_end = 0
    cut = False

    def close() -> None:
        if seg_start is not None:
            segments.append((seg_start, seg_end))

    i = first
    while i < last:
        norm = toks.norms[i]
        if not norm[:1].isalnum():
            if norm in "،,()-–—:؛":
                close()
                seg_start, cut = None, False
            i += 1
            continue
        if cut:
            i += 1
            continue
        nxt = toks.norms[i + 1] if i + 1 < last else ""
        prev = toks.norms[i - 1] if i > first else ""
        is_cut = (norm in _CUT_WORDS or norm.isdigit() or norm in _PRONOUN_PHRASES
                  or (norm in _stops() and norm not in _NAME_PARTICLES
                      and not (norm in ("في", "علي") and prev in _ROLE_WORDS))
                  or _is_complementizer(norm)
                  or (norm in ("في", "علي", "عن") and (prev not in _ROLE_WORDS or nxt.startswith(_SETTING_WORDS)
                                                       or nxt[2:].startswith(_SETTING_WORDS)))
                  or norm.startswith("لل")
                  or (norm.startswith("ل") and norm[1:].startswith(("صحيف", "قنا", "وكال", "موقع"))))
        if is_cut:
            close()
            seg_start, cut = None, True
        else:
            if seg_start is None:
                seg_start = toks.starts[i]
            seg_end = toks.ends[i]
        i += 1
    close()
    return [s for s in segments if len(text[s[0]:s[1]].split()) <= 8]


def _speaker(text: str, segments: list[tuple[int, int]], entities: Sequence[Entity]) -> tuple[str, Entity | None] | None:
    """The speaker named in ``segments`` (at most the last two: a role and a name in apposition)."""
    segments = segments[-2:]
    if not segments:
        return None
    lo, hi = segments[0][0], segments[-1][1]
    found = [e for e in entities if e.start < hi and e.end > lo and e.label in ("PER", "ORG")]
    if not found:
        found = [e for e in entities if e.start < hi and e.end > lo]
    if found:
        person = [e for e in found if e.label == "PER"]
        entity = (person or found)[-1]
        return entity.canonical, entity
    return " ".join(text[a:b] for a, b in segments), None


def find_quotes(text: str, entities: Sequence[Entity] = ()) -> list[Quote]:
    """Direct and reported quotations in ``text``, in text order, with speaker and offsets.

    ``entities`` (over the same text) let speakers link to tagged names. Offsets round-trip:
    ``text[q.start:q.end] == q.text`` for every quotation.
    """
    if not text:
        return []
    entities = sorted(entities, key=lambda e: e.start)
    toks = _Tokens(text)
    n = len(toks.norms)
    directs = _direct_spans(text)
    direct_at = {toks.at(a): k for k, (a, _, _, _) in enumerate(directs)}
    # per direct quote: speaker, entity, verb, cue (speech signalled), gender
    info: list[dict[str, object]] = [{} for _ in directs]
    reported: list[tuple[int, int, str | None, Entity | None, str]] = []

    inside = [False] * n
    for span in directs:
        for k in range(toks.at(span[1]), toks.at(span[2])):
            inside[k] = True  # a verb inside a quotation is the speaker's own word
    triggers = [k for k, t in enumerate(toks.norms) if t in _TRIGGERS]
    i = 0
    for t_index in triggers:
        if t_index < i:
            continue
        i = t_index
        if inside[i]:
            continue
        hit = _verb(toks.norms[i])
        attribution = toks.norms[i] in _ATTRIBUTIONS and (i == 0 or toks.sent(i - 1) != toks.sent(i))
        if hit is None and not attribution:
            i += 1
            continue
        verb_form = text[toks.starts[i]:toks.ends[i]]
        gender = hit[1] if hit else ""
        sentence = toks.sent(i)
        j = i + 1
        intro = -1  # index of the token that introduces the quotation
        kind = ""
        while j < n and j <= i + 14 and toks.sent(j) == sentence:
            norm = toks.norms[j]
            if j in direct_at:
                intro, kind = j, "mark"
                break
            if norm == ":":
                intro, kind = j, "colon"
                break
            if norm[:1].isalnum() and _is_complementizer(norm):
                if toks.norms[j - 1] not in _NOT_SPEECH:
                    intro, kind = j, "that"
                break
            if attribution and norm in "،,":
                intro, kind = j, "comma"
                break
            if _verb(norm) is not None and j > i + 1:
                break
            j += 1
        if intro < 0:
            continue
        between = sum(1 for t in toks.norms[i + 1:intro] if t[:1].isalnum())
        if between > 10 or (kind == "mark" and between > 5):
            i += 1
            continue
        first_speaker = i + 1
        last_speaker = intro
        if kind == "that" and intro - 1 > i and toks.norms[intro - 1] in _PREPOSITIONS:
            last_speaker = intro - 1  # أشار إلى أن، شدد على أن، حذر من أن
        segments = _speaker_segments(text, toks, first_speaker, last_speaker)
        if not segments and hit is not None and toks.norms[i] not in _PARTICIPLES:
            # The subject before the verb: الوزير قال إن، وزير الخارجية، مايك بومبيو، قال إن
            begin = i
            while begin > 0 and toks.sent(begin - 1) == sentence and toks.norms[begin - 1] not in ":؛\"«»“”":
                begin -= 1
            before = _speaker_segments(text, toks, begin, i)
            if before and (begin == i or toks.ends[i - 1] <= before[-1][1] + 2):
                first_word = normalize(text[before[0][0]:before[0][1]].split()[0])
                if not _stop_like(first_word):
                    segments = before
        named = _speaker(text, segments, entities)
        if attribution:
            if between > 4:
                i += 1
                continue
            named = _attributed(text, toks, i + 1, intro, entities)
        verb_name = verb_form
        # where the quoted words start
        q_first = intro + 1
        if kind == "that" and q_first < n and toks.norms[q_first] in ("،", ","):
            q_first += 1
        if kind == "comma" and q_first < n and _is_complementizer(toks.norms[q_first]):
            q_first += 1
        if kind != "mark" and q_first in direct_at and toks.sent(q_first) == sentence:
            # إنه "..." followed by more of the clause: the clause is the quotation, the marks a part
            close = directs[direct_at[q_first]][3]
            rest = text[close:toks.sentence_end(q_first)].strip()
            if kind == "that" and rest[:1].isalpha() and len(rest.split()) >= 3:
                q_first = -1
        if q_first < 0:
            q_first = intro + 1
        elif kind == "mark" or (q_first in direct_at and toks.sent(q_first) == sentence):
            k = direct_at[intro if kind == "mark" else q_first]
            info[k].update(verb=verb_name, cue=True, gender=gender, tok=i)
            if named:
                info[k].update(speaker=named[0], entity=named[1])
            i = intro + 1
            continue
        if q_first >= n or toks.sent(q_first) != sentence:
            i += 1
            continue
        start = toks.starts[q_first]
        end = toks.sentence_end(q_first)
        while end > start and (text[end - 1] in ".؟?!؛…" or text[end - 1].isspace()):
            end -= 1
        if len(text[start:end].split()) >= 3 if kind != "that" else end > start:
            reported.append((start, end, named[0] if named else None, named[1] if named else None,
                             verb_name + "|" + gender))
        i = q_first

    quotes: list[tuple[int, Quote | None, dict[str, object] | tuple[int, int, str | None, Entity | None, str]]] = []
    kept_reported: list[tuple[int, int, str | None, Entity | None, str]] = []
    for r in reported:
        contained = [d for d in directs if d[1] >= r[0] and d[2] <= r[1]]
        covered = sum(d[2] - d[1] for d in contained)
        if contained and covered >= 0.6 * (r[1] - r[0]):
            continue  # mostly one direct quote: the direct quote stands for it
        kept_reported.append(r)
    for k, (a, start, end, b) in enumerate(directs):
        if any(r[0] <= start and end <= r[1] for r in kept_reported):
            continue
        if any(r[0] < end and start < r[1] for r in kept_reported):
            continue
        quotes.append((start, None, info[k] | {"start": start, "end": end, "open": a, "close": b}))
    for r in kept_reported:
        quotes.append((r[0], None, r))
    quotes.sort(key=lambda q: q[0])

    out: list[Quote] = []
    # recent speakers for pronoun subjects: (speaker, entity, gender)
    recent: list[tuple[str, Entity | None, str]] = []
    for _, _, item in quotes:
        if isinstance(item, tuple):
            start, end, speaker, entity, verb_gender = item
            verb, gender = verb_gender.split("|")
            kind = "reported"
        else:
            start, end = int(item["start"]), int(item["end"])  # type: ignore[call-overload]
            speaker = item.get("speaker")  # type: ignore[assignment]
            entity = item.get("entity")  # type: ignore[assignment]
            verb = item.get("verb")  # type: ignore[assignment]
            gender = str(item.get("gender", ""))
            kind = "direct"
            if not _direct_ok(text, toks, item, directs):
                continue
            if speaker is None and verb is None:
                found = _speaker_near(text, toks, item, entities, out)
                if found:
                    speaker, entity = found
        if speaker is None and verb is not None:
            for name, ent, g in reversed(recent):
                if not gender or not g or g == gender:
                    speaker, entity = name, ent
                    break
        if speaker is not None:
            recent.append((speaker, entity, gender if verb is not None else ""))
        out.append(Quote(text=text[start:end], start=start, end=end, kind=kind, speaker=speaker,
                         speaker_entity=entity, verb=verb or None))
    return out


def _attributed(text: str, toks: _Tokens, first: int, last: int,
                entities: Sequence[Entity]) -> tuple[str, Entity | None] | None:
    """The source after بحسب / وفقا لـ, its preposition taken off: وفقا للوكالة → الوكالة."""
    words = [text[toks.starts[k]:toks.ends[k]] for k in range(first, last) if toks.norms[k][:1].isalnum()]
    if not words:
        return None
    lo, hi = toks.starts[first], toks.ends[last - 1]
    found = [e for e in entities if e.start < hi and e.end > lo]
    if found:
        return found[-1].canonical, found[-1]
    head = words[0]
    if head.startswith("لل") and len(head) > 3:
        head = "ال" + head[2:]
    elif head.startswith("ل") and len(head) > 2:
        head = head[1:].lstrip("ـ")
    return " ".join([head, *words[1:]]), None


def _stops() -> frozenset[str]:
    return arabic_stop_words()


def _stop_like(word: str) -> bool:
    """True for a word that cannot open a subject noun phrase (particles, prepositions, verbs of
    the clause before): the "subject" before the verb is then not a subject at all."""
    bare = word[1:] if len(word) > 3 and word[0] in "وف" else word
    return word in _stops() or bare in _stops() or _verb(word) is not None


def _direct_ok(text: str, toks: _Tokens, item: dict[str, object], directs: list[tuple[int, int, int, int]]) -> bool:
    """Whether a direct span is a quotation rather than the name of something (module notes)."""
    start, end = int(item["start"]), int(item["end"])  # type: ignore[call-overload]
    opening = int(item["open"])  # type: ignore[call-overload]
    first = toks.at(opening)
    before = toks.norms[first - 1] if first > 0 else ""
    words = len(text[start:end].split())
    bare = before[1:] if len(before) > 3 and before[0] in "وفبل" else before
    if words <= 6 and (before in _NAMING_NOUNS or bare in _NAMING_NOUNS
                       or bare.removeprefix("ال") in _NAMING_NOUNS):
        return False
    if words == 1 and before != ":":
        return False  # one word in quote marks is a scare quote or a name
    if words > _SHORT or item.get("cue"):
        return True
    if before in (":", "،") and first > 1 and _verb(toks.norms[first - 2]) is not None:
        return True
    if before == ":" or (before[:1].isalnum() and _is_complementizer(before)):
        return True
    # a reporting verb earlier in the sentence, or right after the closing mark
    sentence = toks.sent(first) if first < len(toks.norms) else -1
    j = first - 1
    while j >= 0 and j >= first - 10 and toks.sent(j) == sentence:
        if _verb(toks.norms[j]) is not None:
            return True
        j -= 1
    after = toks.at(int(item["close"]) + 1)  # type: ignore[call-overload]
    while after < len(toks.norms) and toks.norms[after] in "،,":
        after += 1
    return after < len(toks.norms) and _verb(toks.norms[after]) is not None


def _speaker_near(text: str, toks: _Tokens, item: dict[str, object], entities: Sequence[Entity],
                  done: list[Quote]) -> tuple[str, Entity | None] | None:
    """A speaker for a direct quote no verb introduced (see the module notes, in that order)."""
    opening, close = int(item["open"]), int(item["close"])  # type: ignore[call-overload]
    first = toks.at(opening)
    if first >= len(toks.norms):
        return None
    sentence = toks.sent(first)
    s_start = toks.sentences[sentence][0]
    # 1. a reporting verb right after the quote: «...»، قال فلان / يقول فلان
    after = toks.at(close + 1)
    while after < len(toks.norms) and toks.norms[after] in "،,":
        after += 1
    if after < len(toks.norms) and toks.sent(after) == sentence and _verb(toks.norms[after]) is not None:
        last = after + 1
        while last < len(toks.norms) and toks.sent(last) == sentence and toks.norms[last] not in ":\"«»“”.":
            last += 1
        segments = _speaker_segments(text, toks, after + 1, last)
        named = _speaker(text, segments[:1], entities)
        if named:
            return named
    # 2. a speaker already quoted earlier in this sentence
    for q in reversed(done):
        if q.start >= s_start and q.speaker:
            return q.speaker, q.speaker_entity
        if q.start < s_start:
            break
    # 3. a tagged person or organisation before the quote in this sentence
    for e in reversed(entities):
        if s_start <= e.start and e.end <= opening and e.label in ("PER", "ORG"):
            return e.canonical, e
    # 4. the sentence's opening noun phrase, when إن/أن or a colon introduces the quote
    before = toks.norms[first - 1] if first > 0 else ""
    if before == ":" or (before[:1].isalnum() and _is_complementizer(before)):
        head = toks.at(s_start)
        end = head
        while end < first and toks.norms[end][:1].isalnum():
            end += 1
        if 0 < end - head <= 5 and end < first and toks.norms[end] in "،,":
            opener = toks.norms[head]
            # وأثار رونالدو opens with a verb, not a subject; وزارة، والوزير، وزير do not
            verb_like = (opener[:1] in "وف" and opener[1:3] != "ال" and not opener.endswith("ة")
                         and opener not in _W_NOUNS)
            if not verb_like and not _stop_like(opener) and not any(t.isdigit() for t in toks.norms[head:end]):
                return _speaker(text, [(toks.starts[head], toks.ends[end - 1])], entities)
    return None
