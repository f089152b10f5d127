"""Training only: the tagger's loss as a linear-chain CRF over *valid* BIO paths.

spaCy's tagger learns each character's tag on its own (cross-entropy), while
piiscan decodes the best valid path (an I-X only after B-X or I-X). This loss
trains the scores for that decoding: -log P(gold path | valid paths), where a
path's score is the sum of its tags' log-probabilities. The transitions are fixed
(allowed or not), so the shipped model is an ordinary spaCy tagger and piiscan's
decoder needs nothing new.

Switched on from the config:

    [training.before_update]
    @callbacks = "piiscan_training.valid_path_crf.v1"

and `spacy train --code training/ner/callbacks.py`, which imports this file (train.py
passes it).

The gradient is with respect to the Softmax layer's logits (thinc's Softmax passes
dY on as d(logits), as the cross-entropy gradient probs - truth is): the CRF's
marginals minus the marginals with the gold tags clamped. A character without a
gold tag is left free in both: the gold paths are all those that agree with the
known tags.
"""

from __future__ import annotations

import numpy
from spacy.training import validate_examples
from spacy.util import registry

from piiscan.detect.ner.tagging import valid_transitions

IMPOSSIBLE = -1e4


@registry.callbacks("piiscan_training.valid_path_crf.v1")
def make_valid_path_crf(cross_entropy: bool = True):
    """cross_entropy: add the tagger's own loss, so that each character's best tag
    stays meaningful on its own (spaCy's entity_ruler and its model selection read
    those; with the CRF loss alone they drift apart from the best path)."""
    def before_update(nlp, info):
        tagger = nlp.get_pipe("tagger")
        if getattr(tagger, "_valid_path_crf", False):
            return
        own_loss = tagger.get_loss

        def get_loss(examples, scores):
            loss, d_scores = valid_path_crf_loss(tagger, examples, scores)
            if cross_entropy:
                own, d_own = own_loss(examples, scores)
                loss, d_scores = loss + own, [a + b for a, b in zip(d_scores, d_own)]
            return loss, d_scores

        tagger.get_loss = get_loss
        tagger._valid_path_crf = True

    return before_update


def transitions(labels) -> tuple[numpy.ndarray, numpy.ndarray]:
    """piiscan's valid BIO transitions and first tags (piiscan.detect.ner.tagging) as 0 or IMPOSSIBLE."""
    allowed, may_start = valid_transitions(labels)
    return numpy.where(allowed, 0.0, IMPOSSIBLE), numpy.where(may_start, 0.0, IMPOSSIBLE)


def valid_path_crf_loss(tagger, examples, scores):
    validate_examples(examples, "Tagger.get_loss")
    labels = list(tagger.labels)
    index = {label: i for i, label in enumerate(labels)}
    transition, start = transitions(labels)
    lengths = [len(s) for s in scores]
    n_docs, longest, n_tags = len(scores), max(lengths), len(labels)
    log_probs = numpy.zeros((n_docs, longest, n_tags))
    clamp = numpy.zeros((n_docs, longest, n_tags))  # IMPOSSIBLE where a tag is not the gold one
    for d, (eg, doc_scores) in enumerate(zip(examples, scores)):
        log_probs[d, :lengths[d]] = numpy.log(numpy.maximum(numpy.asarray(doc_scores, dtype="float64"), 1e-12))
        for t, tag in enumerate(eg.get_aligned("TAG", as_string=True)):
            if tag in index:  # "" or None: no gold tag here, the position stays free
                clamp[d, t] = IMPOSSIBLE
                clamp[d, t, index[tag]] = 0.0
    mask = numpy.arange(longest)[None, :] < numpy.array(lengths)[:, None]
    log_z, free = marginals(log_probs, mask, transition, start)
    log_z_gold, gold = marginals(log_probs + clamp, mask, transition, start)
    loss = float((log_z - log_z_gold).sum())
    d_scores = [tagger.model.ops.asarray2f((free - gold)[d, :n].astype("float32")) for d, n in enumerate(lengths)]
    return loss, d_scores


def marginals(emissions, mask, transition, start):
    """Forward-backward over a padded batch (docs, positions, tags): log Z per doc and
    each position's tag marginals (zero at padding)."""
    longest = emissions.shape[1]
    alpha = numpy.empty_like(emissions)
    beta = numpy.zeros_like(emissions)
    alpha[:, 0] = start + emissions[:, 0]
    for t in range(1, longest):
        step = numpy.logaddexp.reduce(alpha[:, t - 1, :, None] + transition[None], axis=1) + emissions[:, t]
        alpha[:, t] = numpy.where(mask[:, t, None], step, alpha[:, t - 1])
    for t in range(longest - 2, -1, -1):
        step = numpy.logaddexp.reduce(transition[None] + (emissions[:, t + 1] + beta[:, t + 1])[:, None, :],
                                      axis=2)
        beta[:, t] = numpy.where(mask[:, t + 1, None], step, 0.0)
    log_z = numpy.logaddexp.reduce(alpha[:, -1], axis=1)  # padding carries the last real alpha forward
    posterior = numpy.exp(alpha + beta - log_z[:, None, None]) * mask[:, :, None]
    return log_z, posterior
