"""A single self-contained HTML report: inline CSS and SVG, no script, no font or
image from anywhere (a Content-Security-Policy forbids fetching anything), so it
opens from an e-mail attachment on an offline laptop.

Aggregated, not exhaustive: tier distribution, entities per type, the trend
across runs, top folders and files by sensitivity, over-exposure flags, errors,
database columns and the run's settings. Lists stop at a fixed length, so the
report of 100,000 files is about as large as the report of 100; the xlsx, CSV
and JSON exports list everything.
"""

from __future__ import annotations

import heapq
from html import escape
from itertools import count
from pathlib import Path
from typing import Any, Iterable

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


def _tier(value: str) -> str:
    value = value or "none"
    return f'<span class="tier {escape(value)}">{escape(value)}</span>'


def _table(heads: list[str], rows: Iterable[list[Any]], numeric: set[int] = frozenset(), paths: set[int] = frozenset(),
           raw: set[int] = frozenset()) -> str:
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in heads), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>")
        for k, value in enumerate(row):
            css = ' class="num"' if k in numeric else ' class="path"' if k in paths else ""
            text = value if k in raw else escape("" if value is None else str(value))
            out.append(f"<td{css}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


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


def render(data: ReportData, keep: _Collector) -> str:
    s, info, run = data.summary(), data.report_info(), data.run or {}
    flags_total = sum(s["exposure_flags"].values())
    cards = [("已扫描文件 files scanned", s["files_scanned"], False), ("含个人信息 files with PI", s["files_with_pi"], False),
             ("敏感个人信息文件 PIPL-sensitive", s["pipl_sensitive_files"], s["pipl_sensitive_files"] > 0),
             ("不同标识符 distinct identifiers", sum(s["identifiers"].values()), False),
             ("过度暴露 over-exposure flags", flags_total, flags_total > 0), ("错误 errors", s["errors"], s["errors"] > 0)]
    parts = [
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>piiscan 个人信息合规报告 Compliance report</title>", f"<style>{STYLE}</style></head><body>",
        "<header><h1>个人信息合规报告 · Personal information compliance report</h1>",
        f"<p>清单 Inventory: {escape(info['inventory'])} · 范围 Scope: {escape(info['scope'])}</p>",
        f"<p>批次 Run {escape(str(run.get('id', '—')))} ({escape(str(run.get('status', '')))}, "
        f"{escape(str(run.get('started_at', ''))[:19])}) · 生成于 Generated {escape(info['generated_at'])} · "
        f"piiscan {escape(info['version'])} · 只含脱敏预览，不含原始值 masked previews only, no raw values</p></header><main>",
        '<div class="cards">', *(f'<div class="card{" alert" if alert else ""}"><b>{value:,}</b><span>{escape(label)}'
                                 f'</span></div>' for label, value, alert in cards), "</div>",
        _tiers_section(s), _entities_section(data, s), _trend_section(keep.runs), _folders_section(keep.folders),
        _files_section(keep), _exposure_section(data, s, keep), _errors_section(data, s, keep),
        _columns_section(keep), _settings_section(keep.settings), "</main></body></html>"]
    return "\n".join(parts)


def _tiers_section(s: dict) -> str:
    by_tier = s["files_by_tier"]
    none = s["files_scanned"] - s["files_with_pi"]
    segments = [(TIER_LABELS[t], by_tier.get(t, 0), COLOURS[t]) for t in ("C3", "C2", "C1")]
    segments.append((TIER_LABELS["none"], max(none, 0), COLOURS["none"]))
    sensitive = charts.bars([("敏感个人信息 PIPL-sensitive", s["pipl_sensitive_files"]),
                             ("含个人信息 with PI", s["files_with_pi"]), ("已扫描 scanned", s["files_scanned"])],
                            width=520, label_width=190, title="PIPL-sensitive files",
                            colours=[COLOURS["sensitive"], COLOURS["pi"], COLOURS["none"]])
    return (f'<section id="tiers"><h2>敏感分级分布 Tier distribution <small>files by JR/T 0171 category '
            f'(strictest finding, 就高从严)</small></h2><div class="row">'
            f'{charts.donut(segments, title="files per tier")}{sensitive}</div></section>')


def _entities_section(data: ReportData, s: dict) -> str:
    entities = sorted(s["findings_by_entity"].items(), key=lambda kv: (-kv[1], kv[0]))
    label = {name: f"{e.label_zh} {name}" for name, e in data.policy.entities.items()}
    findings = charts.bars([(label.get(k, k), v) for k, v in entities], colour=COLOURS["pi"], title="findings per type")
    identifiers = sorted(s["identifiers"].items(), key=lambda kv: (-kv[1], kv[0]))
    distinct = charts.bars([(label.get(k, k), v) for k, v in identifiers], colour=COLOURS["identifiers"],
                           title="distinct identifiers per type")
    rows = [[label.get(k, k), v, s["files_by_entity"].get(k, 0), s["identifiers"].get(k, 0)] for k, v in entities]
    return (f'<section id="entities"><h2>各类个人信息 Entities per type</h2><div class="row"><div><p class="note">'
            f'发现数 findings</p>{findings}</div><div><p class="note">不同标识符（按指纹） distinct identifiers '
            f'(by fingerprint)</p>{distinct}</div></div>'
            f'{_table(["类型 type", "发现 findings", "文件 files", "不同标识符 distinct"], rows, {1, 2, 3})}</section>')


def _trend_section(runs: list[dict]) -> str:
    measured = [r for r in runs if r.get("files_with_pi") is not None]
    if not measured:
        return ('<section id="trend"><h2>趋势 Trend across runs</h2><p class="note">no run totals yet '
                '(they are recorded when a scan finishes)</p></section>')
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
    heads = ["批次 run", "开始 started", "状态 status", "读取 read", "含个人信息 with PI", "敏感 sensitive",
             "标识符 identifiers", "新增 new PI", "删除 removed"]
    return (f'<section id="trend"><h2>趋势 Trend across runs <small>files and identifiers held after each run'
            f'</small></h2><div class="row"><div><p class="note">文件 files</p>{files}</div><div><p class="note">'
            f'标识符 identifiers</p>{ids}</div></div>{_table(heads, rows, {0, 3, 4, 5, 6, 7, 8})}</section>')


def _folders_section(folders: list[dict]) -> str:
    top_level = sorted((f for f in folders if f["depth"] == 1 and f["files_with_pi"]),
                       key=lambda f: (-f["files_with_pi"], f["folder"]))[:15]
    chart = charts.bars([(f["folder"].rsplit("/", 1)[-1] or f["folder"], f["files_with_pi"]) for f in top_level],
                        colour=COLOURS["C2"], title="files with PI per top-level folder")
    ranked = sorted((f for f in folders if f["direct_pi"]),
                    key=lambda f: (-rank(f["jrt0171"]), -f["pipl_sensitive_files"], -f["direct_pi"],
                                   -f["persons"], f["folder"]))[:TOP_FOLDERS]
    rows = [[f["folder"], _tier(f["jrt0171"]), f["direct_pi"], f["files_with_pi"], f["pipl_sensitive_files"],
             f["persons"], f["flagged_files"]] for f in ranked]
    heads = ["文件夹 folder", "最高 strictest", "本层含PI文件 PI files here", "含下级 incl. below", "敏感 sensitive",
             "自然人 persons", "风险 flagged"]
    return (f'<section id="folders"><h2>重点文件夹 Top folders by sensitivity <small>{len(folders):,} folders '
            f'in all; the xlsx/CSV exports roll up every one</small></h2><p class="note">一级文件夹含个人信息文件数 '
            f'files with PI per top-level folder</p>{chart}'
            f'{_table(heads, rows, {2, 3, 4, 5, 6}, {0}, {1})}</section>')


def _files_section(keep: _Collector) -> str:
    rows = [[f["path"], _tier(f["jrt0171"]), f["jrt0197"], "是 yes" if f["pipl_sensitive"] else "否 no",
             f["persons"], f["findings"], f["flags"]] for f in keep.ranked(keep.files)]
    heads = ["文件 file", "类别 category", "级别 level", "敏感 sensitive", "自然人 persons", "发现 findings",
             "风险 flags"]
    return (f'<section id="files"><h2>重点文件 Top {TOP_FILES} files by sensitivity</h2>'
            f'{_table(heads, rows, {2, 4, 5}, {0}, {1})}</section>')


def _exposure_section(data: ReportData, s: dict, keep: _Collector) -> str:
    counts = [(FLAG_LABELS[flag], n) for flag, n in sorted(s["exposure_flags"].items(), key=lambda kv: -kv[1])]
    retention = f"{data.retention.days} 天 days" if data.retention else "off"
    rows = [[f["path"], FLAG_LABELS[f["flag"]], f["detail"], _tier(f["jrt0171"]), f["mode"], f["owner"], f["modified"]]
            for f in keep.ranked(keep.flagged)]
    heads = ["文件 file", "风险 flag", "说明 detail", "类别 category", "权限 mode", "所有者 owner", "修改 modified"]
    return (f'<section id="exposure"><h2>过度暴露 Over-exposure <small>C2+/level 3+ PI readable by other users or '
            f'writable by the group; PI kept past the retention period ({escape(retention)})</small></h2>'
            f'{charts.bars(counts, colour=COLOURS["C3"], title="flags")}'
            f'{_table(heads, rows, set(), {0}, {3}) if rows else "<p>无 none</p>"}</section>')


def _errors_section(data: ReportData, s: dict, keep: _Collector) -> str:
    reasons = sorted(data.totals.error_reasons.items(), key=lambda kv: -kv[1])[:15]
    rows = [[e["path"], e["status"], e["error"]] for e in keep.errors]
    shown = f"first {len(rows)} of {s['errors'] + s['skipped']}" if rows else ""
    return (f'<section id="errors"><h2>错误与跳过 Errors and skipped files <small>{escape(shown)}</small></h2>'
            f'{charts.bars(reasons, colour=COLOURS["none"], title="errors by reason")}'
            f'{_table(["文件 file", "状态 status", "原因 reason"], rows, set(), {0}) if rows else "<p>无 none</p>"}'
            f'</section>')


def _columns_section(keep: _Collector) -> str:
    if not keep.columns:
        return ""
    rows = [[c["database"], c["table"], c["column"], c["header"], c["entity_type"], f"{(c['share'] or 0):.0%}",
             _tier(c["jrt0171"])] for c in keep.columns]
    heads = ["数据库 database", "表 table", "字段 column", "字段名 header", "类型 type", "占比 share", "类别 category"]
    return (f'<section id="columns"><h2>数据库字段 Database columns</h2>'
            f'{_table(heads, rows, {5}, {0}, {6})}</section>')


def _settings_section(settings: list[dict]) -> str:
    rows = [[r["key"], r["value"]] for r in settings if not r["key"].startswith("summary.")]
    return f'<section id="settings"><h2>扫描设置 Run settings</h2>{_table(["项目 item", "值 value"], rows)}</section>'
