// The triggers of a sign-in, called on serverless-offline (see lambda_runtime.js) while the AWS
// SDK for JavaScript v3 signs in: PreAuthentication and PostAuthentication, PreTokenGeneration in
// its two versions (the tokens checked against the pool's JWKS), and UserMigration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    AdminAddUserToGroupCommand,
    AdminGetUserCommand,
    ConfirmForgotPasswordCommand,
    CreateGroupCommand,
    ForgotPasswordCommand,
    InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
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
