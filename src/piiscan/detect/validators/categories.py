"""Keywords that hint at PIPL Art. 28 sensitive categories."""

from __future__ import annotations

from piiscan.detect.validators import Verdict

CATEGORIES = {
    "health": ["病历", "诊断", "病史", "既往史", "体检报告", "住院", "疾病", "患有", "确诊", "残疾", "传染病",
               "精神病", "抑郁症", "艾滋病", "乙肝"],
    "religion": ["宗教信仰", "基督教", "佛教", "伊斯兰教", "天主教", "道教", "信教"],
    "biometric": ["指纹", "人脸识别", "人脸图像", "面部识别", "虹膜", "声纹", "掌纹", "基因检测"],
    "criminal_record": ["犯罪记录", "刑事处罚", "服刑", "前科"],
    "sexual_orientation": ["性取向"],
    "whereabouts": ["行踪轨迹", "行程轨迹", "定位记录"],
}
_CATEGORY_OF = {word: category for category, words in CATEGORIES.items() for word in words}


def validate_category_keyword(value: str) -> Verdict:
    category = _CATEGORY_OF.get(value, "other")
    return Verdict(None, f"{category} keyword", value, metadata={"category": category})
