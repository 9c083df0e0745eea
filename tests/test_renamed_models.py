"""The models of a quote as one article printed it and of a quote family are named Version
and Family; a database and the links made while they were called Occurrence and Quote keep working."""

import pytest
from django.contrib.auth.models import Group, Permission, User

pytestmark = pytest.mark.django_db


def test_the_admins_former_addresses_of_versions_lead_to_their_pages(client):
    response = client.get("/admin/quotes/occurrence/12/change/?_changelist_filters=kind")
    assert response.status_code == 301
    assert response["Location"] == "/admin/quotes/version/12/change/?_changelist_filters=kind"
    listing = client.get("/admin/quotes/occurrence/")
    assert (listing.status_code, listing["Location"]) == (301, "/admin/quotes/version/")


@pytest.mark.django_db(transaction=True)
def test_an_editors_group_that_could_change_occurrences_can_change_versions(migration_step):
    # The database as it was before the rename: its editors hold change_occurrence.
    step = migration_step("0026_split_statement_text", "0027_occurrence_is_version")
    granted = Permission.objects.get(content_type__app_label="quotes", codename="change_occurrence")
    editors = Group.objects.create(name="editors")
    editors.permissions.add(granted)
    editor = User.objects.create_user("editor", password="a-long-editor-password")
    editor.groups.add(editors)
    step.forward()
    editor = User.objects.get(pk=editor.pk)  # permissions are cached on the instance
    assert editor.has_perm("quotes.change_version")
    assert not Permission.objects.filter(codename__endswith="_occurrence").exists()


def test_the_admins_former_addresses_of_families_lead_to_their_pages(client):
    response = client.get("/admin/quotes/quote/7/change/")
    assert (response.status_code, response["Location"]) == (301, "/admin/quotes/family/7/change/")


@pytest.mark.django_db(transaction=True)
def test_an_editors_group_that_could_change_quotes_can_change_families(migration_step):
    # The database as it was before the rename: its editors hold change_quote.
    step = migration_step("0027_occurrence_is_version", "0028_quote_is_family")
    granted = Permission.objects.get(content_type__app_label="quotes", codename="change_quote")
    editors = Group.objects.create(name="editors")
    editors.permissions.add(granted)
    editor = User.objects.create_user("editor", password="a-long-editor-password")
    editor.groups.add(editors)
    step.forward()
    editor = User.objects.get(pk=editor.pk)  # permissions are cached on the instance
    assert editor.has_perm("quotes.change_family")
    assert not Permission.objects.filter(codename__in=["change_quote", "change_quotekey"]).exists()
