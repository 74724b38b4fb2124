"""From a crawler's text dump of one news page to headline, byline and clean body.

A dump reads top to bottom as: a header (section labels, tickers, the headline, often repeated,
a byline glued to its date), the body's paragraphs with junk lines between them (read-also links,
share bars), and a footer (tags, copyright, a ticker). Each removed line is returned with its reason.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, datetime

from .boilerplate import (
    is_bare_name,
    is_footer_label,
    is_section_label,
    is_tags_label,
    is_paragraph,
    is_title_like,
    junk_reason,
    line_key,
    split_trailing_ticker,
    tidy_line,
    unglue,
    word_count,
)
from .arabic import normalize
from .bylines import agency_credit, is_not_author, looks_like_name, parse_byline

#: how far from the top a headline or its repeats are looked for
HEADER_SPAN = 15
#: a line this short above the body, and no byline, is a section label
HEADER_LABEL_WORDS = 4
#: this many short lines in a row above the body are a menu or a list of labels, not a subheading
LABEL_RUN = 3
_SITE_SUFFIX = re.compile(r"\s+[|\-–—:]\s+[^|\-–—:]{1,40}$")
# A time or date standing alone (منذ ساعتين, 12.05.2024, vor 2 Stunden): the page's, not a subheading.
_DATELINE = re.compile(r"[0-9]|^(?:منذ|قبل) |\b(?:ago|vor|il y a|hace)\b", re.IGNORECASE)
_BARE_READ_ALSO = re.compile(r"^(?:ا?قرا|شاهد|طالع)(?: ايضا| كذلك| المزيد)?$")


@dataclass(slots=True)
class Cleaned:
    title: str | None = None
    author: str | None = None
    published: date | datetime | None = None
    updated: date | datetime | None = None
    paragraphs: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def split_lines(raw: str) -> list[str]:
    """The non-empty lines of a dump, spaces tidied."""
    return [t for t in (tidy_line(x) for x in raw.splitlines()) if t]


def prepare(raw: str) -> tuple[list[str], list[str]]:
    """The lines of a dump and their keys (:func:`line_key`), as cleanup and site learning use them."""
    lines = split_lines(raw)
    return lines, [line_key(x) for x in lines]


def _title_keys(line: str) -> set[str]:
    """The keys under which a headline may be repeated: as is, and without a ``| site name`` suffix."""
    keys = {line_key(line)}
    stripped = _SITE_SUFFIX.sub("", line)
    if stripped != line and word_count(stripped) >= 2:
        keys.add(line_key(stripped))
    return keys


def _choose_title(lines: list[str], keys: list[str], usable: list[int]) -> int | None:
    """Index of the headline among the first lines: the repeated one, else the first long label."""
    head = [i for i in usable if i < HEADER_SPAN]
    seen: dict[str, int] = {}
    for i in head:
        for k in _title_keys(lines[i]):
            if k in seen and is_title_like(lines[seen[k]]):
                first = seen[k]
                # prefer the copy without a site-name suffix
                return min((first, i), key=lambda j: (len(lines[j]), j))
            seen.setdefault(k, i)
    for i in head:
        line = lines[i]
        if is_title_like(line) and word_count(line) >= 3:
            return i
        if is_paragraph(line):
            return None
    return None


def clean_document(
    raw: str,
    *,
    prepared: tuple[list[str], list[str]] | None = None,
    title: str | None = None,
    author: str | None = None,
    published: date | datetime | None = None,
    updated: date | datetime | None = None,
    reference: datetime | None = None,
    site_lines: Container[str] | None = None,
) -> Cleaned:
    """Split ``raw`` into headline, byline fields and body; metadata given by the caller wins.

    ``site_lines`` are the keys (:func:`line_key`) of lines that recur across the site's pages:
    they are removed too (bylines aside: a writer signs many pages), unless they would take more than half of the page (then the page is
    a copy of another, which is for dedup to find, and its lines are the story's own).
    ``prepared`` is :func:`prepare` of ``raw`` when the caller has it already.
    """
    out = Cleaned(title=title, author=author, published=published, updated=updated)
    lines, keys = prepared if prepared is not None else prepare(raw)
    reasons: list[str | None] = [junk_reason(x, k) for x, k in zip(lines, keys)]
    if site_lines is not None:
        # a byline recurs across a staff writer's pages too: it is read as a byline, not dropped unread
        repeated = [i for i, k in enumerate(keys) if reasons[i] is None and k in site_lines
                    and parse_byline(unglue(lines[i])) is None]
        if repeated and 2 * len(repeated) <= sum(r is None for r in reasons):
            for i in repeated:
                reasons[i] = "repeated_across_source"

    # A bare "اقرأ أيضا" line labels the headline on the next line.
    for i in range(len(lines) - 1):
        if reasons[i] == "read_also" and _BARE_READ_ALSO.match(keys[i]) and is_title_like(lines[i + 1]):
            reasons[i + 1] = "read_also"

    # A bare "الوسوم" line heads a run of one-per-line tags.
    for i in range(len(lines)):
        if reasons[i] == "tags" and is_tags_label(keys[i]):
            j = i + 1
            while j < len(lines) and reasons[j] is None and word_count(lines[j]) <= 4 and not is_paragraph(lines[j]):
                reasons[j] = "tags"
                j += 1

    usable = [i for i, r in enumerate(reasons) if r is None]
    if title is None:
        t = _choose_title(lines, keys, usable)
        if t is not None:
            out.title = _SITE_SUFFIX.sub("", lines[t]) if _is_suffixed_copy(lines, t) else lines[t]
            reasons[t] = "title"
    title_keys = _title_keys(out.title) if out.title else set()
    title_key = line_key(out.title) if out.title else None
    for i in usable:
        # a copy of the headline, or the headline with a site name added or taken off; two lines
        # that only share an opening ("Energy Rising – 33 Tage …", "Energy Rising – Playlist …") differ
        if reasons[i] is None and (keys[i] in title_keys or title_key in _title_keys(lines[i])):
            reasons[i] = "repeated_title"

    # Header: labels and bylines before the first paragraph. A longer line that is no byline (a
    # kicker, a short first paragraph) opens the body; with no running text at all (a list, a
    # poem), what is left is the body.
    body_start = None
    labels = []
    for i in range(len(lines)):
        if reasons[i] is not None:
            continue
        if _opens_body(lines[i]):
            body_start = i
            break
        meta = _meta_line(out, lines[i], reference)
        if meta:
            reasons[i] = meta
        elif word_count(lines[i]) > HEADER_LABEL_WORDS:
            body_start = i
            break
        else:
            labels.append(i)
    if body_start is None:
        body_start = len(lines)
        labels = []
    # with no headline known, a short line atop a dump is its header, not a subheading of the story
    for i in labels if out.title is None else _header_labels(lines, keys, reasons, labels, body_start):
        reasons[i] = "header_label"
    if out.author is None:
        _bare_author(out, lines, reasons, body_start)
    else:
        _credit_in_lead(out.author, lines, reasons, body_start)

    # Footer: bylines after the last paragraph (not a commenter's: none after the comments begin),
    # then the labels that close the page; a kept line ends them, since a label followed by
    # more of the story is a subheading.
    last = max((i for i in range(len(lines)) if reasons[i] is None and is_paragraph(lines[i])), default=-1)
    comments = next((i for i in range(len(lines)) if reasons[i] == "comments"), len(lines))
    for i in range(max(last + 1, body_start), len(lines)):
        if reasons[i] is None and word_count(lines[i]) <= 20:
            reasons[i] = _meta_line(out, lines[i], reference, take_author=i < comments)
    for i in reversed(range(max(last + 1, body_start), len(lines))):
        if reasons[i] is not None:
            continue
        if not is_footer_label(lines[i]):
            break
        reasons[i] = "footer_label"

    if out.author is None:
        _signed_author(out, lines, reasons, body_start)
    if out.author is None:
        # a wire story with no writer is the agency's (عمان 5 أيار (بترا) - …)
        opening = next((lines[i] for i in range(len(lines)) if reasons[i] is None and is_paragraph(lines[i])), None)
        out.author = agency_credit(opening) if opening else None

    for i, line in enumerate(lines):
        reason = reasons[i]
        if reason is None:
            out.paragraphs.append(line)
        else:
            out.removed.append((line, reason))
    if out.paragraphs:
        body_end, ticker = split_trailing_ticker(out.paragraphs[-1])
        if ticker:
            out.paragraphs[-1] = body_end
            out.removed.append((ticker, "ticker"))
    return out


def _header_labels(
    lines: list[str], keys: list[str], reasons: list[str | None], candidates: list[int], body_start: int
) -> list[int]:
    """The short lines above the body that are labels: above the headline or a byline, a section's
    name (أخبار محلية), a dateline, or one of several short lines (a menu). One or two short lines that lead
    into the body with nothing of the header after them are a kicker or a subheading: kept."""
    header = {"title", "repeated_title", "byline"}
    # a menu's items have no number and no sentence end (a list of quantities is a recipe's)
    menu = [i for i in candidates if is_footer_label(lines[i])]
    labels = []
    for i in candidates:
        above_header = any(reasons[j] in header for j in range(i + 1, body_start))
        if above_header or is_section_label(keys[i]) or len(menu) >= LABEL_RUN or _DATELINE.search(keys[i]):
            labels.append(i)
    return labels


_SIGNATURE = re.compile(r"^[–—]\s*(?P<name>[^-–—|:،,.!?]+)$")


def _signed_author(out: Cleaned, lines: list[str], reasons: list[str | None], body_start: int) -> None:
    """A story signed at its end: ``– David Dunkley`` (any script), or a capitalised Latin name alone
    on the last line after the body (Götz Warnke); not a greeting, which stays in the body."""
    last = max((i for i in range(body_start, len(lines)) if reasons[i] in (None, "footer_label")), default=None)
    if last is None or last == body_start:
        return
    line = lines[last]
    m = _SIGNATURE.match(line)
    name = m.group("name").strip() if m else line
    words = name.split()
    if not is_bare_name(name) or len(words) > 4:
        return
    latin_name = all(w[:1].isupper() for w in words)
    after_list = last > 0 and lines[last - 1][:1] in "-–—•·*"
    if after_list or not _is_name(name):
        return
    if m or (reasons[last] == "footer_label" and latin_name and all(w.isalpha() or "-" in w for w in words)):
        out.author = name
        reasons[last] = "byline"


def _is_name(author: str) -> bool:
    """A byline's author that names someone: no label (Datum, Aktualisiert) and the shape of a name."""
    return not is_not_author(author) and looks_like_name(author)


def _credit_in_lead(author: str, lines: list[str], reasons: list[str | None], body_start: int) -> None:
    """The writer's credit line just inside the body, after a lead (``حوار: آسيا العتروس``), is a byline."""
    kept = [i for i in range(body_start, len(lines)) if reasons[i] is None][:4]
    for i in kept:
        if word_count(lines[i]) <= 8:
            byline = parse_byline(unglue(lines[i]))
            if byline is not None and byline.author and normalize(byline.author) == normalize(author):
                reasons[i] = "byline"


def _bare_author(out: Cleaned, lines: list[str], reasons: list[str | None], body_start: int) -> None:
    """A name alone on a line next to the date line (ريما عيسى / الخميس 14 آذار 2024) is the author."""
    for i in range(body_start):
        if reasons[i] != "header_label" or not is_bare_name(lines[i]) or not _is_name(lines[i]):
            continue
        if any(0 <= j < body_start and reasons[j] == "byline" for j in (i - 1, i + 1)):
            out.author = lines[i]
            reasons[i] = "byline"
            return


def _is_suffixed_copy(lines: list[str], t: int) -> bool:
    """True when the chosen headline carries a site suffix that another copy lacks."""
    stripped = _SITE_SUFFIX.sub("", lines[t])
    return stripped != lines[t] and any(line_key(x) == line_key(stripped) for x in lines[: HEADER_SPAN + 5])


def _opens_body(line: str) -> bool:
    if not is_paragraph(line):
        return False
    # A long byline ("كتب: … | الأحد 5 مايو 2024 - 10:30 ص | آخر تحديث …") is not running text.
    return word_count(line) > 24 or parse_byline(unglue(line)) is None


def _meta_line(out: Cleaned, line: str, reference: datetime | None, *, take_author: bool = True) -> str | None:
    """Fill byline fields from ``line`` if it is a byline; the reason to record, or None.

    Without ``take_author`` (a line among the comments) the line is a commenter's: recorded as such.
    """
    byline = parse_byline(unglue(line), reference)
    if byline is None:
        return None
    if not take_author:
        return "comments"
    if out.author is None and byline.author and _is_name(byline.author):
        out.author = byline.author
    if out.published is None and byline.published is not None:
        out.published = byline.published
    if out.updated is None and byline.updated is not None:
        out.updated = byline.updated
    return "byline"
