"""The rendered Kustomize overlays: canary tracks, Istio routing, ext_authz, isolation.

Each test renders every overlay in k8s/overlays with `kubectl kustomize` and asserts on
the resources; Istio resources have no bundled schema, so their fields are checked here.
"""

from __future__ import annotations

import copy

import pytest

from deploy.tools import OVERLAYS, REPO, Manifest, find, load_yaml, of_kind, render, selects
from servicekit.health import CHECK_TIMEOUT_SECONDS

PORTS = {"auth": 8001, "users": 8002}
WORKERS = {
    "auth": ("auth-blacklist-relay", "auth-audit-eraser", "auth-provider-unlink"),
    "users": ("users-outbox-relay", "users-account-purge"),
}
ADMIN_PRINCIPAL = "sa/eco2-admin"
# Every deployable with a stable and a canary track: the two APIs and the account page.
TRACKED_PORTS = {**PORTS, "account": 8080}
TRACKED_IMAGES = {"auth": "auth-api", "users": "users-api", "account": "account-web"}

pytestmark = pytest.mark.parametrize("overlay", OVERLAYS)


def container(workload: Manifest) -> Manifest:
    containers = workload["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    result: Manifest = containers[0]
    return result


def namespace(manifests: tuple[Manifest, ...]) -> str:
    (ns,) = of_kind(manifests, "Namespace")
    name: str = ns["metadata"]["name"]
    return name


def test_overlay_renders_every_deployable(overlay: str) -> None:
    manifests = render(overlay)
    assert {d["metadata"]["name"] for d in of_kind(manifests, "Deployment")} == {
        "auth-stable", "auth-canary", "auth-blacklist-relay", "auth-audit-eraser",
        "auth-provider-unlink",
        "users-stable", "users-canary", "users-outbox-relay", "users-account-purge",
        "account-stable", "account-canary",
    }  # fmt: skip
    assert {j["metadata"]["name"] for j in of_kind(manifests, "Job")} == {
        "auth-migrate",
        "users-migrate",
    }
    ns = namespace(manifests)
    assert all(m["metadata"]["namespace"] == ns for m in manifests if m["kind"] != "Namespace")


@pytest.mark.parametrize("service", sorted(TRACKED_IMAGES))
def test_canary_has_its_own_image_tag(overlay: str, service: str) -> None:
    manifests = render(overlay)
    stable = container(find(manifests, "Deployment", f"{service}-stable"))["image"]
    canary = container(find(manifests, "Deployment", f"{service}-canary"))["image"]
    stable_repo, _, stable_tag = stable.rpartition(":")
    canary_repo, _, canary_tag = canary.rpartition(":")
    assert stable_repo == canary_repo
    assert stable_repo.endswith(f"/eco2/{TRACKED_IMAGES[service]}")
    # The tags the docker_image targets produce: <DEPLOY_ENV>-<TRACK>.
    assert stable_tag == f"{overlay}-stable"
    assert canary_tag == f"{overlay}-canary"


def test_overlay_images_map_stable_and_canary_separately(overlay: str) -> None:
    path = REPO / "k8s" / "overlays" / overlay / "kustomization.yaml"
    (kustomization,) = load_yaml(path.read_text())
    tags = {entry["name"]: entry.get("newTag") for entry in kustomization["images"]}
    for image in TRACKED_IMAGES.values():
        assert tags[f"{image}-stable"].endswith("-stable")
        assert tags[f"{image}-canary"].endswith("-canary")
    # No entry may target the shared repository name: it would retag both tracks at once.
    assert not any(name.startswith("registry.") or "/" in name for name in tags)


@pytest.mark.parametrize("service", sorted(TRACKED_PORTS))
def test_stable_and_canary_select_different_pods(overlay: str, service: str) -> None:
    manifests = render(overlay)
    stable = find(manifests, "Deployment", f"{service}-stable")
    canary = find(manifests, "Deployment", f"{service}-canary")
    stable_selector = stable["spec"]["selector"]["matchLabels"]
    canary_selector = canary["spec"]["selector"]["matchLabels"]
    assert stable_selector == {"app": service, "version": "v1"}
    assert canary_selector == {"app": service, "version": "v2"}
    stable_pods = stable["spec"]["template"]["metadata"]["labels"]
    canary_pods = canary["spec"]["template"]["metadata"]["labels"]
    assert selects(stable_selector, stable_pods)
    assert not selects(stable_selector, canary_pods)
    assert selects(canary_selector, canary_pods)
    assert not selects(canary_selector, stable_pods)

    service_selector = find(manifests, "Service", service)["spec"]["selector"]
    assert selects(service_selector, stable_pods)
    assert selects(service_selector, canary_pods)
    others = [
        w["spec"]["template"]["metadata"]["labels"]
        for w in of_kind(manifests, "Deployment") + of_kind(manifests, "Job")
        if w["metadata"]["name"] not in (f"{service}-stable", f"{service}-canary")
    ]
    assert not any(selects(service_selector, labels) for labels in others)


@pytest.mark.parametrize("service", sorted(TRACKED_PORTS))
def test_tracks_differ_only_in_image_and_version(overlay: str, service: str) -> None:
    manifests = render(overlay)
    specs = []
    for track in ("stable", "canary"):
        spec = copy.deepcopy(find(manifests, "Deployment", f"{service}-{track}")["spec"])
        spec["template"]["spec"]["containers"][0].pop("image")
        labels = spec["template"]["metadata"]["labels"]
        assert labels.pop("version") == {"stable": "v1", "canary": "v2"}[track]
        assert labels.pop("eco2.io/track") == track
        spec["selector"]["matchLabels"].pop("version")
        spec.pop("replicas")
        specs.append(spec)
    assert specs[0] == specs[1]


@pytest.mark.parametrize("service", sorted(PORTS))
def test_api_pods_probe_health_and_ready_and_listen_on_all_interfaces(
    overlay: str, service: str
) -> None:
    manifests = render(overlay)
    prefix = service.upper()
    config = find(manifests, "ConfigMap", f"{service}-config")["data"]
    assert config[f"{prefix}_HOST"] == "0.0.0.0"  # noqa: S104 - pods must listen on the pod IP
    assert config[f"{prefix}_PORT"] == str(PORTS[service])
    assert config[f"{prefix}_PROFILE"] == overlay
    for track in ("stable", "canary"):
        api = container(find(manifests, "Deployment", f"{service}-{track}"))
        assert api["args"] == ["serve"]
        assert api["ports"] == [
            {"name": "http", "containerPort": PORTS[service], "protocol": "TCP"}
        ]
        assert api["livenessProbe"]["httpGet"] == {"path": "/health", "port": "http"}
        assert api["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "http"}
        # /ready answers within its own check timeout even while a dependency hangs.
        assert api["readinessProbe"]["timeoutSeconds"] > CHECK_TIMEOUT_SECONDS
        assert {"name": f"{service}-config"} in [e.get("configMapRef") for e in api["envFrom"]]
    (port,) = find(manifests, "Service", service)["spec"]["ports"]
    assert (port["port"], port["targetPort"], port["name"]) == (PORTS[service], "http", "http")


def test_every_container_is_bounded_and_unprivileged(overlay: str) -> None:
    manifests = render(overlay)
    for workload in of_kind(manifests, "Deployment") + of_kind(manifests, "Job"):
        pod = workload["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        for c in pod["containers"]:
            assert set(c["resources"]["requests"]) == {"cpu", "memory"}, workload["metadata"]
            assert set(c["resources"]["limits"]) == {"cpu", "memory"}, workload["metadata"]
            assert c["securityContext"]["allowPrivilegeEscalation"] is False
            assert c["securityContext"]["readOnlyRootFilesystem"] is True


def test_secrets_are_referenced_never_stored(overlay: str) -> None:
    manifests = render(overlay)
    assert of_kind(manifests, "Secret") == []
    secret_like = ("_DATABASE_URL", "_REDIS_URL", "_API_TOKEN", "__TOKEN", "_PEM", "SECRET")
    for config in of_kind(manifests, "ConfigMap"):
        assert not [key for key in config["data"] if key.endswith(secret_like)]
    env = {
        e["name"]: e["valueFrom"]["secretKeyRef"]
        for workload in of_kind(manifests, "Deployment")
        for e in container(workload).get("env", [])
        if "valueFrom" in e
    }
    assert env["AUTH_DATABASE_URL"] == {"name": "auth-secrets", "key": "database-url"}
    assert env["AUTH_REDIS_URL"] == {"name": "auth-secrets", "key": "redis-url"}
    assert env["AUTH_OAUTH__USERS__TOKEN"] == {"name": "auth-secrets", "key": "users-api-token"}
    assert env["AUTH_PROVIDER_TOKENS__KEYS"] == {
        "name": "auth-secrets",
        "key": "provider-token-keys",
    }
    assert env["USERS_DATABASE_URL"] == {"name": "users-secrets", "key": "database-url"}
    assert env["USERS_REDIS_URL"] == {"name": "users-secrets", "key": "redis-url"}
    assert env["USERS_INTERNAL_API_TOKEN"] == {"name": "users-secrets", "key": "internal-api-token"}
    # Optional: without it the admin API refuses every call.
    assert env["AUTH_ADMIN_CREDENTIALS"] == {
        "name": "auth-secrets",
        "key": "admin-credentials",
        "optional": True,
    }
    assert env["USERS_ADMIN_CREDENTIALS"] == {
        "name": "users-secrets",
        "key": "admin-credentials",
        "optional": True,
    }


def test_every_users_process_gets_the_internal_token(overlay: str) -> None:
    # UsersSettings refuses to start without it outside the local/test profiles.
    manifests = render(overlay)
    users = [
        w
        for w in of_kind(manifests, "Deployment") + of_kind(manifests, "Job")
        if w["metadata"]["labels"]["app.kubernetes.io/name"] == "users"
    ]
    assert len(users) == 5
    for workload in users:
        env = {e["name"]: e.get("valueFrom") for e in container(workload)["env"]}
        assert env["USERS_INTERNAL_API_TOKEN"] == {
            "secretKeyRef": {"name": "users-secrets", "key": "internal-api-token"}
        }


def test_auth_signing_keys_are_files_from_a_secret(overlay: str) -> None:
    manifests = render(overlay)
    keys_dir = find(manifests, "ConfigMap", "auth-config")["data"]["AUTH_TOKEN__KEYS_DIR"]
    assert keys_dir == "/var/run/secrets/eco2/jwt"
    for name in ("auth-stable", "auth-canary", "auth-blacklist-relay"):
        deployment = find(manifests, "Deployment", name)
        assert deployment["spec"]["template"]["spec"]["securityContext"]["fsGroup"] == 10001
        mounts = {m["mountPath"]: m for m in container(deployment)["volumeMounts"]}
        assert mounts[keys_dir]["readOnly"] is True
        volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
        assert volumes[mounts[keys_dir]["name"]]["secret"]["secretName"] == "auth-jwt-keys"


@pytest.mark.parametrize("service", sorted(PORTS))
def test_migration_job_runs_migrate_with_the_release_being_rolled_out(
    overlay: str, service: str
) -> None:
    manifests = render(overlay)
    job = find(manifests, "Job", f"{service}-migrate")
    migrate = container(job)
    assert migrate["args"] == ["migrate"]
    canary = container(find(manifests, "Deployment", f"{service}-canary"))
    assert migrate["image"] == canary["image"]
    template = job["spec"]["template"]
    assert template["spec"]["restartPolicy"] == "Never"
    assert template["metadata"]["annotations"]["sidecar.istio.io/inject"] == "false"


@pytest.mark.parametrize("name", [name for names in WORKERS.values() for name in names])
def test_workers_are_deployments_of_their_own_image(overlay: str, name: str) -> None:
    manifests = render(overlay)
    worker = find(manifests, "Deployment", name)
    repository, _, tag = container(worker)["image"].rpartition(":")
    assert repository.endswith(f"/eco2/{name}")
    assert tag == f"{overlay}-stable"
    assert "args" not in container(worker)


@pytest.mark.parametrize(
    ("worker", "prefix", "port"),
    [
        ("auth-blacklist-relay", "AUTH_RELAY__", 9101),
        ("users-outbox-relay", "USERS_OUTBOX__", 9102),
        ("users-account-purge", "USERS_DELETION__", 9103),
        ("auth-audit-eraser", "AUTH_AUDIT_ERASER__", 9104),
        ("auth-provider-unlink", "AUTH_PROVIDER_UNLINK__", 9105),
    ],
)
def test_relays_are_probed_on_their_own_port_listening_on_all_interfaces(
    overlay: str, worker: str, prefix: str, port: int
) -> None:
    manifests = render(overlay)
    relay = container(find(manifests, "Deployment", worker))
    env = {e["name"]: e.get("value") for e in relay["env"]}
    assert env[f"{prefix}METRICS_HOST"] == "0.0.0.0"  # noqa: S104 - probed on the pod IP
    assert env[f"{prefix}METRICS_PORT"] == str(port)
    assert relay["ports"] == [{"name": "metrics", "containerPort": port, "protocol": "TCP"}]
    assert relay["livenessProbe"]["httpGet"] == {"path": "/health", "port": "metrics"}
    assert relay["readinessProbe"]["httpGet"] == {"path": "/ready", "port": "metrics"}
    (policy,) = (p for p in of_kind(manifests, "NetworkPolicy") if p["metadata"]["name"] == worker)
    scraped = [rule["ports"] for rule in policy["spec"]["ingress"]]
    assert scraped == [[{"port": port, "protocol": "TCP"}, {"port": 15020, "protocol": "TCP"}]]


@pytest.mark.parametrize("service", sorted(TRACKED_PORTS))
def test_hpa_and_pdb_cover_the_stable_track(overlay: str, service: str) -> None:
    manifests = render(overlay)
    hpa = find(manifests, "HorizontalPodAutoscaler", f"{service}-stable")
    assert hpa["spec"]["scaleTargetRef"]["name"] == f"{service}-stable"
    assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    pdb = find(manifests, "PodDisruptionBudget", f"{service}-stable")
    assert pdb["spec"]["selector"]["matchLabels"] == {"app": service, "version": "v1"}


@pytest.mark.parametrize("service", sorted(TRACKED_PORTS))
def test_destination_rule_splits_subsets_by_version(overlay: str, service: str) -> None:
    rule = find(render(overlay), "DestinationRule", service)
    assert rule["apiVersion"].startswith("networking.istio.io/")
    assert rule["spec"]["host"] == service
    assert rule["spec"]["subsets"] == [
        {"name": "stable", "labels": {"version": "v1"}},
        {"name": "canary", "labels": {"version": "v2"}},
    ]


def canary_then_stable(routes: list[Manifest], service: str, extra_match: Manifest) -> None:
    """Assert: header `x-canary: true` → canary subset first, then everything → stable."""
    canary, stable = routes
    assert canary["match"] == [{**extra_match, "headers": {"x-canary": {"exact": "true"}}}]
    assert [r["destination"] for r in canary["route"]] == [
        {"host": service, "subset": "canary", "port": {"number": TRACKED_PORTS[service]}}
    ]
    if extra_match:
        assert stable["match"] == [extra_match]
    else:
        assert "match" not in stable
    assert [r["destination"] for r in stable["route"]] == [
        {"host": service, "subset": "stable", "port": {"number": TRACKED_PORTS[service]}}
    ]


@pytest.mark.parametrize("service", sorted(TRACKED_PORTS))
def test_mesh_virtual_service_sends_the_canary_header_to_canary(overlay: str, service: str) -> None:
    route = find(render(overlay), "VirtualService", service)
    assert route["spec"]["hosts"] == [service]
    assert "gateways" not in route["spec"]  # mesh only
    canary_then_stable(route["spec"]["http"], service, {})


def test_edge_virtual_service_applies_the_same_canary_rule(overlay: str) -> None:
    manifests = render(overlay)
    edge = find(manifests, "VirtualService", "eco2-edge")
    gateway = find(manifests, "Gateway", "eco2-gateway")
    assert edge["spec"]["gateways"] == ["eco2-gateway"]
    assert edge["spec"]["hosts"] == gateway["spec"]["servers"][0]["hosts"]
    (host,) = edge["spec"]["hosts"]
    auth_config = find(manifests, "ConfigMap", "auth-config")["data"]
    assert auth_config["AUTH_OAUTH__CALLBACK_BASE_URL"] == f"https://{host}"
    # One origin: a login returns to the account page on the same host.
    assert auth_config["AUTH_OAUTH__FRONTEND_ORIGIN"] == f"https://{host}"
    routes = edge["spec"]["http"]
    assert [r["name"] for r in routes] == [
        "auth-canary", "auth-stable", "users-canary", "users-stable",
        "account-canary", "account-stable",
    ]  # fmt: skip
    canary_then_stable(routes[0:2], "auth", {"uri": {"prefix": "/api/v1/auth/"}})
    canary_then_stable(routes[2:4], "users", {"uri": {"prefix": "/api/v1/users/"}})
    # Everything else (matched last) is the page's: it answers 404 for /internal/*.
    canary_then_stable(routes[4:6], "account", {"uri": {"prefix": "/"}})


def test_ext_authz_guards_the_api_except_login_refresh_providers_jwks(overlay: str) -> None:
    manifests = render(overlay)
    (mesh,) = load_yaml((REPO / "k8s/istio/mesh-config.yaml").read_text())
    (provider,) = mesh["spec"]["meshConfig"]["extensionProviders"]
    http = provider["envoyExtAuthzHttp"]
    assert http["service"] == f"auth.{namespace(manifests)}.svc.cluster.local"
    assert http["port"] == PORTS["auth"]
    assert http["pathPrefix"] == "/api/v1/auth/validate"
    assert http["failOpen"] is False
    assert http["headersToUpstreamOnAllow"] == ["x-user-id", "x-session-id", "x-auth-provider"]

    policy = find(manifests, "AuthorizationPolicy", "eco2-ext-authz")
    assert policy["spec"]["action"] == "CUSTOM"
    assert policy["spec"]["provider"] == {"name": provider["name"]}
    (rule,) = policy["spec"]["rules"]
    (operation,) = (to["operation"] for to in rule["to"])
    assert operation["paths"] == ["/api/v1/*"]
    assert set(operation["notPaths"]) == {
        "*/authorize",  # GET /api/v1/auth/{provider}/authorize: login
        "*/callback",  # GET (or, for Apple, POST) /api/v1/auth/{provider}/callback
        "/api/v1/auth/refresh",
        "/api/v1/auth/providers",  # the sign-in page's provider list
        "/api/v1/auth/kakao/unlink",  # Kakao's unlink webhook (its admin key is the proof)
        "/api/v1/auth/naver/deauthorize",  # Naver's deauthorize callback (HMAC-signed)
        "/api/v1/auth/.well-known/*",  # JWKS
        "/api/v1/auth/validate*",  # the check itself
        "/api/v1/users/me/restore",  # no session: the restore ticket is its credential
    }
    selector = policy["spec"]["selector"]["matchLabels"]
    selected = {
        w["metadata"]["name"]
        for w in of_kind(manifests, "Deployment")
        if selects(selector, w["spec"]["template"]["metadata"]["labels"])
    }
    assert selected == {"auth-stable", "auth-canary", "users-stable", "users-canary"}


def test_only_auth_reaches_the_users_internal_api(overlay: str) -> None:
    manifests = render(overlay)
    ns = namespace(manifests)
    for track in ("stable", "canary"):
        pod = find(manifests, "Deployment", f"auth-{track}")["spec"]["template"]["spec"]
        assert pod["serviceAccountName"] == "auth"
    find(manifests, "ServiceAccount", "auth")

    # L7: /internal/* denied to every principal but auth's ServiceAccount (the admin API:
    # but the administrators'), under strict mTLS.
    deny = find(manifests, "AuthorizationPolicy", "users-internal-only-auth")
    assert deny["spec"]["action"] == "DENY"
    assert deny["spec"]["selector"]["matchLabels"] == {"app": "users"}
    identity, admin = deny["spec"]["rules"]
    assert identity["from"] == [{"source": {"notPrincipals": [f"cluster.local/ns/{ns}/sa/auth"]}}]
    assert identity["to"] == [
        {"operation": {"paths": ["/internal/*"], "notPaths": ["/internal/v1/admin/*"]}}
    ]
    assert admin["from"] == [
        {"source": {"notPrincipals": [f"cluster.local/ns/{ns}/{ADMIN_PRINCIPAL}"]}}
    ]
    assert admin["to"] == [{"operation": {"paths": ["/internal/v1/admin/*"]}}]
    peer = find(manifests, "PeerAuthentication", "default")
    assert peer["spec"]["mtls"]["mode"] == "STRICT"

    # L4: users API pods admit only auth pods and the ingress gateway.
    policy = find(manifests, "NetworkPolicy", "users-api")
    users_pods = find(manifests, "Deployment", "users-canary")["spec"]["template"]["metadata"]
    assert selects(policy["spec"]["podSelector"]["matchLabels"], users_pods["labels"])
    (ingress,) = (
        rule
        for rule in policy["spec"]["ingress"]
        if {"port": PORTS["users"], "protocol": "TCP"} in rule["ports"]
    )
    assert ingress["from"] == [
        {"podSelector": {"matchLabels": {"app": "auth"}}},
        {
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}},
            "podSelector": {"matchLabels": {"istio": "ingressgateway"}},
        },
        {"podSelector": {"matchLabels": {"app": "eco2-admin"}}},
    ]
    assert ingress["ports"] == [{"port": PORTS["users"], "protocol": "TCP"}]
    # The only other rule lets the monitoring namespace reach the sidecar's metrics port.
    assert [rule["ports"] for rule in policy["spec"]["ingress"] if rule is not ingress] == [
        [{"port": 15020, "protocol": "TCP"}]
    ]
    relay_pods = find(manifests, "Deployment", "auth-blacklist-relay")["spec"]["template"]
    assert not selects({"app": "auth"}, relay_pods["metadata"]["labels"])


def test_every_pod_has_a_network_policy(overlay: str) -> None:
    manifests = render(overlay)
    policies = of_kind(manifests, "NetworkPolicy")
    selectors = [policy["spec"]["podSelector"]["matchLabels"] for policy in policies]
    for workload in of_kind(manifests, "Deployment") + of_kind(manifests, "Job"):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        assert any(selects(s, labels) for s in selectors), workload["metadata"]["name"]


def test_the_admin_apis_are_never_routed_publicly_and_only_admins_reach_them(
    overlay: str,
) -> None:
    manifests = render(overlay)
    ns = namespace(manifests)
    # The edge routes only the public prefixes to the services: /internal/* of either one
    # falls to the account page (the last route, "/"), which answers 404 for it.
    edge = find(manifests, "VirtualService", "eco2-edge")
    hosts = {
        match["uri"]["prefix"]: route["route"][0]["destination"]["host"].split(".")[0]
        for route in edge["spec"]["http"]
        for match in route["match"]
    }
    assert hosts == {"/api/v1/auth/": "auth", "/api/v1/users/": "users", "/": "account"}
    # auth serves /internal/* for administrators only.
    deny = find(manifests, "AuthorizationPolicy", "auth-internal-only-admin")
    assert deny["spec"]["action"] == "DENY"
    assert deny["spec"]["selector"]["matchLabels"] == {"app": "auth"}
    (rule,) = deny["spec"]["rules"]
    assert rule["from"] == [
        {"source": {"notPrincipals": [f"cluster.local/ns/{ns}/{ADMIN_PRINCIPAL}"]}}
    ]
    assert rule["to"] == [{"operation": {"paths": ["/internal/*"]}}]
    admin = find(manifests, "ServiceAccount", "eco2-admin")
    assert admin["automountServiceAccountToken"] is False
    # No workload runs as the administrators' ServiceAccount: only an operator's pod does.
    for workload in of_kind(manifests, "Deployment") + of_kind(manifests, "Job"):
        assert workload["spec"]["template"]["spec"]["serviceAccountName"] != "eco2-admin"


def test_account_page_serves_static_files_reached_only_through_the_gateway(overlay: str) -> None:
    manifests = render(overlay)
    for track in ("stable", "canary"):
        deployment = find(manifests, "Deployment", f"account-{track}")
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        # A web page, not an API: outside the ext_authz policy (its /api calls are checked
        # at auth and users).
        assert labels["app.kubernetes.io/component"] == "web"
        page = container(deployment)
        assert page["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}]
        assert page["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert page["readinessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert "env" not in page  # no configuration, no secret
        assert {m["mountPath"] for m in page["volumeMounts"]} == {"/tmp"}
    (port,) = find(manifests, "Service", "account")["spec"]["ports"]
    assert (port["port"], port["targetPort"]) == (8080, "http")
    policy = find(manifests, "NetworkPolicy", "account-web")
    ingress = [rule["from"] for rule in policy["spec"]["ingress"]]
    assert ingress == [
        [
            {
                "namespaceSelector": {
                    "matchLabels": {"kubernetes.io/metadata.name": "istio-system"}
                },
                "podSelector": {"matchLabels": {"istio": "ingressgateway"}},
            }
        ],
        [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}],
    ]


def test_every_auth_process_that_keeps_or_uses_provider_tokens_gets_the_key_ring(
    overlay: str,
) -> None:
    # The API (it seals tokens at login) and the provider unlink (it opens them) refuse to
    # start without the key ring outside the local/test profiles.
    manifests = render(overlay)
    config = find(manifests, "ConfigMap", "auth-config")["data"]
    assert config["AUTH_PROVIDER_TOKENS__CURRENT_KID"]
    for name in ("auth-stable", "auth-canary", "auth-provider-unlink"):
        workload = container(find(manifests, "Deployment", name))
        env = {e["name"]: e.get("valueFrom") for e in workload["env"]}
        assert env["AUTH_PROVIDER_TOKENS__KEYS"] == {
            "secretKeyRef": {"name": "auth-secrets", "key": "provider-token-keys"}
        }
        sources = [source.get("secretRef", {}).get("name") for source in workload["envFrom"]]
        assert "auth-oauth-clients" in sources
