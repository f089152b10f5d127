"""`piiscan diff`, `locate` and `impact` on the real inventory of conftest, through
the command line: exact changes, places and person counts, exit codes."""

from __future__ import annotations

import json

import pytest

from .conftest import DB_TABLE, make_people, run_cli


def test_diff_between_runs(built):
    first, second, third = built.runs
    done = run_cli("diff", "--inventory", built.url, str(first), str(second), "--json", check_code=1)
    result = json.loads(done.stdout)
    p, f = built.people, built.files
    changes = {(c["change"], c["path"], c["entity_type"]) for c in result["changes"]}
    assert changes == {("new", str(f["csv"]), "PERSON"), ("new", str(f["csv"]), "CN_MOBILE"),
                       ("resolved", str(f["docx"]), "PERSON"), ("resolved", str(f["docx"]), "CN_MOBILE")}
    masked = {c["masked"] for c in result["changes"]}
    assert masked == {p[6].name[0] + "*" * (len(p[6].name) - 1), p[6].mobile[:3] + "****" + p[6].mobile[-4:],
                      p[2].name[0] + "*" * (len(p[2].name) - 1), p[2].mobile[:3] + "****" + p[2].mobile[-4:]}
    assert result["summary"] | {} == {"run_a": first, "run_b": second, "new": 2, "resolved": 2,
                                      "new_by_entity": {"CN_MOBILE": 1, "PERSON": 1},
                                      "resolved_by_entity": {"CN_MOBILE": 1, "PERSON": 1},
                                      "files_with_new_pi": 1, "files_with_resolved_pi": 1}
    # the other way round, new and resolved swap
    back = json.loads(run_cli("diff", "--inventory", built.url, str(second), str(first), "--json").stdout)
    assert {(c["change"], c["path"]) for c in back["changes"]} == {
        ("resolved", str(f["csv"])), ("new", str(f["docx"]))}
    # across two steps: the database table's 2 people x 3 types come in too
    wide = json.loads(run_cli("diff", "--inventory", built.url, str(first), str(third), "--json").stdout)
    assert wide["summary"]["new"] == 2 + 6 and wide["summary"]["resolved"] == 2
    assert {c["path"] for c in wide["changes"] if c["change"] == "new"} == {str(f["csv"]), DB_TABLE}


def test_diff_table_no_change_and_unknown_run(built):
    done = run_cli("diff", "--inventory", built.url, str(built.runs[0]), str(built.runs[1]), check_code=1)
    assert "+ new" in done.stdout and "- resolved" in done.stdout
    assert "new PI 2 in 1 files (CN_MOBILE 1, PERSON 1)" in done.stderr
    same = run_cli("diff", "--inventory", built.url, "3", "3", check_code=0)
    assert "new PI 0" in same.stderr
    bad = run_cli("diff", "--inventory", built.url, "1", "42", check_code=2)
    assert "no run 42 in the inventory (runs: 1, 2, 3)" in bad.stderr


def locate(built, *args, code=1) -> dict:
    return json.loads(run_cli("locate", "--inventory", built.url, *args, "--json", check_code=code).stdout)


def test_locate_an_id_in_any_written_form(built):
    person = built.people[5]  # written in the note as `110105 19901119 102x` (spaced, lower-case x)
    number = person.resident_id
    legacy = number[:6] + number[8:17]  # the 15-digit form of the same number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    places = [locate(built, "--id", form)["places"] for form in (number, number.lower(), legacy, full_width,
                                                                  f"{number[:6]} {number[6:14]} {number[14:]}")]
    assert all(p == places[0] for p in places)
    assert [(p["path"], p["location"]) for p in places[0]] == [(str(built.files["txt"]), {"line": 2})]


def test_locate_across_files_and_databases_with_the_record(built):
    person = built.people[1]  # in the roster (row 3) and in the database table (row 1)
    result = locate(built, "--id", person.resident_id)
    assert [(p["path"], p["location_text"]) for p in result["places"]] == [
        (str(built.files["xlsx"]), "sheet=客户 cell=B3"), (DB_TABLE, "table=public.clients row=1 column=id_no")]
    roster = result["places"][0]
    assert sorted(r["entity_type"] for r in roster["same_record"]) == ["CN_BANK_CARD", "CN_MOBILE", "PERSON"]
    assert all("*" in r["masked"] for r in roster["same_record"])
    assert result["files"] == 2


def test_locate_phone_card_name_together(built):
    p = built.people
    result = locate(built, "--phone", f"+86 {p[0].mobile[:3]}-{p[0].mobile[3:7]}-{p[0].mobile[7:]}",
                    "--card", " ".join(p[3].card[k:k + 4] for k in range(0, len(p[3].card), 4)), "--name", p[4].name)
    found = {(r["matched_by"], r["path"], r["location_text"]) for r in result["places"]}
    assert found == {("phone", str(built.files["xlsx"]), "sheet=客户 cell=C2"),
                     ("phone", str(built.files["csv"]), "row=2 column=手机"),
                     ("card", str(built.files["xlsx"]), "sheet=客户 cell=D5"),
                     ("name", str(built.files["csv"]), "row=3 column=姓名")}


def test_locate_not_found_and_invalid(built):
    p = built.people
    stranger = make_people(1, seed=99)[0].mobile
    assert stranger not in {person.mobile for person in p}
    assert locate(built, "--phone", stranger, code=0)["places"] == []
    bad = p[1].resident_id[:-1] + ("0" if p[1].resident_id[-1] != "0" else "1")
    done = run_cli("locate", "--inventory", built.url, "--id", bad, check_code=2)
    assert "not a resident or permanent-residence ID number" in done.stderr and bad not in done.stderr
    assert run_cli("locate", "--inventory", built.url, check_code=2).stderr.count("\n") == 1


@pytest.mark.parametrize("source", ["inventory", "scan"])
def test_impact_of_the_share(built, source):
    extra = ["--inventory", built.url] if source == "inventory" else ["--no-ner", "--jobs", "1"]
    figures = json.loads(run_cli("impact", str(built.root), *extra, "--json", check_code=1).stdout)
    # people 0-4 and 6 (roster and contacts; person 0 in both, joined by the mobile) and person 5 (the note)
    assert figures["persons"] == 7 and figures["persons_by_tier"] == {"C2": 7}
    assert figures["persons_by_entity"] == {"CN_BANK_CARD": 4, "CN_MOBILE": 6, "CN_RESIDENT_ID": 5, "PERSON": 6}
    assert figures["minors_under_14"] == 1 and figures["minors_under_18"] == 1  # person 0, aged 9
    assert figures["persons_with_sensitive_pi"] == 4  # the roster's card holders
    assert figures["sensitive_by_category"] == {"financial_account": 4, "minor_under_14": 1}
    assert (figures["files"], figures["files_with_pi"], figures["records_with_pi"]) == (5, 3, 4 + 3 + 1)
    assert [e["path"] for e in figures["errors"]] == [str(built.files["broken"])]


def test_impact_of_a_folder_and_a_table(built):
    one = json.loads(run_cli("impact", str(built.root / "客户"), "--inventory", built.url, "--json",
                             check_code=1).stdout)
    assert one["persons"] == 6 and one["files"] == 2 and one["errors"] == []
    both = json.loads(run_cli("impact", str(built.root), DB_TABLE.split("#")[0], "--inventory", built.url,
                              "--json", check_code=1).stdout)
    assert both["persons"] == 8  # + person 7; person 1 is in the roster too
    clean = run_cli("impact", str(built.root / "空"), "--inventory", built.url, "--json", check_code=0)
    assert json.loads(clean.stdout)["persons"] == 0
    assert run_cli("impact", "/nowhere/at/all", check_code=2).stderr.startswith("piiscan: error: no such file")
