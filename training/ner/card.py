"""Write the figures of metrics.json into MODEL_CARD.md, between the markers
<!-- metrics:start --> and <!-- metrics:end -->; the rest of the card is prose
kept by hand."""

from __future__ import annotations

import json
import sys
from pathlib import Path

START, END = "<!-- metrics:start -->", "<!-- metrics:end -->"
TYPES = ("PERSON", "CN_ADDRESS", "ORGANIZATION", "ALL")
SETS = (("cluener", "CLUENER held-out (real news, 1,075 sentences)"),
        ("synthetic", "synthetic held-out (our domain, 1,000 texts)"))


def render(metrics: dict) -> str:
    lines = ["| held-out set | type | overlap P | overlap R | overlap F1 | exact P | exact R | exact F1 | gold |",
             "|---|---|---|---|---|---|---|---|---|"]
    for key, title in SETS:
        result = metrics[key]
        for i, kind in enumerate(TYPES):
            o, e = result[kind]["overlap"], result[kind]["exact"]
            lines.append(f"| {title if i == 0 else ''} | {kind} | {o['precision']:.3f} | {o['recall']:.3f} | "
                         f"**{o['f1']:.3f}** | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {o['gold']} |")
    t, d = metrics["throughput"], metrics["throughput_documents"]
    nt, nd = metrics["no_blis"]["throughput"], metrics["no_blis"]["throughput_documents"]
    lines += [
        "",
        "| speed (one process, one thread, `nlp.pipe`, best of 3 passes) | thinc default ops (BLIS) | numpy ops (OpenBLAS) |",
        "|---|---|---|",
        f"| {t['texts']:,} held-out sentences as they are ({t['chars']:,} chars, batch {t['batch_size']}) | "
        f"{t['chars_per_second']:,} chars/s | {nt['chars_per_second']:,} chars/s |",
        f"| the same text as {d['texts']} documents of ~1,000 chars (batch {d['batch_size']}) | "
        f"{d['chars_per_second']:,} chars/s | {nd['chars_per_second']:,} chars/s |",
        f"| load (`spacy.load` + first call) | {metrics['load_seconds']:.2f} s | {metrics['no_blis']['load_seconds']:.2f} s |",
        "",
        f"Size on disk: {metrics['size_bytes'] / 1e6:.1f} MB. Command: `{metrics['command']}` "
        f"({metrics['wall_seconds'] / 60:.0f} min wall time on this machine).",
    ]
    return "\n".join(lines)


def update_card(card: Path, metrics: dict) -> None:
    text = card.read_text(encoding="utf-8")
    if START not in text or END not in text:
        return
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    card.write_text(f"{head}{START}\n{render(metrics)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    model = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "models" / "zh_piiscan")
    update_card(model / "MODEL_CARD.md", json.loads((model / "metrics.json").read_text(encoding="utf-8")))
