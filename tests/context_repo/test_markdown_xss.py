"""The one Markdown renderer against known XSS vectors, alone and through every page that shows Markdown.

Every Markdown field of the product is listed in MARKDOWN_FIELDS (a test fails when a model grows a
Markdown field that is not listed). Each is rendered through `render_markdown`; those whose page
exists in this app are also checked end to end, in the HTML the browser receives.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import timezone

from context_repo.models import ContextEntry
from decisions.models import Decision
from leadership_os.markdown import is_safe_url, render_markdown
from tests.context_repo.factories import (
    BriefFactory,
    ContextEntryFactory,
    DecisionFactory,
    StepFactory,
)
from tests.context_repo.xss import VECTORS, markdown_regions, problems_in_fragment, problems_in_page

# (app label, model, field): every Markdown field of the product.
MARKDOWN_FIELDS = [
    ("context_repo", "ContextEntry", "body"),
    ("decisions", "Decision", "context"),
    ("decisions", "Decision", "reasoning"),
    ("briefs", "Brief", "notes"),
]


def test_there_are_at_least_fifty_vectors() -> None:
    assert len(VECTORS) >= 50
    assert len(set(VECTORS)) == len(VECTORS)


def test_every_markdown_field_of_the_product_is_listed_here() -> None:
    found = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if "markdown" in str(getattr(field, "help_text", "")).lower()
        and not model.__name__.startswith("Historical")
    }
    assert found <= set(MARKDOWN_FIELDS), (
        f"Markdown fields missing from MARKDOWN_FIELDS: {found - set(MARKDOWN_FIELDS)}"
    )
    for app_label, model_name, field_name in MARKDOWN_FIELDS:
        apps.get_model(app_label, model_name)._meta.get_field(field_name)


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_the_renderer_leaves_nothing_executable(vector: str) -> None:
    rendered = render_markdown(vector)
    assert problems_in_fragment(rendered) == [], rendered


def test_the_renderer_keeps_ordinary_markdown() -> None:
    rendered = render_markdown(
        "# Plan\n\nWe **chose** [the pilot](https://ok.example/pilot) over *the API*.\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[log](/decisions/D-1/) and <https://ok.example>"
    )
    for piece in (
        "<h1>Plan</h1>",
        "<strong>chose</strong>",
        '<a href="https://ok.example/pilot" rel="noopener noreferrer nofollow">the pilot</a>',
        "<em>the API</em>",
        "<li>one</li>",
        "<td>1</td>",
        '<a href="/decisions/D-1/"',
        '<a href="https://ok.example"',
    ):
        assert piece in rendered


def test_typed_html_is_shown_as_text_not_dropped() -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in render_markdown("<script>alert(1)</script>")


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://ok.example/a", True),
        ("/decisions/D-1/", True),
        ("#section", True),
        ("mailto:cos@example.com", True),
        ("x.png", True),
        ("?q=a:b", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java%0ascript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("%26%23106%3Bavascript:alert(1)", False),
        ("vbscript:msgbox(1)", False),
        ("data:text/html,x", False),
        ("file:///etc/passwd", False),
    ],
)
def test_a_link_is_safe_only_with_an_allowed_scheme(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


@pytest.mark.parametrize("field", MARKDOWN_FIELDS, ids=lambda f: f"{f[1]}.{f[2]}")
def test_every_markdown_field_is_rendered_safely(field: tuple[str, str, str]) -> None:
    """The renderer behind the `|markdown` filter, fed every vector as each field's value."""
    from django.template import Context, Template

    template = Template("{% load los %}<div data-markdown>{{ value|markdown }}</div>")
    for vector in VECTORS:
        page = template.render(Context({"value": vector}))
        (region,) = markdown_regions(page)
        assert problems_in_fragment(region) == [], f"{field}: {vector!r} gave {region!r}"
        assert problems_in_page(page) == [], f"{field}: {vector!r}"


# End to end: the HTML the browser receives -----------------------------------------------------------


def _assert_page_is_clean(response, vector: str, regions: int) -> None:
    assert response.status_code == 200
    page = response.content.decode()
    found = markdown_regions(page)
    assert len(found) == regions, f"expected {regions} rendered Markdown region(s) for {vector!r}"
    for region in found:
        assert problems_in_fragment(region) == [], (
            f"{vector!r} left {problems_in_fragment(region)} in {region!r}"
        )
    assert problems_in_page(page) == [], (
        f"{vector!r} left {problems_in_page(page)} on {response.request['PATH_INFO']}"
    )


@pytest.mark.django_db
def test_entry_bodies_are_safe_on_the_entry_page_and_the_list(client_as) -> None:
    client = client_as("viewer")
    for vector in VECTORS:
        entry = ContextEntryFactory(title=vector[:200], body=vector)
        _assert_page_is_clean(client.get(f"/context/{entry.key}/"), vector, regions=1)
    for page in (1, 2, 3, 4):
        response = client.get(f"/context/?page={page}")
        assert problems_in_page(response.content.decode()) == []


@pytest.mark.django_db
def test_entry_bodies_and_decision_context_and_reasoning_are_safe_on_the_start_here_path(client_as) -> None:
    client = client_as("contributor")
    for vector in VECTORS:
        entry = ContextEntryFactory(title=vector[:200], body=vector)
        decision = DecisionFactory(
            title=vector[:200], question=vector, context=vector, reasoning=vector, outcome=vector
        )
        StepFactory(position=1, entry=entry)
        StepFactory(position=2, decision=decision)
        _assert_page_is_clean(client.get("/context/start-here/1/"), vector, regions=1)
        _assert_page_is_clean(client.get("/context/start-here/2/"), vector, regions=2)
        _assert_page_is_clean(client.get("/context/start-here/"), vector, regions=0)
        from context_repo.models import StartHereStep

        StartHereStep.objects.all().delete()


@pytest.mark.django_db
def test_titles_and_bodies_are_safe_in_search_results_the_dropdown_and_settled_matches(client_as) -> None:
    client = client_as("viewer")
    for vector in VECTORS:
        ContextEntryFactory(
            kind=ContextEntry.Kind.RESOLVED_DEBATE,
            title=f"residency {vector}"[:200],
            body=f"residency {vector}",
        )
        DecisionFactory(
            title=f"residency {vector}"[:200],
            question=vector,
            status=Decision.Status.DECIDED,
            outcome=f"residency {vector}",
            decided_on=timezone.localdate(),
        )
    for url in (
        "/search/?q=residency",
        "/search/?q=residency&page=2",
        "/search/?q=residency&as=dropdown",
        "/search/?q=alert",
        "/search/?q=script+alert",
        "/search/settled/?title=residency+script+alert",
        "/context/signals/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert problems_in_page(response.content.decode()) == [], url


@pytest.mark.django_db
def test_the_shell_query_is_escaped_wherever_it_is_echoed(client_as) -> None:
    client = client_as("viewer")
    for vector in VECTORS:
        for url in ("/search/", "/context/"):
            response = client.get(url, {"q": vector, "tag": vector, "as": "page"})
            assert problems_in_page(response.content.decode()) == [], (url, vector)
        response = client.get("/search/", {"q": vector + " x", "as": "dropdown"})
        assert problems_in_page(response.content.decode()) == [], vector


@pytest.mark.django_db
def test_brief_notes_go_through_the_same_renderer() -> None:
    for vector in VECTORS:
        brief = BriefFactory(notes=vector)
        assert problems_in_fragment(render_markdown(brief.notes)) == []
        brief.engagement.delete()


def test_the_checker_itself_catches_the_raw_vectors() -> None:
    """Guard against a vacuous checker: the typed HTML, unrendered, is caught for what it is."""
    raw_html = [v for v in VECTORS if v.startswith("<") and ":" not in v.split(">")[0][:12]]
    caught = [v for v in raw_html if problems_in_fragment(v)]
    assert len(caught) >= 40
    assert problems_in_page('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert problems_in_page('<p data-x="1" onclick="go()">x</p>')
    assert problems_in_page("<script>alert(1)</script>")
    assert not problems_in_page('<script src="/static/js/app.js" defer></script><a href="/context/">x</a>')
