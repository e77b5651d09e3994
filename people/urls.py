from django.urls import path

from people import views

app_name = "people"

# Fixed addresses come before `<key>/`, which would otherwise take them for a person's key.
urlpatterns = [
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/quick-add/", views.person_quick_add, name="person_quick_add"),
    path("people/<slug:key>/", views.person_detail, name="person_detail"),
    path("people/<slug:key>/edit/", views.person_edit, name="person_edit"),
    path("people/<slug:key>/left/", views.person_left, name="person_left"),
    path("people/<slug:key>/back/", views.person_back, name="person_back"),
    path("people/<slug:key>/login/", views.login_manage, name="login_manage"),
    path("surfaces/", views.surface_list, name="surface_list"),
    path("surfaces/<slug:key>/", views.surface_edit, name="surface_edit"),
    path("surfaces/<slug:key>/retire/", views.surface_retire, name="surface_retire"),
    path("surfaces/<slug:key>/restore/", views.surface_restore, name="surface_restore"),
    path("tags/", views.tag_list, name="tag_list"),
    path("tags/<slug:name>/", views.tag_edit, name="tag_edit"),
    path("tags/<slug:name>/merge/", views.tag_merge, name="tag_merge"),
    path("accounts/set-password/<str:token>/", views.set_password, name="set_password"),
]
