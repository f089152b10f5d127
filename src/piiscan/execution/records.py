"""What a worker sends back for one scanned source, as the inventory stores it:
findings and the file summary as rows of plain values (the column orders below),
JSON columns already encoded, never a raw value."""

from __future__ import annotations

import json
from typing import Optional

from piiscan.core.model import compact_json

FINDING_COLUMNS = ("seq", "location", "start", "end", "entity_type", "score", "recognizer", "jrt0171", "jrt0197",
                   "pipl_sensitive", "personal", "masked", "fingerprint", "metadata", "explanation")
JSON_COLUMNS = ("location", "metadata", "explanation")
PERSONAL = FINDING_COLUMNS.index("personal")
SUMMARY_COLUMNS = ("jrt0171", "jrt0197", "pipl_sensitive", "counts", "distinct_individuals", "records_with_pi",
                   "columns", "explanation")  # file_summaries, after file_id and run_id
PAIR_AT = tuple(FINDING_COLUMNS.index(c) for c in ("entity_type", "fingerprint", "jrt0171", "jrt0197",
                                                    "pipl_sensitive", "masked"))  # history.PAIR_COLUMNS


class RepeatedJson:
    """JSON text of a value, remembered for the lists of strings and flat dicts that
    repeat from finding to finding (explanations, metadata such as a carrier or an
    age band): a ledger's 80,000 findings hold a few dozen distinct ones, and the same
    string object is pickled once per message. Keys carry each item's type, so 1,
    1.0 and True (equal in Python) are never confused. A column whose values do not
    repeat (a ledger's locations) stops being remembered."""

    def __init__(self, limit: int = 4096):
        self.seen: dict = {}
        self.limit = limit
        self.calls = self.hits = 0
        self.bypass = False

    def __call__(self, value) -> str:
        if self.bypass:
            return compact_json(value)
        self.calls += 1
        if self.calls == 512 and self.hits < 256:
            self.bypass = True
        try:
            if isinstance(value, dict):
                key = (dict, tuple(zip(value.keys(), value.values(), map(type, value.values()))))
            else:
                key = (type(value), tuple(zip(value, map(type, value))))
            text = self.seen.get(key)
        except TypeError:  # something unhashable inside: not remembered
            return compact_json(value)
        if text is None:
            text = compact_json(value)
            if len(self.seen) < self.limit:
                self.seen[key] = text
        else:
            self.hits += 1
        return text



_ENCODE = {column: RepeatedJson() for column in JSON_COLUMNS}  # per worker process, across files


def finding_row(finding: dict) -> tuple:
    """A finding given as a dict (FINDING_COLUMNS keys, JSON columns as values) as a row."""
    return tuple(_ENCODE[c](finding[c]) if c in _ENCODE else finding[c] for c in FINDING_COLUMNS)


def finding_dict(row: tuple) -> dict:
    """A row back as a dict, JSON columns decoded (for readers of results other than the inventory)."""
    found = dict(zip(FINDING_COLUMNS, row))
    for c in JSON_COLUMNS:
        found[c] = json.loads(found[c])
    return found


def result_record(result, digest: Optional[str], size: int) -> dict:
    """A scanned source as the inventory stores it: findings as rows (FINDING_COLUMNS),
    the summary as a row (SUMMARY_COLUMNS), no raw value."""
    from piiscan.core.tiers import is_personal

    location, metadata, explanation = (_ENCODE[c] for c in JSON_COLUMNS)
    findings = []
    for seq, f in enumerate(result.findings):
        tier = f.tier or {}
        findings.append((seq, location(f.location), f.start, f.end, f.entity_type, round(f.score, 6), f.recognizer,
                         tier.get("jrt0171", "none"), tier.get("jrt0197"), bool(tier.get("pipl_sensitive")),
                         is_personal(f.tier), f.masked, f.fingerprint, metadata(f.metadata), explanation(f.explanation)))
    c = result.classification
    summary = None
    if c is not None:  # a row in SUMMARY_COLUMNS order, JSON columns as text like the findings'
        summary = (c.tier.get("jrt0171", "none"), c.tier.get("jrt0197"), bool(c.tier.get("pipl_sensitive")),
                   compact_json(c.counts), c.distinct_individuals, c.records_with_pi,
                   compact_json([col.to_dict() for col in c.columns]), explanation(c.explanation))
    return {"status": "error" if result.error else "ok", "reader": result.reader,
            "error": result.error.reason if result.error else None, "content_hash": digest,
            "findings": findings, "summary": summary, "bytes": size}


# --- a bug ---------------------------------------------------------------------------
class WorkerBug(RuntimeError):
    """Our own code failed in a worker: raised in the coordinator (exit 70), its
    cause the worker's traceback, without the message (it may quote data)."""


class _RemoteTraceback(Exception):
    def __str__(self) -> str:
        return self.args[0]


def bug_record(error: Exception) -> dict:
    """An exception of our code in a worker, as it is sent back: the frames, the type and a safe reason."""
    import traceback

    from piiscan.core.errors import safe_reason
    frames = "".join(traceback.format_tb(error.__traceback__))
    return {"status": "bug", "error": safe_reason(error),
            "traceback": f"\nTraceback in the worker (most recent call last):\n{frames}{type(error).__name__}"}


def raise_bug(result: dict) -> None:
    raise WorkerBug(f"in a worker process: {result['error']}") from _RemoteTraceback(result["traceback"])
