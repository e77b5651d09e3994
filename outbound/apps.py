from django.apps import AppConfig


class OutboundConfig(AppConfig):
    """Outbound: what the product pushes to people (the morning digest, follow-through nudges, the
    weekly note, the decision feed), sent exactly once by the background worker."""

    name = "outbound"
    verbose_name = "Outbound mail and feeds"
