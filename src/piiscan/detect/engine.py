"""The detection engine: a Presidio AnalyzerEngine built from our own pipelines on
disk, and a Detector that drives its recognizers quickly over cells, lines and
long documents.

Why the Detector exists: Presidio's analyze() runs the spaCy pipeline and an
enhancer pass on every call, which costs ~150 µs per short cell; on long texts
its lemma enhancer is super-linear. The Detector
- maps full-width forms once per text (one char for one char, offsets unchanged);
- runs only the recognizers whose cheap prefilter matches the text or its
  column header (most cells hold no digits at all);
- runs the spaCy NER pipeline only on prose (six Chinese characters close
  together), when a trained model is loaded and its entities are wanted;
- cuts long texts into overlapping windows at line breaks;
- resolves overlaps between entity types (an 18-digit ID that also passes Luhn).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Iterator, Optional

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from piiscan.core.model import Detection
from piiscan.detect.block_gates import Block, BlockGates
from piiscan.detect.ner.tagging import TaggerEntities, numpy_ops, plausible_ner_span, whole_words, worth_reading
from piiscan.core.normalize import to_halfwidth
from piiscan.detect.recognizer import Hit, ValidatedPatternRecognizer, load_recognizers
from piiscan.core.resources import models_dir

LANGUAGES = ("zh", "en")
PIPELINES = {"zh": "zh_piiscan", "en": "en_blank"}
NER_ENTITIES = {"PERSON": "PERSON", "CN_ADDRESS": "CN_ADDRESS", "ORGANIZATION": "ORGANIZATION"}
NER_SCORE = 0.7



class RecognizerLevelContext(ContextAwareEnhancer):
    """Our recognizers look for context themselves (characters, both sides, table
    header); this analyzer-level step only avoids Presidio's lemma enhancer,
    which deep-copies every result and is super-linear on long texts."""

    def __init__(self):
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(self, text, raw_results, nlp_artifacts, recognizers, context=None):
        return raw_results


def pipeline_path(language: str, folder: Optional[Path] = None) -> Path:
    path = (folder or models_dir()) / PIPELINES[language]
    if not (path / "config.cfg").exists():
        raise FileNotFoundError(f"no spaCy pipeline for {language!r} at {path}: reinstall piiscan or set PIISCAN_MODELS")
    return path


def build_nlp_engine(languages: Iterable[str] = LANGUAGES, folder: Optional[Path] = None) -> SpacyNlpEngine:
    """spaCy pipelines loaded from disk by path: Presidio never downloads a model
    when the model name is an existing directory."""
    models = [{"lang_code": lang, "model_name": str(pipeline_path(lang, folder))} for lang in languages]
    # The model gives no per-entity confidence; 0.7 ranks it below a name the
    # rules found under a 姓名 header or after 甲方： (0.75-0.85) when they overlap.
    config = NerModelConfiguration(model_to_presidio_entity_mapping=NER_ENTITIES, default_score=NER_SCORE,
                                   labels_to_ignore=[], low_score_entity_names=[])
    engine = SpacyNlpEngine(models=models, ner_model_configuration=config)
    import piiscan.detect.ner.features  # noqa: F401 - registers the zh model's lexicon layer (also an entry point)

    with numpy_ops():
        engine.load()
    return engine


def _has_ner(engine: SpacyNlpEngine, language: str) -> bool:
    return "ner" in engine.nlp[language].pipe_names


def build_analyzer(languages: Iterable[str] = LANGUAGES, folder: Optional[Path] = None,
                   recognizers_folder: Optional[Path] = None) -> AnalyzerEngine:
    """A Presidio AnalyzerEngine with our recognizers and our pipelines on disk."""
    languages = tuple(languages)
    nlp_engine = build_nlp_engine(languages, folder)
    registry = RecognizerRegistry(supported_languages=list(languages))
    for recognizer in load_recognizers(languages, recognizers_folder):
        registry.add_recognizer(recognizer)
    for language in languages:
        if _has_ner(nlp_engine, language):
            registry.add_recognizer(SpacyRecognizer(supported_language=language,
                                                    supported_entities=list(NER_ENTITIES)))
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=list(languages),
                          context_aware_enhancer=RecognizerLevelContext())


NER_MODES = ("fast", "accurate", "off")


def ner_mode(ner: bool | str) -> str:
    """fast (our tagger), accurate (the tagger and LAC's second opinion on names), off.
    True and False, as older settings say it, are fast and off."""
    if ner is True or ner is None:
        return "fast"
    if ner is False:
        return "off"
    if ner not in NER_MODES:
        raise ValueError(f"--ner must be one of {', '.join(NER_MODES)}, not {ner!r}")
    return ner


def windows(text: str, size: int, margin: int) -> Iterator[tuple[int, int, int, int]]:
    """(core_start, core_end, window_start, window_end) covering text; cores are
    cut at line breaks where possible and windows overlap by `margin` so that a
    value or a context word across a cut is still seen."""
    n = len(text)
    start = 0
    while start < n:
        end = min(n, start + size)
        if end < n:
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = max((text.rfind(c, start + size // 2, end) for c in " ，。；,;\t"), default=-1)
            end = cut + 1 if cut > 0 else end
        yield start, end, max(0, start - margin), min(n, end + margin)
        start = end


def priorities(recognizers) -> dict[str, int]:
    """Entity type -> its priority in overlaps, as the recognizer definitions give it."""
    rank: dict[str, int] = {}
    for r in recognizers:
        priority = getattr(getattr(r, "spec", None), "priority", None)
        if priority is not None:
            entity = r.supported_entities[0]
            rank[entity] = min(priority, rank.get(entity, priority))
    return rank


def resolve_overlaps(detections: list[Detection], rank: Optional[dict[str, int]] = None) -> list[Detection]:
    """Keep the best of overlapping spans: higher score, then the entity's priority
    (`rank`, from the recognizer definitions), then the longer span.

    Detections are split into clusters of chained overlaps first, so the greedy
    choice inside a cluster stays cheap on documents with thousands of findings.
    """
    if len(detections) < 2:
        return detections
    rank = rank if rank is not None else {}
    kept: list[Detection] = []
    cluster: list[Detection] = []
    cluster_end = -1
    for d in sorted(detections, key=lambda d: (d.start, d.end)) + [None]:
        if d is not None and d.start < cluster_end:
            cluster.append(d)
            cluster_end = max(cluster_end, d.end)
            continue
        chosen: list[Detection] = []
        for c in sorted(cluster, key=lambda c: (-c.score, rank.get(c.entity_type, 1 << 30), c.start - c.end,
                                                c.start)):
            if all(c.end <= k.start or c.start >= k.end for k in chosen):
                chosen.append(c)
        kept.extend(sorted(chosen, key=lambda c: c.start))
        if d is not None:
            cluster, cluster_end = [d], d.end
    return kept


class Detector:
    """Finds PI in texts with the recognizers and NLP engine of an AnalyzerEngine
    (build_analyzer() by default).

    Pattern recognizers are driven directly through their find/contextualise
    core, which is what their Presidio analyze/enhance_using_context methods
    wrap: per call, AnalyzerEngine.analyze would add a registry lookup, result
    objects and an enhancer pass that cost more than the detection of a short
    cell. NLP recognizers (a trained NER model) run on the engine's spaCy output.
    """

    def __init__(self, analyzer: Optional[AnalyzerEngine] = None, entities: Optional[Iterable[str]] = None,
                 min_score: float = 0.5, language: str = "zh", window: int = 4096, margin: int = 64,
                 ner: bool | str = True):
        self.analyzer = analyzer or build_analyzer()
        self.ner_mode = ner_mode(ner)
        ner = self.ner_mode != "off"
        self.language = language
        self.min_score = min_score
        self.window, self.margin = window, margin
        wanted = set(entities) if entities else None
        recognizers = [r for r in self.analyzer.registry.get_recognizers(language, all_fields=True)
                       if wanted is None or wanted & set(r.supported_entities)]
        self._patterns = [r for r in recognizers if isinstance(r, ValidatedPatternRecognizer)]
        self._gates = BlockGates(self._patterns)
        self._rank = priorities(self.analyzer.registry.get_recognizers(language, all_fields=True))
        # One search says whether any prefilter can match: most cells of a ledger (a
        # sequence number, 正常) need none of the recognizers, and one search costs
        # what each of their ~20 prefilters would.
        try:
            self._any_prefilter = re.compile("|".join(f"(?:{r.prefilter.pattern})" for r in self._patterns) or "(?!)")
        except re.error:  # a prefilter with global flags, (?i)…, cannot be joined: no gate
            self._any_prefilter = re.compile("")
        self._nlp = [r for r in recognizers if ner and not isinstance(r, ValidatedPatternRecognizer)]
        self._nlp_entities = sorted({e for r in self._nlp for e in r.supported_entities} & (wanted or set(NER_ENTITIES)))
        nlp = self.analyzer.nlp_engine.nlp.get(language) if self._nlp else None
        # Our own tagger is read directly (piiscan.detect.ner.tagging); another model goes through Presidio.
        self._tagger = TaggerEntities(nlp) if nlp is not None and TaggerEntities.usable(nlp) else None
        self.entities = sorted({r.supported_entities[0] for r in self._patterns} | set(self._nlp_entities))
        self._under_header: dict[str, frozenset[int]] = {}
        self._headers = {}  # entity -> a header naming it (its first context word)
        for r in self._patterns:
            if r.spec.context:
                self._headers.setdefault(r.supported_entities[0], r.spec.context[0])

    @property
    def rank(self) -> dict[str, int]:
        """Entity type -> its priority when spans overlap (resolve_overlaps)."""
        return self._rank

    @property
    def model_names(self) -> frozenset[str]:
        """The recognizer names of what the models (not the rules) find."""
        from piiscan.detect.ner.second_opinion import SECOND_OPINION

        return frozenset(r.name for r in self._nlp) | {SECOND_OPINION}

    def header_for(self, entity: str) -> Optional[str]:
        """A column header that names `entity`: column inference runs the recognizers
        over a column's values as if under it, once the values say what the column is."""
        return self._headers.get(entity)

    def _run_under(self, header: str) -> frozenset[int]:
        """Recognizers (by id) worth running on every cell under this header: a table
        repeats one header for thousands of cells, so it is weighed once."""
        plan = self._under_header.get(header)
        if plan is None:
            if len(self._under_header) > 10_000:
                self._under_header.clear()
            plan = frozenset(id(r) for r in self._patterns if r.applies_to_header(header))
            self._under_header[header] = plan
        return plan

    def detect(self, text: str, header: Optional[str] = None) -> list[Detection]:
        """Detections in `text`; offsets point into `text` as given."""
        if not text:
            return []
        halfwidth = to_halfwidth(text)
        context = [to_halfwidth(header)] if header else None
        under = self._run_under(context[0]) if context else frozenset()
        found: list[Detection] = []
        for core_start, core_end, start, end in windows(halfwidth, self.window, self.margin):
            chunk = halfwidth[start:end]
            patterns = self._patterns if under or self._any_prefilter.search(chunk) else ()
            gated = [r for r in patterns if id(r) in under or r.prefilter.search(chunk)]
            self._window(text, chunk, start, core_start, core_end, gated, context, found)
        return resolve_overlaps(found, self._rank)

    def detect_many(self, items: list[tuple[str, Optional[str]]]) -> list[list[Detection]]:
        """detect(text, header) for each (text, header), the same detections, with the
        recognizers' prefilters run once over all the short texts joined (a block of
        cells) instead of each prefilter on each cell: most cells need none of them."""
        results: list[list[Detection]] = [[] for _ in items]
        short = []
        for i, (text, header) in enumerate(items):
            if len(text) > self.window:
                results[i] = self.detect(text, header)
            elif text:
                short.append(i)
        if not short:
            return results
        block = Block([items[i][0] for i in short])
        gated = self._gates.gated(block)
        headers: dict[str, tuple[list[str], frozenset[int]]] = {}  # a block's cells share a few headers
        for k, i in enumerate(short):
            text, header = items[i]
            if not (gated[k] or header or self._nlp):
                continue  # no recognizer to run: most cells of a ledger
            context, under = None, None
            if header:
                if header not in headers:
                    halfwidth = to_halfwidth(header)
                    headers[header] = [halfwidth], self._run_under(halfwidth)
                context, under = headers[header]
            patterns = gated[k]
            if under:
                matched = {id(r) for r in patterns}
                patterns = [r for r in self._patterns if id(r) in under or id(r) in matched]
            chunk = block.text(k)
            found: list[Detection] = []
            self._window(text, chunk, 0, 0, len(text), patterns, context, found)
            results[i] = resolve_overlaps(found, self._rank)
        return results

    def _window(self, text: str, chunk: str, start: int, core_start: int, core_end: int,
                patterns: list[ValidatedPatternRecognizer], context: Optional[list[str]],
                found: list[Detection]) -> None:
        """The detections of one window (chunk = text[start:…], half-width) whose start
        lies in its core, added to `found`: the gated recognizers, then the model."""
        for recognizer in patterns:
            for hit in recognizer.contextualise(chunk, recognizer.find(chunk), context):
                if hit.score >= self.min_score and core_start <= start + hit.start < core_end:
                    found.append(self._from_hit(text, recognizer, hit, start))
        if self._nlp and worth_reading(chunk):
            found.extend(self._from_nlp(text, chunk, start, core_start, core_end))

    def _ner_spans(self, chunk: str) -> Iterator[tuple[str, int, int, float, str]]:
        """(entity type, start, end, score, recognizer name) of the model's spans in chunk."""
        if self._tagger is not None:
            name = self._nlp[0].name
            tagged, probabilities = self._tagger.tagged(chunk)
            for entity in tagged:
                if entity.label in self._nlp_entities and entity.label != "PERSON":
                    yield entity.label, entity.start, entity.end, NER_SCORE, name
            if "PERSON" in self._nlp_entities:
                yield from self._names(chunk, tagged, probabilities, name)
            return
        artifacts = self.analyzer.nlp_engine.process_text(chunk, self.language)
        for recognizer in self._nlp:
            for result in recognizer.analyze(chunk, self._nlp_entities, artifacts) or []:
                yield result.entity_type, result.start, result.end, result.score, recognizer.name

    def _names(self, chunk: str, tagged, probabilities, name: str) -> Iterator[tuple[str, int, int, float, str]]:
        """The tagger's names, and with --ner accurate LAC's (detect.ner.second_opinion),
        kept where detect.ner.span_check says they are names."""
        from piiscan.detect.ner import second_opinion, span_check

        lac = second_opinion.words(chunk) if self.ner_mode == "accurate" else None
        for candidate in span_check.candidates(chunk, tagged, probabilities, lac):
            if span_check.keep(self.ner_mode, candidate):
                by = name if candidate.features.get("tagger", 1.0) else second_opinion.SECOND_OPINION
                yield "PERSON", candidate.start, candidate.end, NER_SCORE, by

    def _from_nlp(self, text: str, chunk: str, offset: int, core_start: int, core_end: int) -> list[Detection]:
        return self._checked(text, self._ner_spans(chunk), offset, core_start, core_end)

    def _checked(self, text: str, spans, offset: int, core_start: int, core_end: int) -> list[Detection]:
        """A model's (entity, start, end, score, recognizer) spans in a chunk, as
        detections in `text`, after the checks a model's output needs."""
        found, places = [], []
        for entity_type, start, end, score, recognizer in spans:
            start, end = start + offset, end + offset
            # The model sometimes carries a span over line breaks (明\r\n\r\n):
            # the span is its text without surrounding whitespace.
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            start, end = whole_words(text, start, end)
            value = text[start:end]
            if not plausible_ner_span(entity_type, value, text[max(0, start - 6):start]):
                if entity_type == "CN_ADDRESS" and value and "*" not in value:
                    places.append((start, end))  # a place, not a person's address: still no person
                continue
            if score >= self.min_score and core_start <= start < core_end:
                found.append(Detection(entity_type, start, end, score, recognizer, value, value))
        return [d for d in found if d.entity_type != "PERSON" or all(d.end <= a or d.start >= b for a, b in places)]

    @staticmethod
    def _from_hit(text: str, recognizer: ValidatedPatternRecognizer, hit: Hit, offset: int) -> Detection:
        start, end = hit.start + offset, hit.end + offset
        return Detection(
            entity_type=recognizer.supported_entities[0], start=start, end=end, score=hit.score,
            recognizer=recognizer.name, value=text[start:end], canonical=hit.candidate.canonical,
            metadata=dict(hit.candidate.metadata), context_word=hit.context_word,
        )
