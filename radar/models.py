"""What the radar keeps of its own: snoozes. The engine's results are computed, never stored."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Snooze(models.Model):
    """A radar item hidden from the dashboard until a date, with why. The engine never knows about it.

    The item comes back when `until` passes, or when its facts change: `fingerprint` is taken from
    the item's severity and facts (less the day counts that grow by themselves every day).
    """

    rule = models.CharField(max_length=40)
    subject_type = models.CharField(max_length=20)
    subject_key = models.CharField(max_length=120)
    fingerprint = models.CharField(max_length=64)
    until = models.DateField()
    note = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(table_name="leadership_os_historicalsnooze")

    class Meta:
        db_table = "leadership_os_snooze"  # created by the kernel before the radar was an app of its own
        ordering = ["until", "id"]
        indexes = [models.Index(fields=["until"])]

    def __str__(self) -> str:
        return f"{self.rule} {self.subject_key} until {self.until}"
