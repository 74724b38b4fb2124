"""Word clusters for the NER model, learned from ANT's unlabelled news text.

    python bench/ner_clusters.py [--ant ../shared/data/ant_multisource/articles.jsonl.gz]
                                 [--out src/marsad/models/ner/clusters.tsv.gz]

Words that occur in the same contexts get the same cluster id, so a name the labelled corpus never
saw (a minister, a town) shares features with the names it did see. How: the normalised words of
every article (the tagger's own tokenizer and normalisation), a ±2-word co-occurrence matrix of the
most frequent words against the most frequent context words, positive PMI, a truncated SVD to 100
dimensions, and k-means on the unit vectors at four granularities (32 to 2048 clusters, like cutting a
Brown-cluster tree at four depths). Output, one word a line: ``word count c1 c2 c3 c4`` (tab
separated, gzip; 125k words seen twice or more). The counts also serve the tagger's choice of a name's canonical form.
Deterministic for a given input (fixed seeds); about two to five minutes on one core.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.cluster import MiniBatchKMeans
from sklearn.decomposition import TruncatedSVD

from marsad.nlp.tokens import token_spans
from marsad.text.arabic import normalize

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
OUT = ROOT / "src" / "marsad" / "models" / "ner" / "clusters.tsv.gz"


def read_sentences(path: Path) -> list[list[str]]:
    """Normalised tokens of each article (title and body), duplicates of a text read once."""
    seen: set[int] = set()
    docs = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            text = f"{record.get('title') or ''}\n{record.get('text') or ''}"
            key = hash(text)
            if key in seen:
                continue
            seen.add(key)
            docs.append([t for t, _, _ in token_spans(normalize(text))])
    return docs


def build(docs: list[list[str]], *, vocab_size: int, context_size: int, min_count: int,
          dims: int, ks: tuple[int, ...], seed: int = 0) -> tuple[list[str], list[int], np.ndarray]:
    counts = Counter(t for doc in docs for t in doc)
    vocab = [w for w, c in counts.most_common(vocab_size) if c >= min_count]
    index = {w: i for i, w in enumerate(vocab)}
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for doc in docs:
        ids = np.fromiter((index.get(t, -1) for t in doc), dtype=np.int64, count=len(doc))
        for d in (1, 2):
            a, b = ids[:-d], ids[d:]
            # each pair counts both ways: b is a context of a, a of b
            for x, y in ((a, b), (b, a)):
                keep = (x >= 0) & (y >= 0) & (y < context_size)
                rows.append(x[keep])
                cols.append(y[keep])
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    m = sparse.coo_matrix((np.ones(len(r), dtype=np.float64), (r, c)),
                          shape=(len(vocab), context_size)).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row = np.asarray(m.sum(axis=1)).ravel()
    col = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context smoothing (Levy et al. 2015)
    col = col / col.sum()
    coo = m.tocoo()
    pmi = np.log(coo.data * 1.0 / (row[coo.row] / total) / col[coo.col] / total)
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (coo.row[keep], coo.col[keep])), shape=m.shape)
    vectors = TruncatedSVD(n_components=dims, random_state=seed).fit_transform(ppmi)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    labels = np.stack([
        MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3).fit_predict(vectors)
        for k in ks
    ], axis=1)
    return vocab, [counts[w] for w in vocab], labels


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ant", type=Path, default=ANT)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--vocab", type=int, default=200_000)
    parser.add_argument("--contexts", type=int, default=10_000)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--dims", type=int, default=100)
    parser.add_argument("--ks", default="32,128,512,2048")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    docs = read_sentences(args.ant)
    print(f"{len(docs)} texts, {sum(map(len, docs)):,} tokens read in {time.perf_counter() - t0:.0f}s")
    ks = tuple(int(k) for k in args.ks.split(","))
    vocab, counts, labels = build(docs, vocab_size=args.vocab, context_size=args.contexts,
                                  min_count=args.min_count, dims=args.dims, ks=ks)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same clusters give the same bytes, so a rebuild shows no spurious diff
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for w, n, lab in zip(vocab, counts, labels.tolist()):
            gz.write(("\t".join([w, str(n), *map(str, lab)]) + "\n").encode("utf-8"))
    print(f"{len(vocab):,} words, clusters {ks}, written to {args.out} "
          f"({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
