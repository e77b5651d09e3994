"""Who may change what in the workstreams app. The chief of staff edits everything; a contributor
posts status updates and commitments on the workstreams they own, and closes commitments they own."""

from __future__ import annotations

from typing import Any

from leadership_os.access import Perm
from leadership_os.models import Person
from workstreams.models import Commitment, Workstream


def person_of(user: Any) -> Person | None:
    """The person behind a login, looked up once per request user."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_workstreams_person"):
        user._workstreams_person = Person.objects.filter(user=user).first()
    return user._workstreams_person  # type: ignore[no-any-return]


def can_edit_map(user: Any) -> bool:
    return bool(user.has_perm(Perm.EDIT_ALL))


def can_post_on(user: Any, workstream: Workstream) -> bool:
    """Post a status update or add a commitment: the chief of staff, or a contributor who owns it."""
    if user.has_perm(Perm.EDIT_ALL):
        return True
    if not user.has_perm(Perm.POST_OWN_UPDATES) or workstream.owner_id is None:
        return False
    person = person_of(user)
    return person is not None and person.pk == workstream.owner_id


def can_close(user: Any, commitment: Commitment) -> bool:
    """Mark done, reopen or re-commit: the chief of staff, the commitment's owner, or the owner of
    its workstream."""
    if user.has_perm(Perm.EDIT_ALL):
        return True
    if not user.has_perm(Perm.POST_OWN_UPDATES):
        return False
    person = person_of(user)
    if person is None:
        return False
    if commitment.owner_id == person.pk:
        return True
    workstream = commitment.workstream
    return workstream is not None and workstream.owner_id == person.pk
