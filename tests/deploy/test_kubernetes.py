"""deploy/kubernetes/: every manifest validates against the Kubernetes schemas (bundled with
kubernetes-validate, so offline), and agrees with the services it runs: each environment
variable it sets is one the service's settings class reads, each probe is a route the service
serves, and the pods are the hardened, replicated, budgeted ones production.md asks for."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from pydantic_settings import BaseSettings

from baseline_api.app import create_app as create_api
from baseline_api.core.settings import Settings as ApiSettings
from baseline_scoring.app import create_app as create_scoring
from baseline_scoring.settings import Settings as ScoringSettings
from tests.conftest import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy" / "kubernetes"
# The oldest Kubernetes the manifests are written for (preStop `sleep` is on by default from 1.30).
KUBERNETES_VERSION = "1.30.0"
# What each image runs: its settings class (the variables it reads) and its app (its routes).
SERVICES: dict[str, tuple[type[BaseSettings], Callable[[], FastAPI]]] = {
    "baseline-api": (ApiSettings, create_api),
    "baseline-scoring": (ScoringSettings, create_scoring),
}
WORKLOADS = ("Deployment", "Job")


def _manifest_files() -> list[Path]:
    return sorted(p for p in DEPLOY.rglob("*.yaml") if p.name != "kustomization.yaml")


def _documents(path: Path) -> list[dict[str, Any]]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def _all() -> list[dict[str, Any]]:
    return [document for path in _manifest_files() for document in _documents(path)]


def _named(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _all() if d["kind"] == kind}


def _containers() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(workload, container) for every container of every Deployment and Job."""
    for workload in _all():
        if workload["kind"] in WORKLOADS:
            for container in workload["spec"]["template"]["spec"]["containers"]:
                yield workload, container


def _environment(container: dict[str, Any]) -> dict[str, str | None]:
    """Every variable the container gets: its own ``env`` and its ConfigMaps' and Secrets' keys."""
    sources = {"configMapRef": (_named("ConfigMap"), "data"), "secretRef": (_named("Secret"), "stringData")}
    found: dict[str, str | None] = {item["name"]: item.get("value") for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        for reference, (documents, field) in sources.items():
            if reference in source:
                found |= documents[source[reference]["name"]][field]
    return found


def _service_of(container: dict[str, Any]) -> tuple[type[BaseSettings], Callable[[], FastAPI]]:
    return SERVICES[container["image"].split(":")[0]]


def _read_variables(settings: type[BaseSettings]) -> set[str]:
    return {name.upper() for name in settings.model_fields}


@pytest.mark.parametrize("path", _manifest_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_manifest_validates_against_the_kubernetes_schemas(path):
    documents = _documents(path)
    assert documents
    for document in documents:
        kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_kustomizations_list_every_manifest_but_the_secret():
    listed = set()
    for kustomization in DEPLOY.rglob("kustomization.yaml"):
        resources = yaml.safe_load(kustomization.read_text())["resources"]
        listed |= {(kustomization.parent / resource).resolve() for resource in resources}
    assert all(path.exists() for path in listed)
    assert {p.resolve() for p in _manifest_files()} - listed == {(DEPLOY / "secret.example.yaml").resolve()}


def test_every_variable_set_is_one_the_service_reads():
    for workload, container in _containers():
        settings, _ = _service_of(container)
        unread = set(_environment(container)) - _read_variables(settings)
        assert not unread, (
            f"{workload['metadata']['name']} sets {sorted(unread)}, which {settings.__module__} never reads"
        )


def test_the_variables_suggested_in_comments_are_read_too():
    """The ConfigMaps show optional settings as comments; a typo there would be copied."""
    for path in DEPLOY.glob("*-configmap.yaml"):
        suggested = set(re.findall(r"^\s*#\s*([A-Z][A-Z0-9_]+):", path.read_text(), re.MULTILINE))
        settings = ApiSettings if path.name.startswith("api") else ScoringSettings
        assert suggested - _read_variables(settings) == set(), path.name


def test_the_secret_holds_what_production_needs():
    secret = _named("Secret")["baseline-secrets"]["stringData"]
    assert set(secret) == {"DATABASE_URL", "BASELINE_ADMIN_TOKEN"}
    assert _named("ConfigMap")["baseline-api-config"]["data"]["BASELINE_ENV"] == "production"


def test_probes_ask_routes_the_service_serves_on_its_port():
    for workload, container in _containers():
        if workload["kind"] != "Deployment":
            continue
        _, create = _service_of(container)
        routes = {context.path for context in iter_route_contexts(create().routes)}
        probes = {name: container[name]["httpGet"]["path"] for name in ("livenessProbe", "readinessProbe")}
        assert probes == {"livenessProbe": "/healthz", "readinessProbe": "/readyz"}
        assert set(probes.values()) <= routes
        [port] = container["ports"]
        assert str(port["containerPort"]) == _environment(container)["PORT"]


def test_every_pod_is_non_root_read_only_and_bounded():
    for workload, container in _containers():
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert {"cpu", "memory"} <= set(container["resources"]["requests"]) & set(
            container["resources"]["limits"]
        )
        assert any(mount["mountPath"] == "/tmp" for mount in container["volumeMounts"])


def test_the_gateway_is_replicated_autoscaled_and_budgeted():
    deployments, hpas, pdbs = (
        _named("Deployment"),
        _named("HorizontalPodAutoscaler"),
        _named("PodDisruptionBudget"),
    )
    assert deployments["baseline-api"]["spec"]["replicas"] >= 2
    for name in ("baseline-api", "baseline-scoring"):
        assert hpas[name]["spec"]["scaleTargetRef"]["name"] == name
        labels = deployments[name]["spec"]["template"]["metadata"]["labels"]
        assert pdbs[name]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    assert hpas["baseline-api"]["spec"]["minReplicas"] >= 2


def test_services_route_to_their_pods_named_port():
    deployments = _named("Deployment")
    for name, service in _named("Service").items():
        pod = deployments[name]["spec"]["template"]
        assert service["spec"]["selector"].items() <= pod["metadata"]["labels"].items()
        ports = {port["name"] for container in pod["spec"]["containers"] for port in container["ports"]}
        assert {port["targetPort"] for port in service["spec"]["ports"]} <= ports


def test_only_the_gateway_reaches_the_scoring_service():
    [policy] = _named("NetworkPolicy").values()
    scoring = _named("Deployment")["baseline-scoring"]["spec"]["template"]["metadata"]["labels"]
    gateway = _named("Deployment")["baseline-api"]["spec"]["template"]["metadata"]["labels"]
    assert policy["spec"]["podSelector"]["matchLabels"].items() <= scoring.items()
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = policy["spec"]["ingress"]
    [source] = rule["from"]
    assert set(source) == {"podSelector"}  # no namespaceSelector, no ipBlock: pods of this namespace
    assert source["podSelector"]["matchLabels"].items() <= gateway.items()
    assert rule["ports"] == [{"protocol": "TCP", "port": 8001}]


def test_the_migrations_job_runs_alembic_from_the_gateway_image():
    [job] = _named("Job").values()
    [container] = job["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "baseline-api"
    assert container["command"] == ["alembic", "upgrade", "head"]
    assert set(_environment(container)) == {"DATABASE_URL"}
