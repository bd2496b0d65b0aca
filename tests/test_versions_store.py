"""The versions kept beside the send log: when an approved version is kept or replaced,
what is removed, owner-only files, a renamed workbook keeping its versions."""

from __future__ import annotations

import json
import stat
from datetime import date, time
from pathlib import Path

from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

from pipeline.checks import check_workbook
from pipeline.reader import read_workbook
from pipeline.versions.content import content_digest, visit_content
from pipeline.versions.store import Versions


def checked(store: Versions, path: Path, std):
    """One check as the build does it: the approved versions in, the new ones kept."""
    wb = read_workbook(path, std)
    result = check_workbook(wb, std, CLEAN_TODAY, approved=store.approved(path, wb))
    store.keep(path, result)
    return result


def files(store: Versions) -> list[Path]:
    """The visits' files (not the index)."""
    return sorted(p for p in store.folder.rglob("*.json") if p.is_file() and p.name != "index.json")


def index(store: Versions) -> dict:
    [path] = store.folder.rglob("index.json")
    return json.loads(path.read_text(encoding="utf-8"))["visits"]


def test_the_first_approved_version_is_kept_and_only_a_new_approval_date_replaces_it(tmp_path, std):
    rows = clean_visit()
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    checked(store, path, std)
    [kept] = files(store)
    data = json.loads(kept.read_text(encoding="utf-8"))
    first = index(store)["V1"]
    assert (kept.name, data["visit"], first["on"]) == ("V1.json", "V1", "2027-03-01")
    assert data["versions"][first["version"]]["itinerary"][2]["start"] == "14:00:00"

    rows["itinerary"][2]["start"] = time(14, 30)  # changed, not approved again
    write_workbook(path, rows)
    for _ in range(2):  # however often it is checked
        store = Versions(tmp_path / "state" / "sendlog.jsonl")
        result = checked(store, path, std)
        assert [f.rule for f in result.findings] == ["visit.unchanged_since_approval"]
        assert index(store)["V1"] == first

    rows["visits"][0].update(approved_on=date(2027, 3, 3), briefed_on=date(2027, 3, 3))  # approved again
    write_workbook(path, rows)
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    assert checked(store, path, std).findings == []
    now = index(store)["V1"]
    assert now["on"] == "2027-03-03"
    assert json.loads(kept.read_text(encoding="utf-8"))["versions"] == {
        now["version"]: visit_content(read_workbook(path, std).visits["V1"])}


def test_visits_not_approved_are_not_kept_and_a_visit_that_leaves_takes_its_file(tmp_path, std):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=20), clean_visit("V3", day=22))
    rows["visits"][2].update(approval="submitted", approved_on=None, briefed_on=None)
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    checked(store, path, std)
    assert [p.name for p in files(store)] == ["V1.json", "V2.json"]
    rows = {sheet: [r for r in sheet_rows if r["visit_id"] != "V2"] for sheet, sheet_rows in rows.items()}
    write_workbook(path, rows)
    checked(Versions(tmp_path / "state" / "sendlog.jsonl"), path, std)
    assert [p.name for p in files(store)] == ["V1.json"] and list(index(store)) == ["V1"]
    rows["visits"][0]["status"] = "completed"  # over: nothing is compared or sent any more
    write_workbook(path, rows)
    checked(Versions(tmp_path / "state" / "sendlog.jsonl"), path, std)
    assert files(store) == [] and not list(store.folder.rglob("index.json"))


def test_files_and_folders_are_the_owners_only(tmp_path, std):
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    checked(store, write_workbook(tmp_path / "visits.xlsx", clean_visit()), std)
    [kept] = files(store)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(next(store.folder.rglob("index.json")).stat().st_mode) == 0o600
    for folder in (kept.parent, store.folder, tmp_path / "state"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE((tmp_path / "state" / "sendlog.workbooks.json").stat().st_mode) == 0o600


def test_a_renamed_workbook_keeps_its_versions(tmp_path, std):
    rows = clean_visit()
    path = write_workbook(tmp_path / "visits.xlsx", rows)
    checked(Versions(tmp_path / "state" / "sendlog.jsonl"), path, std)
    rows["itinerary"][2]["start"] = time(14, 30)
    write_workbook(tmp_path / "2027年客户接待台账.xlsx", rows)
    path.unlink()
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    result = checked(store, tmp_path / "2027年客户接待台账.xlsx", std)
    assert [f.rule for f in result.findings] == ["visit.unchanged_since_approval"]
    assert store.identity(tmp_path / "2027年客户接待台账.xlsx", ["V1"]).how == "renamed"


def test_a_dry_run_writes_nothing(tmp_path, std):
    store = Versions(tmp_path / "state" / "sendlog.jsonl", read_only=True)
    checked(store, write_workbook(tmp_path / "visits.xlsx", clean_visit()), std)
    store.remember("visits-1", "V1", {"visits": {}})
    assert not (tmp_path / "state").exists()


def test_versions_kept_are_the_approved_one_and_those_the_send_log_names(tmp_path, std):
    log = tmp_path / "state" / "sendlog.jsonl"
    path = write_workbook(tmp_path / "visits.xlsx", clean_visit())
    store = Versions(log)
    checked(store, path, std)
    identity = store.identity(path, ["V1"]).name
    a, b = {"visits": {"theme": "a"}}, {"visits": {"theme": "b"}}
    sent_a = store.remember(identity, "V1", a)
    assert store.version(identity, "V1", sent_a) == a
    log.write_text(json.dumps({"status": "sent", "key": f"{identity}/V1/briefing/x@example.com",
                               "workbook": identity, "visit": "V1", "version": sent_a}) + "\n", encoding="utf-8")
    store = Versions(log)
    sent_b = store.remember(identity, "V1", b)  # about to go: kept, and a still named by the log
    kept = json.loads(files(store)[0].read_text(encoding="utf-8"))["versions"]
    assert set(kept) == {sent_a, sent_b, kept_approved(store, path, std)}
    sent_c = Versions(log).remember(identity, "V1", {"visits": {"theme": "c"}})  # b was never sent: dropped
    kept = json.loads(files(store)[0].read_text(encoding="utf-8"))["versions"]
    assert set(kept) == {sent_a, sent_c, kept_approved(store, path, std)}
    assert Versions(log.with_name("other.jsonl")).version(identity, "V1", sent_a) is None  # another log, another store


def kept_approved(store: Versions, path: Path, std) -> str:
    return content_digest(visit_content(read_workbook(path, std).visits["V1"])) == index(store)["V1"]["version"] \
        and index(store)["V1"]["version"]


def test_a_file_that_cannot_be_read_counts_as_none(tmp_path, std):
    path = write_workbook(tmp_path / "visits.xlsx", clean_visit())
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    checked(store, path, std)
    rows = clean_visit()
    rows["itinerary"][2]["start"] = time(14, 30)
    write_workbook(path, rows)
    files(store)[0].write_text("{not json", encoding="utf-8")
    store = Versions(tmp_path / "state" / "sendlog.jsonl")
    assert checked(store, path, std).findings == []  # nothing to compare with ...
    version = index(store)["V1"]["version"]  # ... so it is kept again as it now stands
    assert json.loads(files(store)[0].read_text(encoding="utf-8"))["versions"][version]["itinerary"][2]["start"] \
        == "14:30:00"
    unreadable = next(store.folder.rglob("index.json"))
    unreadable.write_text("[]", encoding="utf-8")  # an index that cannot be read: no approved versions
    assert Versions(tmp_path / "state" / "sendlog.jsonl").approved(path, read_workbook(path, std)) == {}
