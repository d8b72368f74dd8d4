#!/bin/sh
# Lists every user of every user pool with the devices cognitod remembers for them (key, name,
# remembered status, last IP), through the aws CLI. ENDPOINT (default http://cognitod:9229) is where cognitod answers.
set -eu
endpoint=${ENDPOINT:-http://cognitod:9229}
idp() { aws cognito-idp --endpoint-url "$endpoint" "$@"; }

# compose starts this once cognitod's healthcheck passes; a runner that does not wait for health
# gets 30 s of retries instead.
for _ in $(seq 1 60); do
    if idp list-user-pools --max-results 1 >/dev/null 2>&1; then
        break
    fi
    sleep 0.5
done

pools=$(idp list-user-pools --max-results 60 --query 'UserPools[].Id' --output text)
for pool in $pools; do
    echo "== user pool $pool"
    for user in $(idp list-users --user-pool-id "$pool" --query 'Users[].Username' --output text); do
        echo "-- $user"
        idp admin-list-devices --user-pool-id "$pool" --username "$user" --output text \
            --query 'Devices[].[DeviceKey, DeviceAttributes[?Name==`device_name`].Value | [0], DeviceAttributes[?Name==`dev:device_remembered_status`].Value | [0], DeviceAttributes[?Name==`last_ip_used`].Value | [0]]'
    done
done
