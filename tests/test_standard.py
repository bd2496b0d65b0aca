"""The rules file: the shipped standard, a company's copy, and clear errors."""

from __future__ import annotations

from datetime import date

import pytest
import yaml
from workbooks import CLEAN_TODAY, clean_visit, write_workbook

from pipeline.checks import VISIT_CHECKS, WORKBOOK_CHECKS, check_workbook
from pipeline.errors import StandardError
from pipeline.reader import read_workbook
from pipeline.standard import DEFAULT_STANDARD, load_standard


def shipped() -> dict:
    return yaml.safe_load(DEFAULT_STANDARD.read_text(encoding="utf-8"))


def write(tmp_path, data) -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_standard_loads_and_every_rule_cites_a_clause_in_both_languages():
    std = load_standard()
    clauses = {"1", "3.1.1", "3.1.2", "3.1.3", "3.2.1", "3.2.2", "3.2.3", "3.3.1", "3.3.2", "3.3.3", "3.3.4",
               "4.1.1", "4.2.2", "4.2.4", "4.3.1", "5", "5.1", "5.2", "5.3"}
    for rule in std.rules:
        assert rule.clause in clauses, rule.id
        assert rule.text("zh") and rule.text("en"), rule.id
    assert [i.key for i in std.preparation][:3] == ["venue_ready", "av_tested", "whiteboard"]


def test_every_check_named_by_the_standard_exists_and_every_check_is_used():
    named = {r.check for r in load_standard().rules if r.check}
    assert named == set(VISIT_CHECKS) | set(WORKBOOK_CHECKS)


@pytest.mark.parametrize("change, words, zh", [
    (lambda d: d["rules"][0].update(severity="fatal"), "severity must be one of", "severity 须为"),
    (lambda d: d["rules"][0].update(field="nonsense"), "has no field 'nonsense'", "没有字段 'nonsense'"),
    (lambda d: d["rules"][0].pop("clause"), "names no clause", "没有写明依据的标准条款"),
    (lambda d: d["rules"].append(dict(d["rules"][0])), "used twice", "重复"),
    (lambda d: d["rules"][0].update(when={"visit.colour": "red"}), "unknown field 'visit.colour'",
     "字段 'visit.colour' 不存在"),
    (lambda d: d["rules"][0].update(due_days=-1), "due_days", "due_days 须为不小于 0 的整数天数"),
    (lambda d: d["preparation"].append({"key": "get", "zh": "取", "en": "Get"}), "reserved name", "保留名称"),
    (lambda d: d["rules"][0].update(sheet="kitchen"), "unknown sheet 'kitchen'", "没有工作表 'kitchen'"),
    (lambda d: d["rules"][0].update(check="x"), "needs either 'check' or 'sheet' and 'field'", "须写 check"),
    (lambda d: d["preparation"][0].update(needed_when={"itinerary": ["banquet"]}), "needed_when condition",
     "needed_when 的条件"),
    (lambda d: d["settings"].update(plausible_years=[2100, 1990]), "plausible_years must be two years",
     "plausible_years 须为两个年份"),
    (lambda d: d["settings"].update(plausible_years="1990-2100"), "not '1990-2100'", "而不是 '1990-2100'"),
])
def test_invalid_rules_file_names_the_rule_in_either_language(tmp_path, change, words, zh):
    data = shipped()
    change(data)
    with pytest.raises(StandardError) as e:
        load_standard(write(tmp_path, data))
    assert words in str(e.value) and "rules.yaml" in str(e.value)
    said_zh = e.value.message_in("zh")
    assert zh in said_zh and e.value.message_in("en") == e.value.message
    rule = data["rules"][0]["id"]
    assert (f"rule {rule}:" in str(e.value)) == (f"规则 {rule}：" in said_zh)


def test_unknown_check_name_is_reported_when_checking(tmp_path):
    data = shipped()
    data["rules"].append({"id": "x.y", "check": "no_such_check", "clause": "1", "severity": "error",
                          "message": {"zh": "x", "en": "x"}})
    std = load_standard(write(tmp_path, data))
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", clean_visit(), standard=std), std)
    with pytest.raises(StandardError, match="no check named 'no_such_check'"):
        check_workbook(wb, std, CLEAN_TODAY)


def test_not_yaml_is_a_clear_error(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules: [unclosed", encoding="utf-8")
    with pytest.raises(StandardError, match="not valid YAML"):
        load_standard(path)


def test_a_company_adds_a_preparation_item_and_a_required_field(tmp_path):
    data = shipped()
    data["preparation"].append({"key": "name_cards", "zh": "桌签", "en": "Name cards"})
    data["rules"].append({"id": "visit.requester", "sheet": "visits", "field": "requester", "clause": "3.1.1",
                          "severity": "error", "fix": {"zh": "请填写发起人", "en": "name the requester"}})
    std = load_standard(write(tmp_path, data))
    rows = clean_visit()
    rows["visits"][0]["requester"] = None
    rows["preparation"][0]["name_cards"] = "pending"
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows, standard=std), std)
    got = sorted((f.rule, f.field, f.column) for f in check_workbook(wb, std, CLEAN_TODAY).findings)
    assert got == [("prep.item_done", "name_cards", "桌签"), ("visit.requester", "requester", "发起人")]


def test_a_company_changes_severity_and_deadline(tmp_path):
    data = shipped()
    for r in data["rules"]:
        if r["id"] == "guest.dietary":  # an error at once, not a note until its deadline
            r["severity"] = "error"
            r.pop("due_days")
        if r["id"] == "visit.approved":
            r["due_days"] = 30
    std = load_standard(write(tmp_path, data))
    rows = clean_visit()
    rows["guests"][1]["dietary"] = None
    rows["visits"][0].update(approval="draft", approver=None, approved_on=None, briefed_on=None)
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows, standard=std), std)
    got = {(f.rule, f.severity) for f in check_workbook(wb, std, CLEAN_TODAY).findings}
    assert got == {("guest.dietary", "error"), ("visit.approved", "error"), ("visit.briefed", "info")}


def test_interface_texts_are_read_with_libyaml_and_cannot_be_changed_by_a_caller():
    from pipeline import i18n
    if yaml.__with_libyaml__:
        assert i18n._LOADER is yaml.CSafeLoader
    texts = i18n.texts("en")
    with pytest.raises(TypeError):
        texts["severity"]["error"] = "oops"
    with pytest.raises(TypeError):
        texts["template"]["rules"][0] = "oops"
    with pytest.raises(AttributeError):
        texts["template"]["rules"].append("oops")
    assert i18n.t("en", "severity.error") == "error"
    assert {**texts["severity"]} == {"error": "error", "warning": "warning", "info": "info"}


def test_the_preparation_sheet_is_made_once_per_standard():
    std = load_standard()
    assert std.sheet("preparation") is std.sheet("preparation")
    assert [c.key for c in std.sheet("preparation").columns][:3] == ["visit_id", "prep_owner", "venue_ready"]


def test_a_company_switches_a_new_rule_off_and_changes_another(tmp_path):
    """`enabled: false` switches a rule off; severity, deadline and the rules' settings are
    the company's to change (here the guests' overlap, capacity and approval lead time)."""
    rows = clean_visit()
    rows["itinerary"][2]["end"] = "18:30"  # the meeting runs into dinner
    rows["bookings"][0].update(end="2027-03-10 18:45", capacity=4)  # and its room seats 4 of 5
    rows["visits"][0].update(approved_on="2027-03-05", briefed_on="2027-03-05")  # 5 days before arrival
    shipped_std = load_standard()
    wb = read_workbook(write_workbook(tmp_path / "w.xlsx", rows), shipped_std)
    got = {(f.rule, f.severity) for f in check_workbook(wb, shipped_std, CLEAN_TODAY).findings}
    assert got == {("item.guests_overlap", "error"), ("booking.capacity_enough", "error")}

    data = shipped()
    for r in data["rules"]:
        if r["id"] == "item.guests_overlap":
            r["enabled"] = False
        if r["id"] == "booking.capacity_enough":
            r.update(severity="warning", due_days=3)
    data["settings"]["approval_lead_days"] = 7
    std = load_standard(write(tmp_path, data))
    assert "item.guests_overlap" not in {r.id for r in std.rules}
    wb = read_workbook(write_workbook(tmp_path / "w2.xlsx", rows, standard=std), std)
    found = check_workbook(wb, std, CLEAN_TODAY).findings
    assert {(f.rule, f.severity, f.due) for f in found} == {
        ("booking.capacity_enough", "info", date(2027, 3, 7)), ("visit.approved_in_time", "warning", None)}
    assert "7" in next(f.message for f in found if f.rule == "visit.approved_in_time")


def test_a_preparation_item_says_when_it_applies_in_terms_the_contract_knows(tmp_path):
    data = shipped()
    data["preparation"][0]["needed_when"] = {"itinerary": ["banquet"]}
    with pytest.raises(StandardError, match="needed_when"):
        load_standard(write(tmp_path, data))
    data["preparation"][0]["needed_when"] = {"purpose": ["promotion"], "filled": "gifts"}
    assert dict(load_standard(write(tmp_path, data)).preparation[0].needed_when) == {
        "purpose": ("promotion",), "filled": "gifts"}


def test_seating_settings_default_and_a_company_chooses_its_own(tmp_path):
    std = load_standard()
    assert (std.seating.senior, std.seating.talks, std.seating.table_size) == ("right", "facing_door", 10)
    data = shipped()
    data["seating"] = {"senior": "left", "table_size": 12}
    std = load_standard(write(tmp_path, data))
    assert (std.seating.senior, std.seating.table_size, std.seating.row_size) == ("left", 12, 8)
    del data["seating"]
    assert load_standard(write(tmp_path, data)).seating == load_standard().seating


@pytest.mark.parametrize("seating, words, zh", [
    ({"senior": "up"}, "seating.senior must be one of right, left, not 'up'", "seating.senior 须为 right, left 之一"),
    ({"talks": "diagonal"}, "seating.talks must be one of facing_door, along", "seating.talks 须为"),
    ({"table_size": 1}, "seating.table_size must be a whole number from 2 to 30, not 1", "2 到 30 之间的整数"),
    ({"car_seats": True}, "seating.car_seats must be a whole number", "seating.car_seats 须为"),
    ({"row_size": "8"}, "seating.row_size must be a whole number from 1 to 60, not '8'", "1 到 60"),
    ({"tables": 3}, "unknown setting seating.tables (known: senior, talks", "没有设置项 seating.tables"),
    (["right"], "the 'seating' section must hold settings", "seating 部分须为设置项"),
])
def test_invalid_seating_settings_name_the_setting_in_either_language(tmp_path, seating, words, zh):
    data = shipped()
    data["seating"] = seating
    with pytest.raises(StandardError) as e:
        load_standard(write(tmp_path, data))
    assert words in str(e.value) and "rules.yaml" in str(e.value)
    assert zh in e.value.message_in("zh")
