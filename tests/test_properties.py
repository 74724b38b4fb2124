"""Properties of the per-article pipeline on arbitrary input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from marsad import process_text

ARABIC_LINES = st.lists(
    st.one_of(
        st.text(alphabet=st.characters(min_codepoint=0x0600, max_codepoint=0x06FF), max_size=80),
        st.sampled_from(["الاخبار العاجلة", "مدير الموقع3 مارس 2023آخر تحديث :", "اقرأ أيضا", "شارك", "© 2024", "بقلم: سامي"]),
        st.text(max_size=40),
    ),
    max_size=30,
).map("\n".join)


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(), ARABIC_LINES))
def test_process_text_never_raises_and_loses_no_line(text):
    article = process_text(text)
    kept = article.text.split("\n\n") if article.text else []
    removed = [r.line for r in article.boilerplate]
    assert len(kept) + len(removed) >= len([x for x in text.splitlines() if x.strip()])
