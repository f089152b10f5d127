"""Generate the held-out domain prose set: résumés of directors, contract parties
and consultation notes in the style of the firms piiscan serves, with the cue
patterns that matter (于学东，男，/ 顾先生 / 袁会琼（监事会主席）/ 法定代表人：…) and
decoys beside them: job titles, company short names, places, products, order
numbers, amounts, dates. All names are fake (Faker zh_CN, compound and minority
names added); no text is tuned on: it is a test set only.

    python training/ner/make_domain_prose.py   # writes training/ner/data/heldout_domain_prose.jsonl
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from faker import Faker

OUT = Path(__file__).resolve().parent / "data" / "heldout_domain_prose.jsonl"
COMPOUND = "欧阳 司马 诸葛 上官 东方 皇甫 慕容 司徒 夏侯 令狐".split()
MINORITY = "阿依古丽 买买提 热依拉 艾力 古丽娜尔 吐尔逊 帕提古丽 扎西 次仁 卓玛 格桑".split()
TITLES = "市长 科科长 总经理 董事长 财务总监 监事会主席 独立董事 副总裁 主办会计 区长 处长 行长".split()
SHORT_COMPANIES = "东方日升 泰盛 华为 格力 万科 美的 海尔 京东 中信 招商 平安 恒瑞".split()
ROLES = "监事会主席 财务负责人 董事会秘书 法定代表人 总经理 独立董事 股东 主办会计".split()
CUES = "甲方 乙方 法定代表人 联系人 经办人 委托代理人 借款人 担保人 收款人 负责人".split()
HONORIFICS = "先生 女士".split()
TEMPLATES = [
    "{P}，{sex}，{year}年出生，中国国籍，无境外永久居留权，本科学历。曾任{co}公司{title}，现任本公司董事。",
    "{P}，{sex}，汉族，{year}年{month}月生，硕士研究生，高级会计师，{year2}年起任{co}{title}。",
    "{P}：{sex}，{year}年出生，大专学历，历任{place}财政局科员、{co}公司{title}。",
    "{cue}：{P}，身份证号码见附件，住所地{place}。",
    "{cue}：{P}，联系电话见签字页；{cue2}：{co}股份有限公司。",
    "本合同由{cue}{P}与{cue2}{Q}于{date}签订，金额人民币{amount}元，订单号{order}。",
    "{S}来电咨询代账事宜，称其公司{co}本月发票代码{invoice}需作废重开。",
    "今日{S}到访，{title}{Q}陪同，双方就{amount}元尾款达成一致。",
    "{P}（{role}）表示，{co}今年营收增长{pct}%，{title}已批准预算。",
    "据{P}介绍，{place}项目已于{date}完工，{co}负责验收。",
    "股东{P}、{Q}分别持有{pct}%和{pct2}%的股权，{co}未参与。",
    "经{P}同意，财务部将{amount}元转入{co}账户，流水号{order}。",
    "{P}{hon}，您好！您于{date}提交的材料已收到，请联系经办人{Q}。",
    "会议由{title}{P}主持，{Q}（{role}）记录。",
]


class Prose:
    def __init__(self, seed: int):
        self.rng, self.fake = random.Random(seed), Faker("zh_CN")
        self.fake.seed_instance(seed)

    def name(self) -> str:
        roll = self.rng.random()
        if roll < 0.08:
            return self.rng.choice(COMPOUND) + self.fake.first_name()
        if roll < 0.12:
            return "·".join(self.rng.sample(MINORITY, 2))
        return self.fake.name()

    def record(self) -> dict:
        template = self.rng.choice(TEMPLATES)
        r, f = self.rng, self.fake
        fill = {"sex": r.choice("男女"), "year": r.randrange(1955, 1995), "year2": r.randrange(2005, 2024),
                "month": r.randrange(1, 13), "co": r.choice(SHORT_COMPANIES), "title": r.choice(TITLES),
                "place": f.city_name() + f.district() + "区", "cue": r.choice(CUES), "cue2": r.choice(CUES),
                "date": f.date(), "amount": f"{r.uniform(1000, 999999):,.2f}", "order": f"DD{r.randrange(10**11, 10**12)}",
                "invoice": str(r.randrange(10**11, 10**12)), "role": r.choice(ROLES), "pct": r.randrange(1, 60),
                "pct2": r.randrange(1, 40), "hon": r.choice(HONORIFICS)}
        people = {"P": self.name(), "Q": self.name(), "S": f.last_name()}
        text, entities = "", []
        for piece in _split(template):
            key = piece[1:-1] if piece.startswith("{") else None
            if key in people:
                value = people[key] + (fill["hon"] if key == "S" else "")  # 顾先生: the mention of a person
                entities.append({"type": "PERSON", "start": len(text), "end": len(text) + len(value)})
                text += value
            else:
                text += str(fill[key]) if key else piece
        return {"text": text, "entities": entities}


def _split(template: str) -> list[str]:
    pieces, i = [], 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            pieces.append(template[i:])
            break
        if j > i:
            pieces.append(template[i:j])
        k = template.index("}", j)
        pieces.append(template[j:k + 1])
        i = k + 1
    return pieces


def main() -> None:
    prose = Prose(20261205)
    records = [prose.record() for _ in range(260)]
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    print(f"{len(records)} texts, {sum(len(r['entities']) for r in records)} person mentions -> {OUT}")


if __name__ == "__main__":
    main()
