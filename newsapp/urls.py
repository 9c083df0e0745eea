from django.contrib import admin
from django.urls import include, path
from django.views.generic.base import RedirectView

from quotes.permissions import EditorLoginView, StrictPasswordResetView


def _formerly(former: str, name: str) -> list:
    """The admin's pages of a model at the address they had under its former name, leading to its own."""
    return [
        path(
            f"admin/quotes/{former}/<path:rest>",
            RedirectView.as_view(url=f"/admin/quotes/{name}/%(rest)s", permanent=True, query_string=True),
        ),
        path(
            f"admin/quotes/{former}/",
            RedirectView.as_view(url=f"/admin/quotes/{name}/", permanent=True, query_string=True),
        ),
    ]


urlpatterns = [
    # The models of versions and families were called Occurrence and Quote.
    *_formerly("occurrence", "version"),
    *_formerly("quote", "family"),
    path("admin/", admin.site.urls),
    path("accounts/login/", EditorLoginView.as_view(), name="login"),
    path("accounts/password_reset/", StrictPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("quotes.urls")),
]
