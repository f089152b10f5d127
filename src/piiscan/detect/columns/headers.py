"""What a column header says about the people in the column, in Chinese, English
or pinyin initials, including headers no list names exactly (承租人, 签收人, 经手人
are all "someone who did something": a word ending in 人 or 者).

PERSON: the column holds names of people; MIXED: people and organisations
(往来单位, 对方户名); NOT_PERSON: products, places, departments, categories;
UNKNOWN: the header says nothing (or there is none)."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Optional


class Says(IntEnum):
    NOT_PERSON = -1
    UNKNOWN = 0
    MIXED = 1
    PERSON = 2


_PERSON_WORDS = ("姓名", "名字", "户名", "开户名", "账户名", "持卡人", "联系人", "法人", "法定代表", "股东", "员工",
                 "职工", "学生", "家长", "业主", "住户", "租户", "房东", "访客", "来访", "司机", "驾驶员", "车主",
                 "患者", "病人", "会员", "本人", "配偶", "子女", "父亲", "母亲", "监护人", "董事", "监事", "经理",
                 "老师", "教师", "医生", "客户经理", "业务员", "销售员", "收银员", "审核", "审批", "复核", "制单",
                 "记账", "出纳", "会计", "填表", "签字", "签名", "签收", "经手", "经办", "领取", "领款", "收件",
                 "寄件", "发件", "姓", "名")
_MIXED_WORDS = ("单位", "往来", "对方", "交易对手", "客户", "供应商", "供货商", "承包", "委托方", "付款方", "收款方",
                "买方", "卖方", "购买方", "销售方", "甲方", "乙方", "丙方", "债务", "债权", "主体", "当事", "名称")
_NOT_PERSON_WORDS = ("商品", "产品", "品名", "货品", "物品", "物料", "项目", "公司", "企业", "机构", "银行", "开户行",
                     "地址", "住址", "地区", "区域", "城市", "省", "市", "县", "部门", "科室", "科目", "摘要", "职务",
                     "职位", "岗位", "职称", "备注", "说明", "规格", "型号", "类别", "类型", "分类", "状态", "民族",
                     "性别", "学历", "分组", "组别", "标签", "分类", "级别", "等级", "币种", "用户名", "登录名", "账号", "昵称", "网点", "门店", "仓库", "车型",
                     "品牌", "用途", "事由", "标题", "书名", "课程", "专业", "学校", "国籍", "籍贯", "行业")
# English and pinyin-initial column names (database columns, exports of Western tools).
_PERSON_TOKENS = frozenset("""name names fullname full_name firstname lastname surname givenname realname truename
holder cardholder payee payer beneficiary contact customername clientname employee staff owner tenant landlord
signer signatory applicant borrower lender guarantor driver visitor member person recipient consignee patient
student parent spouse director supervisor cashier handler operator agent xm xingming lxr fzr jbr skr fkr syr
czr qsr sqr dbr frdb frdbr hm zhm khxm khm yzxm lxrxm jsr dsr gdxm""".split())
_MIXED_TOKENS = frozenset("customer client party counterparty vendor supplier buyer seller khmc dwmc dfhm dfmc wldw".split())
_NOT_PERSON_TOKENS = frozenset("""product item sku goods city region province district department dept title position
status bank branch company corp org organization address addr type category remark memo note username login
account nickname brand model spec currency gender sex nation school major course""".split())
_PERSON_ENDINGS = ("人", "者", "员", "户", "户主", "业主", "车主", "房主", "雇主", "债主")
_NOT_ENDINGS = ("人数", "人民币", "人员数", "人次", "员工数", "户数", "户籍", "账户", "客户数", "用户名", "者数")
_BRACKETS = re.compile(r"[（(\[【].*?[)）\]】]|[\s\*＊:：_\-./\\#]+")
_TOKEN = re.compile(r"[a-z]+")


def _tokens(header: str) -> list[str]:
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", header).lower()  # customerName -> customer_name
    return _TOKEN.findall(words) + [words.replace("_", "").replace(" ", "")]


def header_says(header: Optional[str]) -> Says:
    if not header or not header.strip():
        return Says.UNKNOWN
    text = _BRACKETS.sub("", header.strip())  # 姓名(必填), 客户 姓名, *联系人:
    tokens = _tokens(header)
    if any(t in _NOT_PERSON_TOKENS for t in tokens) and not any(t in _PERSON_TOKENS for t in tokens):
        return Says.NOT_PERSON
    if any(t in _PERSON_TOKENS for t in tokens):
        return Says.PERSON
    if any(t in _MIXED_TOKENS for t in tokens):
        return Says.MIXED
    if not text:
        return Says.UNKNOWN
    if text.endswith(_NOT_ENDINGS):
        return Says.NOT_PERSON
    if any(w in text for w in ("姓名", "名字")) or text.endswith(_PERSON_ENDINGS):
        return Says.PERSON  # 受益人, 承租人, 签收人, 申请者, 业务员, 住户
    if any(w in text for w in _NOT_PERSON_WORDS):
        return Says.NOT_PERSON
    if any(w in text for w in _MIXED_WORDS):
        return Says.MIXED
    if any(w in text for w in _PERSON_WORDS):
        return Says.PERSON
    return Says.UNKNOWN
