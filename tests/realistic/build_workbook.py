"""Write the realistic test workbook and its expectations.

    python tests/realistic/build_workbook.py OUT.xlsx [--expected tests/realistic/expected.yaml]

A Chinese company workbook (contract version 2, ../shared/WORKBOOK.md) as staff keep it:
an instructions sheet first, a title above the visits table, two-line (Chinese and
English) headers on the visits sheet, a column of the company's own (录入人), the
visits' rows grouped by visit. The visits are in visits.py: one realistic mistake each,
or a correct visit that sets a trap. `expected.yaml` says for each visit what a
reasonable check should report, with the rows resolved to the Excel rows written here;
it is committed, and a test holds it equal to what this script writes.

Written with openpyxl from the contract's labels, not from the project's contract module
or rules file, so that the workbook does not inherit their assumptions.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import yaml
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from visits import all_visits  # noqa: E402
from world import TODAY, Spec  # noqa: E402

EXPECTED = HERE / "expected.yaml"

# (key, 中文, English) per sheet, from WORKBOOK.md, in the order the company's template has them.
COLUMNS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "visits": ("来访", [
        ("visit_id", "接待编号", "Visit ID"), ("client_org", "客户单位", "Client organisation"),
        ("client_type", "客户类型", "Client type"), ("purpose", "来访目的", "Purpose"),
        ("objective", "接待目标", "Objective"), ("theme", "接待主题", "Theme"), ("level", "接待规格", "Reception level"),
        ("headcount", "来访人数", "Headcount"), ("arrival", "抵达时间", "Arrival"),
        ("arrival_mode", "抵达方式", "Arrival mode"), ("arrival_ref", "抵达航班车次", "Arrival flight/train no."),
        ("arrival_point", "接站地点", "Meeting point"), ("departure", "离开时间", "Departure"),
        ("departure_mode", "离开方式", "Departure mode"), ("departure_ref", "离开航班车次", "Departure flight/train no."),
        ("departure_point", "送站地点", "Send-off point"), ("requester", "发起人", "Requested by"),
        ("contact_name", "客户对接人", "Client contact"), ("contact_phone", "对接人电话", "Contact phone"),
        ("contact_email", "对接人邮箱", "Contact email"), ("org_profile", "单位概况", "Organisation profile"),
        ("business_domain", "业务领域", "Business domain"), ("industry_position", "行业地位", "Industry position"),
        ("accommodation", "需要住宿", "Accommodation needed"), ("catering", "需要用餐", "Meals needed"),
        ("transport", "需要接送", "Transport needed"), ("gifts", "礼品", "Gifts"),
        ("security", "安全保障", "Security arrangements"), ("emergency", "应急预案", "Emergency plan"),
        ("approval", "审批状态", "Approval status"), ("approver", "审批人", "Approver"),
        ("approver_email", "审批人邮箱", "Approver email"), ("approved_on", "审批日期", "Approved on"),
        ("approval_notes", "审批意见", "Approval comments"), ("briefed_on", "内部通报日期", "Team briefed on"),
        ("status", "状态", "Status"), ("minutes", "会谈纪要", "Minutes"), ("follow_up", "后续跟进", "Follow-up actions"),
        ("satisfaction", "客户满意度", "Satisfaction"), ("notes", "备注", "Notes"),
        ("录入人", "录入人", "Entered by"),  # the company's own column: not in the contract
    ]),
    "guests": ("来宾", [
        ("visit_id", "接待编号", ""), ("name", "姓名", ""), ("title", "职务", ""), ("gender", "性别", ""),
        ("ethnicity", "民族", ""), ("rank", "礼宾次序", ""), ("core", "核心人员", ""), ("dietary", "饮食禁忌", ""),
        ("smoker", "是否吸烟", ""), ("preferences", "个人偏好", ""), ("background", "背景资料", ""), ("phone", "电话", ""),
    ]),
    "itinerary": ("行程", [
        ("visit_id", "接待编号", ""), ("date", "日期", ""), ("start", "开始", ""), ("end", "结束", ""),
        ("kind", "类型", ""), ("activity", "活动内容", ""), ("location", "地点", ""), ("owner", "负责人", ""),
        ("attendees", "参与人员", ""), ("guests", "参与来宾", ""), ("client_facing", "对客展示", ""),
        ("seating", "座次安排", ""), ("notes", "备注", ""),
    ]),
    "staff": ("人员分工", [
        ("visit_id", "接待编号", ""), ("name", "姓名", ""), ("staff_id", "工号", ""), ("role", "角色", ""),
        ("department", "部门", ""), ("phone", "电话", ""), ("email", "邮箱", ""), ("duties", "具体职责", ""),
        ("trained", "已培训", ""), ("rank", "礼宾次序", ""),
    ]),
    "bookings": ("资源预订", [
        ("visit_id", "接待编号", ""), ("kind", "类型", ""), ("resource", "资源", ""), ("start", "开始", ""),
        ("end", "结束", ""), ("quantity", "数量", ""), ("capacity", "容纳人数", ""), ("details", "详情", ""),
        ("status", "状态", ""), ("reconfirmed", "已复核", ""), ("reference", "预订号", ""), ("owner", "负责人", ""),
    ]),
    "preparation": ("准备清单", [
        ("visit_id", "接待编号", ""), ("prep_owner", "准备负责人", ""), ("venue_ready", "会议室整洁通风", ""),
        ("av_tested", "设备调试", ""), ("whiteboard", "白板及白板笔", ""), ("laser_pointer", "激光笔", ""),
        ("water_cups", "饮用水及纸杯", ""), ("company_profile", "企业简介", ""), ("brochures", "产品手册", ""),
        ("case_studies", "相关案例", ""), ("honours", "荣誉资质", ""), ("gifts_wrapped", "礼品包装", ""),
        ("signage", "引导标识", ""),
    ]),
}
TITLE = "恒泰智能装备有限公司 2027年客户接待台账"
HEADER_ROW = {"visits": 2}  # a title above the visits table; the other sheets start at row 1
FORMATS = {datetime: "yyyy-mm-dd hh:mm", date: "yyyy-mm-dd", time: "hh:mm"}
INSTRUCTIONS = [
    "填写说明",
    "1. 每次来访在“来访”表占一行，接待编号唯一；其余各表按接待编号对应。",
    "2. 未确定的内容可先写“待定”，但提交审批前必须补齐。",
    "3. 行程“对客展示”填“否”的内部活动不会出现在发给客户的行程单上。",
]


def header_row(sheet: str) -> int:
    return HEADER_ROW.get(sheet, 1)


def write_workbook(path: Path, specs: list[Spec]) -> dict[tuple[str, str, str | None], int]:
    """Write the workbook; return the Excel row of every row: (sheet, visit id, tag) -> row."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "填写说明"
    for line in INSTRUCTIONS:
        notes.append([line])
    rows: dict[tuple[str, str, str | None], int] = {}
    for sheet, (name, columns) in COLUMNS.items():
        ws = wb.create_sheet(name)
        first = header_row(sheet)
        if first > 1:
            ws.cell(1, 1, TITLE).font = Font(bold=True, size=14)
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
            ws.row_dimensions[1].height = 24
        for j, (_, zh, en) in enumerate(columns, start=1):
            cell = ws.cell(first, j, f"{zh}\n{en}" if en else zh)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True)
            ws.column_dimensions[get_column_letter(j)].width = 16
        ws.row_dimensions[first].height = 44 if sheet == "visits" else 18
        ws.freeze_panes = ws.cell(first + 1, 2)
        r = first
        for spec in specs:
            for record in spec.rows[sheet]:
                r += 1
                rows[(sheet, spec.vid, record.get("_tag") if sheet != "visits" else None)] = r
                for j, (key, _, _) in enumerate(columns, start=1):
                    value = record.get(key)
                    if value is None:
                        continue
                    cell = ws.cell(r, j, value)
                    if type(value) in FORMATS:
                        cell.number_format = FORMATS[type(value)]
    wb.save(path)
    return rows


def expectations(specs: list[Spec], rows: dict[tuple[str, str, str | None], int]) -> dict:
    """expected.yaml's content: per visit, `correct` or the defect with its Excel row."""
    out = {}
    for spec in specs:
        e = dict(spec.expect)
        name = e.pop("name")
        if e["correct"]:
            out[spec.vid] = dict(correct=True, kind=e["kind"], case=name, note=e["note"])
            continue
        entry = dict(correct=False, case=name, group=e["group"], clause=e["clause"],
                     **_place(rows, spec.vid, e["sheet"], e["tag"], e["column"]))
        if e["also"]:
            entry["or_at"] = [_place(rows, spec.vid, *at) for at in e["also"]]
        entry.update(severity=e["severity"], mistake=e["mistake"])
        if e["related"]:
            entry["related"] = e["related"]
        if e["partner"]:
            entry["partner"] = e["partner"]
        out[spec.vid] = entry
    return dict(today=TODAY.isoformat(), workbook="realistic.xlsx", visits=out)


def _place(rows: dict, vid: str, sheet: str, tag: str | None, column: str | None) -> dict:
    place = dict(sheet=sheet, row=rows[(sheet, vid, tag if sheet != "visits" else None)])
    if column:
        place["column"] = column
    return place


def expected_text(expected: dict) -> str:
    head = ("# What a reasonable check should report on the realistic workbook, visit by visit.\n"
            "# Generated by tests/realistic/build_workbook.py (do not edit by hand: edit visits.py and rerun).\n"
            "# correct: true  -> no finding of severity warning or error is due on this visit.\n"
            "# correct: false -> one defect: clause (a list: any of them; a sub-clause counts for its clause),\n"
            "#   sheet/row/column (contract keys; Excel row) where the finding should point, or_at: other\n"
            "#   places as good (the need, or the arrangement that fails it), severity,\n"
            "#   related: clauses of findings that follow from the mistake; partner: the other visit of a clash.\n")
    return head + yaml.safe_dump(expected, allow_unicode=True, sort_keys=False, width=120)


def build(path: Path, expected_path: Path | None = None) -> dict:
    """Write the workbook to `path` (and expected.yaml to `expected_path`); return the expectations."""
    specs = all_visits()
    expected = expectations(specs, write_workbook(path, specs))
    if expected_path:
        expected_path.write_text(expected_text(expected), encoding="utf-8")
    return expected


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("output", type=Path, help="the .xlsx to write")
    ap.add_argument("--expected", type=Path, help=f"also write the expectations (the committed copy: {EXPECTED})")
    args = ap.parse_args()
    build(args.output, args.expected)


if __name__ == "__main__":
    main()
