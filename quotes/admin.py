from django.contrib import admin, messages
from django.db.models import Count

from . import corrections
from .models import (
    Article,
    Correction,
    Family,
    Outlet,
    PrimarySource,
    Speaker,
    SpeakerAlias,
    SpeakerRole,
    Version,
)
from .signin import ThrottledAdminAuthenticationForm

# The admin's sign-in counts failures with the site's (quotes.signin).
admin.site.login_form = ThrottledAdminAuthenticationForm


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain"]
    search_fields = ["name", "domain"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "status", "language"]
    list_filter = ["status", "outlet"]
    search_fields = ["title"]
    readonly_fields = ["content_hash", "attempts", "created_at", "updated_at", "extracted_at"]


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0


class SpeakerRoleInline(admin.TabularInline):
    model = SpeakerRole
    extra = 0


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "version_count"]
    search_fields = ["name", "aliases__name"]
    inlines = [SpeakerAliasInline, SpeakerRoleInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("versions"))

    @admin.display(ordering="n", description="Occurrences")
    def version_count(self, speaker):
        return speaker.n

    @admin.action(description="Merge the selected speakers into one (the most quoted)")
    def merge(self, request, queryset):
        speakers = sorted(queryset, key=lambda s: -s.n)
        if len(speakers) < 2:
            self.message_user(request, "Select at least two speakers to merge.", messages.WARNING)
            return
        corrections.merge_speakers(speakers[0], speakers[1:])
        self.message_user(request, f"Merged {len(speakers) - 1} speakers into {speakers[0].name}.")


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    """A family is read here, not edited: its text, fingerprint, normalized text, speaker and
    first date come from its versions and are kept with the index keys matching reads
    (store.py). Editors correct a version's speaker or family (below): that is recorded and
    the family follows."""

    list_display = ["__str__", "speaker", "first_seen"]
    search_fields = ["text"]
    readonly_fields = ["text", "speaker", "speaker_description", "fingerprint", "first_seen"]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Editors correct a version's speaker or family here; the change is
    recorded as a Correction and survives re-extraction."""

    list_display = ["__str__", "speaker", "kind", "relation", "article"]
    list_filter = ["kind", "relation"]
    search_fields = ["text", "speaker__name"]
    raw_id_fields = ["article", "family", "speaker"]
    fields = [
        "article",
        "text",
        "kind",
        "cue",
        "speaker_mention",
        "speaker",
        "family",
        "relation",
        "confidence",
    ]
    readonly_fields = ["article", "text", "kind", "cue", "speaker_mention", "relation", "confidence"]
    actions = ["not_a_quote"]

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        stored = Version.objects.get(pk=obj.pk)
        if "speaker" in form.changed_data and obj.speaker:
            corrections.correct_speaker(stored, obj.speaker, request.user)
        if "family" in form.changed_data:
            corrections.correct_family(stored, obj.family, request.user)

    @admin.action(description="Not a quote: remove and never report it again")
    def not_a_quote(self, request, queryset):
        for version in queryset.select_related("article", "family"):
            corrections.mark_not_a_quote(version, request.user)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "action", "speaker", "family", "created_by", "created_at"]
    list_filter = ["action"]
    raw_id_fields = ["article", "speaker", "family"]


@admin.register(PrimarySource)
class PrimarySourceAdmin(admin.ModelAdmin):
    """The record of primary sources attached, replaced and removed. Read only: they are
    attached on the quote page, which compares the family's versions with them again."""

    list_display = ["family", "kind", "date", "attached_by", "attached_at", "retired_at"]
    list_filter = ["kind"]
    list_select_related = ["family", "attached_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
