"""The preferences form: which mail, on which weekdays, at what time."""

from __future__ import annotations

from typing import Any

from django import forms

from outbound.models import WEEKDAY_NAMES, Preference, Topic


class PreferenceForm(forms.Form):
    digest = forms.BooleanField(required=False, label=Topic.DIGEST.label)
    commitments = forms.BooleanField(required=False, label=Topic.COMMITMENTS.label)
    updates = forms.BooleanField(required=False, label=Topic.UPDATES.label)
    weekly = forms.BooleanField(required=False, label=Topic.WEEKLY.label)
    weekdays = forms.MultipleChoiceField(
        choices=[(str(n), name) for n, name in enumerate(WEEKDAY_NAMES)],
        widget=forms.CheckboxSelectMultiple,
        label="Days to send on",
        error_messages={"required": "Choose at least one day."},
    )
    send_at = forms.TimeField(
        label="Time of day",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your local time. Reminders go out with the digest.",
        error_messages={"invalid": "Give a time such as 07:30.", "required": "Give a time such as 07:30."},
    )
    quiet_digest = forms.ChoiceField(
        choices=Preference.QuietDigest.choices,
        widget=forms.RadioSelect,
        label="When nothing is new since the last digest",
    )

    def __init__(self, *args: Any, topics: set[Topic], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for topic in Topic:
            if topic not in topics:
                del self.fields[str(topic)]

    @staticmethod
    def initial_from(preference: Preference) -> dict[str, Any]:
        return {
            "digest": preference.digest,
            "commitments": preference.commitments,
            "updates": preference.updates,
            "weekly": preference.weekly,
            "weekdays": list(preference.weekdays),
            "send_at": preference.send_at,
            "quiet_digest": preference.quiet_digest,
        }

    def choices(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["weekdays"] = "".join(sorted(set(data["weekdays"])))
        return data
