from django.urls import path

from outbound import views

app_name = "outbound"

urlpatterns = [
    path("preferences/", views.preferences, name="preferences"),
    path("feeds/regenerate/", views.feed_regenerate, name="feed_regenerate"),
    path("feeds/decisions/<str:token>.atom", views.decision_feed, name="decision_feed"),
    path("act/<str:value>/", views.act, name="act"),
    path("unsubscribe/<str:value>/", views.unsubscribe, name="unsubscribe"),
    path("sent/", views.sent_list, name="sent_list"),
    path("sent/<int:pk>/", views.sent_detail, name="sent_detail"),
    path("sent/<int:pk>/html/", views.sent_html, name="sent_html"),
    path("sent/<int:pk>/retry/", views.sent_retry, name="sent_retry"),
]
