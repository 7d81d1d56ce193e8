"""The Trackly HTTP client and its error catalogue. No Qt.

- `client`: TracklyClient (one method per endpoint), DEFAULT_BASE_URL, size limits.
- `errors`: ApiError / AuthError / RequestRejected / TransientError, explain(code).
- `results`: SendResult, BulkResult, BulkError.
- `records`: how records are encoded and measured (record_size, MAX_* limits).
- `retrying_session`: the httpx pool, retry loop and failure classification.
- `response_parsing`: answers (including odd ones) into results and errors.
"""
