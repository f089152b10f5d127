"""Seeded synthetic text in piiscan's users' domain, with PERSON, CN_ADDRESS and
ORGANIZATION spans: client rosters, 债权/股权转让协议 clauses, consultation notes,
bank forms, letters. Everything is fake: Faker zh_CN plus our own lists.

    Synth(seed).example() -> (text, [(start, end_exclusive, label), ...])

The same seed gives the same sequence of examples (Faker and `random` are both
seeded per instance).
"""

from __future__ import annotations

import datetime
import random
from typing import Callable, Iterator

from faker import Faker

PERSON, ADDRESS, ORG = "PERSON", "CN_ADDRESS", "ORGANIZATION"

COMPOUND_SURNAMES = ["欧阳", "诸葛", "司马", "上官", "东方", "皇甫", "慕容", "令狐", "司徒", "夏侯", "公孙", "尉迟",
                     "长孙", "宇文", "澹台", "端木", "独孤", "南宫", "西门", "闻人", "呼延", "万俟", "轩辕", "钟离"]
RARE_SURNAMES = ["葛", "阎", "幸", "覃", "庞", "麦", "佘", "冼", "滕", "岑", "匡", "晏", "牟", "粟", "亓", "禤", "乜",
                 "靳", "缪", "甄", "蒯", "单", "仇", "区", "査", "解", "朴", "殷", "饶", "邝", "揭", "邬", "闫", "卞"]
GIVEN_CHARS = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华玉萍红鹏建波辉斌宇浩凯健俊帆帅旭宁龙林欢阳"
               "晨瑶琳雪婷倩颖佳嘉欣怡梓涵子轩浩然思远一诺雨泽博文宏志国庆海燕春梅秋菊冬晓东亮晶鑫淼森焱垚"
               "翔鹤鹏飞腾跃振兴家豪耀祖福禄寿喜德仁义礼智信忠孝廉耻勤俭恭谦安康泰和睦顺昌盛荣发达贤慧淑贞"
               "婉柔蓉莉萱馨璐瑾瑜璇琪琦珂玥彤彦昊昱晟晖炜烨煜熠铭锐锋钧铎钰铠瀚澜涛渊沛泓沁洁清源湘楠柏桐")
UYGHUR = ["阿依古丽", "买买提", "艾力", "吐尔逊", "热依汗", "古丽娜扎尔", "帕提古丽", "阿卜杜拉", "努尔", "迪丽热巴",
          "艾合买提", "阿不都", "玉素甫", "依明", "热合曼", "米热古丽", "祖丽皮亚", "阿力木", "艾尔肯", "亚森"]
TIBETAN = ["扎西", "多吉", "次仁", "卓玛", "格桑", "央金", "达瓦", "旺堆", "尼玛", "拉姆", "索朗", "平措", "德吉", "普布",
           "顿珠", "曲珍", "央宗", "洛桑", "丹增", "白玛"]
MONGOLIAN = ["巴特尔", "乌兰图雅", "其其格", "额尔敦", "苏和", "斯琴", "宝音", "那日松", "孟和", "朝鲁", "萨仁", "阿拉坦"]
WESTERN_GIVEN = ["约翰", "玛丽", "彼得", "大卫", "安娜", "迈克尔", "詹姆斯", "伊丽莎白", "托马斯", "凯瑟琳", "罗伯特", "索菲亚",
                 "威廉", "艾米丽", "丹尼尔", "奥利维亚", "亚历山大", "娜塔莎", "弗拉基米尔", "汉斯"]
WESTERN_FAMILY = ["史密斯", "约翰逊", "威廉姆斯", "布朗", "琼斯", "加西亚", "米勒", "戴维斯", "伊万诺夫", "彼得罗娃", "穆勒",
                  "施密特", "马丁", "贝尔纳", "罗西", "费雷拉", "田中", "佐藤", "铃木", "金", "朴"]
HONORIFICS = ["先生", "女士", "经理", "会计", "律师", "老师", "主任", "同志", "总经理", "董事长", "小姐"]
ROLES = ["甲方", "乙方", "丙方", "丁方", "转让方", "受让方", "出借人", "借款人", "保证人", "担保人", "联系人", "委托人",
         "受托人", "经办人", "债权人", "债务人", "出质人", "质权人", "抵押人", "申请人", "被申请人", "原告", "被告", "代理人"]

MUNICIPALITIES = ["北京市", "上海市", "天津市", "重庆市"]
CITIES = {"广东省": ["广州市", "深圳市", "佛山市", "东莞市", "珠海市", "惠州市", "汕头市"],
          "浙江省": ["杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市", "金华市", "台州市"],
          "江苏省": ["南京市", "苏州市", "无锡市", "常州市", "南通市", "徐州市", "扬州市"],
          "山东省": ["济南市", "青岛市", "烟台市", "潍坊市", "临沂市", "淄博市"],
          "四川省": ["成都市", "绵阳市", "德阳市", "宜宾市", "南充市"],
          "湖北省": ["武汉市", "宜昌市", "襄阳市", "荆州市"], "湖南省": ["长沙市", "株洲市", "湘潭市", "岳阳市"],
          "河南省": ["郑州市", "洛阳市", "开封市", "新乡市"], "福建省": ["福州市", "厦门市", "泉州市", "漳州市"],
          "河北省": ["石家庄市", "唐山市", "保定市", "廊坊市"], "辽宁省": ["沈阳市", "大连市", "鞍山市"],
          "陕西省": ["西安市", "宝鸡市", "咸阳市"], "安徽省": ["合肥市", "芜湖市", "蚌埠市"],
          "江西省": ["南昌市", "赣州市", "九江市"], "云南省": ["昆明市", "大理市", "曲靖市"],
          "黑龙江省": ["哈尔滨市", "齐齐哈尔市", "大庆市"], "吉林省": ["长春市", "吉林市"], "山西省": ["太原市", "大同市"],
          "广西壮族自治区": ["南宁市", "桂林市", "柳州市"], "新疆维吾尔自治区": ["乌鲁木齐市", "喀什市", "伊宁市"],
          "内蒙古自治区": ["呼和浩特市", "包头市", "鄂尔多斯市"], "西藏自治区": ["拉萨市", "日喀则市"],
          "贵州省": ["贵阳市", "遵义市"], "海南省": ["海口市", "三亚市"], "甘肃省": ["兰州市", "天水市"]}
DISTRICTS = ["朝阳区", "海淀区", "东城区", "西城区", "浦东新区", "徐汇区", "静安区", "黄浦区", "闵行区", "南山区", "福田区",
             "罗湖区", "宝安区", "龙岗区", "天河区", "越秀区", "番禺区", "西湖区", "上城区", "滨江区", "余杭区", "鼓楼区",
             "玄武区", "江宁区", "武侯区", "锦江区", "高新区", "经济技术开发区", "洪山区", "江汉区", "岳麓区", "金水区",
             "思明区", "市南区", "历下区", "雁塔区", "长安区", "和平区", "渝中区", "江北区", "新城区", "工业园区", "开发区"]
TOWN_SUFFIXES = ["镇", "乡", "街道", "街道办事处"]
ROAD_SUFFIXES = ["路", "路", "路", "街", "大道", "大街", "巷", "弄", "中路", "东路", "西路", "南路", "北路", "胡同"]
ESTATE_SUFFIXES = ["小区", "花园", "家园", "公寓", "大厦", "苑", "新村", "广场", "中心", "华府", "名苑", "国际"]
PLACE_CHARS = "东西南北中新华阳光明德福康宁安和平兴盛昌隆泰丰金银玉龙凤江河湖海山岭桥湾港城园林松柏桂梅兰竹春秋长永"

BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "中国银行", "交通银行", "招商银行", "上海浦东发展银行", "中信银行",
         "兴业银行", "中国民生银行", "平安银行", "北京银行", "上海银行", "宁波银行", "中国邮政储蓄银行", "华夏银行",
         "广发银行", "中国光大银行", "江苏银行", "杭州银行", "南京银行", "浙商银行", "渤海银行", "微众银行"]
GOV_BODIES = ["人民政府", "人民法院", "中级人民法院", "人民检察院", "公安局", "税务局", "市场监督管理局", "财政局",
              "人力资源和社会保障局", "住房公积金管理中心", "自然资源和规划局", "民政局", "司法局", "统计局", "审计局",
              "不动产登记中心", "公证处", "仲裁委员会", "街道办事处", "派出所"]
NATIONAL_GOV = ["国家税务总局", "中国人民银行", "国家金融监督管理总局", "中国证券监督管理委员会", "财政部", "公安部",
                "最高人民法院", "国家外汇管理局", "国务院国有资产监督管理委员会", "国家市场监督管理总局"]
INDUSTRIES = ["财税", "咨询", "科技", "贸易", "投资", "实业", "商务", "资产管理", "融资租赁", "信息技术", "网络科技",
              "建筑工程", "房地产开发", "物流", "餐饮管理", "文化传媒", "医疗器械", "企业管理", "供应链管理", "电子商务"]
ORG_SUFFIXES = ["有限公司", "有限公司", "有限责任公司", "股份有限公司", "集团有限公司", "合伙企业（有限合伙）", "事务所"]
REGION_CODES = ["110101", "110105", "110108", "310101", "310104", "310115", "440106", "440305", "440304", "330106",
                "320102", "320506", "510107", "420106", "370102", "370202", "610113", "500103", "120101", "350203",
                "410105", "430104", "650102", "540102", "150102", "450103", "210202", "230102", "130102", "360102"]
FIRMS = ["律师事务所", "会计师事务所（特殊普通合伙）", "税务师事务所有限公司", "资产评估有限公司", "小额贷款有限公司",
         "融资担保有限公司", "典当有限责任公司", "保险代理有限公司"]


def short(place: str) -> str:
    """上海市 -> 上海, 广西壮族自治区 -> 广西: the form used inside organisation names."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市"):
        if place.endswith(suffix) and len(place) > len(suffix) + 1:
            return place[: -len(suffix)]
    return place


class Synth:
    """Generator of fake labelled examples; deterministic for a given seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)

    # -- values ------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, seq):
        return self.rng.choice(seq)

    def given(self, n: int) -> str:
        if self.chance(0.5):
            first = self.fake.first_name()
            if len(first) == n:
                return first
        return "".join(self.pick(GIVEN_CHARS) for _ in range(n))

    def surname(self) -> str:
        roll = self.rng.random()
        if roll < 0.12:
            return self.pick(COMPOUND_SURNAMES)
        if roll < 0.2:
            return self.pick(RARE_SURNAMES)
        return self.fake.last_name()

    def name(self) -> str:
        roll = self.rng.random()
        if roll < 0.05:
            return self.pick(UYGHUR) + ("·" + self.pick(UYGHUR) if self.chance(0.7) else "")
        if roll < 0.08:
            return self.pick(TIBETAN) + (self.pick(TIBETAN) if self.chance(0.6) else "")
        if roll < 0.10:
            return self.pick(MONGOLIAN)
        if roll < 0.13:
            return self.pick(WESTERN_GIVEN) + self.pick(["·", "•", "・"]) + self.pick(WESTERN_FAMILY)
        return self.surname() + self.given(1 if self.chance(0.3) else 2)

    def place_word(self, n: int = 2) -> str:
        return "".join(self.pick(PLACE_CHARS) for _ in range(n))

    def region(self) -> list[str]:
        """Province, city and district or county, each present or not."""
        if self.chance(0.3):
            city = self.pick(MUNICIPALITIES)
            parts = [city]
        else:
            province = self.pick(list(CITIES))
            city = self.pick(CITIES[province])
            parts = [province, city] if self.chance(0.6) else [city]
        if self.chance(0.15):
            parts.append(self.fake.district() + "县")
        else:
            parts.append(self.pick(DISTRICTS) if self.chance(0.7) else self.fake.district() + "区")
        return parts

    def address(self) -> str:
        parts = self.region()
        if self.chance(0.15):  # drop the city or the district
            del parts[self.rng.randrange(len(parts))]
        if self.chance(0.1):  # village address
            parts += [self.place_word() + self.pick(["镇", "乡"]), self.place_word() + "村"]
            if self.chance(0.5):
                parts.append(f"{self.rng.randint(1, 12)}组")
            parts.append(f"{self.rng.randint(1, 200)}号")
            return "".join(parts)
        if self.chance(0.25):
            parts.append(self.place_word() + self.pick(TOWN_SUFFIXES))
        road = self.fake.street_name() if self.chance(0.3) else self.place_word(self.pick((1, 2, 2, 3))) + self.pick(
            ROAD_SUFFIXES)
        granularity = self.rng.random()
        if granularity < 0.08:  # just the region or the road
            return "".join(parts + ([road] if self.chance(0.5) else []))
        parts.append(road + f"{self.rng.randint(1, 2000)}{self.pick(['号', '号', '号', '弄'])}")
        if self.chance(0.35):
            parts.append(self.place_word() + self.pick(ESTATE_SUFFIXES))
        if granularity < 0.3:
            return "".join(parts)
        if self.chance(0.8):
            parts.append(f"{self.rng.randint(1, 40)}{self.pick(['栋', '幢', '号楼', '座', '栋'])}")
        if self.chance(0.55):
            parts.append(f"{self.rng.randint(1, 8)}单元")
        if self.chance(0.85):
            floor = self.rng.randint(1, 33)
            parts.append(f"{floor}{self.rng.randint(1, 12):02d}{self.pick(['室', '室', '室', '房', '号'])}")
        return "".join(parts)

    def company(self) -> str:
        roll = self.rng.random()
        where = short(self.pick(self.region()[:2])) if self.chance(0.7) else ""
        if roll < 0.3:
            return where + self.fake.company()
        if roll < 0.85:
            brand = self.fake.company_prefix() if self.chance(0.5) else self.place_word(self.pick((2, 2, 3)))
            return where + brand + self.pick(INDUSTRIES) + self.pick(ORG_SUFFIXES)
        return where + (self.fake.last_name() + self.pick(GIVEN_CHARS) if self.chance(0.5) else self.place_word()) + \
            self.pick(FIRMS)

    def bank(self) -> str:
        bank = self.pick(BANKS)
        roll = self.rng.random()
        if roll < 0.4:
            return bank
        city = short(self.pick(self.region()[:2]))
        branch = self.place_word() + "支行" if self.chance(0.6) else "分行"
        return bank + ("股份有限公司" if self.chance(0.3) else "") + city + branch

    def government(self) -> str:
        if self.chance(0.2):
            body = self.pick(NATIONAL_GOV)
            return body + (short(self.region()[0]) + "分局" if self.chance(0.3) else "")
        parts = self.region()
        keep = parts[: self.rng.randint(1, len(parts))]
        return "".join(keep) + self.pick(GOV_BODIES)

    def organization(self) -> str:
        roll = self.rng.random()
        return self.company() if roll < 0.5 else self.bank() if roll < 0.8 else self.government()

    def digits(self, n: int, first: str = "") -> str:
        return first + "".join(str(self.rng.randint(0, 9)) for _ in range(n - len(first)))

    def id_number(self) -> str:
        """An 18-digit resident ID with a valid GB 11643 check digit (fake)."""
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=self.rng.randrange(20000))
        body = self.pick(REGION_CODES) + born.strftime("%Y%m%d") + self.digits(3)
        total = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)))
        return body + "10X98765432"[total % 11]

    def mobile(self) -> str:
        number = self.fake.phone_number()
        if self.chance(0.15):
            return f"{number[:3]}-{number[3:7]}-{number[7:]}"
        if self.chance(0.1):
            return "+86 " + number
        return number

    def landline(self) -> str:
        return f"0{self.rng.randint(10, 999)}-{self.digits(8)}"

    def card(self) -> str:
        number = self.fake.credit_card_number() if self.chance(0.5) else self.digits(19, "62")
        if self.chance(0.2):
            return " ".join(number[i:i + 4] for i in range(0, len(number), 4))
        return number

    def identifier(self) -> str:
        return self.pick([self.id_number, self.mobile, self.card, self.landline])()

    def date(self) -> str:
        d = datetime.date(2015, 1, 1) + datetime.timedelta(days=self.rng.randrange(4000))
        return self.pick([f"{d.year}年{d.month}月{d.day}日", d.isoformat(), f"{d.year}/{d.month}/{d.day}"])

    def amount(self) -> str:
        return self.pick([f"{self.rng.randint(1, 999)}万元", f"{self.rng.randint(1000, 9999999):,}.00元",
                          f"人民币{self.rng.randint(1, 500)}万元整"])

    # -- examples ----------------------------------------------------------------
    def example(self) -> tuple[str, list[tuple[int, int, str]]]:
        """A text and its (start, end_exclusive, label) spans."""
        template = self.pick(TEMPLATES)
        text, spans = "", []
        for piece in template(self):
            if isinstance(piece, tuple):
                label, value = piece
                spans.append((len(text), len(text) + len(value), label))
                text += value
            else:
                text += piece
        return text, spans

    def examples(self, n: int) -> Iterator[tuple[str, list[tuple[int, int, str]]]]:
        for _ in range(n):
            yield self.example()


# Template helpers: each returns a (label, value) piece.
def P(s: Synth):  # noqa: N802 - short names keep the templates readable
    return (PERSON, s.name())


def A(s: Synth):  # noqa: N802
    return (ADDRESS, s.address())


def O(s: Synth):  # noqa: N802, E743
    return (ORG, s.organization())


def C(s: Synth):  # noqa: N802
    return (ORG, s.company())


def B(s: Synth):  # noqa: N802
    return (ORG, s.bank())


def G(s: Synth):  # noqa: N802
    return (ORG, s.government())


def sep(s: Synth) -> str:
    return s.pick(["，", "，", "；", " ", "、", ",", "\t"])


def colon(s: Synth) -> str:
    return s.pick(["：", "：", ":", "", " "])


def roster_line(s: Synth) -> list:
    fields = [[f"{s.rng.randint(1, 300)}"], [P(s)], [s.pick("男女")], [s.id_number()], [s.mobile()], [A(s)],
              [s.card()], [B(s)]]
    keep = [fields[1]] + [f for i, f in enumerate(fields) if i != 1 and s.chance(0.6)]
    if s.chance(0.5):
        s.rng.shuffle(keep)
    delimiter = s.pick(["\t", ",", " ", "  ", "|", "，"])
    out: list = []
    for i, field in enumerate(keep):
        if i:
            out.append(delimiter)
        out += field
    return out


def glued(s: Synth) -> list:
    """A name right against digits or other values, as in exported tables."""
    forms = [lambda: [P(s), s.mobile()], lambda: [s.mobile(), P(s)], lambda: [P(s), s.id_number()],
             lambda: [P(s), s.card(), B(s)], lambda: [s.id_number(), P(s), s.mobile()],
             lambda: [P(s), s.pick("男女"), s.id_number()], lambda: ["联系人", P(s), s.mobile()],
             lambda: [P(s), "/", s.mobile(), "/", A(s)], lambda: [P(s), s.landline()],
             lambda: [P(s), "（", s.id_number(), "）"], lambda: [P(s), A(s), s.mobile()]]
    return s.pick(forms)()


def several_names(s: Synth) -> list:
    out: list = [s.pick(["参会人员：", "股东：", "出席人：", "签字人：", "共同借款人", "继承人为", "联系人："])]
    for i in range(s.rng.randint(2, 5)):
        if i:
            out.append(s.pick(["、", "，", " ", "和", "及"]))
        out.append(P(s))
    return out + [s.pick(["。", "", "等。", "等人。"])]


TEMPLATES: list[Callable[[Synth], list]] = [
    # contracts
    lambda s: [f"{s.pick(ROLES)}{colon(s)}", P(s), f"{sep(s)}身份证号码{colon(s)}", s.id_number(),
               f"{sep(s)}{s.pick(['住所', '住址', '户籍地址', '联系地址', '通讯地址'])}{colon(s)}", A(s), "。"],
    lambda s: [f"{s.pick(ROLES)}{colon(s)}", C(s), f"{sep(s)}法定代表人{colon(s)}", P(s),
               f"{sep(s)}{s.pick(['注册地址', '住所地', '住所', '地址'])}{colon(s)}", A(s), "。"],
    lambda s: ["甲方（转让方）：", P(s), "\n乙方（受让方）：", P(s), "\n鉴于甲方对", C(s), "享有合法债权，现甲方将其债权转让给乙方。"],
    lambda s: ["本协议由", C(s), "（以下简称“甲方”）与", P(s), "（以下简称“乙方”）于", s.date(), "在", A(s), "签订。"],
    lambda s: ["甲方将其持有的", C(s), f"{s.rng.randint(1, 100)}%的股权以", s.amount(), "转让给乙方", P(s), "。"],
    lambda s: ["经", O(s), "介绍，", P(s), "将其持有的", C(s), "股权转让给", P(s), "。"],
    lambda s: ["借款人", P(s), "（身份证号", s.id_number(), "）向出借人", P(s), "借款", s.amount(), "，约定于",
               s.date(), "前归还。"],
    lambda s: ["保证人", P(s), "自愿为债务人", C(s), "的上述债务承担连带保证责任。"],
    lambda s: ["法定代表人：", P(s), "\n委托代理人：", P(s), "，", C(s), "律师"],
    lambda s: ["债务人", P(s), "下落不明，最后居住地为", A(s), "。"],
    lambda s: ["本合同项下款项应汇入乙方指定账户：户名", P(s), "，开户行", B(s), "，账号", s.card(), "。"],
    lambda s: ["甲方应于本协议签订之日起", str(s.rng.randint(3, 30)), "个工作日内向乙方支付转让款", s.amount(), "。"],
    lambda s: ["因本协议发生争议，双方同意提交", G(s), "诉讼解决。"],
    lambda s: ["原告", P(s), "，", s.pick("男女"), "，", str(s.rng.randint(1950, 2002)), "年出生，汉族，住", A(s),
               "。\n被告", C(s), "，住所地", A(s), "。"],
    # rosters and forms
    roster_line,
    roster_line,
    glued,
    glued,
    several_names,
    lambda s: ["姓名", colon(s), P(s), s.pick([" ", "\t", "  ", "；"]), "性别", colon(s), s.pick("男女"), " 身份证号",
               colon(s), s.id_number(), " 住址", colon(s), A(s)],
    lambda s: ["户名：", P(s), "\n账号：", s.card(), "\n开户行：", B(s), "\n联系电话：", s.mobile()],
    lambda s: ["收款人：", P(s), s.pick(["，", " "]), "开户银行：", B(s), s.pick(["，", " "]), "卡号：", s.card()],
    lambda s: ["客户名称：", C(s), "\n统一社会信用代码：91", s.digits(16), "\n联系人：", P(s), "\n联系电话：", s.mobile(),
               "\n地址：", A(s)],
    lambda s: ["申请人", P(s), "，身份证号", s.id_number(), "，现申请在", B(s), "开立个人结算账户。"],
    lambda s: ["请将材料邮寄至", A(s), "，收件人", P(s), "，电话", s.mobile(), "。"],
    lambda s: ["寄件人：", P(s), " ", s.mobile(), "\n收件地址：", A(s)],
    lambda s: [A(s)],
    lambda s: [P(s)],
    lambda s: [O(s)],
    # consultation notes
    lambda s: ["客户", P(s), s.pick(HONORIFICS), "来电咨询个税汇算清缴事宜，联系电话", s.mobile(), "。"],
    lambda s: [s.date(), "，", P(s), "到", O(s), "办理税务登记变更，经办人为", P(s), "。"],
    lambda s: [P(s), "在", C(s), "担任财务经理，负责代理记账业务。"],
    lambda s: ["今天上午", P(s), s.pick(["说", "表示", "称", "反映"]), "他的公司注册在", A(s), "，想咨询注销流程。"],
    lambda s: ["跟进记录：已电话联系", P(s), "（", s.mobile(), "），对方同意下周到", A(s), "面谈。"],
    lambda s: [C(s), "委托", C(s), "为其提供代理记账及税务申报服务。"],
    lambda s: ["备注：", P(s), "的妻子", P(s), "为共同借款人，二人现住", A(s), "。"],
    lambda s: ["兹有", P(s), "同志，身份证号", s.id_number(), "，现住", A(s), "，系我单位职工，特此证明。"],
    lambda s: [P(s), s.pick(["先生", "女士", ""]), "名下位于", A(s), "的房产已抵押给", B(s), "。"],
    lambda s: ["根据", G(s), "的通知，", C(s), "需于", s.date(), "前补交材料。"],
    lambda s: ["咨询人", P(s), "称其于", s.date(), "在", B(s), "办理了贷款，现无力偿还。"],
    lambda s: [P(s), "：", s.pick(["好的，我明天把合同发给您。", "请问发票什么时候能开？", "已收到，谢谢。"])],
    lambda s: ["联系人", P(s), s.mobile(), "，地址", A(s), "，邮编", s.fake.postcode(), "。"],
    lambda s: ["转账给", P(s), s.card(), s.amount()],
]
