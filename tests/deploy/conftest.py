"""Fixtures for the deployment tests: a cluster from deploy/local, and the end-to-end
tests' headless Chromium (tests/e2e/conftest.py), reused as it is."""

import pytest
from deploy_support import e2e, haproxy_path, local

browser = e2e.browser                       # the same headless Chromium fixture


@pytest.fixture
def cluster():
    """Two replicas behind HAProxy on free loopback ports, stopped after the test."""
    with local.cluster(replicas=2, haproxy=haproxy_path()) as c:
        yield c
