"""A person picker that can add someone new in place, without losing the form around it.

Every form that chooses a person (a workstream's owner, an engagement's attendees, ...) renders its
field with `components/person_picker.html`: the choice itself, and under it a "Add someone new"
disclosure holding the few fields of a new person. With htmx, its button posts those fields to
`people:person_quick_add`, which answers the picker again with the new person added and chosen;
the rest of the form is untouched. Without JavaScript the same button submits the whole form with
`add_person=<field>`: the form's view calls `quick_add`, and shows the form again with every value
kept and the new person chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict

from leadership_os.directory import person_create, pickable_people
from leadership_os.models import Person
from leadership_os.storable import StorableFormMixin

Scope = Literal["internal", "all"]
PREFIX = "newperson"


class QuickPersonForm(StorableFormMixin, forms.Form):
    """The fields of someone added from a picker: enough to choose them now, the rest later."""

    name = forms.CharField(
        max_length=120, label="New person's name", error_messages={"required": "Give the new person's name."}
    )
    title = forms.CharField(max_length=120, required=False, label="Their title")
    organization = forms.CharField(max_length=120, required=False, label="Their organization")
    affiliation = forms.ChoiceField(
        choices=Person.Affiliation.choices, initial=Person.Affiliation.INTERNAL, label="Inside or outside"
    )
    email = forms.EmailField(required=False, label="Their email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # These fields sit inside another form: an empty name must not stop that form's submission.
        kwargs.setdefault("use_required_attribute", False)
        super().__init__(*args, **kwargs)


def person_label(person: Person) -> str:
    if person.is_external:
        return f"{person.name} ({person.organization or person.get_affiliation_display()})"
    return person.name


@dataclass
class Picker:
    """What `components/person_picker.html` shows: the field, its options and the add-new fields."""

    name: str
    id: str
    label: str
    multi: bool
    scope: Scope
    options: list[tuple[str, str, bool]]
    empty_label: str = "Nobody yet"
    required: bool = False
    help_text: str = ""
    errors: list[str] = field(default_factory=list)
    quick: QuickPersonForm | None = None
    added: str = ""
    open: bool = False


def people_for(scope: Scope, chosen: list[str]) -> list[Person]:
    """Who a picker offers: everyone still in the org (only insiders for an owner), and whoever is
    chosen already even if they left since."""
    people = pickable_people()
    if scope == "internal":
        people = people.filter(affiliation=Person.Affiliation.INTERNAL)
    found = list(people.only("key", "name", "organization", "affiliation").order_by("name", "key"))
    missing = set(chosen) - {p.key for p in found}
    if missing:
        found += list(
            Person.objects.filter(key__in=missing).only("key", "name", "organization", "affiliation")
        )
    return found


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)] if value != "" else []


def build_picker(
    *,
    name: str,
    id: str,
    label: str,
    chosen: list[str],
    multi: bool,
    scope: Scope,
    **extra: Any,
) -> Picker:
    people = people_for(scope, chosen)
    keys = set(chosen)
    options = [(p.key, person_label(p), p.key in keys) for p in people]
    quick = extra.pop("quick", None) or QuickPersonForm(prefix=PREFIX, auto_id=f"{id}-new-%s")
    return Picker(
        name=name, id=id, label=label, multi=multi, scope=scope, options=options, quick=quick, **extra
    )


def picker_for(
    bound: forms.BoundField, *, scope: Scope = "all", quick: QuickPersonForm | None = None, added: str = ""
) -> Picker:
    """The picker of a form's person field (a ModelChoiceField or ModelMultipleChoiceField whose
    `to_field_name` is the person's key)."""
    multi = isinstance(bound.field, forms.ModelMultipleChoiceField)
    chosen = _values(bound.value())
    # A bound value may be a Person (from initial) rather than a key.
    chosen = [c.key if isinstance(c, Person) else c for c in chosen]
    own_quick = quick is not None and quick.auto_id == f"{bound.auto_id}-new-%s"
    return build_picker(
        name=bound.html_name,
        id=bound.auto_id,
        label=str(bound.label),
        chosen=chosen,
        multi=multi,
        scope=scope,
        empty_label=getattr(bound.field, "empty_label", None) or "Nobody yet",
        required=bound.field.required,
        help_text=str(bound.help_text or ""),
        errors=list(bound.errors),
        quick=quick if own_quick else None,
        added=added if own_quick else "",
        open=own_quick and bool(quick and quick.errors),
    )


def quick_add(request: HttpRequest, *, by: Any, auto_id: str) -> tuple[QuickPersonForm, Person | None]:
    """Add the person typed in a picker's add-new fields; answer the fields (with their errors, or
    empty again after success) and the person added."""
    form = QuickPersonForm(request.POST, prefix=PREFIX, auto_id=auto_id)
    if not form.is_valid():
        return form, None
    try:
        person = person_create(by=by, **form.cleaned_data)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return form, None
    return QuickPersonForm(prefix=PREFIX, auto_id=auto_id), person


def with_person_chosen(data: QueryDict, name: str, person: Person, *, multi: bool) -> QueryDict:
    """The form's data with `person` chosen in field `name` (added to the others for a multi-choice)."""
    data = data.copy()
    if multi:
        data.setlist(name, [*data.getlist(name), person.key])
    else:
        data[name] = person.key
    for key in [k for k in data if k.startswith(f"{PREFIX}-")]:
        del data[key]
    return data


# Every other person field: people who left the org are no longer offered, but a value already
# chosen stays (and stays valid: validation still reads the field's whole queryset).

_PRESENT_CLASSES: dict[type, type] = {}


def _present_class(widget_class: type) -> type:
    if widget_class not in _PRESENT_CLASSES:

        class PresentOnly(widget_class):  # type: ignore[valid-type, misc]
            to_field = "pk"

            def optgroups(self, name: str, value: Any, attrs: Any = None) -> Any:
                groups = super().optgroups(name, value, attrs)
                chosen = {str(v) for v in (value or []) if v not in (None, "")}
                left = {
                    str(v)
                    for v in Person.objects.filter(left_on__isnull=False).values_list(
                        self.to_field, flat=True
                    )
                }
                if not left:
                    return groups
                return [
                    (
                        group,
                        [o for o in options if str(o["value"]) not in left or str(o["value"]) in chosen],
                        index,
                    )
                    for group, options, index in groups
                ]

        PresentOnly.__name__ = f"PresentOnly{widget_class.__name__}"
        _PRESENT_CLASSES[widget_class] = PresentOnly
    return _PRESENT_CLASSES[widget_class]


def offer_present_people(form: forms.BaseForm) -> None:
    """Make every person field of `form` leave out people who left the org (unless chosen)."""
    for form_field in form.fields.values():
        if isinstance(form_field, forms.ModelChoiceField) and form_field.queryset.model is Person:
            widget = form_field.widget
            widget.__class__ = _present_class(type(widget))
            widget.to_field = form_field.to_field_name or "pk"  # type: ignore[attr-defined]
