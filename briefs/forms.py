"""Forms of the briefs: one per section edited in place, and the after-the-meeting step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from briefs.models import Engagement, StakeholderPosition
from decisions.models import Decision
from leadership_os.models import Person, Surface
from leadership_os.people_picker import offer_present_people
from leadership_os.storable import StorableFormMixin

# The brief's text sections, each edited on its own: field name -> (label, help, shown when empty).
BRIEF_SECTIONS: dict[str, tuple[str, str, str]] = {
    "objective": (
        "Objective",
        "The decision or signal sought from this engagement, in a sentence or two.",
        "Missing: the decision or signal sought from this engagement.",
    ),
    "one_thing": (
        "The one thing",
        "What the VP must say in the room, whatever else happens.",
        "Missing: the one thing that cannot be left unsaid.",
    ),
    "notes": ("Notes", "Curated notes for the VP. Markdown: **bold**, lists, links.", "No notes yet."),
}


class BriefSectionForm(StorableFormMixin, forms.Form):
    """One text section of a brief, with the version the editor started from (0: no brief yet)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, section: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{section}-%s")
        super().__init__(*args, **kwargs)
        label, help_text, _ = BRIEF_SECTIONS[section]
        rows = 8 if section == "notes" else 3
        self.section = section
        self.fields[section] = forms.CharField(
            label=label,
            help_text=help_text,
            required=False,
            max_length=20000,
            widget=forms.Textarea(attrs={"rows": rows, "data-autofocus": ""}),
        )
        self.order_fields([section, "version"])


def person_label(person: Person) -> str:
    return f"{person.name}, {person.organization}" if person.organization else person.name


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class AttendeesForm(StorableFormMixin, forms.Form):
    attendees = PeopleChoice(
        queryset=Person.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Attendees"
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "attendees-%s")
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = Person.objects.order_by("name")  # type: ignore[attr-defined]
        offer_present_people(self)


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)


class PositionForm(StorableFormMixin, forms.ModelForm):
    """A stakeholder's position for this engagement: what they said, their stance, and where we heard it."""

    person = PersonChoice(
        queryset=Person.objects.none(), label="Stakeholder", empty_label="Choose an attendee"
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)

    class Meta:
        model = StakeholderPosition
        fields = ["person", "stance", "position", "source", "recorded_on"]
        labels = {
            "position": "Their position, in their words",
            "source": "Where we heard it",
            "recorded_on": "Recorded on",
        }
        widgets = {
            "position": forms.Textarea(attrs={"rows": 2}),
            "recorded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        # The add form and a row's edit form can be on the page together: their ids must differ.
        kwargs.setdefault("auto_id", "edit-position-%s" if kwargs.get("instance") else "new-position-%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.fields["recorded_on"].initial = timezone.localdate
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0


class OutcomeForm(StorableFormMixin, forms.Form):
    outcome = forms.CharField(
        label="What happened in the room",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        help_text="The outcome in a few sentences: what was agreed, what was signalled, what changed.",
    )
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class CommitmentRowForm(StorableFormMixin, forms.Form):
    description = forms.CharField(label="Commitment", max_length=300)
    owner = PersonChoice(
        queryset=Person.objects.order_by("name"), label="Owner", required=False, empty_label="—"
    )
    promised_to = PersonChoice(
        queryset=Person.objects.order_by("name"), label="Promised to", required=False, empty_label="—"
    )
    due_on = forms.DateField(label="Due", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_present_people(self)


class DecisionRowForm(StorableFormMixin, forms.Form):
    title = forms.CharField(label="Decision to draft", max_length=200)
    question = forms.CharField(label="The question", widget=forms.Textarea(attrs={"rows": 2}))


class RowFormSet(forms.BaseFormSet):
    """Rows the user adds one by one: every row is optional until something is typed in it, also
    the rows re-shown (from `initial`) after "add a row"."""

    def initial_form_count(self) -> int:
        return 0 if not self.is_bound else super().initial_form_count()


CommitmentFormSet = forms.formset_factory(CommitmentRowForm, formset=RowFormSet, extra=1, max_num=30)
DecisionFormSet = forms.formset_factory(DecisionRowForm, formset=RowFormSet, extra=1, max_num=30)


def rows_of(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    """The raw values typed in a bound formset's rows, without validating them (to re-show them)."""
    rows = []
    for form in formset.forms:
        values = {name: form[name].value() for name in form.fields}
        if any(v not in (None, "") for v in values.values()):
            rows.append(values)
    return rows


# Creating and changing an engagement -----------------------------------------------------------


class DecisionKeysField(forms.CharField):
    """Decisions named by their keys, separated by commas (`D-12, D-40`)."""

    def clean(self, value: Any) -> list[Decision]:  # type: ignore[override]
        text = (super().clean(value) or "").strip()
        keys = []
        for raw in text.replace(";", ",").split(","):
            key = raw.strip().split(" ")[0].upper() if raw.strip() else ""
            if key.isdigit():
                key = f"D-{key}"
            if key and key not in keys:
                keys.append(key)
        found = {d.key: d for d in Decision.objects.filter(key__in=keys)}
        missing = [k for k in keys if k not in found]
        if missing:
            raise forms.ValidationError(f"There is no decision {', '.join(missing)}. Write keys like D-12.")
        return [found[k] for k in keys]


def _tag_names(text: str) -> list[str]:
    names = []
    for raw in (text or "").split(","):
        name = slugify(raw.strip())[:50]
        if name and name not in names:
            names.append(name)
    return names


class EngagementForm(StorableFormMixin, forms.Form):
    title = forms.CharField(max_length=200, error_messages={"required": "Give the engagement a title."})
    kind = forms.ChoiceField(
        choices=[("", "Choose a kind"), *Engagement.Kind.choices],
        error_messages={"required": "Choose what kind of engagement it is."},
    )
    starts_at = forms.DateTimeField(
        label="Starts",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Give the day and time it starts."},
        help_text="In the org's time zone.",
    )
    duration_minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=24 * 60, initial=60)
    location = forms.CharField(max_length=200, required=False, label="Where")
    counterpart = forms.CharField(
        max_length=120, required=False, help_text="The organization on the other side of the table."
    )
    surface = forms.ModelChoiceField(
        queryset=Surface.objects.none(), required=False, to_field_name="key", empty_label="No surface"
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=Person.objects.all(), required=False, to_field_name="key", label="Attendees"
    )
    decisions = DecisionKeysField(
        required=False, max_length=500, label="Linked decisions", help_text="Their keys, e.g. D-12, D-40."
    )
    tags = forms.CharField(
        required=False,
        max_length=500,
        help_text="Themes, separated by commas; they bring related decisions to the brief.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, current_surface: Surface | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        live = Q(retired_on__isnull=True)
        if current_surface is not None:
            live |= Q(pk=current_surface.pk)
        self.fields["surface"].queryset = Surface.objects.filter(live).order_by("name")  # type: ignore[attr-defined]

    def clean_tags(self) -> list[str]:
        return _tag_names(self.cleaned_data.get("tags", ""))


class RescheduleForm(StorableFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label="New start",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Give the new day and time."},
    )
    duration_minutes = forms.IntegerField(label="Minutes", min_value=5, max_value=24 * 60)
    reason = forms.CharField(max_length=60, required=False, label="Why it moved")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CancelForm(StorableFormMixin, forms.Form):
    reason = forms.CharField(
        max_length=500,
        label="Why it is cancelled",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why it is cancelled."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
