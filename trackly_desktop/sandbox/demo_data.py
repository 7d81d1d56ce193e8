"""The sandbox's built-in accounts and numbers, shared by the demo mode and the sample sheet.

Import-light on purpose (the window imports it at start-up). All phone numbers below are
US numbers in the fictional 555-01xx range that `phonenumbers.is_valid_number` accepts,
so the app's own validation lets them through and it is the sandbox that turns them down:
the demo's failures table then shows real server-side failures.
"""

from __future__ import annotations

# The demo account: active, owns the demo list, the documentation's example lists and a
# BYOC list whose webhook is not verified.
DEMO_API_KEY = "trk_demo_7d1f4c9a2b8e6035"
DEMO_LIST_NUMBER = "+18005551000"
# The number used in the provider's bulk example (limits page); also owned by the demo account.
DOCS_EXAMPLE_LIST_NUMBER = "+18005551234"
# The v1 API names sending numbers by id; this is the id from the provider's v1 example.
DEMO_V1_PHONE_NUMBER_ID = "pn_abc123def456"
# A "bring your own carrier" list of the demo account whose webhook is not verified.
BYOC_LIST_NUMBER = "+18005551999"

# A second active account with its own list (the demo key may not send from it).
SECOND_API_KEY = "trk_demo_second_51e0a7c3"
SECOND_LIST_NUMBER = "+18005552000"

# An account that exists but is inactive: every send answers 403 account_inactive.
INACTIVE_API_KEY = "trk_demo_inactive_9b24e6f1"
INACTIVE_LIST_NUMBER = "+18005553000"

# A key that looks right but is unknown (revoked): 401 invalid_api_key.
REVOKED_API_KEY = "trk_revoked_0c3d8e2a91f7"

# Recipients the sandbox answers `not_sendable` ("VOIP numbers not allowed").
DEMO_VOIP_NUMBERS: tuple[str, ...] = ("+14585550170", "+14585550172", "+14585550173")
# The number the provider's partial-failure example shows as not_sendable.
DOCS_EXAMPLE_VOIP_NUMBER = "+10000000000"
# Recipients who unsubscribed: `opted_out` unless skip_contact_validation.
DEMO_OPTED_OUT_NUMBERS: tuple[str, ...] = ("+14585550180", "+14585550181", "+14585550182")
# The demo's practice server also shows what the app does when things go wrong on the way,
# with two of the sample's customers (resources/sample_contacts.csv), each once per message:
# the answer to the batch carrying Luis Herrera is lost after Trackly queued it (the app
# sends it again under the duplicate check, which confirms it went: nobody is texted twice),
# and Zoe Martin's carrier is briefly unavailable (she fails with a temporary error, and
# "Send again to the ones that failed" reaches her).
DEMO_LOST_ANSWER_NUMBERS: tuple[str, ...] = ("+17185550143",)
DEMO_CARRIER_TROUBLE_NUMBERS: tuple[str, ...] = ("+17025550164",)
# The demo's practice server answers like a real one over the internet: 0.3-0.8 s a request.
DEMO_LATENCY_MS = 300.0
DEMO_LATENCY_JITTER_MS = 500.0
