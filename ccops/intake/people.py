"""Bulk import of people from Excel/CSV: validated per row by the model, written all at once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
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
    """Everything rows refer to, read once per batch (no query per row)."""

    def __init__(self) -> None:
        self.orgs = {o.code: o for o in Organisation.objects.all()}
        self.sites = {s.code: s for s in Site.objects.all()}
        self.teams = {(t.organisation_id, t.code): t for t in Team.objects.all()}
        self.skills = {s.code: s for s in SeatType.objects.all()}
        self.existing = {p.employee_no: p for p in Person.objects.prefetch_related("skills")}
        self.choices = {f: _choice_aliases(f) for f in CHOICE_FIELDS}


@dataclass
class PersonRow:
    """A validated row: the person as it will be saved and, if it exists, as it was."""

    person: Person
    skills: list[SeatType]
    before: dict[str, Any] | None  # stored field values, unmasked, for the unchanged check
    before_skills: set[int]

    @property
    def unchanged(self) -> bool:
        same_skills = not self.skills or {s.pk for s in self.skills} == self.before_skills
        return self.before == _values(self.person) and same_skills


def _values(person: Person) -> dict[str, Any]:
    return {f.attname: getattr(person, f.attname) for f in Person._meta.concrete_fields}


def _organisation(raw: dict[str, Any], batch: ImportBatch, look: _Lookups) -> Organisation | None:
    code = raw.get("organisation")
    return look.orgs.get(code) if code else batch.organisation


def _row_to_person(
    raw: dict[str, Any], batch: ImportBatch, look: _Lookups, problems: parsing.Problems
) -> PersonRow | None:
    """The row applied to the stored person (or a new one); None after recording problems.

    A blank cell keeps what is stored (or the default, for a new person).
    """
    row = raw[parsing.ROW]
    org = _organisation(raw, batch, look)
    if org is None:
        problems.add_counted(row, "organisation", "unknown_organisation", value=raw["organisation"])
        return None
    scope = scope_of(batch)
    current = look.existing.get(raw["employee_no"])
    if scope is not None and (org.pk != scope or (current and current.organisation_id != scope)):
        problems.add_counted(
            row, "employee_no", "other_organisation_staff", value=raw["employee_no"]
        )
        return None
    before = _values(current) if current else None
    before_skills = {s.pk for s in current.skills.all()} if current else set()
    person = current or Person(employee_no=raw["employee_no"])
    person.organisation = org
    for name in FIELDS:
        value = raw.get(name)
        if value is None:
            continue
        if name in CHOICE_FIELDS:
            value = look.choices[name].get(value.lower())
            if value is None:
                problems.add_counted(row, name, "bad_choice", value=raw[name])
                return None
        setattr(person, name, value)
    if not _place(person, raw, org, look, problems):
        return None
    skills = _skills(raw, look, problems)
    if skills is None:
        return None
    try:
        person.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            problems.add_counted(row, field, "invalid_value", message=" ".join(messages))
        return None
    return PersonRow(person, skills, before, before_skills)


def _place(
    person: Person,
    raw: dict[str, Any],
    org: Organisation,
    look: _Lookups,
    problems: parsing.Problems,
) -> bool:
    """Site and team from their codes (a team within the person's organisation)."""
    row = raw[parsing.ROW]
    if raw.get("site"):
        person.site = look.sites.get(raw["site"])
        if person.site is None:
            problems.add_counted(row, "site", "unknown_site", value=raw["site"])
            return False
    if raw.get("team"):
        person.team = look.teams.get((org.pk, raw["team"]))
        if person.team is None:
            problems.add_counted(row, "team", "unknown_team", value=raw["team"])
            return False
    return True


def _skills(
    raw: dict[str, Any], look: _Lookups, problems: parsing.Problems
) -> list[SeatType] | None:
    skills = []
    for code in filter(None, re.split(r"[,;，；、\s]+", raw.get("skills") or "")):
        if code not in look.skills:
            problems.add_counted(raw[parsing.ROW], "skills", "unknown_skill", value=code)
            return None
        skills.append(look.skills[code])
    return skills


def _every(n: int, total: int) -> bool:
    """Report progress about a hundred times per batch, not once per row."""
    return n % max(total // 100, 1) == 0


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
    seen: set[str] = set()
    look = _Lookups()
    rows = []
    for i, raw in enumerate(parsed.iter_rows(named=True)):
        if _every(i, parsed.height):
            progress("validating", 0.1 + 0.5 * i / max(parsed.height, 1))
        if raw["employee_no"] is None or raw["name"] is None or raw["hire_date"] is None:
            continue
        if raw["employee_no"] in seen:
            problems.add_counted(raw[parsing.ROW], "employee_no", "conflicting_duplicate")
            continue
        seen.add(raw["employee_no"])
        if result := _row_to_person(raw, batch, look, problems):
            rows.append(result)
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
    _write_people(batch, rows, progress)


def _write_people(
    batch: ImportBatch, rows: list[PersonRow], progress: Callable[[str, float], None]
) -> None:
    from ccops.intake.pipeline import finish

    with transaction.atomic():
        for i, row in enumerate(rows):
            if _every(i, len(rows)):
                progress("writing", 0.6 + 0.35 * i / max(len(rows), 1))
            m2m = {"skills": row.skills} if row.skills or row.before is None else None
            if row.before is None:
                do_create(row.person, acting_user=batch.created_by, m2m=m2m)
                batch.inserted += 1
            elif row.unchanged:
                batch.unchanged += 1
            else:
                do_update(row.person, acting_user=batch.created_by, m2m=m2m)
                batch.updated += 1
        finish(batch, ImportBatch.Status.SUCCEEDED)
