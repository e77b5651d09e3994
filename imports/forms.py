"""The upload form: a zip of a folder of decision records, or several Markdown files."""

from __future__ import annotations

from typing import Any

from django import forms

from leadership_os.models import Surface
from leadership_os.storable import StorableFormMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": ".zip,.md,.markdown,text/markdown,application/zip"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        items = [item for item in (data if isinstance(data, (list, tuple)) else [data]) if item]
        if not items and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class UploadForm(StorableFormMixin, forms.Form):
    files = MultipleFileField(
        label="Decision records",
        help_text="A .zip of the folder, or several .md files chosen together.",
        error_messages={
            "required": "Choose a .zip of the folder, or one or more .md files.",
            "empty": "The upload is empty.",
        },
    )
    source = forms.CharField(
        label="Name of the folder",
        required=False,
        max_length=200,
        help_text="Re-importing under the same name updates what changed. Default: the zip's name, or “uploaded files”.",
    )
    surface = forms.ModelChoiceField(
        label="Surface",
        queryset=Surface.objects.order_by("name"),
        required=False,
        empty_label="No surface",
    )
