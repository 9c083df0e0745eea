from django.urls import path

from . import api, feeds, health, views

app_name = "quotes"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/new/", views.article_new, name="article-new"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("articles/<int:pk>/extract/", views.article_rerun, name="article-rerun"),
    path("quotes/<int:pk>/", views.quote_detail, name="quote-detail"),
    path("quotes/<int:pk>/source/", views.primary_source_detail, name="primary-source"),
    path("quotes/<int:pk>/source/attach/", views.primary_source_attach, name="primary-source-attach"),
    path("quotes/<int:pk>/source/remove/", views.primary_source_remove, name="primary-source-remove"),
    path("occurrences/<int:pk>/correct/", views.occurrence_correct, name="occurrence-correct"),
    path("corrections/", views.correction_list, name="correction-list"),
    path("healthz", health.healthz, name="healthz"),
    path("search/", views.search, name="search"),
    path("check/", views.check, name="check"),
    path("search/speakers/", views.speaker_suggestions, name="speaker-suggestions"),
    path("speakers/", views.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker-detail"),
    path("speakers/<slug:slug>/feed/", feeds.SpeakerFeed(), name="speaker-feed"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<int:pk>/pause/", views.source_pause, name="source-pause"),
    path("outlets/", views.outlet_list, name="outlet-list"),
    path("outlets/<slug:slug>/", views.outlet_detail, name="outlet-detail"),
    path("outlets/<slug:slug>/feed/", feeds.OutletFeed(), name="outlet-feed"),
    path("api/quotes/", api.quote_list, name="api-quotes"),
    path("api/articles/<int:pk>/", api.article_detail, name="api-article"),
    path("api/check/", api.check, name="api-check"),
]
