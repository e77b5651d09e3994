"""The org file pages: staff reload the sample organization from the dashboard."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from leadership_os.access import Perm, require
from orgfiles import snapshot
from orgfiles.format import PAGE_PROBLEM_CAP, PROBLEM_CAP


@require_POST
@require(Perm.LOAD_SAMPLE, "Only staff load the sample organization.")
def load_sample(request: HttpRequest) -> HttpResponse:
    """Load (or reload) the sample org: the same validation and all-or-nothing write as the command."""
    try:
        document = snapshot.read_path(snapshot.DEFAULT_SAMPLE)
        counts = snapshot.load(document, replace=True)
    except snapshot.SnapshotError as error:
        refusal = error.problems.refusal("The sample org", cap=PAGE_PROBLEM_CAP)
        if len(error.problems) > PAGE_PROBLEM_CAP:
            refusal += f"\nThe command 'python manage.py load_sample --replace' lists up to {PROBLEM_CAP}."
        messages.error(request, refusal)
        return redirect("dashboard")
    summary = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())
    messages.success(request, f"The sample organization is loaded: {summary}.")
    return redirect("dashboard")
