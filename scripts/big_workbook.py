"""Write a large, realistic visits workbook for benchmarks.

    python scripts/big_workbook.py N OUT.xlsx [--lang zh|en] [--seed S] [--inline-strings]

`write_big_workbook(path, n_visits)` writes the six contract sheets (shared/WORKBOOK.md,
with the columns of its version 2) with about 22 rows per visit: 1 visit, 3 guests, 9
itinerary items (and, before a VIP visit, the staff's internal pre-meeting the day
before), 4 staff, 4 bookings (each with its capacity) and 1 preparation row, so 10,000
visits are about 222,500 rows. Text is stored as Excel, WPS and LibreOffice save it, once in the shared-strings table that cells point to
(xlsxwriter holds the workbook in memory for that: about 400 MB at 10,000 visits). With
`inline_strings` each cell holds its own text instead, as openpyxl writes it and
xlsxwriter's `constant_memory` mode (which writes each row to disk as it goes): a
workbook another system exports may come so. The values are the same; the sheet XML is
a third larger and takes calamine longer to parse (scripts/bench.py times both).

The visits are two-day visits spread over 2027 in workbook order (many a day when there
are many). Each visit of a day gets its own "slot": its own meeting room, a car and a team
of four staff for each day parity (a visit's second day is the next visit's first), so
bookings and staff of different visits do not overlap, except where a clash is seeded on
purpose (about 2 visits in 100: one shares a
meeting room with the visit before it, one shares that visit's guide). About 10% of the
visits carry one seeded gap each (blank required fields, a headcount that does not match
the guests, pending bookings, an owner not on the staff, ...; see GAPS), about 2% are
cancelled, visits before 15 January are completed, and a third of the visits from March
on are still being planned (approval submitted, two preparation items open). Everything
follows from the visit's index and `seed`: the output is deterministic.

Sheet names, headers, enumeration labels and preparation items come from
pipeline/contract.py and the shipped rules file; enumeration and yes/no values are
written as labels of `lang` (Chinese: 已确认, 是 ...). Dates, datetimes and times are
real cells with number formats.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.contract import SHEETS, Column  # noqa: E402
from pipeline.i18n import texts  # noqa: E402
from pipeline.layout.sheets import DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT, Formats, new_workbook  # noqa: E402
from pipeline.standard import Standard, load_standard  # noqa: E402

YEAR_START = date(2027, 1, 1)
DAYS = 360  # arrivals fall on the first 360 days of 2027; two-day visits end in 2027
COMPLETED_BEFORE = 14  # visits arriving before 15 January are completed
PLANNING_FROM = 59  # from 1 March, every third visit is still being planned

# Seeded gaps: the visit index modulo 10 picks the visits (10%), (index // 10) modulo
# len(GAPS) picks the gap.
GAP_EVERY, GAP_AT = 10, 7
GAPS = (
    "blank_visit_fields",  # objective and contact phone blank
    "headcount_mismatch",  # headcount 4, 3 guests listed
    "pending_bookings",  # hotel and restaurant still pending, not reconfirmed
    "owner_not_on_staff",  # a tour and a booking owned by someone not on the staff
    "blank_guest_fields",  # core guest's title, a guest's gender and dietary needs blank
    "preparation_open",  # no preparation owner, three items not done
    "blank_item_fields",  # an item without location, another without end time
    "approval_incomplete",  # submitted without approver, guide not trained
    "placeholders",  # objective 待定, a guest's dietary needs TBD, contact phone ?
    "capacity_short",  # the car seats 2
    "wrong_room",  # the meeting is held in another room than the one booked
    "meeting_into_dinner",  # the meeting runs until 18:30, into the dinner
    "preparation_na",  # venue ready n/a though there is a meeting; an unknown guest at lunch
)
CANCEL_EVERY, CANCEL_AT = 50, 19  # 2% cancelled
CLASH_EVERY = 100
ROOM_CLASH_AT = 42  # shares the meeting room of the visit before it, same day and time
STAFF_CLASH_AT = 77  # shares the guide of the visit before it, same day and time

# ---- words --------------------------------------------------------------------------------

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英",
         "霞", "平", "刚", "桂英", "建华", "志强", "晓东", "玉兰", "海燕", "文博", "思远", "雪梅", "浩然", "子涵")
CITIES = ("华东", "华南", "西南", "北方", "江南", "岭南", "海西", "中原", "东北", "西北", "长江", "珠江", "京津", "齐鲁",
          "荆楚", "巴蜀", "滇池", "燕赵", "闽江", "钱塘")
TRADES = ("精密机械", "智慧能源", "轨道交通装备", "生物医药", "市政工程", "港务", "新材料", "汽车零部件", "电子信息",
          "环保", "食品饮料", "物流供应链", "医疗器械", "化工", "建筑设计", "半导体", "光伏", "纺织服装")
SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司", "科技有限公司", "研究院")
TITLES = ("总经理", "副总经理", "董事长", "采购总监", "技术总监", "项目经理", "采购经理", "工程师", "总工程师", "财务总监")
ETHNICITIES = ("汉族",) * 8 + ("回族", "满族", "蒙古族", "德国", "日本")
DIETARY = ("无",) * 6 + ("清真", "素食", "不吃辣", "海鲜过敏", "不吃牛肉")
PREFERENCES = ("喜欢绿茶", "喜欢咖啡", "关注自动化产线", "喜欢书法", "偏好清淡饮食", "关注数据安全", "喜欢登山")
BACKGROUNDS = ("从业二十年，技术出身", "曾任大型国企总工程师", "负责集团采购决策", "主导数字化转型项目", "海外留学背景")
THEMES = ("深化合作 共赢未来", "数智赋能 绿色未来", "携手共进 共谋发展", "洁净制造能力考察", "智慧工厂参观交流",
          "年度客户回访", "新产品推介会")
OBJECTIVES = ("签订年度框架协议", "推介新一代产品，争取试点项目", "确认二期项目合作意向", "回访设备运行情况，推动续约",
              "展示交付能力，争取进入供应商名录", "商谈联合开发合作框架")
GIFTS = ("公司定制苏绣书签礼盒（每人一份）", "公司定制紫砂茶具礼盒（每人一份）", None)
SECURITY = "来宾到访登记并佩戴访客证；进入生产区统一佩戴安全帽，全程由接待人员陪同"
EMERGENCY = "身体不适：厂区医务室（分机 8120）；车辆故障：备用车 15 分钟内到达；航班/车次延误：行程顺延并通知各负责人"
APPROVERS = (("李国华", "li.guohua@example.com"), ("陈建平", "chen.jianping@example.com"))
HOTELS = ("江滨国际大酒店", "云栖湖畔酒店", "金陵大饭店", "开元名都酒店")
RESTAURANTS = ("江南春酒楼 牡丹厅", "江南春酒楼 兰亭厅", "伊兰清真餐厅 贵宾厅", "云栖湖畔酒店 中餐厅 雅韵厅", "松鹤楼 福字厅")
PLACES = {
    "flight": (("硕放机场 T2 到达出口", "硕放机场 T2 出发层"), ("MU", "CZ", "3U", "HO", "CA")),
    "train": (("苏州北站 出站口", "苏州北站 进站口"), ("G", "D")),
    "pickup": (("行政楼一楼大堂", "行政楼一楼大堂"), ()),
}
MODES = ("flight",) * 5 + ("train",) * 4 + ("pickup",)
TOURS = ("1号楼 一层展厅", "二号厂房 智能产线", "质量检测中心", "研发中心 实验室")
STAFF_ROLES = (("host", "销售部"), ("guide", "市场部"), ("driver", "行政部 车队"), ("minutes", "销售部"))
CLIENT_TYPES = ("existing", "potential", "partner", "existing", "other")
PURPOSES = ("negotiation", "promotion", "site_visit", "relationship", "other")
LEVELS = ("vip", "senior", "standard", "standard")


def _dt(d: date, minutes: int) -> datetime:
    return datetime.combine(d, time()) + timedelta(minutes=minutes)


def _person(k: int) -> str:
    """A Chinese name, distinct for k below len(SURNAMES) * len(GIVEN)."""
    return SURNAMES[k % len(SURNAMES)] + GIVEN[k // len(SURNAMES) % len(GIVEN)]


def _room(k: int) -> str:
    return f"{3 + k % 4}号楼 {'ABCD'[k // 4 % 4]}{3 + k // 16 % 5}{k % 4 + 1:02d} 会议室" if k < 80 \
        else f"培训中心 {k - 79}号会议室"


def _car(k: int) -> str:
    return f"公司车队 {k + 1}号车（别克GL8，7座）" if k < 60 else f"租赁车辆 苏E·{10000 + k}（商务车）"


# ---- one visit ------------------------------------------------------------------------------

class _Plan:
    """Where a visit's day, meeting room, car and staff come from."""

    def __init__(self, i: int, n: int):
        self.day = i * DAYS // n
        slot = i - -(-self.day * n // DAYS)  # the visit's place among the visits of its day
        self.room = _room(slot)
        self.car = _car(2 * slot + self.day % 2)  # a car is booked for two days: alternate
        team = 2 * slot + self.day % 2  # a team for each day parity, as cars
        self.staff = [(_person(4 * team + r), f"E{1001 + 4 * team + r}") for r in range(4)]
        if i % CLASH_EVERY in (ROOM_CLASH_AT, STAFF_CLASH_AT) and i > 0:
            prev = _Plan(i - 1, n)
            spare = 100_000 + i  # resources and people no other visit uses
            self.day = prev.day
            self.room = prev.room if i % CLASH_EVERY == ROOM_CLASH_AT else _room(spare)
            self.car = _car(spare)
            self.staff = [(_person(4 * spare + r), f"S{i:06d}{r}") for r in range(4)]
            if i % CLASH_EVERY == STAFF_CLASH_AT:
                self.staff[1] = prev.staff[1]


def visit_rows(i: int, n: int, prep_items, seed: int = 0) -> dict[str, list[dict]]:
    """Visit number i (0-based) of n as rows keyed by contract keys; enumerations as keys,
    yes/no as bools."""
    rng = random.Random(seed * 1_000_003 + i)
    plan = _Plan(i, n)
    vid = f"BV-{i + 1:06d}"
    d1 = YEAR_START + timedelta(days=plan.day)
    d2 = d1 + timedelta(days=1)
    arrival = _dt(d1, 8 * 60 + 15 * rng.randrange(11))  # 08:00-10:30
    departure = _dt(d2, 15 * 60 + 15 * rng.randrange(9))  # 15:00-17:00
    mode = rng.choice(MODES)
    (point_in, point_out), prefixes = PLACES[mode]
    ref = (lambda: f"{rng.choice(prefixes)}{rng.randrange(100, 9000)}") if prefixes else (lambda: None)
    host, guide, driver, minutes_taker = (name for name, _ in plan.staff)
    gap = GAPS[i // GAP_EVERY % len(GAPS)] if i % GAP_EVERY == GAP_AT else None
    cancelled = i % CANCEL_EVERY == CANCEL_AT
    if cancelled:
        status = "cancelled"
    elif plan.day < COMPLETED_BEFORE:
        status = "completed"
    elif plan.day >= PLANNING_FROM and i % 3 == 0:
        status = "planned"
    else:
        status = "confirmed"
    planned = status == "planned"
    approver, approver_email = APPROVERS[i % 2]
    trade = rng.choice(TRADES)
    org = f"{rng.choice(CITIES)}{trade}{rng.choice(SUFFIXES)}"
    contact = _person(rng.randrange(1000) + 500)
    gifts = rng.choice(GIFTS)

    guests = []
    for g in range(3):
        core = g == 0
        guests.append(dict(
            visit_id=vid, name=_person(rng.randrange(1400)), title=rng.choice(TITLES),
            gender=rng.choice(("male", "female")), ethnicity=rng.choice(ETHNICITIES), rank=g + 1, core=core,
            dietary=rng.choice(DIETARY) if core else "无", smoker=rng.random() < 0.2 if core else False,
            preferences=rng.choice(PREFERENCES) if core else None, background=rng.choice(BACKGROUNDS) if core else None,
            phone=f"139{rng.randrange(10**8):08d}"))
    needs = [g["dietary"] for g in guests if g["dietary"] != "无"]

    visit = dict(
        visit_id=vid, client_org=org, client_type=CLIENT_TYPES[i % len(CLIENT_TYPES)],
        purpose=PURPOSES[i % len(PURPOSES)], objective=rng.choice(OBJECTIVES), theme=rng.choice(THEMES),
        level=LEVELS[i % len(LEVELS)], headcount=len(guests),
        arrival=arrival, arrival_mode=mode, arrival_ref=ref(), arrival_point=point_in,
        departure=departure, departure_mode=mode, departure_ref=ref(), departure_point=point_out,
        requester=f"{host}（销售部）", contact_name=contact, contact_phone=f"138{rng.randrange(10**8):08d}",
        contact_email=f"contact{i + 1:06d}@example.com", org_profile=f"{org}，员工约{rng.randrange(2, 90) * 100}人",
        business_domain=f"{trade}产品研发、制造与服务", industry_position="行业骨干企业，我司重点客户",
        accommodation=True, catering=True, transport=True, gifts=gifts, security=SECURITY, emergency=EMERGENCY,
        approval="submitted" if planned else "approved", approver=approver, approver_email=approver_email,
        approved_on=None if planned else d1 - timedelta(days=10),
        approval_notes=None if planned else "同意。", briefed_on=None if planned else d1 - timedelta(days=5),
        status=status)
    if status == "completed":
        visit.update(minutes="1. 双方回顾合作情况。\n2. 就下一步合作达成初步意向。",
                     follow_up=f"{host}：两周内提交合作方案。", satisfaction=4 + i % 2)
    if cancelled:
        visit["notes"] = "客户来函取消本次来访，已通知全体人员并取消全部预订。"

    pick = (arrival.hour * 60 + arrival.minute) - 60
    guest_names = [g["name"] for g in guests]
    items = [
        dict(date=d1, start=pick, end=pick + 75, kind="pickup", activity="接站", location=point_in, owner=driver,
             attendees=host),
        dict(date=d1, start=pick + 90, end=pick + 135, kind="transfer", activity="前往公司", location="接站点 → 公司行政楼",
             owner=driver),
        dict(date=d1, start=14 * 60, end=16 * 60, kind="meeting", activity="合作会谈", location=plan.room, owner=host,
             attendees=f"{guide}、{minutes_taker}", seating="talks"),
        dict(date=d1, start=18 * 60, end=20 * 60, kind="meal", activity="欢迎晚宴", location=RESTAURANTS[i % 5],
             owner=host, seating="round"),
        dict(date=d2, start=7 * 60 + 30, end=8 * 60 + 30, kind="meal", activity="早餐",
             location=f"酒店早餐厅（{HOTELS[i % 4]}）", owner=host),
        dict(date=d2, start=9 * 60, end=10 * 60 + 30, kind="tour", activity="参观考察", location=TOURS[i % 4],
             owner=guide, attendees=host),
        dict(date=d2, start=10 * 60 + 45, end=11 * 60 + 45, kind="other", activity="座谈交流", location=plan.room,
             owner=host, attendees=minutes_taker),
        dict(date=d2, start=12 * 60, end=13 * 60, kind="meal", activity="工作午餐", location="公司食堂 贵宾间", owner=host,
             guests="、".join(guest_names[:2])),  # the third guest lunches with the client's own people
        dict(date=d2, start=(departure.hour * 60 + departure.minute) - 90,
             end=(departure.hour * 60 + departure.minute) - 30, kind="send_off", activity="送站", location=point_out,
             owner=driver, attendees=host),
    ]
    if visit["level"] == "vip":  # the staff's internal pre-meeting the day before a VIP visit
        items.insert(0, dict(date=d1 - timedelta(days=1), start=17 * 60, end=17 * 60 + 30, kind="meeting",
                             activity="接待工作预备会", location="销售部 小会议室", owner=host,
                             attendees=f"{guide}、{driver}、{minutes_taker}", client_facing=False, seating="none"))
    for it in items:
        it["visit_id"] = vid
        it["start"], it["end"] = time(*divmod(it["start"], 60)), time(*divmod(it["end"], 60))

    staff = [dict(visit_id=vid, name=name, staff_id=sid, role=role, department=dept,
                  phone=f"0512-6{int(sid[1:]) % 10**6:06d}", email=f"{sid.lower()}@example.com",
                  trained=True if role == "guide" else None, rank=r + 1)
             for r, ((name, sid), (role, dept)) in enumerate(zip(plan.staff, STAFF_ROLES))]

    booked = "cancelled" if cancelled else "confirmed"
    bookings = [
        dict(kind="meeting_room", resource=plan.room, start=_dt(d1, 13 * 60 + 30), end=_dt(d1, 16 * 60 + 30),
             capacity=12, owner=minutes_taker),
        dict(kind="hotel", resource=HOTELS[i % 4], start=_dt(d1, 14 * 60), end=_dt(d2, 12 * 60), quantity=3,
             capacity=3, details="大床房3间", reconfirmed=True, reference=f"H{rng.randrange(10**7):07d}"),
        dict(kind="restaurant", resource=RESTAURANTS[i % 5], start=_dt(d1, 17 * 60 + 30), end=_dt(d1, 20 * 60 + 30),
             quantity=1, capacity=10, details="晚宴" + (f"，{'、'.join(needs)}菜品已确认" if needs else ""),
             reconfirmed=True),
        dict(kind="vehicle", resource=plan.car, start=_dt(d1, pick - 30), end=departure, capacity=6, owner=driver),
    ]
    for b in bookings:
        b["visit_id"], b["status"] = vid, booked

    prep = dict(visit_id=vid, prep_owner=minutes_taker)
    for n_item, item in enumerate(prep_items):
        if item.na_unless and not visit.get(item.na_unless):
            prep[item.key] = "n/a"
        elif planned and n_item in (1, 6):
            prep[item.key] = "pending"
        else:
            prep[item.key] = "done"

    rows = {"visits": [visit], "guests": guests, "itinerary": items, "staff": staff, "bookings": bookings,
            "preparation": [prep]}
    if gap:
        _seed_gap(gap, rows, prep_items)
    return rows


def _seed_gap(gap: str, rows: dict[str, list[dict]], prep_items) -> None:
    visit, guests, items, staff, bookings, prep = (
        rows["visits"][0], rows["guests"], rows["itinerary"], rows["staff"], rows["bookings"], rows["preparation"][0])
    by_activity = {it["activity"]: it for it in items}  # the client's items (one of each activity)
    if gap == "blank_visit_fields":
        visit["objective"] = visit["contact_phone"] = None
    elif gap == "headcount_mismatch":
        visit["headcount"] = len(guests) + 1
    elif gap == "pending_bookings":
        for b in bookings[1:3]:
            b["status"], b["reconfirmed"] = "pending", False
    elif gap == "owner_not_on_staff":
        by_activity["参观考察"]["owner"] = bookings[0]["owner"] = "外包讲解员 小刘"
    elif gap == "blank_guest_fields":
        guests[0]["title"] = guests[1]["gender"] = guests[2]["dietary"] = None
    elif gap == "preparation_open":
        prep["prep_owner"] = None
        for item in prep_items[2:5]:
            prep[item.key] = "pending"
    elif gap == "blank_item_fields":
        by_activity["前往公司"]["location"] = by_activity["座谈交流"]["end"] = None
    elif gap == "approval_incomplete":
        visit.update(approval="submitted", approver=None, approved_on=None, briefed_on=None)
        staff[1]["trained"] = False
    elif gap == "placeholders":
        visit["objective"], visit["contact_phone"], guests[1]["dietary"] = "待定", "?", "TBD"
    elif gap == "capacity_short":
        bookings[3]["capacity"] = 2
    elif gap == "wrong_room":
        by_activity["合作会谈"]["location"] = "培训中心 报告厅"
    elif gap == "meeting_into_dinner":
        by_activity["合作会谈"]["end"] = time(18, 30)
        bookings[0]["end"] = bookings[0]["end"].replace(hour=18, minute=45)
    elif gap == "preparation_na":
        prep["venue_ready"] = "n/a"
        by_activity["工作午餐"]["guests"] = "外方翻译"


# ---- writing -------------------------------------------------------------------------------

def _cell_writers(ws, columns: tuple[Column, ...], formats: dict, lang: str):
    """Per column, a function writing one value (as held by visit_rows) into (row, col)."""
    yes, no = texts(lang)["answer"]["yes"], texts(lang)["answer"]["no"]

    def writer(col: Column):
        if col.type in ("enum", "prep"):
            labels = {c.key: c.label(lang) for c in col.choices}
            return lambda r, c, v: ws.write_string(r, c, labels[v])
        if col.type == "yesno":
            return lambda r, c, v: ws.write_string(r, c, yes if v else no)
        if col.type in ("date", "datetime", "time"):
            fmt = formats[col.type]
            return lambda r, c, v: ws.write_datetime(r, c, v, fmt)
        if col.type == "int":
            return ws.write_number
        return ws.write_string

    return [(j, col.key, writer(col)) for j, col in enumerate(columns)]


def _write_sheet(book, sheet, rows: list[dict], formats: dict, lang: str) -> None:
    ws = book.add_worksheet(sheet.label(lang))
    for j, col in enumerate(sheet.columns):
        ws.set_column(j, j, {"date": 11, "datetime": 16, "time": 7, "enum": 10, "yesno": 8, "int": 8,
                             "prep": 10}.get(col.type, 18))
        ws.write_string(0, j, col.label(lang), formats["header"])
    ws.freeze_panes(1, 1)
    writers = _cell_writers(ws, sheet.columns, formats, lang)
    for r, row in enumerate(rows, start=1):
        for j, key, write in writers:
            v = row.get(key)
            if v is not None:
                write(r, j, v)


def write_big_workbook(path: Path | str, n_visits: int, lang: str = "zh", seed: int = 0,
                       standard: Standard | None = None, inline_strings: bool = False) -> Path:
    """Write n_visits realistic visits to `path` (see the module docstring)."""
    path = Path(path)
    standard = standard or load_standard()
    sheets = {key: [] for key in (s.key for s in SHEETS)}
    for i in range(n_visits):
        for key, rows in visit_rows(i, n_visits, standard.preparation, seed).items():
            sheets[key].extend(rows)
    book = new_workbook(str(path), constant_memory=inline_strings)
    book.set_properties({"title": "benchmark visits workbook", "created": datetime(2027, 1, 1)})
    cache = Formats(book)
    formats = {"header": cache(bold=True, bg_color="#DDEBF7", border=1), "date": cache(num_format=DATE_FORMAT),
               "datetime": cache(num_format=DATETIME_FORMAT), "time": cache(num_format=TIME_FORMAT)}
    for contract_sheet in SHEETS:
        sheet = standard.sheet(contract_sheet.key)
        _write_sheet(book, sheet, sheets[sheet.key], formats, lang)
    book.close()
    return path


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of visits")
    p.add_argument("output", type=Path, help="the .xlsx file to write")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="sheet, header and label language")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--inline-strings", action="store_true",
                   help="each cell holds its own text (as openpyxl writes it), not the shared-strings table")
    args = p.parse_args(argv)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_big_workbook(args.output, args.n, args.lang, args.seed, inline_strings=args.inline_strings)
    print(f"wrote {args.output} ({args.n} visits, {args.output.stat().st_size / 1e6:.2f} MB)")
    return 0



def crowd_workbook(n: int, day: date = date(2027, 3, 10)):
    """n visits (in memory, already read) that all book meeting room A301 and have 赵强 own
    a meeting at the same time: the worst case of the checks across visits, which must
    give one finding per row, not one per pair (scripts/bench.py times it)."""
    from pipeline.model import Record, Visit, Workbook

    wb = Workbook(path=Path("crowd.xlsx"), lang="zh", sheets={}, rows={})
    start, end = datetime.combine(day, time(14)), datetime.combine(day, time(16))
    for i in range(n):
        vid = f"V{i:04d}"
        visit = Visit(record=Record("visits", i + 2, {"visit_id": vid, "status": "confirmed"}))
        visit.bookings.append(Record("bookings", i + 2, {
            "visit_id": vid, "kind": "meeting_room", "resource": "A301会议室", "start": start, "end": end,
            "status": "confirmed"}))
        visit.items.append(Record("itinerary", i + 2, {
            "visit_id": vid, "date": day, "start": time(14), "end": time(16), "kind": "meeting", "owner": "赵强"}))
        visit.staff.append(Record("staff", i + 2, {"visit_id": vid, "name": "赵强", "staff_id": "E1"}))
        wb.visits[vid] = visit
    wb.rows = {"visits": [v.record for v in wb.visits.values()], "guests": [], "preparation": [],
               **{k: [r for v in wb.visits.values() for r in getattr(v, a)]
                  for k, a in (("itinerary", "items"), ("staff", "staff"), ("bookings", "bookings"))}}
    return wb

if __name__ == "__main__":
    sys.exit(main())
