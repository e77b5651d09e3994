"""Forms of the intake: a source pasted or uploaded, its meeting date, and a proposal's corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from briefs.models import Engagement
from intake.extract.readers import MAX_SOURCE_BYTES
from intake.models import Proposal
from leadership_os.models import Person
from leadership_os.storable import StorableFormMixin
from rhythms.models import Occurrence

MAX_MB = MAX_SOURCE_BYTES // 1024 // 1024


class SourceForm(StorableFormMixin, forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="Default: the file name, or the meeting's."
    )
    text = forms.CharField(
        required=False,
        label="Paste the notes",
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text="Markdown or plain text, a transcript, or a Slack export's JSON.",
    )
    upload = forms.FileField(
        required=False,
        label="Or upload a file",
        help_text=f".md, .txt, .vtt, .srt or a Slack channel's .json file; up to {MAX_MB} MB.",
    )
    meeting_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Default: from the link, the file name or a heading.",
    )
    occurrence = forms.ModelChoiceField(
        queryset=Occurrence.objects.none(),
        required=False,
        label="Ritual occurrence",
        help_text="Commitments are recorded as promised there; 'before the next review' is its next one.",
    )
    engagement = forms.ModelChoiceField(
        queryset=Engagement.objects.none(),
        required=False,
        help_text="Positions go into this engagement's brief.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = Engagement.objects.order_by("-starts_at")  # type: ignore[attr-defined]
        now = timezone.now()
        occurrences = Occurrence.objects.select_related("ritual").filter(
            starts_at__gte=now - dt.timedelta(days=30), starts_at__lte=now + dt.timedelta(days=1)
        )
        field = self.fields["occurrence"]
        field.queryset = occurrences.order_by("-starts_at")  # type: ignore[attr-defined]
        field.label_from_instance = lambda o: (  # type: ignore[attr-defined]
            f"{o.ritual.name}, {timezone.localtime(o.starts_at):%a %-d %b %Y}"
        )

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        if upload is not None and upload.size > MAX_SOURCE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; sources are limited to {MAX_MB} MB."
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("upload"):
            raise forms.ValidationError("The source is empty: paste the notes or choose a file.")
        if data.get("occurrence") and data.get("engagement"):
            raise forms.ValidationError(
                "Link the notes to a ritual occurrence or to an engagement, not both."
            )
        if (data.get("text") or "").strip() and data.get("upload"):
            raise forms.ValidationError("Paste the notes or upload a file, not both.")
        return data


class MeetingDateForm(StorableFormMixin, forms.Form):
    meeting_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ProposalForm(StorableFormMixin, forms.ModelForm):
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, empty_label="Owner unclear"
    )
    tags = forms.CharField(required=False, help_text="Themes, separated by commas.")
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Proposal
        fields = ["kind", "text", "owner", "due_on", "workstream_key", "target_key", "stance", "tags"]
        labels = {
            "due_on": "Due",
            "workstream_key": "Workstream",
            "target_key": "About an existing record",
            "stance": "Stance or state",
        }
        help_texts = {
            "workstream_key": "Its key, e.g. WS-14.",
            "target_key": "WS-14 for an update, C-7 to re-commit, D-12 for its outcome. Empty: create a new record.",
            "stance": "support, oppose, neutral; or on_track, at_risk, blocked, done.",
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "due_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Person.objects.order_by("name")  # type: ignore[attr-defined]
        if self.instance and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tags or [])
            self.initial["version"] = self.instance.version

    def clean_tags(self) -> list[str]:
        return [slugify(part) for part in (self.cleaned_data.get("tags") or "").split(",") if slugify(part)]

    def clean_text(self) -> str:
        text = (self.cleaned_data.get("text") or "").strip()
        if not text:
            raise forms.ValidationError("Say what the proposal is.")
        return text

    def clean_target_key(self) -> str:
        return (self.cleaned_data.get("target_key") or "").strip().upper()

    def clean_workstream_key(self) -> str:
        return (self.cleaned_data.get("workstream_key") or "").strip().upper()

    def clean_stance(self) -> str:
        value = (self.cleaned_data.get("stance") or "").strip().lower().replace(" ", "_")
        allowed = {
            "",
            "support",
            "oppose",
            "neutral",
            "unknown",
            "on_track",
            "at_risk",
            "blocked",
            "done",
            "paused",
        }
        if value not in allowed:
            raise forms.ValidationError(
                "Use support, oppose, neutral, unknown, on_track, at_risk, blocked, done or paused."
            )
        return value


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(queryset=Proposal.objects.none(), label="Merge into")
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (  # type: ignore[attr-defined]
            Proposal.objects.filter(source_id=proposal.source_id, status=Proposal.Status.PENDING).exclude(
                pk=proposal.pk
            )
        )
