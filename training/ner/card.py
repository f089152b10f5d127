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


def _score_rows(scores: dict, types=TYPES) -> list[str]:
    lines = []
    for key, title in SETS:
        for i, kind in enumerate(types):
            o, e = scores[key][kind]["overlap"], scores[key][kind]["exact"]
            lines.append(f"| {title if i == 0 else ''} | {kind} | {o['precision']:.3f} | {o['recall']:.3f} | "
                         f"**{o['f1']:.3f}** | {e['precision']:.3f} | {e['recall']:.3f} | {e['f1']:.3f} | {o['gold']} |")
    return lines


HEADER = ["| held-out set | type | overlap P | overlap R | overlap F1 | exact P | exact R | exact F1 | gold |",
          "|---|---|---|---|---|---|---|---|---|"]


def render(metrics: dict) -> str:
    ours, theirs = metrics["speed"]["piiscan"], metrics["speed"]["spacy"]
    lines = ["The model, read by piiscan (`training/ner/evaluate.py`: tag scores decoded into the best valid "
             "BIO path, no rules):", "", *HEADER, *_score_rows(metrics)]
    lines += ["", "The whole Detector — model, gate and rules, as `piiscan eval DATASET --entities "
              "PERSON,CN_ADDRESS,ORGANIZATION` runs it (a bare name with no header or cue is not reported, "
              "by design):", "", *HEADER, *_score_rows(metrics["detector"], TYPES[:3])]
    lines += [
        "",
        "| speed (one process, one thread, best of 3 passes) | chars/s | chars per CPU-second |",
        "|---|---|---|",
        f"| piiscan's NER ({ours['texts']} held-out documents of ~1,000 chars, {ours['chars']:,} chars) | "
        f"{ours['chars_per_second']:,} | {ours['chars_per_cpu_second']:,} |",
        f"| spaCy's `nlp.pipe` on the same documents (tagger + entity_ruler) | {theirs['chars_per_second']:,} | "
        f"{theirs['chars_per_cpu_second']:,} |",
        f"| load (`spacy.load` + first call) | {metrics['load_seconds']:.2f} s | |",
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
    # card.py [MODEL] [--detector]: --detector measures the whole Detector's figures again
    # (a rule changed since training) into metrics.json before writing the card
    args = [a for a in sys.argv[1:] if a != "--detector"]
    model = Path(args[0] if args else Path(__file__).parents[2] / "models" / "zh_piiscan")
    metrics = json.loads((model / "metrics.json").read_text(encoding="utf-8"))
    if "--detector" in sys.argv:
        sys.path.insert(0, str(Path(__file__).parent))
        from train import detector_scores

        metrics["detector"] = detector_scores(model)
        (model / "metrics.json").write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    update_card(model / "MODEL_CARD.md", metrics)
