"""How the archive learns its names: which words are names, which spellings are one name, and which
entity names stand for one referent. The rules and their evidence are described in
:mod:`marsad.archive.names`, which stores what is learned here and reads it for search.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from ..text.analysis import alternative, stem, tokens
from ..text.arabic import normalize_alef
from ..text.names import ARABIC_WORD, MIN_KEY, PROCLITICS, arabic_compound, derived, edits, spelling_key
from ..text.quality import arabic_stop_words
from .connection import Connection
from .schema import ROWID_MASK
from .names import LETTERS, SLIP_FEW, SLIP_MIN_LETTERS, SLIP_RATIO, SLIP_TYPED_LETTERS, SPLIT_LONG, adjective_of, mistyped
from .search import text_index

#: a word is a name when it is tagged in at least this share of the articles holding it
MIN_TAGGED = 0.1
#: ... and written with the article ال in at most this share of them
MAX_WITH_ARTICLE = 0.1
#: a name starting with ال is written without it in at most this share
MAX_WITHOUT_ARTICLE = 0.5
#: a rare slip of a name (Learner.letter_slips) in an article that names neither the name nor its
#: first name is the name's when the article names this many of the entities named in this share of
#: the name's own articles
SLIP_COMPANY = 2
SLIP_COMPANY_SHARE = 0.2
#: ... each named with the name this many times as often as in the archive at large: a club, a
#: team-mate, a coach (ريال مدريد beside كاسيميرو), not a country every story names (الولايات المتحدة)
SLIP_COMPANY_LIFT = 5.0
#: a word the tagger tags in this share of the articles holding it is a name even though it is
#: written with the article more often than MAX_WITH_ARTICLE: a country whose adjective is its own
#: name with the article (زيمبابوي, الزيمبابوي "Zimbabwean"), or one written either way (اوروغواي/الاوروغواي)
NAME_TAGGED = 0.9
#: a word's forms with the article written لل (ل + ال) are about this share of all of them (ANT:
#: للدولار 1/6.6 of الدولار's forms, للكتاب 1/7.5, للسلام 1/4.8); they stand for the article where ال
#: before a name is mostly another word that starts with a hamza alef (الماني: ألماني beside ماني)
DOUBLE_L_SHARE = 1 / 6
#: proclitics that, before a word starting with ال, show its ال is a hamza alef's (ألماني), not the
#: article: ل + the article is written لل, and the article does not take the article
HAMZA_SIGNS = ("ل", "ول", "فل", "لل", "ال", "وال", "فال", "بال", "وبال", "كال")
#: a context word (first name, title) counts as evidence when it stands before (or after) the name in
#: this share of its tagged mentions, and goes with that name in this share of its own
CONTEXT_SHARE = 0.15
CONTEXT_SPECIFIC = 0.3
#: a word this long meets its spellings under its key even where the key is short: its letters say
#: enough (سوسيداد/سوسييداد: key سد, for the key makes a doubled sound one letter)
LONG_WORD = 6
#: ... and stands so before the candidate in this share of the candidate's articles (and twice);
#: written otherwise (كونج for كونغ) when it stands so in this many of the name's articles
CONTEXT_SEEN = 0.1
CONTEXT_VARIANT_MIN = 5
#: "spellings of different writers": each spelling in this many articles, sources this different,
#: named with entities this alike
SPLIT_MIN = 20
MAX_SOURCE_SIMILARITY = 0.4
MIN_COMPANY = 0.6
#: a compound of :data:`~marsad.archive.names.SPLIT_LONG` letters or more, written in two words, is
#: its joined spelling when named with entities this alike: so long a run of letters is seldom two
#: things (روس كوزموس beside روسكوزموس, 0.15 and 0.38; لو فيغارو, عبد الجليل, نيو هامبشير: some 60 more
#: on ANT, none two things, though two are a name and the next word, برايتون اند), where a short one
#: is (سو تشي, Aung San Suu Kyi, is not سوتشي)
SPLIT_LONG_COMPANY = 0.1
#: a word the tagger saw this often beside other words of a name is placed first or last in names
PLACE_SEEN = 2
#: a spelling this rare beside a name, and this long, joins it on one transliteration edit alone
RARE_SHARE = 0.1
RARE_MIN_LENGTH = 5
#: ... or this rare, one edit away, when both are this long (نيتفليكس beside نتفليكس, 4 articles to 25)
RARE_SHARE_LONG = 0.25
RARE_LONG = 7
#: ... or on two edits, this long (بيونجيانج beside بيونغيانغ); and named with entities at least this
#: alike (a rare spelling in another company is another name: زوريا, the football club, beside سوريا)
RARE_TWO_EDITS = 8
RARE_COMPANY = 0.15
#: ... except a slip in this many articles at most, one edit from a long name (both RARE_LONG letters
#: or more) in RARE_SHARE of its articles, and tagged beside no word the name is not: its one or two
#: articles say too little about its company (نيكاراجوا beside نيكاراغوا, ليفيربول beside ليفربول)
RARE_FEW = 2
#: "written together": a spelling this long, at most two edits from a name, whose articles hold the
#: name too in this share of them (half when it is in at most TOGETHER_FEW articles, whose texts are
#: read), this many times more often than the archive's articles do, is the name written otherwise
#: in the same story (مودرتيش beside مودريتش, جوارديولا in an article that also writes غوارديولا)
TOGETHER_MIN_CORE = 5
TOGETHER_SHARE = 0.3
TOGETHER_FEW = 3
TOGETHER_FEW_SHARE = 0.5
TOGETHER_LIFT = 10.0
#: a word in this many articles or more is a brand when it stands after one of these in this share of
#: them, and in this many at least
BRAND_HEADS = ("شركة", "تطبيق", "موقع", "منصة", "خدمة", "شبكة", "عملة", "متجر", "محرك", "برنامج", "هاتف", "هواتف",
               "مجموعة", "علامة")
BRAND_SHARE = 0.2
BRAND_ARTICLES = 5
BRAND_MIN = 3
#: two names of this many letters or more, each written after a head noun of brands in this many of
#: its articles (and BRAND_SHARE of them), are one brand (شاومي/شياومي, نيتفلكس/نيتفليكس, هواواي/هواوي)
BRAND_PAIR_CORE = 5
BRAND_PAIR_MIN = 1
#: a brand's two-word spelling (فولكس فاغن) joins it written so after a head noun in this many articles
BRAND_SPLIT_MIN = 2
#: a tagged word written with the article too often to behave as a name (in more than
#: MAX_WITH_ARTICLE of its articles) is a name still (an acronym: فيفا، ناتو) when written alone in
#: parentheses in this many of its articles
ACRONYM_PARENS = 3
#: a word the archive holds with this many of the endings words take is a word, not a name
WORD_FAMILY = 3
_ENDINGS = ("ي", "ية", "يه", "يا", "ات", "ون", "ين", "ان", "ها", "هم", "ه", "ة", "ا", "يين", "يون")
#: spellings this long, at most two edits apart, named with entities this alike, are one name
CLOSE_MIN_LENGTH = 5
CLOSE_COMPANY = 0.7
#: ... or one edit apart, this long, tagged with the same label, and named with entities this alike
#: (0.4 until session 34; 0.3 joins some 90 more pairs on ANT, all read as one name: برلسكوني/بيرلسكوني
#: at 0.39, ميشيغان/ميشيغن at 0.36, اكسفورد/اوكسفورد, غولدبرغ/غولدبيرغ; at 0.1 اريكسون, Ericsson,
#: joined اريكسن, Eriksen, and مارسيال مارسيل)
CLOSE_ONE_LENGTH = 6
CLOSE_ONE_COMPANY = 0.3
#: the words beside which an Arabic name is written (a patronymic), which a foreign one seldom is
PATRONYMICS = frozenset({"بن", "ابن", "بنت"})
#: ... and, both this long, named with entities this alike: a long name's two spellings of a few
#: articles each share little company by chance (روسكوزموس/روسكوسموس, 7 articles each, 0.11), and two
#: long names one letter apart are seldom two referents (none of the 45 more pairs it joins on ANT:
#: ماكدونالدز/مكدونالدز, ساراييفو/سراييفو, كيزلياك/كيسلياك, غوريتزكا/غوريتسكا)
CLOSE_LONG_LENGTH = 7
CLOSE_LONG_COMPANY = 0.1
#: a surname ending in one of these beside the same surname without it is the French reading, which
#: does not sound a final d or t (هازارد/هازار, Hazard; رينارد/رينار, Renard; بافارد/بافار, Pavard),
#: when the shorter is this long and the two are named with entities this alike (Renard's two
#: spellings 0.39; at 0.3 ستارت/ستار, two brands, come next, kept apart by the label test too)
SILENT_FINALS = "دت"
SILENT_MIN_LENGTH = 5
SILENT_COMPANY = 0.35
#: a name this long may be written with a prosthetic alef before its first two consonants
PROSTHETIC_MIN = 4
#: a word that looks made from a name (:func:`derived`) is its spelling still when tagged with its label
#: in this share of its articles (بولنديا, the adjective بولندياً "Polish", is tagged a place in one of its two)
ADVERB_TAGGED = 0.6
#: a slip of a name (:meth:`Learner.letter_slips`) may be in this many articles when the name is in
#: this many times as many: one writer's habit (ادروغان, 6 articles, beside اردوغان's 1,116)
SLIP_SOME = 10
SLIP_SOME_RATIO = 100
#: a rare word under a name's spelling key of this many letters, tagged with the name's label in this
#: share of its articles, is a slip of it when vouched for (:meth:`Learner.key_slips`)
KEY_SLIP_MIN = 4
KEY_SLIP_TAGGED = 0.5
#: the articles of French, Spanish and Italian names, which are Arabic function words too ("no", "if"):
#: a name written joined (لاكورونيا, La Coruña) is one with its split form (لا كورونيا) all the same
NAME_ARTICLES = frozenset({"لا", "لو"})
#: a joined spelling of a two-word name this long is kept apart from it only when tagged as another
#: kind of name in two articles (see Learner._other_kind)
OTHER_KIND_LONG = 6
#: articles read per spelling for its sources and companions
SAMPLE = 1000
#: harakat, tanwin and shadda: a name written with them is told apart from its bare homograph
_VOWELLED = re.compile(r"[\u064b-\u0652]")


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Function words and the packaged stop words: never names."""
    from .search import FUNCTION_WORDS

    return arabic_stop_words() | FUNCTION_WORDS


class Vocabulary:
    """The exact words of the archive's headlines and bodies with the number of articles holding
    each, and the same for their stems (read from the full-text index's own vocabulary: FTS5's, summed
    over the parts of the index, or PostgreSQL's ``ts_stat``)."""

    def __init__(self, db: Connection) -> None:
        self.df: Counter[str] = Counter()
        self.stem_df: Counter[str] = Counter()
        self._counts: dict[str, int] = {}
        self._second: dict[str, dict[str, int]] | None = None
        df, stem_df = text_index(db).vocabulary(db)
        self.df.update(df)
        self.stem_df.update(stem_df)

    def surfaces(self, base: str) -> list[str]:
        """The written forms of ``base`` in the archive: bare or behind proclitics (ل + ال is لل)."""
        if " " in base:  # a split compound: its first word takes the proclitics
            first, rest = base.split(" ", 1)
            return [f"{s} {rest}" for s in self.surfaces(first)]
        out = [p + base for p in PROCLITICS if p + base in self.df]
        if base.startswith("ال"):
            out += [p + base[1:] for p in ("ل", "ول", "فل") if p + base[1:] in self.df]
        return out

    def count(self, base: str) -> int:
        """Articles holding ``base`` in any written form (an upper bound: forms may share articles)."""
        if " " in base:
            return 0
        got = self._counts.get(base)
        if got is None:
            got = self._counts[base] = sum(self.df[s] for s in self.surfaces(base))
        return got

    def with_article(self, base: str) -> int:
        return self.count("ال" + base)

    def second_stems(self, root: str) -> dict[str, int]:
        """The words the index also files under ``root`` as their second stem (:func:`alternative`:
        واتس and كاتس under اتس), with their articles: a search for the stem finds them too."""
        if self._second is None:
            self._second = defaultdict(dict)
            for word, n in self.df.items():
                alt = alternative(word)
                if alt:
                    self._second[alt][word] = n
        return self._second.get(root, {})


@dataclass
class Tagged:
    """What the entity tagger said of one word, over the archive."""
    articles: int = 0
    labels: Counter[str] = field(default_factory=Counter)
    #: words before ("<x") and after ("x>") it inside tagged names, in articles
    context: Counter[str] = field(default_factory=Counter)


def tagged_words(db: Connection) -> tuple[dict[str, Tagged], Counter[tuple[str, str]]]:
    """Each word of a tagged entity name with its articles, labels and neighbours in names; and every
    entity (name, label) with its articles."""
    words: dict[str, Tagged] = defaultdict(Tagged)
    entities: Counter[tuple[str, str]] = Counter()
    # in one order on both back ends (SQLite's, by code point: PostgreSQL's grouping has none), for a
    # label's ties are broken by which came first
    for name, label, n in sorted(db.execute("SELECT name, label, count(DISTINCT article) FROM entities GROUP BY 1, 2")):
        entities[(name, label)] += n
        ws = tokens(name)
        for i, w in enumerate(ws):
            t = words[w]
            t.articles += n
            t.labels[label] += n
            if i:
                t.context["<" + ws[i - 1]] += n
            if i + 1 < len(ws):
                t.context[ws[i + 1] + ">"] += n
    return dict(words), entities


@dataclass
class Group:
    """Spellings of one name: ``canonical`` is the most common; ``forms`` maps each spelling to
    its articles; ``label`` is the tagger's most common label for them."""
    canonical: str
    forms: dict[str, int]
    label: str = ""


class Learner:
    """Learns the name groups of one archive (see the module docstring)."""

    def __init__(self, db: Connection) -> None:
        self.db = db
        self.vocab = Vocabulary(db)
        self.tagged, self.entities = tagged_words(db)
        self._named: Counter[str] | None = None  # articles naming each entity, whatever its label
        self._sample: dict[str, list[int]] = {}
        self._profiles: dict[tuple[str, str], Counter[str]] = {}
        self._total: int | None = None
        self._by_key: dict[str, list[str]] | None = None
        self._brand_heads: dict[str, int] = {}
        #: brands found though they take the article or read as a word behind a proclitic
        #: (البيتكوين، بتكوين: ب + تكوين), from two spellings each written after a head noun of brands
        #: (:meth:`brands`); they are searched by their written forms, with the article too
        self.article_brands: set[str] = set()

    # ---------------------------------------------------------------- is it a name?

    def behaves_as_name(self, word: str) -> bool:
        """Written as a name: not a function word, without the article ال (or, starting with it, seldom
        without)."""
        if not self._may_be_name(word):
            return False
        n = self.vocab.count(word)
        if word.startswith("ال"):
            return self.vocab.count(word[2:]) <= MAX_WITHOUT_ARTICLE * n or self._other_name(word, word[2:])
        # كاميرون (Cameron) beside الكاميرون (Cameroon): two names, not a word taking the article
        return self.article_count(word) <= MAX_WITH_ARTICLE * n or self._other_name(word, "ال" + word) \
            or self._named_so(word)

    def takes_the_article_too(self, word: str) -> bool:
        """A name by :meth:`_named_so` alone, whose form with the article the tagger tags with the same
        label in nearly half its articles or more (``NAME_TAGGED / 2``: اوروغواي/الاوروغواي; not
        زيمبابوي, whose الزيمبابوي is the adjective, untagged)."""
        n = self.vocab.count(word)
        if word.startswith("ال") or self.article_count(word) <= MAX_WITH_ARTICLE * n or not self._named_so(word):
            return False
        return self._tagged_share("ال" + word) >= NAME_TAGGED / 2 and self._same_label(word, "ال" + word)

    def _named_so(self, word: str) -> bool:
        """Tagged in nearly all its articles (:data:`NAME_TAGGED`, in :data:`BRAND_ARTICLES` at least)
        as a place or an organisation, and no word that inflects: a name whatever the article does (the
        country of an adjective written as its name, الزيمبابوي). Not a person's: those are mostly
        Arabic family names (بغدادي/البغدادي), whose letters meet other Arabic names' (سعدي/سعيدي); nor
        what the tagger calls MISC, nouns as often as names (ميليشيا، فرنك); nor a word of three or
        four letters, which may be an Arabic noun the tagger takes for an organisation (مجلس)."""
        t = self.tagged.get(word)
        return t is not None and t.articles >= BRAND_ARTICLES and self._tagged_share(word) >= NAME_TAGGED \
            and _core(word) >= CLOSE_MIN_LENGTH and not self.is_word(word) \
            and self._label(word) in ("LOC", "ORG")

    def _may_be_name(self, word: str) -> bool:
        """An Arabic word of three letters or more that the archive holds, no function word, and not
        another word behind a proclitic: what :meth:`behaves_as_name` asks before the article."""
        return len(word) >= 3 and word not in _not_names() and ARABIC_WORD.fullmatch(word) is not None \
            and not self.is_clitic_form(word) and self.vocab.count(word) > 0

    def article_count(self, word: str) -> float:
        """Articles writing ``word`` with the article. Where ال + ``word`` is mostly a word of its own
        starting with a hamza alef, which normalising wrote ا (الماني: ألماني "German", beside ماني
        Mané), as its forms show (لالماني، الالماني: ل + ال is written لل, and ال takes no ال), only
        the forms with لل are the article's, and stand for a sixth of it."""
        with_article = self.vocab.with_article(word)
        if with_article and sum(self.vocab.df.get(p + "ال" + word, 0) for p in HAMZA_SIGNS) >= with_article:
            return self.vocab.count("لل" + word) / DOUBLE_L_SHARE
        return with_article

    def _other_name(self, word: str, other: str, *, kinds: bool = False) -> bool:
        """``other`` (``word`` with or without ال) is a name of another kind (كاميرون PER, الكاميرون LOC),
        unlike دولار and الدولار, which the tagger gives one label; with ``kinds``, ORG and MISC are
        one kind (:func:`_kind`)."""
        a, b = self.tagged.get(word), self.tagged.get(other)
        if a is None or b is None or self._tagged_share(other) < MIN_TAGGED:
            return False
        la, lb = self._label(word), self._label(other)
        return _kind(la) != _kind(lb) if kinds else la != lb

    def _tagged_share(self, word: str) -> float:
        t = self.tagged.get(word)
        return t.articles / max(1, self.vocab.count(word)) if t is not None else 0.0

    def is_clitic_form(self, word: str, depth: int = 0) -> bool:
        """``word`` is another, more common word behind a proclitic (وبوتين is و + بوتين, للابحاث is
        ل + الابحاث); that word must not be one itself (لوبن is not ل + وبن, which is و + بن)."""
        n = self.vocab.df.get(word, 0)
        for p in PROCLITICS[1:]:
            rest = word[len(p):]
            if word.startswith(p) and self.vocab.df.get(rest, 0) >= n and not (depth == 0 and self.is_clitic_form(rest, 1)):
                return True
        return word.startswith("لل") and self.vocab.df.get("ا" + word[1:], 0) >= n

    def suffixed_noun(self, word: str) -> bool:
        """``word`` is an Arabic noun in ة with a pronoun after it (جايزتي، جايزتيه: جايزة + ي، يه),
        as the noun itself, more common, shows."""
        return any(word.endswith(s) and len(word) - len(s) >= 2
                   and self.vocab.count(word[:-len(s)] + "ة") > self.vocab.count(word) for s in ("تيه", "تي"))

    def nisba(self, name: str, other: str) -> bool:
        """One word is a country or region in يا and the other its adjective in ية (المانيا/المانية،
        كوريا/كورية، الكوريا/الكورية), which the archive writes with the article too: a final *a*
        written ة is that only where no one writes it so (اشبيلية/اشبيليا, Seville)."""
        for a, b in ((name, other), (other, name)):
            if a.endswith("يا") and b.endswith(("ية", "يه")):  # candidates: the rest is one name's letters
                core = b[2:] if b.startswith("ال") else b
                return self.vocab.count("ال" + core) > 0
        return False

    def is_name(self, word: str) -> bool:
        t = self.tagged.get(word)
        if t is None or t.articles < 2:
            return False
        return self._tagged_share(word) >= MIN_TAGGED and self.behaves_as_name(word)

    # ---------------------------------------------------------------- evidence

    def sample(self, form: str) -> list[int]:
        """Article rowids of up to :data:`SAMPLE` articles holding ``form``, newest first."""
        got = self._sample.get(form)
        if got is None:
            got = [r & ROWID_MASK for r in text_index(self.db).sample_exact(self.db, self.vocab.surfaces(form) or [form], SAMPLE)]
            self._sample[form] = got
        return got

    def articles(self, form: str) -> int:
        """Articles holding a spelling: a word in any written form, or words in a row."""
        return self.vocab.count(form) if " " not in form else self.phrase_count(form)

    def phrase_count(self, phrase: str) -> int:
        return text_index(self.db).count_exact(self.db, phrase)

    def _profile(self, form: str, what: str) -> Counter[str]:
        got = self._profiles.get((form, what))
        if got is None:
            got = self._profiles[(form, what)] = self._read_profile(form, what)
        return got

    def _read_profile(self, form: str, what: str) -> Counter[str]:
        rows = self.sample(form)
        out: Counter[str] = Counter()
        for i in range(0, len(rows), 500):
            marks = ",".join(map(str, rows[i:i + 500]))
            if what == "source":
                sql = f"SELECT coalesce(source, ''), count(*) FROM articles WHERE rowid IN ({marks}) GROUP BY 1"
            else:
                sql = f"SELECT name, count(*) FROM entities WHERE article IN ({marks}) GROUP BY 1"
            out.update(dict(self.db.execute(sql)))
        return out

    def same_company(self, name: str, other: str) -> bool:
        """Is ``other`` written with a first name or title that belongs to ``name``?"""
        t = self.tagged.get(name)
        if t is None or not t.context:
            return False
        seen = self.articles(other)
        for ctx, n in sorted(t.context.items(), key=lambda kv: (-kv[1], kv[0]))[:5]:
            if n < CONTEXT_SHARE * t.articles:
                break
            word = ctx.strip("<>")
            own = self.tagged.get(word)
            if own is None or n < CONTEXT_SPECIFIC * own.articles or word in _not_names():
                continue
            # the context word in any of its spellings (هونج كونج beside هونغ كونغ), when it stands so
            # often enough to say so
            for spelling in [word, *(self.spellings_of(word) if n >= CONTEXT_VARIANT_MIN else [])]:
                phrase = f"{spelling} {other}" if ctx.startswith("<") else f"{other} {spelling}"
                if self.phrase_count(phrase) >= max(2, CONTEXT_SEEN * seen):
                    return True
        return False

    def spellings_of(self, word: str, least: int = 0) -> list[str]:
        """Other words of the archive under ``word``'s key, at most two letter edits from it (and in
        ``least`` articles or more)."""
        return [w for w in sorted(self.by_key().get(spelling_key(word), ()))
                if w != word and (not least or self.vocab.count(w) >= least) and _within_two(word, w)]

    def company(self, a: str, b: str) -> float:
        """How alike the entities named with ``a`` and with ``b`` are (cosine; the two left out)."""
        own = _words(a) | _words(b)

        def named_with(form: str) -> Counter[str]:
            return Counter({k: v for k, v in self._profile(form, "entity").items() if not own & _words(k)})

        return _cosine(named_with(a), named_with(b))

    def close_spelling(self, name: str, other: str) -> bool:
        """Long spellings one or two transliteration edits apart, named with the same entities
        (كامبريدج/كمبريدج، جوارديولا/غوارديولا); short ones are left to other evidence, for they meet
        Arabic names and words made from one root (حسن/حسين، سلمان/سليمان)."""
        if min(_core(name), _core(other)) < CLOSE_MIN_LENGTH or self._adverb(name, other) or self._adverb(other, name) \
                or arabic_compound(name) or arabic_compound(other):
            return False
        n = edits(name, other)
        if n is None or n > 2:
            return False
        if n == 1 and min(_core(name), _core(other)) >= CLOSE_ONE_LENGTH and self._same_label(name, other):
            least = CLOSE_LONG_COMPANY if min(_core(name), _core(other)) >= CLOSE_LONG_LENGTH else CLOSE_ONE_COMPANY
            return self.company(name, other) >= least and not self._named_apart(name, other)
        if n == 1 and _vowel_inside(name, other) and self._same_label(name, other) \
                and not self._patronymic(name) and not self._patronymic(other) and not self._first_and_last(name, other) \
                and self.company(name, other) >= CLOSE_ONE_COMPANY and not self._named_apart(name, other):
            return True  # five letters, a long vowel written or not inside the word (زيورخ/زيوريخ، هارتس/هاارتس),
            # as the longer, unless an Arabic name (سلمان/سليمان, both written beside بن)
        return self.company(name, other) >= CLOSE_COMPANY

    def _patronymic(self, word: str) -> bool:
        """``word`` is an Arabic name by its company: the tagger saw it beside بن or ابن (سلمان بن
        عبدالعزيز, محمد بن سلمان) in :data:`CONTEXT_SHARE` of its articles or more."""
        t = self.tagged.get(word)
        return t is not None and sum(k for ctx, k in t.context.items() if ctx.strip("<>") in PATRONYMICS) \
            >= CONTEXT_SHARE * t.articles

    def _adverb(self, name: str, other: str) -> bool:
        """``other`` is an adverb or adjective made from ``name`` (:func:`derived`: فرنسيا of فرنسا), unless
        the tagger tags it as a name of the same label in most of its articles (:data:`ADVERB_TAGGED`), which no adverb
        is: لاكورونيا beside لاكورونا is the club twice (La Coruña)."""
        return derived(name, other) and not (self._same_label(name, other) and self._tagged_share(other) >= ADVERB_TAGGED)

    def italian_ch(self, name: str, other: str) -> bool:
        """Italian ch (k) written ك by some and تش by others (بوكيتينو/بوتشيتينو، كيليني/تشيليني): long
        names of one label, otherwise at most two edits apart, named with the same entities. Short ones
        are left apart: تشيلي (Chile) is not كيلي (Kelly)."""
        if min(_core(name), _core(other)) < RARE_LONG or not self._same_label(name, other):
            return False
        a, b = name.replace("تش", "ك"), other.replace("تش", "ك")
        if (a == name) == (b == other):  # the one spelling writes تش where the other writes ك
            return False
        return _within_two(a, b) and self.company(name, other) >= CLOSE_COMPANY and not self._named_apart(name, other)

    def silent_final(self, name: str, other: str) -> bool:
        """``name`` is ``other`` with a final د or ت that the French reading does not sound (هازارد
        beside هازار): both names of one label, no word, each a surname rather than a first name (the
        tagger saw it after another word of a name at least as often as before one: جيرارد, Steven
        Gerrard, is not جيرار, the first name Gérard, nor ماركت, Market, مارك), named with alike
        company. First names are not asked to agree: بنيامين بافارد and بنجامان بافار are one man."""
        if name[:-1] != other or name[-1] not in SILENT_FINALS or _core(other) < SILENT_MIN_LENGTH \
                or not self._same_label(name, other) or self.is_word(name) or self.is_word(other):
            return False
        for word in (name, other):
            before, after = self._sides(word)
            if before > after:
                return False
        return self.company(name, other) >= SILENT_COMPANY

    def prosthetic(self, name: str, other: str) -> bool:
        """``other`` is ``name`` with an alef before its first two consonants, as some write a foreign
        name that starts with a consonant pair (إمبابي، إستوكهولم، إنغولو beside مبابي، ستوكهولم،
        نغولو): rarer (:data:`RARE_SHARE_LONG` of the name's articles at most), tagged with the name's
        label, a name and no inflecting word (ابرز, "most prominent", is no alef before a name), and
        named with some of the name's company (:data:`RARE_COMPANY`)."""
        if len(name) < PROSTHETIC_MIN or name[0] in "اوي" or name[1] in "اوي" or not self.vocab.count(other) \
                or self.vocab.count(other) > RARE_SHARE_LONG * self.vocab.count(name):
            return False
        return self._same_label(name, other) and not self.is_word(other) and self.behaves_as_name(other) \
            and self.company(name, other) >= RARE_COMPANY

    def _label(self, word: str) -> str:
        """The tagger's most common label for ``word`` ("" if it never tagged it)."""
        t = self.tagged.get(word)
        return t.labels.most_common(1)[0][0] if t is not None else ""

    def _same_label(self, a: str, b: str) -> bool:
        """Both are tagged, mostly with the same label."""
        return a in self.tagged and b in self.tagged and self._label(a) == self._label(b)

    def different_writers(self, a: str, b: str) -> bool:
        """Both common, written by different sources, named with the same entities."""
        if min(self.vocab.count(a), self.vocab.count(b)) < SPLIT_MIN:
            return False
        if _cosine(self._profile(a, "source"), self._profile(b, "source")) > MAX_SOURCE_SIMILARITY:
            return False
        return self.company(a, b) >= MIN_COMPANY

    def rare_spelling(self, name: str, other: str, common: int | None = None) -> bool:
        """A rare spelling (a slip, or one writer's) one transliteration edit from a common name, in
        some of its company: فايسبوك beside فيسبوك, بوكبا beside بوغبا. Long words only: short ones meet
        ordinary words. Not an adjective or adverb of the name (فرنسيا, "in French", of فرنسا;
        برشلونية of برشلونة), save after a final ه, which is the name's own letter (دويتشيه, دويتشه).
        Rare beside ``common`` articles when given (the name's group), else beside the name's own."""
        common = self.vocab.count(name) if common is None else common
        if arabic_compound(name) or arabic_compound(other) or (derived(name, other) and not name.endswith("ه")):
            return False
        n = edits(name, other)
        if n is None or n > (2 if min(_core(name), _core(other)) >= RARE_TWO_EDITS else 1):
            return False
        return _core(name) >= RARE_MIN_LENGTH and _core(other) >= RARE_MIN_LENGTH \
            and other not in _not_names() and not self._first_and_last(name, other) \
            and not self.is_clitic_form(other) \
            and self.vocab.count(other) <= (RARE_SHARE_LONG if n == 1 and min(_core(name), _core(other)) >= RARE_LONG
                                            else RARE_SHARE) * common \
            and not self.is_word(other) and (self.vocab.count(other) <= 3 or self.behaves_as_name(other)
                                             or (not other.startswith("ال") and self.brand_named(name))) \
            and (self.company(name, other) >= RARE_COMPANY and not self._named_apart(name, other, first_names=True)
                 or (n == 1 and min(_core(name), _core(other)) >= RARE_LONG
                     and self.vocab.count(other) <= min(RARE_FEW, RARE_SHARE * common)
                     and self._beside_alike(name, other)))

    def _first_and_last(self, name: str, other: str) -> bool:
        """One is a first name and the other a last name, by where the tagger saw each in a name
        (:meth:`_place`): ميشيل (Michel, before اوباما, عون, بارنييه) is not ميتشيل (David Robert Mitchell),
        nor باريس (Paris, before سان جيرمان) باريش (Barış, after اورهان)."""
        a, b = self._place(name), self._place(other)
        return bool(a) and bool(b) and a != b

    def _place(self, word: str) -> str:
        """"first" when the tagger saw ``word`` before another word of a name more than twice as often
        as after one, "last" the other way round, "" when it cannot say (:data:`PLACE_SEEN` tags)."""
        before, after = self._sides(word)
        if before + after < PLACE_SEEN:
            return ""
        return "first" if before > 2 * after else "last" if after > 2 * before else ""

    def _sides(self, word: str) -> tuple[int, int]:
        """How often the tagger saw ``word`` before another word of a name, and after one."""
        t = self.tagged.get(word)
        if t is None:
            return 0, 0
        return (sum(k for ctx, k in t.context.items() if ctx.endswith(">")),
                sum(k for ctx, k in t.context.items() if ctx.startswith("<")))

    def written_together(self, name: str, other: str) -> bool:
        """``other`` stands in articles that also write ``name``, far more often than chance: one
        writer's (or one story's) two spellings of one name. Long words only, and not an Arabic word:
        short names of one culture are named together without being one (Korean جونغ and كيونغ)."""
        if " " in name or " " in other or min(_core(name), _core(other)) < TOGETHER_MIN_CORE \
                or arabic_compound(name) or arabic_compound(other) or self.is_word(name) or self.is_word(other):
            return False
        n = edits(name, other)
        if n is None or n > 2:
            return False
        n_name, n_other = self.vocab.count(name), self.vocab.count(other)
        if n_other > n_name:  # the rarer spelling is judged beside the commoner
            name, other, n_name, n_other = other, name, n_other, n_name
        if n_other <= TOGETHER_FEW:  # read the few articles themselves
            forms = set(self.vocab.surfaces(name)) | {name}
            rows = self.sample(other)
            both = sum(1 for r in rows if forms & set(tokens(self._text(r))))
            need = TOGETHER_FEW_SHARE
        elif max(n_name, n_other) <= SAMPLE and not self._named_apart(name, other):  # every article of both is sampled
            rows = self.sample(other)
            both = len(set(rows) & set(self.sample(name)))
            need = TOGETHER_SHARE
        else:
            return False
        share = both / max(1, len(rows))
        return share >= need and share >= TOGETHER_LIFT * n_name / max(1, self.total())

    def _named_apart(self, name: str, other: str, *, first_names: bool = False) -> bool:
        """Both are tagged mostly beside a word of their own, on the same side, and not one word in any
        spelling: two people of one story (مارين لوبان and ماريون ماريشال لوبان, named together), not one
        name spelled twice (سباستيان فيتل, سيباسيتان فيتيل). With ``first_names``, only the words before
        them that are names of the archive count: جوزيه مورينيو and مايكل مورينو are two men, however
        alike the company of their stories."""
        def beside(word: str) -> list[str]:
            t = self.tagged.get(word)
            return [ctx for ctx, k in t.context.items() if k >= CONTEXT_SHARE * t.articles
                    and (not first_names or ctx.startswith("<") and self.is_name(ctx[1:]))] if t is not None else []

        a, b = beside(name), beside(other)
        return bool(a) and bool(b) and not any(_one_context(x, y) for x in a for y in b)

    def _beside_alike(self, name: str, other: str) -> bool:
        """Each word the tagger saw beside ``other`` (a first name, a title) was seen beside ``name`` too,
        in some spelling: ايمانيويل ماكرون beside ايمانويل ماكرون, not دانيال ريكياردو beside ريكاردو."""
        t, mine = self.tagged.get(other), self.tagged.get(name)
        if t is None or not t.context:
            return True
        return mine is not None and all(any(_one_context(x, y) for y in mine.context) for x in t.context)

    def by_key(self) -> dict[str, list[str]]:
        """The archive's words by their spelling key (keys of :data:`MIN_KEY` letters or more, or of
        words of :data:`LONG_WORD` letters: سوسيداد's key is سد, its doubled letters being one)."""
        if self._by_key is None:
            self._by_key = defaultdict(list)
            df = self.vocab.df
            bases = set(df)
            # a word written only behind a proclitic (ونيكارغوا) is a word too: its base, bare
            bases.update(word[len(p):] for word in df for p in PROCLITICS[1:] if word.startswith(p) and word[len(p):] not in df)
            for word in sorted(bases):
                if len(word) >= 3 and ARABIC_WORD.fullmatch(word):
                    key = spelling_key(word)
                    if _keyed(word, key):
                        self._by_key[key].append(word)
        return self._by_key

    def total(self) -> int:
        if self._total is None:
            self._total = int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        return self._total

    def _text(self, rowid: int) -> str:
        row = self.db.execute("SELECT coalesce(title, ''), coalesce(text, '') FROM articles WHERE rowid = ?", (rowid,)).fetchone()
        return f"{row[0]} {row[1]}" if row else ""

    def is_word(self, word: str) -> bool:
        """``word`` is an Arabic word rather than a name: it inflects, the archive holds it with
        several of the endings words take (عرق: عرقي، عرقية، عرقا). A foreign name seldom takes them."""
        core = word[2:] if word.startswith("ال") else word
        if core[-1:] in "ةه":
            core = core[:-1]
        forms = [core + e for e in _ENDINGS] + ["ال" + core]
        return sum(1 for f in forms if f != word and self.vocab.df.get(f, 0) >= 2) >= WORD_FAMILY

    def one_name(self, name: str, other: str) -> bool:
        if name[:-1] == other[:-1] and {name[-1], other[-1]} == {"ة", "ه"}:  # spelling, if both are names
            return self.is_name(other) or self.vocab.count(other) <= 0.2 * self.vocab.count(name)
        if self._adverb(name, other) or self._adverb(other, name):
            return False
        return self.same_company(name, other) or (other in self.tagged and self.same_company(other, name)) \
            or self.different_writers(name, other) or self.close_spelling(name, other) \
            or self.written_together(name, other)

    # ---------------------------------------------------------------- groups

    def names(self) -> list[str]:
        """The words the tagger tags that are names (:meth:`is_name`), and the brands it does not tag
        that the archive writes after a word such as تطبيق or شركة (:meth:`brands`)."""
        tagged = {w for w in self.tagged if self.is_name(w)}
        # a name of the tagger's whatever the article, whose form with the article is tagged as the
        # same name too (اوروغواي, الاوروغواي): searched with the article too, as a brand is
        self.article_brands.update(w for w in sorted(tagged) if self.takes_the_article_too(w))
        tagged |= self.acronyms()
        return sorted(tagged | set(self.brands(tagged)))

    def acronyms(self) -> set[str]:
        """Tagged words that fail to behave as names only because the archive writes them with the
        article too often (فيفا/الفيفا، ناتو/الناتو، يونيسف/اليونيسف), yet are written alone in
        parentheses in :data:`ACRONYM_PARENS` of their articles at least, as an acronym or a name is
        after what it stands for (الاتحاد الدولي لكرة القدم (فيفا)); an Arabic name or word is seldom so
        (ناصر/الناصر، معهد/المعهد). They are names searched with the article too (as
        :attr:`article_brands` are)."""
        out: set[str] = set()
        for word, t in sorted(self.tagged.items()):
            if t.articles < 2 or word.startswith("ال") or not self._article_of_its_kind(word) or self.is_word(word) \
                    or self.vocab.count(word) < BRAND_ARTICLES or self._tagged_share(word) < MIN_TAGGED:
                continue
            rowids = self.sample(word)
            # the word between brackets, its letters that normalising writes otherwise (أ for ا) any
            like = "%(" + re.sub("[اويهة]", "_", word) + ")%"
            if rowids and self.db.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM articles WHERE rowid IN ({', '.join('?' * len(rowids))})"
                    f" AND (text LIKE ? OR title LIKE ?) LIMIT {ACRONYM_PARENS}) AS found",
                    [*rowids, like, like]).fetchone()[0] >= ACRONYM_PARENS:
                out.add(word)
        self.article_brands.update(out)
        return out

    def _article_of_its_kind(self, word: str) -> bool:
        """:meth:`takes_the_article`, where ال + ``word`` tagged ORG and ``word`` MISC, or the other way
        round, is one name too: the tagger calls an organisation either (يونيسيف ORG, اليونيسيف
        MISC), while كاميرون and الكاميرون, a person and a country, stay two. (It holds wherever
        :meth:`takes_the_article` does: labels of one kind are one label or ORG and MISC.)"""
        return self._may_be_name(word) and self.article_count(word) > MAX_WITH_ARTICLE * self.vocab.count(word) \
            and not self._other_name(word, "ال" + word, kinds=True)

    def takes_the_article(self, word: str) -> bool:
        """``word`` would behave as a name (:meth:`behaves_as_name`) but for the article: the archive
        writes ال + ``word`` in more than :data:`MAX_WITH_ARTICLE` of its articles."""
        return not word.startswith("ال") and self._may_be_name(word) and not self.behaves_as_name(word)

    def brand_named(self, form: str, least: int = BRAND_MIN) -> bool:
        """``form`` stands after a head noun of brands (تطبيق سناب شات) in :data:`BRAND_SHARE` of its
        articles, and in ``least`` at least (the count asked once a form)."""
        heads = self._brand_heads.get(form)
        if heads is None:
            heads = self._brand_heads[form] = text_index(self.db).count_exact(
                self.db, *(f"{head} {form}" for head in BRAND_HEADS))
        return heads >= max(least, BRAND_SHARE * self.articles(form))

    def brands(self, names: set[str]) -> list[str]:
        """Untagged words written after a head noun of brands (شركة، تطبيق، موقع ...: :data:`BRAND_HEADS`)
        in at least :data:`BRAND_SHARE` of their articles (تطبيق واتساب، موقع انستغرام، شركة هواوي), that
        behave as names and have a spelling close enough to be another of theirs (the only words
        whose being a name changes what is learned). Long words that behave as names without such a
        head turned out to be mostly inflected words and verbs (معاملتها، سيتحمل), so they stay words."""
        out = []
        for word, df in sorted(self.vocab.df.items()):
            if df < 2 or word in names or _core(word) < 4 or word.startswith("ال") or not ARABIC_WORD.fullmatch(word):
                continue
            n = self.vocab.count(word)
            if n < BRAND_ARTICLES or word in _not_names():
                continue
            behaves = self.behaves_as_name(word)
            mates = [] if behaves else self.spellings_of(word, least=BRAND_MIN)
            if not (behaves or mates) or self.is_word(word) \
                    or not any(self.vocab.count(v) <= n for v in self.spellings_of(word)) or not self.brand_named(word):
                continue  # (a rarer spelling is learned as the brand's, if it is one)
            if behaves:
                out.append(word)
            elif mates := [v for v in mates if self.brand_named(v)]:
                out.append(word)  # written with the article, or as a word behind a proclitic, by two newsrooms
                self.article_brands.update([word, *mates])
        return out

    def written_forms(self, form: str) -> list[str]:
        """The written forms a spelling of a name is searched by: bare or behind proclitics, and with
        the article too for a brand that takes it (البيتكوين، بالبتكوين)."""
        out = self.vocab.surfaces(form)
        if form in self.article_brands:
            out += self.vocab.surfaces("ال" + form)
        return out

    def learn(self) -> list[Group]:
        names = self.names()
        parent: dict[str, str] = {w: w for w in names}

        def find(w: str) -> str:
            while parent[w] != w:
                parent[w] = parent[parent[w]]
                w = parent[w]
            return w

        size: dict[str, int] = {}  # spellings of each group of more than one, by its root

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
                size[min(ra, rb)] = size.pop(ra, 1) + size.pop(rb, 1)

        def size_of(w: str) -> int:
            return size.get(find(w), 1) if w in parent else 0

        by_key = self.by_key()
        name_set = set(names)
        missed: list[tuple[str, str]] = []  # pairs the rules below kept apart
        for name in names:
            key = spelling_key(name)
            if not _keyed(name, key) or self.suffixed_noun(name):
                continue  # a suffixed noun: جايزتي "my prize" beside جايزتيه, شريكتي beside شركتي
            final_a = {w for k in _a_keys(key) for w in by_key.get(k, ())}
            near = {w for k in (*_near_keys(key), *_e_keys(key)) for w in by_key.get(k, ())} | final_a
            italian = {w for k in _ch_keys(key) for w in by_key.get(k, ())}
            for other in sorted(set(by_key.get(key, ())) | near | italian):
                if other == name or (other in name_set and other < name):
                    continue  # each pair of names once
                if self.suffixed_noun(other) or self.nisba(name, other):
                    continue
                if other in italian:
                    if self.behaves_as_name(other) and self.italian_ch(name, other):
                        parent.setdefault(other, other)
                        union(name, other)
                    continue
                if other in final_a and not (self.vocab.df[name] and self.vocab.df[other]):
                    continue  # a final a written ا or ة, in words the archive writes bare: نزيما of بنزيما
                    # (ب + نزيما) is no name, and its ه form (وبنزيمه) would take بنزيمه from Benzema
                if other in near and not _within_two(name, other):
                    continue  # a T apart: a slip of the name only when the letters say so
                if self.rare_spelling(name, other) or (other in name_set and self.rare_spelling(other, name)):
                    pass  # a rare slip of a name is judged as a name: its few uses say little
                elif not self.behaves_as_name(other) or not self.one_name(name, other):
                    missed.append((name, other))
                    continue
                parent.setdefault(other, other)
                union(name, other)
        # a prosthetic alef before a name's first two consonants (امبابي beside مبابي), which the key keeps
        for name in names:
            if self.prosthetic(name, "ا" + name):
                parent.setdefault("ا" + name, "ا" + name)
                union(name, "ا" + name)
        # a spelling rare beside the name's group, though not beside the one spelling it is an edit from,
        # and rarer than that one (منوشن, 6 articles, beside منوشين's 27 in a group of some 105 with
        # منوتشين): judged against the group's written total, kept as spellings join
        written: Counter[str] = Counter()
        for w in parent:
            written[find(w)] += self.vocab.count(w)
        for name, other in missed + [(b, a) for a, b in missed if b in name_set]:  # each name either way
            if size_of(other) <= 1 and find(name) != (find(other) if other in parent else None) \
                    and self.vocab.count(other) <= self.vocab.count(name) \
                    and self.rare_spelling(name, other, written[find(name)]):
                total = written.pop(find(name)) + (written.pop(find(other)) if other in parent else self.vocab.count(other))
                parent.setdefault(other, other)
                union(name, other)
                written[find(name)] = total
        # a surname read the French way, without its final consonant (هازار beside هازارد)
        for name in names:
            if name[:-1] in name_set and self.silent_final(name, name[:-1]):
                union(name, name[:-1])
        # a rare slip of a long name, letter for letter, in stories that name the name or beside its
        # first name (ديمتري بيسوف): one writer's typing, which the key does not meet
        claimed: set[str] = set()  # slips joined here: one slip joins one name, not two into one
        group_firsts: dict[str, set[str]] = defaultdict(set)  # the first letters of each group's spellings
        for w in parent:
            group_firsts[find(w)].add(w[0])
        firsts = {w: group_firsts[find(w)] for w in names}
        for name in names:
            typed = set(self.letter_slips(name))
            for other in sorted(typed | set(self.key_slips(name, firsts[name]))):
                if other in claimed or size_of(other) > 1:
                    continue  # a spelling of another name already
                # a slip only the key finds, letters apart, is beside no word the name is never beside:
                # the tagger's وجو مانتشن (Joe Manchin) is not منوتشين, Steven's, though his senators are
                if self.slip_vouched(name, other) and (other in typed or self._beside_alike(name, other)):
                    parent.setdefault(other, other)
                    union(name, other)
                    claimed.add(other)
        # two brands, each written after a head noun of brands, a few letters apart: one brand written
        # by two newsrooms (جوجل/غوغل، تسلا/تيسلا), even where the key is too short for the rules above
        by_name_key: dict[str, list[str]] = defaultdict(list)
        for name in names:
            if self.vocab.count(name) >= BRAND_PAIR_MIN:
                by_name_key[spelling_key(name)].append(name)
        for key, same in sorted(by_name_key.items()):
            for i, a in enumerate(same):
                for b in same[i + 1:]:
                    if not _within_two(a, b) or find(a) == find(b):
                        continue
                    least = BRAND_PAIR_MIN if min(_core(a), _core(b)) >= BRAND_PAIR_CORE else BRAND_MIN
                    if self.brand_named(a, least) and self.brand_named(b, least):
                        union(a, b)
        # ... and a brand that takes the article with the spellings that showed it one (بتكوين/بيتكوين)
        for word in sorted(self.article_brands & name_set):
            for mate in self.spellings_of(word):
                if mate in self.article_brands:
                    parent.setdefault(mate, mate)
                    union(word, mate)
            # ... and with its form with the article, where that is a name of its own (البنتاغون)
            if "ال" + word in name_set:
                union(word, "ال" + word)
        # compounds written in two words (فيس بوك) beside a one-word spelling of a name (فيسبوك), named with
        # the entities of one of the name's one-word spellings (لا كورونا, La Coruña, with those of
        # لاكورونيا, the common one, beside which the rarer لاكورونا's few articles say less); a brand's,
        # when the two words are a brand too (تطبيق سناب شات), even if a half is a function word (واتس اب):
        # after a head noun of brands in two articles is enough, for the letters are the brand's own
        # (فولكس فاغن beside فولكسفاغن), and the one-word spelling may be a slip of the brand (سنابتشات)
        root_of = {w: find(w) for w in sorted(parent)}  # the groups so far
        so_far: dict[str, list[str]] = defaultdict(list)
        for w, root in root_of.items():
            so_far[root].append(w)
        brand_groups: dict[str, bool] = {}

        def brand_group(root: str) -> bool:
            if root not in brand_groups:
                brand_groups[root] = any(self.vocab.count(f) >= BRAND_MIN and self.brand_named(f)
                                         for f in so_far[root] if " " not in f)
            return brand_groups[root]

        for name in (w for w in root_of if " " not in w):
            for i in range(2, len(name) - 1):
                left, right = name[:i], name[i:]
                if all(self.vocab.df.get(half, 0) >= 2 for half in (left, right)):
                    split = f"{left} {right}"
                    if self.phrase_count(split) < 2:
                        continue
                    if (name in name_set and (left in NAME_ARTICLES or self._part_of_names(left)) and self._part_of_names(right)
                            and any(self.same_company_split(mate, split) for mate in so_far[root_of[name]] if " " not in mate)) \
                            or (self.brand_named(split, BRAND_SPLIT_MIN) and brand_group(root_of[name])):
                        parent.setdefault(split, split)
                        union(name, split)
        # ... and a name tagged in two words beside its joined spelling (هونغ كونغ/هونغكونغ، عبد الله/عبدالله),
        # when the joined one is not another kind of name and, if it is common, is named with the same
        # entities (سو تشي, Aung San Suu Kyi, is not سوتشي, the Russian city)
        for (entity, label), n in sorted(self.entities.items()):
            words = tokens(entity)
            if n < 3 or len(words) != 2 or not all(ARABIC_WORD.fullmatch(w) for w in words):
                continue
            joined, split = "".join(words), " ".join(words)
            if self.vocab.df.get(joined, 0) and all(self._part_of_names(w) for w in words) and not self.is_word(joined) \
                    and not self.is_clitic_form(joined) and not self._other_kind(joined, label) \
                    and (self.vocab.df[joined] <= 3 or self.same_company_split(joined, split)):
                for form in (joined, split):
                    parent.setdefault(form, form)
                union(joined, split)
        members: dict[str, list[str]] = defaultdict(list)
        for w in parent:
            members[find(w)].append(w)
        groups = []
        for forms in members.values():
            counts = {f: self.articles(f) for f in sorted(forms)}
            canonical = min(counts, key=lambda f: (-counts[f], f))
            labels: Counter[str] = Counter()
            for f in forms:
                if f in self.tagged:
                    labels.update(self.tagged[f].labels)
            label = min(labels, key=lambda k: (-labels[k], k)) if labels else ""
            groups.append(Group(canonical, counts, label))
        return sorted(groups, key=lambda g: g.canonical)

    def letter_slips(self, name: str) -> list[str]:
        """Rare words of the archive that ``name`` may be mistyped as, letter for letter: one letter
        left out after the first (بيسوف for بيسكوف), or the first where it is the alef of a hamza
        (سبانيا for اسبانيا); one letter added inside (يوفتنتوس); one long vowel for another
        (بوسكوف); a key typed for its neighbour or two letters swapped (ايرزونا). Long names only
        (:data:`SLIP_TYPED_LETTERS`); a name that takes the article (المكسيك) is mistyped after it
        (المسكيك), and is long enough with :data:`SLIP_MIN_LETTERS` letters after it. The words in
        :data:`SLIP_FEW` articles at most (:data:`SLIP_SOME` where the name is :data:`SLIP_SOME_RATIO`
        times as common), the name in :data:`SLIP_RATIO` times as many, and no word that inflects or
        is another word behind a proclitic."""
        if not self._may_slip(name):
            return []
        article = name.startswith("ال")
        out = {("ال" if article else "") + o for o in _slip_forms(name[2:] if article else name, hamza=not article)}
        # asked of the archive before counting (in any written form: للمسكيك), so the counts' cache holds no misses
        return [other for other in sorted(out - {name}) if self.vocab.surfaces(other) and self._rare_slip(name, other)]

    def key_slips(self, name: str, firsts: Iterable[str] = ()) -> list[str]:
        """Rare words of the archive under ``name``'s spelling key, however many vowels and
        transliteration letters apart (ميتشغان، هينكيز beside ميشيغان، هاينكس), that the tagger tagged
        with the name's label in half their articles or more: the key's consonants (:data:`KEY_SLIP_MIN`
        of them at least) are the name's, and the tagger says it is a name of that kind. Its first letter is
        the name's, or that of another spelling of the name (``firsts``: جيوندوجان beside غوندوغان where
        the group writes جوندوجان too), not another (غانرز, Gunners, is not جونيورز, nor غيتانيو
        كوتينيو); not the name with an ending (البحرينيان of البحرين); and the same bars as
        :meth:`letter_slips`."""
        key = spelling_key(name)
        if len(key) < KEY_SLIP_MIN or not self._may_slip(name):
            return []
        label = self._label(name)
        letters = {name[0], *firsts}
        return [other for other in sorted(self.by_key().get(key, ())) if other != name and other[0] in letters
                and not other.startswith(name)
                and self._label(other) == label and self._tagged_share(other) >= KEY_SLIP_TAGGED
                and self._rare_slip(name, other)]

    def _may_slip(self, name: str) -> bool:
        """``name`` is long and common enough to have slips (:data:`SLIP_TYPED_LETTERS` letters, or
        :data:`SLIP_MIN_LETTERS` after the article; in :data:`SLIP_RATIO` articles). With the article, a
        place or body only, not ending as an Arabic noun or adjective does (التجارة، الامريكية), nor a
        family name (الرفاعي، العامري): their slips are other words."""
        article = name.startswith("ال")
        if len(name) - 2 * article < (SLIP_MIN_LETTERS if article else SLIP_TYPED_LETTERS) or arabic_compound(name) \
                or self.vocab.count(name) < SLIP_RATIO:
            return False
        return not article or (name[-1] not in "يةه" and self._label(name) in ("LOC", "ORG"))

    def _rare_slip(self, name: str, other: str) -> bool:
        """``other`` is rare enough beside ``name`` to be its slip (:data:`SLIP_FEW`, :data:`SLIP_SOME`),
        takes the article as the name does, and is no Arabic compound, function word, adjective of the
        name (اسكتلندي of اسكتلندا: ي is ا's neighbour), inflecting word or other word behind a proclitic."""
        n, k = self.vocab.count(name), self.vocab.count(other)
        return 0 < k and (k <= SLIP_FEW and n >= SLIP_RATIO * k or k <= SLIP_SOME and n >= SLIP_SOME_RATIO * k) \
            and other.startswith("ال") == name.startswith("ال") and not arabic_compound(other) \
            and other not in _not_names() and not derived(name, other) and not adjective_of(other, name) \
            and not self.is_word(other) and not self.is_clitic_form(other)

    def slip_vouched(self, name: str, other: str) -> bool:
        """Each of the few articles of ``other`` names ``name`` too, writes ``other`` after a word that
        is the name's own (its first name or title, in some spelling: ديمتري بيسوف beside ديمتري
        بيسكوف), or names two of the name's close company (:meth:`_in_company`); none writes it after
        a first name that the name never stands after (هادي دايمان is not داميان though his story
        names a داميان); where the tagger tagged ``other`` it gave it the name's label."""
        t, mine = self.tagged.get(name), self.tagged.get(other)
        if t is None:
            return False
        label = self._label(name)
        if mine is not None and self._label(other) != label:
            return False
        own = [ctx for ctx, k in t.context.items() if ctx.startswith("<") and k >= CONTEXT_SHARE * t.articles]
        forms = set(self.vocab.surfaces(name)) | {name}
        for row in self.sample(other):
            words = tokens(self._text(row))
            before = {words[i - 1] for i in range(1, len(words)) if words[i] in (other, "و" + other)}
            first = {words[i - 1] for i in range(1, len(words)) if words[i] == other}  # not a list's و
            if any(self._first_name(b) and not any(_one_context("<" + b, ctx) for ctx in t.context) for b in first):
                return False  # after a first name never seen before the name: another man (هادي دايمان, not داميان)
            if not forms & set(words) and not any(_one_context("<" + b, ctx) for b in before for ctx in own) \
                    and not self._in_company(name, other, row):
                return False
        return True

    def _in_company(self, name: str, other: str, row: int) -> bool:
        """The article ``row`` names :data:`SLIP_COMPANY` or more of the entities that ``name``'s own
        articles name in :data:`SLIP_COMPANY_SHARE` of them or more, each far more often than the
        archive does (:data:`SLIP_COMPANY_LIFT`): a slip in a report that names the club and the
        coach (موديرتش beside ريال مدريد), where the article never names the name itself; not the
        designer جيل سافيني, whose story names only إيطاليا of Salvini's, nor ماكون (Macon, Georgia),
        whose names the United States and Trump are everyone's company."""
        profile, n = self._profile(name, "entity"), len(self.sample(name))
        if not n:
            return False
        if self._named is None:
            self._named = Counter()
            for (entity, _), k in self.entities.items():
                self._named[entity] += k
        own = _words(name) | _words(other)
        named = {e for (e,) in self.db.execute("SELECT DISTINCT name FROM entities WHERE article = ?", (row,))}
        close = [e for e in named if profile[e] >= SLIP_COMPANY_SHARE * n and not own & _words(e)
                 and profile[e] / n >= SLIP_COMPANY_LIFT * self._named[e] / self.total()]
        # one companion named twice (زين الدين زيدان and زيدان) is one
        kept: list[frozenset[str]] = []
        for words in sorted((_words(e) for e in close), key=lambda w: (-len(w), sorted(w))):
            if not any(words <= k for k in kept):
                kept.append(words)
        return len(kept) >= SLIP_COMPANY

    def _first_name(self, word: str) -> bool:
        """A name of the archive that the tagger tags mostly as (part of) a person's: هادي, not ليفربول."""
        return self.is_name(word) and self._label(word) == "PER"

    def _other_kind(self, word: str, label: str) -> bool:
        """``word`` is tagged mostly as another kind of name (سوتشي, a place, beside سو تشي, a person), in
        two articles or more, or in one if it is short: one tag of a long slip (هونغكونغ taken for a
        person once) is the tagger's guess, while a short word is often another name (بيكا, a woman,
        beside بي كا of بي كا كا)."""
        t = self.tagged.get(word)
        return t is not None and (t.articles >= 2 or len(word) < OTHER_KIND_LONG) \
            and self._label(word) != label

    def _part_of_names(self, word: str) -> bool:
        """A half of a split compound: not a function word, unless names are often written with it (ابو، عبد)."""
        if word not in _not_names():
            return True
        t = self.tagged.get(word)
        return t is not None and t.articles >= MIN_TAGGED * max(1, self.vocab.count(word))

    def same_company_split(self, name: str, split: str) -> bool:
        """A split compound is the name when the articles holding it name the same entities (a long
        one, :data:`SPLIT_LONG`, some of them)."""
        least = SPLIT_LONG_COMPANY if len(split.replace(" ", "")) >= SPLIT_LONG else MIN_COMPANY
        return self.company(name, split) >= least


#: a name's stem is its own when at most this many articles hold the stem for each one holding the
#: name in a spelling of that stem
STEM_OWN = 1.1


def stem_names(form: str, group: Group, learner: Learner) -> bool:
    """Whether a spelling is searched by its stem, as any word is: when the articles holding the stem
    (or a word filed under it as a second stem) are hardly more than those holding its name in a
    spelling of that stem (اليمن → يمن، بريطانيا → ريطاني; not بوتين → تين, which كوتينيو has too, nor
    لاتسيو → اتس, which واتس has as its second stem), or when the spelling is also an ordinary word,
    taking ال or a word's endings (نصر, a name and "victory": نصرا، نصره). A word that is only a name
    and whose stem is another word's is searched as itself: كاميرون (→ امير, a prince), لوبن (→ لوب,
    a lobby), ماسك (→ ماس, diamonds)."""
    if " " in form:
        return False
    root = stem(form)
    own = sum(n for f, n in group.forms.items() if " " not in f and stem(f) == root)
    # and the words filed under the stem as a second stem, but the name's own (بحمص): لاتسيو's stem is
    # اتس, under which واتس (WhatsApp) and كاتس (Cats) stand too
    mine = {s for f in group.forms if " " not in f for s in learner.vocab.surfaces(f)}
    others = sum(n for w, n in learner.vocab.second_stems(root).items() if w not in mine)
    if len(root) >= 2 and learner.vocab.stem_df.get(root, 0) + others <= STEM_OWN * own:
        return True
    if form in learner.article_brands:
        return False
    if not learner.behaves_as_name(form):
        return True
    if not learner.is_word(form):
        return False
    core = form[2:] if form.startswith("ال") else form
    if core[-1:] in "ةه" and core[-2:-1] != "ي":
        # a feminine form is judged as written too: الحديدة (never حديدة, حديدتها) is a name, though حديد
        # (iron) inflects; الباردة (باردة) and خطيبة (خطيبته) are words (العربية, from عربي, is not asked)
        forms = [core[:-1] + "ت" + e for e in ("ها", "هم", "ه", "ي", "نا")] + [core[:-1] + "ات", core if core != form else "ال" + form]
        return any(learner.vocab.df.get(f, 0) >= 2 for f in forms)
    return True


def article_of_stemmed(form: str, stemmed: set[str]) -> bool:
    """Whether ``form`` is the article and a name searched by its stem (الفهد and فهد): it is searched
    so too, as a reader typing the name with the article expects (a search by the stem finds both)."""
    return form.startswith("ال") and form[2:] in stemmed and stem(form) == stem(form[2:])


def _slip_forms(name: str, *, hamza: bool = True) -> set[str]:
    """What :meth:`Learner.letter_slips` asks the archive for: ``name`` with one letter left out after
    the first (not a final alef: شارابوف is شارابوفا's brother, not her slip), or its first where that
    is the alef of a hamza (with ``hamza``); one letter added inside; one long vowel for another; a key
    typed for its neighbour or two letters swapped."""
    out = {name[:i] + name[i + 1:] for i in range(1, len(name) - 1)}
    if not name.endswith("ا"):
        out.add(name[:-1])
    if hamza and name[0] == "ا":
        out.add(name[1:])
    out |= {name[:i] + c + name[i:] for i in range(2, len(name) - 1) for c in LETTERS}
    out |= {name[:i] + v + name[i + 1:] for i in range(1, len(name) - 1) if name[i] in "اوي" for v in "اوي"}
    return out | set(mistyped(name))


def _one_context(x: str, y: str) -> bool:
    """Two context words (``<x`` before a name, ``x>`` after it) on the same side, one word in two
    spellings (or one the start of the other's key: غاربيني، جاربين)."""
    if x.startswith("<") != y.startswith("<"):
        return False
    x, y = x.strip("<>"), y.strip("<>")
    kx, ky = sorted((spelling_key(x), spelling_key(y)), key=len)
    return _within_two(x, y) or (len(kx) >= 3 and ky.startswith(kx))


def _vowel_inside(a: str, b: str) -> bool:
    """The longer word is the shorter with one long vowel more, neither its first letter nor its last
    (زيوريخ/زيورخ، هاارتس/هارتس; not والدا/والدة, nor اسامة/سامة)."""
    if len(a) < len(b):
        a, b = b, a
    return len(a) == len(b) + 1 and any(a[i] in "اوي" and a[:i] + a[i + 1:] == b for i in range(1, len(a) - 1))


def _within_two(a: str, b: str) -> bool:
    """``a`` and ``b`` are at most two transliteration edits apart (see :func:`edits`)."""
    n = edits(a, b)
    return n is not None and n <= 2


def _near_keys(key: str) -> list[str]:
    """The key with one T (ت) more or less: the key folds تش to ش only where the two letters touch, so
    a slip that moves a vowel between them (مودرتيش beside مودريتش، بلازيفتيش beside بلازيفيتش)
    lands a T apart."""
    out = [key[:i] + key[i + 1:] for i, c in enumerate(key) if c == "T" and len(key) > MIN_KEY]
    return out + [key[:i] + "T" + key[i:] for i in range(len(key) + 1)]


def _keyed(word: str, key: str) -> bool:
    """``word`` is looked up by its ``key``: the key has :data:`MIN_KEY` letters, or the word is long."""
    return len(key) >= MIN_KEY or _core(word) >= LONG_WORD


def _e_keys(key: str) -> list[str]:
    """The key with its last letter ي for ه or the reverse: a final *é* written يه or ي (مانيه/ماني،
    أندريه/أندري), whose ي the key drops as a vowel inside the word; :func:`edits` counts the pair one
    edit apart only where the word ends in يه."""
    if key.endswith("H"):
        return [key[:-1] + "ي"]
    return [key[:-1] + "H"] if key.endswith("ي") else []


def _a_keys(key: str) -> list[str]:
    """The key with its last letter ا for ه (ة) or the reverse: a final *a* written either way
    (بنزيما/بنزيمة، ملقا/ملقة), which :func:`edits` counts as one edit."""
    if len(key) < MIN_KEY:
        return []
    if key.endswith("H"):
        return [key[:-1] + "ا"]
    return [key[:-1] + "H"] if key.endswith("ا") else []


def _ch_keys(key: str) -> list[str]:
    """The key with one ك (G) for a ش or تش (S), or the reverse: Italian ch written either way."""
    return [key[:i] + ("S" if c == "G" else "G") + key[i + 1:] for i, c in enumerate(key) if c in "GS"]


def _kind(label: str) -> str:
    """A label as a kind of name: the tagger calls an organisation ORG or MISC by turns (اليونيسيف is
    MISC in 10 of ANT's articles and ORG in 7; يونيسيف ORG in 15)."""
    return "ORG" if label == "MISC" else label


def _core(word: str) -> int:
    """Letters of a word without its article: Arabic words of three or four root letters meet each
    other under the transliteration edits (الامن/الامين، العدل/العدول); foreign names are longer."""
    return len(word) - 2 if word.startswith("ال") else len(word)


@lru_cache(maxsize=200_000)
def _words(name: str) -> frozenset[str]:
    return frozenset(tokens(name))


def _cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


# -------------------------------------------------------------------- edits, referents, storage

def apply_edits(groups: list[Group], edits: Iterable[tuple[str, str, str | None]], learner: Learner) -> list[Group]:
    """Apply ``marsad names merge/split`` edits, in the order they were made, to learned groups."""
    of: dict[str, Group] = {f: g for g in groups for f in g.forms}
    for op, a, b in edits:
        if op == "merge" and b is not None:
            ga = of.get(a) or Group(a, {a: learner.articles(a)})
            gb = of.get(b) or Group(b, {b: learner.articles(b)})
            if ga is gb:
                continue
            ga.forms.update(gb.forms)
            ga.label = ga.label or gb.label
            for f in ga.forms:
                of[f] = ga
        elif op == "split" and a in of and len(of[a].forms) > 1:
            g = of[a]
            del g.forms[a]
            of[a] = Group(a, {a: learner.articles(a)}, g.label)
    out = {id(g): g for g in of.values()}
    for g in out.values():
        g.canonical = min(g.forms, key=lambda f: (-g.forms[f], f))
    return sorted(out.values(), key=lambda g: g.canonical)


#: a person's short name is a full name when that one holds this share of the full names holding
#: it, and is written at least this often for each time the short name is
FULL_NAME_SHARE = 0.75
FULL_NAME_OWN = 0.5
#: words of a country's or body's official long form
_DESCRIPTORS = frozenset("""المملكه المملكة العربيه العربية المتحده المتحدة الامريكيه الامريكية الاميركيه الاميركية
جمهوريه جمهورية دوله دولة الهاشميه الهاشمية الاسلاميه الاسلامية الشعبيه الشعبية الديمقراطيه الديمقراطية الاتحاديه
الاتحادية سلطنه سلطنة امارة اماره""".split())


def referents(learner: Learner, groups: list[Group]) -> dict[tuple[str, str], tuple[str, str] | None]:
    """Each entity (name, label) of the archive → its referent (display name, label), or None for a
    one-word "entity" that is not a name (دولار، الميليشيات)."""
    canon: dict[str, str] = {}
    splits: list[tuple[str, str]] = []
    for g in groups:
        for f in g.forms:
            if " " in f:
                splits.append((f, g.canonical))
            else:
                canon[f] = g.canonical

    def key_of(name: str) -> str:
        if _VOWELLED.search(name):  # عمّان (Amman) written with its shadda is not عمان (Oman): kept as written
            return " ".join(normalize_alef(name).split())
        text = " ".join(tokens(name))
        for split, c in splits:
            if split in text:
                text = re.sub(rf"(?<!\S){re.escape(split)}(?!\S)", c, text)
        return " ".join(canon.get(w, w) for w in text.split())

    keyed: dict[str, Counter[str]] = defaultdict(Counter)  # key -> raw names with articles
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    of: dict[tuple[str, str], str | None] = {}
    for (name, label), n in sorted(learner.entities.items()):
        key = key_of(name)
        words = tokens(name)
        if not words or (len(words) == 1 and not (learner.is_name(words[0]) or words[0] in learner.tagged
                                                  and learner.behaves_as_name(words[0]) and not words[0].isdigit())):
            of[(name, label)] = None
            continue
        of[(name, label)] = key
        keyed[key][name] += n
        labels[key][label] += n
    label_of = {k: min(c, key=lambda lab: (-c[lab], lab)) for k, c in labels.items()}
    own = {k: sum(v.values()) for k, v in keyed.items()}
    full: dict[str, str] = {}
    # a person's surname (or first and middle names) that nearly always stands for one full name,
    # and often enough written so, is that person: ترامب → دونالد ترامب, but كوريا stays كوريا
    containers: dict[str, Counter[str]] = defaultdict(Counter)
    for key in keyed:
        if label_of[key] != "PER":
            continue
        words = key.split()
        for i in range(1, len(words)):
            containers[" ".join(words[i:])][key] += own[key]
            containers[" ".join(words[:i])][key] += own[key]
    for key in sorted(keyed):
        found = Counter({k: n for k, n in containers.get(key, Counter()).items() if label_of[key] == "PER"})
        if found:
            best, n = min(found.items(), key=lambda kv: (-kv[1], kv[0]))
            if n >= 3 and n >= FULL_NAME_SHARE * sum(found.values()) and n >= FULL_NAME_OWN * own[key]:
                full[key] = best
    # a place's or body's official long form is its common short one: الولايات المتحدة الامريكية,
    # المملكة العربية السعودية, جمهورية مصر العربية; a qualifier that makes another place does not
    # (كوريا الشمالية, المانيا الغربية)
    for key in sorted(keyed):
        if label_of[key] == "PER" or key in full:
            continue
        words = key.split()
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                short = " ".join(words[i:j])
                rest = words[:i] + words[j:]
                if short != key and short in keyed and rest and all(w in _DESCRIPTORS for w in rest) \
                        and label_of.get(short) == label_of[key]:
                    full[key] = short
                    break
            if key in full:
                break
    # a country whose adjective ends a place's name is that country: الولايات المتحدة الامريكية is
    # امريكا (and so, by its official long form, الولايات المتحدة), الجمهورية العربية السورية is سوريا;
    # only a country name ending in ا, so that المانيا الغربية is not الغرب
    def rep(key: str) -> str:
        seen = {key}
        while key in full and full[key] not in seen:
            key = full[key]
            seen.add(key)
        return key

    for key in sorted(keyed):
        words = key.split()
        last = words[-1]
        if label_of[key] != "LOC" or len(words) < 2 or not (last.startswith("ال") and last[-2:] in ("ية", "يه")):
            continue
        base = last[2:-2]
        for country in (canon.get(base + "ا", base + "ا"), canon.get(base + "يا", base + "يا")):
            if label_of.get(country) != "LOC" or " " in country:
                continue
            a, b = rep(key), rep(country)
            if a != b:
                small, big = sorted((a, b), key=lambda k: (own[k], k))
                full[small] = big
    for key in list(full):  # follow chains (كيم → كيم جونغ → كيم جونغ اون)
        seen = {key}
        while full[key] in full and full[key] not in seen:
            seen.add(full[key])
            full[key] = full[full[key]]
    # the display name of a referent: its most common written form
    display: dict[str, str] = {}
    merged: dict[str, Counter[str]] = defaultdict(Counter)
    for key, names in keyed.items():
        merged[full.get(key, key)].update(names)
    for target, names in merged.items():
        if label_of.get(target) == "PER" and target in keyed:  # a person: the full name, as most often written
            names = keyed[target]
        display[target] = min(names, key=lambda s: (-names[s], s))
    out: dict[tuple[str, str], tuple[str, str] | None] = {}
    for pair, its in of.items():
        if its is None:
            out[pair] = None
        else:
            ref = full.get(its, its)
            out[pair] = (display[ref], label_of.get(ref, pair[1]))
    return out
