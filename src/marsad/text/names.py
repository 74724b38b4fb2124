"""How foreign names are written in Arabic: a letter-level key under which spellings of one name meet.

Arabic news transliterates a foreign name as each writer hears it: a long vowel written or left out
(ترامب/ترمب، بوتين/بوتن، نتنياهو/نتانياهو), *g* as ج غ ق or ك (جوجل/غوغل، زوكربيرغ/زوكربيرج), *ch*
as تش or ش, *s* as س ص ش or ز (غوتيريس/غوتيريش، سواريز/سواريس), *t* as ت ط or ث, *d* as د ض or ذ, *v* as ف or ڤ, a
final ة or ه, a final *é* as يه or ي (أندريه/أندري، مانيه/ماني) and a final *a* as ا or ة
(بنزيما/بنزيمة، ملقا/ملقة): keys one letter apart, which the learning looks up too, and a compound split or joined (فيس بوك/فيسبوك). :func:`spelling_key` folds exactly
these: two spellings with the same key *may* be one name. Whether they are is decided elsewhere, on
evidence from the archive (both must be names, used in the same company of other names): the key
alone merges حسن and حسين, كتاب and كتب, which are different.

Pure functions over normalised words (:func:`marsad.normalize`): no I/O, nothing learned.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: proclitics a name takes in writing: conjunction, preposition, both (not ك "like", seldom before a
#: name and often a name's own first letter: كندي is not ك + ندي)
PROCLITICS = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل")
#: letters that stand for one sound in transliterated names
_CLASSES = {
    "ج": "G", "غ": "G", "ق": "G", "ك": "G", "گ": "G",
    "س": "S", "ص": "S", "ش": "S", "ز": "S",
    "ت": "T", "ط": "T", "ث": "T",
    "د": "D", "ض": "D", "ذ": "D",
    "ف": "F", "ڤ": "F", "ب": "B", "پ": "B",
    "ه": "H", "ة": "H",
    "ظ": "Z",
}
LONG_VOWELS = frozenset("اوي")
#: a word written in Arabic letters only, as ``normalize`` leaves them (no digits, no Latin)
ARABIC_WORD = re.compile(r"[\u0621-\u064a]+")
#: a key shorter than this (in letters) says too little to fold on: هواوي and هاواي both give هي
MIN_KEY = 3


@lru_cache(maxsize=100_000)
def spelling_key(word: str) -> str:
    """The transliteration key of a normalised word or name (spaces and medial long vowels gone,
    letter classes folded): ``spelling_key("ترامب") == spelling_key("ترمب")``,
    ``spelling_key("فيس بوك") == spelling_key("فيسبوك")``."""
    word = word.replace(" ", "").replace("تش", "ش").replace("ة", "ه")
    if len(word) < 2:
        return "".join(_CLASSES.get(c, c) for c in word)
    middle = [c for c in word[1:-1] if c not in LONG_VOWELS]
    letters = [word[0], *middle, word[-1]]
    out: list[str] = []
    for c in letters:
        c = _CLASSES.get(c, c)
        if not out or out[-1] != c:  # a doubled letter (زوكربيرغ written with two ر) is one sound
            out.append(c)
    return "".join(out)



def edits(a: str, b: str) -> int | None:
    """How many transliteration edits turn ``a`` into ``b``: a long vowel written or not inside the
    word (فيسبوك/فايسبوك), one letter for another of its sound (بوغبا/بوكبا، جوجل/غوغل: two), تش for
    ش, a final *a* written ا or ة (بنزيما/بنزيمة، ملقا/ملقة). None when other edits are needed (a consonant added, removed or changed for another sound)."""
    if len(b) >= 4 and b.endswith("يه") and a.endswith("ي"):  # the edits are the same either way round
        a, b = b, a
    if len(a) >= 4 and a.endswith("يه") and b.endswith("ي"):  # a final é: يه for ي
        rest = edits(a[:-1], b)
        return None if rest is None else rest + 1
    if len(b) >= 4 and b[-1] == "ا" and a[-1:] in ("ة", "ه"):  # the edits are the same either way round
        a, b = b, a
    if len(a) >= 4 and len(b) >= 4 and a[-1] == "ا" and (b[-1] == "ة" or b[-1] == "ه" and b[-2] != "ي"):
        # a final a: ا for ة or ه (بنزيما/بنزيمة، ادنبرا/ادنبره), not for the final é of يه (اندريا/اندريه)
        rest = edits(a[:-1] + b[-1], b)
        return None if rest is None else rest + 1
    va, vb = sorted(c for c in a[1:-1] if c in LONG_VOWELS), sorted(c for c in b[1:-1] if c in LONG_VOWELS)
    if not (_within(va, vb) or _within(vb, va)):  # a vowel for another: اليمن/الامن, not a spelling
        return None
    inf = 1 << 20
    n, m = len(a), len(b)
    # cost[i][j]: edits turning a[:i] into b[:j]; a vowel may come or go only inside the word
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0
    for i in range(n + 1):
        for j in range(m + 1):
            c = cost[i][j]
            if c >= inf:
                continue
            if i < n and j < m and (a[i] == b[j] or _CLASSES.get(a[i], a[i]) == _CLASSES.get(b[j], b[j])):
                extra = 0 if a[i] == b[j] else 1
                cost[i + 1][j + 1] = min(cost[i + 1][j + 1], c + extra)
            if i < n and 0 < i < n - 1 and (a[i] in LONG_VOWELS or (a[i] == "ت" and a[i + 1 : i + 2] == "ش")):
                cost[i + 1][j] = min(cost[i + 1][j], c + 1)
            if j < m and 0 < j < m - 1 and (b[j] in LONG_VOWELS or (b[j] == "ت" and b[j + 1 : j + 2] == "ش")):
                cost[i][j + 1] = min(cost[i][j + 1], c + 1)
    return cost[n][m] if cost[n][m] < inf else None


def _within(small: list[str], big: list[str]) -> bool:
    """Every letter of ``small`` is in ``big`` (as multisets)."""
    rest = list(big)
    for c in small:
        if c not in rest:
            return False
        rest.remove(c)
    return True


def one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one transliteration edit (see :func:`edits`)."""
    return edits(a, b) == 1


def derived(name: str, other: str) -> bool:
    """``other`` is an adjective or adverb made from ``name`` (أمريكا → أمريكيا، الشيعة → الشيعية), not
    a spelling of it."""
    return (name.endswith("ا") and other == name[:-1] + "يا") or (name[-1:] in "ةه" and other[:-1] == name[:-1] + "ي")


def arabic_compound(word: str) -> bool:
    """An Arabic compound name (عبدالله، عبيدالله، ابوبكر، نورالدين): its spelling is fixed, and one
    vowel apart it is another name, not a slip."""
    return word.startswith(("عبد", "عبيد", "ابو", "ابي")) or word.endswith(("الله", "الدين", "الرحمن"))
