from django.contrib import admin

from .models import Article, Occurrence, Outlet, Quote, Speaker, SpeakerAlias


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "status"]
    list_filter = ["status", "outlet"]
    search_fields = ["title"]
    readonly_fields = ["content_hash", "created_at", "updated_at", "extracted_at"]


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "type"]
    search_fields = ["name", "aliases__name"]
    inlines = [SpeakerAliasInline]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "first_seen"]
    search_fields = ["text"]
    raw_id_fields = ["speaker"]


@admin.register(Occurrence)
class OccurrenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "speaker", "kind", "relation", "article"]
    list_filter = ["kind", "relation"]
    raw_id_fields = ["article", "quote", "speaker"]
