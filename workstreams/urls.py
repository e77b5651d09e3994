from django.urls import path

from workstreams import views

app_name = "workstreams"

# Fixed addresses come before `<key>/`, which would otherwise take them for a workstream's key.
urlpatterns = [
    path("", views.workstream_list, name="workstream_list"),
    path("export.csv", views.workstream_export, name="workstream_export"),
    path("new/", views.workstream_new, name="workstream_new"),
    path("commitments/", views.commitment_list, name="commitment_list"),
    path("commitments/<str:key>/row/", views.commitment_row, name="commitment_row"),
    path("commitments/<str:key>/done/", views.commitment_complete, name="commitment_complete"),
    path("commitments/<str:key>/reopen/", views.commitment_reopen, name="commitment_reopen"),
    path("commitments/<str:key>/recommit/", views.commitment_recommit, name="commitment_recommit"),
    path("<str:key>/", views.workstream_detail, name="workstream_detail"),
    path("<str:key>/row/", views.workstream_row, name="workstream_row"),
    path("<str:key>/edit/", views.workstream_edit_all, name="workstream_edit_all"),
    path("<str:key>/archive/", views.workstream_archive, name="workstream_archive"),
    path("<str:key>/restore/", views.workstream_restore, name="workstream_restore"),
    path("<str:key>/edit/<str:field>/", views.workstream_edit, name="workstream_edit"),
    path("<str:key>/updates/", views.status_update_create, name="status_update_create"),
    path("<str:key>/commitments/", views.commitment_create, name="commitment_create"),
]
