"""Peer extractor adapters: one result shape, the peer's own decoding, no raising on bad pages."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marsad.errors import ConfigError
from marsad.evaluate.peers import PEERS, Extraction, available_peers, run_peer

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="{charset}">
<title>افتتاح مكتبة عامة جديدة في مدينة صفاقس - جريدة الساحل</title>
<meta name="author" content="سلمى بن علي">
<meta property="article:published_time" content="2024-03-12T09:30:00+01:00">
</head>
<body>
<header><nav><ul>
<li><a href="/">الرئيسية</a></li><li><a href="/politique">سياسة</a></li><li><a href="/economie">اقتصاد</a></li>
<li><a href="/sport">رياضة</a></li><li><a href="/culture">ثقافة</a></li>
</ul></nav></header>
<main><article>
<h1>افتتاح مكتبة عامة جديدة في مدينة صفاقس</h1>
<p class="byline">بقلم: سلمى بن علي — <time datetime="2024-03-12">12 مارس 2024</time></p>
<figure><img src="http://images.example.org/maktaba.jpg" alt="واجهة المكتبة"></figure>
<p>افتتحت بلدية صفاقس صباح الثلاثاء مكتبة عامة جديدة في حي المدينة العتيقة، تضم أكثر من عشرين ألف كتاب \
باللغتين العربية والفرنسية، إلى جانب قاعة للمطالعة تتسع لمئة قارئ.</p>
<p>وقال رئيس البلدية في كلمة ألقاها بالمناسبة إن المشروع استغرق ثلاث سنوات من العمل، وإن المكتبة ستفتح \
أبوابها يوميا من الثامنة صباحا حتى العاشرة ليلا طوال أيام الأسبوع.</p>
<p>وأضاف أن الأطفال سيجدون ركنا خاصا بهم يضم قصصا مصورة وألعابا تعليمية، كما ستنظم المكتبة ورشات أسبوعية \
للكتابة والرسم بالتعاون مع جمعيات المجتمع المدني في الجهة.</p>
</article></main>
<footer><p>جميع الحقوق محفوظة لجريدة الساحل 2024</p>
<p><a href="/contact">اتصل بنا</a> | <a href="/ads">أعلن معنا</a></p></footer>
</body>
</html>
"""
UTF8_PAGE = PAGE.format(charset="utf-8").encode("utf-8")
CP1256_PAGE = PAGE.format(charset="windows-1256").encode("cp1256")
URL = "https://www.example.tn/culture/2024/03/12/maktaba-safaqes"

TITLE = "افتتاح مكتبة عامة جديدة في مدينة صفاقس"
SECOND_PARAGRAPH = (
    "وقال رئيس البلدية في كلمة ألقاها بالمناسبة إن المشروع استغرق ثلاث سنوات من العمل، وإن المكتبة ستفتح "
    "أبوابها يوميا من الثامنة صباحا حتى العاشرة ليلا طوال أيام الأسبوع."
)

# The modules each peer needs, for importorskip.
NEEDS = {
    "trafilatura": ("trafilatura",),
    "readability": ("readability.readability",),
    "resiliparse": ("resiliparse.extract.html2text",),
    "newspaper4k": ("newspaper", "nltk"),
}


def _skip_unless_installed(name: str) -> None:
    for module in NEEDS[name]:
        pytest.importorskip(module)


@pytest.fixture(params=sorted(PEERS))
def peer(request: pytest.FixtureRequest) -> str:
    _skip_unless_installed(request.param)
    return request.param


def test_every_peer_has_an_install_line():
    assert set(NEEDS) == set(PEERS)


def test_peer_finds_the_body_paragraph_as_one_line(peer):
    result = run_peer(peer, UTF8_PAGE, URL)
    assert isinstance(result, Extraction)
    assert SECOND_PARAGRAPH in result.text.split("\n")
    assert "أعلن معنا" not in result.text  # footer


def test_peer_reads_windows_1256_as_the_same_arabic(peer):
    from_cp1256 = run_peer(peer, CP1256_PAGE, URL)
    assert SECOND_PARAGRAPH in from_cp1256.text
    assert not any(mark in from_cp1256.text for mark in ("Ø", "Ù", "Ã", "\ufffd"))  # mojibake
    assert from_cp1256 == run_peer(peer, UTF8_PAGE, URL)


def test_peer_without_url(peer):
    assert SECOND_PARAGRAPH in run_peer(peer, UTF8_PAGE, None).text


def test_trafilatura_finds_title_author_and_date():
    _skip_unless_installed("trafilatura")
    result = run_peer("trafilatura", UTF8_PAGE, URL)
    assert result.title == TITLE
    assert result.author == "سلمى بن علي"
    assert result.date == "2024-03-12"


@pytest.mark.parametrize("name", ["readability", "resiliparse"])
def test_title_only_peers_leave_author_and_date_empty(name):
    _skip_unless_installed(name)
    result = run_peer(name, UTF8_PAGE, URL)
    assert result.title is not None and result.title.startswith(TITLE)
    assert (result.author, result.date) == (None, None)


def test_newspaper4k_metadata_and_no_network(monkeypatch):
    _skip_unless_installed("newspaper4k")
    tried: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        tried.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    result = run_peer("newspaper4k", UTF8_PAGE, URL)
    assert tried == []  # left to its defaults, parse() would fetch the <img> to size it
    assert result.title == TITLE
    assert result.author is not None and "سلمى بن علي" in result.author
    assert result.date == "2024-03-12"


BAD_INPUTS = [
    pytest.param(b"", id="empty"),
    pytest.param(b" \n\t ", id="blank"),
    pytest.param(b"\x00" * 64, id="nul"),
    pytest.param(bytes(range(256)) * 4, id="all-bytes"),
    pytest.param(b"\xff\xfe\x00<\x00h\x00t", id="utf16-bom-truncated"),
    pytest.param(b"<html><body></body></html>", id="no-body"),
    pytest.param(b"<<<>>><p></div></p><!--", id="broken-tags"),
    pytest.param(UTF8_PAGE[: len(UTF8_PAGE) // 2 + 1], id="truncated-mid-character"),
]


@pytest.mark.parametrize("html", BAD_INPUTS)
def test_peer_never_raises_on_bad_input(peer, html):
    result = run_peer(peer, html, None)
    assert isinstance(result, Extraction)
    assert isinstance(result.text, str)


@pytest.mark.parametrize("html", [b"", b"   "])
def test_empty_input_gives_empty_extraction(peer, html):
    assert run_peer(peer, html, None) == Extraction(title=None, author=None, date=None, text="")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(html=st.binary(max_size=2000))
def test_peer_never_raises_on_arbitrary_bytes(peer, html):
    result = run_peer(peer, html, None)
    assert isinstance(result.text, str)
    assert result.date is None or len(result.date) == 10


def test_unknown_peer_is_a_config_error():
    with pytest.raises(ConfigError, match="known peers: trafilatura"):
        run_peer("boilerpipe", UTF8_PAGE, None)


@pytest.mark.parametrize(
    "name, module, line",
    [
        ("trafilatura", "trafilatura", "pip install trafilatura"),
        ("readability", "readability.readability", "pip install readability-lxml"),
        ("resiliparse", "resiliparse.parse.html", "pip install resiliparse"),
        ("newspaper4k", "nltk", "pip install 'newspaper4k[nlp]'"),
    ],
)
def test_missing_peer_names_its_install_line(monkeypatch, name, module, line):
    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail as if not installed
    with pytest.raises(ConfigError) as caught:
        run_peer(name, UTF8_PAGE, None)
    assert line in str(caught.value)
    assert name not in available_peers()


def test_available_peers_are_the_installed_ones():
    installed = []
    for name, modules in NEEDS.items():
        try:
            for module in modules:
                __import__(module)
        except ImportError:
            continue
        installed.append(name)
    assert sorted(available_peers()) == sorted(installed)


def test_importing_the_module_imports_no_peer():
    code = (
        "import sys, marsad.evaluate.peers; "
        "print(sorted(m for m in ('trafilatura', 'readability', 'resiliparse', 'newspaper') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"
