"""E-mail and IP addresses, checked offline."""

from __future__ import annotations

import ipaddress
from functools import cache

import tldextract

from piiscan.detect.validators import REJECT, Verdict


@cache
def _suffixes() -> tldextract.TLDExtract:
    # suffix_list_urls=() uses the snapshot bundled with tldextract: no download.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def validate_email(value: str) -> Verdict:
    domain = value.rsplit("@", 1)[-1]
    if not _suffixes()(domain).suffix:
        return REJECT
    return Verdict(1.0, "domain has a public suffix", value.lower())


def validate_ip(value: str) -> Verdict:
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return REJECT
    if address.is_unspecified or address.is_loopback or address.is_multicast:
        return REJECT
    meta = {"private": address.is_private}
    return Verdict(None, "valid IP address", address.compressed, metadata=meta)
