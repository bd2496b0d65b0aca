"""The visits workbook contract (../shared/WORKBOOK.md) as data.

Six sheets, each a list of columns with their key, Chinese and English labels, value
type and, for enumerations, the accepted values. The reader, the template writer and the
sample generator all take the sheet and column names from here; what is *required* is
not here but in the company's rules file (the standard is data a company edits, the
contract is not).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    key: str
    zh: str
    en: str

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    type: str  # text id int date time datetime yesno enum email names prep
    choices: tuple[Choice, ...] = ()
    section: str = ""  # the standard's section a Visits column belongs to (template banding)
    min: int | None = None  # bounds of a whole number
    max: int | None = None

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    clause: str = ""  # the clause the sheet serves, for findings about the sheet itself

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


def _choices(*triples: tuple[str, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*t) for t in triples)


CLIENT_TYPES = _choices(
    ("potential", "潜在客户", "Potential client"),
    ("existing", "现有客户", "Existing client"),
    ("partner", "合作伙伴", "Partner"),
    ("other", "其他", "Other"),
)
PURPOSES = _choices(
    ("promotion", "产品推介", "Product promotion"),
    ("negotiation", "合作洽谈", "Cooperation negotiation"),
    ("site_visit", "参观考察", "Site visit"),
    ("relationship", "关系维护", "Relationship maintenance"),
    ("other", "其他", "Other"),
)
LEVELS = _choices(
    ("vip", "贵宾", "VIP"),
    ("senior", "高级", "Senior"),
    ("standard", "标准", "Standard"),
)
MODES = _choices(
    ("flight", "航班", "Flight"),
    ("train", "火车", "Train"),
    ("car", "自驾", "Own car"),
    ("pickup", "我方接送", "Our pick-up"),
    ("other", "其他", "Other"),
)
APPROVAL = _choices(
    ("draft", "草稿", "Draft"),
    ("submitted", "已报批", "Submitted"),
    ("approved", "已批准", "Approved"),
    ("returned", "已退回", "Returned"),
)
VISIT_STATUS = _choices(
    ("planned", "筹备中", "Planned"),
    ("confirmed", "已确认", "Confirmed"),
    ("completed", "已完成", "Completed"),
    ("cancelled", "已取消", "Cancelled"),
)
GENDERS = _choices(("male", "男", "Male"), ("female", "女", "Female"))
ITEM_KINDS = _choices(
    ("pickup", "接站", "Pick-up"),
    ("meeting", "会谈", "Meeting"),
    ("tour", "参观", "Tour"),
    ("meal", "用餐", "Meal"),
    ("hotel", "入住", "Hotel check-in"),
    ("transfer", "交通", "Transfer"),
    ("send_off", "送站", "Send-off"),
    ("other", "其他", "Other"),
)
ROLES = _choices(
    ("host", "主接待人", "Main host"),
    ("escort", "陪同人员", "Escort"),
    ("guide", "讲解员", "Guide"),
    ("logistics", "后勤保障", "Logistics"),
    ("driver", "司机", "Driver"),
    ("minutes", "会议记录", "Minute-taker"),
    ("interpreter", "翻译", "Interpreter"),
    ("other", "其他", "Other"),
)
BOOKING_KINDS = _choices(
    ("meeting_room", "会议室", "Meeting room"),
    ("hotel", "住宿", "Hotel"),
    ("restaurant", "餐饮", "Restaurant"),
    ("vehicle", "车辆", "Vehicle"),
    ("other", "其他", "Other"),
)
BOOKING_STATUS = _choices(
    ("pending", "待确认", "Pending"),
    ("confirmed", "已确认", "Confirmed"),
    ("cancelled", "已取消", "Cancelled"),
)
SEATING = _choices(
    ("none", "不排座", "No seating plan"),
    ("talks", "会谈桌", "Talks table"),
    ("round", "圆桌", "Round table"),
    ("rows", "课桌式", "Rows"),
)
PREP_STATUS = _choices(
    ("done", "已完成", "Done"),
    ("pending", "未完成", "Pending"),
    ("n/a", "不适用", "N/A"),
)


def _c(key, zh, en, type_="text", choices=(), section="", min=None, max=None):
    return Column(key, zh, en, type_, tuple(choices), section, min, max)


VISITS = Sheet("visits", "来访", "Visits", (
    _c("visit_id", "接待编号", "Visit ID", "id", section="client"),
    _c("client_org", "客户单位", "Client organisation", section="client"),
    _c("client_type", "客户类型", "Client type", "enum", CLIENT_TYPES, "client"),
    _c("purpose", "来访目的", "Purpose", "enum", PURPOSES, "client"),
    _c("objective", "接待目标", "Objective", section="client"),
    _c("theme", "接待主题", "Theme", section="plan"),
    _c("level", "接待规格", "Reception level", "enum", LEVELS, "plan"),
    _c("headcount", "来访人数", "Headcount", "int", section="client", min=1),
    _c("arrival", "抵达时间", "Arrival", "datetime", section="travel"),
    _c("arrival_mode", "抵达方式", "Arrival mode", "enum", MODES, "travel"),
    _c("arrival_ref", "抵达航班车次", "Arrival flight/train no.", section="travel"),
    _c("arrival_point", "接站地点", "Meeting point", section="travel"),
    _c("departure", "离开时间", "Departure", "datetime", section="travel"),
    _c("departure_mode", "离开方式", "Departure mode", "enum", MODES, "travel"),
    _c("departure_ref", "离开航班车次", "Departure flight/train no.", section="travel"),
    _c("departure_point", "送站地点", "Send-off point", section="travel"),
    _c("requester", "发起人", "Requested by", section="client"),
    _c("contact_name", "客户对接人", "Client contact", section="client"),
    _c("contact_phone", "对接人电话", "Contact phone", section="client"),
    _c("contact_email", "对接人邮箱", "Contact email", "email", section="client"),
    _c("org_profile", "单位概况", "Organisation profile", section="background"),
    _c("business_domain", "业务领域", "Business domain", section="background"),
    _c("industry_position", "行业地位", "Industry position", section="background"),
    _c("accommodation", "需要住宿", "Accommodation needed", "yesno", section="needs"),
    _c("catering", "需要用餐", "Meals needed", "yesno", section="needs"),
    _c("transport", "需要接送", "Transport needed", "yesno", section="needs"),
    _c("gifts", "礼品", "Gifts", section="needs"),
    _c("security", "安全保障", "Security arrangements", section="plan"),
    _c("emergency", "应急预案", "Emergency plan", section="plan"),
    _c("approval", "审批状态", "Approval status", "enum", APPROVAL, "approval"),
    _c("approver", "审批人", "Approver", section="approval"),
    _c("approver_email", "审批人邮箱", "Approver email", "email", section="approval"),
    _c("approved_on", "审批日期", "Approved on", "date", section="approval"),
    _c("approval_notes", "审批意见", "Approval comments", section="approval"),
    _c("briefed_on", "内部通报日期", "Team briefed on", "date", section="approval"),
    _c("status", "状态", "Status", "enum", VISIT_STATUS, "closeout"),
    _c("minutes", "会谈纪要", "Minutes", section="closeout"),
    _c("follow_up", "后续跟进", "Follow-up actions", section="closeout"),
    _c("satisfaction", "客户满意度", "Satisfaction", "int", section="closeout", min=1, max=5),
    _c("notes", "备注", "Notes", section="closeout"),
), "3.1.1")

GUESTS = Sheet("guests", "来宾", "Guests", (
    _c("visit_id", "接待编号", "Visit ID", "id"),
    _c("name", "姓名", "Name"),
    _c("title", "职务", "Title"),
    _c("gender", "性别", "Gender", "enum", GENDERS),
    _c("ethnicity", "民族", "Ethnicity"),
    _c("rank", "礼宾次序", "Protocol rank", "int", min=1),
    _c("core", "核心人员", "Core person", "yesno"),
    _c("dietary", "饮食禁忌", "Dietary needs"),
    _c("smoker", "是否吸烟", "Smoker", "yesno"),
    _c("preferences", "个人偏好", "Preferences"),
    _c("background", "背景资料", "Background"),
    _c("phone", "电话", "Phone"),
), "3.1.1")

ITINERARY = Sheet("itinerary", "行程", "Itinerary", (
    _c("visit_id", "接待编号", "Visit ID", "id"),
    _c("date", "日期", "Date", "date"),
    _c("start", "开始", "Start", "time"),
    _c("end", "结束", "End", "time"),
    _c("kind", "类型", "Kind", "enum", ITEM_KINDS),
    _c("activity", "活动内容", "Activity"),
    _c("location", "地点", "Location"),
    _c("owner", "负责人", "Owner"),
    _c("attendees", "参与人员", "Staff attending", "names"),
    # v2: blank means every guest (none for an internal item)
    _c("guests", "参与来宾", "Guests attending", "names"),
    # v2: blank means yes; no keeps an internal item out of what the client is sent (§2.5)
    _c("client_facing", "对客展示", "Shown to client", "yesno"),
    _c("seating", "座次安排", "Seating", "enum", SEATING),  # v2: blank means the kind's usual seating
    _c("notes", "备注", "Notes"),
), "3.2.1")

STAFF = Sheet("staff", "人员分工", "Staff", (
    _c("visit_id", "接待编号", "Visit ID", "id"),
    _c("name", "姓名", "Name"),
    _c("staff_id", "工号", "Staff ID"),
    _c("role", "角色", "Role", "enum", ROLES),
    _c("department", "部门", "Department"),
    _c("phone", "电话", "Phone"),
    _c("email", "邮箱", "Email", "email"),
    _c("duties", "具体职责", "Duties"),
    _c("trained", "已培训", "Trained", "yesno"),
    _c("rank", "礼宾次序", "Protocol rank", "int", min=1),
), "3.3.2")

BOOKINGS = Sheet("bookings", "资源预订", "Bookings", (
    _c("visit_id", "接待编号", "Visit ID", "id"),
    _c("kind", "类型", "Kind", "enum", BOOKING_KINDS),
    _c("resource", "资源", "Resource"),
    _c("start", "开始", "Start", "datetime"),
    _c("end", "结束", "End", "datetime"),
    _c("quantity", "数量", "Quantity", "int", min=0),
    _c("capacity", "容纳人数", "Capacity", "int", min=1),  # v2: the people it seats (sleeps) in all
    _c("details", "详情", "Details"),
    _c("status", "状态", "Status", "enum", BOOKING_STATUS),
    _c("reconfirmed", "已复核", "Reconfirmed", "yesno"),
    _c("reference", "预订号", "Reference"),
    _c("owner", "负责人", "Owner"),
), "3.2.2")

# The Preparation sheet's item columns come from the rules file (one per checklist item);
# these are its fixed columns.
PREPARATION = Sheet("preparation", "准备清单", "Preparation", (
    _c("visit_id", "接待编号", "Visit ID", "id"),
    _c("prep_owner", "准备负责人", "Preparation owner"),
), "3.3.1")

# Which kind of booking serves which kind of itinerary item (contract v2: a meeting room
# serves meetings, a restaurant meals, a vehicle pick-ups, transfers and send-offs; a
# hotel serves the nights of the stay, not items).
SERVES = {"meeting": "meeting_room", "meal": "restaurant", "pickup": "vehicle", "transfer": "vehicle",
          "send_off": "vehicle"}
SERVED = {kind: tuple(k for k, v in SERVES.items() if v == kind) for kind in dict.fromkeys(SERVES.values())}

SHEETS: tuple[Sheet, ...] = (VISITS, GUESTS, ITINERARY, STAFF, BOOKINGS, PREPARATION)
SHEETS_BY_KEY = {s.key: s for s in SHEETS}

# Fields that §2.5 makes confidential: never in a client-facing document, a log or a
# dashboard.
CONFIDENTIAL_GUEST_FIELDS = ("ethnicity", "dietary", "smoker", "preferences", "background", "phone")


def prep_column(key: str, zh: str, en: str) -> Column:
    """A Preparation item column (its labels come from the rules file)."""
    return Column(key, zh, en, "prep", PREP_STATUS)


def preparation_sheet(items) -> Sheet:
    """The Preparation sheet with one column per checklist item of the standard."""
    return Sheet(PREPARATION.key, PREPARATION.zh, PREPARATION.en,
                 PREPARATION.columns + tuple(prep_column(i.key, i.zh, i.en) for i in items),
                 PREPARATION.clause)
