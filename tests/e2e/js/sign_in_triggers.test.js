// The triggers of a sign-in, called on serverless-offline (see lambda_runtime.js) while the AWS
// SDK for JavaScript v3 signs in: PreAuthentication and PostAuthentication, PreTokenGeneration in
// its three versions (the tokens checked against the pool's JWKS) for each way tokens are issued
// (a password, a refresh, a remembered device with amazon-cognito-identity-js, a new password, the
// hosted login's code and the client_credentials grant), and UserMigration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    AdminAddUserToGroupCommand,
    AdminCreateUserCommand,
    AdminGetUserCommand,
    AdminListDevicesCommand,
    ConfirmForgotPasswordCommand,
    CreateGroupCommand,
    CreateResourceServerCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolDomainCommand,
    ForgotPasswordCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from 'amazon-cognito-identity-js';
import { makeUser, outbox, verifyJwt } from './harness.js';
import { arn, refusal, timeout, triggerServer } from './lambda_runtime.js';

const triggers = triggerServer();
const password = 'Passw0rd!ok';
const passwordClient = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };

function signIn(clientId, username, userPassword = password, clientMetadata = undefined) {
    return triggers.admin.send(new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: username, PASSWORD: userPassword },
        ClientMetadata: clientMetadata,
    }));
}

// Both tokens, each with its signature checked against the pool's JWKS.
async function verifiedTokens(poolId, result) {
    const issuer = `${triggers.server.url}/${poolId}`;
    return { id: await verifyJwt(result.IdToken, issuer), access: await verifyJwt(result.AccessToken, issuer) };
}

async function attributesOf(poolId, username) {
    const user = await triggers.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return { status: user.UserStatus, ...Object.fromEntries(user.UserAttributes.map((a) => [a.Name, a.Value])) };
}

async function inGroup(poolId, username, group) {
    await triggers.admin.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: group }));
    await triggers.admin.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: group }));
}

test("PreAuthentication's error refuses the sign-in; PostAuthentication follows a sign-in", { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({
        PreAuthentication: arn('preAuthentication'), PostAuthentication: arn('postAuthentication'),
    }, passwordClient);
    await makeUser(triggers.admin, poolId, 'blocked-1', password);
    await makeUser(triggers.admin, poolId, 'gail', password);

    assert.deepEqual(await refusal(signIn(clientId, 'blocked-1', password, { device: 'kiosk' })), {
        name: 'UserLambdaValidationException',
        message: 'PreAuthentication failed with error This user may not sign in..',
    });
    const signedIn = await signIn(clientId, 'gail', password, { device: 'kiosk' });
    assert.equal((await verifiedTokens(poolId, signedIn.AuthenticationResult)).access.username, 'gail');

    const [refused, allowed] = await triggers.events('preAuthentication', poolId);
    console.log('PreAuthentication event as the handler received it:', JSON.stringify(allowed, null, 2));
    assert.equal(refused.userName, 'blocked-1');
    assert.equal(allowed.triggerSource, 'PreAuthentication_Authentication');
    assert.equal(allowed.userName, 'gail');
    assert.equal(allowed.callerContext.clientId, clientId);
    assert.equal(allowed.request.userAttributes.email, 'gail@example.com');
    assert.deepEqual(allowed.request.validationData, { device: 'kiosk' });

    // Only the sign-in that succeeded reached PostAuthentication.
    const after = await triggers.events('postAuthentication', poolId);
    assert.equal(after.length, 1);
    const [event] = after;
    console.log('PostAuthentication event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '1');
    assert.equal(event.triggerSource, 'PostAuthentication_Authentication');
    assert.equal(event.userName, 'gail');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.email, 'gail@example.com');
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    // InitiateAuth's ClientMetadata goes to PreSignUp, PreAuthentication and UserMigration only.
    assert.equal(event.request.clientMetadata?.device, undefined);
    // The pool remembers no devices, so no sign-in is on a new one.
    assert.equal(event.request.newDeviceUsed, false);
});

test('PreTokenGeneration V2 adds claims to both tokens and a scope, and cannot change sub', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({
        PreTokenGenerationConfig: { LambdaArn: arn('preTokenGenerationV2'), LambdaVersion: 'V2_0' },
    }, passwordClient);
    await makeUser(triggers.admin, poolId, 'hana', password);
    await inGroup(poolId, 'hana', 'staff');
    const { sub } = await attributesOf(poolId, 'hana');

    const signedIn = await signIn(clientId, 'hana');
    const { id, access } = await verifiedTokens(poolId, signedIn.AuthenticationResult);
    console.log('PreTokenGeneration V2, claims it added:', JSON.stringify({
        id: { tenant: id.tenant, plan: id.plan },
        access: { tenant_id: access.tenant_id, scope: access.scope, sub: access.sub },
    }, null, 2));
    assert.equal(id.tenant, 'acme');
    assert.deepEqual(id.plan, { name: 'gold', seats: 5 });
    assert.equal(access.tenant_id, 't-1');
    assert.deepEqual(access.scope.split(' ').sort(), ['aws.cognito.signin.user.admin', 'orders/read']);
    assert.equal(access.sub, sub);
    assert.equal(id.sub, sub);
    // Each token has only the claims meant for it, and the groups no answer overrode.
    assert.equal(id.tenant_id, undefined);
    assert.equal(access.tenant, undefined);
    assert.equal(id.email, 'hana@example.com');
    assert.equal(access.username, 'hana');
    assert.deepEqual(id['cognito:groups'], ['staff']);
    assert.deepEqual(access['cognito:groups'], ['staff']);

    const [event] = await triggers.events('preTokenGenerationV2', poolId);
    console.log('PreTokenGeneration V2 event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '2');
    assert.equal(event.triggerSource, 'TokenGeneration_Authentication');
    assert.equal(event.userName, 'hana');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.sub, sub);
    assert.equal(event.request.userAttributes.email, 'hana@example.com');
    assert.deepEqual(event.request.scopes, ['aws.cognito.signin.user.admin']);
    assert.deepEqual(event.request.groupConfiguration, {
        groupsToOverride: ['staff'], iamRolesToOverride: [], preferredRole: null,
    });
});

test('PreTokenGeneration V1 shapes the ID token again when tokens are refreshed', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ PreTokenGeneration: arn('preTokenGenerationV1') }, passwordClient);
    await makeUser(triggers.admin, poolId, 'ivan', password);
    await inGroup(poolId, 'ivan', 'staff');

    const signedIn = await signIn(clientId, 'ivan');
    const refreshed = await triggers.admin.send(new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: clientId,
        AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult.RefreshToken },
    }));
    for (const result of [signedIn.AuthenticationResult, refreshed.AuthenticationResult]) {
        const { id, access } = await verifiedTokens(poolId, result);
        assert.equal(id.tenant, 'acme');
        assert.equal(id.email, undefined);
        assert.equal(id.email_verified, true);
        assert.equal(id['cognito:username'], 'ivan');
        assert.deepEqual(id['cognito:groups'], ['from-trigger']);
        // Version 1 leaves the access token's claims alone, but not its groups.
        assert.equal(access.tenant, undefined);
        assert.deepEqual(access['cognito:groups'], ['from-trigger']);
        assert.equal(access.scope, 'aws.cognito.signin.user.admin');
    }

    const events = await triggers.events('preTokenGenerationV1', poolId);
    assert.deepEqual(events.map((e) => e.triggerSource), ['TokenGeneration_Authentication', 'TokenGeneration_RefreshTokens']);
    const refreshEvent = events[1];
    console.log('PreTokenGeneration V1 refresh event as the handler received it:', JSON.stringify(refreshEvent, null, 2));
    assert.equal(refreshEvent.version, '1');
    assert.equal(refreshEvent.userName, 'ivan');
    assert.equal(refreshEvent.callerContext.clientId, clientId);
    // The handler sees the attributes it suppressed from the token.
    assert.equal(refreshEvent.request.userAttributes.email, 'ivan@example.com');
    assert.deepEqual(refreshEvent.request.groupConfiguration.groupsToOverride, ['staff']);
});

// Signs in with SRP as a browser app does with amazon-cognito-identity-js, which confirms a new
// device and, holding a device key, answers the device's own challenge.
function srpSignIn(userPool, username) {
    const user = new CognitoUser({ Username: username, Pool: userPool });
    return new Promise((resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
            onSuccess: resolve,
            onFailure: reject,
            mfaRequired: () => reject(new Error('unexpected MFA challenge')),
            newPasswordRequired: () => reject(new Error('unexpected new password challenge')),
        });
    });
}

test('PreTokenGeneration hears TokenGeneration_AuthenticateDevice on a remembered device', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool(
        { PreTokenGeneration: arn('preTokenGenerationV1') },
        { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
        { DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } },
    );
    await makeUser(triggers.admin, poolId, 'kira', password);
    const userPool = new CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint: `${triggers.server.url}/` });
    // The challenges the library answers, in order.
    const answered = [];
    const request = userPool.client.request.bind(userPool.client);
    userPool.client.request = (operation, params, callback) => {
        if (operation === 'RespondToAuthChallenge') {
            answered.push(params.ChallengeName);
        }
        return request(operation, params, callback);
    };

    // A new device: the library confirms it, and the pool remembers every device.
    const first = await srpSignIn(userPool, 'kira');
    const deviceKey = first.getAccessToken().decodePayload().device_key;
    const devices = await triggers.admin.send(new AdminListDevicesCommand({ UserPoolId: poolId, Username: 'kira' }));
    assert.deepEqual(devices.Devices.map((d) => d.DeviceKey), [deviceKey]);
    assert.deepEqual(answered, ['PASSWORD_VERIFIER']);

    // Signed in again on it: the password, then the device's own SRP proof.
    answered.length = 0;
    const again = await srpSignIn(userPool, 'kira');
    assert.deepEqual(answered, ['PASSWORD_VERIFIER', 'DEVICE_SRP_AUTH', 'DEVICE_PASSWORD_VERIFIER']);
    const issuer = `${triggers.server.url}/${poolId}`;
    const id = await verifyJwt(again.getIdToken().getJwtToken(), issuer);
    const access = await verifyJwt(again.getAccessToken().getJwtToken(), issuer);
    assert.equal(id.tenant, 'acme');
    assert.equal(id.email, undefined);
    assert.equal(access.device_key, deviceKey);

    const events = await triggers.events('preTokenGenerationV1', poolId);
    assert.deepEqual(events.map((e) => e.triggerSource), [
        'TokenGeneration_Authentication', 'TokenGeneration_AuthenticateDevice',
    ]);
    const event = events.at(-1);
    console.log('PreTokenGeneration V1 event for a remembered device:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '1');
    assert.equal(event.userName, 'kira');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.email, 'kira@example.com');
});

test('PreTokenGeneration hears TokenGeneration_NewPasswordChallenge for a new password', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ PreTokenGeneration: arn('preTokenGenerationV1') }, passwordClient);
    await triggers.admin.send(new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'lena',
        TemporaryPassword: 'Temp0rary!pw',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'lena@example.com' }, { Name: 'email_verified', Value: 'true' }],
    }));
    const started = await signIn(clientId, 'lena', 'Temp0rary!pw');
    assert.equal(started.ChallengeName, 'NEW_PASSWORD_REQUIRED');
    // A temporary password issues no tokens, so the trigger is not called yet.
    assert.deepEqual(await triggers.events('preTokenGenerationV1', poolId), []);
    const answered = await triggers.admin.send(new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: started.Session,
        ChallengeResponses: { USERNAME: 'lena', NEW_PASSWORD: password },
    }));
    const { id } = await verifiedTokens(poolId, answered.AuthenticationResult);
    assert.equal(id.tenant, 'acme');
    assert.equal(id['cognito:username'], 'lena');
    assert.equal((await attributesOf(poolId, 'lena')).status, 'CONFIRMED');

    // The next sign-in is an ordinary one.
    await signIn(clientId, 'lena');
    const events = await triggers.events('preTokenGenerationV1', poolId);
    assert.deepEqual(events.map((e) => e.triggerSource), [
        'TokenGeneration_NewPasswordChallenge', 'TokenGeneration_Authentication',
    ]);
    const [event] = events;
    console.log('PreTokenGeneration V1 event after a new password:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '1');
    assert.equal(event.userName, 'lena');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.email, 'lena@example.com');
});

// The hosted login as a client without a browser goes through it: the authorization request, the
// login page's form (its CSRF field, with the XSRF-TOKEN cookie the page set), the password, and
// the redirects up to the callback. Returns the callback URL with its query.
async function hostedSignIn(hosted, authorizeParams, username) {
    const cookies = new Map();
    const visit = async (url, init = {}) => {
        const response = await fetch(url, {
            ...init,
            redirect: 'manual',
            headers: { ...init.headers, Cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
        });
        for (const line of response.headers.getSetCookie()) {
            const [name, value] = line.split(';')[0].split('=');
            cookies.set(name, value);
        }
        return response;
    };
    const authorize = new URL(`${hosted}/oauth2/authorize`);
    authorize.search = new URLSearchParams(authorizeParams);
    const toLogin = await visit(authorize);
    assert.equal(toLogin.status, 302);
    const login = new URL(toLogin.headers.get('location'), authorize);
    assert.equal(login.pathname, new URL(`${hosted}/login`).pathname);

    const page = await visit(login);
    assert.equal(page.status, 200);
    const html = await page.text();
    const action = html.match(/<form method="post" action="([^"]*)"/)?.[1]?.replaceAll('&amp;', '&');
    const csrf = html.match(/<input type="hidden" name="_csrf" value="([^"]*)"/)?.[1];
    assert.ok(action && csrf, `the login form and its CSRF field: ${html}`);
    assert.ok(cookies.get('XSRF-TOKEN'), 'the login page set its XSRF-TOKEN cookie');

    let response = await visit(new URL(action, login), {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, username, password }),
    });
    let at = login;
    for (let hops = 0; response.status === 302 && hops < 5; hops += 1) {
        at = new URL(response.headers.get('location'), at);
        if (at.href.startsWith(authorizeParams.redirect_uri)) {
            return at;
        }
        response = await visit(at);
    }
    assert.fail(`the login did not reach the callback: ${response.status} at ${at.href}: ${await response.text()}`);
}

test('PreTokenGeneration hears TokenGeneration_HostedAuth for the hosted login\'s code', { timeout }, async () => {
    const callback = 'http://localhost:3000/callback';
    const { poolId, clientId } = await triggers.pool({
        PreTokenGenerationConfig: { LambdaArn: arn('preTokenGenerationV2'), LambdaVersion: 'V2_0' },
    }, {
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        CallbackURLs: [callback],
        SupportedIdentityProviders: ['COGNITO'],
    });
    await triggers.admin.send(new CreateUserPoolDomainCommand({ Domain: 'triggers-hosted', UserPoolId: poolId }));
    await makeUser(triggers.admin, poolId, 'mona', password);
    const { sub } = await attributesOf(poolId, 'mona');
    const hosted = `${triggers.server.url}/triggers-hosted`;

    const back = await hostedSignIn(hosted, {
        response_type: 'code', client_id: clientId, redirect_uri: callback, scope: 'openid', state: 'st-1',
    }, 'mona');
    assert.equal(back.searchParams.get('state'), 'st-1');
    const code = back.searchParams.get('code');
    assert.ok(code, `a code in ${back.href}`);
    // Signing in on the page issues no tokens: the trigger waits for the code's exchange.
    assert.deepEqual(await triggers.events('preTokenGenerationV2', poolId), []);

    const exchanged = await fetch(`${hosted}/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
            grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: callback,
        }),
    });
    const body = await exchanged.json();
    assert.equal(exchanged.status, 200, JSON.stringify(body));
    const issuer = `${triggers.server.url}/${poolId}`;
    const id = await verifyJwt(body.id_token, issuer);
    const access = await verifyJwt(body.access_token, issuer);
    assert.equal(id.tenant, 'acme');
    assert.deepEqual(id.plan, { name: 'gold', seats: 5 });
    assert.equal(id.sub, sub);
    assert.equal(access.tenant_id, 't-1');
    assert.equal(access.sub, sub);
    assert.deepEqual(access.scope.split(' ').sort(), ['openid', 'orders/read']);

    const events = await triggers.events('preTokenGenerationV2', poolId);
    assert.deepEqual(events.map((e) => e.triggerSource), ['TokenGeneration_HostedAuth']);
    const [event] = events;
    console.log('PreTokenGeneration V2 event for the hosted login:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '2');
    assert.equal(event.userName, 'mona');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes.sub, sub);
    assert.deepEqual(event.request.scopes, ['openid']);
});

// A pool whose PreTokenGeneration is the V2 handler at this LambdaVersion, with the resource
// server orders, a domain, and a confidential client for the client_credentials grant.
async function machinePool(version, domain) {
    const { poolId } = await triggers.pool({
        PreTokenGenerationConfig: { LambdaArn: arn('preTokenGenerationV2'), LambdaVersion: version },
    });
    await triggers.admin.send(new CreateResourceServerCommand({
        UserPoolId: poolId,
        Identifier: 'orders',
        Name: 'orders',
        Scopes: [{ ScopeName: 'read', ScopeDescription: 'read' }],
    }));
    await triggers.admin.send(new CreateUserPoolDomainCommand({ Domain: domain, UserPoolId: poolId }));
    const client = (await triggers.admin.send(new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'machine',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['orders/read'],
    }))).UserPoolClient;
    const response = await fetch(`${triggers.server.url}/${domain}/oauth2/token`, {
        method: 'POST',
        headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Authorization: `Basic ${Buffer.from(`${client.ClientId}:${client.ClientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'orders/read' }),
    });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    const access = await verifyJwt(body.access_token, `${triggers.server.url}/${poolId}`);
    return { poolId, clientId: client.ClientId, access };
}

test('PreTokenGeneration V3 shapes the client_credentials token; V2 is not called for it', { timeout }, async () => {
    const v3 = await machinePool('V3_0', 'triggers-machine-v3');
    console.log('client_credentials access token with V3_0:', JSON.stringify(v3.access, null, 2));
    assert.equal(v3.access.tenant_id, 't-1');
    // sub stays the client's own.
    assert.equal(v3.access.sub, v3.clientId);
    assert.equal(v3.access.client_id, v3.clientId);
    assert.equal(v3.access.token_use, 'access');
    assert.equal(v3.access.scope, 'orders/read');
    const events = await triggers.events('preTokenGenerationV2', v3.poolId);
    assert.equal(events.length, 1);
    const [event] = events;
    console.log('PreTokenGeneration V3 event for client_credentials:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '3');
    assert.equal(event.triggerSource, 'TokenGeneration_ClientCredentials');
    assert.equal(event.callerContext.clientId, v3.clientId);
    assert.deepEqual(event.request.userAttributes, {});
    assert.deepEqual(event.request.scopes, ['orders/read']);

    const v2 = await machinePool('V2_0', 'triggers-machine-v2');
    assert.equal(v2.access.tenant_id, undefined);
    assert.equal(v2.access.scope, 'orders/read');
    assert.deepEqual(await triggers.events('preTokenGenerationV2', v2.poolId), []);
});

test('UserMigration brings an unknown user over at sign-in with the password given', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ UserMigration: arn('userMigration') }, passwordClient);
    const signedIn = await signIn(clientId, 'legacy-1', 'Legacy1!pass', { app: 'legacy' });
    const { id, access } = await verifiedTokens(poolId, signedIn.AuthenticationResult);
    assert.equal(access.username, 'legacy-1');
    assert.equal(id.email, 'legacy@example.com');
    const migrated = await attributesOf(poolId, 'legacy-1');
    assert.equal(migrated.status, 'CONFIRMED');
    assert.equal(migrated.email, 'legacy@example.com');
    assert.equal(migrated.email_verified, 'true');
    assert.equal(id.sub, migrated.sub);
    // messageAction SUPPRESS: no welcome message.
    assert.deepEqual(await outbox(triggers.server.url, poolId, 'legacy-1'), []);

    // The password came over with the user: the next sign-in is the pool's own.
    await signIn(clientId, 'legacy-1', 'Legacy1!pass');
    const events = await triggers.events('userMigration', poolId);
    assert.equal(events.length, 1);
    const [event] = events;
    console.log('UserMigration event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.triggerSource, 'UserMigration_Authentication');
    assert.equal(event.userName, 'legacy-1');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.password, 'Legacy1!pass');
    assert.deepEqual(event.request.validationData, { app: 'legacy' });

    // The legacy store refuses a wrong password: the sign-in fails and nobody is created.
    const refused = await refusal(signIn(clientId, 'legacy-2', 'Wrong1!pass'));
    console.log('UserMigration refusing legacy-2:', refused);
    assert.equal((await refusal(attributesOf(poolId, 'legacy-2'))).name, 'UserNotFoundException');
});

test('UserMigration brings an unknown user over at ForgotPassword, to set a password by code', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ UserMigration: arn('userMigration') }, passwordClient);
    const forgot = await triggers.admin.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'legacy-3' }));
    assert.deepEqual(forgot.CodeDeliveryDetails, {
        AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 'l***@e***',
    });
    const [event] = await triggers.events('userMigration', poolId);
    assert.equal(event.triggerSource, 'UserMigration_ForgotPassword');
    assert.equal(event.userName, 'legacy-3');
    assert.equal(event.request.password, undefined);

    const [message] = await outbox(triggers.server.url, poolId, 'legacy-3');
    assert.equal(message.Destination, 'legacy@example.com');
    await triggers.admin.send(new ConfirmForgotPasswordCommand({
        ClientId: clientId, Username: 'legacy-3', ConfirmationCode: message.Code, Password: 'N3w-Passw0rd!',
    }));
    assert.equal((await attributesOf(poolId, 'legacy-3')).status, 'CONFIRMED');
    const signedIn = await signIn(clientId, 'legacy-3', 'N3w-Passw0rd!');
    assert.equal((await verifiedTokens(poolId, signedIn.AuthenticationResult)).access.username, 'legacy-3');
    assert.equal((await triggers.events('userMigration', poolId)).length, 1);
});
