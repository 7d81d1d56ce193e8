"""`trackly send` and `trackly key` end to end: a real CSV, the real pipeline, the sandbox
over loopback, exit codes, the failures file, and the key in the (test) keyring."""

from __future__ import annotations

import csv
import io

import pytest

from trackly_desktop import cli
from trackly_desktop.core.journal.store import Journal
from trackly_desktop.sandbox.demo_data import (
    DEMO_API_KEY,
    DEMO_LIST_NUMBER,
    DEMO_VOIP_NUMBERS,
    REVOKED_API_KEY,
)
from trackly_desktop.sandbox.server import SandboxServer
from trackly_desktop.secrets import KeyStore


@pytest.fixture
def server():
    with SandboxServer(seed=5) as srv:
        yield srv


def write_contacts(path, count: int, extra: list[tuple[str, str]] = ()) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Mobile", "First name", "Order"])
        for i in range(count):
            writer.writerow([f"(415) {200 + i // 10000:03d}-{i % 10000:04d}", f"C{i}", f"#{i}"])
        for phone, name in extra:
            writer.writerow([phone, name, "#x"])


def send_args(path, server, *more: str) -> list[str]:
    return [
        "send",
        str(path),
        "--list-number",
        DEMO_LIST_NUMBER,
        "--template",
        "Hi {{First name}}, order {{Order}} is ready.",
        "--base-url",
        server.base_url,
        "--quiet",
        *more,
    ]


def test_send_all_ready_rows_exit_0(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 2500, extra=[("not a phone", "Bad")])
    assert cli.main(send_args(source, server, "--yes")) == 0
    out = capsys.readouterr().out
    assert "2,500 ready to send" in out and "1 rows left out" in out
    assert "This is not a phone number." in out and "Finished: 2,500 sent." in out
    assert len(server.ledger) == 2500
    # Batches run side by side, so the ledger's order is not the file's: find row 2.
    entry = next(e for e in server.ledger.entries() if e.metadata["row"] == 2)
    assert entry.body == "Hi C0, order #0 is ready." and entry.list_number == DEMO_LIST_NUMBER
    assert not (tmp_path / "contacts-failures.csv").exists()
    assert DEMO_API_KEY not in out


def test_failures_file_and_exit_1(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 20, extra=[(DEMO_VOIP_NUMBERS[0], "Voip Person")])
    assert cli.main(send_args(source, server, "--yes")) == 1
    failures = tmp_path / "contacts-failures.csv"
    assert "1 failed rows written to" in capsys.readouterr().out
    with failures.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "22" and rows[1][1] == "Voip Person"
    assert rows[1][2] == DEMO_VOIP_NUMBERS[0] and rows[1][4] == "not_sendable"  # plain number
    # --failures chooses the place and the format.
    target = tmp_path / "out" / "failed.xlsx"
    assert cli.main(["send", "--resume", "1", "--base-url", server.base_url, "--quiet",
                     "--failures", str(target)]) == 1  # fmt: skip
    assert target.exists()
    assert len(server.ledger) == 20


def test_unconfirmed_send_sends_nothing(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal: never a yes
    source = tmp_path / "contacts.csv"
    write_contacts(source, 5)
    assert cli.main(send_args(source, server)) == 2
    assert "--yes" in capsys.readouterr().err
    assert len(server.ledger) == 0
    with Journal() as journal:
        assert journal.campaigns() == []


def test_rejected_key_exit_2_then_resume_with_a_good_key(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", REVOKED_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 1200)
    assert cli.main(send_args(source, server, "--yes")) == 2
    captured = capsys.readouterr()
    # The key is checked before anything is recorded: no campaign to resume is left behind.
    assert "did not accept the API key" in captured.err
    assert "Nothing was recorded or sent" in captured.err
    assert REVOKED_API_KEY not in captured.out + captured.err
    assert len(server.ledger) == 0
    with Journal() as journal:
        assert journal.campaigns() == []
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    assert cli.main(send_args(source, server, "--yes")) == 0
    assert len(server.ledger) == 1200


def test_missing_key_and_bad_input_are_one_sentence(tmp_path, server, capsys):
    source = tmp_path / "contacts.csv"
    write_contacts(source, 3)
    assert cli.main(send_args(source, server, "--yes")) == 2
    assert "trackly key set" in capsys.readouterr().err
    KeyStore().set(DEMO_API_KEY)  # from the keyring this time
    assert cli.main(send_args(source, server, "--yes", "--map", "phone=Nope")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Nope" in err
    assert cli.main(["send", "--resume", "99", "--base-url", server.base_url]) == 2
    assert "no campaign number 99" in capsys.readouterr().err
    args = send_args(source, server, "--yes")
    args[args.index("--list-number") + 1] = "8005551000"
    assert cli.main(args) == 2
    assert "international format" in capsys.readouterr().err
    assert cli.main(send_args(source, server, "--yes")) == 0


def test_key_set_status_remove(monkeypatch, capsys, memory_keyring):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"  {DEMO_API_KEY}  \n"))
    assert cli.main(["key", "set"]) == 0
    out = capsys.readouterr().out
    assert "saved" in out and DEMO_API_KEY not in out
    assert KeyStore().get() == DEMO_API_KEY
    assert cli.main(["key", "status"]) == 0
    assert "Key stored" in capsys.readouterr().out
    assert cli.main(["key", "remove"]) == 0
    assert KeyStore().get() is None
    monkeypatch.setattr("sys.stdin", io.StringIO("not-a-key\n"))
    assert cli.main(["key", "set"]) == 2
    err = capsys.readouterr().err
    assert "does not look like a Trackly API key" in err and "not-a-key" not in err


def test_progress_lines_are_plain():
    from trackly_desktop.commands.send_output import ProgressPrinter, progress_line
    from trackly_desktop.core.sending.tally import SendProgress

    line = progress_line(SendProgress(1500, 2, 0, 8498, 10_000, 2500.0, 3.4))
    assert line == "sent 1,500 · failed 2 · left 8,498 of 10,000 · 2,500/s · about 3 s left"
    line = progress_line(SendProgress(0, 0, 5, 0, 5, 0.0, None))
    assert line == "sent 0 · failed 0 · uncertain 5 · left 0 of 5"
    line = progress_line(SendProgress(4, 0, 0, 6, 10, 2.0, 3.0, checking_again=2))
    assert line == (
        "sent 4 · failed 0 · left 6 of 10 · answer lost for 2, checking again · 2/s · "
        "about 3 s left"
    )
    stream = io.StringIO()
    printer = ProgressPrinter(stream=stream)
    for sent in range(0, 5001, 1000):
        printer(SendProgress(sent, 0, 0, 5000 - sent, 5000, 100.0, 1.0))
    printer.finish()
    lines = stream.getvalue().splitlines()
    # Throttled to about one line a second, but the last state is always printed.
    assert lines[0].startswith("sent 0 ") and lines[-1].startswith("sent 5,000 ")
    assert len(lines) == 2


def test_missing_list_number_is_named(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 3)
    args = send_args(source, server, "--yes")
    del args[args.index("--list-number") : args.index("--list-number") + 2]
    assert cli.main(args) == 2
    assert "--list-number" in capsys.readouterr().err


def test_key_commands_without_a_system_keyring(monkeypatch, capsys):
    import keyring
    import keyring.backends.fail

    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO(DEMO_API_KEY + "\n"))
        assert cli.main(["key", "set"]) == 2
        err = capsys.readouterr().err
        assert "TRACKLY_API_KEY" in err and DEMO_API_KEY not in err
        assert cli.main(["key", "status"]) == 0
        assert "No key stored" in capsys.readouterr().out
    finally:
        keyring.set_keyring(previous)


def test_send_says_who_is_excluded_and_why_before_asking_and_never_sends_them(
    tmp_path, server, monkeypatch, capsys
):
    import shutil
    from pathlib import Path

    from trackly_desktop.core.audience.do_not_text import DoNotTextList, list_path_for_journal
    from trackly_desktop.core.journal.location import journal_path_for

    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "consent"
    source = tmp_path / "customers.csv"
    shutil.copy(fixture / "shopify_customers_export.csv", source)
    with DoNotTextList(list_path_for_journal(journal_path_for(False))) as dnt:
        dnt.add("+12025550106", reason="asked", source="operator")  # Flo, who said YES
    args = [
        "send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template", "Hi {{First Name}}",
        "--base-url", server.base_url, "--quiet",
    ]  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli.main(args) == 2  # not confirmed: nothing sent, but the plan is printed
    out = capsys.readouterr().out
    assert "6 rows, 2 ready to send" in out
    assert (
        "4 rows will not be texted: 3 did not agree to texts (column Accepts SMS Marketing), "
        "1 on your do-not-text list." in out
    )
    assert "Of these, 1 has no consent recorded (an empty cell); add " in out
    assert len(server.ledger) == 0
    assert cli.main([*args, "--yes"]) == 0
    assert sorted(e.to for e in server.ledger.entries()) == ["+12025550101", "+12025550103"]
    # Including the empty cell adds Ed; Ada and Cy are refused as duplicates by Trackly.
    assert cli.main([*args, "--yes", "--include-unrecorded-consent"]) == 1
    assert sorted(e.to for e in server.ledger.entries()) == [
        "+12025550101", "+12025550103", "+12025550105",
    ]  # fmt: skip


def test_send_reads_the_file_as_told_header_row_and_encoding(tmp_path, server, monkeypatch, capsys):
    # A Windows-1251 sheet with a title and a blank line above its header (row 3).
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "клиенты.csv"
    source.write_bytes(
        "Список клиентов на декабрь\n\nТелефон,Имя\n(415) 555-0132,Мария\n(415) 555-0134,Олег\n"
        .encode("windows-1251")
    )
    args = [
        "send", str(source), "--list-number", DEMO_LIST_NUMBER, "--template",
        "Привет, {{Имя}}!", "--base-url", server.base_url, "--quiet", "--yes",
        "--header-row", "3", "--encoding", "windows-1251", "--map", "phone=Телефон",
    ]  # fmt: skip
    assert cli.main(args) == 0
    bodies = sorted(e.body for e in server.ledger.entries())
    assert bodies == ["Привет, Мария!", "Привет, Олег!"]


def test_send_refuses_a_negative_header_row_in_one_sentence(tmp_path, server, monkeypatch, capsys):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 3)
    assert cli.main(send_args(source, server, "--yes", "--header-row", "-1")) == 2
    err = capsys.readouterr().err
    assert "--header-row is a row number: 1 or more, or 0 for none." in err
    assert "Traceback" not in err
    assert len(server.ledger) == 0


def test_send_names_the_special_characters_and_sends_plain_ones_when_asked(
    tmp_path, server, monkeypatch, capsys
):
    monkeypatch.setenv("TRACKLY_API_KEY", DEMO_API_KEY)
    source = tmp_path / "contacts.csv"
    write_contacts(source, 3)
    # 100 characters with a curly apostrophe: 2 parts each as written, 1 part plain.
    curly = "It\u2019s ready, " + "x" * 88
    args = [a if a != "Hi {{First name}}, order {{Order}} is ready." else curly
            for a in send_args(source, server)]  # fmt: skip
    assert cli.main(args) == 2  # not confirmed (no terminal to ask on): nothing sent
    out = capsys.readouterr().out
    assert (
        "Plain characters instead of \u2019 would make the 3 messages 3 parts instead of 6.\n"
        "Add --plain-characters to use plain ones (trackly check and trackly send both take "
        "it), or retype them in the message.\n"
    ) in out
    assert len(server.ledger) == 0
    assert cli.main([*args, "--plain-characters", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "3 ready to send (3 text segments)" in out
    assert "Plain characters: \u2019 in the message made plain (--plain-characters)." in out
    assert {e.body for e in server.ledger.entries()} == {"It's ready, " + "x" * 88}
