"""The Trackly API key, kept in the operating system's keyring.

When the system has no usable keyring (a headless Linux box without a Secret Service,
keyring's "fail" or "null" backend, or a backend that raises), the key is kept in memory
for this session only and `persistent` is False so the window can say so in plain words.
The key never appears in a log, a repr or an exception text.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading

import keyring
import keyring.errors

from trackly_desktop.core.errors import TracklyDesktopError

log = logging.getLogger(__name__)

SERVICE_NAME = "Trackly Desktop"
ACCOUNT_NAME = "api-key"
ENV_VAR = "TRACKLY_API_KEY"

# Keys look like "trk_" followed by letters, digits, "_" or "-"; 8+ characters after the prefix
# so a truncated paste is caught before the first request.
_KEY_RE = re.compile(r"^trk_[A-Za-z0-9_\-]{8,200}$")


def validate_key_format(text: str) -> str:
    """Return the key stripped of surrounding blanks, or raise with a plain sentence."""
    key = (text or "").strip()
    if not key:
        raise TracklyDesktopError("Please paste your Trackly API key; the field is empty.")
    if not _KEY_RE.match(key):
        # Never echo the text back: it may be a real key pasted with a stray character.
        raise TracklyDesktopError(
            "That does not look like a Trackly API key: keys start with “trk_” followed by "
            "letters and digits, with no spaces. Copy it again from your Trackly account."
        )
    return key


def _unusable_backend_reason(backend: object) -> str | None:
    """Why `backend` cannot keep a key across sessions, or None when it can."""
    module = type(backend).__module__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        return "no system keyring is available"
    if module.startswith("keyring.backends.chainer"):
        backends = getattr(backend, "backends", [])
        if not backends:
            return "no system keyring is available"
    return None


class KeyStore:
    """Get, set and remove the API key; falls back to memory when no keyring works.

    Thread-safe: the window reads the key from worker threads.
    """

    def __init__(self, service: str = SERVICE_NAME, account: str = ACCOUNT_NAME) -> None:
        self._service = service
        self._account = account
        self._lock = threading.Lock()
        self._memory: str | None = None
        self._fallback_reason: str | None = None
        self._backend_name = "memory"
        try:
            backend = keyring.get_keyring()
            self._backend_name = getattr(backend, "name", type(backend).__name__)
            self._fallback_reason = _unusable_backend_reason(backend)
        except Exception as exc:  # a broken keyring install must not stop the app
            self._fallback_reason = f"the system keyring failed to start ({type(exc).__name__})"

    def __repr__(self) -> str:
        return f"KeyStore(backend={self.backend_name!r}, persistent={self.persistent})"

    __str__ = __repr__

    @property
    def backend_name(self) -> str:
        return "memory (this session only)" if self._fallback_reason else self._backend_name

    @property
    def persistent(self) -> bool:
        """False when the key lasts only until the app closes."""
        return self._fallback_reason is None

    @property
    def fallback_reason(self) -> str | None:
        """Plain words on why the key is not saved, for the window to show; None when it is."""
        return self._fallback_reason

    def _fall_back(self, exc: Exception) -> None:
        # Log the type only: a backend's message might quote what it was given.
        log.warning("System keyring failed (%s); keeping the key in memory", type(exc).__name__)
        self._fallback_reason = f"the system keyring failed ({type(exc).__name__})"

    def get(self) -> str | None:
        with self._lock:
            if self._fallback_reason is None:
                try:
                    value = keyring.get_password(self._service, self._account)
                except Exception as exc:
                    self._fall_back(exc)
                else:
                    return value or None
            return self._memory

    def set(self, key: str) -> None:
        key = validate_key_format(key)
        with self._lock:
            if self._fallback_reason is None:
                try:
                    keyring.set_password(self._service, self._account, key)
                except Exception as exc:
                    self._fall_back(exc)
                else:
                    self._memory = None
                    return
            self._memory = key

    def remove(self) -> None:
        """Forget the key; removing a key that is not there is not an error."""
        with self._lock:
            self._memory = None
            if self._fallback_reason is None:
                try:
                    with contextlib.suppress(keyring.errors.PasswordDeleteError):
                        keyring.delete_password(self._service, self._account)
                except Exception as exc:
                    self._fall_back(exc)


def resolve_api_key(store: KeyStore | None = None) -> str | None:
    """The key to use: the TRACKLY_API_KEY environment variable first, then the keyring."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    store = KeyStore() if store is None else store
    return store.get()
