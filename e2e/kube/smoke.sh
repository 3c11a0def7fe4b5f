#!/usr/bin/env bash
# Spike proof (issue 14, step 1): starts the cached etcd + kube-apiserver on loopback, installs the
# CRDs from crds/, creates an example, and shows what the real server's schema/CEL validation rejects.
# Everything lives in a temp directory that is removed on exit; the admin token never leaves it.
# Needs: build.sh run before (or it runs it), openssl, python3 (free ports), curl, kubectl.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="$("$here/build.sh" | tail -1)"
w="$(mktemp -d /tmp/tro-kube.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT

read -r etcd_port peer_port api_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])
[x.close() for x in s]')

# Service-account signing key, admin token (static token file, group system:masters).
openssl genrsa -out "$w/sa.key" 2048 2>/dev/null
openssl rsa -in "$w/sa.key" -pubout -out "$w/sa.pub" 2>/dev/null
token="$(openssl rand -hex 32)"
echo "$token,admin,admin-uid,system:masters" > "$w/tokens.csv"
chmod 600 "$w/tokens.csv" "$w/sa.key"

t0=$(date +%s.%N)
"$bin/etcd" --data-dir "$w/etcd" --client-port "$etcd_port" --peer-port "$peer_port" > "$w/etcd.log" 2>&1 &
pids+=($!)
"$bin/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$etcd_port" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$api_port" \
  --cert-dir "$w/certs" \
  --token-auth-file "$w/tokens.csv" \
  --authorization-mode RBAC \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$w/sa.pub" \
  --service-account-signing-key-file "$w/sa.key" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --disable-admission-plugins ServiceAccount \
  --allow-privileged=true \
  > "$w/apiserver.log" 2>&1 &
pids+=($!)

# The self-signed serving certificate --cert-dir generates carries its CA in the same file.
for _ in $(seq 1 240); do
  if [[ -f "$w/certs/apiserver.crt" ]] && curl -sf --cacert "$w/certs/apiserver.crt" \
       -H @<(echo "Authorization: Bearer $token") "https://127.0.0.1:$api_port/readyz" >/dev/null; then
    break
  fi
  sleep 0.25
done
t1=$(date +%s.%N)
printf 'etcd + kube-apiserver ready (/readyz) in %.1fs\n' "$(echo "$t1 - $t0" | bc)"

export KUBECONFIG="$w/kubeconfig"
kubectl config set-cluster e2e --server "https://127.0.0.1:$api_port" --certificate-authority "$w/certs/apiserver.crt" --embed-certs >/dev/null
kubectl config set-credentials admin --token "$token" >/dev/null
kubectl config set-context e2e --cluster e2e --user admin >/dev/null
kubectl config use-context e2e >/dev/null
unset token

run() { echo "+ $*"; local rc=0; "$@" > "$w/out" 2>&1 || rc=$?; sed 's/^/  /' "$w/out"; echo "  (exit $rc)"; }
cd "$repo"
run kubectl version
run kubectl apply -f crds/
run kubectl wait --for condition=Established --timeout 60s crd/tokenrotations.tokenrotation.io crd/tokencleanuppolicies.tokenrotation.io
run kubectl create namespace demo
run kubectl apply --dry-run=server -n demo -f examples/automation-script1.yaml
run kubectl create -n demo -f examples/automation-script1.yaml
run kubectl get tokenrotations -n demo -o jsonpath='{.items[0].spec.oldToken}{"\n"}'
# A server dry run does not create the Namespace it contains, so the namespaced objects need it to exist.
for ns in token-rotation-system team-a team-b; do run kubectl create namespace "$ns"; done
run kubectl apply --dry-run=server -k deploy/
run kubectl apply --dry-run=server -k deploy/overlays/namespaced
for f in examples/*.yaml; do run kubectl apply --dry-run=server -n demo -f "$f"; done

bad() { # $1 = label, $2 = sed expression applied to examples/automation-script1.yaml
  echo "--- bad input: $1"
  sed -e "$2" -e 's/name: automation-script1/name: bad/' examples/automation-script1.yaml > "$w/bad.yaml"
  run kubectl create -n demo -f "$w/bad.yaml"
}
bad "interval: 10s (minimum 1m)" 's/interval: 24h/interval: 10s/'
bad "interval: 59s" 's/interval: 24h/interval: 59s/'
bad "interval: 1m (the minimum, accepted)" 's/interval: 24h/interval: 1m/'
bad "interval: 24x" 's/interval: 24h/interval: 24x/'
bad "oldToken.action: Revoke (not in the enum)" 's/action: Delete/action: Revoke/'
bad "oldToken.gracePeriod: soon" 's/gracePeriod: 5m/gracePeriod: soon/'
bad "vault.address: ftp://vault" 's#address: https://vault.example:8200#address: ftp://vault#'
bad "managementToken with both vault and secretRef (CEL)" 's#^    managementToken:#    managementToken:\n      secretRef:\n        name: x\n        key: token#'
bad "auth with both kubernetes and tokenSecretRef (CEL)" 's#^      kubernetes:#      tokenSecretRef:\n        name: x\n        key: token\n      kubernetes:#'
bad "unknown field spec.foo" 's#^  interval: 24h#  interval: 24h\n  foo: bar#'
echo "--- objects stored"
run kubectl get tokenrotations -n demo
