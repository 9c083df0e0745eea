from django.urls import path

from . import api, health, syndication, views

app_name = "quotes"

urlpatterns = [
    path("", views.home.home, name="home"),
    path("articles/", views.articles.article_list, name="article-list"),
    path("articles/new/", views.articles.article_new, name="article-new"),
    path("articles/added/", views.articles.article_upload_results, name="article-upload-results"),
    path("articles/<int:pk>/", views.articles.article_detail, name="article-detail"),
    path("articles/<int:pk>/extract/", views.articles.article_rerun, name="article-rerun"),
    path("quotes/<int:pk>/", views.families.family_detail, name="quote-detail"),
    path("quotes/<int:pk>/source/", views.primary_sources.primary_source_detail, name="primary-source"),
    path(
        "quotes/<int:pk>/source/attach/",
        views.primary_sources.primary_source_attach,
        name="primary-source-attach",
    ),
    path(
        "quotes/<int:pk>/source/remove/",
        views.primary_sources.primary_source_remove,
        name="primary-source-remove",
    ),
    path("occurrences/<int:pk>/correct/", views.corrections.version_correct, name="occurrence-correct"),
    path("occurrences/<int:pk>/families/", views.corrections.family_options, name="occurrence-families"),
    path("corrections/", views.corrections.correction_list, name="correction-list"),
    path("healthz", health.healthz, name="healthz"),
    path("search/", views.search.search, name="search"),
    path("check/", views.check.check, name="check"),
    path("search/speakers/", views.speakers.speaker_suggestions, name="speaker-suggestions"),
    path("speakers/", views.speakers.speaker_list, name="speaker-list"),
    path("speakers/<slug:slug>/", views.speakers.speaker_detail, name="speaker-detail"),
    path("speakers/<slug:slug>/feed/", syndication.SpeakerFeed(), name="speaker-feed"),
    path("speakers/<slug:slug>/remove/", views.speakers.speaker_remove, name="speaker-remove"),
    path("speakers/<slug:slug>/merge/", views.speakers.speaker_merge, name="speaker-merge"),
    path("sources/", views.sources.source_list, name="source-list"),
    path("sources/<int:pk>/pause/", views.sources.source_pause, name="source-pause"),
    path("sources/<int:pk>/poll/", views.sources.source_poll, name="source-poll"),
    path("outlets/", views.outlets.outlet_list, name="outlet-list"),
    path("outlets/<slug:slug>/", views.outlets.outlet_detail, name="outlet-detail"),
    path("outlets/<slug:slug>/feed/", syndication.OutletFeed(), name="outlet-feed"),
    path("api/quotes/", api.family_list, name="api-quotes"),
    path("api/articles/<int:pk>/", api.article_detail, name="api-article"),
    path("api/check/", api.check, name="api-check"),
]
