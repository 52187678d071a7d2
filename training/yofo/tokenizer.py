"""The word tokenizer of the export contract (CONTRACT.md), reproduced exactly by src/inference/tokenizer.ts:
ASCII-only lowercasing, tokens are maximal runs of [a-z0-9], everything else separates, unknown words map to UNK_ID,
ids are padded with PAD_ID / truncated to max_tokens."""
from collections import Counter
from typing import Iterable, List, Sequence, Tuple

PAD_ID = 0
UNK_ID = 1
SPECIALS = ["<pad>", "<unk>"]


def split_words(text: str) -> List[str]:
    """Maximal runs of [a-z0-9] after mapping A-Z (and only A-Z) to a-z."""
    words: List[str] = []
    current: List[str] = []
    for ch in text:
        o = ord(ch)
        if 65 <= o <= 90:
            ch = chr(o + 32)
            o += 32
        if 97 <= o <= 122 or 48 <= o <= 57:
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def build_vocab(expressions: Iterable[str], min_count: int = 1) -> List[str]:
    """Specials first, then words by descending frequency (ties alphabetical) so the vocabulary is deterministic."""
    counts = Counter(w for text in expressions for w in split_words(text))
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return SPECIALS + [w for w in words if w not in SPECIALS]


class Tokenizer:
    def __init__(self, vocab: Sequence[str], max_tokens: int):
        if len(vocab) < 2 or list(vocab[:2]) != SPECIALS:
            raise ValueError(f"vocabulary must start with {SPECIALS}")
        self.vocab = list(vocab)
        self.max_tokens = max_tokens
        self.ids = {}
        for i, w in enumerate(self.vocab):
            self.ids.setdefault(w, i)

    def encode(self, text: str) -> Tuple[List[int], List[float]]:
        """(ids padded to max_tokens, mask with 1.0 for real tokens)."""
        words = split_words(text)[: self.max_tokens]
        ids = [self.ids.get(w, UNK_ID) for w in words]
        pad = self.max_tokens - len(ids)
        return ids + [PAD_ID] * pad, [1.0] * len(ids) + [0.0] * pad
