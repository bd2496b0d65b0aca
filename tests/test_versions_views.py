"""The changes as each reader sees them (pipeline/versions/views.py): the plan's lines,
masked for a message; a person's run sheet; the client's itinerary with its meeting
details."""

from __future__ import annotations

from datetime import date, datetime, time

from workbooks import CLEAN_TODAY, clean_visit, write_workbook

from pipeline.checks import check_workbook
from pipeline.reader import read_workbook
from pipeline.versions.content import visit_content
from pipeline.versions.diff import PlanChanges, compare
from pipeline.versions.views import itinerary_lines, plan_lines, run_sheet_lines


def versions(tmp_path, std, edit, lang="zh"):
    """(the clean visit's content, the edited visit checked)."""
    rows = clean_visit()
    before = visit_content(read_workbook(write_workbook(tmp_path / "a.xlsx", rows, lang), std).visits["V1"])
    edit(rows)
    result = check_workbook(read_workbook(write_workbook(tmp_path / "b.xlsx", rows, lang), std), std, CLEAN_TODAY)
    return before, result


def lines(found) -> list[tuple]:
    return [(x.change, x.label, x.what, x.before, x.after) for x in found]


def test_plan_lines_show_old_and_new_values_and_only_name_a_confidential_field(tmp_path, std):
    def edit(rows):
        rows["guests"][0].update(dietary="素食", title="董事长")
        rows["visits"][0]["arrival"] = datetime(2027, 3, 10, 11, 0)
    before, result = versions(tmp_path, std, edit)
    changes = PlanChanges(date(2027, 3, 1), compare(before, visit_content(result.visits[0].visit)))
    found = lines(plan_lines(changes, std, "zh"))
    assert found == [
        ("changed", "改动", "抵达时间", "2027年3月10日 星期三 09:30", "2027年3月10日 星期三 11:00"),
        ("changed", "改动", "孙伟（董事长）", "职务：总经理", "职务：董事长；饮食禁忌有改动（保密，见来宾名单）")]
    assert "清真" not in str(found) and "素食" not in str(found)
    assert "清真" not in str(before["guests"]) and before["guests"][0]["dietary"].startswith("#")  # a digest


def test_a_run_sheet_row_whose_part_changed_says_so_and_the_host_sees_the_arrival_move(tmp_path, std):
    def edit(rows):
        rows["itinerary"][3].update(owner="王芳", attendees="李明")  # the dinner: 李明 now attends it
        rows["visits"][0]["arrival"] = datetime(2027, 3, 10, 10, 30)  # so he waits an hour later (§4.1.1)
        rows["itinerary"][0].update(start=time(9, 30), end=time(10, 45))
    before, result = versions(tmp_path, std, edit)
    visit = result.visits[0].visit
    host = [s for s in visit.staff if s.name == "李明"]
    assert lines(run_sheet_lines(before, visit, host, "V1", std, "zh")) == [
        ("changed", "调整", "提前在接站地点等候客户",
         "2027年3月10日 星期三 08:00 · 虹桥机场T2", "2027年3月10日 星期三 09:00 · 虹桥机场T2"),
        ("changed", "调整", "机场接机",
         "2027年3月10日 星期三 08:30–09:45 · 虹桥机场T2", "2027年3月10日 星期三 09:30–10:45 · 虹桥机场T2"),
        ("changed", "改动", "欢迎晚宴", "2027年3月10日 星期三 18:00–20:00 · 欢迎晚宴 · 福满楼（负责）",
         "2027年3月10日 星期三 18:00–20:00 · 欢迎晚宴 · 福满楼（参与）")]
    driver = [s for s in visit.staff if s.name == "赵强"]
    assert lines(run_sheet_lines(before, visit, driver, "V1", std, "zh")) == [
        ("changed", "调整", "机场接机",
         "2027年3月10日 星期三 08:30–09:45 · 虹桥机场T2", "2027年3月10日 星期三 09:30–10:45 · 虹桥机场T2")]


def test_the_clients_itinerary_lines_name_the_meeting_details_and_rows_in_english(tmp_path, std):
    def edit(rows):
        rows["visits"][0].update(arrival_point="Pudong T1", arrival_ref="MU5103")
        rows["itinerary"][1]["activity"] = "To the office"
    before, result = versions(tmp_path, std, edit, lang="en")
    vr = result.visits[0]
    assert lines(itinerary_lines(before, vr, result, std, "en")) == [
        ("changed", "Changed", "Arrival", "Wed 10 Mar 2027 09:30  MU5101", "Wed 10 Mar 2027 09:30  MU5103"),
        ("changed", "Changed", "Meeting point", "虹桥机场T2", "Pudong T1"),
        ("changed", "Changed", "To the office", "Wed 10 Mar 2027 10:00–10:45 · 前往公司 · 公司",
         "Wed 10 Mar 2027 10:00–10:45 · To the office · 公司")]
    assert itinerary_lines(before, vr, result, std, "en") != [] and \
        itinerary_lines(visit_content(vr.visit), vr, result, std, "en") == []  # the same version: nothing
