"""pipeline.frames: a checked workbook as typed pandas DataFrames."""

from __future__ import annotations

from datetime import datetime, time

import pandas as pd
from test_sample import SAMPLE, TODAY
from workbooks import CLEAN_TODAY, clean_visit, merge, write_workbook

from pipeline.build import findings_json
from pipeline.frames import load_frames



def _frames(tmp_path, rows, **kw):
    return load_frames(write_workbook(tmp_path / "wb.xlsx", rows, **kw), today=CLEAN_TODAY)


def test_each_sheet_is_a_frame_by_contract_key_with_typed_columns(tmp_path):
    rows = merge(clean_visit("V1"), clean_visit("V2", day=20))
    rows["visits"][1]["headcount"] = "两位"  # unreadable: missing in the frame, a finding in the findings
    frames = _frames(tmp_path, rows, lang="en")  # English headers: the same keys
    visits = frames["visits"]
    assert list(visits["visit_id"]) == ["V1", "V2"]
    assert list(visits["row"]) == [2, 3]
    assert str(visits["headcount"].dtype) == "Int64"
    assert visits["headcount"].iloc[0] == 2 and visits["headcount"].isna().iloc[1]
    assert visits["arrival"].iloc[0] == pd.Timestamp(datetime(2027, 3, 10, 9, 30))
    assert str(visits["accommodation"].dtype) == "boolean" and visits["accommodation"].all()
    assert list(visits["client_type"].cat.categories) == ["potential", "existing", "partner", "other"]
    assert str(visits["client_org"].dtype) == "string"
    items = frames["itinerary"]
    assert len(items) == 16
    assert items["start"].iloc[0] == time(8, 30)
    assert items["attendees"].iloc[2] == ("陈静", "王芳")
    assert items.groupby("kind", observed=True).size()["meal"] == 6
    prep = frames["preparation"]
    assert (prep["venue_ready"] == "done").all() and "signage" in prep.columns
    assert frames["guests"]["dietary"].iloc[0] == "清真"  # internal: the workbook's own data


def test_findings_and_readiness_are_those_of_the_check(tmp_path):
    rows = clean_visit()
    rows["visits"][0]["objective"] = None
    frames = _frames(tmp_path, rows)
    findings = frames.findings
    assert list(findings["rule"]) == [f.rule for f in frames.result.findings] == ["visit.objective"]
    assert findings["severity"].iloc[0] == "error" and findings["row"].iloc[0] == 2
    assert frames.readiness.set_index("visit_id").loc["V1", "readiness"] == "not_ready"
    assert frames.readiness.set_index("visit_id").loc["V1", "errors"] == 1


def test_the_sample_loads_with_the_findings_of_findings_json():
    frames = load_frames(SAMPLE, today=TODAY)
    as_json = findings_json(frames.result)
    assert len(frames.findings) == as_json.count('"rule"')
    assert set(frames.sheets) == {"visits", "guests", "itinerary", "staff", "bookings", "preparation"}
    assert frames.readiness["visit_id"].tolist() == frames["visits"]["visit_id"].tolist()
    deferred = frames.findings.dropna(subset=["due"])
    assert not deferred.empty and (deferred["severity"] == "info").all()
