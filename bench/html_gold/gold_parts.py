"""The page record the planner fills and the site templates render, and the markup pieces templates share.

A template (``gold_sites/<name>.py``) has a ``PROFILE`` (which variants it may take: date conventions,
metadata, byline forms, encodings ...), ``url_path(page)`` and ``render(page) -> str``. It renders only
what the page holds: an empty list means the block is absent from that page.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from gold_text import CODEC_LABEL, attr, esc


@dataclass(frozen=True)
class Profile:
    name: str
    site: str
    domain: str
    legacy: bool = False  # an older CMS: may be written in windows-1256 / ISO-8859-6
    title_formats: tuple[str, ...] = ("pipe",)  # "pipe": HEADLINE | Site, "dash": Site - HEADLINE
    date_styles: tuple[str, ...] = ("eg",)
    clocks: tuple[str | None, ...] = (None,)
    weekday: tuple[bool, ...] = (True, False)
    indic: tuple[bool, ...] = (False,)  # Arabic-Indic digits in visible dates (UTF-8 pages only)
    jsonld: tuple[str, ...] = ("none",)  # full / no_author / no_date / none
    og: tuple[str, ...] = ("none",)  # full (with article:published_time) / partial / none
    time_el: tuple[bool, ...] = (False,)  # a machine-readable date next to the visible one
    url_dated: tuple[bool, ...] = (False,)
    byline_forms: tuple[str, ...] = ("{}",)  # for a plain name; ANT bylines with a dateline are shown as is
    invent_author: float = 0.5  # chance that a page without its ANT author gets an invented reporter
    drop_author: float = 0.15  # chance that an ANT author is not shown at all
    lead: float = 0.0
    read_also: tuple[int, int] = (0, 1)
    ads: tuple[int, int] = (0, 1)
    comments: tuple[int, int] = (0, 3)
    related: tuple[int, int] = (3, 5)
    related_inside: float = 0.0
    updated: float = 0.0  # a visible "آخر تحديث" line with a later date
    meta_author: float = 0.5
    description: float = 0.8
    tags: float = 0.7
    author_box: float = 0.0
    inline_markup: float = 0.0  # chance per paragraph of an inline <strong>/<a>
    today_header: float = 0.0  # the site header shows the (later) day the page was crawled
    footer_years: tuple[int, ...] = (2023,)
    declare_utf8: tuple[str, ...] = ("meta",)  # meta / http-equiv
    declare_legacy: tuple[str, ...] = ("http-equiv",)


@dataclass(frozen=True)
class AntArticle:
    """One ANT article, cleaned: the source of a generated page."""

    id: str
    source: str
    category: str
    title: str
    published: datetime
    author: str
    abstract: str
    paragraphs: tuple[str, ...]

    @property
    def number(self) -> int:
        """A stable numeric id for URLs on the invented sites."""
        return int(hashlib.sha1(self.id.encode()).hexdigest()[:8], 16) % 900_000 + 100_000


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    when: str = ""


@dataclass(frozen=True)
class Comment:
    name: str
    when: str
    text: str


@dataclass
class Page:
    index: int
    profile: Profile
    art_id: int
    url: str
    codec: str  # utf-8 / cp1256 / iso-8859-6
    declare: str  # meta / http-equiv / none
    title: str
    title_format: str
    paragraphs: list[str]
    lead: bool
    section: str
    section_slug: str
    published: datetime
    modified: datetime
    date_text: str
    updated_text: str
    today_text: str
    author: str  # the gold author: "" when the page names none
    byline: str  # the visible byline ("" none)
    author_bio: str
    description: str
    jsonld: str
    og: str
    time_el: bool
    url_dated: bool
    meta_author: bool
    tags: list[str]
    nav: list[str]
    ticker: list[str]
    related: list[Link]
    related_heading: str
    related_inside: bool
    most_read: list[Link]
    most_read_heading: str
    read_also: dict[int, Link]  # after paragraph i
    read_also_label: str
    ads: dict[int, str]  # after paragraph i
    comments: list[Comment]
    comment_prompt: str
    newsletter: str
    share_label: str
    footer_about: str
    footer_year: int
    image: str
    caption: str
    inline: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # para -> (from, to, tag)
    date_style: str = ""  # the convention of date_text (see gold_text.format_date), for the record
    token: str = ""  # deterministic random hex for ids, view states ...

    @property
    def site(self) -> str:
        return self.profile.site

    @property
    def machine_date(self) -> bool:
        """Whether a machine-readable publication date exists anywhere on the page or in its URL."""
        return self.jsonld in ("full", "no_author") or self.og == "full" or self.time_el or self.url_dated

    @property
    def charset_label(self) -> str:
        return CODEC_LABEL[self.codec]


# ---------------------------------------------------------------- head

def charset_tag(page: Page) -> str:
    if page.declare == "meta":
        return f'<meta charset="{page.charset_label}">'
    if page.declare == "http-equiv":
        return f'<meta http-equiv="Content-Type" content="text/html; charset={page.charset_label}">'
    return ""


def html_title(page: Page) -> str:
    if page.title_format == "dash":
        return f"{page.site} - {page.title}"
    return f"{page.title} | {page.site}"


def iso(moment: datetime) -> str:
    return moment.isoformat()


def meta_tags(page: Page) -> str:
    """``<meta>`` description, OpenGraph and article:* tags, as the page's variant asks."""
    out = []
    if page.description:
        out.append(f'<meta name="description" content="{attr(page.description)}">')
    if page.meta_author and page.author:
        out.append(f'<meta name="author" content="{attr(page.author)}">')
    if page.og != "none":
        out.append('<meta property="og:type" content="article">')
        out.append(f'<meta property="og:title" content="{attr(page.title)} | {attr(page.site)}">')
        out.append(f'<meta property="og:site_name" content="{attr(page.site)}">')
        out.append(f'<meta property="og:url" content="{attr(page.url)}">')
        out.append(f'<meta property="og:image" content="{attr(page.image)}">')
        if page.description:
            out.append(f'<meta property="og:description" content="{attr(page.description)}">')
        out.append('<meta property="og:locale" content="ar_AR">')
    if page.og == "full":
        out.append(f'<meta property="article:published_time" content="{iso(page.published)}">')
        out.append(f'<meta property="article:modified_time" content="{iso(page.modified)}">')
        out.append(f'<meta property="article:section" content="{attr(page.section)}">')
        out.extend(f'<meta property="article:tag" content="{attr(t)}">' for t in page.tags)
    return "\n".join(out)


def jsonld_data(page: Page) -> dict[str, object] | None:
    if page.jsonld == "none":
        return None
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.url},
        "headline": page.title,
        "image": [page.image],
    }
    if page.jsonld != "no_date":
        data["datePublished"] = iso(page.published)
        data["dateModified"] = iso(page.modified)
    if page.jsonld != "no_author":
        if page.author:
            data["author"] = {"@type": "Person", "name": page.author}
        else:
            data["author"] = {"@type": "Organization", "name": page.site}
    data["publisher"] = {
        "@type": "Organization",
        "name": page.site,
        "logo": {"@type": "ImageObject", "url": f"https://{page.profile.domain}/static/logo.png"},
    }
    if page.description:
        data["description"] = page.description
    data["articleSection"] = page.section
    if page.tags:
        data["keywords"] = ", ".join(page.tags)
    return data


def jsonld_script(page: Page, *, indent: int | None = None, graph: bool = False) -> str:
    data = jsonld_data(page)
    if data is None:
        return ""
    if graph:
        crumbs = {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "الرئيسية", "item": f"https://{page.profile.domain}/"},
                {"@type": "ListItem", "position": 2, "name": page.section,
                 "item": f"https://{page.profile.domain}/{page.section_slug}"},
            ],
        }
        del data["@context"]
        data = {"@context": "https://schema.org", "@graph": [data, crumbs]}
    text = json.dumps(data, ensure_ascii=False, indent=indent).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


# ---------------------------------------------------------------- body

def para_html(page: Page, i: int) -> str:
    """Paragraph ``i`` escaped, with its inline ``<strong>``/``<a>`` if the page has one there."""
    words = page.paragraphs[i].split(" ")
    if i not in page.inline:
        return esc(page.paragraphs[i])
    start, end, tag = page.inline[i]
    before, inner, after = words[:start], words[start:end], words[end:]
    if tag == "a":
        open_tag = f'<a href="https://{page.profile.domain}/tag/{page.token[:6]}{i}">'
        close_tag = "</a>"
    else:
        open_tag, close_tag = f"<{tag}>", f"</{tag}>"
    parts = []
    if before:
        parts.append(esc(" ".join(before)) + " ")
    parts.append(open_tag + esc(" ".join(inner)) + close_tag)
    if after:
        parts.append(" " + esc(" ".join(after)))
    return "".join(parts)


def body_items(page: Page, start: int = 0) -> list[tuple[str, Any]]:
    """The body in reading order: ``("p", i)``, ``("read_also", Link)``, ``("ad", text)``."""
    items: list[tuple[str, Any]] = []
    for i in range(len(page.paragraphs)):
        if i >= start:  # paragraphs before start (a lead) are rendered by the template; their blocks follow
            items.append(("p", i))
        if i in page.read_also:
            items.append(("read_also", page.read_also[i]))
        if i in page.ads:
            items.append(("ad", page.ads[i]))
    return items


def link_items(links: list[Link], *, li_class: str = "", with_date: bool = True) -> str:
    cls = f' class="{li_class}"' if li_class else ""
    out = []
    for link in links:
        when = f' <span class="date">{esc(link.when)}</span>' if with_date and link.when else ""
        out.append(f'<li{cls}><a href="{attr(link.url)}">{esc(link.title)}</a>{when}</li>')
    return "\n".join(out)


def tag_links(page: Page, *, href: str = "/tag/", sep: str = " ", prefix: str = "") -> str:
    return sep.join(f'<a href="{href}{k}" rel="tag">{prefix}{esc(t)}</a>' for k, t in enumerate(page.tags))


def nav_items(page: Page, *, prefix: str = "/") -> str:
    out = []
    for k, label in enumerate(page.nav):
        href = "/" if k == 0 else f"{prefix}section/{k}"
        out.append(f'<li><a href="{href}">{esc(label)}</a></li>')
    return "\n".join(out)


def share_links(page: Page, networks: list[str], *, cls: str = "share") -> str:
    return "\n".join(
        f'<a class="{cls}-{_SHARE[n][0]}" href="{_SHARE[n][1]}{attr(page.url)}" rel="nofollow noopener" '
        f'target="_blank">{esc(n)}</a>'
        for n in networks
    )


_SHARE = {
    "فيسبوك": ("facebook", "https://www.facebook.com/sharer/sharer.php?u="),
    "تويتر": ("twitter", "https://twitter.com/intent/tweet?url="),
    "واتساب": ("whatsapp", "https://api.whatsapp.com/send?text="),
    "تيليجرام": ("telegram", "https://t.me/share/url?url="),
    "لينكدإن": ("linkedin", "https://www.linkedin.com/shareArticle?mini=true&amp;url="),
}


def date_block(page: Page, *, cls: str = "date", tag: str = "span") -> str:
    """The visible date, wrapped in ``<time datetime>`` when the page has a machine-readable one."""
    if page.time_el:
        return f'<time class="{cls}" datetime="{iso(page.published)}">{esc(page.date_text)}</time>'
    return f'<{tag} class="{cls}">{esc(page.date_text)}</{tag}>'
