"""The report of ``marsad eval extraction``: systems side by side, and where marsad falls behind.

For each of marsad's modes and each peer: the pages where marsad's page F1 is furthest below the
peer's, and how many pages are :data:`BEHIND` or more below. F1 per language group of the gold (the
language lingua reads in the page's ``with`` snippets or gold body), and each system's errors.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from .suites import BODY, GoldPage

if TYPE_CHECKING:
    from lingua import LanguageDetector

    from .extraction import SystemScore

__all__ = ["BEHIND", "Comparison", "Report", "compare", "language_groups"]

#: A page counts as marsad falling behind a peer when its page F1 is this much or more below.
BEHIND = 0.2
OURS = ("marsad", "marsad-fast")
#: Language groups reported; every other language (or none read) is "other".
GROUPS = ("de", "en", "ar")
# Few languages keep lingua small (all of them: 18 s and 1.3 GB to build); these cover the suites.
_DETECTED = ("ENGLISH", "GERMAN", "FRENCH", "SPANISH", "ITALIAN", "PORTUGUESE", "DUTCH", "POLISH", "RUSSIAN", "ARABIC")
_SAMPLE_CHARS = 2000


@dataclass(slots=True)
class Behind:
    key: str
    file: str
    url: str | None
    ours: float
    peer: float


@dataclass(slots=True)
class Comparison:
    """One of marsad's modes against one peer, page by page."""

    ours: str
    peer: str
    #: pages where ours is BEHIND or more below the peer
    behind: int
    #: the pages where ours is furthest below the peer (only pages where it is below), worst first
    worst: list[Behind] = field(default_factory=list)


@dataclass(slots=True)
class Report:
    gold: str
    form: str
    half: str
    suite_pages: int
    scores: list[SystemScore]
    comparisons: list[Comparison]
    #: page key -> language group
    languages: dict[str, str]
    pages: list[GoldPage]
    seconds: float = 0.0

    def by_language(self) -> dict[str, dict[str, float]]:
        """Per language group: its page count and each system's F1 over its pages."""
        groups: dict[str, set[str]] = {}
        for key, group in self.languages.items():
            groups.setdefault(group, set()).add(key)
        order = [g for g in (*GROUPS, "other") if g in groups]
        return {g: {"pages": len(groups[g]), **{s.name: s.subset(groups[g]).totals()["f1"] for s in self.scores}}
                for g in order}

    def to_dict(self) -> dict[str, object]:
        urls = {p.key: p.url for p in self.pages}
        systems = {}
        for s in self.scores:
            totals = s.totals()
            for name in ("title", "author", "date"):
                if not totals[f"{name}_n"]:
                    totals[name] = None  # type: ignore[assignment]  # nothing to score: no accuracy
            systems[s.name] = {
                "overall": totals,
                "errors": [{"page": p.key, "file": p.file, "error": p.error} for p in s.pages if p.error],
                "pages": [{
                    "page": p.key, "file": p.file, "url": urls.get(p.key), "language": self.languages.get(p.key),
                    "precision": p.precision, "recall": p.recall, "f1": p.f1, "tp": p.tp, "fn": p.fn, "fp": p.fp,
                    "title": p.title, "author": p.author, "date": p.date, "seconds": p.seconds, "empty": p.empty,
                    "error": p.error, "missed": p.missed, "leaked": p.leaked,
                } for p in s.pages],
            }
        return {
            "gold": self.gold, "form": self.form, "half": self.half, "pages": len(self.pages),
            "suite_pages": self.suite_pages, "seconds": self.seconds,
            "systems": systems,
            "behind_threshold": BEHIND,
            "comparisons": [{
                "ours": c.ours, "peer": c.peer, "behind": c.behind,
                "worst": [{"page": w.key, "file": w.file, "url": w.url, "ours_f1": w.ours, "peer_f1": w.peer}
                          for w in c.worst],
            } for c in self.comparisons],
            "languages": self.by_language(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def format(self, *, per_page: bool = False) -> str:
        lines: list[str] = []
        if per_page:
            for s in self.scores:
                for p in s.pages:
                    lines.append(f"{s.name:12} F1 {p.f1:.3f}  {_flags(p.title, p.author, p.date)}  "
                                 f"{_counts(self.form, p.tp, p.fn, p.fp, p.tn)}  {p.file}"
                                 + (f"  ERROR {p.error}" if p.error else ""))
            lines.append("")
        method = ("4-gram shingles, precision and recall averaged over pages (Zyte's evaluate.py)"
                  if self.form == BODY else "snippets, counted over all pages (trafilatura's evaluation)")
        lines.append(f"{self.gold}: {len(self.pages)} of {self.suite_pages} pages (half {self.half}); {method}")
        lines.append(f"{'system':14}{'precision':>10}{'recall':>8}{'F1':>7}{'title (n)':>15}{'author (n)':>15}"
                     f"{'date (n)':>15}{'ms/page':>9}{'errors':>8}{'empty':>7}")
        for s in self.scores:
            t = s.totals()
            meta = "".join(_accuracy(t[name], int(t[f"{name}_n"])) for name in ("title", "author", "date"))
            lines.append(f"{s.name:14}{t['precision']:10.3f}{t['recall']:8.3f}{t['f1']:7.3f}{meta}"
                         f"{t['seconds_per_page'] * 1000:9.1f}{int(t['errors']):8d}{int(t['empty']):7d}")
        groups = self.by_language()
        if groups:
            lines.append("")
            lines.append("F1 by language of the gold: " + ", ".join(f"{g} {int(v['pages'])} pages" for g, v in groups.items()))
            lines.append(f"{'system':14}" + "".join(f"{g:>8}" for g in groups))
            for s in self.scores:
                lines.append(f"{s.name:14}" + "".join(f"{groups[g][s.name]:8.3f}" for g in groups))
        for c in self.comparisons:
            lines.append("")
            lines.append(f"{c.ours} vs {c.peer}: page F1 {BEHIND} or more below on {c.behind} of {len(self.pages)} pages"
                         + (f"; furthest below ({c.ours} F1, {c.peer} F1):" if c.worst else ""))
            for w in c.worst:
                lines.append(f"  {w.ours:.3f} {w.peer:.3f}  {w.file}  {w.url or w.key}")
        for s in self.scores:
            errors = [p for p in s.pages if p.error]
            if errors:
                lines.append("")
                lines.append(f"{s.name} raised on {len(errors)} pages (scored as empty):")
                lines.extend(f"  {p.file}: {p.error}" for p in errors)
        lines.append("")
        lines.append(f"{self.seconds:.1f} s in all")
        return "\n".join(lines)


def _flags(*fields: bool | None) -> str:
    return "".join(" " if ok is None else (c if ok else "-") for c, ok in zip("TAD", fields, strict=True))


def _counts(form: str, tp: float, fn: float, fp: float, tn: float) -> str:
    if form == BODY:
        return f"shingles tp {tp:.2f} fp {fp:.2f} fn {fn:.2f}"
    return f"with {int(tp)}/{int(tp + fn)} without-leaked {int(fp)}/{int(fp + tn)}"


def _accuracy(value: float, n: int) -> str:
    return f"{'-':>9} ({n:>3})" if not n else f"{value:9.3f} ({n:>3})"


def compare(scores: Sequence[SystemScore], pages: Sequence[GoldPage], *, worst: int = 10) -> list[Comparison]:
    """Each of marsad's modes against each peer in ``scores``, page by page."""
    urls = {p.key: p.url for p in pages}
    by_name = {s.name: s for s in scores}
    out = []
    for ours in (by_name[n] for n in OURS if n in by_name):
        for peer in (s for s in scores if s.name not in OURS):
            theirs = {p.key: p.f1 for p in peer.pages}
            gaps = [(theirs[p.key] - p.f1, p) for p in ours.pages if p.key in theirs]
            behind = sum(gap >= BEHIND - 1e-9 for gap, _ in gaps)
            below = sorted((g for g in gaps if g[0] > 0), key=lambda g: (-g[0], g[1].key))[:worst]
            out.append(Comparison(ours.name, peer.name, behind, [
                Behind(p.key, p.file, urls.get(p.key), p.f1, theirs[p.key]) for _, p in below
            ]))
    return out


@cache
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _DETECTED]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def language_groups(pages: Sequence[GoldPage]) -> dict[str, str]:
    """Each page's language group (:data:`GROUPS` or "other"), read from its gold text."""
    out = {}
    for page in pages:
        text = (page.body if page.form == BODY else " ".join(page.with_)) or ""
        found = _detector().detect_language_of(text[:_SAMPLE_CHARS]) if text.strip() else None
        code = found.iso_code_639_1.name.lower() if found is not None else None
        out[page.key] = code if code in GROUPS else "other"
    return out
