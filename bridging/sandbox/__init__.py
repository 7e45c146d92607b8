"""The BPJS sandbox: an imitation of the BPJS Kesehatan gateway for development, UAT and tests.

Contract: SANDBOX.md (names, ports, demo data, rules, controls) and PROTOCOL.md (wire format).
It imports nothing of the project but ``bridging.transport``; nothing but tests imports it.
Serve it with ``python -m bridging.sandbox serve`` (see ``docs/sandbox.md``).
"""
