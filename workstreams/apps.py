from django.apps import AppConfig


class WorkstreamsConfig(AppConfig):
    """The workstream status map and follow-through: owners, states, blockers, escalations, updates and commitments."""

    name = "workstreams"
    verbose_name = "Workstreams and follow-through"
