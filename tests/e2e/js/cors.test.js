// The AWS endpoint across origins, in Debian's headless Chromium: a web app served from another
// origin calls cognitod from the page as it calls cognito-idp, the browser asking first (a
// preflight, since X-Amz-Target is not a header a page may send freely), and reads the answer and
// an error's x-amzn-ErrorType. A site elsewhere (a name the browser resolves to 127.0.0.1, as
// DNS would for a site on the internet) signs in like any web app, but with --auth off may not
// call what AWS signs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import {
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    DescribeUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { chromium } from 'playwright-core';
import { adminClient, makeUser, startServer } from './harness.js';

const chromiumPath = process.env.COGNITOD_CHROMIUM ?? '/usr/bin/chromium';

// The web app's origin: a blank page on another port of 127.0.0.1.
async function webApp() {
    const site = http.createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>web app</title><p>web app</p>');
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    return {
        port: site.address().port,
        url: `http://127.0.0.1:${site.address().port}`,
        close: () => new Promise((resolve) => site.close(resolve)),
    };
}

async function openBrowser() {
    const browser = await chromium.launch({
        executablePath: chromiumPath,
        // elsewhere.test stands for a site on the internet.
        args: ['--no-sandbox', '--host-resolver-rules=MAP elsewhere.test 127.0.0.1'],
    });
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => {
        if (m.type() === 'error') {
            errors.push(m.text());
        }
    });
    return { browser, page, errors };
}

// Runs in the page: one call as the SDKs send it (AWS JSON 1.1, the operation in X-Amz-Target),
// with what a page can read of the answer.
async function callFromPage(page, endpoint, operation, input) {
    return page.evaluate(async ({ url, name, body }) => {
        const res = await fetch(url, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/x-amz-json-1.1',
                'X-Amz-Target': `AWSCognitoIdentityProviderService.${name}`,
                'X-Amz-User-Agent': 'aws-sdk-js/3',
                'amz-sdk-invocation-id': '3f1c2b9e-0000-4000-8000-000000000001',
                'amz-sdk-request': 'attempt=1; max=1',
            },
            body: JSON.stringify(body),
        });
        return {
            status: res.status,
            errorType: res.headers.get('x-amzn-ErrorType'),
            requestId: res.headers.get('x-amzn-RequestId'),
            body: await res.json(),
        };
    }, { url: endpoint, name: operation, body: input });
}

test('a page on another origin calls the AWS endpoint and reads answers and errors', { timeout: 60000 }, async () => {
    // At info level each request is logged, the preflight among them.
    const server = await startServer(['--log-level', 'info']);
    const app = await webApp();
    const { browser, page, errors } = await openBrowser();
    try {
        await page.goto(app.url);
        const endpoint = `${server.url}/`;
        const created = await callFromPage(page, endpoint, 'CreateUserPool', { PoolName: 'from-the-browser' });
        assert.equal(created.status, 200);
        assert.equal(created.body.UserPool.Name, 'from-the-browser');
        assert.match(created.requestId, /^[0-9a-f-]{36}$/);

        const missing = await callFromPage(page, endpoint, 'DescribeUserPool', { UserPoolId: 'us-east-1_NoSuchPool' });
        assert.equal(missing.status, 400);
        assert.equal(missing.errorType, 'ResourceNotFoundException:');
        assert.equal(missing.body.__type, 'ResourceNotFoundException');
        // The browser reports the 400 it was meant to get, and nothing else: no CORS refusal.
        assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
        // The browser asked before its first call.
        assert.match(server.stderr(), / preflight 200 /);
    } finally {
        await browser.close();
        await app.close();
        await server.stop();
    }
});

test('a site elsewhere signs in like any web app but cannot call what AWS signs', { timeout: 60000 }, async () => {
    const server = await startServer();
    const app = await webApp();
    const { browser, page } = await openBrowser();
    try {
        const admin = adminClient(server.url);
        const pool = (await admin.send(new CreateUserPoolCommand({ PoolName: 'web' }))).UserPool;
        const client = (await admin.send(new CreateUserPoolClientCommand({
            UserPoolId: pool.Id, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
        }))).UserPoolClient;
        await makeUser(admin, pool.Id, 'alice', 'Passw0rd!');

        await page.goto(`http://elsewhere.test:${app.port}/`);
        const endpoint = `${server.url}/`;
        const signedIn = await callFromPage(page, endpoint, 'InitiateAuth', {
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: client.ClientId,
            AuthParameters: { USERNAME: 'alice', PASSWORD: 'Passw0rd!' },
        });
        assert.equal(signedIn.status, 200, JSON.stringify(signedIn.body));
        assert.equal(signedIn.body.AuthenticationResult.TokenType, 'Bearer');

        for (const [operation, input] of [
            ['ListUserPools', { MaxResults: 10 }],
            ['DeleteUserPool', { UserPoolId: pool.Id }],
        ]) {
            const refused = await callFromPage(page, endpoint, operation, input);
            assert.equal(refused.status, 400, operation);
            assert.equal(refused.errorType, 'AccessDeniedException:', operation);
            assert.match(refused.body.message, /--auth off/);
        }
        // The pool is still there.
        const kept = await admin.send(new DescribeUserPoolCommand({ UserPoolId: pool.Id }));
        assert.equal(kept.UserPool.Id, pool.Id);
    } finally {
        await browser.close();
        await app.close();
        await server.stop();
    }
});
