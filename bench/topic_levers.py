"""Exploration: extra feature blocks for the topic model, each publisher held out in turn.

    python bench/topic_levers.py [NAME ...]   # base clusters clonly pub C lead char combo; none: most

Each run prints six-label and merged accuracy averaged over the held-out publishers, and the
merged accuracy per publisher; margins go to /tmp/topic/ for score averaging afterwards.
Results: models/topic/CARD.md (second lever table).

Fast re-implementation of the shipped protocol (no pruning refit, for speed): counts are built
once, idf and the min_df cut come from the four training publishers of each fold.
"""

from __future__ import annotations

import gzip
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from marsad.nlp.topic import merged_topic, read_articles  # noqa: E402
from marsad.text.analysis import stem, strip_clitics, tokens  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "ant_multisource" / "articles.jsonl.gz"
CACHE = Path("/tmp/topic/tokens.pkl")
CLUSTERS = ROOT / "src" / "marsad" / "models" / "ner" / "clusters.tsv.gz"


def load():
    arts = read_articles(ANT)
    if CACHE.is_file():
        toks = pickle.loads(CACHE.read_bytes())
    else:
        toks = [(tokens(a.title or ""), tokens(a.text)) for a in arts]
        CACHE.write_bytes(pickle.dumps(toks))
    return arts, toks


def identity(d):
    return d


def counts(docs):
    vec = CountVectorizer(analyzer=identity, lowercase=False, dtype=np.float32)
    return vec.fit_transform(docs).tocsr()


PUB = {"share": 0.0}


def tfidf(x, train, min_df=2, sublinear=True, src=None):
    df = np.asarray((x[train] > 0).sum(axis=0)).ravel()
    keep = df >= min_df
    if PUB["share"] and src is not None:
        # words found (almost) only at one training publisher: its boilerplate and house style
        ts = src[train]
        top = np.zeros(x.shape[1], np.float32)
        for s in sorted(set(ts)):
            rows = train[ts == s]
            top = np.maximum(top, np.asarray((x[rows] > 0).sum(axis=0)).ravel())
        keep &= ~((top >= PUB["share"] * df) & (df >= PUB["min"]))
    n = len(train)
    idf = (np.log((1 + n) / (1 + df)) + 1).astype(np.float32)
    idf[~keep] = 0
    x = x.copy()
    if sublinear:
        x.data = np.log(x.data) + 1
    x = x @ sp.diags(idf)
    x = x.tocsr()
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    x = sp.diags(1 / norms) @ x
    x.eliminate_zeros()
    return x.tocsr()


def fit_ovr(x, y, src, classes, C=1.0):
    coef = np.zeros((len(classes), x.shape[1]))
    icpt = np.zeros(len(classes))
    for k, lab in enumerate(classes):
        rows = np.isin(src, sorted(set(src[y == lab])))
        clf = LinearSVC(C=C, class_weight="balanced").fit(x[rows], (y[rows] == lab).astype(int))
        coef[k] = clf.coef_.ravel()
        icpt[k] = clf.intercept_[0]
    return coef, icpt


def held_out(blocks, y, src, weights, C=1.0):
    """blocks: list of count matrices; weights: scale per block. Returns margins (n, classes)."""
    classes = sorted(set(y))
    margins = np.zeros((len(y), len(classes)))
    for s in sorted(set(src)):
        train = np.flatnonzero(src != s)
        test = np.flatnonzero(src == s)
        x = sp.hstack([tfidf(b, train, src=src) * w for b, w in zip(blocks, weights)]).tocsr()
        coef, icpt = fit_ovr(x[train], y[train], src[train], classes, C)
        margins[test] = x[test] @ coef.T + icpt
    return classes, margins


def report(name, classes, margins, y, src, t0):
    pred = np.array(classes)[margins.argmax(1)]
    six, mer = [], []
    per = []
    for s in sorted(set(src)):
        m = src == s
        six.append((pred[m] == y[m]).mean())
        mer.append(np.mean([merged_topic(p) == merged_topic(g) for p, g in zip(pred[m], y[m])]))
        per.append(f"{s[:6]}:{mer[-1]:.3f}")
    print(f"{name:<40} six {np.mean(six):.3f} merged {np.mean(mer):.3f}  {' '.join(per)}  ({time.time()-t0:.0f}s)", flush=True)
    np.save(f"/tmp/topic/m_{name.replace(' ', '_')}.npy", margins)


def load_clusters():
    out = {}
    with gzip.open(CLUSTERS, "rt", encoding="utf-8") as fh:
        for line in fh:
            w, _, *ids = line.rstrip("\n").split("\t")
            out[w] = ids
    return out


def cluster_doc(ws, cl, levels):
    out = []
    for w in ws:
        ids = cl.get(w)
        if ids is None:
            b = strip_clitics(w)
            ids = cl.get(b)
        if ids is None:
            continue
        out += [f"{lv}:{ids[lv]}" for lv in levels]
    return out


def main():
    arts, toks = load()
    y = np.array([a.label for a in arts])
    src = np.array([a.source for a in arts])
    want = set(sys.argv[1:])
    t0 = time.time()
    stems = [([stem(w) for w in t], [stem(w) for w in b]) for t, b in toks]

    def wdoc(ws):
        return ws + [f"{a} {b}" for a, b in zip(ws, ws[1:])]

    words = counts([wdoc(b) + wdoc(t) for t, b in stems])
    print(f"features built {time.time()-t0:.0f}s shape {words.shape}", flush=True)

    def run(name, blocks, weights, C=1.0):
        if want and not any(name.startswith(w) for w in want):
            return
        t = time.time()
        classes, m = held_out(blocks, y, src, weights, C)
        report(name, classes, m, y, src, t)

    run("base words+pairs", [words], [1.0])
    if not want or want & {"clusters", "clonly"}:
        cl = load_clusters()
        c23 = counts([cluster_doc(b + t, cl, (2, 3)) for t, b in toks])
        run("clusters 512+2048 x0.5", [words, c23], [1.0, 0.5])
        run("clusters 512+2048 x1", [words, c23], [1.0, 1.0])
        c3 = counts([cluster_doc(b + t, cl, (3,)) for t, b in toks])
        run("clusters 2048 x0.7", [words, c3], [1.0, 0.7])
        run("clonly 512+2048", [c23], [1.0])
    if not want or "pub" in want:
        for share, mn in ((0.95, 5), (0.9, 5), (0.99, 3)):
            PUB.update(share=share, min=mn)
            run(f"pub share{share} min{mn}", [words], [1.0])
        PUB["share"] = 0.0
    if not want or "C" in want:
        run("C 0.5", [words], [1.0], C=0.5)
        run("C 0.25", [words], [1.0], C=0.25)
    if "char" in want:
        from sklearn.feature_extraction.text import HashingVectorizer

        from marsad.text.arabic import normalize
        hv = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), n_features=2**20,
                               alternate_sign=False, norm=None, dtype=np.float32)
        chars = hv.transform([normalize((a.title or "") + " " + a.text) for a in arts]).tocsr()
        print(f"chars {chars.nnz:,} nnz", flush=True)
        run("char 3-5 alone", [chars], [1.0])
    if "combo" in want:
        cl = load_clusters()
        c23 = counts([cluster_doc(b + t, cl, (2, 3)) for t, b in toks])
        lead = counts([wdoc(b[:100]) for t, b in stems])
        run("combo C0.25 lead100x0.5 clusters x0.5", [words, lead, c23], [1.0, 0.5, 0.5], C=0.25)
    if not want or "lead" in want:
        lead = counts([wdoc(b[:100]) for t, b in stems])
        run("lead100 x0.5", [words, lead], [1.0, 0.5])
        run("lead100 x1", [words, lead], [1.0, 1.0])
        lead50 = counts([wdoc(b[:50]) for t, b in stems])
        run("lead50 x0.7", [words, lead50], [1.0, 0.7])


if __name__ == "__main__":
    main()
