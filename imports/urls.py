from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_start, name="import_start"),
    path("upload/", views.import_upload, name="import_upload"),
    path("<int:batch_id>/", views.import_preview, name="import_preview"),
    path("<int:batch_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("records/<int:record_id>/", views.record_original, name="record_original"),
    path(
        "records/<int:record_id>/original.md", views.record_original_download, name="record_original_download"
    ),
]
