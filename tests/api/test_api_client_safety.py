"""The API key never shows (logs, reprs, exception texts); base URL, TLS, pool and timeouts."""

from __future__ import annotations

import logging
import pickle
import threading

import httpx
import pytest

from trackly_desktop.api.client import (
    DEFAULT_BASE_URL,
    MAX_BATCH_MESSAGES,
    MAX_RECORD_BYTES,
    MAX_REQUEST_BYTES,
    TracklyClient,
    record_size,
)
from trackly_desktop.api.errors import AuthError, InvalidBaseUrl, RequestRejected, TransientError
from trackly_desktop.sandbox import demo_data as demo

LIST = demo.DEMO_LIST_NUMBER


def test_key_absent_from_logs_reprs_and_errors(sandbox, caplog):
    """Drive every kind of outcome with the root logger at DEBUG, then search everything."""
    key = demo.DEMO_API_KEY
    caplog.set_level(logging.DEBUG)
    texts: list[str] = []
    sandbox.faults.fail_next = 1
    with TracklyClient(key, sandbox.base_url, backoff_base=0.001, timeout=0.5) as client:
        texts += [repr(client), str(client)]
        texts.append(repr(client.send("+14155550100", LIST, "Hi {{messageId}}")))
        texts.append(repr(client.send_bulk(LIST, [{"to": "+1bad", "body": "x"}])))
        sandbox.faults.drop_after_next = 1
        sandbox.faults.slow_next = 1
        sandbox.faults.slow_seconds = 5
        for call in (
            lambda: client.send_bulk(LIST, [{"to": "+14155550101", "body": "a"}]),
            lambda: client.send_bulk(LIST, [{"to": "+14155550102", "body": "b"}]),
            lambda: client.send("+1bad", LIST, "x"),
        ):
            with pytest.raises((TransientError, RequestRejected)) as caught:
                call()
            error = caught.value
            texts += [str(error), repr(error), repr(error.args), error.explanation]
            texts += [repr(vars(error)), str(error.__cause__), str(error.__context__)]
            texts.append(repr(pickle.loads(pickle.dumps(error.args))))
    sandbox.faults.revoke_key_after = 0
    with (
        TracklyClient(key, sandbox.base_url) as client,
        pytest.raises(AuthError) as caught,
    ):
        client.verify_key()
    texts += [str(caught.value), repr(caught.value)]
    texts += [record.getMessage() for record in caplog.records]
    texts += [caplog.text]
    assert len(caplog.records) > 0  # retries were logged, so logging was really captured
    for text in texts:
        assert key not in text
        assert key[4:] not in text


def test_http_libraries_kept_quiet(sandbox):
    logging.getLogger("httpx").setLevel(logging.DEBUG)
    with TracklyClient(demo.DEMO_API_KEY, sandbox.base_url):
        assert logging.getLogger("httpx").level == logging.WARNING
        assert logging.getLogger("httpcore").level == logging.WARNING


@pytest.mark.parametrize(
    "url",
    [
        "http://app.tracklysms.com/api",
        "http://192.168.1.10:8080/api",
        "ftp://127.0.0.1/api",
        "not a url",
        "https://",
    ],
)
def test_plain_http_refused_except_to_loopback(url):
    with pytest.raises(InvalidBaseUrl) as caught:
        TracklyClient("trk_x", url)
    assert "https://" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        DEFAULT_BASE_URL,
        "https://eu.tracklysms.com/api/",
        "http://127.0.0.1:8080/api",
        "http://localhost:1/api",
        "http://[::1]:9000/api",
    ],
)
def test_allowed_base_urls(url):
    with TracklyClient("trk_x", url) as client:
        assert client.base_url == url.rstrip("/")


def test_v1_goes_to_the_v1_host_by_default():
    with TracklyClient("trk_x") as client:
        assert client.v1_base_url == "https://api.tracklysms.com/api"
    with TracklyClient("trk_x", "http://127.0.0.1:9/api") as client:
        assert client.v1_base_url == "http://127.0.0.1:9/api"


def _self_signed_https_server(requests: list[str]):
    """An HTTPS server on loopback whose certificate no system trusts; records each request."""
    import datetime
    import http.server
    import ssl
    import tempfile
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    folder = Path(tempfile.mkdtemp())
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            requests.append(self.path)
            self.send_response(400)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    return server


def test_a_server_certificate_nobody_vouches_for_is_refused():
    requests: list[str] = []
    server = _self_signed_https_server(requests)
    thread = threading.Thread(target=server.serve_forever, name="https-server")
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/api"
        client = TracklyClient("trk_x", url, sleep=lambda _s: None)
        with client, pytest.raises(TransientError):
            client.verify_key()
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert requests == []  # the handshake failed: not one request reached the server


def test_max_in_flight_requests_are_all_open_at_once():
    """Six requests in flight need six connections at the same moment: the server answers
    none of them until all six are inside it (a smaller pool would leave one waiting)."""
    import http.server

    inside = threading.Barrier(6, timeout=60)  # a failure guard, not a measurement
    answered: list[int] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers["Content-Length"]))
            try:
                inside.wait()
                status = 400  # verify_key's "key and account accepted"
            except threading.BrokenBarrierError:
                status = 401
            answered.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    serving = threading.Thread(target=server.serve_forever, name="pool-server")
    serving.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/api"
    try:
        with TracklyClient("trk_x", url, max_in_flight=6) as client:
            threads = [
                threading.Thread(target=client.verify_key, name=f"verify-{n}") for n in range(6)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        server.shutdown()
        serving.join()
        server.server_close()
    assert answered == [400] * 6


def test_timeouts_as_given_and_never_unbounded():
    with TracklyClient("trk_x", max_in_flight=6, timeout=httpx.Timeout(3.0, read=9.0)) as client:
        timeout = client._session.http.timeout
        assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (3, 9, 3, 3)
    with TracklyClient("trk_x") as client:
        timeout = client._session.http.timeout
        assert None not in (timeout.connect, timeout.read, timeout.write, timeout.pool)


def test_limits_and_record_size():
    assert (MAX_BATCH_MESSAGES, MAX_RECORD_BYTES) == (1000, 4000)
    assert MAX_REQUEST_BYTES == 5_000_000
    message = {"to": "+14155550100", "body": "Café"}
    assert record_size(message) == len('{"to":"+14155550100","body":"Café"}'.encode())


def test_one_client_many_threads(sandbox):
    """Several batches in flight through one client: each lands once, none mixed up."""
    results: dict[int, int] = {}
    with TracklyClient(demo.DEMO_API_KEY, sandbox.base_url, max_in_flight=4) as client:

        def send(part: int) -> None:
            messages = [
                {"to": f"+1415700{part}{i:03d}", "body": f"Part {part}", "metadata": {"row": i}}
                for i in range(500)
            ]
            results[part] = client.send_bulk(LIST, messages).queued_count

        threads = [threading.Thread(target=send, args=(p,), name=f"part-{p}") for p in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == dict.fromkeys(range(8), 500)
    assert len(sandbox.ledger) == 4000
    assert not sandbox.ledger.repeated(("to", "body"))
    by_body = sandbox.ledger.count_by("body")
    assert by_body == {f"Part {p}": 500 for p in range(8)}


@pytest.mark.parametrize("key", ["trk_abc\ndef", "trk_clé_42", "trk_\x00zero"])
def test_key_with_impossible_characters_refused_without_quoting_it(key):
    with pytest.raises(AuthError) as caught:
        TracklyClient(key)
    assert key not in str(caught.value) and key not in repr(caught.value)
    assert "copy it again" in str(caught.value)


def test_surrounding_whitespace_of_a_pasted_key_is_ignored(sandbox):
    with TracklyClient(f"  {demo.DEMO_API_KEY}\n", sandbox.base_url) as client:
        client.verify_key()  # AuthError if the key reached Trackly with its whitespace
        client.send_bulk(LIST, [{"to": "+14155550100", "body": "Hi"}])
    assert len(sandbox.ledger) == 1
    # The sandbox does refuse a key that is not the demo key, whitespace inside included.
    other = TracklyClient(f"{demo.DEMO_API_KEY} x", sandbox.base_url)
    with other, pytest.raises(AuthError):
        other.verify_key()
