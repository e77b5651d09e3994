from django.urls import path

from decisions import views

app_name = "decisions"

urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("new/", views.decision_create, name="decision_create"),
    path("timeline/", views.decision_timeline, name="decision_timeline"),
    path("export.zip", views.decision_export_all, name="decision_export_all"),
    path("rows/<str:kind>/", views.decision_form_row, name="decision_form_row"),
    path("<str:key>/", views.decision_detail, name="decision_detail"),
    path("<str:key>/edit/", views.decision_edit, name="decision_edit"),
    path("<str:key>/history/", views.decision_history, name="decision_history"),
    path("<str:key>/export.md", views.decision_export, name="decision_export"),
    path("<str:key>/open/", views.decision_open, name="decision_open"),
    path("<str:key>/outcome/", views.decision_record_outcome, name="decision_record_outcome"),
    path("<str:key>/supersede/", views.decision_supersede, name="decision_supersede"),
    path("<str:key>/withdraw/", views.decision_withdraw, name="decision_withdraw"),
    path("<str:key>/reopen/", views.decision_reopen, name="decision_reopen"),
    path(
        "<str:key>/conditions/<int:condition_id>/review/",
        views.decision_review_condition,
        name="decision_review_condition",
    ),
]
