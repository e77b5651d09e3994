"""The product's addresses (DESIGN.md): the shell's own, then each app's."""

from django.contrib import admin
from django.urls import include, path

from leadership_os import views

urlpatterns = [
    path("", include("radar.urls")),
    path("", include("orgfiles.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("admin/", admin.site.urls),
    path("decisions/", include("decisions.urls")),
    path("workstreams/", include("workstreams.urls")),
    path("briefs/", include("briefs.urls")),
    path("rhythms/", include("rhythms.urls")),
    path("context/", include("context_repo.urls")),
    path("search/", include("context_repo.search_urls")),
    path("outbound/", include("outbound.urls")),
    path("", include("people.urls")),
    path("intake/", include("intake.urls")),
    path("imports/", include("imports.urls")),
]

handler403 = "leadership_os.views.permission_denied"
handler404 = "leadership_os.views.page_not_found"
