"""The CLI end to end on sample_data/: exact findings against the generator's
manifest, output formats, PI hygiene, exit codes.

Scans run in this process through typer's CliRunner: the model loads once, not
once per run (about 0.4 s a scan after the first instead of a new interpreter
each). The installed console script is still run for real, for the exit codes
that `main()` maps (usage errors: 2) and --version."""

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook
from typer.testing import CliRunner

from piiscan.cli import app

ROOT = Path(__file__).resolve().parents[1]
PIISCAN = str(Path(sys.executable).with_name("piiscan"))
SAMPLE = ROOT / "sample_data"
MANIFEST = json.loads((ROOT / "tests" / "sample_data_planted.json").read_text(encoding="utf-8"))
# Shown on purpose: an organisation's credit code is public, a category keyword is not about anyone.
SHOWN_BY_DESIGN = {"CN_USCC", "SENSITIVE_CATEGORY_HINT"}


def run_in_process(*commands, env):
    """The CLI's commands, one after the other in this process; CompletedProcess each, in
    order. An exception other than the CLI's own exit is re-raised: a bug must not pass."""
    runner, done = CliRunner(), []
    for args in commands:
        result = runner.invoke(app, args, env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        done.append(subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr))
    return done


def run_all(*commands, env):
    """Run the installed console script once per argument list, all at once; CompletedProcess each, in order."""
    started = [(args, subprocess.Popen([PIISCAN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, env=env)) for args in commands]
    done = []
    for args, process in started:
        stdout, stderr = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(args, process.returncode, stdout, stderr))
    return done


def lines_of(text):
    return [json.loads(line) for line in text.splitlines()]


def key(file, entity, value, location):
    return file, entity, value, json.dumps(location, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    return {"PATH": os.environ["PATH"], "PIISCAN_KEY_FILE": str(tmp_path_factory.mktemp("k") / "key"),
            "COLUMNS": "160"}


@pytest.fixture(scope="module")
def sample_runs(env, tmp_path_factory):
    """The CLI on sample_data/: with values, in each format without them, and filtered."""
    out = tmp_path_factory.mktemp("scan")
    commands = {
        "values": ["scan", str(SAMPLE), "--show-values", "--out", str(out / "values.jsonl")],
        "jsonl": ["scan", str(SAMPLE)],  # to standard output, the default
        "json": ["scan", str(SAMPLE), "--format", "json", "--out", str(out / "findings.json")],
        "csv": ["scan", str(SAMPLE), "--format", "csv", "--out", str(out / "findings.csv")],
        "filtered": ["scan", str(SAMPLE), "--entities", "cn_mobile,PERSON", "--min-score", "0.8", "--show-values"],
    }
    runs = dict(zip(commands, run_in_process(*commands.values(), env=env)))
    written = {"values": out / "values.jsonl", "json": out / "findings.json", "csv": out / "findings.csv"}
    files = {name: path.read_text(encoding="utf-8-sig") for name, path in written.items()}
    files["jsonl"] = runs["jsonl"].stdout
    return runs, files


@pytest.fixture(scope="module")
def found(sample_runs):
    """Every finding of the scan with values."""
    return lines_of(sample_runs[1]["values"])


@pytest.fixture(scope="module")
def small_runs(env, tmp_path_factory):
    """The CLI on small folders and with bad arguments: name → CompletedProcess."""
    base = tmp_path_factory.mktemp("small")
    clean, unreadable = base / "clean", base / "unreadable"
    clean.mkdir()
    unreadable.mkdir()
    (clean / "readme.txt").write_text("本文件不含个人信息。\n", encoding="utf-8")
    (clean / "supplier.txt").write_text("供应商统一社会信用代码：91110000600037341L\n", encoding="utf-8")
    (unreadable / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    workbook = Workbook()
    workbook.active["A1"] = "13800138000"
    workbook.save(base / "plain.xlsx")
    with (base / "plain.xlsx").open("rb") as plain, (unreadable / "locked.xlsx").open("wb") as locked:
        OOXMLFile(plain).encrypt("secret", locked)  # password-protected as Office does it
    (unreadable / "note.txt").write_text("手机13800138000\n", encoding="utf-8")
    in_process = {"clean": ["scan", str(clean)], "unreadable": ["scan", str(unreadable)], "recognizers": ["recognizers"]}
    console_script = {  # exit codes as a shell sees them
        "missing path": ["scan", str(base / "missing")],
        "unknown entity": ["scan", str(clean), "--entities", "NOT_A_TYPE"],
        "unknown format": ["scan", str(clean), "--format", "xml"],
        "version": ["--version"],
    }
    return (dict(zip(in_process, run_in_process(*in_process.values(), env=env)))
            | dict(zip(console_script, run_all(*console_script.values(), env=env))))


def test_every_planted_value_is_found_where_it_is_and_nothing_else(sample_runs, found):
    """Exact, but for organisation names: context the NER model adds, never PI."""
    assert sample_runs[0]["values"].returncode == 1, sample_runs[0]["values"].stderr
    organisations = [f for f in found if f["entity_type"] == "ORGANIZATION"]
    assert all(f["tier"]["jrt0171"] == "none" and not f["tier"]["pipl_sensitive"] for f in organisations)
    personal = [f for f in found if f["entity_type"] != "ORGANIZATION"]
    reported = Counter(key(Path(f["path"]).name, f["entity_type"], f["value"], f["location"]) for f in personal)
    planted = Counter(key(p["file"], p["entity"], p["value"], p["location"]) for p in MANIFEST["planted"])
    assert reported == planted
    assert Counter(f["entity_type"] for f in personal) == Counter(p["entity"] for p in MANIFEST["planted"])


def test_near_misses_are_not_reported(found):
    values = {f["value"] for f in found}
    for miss in MANIFEST["near_misses"]:
        assert not any(miss["value"] in v or v in miss["value"] for v in values), miss["why"]


def test_offsets_point_at_the_value(found):
    assert all(f["end"] - f["start"] == len(f["value"]) for f in found)


def test_without_show_values_no_raw_value_is_written_anywhere(sample_runs):
    runs, files = sample_runs
    for fmt in ("jsonl", "json", "csv"):
        assert runs[fmt].returncode == 1
        everything = files[fmt] + runs[fmt].stdout + runs[fmt].stderr
        for p in MANIFEST["planted"]:
            if p["entity"] not in SHOWN_BY_DESIGN:
                assert p["value"] not in everything, (fmt, p["entity"], p["location"])
    # …and with it they are (the check above can fail)
    assert all(p["value"] in files["values"] for p in MANIFEST["planted"])


def test_the_formats_agree(sample_runs):
    _, files = sample_runs
    rows = {
        "jsonl": lines_of(files["jsonl"]),
        "json": json.loads(files["json"])["results"],
        "csv": [dict(r, location=json.loads(r["location"]), start=int(r["start"]), end=int(r["end"]),
                     tier={"jrt0171": r["jrt0171"], "jrt0197": int(r["jrt0197"]),
                           "pipl_sensitive": r["pipl_sensitive"] == "True"})
                for r in csv.DictReader(files["csv"].splitlines())],
    }
    shape = {fmt: sorted((r["path"], json.dumps(r["location"], sort_keys=True), r["start"], r["end"],
                          r["entity_type"], r["masked"], r["fingerprint"], json.dumps(r["tier"], sort_keys=True))
                         for r in found)
             for fmt, found in rows.items()}
    assert len(shape["jsonl"]) == len(lines_of(files["values"]))
    assert shape["jsonl"] == shape["json"] == shape["csv"]
    document = json.loads(files["json"])
    assert document["files_scanned"] == 5 and len(document["files"]) == 5
    assert sum(document["files_per_tier"].values()) == 5


def test_the_summary_goes_to_stderr(sample_runs):
    done = sample_runs[0]["jsonl"]
    assert "files scanned: 5" in done.stderr and "findings" in done.stderr
    assert all(line.startswith("{") for line in done.stdout.splitlines())


def test_entity_selection_and_threshold(sample_runs, found):
    """Exactly the mobiles and names of the full scan that score 0.8 or more."""
    wanted = sorted(key(f["path"], f["entity_type"], f["value"], f["location"]) for f in found
                    if f["entity_type"] in ("CN_MOBILE", "PERSON") and f["score"] >= 0.8)
    filtered = lines_of(sample_runs[0]["filtered"].stdout)
    assert sorted(key(f["path"], f["entity_type"], f["value"], f["location"]) for f in filtered) == wanted
    assert {f["entity_type"] for f in filtered} == {"CN_MOBILE", "PERSON"}
    assert any(f["entity_type"] == "PERSON" and f["score"] < 0.8 for f in found)  # the threshold removed some


def test_exit_codes(small_runs):
    clean = small_runs["clean"]
    assert clean.returncode == 0, clean.stderr  # an organisation's code alone is not personal information
    assert [f["entity_type"] for f in lines_of(clean.stdout)] == ["CN_USCC"]
    assert lines_of(clean.stdout)[0]["tier"]["jrt0171"] == "none"
    for name in ("missing path", "unknown entity", "unknown format"):
        assert small_runs[name].returncode == 2, name
        assert "Traceback" not in small_runs[name].stderr


def test_unreadable_files_are_reported_and_the_scan_goes_on(small_runs):
    done = small_runs["unreadable"]
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("piiscan: error:")]
    assert len(errors) == 2 and any("locked.xlsx: encrypted" in e for e in errors)
    assert "errors: 2" in done.stderr
    assert [f["entity_type"] for f in lines_of(done.stdout)] == ["CN_MOBILE"]


def test_recognizers_and_version(small_runs):
    listed, version = small_runs["recognizers"], small_runs["version"]
    assert listed.returncode == 0
    specs = sorted((ROOT / "src" / "piiscan" / "detect" / "definitions").glob("*.yaml"))
    assert specs
    for spec in specs:
        assert yaml.safe_load(spec.read_text(encoding="utf-8"))["id"] in listed.stdout, spec.name
    assert version.returncode == 0 and version.stdout.startswith("piiscan ")


def test_generator_reproduces_the_committed_manifest(tmp_path):
    planted = tmp_path / "planted.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_data.py"), "--out", str(tmp_path / "s"),
                    "--planted", str(planted)], check=True, capture_output=True)
    assert json.loads(planted.read_text(encoding="utf-8")) == MANIFEST
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == sorted(p.name for p in SAMPLE.iterdir())
    for name in ("代账客户.csv", "咨询记录.txt", "股权转让协议.pdf"):  # no timestamps in these
        assert (tmp_path / "s" / name).read_bytes() == (SAMPLE / name).read_bytes(), name
