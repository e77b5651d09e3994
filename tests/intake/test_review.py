"""The intake's review: only the chief of staff; proposals become records only when accepted, through
the artifact apps' services, in one transaction, with a link back to the source's lines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from context_repo.models import ContextEntry
from decisions.models import Decision
from intake import services
from intake.models import Proposal, Provenance, Source
from tests.factories import PersonFactory, TagFactory
from tests.workstreams.factories import CommitmentFactory, WorkstreamFactory
from workstreams.models import Commitment, State, StatusUpdate

NOTES = """# Product review 2026-12-03

Attendees: Ada Brooks, Ben Osei, Cleo Park

## Notes
- WS-{ws} is blocked on the vendor's security questionnaire.
- Decision: the beta ships without the audit log export.
- Northwind asked for SCIM provisioning again.
- Ben is against a public waitlist.
- Open question: per-seat or per-workspace pricing?

## Action items
- Ada to send the beta invite list by Friday
- Cleo: draft the pricing memo
- Ben will re-run the latency tests next week
"""


@pytest.fixture
def people(db: None) -> dict[str, object]:
    return {
        "ada": PersonFactory(key="ada-brooks", name="Ada Brooks"),
        "ben": PersonFactory(key="ben-osei", name="Ben Osei"),
        "cleo": PersonFactory(key="cleo-park", name="Cleo Park"),
        "grace": PersonFactory(
            key="grace-north", name="Grace Hill", affiliation="customer", organization="Northwind"
        ),
    }


@pytest.fixture
def workstream(db: None) -> object:
    return WorkstreamFactory(name="Agent console", state=State.ON_TRACK)


@pytest.fixture
def source(chief_of_staff: object, people: dict[str, object], workstream: object) -> Source:
    TagFactory(name="scim")
    return services.source_create(by=chief_of_staff, text=NOTES.format(ws=workstream.number))


def _proposal(source: Source, kind: str, contains: str) -> Proposal:
    return next(p for p in source.proposals.filter(kind=kind) if contains in p.text)


def _counts() -> tuple[int, ...]:
    return (
        Commitment.objects.count(),
        Decision.objects.count(),
        ContextEntry.objects.count(),
        StatusUpdate.objects.count(),
        Provenance.objects.count(),
    )


# Roles --------------------------------------------------------------------------------------------------

ADDRESSES = [
    ("get", "intake:inbox", None),
    ("post", "intake:inbox", None),
    ("get", "intake:source_review", "source"),
    ("post", "intake:source_date", "source"),
    ("post", "intake:source_extract", "source"),
    ("post", "intake:source_accept_kind", "kind"),
    ("get", "intake:proposal_card", "proposal"),
    ("get", "intake:proposal_edit", "proposal"),
    ("post", "intake:proposal_edit", "proposal"),
    ("post", "intake:proposal_accept", "proposal"),
    ("post", "intake:proposal_drop", "proposal"),
    ("post", "intake:proposal_merge", "proposal"),
    ("get", "intake:record_provenance", "key"),
]


@pytest.mark.parametrize(("method", "name", "arg"), ADDRESSES)
@pytest.mark.parametrize("role", ["principal", "contributor", "viewer", "staff", "no_role_user"])
def test_only_the_chief_of_staff_reaches_intake(
    client_as, source: Source, method: str, name: str, arg: str | None, role: str
) -> None:
    proposal = source.proposals.first()
    args = {
        None: [],
        "source": [source.pk],
        "kind": [source.pk, "action"],
        "proposal": [proposal.pk],
        "key": ["C-1"],
    }[arg]
    before = _counts()
    response = getattr(client_as(role), method)(reverse(name, args=args), {"version": proposal.version})
    assert response.status_code == 403
    assert _counts() == before
    assert Proposal.objects.filter(status=Proposal.Status.PENDING).count() == source.proposals.count()


@pytest.mark.parametrize(("method", "name", "arg"), ADDRESSES)
def test_anonymous_visitors_are_sent_to_login(
    client_as, source: Source, method: str, name: str, arg: str | None
) -> None:
    proposal = source.proposals.first()
    args = {
        None: [],
        "source": [source.pk],
        "kind": [source.pk, "action"],
        "proposal": [proposal.pk],
        "key": ["C-1"],
    }[arg]
    response = getattr(client_as(None), method)(reverse(name, args=args))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_chief_of_staff_sees_intake_in_the_navigation_and_others_do_not(cos_client, client_as) -> None:
    assert 'href="/intake/"' in cos_client.get("/").content.decode()
    assert 'href="/intake/"' not in client_as("principal").get("/").content.decode()


# Taking a source in -------------------------------------------------------------------------------------


def test_pasting_notes_proposes_and_writes_nothing_else(
    cos_client, people: dict[str, object], workstream: object
) -> None:
    TagFactory(name="scim")
    before = _counts()
    response = cos_client.post(reverse("intake:inbox"), {"text": NOTES.format(ws=workstream.number)})
    source = Source.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:source_review", args=[source.pk])
    assert _counts() == before
    kinds = sorted(source.proposals.values_list("kind", flat=True))
    assert kinds.count("action") == 3
    assert {"decision", "blocker", "signal", "position", "decision_needed"} <= set(kinds)
    assert source.meeting_date == dt.date(2026, 12, 3)
    ada = _proposal(source, "action", "invite list")
    assert ada.owner.key == "ada-brooks"
    assert ada.due_on == dt.date(2026, 12, 4)
    assert ada.lines == [13]
    cleo = _proposal(source, "action", "pricing memo")
    assert cleo.due_on is None
    blocker = source.proposals.get(kind="blocker")
    assert blocker.workstream_key == workstream.key
    assert source.proposals.get(kind="signal").tags == ["scim"]


def test_the_review_page_shows_the_source_beside_its_proposals(cos_client, source: Source) -> None:
    page = cos_client.get(reverse("intake:source_review", args=[source.pk])).content.decode()
    assert 'id="L13"' in page and 'class="is-cited"' in page
    assert "Ada to send the beta invite list by Friday" in page
    assert "Due date unclear" in page
    assert 'href="#L13"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "   \n  "}, "The source is empty"),
        (
            {"text": '[{"ts": "1", "text": "hi"}, {"text": "no ts"}]', "title": "x.json"},
            "has no &#x27;ts&#x27;",
        ),
        ({"text": "WEBVTT\n\n00:00:01.000 --> 00:0x:04.000\n<v Ann>Hi\n"}, "not a valid WebVTT timing"),
    ],
)
def test_bad_pastes_are_refused_with_a_message_and_nothing_written(
    cos_client, data: dict[str, str], message: str
) -> None:
    response = cos_client.post(reverse("intake:inbox"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.md", b"a" * (20 * 1024 * 1024), "limited to 2 MB"),
        ("deck.pdf", b"%PDF-1.7\x00\x01\x02binary", "binary file"),
        ("notes.txt", "Décision: oui".encode("latin-1"), "not UTF-8"),
        ("export.json", b'{"messages": 3}', "Slack channel export is a list"),
        ("broken.json", b'[{"ts": "1", "text": "hi"', "not valid JSON"),
        (
            "call.vtt",
            b"WEBVTT\n\n00:01.000 -> 00:04.000\nhello\n",
            "line 3: &#x27;00:01.000 -&gt; 00:04.000&#x27; is not a valid WebVTT timing",
        ),
        ("call.srt", b"1\n00:00:01,000 --> 00:00:0,500\nhello\n", "not a valid SRT timing"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_written(
    cos_client, name: str, content: bytes, message: str
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = cos_client.post(reverse("intake:inbox"), {"upload": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Source.objects.exists()


def test_the_same_notes_twice_open_the_first_source(cos_client, source: Source) -> None:
    response = cos_client.post(reverse("intake:inbox"), {"text": source.text})
    assert response["Location"] == reverse("intake:source_review", args=[source.pk])
    assert Source.objects.count() == 1


def test_running_the_rules_again_proposes_nothing_twice(cos_client, source: Source) -> None:
    count = source.proposals.count()
    _proposal(source, "action", "pricing memo").delete()
    proposal = source.proposals.filter(kind="decision").get()
    services.proposal_drop(proposal=proposal, by=None, expected_version=proposal.version)
    cos_client.post(reverse("intake:source_extract", args=[source.pk]))
    assert source.proposals.count() == count
    response = cos_client.post(reverse("intake:source_extract", args=[source.pk]), follow=True)
    assert source.proposals.count() == count
    assert "Nothing new" in response.content.decode()


def test_correcting_the_meeting_date_moves_the_relative_due_dates(cos_client, source: Source) -> None:
    cos_client.post(reverse("intake:source_date", args=[source.pk]), {"meeting_date": "2026-12-08"})
    assert _proposal(source, "action", "invite list").due_on == dt.date(2026, 12, 11)


# Accepting ----------------------------------------------------------------------------------------------


def test_accepting_an_action_creates_a_commitment_linked_to_its_lines(cos_client, source: Source) -> None:
    proposal = _proposal(source, "action", "invite list")
    response = cos_client.post(
        reverse("intake:proposal_accept", args=[proposal.pk]),
        {"version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="proposal-{proposal.pk}"' in body and "<html" not in body
    assert 'id="intake-summary" class="subtitle" hx-swap-oob="true"' in body
    assert 'id="group-head-action" class="panel-header" hx-swap-oob="true"' in body
    commitment = Commitment.objects.get()
    assert commitment.description == "Ada to send the beta invite list by Friday"
    assert commitment.owner.key == "ada-brooks"
    assert commitment.due_on == dt.date(2026, 12, 4)
    link = Provenance.objects.get()
    assert (link.record_key, link.lines, link.action) == (commitment.key, [13], "created")
    source.refresh_from_db()
    assert source.context_entry.kind == ContextEntry.Kind.MEETING_NOTES
    assert "Ada to send" in source.context_entry.body
    proposal.refresh_from_db()
    assert (proposal.status, proposal.result_key) == ("accepted", commitment.key)
    page = cos_client.get(reverse("intake:record_provenance", args=[commitment.key])).content.decode()
    assert "Product review 2026-12-03" in page and "line 13" in page


def test_an_action_without_a_due_date_is_not_accepted_and_nothing_is_written(
    cos_client, source: Source
) -> None:
    proposal = _proposal(source, "action", "pricing memo")
    before = _counts()
    response = cos_client.post(
        reverse("intake:proposal_accept", args=[proposal.pk]),
        {"version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Give the date it is due" in response.content.decode()
    assert _counts() == before
    source.refresh_from_db()
    assert source.context_entry is None


def test_editing_a_proposal_in_place_then_accepting_it(
    cos_client, source: Source, people: dict[str, object]
) -> None:
    proposal = _proposal(source, "action", "pricing memo")
    form = cos_client.get(reverse("intake:proposal_edit", args=[proposal.pk]), headers={"HX-Request": "true"})
    assert "<html" not in form.content.decode() and 'name="due_on"' in form.content.decode()
    data = {
        "kind": "action",
        "text": "Cleo: draft the pricing memo",
        "owner": people["ben"].pk,
        "due_on": "2026-12-10",
        "workstream_key": "",
        "target_key": "",
        "stance": "",
        "tags": "",
        "version": proposal.version,
    }
    response = cos_client.post(
        reverse("intake:proposal_edit", args=[proposal.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Ben Osei" in response.content.decode()
    proposal.refresh_from_db()
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    commitment = Commitment.objects.get()
    assert (commitment.owner.key, commitment.due_on) == ("ben-osei", dt.date(2026, 12, 10))


def test_an_invalid_edit_rerenders_the_form_with_its_errors(cos_client, source: Source) -> None:
    proposal = _proposal(source, "action", "pricing memo")
    data = {
        "kind": "action",
        "text": "",
        "due_on": "not a date",
        "stance": "sideways",
        "version": proposal.version,
    }
    response = cos_client.post(
        reverse("intake:proposal_edit", args=[proposal.pk]), data, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This field is required" in body and "Enter a valid date" in body and "Use support" in body


def test_a_stale_edit_is_refused(cos_client, source: Source) -> None:
    proposal = _proposal(source, "action", "pricing memo")
    data = {
        "kind": "action",
        "text": "Changed",
        "version": proposal.version - 1 if proposal.version > 1 else 99,
    }
    response = cos_client.post(
        reverse("intake:proposal_edit", args=[proposal.pk]), data, headers={"HX-Request": "true"}
    )
    assert "Someone changed this proposal" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.text != "Changed"


def test_pointing_an_action_at_an_existing_commitment_recommits_it(cos_client, source: Source) -> None:
    commitment = CommitmentFactory(
        description="Latency tests", due_on=dt.date(2026, 12, 1), original_due_on=dt.date(2026, 12, 1)
    )
    proposal = _proposal(source, "action", "latency tests")
    services.proposal_update(
        proposal=proposal, by=None, expected_version=proposal.version, fields={"target_key": commitment.key}
    )
    proposal.refresh_from_db()
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    commitment.refresh_from_db()
    assert commitment.due_on == dt.date(2026, 12, 11)
    assert commitment.recommitted_count == 1
    assert Commitment.objects.count() == 1
    assert Provenance.objects.get().action == "changed"


def test_a_pointer_of_the_wrong_kind_is_refused(cos_client, source: Source) -> None:
    proposal = _proposal(source, "action", "invite list")
    services.proposal_update(
        proposal=proposal, by=None, expected_version=proposal.version, fields={"target_key": "WS-1"}
    )
    proposal.refresh_from_db()
    response = cos_client.post(
        reverse("intake:proposal_accept", args=[proposal.pk]),
        {"version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert "can point at C-" in response.content.decode()
    assert not Commitment.objects.exists()


def test_a_decision_made_is_opened_for_a_principal_to_record(cos_client, source: Source) -> None:
    proposal = source.proposals.get(kind="decision")
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    decision = Decision.objects.get()
    assert decision.status == Decision.Status.OPEN
    assert "A principal records the outcome" in decision.context
    assert not decision.outcome if hasattr(decision, "outcome") else True
    proposal.refresh_from_db()
    assert proposal.status == "routed"


def test_a_decision_pointed_at_an_existing_one_adds_the_outcome_heard_for_a_principal(
    cos_client, source: Source
) -> None:
    from tests.workstreams.factories import DecisionFactory

    decision = DecisionFactory(title="Audit log export in beta?")
    proposal = source.proposals.get(kind="decision")
    services.proposal_update(
        proposal=proposal, by=None, expected_version=proposal.version, fields={"target_key": decision.key}
    )
    proposal.refresh_from_db()
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN
    assert "Outcome heard" in decision.context


def test_a_blocker_blocks_its_workstream_and_a_signal_becomes_a_tagged_entry(
    cos_client, source: Source, workstream
) -> None:
    blocker = source.proposals.get(kind="blocker")
    signal = source.proposals.get(kind="signal")
    cos_client.post(reverse("intake:proposal_accept", args=[blocker.pk]), {"version": blocker.version})
    cos_client.post(reverse("intake:proposal_accept", args=[signal.pk]), {"version": signal.version})
    workstream.refresh_from_db()
    assert workstream.state == State.BLOCKED
    assert "security questionnaire" in workstream.blocker
    entry = ContextEntry.objects.get(kind=ContextEntry.Kind.CUSTOMER_SIGNAL)
    assert list(entry.tags.values_list("name", flat=True)) == ["scim"]
    assert entry.dated_on == dt.date(2026, 12, 3)


def test_a_position_needs_an_engagement(cos_client, source: Source) -> None:
    proposal = source.proposals.get(kind="position")
    response = cos_client.post(
        reverse("intake:proposal_accept", args=[proposal.pk]),
        {"version": proposal.version},
        headers={"HX-Request": "true"},
    )
    assert "link this source to an engagement" in response.content.decode()


def test_dropping_and_merging(cos_client, source: Source) -> None:
    first = _proposal(source, "action", "invite list")
    second = _proposal(source, "action", "pricing memo")
    cos_client.post(
        reverse("intake:proposal_merge", args=[second.pk]), {"into": first.pk, "version": second.version}
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "merged" and second.merged_into == first
    assert first.lines == [13, 14]
    third = _proposal(source, "action", "latency")
    cos_client.post(reverse("intake:proposal_drop", args=[third.pk]), {"version": third.version})
    third.refresh_from_db()
    assert third.status == "dropped"
    assert not Commitment.objects.exists()


def test_accept_all_of_a_kind_takes_only_the_ready_ones(cos_client, source: Source) -> None:
    response = cos_client.post(reverse("intake:source_accept_kind", args=[source.pk, "action"]), follow=True)
    assert Commitment.objects.count() == 2  # the pricing memo has no due date
    assert "1 left to review" in response.content.decode()
    assert _proposal(source, "action", "pricing memo").status == "pending"


def test_the_review_page_query_count_does_not_grow_with_proposals(cos_client, chief_of_staff, people) -> None:
    small = services.source_create(by=chief_of_staff, text="- Ada to send the deck by Friday\n")
    items = "\n".join(f"- Ada to send deck {n} by Friday\n- Decision: option {n} wins" for n in range(40))
    large = services.source_create(by=chief_of_staff, text="# 2026-12-03\n" + items)
    counts = []
    for source in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert cos_client.get(reverse("intake:source_review", args=[source.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_notes_of_a_ritual_occurrence_take_its_date_attendees_and_next_review(
    cos_client, chief_of_staff
) -> None:
    from tests.rhythms.factories import OccurrenceFactory, RitualFactory, local

    alex = PersonFactory(key="alex-kim", name="Alex Kim")
    PersonFactory(key="alex-roy", name="Alex Roy")  # not in the ritual: "Alex" is still one person there
    ritual = RitualFactory(name="Product review", attendees=[alex])
    occurrence = OccurrenceFactory(ritual=ritual, scheduled_for=local(2026, 12, 1))
    OccurrenceFactory(ritual=ritual, scheduled_for=local(2026, 12, 8))
    source = services.source_create(
        by=chief_of_staff,
        text="## Actions\n- Alex to re-run the evals before the next review\n",
        occurrence=occurrence,
    )
    assert source.meeting_date == dt.date(2026, 12, 1)
    assert source.title == "Product review, 1 Dec 2026"
    proposal = source.proposals.get()
    assert (proposal.owner.key, proposal.due_on) == ("alex-kim", dt.date(2026, 12, 8))
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    assert Commitment.objects.get().occurrence == occurrence


def test_a_position_goes_into_the_linked_engagement_s_brief(cos_client, chief_of_staff, people) -> None:
    from briefs.models import StakeholderPosition
    from tests.rhythms.factories import EngagementFactory

    engagement = EngagementFactory(title="Northwind QBR", starts_at=timezone_now())
    source = services.source_create(
        by=chief_of_staff, text="- Ben is against a public waitlist.\n", engagement=engagement
    )
    proposal = source.proposals.get(kind="position")
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    position = StakeholderPosition.objects.get()
    assert (position.person.key, position.stance, position.engagement) == ("ben-osei", "oppose", engagement)
    assert "line 1" in position.source


def timezone_now():  # type: ignore[no-untyped-def]
    from django.utils import timezone

    return timezone.now()


def test_a_status_update_is_posted_on_its_workstream(cos_client, chief_of_staff, workstream) -> None:
    source = services.source_create(
        by=chief_of_staff, text=f"# 2026-12-03\n- {workstream.key}: at risk, the GPU quota is late.\n"
    )
    proposal = source.proposals.get(kind="update")
    assert (proposal.workstream_key, proposal.stance) == (workstream.key, "at_risk")
    cos_client.post(reverse("intake:proposal_accept", args=[proposal.pk]), {"version": proposal.version})
    update = StatusUpdate.objects.get()
    assert (update.workstream, update.state, update.posted_on) == (
        workstream,
        State.AT_RISK,
        dt.date(2026, 12, 3),
    )
    workstream.refresh_from_db()
    assert workstream.state == State.AT_RISK


def test_the_inbox_query_count_does_not_grow_with_sources(cos_client, chief_of_staff) -> None:
    counts = []
    for size in (1, 6):
        while Source.objects.count() < size:
            services.source_create(
                by=chief_of_staff, text=f"- Decision: option {Source.objects.count()} wins\n"
            )
        with CaptureQueriesContext(connection) as queries:
            assert cos_client.get(reverse("intake:inbox")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
