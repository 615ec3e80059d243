"""Organisation actions that are more than plain create/update/delete."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import QuerySet

from ccops.audit import services as audit
from ccops.org.access import access, require
from ccops.org.models import Organisation, Person, Profile


def reveal_personal_data(user: Any, pk: Any) -> Person:
    """The person with unmasked data, for a user allowed to reveal it; logged (PIPL)."""
    person = access(Person, user, pk, write="reveal_personal_data")
    audit.record("reveal", person, actor=user, note="phone, national_id")
    return person


def reveal_for_export(user: Any, people: QuerySet[Person]) -> QuerySet[Person]:
    """People for an export with full personal data; needs the permission, logged (PIPL)."""
    require(user, "reveal_personal_data")
    count = people.count()
    audit.record(
        "reveal",
        actor=user,
        object_type="org.person",
        object_repr=f"export of {count} people",
        note=f"phone, national_id; export of {count} people",
    )
    return people


def do_create_account(
    *,
    username: str,
    password: str,
    organisation: Organisation,
    role: str,
    person: Person | None,
    acting_user: Any,
) -> Profile:
    """A login with its organisation and role; the password is validated and never audited."""
    with transaction.atomic():
        user = get_user_model()(username=username)
        validate_password(password, user)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        profile = Profile(user=user, organisation=organisation, role=role, person=person)
        profile.full_clean()
        profile.save()
        audit.record("create", profile, actor=acting_user, after=_account_facts(profile))
    return profile


def do_update_account(
    profile: Profile,
    *,
    acting_user: Any,
    role: str,
    person: Person | None,
    is_active: bool,
    password: str = "",
) -> Profile:
    """Change role, person, active flag or password; a new password or deactivation ends
    the account's sessions (Django checks the password hash and the active flag on every
    request)."""
    with transaction.atomic():
        before = _account_facts(profile)
        profile.role, profile.person = role, person
        profile.full_clean()
        profile.save()
        user = profile.user
        user.is_active = is_active
        if password:
            validate_password(password, user)
            user.set_password(password)
        user.save()
        after = _account_facts(profile) | ({"password": "changed"} if password else {})
        old, new = audit.diff(before, after)
        if new:
            audit.record("update", profile, actor=acting_user, before=old, after=new)
    return profile


def _account_facts(profile: Profile) -> dict[str, Any]:
    return {
        "username": profile.user.get_username(),
        "organisation": profile.organisation_id,
        "role": profile.role,
        "person": profile.person_id,
        "active": profile.user.is_active,
    }
