"""The visits of the realistic workbook: each a correct base visit with one realistic
mistake, or a correct visit that sets a trap for the check.

Every function returns a `Spec` whose `expect` says what a reasonable check should find
(a defect: clause, where, severity, the mistake in plain words) or that nothing at
warning or error level is due (`correct`). The visits are listed in arrival order; their
ids are given by that order. Teams (world.TEAMS) never overlap with themselves, so the
only clashes between visits are the ones made on purpose (`partner`).

Clauses are the standard's (../shared/standard/STANDARD.md). Where the standard leaves
the clause of a finding open (status against dates: §1 or §5), the expectation lists the
acceptable ones; a finding citing a sub-clause (5.2) cites its clause (5).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from world import CLIENTS, STAFF, TEAMS, Spec, base_visit, dt, restaurant_details



def D(month: int, day: int) -> date:
    return date(2027, month, day)


def _base(vid: str, seed: int, team: str, arrive: date, **kw) -> Spec:
    return base_visit(vid, team, arrive, CLIENTS[seed % len(CLIENTS)], seed, **kw)


def names(spec: Spec, *tags: str) -> str:
    return "、".join(spec.get("guests", t)["name"] for t in tags)


def morning_departure(s: Spec) -> None:
    """The guests fly out at 11:30 on the last day: no closing talks, an early send-off."""
    last = s.visit["departure"].date()
    s.visit["departure"] = dt(last, 11, 30)
    s.drop("itinerary", "meet_last")
    s.drop("bookings", "room_last")
    s.get("itinerary", "send_off").update(start=time(9, 15), end=time(10, 15))
    s.get("bookings", "veh_out").update(start=dt(last, 8, 45), end=dt(last, 10, 45))


# ---- January and February: history ---------------------------------------------------------

def none_as_answer(vid, seed):
    s = _base(vid, seed, "B", D(1, 14), gifts="无")
    s.get("preparation", "prep")["gifts_wrapped"] = "不适用"
    s.get("guests", "g2")["dietary"] = "none"
    s.get("guests", "g3")["dietary"] = "NONE"
    return s.correct("tricky", "礼品写“无”、饮食禁忌写 none/NONE/无：都是回答，不是占位符；礼品包装因此不适用")


def full_width(vid, seed):
    s = _base(vid, seed, "A", D(1, 19))
    s.visit.update(headcount="３", satisfaction="５", contact_phone="１３８００１３８００２")
    for i, g in enumerate(s.rows["guests"], start=1):
        g["rank"] = "１２３４５６７８９"[i - 1]
    s.get("bookings", "room1")["capacity"] = "１２"
    s.get("bookings", "hotel").update(quantity="３", capacity="３")
    return s.correct("tricky", "来访人数、礼宾次序、容纳人数、数量、满意度用全角数字录入（输入法未切换）")


def canteen_lunch(vid, seed):
    s = _base(vid, seed, "C", D(1, 21))
    s.drop("bookings", "rest_lunch1")
    s.get("itinerary", "lunch1").update(activity="工作午餐（员工食堂小包间）", location="公司食堂")
    return s.correct("tricky", "午餐在本公司食堂，无需对外预订；晚宴另有餐厅预订")


def by_train(vid, seed):
    s = _base(vid, seed, "D", D(1, 26))
    s.visit.update(arrival_mode="火车", arrival_ref="G7012", arrival_point="上海虹桥站",
                   departure_mode="火车", departure_ref="G7025", departure_point="上海虹桥站")
    s.get("itinerary", "pickup").update(activity="高铁站接站", location="上海虹桥站")
    s.get("itinerary", "send_off").update(activity="送站", location="上海虹桥站")
    return s.correct("tricky", "乘高铁往返，接送站在上海虹桥站（与虹桥机场同名“虹桥”，但是火车站）")


def part_lunch(vid, seed):
    s = _base(vid, seed, "E", D(2, 2), n_guests=5)
    team = TEAMS["E"]
    s.get("itinerary", "lunch1").update(activity="高层午餐", guests=names(s, "g1", "g2"))
    s.get("bookings", "rest_lunch1").update(capacity=4, details="小包间四人位，商务套餐")
    s.add("itinerary", "lab", date=D(2, 2), start=time(12, 15), end=time(13, 30), kind="参观",
          activity="实验室技术交流（工程师组）", location="研发中心实验室", owner=team.guide.name,
          guests=names(s, "g3", "g4", "g5"))
    return s.correct("tricky", "午餐只有两位高层参加（参与来宾列），订4人位；其余三位同时段参观实验室：不算时间冲突、不算超员")


def confirmed_after_departure(vid, seed):
    s = _base(vid, seed, "B", D(2, 4))
    for k in ("minutes", "follow_up", "satisfaction"):
        s.visit[k] = None
    s.visit["status"] = "已确认"
    return s.defect("status", ["5", "1"], "visits", None, "status", "warning",
                    "客户2月5日已离开，状态仍是“已确认”，没有改为“已完成”并补记纪要")


def briefed_after_arrival(vid, seed):
    s = _base(vid, seed, "A", D(2, 9))
    s.visit["briefed_on"] = D(2, 10)
    return s.defect("time", "3.3.4", "visits", None, "briefed_on", "warning",
                    "内部通报日期填成了抵达次日（2月10日），通报应在客户抵达之前")


def two_hotels(vid, seed):
    s = _base(vid, seed, "C", D(2, 16), nights=2)
    s.get("bookings", "hotel").update(end=dt(D(2, 17), 12), details="高级大床房×3，第一晚（第二晚满房）")
    s.add("bookings", "hotel2", kind="住宿", resource="和颐酒店（张江店）", start=dt(D(2, 17), 14),
          end=dt(D(2, 18), 12), quantity=3, capacity=3, details="高级大床房×3，第二晚", status="已确认",
          reconfirmed="是", owner=TEAMS["C"].host.name, reference="HY0217")
    return s.correct("tricky", "两晚分住两家酒店（第一家第二晚满房），两条住宿预订合起来覆盖每一晚")


def split_booking(vid, seed):
    s = _base(vid, seed, "D", D(2, 22))
    d = D(2, 22)
    s.get("bookings", "room1").update(end=dt(d, 16, 30))
    s.add("bookings", "room1b", kind="会议室", resource=TEAMS["D"].room, start=dt(d, 16, 30), end=dt(d, 18),
          capacity=20, details="16:30后时段续订（系统单次最长6小时）", status="已确认", owner=TEAMS["D"].minutes.name)
    return s.correct("tricky", "同一会议室两条相连的预订（10:30–16:30、16:30–18:00）合起来覆盖15:45–17:30的会谈")


def back_to_back(vid, seed):
    s = _base(vid, seed, "E", D(2, 23))
    s.get("itinerary", "meet1")["end"] = time(12, 15)
    s.get("itinerary", "tour1")["start"] = time(13, 30)
    return s.correct("tricky", "会谈12:15结束、午餐12:15开始、参观13:30接着午餐结束：首尾相接不是重叠")


def left_yesterday(vid, seed):
    s = _base(vid, seed, "A", D(2, 27))
    return s.correct("tricky", "昨天（2月28日）离开、状态“已完成”且纪要、跟进、满意度齐全")


# ---- March onwards: upcoming --------------------------------------------------------------

def late_approval(vid, seed):
    s = _base(vid, seed, "A", D(3, 2))
    s.visit.update(approved_on=D(3, 1), briefed_on=D(3, 1))
    return s.defect("time", "3.2.3", "visits", None, "approved_on", "warning",
                    "方案在抵达前一天（3月1日）才批准，不足规定的提前天数")


def av_pending_today(vid, seed):
    s = _base(vid, seed, "D", D(3, 1))
    s.get("preparation", "prep")["av_tested"] = "未完成"
    return s.defect("preparation", "3.3.1", "preparation", "prep", "av_tested", "warning",
                    "客户今天到，设备调试仍是“未完成”：准备事项应在抵达前一天完成")


def hotel_not_reconfirmed(vid, seed):
    s = _base(vid, seed, "B", D(3, 1))
    s.get("bookings", "hotel")["reconfirmed"] = "否"
    return s.defect("older", "3.3.3", "bookings", "hotel", "reconfirmed", "warning",
                    "客户今天入住，酒店预订还没有向酒店复核确认")


def meeting_into_lunch(vid, seed):
    s = _base(vid, seed, "E", D(3, 4))
    s.get("itinerary", "meet1")["end"] = time(12, 45)
    return s.defect("time", "3.2.1", "itinerary", "meet1", None, "warning",
                    "欢迎会延长到12:45，而午餐12:15开始：同一批来宾两项活动时间重叠", related=("3.3.2",),
                    also=(("itinerary", "lunch1", None),))


def dietary_to_confirm(vid, seed):
    s = _base(vid, seed, "E", D(2, 28))
    s.get("guests", "g2")["dietary"] = "待确认"
    return s.defect("placeholder", ["3.1.1", "3.3.3"], "guests", "g2", "dietary", "warning",
                    "客户昨天已到，一位来宾的饮食禁忌仍写“待确认”（占位符，等于没问），早过了期限")


def restaurant_pending(vid, seed):
    s = _base(vid, seed, "E", D(3, 2))
    s.get("bookings", "rest_dinner1").update(status="待确认", reconfirmed="否")
    return s.defect("older", "3.2.2", "bookings", "rest_dinner1", "status", "error",
                    "客户明天到，欢迎晚宴的餐厅预订状态仍是“待确认”",
                    related=("3.3.3",))


def completed_early(vid, seed):
    s = _base(vid, seed, "A", D(3, 8))
    s.visit["status"] = "已完成"
    return s.defect("status", ["5", "1"], "visits", None, "status", "error",
                    "客户3月8日才来，状态却选成了“已完成”（下拉框选错）",
                    related=("5.2", "5.3"))


def halal_dinner(vid, seed):
    s = _base(vid, seed, "C", D(3, 1), dietary={0: "清真"})
    s.get("guests", "g1")["ethnicity"] = "回族"
    s.get("bookings", "rest_dinner1")["details"] = "宴请套餐，包间一桌；海鲜为主"
    return s.defect("dietary", "3.3.3", "bookings", "rest_dinner1", "details", "error",
                    "总经理清真饮食：午餐预订写了清真，今晚欢迎晚宴的预订详情没有写",
                    also=(("guests", "g1", "dietary"), ("itinerary", "dinner1", None)))


def meals_forgotten(vid, seed):
    s = _base(vid, seed, "A", D(3, 1), nights=0)
    s.drop("itinerary", "lunch1")
    s.drop("bookings", "rest_lunch1")
    return s.defect("needs", ["3.2.2", "3.2.1", "3.3.3"], "visits", None, "catering", "error",
                    "需要用餐为“是”，但行程里没有午餐、也没有订餐厅（10点到16点的一天访问）")


def tour_after_departure(vid, seed):
    s = _base(vid, seed, "E", D(3, 9))
    s.get("itinerary", "tour1")["date"] = D(3, 11)
    return s.defect("time", "3.2.1", "itinerary", "tour1", "date", "error",
                    "参观车间的日期录成3月11日，客户3月10日下午已离开（应为3月9日）")


def one_night_of_two(vid, seed):
    s = _base(vid, seed, "G", D(2, 28), nights=2)
    s.get("bookings", "hotel")["end"] = dt(D(3, 1), 12)
    return s.defect("needs", "3.2.2", "bookings", "hotel", None, "error",
                    "住两晚（2月28日、3月1日），酒店只订到3月1日中午退房：今晚没有住处",
                    also=(("visits", None, "accommodation"),))


def flight_tbd(vid, seed):
    s = _base(vid, seed, "F", D(3, 2))
    s.visit["arrival_ref"] = "待定"
    return s.defect("placeholder", "3.1.1", "visits", None, "arrival_ref", "error",
                    "抵达航班号仍写“待定”（占位符），客户明天到，接机无法安排")


def guide_untrained(vid, seed):
    s = _base(vid, seed, "E", D(3, 15))
    s.staff_row(TEAMS["E"].guide.name)["trained"] = "否"
    return s.defect("older", "3.3.2", "staff", "E1019", "trained", "error",
                    "讲解员高洁尚未参加讲解培训，却负责参观讲解")


def borrowed_minute_taker_partner(vid, seed):
    s = _base(vid, seed, "A", D(3, 16))
    return s.correct("plain", "陈静在本次15:45–17:30的合作洽谈中做记录（另一次来访借用了她，冲突算在那边）")


def borrowed_minute_taker(vid, seed, partner):
    s = _base(vid, seed, "B", D(3, 16), nights=0)
    t = TEAMS["B"]
    d = D(3, 16)
    s.drop("itinerary", "tour1")
    s.add("itinerary", "meet_pm", date=d, start=time(13, 45), end=time(16, 0), kind="会谈", activity="商务条款洽谈",
          location=t.room, owner=t.host.name, attendees=f"{t.minutes.name}、陈静", seating="会谈桌")
    s.add("bookings", "room_pm", kind="会议室", resource=t.room, start=dt(d, 13, 30), end=dt(d, 16, 30),
          capacity=t.room_seats, status="已确认", owner=t.minutes.name)
    s.rows["staff"].append(dict(STAFF["E1004"].row(vid, "会议记录", duties="协助记录商务条款"), _tag="E1004"))
    return s.defect("people", "3.3.2", "itinerary", "meet_pm", "attendees", "warning",
                    f"借来的陈静（工号E1004）参加本次13:45–16:00的洽谈，而她同日15:45起在{partner}的洽谈中做记录",
                    partner=partner)


def room_too_small(vid, seed):
    s = _base(vid, seed, "D", D(3, 16), n_guests=5)
    t = TEAMS["D"]
    d = D(3, 16)
    s.get("bookings", "room1")["end"] = dt(d, 12, 30)
    s.get("itinerary", "meet2").update(location="研发中心2楼洽谈室", attendees=f"{t.minutes.name}、{t.guide.name}")
    s.add("bookings", "room_small", kind="会议室", resource="研发中心2楼洽谈室", start=dt(d, 15, 30), end=dt(d, 17, 45),
          capacity=6, details="6人洽谈桌", status="已确认", owner=t.minutes.name)
    return s.defect("capacity", "3.2.2", "bookings", "room_small", "capacity", "error",
                    "下午洽谈订了6人洽谈室，但5位来宾加主接待、记录、讲解员共8人",
                    also=(("itinerary", "meet2", None),))


def train_to_airport(vid, seed):
    s = _base(vid, seed, "B", D(3, 18))
    s.visit.update(arrival_mode="火车", arrival_ref="G7012", arrival_point="上海虹桥站",
                   departure_mode="火车", departure_ref="G7025", departure_point="上海虹桥站")
    s.get("itinerary", "pickup").update(activity="高铁站接站", location="上海虹桥站")
    return s.defect("time", "5.1", "itinerary", "send_off", "location", "warning",
                    "乘高铁G7025离开（上海虹桥站），送站地点却是从别的来访复制来的“虹桥机场T2”",
                    also=(("visits", None, "departure_mode"), ("visits", None, "departure_point")))


def no_send_off_car(vid, seed):
    s = _base(vid, seed, "F", D(2, 28))
    s.drop("bookings", "veh_out")
    return s.defect("needs", "3.2.2", "itinerary", "send_off", None, "error",
                    "需要接送：接机订了车，今天（3月1日）12:30送机却没有订车",
                    also=(("visits", None, "transport"),))


def same_car_partner(vid, seed):
    s = _base(vid, seed, "C", D(3, 22))
    morning_departure(s)
    return s.correct("plain", "11:30航班离开，09:15送机，用本组车沪B·3C215（另一次来访借了同一辆车，冲突算在那边）")


def gifts_not_applicable(vid, seed):
    s = _base(vid, seed, "E", D(3, 22), gifts="定制保温杯礼盒")
    s.get("preparation", "prep")["gifts_wrapped"] = "不适用"
    return s.defect("preparation", "3.3.1", "preparation", "prep", "gifts_wrapped", "error",
                    "要送定制保温杯礼盒，准备清单的“礼品包装”却填了“不适用”")


def same_car(vid, seed, partner):
    s = _base(vid, seed, "D", D(3, 23))
    s.get("bookings", "veh_in").update(resource="沪B·3C215", details="本组车辆保养，借用徐静组的别克GL8")
    return s.defect("people", ["3.3.2", "3.2.2"], "bookings", "veh_in", "resource", "error",
                    f"接机借用的沪B·3C215 在09:00–11:00已被{partner}用于送机（08:45–10:45）：一辆车同时在两处",
                    partner=partner)


def sedan_too_small(vid, seed):
    s = _base(vid, seed, "B", D(3, 24), n_guests=4)
    s.get("bookings", "veh_in").update(resource="沪A·55M09", capacity=4, details="奥迪A6L轿车（商务车保养）")
    return s.defect("capacity", ["3.2.2", "4.1.4"], "bookings", "veh_in", "capacity", "error",
                    "接机改派轿车（4个乘客座），4位来宾加陪同的主接待共5人",
                    also=(("itinerary", "pickup", None),))


def stray_booking(vid, seed):
    s = _base(vid, seed, "A", D(3, 29))
    d = D(3, 29)
    s.add("bookings", "room_extra", kind="会议室", resource="一号楼A302会议室", start=dt(d, 13, 30), end=dt(d, 15, 30),
          capacity=10, details="分组讨论用", status="已确认", owner=TEAMS["A"].minutes.name)
    return s.defect("resource", "3.2.2", "bookings", "room_extra", None, "warning",
                    "3月29日13:30–15:30还订着A302会议室（原计划分组讨论，后改为参观车间），预订没有退")


def venue_not_applicable(vid, seed):
    s = _base(vid, seed, "E", D(3, 29))
    s.get("preparation", "prep")["venue_ready"] = "不适用"
    return s.defect("preparation", "3.3.1", "preparation", "prep", "venue_ready", "error",
                    "行程有三场会谈，准备清单的“会议室整洁通风”却填了“不适用”")


def dinner_booked_for_lunch(vid, seed):
    s = _base(vid, seed, "C", D(3, 30))
    s.get("bookings", "rest_dinner1").update(start=dt(D(3, 30), 11, 30), end=dt(D(3, 30), 13, 30))
    return s.defect("resource", "3.2.2", "bookings", "rest_dinner1", None, "error",
                    "欢迎晚宴18:30在鼎泰丰，预订却订成了11:30–13:30的午市",
                    also=(("itinerary", "dinner1", None),))


def send_off_wrong_airport(vid, seed):
    s = _base(vid, seed, "D", D(3, 31))
    s.visit["departure_point"] = "浦东机场T1"
    return s.defect("time", "5.1", "itinerary", "send_off", "location", "warning",
                    "回程航班从浦东机场T1起飞，送机地点却写虹桥机场T2",
                    also=(("visits", None, "departure_point"),))


def driver_twice_partner(vid, seed):
    s = _base(vid, seed, "A", D(4, 5))
    morning_departure(s)
    return s.correct("plain", "11:30航班离开，赵强09:15–10:15送机（另一次来访同时安排他接机，冲突算在那边）")


def owner_question_mark(vid, seed):
    s = _base(vid, seed, "E", D(4, 5))
    s.get("itinerary", "tour1")["owner"] = "?"
    return s.defect("placeholder", ["3.2.1", "3.3.2"], "itinerary", "tour1", "owner", "error",
                    "参观车间的负责人写了“?”（还没定人）",
                    related=("4.2.4",))


def peanut_allergy(vid, seed):
    s = _base(vid, seed, "B", D(4, 6), dietary={1: "花生过敏"})
    s.get("bookings", "rest_lunch1")["details"] = "商务套餐，包间一桌"
    return s.defect("dietary", "3.3.3", "bookings", "rest_lunch1", "details", "error",
                    "一位来宾花生过敏：晚宴预订写了，午餐预订详情没有写",
                    also=(("guests", "g2", "dietary"), ("itinerary", "lunch1", None)))


def driver_twice(vid, seed, partner):
    s = _base(vid, seed, "C", D(4, 6))
    s.get("itinerary", "pickup")["owner"] = "赵强"
    s.get("bookings", "veh_in")["owner"] = "赵强"
    s.rows["staff"].append(dict(STAFF["E1003"].row(vid, "司机", duties="4月6日接机（吴昊休假）"), _tag="E1003"))
    return s.defect("people", "3.3.2", "itinerary", "pickup", "owner", "error",
                    f"4月6日09:30–10:30由赵强（工号E1003）接机，而他09:15–10:15要为{partner}送机",
                    partner=partner)


def suite_for_three(vid, seed):
    s = _base(vid, seed, "C", D(4, 12))
    s.get("bookings", "hotel").update(quantity=1, capacity=2, details="行政套房×1")
    return s.defect("capacity", ["3.2.2", "3.3.3"], "bookings", "hotel", "capacity", "error",
                    "三位来宾住宿，只订了一间行政套房（住2人）",
                    also=(("visits", None, "accommodation"),))


def approver_to_confirm(vid, seed):
    s = _base(vid, seed, "E", D(4, 12))
    s.visit["approver"] = "待确认"
    return s.defect("placeholder", "3.2.3", "visits", None, "approver", "error",
                    "审批状态“已批准”，审批人却写“待确认”（占位符）")


def same_name_guide(vid, seed):
    s = _base(vid, seed, "A", D(4, 13))
    return s.correct("tricky", "市场部王芳（E1002）13日14:00讲解；同日财务部另一位王芳（E2310）在另一来访陪同：按工号是两个人")


def cancelled_mess(vid, seed):
    s = _base(vid, seed, "B", D(4, 13))
    s.visit.update(status="已取消", approval="草稿", approver=None, approved_on=None, briefed_on=None, headcount=5,
                   arrival_ref="待定", contact_phone="TBD", gifts="茶叶礼盒", notes="客户预算冻结，3月5日来电取消")
    for tag in ("hotel", "rest_lunch1", "rest_dinner1", "room1", "room_last", "veh_out"):
        s.drop("bookings", tag)
    s.get("bookings", "veh_in").update(resource="沪A·12345", owner="赵强", status="待确认")
    s.get("itinerary", "pickup")["owner"] = "赵强"
    s.get("itinerary", "tour1")["owner"] = "?"
    s.get("itinerary", "meet1")["end"] = time(12, 45)
    s.get("guests", "g2")["dietary"] = None
    s.staff_row(TEAMS["B"].guide.name)["trained"] = "否"
    s.rows["staff"].append(dict(STAFF["E1003"].row(vid, "司机"), _tag="E1003"))
    prep = s.get("preparation", "prep")
    prep.update({k: "未完成" for k in prep if k not in ("visit_id", "prep_owner", "_tag")})
    prep["gifts_wrapped"] = "不适用"
    return s.correct("tricky", "已取消的来访：人数不符、占位符、无预订、时间重叠、讲解员未培训、与另一来访同车同司机，都不应再报")


def same_name_finance(vid, seed):
    s = _base(vid, seed, "D", D(4, 13))
    s.rows["staff"].append(dict(STAFF["E2310"].row(vid, "陪同人员", duties="陪同参观并解答结算问题"), _tag="E2310"))
    s.get("itinerary", "tour1")["attendees"] = f"{TEAMS['D'].host.name}、王芳"
    return s.correct("tricky", "财务部王芳（E2310）14:00陪同参观；同一时间市场部王芳（E1002）在另一来访讲解：同名不同人")


def dinner_too_small(vid, seed):
    s = _base(vid, seed, "D", D(4, 15), n_guests=5)
    t = TEAMS["D"]
    s.rows["staff"].append(dict(visit_id=vid, name="李国华", staff_id="E0001", role="其他", department="总经办",
                                duties="出席欢迎晚宴并致辞", _tag="E0001"))
    s.get("itinerary", "dinner1")["attendees"] = f"{t.minutes.name}、{t.guide.name}、李国华"
    s.get("bookings", "rest_dinner1").update(capacity=8, details="包间8人位，宴请套餐")
    return s.defect("capacity", "3.2.2", "bookings", "rest_dinner1", "capacity", "error",
                    "欢迎晚宴订8人包间，5位来宾加何军、罗敏、林涛和总经理李国华共9人",
                    also=(("itinerary", "dinner1", None),))


def same_driver_morning(vid, seed):
    s = _base(vid, seed, "B", D(4, 19))
    return s.correct("plain", "4月20日12:30–13:30张伟送机（下午他接另一批客人）")


def vegetarian_dinner(vid, seed):
    s = _base(vid, seed, "C", D(4, 19), n_guests=4, dietary={2: "不吃辣", 3: "素食"})
    s.get("bookings", "rest_dinner1")["details"] = "宴请套餐，包间一桌；一位客人不吃辣"
    return s.defect("dietary", "3.3.3", "bookings", "rest_dinner1", "details", "error",
                    "晚宴预订写了“不吃辣”，漏了另一位来宾的素食（午餐预订两项都写了）",
                    also=(("guests", "g4", "dietary"), ("itinerary", "dinner1", None)))


def approved_on_tbd(vid, seed):
    s = _base(vid, seed, "E", D(4, 19))
    s.visit["approved_on"] = "待定"
    return s.defect("placeholder", "3.2.3", "visits", None, "approved_on", "error",
                    "审批状态“已批准”，审批日期却写“待定”（占位符）")


def room_wrong_day(vid, seed):
    s = _base(vid, seed, "A", D(4, 20))
    s.get("bookings", "room_last").update(start=dt(D(4, 22), 8, 30), end=dt(D(4, 22), 11, 30))
    return s.defect("resource", "3.2.2", "bookings", "room_last", None, "error",
                    "第二天上午总结会谈的会议室订成了4月22日（客户21日下午已离开）",
                    also=(("itinerary", "meet_last", None),))


def same_driver_afternoon(vid, seed):
    s = _base(vid, seed, "B", D(4, 20))
    d = D(4, 20)
    s.visit["arrival"] = dt(d, 14, 30)
    for tag in ("lunch1", "tour1", "meet2"):
        s.drop("itinerary", tag)
    s.drop("bookings", "rest_lunch1")
    s.get("itinerary", "pickup").update(start=time(14, 30), end=time(15, 30))
    s.get("itinerary", "meet1").update(start=time(16, 0), end=time(17, 30))
    s.get("bookings", "veh_in").update(start=dt(d, 14), end=dt(d, 16))
    s.get("bookings", "room1").update(start=dt(d, 15, 30), end=dt(d, 18))
    return s.correct("tricky", "14:30到达；张伟和沪A·67890上午刚送走另一批客人（车辆预订12:00–14:00与14:00–16:00首尾相接）")


def internal_pre_meeting(vid, seed):
    s = _base(vid, seed, "D", D(4, 21))
    t = TEAMS["D"]
    d = D(4, 20)
    s.add("itinerary", "pre", date=d, start=time(16, 0), end=time(17, 0), kind="会谈", activity="内部预备会：分工与流程演练",
          location="研发中心3楼小会议室", owner=t.host.name,
          attendees="、".join((t.guide.name, t.driver.name, t.minutes.name)), client_facing="否", seating="课桌式")
    s.add("bookings", "room_pre", kind="会议室", resource="研发中心3楼小会议室", start=dt(d, 15, 30), end=dt(d, 17, 30),
          capacity=4, details="4人小会议室", status="已确认", owner=t.minutes.name)
    return s.correct("tricky", "抵达前一天的内部预备会（对客展示=否）：在来访时段之外、没有来宾，4人会议室刚好够")


def messy_formats(vid, seed):
    s = _base(vid, seed, "A", D(4, 26))
    v = s.visit
    v.update(arrival="2027-04-26 09:30", departure="2027-04-27 15:30", approved_on="2027年2月26日",
             briefed_on="2027.2.28", accommodation="需要", catering="√", transport="Y")
    for g in s.rows["guests"]:
        g["core"] = "√" if g["core"] == "是" else "×"
    for it in s.rows["itinerary"]:
        it["date"] = f"{it['date'].year}/{it['date'].month}/{it['date'].day}"
        it["start"] = f"{it['start'].hour}.{it['start'].minute:02d}"
        it["end"] = f"{it['end'].hour}:{it['end'].minute:02d}"
    s.get("itinerary", "dinner1")["location"] = "福满楼二楼牡丹厅"
    return s.correct("tricky", "文本日期时间（2027-04-26 09:30、2027/4/26、9.30、2027年2月26日、2027.2.28），是否写成√×/需要/Y；"
                               "晚宴地点“福满楼二楼牡丹厅”写明了预订的福满楼")


def headcount_off(vid, seed):
    s = _base(vid, seed, "E", D(4, 26))
    s.visit["headcount"] = 4
    return s.defect("older", "3.1.1", "visits", None, "headcount", "error",
                    "来访人数写4人，来宾名单只有3人（有一位取消后人数没改）",
                    related=("3.2.2",))


def wrong_room_number(vid, seed):
    s = _base(vid, seed, "B", D(3, 3))
    s.get("itinerary", "meet2")["location"] = "一号楼B203会议室"
    return s.defect("resource", "3.2.2", "itinerary", "meet2", "location", "error",
                    "下午洽谈地点写B203会议室，但订的是B201（B203当时没有预订）")


def two_cars(vid, seed):
    s = _base(vid, seed, "D", D(4, 28), n_guests=7)
    for tag in ("veh_in", "veh_out"):
        s.get("bookings", tag).update(resource="沪C·5D806、沪C·7K112", quantity=2, capacity=12,
                                      details="奔驰V260两辆，第二辆车队派驾")
    s.get("bookings", "rest_lunch1").update(capacity=10, details="大包间一桌十人，商务套餐")
    return s.correct("tricky", "7位来宾：接送两辆车一条预订（数量2、容纳12人），午餐订10人桌")


def no_core(vid, seed):
    s = _base(vid, seed, "E", D(5, 3))
    s.get("guests", "g1")["core"] = "否"
    return s.defect("older", "3.1.1", "visits", None, None, "error",
                    "来宾名单里没有一位标为核心人员（总经理那一行选成了“否”）",
                    also=(("guests", "g1", "core"),))


def rebooked_dinner(vid, seed):
    s = _base(vid, seed, "B", D(5, 4))
    old = s.get("bookings", "rest_dinner1")
    old.update(status="已取消", reconfirmed=None, details="客户要求改吃本帮菜，已取消")
    s.add("bookings", "rest_dinner1b", kind="餐饮", resource="南伶酒家", start=old["start"], end=old["end"],
          quantity=1, capacity=12, details=restaurant_details("本帮宴请套餐，包间一桌", s.rows["guests"]),
          status="已确认", reconfirmed="是", reference="NL0504", owner=TEAMS["B"].host.name)
    s.get("itinerary", "dinner1")["location"] = "南伶酒家"
    return s.correct("tricky", "原订绿波廊的晚宴已取消（预订状态“已取消”），改订南伶酒家：取消的预订不算多余、不需复核")


def malaysian_delegation(vid, seed):
    s = _base(vid, seed, "C", D(5, 6), gifts="丝绸围巾")
    people = [("Ahmad Faizal bin Hassan", "CEO", "男", "马来西亚", "Halal"),
              ("Lim Wei Ling", "Procurement Director", "女", "马来西亚", "Vegetarian"),
              ("Rajesh Kumar", "Regional Manager", "男", "印度", "none")]
    for g, (name, title, gender, nat, diet) in zip(s.rows["guests"], people):
        g.update(name=name, title=title, gender=gender, ethnicity=nat, dietary=diet,
                 phone=f"+60 12 555 01{g['_tag'][1:]}")
    s.get("guests", "g1").update(preferences="不饮酒；偏好英文材料", background="集团工业板块CEO，主导东南亚分销")
    s.visit.update(arrival_ref="MH388", arrival_point="浦东机场T2", departure_ref="MH389", departure_point="浦东机场T2")
    s.get("itinerary", "pickup")["location"] = "浦东机场T2"
    s.get("itinerary", "send_off")["location"] = "浦东机场T2"
    for tag in ("rest_lunch1", "rest_dinner1"):
        s.get("bookings", tag)["details"] = "清真餐（穆斯林，不含猪肉和酒精）；另备素食一份"
    interpreter = STAFF["E1012"]
    s.rows["staff"].append(dict(interpreter.row(vid, "翻译"), _tag="E1012"))
    for tag in ("meet1", "meet2", "meet_last", "lunch1", "dinner1"):
        it = s.get("itinerary", tag)
        it["attendees"] = f"{it['attendees']}、孙浩"
    return s.correct("tricky", "马来西亚客人：饮食禁忌写英文 Halal / Vegetarian，预订详情写中文“清真”“素食”：同一类需求")


def owner_typo(vid, seed):
    s = _base(vid, seed, "A", D(5, 10))
    s.get("itinerary", "meet2")["owner"] = "李铭"
    return s.defect("older", ["3.3.2", "3.2.1"], "itinerary", "meet2", "owner", "error",
                    "合作洽谈的负责人写成“李铭”（应为李明），不在本次来访的人员分工里")


def contact_tbd(vid, seed):
    s = _base(vid, seed, "G", D(3, 3))
    s.visit["contact_phone"] = "TBD"
    return s.defect("placeholder", "3.1.1", "visits", None, "contact_phone", "error",
                    "后天来访，客户对接人电话写“TBD”（占位符）")


def day_trip(vid, seed):
    s = _base(vid, seed, "C", D(5, 12), nights=0)
    return s.correct("tricky", "本地客户自驾一日来访：不需要住宿和接送，没有车辆和酒店预订，送别在公司正门")


def briefed_before_approval(vid, seed):
    s = _base(vid, seed, "A", D(5, 17))
    s.visit["briefed_on"] = D(2, 20)
    return s.defect("older", "3.3.4", "visits", None, "briefed_on", "error",
                    "内部通报日期（2月20日）早于审批日期（2月26日）：通报的不是批准后的方案")


Builder = Callable[..., Spec]
# In arrival order; a builder that takes `partner` is told the id of the visit it clashes with.
ORDER: list[tuple[Builder, str | None]] = [
    (none_as_answer, None), (full_width, None), (canteen_lunch, None), (by_train, None), (part_lunch, None),
    (confirmed_after_departure, None), (briefed_after_arrival, None), (two_hotels, None), (split_booking, None),
    (back_to_back, None), (left_yesterday, None),
    # in progress or arriving within three days: every deadline before arrival has passed
    (dietary_to_confirm, None), (no_send_off_car, None), (one_night_of_two, None),
    (av_pending_today, None), (hotel_not_reconfirmed, None), (meals_forgotten, None), (halal_dinner, None),
    (late_approval, None), (restaurant_pending, None), (flight_tbd, None), (wrong_room_number, None),
    (contact_tbd, None),
    # later
    (meeting_into_lunch, None), (completed_early, None), (tour_after_departure, None), (guide_untrained, None),
    (borrowed_minute_taker_partner, None), (borrowed_minute_taker, "borrowed_minute_taker_partner"),
    (room_too_small, None), (train_to_airport, None), (same_car_partner, None), (gifts_not_applicable, None),
    (same_car, "same_car_partner"), (sedan_too_small, None), (stray_booking, None), (venue_not_applicable, None),
    (dinner_booked_for_lunch, None), (send_off_wrong_airport, None), (driver_twice_partner, None),
    (owner_question_mark, None), (peanut_allergy, None), (driver_twice, "driver_twice_partner"),
    (suite_for_three, None), (approver_to_confirm, None), (same_name_guide, None), (cancelled_mess, None),
    (same_name_finance, None), (dinner_too_small, None), (same_driver_morning, None), (vegetarian_dinner, None),
    (approved_on_tbd, None), (room_wrong_day, None), (same_driver_afternoon, None), (internal_pre_meeting, None),
    (messy_formats, None), (headcount_off, None), (two_cars, None), (no_core, None), (rebooked_dinner, None),
    (malaysian_delegation, None), (owner_typo, None), (day_trip, None), (briefed_before_approval, None),
]


def all_visits() -> list[Spec]:
    """Every visit, ids JD27-001… in arrival order."""
    ids = {b.__name__: f"JD27-{i:03d}" for i, (b, _) in enumerate(ORDER, start=1)}
    specs = []
    for i, (build, partner) in enumerate(ORDER, start=1):
        vid = ids[build.__name__]
        spec = build(vid, i, ids[partner]) if partner else build(vid, i)
        spec.expect["name"] = build.__name__
        specs.append(spec)
    return specs

