"""The dashboards' figures, checked once against the check results (both layouts show them)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest

from pipeline.checks import check_workbook
from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS
from pipeline.dashboard import dashboard_figures
from pipeline.dashboard.figures import clause_text
from pipeline.reader import read_workbook
from pipeline.standard import load_standard
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

from test_sample import SAMPLE, TODAY

STD = load_standard()


@pytest.fixture(scope="module")
def sample():
    return check_workbook(read_workbook(SAMPLE, STD), STD, TODAY)


def confidential_values(result) -> set[str]:
    """The sample's confidential guest values that could not appear by chance."""
    values = set()
    for visit in result.workbook.visits.values():
        for g in visit.guests:
            for key in CONFIDENTIAL_GUEST_FIELDS:
                v = g.values.get(key)
                if isinstance(v, str) and len(v) >= 2 and v not in ("none",):
                    values.update(line for line in v.splitlines() if len(line) >= 2)
    return values


def result_of(tmp_path, rows, today=CLEAN_TODAY, lang="zh"):
    path = write_workbook(tmp_path / "台账.xlsx", rows, lang=lang)
    return check_workbook(read_workbook(path, STD), STD, today)


def test_headline_figures_of_the_sample(sample):
    f = dashboard_figures(sample)
    h = f.headline
    readiness = Counter(vr.readiness for vr in sample.visits)
    assert (h.visits, h.cancelled) == (13, 1)
    assert (h.ready, h.attention, h.not_ready) == (readiness["ready"], readiness["attention"], readiness["not_ready"])
    assert (h.ready, h.attention, h.not_ready) == (3, 2, 7)
    assert (h.errors, h.warnings, h.info) == (sample.count("error"), sample.count("warning"), sample.count("info"))
    scores = [vr.visit.record.satisfaction for vr in sample.visits
              if vr.visit.record.status == "completed" and vr.visit.record.satisfaction is not None]
    assert h.rated == len(scores) == 3
    assert h.satisfaction == pytest.approx(sum(scores) / len(scores)) == pytest.approx(14 / 3)
    assert f.workbook == "2027年客户接待台账" and f.lang == "zh" and f.today == TODAY


def test_upcoming_visits_count_from_today(sample):
    f = dashboard_figures(sample)
    assert [v.visit_id for v in f.upcoming] == ["JD-2027-007", "JD-2027-008", "JD-2027-009", "JD-2027-010"]
    assert f.headline.upcoming == 4
    assert [v.days_to_go for v in f.upcoming] == [2, 21, 28, 29]
    assert [v.visit_id for v in f.upcoming if v.soon] == ["JD-2027-007"]  # not ready, within 7 days
    assert dict(f.upcoming_readiness) == {"ready": 1, "attention": 0, "not_ready": 3}
    later = dashboard_figures(sample, TODAY + timedelta(days=22), upcoming_days=10)  # JD-2027-008's second day
    assert [v.visit_id for v in later.upcoming] == ["JD-2027-008", "JD-2027-009", "JD-2027-010"]  # 008 under way
    assert later.upcoming[0].days_to_go == -1


def test_visits_per_month_by_status_purpose_and_client_type_add_up(sample):
    f = dashboard_figures(sample)
    assert f.statuses == ("planned", "confirmed", "completed", "cancelled")
    got = {(m.month, s): n for m in f.by_month for s, n in zip(f.statuses, m.counts) if n}
    want = Counter((f"{vr.visit.record.arrival:%Y-%m}", vr.visit.record.status) for vr in sample.visits)
    assert got == dict(want)
    # the months that have visits (September 2026 has none)
    assert [m.month for m in f.by_month] == ["2026-08", "2026-10", "2026-11", "2026-12", "2027-01", "2027-02"]
    assert dict(f.by_purpose) == dict(Counter(vr.visit.record.purpose for vr in sample.visits))
    assert dict(f.by_client_type) == dict(Counter(vr.visit.record.client_type for vr in sample.visits))
    assert [k for k, _ in f.by_purpose] == ["promotion", "negotiation", "site_visit", "relationship", "other"]


def test_findings_by_clause_match_the_check(sample):
    f = dashboard_figures(sample)
    assert sum(c.total for c in f.clauses) == len(sample.findings)
    for c in f.clauses:
        mine = [x for x in sample.findings if x.clause == c.clause]
        assert (c.errors, c.warnings, c.info) == tuple(sum(x.severity == s for x in mine)
                                                       for s in ("error", "warning", "info"))
        assert c.visits == len({x.visit_id for x in mine if x.visit_id})
        assert sorted(c.findings, key=id) == sorted(mine, key=id)
        assert [x.severity for x in c.findings] == sorted((x.severity for x in c.findings),
                                                          key=("error", "warning", "info").index)
    totals = [c.total for c in f.clauses]
    assert totals == sorted(totals, reverse=True)
    top = f.clauses[0]
    assert (top.clause, top.total) == ("3.3.1", 26)
    assert clause_text("3.3.1", "zh").title == "场地与物料准备"


def test_every_clause_the_rules_cite_has_its_wording_in_both_languages():
    for rule in STD.rules:
        for lang in ("zh", "en"):
            words = clause_text(rule.clause, lang)
            assert words.title and words.text, (rule.id, rule.clause, lang)
    assert clause_text("9.9", "en").title == ""


def test_workload_counts_items_bookings_and_checklists_per_person_per_month(tmp_path):
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=14))
    rows["visits"][1]["status"] = "cancelled"  # a cancelled visit carries no load
    rows["itinerary"][0]["date"] = date(2027, 4, 1)  # V1's pick-up moved to April
    f = dashboard_figures(result_of(tmp_path, rows))
    assert f.workload.months == ("2027-03", "2027-04")
    load = {p.name: (p.per_month, p.total) for p in f.workload.people}
    assert load == {"李明": ((4, 0), 4), "赵强": ((2, 1), 3), "陈静": ((2, 0), 2), "王芳": ((1, 0), 1)}
    assert [p.name for p in f.workload.people] == ["李明", "赵强", "陈静", "王芳"]


def test_sample_workload_adds_up(sample):
    f = dashboard_figures(sample)
    want = 0
    for vr in sample.visits:
        if vr.readiness == "cancelled":
            continue
        v = vr.visit
        want += sum(1 for i in v.items if i.owner) + sum(1 for b in v.bookings if b.owner and b.status != "cancelled")
        want += 1 if v.preparation is not None and v.preparation.prep_owner else 0
    assert sum(p.total for p in f.workload.people) == want
    for p in f.workload.people:
        assert sum(p.per_month) == p.total


def test_satisfaction_over_time_is_the_monthly_average_of_completed_visits(tmp_path):
    rows = merge(clean_visit("V1", day=10), clean_visit("V2", day=14), clean_visit("V3", day=20))
    for i, score in enumerate((5, 2, 4)):
        rows["visits"][i].update(status="completed", satisfaction=score, minutes="纪要", follow_up="跟进")
    rows["visits"][2].update(status="confirmed")  # a score on a visit not completed does not count
    f = dashboard_figures(result_of(tmp_path, rows, today=date(2027, 3, 30)))
    assert [(s.month, s.average, s.visits) for s in f.satisfaction] == [("2027-03", 3.5, 2)]
    assert f.headline.satisfaction == 3.5 and f.headline.rated == 2


def test_visits_without_dates_or_choices_are_counted_apart(tmp_path):
    rows = clean_visit("V1")
    rows["visits"][0].update(arrival=None, purpose=None, status=None)
    f = dashboard_figures(result_of(tmp_path, rows))
    assert [(m.month, m.total) for m in f.by_month] == [(None, 1)]
    assert f.statuses[-1] is None and f.by_month[0].counts[-1] == 1
    assert dict(f.by_purpose)[None] == 1
    assert not f.upcoming and f.headline.upcoming == 0


def test_no_findings_no_visits(tmp_path):
    f = dashboard_figures(result_of(tmp_path, {}))
    assert f.headline.visits == 0 and f.clauses == () and f.workload.people == () and f.satisfaction == ()
    assert f.headline.satisfaction is None


def test_figures_hold_no_confidential_value(sample):
    secrets = confidential_values(sample)
    assert {"清真", "13900011200", "德国", "不吃辣"} & secrets or len(secrets) > 20
    text = repr(dashboard_figures(sample))
    assert not [s for s in secrets if s in text]


def test_arrival_times_sort_the_upcoming_table(tmp_path):
    rows = merge(clean_visit("V2", day=10), clean_visit("V1", day=10))
    rows["visits"][0]["arrival"] = datetime(2027, 3, 10, 14, 0)
    f = dashboard_figures(result_of(tmp_path, rows))
    assert [v.visit_id for v in f.upcoming] == ["V1", "V2"]
