"""Forms of the decision log: the log's filters, the decision and its parts, and the actions."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Coalesce
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from decisions.models import Decision, DecisionStakeholder, Option, ReopenCondition
from leadership_os import memo
from leadership_os.models import Person, Surface, Tag
from leadership_os.people_picker import offer_present_people
from leadership_os.storable import StorableFormMixin
from leadership_os.widgets import ListSelect


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _person_label(person: Person) -> str:
    detail = ", ".join(part for part in (person.title, person.organization) if part)
    return f"{person.name} ({detail})" if detail else person.name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


# The log's filters --------------------------------------------------------------------------------


def _tag_choices() -> list[tuple[str, str]]:
    """The tags of at least one decision, by name (reused until a tag or a decision changes)."""
    tables = memo.table_labels(Tag, Decision.tags.through, Decision)
    return memo.per_tables("decision-filter-tags", None, tables, _read_tag_choices)


def _read_tag_choices() -> list[tuple[str, str]]:
    decided = Decision.tags.through.objects.filter(tag_id=OuterRef("pk"))
    names = Tag.objects.filter(Exists(decided)).values_list("name", flat=True)
    return [("", "Any tag"), *((name, name) for name in names)]


def _decider_choices() -> list[tuple[str, str]]:
    """The people who decide at least one decision, by key (reused until one of them or a decision
    changes)."""
    return memo.per_tables(
        "decision-filter-deciders", None, memo.table_labels(Person, Decision), _read_deciders
    )


def _read_deciders() -> list[tuple[str, str]]:
    deciders = Person.objects.filter(Exists(Decision.objects.filter(decider_id=OuterRef("pk")))).order_by(
        "name"
    )
    rows = deciders.values_list("key", "name", "title", "organization")
    return [
        ("", "Anyone"),
        *(
            (key, _person_label(Person(name=name, title=title, organization=organization)))
            for key, name, title, organization in rows
        ),
    ]


SORTS = {
    "newest": ("Newest first", [F("dated").desc(nulls_last=True), "-number"]),
    "oldest": ("Oldest first", [F("dated").asc(nulls_last=True), "number"]),
    "needed_by": ("Needed soonest", [F("needed_by").asc(nulls_last=True), "-number"]),
    "key": ("Key (D-1 first)", ["number"]),
    "title": ("Title (A to Z)", ["title", "number"]),
}


class DecisionFilterForm(StorableFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Search titles and questions", max_length=200)
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *Decision.Status.choices])
    surface = forms.ModelChoiceField(
        required=False, queryset=Surface.objects.all(), to_field_name="key", empty_label="Any surface"
    )
    # Tags and deciders are offered by name and key, read as plain rows (a large org has hundreds).
    tag = forms.ChoiceField(required=False, widget=ListSelect)
    decider = forms.ChoiceField(required=False, label="Decider", widget=ListSelect)
    date_from = forms.DateField(required=False, label="From", widget=DateInput())
    date_to = forms.DateField(required=False, label="To", widget=DateInput())
    sort = forms.ChoiceField(
        required=False, choices=[(key, label) for key, (label, _) in SORTS.items()], initial="newest"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Callables: read when the form is drawn or a tag or decider is given, not for a results-only
        # htmx request that filters by neither.
        self.fields["tag"].choices = functools.cache(_tag_choices)  # once per form, however often read
        self.fields["decider"].choices = functools.cache(_decider_choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end of the range comes before its start.")
        return data

    def apply(self, decisions: QuerySet[Decision]) -> QuerySet[Decision]:
        """The decisions that match the valid filters, in the chosen order (invalid filters are ignored
        and shown with their error)."""
        decisions = decisions.annotate(dated=Coalesce("decided_on", "opened_on"))
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        if data.get("q"):
            decisions = decisions.search(data["q"])  # type: ignore[attr-defined]
        if data.get("status"):
            decisions = decisions.filter(status=data["status"])
        if data.get("surface"):
            decisions = decisions.filter(surface=data["surface"])
        if data.get("tag"):
            decisions = decisions.filter(tags__name=data["tag"])
        if data.get("decider"):
            decisions = decisions.filter(decider__key=data["decider"])
        if data.get("date_from"):
            decisions = decisions.filter(dated__gte=data["date_from"])
        if data.get("date_to"):
            decisions = decisions.filter(dated__lte=data["date_to"])
        _, order = SORTS.get(data.get("sort") or "newest", SORTS["newest"])
        return decisions.order_by(*order)

    def _set(self) -> list[tuple[str, str]]:
        if not self.is_bound:
            return []
        return [
            (name, value)
            for name in self.fields
            if (value := self.data.get(name, "").strip()) and not (name == "sort" and value == "newest")
        ]

    def is_filtered(self) -> bool:
        """Whether any filter narrows the log (the order alone does not)."""
        return any(name != "sort" for name, _ in self._set())

    def active_query(self) -> str:
        """The query string of the filters that are set (and the page), for a clean, shareable address."""
        pairs = self._set()
        if self.is_bound and self.data.get("page", "1") != "1":
            pairs.append(("page", self.data["page"]))
        return urlencode(pairs)


# The decision and its parts -----------------------------------------------------------------------

_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class DecisionForm(StorableFormMixin, forms.ModelForm):
    tags = forms.CharField(
        required=False,
        help_text="Comma-separated themes, e.g. data-retention, fedramp.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Decision
        fields = ["title", "question", "context", "surface", "driver", "decider", "needed_by"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "context": forms.Textarea(attrs={"rows": 6}),
            "needed_by": DateInput(),
        }
        labels = {"needed_by": "Needed by", "driver": "Driver", "decider": "Decider"}
        help_texts = {
            "title": "Name the choice, not the meeting: “Retain Helix prompts for 30 days, not 90”.",
            "question": "The question being decided, in one or two sentences.",
            "context": "The background a reader needs. Markdown.",
            "driver": "Who drives it to a decision.",
            "decider": "Who makes the call (usually the VP).",
        }
        field_classes = {"driver": PersonChoiceField, "decider": PersonChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.order_by("name")
        self.fields["driver"].queryset = people  # type: ignore[attr-defined]
        self.fields["decider"].queryset = people  # type: ignore[attr-defined]
        offer_present_people(self)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
            self.initial["version"] = self.instance.version

    def clean_tags(self) -> list[str]:
        names = []
        for raw in self.cleaned_data.get("tags", "").split(","):
            name = raw.strip().lower().replace(" ", "-")
            if not name:
                continue
            if not _TAG.match(name) or len(name) > 50:
                raise forms.ValidationError(
                    f"“{raw.strip()}” is not a tag: use lowercase letters, digits, '-' and '_'."
                )
            names.append(name)
        return sorted(set(names))


class OptionForm(StorableFormMixin, forms.ModelForm):
    class Meta:
        model = Option
        fields = ["title", "description", "pros", "cons"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "pros": forms.Textarea(attrs={"rows": 2}),
            "cons": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"title": "Option", "pros": "Pros", "cons": "Cons"}


class DecidedOptionForm(OptionForm):
    class Meta(OptionForm.Meta):
        fields = [*OptionForm.Meta.fields, "rejected_because"]
        widgets = {**OptionForm.Meta.widgets, "rejected_because": forms.Textarea(attrs={"rows": 2})}
        labels = {**OptionForm.Meta.labels, "rejected_because": "Why it was rejected"}


class StakeholderForm(StorableFormMixin, forms.ModelForm):
    class Meta:
        model = DecisionStakeholder
        fields = ["person", "stance", "position"]
        widgets = {"position": forms.Textarea(attrs={"rows": 2})}
        labels = {"position": "Their actual position"}
        field_classes = {"person": PersonChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.order_by("name")  # type: ignore[attr-defined]
        offer_present_people(self)


class ConditionForm(StorableFormMixin, forms.ModelForm):
    class Meta:
        model = ReopenCondition
        fields = ["text", "review_on", "triggered_on"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "review_on": DateInput(),
            "triggered_on": DateInput(),
        }
        labels = {"text": "What would reopen it", "review_on": "Review on", "triggered_on": "Triggered on"}
        help_texts = {"triggered_on": "Set when the condition came true."}


class PartsFormSet(BaseInlineFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The rows to keep, in order, as plain mappings (with `id` for an existing record)."""
        rows = []
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("id", "DELETE", "decision")}
            rows.append({**data, "id": form.instance.pk})
        return rows


def _formset(form: type[forms.ModelForm], model: type[Any]) -> Any:
    return inlineformset_factory(
        Decision, model, form=form, formset=PartsFormSet, extra=0, can_delete=True, max_num=30
    )


OptionFormSet = _formset(OptionForm, Option)
DecidedOptionFormSet = _formset(DecidedOptionForm, Option)
StakeholderFormSet = _formset(StakeholderForm, DecisionStakeholder)
ConditionFormSet = _formset(ConditionForm, ReopenCondition)

# The parts of the form: (formset prefix, label of one row, the heading).
PARTS = {
    "options": ("Option", "Options"),
    "stakeholders": ("Stakeholder", "Stakeholders' positions"),
    "conditions": ("Reopen condition", "What would reopen it"),
}


def formset_class(kind: str, *, decided: bool = False) -> Any:
    if kind == "options":
        return DecidedOptionFormSet if decided else OptionFormSet
    return {"stakeholders": StakeholderFormSet, "conditions": ConditionFormSet}[kind]


# Actions ------------------------------------------------------------------------------------------


class VersionForm(StorableFormMixin, forms.Form):
    """The version the user's page showed, so that an action on a changed decision is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _not_future(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date is in the future.")
    return value


class OutcomeForm(VersionForm):
    option = forms.ModelChoiceField(
        queryset=Option.objects.none(), widget=forms.RadioSelect, label="Chosen option", required=False
    )
    outcome = forms.CharField(
        required=False,
        label="What was decided",
        help_text="One sentence. Leave empty to use the chosen option's title.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reasoning = forms.CharField(
        label="The reasoning that prevailed",
        help_text="Why this option, in words a new PM will understand a year from now. Markdown.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    decided_on = forms.DateField(label="Decided on", widget=DateInput(), validators=[_not_future])

    def __init__(self, *args: Any, decision: Decision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision
        self.options = list(decision.options.all())
        self.fields["option"].queryset = decision.options.all()  # type: ignore[attr-defined]
        self.fields["option"].required = bool(self.options)
        self.fields["option"].label_from_instance = lambda option: option.title  # type: ignore[attr-defined]
        if not self.options:
            self.fields["outcome"].required = True
            self.fields["outcome"].help_text = "One sentence: what was decided."
        self.initial.setdefault("decided_on", timezone.localdate())
        self.initial.setdefault("version", decision.version)
        for option in self.options:
            self.fields[f"rejected_{option.pk}"] = forms.CharField(
                required=False,
                label=f"Why “{option.title}” was rejected",
                initial=option.rejected_because,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rejected_fields(self) -> list[tuple[Option, forms.BoundField]]:
        return [(option, self[f"rejected_{option.pk}"]) for option in self.options]

    def rejected(self) -> dict[int, str]:
        return {option.pk: self.cleaned_data.get(f"rejected_{option.pk}", "") for option in self.options}


class SupersedeForm(VersionForm):
    title = forms.CharField(
        max_length=200, label="Title of the new decision", help_text="The question as it stands now."
    )
    reason = forms.CharField(
        label="Why it is being superseded",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the history and at the top of the new decision's context.",
    )


class ReviewForm(StorableFormMixin, forms.Form):
    reviewed_on = forms.DateField(label="Reviewed on", widget=DateInput(), validators=[_not_future])
    note = forms.CharField(
        label="Why it still holds", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class ReopenForm(VersionForm):
    note = forms.CharField(
        label="Why reopen it", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    condition = forms.ModelChoiceField(
        queryset=ReopenCondition.objects.all(), required=False, widget=forms.HiddenInput
    )


class WithdrawForm(VersionForm):
    reason = forms.CharField(
        label="Why withdraw it", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
