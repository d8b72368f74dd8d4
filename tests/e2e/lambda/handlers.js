// Cognito trigger handlers as an app writes them, run by serverless-offline for the end-to-end
// tests in tests/e2e/js. Each records the event it received in COGNITOD_EVENTS_DIR.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function record(name, event) {
    fs.appendFileSync(path.join(process.env.COGNITOD_EVENTS_DIR, `${name}.jsonl`), `${JSON.stringify(event)}\n`);
}

// Sign-ups from example.com are confirmed with their email verified; example.org is refused.
exports.preSignUp = async (event) => {
    record('preSignUp', event);
    const email = event.request.userAttributes.email ?? '';
    if (email.endsWith('@example.org')) {
        throw new Error('Registration from this domain is not allowed.');
    }
    if (email.endsWith('@example.com')) {
        event.response.autoConfirmUser = true;
        event.response.autoVerifyEmail = true;
    }
    return event;
};

exports.postConfirmation = async (event) => {
    record('postConfirmation', event);
    return event;
};

// Users whose name starts with "blocked" may not sign in.
exports.preAuthentication = async (event) => {
    record('preAuthentication', event);
    if (event.userName.startsWith('blocked')) {
        throw new Error('This user may not sign in.');
    }
    return event;
};

exports.postAuthentication = async (event) => {
    record('postAuthentication', event);
    return event;
};

// Version 1 customizes the ID token only; its groups go to both tokens.
exports.preTokenGenerationV1 = async (event) => {
    record('preTokenGenerationV1', event);
    event.response.claimsOverrideDetails = {
        claimsToAddOrOverride: { tenant: 'acme' },
        claimsToSuppress: ['email'],
        groupOverrideDetails: { groupsToOverride: ['from-trigger'] },
    };
    return event;
};

// Version 2 customizes both tokens and the access token's scopes. sub is reserved, so the attempt
// to replace it must leave the user's own.
exports.preTokenGenerationV2 = async (event) => {
    record('preTokenGenerationV2', event);
    event.response.claimsAndScopeOverrideDetails = {
        idTokenGeneration: {
            claimsToAddOrOverride: { tenant: 'acme', plan: { name: 'gold', seats: 5 } },
        },
        accessTokenGeneration: {
            claimsToAddOrOverride: { tenant_id: 't-1', sub: 'not-the-user' },
            scopesToAdd: ['orders/read'],
            scopesToSuppress: [],
        },
    };
    return event;
};

// The legacy user store: users named legacy... with the password Legacy1!pass. The password is
// checked only at sign-in; a forgotten password moves the user over to be reset.
exports.userMigration = async (event) => {
    record('userMigration', event);
    const signingIn = event.triggerSource === 'UserMigration_Authentication';
    if (!event.userName.startsWith('legacy') || (signingIn && event.request.password !== 'Legacy1!pass')) {
        throw new Error('Bad password');
    }
    event.response.userAttributes = { email: 'legacy@example.com', email_verified: 'true' };
    if (signingIn) {
        event.response.finalUserStatus = 'CONFIRMED';
    }
    event.response.messageAction = 'SUPPRESS';
    return event;
};

// The sign-up and password-reset emails in the app's own words; the other messages stay Cognito's.
exports.customMessage = async (event) => {
    record('customMessage', event);
    const code = event.request.codeParameter;
    if (event.triggerSource === 'CustomMessage_SignUp') {
        event.response.emailSubject = 'Welcome to Acme';
        event.response.emailMessage = `Hello ${event.userName}, your Acme confirmation code is ${code}.`;
    }
    if (event.triggerSource === 'CustomMessage_ForgotPassword') {
        event.response.emailSubject = 'Reset your Acme password';
        event.response.emailMessage = `Hello ${event.userName}, use ${code} to choose a new Acme password.`;
    }
    return event;
};

// A quiz as the custom challenge. Started with SRP, the password is verified first; three wrong
// answers end the sign-in.
exports.defineAuthChallenge = async (event) => {
    record('defineAuthChallenge', event);
    const { session } = event.request;
    const last = session.at(-1);
    const wrongAnswers = session.filter((c) => c.challengeName === 'CUSTOM_CHALLENGE' && !c.challengeResult).length;
    const answer = (response) => {
        Object.assign(event.response, { issueTokens: false, failAuthentication: false }, response);
        return event;
    };
    if (session.length === 0) {
        return answer({ challengeName: 'CUSTOM_CHALLENGE' });
    }
    if (last.challengeName === 'SRP_A') {
        return answer({ challengeName: 'PASSWORD_VERIFIER' });
    }
    if (last.challengeName === 'PASSWORD_VERIFIER' && last.challengeResult) {
        return answer({ challengeName: 'CUSTOM_CHALLENGE' });
    }
    if (last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult) {
        return answer({ issueTokens: true });
    }
    if (last.challengeName === 'CUSTOM_CHALLENGE' && wrongAnswers < 3) {
        return answer({ challengeName: 'CUSTOM_CHALLENGE' });
    }
    return answer({ failAuthentication: true });
};

exports.createAuthChallenge = async (event) => {
    record('createAuthChallenge', event);
    if (event.request.challengeName === 'CUSTOM_CHALLENGE') {
        event.response.publicChallengeParameters = { question: 'What is 2 + 2?' };
        event.response.privateChallengeParameters = { answer: '4' };
        event.response.challengeMetadata = 'QUIZ';
    }
    return event;
};

exports.verifyAuthChallengeResponse = async (event) => {
    record('verifyAuthChallengeResponse', event);
    event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
    return event;
};
