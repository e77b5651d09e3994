"""Forms of the context repository: the entry, the list's filters, the start-here path, search."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from context_repo.models import ContextEntry, SearchDocument, StartHereStep
from decisions.models import Decision
from leadership_os.models import Surface
from leadership_os.storable import StorableFormMixin
from leadership_os.widgets import ListSelect
from workstreams.models import Workstream

MAX_BODY = 100_000
_SPLIT = re.compile(r"[,\s]+")


def _keys(value: str) -> list[str]:
    keys: list[str] = []
    for part in _SPLIT.split(value or ""):
        key = part.strip().upper()
        if key and key not in keys:
            keys.append(key)
    return keys


def _records_by_key(model: type[Any], value: str, what: str) -> list[Any]:
    keys = _keys(value)
    if not keys:
        return []
    found = {obj.key: obj for obj in model.objects.filter(key__in=keys)}
    missing = [key for key in keys if key not in found]
    if missing:
        raise forms.ValidationError(f"No {what} with the key {', '.join(missing)}.")
    return [found[key] for key in keys]


class EntryForm(StorableFormMixin, forms.ModelForm):
    tags = forms.CharField(
        required=False,
        help_text="Themes, separated by commas, e.g. eval-data-residency, fedramp-high.",
    )
    decisions = forms.CharField(
        required=False, label="Linked decisions", help_text="Decision keys, e.g. D-3, D-7."
    )
    workstreams = forms.CharField(
        required=False, label="Linked workstreams", help_text="Workstream keys, e.g. WS-2."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ContextEntry
        fields = ["kind", "title", "body", "surface", "source", "dated_on", "status"]
        labels = {"dated_on": "Date", "body": "Body", "source": "Source or account"}
        help_texts = {
            "body": "Markdown: **bold**, *italic*, lists, tables and [links](https://…). Typed HTML shows as text.",
            "source": "Who said it, or which account it comes from.",
            "title": "For an open question, the question itself: settled ones that match show below as you type.",
        }
        widgets = {
            "dated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "body": forms.Textarea(attrs={"rows": 14}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surface"].queryset = Surface.objects.order_by("name")
        self.fields["surface"].empty_label = "No particular surface"
        self.fields["body"].max_length = MAX_BODY
        # No re-litigation: while an open question's title is typed, the settled ones that match
        # show beside it (the endpoint answers nothing for other kinds).
        settled = reverse("search_settled")
        self.fields["title"].widget.attrs.update(
            {
                "hx-get": settled,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#settled-matches",
                "hx-swap": "outerHTML",
                "hx-include": "#id_kind",
                "autocomplete": "off",
            }
        )
        self.fields["kind"].widget.attrs.update(
            {
                "hx-get": settled,
                "hx-trigger": "change",
                "hx-target": "#settled-matches",
                "hx-swap": "outerHTML",
                "hx-include": "#id_title",
            }
        )
        instance = self.instance
        if instance.pk:
            self.initial.setdefault("tags", ", ".join(t.name for t in instance.tags.all()))
            self.initial.setdefault("decisions", ", ".join(d.key for d in instance.decisions.all()))
            self.initial.setdefault("workstreams", ", ".join(w.key for w in instance.workstreams.all()))
            self.initial.setdefault("version", instance.version)
        else:
            self.initial.setdefault("dated_on", timezone.localdate())

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        if len(body) > MAX_BODY:
            raise forms.ValidationError(f"Keep the body under {MAX_BODY:,} characters.")
        return body

    def clean_tags(self) -> list[str]:
        names: list[str] = []
        for part in (self.cleaned_data.get("tags") or "").split(","):
            name = slugify(part.strip())[:50]
            if part.strip() and not name:
                raise forms.ValidationError(
                    f"{part.strip()!r} is not a usable tag: use letters, digits and dashes."
                )
            if name and name not in names:
                names.append(name)
        return names

    def clean_decisions(self) -> list[Decision]:
        return _records_by_key(Decision, self.cleaned_data.get("decisions", ""), "decision")

    def clean_workstreams(self) -> list[Workstream]:
        return _records_by_key(Workstream, self.cleaned_data.get("workstreams", ""), "workstream")


class EntryFilterForm(StorableFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=[("", "All kinds"), *ContextEntry.Kind.choices], required=False)
    surface = forms.ChoiceField(required=False)
    tag = forms.ChoiceField(required=False, widget=ListSelect)
    status = forms.ChoiceField(choices=[("", "Any status"), *ContextEntry.Status.choices], required=False)
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, surfaces: list[Surface], tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surface"].choices = [("", "Any surface"), *((s.key, s.name) for s in surfaces)]
        self.fields["tag"].choices = [("", "Any tag"), *((t, t) for t in tags)]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data.get(name) or ("" if name not in ("since", "until") else None) for name in self.fields
        }


class StepForm(StorableFormMixin, forms.Form):
    record = forms.CharField(
        label="Entry or decision", help_text="A key: CX-4 for a context entry, D-2 for a decision."
    )
    why = forms.CharField(max_length=300, label="Why it matters", help_text="One line for the new reader.")

    def clean_record(self) -> ContextEntry | Decision:
        key = (self.cleaned_data.get("record") or "").strip().upper()
        if key.startswith("CX-"):
            entry = ContextEntry.objects.filter(key=key).first()
            if entry is not None:
                return entry
        elif key.startswith("D-"):
            decision = Decision.objects.filter(key=key).first()
            if decision is not None:
                return decision
        raise forms.ValidationError(f"No context entry or decision with the key {key or '(empty)'}.")


class StepWhyForm(StorableFormMixin, forms.ModelForm):
    # The step's version the line was edited from: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = StartHereStep
        fields = ["why"]
        labels = {"why": "Why it matters"}


class SearchForm(StorableFormMixin, forms.Form):
    q = forms.CharField(required=False, label="Search", strip=True)
    type = forms.MultipleChoiceField(
        choices=SearchDocument.Type.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def query(self) -> tuple[str, list[str] | None]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return (data.get("q") or "").strip(), (data.get("type") or None)
