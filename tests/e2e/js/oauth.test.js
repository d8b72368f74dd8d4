// The OAuth 2.0 / OpenID Connect side of a pool, as a web app uses it: openid-client v6 finds the
// endpoints by discovery, Debian's headless Chromium (driven by playwright-core) signs in on the
// hosted login page (password, MFA by TOTP and SMS, a new password), and the app exchanges the
// code, reads userInfo, refreshes, revokes and logs out. Then client_credentials, the refusals
// each by its exact error, and the login page's own defences. Writes a screenshot of the login
// page under build/test-artifacts (or $COGNITOD_ARTIFACTS).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
    allowInsecureRequests,
    authorizationCodeGrant,
    buildAuthorizationUrl,
    buildEndSessionUrl,
    calculatePKCECodeChallenge,
    ClientSecretBasic,
    clientCredentialsGrant,
    discovery,
    enableNonRepudiationChecks,
    fetchUserInfo,
    randomNonce,
    randomPKCECodeVerifier,
    randomState,
    refreshTokenGrant,
    ResponseBodyError,
    tokenRevocation,
} from 'openid-client';
import {
    AdminCreateUserCommand,
    AdminGetUserCommand,
    AdminInitiateAuthCommand,
    AdminSetUserMFAPreferenceCommand,
    AssociateSoftwareTokenCommand,
    CreateResourceServerCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    CreateUserPoolDomainCommand,
    SetUserPoolMfaConfigCommand,
    VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { startServer, adminClient, makeUser, verifyJwt as verifyJwtOf } from './harness.js';

const artifacts = process.env.COGNITOD_ARTIFACTS
    ?? new URL('../../../build/test-artifacts', import.meta.url).pathname;
const chromiumPath = process.env.COGNITOD_CHROMIUM ?? '/usr/bin/chromium';

const domain = 'e2e-login';
const api = 'https://api.example.com';
const read = `${api}/read`;
const password = 'Passw0rd!';
const timeout = 60_000;

// Shared by every test: one cognitod, one pool with its domain, the two app clients, the web app
// the browser comes back to, and Chromium (each test opens its own context, so its own cookies).
let server;
let browser;
let app;
let poolId;
let issuer;
let hosted;
let web;
let machine;

// The web app's side of the redirect: a page on another port of this machine that records every
// request it receives. A redirect cannot be intercepted inside the browser (a route sees only the
// first request of a redirect chain), so the callback is a real listener, as an app's would be.
async function startApp() {
    const received = [];
    const site = http.createServer((req, res) => {
        received.push(req.url);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end('<!doctype html><title>app</title><p>back at the app</p>');
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    // localhost, as CallbackURLs may use http only for this machine.
    const origin = `http://localhost:${site.address().port}`;
    return {
        received,
        home: `${origin}/`,
        callback: `${origin}/callback`,
        close: () => new Promise((resolve) => site.close(resolve)),
    };
}

// The client an app builds from the pool's discovery document. ID tokens are checked against the
// pool's JWKS too, which openid-client skips by default for those the token endpoint returns.
async function configure(client, auth) {
    const config = await discovery(
        new URL(issuer), client.ClientId, client.ClientSecret, auth, { execute: [allowInsecureRequests] },
    );
    enableNonRepudiationChecks(config);
    return config;
}

before(async () => {
    server = await startServer();
    app = await startApp();
    const admin = adminClient(server.url);
    poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'oauth-e2e' }))).UserPool.Id;
    // OPTIONAL: only the users who set up a factor are asked for one.
    await admin.send(new SetUserPoolMfaConfigCommand({
        UserPoolId: poolId,
        MfaConfiguration: 'OPTIONAL',
        SoftwareTokenMfaConfiguration: { Enabled: true },
    }));
    await admin.send(new CreateUserPoolDomainCommand({ Domain: domain, UserPoolId: poolId }));
    await admin.send(new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: api,
        Name: 'api',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }));
    const webClient = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'web',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile', read],
        CallbackURLs: [app.callback],
        LogoutURLs: [app.home],
        SupportedIdentityProviders: ['COGNITO'],
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
    }))).UserPoolClient;
    const machineClient = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: [read],
    }))).UserPoolClient;
    issuer = `${server.url}/${poolId}`;
    hosted = `${server.url}/${domain}`;
    // The web client authenticates with client_secret_post (openid-client's default for a
    // secret), the machine client with HTTP Basic: both methods the token endpoint accepts.
    web = { ...webClient, admin, config: await configure(webClient) };
    machine = { ...machineClient, config: await configure(machineClient, ClientSecretBasic(machineClient.ClientSecret)) };
    browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
    await browser?.close();
    await app?.close();
    await server?.stop();
});

// A fresh browser context (no cookies) with a page that records script errors (a resource the
// page's own policy blocks among them) and dialogs. A page answered with a 4xx status, as a
// refusal is, logs that it failed to load; that is no error of the page's.
async function openPage() {
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors = [];
    const dialogs = [];
    const documents = new Set();
    page.on('request', (r) => {
        if (r.isNavigationRequest()) {
            documents.add(r.url());
        }
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
        const { url } = m.location();
        const refusedPage = documents.has(url) && /^Failed to load resource: .* status of 4\d\d/.test(m.text());
        if (m.type() === 'error' && !/favicon/.test(url) && !refusedPage) {
            errors.push(m.text());
        }
    });
    page.on('dialog', (d) => {
        dialogs.push(d.message());
        d.dismiss().catch(() => {});
    });
    return { context, page, errors, dialogs };
}

// An authorization request as the app makes it: PKCE, a nonce and a state, and the checks the
// callback must then pass.
async function authorizationRequest(params = {}) {
    const verifier = randomPKCECodeVerifier();
    const nonce = randomNonce();
    const state = randomState();
    const url = buildAuthorizationUrl(web.config, {
        redirect_uri: app.callback,
        scope: `openid email profile ${read}`,
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        nonce,
        state,
        ...params,
    });
    return { url, checks: { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state } };
}

// Fills one step of the login page (the form that holds the first field) and submits it. A value
// may be a function, for what is known only once the previous step went through (an SMS code).
async function answer(page, fields) {
    const entries = Object.entries(fields);
    const form = page.locator('form', { has: page.locator(`input[name="${entries[0][0]}"]`) });
    await form.waitFor();
    for (const [name, value] of entries) {
        await form.locator(`input[name="${name}"]`).fill(typeof value === 'function' ? await value() : value);
    }
    await form.locator('button[type=submit]').click();
}

// Submits a step and waits for the page it leads to (not the one still showing); returns that
// page's response.
async function submit(page, fields) {
    const [response] = await Promise.all([page.waitForNavigation(), answer(page, fields)]);
    return response;
}

// Waits until the browser is back at the app's callback and returns that URL; when it is not, says
// where the browser stopped and what the page showed.
async function callback(page) {
    try {
        await page.waitForURL((u) => u.href.startsWith(`${app.callback}?`));
    } catch (error) {
        const shown = await page.locator('#error').textContent({ timeout: 500 }).catch(() => null);
        throw new Error(`not back at the app, but at ${page.url()}${shown ? `: ${shown.trim()}` : ''}`, { cause: error });
    }
    return new URL(page.url());
}

// Opens the authorization URL and answers the login page's steps; returns the callback URL.
async function signIn(page, url, ...steps) {
    await page.goto(url.href);
    for (const fields of steps) {
        await answer(page, fields);
    }
    return callback(page);
}

// The hosted login's cookie, as the browser would send it to the login page (its path may end
// in a slash, which the bare domain prefix would not match).
async function loginCookie(page) {
    return (await page.context().cookies(`${hosted}/login`)).find((c) => c.name === 'cognito');
}

const claimsOf = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

const verifyJwt = (jwt) => verifyJwtOf(jwt, issuer);

// OpenID Connect Core 3.1.3.6: the left half of the access token's SHA-256, base64url.
const atHash = (accessToken) => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');

const sortedScopes = (scope) => scope.split(' ').sort();

// What the token endpoint refused, by the error name of its JSON body.
async function refusedWith(promise, error) {
    await assert.rejects(promise, (e) => {
        assert.ok(e instanceof ResponseBodyError, `${e.name}: ${e.message}`);
        assert.equal(e.error, error, `${e.error}: ${e.error_description ?? ''}`);
        return true;
    });
}

// A form POST to the token endpoint without openid-client, for what it would not send.
async function tokenRequest(params, headers = {}) {
    const response = await fetch(`${hosted}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(params),
    });
    return { status: response.status, body: await response.json() };
}

const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

// RFC 6238 as authenticator apps compute it: HMAC-SHA1 over the 30-second step, 6 digits.
function totp(secretBase32, at = Date.now()) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = '';
    for (const c of secretBase32.replace(/=+$/, '')) {
        bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
    }
    const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
    const digest = createHmac('sha1', key).update(counter).digest();
    const offset = digest[digest.length - 1] & 0x0f;
    return String((digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// The newest SMS code cognitod would have texted to the user.
async function newestSms(username) {
    const query = new URLSearchParams({ pool: poolId, username });
    const { Messages } = await (await fetch(`${server.url}/_cognitod/messages?${query}`)).json();
    const sms = Messages.filter((m) => m.DeliveryMedium === 'SMS' && m.Code);
    assert.ok(sms.length > 0, `an SMS code was sent to ${username}`);
    return sms.at(-1).Code;
}

// Signed in through the API, as an app's settings page would be, to set up a software token.
async function apiAccessToken(username) {
    const secretHash = createHmac('sha256', web.ClientSecret).update(username + web.ClientId).digest('base64');
    const answer = await web.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId,
        ClientId: web.ClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: secretHash },
    }));
    return answer.AuthenticationResult.AccessToken;
}

test('discovery gives the hosted domain\'s endpoints, the issuer and the JWKS', { timeout }, async () => {
    const config = await discovery(
        new URL(issuer), web.ClientId, web.ClientSecret, undefined, { execute: [allowInsecureRequests] },
    );
    const metadata = config.serverMetadata();
    assert.equal(metadata.issuer, issuer);
    assert.equal(metadata.jwks_uri, `${issuer}/.well-known/jwks.json`);
    assert.equal(metadata.authorization_endpoint, `${hosted}/oauth2/authorize`);
    assert.equal(metadata.token_endpoint, `${hosted}/oauth2/token`);
    assert.equal(metadata.userinfo_endpoint, `${hosted}/oauth2/userInfo`);
    assert.equal(metadata.revocation_endpoint, `${hosted}/oauth2/revoke`);
    assert.equal(metadata.end_session_endpoint, `${hosted}/logout`);
    assert.deepEqual(metadata.response_types_supported, ['code', 'token']);
    assert.deepEqual(metadata.scopes_supported, ['openid', 'email', 'phone', 'profile']);
    assert.deepEqual(metadata.id_token_signing_alg_values_supported, ['RS256']);
    assert.deepEqual(metadata.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post']);

    const { keys } = await (await fetch(metadata.jwks_uri)).json();
    assert.ok(keys.length > 0);
    for (const key of keys) {
        assert.equal(key.kty, 'RSA');
        assert.equal(key.alg, 'RS256');
        assert.equal(typeof key.kid, 'string');
    }
});

test('authorization code flow with PKCE: hosted login in Chromium, code exchange, verified ID token', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'alice', password);
    const { context, page, errors } = await openPage();
    try {
        const metadata = web.config.serverMetadata();
        console.log(`1. discovery: ${issuer}/.well-known/openid-configuration`);
        console.log(`   authorization_endpoint ${metadata.authorization_endpoint}`);
        console.log(`   token_endpoint         ${metadata.token_endpoint}`);

        const request = await authorizationRequest();
        console.log(`2. authorization URL: ${request.url.href}`);

        // Not signed in: the authorization endpoint sends the browser to the login page, with the
        // request's parameters.
        await page.goto(request.url.href);
        const login = new URL(page.url());
        assert.equal(`${login.origin}${login.pathname}`, `${hosted}/login`);
        for (const name of ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'scope']) {
            assert.equal(login.searchParams.get(name), request.url.searchParams.get(name), name);
        }
        console.log(`3. login page: ${page.url()}`);
        await answer(page, { username: 'alice', password });

        const back = await callback(page);
        assert.equal(back.searchParams.get('state'), request.checks.expectedState);
        assert.ok(back.searchParams.get('code'));
        console.log(`4. callback: ${back.href}`);
        assert.ok(await loginCookie(page), 'the login page set its cognito cookie');

        const tokens = await authorizationCodeGrant(web.config, back, request.checks);
        console.log(`5. code exchange: ${Object.keys(tokens).filter((k) => k.endsWith('token')).join(', ')}`);
        assert.equal(tokens.token_type, 'bearer');
        assert.equal(typeof tokens.expires_in, 'number');
        assert.ok(tokens.refresh_token);

        // openid-client checked iss, aud, exp, nonce and the signature; check the rest by hand.
        const claims = tokens.claims();
        console.log('6. ID token claims:', claims);
        assert.deepEqual(await verifyJwt(tokens.id_token), { ...claims });
        assert.equal(claims.iss, issuer);
        assert.equal(claims.aud, web.ClientId);
        assert.equal(claims.nonce, request.checks.expectedNonce);
        assert.equal(claims.at_hash, atHash(tokens.access_token));
        assert.equal(claims.token_use, 'id');
        assert.equal(claims['cognito:username'], 'alice');
        assert.equal(claims.email, 'alice@example.com');
        assert.equal(claims.email_verified, true);
        assert.equal(typeof claims.auth_time, 'number');
        assert.ok(claims.auth_time <= claims.iat && claims.iat < claims.exp);
        assert.match(claims.sub, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

        const access = await verifyJwt(tokens.access_token);
        console.log('   access token claims:', access);
        assert.equal(access.iss, issuer);
        assert.equal(access.token_use, 'access');
        assert.equal(access.client_id, web.ClientId);
        assert.equal(access.username, 'alice');
        assert.equal(access.sub, claims.sub);
        assert.equal(access.version, 2);
        assert.deepEqual(sortedScopes(access.scope), ['email', read, 'openid', 'profile']);

        // Signed in: the next authorization skips the form.
        const again = await authorizationRequest();
        await page.goto(again.url.href);
        const second = await authorizationCodeGrant(web.config, await callback(page), again.checks);
        assert.equal(second.claims().sub, claims.sub);
        assert.equal(second.claims().auth_time, claims.auth_time, 'the same sign-in');
        assert.deepEqual(errors, []);
    } finally {
        await context.close();
    }
});

test('MFA on the login page: a TOTP code, then an SMS code from the outbox', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'tina', password);
    const accessToken = await apiAccessToken('tina');
    const { SecretCode } = await web.admin.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    const verified = await web.admin.send(new VerifySoftwareTokenCommand({
        AccessToken: accessToken, UserCode: totp(SecretCode),
    }));
    assert.equal(verified.Status, 'SUCCESS');
    await web.admin.send(new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId, Username: 'tina', SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
    }));

    await makeUser(web.admin, poolId, 'sam', password, [{ Name: 'phone_number', Value: '+15555550100' }]);
    await web.admin.send(new AdminSetUserMFAPreferenceCommand({
        UserPoolId: poolId, Username: 'sam', SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    }));

    for (const [username, code] of [
        // The next step's code: the current one went into VerifySoftwareToken, and a code is
        // accepted one step either side of the server's clock.
        ['tina', () => totp(SecretCode, Date.now() + 30_000)],
        ['sam', () => newestSms('sam')],
    ]) {
        const { context, page } = await openPage();
        try {
            const request = await authorizationRequest();
            await page.goto(request.url.href);
            await answer(page, { username, password });
            // The password alone is not enough: the same page asks for the code.
            await page.locator('input[name=code]').waitFor();
            assert.equal(page.url().startsWith(app.callback), false);
            await answer(page, { code });
            const tokens = await authorizationCodeGrant(web.config, await callback(page), request.checks);
            assert.equal(tokens.claims()['cognito:username'], username);
            assert.equal(claimsOf(tokens.access_token).username, username);
        } finally {
            await context.close();
        }
    }
});

test('NEW_PASSWORD_REQUIRED: the login page asks for a new password, then gives a code', { timeout }, async () => {
    await web.admin.send(new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'nina',
        TemporaryPassword: 'Temp-Passw0rd!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'nina@example.com' }, { Name: 'email_verified', Value: 'true' }],
    }));
    const { context, page, errors } = await openPage();
    try {
        const request = await authorizationRequest();
        await page.goto(request.url.href);
        await answer(page, { username: 'nina', password: 'Temp-Passw0rd!' });
        await page.locator('input[name=new_password]').waitFor();
        await answer(page, { new_password: 'N3w-Passw0rd!' });
        const tokens = await authorizationCodeGrant(web.config, await callback(page), request.checks);
        assert.equal(tokens.claims()['cognito:username'], 'nina');
        const user = await web.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'nina' }));
        assert.equal(user.UserStatus, 'CONFIRMED');
        assert.deepEqual(errors, []);
    } finally {
        await context.close();
    }
});

test('userInfo, refresh, revoke and logout', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'uma', password);
    const { context, page } = await openPage();
    try {
        const request = await authorizationRequest();
        const tokens = await authorizationCodeGrant(
            web.config, await signIn(page, request.url, { username: 'uma', password }), request.checks,
        );
        const { sub } = tokens.claims();

        const info = await fetchUserInfo(web.config, tokens.access_token, sub);
        assert.equal(info.sub, sub);
        assert.equal(info.username, 'uma');
        assert.equal(info.email, 'uma@example.com');
        assert.equal(String(info.email_verified), 'true');
        // Bearer token errors (RFC 6750): none given, and one that is not a token.
        const bare = await fetch(`${hosted}/oauth2/userInfo`);
        assert.equal(bare.status, 400);
        assert.match(bare.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
        const forged = await fetch(`${hosted}/oauth2/userInfo`, { headers: { Authorization: 'Bearer not-a-token' } });
        assert.equal(forged.status, 401);
        assert.match(forged.headers.get('www-authenticate') ?? '', /error="invalid_token"/);

        // Refreshing gives new access and ID tokens, of the same grant, and keeps the refresh token.
        const refreshed = await refreshTokenGrant(web.config, tokens.refresh_token);
        assert.equal(refreshed.refresh_token, undefined);
        assert.equal(refreshed.claims().sub, sub);
        assert.equal(refreshed.claims().token_use, 'id');
        const access = await verifyJwt(refreshed.access_token);
        assert.equal(access.token_use, 'access');
        assert.equal(access.username, 'uma');
        assert.deepEqual(sortedScopes(access.scope), sortedScopes(claimsOf(tokens.access_token).scope));

        // Revoked, the refresh token is no longer good for anything.
        await tokenRevocation(web.config, tokens.refresh_token);
        await refusedWith(refreshTokenGrant(web.config, tokens.refresh_token), 'invalid_grant');

        // Logout ends the hosted login's sign-in and goes back to the app.
        assert.ok(await loginCookie(page));
        const logout = buildEndSessionUrl(web.config, { logout_uri: app.home });
        assert.equal(`${logout.origin}${logout.pathname}`, `${hosted}/logout`);
        assert.equal(logout.searchParams.get('client_id'), web.ClientId);
        await page.goto(logout.href);
        assert.equal(page.url(), app.home);
        assert.equal(await loginCookie(page), undefined, 'the cognito cookie is cleared');

        // The next authorization asks for the password again.
        await page.goto((await authorizationRequest()).url.href);
        await page.locator('input[name=password]').waitFor();
        const login = new URL(page.url());
        assert.equal(`${login.origin}${login.pathname}`, `${hosted}/login`);
    } finally {
        await context.close();
    }
});

test('the granted scopes: all the client\'s when none is asked, those it lacks ignored', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'sid', password);
    const { context, page } = await openPage();
    try {
        const first = await authorizationRequest({ scope: 'openid' });
        const tokens = await authorizationCodeGrant(
            web.config, await signIn(page, first.url, { username: 'sid', password }), first.checks,
        );
        assert.deepEqual(sortedScopes(claimsOf(tokens.access_token).scope), ['openid']);

        // Signed in already, so each further request comes straight back with a code.
        const scopesFor = async (params) => {
            const request = await authorizationRequest(params);
            await page.goto(request.url.href);
            const granted = await authorizationCodeGrant(web.config, await callback(page), request.checks);
            return sortedScopes(claimsOf(granted.access_token).scope);
        };
        // The client has no phone scope.
        assert.deepEqual(await scopesFor({ scope: 'openid phone' }), ['openid']);
        assert.deepEqual(await scopesFor({ scope: `openid ${read}` }), [read, 'openid'].sort());
        // No scope parameter at all.
        const request = await authorizationRequest();
        request.url.searchParams.delete('scope');
        await page.goto(request.url.href);
        const all = await authorizationCodeGrant(web.config, await callback(page), request.checks);
        assert.deepEqual(sortedScopes(claimsOf(all.access_token).scope), ['email', read, 'openid', 'profile']);
    } finally {
        await context.close();
    }
});

test('client_credentials: an access token for the resource server\'s scope, verified by its JWKS', { timeout }, async () => {
    const tokens = await clientCredentialsGrant(machine.config, { scope: read });
    assert.equal(tokens.token_type, 'bearer');
    assert.equal(tokens.id_token, undefined);
    assert.equal(tokens.refresh_token, undefined);
    const claims = await verifyJwt(tokens.access_token);
    assert.equal(claims.iss, issuer);
    assert.equal(claims.sub, machine.ClientId);
    assert.equal(claims.client_id, machine.ClientId);
    assert.equal(claims.token_use, 'access');
    assert.equal(claims.scope, read);
    assert.equal(claims.username, undefined);
    assert.ok(claims.exp > Date.now() / 1000);

    // Without a scope, the client's custom scopes.
    const defaulted = await clientCredentialsGrant(machine.config);
    assert.equal((await verifyJwt(defaulted.access_token)).scope, read);
});

test('refusals, each by its exact error', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'rex', password);
    const { context, page } = await openPage();
    try {
        // A redirect_uri the client does not list: an error page on the domain, never the URI.
        const stranger = new URL((await authorizationRequest({ redirect_uri: `${app.home}elsewhere` })).url);
        const heard = app.received.length;
        const answered = await fetch(stranger, { redirect: 'manual' });
        assert.equal(answered.status, 302);
        const location = new URL(answered.headers.get('location'), server.url);
        assert.equal(`${location.origin}${location.pathname}`, `${hosted}/error`);
        assert.equal(location.searchParams.get('error'), 'redirect_mismatch');
        await page.goto(stranger.href);
        assert.equal(new URL(page.url()).pathname, `/${domain}/error`);
        // An unknown client too, whatever error it names: nothing to trust its redirect_uri by.
        const unknown = new URL(stranger);
        unknown.searchParams.set('client_id', 'nosuchclient0000000000000a');
        unknown.searchParams.set('redirect_uri', app.callback);
        const unknownAnswer = await fetch(unknown, { redirect: 'manual' });
        assert.equal(unknownAnswer.status, 302);
        const unknownLocation = new URL(unknownAnswer.headers.get('location'), server.url);
        assert.equal(`${unknownLocation.origin}${unknownLocation.pathname}`, `${hosted}/error`);
        assert.equal(app.received.length, heard, 'the app heard nothing');

        // A valid client and redirect_uri: the error goes back to the app, with the state.
        const implicit = await authorizationRequest({ response_type: 'token' });
        const refused = await fetch(implicit.url, { redirect: 'manual' });
        const toApp = new URL(refused.headers.get('location'));
        assert.equal(`${toApp.origin}${toApp.pathname}`, app.callback);
        assert.equal(toApp.searchParams.get('error'), 'unauthorized_client');
        assert.equal(toApp.searchParams.get('state'), implicit.checks.expectedState);

        // A code serves once.
        const first = await authorizationRequest();
        const firstBack = await signIn(page, first.url, { username: 'rex', password });
        const tokens = await authorizationCodeGrant(web.config, firstBack, first.checks);
        await refusedWith(authorizationCodeGrant(web.config, firstBack, first.checks), 'invalid_grant');

        // The code_verifier must be the one the challenge was made from. AWS answers
        // invalid_request, and the failed attempt uses the code up: the right verifier then gets
        // invalid_grant.
        const second = await authorizationRequest();
        await page.goto(second.url.href);
        const secondBack = await callback(page);
        await refusedWith(
            authorizationCodeGrant(web.config, secondBack, {
                ...second.checks, pkceCodeVerifier: randomPKCECodeVerifier(),
            }),
            'invalid_request',
        );
        await refusedWith(authorizationCodeGrant(web.config, secondBack, second.checks), 'invalid_grant');

        // The redirect_uri must be the one the code was issued for: AWS answers
        // unauthorized_client.
        const third = await authorizationRequest();
        await page.goto(third.url.href);
        const wrongUri = await tokenRequest({
            grant_type: 'authorization_code',
            code: (await callback(page)).searchParams.get('code'),
            redirect_uri: `${app.home}elsewhere`,
            code_verifier: third.checks.pkceCodeVerifier,
            client_id: web.ClientId,
            client_secret: web.ClientSecret,
        });
        assert.deepEqual([wrongUri.status, wrongUri.body.error], [400, 'unauthorized_client']);

        // A wrong client secret.
        const wrongSecret = await tokenRequest(
            { grant_type: 'client_credentials', scope: read },
            { Authorization: basic(machine.ClientId, `${machine.ClientSecret.slice(0, -1)}x`) },
        );
        assert.deepEqual([wrongSecret.status, wrongSecret.body.error], [401, 'invalid_client']);

        // A scope the resource server does not define.
        await refusedWith(clientCredentialsGrant(machine.config, { scope: `${api}/write` }), 'invalid_scope');

        // A refresh token after its revocation.
        await tokenRevocation(web.config, tokens.refresh_token);
        await refusedWith(refreshTokenGrant(web.config, tokens.refresh_token), 'invalid_grant');
    } finally {
        await context.close();
    }
});

// The policy's directives by name, each with its sources.
function directives(policy) {
    return Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).filter(([name]) => name)
        .map(([name, ...sources]) => [name.toLowerCase(), sources]));
}

test('the login page: a strict CSP, what it echoes escaped, and no POST without its CSRF token', { timeout }, async () => {
    await makeUser(web.admin, poolId, 'cora', password);
    const { context, page, errors, dialogs } = await openPage();
    try {
        const request = await authorizationRequest();
        const shown = await page.goto(request.url.href);
        await page.locator('input[name=password]').waitFor();
        assert.equal(shown.status(), 200);
        assert.match(shown.headers()['content-type'], /^text\/html/);

        const policy = shown.headers()['content-security-policy'];
        assert.ok(policy, 'the login page has a Content-Security-Policy');
        const csp = directives(policy);
        const scripts = csp['script-src'] ?? csp['default-src'];
        assert.ok(scripts, `the policy limits scripts: ${policy}`);
        for (const loose of ["'unsafe-inline'", "'unsafe-eval'", '*', 'http:', 'https:', 'data:']) {
            assert.equal(scripts.includes(loose), false, `scripts allow ${loose}: ${policy}`);
        }
        // No other site may frame the password form.
        const framing = csp['frame-ancestors'];
        assert.ok(
            (framing && framing.join(' ') === "'none'") || shown.headers()['x-frame-options'] === 'DENY',
            `the page refuses to be framed: ${policy}`,
        );

        // A username that is markup comes back as text.
        const markup = '<script>alert(1)</script>';
        const echoed = await submit(page, { username: markup, password: 'Wrong-Passw0rd!' });
        assert.ok((await page.locator('#error').textContent()).trim().length > 0, 'an error is shown');
        const html = await echoed.text();
        assert.equal(html.includes(markup), false, 'the username is escaped in the page');
        assert.equal(await page.locator('input[name=username]').inputValue(), markup, 'and shown as typed');
        assert.deepEqual(dialogs, []);

        // A known user's wrong password says what the API says.
        await submit(page, { username: 'cora', password: 'Wrong-Passw0rd!' });
        assert.equal((await page.locator('#error').textContent()).trim(), 'Incorrect username or password.');

        // The form carries a CSRF token; the same POST without it signs nobody in.
        const form = page.locator('form', { has: page.locator('input[name=password]') });
        const hidden = await form.locator('input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => i.name));
        const token = hidden.find((name) => /csrf/i.test(name));
        assert.ok(token, `a CSRF field among the hidden ones: ${hidden.join(', ')}`);
        await form.locator(`input[name="${token}"]`).evaluate((input) => input.remove());
        const heard = app.received.length;
        const posted = await submit(page, { username: 'cora', password });
        assert.ok([400, 403].includes(posted.status()), `refused, not ${posted.status()}`);
        assert.equal(app.received.length, heard, 'no code went to the app');
        assert.equal(await loginCookie(page), undefined, 'nobody is signed in');

        // Nor does a POST from outside the browser, without the page's token or cookie.
        const login = new URL(`${hosted}/login`);
        login.search = request.url.search;
        const outside = await fetch(login, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ username: 'cora', password }),
            redirect: 'manual',
        });
        assert.ok([400, 403].includes(outside.status), `refused, not ${outside.status}`);
        assert.doesNotMatch(outside.headers.get('set-cookie') ?? '', /(^|,\s*)cognito=/);

        // The page's own resources load under its own policy.
        assert.deepEqual(errors, []);
    } finally {
        await context.close();
    }
});

test('the login page as a browser shows it, saved as a screenshot', { timeout }, async (t) => {
    const { context, page, errors } = await openPage();
    try {
        await page.goto((await authorizationRequest()).url.href);
        await page.locator('input[name=password]').waitFor();
        await mkdir(artifacts, { recursive: true });
        const screenshot = path.join(artifacts, 'oauth-login.png');
        await page.screenshot({ path: screenshot, fullPage: true });
        t.diagnostic(`screenshot: ${screenshot}`);
        const png = await readFile(screenshot);
        assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        assert.deepEqual(errors, []);
    } finally {
        await context.close();
    }
});
