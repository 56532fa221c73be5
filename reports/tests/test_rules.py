"""The form's own rules (填报说明 7): messages name the indicators and their values."""

from decimal import Decimal

import pytest

from reports import rules

GOOD = {1: 2, 2: 1, 3: 11, 4: 4, 5: 4, 6: 3, 7: 2, 8: 4, 9: 2, 10: 1, 11: 1, 12: 1, 13: 4, 14: Decimal("2.51")}


def with_(**changes):
    values = dict(GOOD)
    values.update({int(k[1:]): v for k, v in changes.items()})
    return values


def test_a_consistent_row_passes():
    assert rules.check(GOOD) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"n2": 3}, "指标1“本期实有见习单位数量”（2）应不小于指标2“本期新增见习单位数量”（3）。"),
        ({"n4": 12}, "指标3“本期实有见习岗位数量”（11）应不小于指标4“本期新增见习岗位数量”（12）。"),
        ({"n6": 5, "n7": 2}, "指标5“本期计划组织见习人数”（4）应不小于指标6“本期实际到岗人数”（5）。"),
        ({"n7": 4}, "指标6“本期实际到岗人数”（3）应不小于指标7“离校2年内未就业高校毕业生人数”（4）。"),
        (
            {"n11": 3},
            "指标8“本期完成见习人数”（4）应不小于指标9“留用人数”（2）与指标11“其他方式就业人数”（3）之和（5）。",
        ),
        ({"n10": 3, "n9": 2}, "指标9“留用人数”（2）应不小于指标10“离校2年内未就业高校毕业生人数”（3）。"),
    ],
)
def test_each_logical_relation_names_the_indicators_and_their_values(changes, message):
    assert rules.check(with_(**changes)) == [message]


@pytest.mark.parametrize(
    "number, value, message",
    [
        (3, -1, "指标3“本期实有见习岗位数量”不能为负数，当前为-1。"),
        (6, "2.5", "指标6“本期实际到岗人数”应为整数，当前为2.5。"),
        (12, "abc", "指标12“本期非正常结束见习人数”应为数字，当前为“abc”。"),
        (13, None, "指标13“本期末实有在岗见习人数”应为数字，当前为（未填写）。"),
        (14, "1.234", "指标14“本年累计各级财政实际拨付见习补贴资金数”以万元为单位，最多保留两位小数，当前为1.234。"),
        (14, "-0.01", "指标14“本年累计各级财政实际拨付见习补贴资金数”不能为负数，当前为-0.01。"),
    ],
)
def test_values_must_be_whole_non_negative_numbers_except_14(number, value, message):
    assert rules.check({**GOOD, number: value}) == [message]


def test_indicator_14_may_have_two_decimals_and_whole_numbers_may_be_written_with_zero_decimals():
    assert rules.check({**GOOD, 14: Decimal("0.05"), 3: Decimal("11.00")}) == []


def test_a_bad_value_does_not_also_raise_the_relations_it_takes_part_in():
    assert rules.check({**GOOD, 6: "x"}) == ["指标6“本期实际到岗人数”应为数字，当前为“x”。"]


def test_several_broken_rules_are_all_reported():
    assert len(rules.check(with_(n2=9, n4=99, n10=5))) == 3
