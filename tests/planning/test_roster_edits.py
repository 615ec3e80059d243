"""Changing a roster by hand: a day at a time with the rules shown at once, a new
version from a submitted one with its changes listed, and Excel out and back in. A
stale revision is refused; a bad file is refused whole, row by row."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from ccops.common.actions import Conflict
from ccops.planning import roster_edits, rostering
from ccops.planning.models import Roster
from tests.planning.test_rosters import WEEK, generate, week  # noqa: F401 -- fixture

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(center: Any, week: dict[str, Any]) -> Roster:  # noqa: F811
    return generate(center, week["mine"]).roster


def edit(center: Any, roster: Roster, day: dt.date, shift: str | None) -> list[Any]:
    roster.refresh_from_db()
    return roster_edits.do_edit_shift(
        roster,
        acting_user=center.user("vendor_pm"),
        revision=roster.revision,
        person=center.agent_a,
        day=day,
        shift=shift,
    )


@pytest.mark.rule("PLAN-05")
def test_a_hand_edit_shows_the_rules_it_breaks_and_blocks_submission(center, draft):
    worked = list(draft.shifts.filter(person=center.agent_a).order_by("day"))
    broken = edit(center, draft, worked[0].day, None)  # one day fewer than five
    assert [b.rule for b in broken] == ["days_per_week"]
    assert draft.revision == 2 and draft.source == "edited"
    with pytest.raises(rostering.ValidationError, match="hard rules"):
        rostering.do_submit_roster(draft, acting_user=center.user("vendor_pm"), revision=2)
    assert edit(center, draft, worked[0].day, "D8") == []
    placed = draft.shifts.get(person=center.agent_a, day=worked[0].day)
    assert placed.code == "D8" and len(placed.breaks) == 3 and placed.lunch is not None
    assert rostering.roster_breaches(draft) == []
    rostering.do_submit_roster(draft, acting_user=center.user("vendor_pm"), revision=3)


def test_a_stale_edit_is_refused_and_nothing_changes(center, draft):
    before = list(draft.shifts.values_list("person_id", "day", "code"))
    with pytest.raises(Conflict):
        roster_edits.do_edit_shift(
            draft,
            acting_user=center.user("vendor_pm"),
            revision=draft.revision + 5,
            person=center.agent_a,
            day=WEEK,
            shift=None,
        )
    assert list(draft.shifts.values_list("person_id", "day", "code")) == before


def test_a_submitted_roster_changes_in_a_new_version_with_its_changes_listed(center, draft):
    rostering.do_submit_roster(draft, acting_user=center.user("vendor_pm"), revision=1)
    with pytest.raises(rostering.ValidationError, match="new version"):
        edit(center, draft, WEEK, None)
    copy = roster_edits.do_revise_roster(draft, acting_user=center.user("vendor_pm"))
    assert copy.number == 2 and copy.state == "draft" and copy.based_on == draft
    assert roster_edits.roster_diff(draft, copy) == []
    day = next(
        d
        for d in (WEEK + dt.timedelta(days=i) for i in range(7))
        if not copy.shifts.filter(person=center.agent_a, day=d).exists()
    )
    edit(center, copy, day, "E8")
    changes = roster_edits.roster_diff(draft, copy)
    assert [(c["person"], c["day"], c["before"], c["after"]) for c in changes] == [
        (center.agent_a, day, None, "E8")
    ]
    draft.refresh_from_db()
    assert draft.state == "submitted"  # the submitted version is as it was


def test_excel_out_and_back_in_gives_the_same_roster(center, draft, tmp_path: Path):
    response = roster_edits.roster_workbook(draft)
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["shifts", "coverage"]
    assert len(list(book["coverage"].iter_rows())) == 1 + 7 * 48
    path = tmp_path / "roster.xlsx"
    path.write_bytes(response.content)
    again = roster_edits.do_import_roster(
        draft.demand, acting_user=center.user("vendor_pm"), path=path, filename="roster.xlsx"
    )
    assert again.source == "imported" and again.number == 2 and again.state == "draft"
    assert roster_edits.roster_diff(draft, again) == []
    assert rostering.roster_breaches(again) == []


def test_a_bad_file_is_refused_whole_with_each_row_named(center, draft, tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["employee", "day", "shift"])
    sheet.append([center.agent_a.employee_no, "2026-12-07", "D8"])
    sheet.append(["NOBODY", "2026-12-07", "D8"])
    sheet.append([center.agent_a.employee_no, "2026-12-20", "D8"])
    sheet.append([center.agent_a.employee_no, "2026-12-08", "X9"])
    sheet.append([center.agent_b.employee_no, "2026-12-08", "D8"])  # another vendor's agent
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(rostering.ValidationError) as refused:
        roster_edits.do_import_roster(
            draft.demand, acting_user=center.user("vendor_pm"), path=path, filename="bad.xlsx"
        )
    messages = refused.value.messages
    assert messages[0].startswith("Row 3, column employee: NOBODY")
    assert messages[1].startswith("Row 4, column day: 2026-12-20 lies outside")
    assert messages[2].startswith("Row 5, column shift: X9")
    assert messages[3].startswith(f"Row 6, column employee: {center.agent_b.employee_no}")
    assert Roster.objects.count() == 1


def test_the_api_edits_revises_and_lists_changes(center, draft):
    pm = center.client_for(center.user("vendor_pm"))
    body = {"revision": 1, "person": center.agent_a.pk, "day": "2026-12-07", "shift": "D8"}
    done = pm.post(
        f"/api/planning/rosters/{draft.pk}/shifts", body, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["revision"] == 2
    stale = pm.post(
        f"/api/planning/rosters/{draft.pk}/shifts", body, content_type="application/json"
    )
    assert stale.status_code == 409
    copy = pm.post(f"/api/planning/rosters/{draft.pk}/revise").json()
    assert copy["number"] == 2
    assert pm.get(f"/api/planning/rosters/{copy['id']}/changes").json() == []
    other = center.client_for(center.outsider("vendor_pm"))
    assert other.post(f"/api/planning/rosters/{draft.pk}/revise").status_code == 404
