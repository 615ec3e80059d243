from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccops.intake.models import ImportBatch
from ccops.intake.services import CAPABILITY
from ccops.org.models import Organisation
from ccops.org.roles import can, is_vendor_user


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(label=_("file"), help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx"))
    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=_("For people: the organisation they belong to. Empty: your own."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (value, label)
            for value, label in ImportBatch.Kind.choices
            if can(user, CAPABILITY[value])
        ]
        if is_vendor_user(user):
            del self.fields["organisation"]
