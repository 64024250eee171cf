#!/usr/bin/env bash
# kubectl against the dev server (`kubex-rx fake-server`, as a user starts it), the commands of issue #13's
# done-when: create configmap|namespace|deployment (protobuf bodies), get pods with the real columns, explain,
# auth can-i, scale, delete --cascade=foreground, get --raw /openapi/v2. Run from the repository root after a build.
set -euo pipefail
work=$(mktemp -d)
node dist/cli.js fake-server > "$work/server.out" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^listening on ' "$work/server.out" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$work/server.out")
k() { HOME="$work" KUBECACHEDIR="$work/cache" kubectl --server="$url" --request-timeout=20s "$@"; }
expect() { grep -qE "$1" <<<"$2" || { echo "expected /$1/ in:"; echo "$2"; exit 1; }; }

expect '^configmap/cm created$' "$(k create configmap cm --from-literal=a=b)"
expect '^namespace/team-a created$' "$(k create namespace team-a)"
expect '^deployment.apps/web created$' "$(k create deployment web --image=nginx -n team-a)"
expect '"a":"b"' "$(k get configmap cm -o jsonpath='{.data}')"
# Defaults of a real server on the created Deployment.
expect '^RollingUpdate 10 600$' "$(k get deployment web -n team-a -o jsonpath='{.spec.strategy.type} {.spec.revisionHistoryLimit} {.spec.progressDeadlineSeconds}')"

cat > "$work/pod.json" <<'POD'
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p1","namespace":"team-a"},"spec":{"nodeName":"n1","containers":[{"name":"c","image":"busybox"}]}}
POD
k create -f "$work/pod.json" >/dev/null
expect '^NAME +READY +STATUS +RESTARTS +AGE$' "$(k get pods -n team-a | head -1)"
expect '^p1 +0/1 +Pending +0 ' "$(k get pods -n team-a --no-headers)"
expect 'FIELDS:' "$(k explain pods.spec)"
expect '^yes$' "$(k auth can-i create pods)"
expect 'scaled' "$(k scale deployment web -n team-a --replicas=3)"
expect '^3$' "$(k get deployment web -n team-a -o jsonpath='{.spec.replicas}')"
k get --raw /openapi/v2 > "$work/openapi.json"
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (d.swagger !== "2.0" || !d.paths["/api/v1/namespaces/{namespace}/pods"]) process.exit(1)' "$work/openapi.json" \
  || { echo "/openapi/v2 is not the v1.35 swagger"; exit 1; }
# Foreground deletion: kubectl waits until the garbage collector has removed the dependents and the owner.
cat > "$work/rs.json" <<'RS'
{"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-rs","namespace":"team-a","ownerReferences":[]},"spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
RS
uid=$(k get deployment web -n team-a -o jsonpath='{.metadata.uid}')
sed -i "s/\"ownerReferences\":\[\]/\"ownerReferences\":[{\"apiVersion\":\"apps\/v1\",\"kind\":\"Deployment\",\"name\":\"web\",\"uid\":\"$uid\",\"controller\":true,\"blockOwnerDeletion\":true}]/" "$work/rs.json"
k create -f "$work/rs.json" >/dev/null
expect 'deleted' "$(k delete deployment web -n team-a --cascade=foreground)"
if k get replicaset web-rs -n team-a >/dev/null 2>&1; then echo "the ReplicaSet survived a foreground delete of its owner"; exit 1; fi
echo "kubectl against the dev server: all commands behaved as on a real cluster"
