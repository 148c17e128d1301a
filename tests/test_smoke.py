import pytest
from wagtail.models import Page


@pytest.mark.django_db
def test_every_public_page_of_the_seed_answers_200(client, seeded):
    pages = Page.objects.live().public().filter(depth__gt=1).specific()
    urls = [page.url for page in pages]
    assert (
        len(urls) == 1 + 1 + 8 + 1 + 5 + 1
    )  # home, index, measures (2020's six and 第2.3版's two), index, cases, interview
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="ja"' in response.content.decode(), url


@pytest.mark.django_db
def test_an_unknown_address_gets_a_japanese_404(client, seeded):
    response = client.get("/cases/no-such-case/")
    assert response.status_code == 404
    assert "見つかりません" in response.content.decode()


@pytest.mark.django_db
def test_a_page_number_that_is_not_a_number_still_lists_the_cases(client, seeded):
    response = client.get("/cases/?page=abc")
    assert response.status_code == 200
    assert "名古屋市のセキュリティ対策事例" in response.content.decode()
