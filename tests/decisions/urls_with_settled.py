"""The project's URLs plus a stand-in for the `search_settled` endpoint another issue provides."""

from django.http import HttpResponse
from django.urls import path

from leadership_os.urls import urlpatterns as project

urlpatterns = [*project, path("settled/", lambda request: HttpResponse(""), name="search_settled")]
