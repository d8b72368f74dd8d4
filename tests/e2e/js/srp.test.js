import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationDetails, CognitoUser } from 'amazon-cognito-identity-js';
import { AdminListDevicesCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startServer, makePool, makeUser } from './harness.js';

function signIn(user, password) {
    return new Promise((resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
            onSuccess: (session, userConfirmationNecessary) => resolve({ session, userConfirmationNecessary }),
            onFailure: reject,
            mfaRequired: () => reject(new Error('unexpected MFA')),
            totpRequired: () => reject(new Error('unexpected TOTP')),
            newPasswordRequired: () => reject(new Error('unexpected new password')),
        });
    });
}

test('SRP sign-in, remembered device and device SRP', async () => {
    const server = await startServer();
    try {
        const { admin, pool, userPool } = await makePool(server.url);
        await makeUser(admin, pool.Id, 'alice', 'Passw0rd!');
        const alice = new CognitoUser({ Username: 'alice', Pool: userPool });
        const first = await signIn(alice, 'Passw0rd!');
        assert.ok(first.session.isValid());
        assert.equal(first.userConfirmationNecessary, true);
        const firstKey = first.session.getAccessToken().decodePayload().device_key;
        assert.match(firstKey, /^us-east-1_[0-9a-f-]{36}$/);
        await new Promise((resolve, reject) => alice.setDeviceStatusRemembered({ onSuccess: resolve, onFailure: reject }));
        alice.signOut();
        const again = new CognitoUser({ Username: 'alice', Pool: userPool });
        const second = await signIn(again, 'Passw0rd!');
        assert.ok(second.session.isValid());
        // The second sign-in proved the remembered device (DEVICE_SRP_AUTH) instead of making a new one.
        assert.equal(second.session.getAccessToken().decodePayload().device_key, firstKey);
        const listed = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'alice' }));
        assert.deepEqual(listed.Devices.map((d) => d.DeviceKey), [firstKey]);
        await assert.rejects(signIn(new CognitoUser({ Username: 'alice', Pool: userPool }), 'Wrong-Passw0rd!'), /Incorrect username or password/);
    } finally {
        await server.stop();
    }
});
