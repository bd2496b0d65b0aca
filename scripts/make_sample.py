"""Generate the committed sample workbook input/2027年客户接待台账.xlsx.

    python scripts/make_sample.py [--output PATH]

A Chinese visits workbook written to the contract (shared/WORKBOOK.md): 13 visits of
January–July 2027 seen "as of" 2027-04-20 (the test suite checks it with
`--today 2027-04-20`). Most visits are clean; a few carry the gaps staff really leave,
one per visit where possible, so that every kind of finding can be seen in the reports
(the list is in SEEDED_GAPS below). A few cells are written the way staff type them
(text dates and times) because the reader has to cope with them.

It uses the columns of the contract's version 2 where a company would: every booking gives
its capacity, JD-2027-008's staff hold an internal pre-meeting the day before the guests
arrive (shown to client: no), and on its second day two of its guests lunch with our
general manager in a restaurant while the other two lunch in the canteen (guests
attending). The version-1 sample this replaced is kept in tests/fixtures/ for the test that
a version-1 workbook still reads.

Sheet names, headers and enumeration labels come from pipeline/contract.py, the
preparation items from pipeline/standard.yaml. The data below is keyed by contract keys
and enumeration keys; the writer turns them into the Chinese labels. Values: `D(...)`,
`T(...)`, `DT(...)` are real date, time and datetime cells; a plain string is written as
text exactly as given (so `"2027/5/18"` in a date column is a text cell); True/False are
是/否. The output is byte-for-byte deterministic.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path
from types import SimpleNamespace

import xlsxwriter
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.contract import (  # noqa: E402
    BOOKINGS, GUESTS, ITINERARY, SHEETS, STAFF, VISITS, Column, Sheet, preparation_sheet,
)

DEFAULT_OUTPUT = ROOT / "input" / "2027年客户接待台账.xlsx"
TITLE = "2027年客户接待台账"
CREATED = datetime(2027, 1, 4, 9, 0)  # fixed document date: the output is deterministic


def D(s: str) -> date:
    return date.fromisoformat(s)


def T(s: str) -> time:
    return time.fromisoformat(s)


def DT(s: str) -> datetime:
    return datetime.fromisoformat(s)


# ---- shared wording -------------------------------------------------------------------

A301 = "3号楼 A301 会议室"
B205 = "3号楼 B205 会议室"
HALL8 = "行政楼 8楼 第一会议室"
FORUM = "1号楼 多功能厅"
SHOWROOM = "1号楼 一层展厅"
LOBBY = "行政楼一楼大堂"
CANTEEN = "公司食堂 贵宾间"
AIRPORT_IN = "硕放机场 T2 到达出口"
AIRPORT_OUT = "硕放机场 T2 出发层"
STATION_IN = "苏州北站 出站口"
STATION_OUT = "苏州北站 进站口"
HOTEL_JB = "江滨国际大酒店"
HOTEL_YQ = "云栖湖畔酒店"
BREAKFAST_JB = "酒店早餐厅（江滨国际大酒店一楼）"
BREAKFAST_YQ = "酒店早餐厅（云栖湖畔酒店二楼）"
REST_PEONY = "江南春酒楼 牡丹厅"
REST_ORCHID = "江南春酒楼 兰亭厅"
REST_HALAL = "伊兰清真餐厅 贵宾厅"
REST_HALAL_1 = "伊兰清真餐厅 1号包间"
REST_YQ = "云栖湖畔酒店 中餐厅 雅韵厅"
CAR_GL8 = "公司车队 3号车（别克GL8，7座）"
CAR_COASTER = "公司车队 1号车（丰田考斯特，19座）"
TO_COMPANY = "酒店 → 公司行政楼"
TO_HOTEL = "公司行政楼 → 酒店"

SECURITY = ("来宾到访登记并佩戴访客证；进入生产区统一佩戴安全帽、穿防护鞋套，全程由接待人员陪同；"
            "涉密区域不安排参观，会谈资料按密级管理")
SECURITY_VIP = SECURITY + "；安排专人专车，行政楼贵宾电梯预留"
EMERGENCY = ("身体不适：厂区医务室（分机 8120），必要时送市立医院；车辆故障：车队备用车 15 分钟内到达；"
             "航班/车次延误：司机实时跟踪，行程顺延并通知各负责人；恶劣天气：室外参观改为展厅视频讲解")
GIFT_SILK = "公司定制苏绣书签礼盒（每人一份）"
GIFT_TEA = "公司定制紫砂茶具礼盒（每人一份）"
GIFT_FAN = "公司定制苏绣团扇礼盒（每人一份）"


# ---- 来访 Visits ------------------------------------------------------------------------

VISITS_DATA = [
    {"visit_id": "JD-2027-001", "client_org": "华东精密机械有限公司", "client_type": "existing",
     "purpose": "relationship", "objective": "回顾2026年合作成果，确认2027年度采购框架协议续签意向，争取追加五轴加工中心订单",
     "theme": "深化合作 共谋发展——2027年度合作交流", "level": "senior", "headcount": 3,
     "arrival": DT("2027-01-12 10:20"), "arrival_mode": "flight", "arrival_ref": "MU5461", "arrival_point": AIRPORT_IN,
     "departure": DT("2027-01-13 15:05"), "departure_mode": "flight", "departure_ref": "MU5462",
     "departure_point": AIRPORT_OUT, "requester": "赵磊（销售部）",
     "contact_name": "沈玉兰", "contact_phone": "13900011201", "contact_email": "shen.yulan@example.com",
     "org_profile": "成立于2003年的民营精密机械制造企业，员工约1200人，在常州、南通设有两个生产基地。",
     "business_domain": "精密零部件加工、数控机床整机装配",
     "industry_position": "华东地区精密零部件加工头部企业之一，我司五轴加工中心的第二大客户",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_SILK,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-01-05"), "approval_notes": "同意。晚宴按公司接待标准执行。", "briefed_on": D("2027-01-07"),
     "status": "completed",
     "minutes": "1. 客户对2026年设备交付及售后响应表示满意。\n"
                "2. 双方原则同意续签2027年度采购框架协议，金额与2026年持平略增。\n"
                "3. 客户希望备件供货周期缩短至7天。",
     "follow_up": "1. 赵磊：1月29日前发送框架协议续签草案。\n2. 徐磊：2月中旬前提交备件前置库存方案。",
     "satisfaction": 5},

    {"visit_id": "JD-2027-002", "client_org": "西南智慧能源集团有限公司", "client_type": "potential",
     "purpose": "promotion", "objective": "推介智慧能源管理平台，争取进入客户二季度园区微电网试点项目短名单",
     "theme": "数智赋能 绿色未来——智慧能源管理平台推介", "level": "vip", "headcount": 5,
     "arrival": DT("2027-02-23 10:40"), "arrival_mode": "flight", "arrival_ref": "3U8963", "arrival_point": AIRPORT_IN,
     "departure": DT("2027-02-25 14:50"), "departure_mode": "flight", "departure_ref": "3U8964",
     "departure_point": AIRPORT_OUT, "requester": "赵磊（销售部）",
     "contact_name": "何丽", "contact_phone": "13800023417", "contact_email": "he.li@example.com",
     "org_profile": "省属国有能源集团，下辖发电、售电、综合能源服务等18家子公司。",
     "business_domain": "电力生产与销售、综合能源服务、园区微电网",
     "industry_position": "西南地区最大的综合能源服务商之一，正在推进集团数字化转型",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_TEA,
     "security": SECURITY_VIP, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-02-10"), "approval_notes": "同意，按贵宾规格接待；注意清真餐饮安排。",
     "briefed_on": D("2027-02-15"), "status": "completed",
     "minutes": "1. 我方介绍智慧能源管理平台及三个园区案例，客户对负荷预测模块兴趣较大。\n"
                "2. 客户计划二季度启动试点招标，希望我方提前参与需求调研。\n"
                "3. 客户关注数据安全与本地化部署方案。",
     "follow_up": "1. 赵磊：3月10日前提交试点项目建议书。\n2. 徐磊：3月中旬赴客户现场开展需求调研。\n"
                  "3. 张伟：整理数据安全白皮书发送客户。",
     "satisfaction": 4},

    {"visit_id": "JD-2027-003", "client_org": "北方轨道交通装备股份有限公司", "client_type": "partner",
     "purpose": "negotiation", "objective": "就2027—2029年焊接自动化产线联合开发达成合作框架，明确分成与知识产权归属",
     "theme": "携手共进——焊接自动化联合开发合作会谈", "level": "vip", "headcount": 4,
     "arrival": DT("2027-03-09 11:05"), "arrival_mode": "train", "arrival_ref": "G105", "arrival_point": STATION_IN,
     "departure": DT("2027-03-11 15:40"), "departure_mode": "train", "departure_ref": "G130",
     "departure_point": STATION_OUT, "requester": "郑浩（副总经理）",
     "contact_name": "田甜", "contact_phone": "13700035528", "contact_email": "tian.tian@example.com",
     "org_profile": "国有控股上市公司，主营城轨车辆及关键零部件，年营业收入约260亿元。",
     "business_domain": "城轨车辆制造、转向架及牵引系统、车辆维保服务",
     "industry_position": "国内城轨车辆三强之一，我司焊接自动化产线的战略合作伙伴",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_SILK,
     "security": SECURITY_VIP, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-02-26"), "approval_notes": "同意，谈判底线按经营会意见执行。",
     "briefed_on": D("2027-03-02"), "status": "completed",
     "minutes": "1. 双方就2027—2029年焊接自动化产线联合开发达成一致。\n"
                "2. 分成比例、知识产权归属按会谈纪要附件执行。\n"
                "3. 约定4月底前完成合作协议法务审核。",
     "follow_up": None,  # gap: completed without follow-up actions
     "satisfaction": 5},

    {"visit_id": "JD-2027-004", "client_org": "岭南生物医药科技有限公司", "client_type": "potential",
     "purpose": "site_visit", "objective": "展示洁净装备交付能力，争取参与客户新建GMP厂房设备招标",
     "theme": "洁净制造能力考察", "level": "standard", "headcount": 2,
     "arrival": DT("2027-03-24 09:30"), "arrival_mode": "car", "arrival_point": LOBBY,
     "departure": DT("2027-03-24 16:30"), "departure_mode": "car", "departure_point": LOBBY,
     "requester": "吴婷（销售部）",
     "contact_name": "黎嘉欣", "contact_phone": "13600047706", "contact_email": "li.jiaxin@example.com",
     "org_profile": "成立于2012年的生物医药企业，在苏州工业园区设有华东研发中心。",
     "business_domain": "生物制剂研发与生产、医疗器械",
     "industry_position": "细分领域成长型企业，正在规划新建GMP洁净厂房",
     "accommodation": False, "catering": True, "transport": False, "gifts": None,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "陈建平", "approver_email": "chen.jianping@example.com",
     "approved_on": D("2027-03-17"), "approval_notes": "同意。", "briefed_on": D("2027-03-19"),
     "status": "completed",
     "minutes": "1. 客户考察洁净车间及质量检测中心，对我司洁净装备交付能力表示认可。\n"
                "2. 客户新厂房预计三季度招标，邀请我司参加技术交流。",
     "follow_up": "吴婷：4月15日前提交洁净装备初步方案及报价区间。",
     "satisfaction": None},  # gap: completed without satisfaction

    {"visit_id": "JD-2027-005", "client_org": "江城市政工程设计研究院", "client_type": "other",
     "purpose": "other", "objective": "介绍BIM协同设计平台在市政项目中的应用，为行业标准编制提供案例",
     "theme": "市政设计数字化交流", "level": "standard", "headcount": 2,
     "arrival": DT("2027-04-08 13:30"), "arrival_mode": "train", "arrival_ref": "G7226", "arrival_point": STATION_IN,
     "departure": DT("2027-04-09 15:00"), "departure_mode": "train", "departure_ref": "G7237",
     "departure_point": STATION_OUT, "requester": "张伟（市场部）",
     "contact_name": "秦晓东", "contact_phone": "13500052290", "contact_email": "qin.xiaodong@example.com",
     "org_profile": "由市属事业单位改制的设计研究院，设计人员约600人。",
     "business_domain": "市政道路、桥梁、给排水设计",
     "industry_position": "省内市政设计骨干单位，参与地方BIM设计标准编制",
     "accommodation": True, "catering": True, "transport": True, "gifts": None,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "陈建平", "approver_email": "chen.jianping@example.com",
     "approved_on": D("2027-03-30"), "approval_notes": "同意。", "briefed_on": D("2027-03-31"),
     "status": "cancelled",
     "notes": "4月2日对方来函：因院内工作调整取消本次来访，另行约期。\n已通知全体人员并取消全部预订。"},

    {"visit_id": "JD-2027-006", "client_org": "海西港务集团有限公司", "client_type": "existing",
     "purpose": "relationship", "objective": "回访岸桥自动化系统运行情况，推动2027年运维服务合同续约",
     "theme": "智慧港口 服务同行——年度客户回访", "level": "senior", "headcount": 3,
     "arrival": DT("2027-04-14 11:15"), "arrival_mode": "flight", "arrival_ref": "MF8531", "arrival_point": AIRPORT_IN,
     "departure": DT("2027-04-16 16:20"), "departure_mode": "flight", "departure_ref": "MF8532",
     "departure_point": AIRPORT_OUT, "requester": "赵磊（销售部）",
     "contact_name": "林海燕", "contact_phone": "13900068813", "contact_email": "lin.haiyan@example.com",
     "org_profile": "省属港口集团，运营5个港区，2026年集装箱吞吐量约1800万标箱。",
     "business_domain": "港口装卸、物流园区、港口设备运维",
     "industry_position": "东南沿海主要港口运营商之一，我司岸桥自动化系统的长期用户",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_TEA,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-04-06"), "approval_notes": "同意。", "briefed_on": D("2027-04-08"),
     "status": "confirmed"},  # gap: the guests left on 04-16 but the visit was not closed out

    {"visit_id": "JD-2027-007", "client_org": "滨海新材料科技股份有限公司", "client_type": "potential",
     "purpose": "promotion", "objective": "推介复合材料自动铺放装备，争取客户扩建产线的设备选型机会",
     "theme": "自动化赋能复合材料制造", "level": "senior", "headcount": 3,
     "arrival": DT("2027-04-22 14:35"), "arrival_mode": "train", "arrival_ref": "G7015", "arrival_point": STATION_IN,
     "departure": DT("2027-04-24 11:50"), "departure_mode": "train", "departure_ref": "G7046",
     "departure_point": STATION_OUT, "requester": "张伟（市场部）",
     "contact_name": "葛婷", "contact_phone": "13800071145", "contact_email": "ge.ting@example.com",
     "org_profile": "新三板挂牌企业，专注高性能复合材料，员工约450人。",
     "business_domain": "碳纤维复合材料、热塑性复合材料成型",
     "industry_position": "国内风电叶片复合材料主要供应商之一，正在扩建自动化产线",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_SILK,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "陈建平", "approver_email": "chen.jianping@example.com",
     "approved_on": D("2027-04-15"), "approval_notes": "同意。", "briefed_on": D("2027-04-16"),
     "status": "confirmed"},

    {"visit_id": "JD-2027-008", "client_org": "莱茵智能装备（太仓）有限公司", "client_type": "partner",
     "purpose": "negotiation", "objective": "商定2027—2028年汽车焊装线联合投标的分工、报价原则与交付责任，草签合作协议",
     "theme": "中德携手 智造共赢——汽车焊装线联合投标合作会谈", "level": "vip", "headcount": 4,
     "arrival": DT("2027-05-11 09:40"), "arrival_mode": "train", "arrival_ref": "G7012", "arrival_point": STATION_IN,
     "departure": DT("2027-05-13 14:20"), "departure_mode": "train", "departure_ref": "G7033",
     "departure_point": STATION_OUT, "requester": "郑浩（副总经理）",
     "contact_name": "周婉清", "contact_phone": "13700084402", "contact_email": "zhou.wanqing@example.com",
     "org_profile": "德国莱茵智能装备集团在华全资子公司，2008年落户太仓，员工约900人。",
     "business_domain": "工业机器人系统集成、智能仓储物流装备",
     "industry_position": "德资在华智能装备代表企业，与我司在汽车焊装线领域合作五年",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_FAN,
     "security": SECURITY_VIP, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-04-16"), "approval_notes": "同意。外宾接待注意翻译安排及礼宾次序。",
     "briefed_on": D("2027-04-19"), "status": "confirmed"},

    {"visit_id": "JD-2027-009", "client_org": "中原农业发展集团有限公司", "client_type": "existing",
     "purpose": "site_visit", "objective": "回访已交付的两期智能烘干设备，考察示范基地，了解三期采购需求",
     "theme": "智慧农机现场考察", "level": "standard", "headcount": 6,
     "arrival": DT("2027-05-18 10:05"), "arrival_mode": "train", "arrival_ref": "G1826", "arrival_point": STATION_IN,
     "departure": DT("2027-05-19 17:30"), "departure_mode": "train", "departure_ref": "G1827",
     "departure_point": STATION_OUT, "requester": "吴婷（销售部）",
     "contact_name": "马成", "contact_phone": "13600093318", "contact_email": "ma.cheng@example.com",
     "org_profile": "省属农业产业化龙头企业，业务覆盖种植、农机服务、粮食仓储。",
     "business_domain": "现代农业种植、农机社会化服务、粮食仓储物流",
     "industry_position": "中部地区农业产业化国家重点龙头企业，已采购我司智能烘干设备两期",
     "accommodation": True, "catering": True, "transport": True, "gifts": None,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "陈建平", "approver_email": "chen.jianping@example.com",
     "approved_on": D("2027-04-14"), "approval_notes": "同意。注意清真餐饮。", "briefed_on": D("2027-04-16"),
     "status": "confirmed"},

    {"visit_id": "JD-2027-010", "client_org": "东海海洋工程装备有限公司", "client_type": "partner",
     "purpose": "promotion", "objective": "推介海工焊接机器人工作站，商定双方在海工领域的联合推广方案",
     "theme": "海工焊接新品推介", "level": "senior", "headcount": 3,
     "arrival": DT("2027-05-19 08:50"), "arrival_mode": "flight", "arrival_ref": "MU5561", "arrival_point": AIRPORT_IN,
     "departure": DT("2027-05-21 12:40"), "departure_mode": "flight", "departure_ref": "MU5562",
     "departure_point": AIRPORT_OUT, "requester": "赵磊（销售部）",
     "contact_name": "叶青", "contact_phone": "13900104476", "contact_email": "ye.qing@example.com",
     "org_profile": "海洋工程装备制造企业，拥有两座万吨级船坞。",
     "business_domain": "海洋平台模块、船舶分段制造、海工焊接",
     "industry_position": "华东地区海工模块主要制造商，我司焊接机器人的合作伙伴",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_TEA,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-04-12"), "approval_notes": "同意。", "briefed_on": D("2027-04-14"),
     "status": "confirmed"},

    {"visit_id": "JD-2027-011", "client_org": "川渝文旅投资集团有限公司", "client_type": "potential",
     "purpose": "negotiation", "objective": "洽谈智慧景区整体解决方案合作，争取纳入客户集中采购供应商名录",
     "theme": "智慧文旅合作洽谈", "level": "senior",
     "headcount": 4,  # gap: four visitors, three guests listed
     "arrival": DT("2027-06-08 11:30"), "arrival_mode": "flight", "arrival_ref": "3U8967", "arrival_point": AIRPORT_IN,
     "departure": DT("2027-06-10 15:10"), "departure_mode": "flight", "departure_ref": "3U8968",
     "departure_point": AIRPORT_OUT, "requester": "张伟（市场部）",
     "contact_name": "邓佳", "contact_phone": "13800115563", "contact_email": "deng.jia@example.com",
     "org_profile": "省属文旅投资平台，管理景区、主题乐园和文旅综合体二十余个。",
     "business_domain": "文旅项目投资运营、智慧景区建设",
     "industry_position": "西南地区文旅投资龙头，正在推进智慧景区集中采购",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_SILK,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "submitted", "approver": None,  # gap: submitted, approver not recorded
     "status": "planned"},

    {"visit_id": "JD-2027-012", "client_org": "华北重型机械集团有限公司", "client_type": "existing",
     "purpose": "site_visit", "objective": "现场展示新一代大型焊接装备及客户案例，了解集团三期设备更新需求",
     "theme": "重型装备焊接解决方案现场考察", "level": "vip", "headcount": 4,
     "arrival": DT("2027-06-21 10:30"), "arrival_mode": "flight",
     "arrival_ref": None,  # gap: arrives by flight, flight number not recorded
     "arrival_point": AIRPORT_IN,
     "departure": DT("2027-06-23 16:00"), "departure_mode": "flight", "departure_ref": "CA1846",
     "departure_point": AIRPORT_OUT, "requester": "郑浩（副总经理）",
     "contact_name": "孟凡", "contact_phone": "13700126694", "contact_email": "meng.fan@example.com",
     "org_profile": "国有重型机械集团，下属6家制造企业。",
     "business_domain": "冶金与矿山重型装备、大型铸锻件",
     "industry_position": "国内重型机械行业骨干企业，我司大型焊接装备的老客户",
     "accommodation": True, "catering": True, "transport": True, "gifts": GIFT_TEA,
     "security": SECURITY_VIP, "emergency": EMERGENCY,
     "approval": "approved", "approver": "李国华", "approver_email": "li.guohua@example.com",
     "approved_on": D("2027-04-15"), "approval_notes": "同意。",
     "briefed_on": D("2027-04-12"),  # gap: the team was briefed before the plan was approved
     "status": "planned"},

    {"visit_id": "JD-2027-013", "client_org": "长三角智能制造产业联盟", "client_type": "other",
     "purpose": "relationship", "objective": "联盟年度会员走访，交流会员服务合作，争取承办联盟下半年现场会",
     "theme": "联盟会员年度走访", "level": "standard", "headcount": 2,
     "arrival": DT("2027-07-13 09:30"), "arrival_mode": "pickup", "arrival_point": "联盟秘书处（上海徐汇）",
     "departure": DT("2027-07-14 15:30"), "departure_mode": "pickup", "departure_point": LOBBY,
     "requester": "张伟（市场部）",
     "contact_name": "俞佳", "contact_phone": "13500137725", "contact_email": "yu.jia@example.com",
     "org_profile": "由区域内120余家智能制造企业和科研院所组成的行业联盟，秘书处设在上海。",
     "business_domain": "行业交流、标准研制、会员服务",
     "industry_position": "长三角地区影响力较大的智能制造行业组织，我司为理事单位",
     "accommodation": True, "catering": True, "transport": True, "gifts": None,
     "security": SECURITY, "emergency": EMERGENCY,
     "approval": "draft", "status": "planned"},
]


# ---- 来宾 Guests --------------------------------------------------------------------------

GUESTS_DATA = [
    {"visit_id": "JD-2027-001", "name": "钱志远", "title": "总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢碧螺春；关注工艺细节",
     "background": "从业二十余年，2019年起任总经理，\n主导了与我司的首期合作。", "phone": "13900011200"},
    {"visit_id": "JD-2027-001", "name": "沈玉兰", "title": "采购总监", "gender": "female", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "不吃辣", "smoker": False, "preferences": "守时，希望提前拿到会议资料",
     "background": "负责集团年度采购，是双方合作的日常对接人", "phone": "13900011201"},
    {"visit_id": "JD-2027-001", "name": "蒋涛", "title": "设备部经理", "gender": "male", "ethnicity": "汉族", "rank": 3,
     "core": False, "dietary": "无", "smoker": True, "phone": "13900011202"},

    {"visit_id": "JD-2027-002", "name": "欧阳建国", "title": "副总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢普洱茶；关注投资回报数据",
     "background": "集团分管数字化转型的副总经理，\n此前任集团下属售电公司董事长。", "phone": "13800023410"},
    {"visit_id": "JD-2027-002", "name": "马晓燕", "title": "信息中心主任", "gender": "female", "ethnicity": "回族",
     "rank": 2, "core": True, "dietary": "清真", "smoker": False, "preferences": "讲解时希望多看实际运行数据",
     "background": "负责集团信息化建设，是试点项目技术负责人", "phone": "13800023411"},
    {"visit_id": "JD-2027-002", "name": "韦刚", "title": "采购部部长", "gender": "male", "ethnicity": "壮族", "rank": 3,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢安静的用餐环境",
     "background": "主管集团集中采购", "phone": "13800023412"},
    {"visit_id": "JD-2027-002", "name": "何丽", "title": "项目经理", "gender": "female", "ethnicity": "汉族", "rank": 4,
     "core": False, "dietary": "素食", "smoker": False, "phone": "13800023417"},
    {"visit_id": "JD-2027-002", "name": "龙飞", "title": "工程师", "gender": "male", "ethnicity": "苗族", "rank": 5,
     "core": False, "dietary": "无", "smoker": False, "phone": "13800023413"},

    {"visit_id": "JD-2027-003", "name": "郝振东", "title": "副总裁", "gender": "male", "ethnicity": "满族", "rank": 1,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢茉莉花茶；习惯会前先看议程",
     "background": "分管集团供应链与战略合作，\n曾主导与我司的一期合作。", "phone": "13700035520"},
    {"visit_id": "JD-2027-003", "name": "白雪梅", "title": "战略合作部部长", "gender": "female", "ethnicity": "汉族",
     "rank": 2, "core": True, "dietary": "海鲜过敏", "smoker": False, "preferences": "对细节要求高，习惯书面确认",
     "background": "本次合作协议谈判的牵头人", "phone": "13700035521"},
    {"visit_id": "JD-2027-003", "name": "孔令辉", "title": "技术中心主任", "gender": "male", "ethnicity": "汉族", "rank": 3,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢看现场设备运行",
     "background": "焊接工艺专家，教授级高级工程师", "phone": "13700035522"},
    {"visit_id": "JD-2027-003", "name": "田甜", "title": "商务经理", "gender": "female", "ethnicity": "汉族", "rank": 4,
     "core": False, "dietary": "无", "smoker": False, "phone": "13700035528"},

    {"visit_id": "JD-2027-004", "name": "黎嘉欣", "title": "采购总监", "gender": "female", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢咖啡；行程紧凑为宜",
     "background": "负责新厂房设备采购", "phone": "13600047706"},
    {"visit_id": "JD-2027-004", "name": "梁国栋", "title": "质量部经理", "gender": "male", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "素食", "smoker": False, "preferences": "关注质量体系认证",
     "background": "GMP审计经验丰富", "phone": "13600047707"},

    {"visit_id": "JD-2027-005", "name": "秦晓东", "title": "副院长", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢听具体项目案例",
     "background": "主管院数字化工作", "phone": "13500052290"},
    {"visit_id": "JD-2027-005", "name": "许文静", "title": "BIM中心主任", "gender": "female", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "无", "smoker": False, "preferences": "关注平台与现有设计软件的数据互通",
     "background": "地方BIM设计标准编写组成员", "phone": "13500052291"},

    {"visit_id": "JD-2027-006", "name": "陈志鸿", "title": "副总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢乌龙茶；对苏州园林文化感兴趣",
     "background": "分管集团设备与信息化", "phone": "13900068810"},
    {"visit_id": "JD-2027-006", "name": "林海燕", "title": "设备管理部部长", "gender": "female", "ethnicity": "汉族",
     "rank": 2, "core": True, "dietary": "不吃辣", "smoker": False, "preferences": "关注运维响应时效",
     "background": "岸桥自动化项目甲方负责人", "phone": "13900068813"},
    {"visit_id": "JD-2027-006", "name": "黄振华", "title": "信息中心副主任", "gender": "male", "ethnicity": "畲族",
     "rank": 3, "core": False, "dietary": "无", "smoker": False, "phone": "13900068811"},

    {"visit_id": "JD-2027-007", "name": "汪建军", "title": "董事长", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢龙井茶；关注产线自动化程度",
     "background": "公司创始人，材料学博士", "phone": "13800071140"},
    {"visit_id": "JD-2027-007", "name": "葛婷", "title": "采购经理", "gender": "female", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "无", "smoker": False, "preferences": "希望提前收到设备参数资料",
     "background": "负责扩建产线的设备采购", "phone": "13800071145"},
    {"visit_id": "JD-2027-007", "name": "包文斌", "title": "生产总监", "gender": "male", "ethnicity": "蒙古族", "rank": 3,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢看设备实机演示",
     "background": "主管三个生产基地", "phone": "13800071141"},

    {"visit_id": "JD-2027-008", "name": "Jonas Hartmann", "title": "亚太区执行副总裁", "gender": "male",
     "ethnicity": "德国", "rank": 1, "core": True, "dietary": "不吃辣", "smoker": False,
     "preferences": "喜欢黑咖啡；会谈使用英语，需全程翻译",
     "background": "集团亚太区负责人，常驻上海，\n2025年起负责中国区战略合作。", "phone": "13700084400"},
    {"visit_id": "JD-2027-008", "name": "周婉清", "title": "总经理", "gender": "female", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢花茶；重视会议效率",
     "background": "莱茵太仓公司总经理，与我司合作五年", "phone": "13700084402"},
    {"visit_id": "JD-2027-008", "name": "陆子豪", "title": "采购经理", "gender": "male", "ethnicity": "汉族", "rank": 3,
     "core": False, "dietary": "无", "smoker": False, "phone": "13700084403"},
    {"visit_id": "JD-2027-008", "name": "顾晓峰", "title": "项目工程师", "gender": "male", "ethnicity": "汉族", "rank": 4,
     "core": False, "dietary": "素食", "smoker": False, "phone": "13700084404"},

    {"visit_id": "JD-2027-009", "name": "朱宏伟", "title": "副总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢信阳毛尖",
     "background": "分管集团农机与仓储板块", "phone": "13600093310"},
    {"visit_id": "JD-2027-009", "name": "马成", "title": "农机服务公司经理", "gender": "male", "ethnicity": "回族",
     "rank": 2, "core": True, "dietary": "清真", "smoker": False, "preferences": "关注设备售后网点",
     "background": "负责两期烘干设备的使用管理，是本次对接人", "phone": "13600093318"},
    {"visit_id": "JD-2027-009", "name": "杜春华", "title": "仓储物流部部长", "gender": "female",
     "ethnicity": None,  # gap: a core guest's ethnicity not asked
     "rank": 3, "core": True, "dietary": "无", "smoker": False, "preferences": "关注烘干能耗数据",
     "background": "主管集团粮食仓储", "phone": "13600093311"},
    {"visit_id": "JD-2027-009", "name": "宋立新", "title": "设备科科长", "gender": "male", "ethnicity": "汉族", "rank": 4,
     "core": False, "dietary": "无", "smoker": False, "phone": "13600093312"},
    {"visit_id": "JD-2027-009", "name": "任小燕", "title": "财务主管", "gender": "female", "ethnicity": "汉族", "rank": 5,
     "core": False, "dietary": "不吃辣", "smoker": False, "phone": "13600093313"},
    {"visit_id": "JD-2027-009", "name": "范志强", "title": "技术员", "gender": "male", "ethnicity": "汉族", "rank": 6,
     "core": False, "dietary": "无", "smoker": True, "phone": "13600093314"},

    {"visit_id": "JD-2027-010", "name": "钟海涛", "title": "总工程师", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢深入讨论技术细节",
     "background": "海工焊接工艺带头人", "phone": "13900104470"},
    {"visit_id": "JD-2027-010", "name": "叶青", "title": "合作发展部经理", "gender": "female", "ethnicity": "汉族",
     "rank": 2, "core": True, "dietary": "无", "smoker": False, "preferences": "希望会后拿到联合推广方案电子版",
     "background": "负责与我司的合作对接", "phone": "13900104476"},
    {"visit_id": "JD-2027-010", "name": "邵斌", "title": "焊接车间主任", "gender": "male", "ethnicity": "汉族", "rank": 3,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢现场看设备实操",
     "background": "一线焊接管理二十年", "phone": "13900104471"},

    # JD-2027-011: headcount 4, three guests listed (gap)
    {"visit_id": "JD-2027-011", "name": "蒲永强", "title": "副总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": False, "preferences": "喜欢竹叶青茶",
     "background": "分管集团智慧景区建设", "phone": "13800115560"},
    {"visit_id": "JD-2027-011", "name": "邓佳", "title": "投资发展部经理", "gender": "female", "ethnicity": "汉族",
     "rank": 2, "core": True, "dietary": "无", "smoker": False, "preferences": "关注项目投资回报测算",
     "background": "本次洽谈的对接人", "phone": "13800115563"},
    {"visit_id": "JD-2027-011", "name": "冉明", "title": "信息化部部长", "gender": "male", "ethnicity": "土家族", "rank": 3,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢看系统实际演示",
     "background": "负责集团各景区信息系统建设", "phone": "13800115561"},

    {"visit_id": "JD-2027-012", "name": "韩振国", "title": "集团总经理", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "无", "smoker": True, "preferences": "喜欢浓茶；不喜欢冗长的汇报",
     "background": "集团总经理，曾任下属重机公司厂长，\n对焊接工艺非常熟悉。", "phone": "13700126690"},
    {"visit_id": "JD-2027-012", "name": "孟凡", "title": "设备部部长", "gender": "male", "ethnicity": "汉族", "rank": 2,
     "core": True, "dietary": "无", "smoker": False, "preferences": "关注设备稼动率与维保",
     "background": "本次考察的对接人", "phone": "13700126694"},
    {"visit_id": "JD-2027-012", "name": "雷秀兰", "title": "总工程师", "gender": "female", "ethnicity": "汉族", "rank": 3,
     "core": True, "dietary": None,  # gap: a core guest's dietary needs not asked
     "smoker": False, "preferences": "关注焊缝质量检测手段",
     "background": "集团技术负责人", "phone": "13700126691"},
    {"visit_id": "JD-2027-012", "name": "乔宇", "title": "采购主管", "gender": "male", "ethnicity": "汉族", "rank": 4,
     "core": False, "dietary": "无", "smoker": False, "phone": "13700126692"},

    {"visit_id": "JD-2027-013", "name": "施文涛", "title": "联盟秘书长", "gender": "male", "ethnicity": "汉族", "rank": 1,
     "core": True, "dietary": "待确认", "smoker": False, "preferences": "喜欢交流行业趋势",
     "background": "长期从事行业组织工作", "phone": "13500137720"},
    {"visit_id": "JD-2027-013", "name": "俞佳", "title": "会员服务部主任", "gender": "female", "ethnicity": "汉族",
     "rank": 2, "core": True, "dietary": "素食", "smoker": False, "preferences": "关注会员企业案例",
     "background": "负责联盟会员服务与活动组织", "phone": "13500137725"},
]


# ---- 人员分工 Staff -----------------------------------------------------------------------

# The company's reception team; a staff row takes these from its name.
DIRECTORY = {
    "郑浩": {"staff_id": "E1009", "department": "总经办（副总经理）", "phone": "13912340109", "email": "zheng.hao@example.com"},
    "赵磊": {"staff_id": "E1016", "department": "销售部", "phone": "13912340116", "email": "zhao.lei@example.com"},
    "张伟": {"staff_id": "E1023", "department": "市场部", "phone": "13912340123", "email": "zhang.wei@example.com"},
    "王芳": {"staff_id": "E1037", "department": "市场部", "phone": "13912340137", "email": "wang.fang@example.com"},
    "李娜": {"staff_id": "E1052", "department": "品牌中心", "phone": "13912340152", "email": "li.na@example.com"},
    "刘洋": {"staff_id": "E1068", "department": "行政部", "phone": "13912340168", "email": "liu.yang@example.com"},
    "陈强": {"staff_id": "E1075", "department": "行政部车队", "phone": "13912340175", "email": "chen.qiang@example.com"},
    "杨静": {"staff_id": "E1081", "department": "总经办", "phone": "13912340181", "email": "yang.jing@example.com"},
    "黄敏": {"staff_id": "E1090", "department": "品牌中心", "phone": "13912340190", "email": "huang.min@example.com"},
    "周涛": {"staff_id": "E1102", "department": "行政部车队", "phone": "13912340202", "email": "zhou.tao@example.com"},
    "吴婷": {"staff_id": "E1113", "department": "销售部", "phone": "13912340213", "email": "wu.ting@example.com"},
    "徐磊": {"staff_id": "E1120", "department": "技术中心", "phone": "13912340220", "email": "xu.lei@example.com"},
    "孙悦": {"staff_id": "E1134", "department": "国际业务部", "phone": "13912340234", "email": "sun.yue@example.com"},
    "马骏": {"staff_id": "E1141", "department": "品牌中心", "phone": "13912340241", "email": "ma.jun@example.com"},
    "何雪": {"staff_id": "E1150", "department": "行政部", "phone": "13912340250", "email": "he.xue@example.com"},
    "罗斌": {"staff_id": "E1158", "department": "行政部车队", "phone": "13912340258", "email": "luo.bin@example.com"},
}

STAFF_DATA = [
    {"visit_id": "JD-2027-001", "name": "张伟", "role": "host", "rank": 1, "duties": "机场迎接；主持年度合作回顾会谈"},
    {"visit_id": "JD-2027-001", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-001", "name": "李娜", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-001", "name": "刘洋", "role": "logistics", "rank": 3, "duties": "酒店、餐厅、会议室预订及物料准备"},
    {"visit_id": "JD-2027-001", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-001", "name": "杨静", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-002", "name": "郑浩", "role": "host", "rank": 1, "duties": "主持推介会及欢迎晚宴"},
    {"visit_id": "JD-2027-002", "name": "赵磊", "role": "escort", "rank": 2, "duties": "负责商务沟通及后续跟进"},
    {"visit_id": "JD-2027-002", "name": "张伟", "role": "escort", "rank": 3, "duties": "接送机陪同"},
    {"visit_id": "JD-2027-002", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-002", "name": "李娜", "role": "guide", "trained": True, "duties": "微电网示范项目讲解"},
    {"visit_id": "JD-2027-002", "name": "刘洋", "role": "logistics", "rank": 4, "duties": "清真餐饮安排"},
    {"visit_id": "JD-2027-002", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-002", "name": "杨静", "role": "minutes", "rank": 5},

    {"visit_id": "JD-2027-003", "name": "郑浩", "role": "host", "rank": 1, "duties": "主谈；合作备忘录签署"},
    {"visit_id": "JD-2027-003", "name": "赵磊", "role": "escort", "rank": 2, "duties": "接送站陪同；商务条款准备"},
    {"visit_id": "JD-2027-003", "name": "徐磊", "role": "escort", "rank": 3, "duties": "技术方案答疑"},
    {"visit_id": "JD-2027-003", "name": "李娜", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-003", "name": "刘洋", "role": "logistics", "rank": 4, "duties": "签约仪式物料"},
    {"visit_id": "JD-2027-003", "name": "周涛", "role": "driver"},
    {"visit_id": "JD-2027-003", "name": "杨静", "role": "minutes", "rank": 5},

    {"visit_id": "JD-2027-004", "name": "吴婷", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-004", "name": "徐磊", "role": "escort", "rank": 2, "duties": "洁净装备技术答疑"},
    {"visit_id": "JD-2027-004", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-004", "name": "何雪", "role": "logistics", "rank": 3, "duties": "洁净服及参观防护用品准备"},
    {"visit_id": "JD-2027-004", "name": "杨静", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-005", "name": "张伟", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-005", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-005", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-005", "name": "何雪", "role": "logistics", "rank": 3},
    {"visit_id": "JD-2027-005", "name": "罗斌", "role": "driver"},

    {"visit_id": "JD-2027-006", "name": "赵磊", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-006", "name": "张伟", "role": "escort", "rank": 2, "duties": "文化参观陪同"},
    {"visit_id": "JD-2027-006", "name": "李娜", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-006", "name": "刘洋", "role": "logistics", "rank": 3},
    {"visit_id": "JD-2027-006", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-006", "name": "吴婷", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-007", "name": "张伟", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-007", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-007", "name": "徐磊", "role": "escort", "rank": 3, "duties": "主讲应用技术研讨"},
    {"visit_id": "JD-2027-007", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-007", "name": "刘洋", "role": "logistics", "rank": 4},
    {"visit_id": "JD-2027-007", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-007", "name": "吴婷", "role": "minutes", "rank": 5},

    {"visit_id": "JD-2027-008", "name": "郑浩", "role": "host", "rank": 1, "duties": "主谈；协议草签"},
    {"visit_id": "JD-2027-008", "name": "赵磊", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-008", "name": "孙悦", "role": "interpreter", "duties": "中英交替传译；英文资料审校"},
    {"visit_id": "JD-2027-008", "name": "李娜", "role": "guide", "trained": True, "duties": "英文讲解词已准备"},
    {"visit_id": "JD-2027-008", "name": "刘洋", "role": "logistics", "rank": 3, "duties": "外宾房间英文欢迎卡、咖啡"},
    {"visit_id": "JD-2027-008", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-008", "name": "杨静", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-009", "name": "张伟", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-009", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-009", "name": "李娜", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-009", "name": "刘洋", "role": "logistics", "rank": 3, "duties": "清真餐饮安排"},
    {"visit_id": "JD-2027-009", "name": "罗斌", "role": "driver"},
    {"visit_id": "JD-2027-009", "name": "吴婷", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-010", "name": "赵磊", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-010", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-010", "name": "马骏", "role": "guide", "trained": False},  # gap: untrained guide
    {"visit_id": "JD-2027-010", "name": "何雪", "role": "logistics", "rank": 3},
    {"visit_id": "JD-2027-010", "name": "周涛", "role": "driver"},
    {"visit_id": "JD-2027-010", "name": "杨静", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-011", "name": "张伟", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-011", "name": "吴婷", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-011", "name": "徐磊", "role": "escort", "rank": 3, "duties": "智慧景区方案演示"},
    {"visit_id": "JD-2027-011", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-011", "name": "刘洋", "role": "logistics", "rank": 4},
    {"visit_id": "JD-2027-011", "name": "陈强", "role": "driver"},
    {"visit_id": "JD-2027-011", "name": "杨静", "role": "minutes", "rank": 5},

    {"visit_id": "JD-2027-012", "name": "郑浩", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-012", "name": "赵磊", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-012", "name": "李娜", "role": "guide", "trained": True, "duties": "含园区外客户案例现场讲解"},
    {"visit_id": "JD-2027-012", "name": "刘洋", "role": "logistics", "rank": 3},
    {"visit_id": "JD-2027-012", "name": "周涛", "role": "driver"},
    {"visit_id": "JD-2027-012", "name": "杨静", "role": "minutes", "rank": 4},

    {"visit_id": "JD-2027-013", "name": "张伟", "role": "host", "rank": 1},
    {"visit_id": "JD-2027-013", "name": "王芳", "role": "escort", "rank": 2},
    {"visit_id": "JD-2027-013", "name": "黄敏", "role": "guide", "trained": True},
    {"visit_id": "JD-2027-013", "name": "何雪", "role": "logistics"},  # gap: seated at meals without a rank
    {"visit_id": "JD-2027-013", "name": "罗斌", "role": "driver", "duties": "往返上海接送"},
]


# ---- 行程 Itinerary -----------------------------------------------------------------------

ITINERARY_DATA = [
    # JD-2027-001
    {"visit_id": "JD-2027-001", "date": D("2027-01-12"), "start": T("09:50"), "end": T("11:10"), "kind": "pickup",
     "activity": "机场接机，返回公司", "location": AIRPORT_IN, "owner": "张伟", "attendees": "陈强",
     "notes": "举接站牌；车内备矿泉水和公司画册"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-12"), "start": T("11:40"), "end": T("12:40"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "张伟、王芳"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-12"), "start": T("14:00"), "end": T("16:30"), "kind": "meeting",
     "activity": "年度合作回顾及2027年采购计划沟通", "location": A301, "owner": "张伟", "attendees": "王芳、杨静"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-12"), "start": T("16:45"), "end": T("17:15"), "kind": "hotel",
     "activity": "送至酒店办理入住", "location": HOTEL_JB, "owner": "王芳", "attendees": "陈强"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-12"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "张伟", "attendees": "王芳、刘洋"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强", "attendees": "王芳"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("09:00"), "end": T("10:30"), "kind": "tour",
     "activity": "参观数控加工中心及装配车间", "location": "1号厂房", "owner": "李娜", "attendees": "王芳",
     "notes": "统一佩戴安全帽"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("10:45"), "end": T("11:45"), "kind": "meeting",
     "activity": "技术交流：新一代五轴加工中心", "location": A301, "owner": "张伟", "attendees": "杨静"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "date": D("2027-01-13"), "start": T("13:15"), "end": T("14:30"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "王芳", "attendees": "陈强"},

    # JD-2027-002
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("10:10"), "end": T("11:40"), "kind": "pickup",
     "activity": "机场接机", "location": AIRPORT_IN, "owner": "张伟", "attendees": "陈强"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("11:50"), "end": T("12:50"), "kind": "meal",
     "activity": "工作午餐（清真窗口）", "location": CANTEEN, "owner": "刘洋", "attendees": "张伟"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("14:00"), "end": T("16:00"), "kind": "meeting",
     "activity": "产品推介会：智慧能源管理平台", "location": FORUM, "owner": "郑浩", "attendees": "赵磊、张伟、杨静"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("16:15"), "end": T("17:15"), "kind": "tour",
     "activity": "参观产品展厅", "location": SHOWROOM, "owner": "黄敏", "attendees": "赵磊"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("17:30"), "end": T("18:00"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "张伟", "attendees": "陈强"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-23"), "start": T("18:30"), "end": T("20:30"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_HALAL, "owner": "郑浩", "attendees": "赵磊、张伟、刘洋"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("09:00"), "end": T("11:00"), "kind": "tour",
     "activity": "参观示范项目：园区微电网及能源站", "location": "园区能源站", "owner": "李娜", "attendees": "张伟",
     "notes": "室外参观，备雨伞"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("11:50"), "end": T("12:50"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("14:00"), "end": T("17:00"), "kind": "meeting",
     "activity": "技术方案研讨", "location": B205, "owner": "赵磊", "attendees": "张伟、杨静"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-24"), "start": T("17:10"), "end": T("17:30"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "陈强", "notes": "晚间客人自由活动"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-25"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-25"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-25"), "start": T("09:00"), "end": T("11:00"), "kind": "meeting",
     "activity": "合作意向沟通及总结", "location": A301, "owner": "郑浩", "attendees": "赵磊、杨静"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-25"), "start": T("11:30"), "end": T("12:30"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "date": D("2027-02-25"), "start": T("12:40"), "end": T("14:10"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "张伟", "attendees": "陈强"},

    # JD-2027-003
    {"visit_id": "JD-2027-003", "date": D("2027-03-09"), "start": T("10:35"), "end": T("11:45"), "kind": "pickup",
     "activity": "高铁站接站", "location": STATION_IN, "owner": "赵磊", "attendees": "周涛"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-09"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "赵磊"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-09"), "start": T("14:00"), "end": T("17:00"), "kind": "meeting",
     "activity": "合作框架会谈（第一轮）", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、徐磊、杨静"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-09"), "start": T("17:15"), "end": T("17:45"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_YQ, "owner": "赵磊", "attendees": "周涛"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-09"), "start": T("18:15"), "end": T("20:15"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "郑浩", "attendees": "赵磊、刘洋"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("09:10"), "end": T("11:30"), "kind": "tour",
     "activity": "参观焊接自动化示范产线", "location": "2号厂房", "owner": "李娜", "attendees": "徐磊"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("14:00"), "end": T("17:30"), "kind": "meeting",
     "activity": "合作框架会谈（第二轮）：分成与知识产权", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、杨静"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-10"), "start": T("17:45"), "end": T("18:10"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "周涛", "notes": "晚餐客人自行安排"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-11"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-11"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-11"), "start": T("09:30"), "end": T("11:30"), "kind": "meeting",
     "activity": "会谈总结及合作备忘录签署", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、杨静、刘洋",
     "notes": "签约台、签字笔、合影背景板"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-11"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "date": D("2027-03-11"), "start": T("13:45"), "end": T("14:40"), "kind": "send_off",
     "activity": "送站", "location": STATION_OUT, "owner": "赵磊", "attendees": "周涛"},

    # JD-2027-004 (one day, guests drive themselves)
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("09:15"), "end": T("09:40"), "kind": "pickup",
     "activity": "大堂迎接，引导至会议室", "location": LOBBY, "owner": "吴婷"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("09:45"), "end": T("11:00"), "kind": "meeting",
     "activity": "公司介绍及需求交流", "location": B205, "owner": "吴婷", "attendees": "徐磊、杨静"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("11:00"), "end": T("11:50"), "kind": "tour",
     "activity": "参观洁净车间", "location": "4号厂房", "owner": "黄敏", "attendees": "吴婷", "notes": "参观前更换洁净服"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐（另备素食）", "location": CANTEEN, "owner": "何雪", "attendees": "吴婷"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("13:30"), "end": T("15:00"), "kind": "tour",
     "activity": "参观质量检测中心", "location": "质检中心", "owner": "黄敏", "attendees": "徐磊"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("15:10"), "end": T("16:10"), "kind": "meeting",
     "activity": "交流总结", "location": B205, "owner": "吴婷", "attendees": "徐磊、杨静"},
    {"visit_id": "JD-2027-004", "date": D("2027-03-24"), "start": T("16:10"), "end": T("16:30"), "kind": "send_off",
     "activity": "大堂送别", "location": LOBBY, "owner": "吴婷"},

    # JD-2027-005 (cancelled)
    {"visit_id": "JD-2027-005", "date": D("2027-04-08"), "start": T("13:00"), "end": T("14:10"), "kind": "pickup",
     "activity": "高铁站接站", "location": STATION_IN, "owner": "王芳", "attendees": "罗斌"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-08"), "start": T("14:30"), "end": T("16:30"), "kind": "meeting",
     "activity": "BIM协同设计平台交流", "location": B205, "owner": "张伟", "attendees": "王芳"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-08"), "start": T("16:45"), "end": T("17:15"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "王芳", "attendees": "罗斌"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-08"), "start": T("18:00"), "end": T("19:30"), "kind": "meal",
     "activity": "晚餐", "location": REST_ORCHID, "owner": "张伟", "attendees": "王芳"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "何雪"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "罗斌"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("09:00"), "end": T("10:30"), "kind": "tour",
     "activity": "参观设计数字化中心", "location": "数字化中心", "owner": "黄敏", "attendees": "王芳"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("10:45"), "end": T("11:45"), "kind": "meeting",
     "activity": "市政项目案例交流", "location": B205, "owner": "张伟"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "何雪"},
    {"visit_id": "JD-2027-005", "date": D("2027-04-09"), "start": T("13:30"), "end": T("14:30"), "kind": "send_off",
     "activity": "送站", "location": STATION_OUT, "owner": "王芳", "attendees": "罗斌"},

    # JD-2027-006
    {"visit_id": "JD-2027-006", "date": D("2027-04-14"), "start": T("10:45"), "end": T("12:15"), "kind": "pickup",
     "activity": "机场接机", "location": AIRPORT_IN, "owner": "赵磊", "attendees": "陈强"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-14"), "start": T("12:30"), "end": T("13:30"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "赵磊"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-14"), "start": T("14:30"), "end": T("16:30"), "kind": "meeting",
     "activity": "岸桥自动化系统运行回顾", "location": A301, "owner": "赵磊", "attendees": "张伟、吴婷"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-14"), "start": T("16:45"), "end": T("17:15"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "张伟", "attendees": "陈强"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-14"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "赵磊", "attendees": "张伟、刘洋"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("09:00"), "end": T("11:00"), "kind": "tour",
     "activity": "参观岸桥远程操控中心及总装车间", "location": "5号厂房", "owner": "李娜", "attendees": "张伟"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("14:00"), "end": T("16:00"), "kind": "meeting",
     "activity": "2027年运维服务续约沟通", "location": A301, "owner": "赵磊", "attendees": "吴婷"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-15"), "start": T("16:15"), "end": T("16:40"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "陈强"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-16"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-16"), "start": T("09:00"), "end": T("11:30"), "kind": "other",
     "activity": "文化参观：苏州博物馆", "location": "苏州博物馆", "owner": "张伟", "attendees": "陈强",
     "notes": "已预约团体参观"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-16"), "start": T("12:00"), "end": T("13:15"), "kind": "meal",
     "activity": "告别午餐", "location": REST_ORCHID, "owner": "赵磊", "attendees": "张伟"},
    {"visit_id": "JD-2027-006", "date": D("2027-04-16"), "start": T("13:40"), "end": T("15:20"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "张伟", "attendees": "陈强"},

    # JD-2027-007 (starts 2027-04-22)
    {"visit_id": "JD-2027-007", "date": D("2027-04-22"), "start": T("14:05"), "end": T("15:20"), "kind": "pickup",
     "activity": "高铁站接站", "location": STATION_IN, "owner": "王芳", "attendees": "陈强"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-22"), "start": T("15:30"), "end": T("17:00"), "kind": "tour",
     "activity": "参观产品展厅及复合材料成型示范线", "location": SHOWROOM, "owner": "黄敏", "attendees": "王芳"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-22"), "start": T("17:15"), "end": T("17:45"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "王芳", "attendees": "陈强"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-22"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "张伟", "attendees": "王芳、刘洋"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("09:00"), "end": T("11:30"), "kind": "meeting",
     "activity": "产品推介：复合材料自动铺放装备", "location": A301, "owner": "张伟", "attendees": "徐磊、吴婷"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("14:00"), "end": T("16:00"), "kind": "meeting",
     "activity": "应用技术研讨", "location": B205, "owner": "徐磊", "attendees": "吴婷"},  # gap: no room booked
    {"visit_id": "JD-2027-007", "date": D("2027-04-23"), "start": T("16:15"), "end": T("16:40"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "陈强"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-24"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-24"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-24"), "start": T("09:00"), "end": T("10:30"), "kind": "meeting",
     "activity": "合作意向沟通", "location": A301, "owner": "张伟", "attendees": "吴婷"},
    {"visit_id": "JD-2027-007", "date": D("2027-04-24"), "start": T("10:40"), "end": T("11:30"), "kind": "send_off",
     "activity": "送站", "location": STATION_OUT, "owner": "王芳", "attendees": "陈强"},

    # JD-2027-008 (the staff's own pre-meeting the day before: internal, kept from the client)
    {"visit_id": "JD-2027-008", "date": D("2027-05-10"), "start": T("16:00"), "end": T("16:45"), "kind": "meeting",
     "activity": "接待工作预备会：分工确认及流程演练", "location": "行政楼 8楼 小会议室", "owner": "郑浩",
     "attendees": "赵磊、孙悦、李娜、刘洋、陈强、杨静", "client_facing": False, "seating": "none"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("09:10"), "end": T("10:20"), "kind": "pickup",
     "activity": "高铁站接站", "location": STATION_IN, "owner": "赵磊", "attendees": "陈强、孙悦"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("10:30"), "end": T("12:00"), "kind": "meeting",
     "activity": "合作会谈（一）：2027—2028年汽车焊装线联合投标", "location": HALL8, "owner": "郑浩",
     "attendees": "赵磊、孙悦、杨静", "seating": "talks", "notes": "中英文桌签、双语议程"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "孙悦"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("14:00"), "end": T("16:00"), "kind": "tour",
     "activity": "参观焊装线总装车间及机器人实验室", "location": "2号厂房", "owner": "李娜", "attendees": "孙悦"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("16:30"), "end": T("17:00"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_YQ, "owner": "赵磊", "attendees": "陈强"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-11"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_YQ, "owner": "郑浩", "attendees": "赵磊、孙悦、刘洋", "seating": "round"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("09:15"), "end": T("11:45"), "kind": "meeting",
     "activity": "合作会谈（二）：分工、报价与交付", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、孙悦、杨静"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "高层工作午餐", "location": REST_ORCHID, "owner": "郑浩", "attendees": "孙悦",
     "guests": "Jonas Hartmann、周婉清", "seating": "round"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋", "guests": "陆子豪、顾晓峰"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("14:00"), "end": T("16:30"), "kind": "meeting",
     "activity": "技术对接：焊装线仿真与接口标准", "location": B205, "owner": "赵磊", "attendees": "孙悦、杨静"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-12"), "start": T("16:45"), "end": T("17:10"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "陈强"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-13"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-13"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-13"), "start": T("09:30"), "end": T("11:00"), "kind": "meeting",
     "activity": "合作协议草签", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、孙悦、杨静",
     "notes": "签约台、中英文协议文本各两份"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-13"), "start": T("11:30"), "end": T("12:45"), "kind": "meal",
     "activity": "告别午餐", "location": REST_ORCHID, "owner": "赵磊", "attendees": "孙悦、刘洋"},
    {"visit_id": "JD-2027-008", "date": D("2027-05-13"), "start": T("13:00"), "end": T("13:50"), "kind": "send_off",
     "activity": "送站", "location": STATION_OUT, "owner": "赵磊", "attendees": "陈强、孙悦"},

    # JD-2027-009 (some cells typed the way staff type them)
    {"visit_id": "JD-2027-009", "date": D("2027-05-18"), "start": T("09:35"), "end": T("11:00"), "kind": "pickup",
     "activity": "高铁站接站", "location": STATION_IN, "owner": "张伟", "attendees": "罗斌"},
    {"visit_id": "JD-2027-009", "date": "2027/5/18", "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "工作午餐（清真窗口）", "location": CANTEEN, "owner": "刘洋", "attendees": "张伟"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-18"), "start": T("14:00"), "end": T("16:00"), "kind": "meeting",
     "activity": "智能烘干设备使用情况回访", "location": B205, "owner": "张伟", "attendees": "吴婷"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-18"), "start": T("16:15"), "end": T("17:30"), "kind": "tour",
     "activity": "参观烘干设备总装线", "location": "6号厂房", "owner": "李娜", "attendees": "王芳"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-18"), "start": T("17:45"), "end": T("18:15"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "王芳", "attendees": "罗斌"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-18"), "start": T("18:30"), "end": T("20:30"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_HALAL_1, "owner": "张伟", "attendees": "王芳、刘洋"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "date": "2027年5月19日", "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "罗斌"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": "9:30", "end": T("11:30"), "kind": "meeting",
     "activity": "三期采购需求沟通", "location": A301, "owner": "张伟", "attendees": "吴婷"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": "14.00", "end": T("15:30"), "kind": "tour",
     "activity": "参观智能农机示范基地", "location": "公司农机示范基地", "owner": "王芳", "attendees": "李娜、罗斌"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": T("15:45"), "end": T("16:30"), "kind": "meeting",
     "activity": "交流总结", "location": B205, "owner": "张伟", "attendees": "吴婷"},
    {"visit_id": "JD-2027-009", "date": D("2027-05-19"), "start": T("16:40"), "end": T("17:20"), "kind": "send_off",
     "activity": "送站", "location": STATION_OUT, "owner": "张伟", "attendees": "罗斌"},

    # JD-2027-010 (overlaps JD-2027-009 on 2027-05-19)
    {"visit_id": "JD-2027-010", "date": D("2027-05-19"), "start": T("08:20"), "end": T("09:40"), "kind": "pickup",
     "activity": "机场接机", "location": AIRPORT_IN, "owner": "赵磊", "attendees": "周涛"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-19"), "start": T("10:00"), "end": T("12:00"), "kind": "meeting",
     "activity": "新品推介：海工焊接机器人工作站", "location": A301, "owner": "赵磊", "attendees": "杨静"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-19"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "工作午餐", "location": "公司食堂 二楼包间", "owner": "何雪", "attendees": "赵磊"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-19"), "start": T("14:00"), "end": T("15:00"), "kind": "hotel",
     "activity": "办理入住并稍作休息", "location": HOTEL_YQ, "owner": "王芳", "attendees": "周涛"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-19"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "赵建国", "attendees": "赵磊、何雪"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "何雪"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("09:15"), "end": T("11:15"), "kind": "tour",
     "activity": "参观焊接机器人生产线及应用实验室", "location": "2号厂房", "owner": "马骏", "attendees": "王芳"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "何雪"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("14:00"), "end": T("16:30"), "kind": "meeting",
     "activity": "联合推广方案讨论", "location": A301, "owner": "赵磊", "attendees": "杨静"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-20"), "start": T("16:45"), "end": T("17:10"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "周涛"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-21"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "何雪"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-21"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-21"), "start": T("09:15"), "end": T("10:30"), "kind": "meeting",
     "activity": "总结交流", "location": A301, "owner": "赵磊", "attendees": "杨静"},
    {"visit_id": "JD-2027-010", "date": D("2027-05-21"), "start": T("10:45"), "end": T("12:00"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "王芳", "attendees": "周涛"},

    # JD-2027-011
    {"visit_id": "JD-2027-011", "date": D("2027-06-08"), "start": T("11:00"), "end": T("12:30"), "kind": "pickup",
     "activity": "机场接机", "location": AIRPORT_IN, "owner": "张伟", "attendees": "陈强"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-08"), "start": T("12:40"), "end": T("13:40"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "张伟"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-08"), "start": T("14:30"), "end": T("17:00"), "kind": "meeting",
     "activity": "合作洽谈：智慧景区整体解决方案", "location": A301, "owner": "张伟", "attendees": "吴婷、杨静"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-08"), "start": T("17:15"), "end": T("17:45"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "吴婷", "attendees": "陈强"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-08"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_PEONY, "owner": "张伟", "attendees": "吴婷、刘洋"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("09:00"), "end": T("10:30"), "kind": "tour",
     "activity": "参观产品展厅", "location": SHOWROOM, "owner": "黄敏", "attendees": "吴婷"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("10:45"), "end": T("11:45"), "kind": "tour",
     "activity": "参观智慧景区运营指挥中心（系统演示）", "location": "1号楼 三层演示中心", "owner": "吴婷",
     "attendees": "徐磊"},  # gap: a tour with no guide
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("14:00"), "end": T("17:00"), "kind": "meeting",
     "activity": "商务条款洽谈", "location": A301, "owner": "张伟", "attendees": "吴婷、杨静"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-09"), "start": T("17:15"), "end": T("17:40"), "kind": "transfer",
     "activity": "返回酒店", "location": TO_HOTEL, "owner": "陈强"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-10"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-10"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "陈强"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-10"), "start": T("09:30"), "end": T("11:30"), "kind": "meeting",
     "activity": "会谈总结", "location": A301, "owner": "张伟", "attendees": "杨静"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-10"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "date": D("2027-06-10"), "start": T("13:00"), "end": T("14:30"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "吴婷", "attendees": "陈强"},

    # JD-2027-012
    {"visit_id": "JD-2027-012", "date": D("2027-06-21"), "start": T("10:00"), "end": T("11:40"), "kind": "pickup",
     "activity": "机场接机", "location": AIRPORT_IN, "owner": "赵磊", "attendees": "周涛", "notes": "航班号待客户提供"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-21"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "工作午餐", "location": CANTEEN, "owner": "刘洋", "attendees": "赵磊"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-21"), "start": T("14:00"), "end": T("16:30"), "kind": "meeting",
     "activity": "大型焊接装备使用情况交流", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、杨静"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-21"), "start": T("16:45"), "end": T("17:15"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_YQ, "owner": "赵磊", "attendees": "周涛"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-21"), "start": T("18:00"), "end": T("20:00"), "kind": "meal",
     "activity": "欢迎晚宴", "location": REST_YQ, "owner": "郑浩", "attendees": "赵磊、刘洋"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("09:15"), "end": T("11:45"), "kind": "tour",
     "activity": "参观重型焊接装备总装车间", "location": "5号厂房", "owner": "李娜", "attendees": "赵磊"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("13:20"), "end": T("13:50"), "kind": "transfer",
     "activity": "前往客户案例现场", "location": "公司 → 园区钢结构项目现场", "owner": "周涛"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("14:00"), "end": T("16:00"), "kind": "tour",
     "activity": "参观客户案例现场：园区钢结构项目", "location": "园区钢结构项目现场", "owner": "李娜",
     "attendees": "赵磊", "notes": "现场佩戴安全帽"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-22"), "start": T("16:15"), "end": T("16:45"), "kind": "transfer",
     "activity": "返回酒店", "location": "园区钢结构项目现场 → 酒店", "owner": "周涛"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-23"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_YQ, "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-23"), "start": T("08:40"), "end": T("09:05"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "周涛"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-23"), "start": T("09:30"), "end": T("11:30"), "kind": "meeting",
     "activity": "三期设备更新需求沟通", "location": HALL8, "owner": "郑浩", "attendees": "赵磊、杨静"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-23"), "start": T("11:45"), "end": T("12:45"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "date": D("2027-06-23"), "start": T("13:30"), "end": T("15:00"), "kind": "send_off",
     "activity": "送机", "location": AIRPORT_OUT, "owner": "赵磊", "attendees": "周涛"},

    # JD-2027-013 (we fetch the guests from Shanghai and take them back)
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("07:45"), "end": T("09:30"), "kind": "pickup",
     "activity": "专车赴上海接客人", "location": "联盟秘书处（上海徐汇）", "owner": "王芳", "attendees": "罗斌"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("09:45"), "end": T("11:45"), "kind": "meeting",
     "activity": "联盟年度走访座谈", "location": B205, "owner": "张伟", "attendees": "王芳"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("12:00"), "end": T("13:00"), "kind": "meal",
     "activity": "工作午餐（另备素食）", "location": CANTEEN, "owner": "何雪"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("14:00"), "end": T("15:30"), "kind": "tour",
     "activity": "参观智能制造示范工厂", "location": "2号厂房", "owner": "黄敏", "attendees": "王芳"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("16:00"), "end": T("16:30"), "kind": "hotel",
     "activity": "办理入住", "location": HOTEL_JB, "owner": "王芳", "attendees": "罗斌"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-13"), "start": T("18:00"), "end": T("19:30"), "kind": "meal",
     "activity": "晚餐", "location": REST_ORCHID, "owner": "张伟", "attendees": "王芳"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("07:30"), "end": T("08:30"), "kind": "meal",
     "activity": "早餐", "location": BREAKFAST_JB, "owner": "何雪"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("08:40"), "end": T("09:00"), "kind": "transfer",
     "activity": "酒店至公司（办理退房）", "location": TO_COMPANY, "owner": "罗斌"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("09:00"), "end": T("11:00"), "kind": "meeting",
     "activity": "会员服务合作交流", "location": B205, "owner": "张伟", "attendees": "王芳"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("11:30"), "end": T("12:30"), "kind": "meal",
     "activity": "午餐", "location": CANTEEN, "owner": "何雪"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("13:30"), "end": T("14:30"), "kind": "tour",
     "activity": "参观产品展厅", "location": SHOWROOM, "owner": "黄敏", "attendees": "王芳"},
    {"visit_id": "JD-2027-013", "date": D("2027-07-14"), "start": T("15:00"), "end": T("16:30"), "kind": "send_off",
     "activity": "专车送返上海", "location": "行政楼一楼大堂 → 联盟秘书处（上海徐汇）", "owner": "王芳",
     "attendees": "罗斌"},

    # gap: a row for a visit that is not on the Visits sheet yet
    {"visit_id": "JD-2027-014", "date": D("2027-08-05"), "start": T("10:00"), "end": T("11:30"), "kind": "meeting",
     "activity": "年度框架协议初步沟通", "location": A301, "owner": "赵磊", "notes": "客户来访意向待确认"},
]


# ---- 资源预订 Bookings --------------------------------------------------------------------

BOOKINGS_DATA = [
    # JD-2027-001
    {"visit_id": "JD-2027-001", "kind": "meeting_room", "resource": A301, "start": DT("2027-01-12 13:30"),
     "end": DT("2027-01-12 17:00"), "quantity": 12, "details": "U形布置，12座；投影、视频会议",
     "status": "confirmed", "reference": "HY-0112-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "kind": "meeting_room", "resource": A301, "start": DT("2027-01-13 10:30"),
     "end": DT("2027-01-13 12:00"), "quantity": 12, "status": "confirmed", "reference": "HY-0113-02", "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-01-12 14:00"),
     "end": DT("2027-01-13 12:00"), "quantity": 3, "details": "行政大床房3间，高楼层、无烟", "status": "confirmed",
     "reconfirmed": True, "reference": "JB20270112-0317", "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-01-12 17:45"),
     "end": DT("2027-01-12 20:30"), "quantity": 8, "details": "8人包间；少辣、不辣菜品已与厨师长确认",
     "status": "confirmed", "reconfirmed": True, "reference": "JNC-0112-08", "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-01-12 09:30"),
     "end": DT("2027-01-12 20:30"), "quantity": 1, "details": "接机、送酒店、晚宴往返", "status": "confirmed",
     "owner": "刘洋"},
    {"visit_id": "JD-2027-001", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-01-13 08:30"),
     "end": DT("2027-01-13 15:30"), "quantity": 1, "details": "酒店至公司、送机", "status": "confirmed", "owner": "刘洋"},

    # JD-2027-002
    {"visit_id": "JD-2027-002", "kind": "meeting_room", "resource": FORUM, "start": DT("2027-02-23 13:30"),
     "end": DT("2027-02-23 16:15"), "quantity": 40, "details": "课桌式40座；LED大屏、无线话筒4支",
     "status": "confirmed", "reference": "HY-0223-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "meeting_room", "resource": B205, "start": DT("2027-02-24 13:30"),
     "end": DT("2027-02-24 17:15"), "quantity": 16, "status": "confirmed", "reference": "HY-0224-03", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "meeting_room", "resource": A301, "start": DT("2027-02-25 08:30"),
     "end": DT("2027-02-25 11:15"), "quantity": 12, "status": "confirmed", "reference": "HY-0225-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-02-23 14:00"),
     "end": DT("2027-02-25 12:00"), "quantity": 5,
     "details": "大床房5间，无烟；穆斯林客人房间不放含酒精饮品及猪肉制品零食", "status": "confirmed",
     "reconfirmed": True, "reference": "JB20270223-1120", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "restaurant", "resource": REST_HALAL, "start": DT("2027-02-23 18:00"),
     "end": DT("2027-02-23 21:00"), "quantity": 12, "details": "12人桌，清真菜单已确认；另备素食两份",
     "status": "confirmed", "reconfirmed": True, "reference": "YL-0223-12", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-02-23 09:50"),
     "end": DT("2027-02-23 21:00"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-02-24 08:20"),
     "end": DT("2027-02-24 17:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-002", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-02-25 08:20"),
     "end": DT("2027-02-25 14:50"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-003
    {"visit_id": "JD-2027-003", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-03-09 13:30"),
     "end": DT("2027-03-09 17:30"), "quantity": 20, "details": "长桌会谈式，双方各10座；桌签、会谈议程",
     "status": "confirmed", "reference": "HY-0309-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-03-10 13:30"),
     "end": DT("2027-03-10 18:00"), "quantity": 20, "status": "confirmed", "reference": "HY-0310-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-03-11 09:00"),
     "end": DT("2027-03-11 12:00"), "quantity": 20, "details": "签约布置：签约台、背景板",
     "status": "confirmed", "reference": "HY-0311-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "hotel", "resource": HOTEL_YQ, "start": DT("2027-03-09 14:00"),
     "end": DT("2027-03-11 12:00"), "quantity": 4, "details": "湖景大床房4间", "status": "confirmed",
     "reconfirmed": True, "reference": "YQ-0309-0442", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-03-09 18:00"),
     "end": DT("2027-03-09 20:45"), "quantity": 10,
     "details": "10人包间；全部菜品不含海鲜及海鲜调味料（已与厨师长确认）", "status": "confirmed",
     "reconfirmed": True, "reference": "JNC-0309-10", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-03-09 10:15"),
     "end": DT("2027-03-09 20:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-03-10 08:20"),
     "end": DT("2027-03-10 18:20"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-003", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-03-11 08:20"),
     "end": DT("2027-03-11 15:40"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-004
    {"visit_id": "JD-2027-004", "kind": "meeting_room", "resource": B205, "start": DT("2027-03-24 09:30"),
     "end": DT("2027-03-24 16:30"), "quantity": 10, "status": "confirmed", "reference": "HY-0324-02", "owner": "何雪"},

    # JD-2027-005 (cancelled: every booking released)
    {"visit_id": "JD-2027-005", "kind": "meeting_room", "resource": B205, "start": DT("2027-04-08 14:00"),
     "end": DT("2027-04-08 17:00"), "quantity": 10, "status": "cancelled", "owner": "何雪"},
    {"visit_id": "JD-2027-005", "kind": "meeting_room", "resource": B205, "start": DT("2027-04-09 10:30"),
     "end": DT("2027-04-09 12:00"), "quantity": 10, "status": "cancelled", "owner": "何雪"},
    {"visit_id": "JD-2027-005", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-04-08 14:00"),
     "end": DT("2027-04-09 12:00"), "quantity": 2, "details": "大床房2间", "status": "cancelled",
     "reference": "JB20270408-0206", "owner": "何雪"},
    {"visit_id": "JD-2027-005", "kind": "restaurant", "resource": REST_ORCHID, "start": DT("2027-04-08 17:45"),
     "end": DT("2027-04-08 20:00"), "quantity": 6, "details": "6人包间", "status": "cancelled", "owner": "何雪"},
    {"visit_id": "JD-2027-005", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-08 12:40"),
     "end": DT("2027-04-08 20:00"), "quantity": 1, "status": "cancelled", "owner": "何雪"},
    {"visit_id": "JD-2027-005", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-09 08:20"),
     "end": DT("2027-04-09 15:00"), "quantity": 1, "status": "cancelled", "owner": "何雪"},

    # JD-2027-006
    {"visit_id": "JD-2027-006", "kind": "meeting_room", "resource": A301, "start": DT("2027-04-14 14:00"),
     "end": DT("2027-04-14 17:00"), "quantity": 12, "status": "confirmed", "reference": "HY-0414-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "meeting_room", "resource": A301, "start": DT("2027-04-15 13:30"),
     "end": DT("2027-04-15 16:30"), "quantity": 12, "status": "confirmed", "reference": "HY-0415-02", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-04-14 14:00"),
     "end": DT("2027-04-16 12:00"), "quantity": 3, "details": "大床房3间，无烟（副总经理房间设在吸烟楼层）",
     "status": "confirmed", "reconfirmed": True, "reference": "JB20270414-0588", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-04-14 17:45"),
     "end": DT("2027-04-14 20:30"), "quantity": 8, "details": "8人包间；不辣菜品已与厨师长确认",
     "status": "confirmed", "reconfirmed": True, "reference": "JNC-0414-08", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "restaurant", "resource": REST_ORCHID, "start": DT("2027-04-16 11:45"),
     "end": DT("2027-04-16 13:30"), "quantity": 6, "details": "6人包间；不辣菜品已确认", "status": "confirmed",
     "reconfirmed": True, "reference": "JNC-0416-06", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-14 10:20"),
     "end": DT("2027-04-14 20:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-15 08:20"),
     "end": DT("2027-04-15 16:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-006", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-16 08:30"),
     "end": DT("2027-04-16 16:30"), "quantity": 1, "details": "含苏州博物馆往返、送机", "status": "confirmed",
     "owner": "刘洋"},

    # JD-2027-007 (gaps: hotel still pending; the 04-23 afternoon meeting has no room booked)
    {"visit_id": "JD-2027-007", "kind": "meeting_room", "resource": A301, "start": DT("2027-04-23 08:30"),
     "end": DT("2027-04-23 11:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0423-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "meeting_room", "resource": A301, "start": DT("2027-04-24 08:45"),
     "end": DT("2027-04-24 10:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0424-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-04-22 14:00"),
     "end": DT("2027-04-24 12:00"), "quantity": 3, "details": "大床房3间，无烟；酒店答复4月21日前确认房源",
     "status": "pending", "reconfirmed": False, "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-04-22 17:45"),
     "end": DT("2027-04-22 20:30"), "quantity": 8, "details": "8人包间，商务宴请标准", "status": "confirmed",
     "reconfirmed": True, "reference": "JNC-0422-08", "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-22 13:45"),
     "end": DT("2027-04-22 20:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-23 08:20"),
     "end": DT("2027-04-23 16:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-007", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-04-24 08:20"),
     "end": DT("2027-04-24 11:50"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-008
    {"visit_id": "JD-2027-008", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-05-11 10:00"),
     "end": DT("2027-05-11 12:15"), "quantity": 20, "details": "长桌会谈式；中英文桌签、同传耳机不需要（交替传译）",
     "status": "confirmed", "reference": "HY-0511-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-05-12 09:00"),
     "end": DT("2027-05-12 12:00"), "quantity": 20, "status": "confirmed", "reference": "HY-0512-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "meeting_room", "resource": B205, "start": DT("2027-05-12 13:30"),
     "end": DT("2027-05-12 16:45"), "quantity": 16, "status": "confirmed", "reference": "HY-0512-02", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-05-13 09:00"),
     "end": DT("2027-05-13 11:15"), "quantity": 20, "details": "签约布置：签约台、背景板",
     "status": "confirmed", "reference": "HY-0513-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "hotel", "resource": HOTEL_YQ, "start": DT("2027-05-11 14:00"),
     "end": DT("2027-05-13 12:00"), "quantity": 4, "details": "湖景大床房4间；外宾房间备英文欢迎卡及咖啡机",
     "status": "confirmed", "reconfirmed": True, "reference": "YQ-0511-0771", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "restaurant", "resource": REST_YQ, "start": DT("2027-05-11 17:45"),
     "end": DT("2027-05-11 20:30"), "quantity": 10, "details": "10人包间；菜品不辣，备素食套餐2份，已与餐厅确认",
     "status": "confirmed", "reconfirmed": True, "reference": "YQ-R-0511-10", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "restaurant", "resource": REST_ORCHID, "start": DT("2027-05-12 11:45"),
     "end": DT("2027-05-12 13:15"), "quantity": 4, "details": "4人小包间；菜品不辣，已与餐厅确认",
     "status": "confirmed", "reconfirmed": True, "reference": "JNC-0512-04", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "restaurant", "resource": REST_ORCHID, "start": DT("2027-05-13 11:15"),
     "end": DT("2027-05-13 13:00"), "quantity": 8, "details": "8人包间；菜品不辣，备素食，已确认",
     "status": "confirmed", "reconfirmed": True, "reference": "JNC-0513-08", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-05-11 08:50"),
     "end": DT("2027-05-11 20:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-05-12 08:20"),
     "end": DT("2027-05-12 17:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-008", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-05-13 08:20"),
     "end": DT("2027-05-13 14:20"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-009 (gap: the halal dinner is neither reconfirmed nor described)
    {"visit_id": "JD-2027-009", "kind": "meeting_room", "resource": B205, "start": DT("2027-05-18 13:30"),
     "end": DT("2027-05-18 16:15"), "quantity": 16, "status": "confirmed", "reference": "HY-0518-02", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "meeting_room", "resource": A301, "start": DT("2027-05-19 09:00"),
     "end": DT("2027-05-19 11:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0519-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "meeting_room", "resource": B205, "start": DT("2027-05-19 15:30"),
     "end": DT("2027-05-19 16:45"), "quantity": 16, "status": "confirmed", "reference": "HY-0519-03", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-05-18 14:00"),
     "end": DT("2027-05-19 12:00"), "quantity": 4, "capacity": 6, "details": "大床房2间、标准间2间", "status": "confirmed",
     "reconfirmed": True, "reference": "JB20270518-0930", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "restaurant", "resource": REST_HALAL_1, "start": DT("2027-05-18 18:15"),
     "end": DT("2027-05-18 21:00"), "quantity": 10, "status": "confirmed", "reconfirmed": False,
     "reference": "YL-0518-10", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-05-18 09:15"),
     "end": DT("2027-05-18 20:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-009", "kind": "vehicle", "resource": CAR_COASTER, "start": DT("2027-05-19 08:20"),
     "end": DT("2027-05-19 17:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-010 (gap: A301 on 05-19 morning is also booked by JD-2027-009)
    {"visit_id": "JD-2027-010", "kind": "meeting_room", "resource": A301, "start": DT("2027-05-19 09:45"),
     "end": DT("2027-05-19 12:15"), "quantity": 12, "status": "confirmed", "reference": "HY-0519-04", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "meeting_room", "resource": A301, "start": DT("2027-05-20 13:30"),
     "end": DT("2027-05-20 16:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0520-01", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "meeting_room", "resource": A301, "start": DT("2027-05-21 09:00"),
     "end": DT("2027-05-21 10:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0521-01", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "hotel", "resource": HOTEL_YQ, "start": DT("2027-05-19 14:00"),
     "end": DT("2027-05-21 12:00"), "quantity": 3, "details": "大床房3间", "status": "confirmed",
     "reconfirmed": True, "reference": "YQ-0519-0815", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-05-19 17:45"),
     "end": DT("2027-05-19 20:30"), "quantity": 8, "details": "8人包间，商务宴请标准", "status": "confirmed",
     "reconfirmed": True, "reference": "JNC-0519-08", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-05-19 08:00"),
     "end": DT("2027-05-19 20:30"), "quantity": 1, "status": "confirmed", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-05-20 08:20"),
     "end": DT("2027-05-20 17:30"), "quantity": 1, "status": "confirmed", "owner": "何雪"},
    {"visit_id": "JD-2027-010", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-05-21 08:20"),
     "end": DT("2027-05-21 12:40"), "quantity": 1, "status": "confirmed", "owner": "何雪"},

    # JD-2027-011 (still in preparation)
    {"visit_id": "JD-2027-011", "kind": "meeting_room", "resource": A301, "start": DT("2027-06-08 14:00"),
     "end": DT("2027-06-08 17:15"), "quantity": 12, "status": "confirmed", "reference": "HY-0608-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "meeting_room", "resource": A301, "start": DT("2027-06-09 13:30"),
     "end": DT("2027-06-09 17:15"), "quantity": 12, "status": "confirmed", "reference": "HY-0609-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "meeting_room", "resource": A301, "start": DT("2027-06-10 09:00"),
     "end": DT("2027-06-10 11:45"), "quantity": 12, "status": "confirmed", "reference": "HY-0610-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-06-08 14:00"),
     "end": DT("2027-06-10 12:00"), "quantity": 4, "details": "大床房4间（按4人预留）", "status": "pending",
     "reconfirmed": False, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "restaurant", "resource": REST_PEONY, "start": DT("2027-06-08 17:45"),
     "end": DT("2027-06-08 20:30"), "quantity": 8, "details": "8人包间", "status": "pending",
     "reconfirmed": False, "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-08 10:40"),
     "end": DT("2027-06-08 20:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-09 08:20"),
     "end": DT("2027-06-09 17:45"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-011", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-10 08:20"),
     "end": DT("2027-06-10 15:10"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-012
    {"visit_id": "JD-2027-012", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-06-21 13:30"),
     "end": DT("2027-06-21 16:45"), "quantity": 20, "status": "confirmed", "reference": "HY-0621-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "meeting_room", "resource": HALL8, "start": DT("2027-06-23 09:00"),
     "end": DT("2027-06-23 11:45"), "quantity": 20, "status": "confirmed", "reference": "HY-0623-01", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "hotel", "resource": HOTEL_YQ, "start": DT("2027-06-21 14:00"),
     "end": DT("2027-06-23 12:00"), "quantity": 4, "details": "湖景大床房4间，其中1间吸烟房", "status": "confirmed",
     "reconfirmed": False, "reference": "YQ-0621-0903", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "restaurant", "resource": REST_YQ, "start": DT("2027-06-21 17:45"),
     "end": DT("2027-06-21 20:30"), "quantity": 6, "details": "6人包间，商务宴请标准", "status": "confirmed",
     "reconfirmed": False, "reference": "YQ-R-0621-10", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-21 09:40"),
     "end": DT("2027-06-21 20:30"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-22 08:20"),
     "end": DT("2027-06-22 17:00"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},
    {"visit_id": "JD-2027-012", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-06-23 08:20"),
     "end": DT("2027-06-23 16:00"), "quantity": 1, "status": "confirmed", "owner": "刘洋"},

    # JD-2027-013 (draft: bookings requested, not yet confirmed)
    {"visit_id": "JD-2027-013", "kind": "meeting_room", "resource": B205, "start": DT("2027-07-13 09:30"),
     "end": DT("2027-07-13 12:00"), "quantity": 10, "status": "confirmed", "reference": "HY-0713-01", "owner": "何雪"},
    {"visit_id": "JD-2027-013", "kind": "meeting_room", "resource": B205, "start": DT("2027-07-14 08:45"),
     "end": DT("2027-07-14 11:15"), "quantity": 10, "status": "confirmed", "reference": "HY-0714-01", "owner": "何雪"},
    {"visit_id": "JD-2027-013", "kind": "hotel", "resource": HOTEL_JB, "start": DT("2027-07-13 14:00"),
     "end": DT("2027-07-14 12:00"), "quantity": 2, "details": "大床房2间", "status": "pending",
     "reconfirmed": False, "owner": "何雪"},
    {"visit_id": "JD-2027-013", "kind": "restaurant", "resource": REST_ORCHID, "start": DT("2027-07-13 17:45"),
     "end": DT("2027-07-13 20:00"), "quantity": 6, "details": "6人包间，备素食", "status": "pending",
     "reconfirmed": False, "owner": "何雪"},
    {"visit_id": "JD-2027-013", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-07-13 07:15"),
     "end": DT("2027-07-13 20:00"), "quantity": 1, "details": "含赴上海接客人", "status": "pending", "owner": "何雪"},
    {"visit_id": "JD-2027-013", "kind": "vehicle", "resource": CAR_GL8, "start": DT("2027-07-14 08:20"),
     "end": DT("2027-07-14 17:00"), "quantity": 1, "details": "含送返上海", "status": "pending", "owner": "何雪"},
]


# ---- 准备清单 Preparation -----------------------------------------------------------------

# `items` is the status of every checklist item not named in the row itself; an item with
# `na_unless` in the rules file (gifts wrapped) is n/a for a visit that gives no gifts.
PREPARATION_DATA = [
    {"visit_id": "JD-2027-001", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-002", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-003", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-004", "prep_owner": "何雪", "items": "done"},
    {"visit_id": "JD-2027-005", "prep_owner": "何雪", "items": "n/a", "company_profile": "done",
     "brochures": "done", "case_studies": "done", "honours": "done"},
    {"visit_id": "JD-2027-006", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-007", "prep_owner": "刘洋", "items": "done",
     "case_studies": "pending"},  # gap: the case studies are not ready two days before arrival
    {"visit_id": "JD-2027-008", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-009", "prep_owner": "刘洋", "items": "done"},
    {"visit_id": "JD-2027-010", "prep_owner": "何雪", "items": "done"},
    {"visit_id": "JD-2027-011", "prep_owner": "刘洋", "items": "pending", "company_profile": "done",
     "brochures": "done", "honours": "done"},
    {"visit_id": "JD-2027-012", "prep_owner": "刘洋", "items": "pending", "company_profile": "done",
     "brochures": "done", "case_studies": "done", "honours": "done"},
    {"visit_id": "JD-2027-013", "prep_owner": "何雪", "items": "pending"},
]


# ---- the gaps this sample carries, for the report and for reviewers --------------------------

SEEDED_GAPS = [
    ("JD-2027-003", "来访", "completed, follow-up actions (后续跟进) blank"),
    ("JD-2027-004", "来访", "completed, satisfaction (客户满意度) blank"),
    ("JD-2027-006", "来访", "departed 2027-04-16, status still 已确认 (not closed out)"),
    ("JD-2027-007", "资源预订", "hotel booking still 待确认 (and 已复核 否), visit starts 2027-04-22"),
    ("JD-2027-007", "行程", "04-23 14:00 meeting in 3号楼 B205 with no meeting-room booking"),
    ("JD-2027-007", "准备清单", "相关案例 未完成"),
    ("JD-2027-009", "来宾", "core guest 杜春华 without ethnicity"),
    ("JD-2027-009", "资源预订", "halal-need visit: restaurant booking 已复核 否, details blank"),
    ("JD-2027-009/010", "资源预订", "3号楼 A301 会议室 booked by both visits, 2027-05-19 09:45–11:45"),
    ("JD-2027-009/010", "行程", "王芳 (E1037) owns 009's 14:00–15:30 tour and 010's 14:00–15:00 check-in on 05-19"),
    ("JD-2027-010", "行程", "dinner owner 赵建国 not on the visit's staff"),
    ("JD-2027-010", "人员分工", "guide 马骏 已培训 否"),
    ("JD-2027-011", "来访/来宾", "headcount 4, three guests listed"),
    ("JD-2027-011", "来访", "审批状态 已报批, 审批人 blank"),
    ("JD-2027-011", "行程", "06-09 10:45 tour with no guide among owner/attendees"),
    ("JD-2027-012", "来访", "arrives by flight, 抵达航班车次 blank"),
    ("JD-2027-012", "来访", "briefed 2027-04-12, before approval 2027-04-15"),
    ("JD-2027-012", "来宾", "core guest 雷秀兰 with dietary needs blank"),
    ("JD-2027-012", "资源预订", "welcome dinner booked for 6 (容纳人数), 4 guests and 3 staff attend"),
    ("JD-2027-013", "来宾", "core guest 施文涛's dietary needs still 待确认, a placeholder"),
    ("JD-2027-013", "人员分工", "logistics 何雪 seated at meals with neither protocol rank nor title (info)"),
    ("JD-2027-014", "行程", "row names a visit that is not on the 来访 sheet"),
]


# ---- rows per sheet ------------------------------------------------------------------------

def load_preparation_items() -> list[dict]:
    data = yaml.safe_load((ROOT / "pipeline" / "standard.yaml").read_text(encoding="utf-8"))
    return data["preparation"]


# Contract v2: a booking's capacity is the people it seats (sleeps) in all, its quantity the
# units booked. The data above gives a room's or a restaurant's seats as its quantity (one room,
# one private room) and a hotel's rooms (one guest a room, unless its capacity says more); a
# car seats its passenger seats.
PASSENGER_SEATS = {CAR_GL8: 6, CAR_COASTER: 18}


def booking_rows() -> list[dict]:
    rows = []
    for row in BOOKINGS_DATA:
        row = dict(row)
        if row["kind"] in ("meeting_room", "restaurant"):
            row["capacity"], row["quantity"] = row["quantity"], 1
        elif row["kind"] == "hotel":
            row.setdefault("capacity", row["quantity"])
        elif row["kind"] == "vehicle":
            row["capacity"] = PASSENGER_SEATS[row["resource"]] * row["quantity"]
        rows.append(row)
    return rows


def staff_rows() -> list[dict]:
    return [{**DIRECTORY[row["name"]], **row} for row in STAFF_DATA]


def preparation_rows(items: list[dict]) -> list[dict]:
    visits = {v["visit_id"]: v for v in VISITS_DATA}
    rows = []
    for src in PREPARATION_DATA:
        row = {"visit_id": src["visit_id"], "prep_owner": src["prep_owner"]}
        for item in items:
            field = item.get("na_unless")
            if item["key"] in src:
                row[item["key"]] = src[item["key"]]
            elif field and not visits[src["visit_id"]].get(field):
                row[item["key"]] = "n/a"
            else:
                row[item["key"]] = src["items"]
        rows.append(row)
    return rows


# ---- writing -------------------------------------------------------------------------------

INSTRUCTIONS = [
    "填写说明",
    "",
    "1. 本台账登记客户来访接待的全部信息。每次接待使用唯一的接待编号（如 JD-2027-001），各工作表通过接待编号关联。",
    "2. 来访：每次接待一行；来宾：每位来访人员一行；行程：每项安排一行；人员分工：每人每次接待一行；"
    "资源预订：每项预订一行；准备清单：每次接待一行。",
    "3. 日期填写如 2027-05-18，时间填写如 09:30；带下拉箭头的列请从选项中选择。",
    "4. 饮食禁忌：没有禁忌请填“无”；留空表示尚未向客户询问。外宾的“民族”一栏填写国籍。",
    "5. 行程中的每一项都要有负责人，负责人和参与人员须列在本次接待的人员分工表中。",
    "6. 民族、饮食禁忌、是否吸烟、个人偏好、背景资料、电话属于内部保密信息，不得对外提供。",
    "7. 本页仅为说明，不参与校验。",
]

# Column widths by key (characters); others by type.
WIDTHS = {
    "client_org": 26, "objective": 36, "theme": 30, "arrival_point": 18, "departure_point": 18, "requester": 14,
    "contact_email": 24, "org_profile": 34, "business_domain": 26, "industry_position": 32, "gifts": 24,
    "security": 40, "emergency": 44, "approval_notes": 26, "minutes": 44, "follow_up": 40, "notes": 30,
    "preferences": 30, "background": 34, "activity": 30, "location": 24, "attendees": 16, "duties": 28,
    "department": 16, "email": 24, "resource": 28, "details": 36, "reference": 16,
}
TYPE_WIDTHS = {"id": 13, "date": 12, "datetime": 17, "time": 8, "yesno": 9, "enum": 11, "int": 9, "prep": 10}
WRAP = {"client_org", "objective", "theme", "org_profile", "business_domain", "industry_position", "gifts",
        "security", "emergency", "approval_notes", "minutes", "follow_up", "notes", "preferences", "background",
        "activity", "location", "duties", "details"}
SECTION_COLOURS = {"client": "#DDEBF7", "plan": "#E2EFDA", "travel": "#FFF2CC", "background": "#EDEDED",
                   "needs": "#FCE4D6", "approval": "#E4DFEC", "closeout": "#D9E1F2", "": "#DDEBF7"}
VALIDATION_ROWS = 500  # drop-down lists reach this many rows below the header


class Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        base = {"valign": "top", "font_size": 10}
        self.text = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.date = book.add_format({**base, "num_format": "yyyy-mm-dd", "align": "left"})
        self.datetime = book.add_format({**base, "num_format": "yyyy-mm-dd hh:mm", "align": "left"})
        self.time = book.add_format({**base, "num_format": "hh:mm", "align": "left"})
        self.int = book.add_format({**base, "align": "left"})
        self.title = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        self.note = book.add_format({"font_size": 11, "text_wrap": True, "valign": "top"})
        self.note_title = book.add_format({"bold": True, "font_size": 14})
        self._book = book
        self._headers: dict[str, object] = {}

    def header(self, colour: str):
        if colour not in self._headers:
            self._headers[colour] = self._book.add_format({
                "bold": True, "font_size": 10, "bg_color": colour, "border": 1, "text_wrap": True,
                "align": "center", "valign": "vcenter"})
        return self._headers[colour]


def column_format(col: Column, fmt: Formats):
    if col.key in WRAP:
        return fmt.wrap
    return {"date": fmt.date, "datetime": fmt.datetime, "time": fmt.time, "int": fmt.int}.get(col.type, fmt.text)


def write_cell(ws, r: int, c: int, col: Column, value, fmt: Formats) -> None:
    """One value: typed values as real cells, choices as their Chinese labels, text as given."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt.text)
    elif isinstance(value, datetime):
        ws.write_datetime(r, c, value, fmt.datetime)
    elif isinstance(value, date):
        ws.write_datetime(r, c, value, fmt.date)
    elif isinstance(value, time):
        ws.write_datetime(r, c, value, fmt.time)
    elif isinstance(value, int):
        ws.write_number(r, c, value, fmt.int)
    else:
        labels = {ch.key: ch.zh for ch in col.choices}
        ws.write_string(r, c, labels.get(value, value), column_format(col, fmt))


def write_sheet(book: xlsxwriter.Workbook, fmt: Formats, sheet: Sheet, rows: list[dict], title: str | None = None):
    """A contract sheet: optional title (header then on row 3), Chinese headers, one row per dict."""
    ws = book.add_worksheet(sheet.zh)
    columns = sheet.columns
    header = 0
    if title:
        ws.merge_range(0, 0, 0, len(columns) - 1, title, fmt.title)
        ws.set_row(0, 30)
        header = 2
    ws.set_row(header, 32)
    for c, col in enumerate(columns):
        ws.write_string(header, c, col.zh, fmt.header(SECTION_COLOURS.get(col.section, SECTION_COLOURS[""])))
        width = WIDTHS.get(col.key) or TYPE_WIDTHS.get(col.type, 12)
        ws.set_column(c, c, max(width, 2 * len(col.zh) + 2), column_format(col, fmt))
        if col.choices:
            ws.data_validation(header + 1, c, header + VALIDATION_ROWS, c, {
                "validate": "list", "source": [ch.zh for ch in col.choices], "error_type": "warning"})
        elif col.type == "yesno":
            ws.data_validation(header + 1, c, header + VALIDATION_ROWS, c, {
                "validate": "list", "source": ["是", "否"], "error_type": "warning"})
    for r, row in enumerate(rows, start=header + 1):
        unknown = set(row) - {col.key for col in columns}
        if unknown:
            raise KeyError(f"{sheet.key}: unknown keys {sorted(unknown)} in {row.get('visit_id')}")
        for c, col in enumerate(columns):
            write_cell(ws, r, c, col, row.get(col.key), fmt)
    ws.freeze_panes(header + 1, 1)
    ws.autofilter(header, 0, header + len(rows), len(columns) - 1)
    return ws


def write_instructions(book: xlsxwriter.Workbook, fmt: Formats) -> None:
    ws = book.add_worksheet("填写说明")
    ws.set_column(0, 0, 110)
    for r, line in enumerate(INSTRUCTIONS):
        ws.write_string(r, 0, line, fmt.note_title if r == 0 else fmt.note)


def write_workbook(path: Path) -> None:
    items = load_preparation_items()
    data = {
        VISITS.key: VISITS_DATA,
        GUESTS.key: GUESTS_DATA,
        ITINERARY.key: ITINERARY_DATA,
        STAFF.key: staff_rows(),
        BOOKINGS.key: booking_rows(),
    }
    prep_sheet = preparation_sheet([SimpleNamespace(**i) for i in items])
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"title": TITLE, "author": "reception pipeline sample", "created": CREATED})
    fmt = Formats(book)
    write_instructions(book, fmt)
    for sheet in SHEETS:
        if sheet.key == prep_sheet.key:
            write_sheet(book, fmt, prep_sheet, preparation_rows(items))
        else:
            write_sheet(book, fmt, sheet, data[sheet.key], TITLE if sheet is VISITS else None)
    book.close()


def write_atomically(output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    # a hidden temporary name: a reader scanning the folder meanwhile skips it
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".xlsx", dir=output.parent)
    os.close(fd)
    try:
        write_workbook(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---- read back -----------------------------------------------------------------------------

def summarize(path: Path) -> None:
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    print(f"wrote {path}")
    print("sheets: " + ", ".join(book.sheet_names))
    for sheet in SHEETS:
        grid = book.get_sheet_by_name(sheet.zh).to_python()
        header = next(i for i, row in enumerate(grid) if sheet.column("visit_id").zh in row)
        rows = [row for row in grid[header + 1:] if any(c not in (None, "") for c in row)]
        print(f"  {sheet.zh}: header on row {header + 1}, {len(rows)} rows")
    grid = book.get_sheet_by_name(VISITS.zh).to_python()
    header = next(i for i, row in enumerate(grid) if VISITS.column("visit_id").zh in row)
    idx = {h: j for j, h in enumerate(grid[header])}
    col = {k: idx[VISITS.column(k).zh] for k in ("visit_id", "client_org", "arrival", "departure", "status")}
    for row in grid[header + 1:]:
        if row[col["visit_id"]]:
            print(f"  {row[col['visit_id']]}  {row[col['arrival']]:%Y-%m-%d} – {row[col['departure']]:%Y-%m-%d}  "
                  f"{row[col['status']]}  {row[col['client_org']]}")
    print(f"seeded gaps: {len(SEEDED_GAPS)}")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                   help="where to write the workbook (default: input/2027年客户接待台账.xlsx)")
    args = p.parse_args(argv)
    write_atomically(args.output)
    summarize(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
