from django.urls import path

from radar import views

# Names without a namespace: the dashboard and the radar were the first pages, and every template and
# bookmark uses these.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("radar/", views.radar, name="radar"),
    path("radar/snooze/", views.radar_snooze, name="radar_snooze"),
    path("radar/snooze/<int:snooze_id>/cancel/", views.radar_unsnooze, name="radar_unsnooze"),
    path("queue/", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
]
