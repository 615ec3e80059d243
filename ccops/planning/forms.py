"""Planning forms: what a planner types to run, adjust and staff a forecast."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ccops.org.models import SeatType, Site
from ccops.planning.models import INTERVAL_CHOICES, Adjustment, Forecast, PlanningEvent


class ForecastForm(forms.Form):
    seat_type = forms.ModelChoiceField(label=_("seat type"), queryset=SeatType.objects.all())
    site = forms.ModelChoiceField(
        label=_("site"),
        queryset=Site.objects.all(),
        required=False,
        empty_label=_("all sites"),
    )
    interval_minutes = forms.TypedChoiceField(
        label=_("interval length"), choices=INTERVAL_CHOICES, coerce=int, initial=30
    )
    horizon_days = forms.IntegerField(
        label=_("days to forecast"), min_value=1, max_value=366, initial=28
    )
    method = forms.ChoiceField(
        label=_("method"), choices=Forecast.Method.choices, initial=Forecast.Method.AUTO
    )
    billing_days = forms.CharField(
        label=_("billing days of the month"),
        required=False,
        help_text=_("Comma-separated days of the month, e.g. 1, 2, 28 (PLAN-02)."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean_billing_days(self) -> list[int]:
        text = self.cleaned_data.get("billing_days") or ""
        days = []
        for part in text.replace("，", ",").split(","):
            if not part.strip():
                continue
            try:
                day = int(part)
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a day of the month."), params={"value": part.strip()}
                ) from None
            if not 1 <= day <= 31:
                raise ValidationError(
                    _("“%(value)s” is not a day of the month."), params={"value": day}
                )
            days.append(day)
        return sorted(set(days))


class AdjustmentForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Adjustment
        fields = ["kind", "first_day", "last_day", "start_time", "end_time", "factor", "reason"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "end_time": forms.TimeInput(attrs={"type": "time"}),
        }


class StaffingForm(forms.Form):
    service_level = forms.FloatField(
        label=_("service level target (%)"), min_value=1, max_value=99.9
    )
    threshold_seconds = forms.IntegerField(label=_("answered within (s)"), min_value=0)
    asa_seconds = forms.IntegerField(label=_("ASA target (s)"), min_value=1, required=False)
    max_occupancy = forms.FloatField(
        label=_("occupancy cap (%)"), min_value=1, max_value=100, required=False
    )
    patience_seconds = forms.IntegerField(
        label=_("callers' patience (s)"),
        min_value=1,
        required=False,
        help_text=_("Given: Erlang A, which counts abandoned calls. Empty: Erlang C."),
    )
    break_minutes_per_hour = forms.FloatField(
        label=_("breaks (min per hour)"), min_value=0, max_value=59
    )
    briefings = forms.FloatField(label=_("briefings (%)"), min_value=0, max_value=99, initial=0)
    training = forms.FloatField(label=_("training (%)"), min_value=0, max_value=99, initial=0)
    leave = forms.FloatField(label=_("leave (%)"), min_value=0, max_value=99, initial=0)
    absence = forms.FloatField(label=_("absence (%)"), min_value=0, max_value=99, initial=0)

    def plan_settings(self) -> dict[str, Any]:
        """The form in the units of the staffing plan (shares, not percentages)."""
        data = dict(self.cleaned_data)
        for share in (
            "service_level",
            "max_occupancy",
            "briefings",
            "training",
            "leave",
            "absence",
        ):
            if data.get(share) is not None:
                data[share] = data[share] / 100.0
        return data


class EventForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = PlanningEvent
        fields = ["name", "seat_type", "first_day", "last_day", "uplift"]
        widgets = {
            "first_day": forms.DateInput(attrs={"type": "date"}),
            "last_day": forms.DateInput(attrs={"type": "date"}),
        }
