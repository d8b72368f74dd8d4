// Lambda triggers through a real Lambda Invoke API: serverless-offline (tests/e2e/lambda, pinned
// and installed by the test command) runs the handlers of tests/e2e/lambda/handlers.js, and
// cognitod calls them with --lambda-endpoint, as it would call any Lambda-compatible runtime. The
// handlers write each event they receive to a directory the tests read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
    AdminGetUserCommand,
    ConfirmSignUpCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, startServer } from './harness.js';

const lambdaDir = new URL('../lambda/', import.meta.url).pathname;
const timeout = 120_000;
const arn = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

async function freePort() {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    server.close();
    await once(server, 'close');
    return port;
}

// serverless-offline's Lambda server, ready once it says it listens.
async function startRuntime(eventsDir) {
    const port = await freePort();
    const child = spawn(
        path.join(lambdaDir, 'node_modules/.bin/serverless'),
        ['offline', 'start', '--host', '127.0.0.1', '--lambdaPort', String(port)],
        {
            cwd: lambdaDir,
            stdio: ['ignore', 'pipe', 'pipe'],
            env: {
                ...process.env,
                // Nothing written to $HOME and nothing sent: the runtime is local and offline.
                SLS_TELEMETRY_DISABLED: '1',
                SLS_NOTIFICATIONS_MODE: 'off',
                SLS_SCHEMA_CACHE_BASE_DIR: path.join(eventsDir, 'schema-cache'),
                COGNITOD_EVENTS_DIR: eventsDir,
            },
        },
    );
    let output = '';
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`serverless-offline did not start: ${output}`)), 90_000);
        const read = (chunk) => {
            output += chunk;
            if (output.includes(`listening on http://127.0.0.1:${port}`)) {
                clearTimeout(timer);
                resolve();
            }
        };
        child.stdout.on('data', read);
        child.stderr.on('data', read);
        child.once('exit', (code) => reject(new Error(`serverless-offline exited with ${code}: ${output}`)));
    });
    return {
        url: `http://127.0.0.1:${port}`,
        async stop() {
            child.kill('SIGTERM');
            await once(child, 'exit');
        },
    };
}

// The events a handler received, oldest first.
async function eventsOf(eventsDir, handler) {
    const text = await readFile(path.join(eventsDir, `${handler}.jsonl`), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

let eventsDir;
let runtime;
let server;
let admin;

before(async () => {
    eventsDir = await mkdtemp(path.join(os.tmpdir(), 'cognitod-triggers-'));
    runtime = await startRuntime(eventsDir);
    server = await startServer(['--lambda-endpoint', runtime.url]);
    admin = adminClient(server.url);
}, { timeout });

after(async () => {
    await server?.stop();
    await runtime?.stop();
    if (eventsDir) {
        await rm(eventsDir, { recursive: true, force: true });
    }
});

async function poolWithTriggers(lambdaConfig) {
    const pool = (await admin.send(new CreateUserPoolCommand({
        PoolName: 'triggers',
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: lambdaConfig,
    }))).UserPool;
    const client = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.Id, ClientName: 'web',
    }))).UserPoolClient;
    return { poolId: pool.Id, clientId: client.ClientId };
}

function signUp(clientId, username, email) {
    return admin.send(new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: 'Passw0rd!ok',
        UserAttributes: [{ Name: 'email', Value: email }],
        ClientMetadata: { source: 'e2e' },
    }));
}

async function refusal(promise) {
    try {
        await promise;
    } catch (e) {
        return { name: e.name, message: e.message };
    }
    assert.fail('the call succeeded');
}

test('PreSignUp confirms a sign-up and verifies its email when the handler says so', { timeout }, async () => {
    const { poolId, clientId } = await poolWithTriggers({ PreSignUp: arn('preSignUp') });
    const out = await signUp(clientId, 'ana', 'ana@example.com');
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    const ana = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ana' }));
    assert.equal(ana.UserStatus, 'CONFIRMED');
    assert.deepEqual(ana.UserAttributes.find((a) => a.Name === 'email_verified'), { Name: 'email_verified', Value: 'true' });

    const [event] = (await eventsOf(eventsDir, 'preSignUp')).filter((e) => e.userPoolId === poolId);
    console.log('PreSignUp event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '1');
    assert.equal(event.triggerSource, 'PreSignUp_SignUp');
    assert.equal(event.region, 'us-east-1');
    assert.equal(event.userName, 'ana');
    assert.equal(event.callerContext.clientId, clientId);
    assert.deepEqual(event.request.userAttributes, { email: 'ana@example.com' });
    assert.deepEqual(event.request.clientMetadata, { source: 'e2e' });
    assert.deepEqual(event.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
});

test("PreSignUp's error refuses the sign-up with the handler's message", { timeout }, async () => {
    const { poolId, clientId } = await poolWithTriggers({ PreSignUp: arn('preSignUp') });
    assert.deepEqual(await refusal(signUp(clientId, 'bo', 'bo@example.org')), {
        name: 'UserLambdaValidationException',
        message: 'PreSignUp failed with error Registration from this domain is not allowed..',
    });
    assert.equal(
        (await refusal(admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bo' })))).name,
        'UserNotFoundException',
    );
});

test('PostConfirmation receives the user ConfirmSignUp confirmed', { timeout }, async () => {
    const { poolId, clientId } = await poolWithTriggers({
        PreSignUp: arn('preSignUp'), PostConfirmation: arn('postConfirmation'),
    });
    // example.net is neither confirmed nor refused by PreSignUp: the code confirms it.
    const out = await signUp(clientId, 'cy', 'cy@example.net');
    assert.equal(out.UserConfirmed, false);
    const response = await fetch(`${server.url}/_cognitod/messages?${new URLSearchParams({ pool: poolId, username: 'cy' })}`);
    const code = (await response.json()).Messages.at(-1).Code;
    await admin.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'cy', ConfirmationCode: code }));

    const [event] = (await eventsOf(eventsDir, 'postConfirmation')).filter((e) => e.userPoolId === poolId);
    console.log('PostConfirmation event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(event.userName, 'cy');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.equal(event.request.userAttributes.email_verified, 'true');
    assert.match(event.request.userAttributes.sub, /^[0-9a-f-]{36}$/);
});

test('a function the runtime lacks, or no runtime at all, is UnexpectedLambdaException', { timeout }, async () => {
    const { clientId } = await poolWithTriggers({ PreSignUp: arn('noSuchFunction') });
    const missing = await refusal(signUp(clientId, 'dee', 'dee@example.com'));
    assert.equal(missing.name, 'UnexpectedLambdaException');
    assert.match(missing.message, /^PreSignUp invocation failed due to error HTTP 404/);

    const bare = await startServer();
    try {
        const bareAdmin = adminClient(bare.url);
        const pool = (await bareAdmin.send(new CreateUserPoolCommand({
            PoolName: 'no-runtime', LambdaConfig: { PreSignUp: arn('preSignUp') },
        }))).UserPool;
        const client = (await bareAdmin.send(new CreateUserPoolClientCommand({
            UserPoolId: pool.Id, ClientName: 'web',
        }))).UserPoolClient;
        const refused = await refusal(bareAdmin.send(new SignUpCommand({
            ClientId: client.ClientId, Username: 'eve', Password: 'Passw0rd!ok',
        })));
        assert.equal(refused.name, 'UnexpectedLambdaException');
        assert.match(refused.message, /--lambda-endpoint/);
    } finally {
        await bare.stop();
    }
});
