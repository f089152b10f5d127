"""Inventory tables (SQLAlchemy Core). Documented in docs/inventory.md.

Nothing here holds a raw value: findings carry a masked preview and a keyed
fingerprint only.
"""

from __future__ import annotations

from sqlalchemy import (JSON, BigInteger, Boolean, Column, Float, ForeignKey, Index, Integer, MetaData, String,
                        Table, Text)

metadata = MetaData()

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True),
    Column("applied_at", String(32), nullable=False),  # ISO 8601 UTC
)

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("status", String(16), nullable=False),  # running | completed | failed | interrupted
    Column("roots", JSON, nullable=False),
    Column("settings", JSON, nullable=False),  # options of the run (never the fingerprint key)
    Column("tool_version", String(32), nullable=False),
    Column("policy_version", String(64), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("resumed", Integer, nullable=False, default=0),  # times this run was continued after a crash
    Column("files_seen", Integer, nullable=False, default=0),
    Column("files_read", Integer, nullable=False, default=0),
    Column("files_unchanged", Integer, nullable=False, default=0),
    Column("files_error", Integer, nullable=False, default=0),
    Column("files_removed", Integer, nullable=False, default=0),
    Column("bytes_read", BigInteger, nullable=False, default=0),
    Column("findings", Integer, nullable=False, default=0),
    Column("new_pi", Integer, nullable=False, default=0),  # personal findings not in the file before
)

files = Table(
    "files", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, unique=True),
    Column("size", BigInteger),
    Column("mtime_ns", BigInteger),
    Column("inode", BigInteger),
    Column("content_hash", String(64)),  # sha256 of the bytes read
    Column("owner", Integer),  # uid
    Column("mode", Integer),  # permission bits
    Column("reader", String(32)),
    Column("status", String(16), nullable=False),  # ok | error | unsupported | skipped | removed
    Column("error", Text),  # one line, never a raw value
    Column("first_run", Integer, ForeignKey("runs.id"), nullable=False),
    Column("last_run", Integer, ForeignKey("runs.id"), nullable=False),  # last run that read or recorded it
)

findings = Table(
    "findings", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("seq", Integer, nullable=False),  # order inside the file
    Column("location", JSON, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("recognizer", String(64), nullable=False),
    Column("jrt0171", String(8), nullable=False),
    Column("jrt0197", Integer),
    Column("pipl_sensitive", Boolean, nullable=False),
    Column("personal", Boolean, nullable=False),  # PI by the policy (report.is_personal)
    Column("masked", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("metadata", JSON, nullable=False),
    Column("explanation", JSON, nullable=False),
)
Index("findings_file", findings.c.file_id)
Index("findings_fingerprint", findings.c.fingerprint)
Index("files_last_run", files.c.last_run)  # report --run / --since (schema version 2)

file_summaries = Table(
    "file_summaries", metadata,
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("jrt0171", String(8), nullable=False),
    Column("jrt0197", Integer),
    Column("pipl_sensitive", Boolean, nullable=False),
    Column("counts", JSON, nullable=False),  # findings per entity type
    Column("distinct_individuals", Integer, nullable=False),
    Column("records_with_pi", Integer, nullable=False),
    Column("columns", JSON, nullable=False),  # classified table columns
    Column("explanation", JSON, nullable=False),
)

# History for diffs and trends (schema version 2). An event is written only when a
# file's set of personal (entity type, fingerprint) pairs changes, so an unchanged
# re-scan of 10^7 files writes nothing.
pi_events = Table(
    "pi_events", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("file_id", Integer, ForeignKey("files.id", ondelete="CASCADE"), nullable=False),
    Column("entity_type", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("change", String(8), nullable=False),  # added | removed
    Column("jrt0171", String(8), nullable=False),  # strictest tier of the pair in the file
    Column("jrt0197", Integer),
    Column("pipl_sensitive", Boolean, nullable=False),
    Column("masked", Text, nullable=False),  # a masked preview, never the value
)
Index("pi_events_run", pi_events.c.run_id)

# Per-run aggregates for the trend, written when a run finishes (schema version 2).
run_totals = Table(
    "run_totals", metadata,
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("computed_at", String(32), nullable=False),
    Column("files_scanned", Integer, nullable=False),  # files with a summary (read by a reader)
    Column("files_with_pi", Integer, nullable=False),  # tier other than none
    Column("files_by_tier", JSON, nullable=False),  # {"C3": n, "C2": n, "C1": n}
    Column("pipl_sensitive_files", Integer, nullable=False),
    Column("persons", Integer, nullable=False),  # sum of distinct individuals per file
    Column("identifiers", JSON, nullable=False),  # {entity type: distinct personal fingerprints}
    Column("files_error", Integer, nullable=False),  # files now in status error
)

# The sharing register (schema version 3): what each redact run gave to whom (PIPL
# Art. 23's record of provision to third parties). A person is a keyed fingerprint,
# never a value; `shown` says how the recipient got each field: clear, or the operator.
shares = Table(
    "shares", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", String(32), nullable=False),
    Column("recipient", Text, nullable=False),
    Column("profile", String(255), nullable=False),
    Column("operator", String(32)),
    Column("out", Text, nullable=False),  # the --out folder, as shown
    Column("files", Integer, nullable=False),  # copies written and verified
    Column("tool_version", String(32), nullable=False),
)

shared_values = Table(
    "shared_values", metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("share_id", Integer, ForeignKey("shares.id", ondelete="CASCADE"), nullable=False),
    Column("file", Text, nullable=False),  # the copy, as shown
    Column("entity_type", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("shown", String(32), nullable=False),  # clear | mask | pseudonymize | …
    Column("count", Integer, nullable=False),
)
Index("shared_values_fingerprint", shared_values.c.fingerprint)

scan_lock = Table(
    "scan_lock", metadata,
    Column("id", Integer, primary_key=True),  # always 1: one writer per inventory
    Column("run_id", Integer),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("acquired_at", String(32), nullable=False),
    Column("heartbeat_at", String(32), nullable=False),
)
