"""One demo login per role, for trying the product locally (never with DEBUG off)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from leadership_os.access import Role, ensure_roles

DEMO_PASSWORD = "leadership-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    first_name: str
    last_name: str
    is_staff: bool = False


DEMO_USERS = [
    DemoUser("vp", Role.PRINCIPAL, "Maya", "Okafor"),
    DemoUser("cos", Role.CHIEF_OF_STAFF, "Daniel", "Reyes"),
    DemoUser("pm", Role.CONTRIBUTOR, "Priya", "Natarajan"),
    DemoUser("viewer", Role.VIEWER, "Sam", "Lindqvist"),
    DemoUser("admin", Role.STAFF, "Alex", "Morgan", is_staff=True),
]


def ensure_demo_users() -> list[DemoUser]:
    """Create (or reset) the demo logins; refuses when DEBUG is off."""
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo users are for local use only; they are refused when DEBUG is off.")
    ensure_roles()
    user_model = get_user_model()
    for demo in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=demo.username)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.is_staff = demo.is_staff
        # Outbound mail needs an address; in development it lands in the mail/ folder, never outside.
        user.email = user.email or f"{demo.username}@leadership-os.invalid"
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=demo.role.value)])
    return DEMO_USERS
