"""Forms for the organisation pages; related choices are scoped to the user."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from ccops.common.crud import ScopedModelForm
from ccops.org.models import Organisation, Person, Profile, Queue, SeatType, Site, Team
from ccops.policy.services import rule_value


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = ["code", "name", "kind", "active"]


class SiteForm(ScopedModelForm):
    class Meta:
        model = Site
        fields = ["code", "name", "level", "city", "parent", "seats"]


class SeatTypeForm(ScopedModelForm):
    """A new seat type starts from the general skill bar of rule PEOPLE-07."""

    class Meta:
        model = SeatType
        fields = ["code", "name", "min_knowledge_score", "min_typing_cpm", "max_lookup_seconds"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            bar = rule_value("PEOPLE-07")["general"]
            self.initial.setdefault("min_knowledge_score", bar["knowledge"])
            self.initial.setdefault("min_typing_cpm", bar["typing_cpm"])
            self.initial.setdefault("max_lookup_seconds", bar["lookup_seconds"])


class QueueForm(ScopedModelForm):
    class Meta:
        model = Queue
        fields = ["code", "name", "seat_type"]


class TeamForm(ScopedModelForm):
    scoped_fields = ("organisation", "lead")

    class Meta:
        model = Team
        fields = ["organisation", "site", "code", "name", "queue", "lead"]


class PersonForm(ScopedModelForm):
    scoped_fields = ("organisation", "team")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Person
        fields = [
            "organisation",
            "employee_no",
            "name",
            "phone",
            "national_id",
            "education",
            "hire_date",
            "status",
            "position",
            "site",
            "team",
            "skills",
            "shift_class",
            "acd_account",
        ]
        widgets = {"hire_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["version"].initial = self.instance.version
        if self.instance.pk:
            # Personal data is never sent to the browser pre-filled; blank keeps it.
            for name in ("phone", "national_id"):
                self.fields[name].widget = forms.TextInput(
                    attrs={"placeholder": getattr(self.instance, f"{name}_masked")}
                )
                self.initial[name] = ""
                self.fields[name].required = False

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.instance.pk:
            stored = Person.objects.get(pk=self.instance.pk)
            for name in ("phone", "national_id"):
                if not data.get(name):
                    data[name] = getattr(stored, name)
                    setattr(self.instance, name, getattr(stored, name))
        return data


class AccountForm(ScopedModelForm):
    """A user account: login name and password on creation, then role, person, active."""

    scoped_fields = ("organisation", "person")
    username = forms.CharField(label=_("user name"), max_length=150)
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput,
        required=False,
        strip=False,
        help_text=_("At least 8 characters, not common, not only digits. Leave empty to keep."),
    )
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    class Meta:
        model = Profile
        fields = ["organisation", "role", "person"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["username"]
            self.fields["organisation"].disabled = True
            self.fields["is_active"].initial = self.instance.user.is_active
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = _(
                "At least 8 characters, not common, not only digits."
            )

    def clean_username(self) -> str:
        name = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=name).exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name
