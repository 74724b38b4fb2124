"""Build the document-frequency table that :mod:`marsad.nlp.keyphrases` weighs words with.

    python bench/build_keyphrase_idf.py [--corpus ANT.jsonl.gz] [--min-df 3]

Counts, over every article of the ANT corpus (field ``text``, title included), in how many
articles each word key occurs: the word normalised (:func:`marsad.normalize`), teh marbuta folded
and attached clitics taken off (:func:`marsad.nlp.keyphrases.word_key`), so that والحكومة, للحكومة
and الحكومة count as one word, exactly as the extractor looks them up. Keys seen in fewer than
``--min-df`` articles are left out (the extractor treats a missing key as seen once), which keeps
the table small. Writes ``src/marsad/models/keyphrases/df.tsv.gz``: a first line ``#docs<TAB>N``,
then ``key<TAB>df`` lines, most frequent first, then ``+word`` lines: normalised written words whose
first letter is an attached clitic (بجهود), which the extractor shows without it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

from marsad.nlp.keyphrases import word_key
from marsad.text.arabic import normalize

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
OUT = ROOT / "src" / "marsad" / "models" / "keyphrases" / "df.tsv.gz"
_WORD = re.compile(r"[^\W\d_]+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ANT)
    parser.add_argument("--min-df", type=int, default=3)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    df: Counter[str] = Counter()
    surface: Counter[str] = Counter()
    docs = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            text = f"{row.get('title') or ''}\n{row.get('text') or ''}"
            words = set(_WORD.findall(normalize(text)))
            df.update({word_key(w) for w in words})
            surface.update(words)
            docs += 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    kept = [(k, n) for k, n in df.most_common() if n >= args.min_df and k]
    # Written words whose first letter is an attached و/ف/ب/ل/ك: the rest is a word of its own,
    # at least half as frequent (بجهود → جهود), unlike بريطانيا or وزارة whose first letter is
    # the word's own. The extractor shows them without it.
    clitic = sorted(w for w, n in surface.items()
                    if n >= args.min_df and len(w) >= 4 and w[0] in "وفبلك" and not w.startswith("ال")
                    and surface.get(w[1:], 0) >= max(args.min_df, n / 2))
    # mtime=0: the same corpus gives the same bytes, so a rebuild shows no diff
    with gzip.GzipFile(args.out, "wb", mtime=0) as raw:
        raw.write(f"#docs\t{docs}\n".encode())
        raw.write("".join(f"{k}\t{n}\n" for k, n in kept).encode("utf-8"))
        raw.write("".join(f"+{w}\n" for w in clitic).encode("utf-8"))
    print(f"{docs} documents, {len(df)} keys, {len(kept)} kept (df >= {args.min_df}), {len(clitic)} clitic forms, "
          f"{args.out.stat().st_size / 1024:.0f} KB -> {args.out}")


if __name__ == "__main__":
    main()
