"""500 logins in a row land on the home page.

The bounce of issue #11 (the POST answered 303, then GET / found no session and sent the person back to the
login page) came from a session row committed after the redirect had been sent. Over a real socket the
browser's next request can overtake such a late commit; an in-process test client cannot see that, because it
waits for the whole request to finish. So this test talks HTTP to a running server, and each follow-up request
comes on a new connection, as a browser's may.
"""

from __future__ import annotations

from pathlib import Path

from tests.web.server import PASSWORD, running_site


def test_500_logins_in_a_row_land_on_the_home_page(tmp_path: Path) -> None:
    bounced = []
    # "Connection: close": every request, the home page after the redirect included, opens a new connection.
    with running_site(tmp_path, run_jobs=False) as site, site.client(headers={"Connection": "close"}) as c:
        for i in range(500):
            c.cookies.clear()
            csrf = c.get("/login").cookies["cm_csrf"]
            done = c.post("/login", data={"login": "sme1", "password": PASSWORD, "csrf": csrf})
            assert done.status_code == 303 and done.headers["location"] == "/", done.text
            home = c.get("/")
            if home.status_code != 200 or "工作台" not in home.text:
                bounced.append((i, home.status_code, home.headers.get("location")))
    assert bounced == []
