import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import InputError
from marsad.steps.decode import decode_bytes, decode_html

TEXT = "أعلنت وزارة الصحة في الرباط عن حملة تلقيح جديدة تشمل 12 مدينة، وقالت إنها «الأوسع منذ سنوات».\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with BOM
        TEXT.encode("utf-16-le"),  # without BOM
        TEXT.encode("utf-16-be"),
        TEXT.replace("«", '"').replace("»", '"').encode("cp1256"),
        TEXT.replace("«", '"').replace("»", '"').encode("iso-8859-6"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "cp1256", "iso-8859-6"],
)
def test_decodes_arabic_in_common_encodings(data):
    text = decode_bytes(data, "x.txt")
    assert "وزارة الصحة في الرباط" in text
    assert not text.startswith("\ufeff")


def test_french_latin_text_in_cp1256_keeps_its_accents():
    text = "Le ministère a annoncé une réunion à Tunis.".encode("cp1256")
    assert decode_bytes(text, "fr.txt") == "Le ministère a annoncé une réunion à Tunis."


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfa broken", "undecodable"),
    ],
)
def test_bad_bytes_raise_input_error_naming_the_file(data, reason):
    with pytest.raises(InputError) as info:
        decode_bytes(data, "bad/file.txt")
    assert info.value.reason == reason
    assert "bad/file.txt" in str(info.value)


@settings(deadline=None, max_examples=300)
@given(st.binary(max_size=2000))
def test_decode_never_raises_anything_but_input_error(data):
    try:
        assert isinstance(decode_bytes(data, "f"), str)
    except InputError:
        pass


# Pages in legacy code pages, written for these tests. A shop or CMS puts scripts before its
# <meta charset>, so SCRIPT pushes the declaration past the first 4 KB.
DE = "Der Gemeinderat hat am Dienstag beschlossen, die alte Brücke über den Mühlbach für schwere Lastwagen zu sperren; Anwohner äußerten Ärger über die lange Umleitung."
FR = "Le conseil municipal a décidé mardi de fermer le vieux pont aux poids lourds ; les riverains réclament une déviation plus sûre avant l'été."
AR = "قرر المجلس البلدي يوم الثلاثاء إغلاق الجسر القديم أمام الشاحنات الثقيلة، واشتكى السكان من طول الطريق البديل."
RU = "Городской совет во вторник решил закрыть старый мост для тяжёлых грузовиков; жители жалуются на долгий объезд."
ZH = "记者在会上提问，朱镕基总理作了详细回答。"  # 镕 is in GBK, not in GB2312: pages that say gb2312 write GBK
SCRIPT = "<script>" + "var slides = [], index = 0;\n" * 200 + "</script>"
FILLER = "<p>Weitere Meldungen folgen in Kuerze.</p>" * 800


def page(body: str, head: str = "", tail: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>Meldung</title></head><body><p>{body}</p>{tail}</body></html>"


def meta(label: str) -> str:
    return f'<meta charset="{label}">'


def http_equiv(label: str) -> str:
    return f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'


@pytest.mark.parametrize(
    "data, http_charset, expected",
    [
        (page(DE, SCRIPT + meta("iso-8859-1")).encode("cp1252"), None, DE),
        (page(FR, SCRIPT + http_equiv("windows-1252")).encode("cp1252"), None, FR),
        (page(DE).encode("latin-1"), None, DE),
        (page(FR).encode("latin-1"), None, FR),
        (page(AR).encode("cp1256"), None, AR),
        (page(AR.replace("،", ",")).encode("iso-8859-6"), None, AR.replace("،", ",")),
        (page(AR, meta("iso-8859-1")).encode("cp1256"), None, AR),
        (page(AR).encode("cp1256"), "iso-8859-1", AR),
        (page(AR, meta("utf-8")).encode("cp1256"), "windows-1256", AR),
        (page(DE, meta("iso-8859-1")).encode("utf-8"), None, DE),
        (page(AR).encode("utf-8"), "iso-8859-1", AR),
        (page(DE, meta("utf-8")).encode("latin-1"), None, DE),
        (page(DE, meta("utf-8"), FILLER).encode("latin-1"), None, DE),
        (page(RU).encode("cp1251"), None, RU),
        (page(RU, http_equiv("koi8-r")).encode("koi8-r"), None, RU),
        (page(ZH, meta("gb2312")).encode("gbk"), None, ZH),
    ],
    ids=[
        "latin1-meta-past-4kb",
        "cp1252-http-equiv-past-4kb",
        "german-latin1-undeclared",
        "french-latin1-undeclared",
        "arabic-cp1256-undeclared",
        "arabic-iso-8859-6-undeclared",
        "arabic-cp1256-declared-latin1",
        "arabic-cp1256-header-latin1",
        "header-beats-meta",
        "utf8-declared-latin1",
        "arabic-utf8-header-latin1",
        "latin1-declared-utf8",
        "latin1-declared-utf8-few-umlauts-in-a-long-page",
        "russian-cp1251-undeclared",
        "russian-koi8-r-declared",
        "gbk-declared-gb2312",
    ],
)
def test_decode_html_reads_real_pages(data, http_charset, expected):
    text = decode_html(data, "page.html", http_charset=http_charset)
    assert expected in text
    assert "\ufffd" not in text


def test_meta_charset_past_4kb_is_what_decides():
    data = page(DE, SCRIPT + meta("iso-8859-1")).encode("cp1252")
    assert data.index(b"<meta") > 4096
    assert decode_html(data, "p.html") == page(DE, SCRIPT + meta("iso-8859-1"))


@pytest.mark.parametrize(
    "data, expected",
    [
        (DE.encode("latin-1"), DE),
        (FR.encode("latin-1"), FR),
        ((AR + "\n" + FR).encode("cp1256"), AR + "\n" + FR),  # a Maghreb page quoting French
        (RU.encode("cp1251"), RU),
    ],
    ids=["german-latin1", "french-latin1", "arabic-with-french-cp1256", "russian-cp1251"],
)
def test_decode_bytes_reads_legacy_text(data, expected):
    assert decode_bytes(data, "x.txt") == expected


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        bytes(range(1, 256)) * 8,  # no NUL, but control bytes throughout
        b"<html>" + bytes(range(0x80, 0x100)) * 2 + bytes(range(1, 32)) * 20,
    ],
    ids=["png", "all-bytes", "html-start-then-junk"],
)
def test_binary_pages_are_refused_naming_the_file(data):
    with pytest.raises(InputError) as info:
        decode_html(data, "crawl/logo.html")
    assert info.value.reason == "binary"
    assert "crawl/logo.html" in str(info.value)
    assert "\n" not in str(info.value)


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=3000))
def test_decode_html_never_raises_anything_but_input_error(data):
    try:
        assert isinstance(decode_html(data, "f.html"), str)
    except InputError:
        pass
