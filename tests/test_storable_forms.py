"""Every form of the artifacts accepts only what both databases store (leadership_os.storable): a
NUL character, text that is not valid Unicode, a date in year 9999 or before 1900 is refused with
an error on its field, the form re-rendered, nothing written; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import timezone

import briefs.forms
import context_repo.forms
import decisions.forms
import rhythms.forms
import workstreams.forms
from context_repo.models import ContextEntry
from leadership_os.storable import StorableFormMixin
from rhythms.models import Occurrence
from tests.rhythms.factories import OccurrenceFactory

pytestmark = pytest.mark.django_db

BAD_DATES = ["9999-12-31", "1899-12-31", "2201-01-01"]
BAD_TEXT = ["before\x00after", "lone \ud800 surrogate"]


def test_every_form_of_the_artifact_apps_applies_the_storable_checks() -> None:
    missing = []
    for module in (decisions.forms, workstreams.forms, briefs.forms, rhythms.forms, context_repo.forms):
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
                and not issubclass(value, StorableFormMixin)
            ):
                missing.append(f"{module.__name__}.{name}")
    assert missing == []


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_decision_needed_in_an_unstorable_year_is_a_field_error(day) -> None:
    form = decisions.forms.DecisionForm(
        data={"title": "Retain prompts", "question": "How long?", "needed_by": day}
    )
    assert not form.is_valid()
    assert list(form.errors) == ["needed_by"]
    assert "Enter a date from 1 January 1900 to 31 December 2200." in form.errors["needed_by"]


@pytest.mark.parametrize("text", BAD_TEXT)
def test_unstorable_text_in_a_decision_is_a_field_error(text) -> None:
    form = decisions.forms.DecisionForm(data={"title": "Retain prompts", "question": text})
    assert not form.is_valid()
    assert list(form.errors) == ["question"]


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_commitment_due_in_an_unstorable_year_is_a_field_error(day, person_of, chief_of_staff) -> None:
    owner = person_of(chief_of_staff)
    data = {"description": "Send the memo", "owner": owner.key, "due_on": day}
    form = workstreams.forms.CommitmentForm(data=data)
    assert not form.is_valid()
    assert "due_on" in form.errors
    row = briefs.forms.CommitmentRowForm(data={"description": "Send the memo", "due_on": day})
    assert not row.is_valid()
    assert list(row.errors) == ["due_on"]


@pytest.mark.parametrize("text", BAD_TEXT)
def test_unstorable_text_in_a_brief_section_is_a_field_error(text) -> None:
    form = briefs.forms.BriefSectionForm(data={"objective": text, "version": "0"}, section="objective")
    assert not form.is_valid()
    assert "objective" in form.errors


@pytest.mark.parametrize("day", BAD_DATES)
def test_a_context_entry_dated_in_an_unstorable_year_is_refused_on_the_page(client_as, day) -> None:
    data = {"kind": "note", "title": "A note", "body": "Text", "dated_on": day, "status": "active"}
    response = client_as("contributor").post("/context/new/", data)
    assert response.status_code == 200
    assert "Enter a date from 1 January 1900 to 31 December 2200." in response.content.decode()
    assert not ContextEntry.objects.exists()


def test_an_occurrence_moved_to_year_9999_is_refused_on_the_page(cos_client) -> None:
    occurrence = OccurrenceFactory(status=Occurrence.Status.PLANNED)
    data = {
        "status": "held",
        "starts_at": "9999-12-31T23:30",
        "notes": "Moved far away",
        "version": str(occurrence.version),
        "commitments-TOTAL_FORMS": "0",
        "commitments-INITIAL_FORMS": "0",
    }
    response = cos_client.post(f"/rhythms/occurrences/{occurrence.pk}/record/", data)
    assert response.status_code == 200
    assert "Enter a date from 1 January 1900 to 31 December 2200." in response.content.decode()
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.notes) == (Occurrence.Status.PLANNED, "")
    assert occurrence.starts_at == occurrence.scheduled_for
    assert occurrence.starts_at.year == timezone.localtime(occurrence.scheduled_for).year


def test_a_nul_in_a_context_entry_is_refused_on_the_page(client_as) -> None:
    data = {
        "kind": "note",
        "title": "A\x00note",
        "body": "Te\x00xt",
        "dated_on": "2026-11-02",
        "status": "active",
    }
    response = client_as("contributor").post("/context/new/", data)
    assert response.status_code == 200
    assert not ContextEntry.objects.exists()
