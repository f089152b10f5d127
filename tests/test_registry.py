"""One registry for every extension kind: built-ins load from piiscan's own entry points,
a third-party distribution adds its own, clashes and unknown names are one-line errors,
and `piiscan plugins` lists them all without loading the detection stack."""

import json
import subprocess
import sys
import textwrap

import pytest
from presidio_anonymizer.operators import Operator
from typer.testing import CliRunner

from piiscan.classify.policy import PolicyError, load_policy
from piiscan.cli import app
from piiscan.core import registry
from piiscan.classify.masking import mask
from piiscan.detect import validators
from piiscan.detect.validators import Verdict

BUILT_IN = {
    "reader": {"text", "csv", "xlsx", "docx", "pdf", "xls", "pptx", "json", "html", "xml", "eml", "archive", "doc",
               "rtf", "image", "sql"},
    "writer": {"text", "csv", "xlsx", "docx", "pdf", "json", "html", "pptx", "xls", "archive", "eml", "sqlite", "image",
               "doc", "rtf", "xml"},
    "validator": {"gb11643_resident_id", "gb11643_legacy_15", "permanent_residence_id", "luhn_bank_card",
                  "cn_mobile", "cn_landline", "gb32100_uscc", "document_number", "license_plate", "email",
                  "ip_address", "person_name", "cn_address", "auth_value", "amount", "category_keyword"},
    "masking rule": {"keep_ends", "mobile", "landline", "email", "ip", "uscc", "document", "person", "address",
                     "amount_range", "full", "none"},
    "operator": {"mask", "redact", "replace", "pseudonymize", "surrogate", "encrypt"},
    "findings format": {"jsonl", "json", "csv"},
    "report format": {"xlsx", "csv", "json", "html"},
}


@pytest.fixture
def third_party(tmp_path, monkeypatch):
    """Puts a distribution `piiscan-extra` on sys.path: a module and its entry_points.txt."""
    made = []

    def install(code: str, entry_points: str, module: str = "piiscan_extra"):
        site = tmp_path / f"site-{module}"
        (site / module).mkdir(parents=True)
        (site / module / "__init__.py").write_text(textwrap.dedent(code), encoding="utf-8")
        dist = site / f"{module}-1.0.dist-info"
        dist.mkdir()
        name = module.replace("_", "-")
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
        (dist / "entry_points.txt").write_text(textwrap.dedent(entry_points), encoding="utf-8")
        monkeypatch.syspath_prepend(str(site))
        made.append(module)
        registry.refresh_all()

    yield install
    for module in made:
        sys.modules.pop(module, None)
    monkeypatch.undo()  # off sys.path before the registries read it again
    registry.refresh_all()


EXTRA = '''
    class TsvFindings:
        def __init__(self, out, show_values=False):
            self.out = out

        def write(self, finding):
            self.out.write(f"{finding.entity_type}\\t{finding.masked}\\n")

        def write_file(self, result):
            pass

        def close(self, summary):
            self.out.flush()

    def hashes(value):
        return "#" * len(value)
'''
EXTRA_ENTRY_POINTS = '''
    [piiscan.findings_formats]
    tsv = piiscan_extra:TsvFindings

    [piiscan.mask_rules]
    hashes = piiscan_extra:hashes
'''


def test_every_built_in_is_declared_by_piiscan_and_loads():
    for kind in registry.KINDS:
        assert set(kind.names()) == BUILT_IN[kind.kind], kind.kind
        assert {e.distribution for e in kind.entries()} == {"piiscan"}
        loaded = kind.load_all()
        assert all(callable(obj) for obj in loaded.values())
    assert all(issubclass(cls, Operator) for cls in registry.OPERATORS.load_all().values())
    assert isinstance(validators.get("cn_mobile")("13800138000"), Verdict)
    assert registry.MASK_RULES.get("mobile")("13800138000") == "138****8000"


def test_an_unknown_name_is_one_line_listing_the_known_ones():
    with pytest.raises(KeyError) as caught:
        validators.get("no_such_check")
    message = str(caught.value)
    assert message.startswith("unknown validator 'no_such_check'; known: amount, auth_value, ")
    assert "\n" not in message
    with pytest.raises(registry.UnknownName, match=r"^unknown findings format 'xml'; known: csv, json, jsonl$"):
        registry.FINDINGS_FORMATS.get("xml")


def test_a_policy_naming_an_unknown_masking_rule_fails_with_file_and_key(tmp_path):
    overlay = tmp_path / "policy.yaml"
    overlay.write_text("entities:\n  CN_MOBILE:\n    mask: {rule: stars}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(overlay)
    assert str(caught.value).startswith(f"{overlay}: entities.CN_MOBILE.mask.rule: Value error, "
                                        "unknown masking rule 'stars'; known: address, amount_range")


def test_an_unknown_operator_is_a_usage_error():
    result = CliRunner().invoke(app, ["redact", "x.txt", "--out", "out", "--operator", "scramble"])
    assert str(result.exception) == ("unknown operator 'scramble'; use one of encrypt, mask, pseudonymize, "
                                     "redact, replace, surrogate")


def test_a_third_party_mask_rule_and_findings_format_are_used_and_listed(third_party, tmp_path):
    third_party(EXTRA, EXTRA_ENTRY_POINTS)
    listed = json.loads(CliRunner().invoke(app, ["plugins", "--json"]).output)
    ours = [(row["kind"], row["name"], row["object"]) for row in listed if row["distribution"] == "piiscan-extra"]
    assert ours == [("masking rule", "hashes", "piiscan_extra:hashes"),
                    ("findings format", "tsv", "piiscan_extra:TsvFindings")]
    assert len(listed) == sum(len(names) for names in BUILT_IN.values()) + 2

    overlay = tmp_path / "policy.yaml"
    overlay.write_text("entities:\n  CN_MOBILE:\n    mask: {rule: hashes}\n", encoding="utf-8")
    assert mask("CN_MOBILE", "13800138000", load_policy(overlay)) == "#" * 11

    sample = tmp_path / "client.txt"
    sample.write_text("客户手机号码：13800138000\n", encoding="utf-8")
    out = tmp_path / "findings.tsv"
    result = CliRunner().invoke(app, ["scan", str(sample), "--format", "tsv", "--out", str(out), "--no-ner",
                                      "--policy", str(overlay), "--quiet"])
    assert result.exit_code == 1, result.output
    assert out.read_text(encoding="utf-8") == "CN_MOBILE\t###########\n"


def test_two_distributions_claiming_one_name_are_refused(third_party):
    third_party("def stars(value):\n    return '*'\n", "[piiscan.mask_rules]\nmobile = piiscan_extra:stars\n")
    with pytest.raises(registry.RegistryError) as caught:
        registry.MASK_RULES.names()
    assert str(caught.value) == ("masking rule 'mobile' is registered twice: by piiscan-extra (piiscan_extra:stars) "
                                 "and by piiscan (piiscan.classify.masking:_mask_mobile) in group piiscan.mask_rules"
                                 ) or str(caught.value) == (
        "masking rule 'mobile' is registered twice: by piiscan (piiscan.classify.masking:_mask_mobile) "
        "and by piiscan-extra (piiscan_extra:stars) in group piiscan.mask_rules")


def test_plugins_loads_neither_presidio_nor_spacy():
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom piiscan.cli import app\n"
            "result = CliRunner().invoke(app, ['plugins'])\nassert result.exit_code == 0, result.output\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'presidio_analyzer', 'presidio_anonymizer', "
            "'spacy', 'thinc', 'pandas'}))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_every_suffix_scan_reads_has_a_writer():
    """redact writes a copy of every file type scan reads (issue 19): no reader
    suffix is left to `skipped`."""
    from piiscan.protect.writers import available as writers
    from piiscan.sources.readers import available as readers

    written = {s for cls in writers().values() for s in cls.suffixes}
    read = {s for cls in readers().values() for s in cls.suffixes}
    assert read - written == set()
