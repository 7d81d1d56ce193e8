"""Who may send from which list: the sandbox's accounts, keys and sending lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from trackly_desktop.sandbox import demo_data as demo


@dataclass(frozen=True, slots=True)
class SendingList:
    """A sending number. A BYOC list needs a verified webhook before it may send."""

    number: str
    phone_number_id: str | None = None  # the id the v1 API names it by
    byoc: bool = False
    webhook_verified: bool = True


@dataclass(frozen=True, slots=True)
class Account:
    name: str
    api_key: str
    active: bool = True
    lists: tuple[SendingList, ...] = field(default_factory=tuple)


def demo_accounts() -> list[Account]:
    """The built-in accounts of `demo_data`: demo (active), second (active), inactive."""
    return [
        Account(
            "demo",
            demo.DEMO_API_KEY,
            lists=(
                SendingList(demo.DEMO_LIST_NUMBER, demo.DEMO_V1_PHONE_NUMBER_ID),
                SendingList(demo.DOCS_EXAMPLE_LIST_NUMBER),
                SendingList(demo.BYOC_LIST_NUMBER, byoc=True, webhook_verified=False),
            ),
        ),
        Account("second", demo.SECOND_API_KEY, lists=(SendingList(demo.SECOND_LIST_NUMBER),)),
        Account(
            "inactive",
            demo.INACTIVE_API_KEY,
            active=False,
            lists=(SendingList(demo.INACTIVE_LIST_NUMBER),),
        ),
    ]


class AccountBook:
    """Look-ups by key, by list number and by v1 phone-number id."""

    def __init__(self, accounts: list[Account]) -> None:
        self.by_key = {a.api_key: a for a in accounts}
        self.list_owner: dict[str, Account] = {}
        self.lists: dict[str, SendingList] = {}
        self.by_phone_number_id: dict[str, SendingList] = {}
        for account in accounts:
            for sending_list in account.lists:
                self.list_owner[sending_list.number] = account
                self.lists[sending_list.number] = sending_list
                if sending_list.phone_number_id:
                    self.by_phone_number_id[sending_list.phone_number_id] = sending_list
        # Lists that may not send yet: BYOC without a verified webhook.
        self.unverified = frozenset(
            s.number for s in self.lists.values() if s.byoc and not s.webhook_verified
        )
