from django.apps import AppConfig


class RhythmsConfig(AppConfig):
    name = "rhythms"
    verbose_name = "Operating rhythm"
