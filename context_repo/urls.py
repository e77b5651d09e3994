from django.urls import path  # noqa: F401

app_name = "context_repo"

urlpatterns: list = []
