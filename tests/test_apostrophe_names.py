"""A name written with a typographic apostrophe ("D’Souza") and one written with "'"
("D'Souza") are one name: one speaker across outlets, and the records stored before
the two met are folded again by a migration."""

from datetime import date

import pytest

from quotes.models import Speaker, normalize_name
from tests.factories import import_article

pytestmark = pytest.mark.django_db


def test_both_apostrophes_fold_to_one_name():
    assert normalize_name("Dinesh D’Souza") == normalize_name("Dinesh D'Souza") == "dinesh d'souza"
    assert normalize_name("Beto O\u02bcRourke") == "beto o'rourke"


def test_two_outlets_spelling_the_apostrophe_apart_quote_one_speaker():
    import_article(
        "Dinesh D’Souza spoke in Dallas on Monday. “The film is about power,” D’Souza said.",
        "Dallas Ledger",
        date(2016, 7, 1),
    )
    import_article(
        "Dinesh D'Souza spoke in Dallas on Monday. \"We will release it in July,\" D'Souza said.",
        "Texas Wire",
        date(2016, 7, 2),
    )
    speakers = [s for s in Speaker.objects.all() if "souza" in normalize_name(s.name)]
    assert len(speakers) == 1
    assert speakers[0].versions.count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_folds_stored_aliases_and_roles_again(migration_step):
    step = migration_step("0032_quotekey_indexes_with_speaker", "0033_names_with_typographic_apostrophes")
    models = {
        name: step.apps.get_model("quotes", name) for name in ("Speaker", "SpeakerAlias", "SpeakerRole")
    }
    speaker = models["Speaker"].objects.create(name="Dinesh D'Souza", slug="dinesh-dsouza")
    alias = models["SpeakerAlias"].objects.create(speaker=speaker, name="D’Souza", normalized="dsouza")
    models["SpeakerAlias"].objects.create(speaker=speaker, name="D'Souza", normalized="d'souza")
    curly = models["SpeakerRole"].objects.create(
        speaker=speaker, title="America’s critic", normalized="americas critic", first_seen=date(2016, 1, 1)
    )
    step.forward()
    aliases = models["SpeakerAlias"].objects.filter(speaker=speaker)
    assert list(aliases.values_list("normalized", flat=True)) == ["d'souza"]  # the two were one
    assert not aliases.filter(pk=alias.pk).exists()
    assert models["SpeakerRole"].objects.get(pk=curly.pk).normalized == "america's critic"
