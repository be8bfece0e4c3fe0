"""The language switcher works from every language's pages and remembers a signed-in person's choice."""

from http import HTTPStatus

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("page", "language", "target"),
    [
        ("/", "de", "/de/"),
        ("/fr/", "de", "/de/"),
        ("/fr/accounts/login/?next=/fr/extranet/", "en", "/accounts/login/?next=/fr/extranet/"),
        ("/de/apply/", "fr", "/fr/apply/"),
    ],
)
def test_switching_language_keeps_the_page(client, page, language, target):
    response = client.post(reverse("set_language"), {"language": language, "next": page})

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == target


def test_signed_in_persons_choice_is_their_preference(client, make_user):
    person = make_user(language="fr")
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "de", "next": "/fr/extranet/"})

    person.refresh_from_db()
    assert person.language == "de"


@pytest.mark.django_db
def test_foreign_next_urls_are_not_followed(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "https://evil.example/"})

    assert not response["Location"].startswith("https://evil.example")
