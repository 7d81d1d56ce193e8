"""Where `trackly send` sends: the key and address are checked before a campaign is
recorded, and a resumed campaign goes back to the address it was sent to."""

from __future__ import annotations

import argparse
from typing import Any

from trackly_desktop.core.errors import TracklyDesktopError


def check_key_and_server(key: str, base_url: str) -> None:
    """Ask Trackly at `base_url` whether it accepts `key`, sending nothing; one plain
    sentence (TracklyDesktopError) when it does not, so no campaign is recorded."""
    from trackly_desktop.api.client import TracklyClient  # noqa: PLC0415
    from trackly_desktop.api.errors import ApiError, AuthError, TransientError  # noqa: PLC0415

    try:
        with TracklyClient(key, base_url, max_attempts=2) as client:
            client.verify_key()
    except AuthError as exc:
        raise TracklyDesktopError(
            f"Trackly did not accept the API key: {exc.explanation}. Nothing was recorded "
            "or sent; fix the key (“trackly key set”) and try again."
        ) from None
    except TransientError as exc:
        raise TracklyDesktopError(
            f"Trackly could not be reached at {base_url} ({exc.explanation}). Nothing was "
            "recorded or sent; try again later."
        ) from None
    except ApiError as exc:
        raise TracklyDesktopError(
            f"{base_url} did not answer like the Trackly API ({exc.explanation}). Nothing "
            "was recorded or sent; check the server address."
        ) from None


def resume_address(journal: Any, campaign_id: int, args: argparse.Namespace, settings) -> str:
    """The address a resumed campaign goes to: the one it was sent to, unless --base-url
    says otherwise; either way the operator is told."""
    recorded = journal.server_of(campaign_id)
    if args.base_url and recorded and args.base_url.rstrip("/") != recorded:
        print(f"Campaign {campaign_id} was sent to {recorded}; resuming on {args.base_url} "
              "as --base-url asks.")  # fmt: skip
        return str(args.base_url)
    if recorded:
        print(f"Resuming on {recorded}, where campaign {campaign_id} was sent.")
        return recorded
    return str(args.base_url or settings.base_url)
