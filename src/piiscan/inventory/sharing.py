"""The sharing register: each `redact` run is a share to a recipient, with, per
copy, the people in it by keyed fingerprint and how each of their fields was
shown (clear, or the operator that replaced it). No value is ever stored; the
fingerprints use the scan's key, so `locate` finds the shares of a person."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from sqlalchemy import and_, func, insert, or_, select

from piiscan.inventory import schema
from piiscan.inventory.store import Inventory, now


def record_share(store: Inventory, recipient: str, profile: str, operator: str | None, out: str,
                 copies: Iterable[tuple[str, Counter]], tool_version: str) -> int:
    """Write one share; `copies` is (copy, Counter of (entity, fingerprint, shown))."""
    copies = list(copies)
    with store.engine.begin() as conn:
        share_id = conn.execute(insert(schema.shares).values(
            created_at=now(), recipient=recipient, profile=profile, operator=operator, out=out,
            files=len(copies), tool_version=tool_version)).inserted_primary_key[0]
        rows = [{"share_id": share_id, "file": copy, "entity_type": entity, "fingerprint": fingerprint,
                 "shown": shown, "count": n}
                for copy, counts in copies for (entity, fingerprint, shown), n in sorted(counts.items())]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(schema.shared_values), rows[start:start + 5000])
    return share_id


def shares_of(store: Inventory, targets: Iterable[tuple[str, str]]) -> Iterator[dict]:
    """For (entity type, fingerprint) targets: which recipient got which copy, when,
    and which of the person's fields were in clear."""
    sh, sv = schema.shares, schema.shared_values
    match = or_(*(and_(sv.c.entity_type == e, sv.c.fingerprint == fp) for e, fp in targets))
    query = (select(sh.c.id, sh.c.created_at, sh.c.recipient, sh.c.profile, sv.c.file, sv.c.entity_type,
                    sv.c.shown, sv.c.count)
             .join(sh, sh.c.id == sv.c.share_id).where(match).order_by(sh.c.id, sv.c.file))
    with store.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            yield dict(row)


def register(store: Inventory) -> list[dict]:
    """Every share with its copies, people and the fields shown in clear."""
    sh, sv = schema.shares, schema.shared_values
    with store.engine.connect() as conn:
        shares = [dict(r) for r in conn.execute(select(sh).order_by(sh.c.id)).mappings()]
        people = dict(conn.execute(select(sv.c.share_id, func.count(func.distinct(sv.c.fingerprint)))
                                   .group_by(sv.c.share_id)).all())
        clear = conn.execute(select(sv.c.share_id, sv.c.entity_type, func.sum(sv.c.count))
                             .where(sv.c.shown == "clear").group_by(sv.c.share_id, sv.c.entity_type)).all()
    in_clear: dict[int, dict[str, int]] = {}
    for share_id, entity, n in clear:
        in_clear.setdefault(share_id, {})[entity] = int(n)
    for share in shares:
        share["values"] = people.get(share["id"], 0)
        share["in_clear"] = in_clear.get(share["id"], {})
    return shares
