"""MinHash signatures and LSH band keys of Arabic text, stable across runs and machines.

Words are normalised (:func:`marsad.normalize` with teh marbuta folded, so spelling variants of one
word agree), hashed once each with CRC-32 (stable, unlike Python's ``hash``), and combined into
hashes of ``k``-word shingles with numpy. A signature is the minimum over the shingles of
``(a·x + b) mod 2^64 >> 32`` (multiply-shift hashing, a universal family) for each of ``n`` fixed,
seeded pairs ``(a, b)``.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

from .arabic import normalize

_WORD = re.compile(r"[^\W_]+")
_MAX_WORD_CACHE = 500_000


@dataclass(frozen=True, slots=True)
class MinHashConfig:
    """``shingle`` words per shingle; ``bands`` × ``rows`` hashes per signature."""

    shingle: int = 5
    bands: int = 20
    rows: int = 5
    seed: int = 1

    @property
    def size(self) -> int:
        return self.bands * self.rows


class MinHasher:
    """Signatures and band keys for one configuration (permutations drawn once, from the seed)."""

    def __init__(self, config: MinHashConfig = MinHashConfig()) -> None:
        self.config = config
        rng = np.random.default_rng(config.seed)
        # multiply-shift hashing: odd 64-bit multipliers, products wrapping mod 2^64, high bits kept
        self._a = rng.integers(0, np.iinfo(np.uint64).max, size=config.size, dtype=np.uint64, endpoint=True) | np.uint64(1)
        self._b = rng.integers(0, np.iinfo(np.uint64).max, size=config.size, dtype=np.uint64, endpoint=True)
        self._words: dict[str, int] = {}

    def words(self, text: str) -> list[str]:
        return _WORD.findall(normalize(text, teh_marbuta=True))

    def _word_hashes(self, words: list[str]) -> np.ndarray:
        cache = self._words
        if len(cache) > _MAX_WORD_CACHE:
            cache.clear()
        out = []
        for w in words:
            h = cache.get(w)
            if h is None:
                h = cache[w] = zlib.crc32(w.encode("utf-8"))
            out.append(h)
        return np.asarray(out, dtype=np.uint64)

    def shingles(self, text: str) -> np.ndarray:
        """Distinct 32-bit hashes of the text's ``k``-word shingles (the whole text if shorter)."""
        words = self.words(text)
        if not words:
            return np.empty(0, dtype=np.uint64)
        h = self._word_hashes(words)
        k = min(self.config.shingle, len(h))
        acc = np.zeros(len(h) - k + 1, dtype=np.uint64)
        for i in range(k):  # polynomial combination of the k word hashes, wrapping in 64 bits
            acc = acc * np.uint64(1_000_003) + h[i : len(h) - k + 1 + i]
        return np.unique((acc ^ (acc >> np.uint64(32))) & np.uint64(0xFFFFFFFF))

    def signature(self, text: str) -> np.ndarray | None:
        """The MinHash signature (``bands × rows`` uint32 values), or None for a text with no words."""
        x = self.shingles(text)
        if x.size == 0:
            return None
        values = (np.outer(x, self._a) + self._b) >> np.uint64(32)
        return values.min(axis=0).astype(np.uint32)  # the high 32 bits: half the index's memory

    def band_keys(self, signature: np.ndarray) -> list[bytes]:
        """One 16-byte key per band: equal keys make two texts candidates."""
        rows = self.config.rows
        return [
            hashlib.blake2b(signature[i * rows : (i + 1) * rows].tobytes(), digest_size=15).digest() + bytes([i])
            for i in range(self.config.bands)
        ]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets: the share of equal minhashes."""
    return float(np.count_nonzero(a == b)) / len(a)


def content_hash(text: str) -> str:
    """Equal for texts that differ only in spelling variants, diacritics, punctuation and spacing."""
    words = _WORD.findall(normalize(text, teh_marbuta=True))
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=12).hexdigest()
