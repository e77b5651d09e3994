from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

MAX_SNOOZE_DAYS = 90


class SnoozeForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput)
    until = forms.DateField(
        label="Hide until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="It comes back on this day.",
    )
    note = forms.CharField(
        label="Why",
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Legal review booked for Thursday"}),
    )

    def clean_until(self) -> dt.date:
        until: dt.date = self.cleaned_data["until"]
        today = timezone.localdate()
        if until <= today:
            raise forms.ValidationError("Choose a day after today.")
        if until > today + dt.timedelta(days=MAX_SNOOZE_DAYS):
            raise forms.ValidationError(
                f"Snooze for {MAX_SNOOZE_DAYS} days at most; the radar is for what is live."
            )
        return until


class RadarFilterForm(forms.Form):
    rule = forms.ChoiceField(required=False)
    surface = forms.ChoiceField(required=False)
    type = forms.ChoiceField(required=False, label="Subject")

    def __init__(self, *args: object, rules: list[str], surfaces: dict[str, str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["rule"].choices = [("", "All rules"), *[(r, r) for r in rules]]
        self.fields["surface"].choices = [("", "All surfaces"), *surfaces.items(), ("none", "No surface")]
        self.fields["type"].choices = [
            ("", "All subjects"),
            ("workstream", "Workstreams"),
            ("decision", "Decisions"),
            ("commitment", "Commitments"),
            ("theme", "Themes"),
            ("ritual", "Rituals"),
            ("engagement", "Engagements"),
        ]
