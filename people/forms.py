"""Forms of the directory: parsing only; the rules are in leadership_os.directory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.db.models import Q

from leadership_os.access import Role
from leadership_os.models import Person, Surface, Tag
from leadership_os.storable import StorableFormMixin
from leadership_os.widgets import ListSelect


def _live_surfaces(current: Surface | None = None) -> Any:
    live = Q(retired_on__isnull=True)
    if current is not None:
        live |= Q(pk=current.pk)
    return Surface.objects.filter(live).order_by("name")


class PersonForm(StorableFormMixin, forms.Form):
    name = forms.CharField(max_length=120, error_messages={"required": "Give the person's name."})
    title = forms.CharField(max_length=120, required=False)
    organization = forms.CharField(
        max_length=120, required=False, help_text="For someone outside the company: where they work."
    )
    affiliation = forms.ChoiceField(choices=Person.Affiliation.choices, initial=Person.Affiliation.INTERNAL)
    email = forms.EmailField(required=False)
    surface = forms.ModelChoiceField(
        queryset=Surface.objects.none(), required=False, to_field_name="key", empty_label="No surface"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args: Any, current_surface: Surface | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["surface"].queryset = _live_surfaces(current_surface)  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="Left on", widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionOnly(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


ROLE_CHOICES = [
    (Role.PRINCIPAL.value, "Principal: reads everything, records outcomes"),
    (Role.CHIEF_OF_STAFF.value, "Chief of staff: creates and edits everything"),
    (Role.CONTRIBUTOR.value, "Contributor (PM): writes context, drafts, own updates"),
    (Role.VIEWER.value, "Viewer: reads everything"),
    (Role.STAFF.value, "Staff: the admin (only staff give it)"),
]


class LoginForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("create", "Give a login"),
            ("role", "Change role"),
            ("disable", "Disable"),
            ("enable", "Enable"),
            ("link", "New link"),
        ],
        widget=forms.HiddenInput,
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, required=False, widget=forms.RadioSelect)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") in ("create", "role") and not data.get("role"):
            self.add_error("role", "Choose a role.")
        return data


class SurfaceForm(StorableFormMixin, forms.Form):
    name = forms.CharField(max_length=80, error_messages={"required": "Give the surface a name."})
    description = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TagForm(StorableFormMixin, forms.Form):
    name = forms.CharField(
        max_length=50,
        error_messages={"required": "Give the tag a name."},
        help_text="Lower case, digits and dashes, e.g. data-residency.",
    )


class TagMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Tag.objects.none(),
        to_field_name="name",
        label="Merge into",
        empty_label="Choose a tag",
        widget=ListSelect,
    )

    def __init__(self, *args: Any, source: Tag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Tag.objects.exclude(pk=source.pk).order_by("name")  # type: ignore[attr-defined]


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="New password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="The same again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords differ.")
        elif one:
            try:
                password_validation.validate_password(one, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data
