from django.contrib import admin
from django.urls import include, path

from quotes.permissions import EditorLoginView, StrictPasswordResetView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", EditorLoginView.as_view(), name="login"),
    path("accounts/password_reset/", StrictPasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("quotes.urls")),
]
