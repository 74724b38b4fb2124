"""Gold pages for ``marsad eval extraction``, read from the suites in the forms they are shipped in.

Two gold forms:

* **snippets**, trafilatura's ``tests/evaldata.json`` (and marsad's generated development set,
  ``bench/html_gold``): a JSON object keyed by page (usually its URL), each entry with ``file``,
  ``url``, ``title``, ``author`` (a string, or a list of names), ``date``, the ``with`` snippets that
  must be extracted and the ``without`` snippets that must not. A page's ``file`` is found beside the
  gold file, or in ``pages/``, ``cache/`` or ``eval/`` next to it (trafilatura keeps its pages in
  ``tests/cache`` and ``tests/eval``).
* **body**, the Zyte article-extraction benchmark's ``ground-truth.json``: keyed by page, each entry
  with the whole ``articleBody`` and the ``url``; the page is ``html/<key>.html.gz`` beside it.

Either may be given as the JSON file in place or as the suite's ``.tar.gz`` as shipped: members are
read straight from the archive (one streaming pass for the gold, one for the pages), never unpacked.

The held-apart halves are fixed by :func:`half_of`, the one rule the team uses.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tarfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Literal

from ..errors import InputError

__all__ = [
    "BODY",
    "SNIPPETS",
    "GoldPage",
    "Half",
    "half_of",
    "load_gold",
    "read_pages",
    "select_pages",
]

SNIPPETS = "snippets"
BODY = "body"

#: Gold file names that say which suite a tar holds.
_GOLD_NAMES = {"evaldata.json": SNIPPETS, "ground-truth.json": BODY}
#: Folders beside a snippet gold file where its pages may be.
_PAGE_DIRS = ("", "pages", "cache", "eval")

Half = Literal["dev", "held", "all"]
# locate(name) -> (path, member): the page file on disk (member None), or the tar and its member
_Locate = Callable[[str], tuple[Path | None, str | None]]


@dataclass(slots=True)
class GoldPage:
    """One page of a gold suite: where its HTML is and what must be extracted from it."""

    key: str
    #: the page's HTML file: on disk, or the ``.tar.gz`` that holds it as ``member``
    path: Path
    url: str | None
    title: str | None = None
    #: one name, several in one string ("A und B"), or a list of names, as the gold has it
    author: str | list[str] | None = None
    date: str | None = None
    with_: list[str] = field(default_factory=list)
    without: list[str] = field(default_factory=list)
    #: the whole article body (body form); None in the snippets form
    body: str | None = None
    form: str = SNIPPETS
    member: str | None = None

    @property
    def file(self) -> str:
        """The page's file name, as reports show it."""
        return PurePosixPath(self.member).name if self.member else self.path.name


def half_of(key: str) -> Literal["dev", "held"]:
    """The fixed half a page belongs to: ``dev`` (to look at and tune on) or ``held`` (to report).

    ``key`` is the gold file's key for the page: the URL in trafilatura's evaldata.json, the hash in
    Zyte's ground-truth.json.
    """
    return "dev" if hashlib.sha1(key.encode("utf-8")).digest()[0] % 2 == 0 else "held"


def select_pages(
    pages: Iterable[GoldPage], *, half: Half = "all", sample: int | None = None, limit: int | None = None
) -> list[GoldPage]:
    """The pages of one half; ``sample``: the first N by the SHA-1 of their key (a fixed sample spread
    over the suite); ``limit``: the first N in gold order."""
    if half not in ("dev", "held", "all"):
        raise InputError(f"half must be dev, held or all, not {half!r}", reason="bad_option")
    chosen = [p for p in pages if half == "all" or half_of(p.key) == half]
    if sample is not None:
        keep = {p.key for p in sorted(chosen, key=lambda p: hashlib.sha1(p.key.encode("utf-8")).hexdigest())[:sample]}
        chosen = [p for p in chosen if p.key in keep]
    if limit is not None:
        chosen = chosen[:limit]
    return chosen


def load_gold(path: str | Path) -> list[GoldPage]:
    """The pages of a gold file (snippets or body form), or of a suite's ``.tar.gz``."""
    gold_path = Path(path)
    if gold_path.is_file() and tarfile.is_tarfile(gold_path):
        return _load_tar(gold_path)
    data = _parse(gold_path, _read(gold_path))
    if _form_of(gold_path, data) == BODY:
        return _body_pages(data, gold_path, lambda rel: _on_disk(gold_path.parent / rel))
    return _snippet_pages(data, gold_path, lambda name: _find_on_disk(gold_path.parent, name))


def read_pages(pages: Iterable[GoldPage]) -> Iterator[tuple[GoldPage, bytes]]:
    """Each page with its HTML bytes (gunzipped if stored as ``.gz``); pages in one tar come in the
    tar's order, read in a single pass over it."""
    in_tar: dict[Path, dict[str, list[GoldPage]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        if page.member is None:
            try:
                raw = page.path.read_bytes()
            except OSError as exc:
                raise InputError(f"{page.path}: {exc.strerror or exc}", reason="unreadable") from exc
            yield page, _gunzip(page.path.name, raw)
        else:
            in_tar[page.path][page.member].append(page)
    for archive, wanted in in_tar.items():
        left = dict(wanted)
        try:
            with tarfile.open(archive, "r|gz") as tar:
                for member in tar:
                    if member.name not in left:
                        continue
                    handle = tar.extractfile(member)
                    raw = _gunzip(member.name, handle.read() if handle else b"")
                    for page in left.pop(member.name):
                        yield page, raw
                    if not left:
                        break
        except (OSError, tarfile.TarError) as exc:
            raise InputError(f"{archive}: cannot read the suite: {exc}", reason="unreadable") from exc
        if left:
            raise InputError(f"{archive}: no member {next(iter(left))}", reason="unreadable")


# ---------------------------------------------------------------- reading the gold


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read gold file: {exc.strerror or exc}", reason="bad_gold") from exc


def _parse(where: Path | str, raw: bytes) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{where}: cannot read gold file: {exc}", reason="bad_gold") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InputError(f"{where}: gold file must be a JSON object keyed by page", reason="bad_gold")
    return data


def _form_of(where: Path | str, data: dict[str, dict[str, object]]) -> str:
    entries = list(data.values())
    if entries and all("articleBody" in e for e in entries):
        return BODY
    if all("file" in e for e in entries):
        return SNIPPETS
    raise InputError(
        f"{where}: neither trafilatura's evaldata.json form (file, with, without) nor Zyte's ground-truth.json"
        " form (articleBody, url)",
        reason="bad_gold",
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _author(value: object) -> str | list[str] | None:
    if isinstance(value, list):
        names = [v for v in value if isinstance(v, str) and v.strip()]
        return names or None
    return _text(value)


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _snippet_pages(data: dict[str, dict[str, object]], where: Path, locate: _Locate) -> list[GoldPage]:
    pages = []
    for key, entry in data.items():
        file = entry.get("file")
        if not isinstance(file, str) or not file:
            raise InputError(f"{where}: page {key!r} names no file", reason="bad_gold")
        path, member = locate(file)
        if path is None:
            raise InputError(f"{where}: page file {file!r} (of {key!r}) not found beside the gold, "
                             "nor in pages/, cache/ or eval/", reason="bad_gold")
        pages.append(GoldPage(
            key=key, path=path, member=member,
            url=_text(entry.get("url")) or (key if key.startswith("http") else None),
            title=_text(entry.get("title")), author=_author(entry.get("author")), date=_text(entry.get("date")),
            with_=_strings(entry.get("with")), without=_strings(entry.get("without")), form=SNIPPETS,
        ))
    return pages


def _body_pages(data: dict[str, dict[str, object]], where: Path, locate: _Locate) -> list[GoldPage]:
    pages = []
    for key, entry in data.items():
        rel = f"html/{key}.html.gz"
        path, name = locate(rel)
        if path is None:
            raise InputError(f"{where}: page {rel} (of {key!r}) not found beside the gold", reason="bad_gold")
        body = entry.get("articleBody")
        pages.append(GoldPage(
            key=key, path=path, member=name, url=_text(entry.get("url")),
            body=body if isinstance(body, str) else "", form=BODY,
        ))
    return pages


def _on_disk(candidate: Path) -> tuple[Path | None, str | None]:
    return (candidate, None) if candidate.is_file() else (None, None)


def _find_on_disk(folder: Path, name: str) -> tuple[Path | None, str | None]:
    if Path(name).is_absolute():
        return _on_disk(Path(name))
    for sub in _PAGE_DIRS:
        found = _on_disk(folder / sub / name)
        if found[0] is not None:
            return found
    return None, None


def _load_tar(archive: Path) -> list[GoldPage]:
    names: set[str] = set()
    golds: dict[str, bytes] = {}
    try:
        with tarfile.open(archive, "r|gz") as tar:
            for member in tar:
                names.add(member.name)
                if member.isfile() and PurePosixPath(member.name).name in _GOLD_NAMES:
                    handle = tar.extractfile(member)
                    golds[member.name] = handle.read() if handle else b""
    except (OSError, tarfile.TarError) as exc:
        raise InputError(f"{archive}: cannot read the suite: {exc}", reason="bad_gold") from exc
    if len(golds) != 1:
        found = ", ".join(sorted(golds)) or "neither"
        raise InputError(f"{archive}: expected one evaldata.json (trafilatura) or ground-truth.json (Zyte), "
                         f"found {found}", reason="bad_gold")
    ((gold_name, raw),) = golds.items()
    where = f"{archive}:{gold_name}"
    data = _parse(where, raw)
    base = PurePosixPath(gold_name).parent

    def member_at(rel: str) -> tuple[Path | None, str | None]:
        name = str(base / rel) if str(base) != "." else rel
        return (archive, name) if name in names else (None, None)

    if _GOLD_NAMES[PurePosixPath(gold_name).name] == BODY:
        return _body_pages(data, archive, member_at)

    def find(name: str) -> tuple[Path | None, str | None]:
        for sub in _PAGE_DIRS:
            found = member_at(f"{sub}/{name}" if sub else name)
            if found[0] is not None:
                return found
        return None, None

    return _snippet_pages(data, archive, find)


def _gunzip(name: str, raw: bytes) -> bytes:
    if not name.endswith(".gz"):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError) as exc:
        raise InputError(f"{name}: not a readable gzip file: {exc}", reason="unreadable") from exc
