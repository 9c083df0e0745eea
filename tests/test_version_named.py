"""The model of a quote as one article printed it is named Version; a database
and the links made while it was called Occurrence keep working."""

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
