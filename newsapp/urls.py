from django.contrib import admin
from django.urls import include, path
from django.views.generic.base import RedirectView

from quotes.permissions import EditorLoginView, StrictPasswordResetView

# The admin's pages of versions are at their model's name; the addresses they had
# while the model was called Occurrence lead there.
_FORMER_VERSIONS_ADMIN = RedirectView.as_view(
    url="/admin/quotes/version/%(rest)s", permanent=True, query_string=True
)

urlpatterns = [
    path("admin/quotes/occurrence/<path:rest>", _FORMER_VERSIONS_ADMIN),
    path("admin/quotes/occurrence/", _FORMER_VERSIONS_ADMIN, {"rest": ""}),
    path("admin/", admin.site.urls),
    path("accounts/login/", EditorLoginView.as_view(), name="login"),
    path("accounts/password_reset/", StrictPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("quotes.urls")),
]
