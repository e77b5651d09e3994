from django.urls import path

from orgfiles import views

urlpatterns = [
    path("sample/load/", views.load_sample, name="load_sample"),
]
