// The web console (/_cognitod/ui) in Debian's headless Chromium, driven by playwright-core: find a
// seeded device, forget it with the page's button, watch the page drop it by itself, and confirm
// through boto3 that it is gone. Writes a screenshot under build/test-artifacts (or
// $COGNITOD_ARTIFACTS).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { startServer } from './harness.js';

const seed = new URL('../seeds/devices.json', import.meta.url).pathname;
const artifacts = process.env.COGNITOD_ARTIFACTS
    ?? new URL('../../../build/test-artifacts', import.meta.url).pathname;
const chromiumPath = process.env.COGNITOD_CHROMIUM ?? '/usr/bin/chromium';
const pool = 'us-east-1_E2eDevA1';

// boto3, as a Python client sees the device: "present", or the error code and message.
const boto3Device = `
import sys, boto3
from botocore.exceptions import ClientError
url, action, pool, user, key = sys.argv[1:]
client = boto3.client('cognito-idp', endpoint_url=url, region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
try:
    if action == 'forget':
        client.admin_forget_device(UserPoolId=pool, Username=user, DeviceKey=key)
    elif action == 'invite':
        client.admin_create_user(UserPoolId=pool, Username=user, DesiredDeliveryMediums=['EMAIL'],
                                 UserAttributes=[{'Name': 'email', 'Value': user + '@example.com'}])
        print('invited')
        sys.exit(0)
    else:
        client.admin_get_device(UserPoolId=pool, Username=user, DeviceKey=key)
    print('present' if action == 'get' else 'forgotten')
except ClientError as e:
    print(e.response['Error']['Code'] + ': ' + e.response['Error']['Message'])
`;

async function boto3(url, action, user, key) {
    const { stdout } = await promisify(execFile)(
        '/usr/bin/python3', ['-c', boto3Device, url, action, pool, user, key],
        { env: { ...process.env, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' } },
    );
    return stdout.trim();
}

// A browser page that records every request it makes and every script error it meets.
// rebind.test resolves to 127.0.0.1, as a name an attacker rebinds does once the page has loaded.
async function openBrowser() {
    const browser = await chromium.launch({
        executablePath: chromiumPath,
        args: ['--no-sandbox', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests = [];
    const errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        if (m.type() === 'error' && !/favicon/.test(m.location().url)) {
            errors.push(m.text());
        }
    });
    return { browser, page, requests, errors };
}

const deviceRow = (page, name) => page.locator('tr.device', { hasText: name });

test('the console finds a seeded device, forgets it and boto3 agrees it is gone', { timeout: 60000 }, async (t) => {
    const server = await startServer(['--seed', seed]);
    const { browser, page, requests, errors } = await openBrowser();
    try {
        const response = await page.goto(`${server.url}/_cognitod/ui`);
        assert.equal(response.status(), 200);
        assert.match(response.headers()['content-security-policy'], /^default-src 'self'/);

        await page.getByLabel('Search').fill('alice-laptop');
        const row = deviceRow(page, 'alice-laptop');
        await row.waitFor();
        assert.equal(await page.locator('tr.device').count(), 1, 'the search leaves one device');
        const cells = await row.locator('td').allTextContents();
        assert.deepEqual(
            [cells[0], cells[1], cells[2], cells[4]],
            ['alice-laptop', 'us-east-1_a11ce000-0000-4000-8000-000000000002', 'remembered', '192.0.2.2'],
        );
        assert.match(cells[3], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/, 'the last sign-in, as a date');
        const key = cells[1];
        assert.equal(await boto3(server.url, 'get', 'alice', key), 'present');

        await row.getByRole('button', { name: 'Forget' }).click();
        await row.getByRole('button', { name: 'Confirm forget' }).click();
        await deviceRow(page, 'alice-laptop').waitFor({ state: 'detached' });
        assert.equal(await boto3(server.url, 'get', 'alice', key), 'ResourceNotFoundException: Device does not exist.');

        // A change made elsewhere shows without a click: the page polls the state's version.
        await page.getByLabel('Search').fill('');
        await deviceRow(page, 'bob-tablet').waitFor();
        assert.equal(
            await boto3(server.url, 'forget', 'bob', 'us-east-1_b0b00000-0000-4000-8000-000000000001'), 'forgotten',
        );
        await deviceRow(page, 'bob-tablet').waitFor({ state: 'detached' });
        await deviceRow(page, 'racer-phone').waitFor();
        assert.match(await page.locator('#refreshed').textContent(), /^Refreshed /);

        // An invitation appears in the pool's outbox, code and all, and the user's state beside it.
        assert.equal(await boto3(server.url, 'invite', 'nina', ''), 'invited');
        const section = page.locator(`section.pool[data-pool-id="${pool}"]`);
        const invitation = section.locator('details.outbox tr.message', { hasText: 'nina' });
        await invitation.waitFor({ state: 'attached' });
        await section.locator('details.outbox summary').click();
        const sent = await invitation.locator('td').allTextContents();
        assert.equal(sent[2], 'EMAIL nina@example.com');
        assert.equal(sent[3], 'ADMIN_CREATE_USER');
        assert.equal(sent[5], `Your temporary password: Your username is nina and temporary password is ${sent[4]}. `);
        assert.match(await section.locator('tr.user', { hasText: 'nina' }).textContent(), /FORCE_CHANGE_PASSWORD/);

        await mkdir(artifacts, { recursive: true });
        const screenshot = path.join(artifacts, 'console.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        t.diagnostic(`screenshot: ${screenshot}`);
        const png = await readFile(screenshot);
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

        const origin = new URL(server.url).origin;
        assert.deepEqual(requests.filter((u) => !u.startsWith(`${origin}/`)), [], 'nothing fetched elsewhere');
        assert.deepEqual(errors, []);
    } finally {
        await browser.close();
        await server.stop();
    }
});

test('with --control-token the page takes ?token= and its script sends it', { timeout: 60000 }, async () => {
    const server = await startServer(['--seed', seed, '--control-token', 'demo-token']);
    const { browser, page, errors } = await openBrowser();
    try {
        assert.equal((await page.goto(`${server.url}/_cognitod/ui`)).status(), 401);
        assert.equal((await fetch(`${server.url}/_cognitod/ui/api/state?token=demo-token`)).status, 401);

        assert.equal((await page.goto(`${server.url}/_cognitod/ui?token=demo-token`)).status(), 200);
        await page.getByLabel('Search').fill('bob-kiosk');
        const row = deviceRow(page, 'bob-kiosk');
        await row.waitFor();
        assert.equal(await row.locator('td').nth(2).textContent(), 'not remembered');
        await row.getByRole('button', { name: 'Forget' }).click();
        await row.getByRole('button', { name: 'Confirm forget' }).click();
        await deviceRow(page, 'bob-kiosk').waitFor({ state: 'detached' });
        assert.equal(
            await boto3(server.url, 'get', 'bob', 'us-east-1_b0b00000-0000-4000-8000-000000000002'),
            'ResourceNotFoundException: Device does not exist.',
        );
        assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
    } finally {
        await browser.close();
        await server.stop();
    }
});

// A page of another origin, as any site the developer has open: a blank page served from another
// port of 127.0.0.1.
async function foreignSite() {
    const site = http.createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>elsewhere</title><p>elsewhere</p>');
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    return {
        url: `http://127.0.0.1:${site.address().port}`,
        close: () => new Promise((resolve) => site.close(resolve)),
    };
}

test('a page on another origin can neither change nor read the state', { timeout: 60000 }, async () => {
    const server = await startServer(['--seed', seed]);
    const site = await foreignSite();
    const { browser, page } = await openBrowser();
    try {
        const before = await (await fetch(`${server.url}/_cognitod/ui/api/state`)).json();
        assert.equal(before.UserPools.length > 0, true);
        await page.goto(site.url);
        const outcomes = await page.evaluate(async ({ target, pool }) => {
            const forget = JSON.stringify({
                UserPoolId: pool, Username: 'alice', DeviceKey: 'us-east-1_a11ce000-0000-4000-8000-000000000002',
            });
            const rule = JSON.stringify({ Operation: '*', Error: 'InternalErrorException' });
            // The answer's status when the page may read it, 'opaque' when the request went out
            // but its answer is hidden, 'refused' when the browser did not let it through.
            const attempt = async (path, init) => {
                try {
                    const res = await fetch(`${target}${path}`, init);
                    return res.type === 'opaque' ? 'opaque' : res.status;
                } catch {
                    return 'refused';
                }
            };
            // "Simple" requests go out without a preflight: only cognitod can refuse them.
            const plain = (body) => ({
                method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body,
            });
            // JSON makes the browser ask first; cognitod's answer grants nothing.
            const json = (body) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
            return {
                resetPlain: await attempt('/_cognitod/reset', plain('{}')),
                forgetPlain: await attempt('/_cognitod/ui/api/forget-device', plain(forget)),
                faultPlain: await attempt('/_cognitod/faults', plain(rule)),
                resetJson: await attempt('/_cognitod/reset', json('{}')),
                forgetJson: await attempt('/_cognitod/ui/api/forget-device', json(forget)),
                messages: await attempt('/_cognitod/messages', {}),
                state: await attempt('/_cognitod/ui/api/state', {}),
            };
        }, { target: server.url, pool });
        assert.deepEqual(outcomes, {
            resetPlain: 'opaque',
            forgetPlain: 'opaque',
            faultPlain: 'opaque',
            resetJson: 'refused',
            forgetJson: 'refused',
            messages: 'refused',
            state: 'refused',
        });

        // A form posts across origins too, and the browser shows cognitod's answer.
        await page.setContent(
            `<form method="post" enctype="text/plain" action="${server.url}/_cognitod/reset">`
            + '<input name="a" value="b"></form>',
        );
        const [answer] = await Promise.all([
            page.waitForNavigation(),
            page.evaluate(() => document.forms[0].submit()),
        ]);
        assert.equal(answer.status(), 403);
        assert.equal((await answer.json()).__type, 'ForbiddenException');

        const after = await (await fetch(`${server.url}/_cognitod/ui/api/state`)).json();
        assert.deepEqual(after, before, 'the state is as it was');
        const faults = await (await fetch(`${server.url}/_cognitod/faults`)).json();
        assert.deepEqual(faults.Rules, [], 'no fault rule was added');
    } finally {
        await browser.close();
        await site.close();
        await server.stop();
    }
});

test('under a rebound name the console and its API answer nothing', { timeout: 60000 }, async () => {
    const server = await startServer(['--seed', seed]);
    const { browser, page } = await openBrowser();
    try {
        const rebound = `http://rebind.test:${new URL(server.url).port}`;
        const response = await page.goto(`${rebound}/_cognitod/ui`);
        assert.equal(response.status(), 403);
        assert.equal((await response.json()).__type, 'ForbiddenException');
        // Same-origin now, as far as the browser knows: what could the page read or change?
        const outcomes = await page.evaluate(async (pool) => {
            const statusOf = async (path, init) => (await fetch(path, init)).status;
            return {
                messages: await statusOf('/_cognitod/messages'),
                state: await statusOf('/_cognitod/ui/api/state'),
                forget: await statusOf('/_cognitod/ui/api/forget-device', {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({
                        UserPoolId: pool, Username: 'alice', DeviceKey: 'us-east-1_a11ce000-0000-4000-8000-000000000002',
                    }),
                }),
                reset: await statusOf('/_cognitod/reset', {
                    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}',
                }),
            };
        }, pool);
        assert.deepEqual(outcomes, { messages: 403, state: 403, forget: 403, reset: 403 });
        const state = await (await fetch(`${server.url}/_cognitod/ui/api/state`)).json();
        assert.equal(state.UserPools.length > 0, true, 'the pools are still there');
        assert.equal(await boto3(server.url, 'get', 'alice', 'us-east-1_a11ce000-0000-4000-8000-000000000002'), 'present');
    } finally {
        await browser.close();
        await server.stop();
    }
});
