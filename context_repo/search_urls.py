"""The one search, at the top level: `/search/` (name `search`) and `/search/settled/` (`search_settled`)."""

from django.urls import path

from context_repo import views

urlpatterns = [
    path("", views.search_page, name="search"),
    path("settled/", views.search_settled, name="search_settled"),
]
