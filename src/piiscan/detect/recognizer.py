"""ValidatedPatternRecognizer: a Presidio PatternRecognizer built from a YAML
definition in recognizers/, with a named validator and Chinese context.

It works in any AnalyzerEngine. Differences from a plain PatternRecognizer:
- the text is matched after full-width → half-width mapping (offsets unchanged);
- the validator returns a score, not just True/False, plus metadata;
- context words are found within a character window before AND after the
  match (Chinese has no spaces, so Presidio's five-word lemma window does not
  apply), or in the table header passed as `context=[...]`;
- candidates that only count next to a context word (15-digit IDs, a card
  failing Luhn with a known BIN) are dropped when no context word is found.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import yaml
from presidio_analyzer import AnalysisExplanation, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from piiscan.detect import validators
from piiscan.core.normalize import to_halfwidth
from piiscan.core.resources import recognizers_dir
from piiscan.core.model import VALUE_CACHE

PROVISIONAL_SCORE = 0.01  # a context-only candidate before the context check
META = "piiscan"  # key of our facts inside RecognizerResult.recognition_metadata
CONTEXT_WORD = "piiscan_context_word"  # the context word that raised the score


class PatternSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    regex: str
    score: float = Field(ge=0, le=1)
    # A pattern too generic to stand alone (8 digits for a Taiwan permit):
    # reported only next to a context word, then with context_score.
    needs_context: bool = False
    context_score: float = Field(default=0.6, ge=0, le=1)


class RecognizerSpec(BaseModel):
    """One file in recognizers/. Unknown keys are errors, so typos surface."""

    model_config = ConfigDict(extra="forbid")
    id: str
    version: str
    entity: str
    description: str
    languages: list[str] = ["zh", "en"]
    patterns: list[PatternSpec]
    validator: str
    prefilter: str
    context: list[str] = []
    # Database column names that name the entity (sfzh, id_card, mobile): matched only
    # in a column header, as whole identifier words (see column_name_in), never in prose.
    column_names: list[str] = []
    # Words that say a number is something else (流水号, 订单号): a hit they head, in
    # its column header or right before it with no context word nearer, is dropped.
    other_context: list[str] = []
    context_before: int = 30
    context_after: int = 15
    context_boost: float = 0.35
    examples: dict[str, list[str]] = {}
    # two entity types claiming overlapping text with equal scores: the lower number wins
    priority: Optional[int] = None


@dataclass(frozen=True, slots=True)
class Candidate:
    """What we keep about a match in memory (never written out as is)."""

    canonical: str
    metadata: dict[str, Any]
    needs_context: bool
    context_score: float
    reason: str


@dataclass(slots=True)
class Hit:
    """A validated match: the core result that both adapters (Presidio's
    RecognizerResult and piiscan's Detection) are made from."""

    start: int
    end: int
    score: float
    pattern: PatternSpec
    candidate: Candidate
    context_word: Optional[str] = None


class ValidatedPatternRecognizer(PatternRecognizer):
    def __init__(self, spec: RecognizerSpec, language: str = "zh"):
        self.spec = spec
        super().__init__(
            supported_entity=spec.entity,
            name=spec.id,
            supported_language=language,
            patterns=[Pattern(p.name, p.regex, p.score) for p in spec.patterns],
            context=spec.context,
            version=spec.version,
        )
        self.validator_name = spec.validator
        self._validate = validators.get(spec.validator)
        self._compiled = [(p, re.compile(p.regex)) for p in spec.patterns]
        self.prefilter = re.compile(spec.prefilter)
        words = sorted(spec.context, key=len, reverse=True)
        self._context_re = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None
        others = sorted(spec.other_context, key=len, reverse=True)
        self._other_re = re.compile("|".join(map(re.escape, others)), re.IGNORECASE) if others else None
        self._column_names = {_joined(name): name for name in spec.column_names}
        self._header_cache: dict[str, Optional[str]] = {}
        # The validator's verdict, once per distinct value: a ledger repeats its values,
        # and a verdict depends on the value alone (its metadata is copied into each
        # detection, never changed).
        self._verdict = lru_cache(maxsize=VALUE_CACHE)(self._validate)

    def __getstate__(self) -> dict:  # a cache of a bound method does not pickle: rebuilt when unpickled
        return {k: v for k, v in self.__dict__.items() if k != "_verdict"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._verdict = lru_cache(maxsize=VALUE_CACHE)(self._validate)

    # -- the core: find, then weigh context ------------------------------------
    def find(self, text: str) -> list[Hit]:
        """Validated matches in `text`, which must already be half-width (to_halfwidth)."""
        hits = []
        for pattern, compiled in self._compiled:
            for match in compiled.finditer(text):
                verdict = self._verdict(match.group())
                if verdict.score == 0 and not verdict.needs_context:
                    continue
                needs_context = verdict.needs_context or pattern.needs_context
                context_score = verdict.context_score if verdict.needs_context else pattern.context_score
                score = PROVISIONAL_SCORE if needs_context else (
                    pattern.score if verdict.score is None else verdict.score)
                candidate = Candidate(verdict.canonical, verdict.metadata, needs_context, context_score,
                                      verdict.reason)
                hits.append(Hit(match.start(), match.end(), score, pattern, candidate))
        return hits

    def contextualise(self, text: str, hits: list[Hit], context: Optional[list[str]] = None) -> list[Hit]:
        """Raise hits with a context word near them or in the header; drop the
        context-only ones that have none."""
        header_word = self.context_word_in(context) if hits else None
        if self._other_re is not None and hits and not header_word and context and \
                any(self._other_re.search(item) for item in context):
            return []  # a column of 流水号: its numbers are serials, whatever their checksum
        kept = []
        for hit in hits:
            if not header_word and self._other_before(text, hit.start):
                continue
            word = header_word or self.context_word_near(text, hit.start, hit.end)
            if word:
                hit.context_word = word
                hit.score = hit.candidate.context_score if hit.candidate.needs_context else min(
                    1.0, hit.score + self.spec.context_boost)
            elif hit.candidate.needs_context:
                continue
            kept.append(hit)
        return kept

    def _other_before(self, text: str, start: int) -> bool:
        """An other_context word before the hit, with no context word after it."""
        if self._other_re is None:
            return False
        window = max(0, start - self.spec.context_before)
        other = [m.end() for m in self._other_re.finditer(text, window, start)]
        if not other:
            return False
        own = [m.end() for m in self._context_re.finditer(text, window, start)] if self._context_re else []
        return not own or other[-1] > own[-1]

    def context_word_near(self, text: str, start: int, end: int) -> Optional[str]:
        if self._context_re is None:
            return None
        before = self._context_re.search(text, max(0, start - self.spec.context_before), start)
        if before:
            return before.group()
        after = self._context_re.search(text, end, end + self.spec.context_after)
        return after.group() if after else None

    def context_word_in(self, context: Optional[list[str]]) -> Optional[str]:
        """A context word in the header, or a column name (khxm, CustMobile) naming the entity."""
        if not context:
            return None
        for item in context:
            found = self._context_re.search(item) if self._context_re is not None else None
            if found:
                return found.group()
            name = self.column_name_in(item)
            if name:
                return name
        return None

    def column_name_in(self, header: str) -> Optional[str]:
        """The column name of the spec that `header` is made of, or None. `id_card_no`,
        `IdCardNo` and `idcardno` hold id_card; the pinyin initials `khxm` (客户姓名) hold xm.
        Whole words only: `hotel` does not hold tel, nor `xmmc` (项目名称) xm."""
        if not self._column_names:
            return None
        if header not in self._header_cache:
            if len(self._header_cache) > 10_000:
                self._header_cache.clear()
            self._header_cache[header] = self._find_column_name(header)
        return self._header_cache[header]

    def _find_column_name(self, header: str) -> Optional[str]:
        words = [w.lower() for w in _IDENTIFIER_WORD.findall(header)]
        for i in range(len(words)):
            for j in range(i + 1, len(words) + 1):
                name = self._column_names.get("".join(words[i:j]))
                if name:
                    return name
        # pinyin initials are consonants: the last letters of khxm/jtdz/sfzhm name the field
        for word in words:
            if not _VOWEL.search(word):
                for k in range(1, len(word) - 1):
                    name = self._column_names.get(word[k:])
                    if name:
                        return name
        return None

    def applies_to_header(self, header: str) -> bool:
        """Worth running on a cell under this header even when the cell alone fails the prefilter."""
        return bool(self.prefilter.search(header)) or self.column_name_in(header) is not None

    # -- Presidio's interface ------------------------------------------------------
    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        results = [self._to_result(hit) for hit in self.find(to_halfwidth(text))]
        return EntityRecognizer.remove_duplicates(results) if len(results) > 1 else results

    def _to_result(self, hit: Hit) -> RecognizerResult:
        explanation = AnalysisExplanation(
            recognizer=self.name, original_score=hit.score, pattern_name=hit.pattern.name,
            pattern=hit.pattern.regex, validation_result=True,
            textual_explanation=f"{self.name}: {hit.candidate.reason}",
        )
        return RecognizerResult(
            self.supported_entities[0], hit.start, hit.end, hit.score, analysis_explanation=explanation,
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id, META: hit},
        )

    def validate_result(self, pattern_text: str) -> Optional[bool]:
        """Presidio's three-valued contract, for callers that use it directly."""
        verdict = self._validate(pattern_text)
        return None if verdict.score is None else verdict.score > 0 or verdict.needs_context

    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results,
                              nlp_artifacts, context=None):
        by_hit = {id(r.recognition_metadata[META]): r for r in raw_recognizer_results}
        hits = [r.recognition_metadata[META] for r in raw_recognizer_results]
        kept = []
        for hit in self.contextualise(to_halfwidth(text), hits, context):
            result = by_hit[id(hit)]
            result.score = hit.score
            if hit.context_word:
                result.recognition_metadata[CONTEXT_WORD] = hit.context_word
                result.analysis_explanation.set_supportive_context_word(hit.context_word)
                result.analysis_explanation.set_improved_score(hit.score)
            # Marked as done so Presidio's lemma enhancer does not look again.
            result.recognition_metadata[RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY] = True
            kept.append(result)
        return kept


_IDENTIFIER_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VOWEL = re.compile("[aeiouv]")


def _joined(name: str) -> str:
    """id_card, IdCard and idcard all become idcard."""
    return "".join(w.lower() for w in _IDENTIFIER_WORD.findall(name))


class RecognizerFileError(ValueError):
    """A recognizer definition that does not load; the message names file and key."""


def load_spec(path: Path) -> RecognizerSpec:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = RecognizerSpec.model_validate(data)
        validators.get(spec.validator)
        re.compile(spec.prefilter)
        for pattern in spec.patterns:
            re.compile(pattern.regex)
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise RecognizerFileError(f"{path.name}: {key}: {first['msg']}") from None
    except (yaml.YAMLError, KeyError, re.error) as e:
        raise RecognizerFileError(f"{path.name}: {e}") from None
    return spec


USER_RECOGNIZERS = "PIISCAN_RECOGNIZERS"  # a folder of the user's own definitions (also --recognizers)


def user_folder() -> Optional[Path]:
    """The user's recognizer folder, from $PIISCAN_RECOGNIZERS (set by --recognizers too)."""
    value = os.environ.get(USER_RECOGNIZERS, "").strip()
    return Path(value) if value else None


def load_specs(folder: Optional[Path] = None, extra: Optional[Path] = None) -> list[RecognizerSpec]:
    """The definitions in `folder` (the shipped ones by default), then those in `extra`
    (by default the user's folder, when the shipped ones are read). Same schema, same
    checks; an id defined twice is an error naming both files."""
    if folder is None:
        folder, extra = recognizers_dir(), extra or user_folder()
    paths = sorted(folder.glob("*.yaml"))
    if extra is not None:
        if not extra.is_dir():
            raise RecognizerFileError(f"recognizer folder {extra}: no such folder")
        paths += sorted(extra.glob("*.yaml"))
    specs: list[RecognizerSpec] = []
    seen: dict[str, Path] = {}
    for path in paths:
        spec = load_spec(path)
        if spec.id in seen:
            raise RecognizerFileError(f"{path}: id: {spec.id!r} is already defined in {seen[spec.id]}")
        seen[spec.id] = path
        specs.append(spec)
    return specs


def load_recognizers(languages: tuple[str, ...] = ("zh", "en"),
                     folder: Optional[Path] = None) -> list[ValidatedPatternRecognizer]:
    """Recognizer instances for each language each definition supports."""
    return [ValidatedPatternRecognizer(spec, language)
            for spec in load_specs(folder) for language in spec.languages if language in languages]
