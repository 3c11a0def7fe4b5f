#!/usr/bin/env python3
"""The seed's rotation flow, written for the real services (Vault KV v2 + Dynatrace tokens API v1).

Point it at the simulators or the sandbox unmodified:
    VAULT_ADDR=http://127.0.0.1:8200 VAULT_TOKEN=root DT_ENV_URL=http://127.0.0.1:8380 \
        python3 scripts/seed_rotation.py dynatrace/automation_script1
Prints token ids only, never a secret.
"""
import os
import sys

import requests

VAULT = os.environ.get("VAULT_ADDR", "http://127.0.0.1:8200")
VAULT_TOKEN = os.environ.get("VAULT_TOKEN", "root")
DT = os.environ.get("DT_ENV_URL", "http://127.0.0.1:8380")
path = sys.argv[1] if len(sys.argv) > 1 else "dynatrace/automation_script1"
vault_headers = {"X-Vault-Token": VAULT_TOKEN}


def kv_get(p):
    r = requests.get(f"{VAULT}/v1/secret/data/{p}", headers=vault_headers, timeout=10)
    r.raise_for_status()
    return r.json()["data"]["data"]["token"]


master = kv_get("dynatrace/master")
old = kv_get(path)
dt_headers = {"Authorization": f"Api-Token {master}"}

meta = requests.post(f"{DT}/api/v1/tokens/lookup", json={"token": old}, headers=dt_headers, timeout=10)
meta.raise_for_status()
meta = meta.json()
created = requests.post(f"{DT}/api/v1/tokens", json={"name": meta["name"], "scopes": meta["scopes"]},
                        headers=dt_headers, timeout=10)
created.raise_for_status()
new = created.json()["token"]
requests.post(f"{VAULT}/v1/secret/data/{path}", json={"data": {"token": new}}, headers=vault_headers,
              timeout=10).raise_for_status()
requests.delete(f"{DT}/api/v1/tokens/{meta['id']}", headers=dt_headers, timeout=10).raise_for_status()
check = requests.post(f"{DT}/api/v1/tokens/lookup", json={"token": old}, headers={"Authorization": f"Api-Token {old}"},
                      timeout=10)
print(f"rotated {meta['id']} -> {'.'.join(new.split('.')[:2])}; old token now answers HTTP {check.status_code}")
