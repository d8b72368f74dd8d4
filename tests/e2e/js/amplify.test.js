// AWS Amplify JavaScript v6 (aws-amplify) against cognitod, as a Node app would use it: sign-up
// with the code from cognitod's outbox and auto sign-in, password recovery and change, attribute
// verification, deleting the user, and remembered devices.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
    signUp,
    confirmSignUp,
    resendSignUpCode,
    autoSignIn,
    signIn,
    signOut,
    getCurrentUser,
    fetchUserAttributes,
    updateUserAttributes,
    sendUserAttributeVerificationCode,
    confirmUserAttribute,
    resetPassword,
    confirmResetPassword,
    updatePassword,
    deleteUser,
    rememberDevice,
    fetchDevices,
    forgetDevice,
} from 'aws-amplify/auth';
import {
    CreateUserPoolCommand,
    CreateUserPoolClientCommand,
    AdminGetUserCommand,
    AdminListDevicesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { configureAmplify, tokens, watchCognitoCalls } from './amplify_node.js';
import { startServer, adminClient, makeUser, outbox, rejects } from './harness.js';

// Amplify names the devices it confirms after navigator's user agent (see amplify_node.js).
const deviceName = globalThis.navigator.userAgent;

// The calls cognitod refused, kept to be checked since Amplify swallows some refusals.
const refused = [];
watchCognitoCalls((call) => {
    if (call.error) {
        refused.push(call);
    }
});

// Checks what cognitod refused since the last check, as "Operation: ExceptionName", and shows
// each request and answer when that is not what the test expected.
function assertRefused(expected, { ignore = [] } = {}) {
    const seen = refused.splice(0).filter((r) => !ignore.includes(r.error));
    assert.deepEqual(seen.map((r) => `${r.operation}: ${r.error}`), expected,
        seen.map((r) => `${r.operation} ${r.status}\n  request ${r.request}\n  answer ${r.body}`).join('\n'));
}

const password = 'Passw0rd!';
const newPassword = 'N3w-Passw0rd!';
const timeout = 30_000;

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });
beforeEach(() => { refused.length = 0; });

// A fresh pool and SRP client for each test, and Amplify configured for them.
async function configurePool({ deviceConfiguration } = {}) {
    const admin = adminClient(server.url);
    const pool = (await admin.send(new CreateUserPoolCommand({
        PoolName: 'amplify-e2e',
        AutoVerifiedAttributes: ['email'],
        ...(deviceConfiguration ? { DeviceConfiguration: deviceConfiguration } : {}),
    }))).UserPool;
    const client = (await admin.send(new CreateUserPoolClientCommand({
        UserPoolId: pool.Id,
        ClientName: 'amplify',
        ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    }))).UserPoolClient;
    configureAmplify(server.url, pool.Id, client.ClientId);
    return { admin, pool, client };
}

const rememberingDevices = { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true };

// The messages cognitod would have delivered to the user, oldest first, that carry a code.
async function codesFor(poolId, username) {
    return (await outbox(server.url, poolId, username)).filter((m) => m.Code);
}

async function newestCode(poolId, username) {
    const messages = await codesFor(poolId, username);
    assert.ok(messages.length > 0, `a code was delivered to ${username}`);
    return messages.at(-1).Code;
}

// Any code but the given one.
const wrong = (code) => (code === '000000' ? '111111' : '000000');

test('sign-up with the outbox code, then auto sign-in', { timeout }, async () => {
    const { admin, pool, client } = await configurePool();
    const signedUp = await signUp({
        username: 'alice',
        password,
        options: { userAttributes: { email: 'alice@example.com' }, autoSignIn: true },
    });
    assert.equal(signedUp.isSignUpComplete, false);
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    assert.equal(signedUp.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.equal(signedUp.nextStep.codeDeliveryDetails.attributeName, 'email');
    // Cognito masks the destination it names to the unauthenticated caller.
    assert.notEqual(signedUp.nextStep.codeDeliveryDetails.destination, 'alice@example.com');
    assert.match(signedUp.userId, /^[0-9a-f-]{36}$/);
    const unconfirmed = await admin.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'alice' }));
    assert.equal(unconfirmed.UserStatus, 'UNCONFIRMED');

    const [message] = await codesFor(pool.Id, 'alice');
    assert.equal(message.DeliveryMedium, 'EMAIL');
    assert.equal(message.Destination, 'alice@example.com');
    assert.ok(message.Message.includes(message.Code), 'the message text carries the code');

    await rejects(confirmSignUp({ username: 'alice', confirmationCode: wrong(message.Code) }), 'CodeMismatchException');
    const confirmed = await confirmSignUp({ username: 'alice', confirmationCode: message.Code });
    assert.equal(confirmed.isSignUpComplete, true);
    assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');

    const signedIn = await autoSignIn();
    assert.equal(signedIn.isSignedIn, true);
    assert.equal(signedIn.nextStep.signInStep, 'DONE');
    const { access, id } = await tokens();
    assert.equal(id.sub, signedUp.userId);
    assert.equal(id['cognito:username'], 'alice');
    assert.equal(id.email, 'alice@example.com');
    // The code went to the email, so confirming it verified the email.
    assert.equal(id.email_verified, true);
    assert.equal(id.aud, client.ClientId);
    assert.equal(id.token_use, 'id');
    assert.ok(id.iss.endsWith(`/${pool.Id}`), id.iss);
    assert.equal(access.client_id, client.ClientId);
    assert.equal(access.token_use, 'access');
    assert.equal(access.username, 'alice');
    assert.equal(access.sub, signedUp.userId);
    const current = await getCurrentUser();
    assert.equal(current.username, 'alice');
    assert.equal(current.userId, signedUp.userId);
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.email_verified, 'true');
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'alice' }));
    assert.equal(user.UserStatus, 'CONFIRMED');

    await signOut();
    assertRefused(['ConfirmSignUp: CodeMismatchException']);
});

test('resendSignUpCode sends a second code and the newest one confirms', { timeout }, async () => {
    const { admin, pool } = await configurePool();
    const signedUp = await signUp({
        username: 'bruno',
        password,
        options: { userAttributes: { email: 'bruno@example.com' } },
    });
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
    assert.equal((await codesFor(pool.Id, 'bruno')).length, 1);

    // An unconfirmed user cannot sign in yet; Amplify turns that into a next step.
    const early = await signIn({ username: 'bruno', password });
    assert.equal(early.isSignedIn, false);
    assert.equal(early.nextStep.signInStep, 'CONFIRM_SIGN_UP');

    const resent = await resendSignUpCode({ username: 'bruno' });
    assert.equal(resent.deliveryMedium, 'EMAIL');
    assert.equal(resent.attributeName, 'email');
    const messages = await codesFor(pool.Id, 'bruno');
    assert.equal(messages.length, 2);
    assert.equal(messages[1].Destination, 'bruno@example.com');

    const confirmed = await confirmSignUp({ username: 'bruno', confirmationCode: messages[1].Code });
    assert.equal(confirmed.isSignUpComplete, true);
    assert.equal(confirmed.nextStep.signUpStep, 'DONE');
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'bruno' }));
    assert.equal(user.UserStatus, 'CONFIRMED');

    const signedIn = await signIn({ username: 'bruno', password });
    assert.equal(signedIn.nextStep.signInStep, 'DONE');
    const { id } = await tokens();
    assert.equal(id.sub, signedUp.userId);
    assert.equal(id.email_verified, true);
    await signOut();
    // The early sign-in was refused as Cognito refuses it; nothing else was.
    assertRefused([], { ignore: ['UserNotConfirmedException'] });
});

test('resetPassword and confirmResetPassword replace the password', { timeout }, async () => {
    const { admin, pool } = await configurePool();
    await makeUser(admin, pool.Id, 'carol', password);

    const reset = await resetPassword({ username: 'carol' });
    assert.equal(reset.isPasswordReset, false);
    assert.equal(reset.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
    assert.equal(reset.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    assert.equal(reset.nextStep.codeDeliveryDetails.attributeName, 'email');
    const [message] = await codesFor(pool.Id, 'carol');
    assert.equal(message.Destination, 'carol@example.com');

    await rejects(confirmResetPassword({ username: 'carol', confirmationCode: wrong(message.Code), newPassword }),
        'CodeMismatchException');
    await confirmResetPassword({ username: 'carol', confirmationCode: message.Code, newPassword });

    await rejects(signIn({ username: 'carol', password }), 'NotAuthorizedException');
    const signedIn = await signIn({ username: 'carol', password: newPassword });
    assert.equal(signedIn.isSignedIn, true);
    assert.equal((await tokens()).access.username, 'carol');
    await signOut();
    assertRefused([
        'ConfirmForgotPassword: CodeMismatchException',
        'RespondToAuthChallenge: NotAuthorizedException',
    ]);
});

test('a signed-in user: tokens, fetchUserAttributes and updatePassword', { timeout }, async () => {
    const { admin, pool, client } = await configurePool();
    await makeUser(admin, pool.Id, 'dave', password, [{ Name: 'name', Value: 'Dave' }]);

    const signedIn = await signIn({ username: 'dave', password });
    assert.equal(signedIn.isSignedIn, true);
    assert.equal(signedIn.nextStep.signInStep, 'DONE');
    const { access, id } = await tokens();
    assert.equal(access.username, 'dave');
    assert.equal(access.client_id, client.ClientId);
    assert.equal(id['cognito:username'], 'dave');
    assert.equal(id.email, 'dave@example.com');
    assert.equal(id.name, 'Dave');
    assert.equal(id.aud, client.ClientId);
    const attributes = await fetchUserAttributes();
    assert.equal(attributes.sub, id.sub);
    assert.equal(attributes.email, 'dave@example.com');
    assert.equal(attributes.email_verified, 'true');
    assert.equal(attributes.name, 'Dave');

    await rejects(updatePassword({ oldPassword: 'Wr0ng-Passw0rd!', newPassword }), 'NotAuthorizedException');
    await updatePassword({ oldPassword: password, newPassword });
    await signOut();

    await rejects(signIn({ username: 'dave', password }), 'NotAuthorizedException');
    const again = await signIn({ username: 'dave', password: newPassword });
    assert.equal(again.isSignedIn, true);
    await signOut();
    assertRefused([
        'ChangePassword: NotAuthorizedException',
        'RespondToAuthChallenge: NotAuthorizedException',
    ]);
});

test('updateUserAttributes, sendUserAttributeVerificationCode and confirmUserAttribute', { timeout }, async () => {
    const { admin, pool } = await configurePool();
    await makeUser(admin, pool.Id, 'erin', password);
    await signIn({ username: 'erin', password });

    const updated = await updateUserAttributes({ userAttributes: { email: 'erin@example.org', name: 'Erin' } });
    assert.equal(updated.name.isUpdated, true);
    assert.equal(updated.name.nextStep.updateAttributeStep, 'DONE');
    assert.equal(updated.email.isUpdated, false);
    assert.equal(updated.email.nextStep.updateAttributeStep, 'CONFIRM_ATTRIBUTE_WITH_CODE');
    assert.equal(updated.email.nextStep.codeDeliveryDetails.attributeName, 'email');
    assert.equal(updated.email.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
    const first = await codesFor(pool.Id, 'erin');
    assert.equal(first.length, 1);
    assert.equal(first[0].Destination, 'erin@example.org');

    // Without AttributesRequireVerificationBeforeUpdate the new email is kept at once, unverified.
    let attributes = await fetchUserAttributes();
    assert.equal(attributes.email, 'erin@example.org');
    assert.equal(attributes.email_verified, 'false');
    assert.equal(attributes.name, 'Erin');

    const sent = await sendUserAttributeVerificationCode({ userAttributeKey: 'email' });
    assert.equal(sent.attributeName, 'email');
    assert.equal(sent.deliveryMedium, 'EMAIL');
    const messages = await codesFor(pool.Id, 'erin');
    assert.equal(messages.length, 2);
    const code = messages.at(-1).Code;

    await rejects(confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: wrong(code) }), 'CodeMismatchException');
    await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: code });
    attributes = await fetchUserAttributes();
    assert.equal(attributes.email, 'erin@example.org');
    assert.equal(attributes.email_verified, 'true');
    await signOut();
    assertRefused(['VerifyUserAttribute: CodeMismatchException']);
});

test('deleteUser removes the user and signs out', { timeout }, async () => {
    const { admin, pool } = await configurePool();
    await makeUser(admin, pool.Id, 'frank', password);
    await signIn({ username: 'frank', password });
    await deleteUser();
    await rejects(getCurrentUser(), 'UserUnAuthenticatedException');
    await rejects(admin.send(new AdminGetUserCommand({ UserPoolId: pool.Id, Username: 'frank' })), 'UserNotFoundException');
    await rejects(signIn({ username: 'frank', password }), 'UserNotFoundException');
    assertRefused(['InitiateAuth: UserNotFoundException']);
});

test('rememberDevice, fetchDevices and forgetDevice', { timeout }, async () => {
    const { admin, pool } = await configurePool({ deviceConfiguration: rememberingDevices });
    await makeUser(admin, pool.Id, 'gina', password);
    await signIn({ username: 'gina', password });
    const deviceKey = (await tokens()).access.device_key;
    assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
    // Confirmed at sign-in but not remembered until the user says so: not listed yet.
    assert.deepEqual(await fetchDevices(), []);

    await rememberDevice();
    const devices = await fetchDevices();
    assert.deepEqual(devices.map((d) => d.id), [deviceKey]);
    assert.equal(devices[0].name, deviceName);
    assert.equal(devices[0].attributes.device_status, 'valid');
    assert.ok(devices[0].createDate instanceof Date && !Number.isNaN(devices[0].createDate.getTime()));
    const adminView = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'gina' }));
    assert.deepEqual(adminView.Devices.map((d) => d.DeviceKey), [deviceKey]);

    // Signed out and in again, Amplify proves the remembered device and keeps its key.
    await signOut();
    await signIn({ username: 'gina', password });
    assert.equal((await tokens()).access.device_key, deviceKey);

    await forgetDevice();
    assert.deepEqual(await fetchDevices(), []);
    const afterForget = await admin.send(new AdminListDevicesCommand({ UserPoolId: pool.Id, Username: 'gina' }));
    assert.deepEqual(afterForget.Devices, []);

    // A forgotten device is a new device at the next sign-in.
    await signOut();
    await signIn({ username: 'gina', password });
    const newKey = (await tokens()).access.device_key;
    assert.match(newKey, /^us-east-1_[0-9a-f-]{36}$/);
    assert.notEqual(newKey, deviceKey);
    await signOut();
    assertRefused([]);
});

test('transcript: sign-up, outbox code, auto sign-in, remembered device, forget', { timeout }, async () => {
    const { pool } = await configurePool({ deviceConfiguration: rememberingDevices });
    const log = (line) => console.log(`amplify: ${line}`);

    const signedUp = await signUp({
        username: 'hana',
        password,
        options: { userAttributes: { email: 'hana@example.com' }, autoSignIn: true },
    });
    log(`signUp hana -> ${signedUp.nextStep.signUpStep} via ${signedUp.nextStep.codeDeliveryDetails.deliveryMedium} `
        + `to ${signedUp.nextStep.codeDeliveryDetails.destination}`);
    assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');

    const code = await newestCode(pool.Id, 'hana');
    const confirmed = await confirmSignUp({ username: 'hana', confirmationCode: code });
    log(`confirmSignUp with outbox code ${code} -> ${confirmed.nextStep.signUpStep}`);
    assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');

    const signedIn = await autoSignIn();
    const deviceKey = (await tokens()).access.device_key;
    log(`autoSignIn -> ${signedIn.nextStep.signInStep}, device ${deviceKey}`);
    assert.equal(signedIn.isSignedIn, true);
    assert.ok(deviceKey);

    await rememberDevice();
    const remembered = await fetchDevices();
    log(`rememberDevice -> fetchDevices [${remembered.map((d) => `${d.id} "${d.name}"`).join(', ')}]`);
    assert.deepEqual(remembered.map((d) => d.id), [deviceKey]);

    await forgetDevice();
    const left = await fetchDevices();
    log(`forgetDevice -> fetchDevices [${left.map((d) => d.id).join(', ')}]`);
    assert.deepEqual(left, []);

    await signOut();
    log('signOut');
    assertRefused([]);
});
