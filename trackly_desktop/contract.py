"""Trackly's documented limits, written once for the client, the core and the sandbox.

From the provider's API pages ("Limits and best practices", the send pages) as settled in
the contract the client and the sandbox both follow. The sandbox, a stand-alone double of
the service, imports these numbers and nothing else of the app.
"""

from __future__ import annotations

MAX_BATCH_MESSAGES = 1000  # records in one bulk request
MAX_RECORD_BYTES = 4000  # one record of a bulk request, encoded
MAX_REQUEST_BYTES = 5_000_000  # "5 MB", read as 5,000,000 bytes: the stricter reading
MAX_BODY_CHARS = 1600  # one message body (10 segments)

# Trackly has no rate limit; the app's own bound on batches in flight at once, so one
# send never opens more connections than a small office's line and the server can carry.
MIN_IN_FLIGHT = 1
MAX_IN_FLIGHT = 16
