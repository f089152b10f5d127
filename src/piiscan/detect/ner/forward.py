"""The forward pass of piiscan's character tagger in plain numpy, from the trained
weights of the spaCy pipeline (models/zh_piiscan).

spaCy's own path spends most of its time outside the matrix products: a Doc and
a Lexeme per character, hashing each character's NORM into the hash embedding,
finding its static vector, ragged/list conversions. Here every character's
embedding is computed once, by the model's own layers, and cached already
multiplied by the first maxout layer; a text then costs a gather, the 15
lexicon bits, and the encoder's matrix products. The scores equal those of
`tagger.model.predict` within float32 rounding (tests/test_ner_forward.py).

Only the architecture that training/ner/config.cfg builds is understood
(piiscan.CharLexiconEmbed.v1 + MaxoutWindowEncoder + softmax); `from_pipeline`
returns None for anything else and the caller keeps spaCy's path.
"""

from __future__ import annotations

import re
from typing import Optional

import numpy
from numpy.lib.stride_tricks import as_strided


from piiscan.detect.ner.features import N_FEATURES, char_features, lexicon_arrays

_WHITESPACE = re.compile(r"\s+")
_MAX_CACHED = 60_000  # token strings whose embedding is kept (a few thousand in practice)


def char_tokens(text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(starts, ends) of the tokens spaCy's zh tokenizer (segmenter "char") makes:
    one token per non-space character; a run of whitespace is one token, less the
    single " " that becomes the previous token's trailing space."""
    if not text:
        return numpy.zeros(0, dtype=numpy.int64), numpy.zeros(0, dtype=numpy.int64)
    is_start = numpy.ones(len(text), dtype=bool)
    run_ends = {}
    for run in _WHITESPACE.finditer(text):
        a, b = run.span()
        is_start[a:b] = False
        if a > 0 and text[a] == " ":
            a += 1
        if a < b:
            is_start[a] = True
            run_ends[a] = b
    starts = numpy.flatnonzero(is_start)
    ends = starts + 1
    if run_ends:
        where = numpy.searchsorted(starts, list(run_ends))
        ends[where] = list(run_ends.values())
    return starts, ends


class TaggerForward:
    """tagger.model.predict for one text, in numpy: (starts, ends, scores)."""

    def __init__(self, nlp, features, static, lexicon, first, encoder, pad: int, softmax):
        self.nlp = nlp
        self._features, self._static, self._lexicon = features, static, lexicon
        maxout, norm = first
        W, b = _pieces_first(*_params(maxout, "W", "b"))
        n_in = W.shape[1]
        cached = features.get_dim("nO") + static.get_dim("nO")
        self._first_cached = W[:, :cached].T.copy()  # hash + static vectors -> pre-activation
        self._first_bias = b.reshape(-1)
        self._first_lexicon = W[:, n_in - N_FEATURES:].T.copy()  # the 15 lexicon bits -> pre-activation
        self._first_norm = _params(norm, "G", "b")
        self._layers = []
        for maxout, norm, dilation in encoder:
            W, b = _pieces_first(*_params(maxout, "W", "b"))  # inputs: [previous, this, next] character
            self._layers.append((W.T.copy(), b, maxout.get_dim("nO"), _params(norm, "G", "b"), dilation))
        self._reach = max(layer[-1] for layer in self._layers)
        self._first_out = first[0].get_dim("nO")
        self._pad = pad
        self._softmax = _params(softmax, "W", "b")
        # the embedding of each token seen so far, as the first layer's pre-activation
        self._code_rows = numpy.full(0x110000, -1, dtype=numpy.int32)  # a character's row, by code point
        self._rows: dict[str, int] = {}  # a longer token's row
        self._table = numpy.zeros((0, self._first_cached.shape[1]), dtype="float32")

    @classmethod
    def from_pipeline(cls, nlp) -> Optional["TaggerForward"]:
        """A forward pass for nlp's tagger, or None if its architecture is not the one understood here."""
        try:
            model = nlp.get_pipe("tagger").model
            tok2vec, output = model.layers
            embed, encode = tok2vec.layers
            mixed, mix, _ = embed.layers
            features, static, lexicon = mixed.layers[0], mixed.layers[1], mixed.layers[-1]
            if len(mixed.layers) != 3:
                return None
            first = mix.layers[0].layers[0].layers  # with_array(maxout >> layernorm >> dropout)
            if not (first[0].name == "maxout" and first[1].name == "layernorm"
                    and static.name == "static_vectors" and lexicon.layers[0].name == "lexicon_match"
                    and features.layers[0].name == "extract_features" and output.layers[0].name == "softmax"
                    and not output.layers[0].attrs["softmax_normalize"]):
                return None
            encoder = []
            for block in encode.layers[0].layers:  # with_array(residual(...) >> ...)
                window, rest = block.layers[0].layers
                maxout, norm = rest.layers[0].layers
                if not (block.name.startswith("residual") and window.attrs["window_size"] == 1
                        and maxout.name == "maxout" and norm.name == "layernorm"):
                    return None
                encoder.append((maxout, norm, window.attrs.get("dilation", 1)))  # piiscan.ner_encoder's
            return cls(nlp, features, static, lexicon.layers[0], (first[0], first[1]), encoder,
                       encode.attrs["pad"], output.layers[0])
        except (ValueError, KeyError, AttributeError, IndexError):
            return None

    def __call__(self, text: str) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
        starts, ends = char_tokens(text)
        if not len(starts):
            return starts, ends, numpy.zeros((0, len(self._softmax[1])), dtype="float32")
        rows = self._lookup(text, starts, ends)
        bits = char_features(text, lexicon_arrays(self._lexicon))[starts]
        pre = self._table[rows] + bits @ self._first_lexicon
        X = _layer_norm(_maxout(pre, self._first_out), self._first_norm)
        # spaCy pads each text with zero rows that the layers also read (self._pad), and each
        # layer's window sees zeros beyond those (`reach` more rows at each end)
        reach, width = self._reach, X.shape[1]
        buffer = numpy.zeros((len(X) + 2 * self._pad + 2 * reach, width), dtype="float32")
        padded = buffer[reach:len(buffer) - reach]
        padded[self._pad:self._pad + len(X)] = X
        row, column = buffer.strides
        for W, bias, n_out, norm, dilation in self._layers:
            # each row's window [previous, this, next] as a view of the buffer: three consecutive
            # rows, or rows `dilation` apart (copied by the reshape) for a dilated layer
            windows = as_strided(buffer[reach - dilation:], shape=(len(padded), 3, width),
                                 strides=(row, dilation * row, column)).reshape(len(padded), 3 * width)
            pre = windows @ W
            pre += bias
            padded += _layer_norm(_maxout(pre, n_out), norm)
        W, b = self._softmax
        scores = padded[self._pad:len(padded) - self._pad] @ W.T + b
        return starts, ends, scores

    def _lookup(self, text: str, starts, ends) -> numpy.ndarray:
        """Rows of the cached first-layer pre-activation for each token. A character's
        row is found by its code point; a longer token (a run of whitespace) by its string.
        New tokens are embedded by the model's own hash-embedding and static-vector layers."""
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)[starts]
        rows = self._code_rows[codes]
        longer = numpy.flatnonzero(ends - starts > 1).tolist()
        longer_tokens = [text[starts[i]:ends[i]] for i in longer]
        new = {chr(c) for c in numpy.unique(codes[rows < 0]).tolist()} if (rows < 0).any() else set()
        new.update(t for t in longer_tokens if t not in self._rows)
        if new:
            if len(self._table) and len(self._table) + len(new) > _MAX_CACHED:  # start over
                self._code_rows[:] = -1
                self._rows.clear()
                self._table = self._table[:0]
                return self._lookup(text, starts, ends)
            self._embed(sorted(new))
            rows = self._code_rows[codes]
        if longer:
            rows[longer] = [self._rows[t] for t in longer_tokens]
        return rows

    def _embed(self, tokens: list[str]) -> None:
        from spacy.tokens import Doc

        doc = Doc(self.nlp.vocab, words=tokens, spaces=[False] * len(tokens))
        hashed = numpy.asarray(self._features.predict([doc]).dataXd, dtype="float32")
        static = numpy.asarray(self._static.predict([doc]).dataXd, dtype="float32")
        pre = numpy.concatenate([hashed, static], axis=1) @ self._first_cached + self._first_bias
        for row, token in enumerate(tokens, start=len(self._table)):
            if len(token) == 1:
                self._code_rows[ord(token)] = row
            else:
                self._rows[token] = row
        self._table = numpy.concatenate([self._table, pre])


def _params(layer, *names) -> tuple:
    return tuple(numpy.asarray(layer.get_param(name), dtype="float32") for name in names)


def _pieces_first(W, b) -> tuple:
    """thinc's Maxout weights (nO, nP, nI) and bias (nO, nP) as (nP * nO, nI) and
    (nP * nO,): each piece a block of columns, so the max is over a few blocks."""
    n_out, pieces, n_in = W.shape
    return W.transpose(1, 0, 2).reshape(pieces * n_out, n_in), b.T.reshape(-1).copy()


def _maxout(pre, n_out: int) -> numpy.ndarray:
    best = numpy.maximum(pre[:, :n_out], pre[:, n_out:2 * n_out])
    for piece in range(2 * n_out, pre.shape[1], n_out):
        numpy.maximum(best, pre[:, piece:piece + n_out], out=best)
    return best


def _layer_norm(X, norm) -> numpy.ndarray:
    """thinc's LayerNorm: (X - mean) / sqrt(var + 1e-8) * G + b, per row."""
    G, b = norm
    average = numpy.full((X.shape[1], 1), 1 / X.shape[1], dtype="float32")  # row means as a product: faster
    X -= X @ average
    scale = numpy.sqrt((X * X) @ average + 1e-08)
    X /= scale
    X *= G
    X += b
    return X
