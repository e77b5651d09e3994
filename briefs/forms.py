"""Forms of the briefs: one per section edited in place, and the after-the-meeting step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from briefs.models import StakeholderPosition
from leadership_os.models import Person
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
