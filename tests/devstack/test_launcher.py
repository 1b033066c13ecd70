"""`make run` hands the operator's sign-in, trace and log settings to the services."""

from __future__ import annotations

from baseline_devstack.launcher import LaunchConfig, _banner

ENVIRONMENT = {
    "OIDC_ISSUER": "https://auth.example.nhs.uk",
    "OIDC_AUDIENCE": "baseline",
    "OIDC_ODS_CLAIM": "nhsid_nrbac_roles[*].org_code",
    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318",
    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
    "LOG_FORMAT": "json",
    "WEBHOOK_TIMEOUT_SECONDS": "3",
    "BASELINE_ADMIN_TOKEN": "t" * 40,
}


def test_sign_in_traces_and_log_format_reach_the_services():
    config = LaunchConfig.from_environment(ENVIRONMENT)
    assert config.api_settings == {
        name: value for name, value in ENVIRONMENT.items() if name.startswith(("OIDC_", "OTEL_", "LOG_"))
    }
    assert config.scoring_settings == {
        name: value for name, value in ENVIRONMENT.items() if name.startswith(("OTEL_", "LOG_"))
    }


def test_the_banner_says_how_callers_sign_in_and_where_traces_go():
    banner = _banner(LaunchConfig.from_environment(ENVIRONMENT))
    assert "tokens from https://auth.example.nhs.uk" in banner
    assert "exported to http://127.0.0.1:4318" in banner
    plain = _banner(LaunchConfig.from_environment({}))
    assert "Sign-in:         API keys\n" in plain
    assert "Traces:          off" in plain
