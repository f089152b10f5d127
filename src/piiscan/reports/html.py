"""A single self-contained HTML report: inline CSS and SVG, no script, no font or
image from anywhere (a Content-Security-Policy forbids fetching anything), so it
opens from an e-mail attachment on an offline laptop.

Aggregated, not exhaustive: tier distribution, entities per type, the trend
across runs, top folders and files by sensitivity, over-exposure flags, errors,
database columns and the run's settings. Lists stop at a fixed length, so the
report of 100,000 files is about as large as the report of 100; the xlsx, CSV
and JSON exports list everything. The page is templates/report.html.j2 (Jinja2,
autoescaped); this module picks and orders what it shows.
"""

from __future__ import annotations

import heapq
from functools import cache
from itertools import count
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from piiscan.reports import charts
from piiscan.reports.data import ReportData
from piiscan.reports.exposure import FLAG_LABELS
from piiscan.core.tiers import rank

TOP_FILES, TOP_FOLDERS, TOP_FLAGGED, TOP_ERRORS, TOP_COLUMNS = 50, 20, 100, 100, 200
COLOURS = {"C3": "#c0392b", "C2": "#e67e22", "C1": "#d4ac0d", "none": "#b0b7c3", "sensitive": "#8e44ad",
           "identifiers": "#2563eb", "pi": "#0f766e"}
TIER_LABELS = {"C3": "C3 鉴别信息 authentication", "C2": "C2 可识别个人 identifying", "C1": "C1 内部 internal",
               "none": "无个人信息 no PI"}
STYLE = """
body{font-family:'Noto Sans CJK SC','WenQuanYi Zen Hei','Microsoft YaHei',sans-serif;margin:0;color:#1f2937;background:#f3f4f6}
header{background:#1f3a5f;color:#fff;padding:20px 32px}header h1{margin:0 0 6px;font-size:24px}
header p{margin:2px 0;font-size:13px;opacity:.9}main{padding:16px 32px 40px;max-width:1280px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin:16px 0;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{font-size:18px;margin:0 0 12px}h2 small{font-weight:normal;color:#6b7280;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:12px}.card{background:#fff;border-radius:8px;padding:12px 16px;min-width:150px;
box-shadow:0 1px 2px rgba(0,0,0,.08)}.card b{display:block;font-size:26px}.card span{font-size:12px;color:#6b7280}
.card.alert b{color:#c0392b}table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #e5e7eb;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.path{word-break:break-all;max-width:520px}.tier{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:12px}
.tier.C3{background:#c0392b}.tier.C2{background:#e67e22}.tier.C1{background:#d4ac0d}.tier.none{background:#b0b7c3}
.note{color:#6b7280;font-size:12px}.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
"""


def _sensitivity(row: dict) -> tuple:
    return (rank(row["jrt0171"]), row["pipl_sensitive"], row.get("jrt0197") or 0, row["persons"],
            row.get("findings", 0))


class _Collector:
    """Keeps what the report shows while the data streams past."""

    def __init__(self):
        self.files: list = []  # heap of the most sensitive files
        self.flagged: list = []
        self.errors: list[dict] = []
        self.columns: list[dict] = []
        self.folders: list[dict] = []
        self.runs: list[dict] = []
        self.settings: list[dict] = []
        self._tie = count()

    def add(self, table: str, row: dict) -> None:
        if table == "files" and row["jrt0171"] != "none":
            self._keep(self.files, TOP_FILES, row)
        elif table == "exposure":
            self._keep(self.flagged, TOP_FLAGGED, row)
        elif table == "errors" and len(self.errors) < TOP_ERRORS:
            self.errors.append(row)
        elif table == "database_columns" and len(self.columns) < TOP_COLUMNS:
            self.columns.append(row)
        elif table in ("folders", "runs", "settings"):
            getattr(self, table).append(row)

    def _keep(self, heap: list, limit: int, row: dict) -> None:
        item = (_sensitivity(row), next(self._tie), row)
        if len(heap) < limit:
            heapq.heappush(heap, item)
        elif item[0] > heap[0][0]:
            heapq.heapreplace(heap, item)

    @staticmethod
    def ranked(heap: list) -> list[dict]:
        return [row for _, _, row in sorted(heap, key=lambda item: (item[0], -item[1]), reverse=True)]


def write_html(data: ReportData, path: Path) -> Path:
    keep = _Collector()
    for table, row in data.stream(with_findings=False):
        keep.add(table, row)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(data, keep), encoding="utf-8")
    return path


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("piiscan.reports", "templates"), autoescape=select_autoescape(["j2"]),
                       trim_blocks=True)


def _template():
    return environment().get_template("report.html.j2")


def render(data: ReportData, keep: _Collector) -> str:
    s, info, run = data.summary(), data.report_info(), data.run or {}
    flags_total = sum(s["exposure_flags"].values())
    cards = [("已扫描文件 files scanned", s["files_scanned"], False), ("含个人信息 files with PI", s["files_with_pi"], False),
             ("敏感个人信息文件 PIPL-sensitive", s["pipl_sensitive_files"], s["pipl_sensitive_files"] > 0),
             ("不同标识符 distinct identifiers", sum(s["identifiers"].values()), False),
             ("过度暴露 over-exposure flags", flags_total, flags_total > 0), ("错误 errors", s["errors"], s["errors"] > 0)]
    return _template().render(
        style=Markup(STYLE), info=info, run=run, cards=cards, top_files=TOP_FILES, tiers=_tiers(s),
        entities=_entities(data, s), trend=_trend(keep.runs), folders=_folders(keep.folders), files=_files(keep),
        exposure=_exposure(data, s, keep), errors=_errors(data, s, keep), columns=_columns(keep),
        settings=[[r["key"], r["value"]] for r in keep.settings if not r["key"].startswith("summary.")])


def _tiers(s: dict) -> dict:
    by_tier = s["files_by_tier"]
    none = s["files_scanned"] - s["files_with_pi"]
    segments = [(TIER_LABELS[t], by_tier.get(t, 0), COLOURS[t]) for t in ("C3", "C2", "C1")]
    segments.append((TIER_LABELS["none"], max(none, 0), COLOURS["none"]))
    sensitive = charts.bars([("敏感个人信息 PIPL-sensitive", s["pipl_sensitive_files"]),
                             ("含个人信息 with PI", s["files_with_pi"]), ("已扫描 scanned", s["files_scanned"])],
                            width=520, label_width=190, title="PIPL-sensitive files",
                            colours=[COLOURS["sensitive"], COLOURS["pi"], COLOURS["none"]])
    return {"donut": Markup(charts.donut(segments, title="files per tier")), "sensitive": Markup(sensitive)}


def _entities(data: ReportData, s: dict) -> dict:
    entities = sorted(s["findings_by_entity"].items(), key=lambda kv: (-kv[1], kv[0]))
    label = {name: f"{e.label_zh} {name}" for name, e in data.policy.entities.items()}
    findings = charts.bars([(label.get(k, k), v) for k, v in entities], colour=COLOURS["pi"], title="findings per type")
    identifiers = sorted(s["identifiers"].items(), key=lambda kv: (-kv[1], kv[0]))
    distinct = charts.bars([(label.get(k, k), v) for k, v in identifiers], colour=COLOURS["identifiers"],
                           title="distinct identifiers per type")
    rows = [[label.get(k, k), v, s["files_by_entity"].get(k, 0), s["identifiers"].get(k, 0)] for k, v in entities]
    return {"findings": Markup(findings), "distinct": Markup(distinct), "rows": rows}


def _trend(runs: list[dict]) -> dict | None:
    measured = [r for r in runs if r.get("files_with_pi") is not None]
    if not measured:
        return None
    labels = [f"#{r['id']}" for r in measured]
    files = charts.lines(labels, [("含个人信息 with PI", COLOURS["pi"], [r["files_with_pi"] for r in measured]),
                                  ("C3", COLOURS["C3"], [r["c3_files"] for r in measured]),
                                  ("C2", COLOURS["C2"], [r["c2_files"] for r in measured]),
                                  ("敏感 sensitive", COLOURS["sensitive"], [r["pipl_sensitive_files"] for r in measured])],
                         title="files with PI per run")
    ids = charts.lines(labels, [("不同标识符 identifiers", COLOURS["identifiers"], [r["identifiers"] for r in measured]),
                                ("新增 new PI", COLOURS["C3"], [r["new_pi"] for r in measured])],
                       title="distinct identifiers per run")
    rows = [[r["id"], (r["started_at"] or "")[:19], r["status"], r["files_read"], r["files_with_pi"],
             r["pipl_sensitive_files"], r["identifiers"], r["new_pi"], r["files_removed"]] for r in measured[-30:]]
    return {"files": Markup(files), "ids": Markup(ids), "rows": rows}


def _folders(folders: list[dict]) -> dict:
    top_level = sorted((f for f in folders if f["depth"] == 1 and f["files_with_pi"]),
                       key=lambda f: (-f["files_with_pi"], f["folder"]))[:15]
    chart = charts.bars([(f["folder"].rsplit("/", 1)[-1] or f["folder"], f["files_with_pi"]) for f in top_level],
                        colour=COLOURS["C2"], title="files with PI per top-level folder")
    ranked = sorted((f for f in folders if f["direct_pi"]),
                    key=lambda f: (-rank(f["jrt0171"]), -f["pipl_sensitive_files"], -f["direct_pi"],
                                   -f["persons"], f["folder"]))[:TOP_FOLDERS]
    rows = [[f["folder"], f["jrt0171"], f["direct_pi"], f["files_with_pi"], f["pipl_sensitive_files"],
             f["persons"], f["flagged_files"]] for f in ranked]
    return {"count": len(folders), "chart": Markup(chart), "rows": rows}


def _files(keep: _Collector) -> list[list]:
    return [[f["path"], f["jrt0171"], f["jrt0197"], "是 yes" if f["pipl_sensitive"] else "否 no",
             f["persons"], f["findings"], f["flags"]] for f in keep.ranked(keep.files)]


def _exposure(data: ReportData, s: dict, keep: _Collector) -> dict:
    counts = [(FLAG_LABELS[flag], n) for flag, n in sorted(s["exposure_flags"].items(), key=lambda kv: -kv[1])]
    rows = [[f["path"], FLAG_LABELS[f["flag"]], f["detail"], f["jrt0171"], f["mode"], f["owner"], f["modified"]]
            for f in keep.ranked(keep.flagged)]
    return {"retention": f"{data.retention.days} 天 days" if data.retention else "off",
            "chart": Markup(charts.bars(counts, colour=COLOURS["C3"], title="flags")), "rows": rows}


def _errors(data: ReportData, s: dict, keep: _Collector) -> dict:
    reasons = sorted(data.totals.error_reasons.items(), key=lambda kv: -kv[1])[:15]
    rows = [[e["path"], e["status"], e["error"]] for e in keep.errors]
    return {"shown": f"first {len(rows)} of {s['errors'] + s['skipped']}" if rows else "", "rows": rows,
            "chart": Markup(charts.bars(reasons, colour=COLOURS["none"], title="errors by reason"))}


def _columns(keep: _Collector) -> list[list]:
    return [[c["database"], c["table"], c["column"], c["header"], c["entity_type"], f"{(c['share'] or 0):.0%}",
             c["jrt0171"]] for c in keep.columns]
