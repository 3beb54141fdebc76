"""The admin is for Support Unit staff: everyone else is kept out of every page of it."""

import pytest
from django.apps import apps
from django.contrib import admin

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    "/admin/",
    "/admin/commitments/commitment/",
    "/admin/commitments/member/",
    "/admin/commitments/alignment/",
    "/admin/resolutions/resolution/",
    "/admin/resolutions/nextstep/",
]


def test_every_domain_model_has_an_admin():
    for app_label in ("resolutions", "commitments"):
        for model in apps.get_app_config(app_label).get_models():
            assert admin.site.is_registered(model), f"{model.__name__} has no admin"


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(anonymous_client, path):
    response = anonymous_client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("persona", ["visitor_client", "reviewer_client"])
def test_people_who_are_not_staff_cannot_open_the_admin(request, persona, path):
    response = request.getfixturevalue(persona).get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_support_unit_staff_can_open_the_admin(support_client, call_to_action, path):
    assert support_client.get(path).status_code == 200


def test_support_unit_staff_follow_up_next_steps_from_the_list(support_client, call_to_action):
    response = support_client.get("/admin/resolutions/nextstep/?status__exact=open")
    html = response.content.decode()
    assert "The SU will integrate feedback into the work ongoing digital work plan for 2021." in html
    assert 'name="form-0-status"' in html  # status is editable in the list


def test_staff_without_a_role_see_no_domain_data(client, call_to_action):
    from django.contrib.auth.models import User

    user = User.objects.create_user("stan.staff", password="a-long-staff-password", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/commitments/commitment/").status_code == 403
