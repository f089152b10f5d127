"""A dilated CNN encoder for piiscan's character tagger: an option of
training/ner/config.cfg (tried, not in the shipped model: models/zh_piiscan/MODEL_CARD.md).

spaCy's MaxoutWindowEncoder with one change: layer k reads the characters
dilations[k] away on each side instead of the adjacent ones (the iterated
dilated CNN of Strubell et al. 2017). Six layers of dilations 1, 2, 4, 1, 2, 4
see 29 characters for the cost of six adjacent-window layers, which see 13:
a name's context in news (主帅…表示) and the far end of a long address fall
inside the window. spacy.load() finds the architecture through piiscan's
spacy_architectures entry point; piiscan.ner_forward computes it in numpy.
"""

from __future__ import annotations

from thinc.api import Maxout, Model, chain, residual, with_array
from spacy.util import registry


def expand_window_dilated(dilation: int) -> Model:
    """Layer: each row -> [row - dilation, row, row + dilation] (zeros beyond the ends)."""
    return Model("expand_window_dilated", _forward, attrs={"dilation": dilation, "window_size": 1})


def _forward(model: Model, X, is_train: bool):
    d = model.attrs["dilation"]
    n, width = X.shape
    Y = model.ops.alloc2f(n, 3 * width)
    Y[:, width:2 * width] = X
    if n > d:
        Y[d:, :width] = X[:-d]
        Y[:-d, 2 * width:] = X[d:]

    def backprop(dY):
        dX = dY[:, width:2 * width].copy()
        if n > d:
            dX[:-d] += dY[d:, :width]
            dX[d:] += dY[:-d, 2 * width:]
        return dX

    return Y, backprop


@registry.architectures("piiscan.DilatedMaxoutWindowEncoder.v1")
def dilated_maxout_window_encoder(width: int, dilations: list[int], maxout_pieces: int) -> Model:
    layers = [residual(chain(expand_window_dilated(d),
                             Maxout(nO=width, nI=width * 3, nP=maxout_pieces, dropout=0.0, normalize=True)))
              for d in dilations]
    model = chain(*layers)
    model.set_dim("nO", width)
    # spaCy's encoder pads each text with as many zero rows as its layers reach
    return with_array(model, pad=sum(dilations))

