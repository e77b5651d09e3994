"""Forms of the status map, the workstream page and the ledger: parsing only; the rules are in
services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from decisions.models import Decision
from leadership_os.models import KeyedModel, Person, Surface
from leadership_os.people_picker import offer_present_people
from leadership_os.storable import StorableFormMixin
from leadership_os.widgets import ListSelect
from workstreams.models import Escalation, State
from workstreams.queries import (
    ATTENTION_CHOICES,
    AUDIENCE_CHOICES,
    ORDER_CHOICES,
    STATUS_CHOICES,
    LedgerFilters,
    MapFilters,
)


class DecisionKeyField(forms.CharField):
    """A decision named by its key (`D-12`, or just `12`); empty means none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Decision | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        key = text.split()[0].upper()
        if key.isdigit():
            key = f"D-{key}"
        number = KeyedModel.number_from_key(key, Decision.KEY_PREFIX)
        decision = Decision.objects.filter(number=number).first() if number else None
        if decision is None:
            raise ValidationError(f"There is no decision {text!r}. Write its key, e.g. D-12.")
        return decision


class FocusOnError(StorableFormMixin, forms.Form):
    """A form swapped in by htmx: after a failed submission the focus goes to the first field in error."""

    def focus_first_error(self) -> None:
        invalid = [
            name for name in self.fields if name in self.errors and not self.fields[name].widget.is_hidden
        ]
        if invalid:
            for form_field in self.fields.values():
                form_field.widget.attrs.pop("data-autofocus", None)
            self.fields[invalid[0]].widget.attrs["data-autofocus"] = ""


class VersionForm(FocusOnError):
    """A form editing a versioned record in place: it carries the version it was loaded at, and its
    first visible field takes the focus when htmx swaps it in."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for form_field in self.fields.values():
            if not form_field.widget.is_hidden:
                form_field.widget.attrs["data-autofocus"] = ""
                break


def _blank(label: str, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", label), *choices]


class MapFilterForm(StorableFormMixin, forms.Form):
    surface = forms.ChoiceField(required=False)
    owner = forms.ChoiceField(required=False, widget=ListSelect)
    state = forms.ChoiceField(required=False)
    escalation = forms.ChoiceField(required=False, choices=_blank("Any escalation", list(Escalation.choices)))
    attention = forms.ChoiceField(
        required=False, label="Needs attention", choices=_blank("Anything", ATTENTION_CHOICES)
    )

    def __init__(self, data: Any, *, choices: dict[str, list[tuple[str, str]]]) -> None:
        super().__init__(data)
        self.fields["surface"].choices = _blank(
            "Every surface", [*choices["surfaces"], ("none", "No surface")]
        )
        self.fields["owner"].choices = _blank("Anyone", [*choices["owners"], ("none", "No owner")])
        self.fields["state"].choices = _blank(
            "Any state", [("active", "Active (not done or paused)"), *State.choices, ("archived", "Archived")]
        )

    def filters(self) -> MapFilters:
        """The valid filters; a value that is not a choice is ignored rather than refused."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or "" for name in self.fields if name not in self.errors}
        return MapFilters(**values)


class LedgerFilterForm(StorableFormMixin, forms.Form):
    status = forms.ChoiceField(required=False, choices=STATUS_CHOICES)
    audience = forms.ChoiceField(
        required=False, label="Promised to", choices=_blank("Anyone", AUDIENCE_CHOICES)
    )
    owner = forms.ChoiceField(required=False, widget=ListSelect)
    surface = forms.ChoiceField(required=False)
    order = forms.ChoiceField(required=False, label="Order", choices=ORDER_CHOICES)

    def __init__(self, data: Any, *, owners: list[tuple[str, str]], surfaces: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["owner"].choices = _blank("Anyone", [*owners, ("none", "No owner")])
        self.fields["surface"].choices = _blank("Every surface", surfaces)

    def filters(self) -> LedgerFilters:
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or "" for name in self.fields if name not in self.errors}
        values["status"] = values.get("status") or "open"
        values["order"] = values.get("order") or "due"
        return LedgerFilters(**values)


# In-place edits of the status map: one small form per cell.


class StateForm(VersionForm):
    state = forms.ChoiceField(choices=State.choices)
    blocker = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when blocked: what it is waiting on.",
    )


class BlockerForm(VersionForm):
    blocker = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Saving a blocker marks the workstream blocked.",
    )
    blocked_by_decision = DecisionKeyField(label="Waiting on decision", help_text="Its key, e.g. D-12.")
    blocked_since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EscalationForm(VersionForm):
    escalation = forms.ChoiceField(choices=Escalation.choices)


class OwnerForm(VersionForm):
    owner = forms.ModelChoiceField(
        queryset=Person.objects.filter(affiliation=Person.Affiliation.INTERNAL).order_by("name"),
        required=False,
        empty_label="No owner",
        to_field_name="key",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_present_people(self)


class DecisionPointForm(VersionForm):
    next_decision_on = forms.DateField(
        required=False, label="Decision point on", widget=forms.DateInput(attrs={"type": "date"})
    )
    next_decision = DecisionKeyField(label="Decision", help_text="Its key, e.g. D-12.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("next_decision")
            and not data.get("next_decision_on")
            and "next_decision_on" not in self.errors
        ):
            self.add_error("next_decision_on", "Give the date the decision is needed.")
        return data


EDIT_FORMS: dict[str, type[VersionForm]] = {
    "state": StateForm,
    "blocker": BlockerForm,
    "escalation": EscalationForm,
    "owner": OwnerForm,
    "decision": DecisionPointForm,
}


def edit_initial(field: str, ws: Any) -> dict[str, Any]:
    """The form's starting values: what the workstream holds now."""
    initial: dict[str, Any] = {"version": ws.version}
    if field == "state":
        initial.update(state=ws.state, blocker=ws.blocker)
    elif field == "blocker":
        initial.update(
            blocker=ws.blocker,
            blocked_by_decision=ws.blocked_by_decision.key if ws.blocked_by_decision else "",
            blocked_since=ws.blocked_since,
        )
    elif field == "escalation":
        initial.update(escalation=ws.escalation)
    elif field == "owner":
        initial.update(owner=ws.owner.key if ws.owner else "")
    elif field == "decision":
        initial.update(
            next_decision_on=ws.next_decision_on,
            next_decision=ws.next_decision.key if ws.next_decision else "",
        )
    return initial


def edit_changes(field: str, data: dict[str, Any], ws: Any) -> dict[str, Any]:
    """What a valid cell form asks workstream_change to change."""
    if field == "state":
        changes = {"state": data["state"]}
        if data["state"] == State.BLOCKED:
            changes["blocker"] = data["blocker"]
        return changes
    if field == "blocker":
        changes = {
            "blocker": data["blocker"],
            "blocked_by_decision": data["blocked_by_decision"],
            "blocked_since": data["blocked_since"] or ws.blocked_since,
        }
        if data["blocker"].strip() and ws.state != State.BLOCKED:
            changes["state"] = State.BLOCKED
        return changes
    if field == "escalation":
        return {"escalation": data["escalation"]}
    if field == "owner":
        return {"owner": data["owner"]}
    if field == "decision":
        return {"next_decision_on": data["next_decision_on"], "next_decision": data["next_decision"]}
    raise ValueError(field)


# Labels for the conflict view of each cell: (field name, label).
CONFLICT_FIELDS: dict[str, list[tuple[str, str]]] = {
    "state": [("state", "State"), ("blocker", "Blocker")],
    "blocker": [
        ("blocker", "Blocker"),
        ("blocked_by_decision", "Waiting on decision"),
        ("blocked_since", "Blocked since"),
    ],
    "escalation": [("escalation", "Escalation")],
    "owner": [("owner", "Owner")],
    "decision": [("next_decision_on", "Decision point on"), ("next_decision", "Decision")],
    "update": [("state", "State"), ("blocker", "Blocker")],
}


class StatusUpdateForm(VersionForm):
    state = forms.ChoiceField(choices=State.choices)
    note = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What changed since the last update, and what happens next.",
        error_messages={"required": "Say what happened since the last update."},
    )
    blocker = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="When blocked: what it is waiting on.",
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        if obj.is_external:
            return f"{obj.name} ({obj.organization or obj.get_affiliation_display()}, {obj.get_affiliation_display().lower()})"
        return obj.name


class CommitmentForm(FocusOnError):
    description = forms.CharField(
        max_length=300,
        label="What was promised",
        error_messages={"required": "Say what was promised."},
    )
    owner = forms.ModelChoiceField(
        queryset=Person.objects.filter(affiliation=Person.Affiliation.INTERNAL).order_by("name"),
        to_field_name="key",
        label="Who promised it",
        error_messages={"required": "Say who owns it."},
    )
    promised_to = PersonChoiceField(
        queryset=Person.objects.order_by("affiliation", "name"),
        to_field_name="key",
        required=False,
        label="Promised to",
        empty_label="Nobody in particular",
    )
    due_on = forms.DateField(
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date it is due."},
    )
    decision = DecisionKeyField(label="Promised in decision", help_text="Optional: its key, e.g. D-12.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_present_people(self)


class RecommitForm(VersionForm):
    due_on = forms.DateField(
        label="New due date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the new date it is due."},
    )
    reason = forms.CharField(required=False, max_length=80, label="Why it moved")


# Creating and editing a workstream as a whole, archiving and restoring it.


def _tag_names(text: str) -> list[str]:
    from django.utils.text import slugify

    names = []
    for raw in (text or "").split(","):
        name = slugify(raw.strip())[:50]
        if name and name not in names:
            names.append(name)
    return names


class WorkstreamForm(FocusOnError):
    """Every field of a workstream. A new one may carry its first status note; an edit carries the
    version it was loaded at."""

    name = forms.CharField(max_length=200, error_messages={"required": "Give the workstream a name."})
    surface = forms.ModelChoiceField(
        queryset=Surface.objects.none(), required=False, to_field_name="key", empty_label="No surface"
    )
    owner = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        to_field_name="key",
        empty_label="No owner yet",
        help_text="Someone inside the company; the radar flags an active workstream without one.",
    )
    description = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(
        required=False, max_length=500, help_text="Themes, separated by commas, e.g. fedramp, data-residency."
    )
    state = forms.ChoiceField(choices=State.choices, initial=State.ON_TRACK)
    blocker = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when blocked: what it is waiting on.",
    )
    next_decision_on = forms.DateField(
        required=False, label="Next decision point on", widget=forms.DateInput(attrs={"type": "date"})
    )
    next_decision = DecisionKeyField(
        label="Decision at that point", help_text="Optional: its key, e.g. D-12."
    )
    first_note = forms.CharField(
        required=False,
        max_length=5000,
        label="First status note",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: where it stands today. It becomes the workstream's first status update.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(
        self, *args: Any, creating: bool, current_surface: Surface | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        live = Q(retired_on__isnull=True)
        if current_surface is not None:
            live |= Q(pk=current_surface.pk)
        self.fields["surface"].queryset = Surface.objects.filter(live).order_by("name")  # type: ignore[attr-defined]
        if creating:
            del self.fields["version"]
        else:
            del self.fields["first_note"]
            self.fields["version"].required = True

    def clean_owner(self) -> Person | None:
        owner: Person | None = self.cleaned_data.get("owner")
        if owner is not None and owner.is_external:
            raise ValidationError(f"{owner.name} is outside the company; an owner is someone inside it.")
        return owner

    def clean_tags(self) -> list[str]:
        return _tag_names(self.cleaned_data.get("tags", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("next_decision")
            and not data.get("next_decision_on")
            and "next_decision_on" not in self.errors
        ):
            self.add_error("next_decision_on", "Give the date the decision is needed.")
        return data


class ArchiveForm(VersionForm):
    reason = forms.CharField(
        max_length=500,
        label="Why it is archived",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why: finished, abandoned, merged into another…"},
    )
    confirm = forms.BooleanField(required=False, label="Archive it anyway")
