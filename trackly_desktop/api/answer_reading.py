"""Reading an answer's body with a size bound, compressed answers included.

A bulk answer lists at most 1,000 per-message errors of a few hundred bytes each, so a
real one stays well under a megabyte. Anything much larger is not Trackly's answer (a
gzip answer of 2 MB can unpack to 1 GB): the body is decompressed here, step by step,
never past `limit` bytes, instead of by httpx, which unpacks whatever arrives. Error
answers are read only as far as their first bytes (the operator sees 300 characters).
"""

from __future__ import annotations

import zlib

import httpx

# Far above the largest real bulk answer (1,000 errors), far below harm.
MAX_ANSWER_BYTES = 2_000_000
MAX_ERROR_ANSWER_BYTES = 64_000
# What the client tells the server it can unpack (and unpacks itself, bounded).
ACCEPT_ENCODING = "gzip, deflate"


class UnknownEncoding(Exception):  # noqa: N818
    """The answer is compressed in a way the client did not offer."""


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise UnknownEncoding(encoding)


def read_bounded(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """The body of a streamed `response`, unpacked; (content, cut) where `cut` says it
    went past `limit` and was truncated there. Raises UnknownEncoding, and httpx's
    errors from the network."""
    if response.is_stream_consumed:  # an answer built in memory (httpx.MockTransport)
        return response.content[:limit], len(response.content) > limit
    encodings = [e for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    if len(encodings) > 1:
        raise UnknownEncoding(",".join(encodings))
    decoder = _decoder(encodings[0] if encodings else "")
    parts: list[bytes] = []
    size = 0
    for raw in response.iter_raw():
        if decoder is None:
            chunk = raw
        else:
            try:
                # Never more than one byte past the limit comes out of a single step.
                chunk = decoder.decompress(raw, limit + 1 - size)
            except zlib.error:
                raise UnknownEncoding("corrupt") from None
            if decoder.unconsumed_tail:
                size += len(chunk)
                parts.append(chunk)
                return b"".join(parts)[:limit], True
        parts.append(chunk)
        size += len(chunk)
        if size > limit:
            return b"".join(parts)[:limit], True
    return b"".join(parts), False


def plain_response(response: httpx.Response, content: bytes) -> httpx.Response:
    """A finished response with `content` as its (already unpacked) body."""
    headers = [
        (name, value)
        for name, value in response.headers.multi_items()
        if name.lower() not in ("content-encoding", "content-length", "transfer-encoding")
    ]
    return httpx.Response(
        response.status_code, headers=headers, content=content, request=response.request
    )
