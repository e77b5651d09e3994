from django.urls import path, re_path

from rhythms import views

app_name = "rhythms"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("audit/", views.audit, name="audit"),
    path("new/", views.ritual_create, name="ritual_create"),
    path("<int:pk>/", views.ritual_detail, name="ritual_detail"),
    path("<int:pk>/edit/", views.ritual_edit, name="ritual_edit"),
    path("<int:pk>/retire/", views.ritual_retire, name="ritual_retire"),
    re_path(r"^(?P<key>[Rr]-\d+)/$", views.ritual_by_key, name="ritual_by_key"),
    path("occurrences/<int:pk>/record/", views.occurrence_record, name="occurrence_record"),
    path("feed/", views.feed_settings, name="feed_settings"),
    path("feed/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
