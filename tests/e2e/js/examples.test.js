// The JavaScript examples in docs/examples/js, which the README quotes, run against the real
// binary seeded with docker/seed.example.json, as a reader would run them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startServer } from './harness.js';

const root = new URL('../../../', import.meta.url).pathname;
const run = promisify(execFile);

async function example(name, url) {
    // The examples are CommonJS, so NODE_PATH lends them this directory's node_modules.
    const { stdout } = await run('node', [`${root}docs/examples/js/${name}`, url], {
        env: { ...process.env, NODE_PATH: `${root}tests/e2e/js/node_modules` },
        timeout: 30000,
    });
    return stdout;
}

test('the SDK v3 example lists alice\'s devices and forgets one', async () => {
    const server = await startServer(['--seed', `${root}docker/seed.example.json`]);
    try {
        const out = await example('list_devices_sdk_v3.cjs', server.url);
        assert.match(out, /^before: Alice's iPhone, Alice's MacBook\nafter:  Alice's MacBook\n$/);
    } finally {
        await server.stop();
    }
});

test('the amazon-cognito-identity-js example signs in twice on one remembered device', async () => {
    const server = await startServer(['--seed', `${root}docker/seed.example.json`]);
    try {
        const out = await example('remembered_device_identity_js.cjs', server.url);
        const keys = [...out.matchAll(/device: (us-east-1_[0-9a-f-]{36})$/gm)].map((m) => m[1]);
        assert.equal(keys.length, 2, out);
        assert.equal(keys[0], keys[1], out);
    } finally {
        await server.stop();
    }
});
