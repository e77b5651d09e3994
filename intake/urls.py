from django.urls import path

from intake import views

app_name = "intake"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.source_review, name="source_review"),
    path("<int:pk>/date/", views.source_date, name="source_date"),
    path("<int:pk>/extract/", views.source_extract, name="source_extract"),
    path("<int:pk>/accept/<slug:kind>/", views.source_accept_kind, name="source_accept_kind"),
    path("proposals/<int:pk>/", views.proposal_card, name="proposal_card"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/accept/", views.proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/drop/", views.proposal_drop, name="proposal_drop"),
    path("proposals/<int:pk>/merge/", views.proposal_merge, name="proposal_merge"),
    path("records/<str:key>/", views.record_provenance, name="record_provenance"),
]
