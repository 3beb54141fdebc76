"""The meetings pages: the seed's February 2021 call as anyone may read it, with its next steps to follow."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from resolutions.frameworks import MEETING_SLUG
from resolutions.models import AgendaItem, AgendaPoint, Attendance, Meeting, NextStep

pytestmark = pytest.mark.django_db
DETAIL = f"/meetings/{MEETING_SLUG}/"


def test_the_seed_meeting_is_listed_with_who_came_and_its_open_next_steps(call_to_action, anonymous_client):
    html = anonymous_client.get("/meetings/").content.decode()
    assert "Thematic Leadership Monthly Call" in html and "11 February 2021" in html
    assert f'href="{DETAIL}"' in html


def test_a_meeting_page_shows_attendees_guests_apologies_agenda_suggestions_and_next_steps(
    call_to_action, anonymous_client
):
    meeting = Meeting.objects.get(slug=MEETING_SLUG)
    step = meeting.next_steps.get(order=1)
    NextStep.objects.filter(pk=step.pk).update(status="in_progress", due_on=datetime.date(2021, 3, 31))
    html = anonymous_client.get(DETAIL).content.decode()
    attendees = html[html.index('id="attendees"') : html.index('id="guests"')]
    assert "Carolina Cornejo, Government of Argentina" in attendees
    for role, anchor in ((Attendance.Role.GUEST, 'id="guests"'), (Attendance.Role.APOLOGY, 'id="apologies"')):
        someone = meeting.attendance.filter(role=role).first()
        if someone:
            section = html[html.index(anchor) :].split("</section>")[0]
            assert (someone.person or someone.government) in section
    assert "Consider adding digital inclusion as a focus within the work plan." in html
    assert "The SU will integrate feedback into the work ongoing digital work plan for 2021." in html
    steps = html[html.index('id="next-steps"') :]
    assert "Support Unit" in steps and "31 Mar 2021" in steps and "In progress" in steps


def test_next_steps_download_as_csv(call_to_action):
    response = Client().get(DETAIL + "?format=csv")
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content.decode().lstrip("\ufeff"))))
    assert rows[0] == ["next step", "agenda item", "owner", "due", "status", "notes"]
    assert len(rows) == 1 + NextStep.objects.filter(meeting__slug=MEETING_SLUG).count()
    assert Client().get("/meetings/?format=csv")["Content-Type"].startswith("text/csv")


def test_an_unknown_meeting_is_not_found(call_to_action):
    assert Client().get("/meetings/no-such-call/").status_code == 404


def queries(path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path).status_code == 200
    return len(captured)


def test_the_meeting_pages_query_counts_do_not_grow_with_the_meeting(call_to_action):
    list_before, detail_before = queries("/meetings/"), queries(DETAIL)
    meeting = Meeting.objects.get(slug=MEETING_SLUG)
    for n in range(5):
        Meeting.objects.create(slug=f"call-{n}", body="Subcommittee", title=f"Call {n}", held_on="2021-03-01")
        Attendance.objects.create(meeting=meeting, role="guest", person=f"Guest {n}", order=100 + n)
        item = AgendaItem.objects.create(meeting=meeting, number=f"X{n}", title=f"More {n}", order=100 + n)
        AgendaPoint.objects.create(agenda_item=item, text="A point.", order=1)
        NextStep.objects.create(meeting=meeting, text="Follow up.", owner="Support Unit", order=100 + n)
    # the meetings with their counts
    assert queries("/meetings/") == list_before == 1
    # the meeting with its resolution, attendance, agenda items, their points, next steps with agenda items
    assert queries(DETAIL) == detail_before == 5
