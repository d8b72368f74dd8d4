// Lambda triggers through a real Lambda Invoke API: serverless-offline (tests/e2e/lambda, pinned
// and installed by the test command) runs the handlers of tests/e2e/lambda/handlers.js, and
// cognitod calls them with --lambda-endpoint, as it would call any Lambda-compatible runtime. The
// handlers write each event they receive to a directory the tests read.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateUserPoolClientCommand, CreateUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, startServer } from './harness.js';

const lambdaDir = new URL('../lambda/', import.meta.url).pathname;

// serverless-offline takes a while to start; a test that calls triggers waits on each call.
export const timeout = 120_000;
export const arn = (name) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

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

// The runtime and a cognitod that calls it, started before the file's tests and stopped after
// them. server and admin are set once the tests run.
export function triggerServer() {
    let eventsDir;
    let runtime;
    const triggers = {
        server: undefined,
        admin: undefined,

        // The events a handler received for a pool, oldest first.
        async events(handler, poolId) {
            const text = await readFile(path.join(eventsDir, `${handler}.jsonl`), 'utf8').catch(() => '');
            return text.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((e) => e.userPoolId === poolId);
        },

        // A pool with these triggers and an app client, given the client's and the pool's other
        // settings.
        async pool(lambdaConfig, clientSettings = {}, poolSettings = {}) {
            const pool = (await triggers.admin.send(new CreateUserPoolCommand({
                PoolName: 'triggers',
                AutoVerifiedAttributes: ['email'],
                LambdaConfig: lambdaConfig,
                ...poolSettings,
            }))).UserPool;
            const client = (await triggers.admin.send(new CreateUserPoolClientCommand({
                UserPoolId: pool.Id, ClientName: 'web', ...clientSettings,
            }))).UserPoolClient;
            return { poolId: pool.Id, clientId: client.ClientId };
        },
    };
    before(async () => {
        eventsDir = await mkdtemp(path.join(os.tmpdir(), 'cognitod-triggers-'));
        runtime = await startRuntime(eventsDir);
        triggers.server = await startServer(['--lambda-endpoint', runtime.url]);
        triggers.admin = adminClient(triggers.server.url);
    }, { timeout });
    after(async () => {
        await triggers.server?.stop();
        await runtime?.stop();
        if (eventsDir) {
            await rm(eventsDir, { recursive: true, force: true });
        }
    });
    return triggers;
}

// The error a call was refused with, as its name and message.
export async function refusal(promise) {
    try {
        await promise;
    } catch (e) {
        return { name: e.name, message: e.message };
    }
    assert.fail('the call succeeded');
}
