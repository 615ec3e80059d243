"""Organisation actions that are more than plain create/update/delete."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccops.audit import services as audit
from ccops.org.access import access, require
from ccops.org.models import ApiToken, Organisation, Person, Profile


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


TOKEN_PREFIX = "ccops_"  # noqa: S105 (a marker, not a secret)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip()[:80] or "token", prefix=plain[:12], key_hash=hash_token(plain)
    )
    audit.record(
        "token.create", token, actor=user, after={"name": token.name, "prefix": token.prefix}
    )
    return token, plain


def do_revoke_token(user: Any, pk: Any) -> ApiToken:
    """Revoke one of the user's own tokens (another user's answers 404)."""
    token = get_object_or_404(ApiToken, pk=pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record("token.revoke", token, actor=user)
    return token


def user_for_token(plain: str) -> Any:
    """The active user a live token belongs to, or None; notes when it was last used."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(plain), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
