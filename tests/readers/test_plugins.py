"""A third-party reader registered under the piiscan.readers entry-point group is used."""

import json
import sys
import textwrap

from typer.testing import CliRunner

from piiscan.cli import app
from piiscan.sources import readers


def test_a_third_party_reader_is_picked_up(scanner, tmp_path, monkeypatch):
    package = tmp_path / "site"
    (package / "piiscan_vcf").mkdir(parents=True)
    (package / "piiscan_vcf" / "__init__.py").write_text(textwrap.dedent('''
        from piiscan.core.model import TextUnit

        class VcardReader:
            name = "vcard"
            suffixes = (".vcf",)

            def read(self, path):
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    yield TextUnit(line, {"line": number})
    '''), encoding="utf-8")
    dist = package / "piiscan_vcf-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: piiscan-vcf\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[piiscan.readers]\nvcard = piiscan_vcf:VcardReader\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(package))
    readers.refresh()
    try:
        assert "vcard" in readers.available()
        card = tmp_path / "client.vcf"
        card.write_text("BEGIN:VCARD\nTEL:13800138000\nEND:VCARD\n", encoding="utf-8")
        result = scanner.scan_file(card)
        assert result.reader == "vcard"
        assert [(f.entity_type, f.location) for f in result.findings] == [("CN_MOBILE", {"line": 2})]
        listed = json.loads(CliRunner().invoke(app, ["plugins", "--json"]).output)
        assert [row for row in listed if row["name"] == "vcard"] == [
            {"kind": "reader", "group": "piiscan.readers", "name": "vcard", "object": "piiscan_vcf:VcardReader",
             "distribution": "piiscan-vcf"}]
    finally:
        sys.modules.pop("piiscan_vcf", None)
        monkeypatch.undo()  # off sys.path before the registry reads it again
        readers.refresh()
