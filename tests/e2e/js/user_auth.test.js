// USER_AUTH, the choice-based sign-in: the first factor a pool allows (its SignInPolicy) chosen
// up front or from SELECT_CHALLENGE, a one-time code by email from cognitod's outbox, and the
// password plain or by SRP. With the AWS SDK for JavaScript v3 and with AWS Amplify JavaScript v6.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { confirmSignIn, signIn, signOut } from 'aws-amplify/auth';
import {
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    GetUserAuthFactorsCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { configureAmplify, tokens, watchCognitoCalls } from './amplify_node.js';
import { adminClient, makeUser, outbox, startServer, transcriptJson, verifyJwt } from './harness.js';

const password = 'Passw0rd!ok';
const timeout = 30_000;

let server;
let admin;
before(async () => {
    server = await startServer();
    admin = adminClient(server.url);
});
after(async () => { await server?.stop(); });

// A pool whose users may start with their password or a code by email, a client allowed only
// USER_AUTH (and refreshing), and a confirmed user with a verified email.
async function userAuthPool(username) {
    const pool = (await admin.send(new CreateUserPoolCommand({
        PoolName: 'user-auth',
        AutoVerifiedAttributes: ['email'],
        Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } },
    }))).UserPool;
    const client = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.Id,
        ClientName: 'passwordless',
        ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    await makeUser(admin, pool.Id, username, password);
    return { poolId: pool.Id, clientId: client.ClientId };
}

// The code cognitod sent the user last, by email.
async function emailedCode(poolId, username) {
    const message = (await outbox(server.url, poolId, username)).at(-1);
    assert.ok(message?.Code, `a code was delivered to ${username}`);
    assert.equal(message.DeliveryMedium, 'EMAIL');
    assert.equal(message.Destination, `${username}@example.com`);
    assert.ok(message.Message.includes(message.Code), 'the message text carries the code');
    return message.Code;
}

test('USER_AUTH with the SDK: the password at once or chosen, and the factors a user has', { timeout }, async () => {
    const { poolId, clientId } = await userAuthPool('vera');
    const issuer = `${server.url}/${poolId}`;
    const direct = await admin.send(new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'vera', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password },
    }));
    assert.equal(direct.ChallengeName, undefined);
    const access = await verifyJwt(direct.AuthenticationResult.AccessToken, issuer);
    assert.equal(access.username, 'vera');
    assert.equal((await verifyJwt(direct.AuthenticationResult.IdToken, issuer))['cognito:username'], 'vera');

    const factors = await admin.send(new GetUserAuthFactorsCommand({ AccessToken: direct.AuthenticationResult.AccessToken }));
    assert.equal(factors.Username, 'vera');
    assert.deepEqual([...factors.ConfiguredUserAuthFactors].sort(), ['EMAIL_OTP', 'PASSWORD']);

    const offered = await admin.send(new InitiateAuthCommand({
        AuthFlow: 'USER_AUTH', ClientId: clientId, AuthParameters: { USERNAME: 'vera' },
    }));
    assert.equal(offered.ChallengeName, 'SELECT_CHALLENGE');
    assert.deepEqual([...offered.AvailableChallenges].sort(), ['EMAIL_OTP', 'PASSWORD', 'PASSWORD_SRP']);
    assert.ok(offered.Session);
    // Choosing only offers a factor: no code is sent until EMAIL_OTP is picked.
    assert.deepEqual(await outbox(server.url, poolId, 'vera'), []);
    const chosen = await admin.send(new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: offered.Session,
        ChallengeResponses: { USERNAME: 'vera', ANSWER: 'PASSWORD', PASSWORD: password },
    }));
    assert.equal((await verifyJwt(chosen.AuthenticationResult.AccessToken, issuer)).sub, access.sub);
});

test('Amplify USER_AUTH with EMAIL_OTP preferred: the code from the outbox signs in', { timeout }, async () => {
    const { poolId, clientId } = await userAuthPool('uma');
    configureAmplify(server.url, poolId, clientId);
    const calls = [];
    const unwatch = watchCognitoCalls((call) => calls.push(call));
    let code;
    try {
        const started = await signIn({ username: 'uma', options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
        assert.equal(started.isSignedIn, false);
        assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
        assert.deepEqual(started.nextStep.codeDeliveryDetails, { deliveryMedium: 'EMAIL', destination: 'u***@e***' });
        code = await emailedCode(poolId, 'uma');
        const done = await confirmSignIn({ challengeResponse: code });
        assert.equal(done.isSignedIn, true);
        assert.equal(done.nextStep.signInStep, 'DONE');
    } finally {
        unwatch();
        console.log(`Amplify USER_AUTH EMAIL_OTP transcript:\n${calls.map((c) => (
            `> ${c.target} ${transcriptJson(JSON.parse(c.request))}\n< ${c.status} ${transcriptJson(JSON.parse(c.body))}`
        )).join('\n')}`);
    }
    const { access, id } = await tokens();
    assert.equal(access.username, 'uma');
    assert.equal(id['cognito:username'], 'uma');
    assert.equal(id.email, 'uma@example.com');

    assert.deepEqual(calls.map((c) => `${c.operation} ${c.status}`), ['InitiateAuth 200', 'RespondToAuthChallenge 200']);
    const [initiate, respond] = calls.map((c) => JSON.parse(c.request));
    assert.deepEqual(initiate.AuthParameters, { USERNAME: 'uma', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    assert.equal(initiate.AuthFlow, 'USER_AUTH');
    assert.equal(respond.ChallengeName, 'EMAIL_OTP');
    assert.deepEqual(respond.ChallengeResponses, { USERNAME: 'uma', EMAIL_OTP_CODE: code });
    const challenge = JSON.parse(calls[0].body);
    assert.equal(challenge.ChallengeParameters.CODE_DELIVERY_DELIVERY_MEDIUM, 'EMAIL');
    assert.equal(challenge.ChallengeParameters.CODE_DELIVERY_DESTINATION, 'u***@e***');
    await signOut();
});

test('Amplify USER_AUTH without a preference: EMAIL_OTP chosen from the first factors offered', { timeout }, async () => {
    const { poolId, clientId } = await userAuthPool('wren');
    configureAmplify(server.url, poolId, clientId);
    const offered = await signIn({ username: 'wren', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(offered.isSignedIn, false);
    assert.equal(offered.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual([...offered.nextStep.availableChallenges].sort(), ['EMAIL_OTP', 'PASSWORD', 'PASSWORD_SRP']);

    const chosen = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(chosen.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(chosen.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const done = await confirmSignIn({ challengeResponse: await emailedCode(poolId, 'wren') });
    assert.equal(done.nextStep.signInStep, 'DONE');
    assert.equal((await tokens()).access.username, 'wren');
    await signOut();
});

test('Amplify USER_AUTH with the password: PASSWORD_SRP preferred, or PASSWORD chosen', { timeout }, async () => {
    const { poolId, clientId } = await userAuthPool('xena');
    configureAmplify(server.url, poolId, clientId);
    const srp = await signIn({ username: 'xena', password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } });
    assert.equal(srp.isSignedIn, true);
    assert.equal(srp.nextStep.signInStep, 'DONE');
    assert.equal((await tokens()).access.username, 'xena');
    await signOut();

    const offered = await signIn({ username: 'xena', options: { authFlowType: 'USER_AUTH' } });
    assert.equal(offered.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    const asked = await confirmSignIn({ challengeResponse: 'PASSWORD' });
    assert.equal(asked.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_PASSWORD');
    const done = await confirmSignIn({ challengeResponse: password });
    assert.equal(done.nextStep.signInStep, 'DONE');
    assert.equal((await tokens()).access.username, 'xena');
    await signOut();
    // No code was sent for a sign-in by password.
    assert.deepEqual(await outbox(server.url, poolId, 'xena'), []);
});
