"""Golden test: the text of every document the sample builds, one golden file per kind
and language, so any change to what a plan, itinerary or role sheet says shows in review.

After an intended change, regenerate with `UPDATE_GOLDEN=1 make test` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from extract import docx_text, xlsx_text
from test_sample import SAMPLE, TODAY

from pipeline.checks import check_workbook
from pipeline.documents.batch import render_documents
from pipeline.incremental import Manifest
from pipeline.reader import read_workbook
from pipeline.standard import load_standard

GOLDEN = Path(__file__).parent / "golden" / "documents"
KINDS = {"plan": docx_text, "itinerary": docx_text, "roles": xlsx_text}


@pytest.fixture(scope="module", params=["zh", "en"])
def built(request, tmp_path_factory):
    std = load_standard()
    result = check_workbook(read_workbook(SAMPLE, std), std, TODAY, request.param)
    folder = tmp_path_factory.mktemp(f"sample-{request.param}")
    batch = render_documents(result, std, folder, Manifest.load(folder))
    assert not batch.errors
    return request.param, folder, batch


@pytest.mark.parametrize("kind", KINDS)
def test_document_text_matches_the_golden_file(built, kind):
    lang, folder, batch = built
    parts = []
    for v in batch.visits:
        text = KINDS[kind]((folder / v.folder / v.files[kind]).read_bytes())
        parts.append(f"==== {v.visit_id}: {v.files[kind]}\n{text}\n")
    got = "".join(parts)
    golden = GOLDEN / f"{kind}.{lang}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_every_visit_but_the_cancelled_one_has_documents(built):
    _, _, batch = built
    assert len(batch.visits) == 12 and "JD-2027-005" not in {v.visit_id for v in batch.visits}


def test_sample_itineraries_carry_no_confidential_or_internal_value(built):
    """Every part of every itinerary of the sample against the sample's own confidential
    guest values and internal visit values, and the other visits' clients."""
    import zipfile

    from test_itinerary import INTERNAL_VISIT_FIELDS

    from pipeline.contract import CONFIDENTIAL_GUEST_FIELDS
    lang, folder, batch = built
    wb = read_workbook(SAMPLE, load_standard())
    checked = 0
    for v in batch.visits:
        visit = wb.visits[v.visit_id]
        secrets = {str(g.values.get(k)) for g in visit.guests for k in CONFIDENTIAL_GUEST_FIELDS
                   if k != "smoker" and g.values.get(k) is not None}
        secrets |= {str(visit.record.values.get(k)) for k in INTERNAL_VISIT_FIELDS
                    if visit.record.values.get(k) is not None}
        secrets |= {str(o.record.client_org) for o in wb.visits.values() if o.id != v.visit_id}
        # What the itinerary shows by design (an activity named "工作午餐（清真窗口）" says
        # 清真 because staff wrote it for the client): a secret inside it is not a leak.
        shown = " ".join(str(x) for item in visit.items for x in (item.activity, item.location) if x)
        secrets = {s for s in secrets if len(s) >= 2 and s not in shown}  # "无" (none) is a word of its own
        with zipfile.ZipFile(folder / v.folder / v.files["itinerary"]) as z:
            parts = {n: z.read(n).decode("utf-8", errors="replace") for n in z.namelist()}
        for secret in secrets:
            for name, text in parts.items():
                assert secret not in text, f"{v.visit_id}: {secret!r} leaked into {name}"
            checked += 1
    assert checked > 100
