// The remembered-device scenario as a browser app runs it with amazon-cognito-identity-js, and
// AdminForgetDevice from the admin side through the AWS SDK for JavaScript v3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser } from 'amazon-cognito-identity-js';
import { AdminForgetDeviceCommand, AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startServer, makePool, makeUser } from './harness.js';

// Signs in with SRP; answers an SMS MFA challenge with the code from cognitod's outbox and
// records that MFA was asked.
function signIn(server, poolId, user, password) {
    return new Promise((resolve, reject) => {
        let mfaAsked = false;
        user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
            onSuccess: (session) => resolve({ session, mfaAsked }),
            onFailure: reject,
            mfaRequired: async () => {
                mfaAsked = true;
                try {
                    const code = await latestCode(server, poolId, user.getUsername());
                    user.sendMFACode(code, {
                        onSuccess: (session) => resolve({ session, mfaAsked }),
                        onFailure: reject,
                    });
                } catch (error) {
                    reject(error);
                }
            },
            totpRequired: () => reject(new Error('unexpected TOTP challenge')),
            newPasswordRequired: () => reject(new Error('unexpected new password challenge')),
        });
    });
}

async function latestCode(server, poolId, username) {
    const response = await fetch(`${server.url}/_cognitod/messages?pool=${poolId}&username=${username}`);
    const { Messages } = await response.json();
    assert.ok(Messages.length > 0, 'an SMS code was delivered to the outbox');
    return Messages.at(-1).Code;
}

const call = (fn) => new Promise((resolve, reject) => fn({ onSuccess: resolve, onFailure: reject }));

test('a remembered device skips MFA until the admin forgets it', async () => {
    const server = await startServer();
    try {
        const { admin, pool, userPool } = await makePool(server.url, {
            deviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
            mfa: 'ON',
        });
        await makeUser(admin, pool.Id, 'bob', 'Passw0rd!', [{ Name: 'phone_number', Value: '+15555550100' }]);

        // A new device: SRP, then SMS MFA; the device is issued and remembered on request.
        const bob = new CognitoUser({ Username: 'bob', Pool: userPool });
        const first = await signIn(server, pool.Id, bob, 'Passw0rd!');
        assert.equal(first.mfaAsked, true);
        const deviceKey = first.session.getAccessToken().decodePayload().device_key;
        assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
        await new Promise((resolve, reject) => bob.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));

        const listed = await new Promise((resolve, reject) =>
            bob.listDevices(10, null, { onSuccess: resolve, onFailure: reject }));
        assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [deviceKey]);
        const got = await call((callbacks) => bob.getDevice(callbacks));
        assert.equal(got.Device.DeviceKey, deviceKey);
        assert.ok(got.Device.DeviceAttributes.every((a) => !a.Name.startsWith('dev:')));

        // Signed out and back in: the remembered device proves itself and MFA is skipped.
        bob.signOut();
        const again = await signIn(server, pool.Id, new CognitoUser({ Username: 'bob', Pool: userPool }), 'Passw0rd!');
        assert.equal(again.mfaAsked, false);
        assert.equal(again.session.getAccessToken().decodePayload().device_key, deviceKey);

        // The admin forgets the device: the next sign-in is a new device and asks for MFA again.
        await admin.send(new AdminForgetDeviceCommand({ UserPoolId: pool.Id, Username: 'bob', DeviceKey: deviceKey }));
        const afterForget = await signIn(server, pool.Id, new CognitoUser({ Username: 'bob', Pool: userPool }), 'Passw0rd!');
        assert.equal(afterForget.mfaAsked, true);
        const newKey = afterForget.session.getAccessToken().decodePayload().device_key;
        assert.notEqual(newKey, deviceKey);
        const remaining = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'bob' }));
        assert.ok(remaining.Devices.every((d) => d.DeviceKey !== deviceKey));
    } finally {
        await server.stop();
    }
});

test('the user forgets their own device', async () => {
    const server = await startServer();
    try {
        const { admin, pool, userPool } = await makePool(server.url, {
            deviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false },
        });
        await makeUser(admin, pool.Id, 'carol', 'Passw0rd!');
        const carol = new CognitoUser({ Username: 'carol', Pool: userPool });
        const { session } = await signIn(server, pool.Id, carol, 'Passw0rd!');
        const deviceKey = session.getAccessToken().decodePayload().device_key;
        // Always-remember pool: ConfirmDevice remembered it already.
        const before = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'carol' }));
        assert.deepEqual(before.Devices.map((d) => d.DeviceKey), [deviceKey]);
        await call((callbacks) => carol.forgetDevice(callbacks));
        const after = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'carol' }));
        assert.deepEqual(after.Devices, []);
    } finally {
        await server.stop();
    }
});
