// CUSTOM_AUTH: a quiz asked by the DefineAuthChallenge, CreateAuthChallenge and
// VerifyAuthChallengeResponse handlers on serverless-offline (see lambda_runtime.js), answered
// with the AWS SDK for JavaScript v3 and with AWS Amplify JavaScript v6, with and without the
// password checked by SRP first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confirmSignIn, signIn, signOut } from 'aws-amplify/auth';
import {
    AdminInitiateAuthCommand,
    AdminRespondToAuthChallengeCommand,
    InitiateAuthCommand,
    RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { configureAmplify, tokens } from './amplify_node.js';
import { makeUser, rejects, transcriptJson, verifyJwt } from './harness.js';
import { arn, refusal, timeout, triggerServer } from './lambda_runtime.js';

const triggers = triggerServer();
const password = 'Passw0rd!ok';
const quiz = {
    DefineAuthChallenge: arn('defineAuthChallenge'),
    CreateAuthChallenge: arn('createAuthChallenge'),
    VerifyAuthChallengeResponse: arn('verifyAuthChallengeResponse'),
};
const customClient = { ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] };

async function quizPool(username) {
    const { poolId, clientId } = await triggers.pool(quiz, customClient);
    await makeUser(triggers.admin, poolId, username, password);
    return { poolId, clientId };
}

// What DefineAuthChallenge was told of the rounds so far, one list per call.
async function definedSessions(poolId) {
    return (await triggers.events('defineAuthChallenge', poolId)).map((e) => e.request.session);
}

test('CUSTOM_AUTH with the SDK: a wrong answer asks again, the right one gives tokens', { timeout }, async () => {
    const { poolId, clientId } = await quizPool('quinn');
    const transcript = [];
    const send = async (command) => {
        transcript.push(`> ${command.constructor.name.replace(/Command$/, '')} ${transcriptJson(command.input)}`);
        const { $metadata, ...output } = await triggers.admin.send(command);
        transcript.push(`< ${transcriptJson(output)}`);
        return output;
    };
    const answer = (session, value) => send(new RespondToAuthChallengeCommand({
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: session,
        ChallengeResponses: { USERNAME: 'quinn', ANSWER: value },
        ClientMetadata: { step: 'answer' },
    }));

    const started = await send(new InitiateAuthCommand({
        AuthFlow: 'CUSTOM_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'quinn' },
        ClientMetadata: { step: 'initiate' },
    }));
    const wrong = await answer(started.Session, '5');
    const right = await answer(wrong.Session, '4');
    console.log(`CUSTOM_AUTH transcript:\n${transcript.join('\n')}`);

    assert.equal(started.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(started.ChallengeParameters.question, 'What is 2 + 2?');
    assert.equal(started.AuthenticationResult, undefined);
    assert.ok(started.Session);
    assert.equal(wrong.ChallengeName, 'CUSTOM_CHALLENGE');
    assert.equal(wrong.ChallengeParameters.question, 'What is 2 + 2?');
    assert.ok(wrong.Session);
    assert.notEqual(wrong.Session, started.Session);
    assert.equal(right.ChallengeName, undefined);
    const issuer = `${triggers.server.url}/${poolId}`;
    assert.equal((await verifyJwt(right.AuthenticationResult.AccessToken, issuer)).username, 'quinn');
    assert.equal((await verifyJwt(right.AuthenticationResult.IdToken, issuer))['cognito:username'], 'quinn');
    assert.ok(right.AuthenticationResult.RefreshToken);

    const quizRound = (challengeResult) => ({ challengeName: 'CUSTOM_CHALLENGE', challengeResult, challengeMetadata: 'QUIZ' });
    assert.deepEqual(await definedSessions(poolId), [[], [quizRound(false)], [quizRound(false), quizRound(true)]]);
    const defined = await triggers.events('defineAuthChallenge', poolId);
    console.log('DefineAuthChallenge event of the last round:', JSON.stringify(defined.at(-1), null, 2));
    assert.equal(defined[0].triggerSource, 'DefineAuthChallenge_Authentication');
    assert.equal(defined[0].userName, 'quinn');
    assert.equal(defined[0].callerContext.clientId, clientId);
    assert.equal(defined[0].request.userAttributes.email, 'quinn@example.com');
    // RespondToAuthChallenge's ClientMetadata reaches the challenge triggers; InitiateAuth's does not.
    assert.equal(defined[0].request.clientMetadata?.step, undefined);
    assert.deepEqual(defined[1].request.clientMetadata, { step: 'answer' });

    const created = await triggers.events('createAuthChallenge', poolId);
    assert.deepEqual(created.map((e) => e.triggerSource), Array(2).fill('CreateAuthChallenge_Authentication'));
    assert.deepEqual(created.map((e) => e.request.challengeName), ['CUSTOM_CHALLENGE', 'CUSTOM_CHALLENGE']);
    assert.deepEqual(created[1].request.session, [quizRound(false)]);

    const verified = await triggers.events('verifyAuthChallengeResponse', poolId);
    console.log('VerifyAuthChallengeResponse event of the right answer:', JSON.stringify(verified.at(-1), null, 2));
    assert.deepEqual(verified.map((e) => e.triggerSource), Array(2).fill('VerifyAuthChallengeResponse_Authentication'));
    assert.deepEqual(verified.map((e) => e.request.challengeAnswer), ['5', '4']);
    assert.deepEqual(verified[1].request.privateChallengeParameters, { answer: '4' });
    assert.deepEqual(verified[1].request.clientMetadata, { step: 'answer' });
});

test('CUSTOM_AUTH as an administrator: the third wrong answer fails the sign-in', { timeout }, async () => {
    const { poolId, clientId } = await quizPool('rita');
    let { Session: session, ChallengeName: challenge } = await triggers.admin.send(new AdminInitiateAuthCommand({
        UserPoolId: poolId, ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'rita' },
    }));
    const answer = (value) => triggers.admin.send(new AdminRespondToAuthChallengeCommand({
        UserPoolId: poolId,
        ClientId: clientId,
        ChallengeName: 'CUSTOM_CHALLENGE',
        Session: session,
        ChallengeResponses: { USERNAME: 'rita', ANSWER: value },
    }));
    assert.equal(challenge, 'CUSTOM_CHALLENGE');
    for (const value of ['1', '2']) {
        ({ Session: session, ChallengeName: challenge } = await answer(value));
        assert.equal(challenge, 'CUSTOM_CHALLENGE');
    }
    assert.deepEqual(await refusal(answer('3')), {
        name: 'NotAuthorizedException', message: 'Incorrect username or password.',
    });
    const sessions = await definedSessions(poolId);
    assert.deepEqual(sessions.at(-1).map((c) => c.challengeResult), [false, false, false]);
    assert.equal((await triggers.events('defineAuthChallenge', poolId))[0].callerContext.clientId, clientId);
});

test('Amplify CUSTOM_WITHOUT_SRP: the question, a wrong answer, then signed in', { timeout }, async () => {
    const { poolId, clientId } = await quizPool('sam');
    configureAmplify(triggers.server.url, poolId, clientId);
    const started = await signIn({ username: 'sam', options: { authFlowType: 'CUSTOM_WITHOUT_SRP' } });
    assert.equal(started.isSignedIn, false);
    assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    assert.equal(started.nextStep.additionalInfo.question, 'What is 2 + 2?');

    const again = await confirmSignIn({ challengeResponse: '5' });
    assert.equal(again.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    assert.equal(again.nextStep.additionalInfo.question, 'What is 2 + 2?');
    const done = await confirmSignIn({ challengeResponse: '4' });
    assert.equal(done.isSignedIn, true);
    assert.equal(done.nextStep.signInStep, 'DONE');
    const { access, id } = await tokens();
    assert.equal(access.username, 'sam');
    assert.equal(id['cognito:username'], 'sam');
    await signOut();
    assert.equal((await definedSessions(poolId)).length, 3);
});

test('Amplify CUSTOM_WITH_SRP: the password by SRP, then the question', { timeout }, async () => {
    const { poolId, clientId } = await quizPool('tess');
    configureAmplify(triggers.server.url, poolId, clientId);
    const started = await signIn({ username: 'tess', password, options: { authFlowType: 'CUSTOM_WITH_SRP' } });
    assert.equal(started.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE');
    assert.equal(started.nextStep.additionalInfo.question, 'What is 2 + 2?');
    const done = await confirmSignIn({ challengeResponse: '4' });
    assert.equal(done.isSignedIn, true);
    assert.equal((await tokens()).access.username, 'tess');
    await signOut();

    // The password was checked before the question was asked.
    const rounds = (await definedSessions(poolId)).map((session) => session.map((c) => `${c.challengeName}:${c.challengeResult}`));
    assert.deepEqual(rounds, [
        ['SRP_A:true'],
        ['SRP_A:true', 'PASSWORD_VERIFIER:true'],
        ['SRP_A:true', 'PASSWORD_VERIFIER:true', 'CUSTOM_CHALLENGE:true'],
    ]);
    assert.equal((await triggers.events('createAuthChallenge', poolId)).length, 1);

    // A wrong password ends the sign-in before any question.
    await rejects(signIn({ username: 'tess', password: 'Wr0ng-Passw0rd!', options: { authFlowType: 'CUSTOM_WITH_SRP' } }),
        'NotAuthorizedException');
    assert.equal((await triggers.events('createAuthChallenge', poolId)).length, 1);
});
