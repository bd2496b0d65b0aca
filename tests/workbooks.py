"""Small visits workbooks built inside the tests.

`clean_visit()` is one complete visit that satisfies every rule of the shipped standard
on `CLEAN_TODAY`; tests change one thing and expect exactly the finding for it.
`write_workbook()` writes rows keyed by contract keys with the contract's labels.
`flat()` is how tests compare findings.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, time
from pathlib import Path

import openpyxl

from pipeline.contract import SHEETS
from pipeline.standard import Standard, load_standard

CLEAN_TODAY = date(2027, 3, 5)


def clean_visit(vid: str = "V1", day: int = 10) -> dict[str, list[dict]]:
    """A two-day visit arriving 2027-03-<day> 09:30 with everything in order."""
    d1, d2 = date(2027, 3, day), date(2027, 3, day + 1)

    def dt(d, h, m=0):
        return datetime.combine(d, time(h, m))

    return {
        "visits": [dict(
            visit_id=vid, client_org="华东精密机械有限公司", client_type="existing", purpose="negotiation",
            objective="签订年度框架协议", theme="深化合作 共赢未来", level="vip", headcount=2,
            arrival=dt(d1, 9, 30), arrival_mode="flight", arrival_ref="MU5101", arrival_point="虹桥机场T2",
            departure=dt(d2, 16), departure_mode="flight", departure_ref="MU5102", departure_point="虹桥机场T2",
            requester="销售部 周总", contact_name="钱红", contact_phone="13800138000",
            contact_email="qian.hong@example.com", org_profile="精密机械制造", business_domain="数控机床",
            industry_position="华东前三", accommodation="是", catering="是", transport="是", gifts="定制茶具",
            security="访客证，全程陪同", emergency="医疗点位于一号楼", approval="approved", approver="李总",
            approver_email="li.zong@example.com", approved_on=date(2027, 3, 1), briefed_on=date(2027, 3, 2),
            status="confirmed")],
        "guests": [
            dict(visit_id=vid, name="孙伟", title="总经理", gender="男", ethnicity="汉族", rank=1, core="是",
                 dietary="清真", smoker="否", preferences="喜欢绿茶", background="从业二十年", phone="13900139000"),
            dict(visit_id=vid, name="周敏", title="采购经理", gender="女", ethnicity="汉族", rank=2, core="否",
                 dietary="无", smoker="否"),
        ],
        "itinerary": [
            dict(visit_id=vid, date=d1, start=time(8, 30), end=time(9, 45), kind="pickup", activity="机场接机",
                 location="虹桥机场T2", owner="赵强", attendees="李明"),
            dict(visit_id=vid, date=d1, start=time(10, 0), end=time(10, 45), kind="transfer", activity="前往公司",
                 location="公司", owner="赵强"),
            dict(visit_id=vid, date=d1, start=time(14, 0), end=time(16, 0), kind="meeting", activity="合作会谈",
                 location="A301会议室", owner="李明", attendees="陈静、王芳"),
            dict(visit_id=vid, date=d1, start=time(18, 0), end=time(20, 0), kind="meal", activity="欢迎晚宴",
                 location="福满楼", owner="李明"),
            dict(visit_id=vid, date=d2, start=time(7, 30), end=time(8, 30), kind="meal", activity="早餐",
                 location="酒店早餐", owner="李明"),
            dict(visit_id=vid, date=d2, start=time(9, 0), end=time(10, 30), kind="tour", activity="参观生产线",
                 location="二号厂房", owner="王芳"),
            dict(visit_id=vid, date=d2, start=time(12, 0), end=time(13, 0), kind="meal", activity="工作午餐",
                 location="公司食堂", owner="李明"),
            dict(visit_id=vid, date=d2, start=time(14, 0), end=time(15, 0), kind="send_off", activity="送机",
                 location="虹桥机场T2", owner="赵强", attendees="李明"),
        ],
        "staff": [
            dict(visit_id=vid, name="李明", staff_id="E1001", role="host", department="销售部", phone="021-5555",
                 email="li.ming@example.com", rank=1),
            dict(visit_id=vid, name="王芳", staff_id="E1002", role="guide", department="市场部", trained="是", rank=2),
            dict(visit_id=vid, name="赵强", staff_id="E1003", role="driver", department="行政部", rank=3),
            dict(visit_id=vid, name="陈静", staff_id="E1004", role="minutes", department="销售部", rank=4),
        ],
        "bookings": [
            dict(visit_id=vid, kind="meeting_room", resource="A301会议室", start=dt(d1, 13, 30), end=dt(d1, 16, 30),
                 capacity=10, status="confirmed", owner="陈静"),
            dict(visit_id=vid, kind="hotel", resource="锦江酒店", start=dt(d1, 14), end=dt(d2, 12), quantity=2,
                 capacity=2, details="大床房2间", status="confirmed", reconfirmed="是"),
            dict(visit_id=vid, kind="restaurant", resource="福满楼", start=dt(d1, 17, 30), end=dt(d1, 20, 30),
                 capacity=8, details="清真菜单已确认", status="confirmed", reconfirmed="是"),
            dict(visit_id=vid, kind="vehicle", resource="沪A·12345 商务车", start=dt(d1, 7), end=dt(d1, 11),
                 capacity=6, status="confirmed"),
            dict(visit_id=vid, kind="vehicle", resource="沪A·12345 商务车", start=dt(d2, 13, 30), end=dt(d2, 15, 30),
                 capacity=6, status="confirmed"),
        ],
        "preparation": [dict(visit_id=vid, prep_owner="陈静", **{i.key: "done" for i in _standard().preparation})],
    }


def flat(findings) -> list[tuple]:
    """The findings as tests compare them: (visit, rule, field), the column by its contract
    key, the same in either language (None: the whole row, or the sheet), sorted."""
    return sorted(((f.visit_id, f.rule, f.field) for f in findings), key=lambda x: tuple(v or "" for v in x))


def approved_versions(path: Path, on: date, standard: Standard | None = None) -> dict:
    """The workbook's visits as approved on `on`: the check's `approved` input, as
    pipeline.versions.store would keep them."""
    from pipeline.reader import read_workbook
    from pipeline.versions.content import Approved, quick_digest, visit_content

    wb = read_workbook(path, standard or _standard())
    return {vid: Approved(on, quick_digest(v), lambda c=visit_content(v): c) for vid, v in wb.visits.items()}


def merge(*parts: dict[str, list[dict]]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for p in parts:
        for k, rows in p.items():
            out.setdefault(k, []).extend(copy.deepcopy(rows))
    return out


_STD: list[Standard] = []


def _standard() -> Standard:
    if not _STD:
        _STD.append(load_standard())
    return _STD[0]


def company_rules(folder: Path, change) -> Standard:
    """A company's copy of the shipped rules file, changed by `change(data)`, written to
    `folder` and loaded."""
    import yaml

    from pipeline.standard import DEFAULT_STANDARD
    data = yaml.safe_load(DEFAULT_STANDARD.read_text(encoding="utf-8"))
    change(data)
    path = folder / "company-rules.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return load_standard(path)


def write_workbook(path: Path, rows: dict[str, list[dict]], lang: str = "zh",
                   standard: Standard | None = None, drop: dict[str, set[str]] | None = None) -> Path:
    """Write the six contract sheets with labels in `lang` (headers on row 1); `drop` leaves
    out columns per sheet."""
    standard = standard or _standard()
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for contract_sheet in SHEETS:
        sheet = standard.sheet(contract_sheet.key)
        columns = [c for c in sheet.columns if c.key not in (drop or {}).get(sheet.key, set())]
        ws = wb.create_sheet(sheet.label(lang))
        ws.append([c.label(lang) for c in columns])
        for r in rows.get(sheet.key, []):
            ws.append([r.get(c.key) for c in columns])
    wb.save(path)
    return path


def write_workbook_xlsxwriter(path: Path, rows: dict[str, list[dict]], lang: str = "zh",
                              standard: Standard | None = None) -> Path:
    """The same rows through xlsxwriter, with real date and time cell formats."""
    import xlsxwriter

    standard = standard or _standard()
    wb = xlsxwriter.Workbook(str(path))
    formats = {datetime: wb.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
               date: wb.add_format({"num_format": "yyyy-mm-dd"}),
               time: wb.add_format({"num_format": "hh:mm"})}
    for contract_sheet in SHEETS:
        sheet = standard.sheet(contract_sheet.key)
        ws = wb.add_worksheet(sheet.label(lang))
        for j, c in enumerate(sheet.columns):
            ws.write_string(0, j, c.label(lang))
        for i, r in enumerate(rows.get(sheet.key, []), start=1):
            for j, c in enumerate(sheet.columns):
                v = r.get(c.key)
                if v is None:
                    continue
                if isinstance(v, (datetime, date, time)):
                    ws.write_datetime(i, j, v, formats[type(v)])
                elif isinstance(v, str):
                    ws.write_string(i, j, v)
                else:
                    ws.write_number(i, j, v)
    wb.close()
    return path
