"""The report template escapes what comes from the inventory (paths, headers, error
reasons can hold any characters) and passes only the charts through as markup."""
from __future__ import annotations

from markupsafe import Markup

from piiscan.reports import charts
from piiscan.reports.html import environment


def test_table_cells_and_tiers_are_escaped():
    macros = environment().get_template("macros.html.j2").module
    out = str(macros.table(["文件 <file>"], [['/srv/<script>alert(1)</script>"a.xlsx', '" onload="x']],
                           paths=(0,), tiers=(1,)))
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;&#34;a.xlsx" in out
    assert 'class="tier &#34; onload=&#34;x"' in out and "<th>文件 &lt;file&gt;</th>" in out
    assert '<td class="path">' in out


def test_an_empty_cell_is_empty_and_numbers_are_right_aligned():
    out = str(environment().get_template("macros.html.j2").module.table(["a", "b"], [[None, 1234]], numeric=(1,)))
    assert "<td></td>" in out and '<td class="num">1234</td>' in out


def test_a_chart_is_markup_and_its_labels_escaped_by_charts():
    svg = charts.bars([("<b>", 3)], colour="#000", title="t")
    assert "<b>" not in svg and isinstance(Markup(svg), Markup)
