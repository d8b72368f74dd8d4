// --auth sigv4 against the AWS SDK for JavaScript v3's own signer: signed calls pass, a wrong
// secret, an unknown key, a missing or wrong session token and a skewed clock are each refused
// with AWS's exception and message; with retries on, the SDK corrects its clock from Date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
    CognitoIdentityProviderClient,
    CreateUserPoolCommand,
    ListUserPoolsCommand,
    AdminForgetDeviceCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startServer } from './harness.js';

const ADMIN = { accessKeyId: 'AKIDCOGNITODJSADMIN1', secretAccessKey: 'js-admin-secret' };
const TEMPORARY = { accessKeyId: 'ASIACOGNITODJSTEMP02', secretAccessKey: 'js-temp-secret', sessionToken: 'js-session-token' };
const READER = { accessKeyId: 'AKIDCOGNITODJSREAD03', secretAccessKey: 'js-reader-secret' };
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const UNRECOGNIZED = 'The security token included in the request is invalid.';

let server;

before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognitod-sigv4-'));
    const file = join(dir, 'credentials.json');
    writeFileSync(file, JSON.stringify({
        Credentials: [
            { AccessKeyId: ADMIN.accessKeyId, SecretAccessKey: ADMIN.secretAccessKey },
            { AccessKeyId: TEMPORARY.accessKeyId, SecretAccessKey: TEMPORARY.secretAccessKey, SessionToken: TEMPORARY.sessionToken },
            { AccessKeyId: READER.accessKeyId, SecretAccessKey: READER.secretAccessKey, Name: 'js-reader', AllowedOperations: ['ListUserPools'] },
        ],
    }));
    server = await startServer(['--auth', 'sigv4', '--credentials', file]);
});

after(async () => {
    await server.stop();
});

function client(credentials, extra = {}) {
    return new CognitoIdentityProviderClient({
        endpoint: server.url,
        region: 'us-east-1',
        credentials,
        maxAttempts: 1,
        ...extra,
    });
}

async function refusal(promise) {
    try {
        await promise;
    } catch (error) {
        return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
    }
    assert.fail('the call succeeded');
}

test('a request signed by the SDK is accepted', async () => {
    const created = await client(ADMIN).send(new CreateUserPoolCommand({ PoolName: 'signed-by-js' }));
    assert.match(created.UserPool.Id, /^us-east-1_[0-9a-zA-Z]+$/);
});

test('a wrong secret is InvalidSignatureException', async () => {
    const error = await refusal(client({ ...ADMIN, secretAccessKey: 'wrong' }).send(new ListUserPoolsCommand({ MaxResults: 1 })));
    assert.deepEqual(error, { name: 'InvalidSignatureException', message: MISMATCH, status: 400 });
});

test('an unknown key is UnrecognizedClientException', async () => {
    const error = await refusal(client({ accessKeyId: 'AKIDNOSUCHKEYATALL00', secretAccessKey: 'x' }).send(new ListUserPoolsCommand({ MaxResults: 1 })));
    assert.deepEqual(error, { name: 'UnrecognizedClientException', message: UNRECOGNIZED, status: 400 });
});

test('a session token must be the one issued with the key', async () => {
    await client(TEMPORARY).send(new ListUserPoolsCommand({ MaxResults: 1 }));
    const missing = await refusal(client({ ...TEMPORARY, sessionToken: undefined }).send(new ListUserPoolsCommand({ MaxResults: 1 })));
    assert.equal(missing.name, 'UnrecognizedClientException');
    const wrong = await refusal(client({ ...TEMPORARY, sessionToken: 'other' }).send(new ListUserPoolsCommand({ MaxResults: 1 })));
    assert.deepEqual(wrong, { name: 'UnrecognizedClientException', message: UNRECOGNIZED, status: 400 });
});

test('an operation outside the key\'s list is AccessDeniedException', async () => {
    await client(READER).send(new ListUserPoolsCommand({ MaxResults: 1 }));
    const error = await refusal(client(READER).send(new AdminForgetDeviceCommand({
        UserPoolId: 'us-east-1_NoSuchPool', Username: 'alice', DeviceKey: 'us-east-1_00000000-0000-4000-8000-000000000000',
    })));
    assert.equal(error.name, 'AccessDeniedException');
    assert.match(error.message, /^User: arn:aws:iam::123456789012:user\/js-reader is not authorized to perform: cognito-idp:AdminForgetDevice/);
});

test('a clock ten minutes slow is refused as an expired signature', async () => {
    const error = await refusal(client(ADMIN, { systemClockOffset: -10 * 60 * 1000 }).send(new ListUserPoolsCommand({ MaxResults: 1 })));
    assert.equal(error.name, 'InvalidSignatureException');
    assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
});

test('with retries, the SDK corrects its clock from Date and succeeds', async () => {
    const skewed = client(ADMIN, { systemClockOffset: -10 * 60 * 1000, maxAttempts: 3 });
    const out = await skewed.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    assert.ok(Array.isArray(out.UserPools));
    assert.ok(out.$metadata.attempts >= 2, `attempts: ${out.$metadata.attempts}`);
});
