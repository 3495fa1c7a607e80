"""The container, compose and Kubernetes files, checked offline: parsed, validated
against Kubernetes' JSON schemas (shipped inside the kubernetes-validate wheel) and
HAProxy's own config check, and held to what the deployment needs."""

import re
import shlex
import socket
import subprocess
import sys

import kubernetes_validate
import pytest
import yaml
from deploy_support import ROOT, haproxy_path, local
from dockerfile_parse import DockerfileParser

from nnviz.limits import ENV

DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
HEALTH = local.HEALTH
# every setting the app reads: the session budget's, and the MNIST directory
BUDGET = [name for name, _, _ in ENV.values()] + ["NNVIZ_MNIST_DIR"]


# --- Dockerfile ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def dockerfile():
    parser = DockerfileParser(str(DEPLOY / "Dockerfile"))
    return [(s["instruction"], s["value"]) for s in parser.structure
            if s["instruction"] != "COMMENT"]


def values(instructions, name):
    return [v for i, v in instructions if i == name]


def exec_form(value):
    """The argument list of an exec-form CMD/HEALTHCHECK ("CMD [...]" or "[...]")."""
    return yaml.safe_load(value[value.index("["):])


def test_the_image_is_slim_python(dockerfile):
    assert values(dockerfile, "FROM") == ["python:3.11-slim-bookworm"]


def test_the_app_runs_as_a_user_that_owns_none_of_it(dockerfile):
    users = values(dockerfile, "USER")
    assert users, "no USER: the app would run as root"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) != 0        # numeric: Kubernetes can check runAsNonRoot
    after_user = dockerfile[[i for i, _ in dockerfile].index("USER"):]
    assert not [i for i, _ in after_user if i in ("RUN", "COPY", "ADD")], \
        "nothing may be written after switching to the app's user"
    for instruction, value in dockerfile:
        if instruction in ("COPY", "ADD"):
            assert "--chown" not in value and "--chmod" not in value, value
        if instruction == "RUN":
            assert "chown" not in value and "chmod" not in value, value


def test_everything_copied_is_in_the_repository(dockerfile):
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    for value in values(dockerfile, "COPY"):
        *sources, _ = shlex.split(value)
        for source in sources:
            assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
            assert source.rstrip("/") not in ignored


def test_the_port_the_health_check_and_the_command_agree(dockerfile):
    port = values(dockerfile, "EXPOSE")[-1]
    assert port == "8501"
    check = values(dockerfile, "HEALTHCHECK")[-1]
    assert "--start-period" in check
    probe = exec_form(check)
    assert probe[:3] == ["python", "deploy/local", "health"]
    assert probe[probe.index("--url") + 1] == f"http://127.0.0.1:{port}/"
    cmd = exec_form(values(dockerfile, "CMD")[-1])
    assert cmd[:3] == ["streamlit", "run", "app.py"]
    assert cmd[cmd.index("--server.port") + 1] == port
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"


def test_the_shared_server_settings_are_the_global_streamlit_config(dockerfile):
    copies = [shlex.split(v) for v in values(dockerfile, "COPY")]
    assert ["deploy/streamlit.toml", "/home/nnviz/.streamlit/config.toml"] in copies
    assert "HOME=/home/nnviz" in values(dockerfile, "ENV")
    flags = local.streamlit_flags()
    assert dict(zip(flags[::2], flags[1::2], strict=True)) == {
        "--server.headless": "true", "--server.fileWatcherType": "none",
        "--browser.gatherUsageStats": "false"}


def test_the_session_budget_is_documented_everywhere_it_is_set():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hosting = readme[readme.index("## Hosting"):]
    for name in BUDGET:
        assert name in hosting, f"README's Hosting section does not describe {name}"
        assert name in (DEPLOY / "Dockerfile").read_text()
        assert name in (DEPLOY / "compose.yaml").read_text()


# --- HAProxy -------------------------------------------------------------------------

def haproxy_check(tmp_path, text):
    path = tmp_path / "haproxy.cfg"
    path.write_text(text)
    out = subprocess.run([haproxy_path(), "-c", "-f", str(path)], capture_output=True, text=True,
                         timeout=30)
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def sections(text):
    """{section header: [its lines]} of an HAProxy config, comments dropped."""
    out, current = {}, None
    for line in text.splitlines():
        line = line.split("#", 1)[0].rstrip()
        if not line:
            continue
        if not line[0].isspace():
            current = line.strip()
            out[current] = []
        else:
            out[current].append(" ".join(line.split()))
    return out


def test_the_rendered_local_config_passes_haproxys_check(tmp_path):
    text = local.render("127.0.0.1:8080", local.loopback_servers([8601, 8602]),
                        tmp_path / "haproxy.sock")
    haproxy_check(tmp_path, text)
    backend = sections(text)["backend nnviz"]
    assert "server r1 127.0.0.1:8601 cookie r1" in backend
    assert "server r2 127.0.0.1:8602 cookie r2" in backend


def test_the_template_pins_viewers_keeps_websockets_and_moves_them_off_dead_servers():
    text = local.render(":8080", local.loopback_servers([8501]), "/tmp/haproxy.sock")
    s = sections(text)
    backend, defaults = s["backend nnviz"], s["defaults"]
    assert any(re.fullmatch(r"cookie NNVIZ_SERVER insert indirect nocache.*", line)
               for line in backend)
    assert f"option httpchk GET {HEALTH}" in backend
    assert "option redispatch" in defaults
    tunnel = [line.split()[2] for line in defaults if line.startswith("timeout tunnel ")]
    assert tunnel == ["1h"]                      # a websocket outlives client/server timeouts
    assert "timeout client 60s" in defaults and "timeout server 60s" in defaults
    assert "check" in next(line for line in backend if line.startswith("default-server"))


def test_the_compose_config_is_the_template_rendered(tmp_path):
    """deploy/haproxy.compose.cfg is `deploy/local render` output with the flags its
    first line names: the template stays the one place to edit."""
    committed = (DEPLOY / "haproxy.compose.cfg").read_text()
    flags = shlex.split(re.search(r"`deploy/local render (.*?)`", committed).group(1))
    rendered = subprocess.run([sys.executable, str(DEPLOY / "local"), "render", *flags],
                              capture_output=True, text=True, timeout=30, check=True).stdout
    assert rendered == committed, "deploy/haproxy.compose.cfg is stale: render it again"
    haproxy_check(tmp_path, committed)


# --- compose ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_compose_runs_replicas_of_the_image_behind_haproxy(compose):
    services = compose["services"]
    assert set(services) == {"app", "proxy"}
    app, proxy = services["app"], services["proxy"]
    assert app["build"] == {"context": "..", "dockerfile": "deploy/Dockerfile"}
    assert app["deploy"]["replicas"] >= 2
    assert "ports" not in app, "replicas cannot share a published port: only the proxy has one"
    assert app["expose"] == ["8501"]
    assert app["read_only"] is True and "/tmp" in app["tmpfs"]
    assert sorted(app["environment"]) == sorted(BUDGET)

    assert proxy["image"].startswith("haproxy:2.")
    assert proxy["ports"] == ["8080:8080"]
    mount = "./haproxy.compose.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro"
    assert mount in proxy["volumes"]
    assert "bind :8080" in sections((DEPLOY / "haproxy.compose.cfg").read_text())["frontend web"]
    # the proxy starts once an app container is healthy: the image's HEALTHCHECK
    assert proxy["depends_on"] == {"app": {"condition": "service_healthy"}}
    assert "HEALTHCHECK" in (DEPLOY / "Dockerfile").read_text()
    slots = re.search(r"server-template app 1-(\d+) app:8501",
                      (DEPLOY / "haproxy.compose.cfg").read_text())
    assert slots and int(slots.group(1)) >= app["deploy"]["replicas"]


# --- Kubernetes ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def k8s():
    """{kind: the manifest} of every file kustomization.yaml lists."""
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    docs = [doc for name in listed for doc in yaml.safe_load_all((K8S / name).read_text())]
    return {doc["kind"]: doc for doc in docs}


@pytest.fixture
def offline(monkeypatch):
    """Any attempt to reach the network fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("schema validation tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("kind", ["Deployment", "Service", "Ingress"])
def test_manifests_match_the_kubernetes_schema(k8s, kind, offline):
    kubernetes_validate.validate(k8s[kind], kubernetes_validate.latest_version(), strict=True)


def test_schema_validation_catches_a_wrong_field(k8s, offline):
    broken = yaml.safe_load(yaml.safe_dump(k8s["Deployment"]))
    broken["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, kubernetes_validate.latest_version(), strict=True)


def container(k8s):
    containers = k8s["Deployment"]["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def test_pods_run_non_root_on_a_read_only_root(k8s):
    pod = k8s["Deployment"]["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    c = container(k8s)["securityContext"]
    assert c["readOnlyRootFilesystem"] is True
    assert c["allowPrivilegeEscalation"] is False
    assert c["capabilities"]["drop"] == ["ALL"]
    mounts = {m["mountPath"]: m["name"] for m in container(k8s)["volumeMounts"]}
    volumes = {v["name"]: v for v in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]]          # the one writable place


def test_probes_ask_the_health_endpoint_on_the_served_port(k8s):
    c = container(k8s)
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"http": 8501}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert c[probe]["httpGet"] == {"path": HEALTH, "port": "http"}, probe
    # liveness gives up later than readiness: a busy pod leaves the rotation, not life
    live, ready = c["livenessProbe"], c["readinessProbe"]
    assert live["periodSeconds"] * live["failureThreshold"] > \
        ready["periodSeconds"] * ready["failureThreshold"]


def test_resources_and_session_budget_are_set(k8s):
    c = container(k8s)
    for part in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(c["resources"][part])
    env = {e["name"]: e["value"] for e in c["env"]}
    assert set(env) <= set(BUDGET) and "NNVIZ_MAX_PLAYING" in env
    assert int(env["NNVIZ_MAX_PLAYING"]) > 0


def test_the_service_and_ingress_reach_the_pods_with_cookie_affinity(k8s):
    pod_labels = k8s["Deployment"]["spec"]["template"]["metadata"]["labels"]
    service = k8s["Service"]["spec"]
    assert service["selector"].items() <= pod_labels.items()
    assert [p["targetPort"] for p in service["ports"]] == ["http"]
    ingress = k8s["Ingress"]
    notes = ingress["metadata"]["annotations"]
    prefix = "nginx.ingress.kubernetes.io/"
    assert notes[prefix + "affinity"] == "cookie"
    assert notes[prefix + "session-cookie-name"] == "NNVIZ_SERVER"
    assert int(notes[prefix + "proxy-read-timeout"]) >= 3600       # open websockets
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": k8s["Service"]["metadata"]["name"], "port": {"name": "http"}}
    assert ingress["spec"]["ingressClassName"] == "nginx"


def test_kustomization_applies_every_manifest(k8s):
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert sorted(listed) == sorted(p.name for p in K8S.glob("*.yaml")
                                    if p.name != "kustomization.yaml")
    assert set(k8s) == {"Deployment", "Service", "Ingress"}
