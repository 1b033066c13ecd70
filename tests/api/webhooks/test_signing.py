"""``verify_signature`` accepts exactly what ``signature_header`` signed, and only while fresh."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from baseline_api.webhooks.signing import signature_header, verify_signature

SECRET = "whsec-0123456789abcdef"
BODY = b'{"id":"0b8f4a52-8d1e-4f3a-9c55-1f2e3d4c5b6a","type":"assessment.scored"}'
T = 1_795_705_448


def test_the_header_is_the_documented_hmac_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{T}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert signature_header(SECRET, BODY, T) == f"t={T},v1={expected}"


def test_a_signature_verifies_while_fresh():
    header = signature_header(SECRET, BODY, T)
    assert verify_signature(SECRET, BODY, header, now=T)
    assert verify_signature(SECRET, BODY, header, now=T + 300)
    assert not verify_signature(SECRET, BODY, header, now=T + 301)  # a replay, later
    assert not verify_signature(SECRET, BODY, header, now=T - 301)
    assert verify_signature(SECRET, BODY, header, now=T + 3600, tolerance_seconds=3600)


def test_the_default_clock_is_now():
    assert verify_signature(SECRET, BODY, signature_header(SECRET, BODY))


@pytest.mark.parametrize(
    ("secret", "body"),
    [(SECRET + "x", BODY), (SECRET, BODY + b" "), (SECRET, BODY.replace(b"scored", b"submitted"))],
    ids=["other secret", "extra byte", "changed body"],
)
def test_any_change_fails(secret, body):
    assert not verify_signature(secret, body, signature_header(SECRET, BODY, T), now=T)


def test_a_changed_timestamp_fails():
    header = signature_header(SECRET, BODY, T).replace(f"t={T}", f"t={T + 1}")
    assert not verify_signature(SECRET, BODY, header, now=T)


def test_any_v1_may_match_so_secrets_can_be_rotated():
    good = signature_header(SECRET, BODY, T).split(",v1=")[1]
    assert verify_signature(SECRET, BODY, f"t={T},v1={'0' * 64},v1={good}", now=T)


@pytest.mark.parametrize(
    "header",
    ["", "nonsense", f"t={T}", "v1=abc", f"t=soon,v1={'0' * 64}", f"t=²,v1={'0' * 64}", f"t={T},v1=é"],
)
def test_a_malformed_header_fails_without_raising(header):
    assert not verify_signature(SECRET, BODY, header, now=T)
