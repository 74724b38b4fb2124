import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from marsad.errors import InputError
from marsad.steps.decode import decode_bytes

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
