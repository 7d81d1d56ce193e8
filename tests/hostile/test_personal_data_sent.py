"""Only what the API uses for a contact goes to the provider (issue 11, §5): names and
time zone, other columns only when the operator shares them, and the confirmation says
what is shared. The requests are read as the (hostile) server received them."""

from __future__ import annotations

import json

from hostile_server import Answer, bulk_answer

from trackly_desktop import cli

KEY = "trk_live_hostile_0123456789abcdef"
LIST = "+18005551000"


def honest(request):
    if not request.json().get("messages"):
        return Answer.json({"success": False, "code": "missing_messages"}, status=400)
    return bulk_answer(request)


def patients(path):
    path.write_text(
        "Phone,First name,SSN,Medical notes,Order\n"
        "+14155550101,Ada,078-05-1120,allergic to penicillin,A-1\n"
        "+14155550102,Bob,219-09-9999,diabetic,A-2\n"
    )
    return path


def send(source, server, *more):
    return ["send", str(source), "--list-number", LIST, "--template", "Hi {{First name}}!",
            "--base-url", server.base_url, "--quiet", "--yes", *more]  # fmt: skip


def sent_messages(server) -> list[dict]:
    return [m for r in server.requests for m in r.json().get("messages", [])]


def test_other_columns_stay_on_this_computer(tmp_path, hostile, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", KEY)
    hostile.behaviour = honest
    assert cli.main(send(patients(tmp_path / "patients.csv"), hostile)) == 0
    out = capsys.readouterr().out
    assert ("Trackly receives for each person: the phone number, the message, first name, "
            "and no other column.") in out  # fmt: skip
    messages = sent_messages(hostile)
    assert [m["contact_data"] for m in messages] == [{"first_name": "Ada"}, {"first_name": "Bob"}]
    raw = b"".join(r.body for r in hostile.requests)
    assert b"078-05-1120" not in raw and b"penicillin" not in raw


def test_a_shared_column_goes_along_and_the_confirmation_says_so(
    tmp_path, hostile, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", KEY)
    hostile.behaviour = honest
    source = patients(tmp_path / "patients.csv")
    assert cli.main(send(source, hostile, "--share-column", "Order")) == 0
    out = capsys.readouterr().out
    assert "first name, and the columns “Order”." in out
    contact = sent_messages(hostile)[0]["contact_data"]
    assert contact == {"first_name": "Ada", "custom_fields": {"Order": "A-1"}}
    assert "SSN" not in json.dumps(sent_messages(hostile))


def test_sharing_a_column_the_file_does_not_have_is_one_sentence(
    tmp_path, hostile, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", KEY)
    hostile.behaviour = honest
    source = patients(tmp_path / "patients.csv")
    assert cli.main(send(source, hostile, "--share-column", "Notes")) == 2
    assert "There is no column “Notes” to share" in capsys.readouterr().err
