"""Prepare one benchmark database and describe it: the bench login, the concrete address of every
page and fragment to measure, and each one's SQL query count (in-process, with the test client).

Run by bench/run.py as `python bench/inspect_db.py` with SQLITE_PATH pointing at the database;
prints one JSON object."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadership_os.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from leadership_os.access import ensure_roles  # noqa: E402

USER = "bench"
PASSWORD = "bench-password-not-secret-7c1e"
HTMX = {"HX-Request": "true"}


def url(name: str, *args: object, fallback: str) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return fallback


def ensure_user() -> None:
    ensure_roles()
    user, _ = get_user_model().objects.get_or_create(username=USER)
    user.is_staff = user.is_superuser = True
    user.first_name = "Bench"
    user.set_password(PASSWORD)
    user.save()
    user.groups.set(Group.objects.filter(name__in=["Principal", "Chief of staff"]))


def targets() -> dict[str, dict[str, dict[str, object]]]:
    """Pages (full requests) and fragments (htmx requests of a page's region), by name."""
    from briefs.models import Engagement
    from decisions.models import Decision
    from leadership_os.models import Surface
    from workstreams.models import Workstream

    decision = (
        Decision.objects.filter(status="decided").order_by("number").first() or Decision.objects.first()
    )
    engagement = Engagement.objects.order_by("starts_at").last()
    surface = Surface.objects.order_by("key").first()
    workstream = Workstream.objects.order_by("number").first()
    word = "residency"
    log = url("decisions:decision_list", fallback="/decisions/")
    filtered = f"{log}?status=decided&surface={surface.key if surface else ''}"
    search = url("search", fallback="/search/")
    calendar = url("rhythms:calendar", fallback="/rhythms/")
    pages = {
        "dashboard": {"path": "/"},
        "radar": {"path": "/radar/"},
        "queue": {"path": "/queue/"},
        "decision_log": {"path": filtered},
        "decision": {
            "path": url("decisions:decision_detail", decision.key, fallback=f"/decisions/{decision.key}/")
        },
        "status_map": {"path": url("workstreams:workstream_list", fallback="/workstreams/")},
        "brief": {"path": url("briefs:brief_detail", engagement.pk, fallback=f"/briefs/{engagement.pk}/")},
        "calendar_month": {"path": f"{calendar}?view=month"},
        "context_list": {"path": url("context_repo:entry_list", fallback="/context/")},
        "search": {"path": f"{search}?q={word}"},
        "briefs": {"path": url("briefs:engagement_list", fallback="/briefs/")},
        "calendar_week": {"path": calendar},
    }
    fragments = {
        "dashboard": {"path": "/?panel=dash-radar", "headers": HTMX},
        "radar": {"path": "/radar/?type=workstream", "headers": HTMX},
        "queue": {"path": "/queue/?bucket=open", "headers": HTMX},
        "decision_log": {"path": filtered, "headers": HTMX},
        "status_map": {"path": pages["status_map"]["path"] + "?state=blocked", "headers": HTMX},
        "calendar_month": {"path": f"{calendar}?view=month", "headers": HTMX},
        "context_list": {"path": pages["context_list"]["path"] + "?kind=customer_signal", "headers": HTMX},
        "search": {"path": f"{search}?q={word}&as=dropdown", "headers": HTMX},
        # Fragments that replace one row or one section in place (the ones above replace a listing).
        "status_map_row_edit": {
            "path": f"/workstreams/{workstream.key}/edit/state/",
            "headers": HTMX,
            "page": "status_map",
        },
        "brief_section_edit": {
            "path": f"/briefs/{engagement.pk}/edit/objective/",
            "headers": HTMX,
            "page": "brief",
        },
    }
    peers = {
        "decision_log_unfiltered": {"path": log},
        "admin_changelist": {"path": "/admin/decisions/decision/"},
        "admin_search": {"path": f"/admin/context_repo/contextentry/?q={word}"},
        "product_search": {"path": f"{search}?q={word}"},
    }
    # "The first request after a write": a status update is posted on this workstream (from its row
    # of the status map, as the chief of staff does), then each of these is requested once.
    after_write = {
        "write": {"path": f"/workstreams/{workstream.key}/updates/", "headers": HTMX},
        "targets": {
            "dashboard": {"path": "/", "engine": True},
            "radar": {"path": "/radar/", "engine": True},
            "queue": {"path": "/queue/", "engine": True},
            "status_map_row": {"path": f"/workstreams/{workstream.key}/row/", "headers": HTMX},
        },
    }
    return {"pages": pages, "fragments": fragments, "peers": peers, "after_write": after_write}


def count_queries(spec: dict[str, dict[str, dict[str, object]]]) -> dict[str, int]:
    client = Client()
    client.force_login(get_user_model().objects.get(username=USER))
    counts = {}
    for name, target in spec["pages"].items():
        client.get(target["path"])  # warm caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(target["path"])
        if response.status_code != 200:
            raise SystemExit(f"{name} {target['path']} answered {response.status_code}")
        counts[name] = len(captured)
    return counts


def engine_evaluations() -> int:
    """How many times any worker evaluated the rules engine on this database (leadership_os.memo)."""
    from leadership_os import memo
    from radar.queries import ENGINE_SPACE

    return memo.computations(ENGINE_SPACE)


if __name__ == "__main__":
    if sys.argv[1:] == ["evaluations"]:
        print(json.dumps({"evaluations": engine_evaluations()}))
        raise SystemExit(0)
    ensure_user()
    spec = targets()
    print(json.dumps({"targets": spec, "queries": count_queries(spec), "user": USER, "password": PASSWORD}))
