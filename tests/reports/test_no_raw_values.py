"""No planted raw value appears in any output of the report commands: the xlsx
(every XML part of the zip), the CSV files, the JSON, the HTML, and what diff,
locate and impact print — each value as planted and written with separators."""

from __future__ import annotations

import zipfile
from pathlib import Path

from .conftest import DB_TABLE, run_cli


def outputs(built, out: Path) -> dict[str, str]:
    texts: dict[str, str] = {}
    for fmt, name in (("xlsx", "r.xlsx"), ("csv", "csv"), ("json", "r.json"), ("html", "r.html")):
        run_cli("report", "--inventory", built.url, "--format", fmt, "--out", str(out / name), check_code=1)
    with zipfile.ZipFile(out / "r.xlsx") as book:
        for member in book.namelist():
            texts[f"xlsx:{member}"] = book.read(member).decode("utf-8", errors="replace")
    for path in sorted((out / "csv").glob("*.csv")):
        texts[f"csv:{path.name}"] = path.read_text(encoding="utf-8-sig")
    texts["json"] = (out / "r.json").read_text(encoding="utf-8")
    texts["html"] = (out / "r.html").read_text(encoding="utf-8")
    p = built.people
    commands = {
        "diff": ["diff", "--inventory", built.url, "1", "3"],
        "diff-json": ["diff", "--inventory", built.url, "1", "3", "--json"],
        "locate": ["locate", "--inventory", built.url, "--id", p[1].resident_id, "--phone", p[0].mobile,
                   "--card", p[3].card, "--name", p[4].name],
        "locate-json": ["locate", "--inventory", built.url, "--id", p[5].resident_id, "--json"],
        "impact": ["impact", str(built.root), DB_TABLE.split("#")[0], "--inventory", built.url],
        "impact-scan": ["impact", str(built.root), "--no-ner", "--jobs", "1", "--json"],
    }
    for name, args in commands.items():
        done = run_cli(*args)
        assert done.returncode == 1, (name, done.stderr[-500:])
        texts[name] = done.stdout + done.stderr
    return texts


def test_no_planted_value_in_any_output(built, tmp_path):
    texts = outputs(built, tmp_path)
    assert len(texts) > 20 and all(texts.values())
    leaks = [(where, value) for person in built.people for value in person.raw_values()
             for where, text in texts.items() if value in text]
    assert leaks == []
    # the check can fail: the masked previews are there, the values are not
    assert any("110105********" in text for text in texts.values())
