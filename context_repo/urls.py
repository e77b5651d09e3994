from django.urls import path, register_converter

from context_repo import views


class EntryKey:
    """A context entry's key in an address: CX-12 (any case)."""

    regex = "[Cc][Xx]-[0-9]+"

    def to_python(self, value: str) -> str:
        return value.upper()

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(EntryKey, "cxkey")

app_name = "context_repo"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("new/", views.entry_create, name="entry_create"),
    path("signals/", views.signals, name="signals"),
    path("start-here/", views.start_here, name="start_here"),
    path("start-here/edit/", views.start_here_edit, name="start_here_edit"),
    path("start-here/<int:number>/", views.start_here_step, name="start_here_step"),
    path("start-here/steps/<int:pk>/read/", views.step_read, name="step_read"),
    path("start-here/steps/<int:pk>/change/", views.step_change, name="step_change"),
    path("<cxkey:key>/", views.entry_detail, name="entry_detail"),
    path("<cxkey:key>/edit/", views.entry_edit, name="entry_edit"),
    path("<cxkey:key>/history/", views.entry_history, name="entry_history"),
]
