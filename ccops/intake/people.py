"""Bulk import of people from Excel/CSV: validated per row by the model, written all at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from ccops.audit import services as audit
from ccops.common.actions import do_create, do_update
from ccops.intake import parsing
from ccops.intake.models import ImportBatch
from ccops.intake.pipeline import (
    BatchRejected,
    drop_exact_duplicates,
    file_columns,
    read_batch_file,
    scope_of,
)
from ccops.org.models import Organisation, Person, SeatType, Site, Team

COLUMNS: dict[str, list[str]] = {
    "employee_no": ["employee_no", "employee number", "员工编号", "工号", "人员编号"],
    "name": ["name", "姓名"],
    "organisation": ["organisation", "organization", "org", "vendor", "所属单位", "外包方", "组织"],
    "phone": ["phone", "mobile", "电话", "手机", "手机号"],
    "national_id": ["national_id", "id_number", "身份证号", "身份证号码"],
    "education": ["education", "学历"],
    "hire_date": ["hire_date", "入职日期"],
    "status": ["status", "状态"],
    "position": ["position", "岗位", "职位"],
    "site": ["site", "场地", "职场"],
    "team": ["team", "班组"],
    "skills": ["skills", "技能", "专席"],
    "shift_class": ["shift_class", "班次类别", "关怀班次"],
    "acd_account": ["acd_account", "agent_account", "座席工号", "话务工号"],
}
REQUIRED = ("employee_no", "name", "hire_date")
CHOICE_FIELDS = ("education", "status", "position", "shift_class")
# Words HR files use besides the labels shown in the product.
SYNONYMS: dict[str, dict[str, str]] = {
    "education": {
        "大专": "college",
        "专科": "college",
        "本科": "bachelor",
        "硕士": "postgraduate",
        "研究生": "postgraduate",
        "博士": "postgraduate",
        "高中": "secondary",
        "中专": "secondary",
        "中学": "secondary",
    },
    "status": {
        "在职": "active",
        "正式": "active",
        "试用": "probation",
        "试用期": "probation",
        "培训": "training",
        "离职": "left",
        "待离职": "leaving",
    },
    "position": {
        "座席": "agent",
        "座席代表": "agent",
        "客服代表": "agent",
        "客服": "agent",
        "班长": "team_lead",
    },
    "shift_class": {},
}
FIELDS = (
    "name",
    "phone",
    "national_id",
    "education",
    "hire_date",
    "status",
    "position",
    "shift_class",
    "acd_account",
)


def _choice_aliases(field: str) -> dict[str, str]:
    """Map value, English label and Chinese label (lower-cased) of a choice field to its value."""
    choices = Person._meta.get_field(field).choices or []
    aliases: dict[str, str] = dict(SYNONYMS[field])
    for value, label in choices:
        aliases[str(value).lower()] = str(value)
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                aliases[str(label).lower()] = str(value)
    return aliases


class _Lookups:
    def __init__(self) -> None:
        self.orgs = {o.code: o for o in Organisation.objects.all()}
        self.sites = {s.code: s for s in Site.objects.all()}
        self.teams = {(t.organisation_id, t.code): t for t in Team.objects.all()}
        self.skills = {s.code: s for s in SeatType.objects.all()}
        self.existing = {p.employee_no: p for p in Person.objects.all()}
        self.choices = {f: _choice_aliases(f) for f in CHOICE_FIELDS}


def _row_to_person(
    raw: dict[str, Any], batch: ImportBatch, look: _Lookups, problems: parsing.Problems
) -> tuple[Person, list[SeatType]] | None:
    row = raw[parsing.ROW]
    org = batch.organisation
    if raw.get("organisation"):
        org = look.orgs.get(raw["organisation"])
        if org is None:
            problems.add_counted(
                row, "organisation", "unknown_organisation", value=raw["organisation"]
            )
            return None
    scope = scope_of(batch)
    current = look.existing.get(raw["employee_no"])
    if scope is not None and (org.pk != scope or (current and current.organisation_id != scope)):
        problems.add_counted(
            row, "employee_no", "other_organisation_staff", value=raw["employee_no"]
        )
        return None
    person = (
        Person.objects.get(pk=current.pk) if current else Person(employee_no=raw["employee_no"])
    )
    person.organisation = org
    for name in FIELDS:
        value = raw.get(name)
        if name in CHOICE_FIELDS and value is not None:
            value = look.choices[name].get(value.lower())
            if value is None:
                problems.add_counted(row, name, "bad_choice", value=raw[name])
                return None
        if value is not None or name in ("phone", "national_id", "acd_account"):
            if value is None and current is not None:
                continue  # a blank cell keeps what is stored
            setattr(
                person,
                name,
                value if value is not None else ("" if name != "acd_account" else None),
            )
    person.site = look.sites.get(raw["site"]) if raw.get("site") else person.site
    if raw.get("site") and person.site is None:
        problems.add_counted(row, "site", "unknown_site", value=raw["site"])
        return None
    if raw.get("team"):
        person.team = look.teams.get((org.pk, raw["team"]))
        if person.team is None:
            problems.add_counted(row, "team", "unknown_team", value=raw["team"])
            return None
    skills = []
    for code in filter(None, re.split(r"[,;，；、\s]+", raw.get("skills") or "")):
        if code not in look.skills:
            problems.add_counted(row, "skills", "unknown_skill", value=code)
            return None
        skills.append(look.skills[code])
    try:
        person.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.add_counted(row, field, "invalid_value", message=" ".join(messages))
        return None
    return person, skills


def import_people(batch: ImportBatch, progress: Callable[[str, float], None]) -> None:
    """Create or update people; unchanged rows are counted, changes audited per person."""
    progress("reading", 0.05)
    table = read_batch_file(batch, COLUMNS, REQUIRED)
    batch.encoding, batch.rows_read = table.encoding, table.frame.height
    problems = parsing.Problems()
    frame, dup_notes = drop_exact_duplicates(table.frame, problems)
    parsed = parsing.parse_columns(
        frame, {"hire_date": parsing.date("hire_date")}, problems, {"hire_date": "bad_date"}
    )
    parsing.require_present(parsed, list(REQUIRED), problems)
    seen: dict[str, int] = {}
    look = _Lookups()
    people = []
    for i, raw in enumerate(parsed.iter_rows(named=True)):
        progress("validating", 0.1 + 0.5 * i / max(parsed.height, 1))
        if raw["employee_no"] is None or raw["name"] is None or raw["hire_date"] is None:
            continue
        if raw["employee_no"] in seen:
            problems.add_counted(raw[parsing.ROW], "employee_no", "conflicting_duplicate")
            continue
        seen[raw["employee_no"]] = raw[parsing.ROW]
        result = _row_to_person(raw, batch, look, problems)
        if result:
            people.append(result)
    if any(e["code"] == "other_organisation_staff" for e in problems.items):
        audit.security_event(
            "cross_organisation_import",
            f"batch {batch.pk}: people file names another organisation's staff",
            actor=batch.created_by,
            organisation_id=batch.organisation_id,
        )
    if problems:
        raise BatchRejected(file_columns(problems.sorted(), table.source_columns), problems.count)
    batch.rejected = len(dup_notes)
    batch.errors, batch.error_count = dup_notes, len(dup_notes)
    _write_people(batch, people, progress)


def _write_people(
    batch: ImportBatch,
    people: list[tuple[Person, list[SeatType]]],
    progress: Callable[[str, float], None],
) -> None:
    from ccops.intake.pipeline import finish

    with transaction.atomic():
        for i, (person, skills) in enumerate(people):
            progress("writing", 0.6 + 0.35 * i / max(len(people), 1))
            if person.pk is None:
                do_create(person, acting_user=batch.created_by, m2m={"skills": skills})
                batch.inserted += 1
                continue
            stored = Person.objects.get(pk=person.pk)
            same = audit.snapshot(stored) == audit.snapshot(person) | {"version": stored.version}
            same_skills = set(stored.skills.values_list("pk", flat=True)) == {s.pk for s in skills}
            if same and (same_skills or not skills):
                batch.unchanged += 1
                continue
            do_update(
                person, acting_user=batch.created_by, m2m={"skills": skills} if skills else None
            )
            batch.updated += 1
        finish(batch, ImportBatch.Status.SUCCEEDED)
