// Starts the real cognitod binary on a free port and builds clients for it.
import { spawn } from 'node:child_process';
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
