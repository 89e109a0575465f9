"""The fields format 2 gives its two nominee kinds (and the member and unit lists), with the value
each holds when nothing was typed: a format-2 campaign file may only label these, and a record of
these kinds that lacks one reads it as this default (nominator.domain.model.Nominee). A format-3
file declares its kinds' fields itself (issue 17)."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

# The 56 ethnic groups' standard names: the choices of a field with `choices = "ethnicities"`.
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip

# The exchange file's list of each kind (shared/campaign/exchange-format.md): format 2's names, and a
# format-3 kind's unless it says its own `json`.
LIST_NAMES = MappingProxyType({"collective": "collectives", "individual": "individuals", "member": "members"})

_COLLECTIVE: dict[str, Any] = {
    "name": "", "level": "", "nature": "", "leader": "", "staff_count": None, "contact": "", "phone": "",
    "deeds_brief": "", "deeds_full": "", "honors": "", "deputy_bureau_or_above": False,
    "county_government_or_above": False,
}  # fmt: skip
_INDIVIDUAL: dict[str, Any] = {
    "name": "", "gender": "", "ethnicity": "", "birth_date": "", "political_status": "", "education": "",
    "work_start": "", "unit_and_title": "", "rank": "", "level": "", "years_in_field": None, "phone": "",
    "assessments": [], "resume": "", "deeds_brief": "", "deeds_full": "", "honors": "",
}  # fmt: skip

BUILT_IN_FIELDS = MappingProxyType(
    {"collective": MappingProxyType(_COLLECTIVE), "individual": MappingProxyType(_INDIVIDUAL)}
)
