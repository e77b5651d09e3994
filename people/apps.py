"""The org's directory in the browser: people and each person's page, logins and roles, product
surfaces and tags; a feature app, because a person's page reads every artifact they appear in."""

from django.apps import AppConfig


class PeopleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "people"
    verbose_name = "Directory"
