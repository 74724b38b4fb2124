"""One name, every spelling: the archive's name lexicon, learned from what it holds.

Arabic news writes a foreign name as each writer hears it (ترامب/ترمب، بوتين/بوتن، فيسبوك/فيس بوك). This
module learns, from the archive itself, which words are names and which spellings are one name,
and stores the result in the archive, where search, the entity counts and the web pages read it.

**Which words are names.** A word is a name when the entity tagger tagged it as part of an entity in
at least a tenth of the articles that hold it, it is not a function word, and it behaves as a name:
a name does not take the article (ترامب is never written الترامب, while دولار has الدولار, so
currencies, units and common nouns that the tagger sometimes tags stay words; where ال + the name is
mostly a word of its own starting with أل, which normalising writes ال, as لالماني and الالماني show,
only the article's لل forms count: ماني is a name beside ألماني "German"); a name that starts
with ال (المغرب، الكونغرس) is rarely written without it (الحكومة has حكومة, so it is a word).
A brand the tagger seldom tags (واتساب، انستغرام) is a name when it behaves as one and the archive
writes it after a head noun of brands (تطبيق، منصة، شركة، موقع ...) in a fifth of its articles or more.
A brand the news writes with the article (البيتكوين) or that reads as a word behind a proclitic
(بتكوين: ب + تكوين) does not behave as a name; it is one when a second spelling of it, at most two
edits away, is written after such a head too (عملة بيتكوين، عملة بتكوين: two newsrooms), and its
spellings are then searched with the article as well (البتكوين finds بيتكوين).

**Which spellings are one name.** Candidates share a transliteration key
(:func:`marsad.text.names.spelling_key`: long vowels, ج/غ/ق/ك, تش/ش, ... folded), or have keys one ت
apart and are at most two letter edits apart (a slip that parts the ت of تش from its ش: مودرتيش
beside مودريتش), or keys one ك for a تش apart (Italian ch: بوكيتينو/بوتشيتينو), or a last letter ه for ي
apart where one word ends in يه (a final é: أندريه/أندري، مانيه/ماني), or a last letter ا for ه
(ة) apart (a final *a*: بنزيما/بنزيمة، ادنبرا/ادنبره; not a country in يا and its adjective in ية
when the archive writes the adjective with the article: ألمانيا/ألمانية). A word the archive
holds only behind a proclitic (ونيكارغوا) is a candidate by its bare form. The key alone
merges حسن and حسين, كتاب and كتب, so a candidate joins a name only on evidence from the archive:

- both behave as names (the ال test above; the candidate need not be tagged: the tagger never
  tags ترمب);
- and one of:
  - *the same company*: the name's own first name or title, one that goes with it and little else
    (دونالد before ترامب, فلاديمير before بوتين), also written before the candidate (دونالد ترمب),
    or after it in a spelling of its own when it stands so often (هونج كونج beside هونغ كونغ);
  - *the spellings of different writers*: both are common, the sources that write one seldom write
    the other (each newsroom keeps one spelling: ترامب/ترمب, أمريكا/أميركا), and the two are named
    with the same other entities;
  - *a close long spelling*: both at least five letters, one or two edits apart, named with the
    same other entities (كامبريدج/كمبريدج); or both at least six letters, one edit apart, tagged
    with the same label and named with much the same entities (سبوتنيك/سبوتنك), or with some of the
    same when both are seven letters or more (روسكوزموس/روسكوسموس, 7 articles each, which share
    little company by chance), or, five letters long, one long vowel apart inside the word and in
    much the same company (زيورخ/زيوريخ، هارتس/هاارتس) when neither is an Arabic name (written beside
    بن: سلمان/سليمان) and they are not a first name and a last name, unless each is tagged beside a word of its own (جوزيه مورينيو and لينين
    مورينو are two men);
  - *written together*: a rare spelling that stands in articles that also write the name (one
    writer's slip in one story);
  - *a rare slip*: a spelling a tenth as common or rarer, one edit away, in some of the name's
    company (فايسبوك beside فيسبوك; not زوريا beside سوريا, nor a last name beside a first name, by
    where the tagger saw each in names: ميتشيل, Mitchell, beside ميشيل, Michel), or, in one or two articles beside a name
    of seven letters or more, on its letters alone unless the tagger saw it beside a word the name
    never has (نيكاراجوا beside نيكاراغوا; not دانيال ريكياردو beside ريكاردو);
  - *Italian ch*: keys one ك for a تش apart, both seven letters or more, one label, the same
    company;
  - *a final ة/ه*, when both are names or one is rare.

  *A letter slip of a long name*: a word of one to three articles that is a name of six letters or
  more (in twenty times as many articles) with one letter left out (not a last ا: شارابوف is a man
  beside شارابوفا), its first ا dropped (سبانيا), one letter added inside (يوفتنتوس), one long vowel
  for another, or a key mistyped (:func:`mistyped`) joins the name when no rule above joined it
  elsewhere; when it is no word, no adjective of the name (اسكتلندي beside اسكتلندا) and no other
  word behind a proclitic; when the tagger, where it tagged it, gave it the name's label; and when
  each of its articles names the name or writes the word after the name's own first name or title
  (ديمتري بيسوف), or two of the name's close company, and none writes it after a first name the
  name is never written after (هادي دايمان, not داميان). A word of up to ten articles beside a name a
  hundred times as common is such a slip too (ادروغان beside اردوغان), and so is a slip after the
  article of a place or body written with it (المسكيك beside المكسيك; not of a word ending as Arabic
  nouns and adjectives do, التجارة، الامريكية, nor of a family name, العامري).

  *A slip under the key*: a rare word with the key of a name of four key letters or more, however
  many vowels and letters apart (هينكيز beside هاينكس), joins it as a letter slip does when it
  starts with the name's letter, the tagger tags it with the name's label in half its articles,
  and it stands beside no word the name is never beside (the tagger's وجو مانتشن, Joe Manchin, is
  not منوتشين).

  *A rare spelling beside the group*: a spelling kept apart above, rarer than the spelling it is an
  edit from, that is a rare slip beside the whole group rather than beside that spelling (منوشن, 6
  articles, beside منوشين's 27 in Mnuchin's group of some 105).

  *A prosthetic alef*: a rarer spelling with an alef before a name's first two consonants
  (امبابي/مبابي، استوكهولم/ستوكهولم), which the key keeps, joins it when tagged with its label and
  named with some of its company.

  *The French reading*: a surname ending in د or ت beside the same surname without it (هازارد/هازار),
  both tagged after another word of a name at least as often as before one (not the first names
  جيرارد/جيرار), one label, named with alike company.

  Short Arabic names and words one vowel apart (حسن/حسين، الامن/اليمن), Arabic compound names
  (عبدالله/عبيدالله), an adjective or adverb made from a name (أمريكا/أمريكيا، فرنسا/فرنسيا; but a
  spelling in يا that the tagger tags with the name's label in most of its articles is no adverb:
  لاكورونا/لاكورونيا) and an Arabic noun in ة with a pronoun (جايزتي، شريكتي: جايزة and شريكة are
  more common) never fold. The rules and their thresholds are in :mod:`marsad.archive.name_learning`.

A group is the connected spellings; its ``canonical`` is its most common spelling. A compound split
in two (فيس بوك) joins the group of its joined form when named with the entities of one of the
group's one-word spellings (or some of them, when it is eight letters or more: روس كوزموس beside
روسكوزموس; لا كورونا with لاكورونيا's, the common one; the articles of Romance names,
لا and لو, count as halves of a name though they are Arabic words too), or, for a brand (any
one-word spelling of the group, a slip too: سنابتشات), when the two words stand after a head noun of
brands in two articles (فولكس فاغن). Two brands under one key at most two edits apart are one brand,
however short the key (جوجل/غوغل), each after a head noun in three articles, or in one when both are
five letters or more (هواواي/هواوي). A two-word name tagged as such joins its joined spelling
(هونغ كونغ/هونغكونغ) unless that is tagged another kind of name in two articles (سوتشي), or once
if it is short.

**A slip typed.** A search word the lexicon does not hold that is a rare slip of one of its names
(فنزيلا for فنزويلا، هاترك for هاتريك، دوناللد for دونالد) matches the name's spellings too, and says
so: one long vowel written or left out or one letter typed twice (or, where no name is that near, a
key mistyped, two swapped or one left out), the word in three articles at most and the name, in all
its spellings, in twenty times as many, and, where the tagger saw the word, seen as the name is, or,
where it did not, in a story that names the name's company (:func:`slip_of`). The learning cannot fold such
a word (its one article says too little) and a reader may type a spelling no article uses.

**A long name typed apart.** Two words typed that, joined, are a name of :data:`SPLIT_LONG` letters
or more (مانا فورت, مانافورت) are that name, as the learning takes such a compound written apart for
it (:func:`expand_phrase`); a short join is two words (فان ديك, سو تشي).

**Words whose stem a name shares.** A name that the stemmer cuts into, taking its first letters
for a clitic or a prefix (بوتين → تين, الكاميرون → امير, الفجيرة → جير; ويست → يست by its second
stem, :func:`~marsad.text.analysis.alternative`), is searched as written; a
word typed with that stem (التين "the figs", الأمير "the prince") then matches by its stem only where
a word of that stem other than such a name stands, or the name it is itself a spelling of (حريري
typed finds الحريري): the archive's words of each such stem are stored when the names are learned
(:func:`shared_stems`, :func:`word_forms`). A name the stemmer only trims at its end, as it trims a
word (ماكرون → ماكر, الجديدة → جديد), still shares its stem.

**Referents.** Entities are counted per referent: each word of an entity name is replaced by its
group's canonical spelling, a one-word name that nearly always stands for one longer name of the
same kind is that name (ترمب → دونالد ترامب, الإمارات → الإمارات العربية المتحدة), and a one-word
"entity" that is not a name (دولار، الميليشيات) is not counted.

The learning is deterministic: the same archive gives the same groups (every choice is made in a
sorted order). Edits made with ``marsad names merge/split`` are stored apart and applied after
learning, so they persist and win.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..text.analysis import alternative, core_fold, stem, stem_core, strip_clitics, tokens
from .connection import Connection
from .schema import ROWID_MASK
from ..text.arabic import normalize
from ..text.names import ARABIC_WORD, LONG_VOWELS, PROCLITICS, arabic_compound, derived, edits, spelling_key

if TYPE_CHECKING:  # the learning loads only to learn: a search reads what it stored
    from .name_learning import Group, Learner


#: an ingest learns the names again when the archive holds fewer articles than this, or has grown by
#: this share since they were last learned (``marsad names learn`` learns them at any time)
LEARN_ALWAYS = 20_000
LEARN_GROWTH = 0.01


def learn(db: Connection) -> tuple[list[Group], dict[tuple[str, str], tuple[str, str] | None], Learner]:
    """The name groups and entity referents of an archive, its edits applied."""
    from .name_learning import Learner, apply_edits, referents

    learner = Learner(db)
    groups = learner.learn()
    made = db.execute("SELECT op, a, b FROM name_edits ORDER BY seq").fetchall()
    groups = apply_edits(groups, made, learner)
    return groups, referents(learner, groups), learner


def refresh(db: Connection) -> dict[str, int]:
    """Learn the archive's names again and store them, with the entity counts by referent (inside
    the caller's transaction). Counts of what was stored."""
    from .name_learning import article_of_stemmed, stem_names

    groups, refs, learner = learn(db)
    db.execute("DELETE FROM name_forms")
    rows = []
    group_of = {form: g.canonical for g in groups for form in g.forms}
    for g in groups:
        forms = dict(g.forms)
        for form in g.forms:  # a name written in two words is also looked up typed as one (هونغكونغ)
            if " " in form and form.replace(" ", "") not in forms:
                forms[form.replace(" ", "")] = learner.vocab.count(form.replace(" ", ""))
        for form, n in sorted(forms.items()):
            written = [w for w in learner.written_forms(form) if not _another_name(w, form, g.canonical, group_of, learner)]
            rows.append((form, g.canonical, g.label, n, "|".join(written) or form, spelling_key(form),
                         int(stem_names(form, g, learner))))
    stemmed = {row[0] for row in rows if row[6]}
    rows = [(*row[:6], 1) if not row[6] and article_of_stemmed(row[0], stemmed) else row for row in rows]
    db.executemany("INSERT INTO name_forms (form, grp, label, n, surfaces, key, stemmed) VALUES (?,?,?,?,?,?,?)", rows)
    db.execute("DELETE FROM name_stems")
    db.executemany("INSERT INTO name_stems (stem, forms, names) VALUES (?, ?, ?)",
                   [(s, *forms) for s, forms in sorted(shared_stems(
                       [(form, surfaces, bool(kept)) for form, _, _, _, surfaces, _, kept in rows], learner.vocab.df).items())])
    db.execute("DELETE FROM entity_refs")
    db.executemany("INSERT INTO entity_refs (name, label, ref, ref_label, name_key, ref_key) VALUES (?,?,?,?,?,?)",
                   [(name, label, *(ref or (None, None)), " ".join(tokens(name)), " ".join(tokens(ref[0])) if ref else None)
                    for (name, label), ref in sorted(refs.items())])
    db.execute("DELETE FROM entity_days")
    db.execute(
        "INSERT INTO entity_days (name, label, day, n)"
        " SELECT r.ref, r.ref_label, docno(a.day, a.rowid) >> 32, count(DISTINCT e.article) FROM entities e"
        " JOIN entity_refs r ON r.name = e.name AND r.label = e.label JOIN articles a ON a.rowid = e.article"
        " WHERE r.ref IS NOT NULL GROUP BY 1, 2, 3")
    (articles,) = db.execute("SELECT count(*) FROM articles").fetchone()
    db.execute("INSERT INTO meta (name, value) VALUES ('names_articles', ?)"
               " ON CONFLICT (name) DO UPDATE SET value = excluded.value", (articles,))
    db.execute("DELETE FROM meta WHERE name = 'names_pending'")
    return {"names": len(rows), "groups": sum(1 for g in groups if len(g.forms) > 1),
            "entities": sum(1 for r in refs.values() if r is not None), "not_names": sum(1 for r in refs.values() if r is None)}


def _stems_of(word: str) -> set[str]:
    """The stems a word is indexed under: its stem, and its second stem (:func:`alternative`)."""
    return {s for s in (stem(word), alternative(word)) if s}


def _cut(name: str, root: str) -> bool:
    """``root``, a stem of the name or of one of its written forms, is a piece of the name without
    its front, the stemmer having taken its first letters for clitics or a prefix (كاميرون → امير,
    بوتين → تين; ويست, West, is يست by its second stem, as الباليستية is): not the name trimmed only of
    the article and endings (الجديدة → جديد, a word as well), nor a stem that is no piece of the name
    (بندا, ب + the name ندا, is بند "item" to the stemmer, which keeps the ب). A piece as the stemmer
    writes it: كونستانس is استانس, its ست written است (:func:`stem_core`)."""
    bare = (name[2:] if name.startswith("ال") else name).replace("ة", "ه")
    return stem_core(root) in core_fold(bare) and not bare.startswith(root)


def shared_stems(names: Iterable[tuple[str, str, bool]], words: Iterable[str]) -> dict[str, tuple[str, str]]:
    """For each stem of a name searched as written that the stemmer cuts into (:func:`_cut`; ``names``:
    form, written forms joined by ``|``, searched by its stem), the archive's ``words`` of that stem
    that are no such name's written form, and those names, each joined by ``|``: بوتين shares تين
    with التين (figs), الكاميرون امير with الامير. A word typed with such a stem matches by it only
    where one of those words stands, or a name that is the word typed (:func:`word_forms`)."""
    shared: dict[str, tuple[list[str], list[str]]] = {}
    written: set[str] = set()
    for form, surfaces, stemmed in sorted(names):
        if stemmed or " " in form:
            continue
        cut = sorted({s for w in surfaces.split("|") for s in _stems_of(w) if _cut(form, s)})
        for s in cut:
            shared.setdefault(s, ([], []))[1].append(form)
        if cut:
            written.update(surfaces.split("|"))
    for word in sorted(words):
        if word not in written:
            for s in _stems_of(word) & shared.keys():
                shared[s][0].append(word)
    return {s: ("|".join(ws), "|".join(ns)) for s, (ws, ns) in shared.items()}


def note_words(db: Connection, texts: Iterable[str]) -> int:
    """Add to the stems names share (:func:`shared_stems`) the words of newly stored ``texts`` that
    the archive did not hold when its names were learned: an article that names بوتين and is the
    first to write بالتين is then found by بالتين before the names are learned again (the word would
    otherwise stand where only the name is known to). Only the words of a text holding a written
    form of such a name are stemmed; a word that is such a name behind proclitics not seen before
    (فبوتين) is the name's, not a word of the stem. Each word is added by one UPDATE that reads the
    row it writes, so PostgreSQL's concurrent writers add theirs without losing another's. The words
    added."""
    rows = db.execute("SELECT stem, forms, names FROM name_stems").fetchall()
    if not rows:
        return 0
    known = {s: set(forms.split("|")) for s, forms, _ in rows}
    names = sorted({n for _, _, ns in rows for n in ns.split("|") if n})
    bare_names = set(names)
    written: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        written.update(w for (surfaces,) in db.execute(
            f"SELECT surfaces FROM name_forms WHERE form IN ({', '.join('?' * len(chunk))})", chunk) for w in surfaces.split("|"))
    new: dict[str, set[str]] = {}
    for text in texts:
        words = set(tokens(text))
        if words.isdisjoint(written):
            continue
        for word in words - written:
            if any(word.startswith(p) and word[len(p):] in bare_names for p in PROCLITICS if p):
                continue  # the name behind proclitics (فبوتين)
            for s in _stems_of(word):
                if s in known and word not in known[s]:
                    new.setdefault(s, set()).add(word)
    added = 0
    for s in sorted(new):  # in one order: two writers of PostgreSQL lock the rows alike
        for word in sorted(new[s]):
            added += db.execute(
                "UPDATE name_stems SET forms = CASE WHEN forms = '' THEN ? ELSE forms || '|' || ? END"
                " WHERE stem = ? AND '|' || forms || '|' NOT LIKE ?", (word, word, s, f"%|{word}|%")).rowcount
    return added


def word_forms(db: Connection, word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]] | None:
    """Where a word that is no name has a stem shared with names searched as written
    (:func:`shared_stems`: its stem, or its second stem, which a search also reads: لتين is تين as
    well; None where neither is shared): the written forms that are the word's (the
    word itself, the archive's other words of that stem, and the spellings of a name the word is
    written as, with other clitics or another spelling: الحريري for حريري, بنزيما for بنزيمه), and the
    written forms of the other names (بوتين for تين), and which of the word's stems they share."""
    rows = {s: row for s in sorted(_stems_of(word))
            if (row := db.execute("SELECT forms, names FROM name_stems WHERE stem = ?", (s,)).fetchone())}
    if not rows:
        return None
    words = [f for forms, _ in rows.values() for f in forms.split("|") if f]
    names = sorted({n for _, ns in rows.values() for n in ns.split("|") if n})
    found = db.execute(f"SELECT form, grp, surfaces FROM name_forms WHERE form IN ({', '.join('?' * len(names))})",
                       names).fetchall() if names else []
    bare = strip_clitics(word.replace("ة", "ه"))
    own = {grp for form, grp, _ in found if strip_clitics(form.replace("ة", "ه")) == bare}
    mine = [w for grp in sorted(own) for (surfaces,) in db.execute("SELECT surfaces FROM name_forms WHERE grp = ?", (grp,))
            for w in surfaces.split("|")]
    others = [w for _, grp, surfaces in sorted(found) if grp not in own for w in surfaces.split("|")]
    return tuple(dict.fromkeys([word, *words, *mine])), tuple(dict.fromkeys(others)), tuple(rows)


def _another_name(written: str, form: str, group: str, group_of: dict[str, str], learner: Learner) -> bool:
    """A written form of ``form`` (a proclitic before it) is another name's, which takes proclitics of
    its own, behind fewer of them: بكين (Beijing: وبكين، لبكين) and وبكين are not كين (Kane) behind ب
    and وب, ليون (Lyon) not يون behind ل; وسلوفاكيا, a name to the tagger that takes none, is
    و + سلوفاكيا."""
    for p in sorted(PROCLITICS, key=len):  # the longest name the written form holds
        base = written[len(p):]
        if len(base) <= len(form) or not written.startswith(p):
            continue
        if base in group_of:
            return group_of[base] != group and any(q + base in learner.vocab.df for q in PROCLITICS if q)
    return False


def entity_ref_rows(db: Connection, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The distinct referents (name, label) of an article's entities, as ``entity_days`` counts them:
    a name learned as not a name is left out, one not yet learned counts as itself."""
    out: dict[tuple[str, str], None] = {}
    for name, label in pairs:
        row = db.execute("SELECT ref, ref_label FROM entity_refs WHERE name = ? AND label = ?", (name, label)).fetchone()
        if row is None:
            out[(name, label)] = None
        elif row[0] is not None:
            out[(row[0], row[1])] = None
    return list(out)


# -------------------------------------------------------------------- reading

@dataclass(frozen=True)
class Expansion:
    """What a query word that is a known name matches: the written forms of its spellings (each a
    word, or words in order), and the spellings added to the one typed."""
    surfaces: tuple[str, ...]
    added: tuple[str, ...]
    #: the spelling of the lexicon the word was found as (ترامب for وترامب), and its written forms
    base: str
    own: tuple[str, ...]
    #: the word's stem names it (see :func:`~marsad.archive.name_learning.stem_names`): it matches by
    #: its stem as any word does, and a spelling of the same stem (غزة for غزه) is found so, not added
    stemmed: bool = False


def bases(word: str) -> Iterator[str]:
    """``word`` and what it may be without its proclitics, longest first."""
    yield word
    for p in sorted(PROCLITICS[1:], key=len, reverse=True):
        if word.startswith(p) and len(word) - len(p) >= 3:
            yield word[len(p):]
    if word.startswith("لل") and len(word) >= 5:
        yield "ا" + word[1:]


def _lexicon_form(db: Connection, word: str) -> tuple[str, tuple[str, str, int]] | None:
    """The spelling of the lexicon a normalised word is, behind its proclitics or, for a brand that
    takes the article (البتكوين), its article too, with its row (group, written forms, stemmed)."""
    candidates: list[tuple[str, str | None]] = [(base, None) for base in bases(word)]
    candidates += [(written[2:], written) for written in bases(word) if written.startswith("ال")]
    for base, written in candidates:
        row = db.execute("SELECT grp, surfaces, stemmed FROM name_forms WHERE form = ?", (base,)).fetchone()
        if row is not None and (written is None or written in row[1].split("|")):
            return base, row
    return None


#: a word typed that the lexicon does not hold is a slip of a name (ميركيل for ميركل) when it is in
#: this many articles at most, the name in this many times more (and in this many at least when the
#: archive has none of the word), and both are this many letters long or more
SLIP_FEW = 3
SLIP_RATIO = 20
SLIP_MIN_LETTERS = 5
#: a long vowel written for another (كاساميرو for كاسيميرو) is a slip in words this long at least
SLIP_MOVED_LETTERS = 6
#: a letter typed for the one on a key beside it (كربستال for كريستال) is a slip in words this long
SLIP_TYPED_LETTERS = 6
#: ... and no word longer than this is a slip or a rare name (a pasted run of letters would make
#: thousands of candidates)
SLIP_MAX_LETTERS = 30
#: a name this long written in two words is the name (:meth:`~marsad.archive.name_learning.Learner.same_company_split`,
#: :func:`expand_phrase`): so long a run of letters is seldom two things
SPLIT_LONG = 8


def slip_of(db: Connection, word: str) -> tuple[str, tuple[str, str, int]] | None:
    """The name of the lexicon a normalised query word is a rare slip of, with its row, or None.

    The learning folds a spelling into a name only on evidence that it is one (the same company, the
    same kind of writer); a spelling of one or two articles often has none, and a reader may type a
    spelling no article uses. Typed, such a word is taken for the name when:

    - its letters are the name's but for one long vowel written or left out, one letter typed twice, or
      one or two long vowels written for others (:func:`may_be_slip`), and no other name's are; or,
      when no name is that near, one key mistyped (:func:`mistyped`) or one letter left out
      (:func:`left_out`; where the archive writes the word, each of its stories names the name too,
      or is one of the name's by the entities it names);
    - it is rare (:data:`SLIP_FEW` articles at most) and the name is far more common, counted over all
      its spellings (ميشيجين is a slip of ميشيجان, two articles of Michigan's forty); a name as rare is
      not one it may be a slip of, however near (بولناد, a place, is not بولند, a presenter of two
      articles, but بولندا);
    - where the tagger saw it, it saw it as the name is seen (and, for a vowel written for another, a
      key mistyped, a letter left out or a slip of a rare spelling of the name, wherever the archive
      writes it, saw it so or the story is one of the name's by the entities it names:
      :class:`_NamesStories`): with the name's label, and beside no word (a first name, a title)
      that the archive never writes beside the name in any spelling (ماكيون in ألكسندر ماكيون is McQueen,
      not ماكين; ستارلينغ in بنك ستارلينغ is a bank, not سترلينغ; ميركيل in رون ميركيل is not ميركل).

    The word still matches as written (not by its stem: فنزيلا's is نزيل); the name's spellings
    are added and shown. The word is read
    as typed, or behind و only: other proclitics are too often a name's own first letter (باكاردي
    is not ب + اكاردي)."""
    from .search import text_index

    index = text_index(db)
    if not ARABIC_WORD.fullmatch(word):
        return None  # a number or a Latin word is no slip of an Arabic spelling
    for base in (word, word[1:]) if word.startswith("و") else (word,):
        if arabic_compound(base):
            return None
        if not SLIP_MIN_LETTERS <= len(base) <= SLIP_MAX_LETTERS or base.startswith("ال"):
            continue  # no name is a slip away
        articles = index.sample_exact(db, [base], SLIP_FEW + 1)  # as many as needed to tell it is rare
        if len(articles) > SLIP_FEW:
            return None
        # the names common enough to have it as a slip: a spelling of a group the archive writes
        # far more often, in all its spellings (ميشيجين beside ميشيجان, 2 articles, of Michigan's 40);
        # a rarer name is a rival (لوريون, 18 articles, beside لوران's 30 for لوريان, Lorient), unless
        # it is as rare as a slip and the tagger did not see the word as a name of its kind (بولند,
        # Halima Boland in 2 articles, is none for بولناد, tagged a place: بولندا is), and the word
        # itself learned behind و is none (وويكيلييكس)
        least = SLIP_RATIO * max(1, len(articles))
        labels = _labels_of(db, base, [docno & ROWID_MASK for docno in articles]) if articles else set()

        def weighed(row: tuple[Any, ...]) -> bool:
            # (a stray of one article in a group is too far from the name for a slip of it to be one:
            # خميني, Khomeini, is near خاميني, once Khamenei's)
            return row[0] != "و" + base and row[4] >= SLIP_STRAY and (row[5] in labels or _group_articles(db, row[1]) > SLIP_FEW)

        rows = [row for row in db.execute("SELECT form, grp, surfaces, stemmed, n, label FROM name_forms WHERE key = ?"
                                          " AND form NOT LIKE '% %' ORDER BY n DESC, form", (spelling_key(base),))
                if weighed(row)]
        near = [row for row in rows if may_be_slip(base, row[0])]
        # a long vowel for another (:func:`_vowels_moved`) is weighed only where no other slip is near
        # (ميكرون, "micron", one vowel from مايكرون, is not Macron's)
        plain = [row for row in near if not _vowels_moved(base, row[0])]
        strict, near = not plain, plain or near  # strict: asked of the tagger wherever it is written
        gone: set[str] = set()  # the names ``base`` is with a letter left out
        if not near and len(base) >= SLIP_TYPED_LETTERS - 1:
            # a key typed for its neighbour, two keys the wrong way round, or a letter left out
            typed = mistyped(base) if len(base) >= SLIP_TYPED_LETTERS else []
            # (an adjective is not the name with its last letter left out: كولومبي of كولومبيا)
            gone = {g for g in left_out(base) if not (base.endswith("ي") and g[:-1] == base)}
            typo = typed + sorted(gone)
            near = [row for row in db.execute(f"SELECT form, grp, surfaces, stemmed, n, label FROM name_forms WHERE"
                                              f" form IN ({', '.join('?' * len(typo))}) ORDER BY n DESC, form", typo)
                    if not row[0].startswith("ال") and not arabic_compound(row[0]) and not _adjective(db, base, row[0])
                    and weighed(row)] if typo else []
            strict = True
        if not near:
            continue
        if len({row[1] for row in near}) > 1:
            return None  # near two names: which one is not for the letters to say
        _, group, surfaces, stemmed, n, label = near[0]
        if _group_articles(db, group) < least:
            return None  # near a name as rare as itself: its spelling, or another's slip
        # a vowel for another makes Arabic words too (ويلايم is و + يلائم, not ويليام; برييتان is بريئتان;
        # ولولانا is "and if not for us"), and so does a vowel written in a rare spelling of a name:
        # where the archive writes such a word, bare or behind و, the tagger must have seen it as a
        # name of the name's kind, or the story be one of the name's
        strict = strict or n < least
        if strict:
            articles = index.sample_exact(db, [base, "و" + base], 2 * SLIP_FEW)
        rows_of = [docno & ROWID_MASK for docno in articles]
        vouched = _tagger_vouched(db, base, rows_of, group, label) if articles else set()
        if vouched is None:
            return None
        # a letter left out makes other words and names still (أمينيا in حمض أميني، لافيا, a Nigerian
        # town, for لاتفيا; محطة فيرار for فيراري): where the archive writes it, the story names the name
        # or is one of the name's (:class:`_NamesStories`)
        if near[0][0] in gone:
            vouched = {a for a in vouched if _name_written(db, [a], group)}
        if strict and not vouched.issuperset(rows_of):
            stories = _NamesStories(db, group, base)
            if not all(a in vouched or stories.vouch(a) for a in rows_of):
                return None
        return base, (group, surfaces, stemmed)
    return None


#: a slip's story is one of the name's when the entities it names are the name's company: an entity
#: named in a share s of the name's stories (:data:`SLIP_STORIES` of its newest read) and g < s of
#: the archive's scores s·ln(s/g) (ماليزيا in a story with كوالامبور: 0.68 of Kuala Lumpur's stories
#: against 0.4% of all, 3.5), and the story's entities score this much together
SLIP_STORY_COMPANY = 1.0
SLIP_STORIES = 200
SLIP_STORY_SPELLINGS = 3
#: ... counting only entities the name's stories name this many times as often as the archive does
SLIP_STORY_LIFT = 5.0
#: a slip of a spelling of fewer articles than this, in a group, is too far from the name
SLIP_STRAY = 2


def _labels_of(db: Connection, word: str, articles: list[int]) -> set[str]:
    """The labels the tagger gave ``word`` (or و + ``word``) in ``articles``."""
    rows = db.execute(f"SELECT name, label FROM entities WHERE article IN ({', '.join('?' * len(articles))})", articles)
    return {str(label) for name, label in rows if {word, "و" + word} & set(tokens(normalize(str(name))))}


def _group_articles(db: Connection, group: str) -> int:
    """The articles of a group, counted by spelling (an article writing two spellings counts twice)."""
    row = db.execute("SELECT sum(n) FROM name_forms WHERE grp = ?", (group,)).fetchone()
    return int(row[0] or 0)


class _NamesStories:
    """The company of the name of ``group`` in its newest stories, read once for the few stories of a
    slip ``word`` that :meth:`vouch` judges."""

    def __init__(self, db: Connection, group: str, word: str) -> None:
        from .search import text_index

        self.db = db
        rows = db.execute("SELECT form, surfaces FROM name_forms WHERE grp = ? ORDER BY n DESC, form", (group,)).fetchall()
        # the stories of the group's commonest spellings stand for all of them; one more than
        # needed, for the story judged is left out of them
        surfaces = [s for _, forms in rows[:SLIP_STORY_SPELLINGS] for s in str(forms).split("|")]
        self.stories = [docno & ROWID_MASK for docno in text_index(db).sample_exact(db, surfaces, SLIP_STORIES + 1)]
        self.own = {word} | {str(form) for form, _ in rows}
        # read by the stories' own index: a common entity's rows are many
        self.named = set(db.execute(f"SELECT article, name FROM entities WHERE article IN ({', '.join('?' * len(self.stories))})",
                                    self.stories).fetchall()) if self.stories else set()
        # the archive's articles, by its highest row (deletions aside): a count would read them all
        self.total = int(db.execute("SELECT max(rowid) FROM articles").fetchone()[0] or 0)

    def vouch(self, article: int) -> bool:
        """The story ``article`` names the name's company (:data:`SLIP_STORY_COMPANY`), leaving out the
        entities that hold a word of the name or of the slip: a report on Malaysia's election is
        Kuala Lumpur's, a clinic's report on livers is not the Kurds'."""
        stories = [story for story in self.stories if story != article][:SLIP_STORIES]  # not the story judged
        wanted = {str(e) for (e,) in self.db.execute("SELECT DISTINCT name FROM entities WHERE article = ?", (article,))
                  if not self.own & set(tokens(normalize(str(e))))}
        if not stories or not wanted:
            return False
        kept = set(stories)
        in_stories = Counter(str(entity) for story, entity in self.named if story in kept and entity in wanted)
        score = 0.0
        for entity, k in sorted(in_stories.items()):
            share = k / len(stories)
            # counted only as far as it could be the name's own (:data:`SLIP_STORY_LIFT`): an entity of
            # every story of a kind (أوروبا, فرنسا for a footballer) is no one's company
            cap = int(share * self.total / SLIP_STORY_LIFT)
            (seen,) = self.db.execute("SELECT count(*) FROM (SELECT 1 FROM entities WHERE name = ? LIMIT ?) x",
                                      (entity, cap + 1)).fetchone()
            if 0 < seen <= cap:
                score += share * math.log(share * self.total / seen)
        return score >= SLIP_STORY_COMPANY


#: the labels of names (MISC holds events, nationalities and garbled words alike)
NAME_LABELS = ("PER", "LOC", "ORG")


def rare_name(db: Connection, word: str) -> str | None:
    """The rare name a normalised query word is, as typed or behind و, when the lexicon does not hold
    it, or None. A rare name: the archive writes it (bare or behind a proclitic) in :data:`SLIP_FEW`
    articles at most, never with the article nor without a proclitic it may have, its stem is no name
    of the lexicon, and the tagger tagged it a person, place or organisation in half of its articles
    at least. It is then matched as written, like a name, and not by its stem: كاميرون is ك + أمير +
    ون ("prince") to the stemmer, سافيني's stem is ساف."""
    from .search import FUNCTION_WORDS, text_index

    index = text_index(db)
    for base in (word, word[1:]) if word.startswith("و") else (word,):
        if not 4 <= len(base) <= SLIP_MAX_LETTERS or not ARABIC_WORD.fullmatch(base) or base in FUNCTION_WORDS \
                or base.startswith("ال"):
            continue
        # one whose stem is a name is that name with an ending (دانييلزي): its stem finds it
        if _in_lexicon(db, stem(base)):
            continue
        forms = [p + base for p in PROCLITICS]
        articles = {docno & ROWID_MASK for docno in index.sample_exact(db, forms, SLIP_FEW + 1)}
        if not articles or len(articles) > SLIP_FEW:
            continue
        # a word the archive also writes with the article, or without a proclitic it may have (يابان
        # for اليابان, بخالد for خالد), is typed short of a word it knows: its stem finds that word
        if index.sample_exact(db, [a + base for a in ("ال", "وال", "بال", "لل")] + list(bases(base))[1:], 1):
            continue
        tagged = {article for article, name in db.execute(
            f"SELECT article, name FROM entities WHERE article IN ({', '.join('?' * len(articles))}) AND label IN"
            f" ({', '.join('?' * len(NAME_LABELS))})", [*sorted(articles), *NAME_LABELS])
            if any(w in forms for w in tokens(normalize(name)))}
        if 2 * len(tagged) >= len(articles):
            return base
    return None


def may_be_slip(word: str, name: str) -> bool:
    """``word`` may be a slip of ``name`` by its letters: both long enough, neither with the article
    (القدوم is not القدم, nor الجزار الجزاير), one long vowel written or left out (ميركيل/ميركل), one or
    two written for others (:func:`_vowels_moved`) or one letter typed twice (دوناللد/دونالد; a letter
    for another of its sound makes other words too: النسر/النصر، نكران/نجران), and not an adjective or
    adverb made from the name (فرنسيا of فرنسا)."""
    return (min(len(word), len(name)) >= SLIP_MIN_LETTERS and not word.startswith("ال") and not name.startswith("ال")
            and (abs(len(word) - len(name)) == 1 and (edits(word, name) == 1 or _doubled(word, name))
                 or _vowels_moved(word, name))
            and not derived(name, word))


def _vowels_moved(a: str, b: str) -> bool:
    """The two words are one long vowel for another inside the word, once or twice, letter for letter
    (كاساميرو/كاسيميرو، ديتورتي/دوتيرتي), and long enough (:data:`SLIP_MOVED_LETTERS`)."""
    if len(a) != len(b) or len(a) < SLIP_MOVED_LETTERS:
        return False
    changed = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return 0 < len(changed) <= 2 and all(0 < i < len(a) - 1 and a[i] in LONG_VOWELS and b[i] in LONG_VOWELS
                                          for i in changed)


#: the standard Arabic keyboard's three rows of letters; the لا key, two letters, is left out
_KEY_ROWS = ("ضصثقفغعهخحجد", "شسيبلاتنمكط", "ئءؤر ىةوزظ")
_ROW_OFFSET = (0.0, 0.25, 0.75)  # how far each row stands to the right of the one above


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    at = [(c, r, i + _ROW_OFFSET[r]) for r, row in enumerate(_KEY_ROWS) for i, c in enumerate(row) if c != " "]
    near: dict[str, set[str]] = {}
    for c, r, x in at:
        for d, q, y in at:
            if d != c and (q == r and abs(x - y) == 1 or abs(q - r) == 1 and abs(x - y) <= 0.75):
                near.setdefault(c, set()).add(d)
    return {c: frozenset(ds) for c, ds in near.items()}


#: the letters on the keys beside each key's (ب: ر ف ق ل ؤ ي)
KEY_NEIGHBOURS = _keyboard_neighbours()


#: the keys whose letters ``normalize`` reads as another: ئ and ى as ي, ؤ as و
_READ_AS = {"ي": ("ي", "ئ", "ى"), "و": ("و", "ؤ")}


def _beside(letter: str, last: bool) -> set[str]:
    """The letters, as ``normalize`` leaves them, a name may have had where ``letter`` was typed by
    a key beside the right one. The key typed may be any that ``normalize`` reads as ``letter``
    (ؤ for و: اؤدوغان, ؤ beside ر, is read اودوغان); the key meant is not a hamza's seat (ئ ؤ: foreign
    names seldom have them), and is ى (read ي) only at a word's end."""
    return {"ي" if d == "ى" else d for k in _READ_AS.get(letter, (letter,)) for d in KEY_NEIGHBOURS.get(k, ())
            if d not in "ئؤ" and (d != "ى" or last)}


def mistyped(word: str) -> list[str]:
    """The words ``word`` is if, after its first letter, one letter was typed for one on a key beside
    it (كربستال for كريستال: ب is beside ي) or two letters were typed the wrong way round (بريطاناي)."""
    last = len(word) - 1
    beside = {word[:i] + d + word[i + 1:] for i in range(1, len(word)) for d in _beside(word[i], i == last)}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1) if word[i] != word[i + 1]}
    return sorted(beside | swapped)


#: the letters as ``normalize`` leaves them (أ إ آ are ا, ى and ئ are ي, ؤ is و)
LETTERS = "ءابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def left_out(word: str) -> list[str]:
    """The words ``word`` is if one letter after its first was left out (خاميي for خامنيي, that is
    خامنئي; هوليوو for هوليوود); ة only at the end. The name is :data:`SLIP_TYPED_LETTERS` long at least."""
    if len(word) + 1 < SLIP_TYPED_LETTERS:
        return []
    return sorted({word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in LETTERS + ("ة" if i == len(word) else "")})


def _one_word_forms(db: Connection, group: str) -> list[str]:
    """The spellings of ``group`` written in one word."""
    return [str(f) for (f,) in db.execute("SELECT form FROM name_forms WHERE grp = ? AND form NOT LIKE '% %'", (group,))]


def _in_lexicon(db: Connection, form: str) -> bool:
    return db.execute("SELECT 1 FROM name_forms WHERE form = ?", (form,)).fetchone() is not None


def _name_written(db: Connection, articles: list[int], group: str) -> bool:
    """Each of ``articles`` writes a one-word spelling of the name of ``group``, behind proclitics or not."""
    names = set(_one_word_forms(db, group))
    rows = db.execute(f"SELECT title, text FROM articles WHERE rowid IN ({', '.join('?' * len(articles))})",
                      articles).fetchall()
    return len(rows) == len(set(articles)) and all(
        any(base in names for w in set(tokens(normalize(f"{title or ''} {text}"))) for base in bases(w))
        for title, text in rows)


def adjective_of(word: str, name: str) -> bool:
    """``word`` is the adjective of ``name`` in ي, not a slip of it: ي is on a key beside ا، ة and و,
    so اسكتلندي (Scottish) is one key from اسكتلندا."""
    return word.endswith("ي") and not name.endswith("ي") and word[:-1] == name[:-1]


def _adjective(db: Connection, word: str, name: str) -> bool:
    """``word`` is an adjective of a name, not a slip: :func:`adjective_of` it, or of a name of the
    lexicon (بنغلادشي, of Bangladesh, is two letters swapped from بنغلاديش)."""
    return adjective_of(word, name) or word.endswith("ي") and not name.endswith("ي") and _in_lexicon(db, word[:-1])


def _doubled(a: str, b: str) -> bool:
    """One of the two words is the other with one letter typed twice (دوناللد/دونالد), not its first
    letter: ل + لـ is the article's ل after the proclitic ل (للتصنيفات), ب + بـ a proclitic's."""
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[i] == long[i - 1] and long[:i] + long[i + 1:] == short for i in range(2, len(long)))


def _tagger_vouched(db: Connection, word: str, articles: list[int], group: str, label: str) -> set[int] | None:
    """How the tagger, in the few ``articles`` holding ``word``, saw it: None when not as the name of
    ``group`` is seen (with another label only, and in no story that tags the name itself: a garbled
    word is often tagged MISC; or beside a word the archive never writes beside the name), else the
    articles that tag the word with the name's ``label`` or tag the name itself with it."""
    from .search import text_index

    index = text_index(db)
    rows = db.execute(f"SELECT article, name, label FROM entities WHERE article IN ({', '.join('?' * len(articles))})",
                      articles).fetchall()
    names = _one_word_forms(db, group)
    labels: set[str] = set()
    beside: set[tuple[str, bool]] = set()  # a word next to it in a tagged name, and whether it stands before
    vouched: set[int] = set()  # articles that tag the word with the label, or tag the name itself with it
    for article, name, tag in rows:
        words = tokens(normalize(name))
        if tag == label and any(w in names for w in words):
            vouched.add(article)  # the name itself tagged, as it is tagged elsewhere
        at = [i for i, w in enumerate(words) if w in (word, "و" + word)]  # the tagger may keep و on a name
        if not at:
            continue
        labels.add(tag)
        if tag == label:
            vouched.add(article)
        i = at[0]
        beside.update((w, True) for w in words[i - 1:i] if i > 0)
        beside.update((w, False) for w in words[i + 1:i + 2])
    if labels and label not in labels and not vouched:  # a slip tagged otherwise beside the name is still the name
        return None
    for other, before in sorted(beside):
        others = {other, *(f for f, _ in spellings(db, g))} if (g := group_of(db, other)) else {other}
        phrases = [f"{o} {s}" if before else f"{s} {o}" for o in sorted(others) for s in names]
        if not index.sample_exact(db, phrases, 1):
            return None
    return vouched


def expand(db: Connection, word: str, *, fold: bool = True, typed: str | None = None) -> Expansion | None:
    """The expansion of a normalised query word that is a name of the archive's lexicon, or a rare
    name it does not hold (:func:`rare_name`: its own written forms only), or None for any other word:
    its own written forms, and with ``fold`` those of every spelling of its group.
    With ``fold``, a word that is a rare slip of a name (:func:`slip_of`) expands to the name's
    spellings too, and matches as itself written with a proclitic or none, never by its stem."""
    found = _lexicon_form(db, word)
    if found is None:
        slip = slip_of(db, word) if fold and " " not in word else None
        if slip is None:
            name = rare_name(db, word) if " " not in word else None
            if name is not None:
                forms = tuple(p + name for p in PROCLITICS)
                return Expansion(forms, (), name, forms)
            return None
        base, (group, _, _) = slip
        # itself as written, with proclitics only: its stem may be another word (فنزيلا → نزيل "inmate")
        found = base, (group, "|".join(p + base for p in PROCLITICS), 0)
    base, (group, own, flag) = found
    stemmed = bool(flag)
    if not fold:
        return Expansion(tuple(own.split("|")), (), base, tuple(own.split("|")), stemmed)
    root = stem(word) if stemmed else None
    surfaces: list[str] = []
    added: list[str] = []
    for form, forms in db.execute("SELECT form, surfaces FROM name_forms WHERE grp = ? ORDER BY n DESC, form", (group,)):
        if form != base and root is not None and " " not in form and stem(form) == root:
            continue  # found by the typed word's stem, as before names were known
        surfaces += forms.split("|")
        if form != base and form != typed:
            added.append(form)
    if typed is not None and typed != base and base not in added:  # بيونج يانج typed, بيونغ يانغ found
        added.insert(0, base)
    return Expansion(tuple(dict.fromkeys(surfaces)), tuple(added), base, tuple(own.split("|")), stemmed)


def expand_phrase(db: Connection, words: list[str], *, fold: bool = True) -> Expansion | None:
    """The expansion of words typed in a row that are one name written in several (بيونغ يانغ، فيس بوك),
    as typed or in their groups' common spellings (بيونج يانج), or None."""
    options = []
    for w in words:  # each word as typed, its group's spelling, and names one edit from it (بيونج: بيونغ)
        group = group_of(db, w)
        near = [f for (f,) in db.execute("SELECT form FROM name_forms WHERE key = ? AND form != ? AND form NOT LIKE '% %'"
                                         " ORDER BY n DESC, form LIMIT 20", (spelling_key(w), w))
                if edits(w, f) == 1]
        options.append(list(dict.fromkeys([w, *([group] if group else []), *near[:3]])))
    for a in options[0]:
        for b in options[1]:
            found = expand(db, f"{a} {b}", fold=fold, typed=" ".join(words))
            if found is not None:
                return _with_word_spellings(db, found, a, b, " ".join(words)) if fold else found
    # a long name written apart where the archive writes it joined (مانا فورت for مانافورت), as the
    # learning joins a long compound written apart (:data:`SPLIT_LONG`): a name of the lexicon, or a
    # slip of one, and only where the archive seldom writes the two words so (يوم الاحد is two words,
    # though a story glued them once), with every written form of the group (its stem finds none)
    joined, typed = "".join(words), " ".join(words)
    if fold and len(words) == 2 and len(joined) >= SPLIT_LONG:
        from .search import text_index

        if len(text_index(db).sample_exact(db, [typed], SLIP_FEW + 1)) > SLIP_FEW:
            return None
        name = _lexicon_form(db, joined) or slip_of(db, joined)
        if name is not None:
            base, (group, _, _) = name
            rows = db.execute("SELECT form, surfaces FROM name_forms WHERE grp = ? ORDER BY n DESC, form", (group,)).fetchall()
            return Expansion(tuple(dict.fromkeys([typed, *(w for _, forms in rows for w in str(forms).split("|"))])),
                             tuple(str(form) for form, _ in rows), base, (typed,))
    return None


#: spellings of each word of a two-word name crossed with the other's (دونالد ترمب for دونالد ترامب)
CROSS_SPELLINGS = 4


def _with_word_spellings(db: Connection, found: Expansion, a: str, b: str, typed: str) -> Expansion:
    """A two-word name found as one (دونالد ترامب, with its joined slip دونالدترامب) also matches its
    words in their own spellings (دونالد ترمب، مانشيستر يونايتد): the words' groups crossed, each word
    in its spellings of two articles or more (not its one-off slips), the commonest first."""
    def spellings(word: str) -> list[tuple[str, list[str]]]:
        group = group_of(db, word)
        rows = db.execute("SELECT form, surfaces FROM name_forms WHERE grp = ? AND form NOT LIKE '% %' AND n >= 2"
                          f" ORDER BY n DESC, form LIMIT {CROSS_SPELLINGS}", (group,)).fetchall() if group else []
        out = [(str(f), str(sf).split("|")) for f, sf in rows]
        return out if any(f == word for f, _ in out) else [(word, [word]), *out]

    surfaces, added = list(found.surfaces), list(found.added)
    for x, x_forms in spellings(a):
        for y, _ in spellings(b):
            phrase = f"{x} {y}"
            if phrase != f"{a} {b}" and phrase not in added:
                surfaces += [f"{f} {y}" for f in x_forms]
                if phrase not in (found.base, typed):
                    added.append(phrase)
    return Expansion(tuple(dict.fromkeys(surfaces)), tuple(added), found.base, found.own, found.stemmed)


def group_of(db: Connection, form: str) -> str | None:
    """The group (canonical spelling) of a spelling of the lexicon, or None."""
    row = db.execute("SELECT grp FROM name_forms WHERE form = ?", (form,)).fetchone()
    return str(row[0]) if row else None


def spellings(db: Connection, group: str) -> list[tuple[str, int]]:
    """The spellings of a group with their articles, the most common first."""
    return db.execute("SELECT form, n FROM name_forms WHERE grp = ? ORDER BY n DESC, form", (group,)).fetchall()


def entity_names(db: Connection, entity: str) -> list[str]:
    """The tagged names of the referent ``entity`` names (as typed: any of its names or spellings),
    or ``[entity]`` when the archive knows no such referent."""
    ref = resolve(db, entity)
    if ref is None:
        return [entity]
    names = [n for (n,) in db.execute("SELECT DISTINCT name FROM entity_refs WHERE ref = ? ORDER BY name", (ref,))]
    return names or [entity]


def resolve(db: Connection, entity: str) -> str | None:
    """The referent (display name) of a typed entity name, or None: matched as written, then after
    normalisation, then with each word replaced by its group's most common spelling (ترمب → ترامب)."""
    row = db.execute("SELECT ref FROM entity_refs WHERE ref = ? LIMIT 1", (entity,)).fetchone()
    if row is not None:
        return str(row[0])
    key = " ".join(tokens(entity))
    canonical = " ".join(group_of(db, w) or w for w in key.split())
    for name in dict.fromkeys((key, canonical)):
        row = db.execute("SELECT ref FROM entity_refs WHERE ref_key = ? LIMIT 1", (name,)).fetchone() \
            or db.execute("SELECT ref FROM entity_refs WHERE name_key = ? AND ref IS NOT NULL"
                          " GROUP BY ref ORDER BY count(*) DESC, ref LIMIT 1", (name,)).fetchone()
        if row is not None:
            return str(row[0])
    return None


def name_referents(db: Connection, entities: list[dict[str, Any]]) -> None:
    """Set each stored entity's ``canonical`` to its referent's name (``text`` stays as written);
    an entity learned as not a name keeps its own."""
    for e in entities:
        name = str(e.get("canonical") or e.get("text") or "")
        row = db.execute("SELECT ref FROM entity_refs WHERE name = ? AND label = ?", (name, e.get("label") or "")).fetchone()
        if row is not None and row[0] is not None:
            e["canonical"] = row[0]


# -------------------------------------------------------------------- the groups, for people

def utc_now() -> str:
    """The time now in UTC as SQLite's ``datetime('now')`` writes it (``2024-03-01 12:00:00``)."""
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


EDITS = ("merge", "split")


def add_edit(db: Connection, op: str, a: str, b: str | None) -> None:
    """Store an edit of the groups (spellings normalised as search reads them)."""
    from ..errors import ConfigError

    if op not in EDITS:
        raise ConfigError(f"a names edit is {' or '.join(EDITS)}, not {op!r}")
    a_key = " ".join(tokens(a))
    b_key = " ".join(tokens(b)) if b is not None else None
    if not a_key or (op == "merge" and not b_key):
        raise ConfigError(f"names {op} needs {'two spellings' if op == 'merge' else 'a spelling'} with letters")
    if op == "merge" and a_key == b_key:
        raise ConfigError(f"names merge: {a!r} and {b!r} are one spelling")
    db.execute("INSERT INTO name_edits (op, a, b, at) VALUES (?, ?, ?, ?)", (op, a_key, b_key, utc_now()))


def groups(db: Connection, query: str | None = None, *, limit: int = 50, everything: bool = False) -> list[dict[str, Any]]:
    """Name groups for display: canonical spelling, label, articles (the sum over spellings, an upper
    bound), and each spelling with its articles; edited groups say so."""
    edited = {w for row in db.execute("SELECT a, b FROM name_edits") for w in row if w}
    if query:
        key = " ".join(tokens(query))
        hits = [g for (g,) in db.execute(
            "SELECT DISTINCT grp FROM name_forms WHERE form = ? OR form LIKE ? ESCAPE '\\' ORDER BY grp",
            (key, "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"))]
        if not hits:
            return []
        where, params = f"grp IN ({','.join('?' * len(hits))})", hits
    else:
        where, params = ("1 = 1" if everything else "grp IN (SELECT grp FROM name_forms GROUP BY grp HAVING count(*) > 1)"), []
    rows = db.execute(
        f"SELECT grp, label, sum(n) FROM name_forms WHERE {where} GROUP BY grp, label ORDER BY 3 DESC, 1 LIMIT ?",
        (*params, limit)).fetchall()
    out = []
    for grp, label, n in rows:
        forms = spellings(db, grp)
        out.append({"name": grp, "label": label, "articles": n,
                    "spellings": [{"spelling": f, "articles": c} for f, c in forms],
                    "edited": any(f in edited for f, _ in forms)})
    return out
