"""The company behind the realistic workbook, and one complete, correct visit.

Seven reception teams (host, guide, driver, minute-taker, a car and a meeting room each),
their restaurants and hotels, a few dozen client organisations, and `base_visit()`: a
visit written to the contract (../shared/WORKBOOK.md, version 2) that breaks no clause of
the standard as of `TODAY`. The visits of `visits.py` start from it and change one thing.

Written from the contract and the standard only, not from the check's code or rules file
(issue 13: the workbook measures the check, so it must not be shaped by it). Values are
what staff type into a Chinese workbook: enumeration labels in Chinese, 是/否, names
joined by 、.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

TODAY = date(2027, 3, 1)  # a Monday: January and February are history, March to May ahead


def dt(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(d, time(hh, mm))


@dataclass(frozen=True)
class Person:
    name: str
    staff_id: str
    department: str
    phone: str

    def row(self, vid: str, role: str, **extra) -> dict:
        email = f"{self.staff_id.lower()}@hengtai-tech.com"
        return dict(visit_id=vid, name=self.name, staff_id=self.staff_id, role=role,
                    department=self.department, phone=self.phone, email=email, **extra)


@dataclass(frozen=True)
class Team:
    host: Person
    guide: Person
    driver: Person
    minutes: Person
    vehicle: str  # as the fleet list writes it
    vehicle_model: str
    vehicle_seats: int  # passenger seats, the driver's not counted
    room: str
    room_seats: int
    lunch: str  # the restaurants the team books
    dinner: str
    hotel: str


P = Person
STAFF = {p.staff_id: p for p in (
    P("李明", "E1001", "销售部", "021-6055 1001"), P("王芳", "E1002", "市场部", "021-6055 1002"),
    P("赵强", "E1003", "行政部", "021-6055 1003"), P("陈静", "E1004", "销售部", "021-6055 1004"),
    P("刘洋", "E1005", "销售部", "021-6055 1005"), P("张伟", "E1006", "行政部", "021-6055 1006"),
    P("杨丽", "E1007", "行政部", "021-6055 1007"), P("黄磊", "E1008", "技术部", "021-6055 1008"),
    P("周婷", "E1009", "市场部", "021-6055 1009"), P("吴昊", "E1010", "行政部", "021-6055 1010"),
    P("徐静", "E1011", "总经办", "021-6055 1011"), P("孙浩", "E1012", "国际部", "021-6055 1012"),
    P("马超", "E1013", "技术部", "021-6055 1013"), P("何军", "E1014", "销售部", "021-6055 1014"),
    P("林涛", "E1015", "技术部", "021-6055 1015"), P("郭亮", "E1016", "行政部", "021-6055 1016"),
    P("罗敏", "E1017", "销售部", "021-6055 1017"), P("郑华", "E1018", "销售部", "021-6055 1018"),
    P("高洁", "E1019", "市场部", "021-6055 1019"), P("钱勇", "E1020", "行政部", "021-6055 1020"),
    P("许琳", "E1021", "销售部", "021-6055 1021"),
    P("宋佳", "E1022", "销售部", "021-6055 1022"), P("唐宁", "E1023", "市场部", "021-6055 1023"),
    P("韩松", "E1024", "行政部", "021-6055 1024"), P("冯琳", "E1025", "销售部", "021-6055 1025"),
    P("蔡文", "E1026", "销售部", "021-6055 1026"), P("邓宇", "E1027", "技术部", "021-6055 1027"),
    P("曹阳", "E1028", "行政部", "021-6055 1028"), P("彭莉", "E1029", "销售部", "021-6055 1029"),
    # A second 王芳, in finance: told apart from the guide by her staff id (§3.3.2).
    P("王芳", "E2310", "财务部", "021-6055 2310"),
)}
S = STAFF
TEAMS = {
    "A": Team(S["E1001"], S["E1002"], S["E1003"], S["E1004"], "沪A·12345", "别克GL8商务车", 6,
              "一号楼A301会议室", 12, "江南小馆", "福满楼", "锦江酒店"),
    "B": Team(S["E1005"], S["E1008"], S["E1006"], S["E1009"], "沪A·67890", "丰田埃尔法", 6,
              "一号楼B201会议室", 10, "新雅粤菜馆", "绿波廊", "和平饭店"),
    "C": Team(S["E1011"], S["E1013"], S["E1010"], S["E1007"], "沪B·3C215", "别克GL8商务车", 6,
              "总部大楼8楼贵宾厅", 16, "外婆家（张江店）", "鼎泰丰（国金店）", "全季酒店（张江店）"),
    "D": Team(S["E1014"], S["E1015"], S["E1016"], S["E1017"], "沪C·5D806", "奔驰V260", 6,
              "研发中心3楼多功能厅", 20, "小南国", "王宝和酒家", "浦东香格里拉"),
    "E": Team(S["E1018"], S["E1019"], S["E1020"], S["E1021"], "沪A·2F931", "别克GL8商务车", 6,
              "二号楼C105会议室", 14, "避风塘", "老正兴菜馆", "雅悦酒店"),
    "F": Team(S["E1022"], S["E1023"], S["E1024"], S["E1025"], "沪A·9H377", "别克GL8商务车", 6,
              "二号楼C201会议室", 12, "云海肴", "上海老饭店", "新锦江大酒店"),
    "G": Team(S["E1026"], S["E1027"], S["E1028"], S["E1029"], "沪B·6T520", "丰田埃尔法", 6,
              "总部大楼6楼会议室", 10, "南翔馒头店", "苏浙汇", "万豪酒店"),
}


@dataclass(frozen=True)
class Client:
    org: str
    type: str  # Chinese labels, as the drop-down writes them
    purpose: str
    objective: str
    theme: str
    level: str
    profile: str
    domain: str
    position: str
    contact: str
    phone: str


C = Client
CLIENTS = [
    C("华东精密机械有限公司", "现有客户", "合作洽谈", "签订2027年度框架协议", "深化合作 共赢未来", "贵宾",
      "成立于1998年的精密机械制造商", "数控机床、精密零部件", "华东地区前三", "钱红", "13800138001"),
    C("苏州纳微材料股份有限公司", "潜在客户", "产品推介", "推介新一代检测设备", "智造赋能 品质同行", "高级",
      "纳米材料上市公司", "纳米微球、色谱填料", "细分领域龙头", "顾晓", "13800138002"),
    C("宁波海天塑机集团", "合作伙伴", "参观考察", "考察联合实验室建设进度", "携手创新", "高级",
      "注塑机制造集团", "注塑成型设备", "全球注塑机产量第一", "毛立", "13800138003"),
    C("杭州云栖智能科技有限公司", "潜在客户", "产品推介", "演示MES系统与其产线对接方案", "数字工厂 一步到位", "标准",
      "工业软件初创企业", "工业互联网平台", "B轮融资，增长迅速", "楼佳", "13800138004"),
    C("合肥长鑫汽车部件有限公司", "现有客户", "关系维护", "年度客户回访", "感谢同行", "标准",
      "汽车零部件二级供应商", "底盘件、冲压件", "安徽省重点企业", "汪涛", "13800138005"),
    C("无锡先导自动化设备股份有限公司", "合作伙伴", "合作洽谈", "商定联合投标分工", "强强联合", "贵宾",
      "锂电设备龙头", "锂电池装备", "国内市场占有率第一", "顾明", "13800138006"),
    C("青岛海尔智家股份有限公司", "现有客户", "参观考察", "考察新产线交付能力", "共建灯塔工厂", "贵宾",
      "家电集团", "白色家电", "全球大型家电品牌零售量第一", "隋波", "13800138007"),
    C("武汉光谷激光技术有限公司", "潜在客户", "合作洽谈", "洽谈激光切割模组采购", "光耀未来", "高级",
      "激光器制造企业", "光纤激光器", "华中地区领先", "喻峰", "13800138008"),
    C("南京埃斯顿机器人工程有限公司", "合作伙伴", "关系维护", "回顾合作并规划下半年", "同心致远", "高级",
      "工业机器人企业", "工业机器人、运动控制", "国产机器人第一梯队", "濮阳", "13800138009"),
    C("成都航宇精工有限公司", "潜在客户", "参观考察", "考察我司航空零件加工能力", "精工铸就信赖", "贵宾",
      "航空零部件制造商", "航空结构件", "西南地区骨干企业", "罗川", "13800138010"),
    C("厦门金龙联合汽车工业有限公司", "现有客户", "合作洽谈", "续签车身焊装线维保合同", "服务无止境", "标准",
      "客车制造企业", "大中型客车", "国内客车出口前列", "陈闽", "13800138011"),
    C("深圳迈瑞医疗器械有限公司", "潜在客户", "产品推介", "推介洁净车间自动化方案", "精准 洁净 可靠", "高级",
      "医疗器械企业", "生命信息与支持", "国内医疗器械龙头", "黎敏", "13800138012"),
    C("长沙中联重科股份有限公司", "现有客户", "参观考察", "验收定制焊接机器人工作站", "重器同行", "贵宾",
      "工程机械集团", "混凝土机械、起重机械", "全球工程机械前十", "谭勇", "13800138013"),
    C("天津力神电池股份有限公司", "合作伙伴", "合作洽谈", "商谈电芯产线改造合作", "绿色动力", "高级",
      "锂离子电池企业", "动力电池、储能电池", "国内锂电池老牌企业", "边疆", "13800138014"),
    C("大连华锐重工集团", "现有客户", "关系维护", "高层互访", "百年重工 携手前行", "贵宾",
      "重型装备制造集团", "冶金、起重装备", "东北装备制造骨干", "于洋", "13800138015"),
    C("西安陕鼓动力股份有限公司", "潜在客户", "产品推介", "推介智能运维平台", "智慧运维", "标准",
      "透平机械企业", "轴流压缩机", "国内透平行业领先", "秦川", "13800138016"),
    C("佛山美的楼宇科技有限公司", "现有客户", "合作洽谈", "敲定二期项目价格", "共赢二期", "高级",
      "楼宇设备企业", "中央空调、电梯", "行业头部", "关山", "13800138017"),
    C("郑州宇通客车股份有限公司", "合作伙伴", "参观考察", "参观新能源总装线", "新能源 新未来", "贵宾",
      "客车集团", "新能源客车", "全球客车销量领先", "牛犇", "13800138018"),
    C("重庆长安汽车股份有限公司", "现有客户", "合作洽谈", "谈判焊装线改造项目", "智能焊装", "贵宾",
      "汽车集团", "乘用车、商用车", "中国品牌汽车前列", "冉冉", "13800138019"),
    C("昆山沪光汽车电器股份有限公司", "潜在客户", "参观考察", "考察线束自动化样线", "线束新工艺", "标准",
      "汽车线束企业", "汽车线束", "国内线束龙头之一", "浦江", "13800138020"),
    C("Sime Darby Industrial Sdn Bhd", "潜在客户", "合作洽谈", "洽谈东南亚代理合作", "携手开拓东盟市场", "贵宾",
      "马来西亚工业集团", "重型设备分销", "东南亚最大的卡特彼勒经销商之一", "Aisyah Rahman", "+60 12 345 6789"),
    C("江苏恒瑞医药股份有限公司", "潜在客户", "产品推介", "推介制剂车间物流自动化", "智慧药厂", "高级",
      "制药企业", "创新药、仿制药", "国内制药龙头", "严瑾", "13800138022"),
    C("上海振华重工（集团）股份有限公司", "现有客户", "关系维护", "年度高层会晤", "行稳致远", "贵宾",
      "港口机械制造集团", "岸桥、场桥", "全球港机市场领先", "岸明", "13800138023"),
    C("浙江三花智能控制股份有限公司", "合作伙伴", "合作洽谈", "联合开发热管理测试台", "协同创新", "高级",
      "制冷控制元件企业", "阀件、热管理部件", "全球制冷控制元件龙头", "花明", "13800138024"),
]


GUEST_POOL = [  # (name, gender): guests of the client organisations
    ("孙伟", "男"), ("周敏", "女"), ("郑凯", "男"), ("冯雪", "女"), ("蒋涛", "男"), ("沈悦", "女"),
    ("韩冰", "女"), ("朱琳", "女"), ("秦峰", "男"), ("尤佳", "女"), ("何平", "男"), ("吕静", "女"),
    ("施展", "男"), ("曹颖", "女"), ("严宽", "男"), ("华磊", "男"), ("金鑫", "男"), ("魏然", "女"),
    ("陶然", "男"), ("姜楠", "女"), ("谢晨", "男"), ("邹宇", "男"), ("柏松", "男"), ("窦敏", "女"),
    ("章程", "男"), ("苏航", "男"), ("潘越", "女"), ("葛亮", "男"), ("范晴", "女"), ("彭博", "男"),
    ("鲁宁", "女"), ("韦唯", "女"), ("马骏", "男"), ("方圆", "女"), ("任重", "男"), ("左岸", "女"),
]
TITLES = ["总经理", "采购总监", "技术总监", "项目经理", "工程师", "采购专员"]


def delegation(vid: str, seed: int, n: int, dietary: dict[int, str] | None = None) -> list[dict]:
    """n guests of one visit; the first is the core person with everything filled in.
    `dietary` sets a guest's need by position (the others answered 无)."""
    guests = []
    for i in range(n):
        name, gender = GUEST_POOL[(seed * 5 + i) % len(GUEST_POOL)]
        g = dict(visit_id=vid, name=name, title=TITLES[i % len(TITLES)], gender=gender, ethnicity="汉族",
                 rank=i + 1, core="是" if i == 0 else "否", dietary=(dietary or {}).get(i, "无"), smoker="否",
                 phone=f"1391234{seed:02d}{i:02d}", _tag=f"g{i + 1}")
        if i == 0:
            g.update(preferences="喜欢喝绿茶，不喜欢过甜的菜", background="在公司任职十余年，主管采购与战略合作")
        guests.append(g)
    return guests


@dataclass
class Spec:
    """One visit's rows, keyed by contract keys (`_tag` names a row for pointing at it),
    and what the evaluation should expect of it."""

    vid: str
    rows: dict[str, list[dict]]
    expect: dict = field(default_factory=dict)

    @property
    def visit(self) -> dict:
        return self.rows["visits"][0]

    def get(self, sheet: str, tag: str) -> dict:
        for r in self.rows[sheet]:
            if r.get("_tag") == tag:
                return r
        raise KeyError(f"{self.vid}: no {sheet} row tagged {tag}")

    def drop(self, sheet: str, tag: str) -> dict:
        row = self.get(sheet, tag)
        self.rows[sheet].remove(row)
        return row

    def add(self, sheet: str, tag: str, **values) -> dict:
        row = dict(visit_id=self.vid, _tag=tag, **values)
        self.rows[sheet].append(row)
        if sheet == "itinerary":
            self.rows[sheet].sort(key=_when)  # staff keep the itinerary in time order
        return row

    def staff_row(self, name: str) -> dict:
        return next(r for r in self.rows["staff"] if r["name"] == name)

    def correct(self, kind: str, note: str) -> Spec:
        """kind: `tricky` (a trap a check might fall into) or `plain`."""
        self.expect = dict(correct=True, kind=kind, note=note)
        return self

    def defect(self, group: str, clause: str | list[str], sheet: str, tag: str | None, column: str | None,
               severity: str, mistake: str, related: tuple[str, ...] = (), partner: str | None = None,
               also: tuple[tuple[str, str | None, str | None], ...] = ()) -> Spec:
        """The one mistake in this visit and where a finding should point: `tag` the row of
        `sheet` (None: the visit's row); `also` other places as good, (sheet, tag, column),
        where a check may as reasonably point (the need, or the arrangement that fails it);
        `related` clauses of findings that follow from the mistake (not false alarms);
        `partner` the other visit of a cross-visit clash."""
        self.expect = dict(correct=False, group=group, clause=clause, sheet=sheet, tag=tag, column=column,
                           severity=severity, mistake=mistake, related=list(related), partner=partner,
                           also=list(also))
        return self


def _when(item: dict) -> tuple[date, time]:
    return item["date"], item["start"]


def restaurant_details(base: str, guests: list[dict]) -> str:
    """What the receptionist writes on a restaurant booking: the menu and each known need."""
    needs = [f"{g['name']}：{g['dietary']}" for g in guests if g.get("dietary") not in (None, "无", "none")]
    return "；".join([base, *needs]) if needs else base


def base_visit(vid: str, team: str, arrive: date, client: Client, seed: int, n_guests: int = 3, nights: int = 1,
               dietary: dict[int, str] | None = None, gifts: str | None = None) -> Spec:
    """A complete visit. With nights ≥ 1 the guests fly in at 09:30 on `arrive` and out at
    15:30 on the last day; with nights = 0 they drive in for the day (no car, no hotel)."""
    t = TEAMS[team]
    last = arrive + timedelta(days=nights)
    past = last < TODAY
    day_trip = nights == 0
    guests = delegation(vid, seed, n_guests, dietary)
    approved = min(arrive - timedelta(days=14), TODAY - timedelta(days=3))
    visit = dict(
        visit_id=vid, client_org=client.org, client_type=client.type, purpose=client.purpose,
        objective=client.objective, theme=client.theme, level=client.level, headcount=n_guests,
        arrival=dt(arrive, 9, 30), arrival_mode="自驾" if day_trip else "航班",
        arrival_ref=None if day_trip else f"MU{5100 + seed}", arrival_point="公司正门" if day_trip else "虹桥机场T2",
        departure=dt(last, 16 if day_trip else 15, 30), departure_mode="自驾" if day_trip else "航班",
        departure_ref=None if day_trip else f"MU{5200 + seed}",
        departure_point="公司正门" if day_trip else "虹桥机场T2", requester=f"{t.host.department} {t.host.name}",
        contact_name=client.contact, contact_phone=client.phone,
        contact_email=f"contact{seed:02d}@client{seed:02d}.com.cn", org_profile=client.profile,
        business_domain=client.domain, industry_position=client.position,
        accommodation="否" if day_trip else "是", catering="是", transport="否" if day_trip else "是",
        gifts=gifts, security="访客证，全程陪同；车间内佩戴安全帽", emergency="医务室在一号楼一层；紧急联系人 杨丽 021-6055 1007",
        approval="已批准", approver="李国华", approver_email="li.guohua@hengtai-tech.com", approved_on=approved,
        briefed_on=approved + timedelta(days=2), status="已完成" if past else "已确认", 录入人="前台 小张")
    if past:
        visit.update(minutes="双方确认合作方向，约定下月提交方案", follow_up=f"{t.host.name}：两周内发送报价及技术方案",
                     satisfaction=5 if seed % 3 else 4)

    host, guide, driver, minutes = t.host.name, t.guide.name, t.driver.name, t.minutes.name
    items: list[dict] = []

    def item(tag, d, start, end, kind, activity, location, owner, attendees=(), **extra):
        items.append(dict(visit_id=vid, date=d, start=time(*start), end=time(*end), kind=kind, activity=activity,
                          location=location, owner=owner, attendees="、".join(attendees) or None, _tag=tag,
                          **extra))

    bookings: list[dict] = []

    def booking(tag, kind, resource, start, end, owner, **extra):
        bookings.append(dict(visit_id=vid, kind=kind, resource=resource, start=start, end=end, status="已确认",
                             owner=owner, _tag=tag, **extra))

    def meals(d, n, lunch_only=False):
        item(f"lunch{n}", d, (12, 15), (13, 30), "用餐", "工作午餐", t.lunch, host, (minutes,), seating="圆桌")
        booking(f"rest_lunch{n}", "餐饮", t.lunch, dt(d, 12), dt(d, 13, 45), host, quantity=1, capacity=8,
                details=restaurant_details("商务套餐，包间一桌", guests), reconfirmed="是",
                reference=f"JN{seed:02d}{n}")
        if not lunch_only:
            item(f"dinner{n}", d, (18, 30), (20, 30), "用餐", "欢迎晚宴", t.dinner, host, (minutes,), seating="圆桌")
            booking(f"rest_dinner{n}", "餐饮", t.dinner, dt(d, 18), dt(d, 21), host, quantity=1, capacity=12,
                    details=restaurant_details("宴请套餐，包间一桌", guests), reconfirmed="是",
                    reference=f"FM{seed:02d}{n}")

    if day_trip:
        item("meet1", arrive, (10, 0), (12, 0), "会谈", "公司介绍及业务洽谈", t.room, host, (minutes,), seating="会谈桌")
        booking("room1", "会议室", t.room, dt(arrive, 9, 30), dt(arrive, 12, 30), minutes, capacity=t.room_seats)
        meals(arrive, 1, lunch_only=True)
        item("tour1", arrive, (14, 0), (15, 30), "参观", "参观智能制造车间", "二号厂房", guide, (host,))
        item("send_off", arrive, (16, 0), (16, 20), "送站", "送别", "公司正门", host)
    else:
        item("pickup", arrive, (9, 30), (10, 30), "接站", "机场接机", "虹桥机场T2", driver, (host,))
        booking("veh_in", "车辆", t.vehicle, dt(arrive, 9), dt(arrive, 11), driver, quantity=1,
                capacity=t.vehicle_seats, details=t.vehicle_model)
        item("meet1", arrive, (11, 0), (12, 0), "会谈", "欢迎会暨公司介绍", t.room, host, (minutes,), seating="会谈桌")
        meals(arrive, 1)
        item("tour1", arrive, (14, 0), (15, 30), "参观", "参观智能制造车间", "二号厂房", guide, (host,))
        item("meet2", arrive, (15, 45), (17, 30), "会谈", "合作洽谈", t.room, host, (minutes,), seating="会谈桌")
        booking("room1", "会议室", t.room, dt(arrive, 10, 30), dt(arrive, 18), minutes, capacity=t.room_seats)
        for n in range(2, nights + 1):
            d = arrive + timedelta(days=n - 1)
            item(f"meet_d{n}", d, (9, 0), (11, 30), "会谈", "技术交流", t.room, host, (minutes,), seating="会谈桌")
            booking(f"room{n}", "会议室", t.room, dt(d, 8, 30), dt(d, 12), minutes, capacity=t.room_seats)
            meals(d, n, lunch_only=True)
            item(f"tour{n}", d, (14, 0), (16, 30), "参观", "参观研发中心", "研发中心", guide, (host,))
        item("meet_last", last, (9, 0), (11, 0), "会谈", "总结会谈", t.room, host, (minutes,), seating="会谈桌")
        booking("room_last", "会议室", t.room, dt(last, 8, 30), dt(last, 11, 30), minutes, capacity=t.room_seats)
        item("send_off", last, (12, 30), (13, 30), "送站", "送机", "虹桥机场T2", driver, (host,))
        booking("veh_out", "车辆", t.vehicle, dt(last, 12), dt(last, 14), driver, quantity=1,
                capacity=t.vehicle_seats, details=t.vehicle_model)
        booking("hotel", "住宿", t.hotel, dt(arrive, 14), dt(last, 12), host, quantity=n_guests, capacity=n_guests,
                details=f"高级大床房×{n_guests}，单人入住", reconfirmed="是", reference=f"HT{seed:02d}")

    staff = [t.host.row(vid, "主接待人", rank=1), t.guide.row(vid, "讲解员", trained="是"),
             t.minutes.row(vid, "会议记录", rank=2)]
    if not day_trip:
        staff.insert(2, t.driver.row(vid, "司机"))
    for s in staff:
        s["_tag"] = s["staff_id"]

    done = "已完成" if arrive <= date(2027, 3, 20) else "未完成"  # later visits: not due yet
    prep = dict(visit_id=vid, prep_owner=minutes, _tag="prep", **{k: done for k in PREP_ITEMS})
    prep["gifts_wrapped"] = done if gifts else "不适用"
    items.sort(key=_when)
    return Spec(vid, dict(visits=[visit], guests=guests, itinerary=items, staff=staff, bookings=bookings,
                          preparation=[prep]))


PREP_ITEMS = ("venue_ready", "av_tested", "whiteboard", "laser_pointer", "water_cups", "company_profile",
              "brochures", "case_studies", "honours", "gifts_wrapped", "signage")
