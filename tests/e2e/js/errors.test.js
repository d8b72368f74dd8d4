// Error answers as the AWS SDK for JavaScript v3 reads them. Node's HTTP parser refuses a whole
// response whose header holds a control character, so an error message that echoes such a value
// must reach the SDK as the error, not as "Invalid header value char".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AdminGetDeviceCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startServer, adminClient } from './harness.js';

let server;
let admin;

before(async () => {
    server = await startServer();
    admin = adminClient(server.url);
});

after(async () => {
    await server.stop();
});

test('a validation error that echoes control characters reaches the SDK whole', async () => {
    const pool = (await admin.send(new CreateUserPoolCommand({ PoolName: 'errors' }))).UserPool;
    const deviceKey = 'us-east-1_a\u0001\u0000b\u007f\u001bc';
    const error = await admin
        .send(new AdminGetDeviceCommand({ UserPoolId: pool.Id, Username: 'alice', DeviceKey: deviceKey }))
        .then(() => assert.fail('the call succeeded'), (e) => e);
    assert.equal(error.name, 'InvalidParameterException', `${error.name}: ${error.message}`);
    assert.equal(error.$metadata.httpStatusCode, 400);
    // The SDK takes the message from the body, where the value stands whole.
    assert.ok(error.message.includes(`Value '${deviceKey}' at 'deviceKey'`), error.message);
});
