"""The tables of a compliance report, shared by every exporter: a stable machine
name per column (the CSV header and the JSON key, documented in
docs/report.schema.json), a Chinese and an English heading, and a width for
spreadsheets. The files table also gets one count column per entity type.
"""

from __future__ import annotations

from dataclasses import dataclass

from piiscan.classify.policy import Policy


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    width: int = 12


@dataclass(frozen=True)
class Table:
    key: str  # also the CSV file name and the JSON member
    zh: str
    en: str
    columns: tuple[Column, ...]


C = Column
TIER_COLUMNS = (C("jrt0171", "JR/T 0171 类别", "JR/T 0171 category", 10), C("jrt0197", "JR/T 0197 级别", "JR/T 0197 level", 10),
                C("pipl_sensitive", "敏感个人信息", "PIPL sensitive", 10))

FILES = Table("files", "文件", "Files", (
    C("path", "路径", "Path", 60), C("folder", "所在文件夹", "Folder", 40), C("reader", "读取器", "Reader", 8),
    C("status", "状态", "Status", 8), C("owner", "所有者", "Owner", 10), C("mode", "权限", "Permissions", 11),
    C("modified", "修改时间", "Modified (UTC)", 20), C("size", "大小（字节）", "Size (bytes)", 12), *TIER_COLUMNS,
    C("persons", "自然人数", "Distinct persons", 9), C("records_with_pi", "含个人信息记录数", "Records with PI", 9),
    C("findings", "发现数", "Findings", 9), C("flags", "风险提示", "Exposure flags", 30),
    C("last_run", "最后扫描批次", "Last run", 8), C("error", "错误", "Error", 30)))

FINDINGS = Table("findings", "发现（已脱敏）", "Findings (masked)", (
    C("path", "路径", "Path", 60), C("location", "位置", "Location", 24), C("entity_type", "类型", "Entity type", 18),
    C("label", "类型名称", "Entity label", 14), C("score", "置信度", "Score", 7), *TIER_COLUMNS,
    C("masked", "脱敏预览", "Masked preview", 22), C("fingerprint", "指纹", "Fingerprint", 34),
    C("recognizer", "识别器", "Recognizer", 16), C("metadata", "派生信息", "Derived facts", 30),
    C("run_id", "扫描批次", "Run", 6)))

DATABASE_COLUMNS = Table("database_columns", "数据库字段", "Database columns", (
    C("database", "数据库", "Database", 40), C("table", "表", "Table", 20), C("column", "字段", "Column", 16),
    C("header", "字段名", "Header", 16), C("entity_type", "类型", "Entity type", 18), C("label", "类型名称", "Entity label", 14),
    C("share", "占比", "Share", 7), C("sample_size", "样本量", "Sample size", 8), *TIER_COLUMNS,
    C("explanation", "说明", "Explanation", 50)))

FOLDERS = Table("folders", "文件夹汇总", "Folders (rolled up)", (
    C("folder", "文件夹", "Folder", 60), C("depth", "层级", "Depth", 6), C("files", "文件数", "Files", 8),
    C("files_with_pi", "含个人信息文件", "Files with PI", 10), C("jrt0171", "最高类别", "Strictest JR/T 0171", 10),
    C("jrt0197", "最高级别", "Strictest JR/T 0197", 10), C("c3_files", "C3 文件", "C3 files", 8),
    C("c2_files", "C2 文件", "C2 files", 8), C("c1_files", "C1 文件", "C1 files", 8),
    C("pipl_sensitive_files", "敏感个人信息文件", "PIPL-sensitive files", 10),
    C("persons", "自然人数（按文件累加）", "Persons (sum over files)", 12), C("findings", "发现数", "Findings", 9),
    C("flagged_files", "风险文件", "Flagged files", 9), C("errors", "错误", "Errors", 7)))

ERRORS = Table("errors", "错误与跳过", "Errors and skipped files", (
    C("path", "路径", "Path", 60), C("status", "状态", "Status", 8), C("error", "原因", "Reason", 50),
    C("reader", "读取器", "Reader", 8), C("last_run", "扫描批次", "Run", 6)))

EXPOSURE = Table("exposure", "过度暴露", "Over-exposure", (
    C("path", "路径", "Path", 60), C("flag", "风险", "Flag", 18), C("detail", "说明", "Detail", 40),
    C("owner", "所有者", "Owner", 10), C("mode", "权限", "Permissions", 11), C("modified", "修改时间", "Modified (UTC)", 20),
    *TIER_COLUMNS, C("persons", "自然人数", "Distinct persons", 9)))

RUNS = Table("runs", "扫描批次与趋势", "Runs and trend", (
    C("id", "批次", "Run", 6), C("started_at", "开始", "Started (UTC)", 20), C("finished_at", "结束", "Finished (UTC)", 20),
    C("status", "状态", "Status", 10), C("roots", "扫描路径", "Roots", 40), C("files_seen", "发现文件", "Files seen", 9),
    C("files_read", "读取文件", "Files read", 9), C("files_error", "错误", "Errors", 7),
    C("files_removed", "已删除", "Removed", 8), C("new_pi", "新增个人信息", "New PI", 8),
    C("files_with_pi", "含个人信息文件", "Files with PI", 10), C("c3_files", "C3 文件", "C3 files", 8),
    C("c2_files", "C2 文件", "C2 files", 8), C("c1_files", "C1 文件", "C1 files", 8),
    C("pipl_sensitive_files", "敏感个人信息文件", "PIPL-sensitive files", 10),
    C("identifiers", "不同标识符", "Distinct identifiers", 10)))

SETTINGS = Table("settings", "扫描设置", "Run settings", (
    C("key", "项目", "Item", 30), C("value", "值", "Value", 80)))

TABLES = (FILES, FINDINGS, DATABASE_COLUMNS, FOLDERS, ERRORS, EXPOSURE, RUNS, SETTINGS)


def entity_columns(policy: Policy) -> tuple[Column, ...]:
    """One count column per entity type of the policy, in the policy's order."""
    return tuple(Column(f"count_{name}", entity.label_zh[:12], name, 10) for name, entity in policy.entities.items())


def files_table(policy: Policy) -> Table:
    return Table(FILES.key, FILES.zh, FILES.en, FILES.columns + entity_columns(policy))
