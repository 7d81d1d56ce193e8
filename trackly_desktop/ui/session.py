"""The state the steps of the window share, with a signal for each change.

Every step reads what it needs from the Session and writes what it produces back, so
moving between steps never loses work and no step talks to another directly. The API key
itself is not held here: `api_key()` reads it from the key store (blocking, so call it from
a worker), except in demo mode where the demo key lives in memory only.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from trackly_desktop.settings import Settings, save_settings

if TYPE_CHECKING:
    from trackly_desktop.secrets import KeyStore

DEFAULT_TEMPLATE = "Hi {{first_name|there}}, "


class Session(QObject):
    """Shared state: settings, key store, demo flag, and the campaign being prepared."""

    settings_changed = Signal()
    source_changed = Signal()  # a new spreadsheet (or sheet) was loaded into `table`
    mapping_changed = Signal()
    recipients_changed = Signal()  # recipients rebuilt or a phone fixed in place
    # Every message was rendered again (Review): statuses may have changed (a body too long),
    # carries fresh contacts-table display rows (contacts_model.ContactRows).
    recipients_rendered = Signal(object)
    template_changed = Signal(str)
    send_options_changed = Signal()
    campaign_changed = Signal(object)  # the journal id of the current campaign, or None
    do_not_text_changed = Signal()  # numbers were added to or removed from the list

    def __init__(
        self,
        settings: Settings,
        key_store: KeyStore | None,
        *,
        demo: bool = False,
        demo_api_key: str | None = None,
        base_url_override: str | None = None,
        list_number_override: str | None = None,
        demo_pacing: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._key_store = key_store
        self.demo = demo
        # The demo app's sends go in small batches (core.sending.job.DEMO_BATCH_MESSAGES).
        self.demo_pacing = demo_pacing
        self._demo_api_key = demo_api_key
        self._base_url_override = base_url_override
        self._list_number_override = list_number_override
        self.source_path: Path | None = None
        self.sheet: str | None = None
        self.table: Any = None  # core.table.Table
        self.mapping: Any = None  # core.mapping.ColumnMapping
        self.recipients: Any = None  # core.recipients.Recipients
        # The message being written when the app last closed, or the greeting to start from.
        self.template_text: str = settings.last_message or DEFAULT_TEMPLATE
        self.send_options: Any = None  # core.campaign.SendOptions, made on first use
        self.campaign_id: int | None = None
        # Text the rows whose opt-in consent cell is empty (the operator's choice, per file).
        self.include_unrecorded_consent = False
        # Quiet hours: each ready row's place and window (from Review), and the moment a
        # "Send later…" campaign starts (None: now). The clock is a parameter for tests.
        self.local_times: Any = None  # core.audience.local_times.LocalTimes
        self.scheduled_for: Any = None  # datetime (UTC) or None
        from trackly_desktop.core.audience.clock import default_clock  # noqa: PLC0415

        self.clock: Any = default_clock()

    def __repr__(self) -> str:
        # Deliberately no key material, even in demo mode.
        return f"Session(demo={self.demo}, source={self.source_path}, campaign={self.campaign_id})"

    # --- account --------------------------------------------------------------------------
    @property
    def key_store(self) -> KeyStore:
        """The key store; made on first use when `warm_up_key_store` has not finished yet."""
        if self._key_store is None:
            from trackly_desktop.secrets import KeyStore  # noqa: PLC0415

            self._key_store = KeyStore()
        return self._key_store

    def warm_up_key_store(self) -> None:
        """Load the keyring library and find its backend in a worker, after the window shows.

        Importing `keyring` and choosing a backend costs a few hundred milliseconds (more on
        a desktop whose Secret Service is slow to answer), which the first paint should not
        wait for.
        """
        if self._key_store is not None:
            return
        from trackly_desktop.ui import workers  # noqa: PLC0415

        def make(_progress, _cancel) -> KeyStore:
            from trackly_desktop.secrets import KeyStore  # noqa: PLC0415

            return KeyStore()

        def ready(store: KeyStore) -> None:
            if self._key_store is None:
                self._key_store = store

        workers.run_in_background(make, on_done=ready, label="keyring")

    @property
    def base_url(self) -> str:
        return self._base_url_override or self.settings.base_url

    @property
    def list_number(self) -> str:
        """The sending number, E.164 ("" when the operator has not set one yet)."""
        return self._list_number_override or self.settings.list_number

    @property
    def country(self) -> str:
        return self.settings.default_country

    @property
    def concurrency(self) -> int:
        return self.settings.concurrency

    def price_per_part(self) -> Any:
        """The price of one message part (Decimal), or None when none is set or it is unreadable."""
        from trackly_desktop.core.errors import TracklyDesktopError  # noqa: PLC0415
        from trackly_desktop.core.messages.cost import parse_price  # noqa: PLC0415

        try:
            return parse_price(self.settings.price_per_part)
        except TracklyDesktopError:
            return None

    def cost_words(self, parts: int) -> str:
        """ "about $11.60" for `parts` message parts, or "" when no price is set."""
        from trackly_desktop.core.messages.cost import about_cost  # noqa: PLC0415

        return about_cost(parts, self.price_per_part(), self.settings.currency)

    def api_key(self) -> str | None:
        """The key to send with. Blocking (the OS keyring may prompt): call it from a worker."""
        if self._demo_api_key is not None:
            return self._demo_api_key
        from trackly_desktop.secrets import resolve_api_key  # noqa: PLC0415

        return resolve_api_key(self.key_store)

    def update_settings(self, settings: Settings) -> None:
        self.settings = settings
        self.save_settings()
        self.settings_changed.emit()

    def save_settings(self) -> None:
        save_settings(self.settings)

    def save_settings_in_background(self) -> None:
        """Save a copy from a worker: the file is fsync'ed, which a busy disk makes slow."""
        import copy  # noqa: PLC0415

        from trackly_desktop.ui import workers  # noqa: PLC0415

        snapshot = copy.deepcopy(self.settings)
        workers.run_in_background(
            lambda _progress, _cancel: save_settings(snapshot), label="save-settings"
        )

    # --- the campaign being prepared -----------------------------------------------------
    def set_table(self, table: Any, path: Path | None, sheet: str | None) -> None:
        self.table = table
        self.source_path = path
        self.sheet = sheet
        self.recipients = None
        self.include_unrecorded_consent = False
        if path is not None:
            self.settings.add_recent_file(path)
            self.save_settings_in_background()
        self.source_changed.emit()
        if self.campaign_id is not None:
            self.set_campaign_id(None)  # a new list is a new campaign

    # --- who may be texted ----------------------------------------------------------------
    def do_not_text_path(self) -> Path:
        """The do-not-text list beside this window's journal (the demo has its own)."""
        from trackly_desktop.core.audience.do_not_text import list_path_for_journal  # noqa: PLC0415
        from trackly_desktop.core.journal.location import journal_path_for  # noqa: PLC0415

        return list_path_for_journal(journal_path_for(self.demo))

    def audience(self) -> Any:
        """What the Contacts step's checks need to know about who may be texted."""
        from trackly_desktop.core.recipients.loading import Audience  # noqa: PLC0415

        return Audience(self.do_not_text_path(), self.include_unrecorded_consent)

    def dont_text_again(self, phones: list[str], reason: str = "") -> int:
        """Put these E.164 numbers on the do-not-text list ("Don't text this person again");
        returns how many were new. The loaded rows are checked again."""
        from trackly_desktop.core.audience.do_not_text import (  # noqa: PLC0415
            FROM_OPERATOR,
            DoNotTextList,
        )

        wanted = [p for p in phones if p]
        if not wanted:
            return 0
        with DoNotTextList(self.do_not_text_path()) as dnt:
            why = reason or "Asked not to be texted"
            added = dnt.add_many(wanted, reason=why, source=FROM_OPERATOR)
        self.do_not_text_changed.emit()
        return added

    def set_mapping(self, mapping: Any) -> None:
        self.mapping = mapping
        self.mapping_changed.emit()

    def set_recipients(self, recipients: Any) -> None:
        self.recipients = recipients
        self.recipients_changed.emit()

    def notify_recipients_edited(self) -> None:
        """A phone was fixed in place: the recipients object is the same, its data is not."""
        self.recipients_changed.emit()

    def set_template_text(self, text: str) -> None:
        if text != self.template_text:
            self.template_text = text
            self.settings.last_message = text  # saved with the settings when the app closes
            self.template_changed.emit(text)
            if self.campaign_id is not None:
                self.set_campaign_id(None)  # a new message is a new campaign

    def get_send_options(self) -> Any:
        if self.send_options is None:
            from trackly_desktop.core.campaign.spec import SendOptions  # noqa: PLC0415

            self.send_options = SendOptions(wrap_links=self.settings.wrap_links)
        return self.send_options

    def set_send_options(self, options: Any) -> None:
        changed = options != self.send_options
        self.send_options = options
        self.send_options_changed.emit()
        if changed and self.campaign_id is not None:
            self.set_campaign_id(None)  # other switches: a new campaign too

    def set_campaign_id(self, campaign_id: int | None) -> None:
        self.campaign_id = campaign_id
        self.campaign_changed.emit(campaign_id)
