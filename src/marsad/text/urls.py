"""Canonical URLs: one key for every address of the same page.

Re-crawls reach one article under many addresses: ``http`` and ``https``, ``www.`` and ``m.`` hosts,
AMP variants, tracking parameters, a trailing slash, and Arabic paths raw or percent-encoded.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

# Query parameters that identify the visit, not the page.
_TRACKING = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid|ref|ref_src|ref_url|"
    r"referrer|source|src|cmpid|campaign|share|shared|from|output|amp|outputtype|ito|ns_\w+|spm|at_\w+)$",
    re.IGNORECASE,
)
_HOST_PREFIX = re.compile(r"^(?:www\d?|m|mobile|amp)\.")
_AMP_PATH = re.compile(r"(?:/amp(?=/|$)|\.amp(?=\.html?$|$)|/amp\.html?$)", re.IGNORECASE)
_INDEX = re.compile(r"/(?:index|default)\.(?:html?|php|aspx?)$", re.IGNORECASE)


def canonical_url(url: str) -> str:
    """A key equal for the addresses of one page (scheme, host variants, tracking, AMP, encoding)."""
    url = url.strip()
    try:
        parts = urlsplit(url if "//" in url else f"//{url}")
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return url
    host = _HOST_PREFIX.sub("", host)
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = unquote(parts.path or "/")
    path = _AMP_PATH.sub("", path)
    path = _INDEX.sub("/", path)
    path = re.sub(r"/{2,}", "/", path).rstrip("/") or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    key = host + quote(path, safe="/:@!$&'()*+,;=-._~")
    if query:
        key += "?" + urlencode(sorted(query))
    return key
