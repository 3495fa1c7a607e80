"""Fixtures for the deployment tests: a cluster from deploy/local (the headless
Chromium is tests/conftest.py's)."""

import pytest
from deploy_support import haproxy_path, local


@pytest.fixture
def cluster():
    """Two replicas behind HAProxy on free loopback ports, stopped after the test."""
    with local.cluster(replicas=2, haproxy=haproxy_path()) as c:
        yield c
