"""The gateway examples in k8s/examples (ingress-nginx `auth-url`, Traefik ForwardAuth) ask
the same /validate as Istio's ext_authz provider and pass the same identity headers on:
only the users API is guarded, auth's routes are not, /internal/* is never routed."""

from __future__ import annotations

from deploy.tools import REPO, Manifest, load_yaml, render

EXAMPLES = REPO / "k8s" / "examples"
ANNOTATION = "nginx.ingress.kubernetes.io/"


def ext_authz() -> dict[str, object]:
    """Istio's extension provider (k8s/istio/mesh-config.yaml): the reference."""
    (mesh,) = load_yaml((REPO / "k8s/istio/mesh-config.yaml").read_text())
    (provider,) = mesh["spec"]["meshConfig"]["extensionProviders"]
    http: dict[str, object] = provider["envoyExtAuthzHttp"]
    return http


def validate_url() -> str:
    istio = ext_authz()
    return f"http://{istio['service']}:{istio['port']}{istio['pathPrefix']}"


def example(name: str) -> list[Manifest]:
    return load_yaml((EXAMPLES / name).read_text())


def services_in_namespace() -> dict[str, int]:
    """Services of the prod overlay and their port, by name."""
    return {
        m["metadata"]["name"]: m["spec"]["ports"][0]["port"]
        for m in render("prod")
        if m["kind"] == "Service"
    }


def test_ingress_nginx_guards_users_with_auths_validate() -> None:
    ingresses = {m["metadata"]["name"]: m for m in example("ingress-nginx.yaml")}
    assert {m["kind"] for m in ingresses.values()} == {"Ingress"}
    users, auth = ingresses["eco2-users"], ingresses["eco2-auth"]
    annotations = users["metadata"]["annotations"]
    assert annotations[ANNOTATION + "auth-url"] == validate_url()
    assert (
        annotations[ANNOTATION + "auth-response-headers"].split(",")
        == (ext_authz()["headersToUpstreamOnAllow"])
    )
    assert ANNOTATION + "auth-cache-key" not in annotations  # a cached 200 outlives logout
    assert "annotations" not in auth["metadata"]  # auth checks its own routes' tokens

    services = services_in_namespace()
    routed: dict[str, tuple[str, str]] = {}
    for ingress in ingresses.values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                assert services[backend["name"]] == backend["port"]["number"]
                routed[path["path"]] = (ingress["metadata"]["name"], backend["name"])
    assert routed == {
        "/api/v1/users/": ("eco2-users", "users"),
        "/api/v1/auth/": ("eco2-auth", "auth"),
    }


def test_traefik_guards_users_with_auths_validate() -> None:
    resources = {m["kind"]: m for m in example("traefik.yaml")}
    assert set(resources) == {"Middleware", "IngressRoute"}
    middleware = resources["Middleware"]
    forward = middleware["spec"]["forwardAuth"]
    assert forward["address"] == validate_url()
    assert forward["authResponseHeaders"] == ext_authz()["headersToUpstreamOnAllow"]
    assert forward["trustForwardHeader"] is False

    services = services_in_namespace()
    routes: dict[str, tuple[str, list[str]]] = {}
    for route in resources["IngressRoute"]["spec"]["routes"]:
        (service,) = route["services"]
        assert services[service["name"]] == service["port"]
        guards = [m["name"] for m in route.get("middlewares", [])]
        routes[service["name"]] = (route["match"], guards)
    assert routes == {
        "users": (
            "Host(`api.eco2.example`) && PathPrefix(`/api/v1/users/`)",
            [middleware["metadata"]["name"]],
        ),
        "auth": ("Host(`api.eco2.example`) && PathPrefix(`/api/v1/auth/`)", []),
    }
