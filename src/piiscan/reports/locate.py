"""Every place one person appears, looked up by keyed fingerprint: the inventory
holds no raw values, so the user's input is normalised exactly as detection
normalises a match — by the validators the recognizer definitions name (an ID
written `110105 19491231 002x` and its legacy 15-digit form give the same
canonical number) — and fingerprinted with the same key.

For each place found, the other findings of the same record (the rest of the
spreadsheet row or paragraph) are listed too, masked: what an access or
deletion request (PIPL Art. 45/47) has to cover.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from sqlalchemy import and_, or_, select

from piiscan.classify.classifier import record_key
from piiscan.core.fingerprint import Fingerprinter
from piiscan.inventory import Inventory, schema
from piiscan.reports.data import location_text

DESCRIPTIONS = {"id": "a resident or permanent-residence ID number (18 digits, or the legacy 15)",
                "passport": "a passport or travel-permit number", "phone": "a mainland mobile or landline number",
                "card": "a bank card number", "email": "an e-mail address", "name": "a person's name"}


class LocateError(ValueError):
    """Input that no validator accepts; the message never repeats the value."""


def canonical_forms(kind: str, value: str) -> list[tuple[str, str]]:
    """(entity type, canonical value) pairs the detection would fingerprint for this input."""
    from piiscan.detect import validators
    from piiscan.detect.recognizer import load_specs

    from piiscan.classify.policy import default_policy

    entities = default_policy().with_fact("locate", kind)
    found: list[tuple[str, str]] = []
    for spec in load_specs():
        if spec.entity in entities:
            verdict = validators.get(spec.validator)(value)
            if verdict.canonical and (spec.entity, verdict.canonical) not in found:
                found.append((spec.entity, verdict.canonical))
    if not found and kind == "name" and value.strip():
        found.append(("PERSON", value.strip()))  # the NER model finds names with no known surname
    if not found:
        raise LocateError(f"--{kind}: not {DESCRIPTIONS[kind]} (its format or check digit does not validate)")
    return found


def fingerprints(wanted: list[tuple[str, str]], key: bytes) -> dict[tuple[str, str], str]:
    """(entity type, fingerprint) → the option it came from, for [(kind, value)]."""
    fingerprint = Fingerprinter(key)
    out: dict[tuple[str, str], str] = {}
    for kind, value in wanted:
        for entity, canonical in canonical_forms(kind, value):
            out[(entity, fingerprint(entity, canonical))] = kind
    return out


def locate(store: Inventory, targets: dict[tuple[str, str], str]) -> Iterator[dict]:
    """Places (file, location) holding one of the targets, with the record's other findings."""
    f, fi = schema.files, schema.findings
    match = or_(*(and_(fi.c.entity_type == entity, fi.c.fingerprint == fp) for entity, fp in targets))
    query = (select(fi.c.file_id, fi.c.location, fi.c.entity_type, fi.c.fingerprint, fi.c.masked, fi.c.jrt0171,
                    fi.c.jrt0197, fi.c.pipl_sensitive, f.c.path, f.c.reader)
             .join(f, f.c.id == fi.c.file_id).where(match, f.c.status != "removed").order_by(f.c.path, fi.c.seq))
    with store.engine.connect() as conn:
        hits = [dict(r) for r in conn.execute(query).mappings()]
        records: dict[int, dict[tuple, list]] = defaultdict(dict)
        for hit in hits:
            records[hit["file_id"]][record_key(hit["location"])] = []
        for file_id, wanted in records.items():
            for r in conn.execution_options(stream_results=True, yield_per=5000).execute(
                    select(fi.c.location, fi.c.entity_type, fi.c.fingerprint, fi.c.masked)
                    .where(fi.c.file_id == file_id).order_by(fi.c.seq)).mappings():
                place = wanted.get(record_key(r["location"]))
                if place is not None:
                    place.append(r)
    for hit in hits:
        same = [r for r in records[hit["file_id"]][record_key(hit["location"])]
                if (r["entity_type"], r["fingerprint"]) != (hit["entity_type"], hit["fingerprint"])]
        yield {"path": hit["path"], "reader": hit["reader"], "location": hit["location"],
               "location_text": location_text(hit["location"]), "matched_by": targets[(hit["entity_type"],
                                                                                      hit["fingerprint"])],
               "entity_type": hit["entity_type"], "masked": hit["masked"], "jrt0171": hit["jrt0171"],
               "jrt0197": hit["jrt0197"], "pipl_sensitive": bool(hit["pipl_sensitive"]),
               "same_record": [{"entity_type": r["entity_type"], "masked": r["masked"]} for r in same]}
