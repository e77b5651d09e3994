from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from decisions.models import Decision
from leadership_os.models import Person
from leadership_os.people_picker import offer_present_people
from leadership_os.storable import StorableFormMixin
from rhythms import recurrence
from rhythms.models import Occurrence, Ritual
from rhythms.services import CommitmentMade, local_zone
from workstreams.models import State, Workstream

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=LOCAL_INPUT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}" + (f" ({obj.organization})" if obj.is_external and obj.organization else "")


class RitualForm(StorableFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    owner = PersonChoice(queryset=Person.objects.all(), required=False)

    class Meta:
        model = Ritual
        fields = [
            "name", "kind", "rrule", "starts_at", "duration_minutes", "owner", "attendees", "surface",
            "purpose", "informs_decision", "surfaces_blocker",
        ]  # fmt: skip
        labels = {
            "rrule": "Cadence (RFC 5545 rule)",
            "starts_at": "First occurrence",
            "duration_minutes": "Length in minutes",
            "informs_decision": "What decision does it inform?",
            "surfaces_blocker": "What blocker does it surface?",
        }
        help_texts = {
            "rrule": "e.g. FREQ=WEEKLY;INTERVAL=2;BYDAY=TU for every other Tuesday, "
            "FREQ=MONTHLY;BYDAY=1TH for the first Thursday of each month.",
            "starts_at": "Local time; later occurrences keep this time of day, daylight saving or not.",
            "informs_decision": "Leave both questions blank and the audit flags the ritual as without purpose.",
            "surfaces_blocker": "",
        }
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "attendees": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "informs_decision": forms.Textarea(attrs={"rows": 2}),
            "surfaces_blocker": forms.Textarea(attrs={"rows": 2}),
            "rrule": forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off", "class": "mono"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Person.objects.filter(affiliation=Person.Affiliation.INTERNAL)
        offer_present_people(self)
        self.fields["duration_minutes"].widget.attrs.update({"min": 5, "max": 600})
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["starts_at"] = self.instance.starts_at.astimezone(local_zone())

    def clean_duration_minutes(self) -> int:
        minutes = self.cleaned_data["duration_minutes"]
        if not 5 <= minutes <= 600:
            raise forms.ValidationError("A ritual lasts from 5 minutes to 10 hours.")
        return int(minutes)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        rule, start = data.get("rrule"), data.get("starts_at")
        if rule and start:
            try:
                data["rrule"] = recurrence.parse_rule(rule, start=start, zone=local_zone()).text
            except recurrence.RuleError as error:
                self.add_error("rrule", str(error))
        elif rule is not None and not rule.strip():
            self.add_error("rrule", "Write a recurrence rule (e.g. FREQ=WEEKLY;BYDAY=TU).")
        return data


class RetireForm(StorableFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why retire it?",
        widget=forms.Textarea(attrs={"rows": 3, "data-autofocus": ""}),
        help_text="Kept with the ritual's record, so that nobody wonders later where it went.",
        error_messages={"required": "Say why the ritual is retired; the reason is kept with its record."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the ritual is retired; the reason is kept with its record.")
        return str(reason)


class CommitmentRowForm(StorableFormMixin, forms.Form):
    description = forms.CharField(label="Commitment", max_length=300, required=False)
    owner = PersonChoice(label="Who", queryset=Person.objects.all(), required=False)
    due_on = forms.DateField(label="Due", required=False, widget=DateInput())
    promised_to = PersonChoice(label="Promised to", queryset=Person.objects.all(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_present_people(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("description", "").strip():
            if not data.get("due_on"):
                self.add_error("due_on", "When is it due?")
            if not data.get("owner"):
                self.add_error("owner", "Who made the commitment?")
        elif data.get("due_on") or data.get("owner") or data.get("promised_to"):
            self.add_error("description", "What was promised?")
        return data

    def made(self) -> CommitmentMade | None:
        data = self.cleaned_data
        if not data.get("description", "").strip():
            return None
        return CommitmentMade(
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            promised_to=data.get("promised_to"),
        )


CommitmentRows = forms.formset_factory(CommitmentRowForm, extra=0, max_num=20, absolute_max=20)


class KeyedChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.key} {getattr(obj, 'title', None) or getattr(obj, 'name', '')}"


class OccurrenceRecordForm(StorableFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Did it happen?",
        choices=[
            (Occurrence.Status.HELD, "Held"),
            (Occurrence.Status.SKIPPED, "Not held (skipped)"),
            (Occurrence.Status.PLANNED, "Not recorded yet"),
        ],
        widget=forms.RadioSelect,
    )
    starts_at = forms.DateTimeField(
        label="Started at",
        widget=LocalDateTimeInput(),
        help_text="Change it if the occurrence was moved; the calendar and the feed show the new time.",
    )
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    decisions = KeyedChoices(
        label="Decisions it informed",
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    blockers = KeyedChoices(
        label="Blockers it surfaced",
        queryset=Workstream.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The occurrence's version the form was filled from: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, occurrence: Occurrence, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        linked_decisions = [d.pk for d in occurrence.decisions_informed.all()]
        linked_blockers = [w.pk for w in occurrence.blockers_surfaced.all()]
        since = timezone.localdate() - dt.timedelta(days=120)
        # Choices a CoS can mean: decisions still in play or recently made, and live workstreams,
        # plus whatever is already linked.
        self.fields["decisions"].queryset = Decision.objects.filter(
            Q(status__in=[Decision.Status.OPEN, Decision.Status.DRAFT])
            | Q(decided_on__gte=since)
            | Q(pk__in=linked_decisions)
        ).order_by("number")
        self.fields["blockers"].queryset = Workstream.objects.filter(
            ~Q(state=State.DONE) | Q(pk__in=linked_blockers)
        ).order_by("number")
        if not self.is_bound:
            defaults = {
                # Recording is mostly done just after the meeting: "held" is the likely answer.
                "status": occurrence.status
                if occurrence.status != Occurrence.Status.PLANNED
                else Occurrence.Status.HELD,
                "starts_at": occurrence.starts_at.astimezone(local_zone()),
                "notes": occurrence.notes,
                "decisions": linked_decisions,
                "blockers": linked_blockers,
                "version": occurrence.version,
            }
            for name, value in defaults.items():
                if self.initial.get(name) in (None, ""):
                    self.initial[name] = value
