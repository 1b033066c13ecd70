"""Claim paths and OpenID Connect settings, without a server."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from baseline_api.auth.claims import claim_values, granted_scopes, ods_codes
from baseline_api.core.settings import Settings

CIS2 = {
    "sub": "910000000001",
    "nhsid_nrbac_roles": [
        {"person_orgid": "1", "org_code": "RX1", "role_name": '"Clinical":"Clinical Provision"'},
        {"person_orgid": "2", "org_code": "R0A"},
        {"person_orgid": "3"},
    ],
}


@pytest.mark.parametrize(
    ("claims", "path", "expected"),
    [
        (CIS2, "nhsid_nrbac_roles[*].org_code", ["RX1", "R0A"]),
        (CIS2, "nhsid_nrbac_roles.org_code", []),  # a list needs [*] to be walked into
        ({"ods_codes": "RX1"}, "ods_codes", ["RX1"]),
        ({"ods_codes": ["RX1", "RX2"]}, "ods_codes", ["RX1", "RX2"]),
        ({"realm_access": {"roles": ["a", "b"]}}, "realm_access.roles", ["a", "b"]),
        ({"groups": [["x"], ["y"]]}, "groups[*]", ["x", "y"]),
        ({}, "ods_codes", []),
        ({"ods_codes": None}, "ods_codes.more", []),
    ],
)
def test_claim_paths(claims, path, expected):
    assert claim_values(claims, path) == expected


def test_scopes_take_the_prefixed_values_of_a_string_or_a_list():
    assert granted_scopes({"scope": "openid baseline:read baseline:write"}, "scope", "baseline:") == {
        "read",
        "write",
    }
    assert granted_scopes({"scp": ["baseline:ingest", "read"]}, "scp", "baseline:") == {"ingest"}
    assert granted_scopes({"scope": "baseline:unknown baseline:admin"}, "scope", "baseline:") == frozenset()


@given(st.lists(st.text(min_size=1, max_size=20), max_size=8))
def test_a_token_never_grants_admin_or_an_unknown_scope(values):
    scopes = granted_scopes({"scope": " ".join(values), "scp": values}, "scope", "")
    assert scopes <= {"read", "write", "ingest"}


def test_ods_codes_are_upper_cased_and_blank_ones_dropped():
    assert ods_codes({"ods_codes": ["rx1", " RX2 ", "", 7]}, "ods_codes") == {"RX1", "RX2"}


@pytest.mark.parametrize(
    "environment",
    [
        {"OIDC_ISSUER": "https://issuer.example"},
        {"OIDC_AUDIENCE": "baseline"},
        {"OIDC_JWKS_URL": "https://issuer.example/jwks"},
        {"OIDC_ISSUER": "https://issuer.example", "OIDC_AUDIENCE": "b", "OIDC_ODS_CLAIM": "a..b"},
        {"OIDC_ISSUER": "https://issuer.example", "OIDC_AUDIENCE": "b", "OIDC_LEEWAY_SECONDS": "-1"},
        {
            "OIDC_ISSUER": "http://issuer.example",
            "OIDC_AUDIENCE": "b",
            "BASELINE_ENV": "production",
            "BASELINE_ADMIN_TOKEN": "x" * 40,
        },
    ],
)
def test_incoherent_oidc_settings_refuse_to_start(monkeypatch, environment):
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError):
        Settings()


def test_oidc_is_off_by_default_and_reads_its_variables(monkeypatch):
    assert Settings().oidc_issuer is None
    monkeypatch.setenv("OIDC_ISSUER", "https://issuer.example")
    monkeypatch.setenv("OIDC_AUDIENCE", "baseline")
    monkeypatch.setenv("OIDC_ODS_CLAIM", "nhsid_nrbac_roles[*].org_code")
    settings = Settings()
    assert (settings.oidc_issuer, settings.oidc_leeway_seconds, settings.oidc_scope_prefix) == (
        "https://issuer.example",
        30,
        "baseline:",
    )
