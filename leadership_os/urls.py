from django.contrib import admin
from django.urls import include, path

from leadership_os import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("radar/", views.radar, name="radar"),
    path("radar/snooze/", views.radar_snooze, name="radar_snooze"),
    path("radar/snooze/<int:snooze_id>/cancel/", views.radar_unsnooze, name="radar_unsnooze"),
    path("queue/", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("sample/load/", views.load_sample, name="load_sample"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("admin/", admin.site.urls),
    path("decisions/", include("decisions.urls")),
    path("workstreams/", include("workstreams.urls")),
    path("briefs/", include("briefs.urls")),
    path("rhythms/", include("rhythms.urls")),
    path("context/", include("context_repo.urls")),
    path("search/", include("context_repo.search_urls")),
    path("imports/", include("imports.urls")),
]

handler403 = "leadership_os.views.permission_denied"
handler404 = "leadership_os.views.page_not_found"
