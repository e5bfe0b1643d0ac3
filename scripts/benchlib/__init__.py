"""Benchmark harness: our SDK against the upstream ``objectstore-client`` on one machine.

``scripts/bench`` runs :mod:`benchlib.driver`; every measurement runs in its own process
(:mod:`benchlib.worker`) under the virtualenv of the client being measured. This package must
import nothing but the standard library at import time: it also runs under upstream's venv.
"""
