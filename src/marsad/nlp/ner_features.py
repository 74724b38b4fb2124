"""Token features for the NER tagger: word shape, affixes, clitics, word clusters, gazetteers, context.

Every feature of a token that depends on the word alone is computed once per distinct word and
cached (news text repeats its words), including the strings it contributes to its neighbours'
feature lists; a sentence's features are then concatenations of cached lists, which is what makes
the tagger fast in pure Python.

Words are looked up normalised (:func:`marsad.text.arabic.normalize`: hamza forms, alef maqsura,
diacritics, digits): ANERcorp writes ``ألمانيا`` and ``المانيا`` both. A word is also looked up
without its proclitics (``وبالمغرب`` → ``المغرب``), because a name keeps its identity whatever
conjunction or preposition is glued to it, and gazetteers and clusters know the bare form.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from marsad.nlp.tokens import split_clitics
from marsad.text.arabic import normalize

#: Longest gazetteer phrase matched, in words.
MAX_PHRASE = 5


@dataclass(frozen=True, slots=True)
class FeatureSet:
    """Which feature groups are on (the baseline CRF of bench/bench_ner.py has only the first two)."""

    affixes: bool = True
    context: bool = True
    clitics: bool = True
    clusters: bool = True
    gazetteer: bool = True
    bigrams: bool = True
    #: title, role and institution words (الرئيس، شركة، مدينة) as features of the next words
    triggers: bool = False
    #: names lexicons (WikiFANE's names; ANERcorp train's own names) matched longest-first
    names: bool = True
    #: the types of the lexicon names a word is part of (فيلكس in فيلكس مانتيلا: PER)
    name_words: bool = True
    #: 4- and 5-letter endings of the stem: transliterated names end alike (كافلنيكوف، بوتينكوف)
    long_affixes: bool = True


@dataclass(slots=True)
class Lexicon:
    """What the features look words up in: clusters (with corpus counts) and gazetteer entries."""

    #: normalised word -> cluster ids, coarse to fine
    clusters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: normalised word -> count in the unlabelled corpus
    counts: dict[str, int] = field(default_factory=dict)
    #: normalised single word -> gazetteer type(s), e.g. "LOC" or "LOC|PER"
    gazetteer: dict[str, str] = field(default_factory=dict)
    #: normalised phrase of two or more words -> type
    phrases: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: first words of the phrases, to skip positions where none can start
    phrase_starts: frozenset[str] = frozenset()
    #: names lexicons by source ("w" WikiFANE, "t" training data): key words -> type; a key's
    #: first word is without proclitics (:attr:`_Word.bare`), the others normalised
    names: dict[str, dict[tuple[str, ...], str]] = field(default_factory=dict)

    @classmethod
    def load(cls, clusters: Path | None, gazetteer: Path | None, names: Path | None = None) -> Lexicon:
        lex = cls()
        if clusters is not None and clusters.is_file():
            with gzip.open(clusters, "rt", encoding="utf-8") as fh:
                for line in fh:
                    word, count, *ids = line.rstrip("\n").split("\t")
                    lex.clusters[word] = tuple(ids)
                    lex.counts[word] = int(count)
        if gazetteer is not None and gazetteer.is_file():
            with gzip.open(gazetteer, "rt", encoding="utf-8") as fh:
                lex.add_gazetteer(tuple(line.rstrip("\n").split("\t")) for line in fh)  # type: ignore[misc]
        if names is not None and names.is_file():
            with gzip.open(names, "rt", encoding="utf-8") as fh:
                for line in fh:
                    source, label, key = line.rstrip("\n").split("\t")
                    lex.names.setdefault(source, {})[tuple(key.split(" "))] = label
        return lex

    def add_gazetteer(self, entries: Iterable[tuple[str, str]]) -> None:
        """Add (type, name) entries; names are normalised and split into words here."""
        for label, name in entries:
            words = tuple(normalize(name).split())
            if len(words) == 1:
                old = self.gazetteer.get(words[0])
                if old is None:
                    self.gazetteer[words[0]] = label
                elif label not in old.split("|"):
                    self.gazetteer[words[0]] = "|".join(sorted({*old.split("|"), label}))
            elif 1 < len(words) <= MAX_PHRASE:
                self.phrases.setdefault(words, label)
        self.phrase_starts = frozenset(p[0] for p in self.phrases)


@dataclass(slots=True)
class _Word:
    own: list[str]
    # what this word contributes to the features of the token at each relative position
    ctx: dict[int, list[str]]
    norm: str
    bare: str  # normalised, proclitics off, article kept: the key for gazetteer phrases


_NUM = str.maketrans("0123456789", "0000000000")

# Words that announce a name: titles and roles before a person, institution heads before an
# organisation, place nouns before a location. Arabic puts them first (الرئيس باراك أوباما,
# شركة أرامكو, مدينة حلب), so each marks the one or two words after it.
_TRIGGER_WORDS = {
    "PER": "الرئيس الوزير السيد السيدة الشيخ الأمير الملك الملكة المدرب اللاعب الدكتور النائب "
           "السفير الجنرال العقيد اللواء العميد المستشار الأمين المتحدث الناطق الفنان الكاتب "
           "الشاعر المخرج الممثل المطرب الرئيسة الإمام البابا المبعوث القاضي المحامي الزعيم "
           "الدكتورة المهندس الحاج الفريق الرياضي المغني الصحفي الروائي نجم مدرب لاعب رئيس "
           "وزير الأستاذ البروفيسور المرشح",
    "ORG": "شركة وكالة منظمة جامعة حزب حركة بنك مجلس هيئة نادي منتخب مؤسسة جمعية اتحاد "
           "مصرف صندوق معهد مركز جبهة مجموعة صحيفة قناة إذاعة محكمة لجنة البنك المجلس "
           "الاتحاد النادي الحزب الحركة المنظمة الجامعة الشركة الوكالة الهيئة",
    "LOC": "مدينة عاصمة ولاية محافظة إقليم منطقة قرية بلدة جزيرة نهر جبل بحر مقاطعة "
           "العاصمة المدينة الولاية المحافظة الإقليم المنطقة القرية البلدة الجزيرة بحيرة "
           "خليج صحراء شمال جنوب شرق غرب",
}
TRIGGERS: dict[str, str] = {normalize(w): kind for kind, words in _TRIGGER_WORDS.items()
                            for w in words.split()}
_OFFSETS = (-2, -1, 1, 2)
_BOS = {d: [f"w{d}=<s>"] for d in _OFFSETS}


class Featurizer:
    """Turns sentences (lists of token strings) into crfsuite feature lists."""

    def __init__(self, lexicon: Lexicon, features: FeatureSet = FeatureSet(),
                 known: frozenset[str] | None = None) -> None:
        self.lex = lexicon
        self.fs = features
        #: the attributes the model has weights for: the others are dropped here, once per word,
        #: since the CRF would look each one up only to ignore it (L1 keeps about a tenth)
        self.known = known
        self._cache: dict[str, _Word] = {}
        self._name_starts: dict[str, dict[tuple[str, ...], str | None]] = {}
        self._words_of: dict[str, dict[str, str]] = {}
        self._clusters: dict[tuple[str, ...], tuple[list[str], dict[int, list[str]]]] = {}

    def clear(self) -> None:
        self._cache.clear()

    def word(self, token: str) -> _Word:
        w = self._cache.get(token)
        if w is None:
            w = self._cache[token] = self._word(token)
            if self.known is not None:
                k = self.known
                w.own = [f for f in w.own if f in k]
                w.ctx = {d: [f for f in fs if f in k] for d, fs in w.ctx.items()}
            if len(self._cache) > 100_000:  # a bound for endless streams of new words (~1 kB a word)
                self._cache.clear()
        return w

    def _word(self, token: str) -> _Word:
        fs, lex = self.fs, self.lex
        n = normalize(token) or token
        if n[0].isdigit():
            n = n.translate(_NUM)
        own = [f"w={n}"]
        if fs.affixes:
            own += [f"p{k}={n[:k]}" for k in (1, 2, 3) if len(n) > k]
            own += [f"s{k}={n[-k:]}" for k in (1, 2, 3) if len(n) > k]
            own.append(_shape(token))
            own.append(f"len={min(len(n), 8)}")
        bare = n
        stem = n
        if fs.clitics:
            cl = split_clitics(n)
            bare = cl.with_article
            stem = cl.stem
            if cl.offset:
                own += [f"cl={cl.prefix}", f"bare={bare}", f"stem={stem}"]
                own += [f"bs{k}={stem[-k:]}" for k in (2, 3) if len(stem) > k]
                own += [f"bp{k}={stem[:k]}" for k in (2, 3) if len(stem) > k]
            elif cl.article:
                own.append("art")
        if fs.long_affixes:
            own += [f"ls{k}={stem[-k:]}" for k in (4, 5) if len(stem) > k]
            own += [f"lp{k}={stem[:k]}" for k in (4,) if len(stem) > k]
        ctx: dict[int, list[str]] = {}
        if fs.context:
            ctx = {d: [f"w{d}={n}"] for d in _OFFSETS}
            if fs.clitics and bare != n:
                for d in (-1, 1):
                    ctx[d].append(f"b{d}={bare}")
        if fs.clusters and lex.clusters:
            ids = lex.clusters.get(n)
            if ids is None and bare != n:
                ids = lex.clusters.get(bare)
                own.append("cvia=bare")
            # how common the word is in news: names are rare words, function words the most common
            own.append(f"freq={min(lex.counts.get(n, 0).bit_length() // 2, 9)}")
            if ids is None:
                own.append("c=unk")
            else:
                cown, cctx = self._cluster_features(ids)
                own += cown
                for d in _OFFSETS:
                    ctx.setdefault(d, []).extend(cctx[d])
            if bare != n:
                bids = lex.clusters.get(bare)
                if bids is not None:
                    own += [f"bc{i}={c}" for i, c in enumerate(bids)]
        if fs.triggers:
            t = TRIGGERS.get(bare)
            if t is not None:
                own.append(f"trig={t}")
                ctx.setdefault(1, []).append(f"trig-1={t}")
                ctx.setdefault(2, []).append(f"trig-2={t}")
        if fs.names:
            for source, table in lex.names.items():
                t = table.get((bare,))
                if t is not None:
                    own.append(f"n{source}1={t}")
                if fs.name_words:
                    t = self._name_words(source).get(bare)
                    if t is not None:
                        own.append(f"n{source}w={t}")
        if fs.gazetteer and lex.gazetteer:
            g = lex.gazetteer.get(bare) or lex.gazetteer.get(stem) or lex.gazetteer.get(n)
            if g is not None:
                own.append(f"g={g}")
                for d in (-1, 1):
                    ctx.setdefault(d, []).append(f"g{d}={g}")
        return _Word(own, ctx, n, bare)

    def sentence(self, tokens: Sequence[str]) -> list[list[str]]:
        words = [self.word(t) for t in tokens]
        size = len(words)
        out = []
        fs = self.fs
        known = self.known
        for i, w in enumerate(words):
            feats = w.own.copy()
            if fs.context:
                for d in _OFFSETS:
                    j = i + d
                    if 0 <= j < size:
                        feats += words[j].ctx[d]
                    elif j == -1 or j == size:
                        feats += _BOS[d]
            if fs.bigrams:
                prev = words[i - 1].norm if i else "<s>"
                nxt = words[i + 1].norm if i + 1 < size else "</s>"
                before, after = f"bg-={prev}|{w.norm}", f"bg+={w.norm}|{nxt}"
                if known is None or before in known:
                    feats.append(before)
                if known is None or after in known:
                    feats.append(after)
            out.append(feats)
        if fs.gazetteer and self.lex.phrases:
            for i, tag in _phrase_tags([w.bare for w in words], [w.norm for w in words], self.lex):
                out[i].append(tag)
        if fs.names and self.lex.names:
            bare = [w.bare for w in words]
            norm = [w.norm for w in words]
            for source in self.lex.names:
                for i, tag in _longest(bare, norm, self._starts(source)):
                    out[i].append(f"n{source}={tag}")
        return out

    def _cluster_features(self, ids: tuple[str, ...]) -> tuple[list[str], dict[int, list[str]]]:
        # a few thousand distinct id tuples serve 125k words: build their strings once
        got = self._clusters.get(ids)
        if got is None:
            got = self._clusters[ids] = (
                [f"c{i}={c}" for i, c in enumerate(ids)],
                {d: [f"c{i}{d:+d}={c}" for i, c in enumerate(ids) if i] for d in _OFFSETS})
        return got

    def _name_words(self, source: str) -> dict[str, str]:
        got = self._words_of.get(source)
        if got is None:
            types: dict[str, set[str]] = {}
            for key, label in self.lex.names[source].items():
                for word in key:
                    types.setdefault(word, set()).add(label)
            got = self._words_of[source] = {w: "|".join(sorted(t)) for w, t in types.items()}
        return got

    def _starts(self, source: str) -> dict[tuple[str, ...], str | None]:
        got = self._name_starts.get(source)
        if got is None:
            got = self._name_starts[source] = _prefixes(self.lex.names[source])
        return got


def _prefixes(table: dict[tuple[str, ...], str]) -> dict[tuple[str, ...], str | None]:
    """Every prefix of the keys of two words or more, with the type where it is a key itself: a
    match grows one word at a time and stops as soon as no name goes on that way."""
    out: dict[tuple[str, ...], str | None] = {}
    for key in table:
        for k in range(1, len(key)):
            out.setdefault(key[:k], None)
    for key, label in table.items():
        if len(key) > 1:
            out[key] = label
    return out


def _longest(bare: list[str], norm: list[str],
             prefixes: dict[tuple[str, ...], str | None]) -> list[tuple[int, str]]:
    """B-/I- tags of the longest names of two words or more (see :func:`_prefixes`) in a sentence."""
    tags = []
    i = 0
    size = len(bare)
    while i < size:
        key: tuple[str, ...] = (bare[i],)
        if key not in prefixes:
            i += 1
            continue
        found, end = None, i
        j = i + 1
        while j < size:
            key = (*key, norm[j])
            if key not in prefixes:
                break
            j += 1
            label = prefixes[key]
            if label is not None:
                found, end = label, j
        if found is None:
            i += 1
            continue
        tags.append((i, f"B-{found}"))
        tags.extend((x, f"I-{found}") for x in range(i + 1, end))
        i = end
    return tags


def _phrase_tags(bare: list[str], norm: list[str], lex: Lexicon) -> list[tuple[int, str]]:
    """B-/I- tags of the longest gazetteer phrases in the sentence (first word without clitics)."""
    tags = []
    i = 0
    size = len(bare)
    while i < size:
        if bare[i] not in lex.phrase_starts:
            i += 1
            continue
        for k in range(min(MAX_PHRASE, size - i), 1, -1):
            label = lex.phrases.get((bare[i], *norm[i + 1 : i + k]))
            if label is not None:
                tags.append((i, f"pg=B-{label}"))
                tags.extend((j, f"pg=I-{label}") for j in range(i + 1, i + k))
                i += k
                break
        else:
            i += 1
    return tags


def _shape(token: str) -> str:
    ch = token[0]
    if ch.isdigit():
        return "shape=num"
    if "\u0600" <= ch <= "\u06ff":
        return "shape=ar"
    if ch.isalpha():
        return "shape=Latin" if ch.isupper() else "shape=latin"
    return f"shape=punct{token[:1]}"


def stacked(keys: Sequence[Sequence[str]], labels: Sequence[Sequence[str]],
            propagated: Sequence[Sequence[str]]) -> list[list[list[str]]]:
    """Second-stage features of one document from the first stage's labels.

    For each token: its first-stage label and its neighbours' (±2), the label name propagation
    would give it, and what the first stage made of the *other* mentions of the same word (without
    proclitics) in the document: the most frequent entity type, and whether all of them, some or
    none were tagged. A story names a person in full once and by surname later; a sentence alone
    often cannot tell, the document can.
    """
    by_key: dict[str, dict[str, int]] = {}
    for ks, ys in zip(keys, labels):
        for k, y in zip(ks, ys):
            c = by_key.setdefault(k, {})
            kind = y[2:] or "O"
            c[kind] = c.get(kind, 0) + 1
    out = []
    for ks, ys, ps in zip(keys, labels, propagated):
        feats = []
        for i, (k, y) in enumerate(zip(ks, ys)):
            f = [f"pp={ps[i]}"]
            c = dict(by_key[k])
            own = y[2:] or "O"
            c[own] -= 1
            others = sum(c.values())
            if others:
                tagged = others - c.get("O", 0)
                if tagged:
                    best = max((n, t) for t, n in c.items() if t != "O")[1]
                    f.append(f"d={best}")
                    f.append(f"dr={'all' if tagged == others else 'some'}")
                else:
                    f.append("d=O")
            feats.append(f)
        out.append(feats)
    return out
