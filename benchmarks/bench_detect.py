"""Identifier detection throughput: piiscan's Detector vs Presidio configured as a
user would, on the same texts, in the same run.

Baseline: AnalyzerEngine(nlp_engine=<a blank zh pipeline saved to disk, via
NlpEngineProvider>, registry=<the same recognizers added with add_recognizer>),
Presidio's default LemmaContextAwareEnhancer, analyzer.analyze(text, "zh").

Presidio's analyze() is super-linear on long texts, so the long document is
timed for Presidio on doubling prefixes until one run exceeds --budget seconds;
the ratio is taken on the largest prefix both engines ran, and says so.

The NER stage (names, addresses, organisations) is timed beside the identifier
stage on one prose document, with the model's load time.

    python benchmarks/bench_detect.py [--quick] [--ner-only] [--json FILE] [--budget SECONDS]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

import spacy

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider

from piiscan.detect.engine import Detector, build_analyzer, pipeline_path
from piiscan.detect.recognizer import load_recognizers, load_specs
from piiscan.detect.validators.bank_card import _bin_table, luhn_valid
from piiscan.detect.validators.resident_id import gb11643_check_char

# The identifier recognizers of the foundation issue: both engines get exactly these.
IDENTIFIER_IDS = {"cn_resident_id", "cn_resident_id_15", "cn_permanent_residence_id", "cn_bank_card", "cn_mobile",
                  "cn_landline", "cn_passport", "cn_hk_macau_permit", "cn_home_return_permit", "cn_taiwan_permit",
                  "cn_license_plate", "cn_uscc", "email_address", "ip_address"}


class Corpus:
    """Seeded fake texts with planted identifiers (entity, value) to measure recall."""

    def __init__(self, seed: int = 7):
        self.rng = random.Random(seed)
        self.bins = sorted(b for b, i in _bin_table().items() if i.length == 19 and b.startswith("62"))

    def resident_id(self) -> str:
        body = (self.rng.choice(["110101", "310104", "440305", "330106"]) + str(self.rng.randint(1950, 2005))
                + f"{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}{self.rng.randint(0, 999):03d}")
        return body + gb11643_check_char(body)

    def card(self) -> str:
        body = self.rng.choice(self.bins)
        body += "".join(str(self.rng.randint(0, 9)) for _ in range(18 - len(body)))
        return next(body + d for d in "0123456789" if luhn_valid(body + d))

    def mobile(self) -> str:
        return self.rng.choice(["138", "139", "186", "150"]) + f"{self.rng.randint(0, 99999999):08d}"

    def cells(self, count: int) -> tuple[list[str], list[tuple[str, str]]]:
        """A roster's cells: names, IDs, phones, cards, addresses, dates, amounts, remarks."""
        planted, cells = [], []
        names = ["王芳", "李娜", "张伟", "欧阳娜娜", "刘洋", "陈静"]
        for i in range(count):
            kind = i % 8
            if kind == 1:
                value = self.resident_id()
                planted.append(("CN_RESIDENT_ID", value))
            elif kind == 2:
                value = self.mobile()
                planted.append(("CN_MOBILE", value))
            elif kind == 3:
                value = self.card()
                planted.append(("CN_BANK_CARD", value))
            else:
                value = [self.rng.choice(names), "", "", "", "北京市朝阳区建国路88号", "2024-03-15",
                         f"{self.rng.randint(100, 99999)}.00", "已结清，无备注"][kind]
            cells.append(value)
        return cells, planted

    def document(self, size: int) -> tuple[str, list[tuple[str, str]]]:
        """Contract and consultation-note prose with identifiers every few lines."""
        prose = ["本协议由双方在平等自愿的基础上协商一致签订，双方应遵守国家有关法律法规。",
                 "乙方应按期支付代理记账服务费，逾期未付的，甲方有权暂停提供服务并要求赔偿。",
                 "客户来电咨询个人所得税汇算清缴事宜，已告知所需材料及办理流程。"]
        planted, lines, length = [], [], 0
        while length < size:
            kind = self.rng.randint(0, 19)  # about one line in seven carries an identifier
            if kind == 0:
                value = self.resident_id()
                line, entity = f"甲方身份证号码：{value}，", "CN_RESIDENT_ID"
            elif kind == 1:
                value = self.mobile()
                line, entity = f"联系电话{value}。", "CN_MOBILE"
            elif kind == 2:
                value = self.card()
                line, entity = f"收款账户：{value}（开户行：中国工商银行）", "CN_BANK_CARD"
            else:
                value, line, entity = None, self.rng.choice(prose), None
            if value:
                planted.append((entity, value))
            lines.append(line)
            length += len(line) + 1
        return "\n".join(lines), planted


def presidio_as_a_user_would(blank_zh: Path) -> AnalyzerEngine:
    """A blank zh pipeline, as the baseline is specified: the shipped one also runs
    NER, which would make the identifier comparison unfair to Presidio."""
    spacy.blank("zh").to_disk(blank_zh)
    provider = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "zh", "model_name": str(blank_zh)}]})
    registry = RecognizerRegistry(supported_languages=["zh"])
    for recognizer in load_recognizers(("zh",)):
        if recognizer.name in IDENTIFIER_IDS:
            registry.add_recognizer(recognizer)
    return AnalyzerEngine(nlp_engine=provider.create_engine(), registry=registry, supported_languages=["zh"])


def best_of(repeats: int, run) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def recall(planted, found_values) -> float:
    found = set(found_values)
    return sum(1 for p in planted if p in found) / len(planted) if planted else 1.0


PEOPLE = ["王芳", "李娜", "张伟", "欧阳娜娜", "刘洋", "陈静", "诸葛明远", "阿依古丽·买买提", "司马光", "黄晓明"]
PLACES = ["北京市朝阳区建国路88号3栋2单元501室", "广东省深圳市南山区科技园路1号", "浙江省杭州市西湖区文三路90号",
          "上海市浦东新区张江路100弄5号1203室"]
FIRMS = ["上海加喜财税有限公司", "中国工商银行北京分行", "深圳市南山区税务局", "杭州云帆科技有限公司"]
CLAUSES = ["甲方{p}与乙方{q}于2023年5月在{a}签订本协议，双方同意由{f}代为办理相关手续。",
           "客户{p}来电咨询个人所得税汇算清缴事宜，表示其配偶{q}现住{a}，已告知所需材料。",
           "经{f}介绍，{p}将其持有的股权转让给{q}，转让价款已于本月支付完毕。",
           "本合同项下的通知应以书面形式送达{a}，收件人为{p}，抄送{f}法务部。",
           "{p}在{f}担任财务经理，负责代理记账业务，联系人为{q}。",
           "会议纪要：出席人员包括{p}、{q}及{f}的两名代表，会议讨论了下一季度的预算安排。"]


def prose_document(size: int, seed: int = 11) -> str:
    """Contract and consultation-note prose with names, addresses and companies
    (the NER stage's input); as long as `size` characters."""
    rng = random.Random(seed)
    lines, length = [], 0
    while length < size:
        line = rng.choice(CLAUSES).format(p=rng.choice(PEOPLE), q=rng.choice(PEOPLE), a=rng.choice(PLACES),
                                          f=rng.choice(FIRMS))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines)


def timed(repeats: int, run) -> tuple[float, float, object]:
    """(best wall seconds, CPU seconds of that pass, result): on a shared machine the
    process's CPU time says what one core does, whatever else runs."""
    best, cpu, result = float("inf"), 0.0, None
    for _ in range(repeats):
        wall, used = time.perf_counter(), time.process_time()
        result = run()
        wall, used = time.perf_counter() - wall, time.process_time() - used
        if wall < best:
            best, cpu = wall, used
    return best, cpu, result


def ner_stage(size: int, repeats: int) -> dict:
    """The NER stage beside the identifier stage, on the same prose (chars/s on one
    core), and the model's load time."""
    from piiscan.detect.ner.tagging import numpy_ops

    started = time.perf_counter()
    with numpy_ops():
        nlp = spacy.load(pipeline_path("zh"))
        nlp("预热")
    load = time.perf_counter() - started
    if "ner" not in nlp.pipe_names:
        print("\nNER stage: the zh pipeline has no NER model")
        return {}
    document = prose_document(size)
    analyzer = build_analyzer(("zh",))
    identifiers = Detector(analyzer, entities=sorted({s.entity for s in load_specs() if s.id in IDENTIFIER_IDS}))
    names = Detector(analyzer, entities=["PERSON", "CN_ADDRESS", "ORGANIZATION"])
    names.detect(document[:2000])
    accurate = Detector(analyzer, entities=["PERSON", "CN_ADDRESS", "ORGANIZATION"], ner="accurate")
    accurate.detect(document[:2000])  # loads LAC's ONNX model
    stages = {"identifier stage": lambda: identifiers.detect(document),
              "NER stage, --ner fast (Detector: PERSON, CN_ADDRESS, ORG.)": lambda: names.detect(document),
              "NER stage, --ner accurate (+ LAC's second opinion)": lambda: accurate.detect(document),
              "spaCy pipeline alone (nlp.pipe, tagger + entity_ruler)": lambda: list(
                  nlp.pipe(document.splitlines(), batch_size=256))}
    chars = len(document)
    result = {"chars": chars, "load_seconds": round(load, 3), "stages": {}}
    print(f"\nNER stage beside the identifier stage, one {chars:,}-character prose document, one process, "
          f"best of {repeats}:")
    for stage, run in stages.items():
        wall, cpu, _ = timed(repeats, run)
        result["stages"][stage] = {"chars_per_second": round(chars / wall), "chars_per_cpu_second": round(chars / cpu)}
        print(f"  {stage:58} {chars / wall:>12,.0f} chars/s   {chars / cpu:>12,.0f} chars per CPU-second")
    found = names.detect(document)
    print(f"  ({len(found)} names, addresses and organisations found; model load {load:.2f} s: "
          f"spacy.load + first call)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--json", dest="json_out", help="also write the results here")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds one Presidio run of a prefix may take")
    parser.add_argument("--ner-only", action="store_true", help="only the NER stage beside the identifier stage")
    args = parser.parse_args()
    cell_count, doc_size, repeats = (2_000, 30_000, 1) if args.quick else (20_000, 300_000, 3)
    if args.ner_only:
        figures = ner_stage(doc_size // 3, repeats)
        if args.json_out:
            with open(args.json_out, "w", encoding="utf-8") as fh:
                json.dump({"ner_stage": figures}, fh, indent=1, ensure_ascii=False)
        return

    entities = sorted({s.entity for s in load_specs() if s.id in IDENTIFIER_IDS})
    ours = Detector(build_analyzer(("zh",)), entities=entities, min_score=0.0)
    theirs = presidio_as_a_user_would(Path(tempfile.mkdtemp()) / "zh_blank")
    corpus = Corpus()
    cells, cell_planted = corpus.cells(cell_count)
    document, doc_planted = corpus.document(doc_size)
    rows = []

    # (a) short cells
    cell_bytes = sum(len(c.encode("utf-8")) for c in cells)
    our_time, our_found = best_of(repeats, lambda: [(d.entity_type, d.value) for c in cells for d in ours.detect(c)])
    their_time, their_found = best_of(1, lambda: [(r.entity_type, c[r.start:r.end]) for c in cells
                                                  for r in theirs.analyze(c, language="zh")])
    rows.append({"dataset": f"short cells ({len(cells)})", "bytes": cell_bytes, "ours_s": our_time,
                 "presidio_s": their_time, "ours_findings": len(our_found), "presidio_findings": len(their_found),
                 "ours_recall": recall(cell_planted, our_found), "presidio_recall": recall(cell_planted, their_found),
                 "ours_us_per_cell": our_time / len(cells) * 1e6, "presidio_us_per_cell": their_time / len(cells) * 1e6})

    # (b) one long document: Presidio on doubling prefixes within the budget
    size, timed = 4096, None
    while size <= len(document):
        prefix = document[:size]
        their_time, their_found = best_of(1, lambda: theirs.analyze(prefix, language="zh"))
        timed = (size, their_time, their_found)
        print(f"  presidio on a {size:,}-character prefix: {their_time:.2f} s", flush=True)
        if their_time > args.budget or size == len(document):
            break
        size = min(len(document), size * 2)
    size, their_time, their_found = timed
    prefix = document[:size]
    our_prefix_time, our_prefix_found = best_of(repeats, lambda: ours.detect(prefix))
    our_full_time, our_full_found = best_of(repeats, lambda: ours.detect(document))
    prefix_planted = [p for p in doc_planted if p[1] in prefix]
    rows.append({"dataset": f"long document, {size:,}-char prefix" + (" (whole)" if size == len(document) else ""),
                 "bytes": len(prefix.encode("utf-8")), "ours_s": our_prefix_time, "presidio_s": their_time,
                 "ours_findings": len(our_prefix_found), "presidio_findings": len(their_found),
                 "ours_recall": recall(prefix_planted, [(d.entity_type, d.value) for d in our_prefix_found]),
                 "presidio_recall": recall(prefix_planted, [(r.entity_type, prefix[r.start:r.end]) for r in their_found])})
    rows.append({"dataset": f"long document, whole {len(document):,} chars (ours only)",
                 "bytes": len(document.encode("utf-8")), "ours_s": our_full_time, "presidio_s": None,
                 "ours_findings": len(our_full_found), "presidio_findings": None,
                 "ours_recall": recall(doc_planted, [(d.entity_type, d.value) for d in our_full_found]),
                 "presidio_recall": None})

    print(f"\n{'dataset':48} {'MB':>6} {'ours s':>8} {'ours MB/s':>10} {'presidio s':>11} {'presidio MB/s':>14}"
          f" {'ratio':>7} {'findings o/p':>13} {'recall o/p':>11}")
    for row in rows:
        mb = row["bytes"] / 1e6
        row["ours_mb_s"] = mb / row["ours_s"]
        row["presidio_mb_s"] = mb / row["presidio_s"] if row["presidio_s"] else None
        row["ratio"] = row["presidio_s"] / row["ours_s"] if row["presidio_s"] else None
        presidio = (f"{row['presidio_s']:11.2f} {row['presidio_mb_s']:14.4f} {row['ratio']:6.1f}x"
                    if row["presidio_s"] else f"{'-':>11} {'-':>14} {'-':>7}")
        found = f"{row['ours_findings']}/{row['presidio_findings'] if row['presidio_findings'] is not None else '-'}"
        rec = f"{row['ours_recall']:.2f}/" + (f"{row['presidio_recall']:.2f}" if row["presidio_recall"] is not None else "-")
        print(f"{row['dataset']:48} {mb:6.3f} {row['ours_s']:8.3f} {row['ours_mb_s']:10.3f} {presidio} {found:>13} {rec:>11}")
    ner = ner_stage(doc_size // 3, repeats)
    cells_row = rows[0]
    print(f"\nshort cells: {cells_row['ours_us_per_cell']:.1f} µs per cell (ours) vs "
          f"{cells_row['presidio_us_per_cell']:.1f} µs (Presidio); best of {repeats} for ours, 1 run for Presidio")
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump({"rows": rows, "ner_stage": ner}, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
