from django.urls import path

from briefs import views

app_name = "briefs"

urlpatterns = [
    path("", views.engagement_list, name="engagement_list"),
    path("new/", views.engagement_new, name="engagement_new"),
    path("<int:pk>/", views.brief_detail, name="brief_detail"),
    path("<int:pk>/edit/", views.engagement_edit, name="engagement_edit"),
    path("<int:pk>/reschedule/", views.engagement_reschedule, name="engagement_reschedule"),
    path("<int:pk>/cancel/", views.engagement_cancel, name="engagement_cancel"),
    path("<int:pk>/reinstate/", views.engagement_reinstate, name="engagement_reinstate"),
    path("<int:pk>/print/", views.brief_print, name="brief_print"),
    path("<int:pk>/export.md", views.brief_export, name="brief_export"),
    path("<int:pk>/edit/<str:section>/", views.brief_edit, name="brief_edit"),
    path("<int:pk>/attendees/", views.attendees_edit, name="attendees_edit"),
    path("<int:pk>/positions/", views.position_add, name="position_add"),
    path("<int:pk>/positions/<int:position_pk>/edit/", views.position_edit, name="position_edit"),
    path("<int:pk>/outcome/", views.engagement_outcome, name="engagement_outcome"),
]
