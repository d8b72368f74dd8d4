// Starts the real cognitod binary on a free port and builds clients for it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { once } from 'node:events';
import {
    CognitoIdentityProviderClient,
    CreateUserPoolCommand,
    CreateUserPoolClientCommand,
    AdminCreateUserCommand,
    AdminSetUserPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoUserPool } from 'amazon-cognito-identity-js';

export const binary = process.env.COGNITOD_BIN ?? new URL('../../../build/test/cognitod', import.meta.url).pathname;

export async function startServer(extraArgs = []) {
    const child = spawn(binary, ['--port', '0', '--db', ':memory:', '--log-level', 'warn', ...extraArgs], {
        stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const url = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`cognitod did not start: ${stderr}`)), 10000);
        let out = '';
        child.stdout.on('data', (chunk) => {
            out += chunk;
            const match = out.match(/cognitod listening on (http:\/\/\S+)/);
            if (match) {
                clearTimeout(timer);
                resolve(match[1]);
            }
        });
        child.once('exit', (code) => reject(new Error(`cognitod exited with ${code}: ${stderr}`)));
    });
    return {
        url,
        stderr: () => stderr,
        async stop() {
            child.kill('SIGTERM');
            await once(child, 'exit');
        },
    };
}

export function adminClient(url) {
    return new CognitoIdentityProviderClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
    });
}

// A pool that remembers devices, an SRP client, and a confirmed user.
export async function makePool(url, { deviceConfiguration, mfa } = {}) {
    const admin = adminClient(url);
    const pool = (await admin.send(new CreateUserPoolCommand({
        PoolName: 'js-e2e',
        DeviceConfiguration: deviceConfiguration ?? {
            ChallengeRequiredOnNewDevice: true,
            DeviceOnlyRememberedOnUserPrompt: true,
        },
        ...(mfa ? { MfaConfiguration: mfa } : {}),
    }))).UserPool;
    const client = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.Id,
        ClientName: 'web',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    const userPool = new CognitoUserPool({ UserPoolId: pool.Id, ClientId: client.ClientId, endpoint: `${url}/` });
    return { admin, pool, client, userPool };
}

export async function makeUser(admin, poolId, username, password, extraAttributes = []) {
    await admin.send(new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
            { Name: 'email', Value: `${username}@example.com` },
            { Name: 'email_verified', Value: 'true' },
            ...extraAttributes,
        ],
    }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
}

// Checks that the promise is refused with the exception of this name.
export async function rejects(promise, name) {
    await assert.rejects(promise, (error) => {
        assert.equal(error.name, name, `${error.name}: ${error.message}`);
        return true;
    });
}

// The messages cognitod would have delivered to a user, oldest first.
export async function outbox(url, poolId, username) {
    const response = await fetch(`${url}/_cognitod/messages?${new URLSearchParams({ pool: poolId, username })}`);
    assert.equal(response.status, 200);
    return (await response.json()).Messages;
}

// A JWT checked by hand against its issuer's JWKS, as a resource server without a JOSE library
// would: RS256 with the key its header names. Returns the claims.
export async function verifyJwt(jwt, issuer) {
    const [header, payload, signature] = jwt.split('.');
    const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url'));
    assert.equal(alg, 'RS256');
    const { keys } = await (await fetch(`${issuer}/.well-known/jwks.json`)).json();
    const jwk = keys.find((k) => k.kid === kid);
    assert.ok(jwk, `the key ${kid} is in the pool's JWKS`);
    const valid = verify(
        'RSA-SHA256', Buffer.from(`${header}.${payload}`),
        createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'),
    );
    assert.equal(valid, true, 'the signature verifies with the JWKS key');
    return JSON.parse(Buffer.from(payload, 'base64url'));
}

// JSON for a transcript a reader follows: tokens, sessions and SRP numbers cut short, passwords
// hidden.
const longValues = new Set(['AccessToken', 'IdToken', 'RefreshToken', 'Session', 'SRP_A', 'SRP_B', 'SECRET_BLOCK']);
export function transcriptJson(value) {
    return JSON.stringify(value, (key, v) => {
        if (typeof v !== 'string') {
            return v;
        }
        if (/password/i.test(key)) {
            return '(hidden)';
        }
        return longValues.has(key) && v.length > 24 ? `${v.slice(0, 16)}...(${v.length} chars)` : v;
    });
}
