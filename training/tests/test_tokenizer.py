import unittest

from yofo.tokenizer import PAD_ID, UNK_ID, Tokenizer, build_vocab, split_words


class TokenizerTest(unittest.TestCase):
    def test_split_rules(self):
        self.assertEqual(split_words("The RED square, moving-right!"), ["the", "red", "square", "moving", "right"])
        self.assertEqual(split_words("  a2b  3rd\tobj_1 "), ["a2b", "3rd", "obj", "1"])
        # Only A-Z is lowercased; other letters (even ones Python would fold) separate words.
        self.assertEqual(split_words("caf\u00e9 \u00c9cole \u0130stanbul \uff21b"), ["caf", "cole", "stanbul", "b"])
        self.assertEqual(split_words("...!"), [])

    def test_vocab_is_deterministic_and_starts_with_specials(self):
        vocab = build_vocab(["the red one", "The blue one", "red"])
        self.assertEqual(vocab[:2], ["<pad>", "<unk>"])
        self.assertEqual(vocab[2:], ["one", "red", "the", "blue"])  # by count, then alphabetical

    def test_encode_pads_truncates_and_maps_unknown(self):
        tok = Tokenizer(build_vocab(["the red one"]), max_tokens=4)
        ids, mask = tok.encode("The GREEN one")
        self.assertEqual(ids, [tok.ids["the"], UNK_ID, tok.ids["one"], PAD_ID])
        self.assertEqual(mask, [1.0, 1.0, 1.0, 0.0])
        ids, mask = tok.encode("one one one one one the")
        self.assertEqual(ids, [tok.ids["one"]] * 4)
        self.assertEqual(mask, [1.0] * 4)

    def test_rejects_vocab_without_specials(self):
        with self.assertRaises(ValueError):
            Tokenizer(["a", "b"], 4)


if __name__ == "__main__":
    unittest.main()
