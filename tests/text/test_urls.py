import pytest

from marsad.text.urls import canonical_url

SAME = [
    ("https://www.example.com/news/2024/05/article-1", "http://example.com/news/2024/05/article-1/"),
    ("https://example.com/a?utm_source=twitter&utm_medium=social", "https://example.com/a"),
    ("https://example.com/a?id=5&fbclid=XYZ&b=2", "http://example.com/a?b=2&id=5"),
    ("https://m.example.com/a", "https://example.com/a"),
    ("https://example.com/amp/news/123", "https://example.com/news/123"),
    ("https://example.com/news/123/amp", "https://example.com/news/123"),
    ("https://example.com/news/123.amp.html", "https://example.com/news/123.html"),
    ("https://example.com/news/123?amp=1", "https://example.com/news/123"),
    ("https://example.com/أخبار/الرباط", "https://example.com/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%A7%D9%84%D8%B1%D8%A8%D8%A7%D8%B7"),
    ("https://EXAMPLE.com:443/a#comments", "https://example.com/a"),
    ("https://example.com/section/index.html", "https://example.com/section/"),
]
DIFFERENT = [
    ("https://example.com/a?id=5", "https://example.com/a?id=6"),
    ("https://example.com/news/1", "https://example.com/news/2"),
    ("https://example.com/a", "https://example.org/a"),
    ("https://example.com:8080/a", "https://example.com/a"),
]


@pytest.mark.parametrize("a, b", SAME)
def test_same_page(a, b):
    assert canonical_url(a) == canonical_url(b)


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_different_pages(a, b):
    assert canonical_url(a) != canonical_url(b)


def test_never_raises_on_junk():
    for junk in ["", "http://[::1", "not a url", "http://", "://x", "https://exa mple.com/ü"]:
        assert isinstance(canonical_url(junk), str)
