// The triggers of a user's sign-up and its messages, called on serverless-offline (see
// lambda_runtime.js): PreSignUp, PostConfirmation and CustomMessage, and what becomes of a call
// when the function or the runtime is missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
    AdminGetUserCommand,
    ConfirmForgotPasswordCommand,
    ConfirmSignUpCommand,
    CreateUserPoolClientCommand,
    CreateUserPoolCommand,
    ForgotPasswordCommand,
    SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { adminClient, outbox, startServer } from './harness.js';
import { arn, refusal, timeout, triggerServer } from './lambda_runtime.js';

const triggers = triggerServer();

function signUp(clientId, username, email) {
    return triggers.admin.send(new SignUpCommand({
        ClientId: clientId,
        Username: username,
        Password: 'Passw0rd!ok',
        UserAttributes: [{ Name: 'email', Value: email }],
        ClientMetadata: { source: 'e2e' },
    }));
}

test('PreSignUp confirms a sign-up and verifies its email when the handler says so', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ PreSignUp: arn('preSignUp') });
    const out = await signUp(clientId, 'ana', 'ana@example.com');
    assert.equal(out.UserConfirmed, true);
    assert.equal(out.CodeDeliveryDetails, undefined);
    const ana = await triggers.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'ana' }));
    assert.equal(ana.UserStatus, 'CONFIRMED');
    assert.deepEqual(ana.UserAttributes.find((a) => a.Name === 'email_verified'), { Name: 'email_verified', Value: 'true' });

    const [event] = await triggers.events('preSignUp', poolId);
    console.log('PreSignUp event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.version, '1');
    assert.equal(event.triggerSource, 'PreSignUp_SignUp');
    assert.equal(event.region, 'us-east-1');
    assert.equal(event.userName, 'ana');
    assert.equal(event.callerContext.clientId, clientId);
    assert.deepEqual(event.request.userAttributes, { email: 'ana@example.com' });
    assert.deepEqual(event.request.clientMetadata, { source: 'e2e' });
    assert.deepEqual(event.response, { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
});

test("PreSignUp's error refuses the sign-up with the handler's message", { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ PreSignUp: arn('preSignUp') });
    assert.deepEqual(await refusal(signUp(clientId, 'bo', 'bo@example.org')), {
        name: 'UserLambdaValidationException',
        message: 'PreSignUp failed with error Registration from this domain is not allowed..',
    });
    assert.equal(
        (await refusal(triggers.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'bo' })))).name,
        'UserNotFoundException',
    );
});

test('PostConfirmation receives the user ConfirmSignUp confirmed', { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({
        PreSignUp: arn('preSignUp'), PostConfirmation: arn('postConfirmation'),
    });
    // example.net is neither confirmed nor refused by PreSignUp: the code confirms it.
    const out = await signUp(clientId, 'cy', 'cy@example.net');
    assert.equal(out.UserConfirmed, false);
    const code = (await outbox(triggers.server.url, poolId, 'cy')).at(-1).Code;
    await triggers.admin.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'cy', ConfirmationCode: code }));

    const [event] = await triggers.events('postConfirmation', poolId);
    console.log('PostConfirmation event as the handler received it:', JSON.stringify(event, null, 2));
    assert.equal(event.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(event.userName, 'cy');
    assert.equal(event.callerContext.clientId, clientId);
    assert.equal(event.request.userAttributes['cognito:user_status'], 'CONFIRMED');
    assert.equal(event.request.userAttributes.email_verified, 'true');
    assert.match(event.request.userAttributes.sub, /^[0-9a-f-]{36}$/);
});

test("CustomMessage's subject and text are the sign-up and reset emails, with the code in place", { timeout }, async () => {
    const { poolId, clientId } = await triggers.pool({ CustomMessage: arn('customMessage') });
    const out = await signUp(clientId, 'kai', 'kai@example.net');
    assert.equal(out.UserConfirmed, false);
    assert.equal(out.CodeDeliveryDetails.DeliveryMedium, 'EMAIL');
    const [welcome] = await outbox(triggers.server.url, poolId, 'kai');
    console.log('CustomMessage_SignUp, as delivered:', JSON.stringify(welcome, null, 2));
    assert.match(welcome.Code, /^\d+$/);
    assert.equal(welcome.DeliveryMedium, 'EMAIL');
    assert.equal(welcome.Destination, 'kai@example.net');
    assert.equal(welcome.Subject, 'Welcome to Acme');
    assert.equal(welcome.Message, `Hello kai, your Acme confirmation code is ${welcome.Code}.`);
    // The code in the custom text is the one that confirms.
    await triggers.admin.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: 'kai', ConfirmationCode: welcome.Code }));
    const kai = await triggers.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'kai' }));
    assert.equal(kai.UserStatus, 'CONFIRMED');

    await triggers.admin.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'kai' }));
    const reset = (await outbox(triggers.server.url, poolId, 'kai')).at(-1);
    assert.notEqual(reset.Code, welcome.Code);
    assert.equal(reset.Subject, 'Reset your Acme password');
    assert.equal(reset.Message, `Hello kai, use ${reset.Code} to choose a new Acme password.`);
    await triggers.admin.send(new ConfirmForgotPasswordCommand({
        ClientId: clientId, Username: 'kai', ConfirmationCode: reset.Code, Password: 'N3w-Passw0rd!',
    }));

    const [signUpEvent, resetEvent] = await triggers.events('customMessage', poolId);
    console.log('CustomMessage event as the handler received it:', JSON.stringify(signUpEvent, null, 2));
    assert.equal(signUpEvent.triggerSource, 'CustomMessage_SignUp');
    assert.equal(signUpEvent.userName, 'kai');
    assert.equal(signUpEvent.callerContext.clientId, clientId);
    assert.equal(signUpEvent.request.codeParameter, '{####}');
    assert.equal(signUpEvent.request.userAttributes.email, 'kai@example.net');
    assert.deepEqual(signUpEvent.request.clientMetadata, { source: 'e2e' });
    assert.equal(resetEvent.triggerSource, 'CustomMessage_ForgotPassword');
    assert.equal(resetEvent.request.codeParameter, '{####}');
});

test('a function the runtime lacks, or no runtime at all, is UnexpectedLambdaException', { timeout }, async () => {
    const { clientId } = await triggers.pool({ PreSignUp: arn('noSuchFunction') });
    const missing = await refusal(signUp(clientId, 'dee', 'dee@example.com'));
    assert.equal(missing.name, 'UnexpectedLambdaException');
    assert.match(missing.message, /^PreSignUp invocation failed due to error HTTP 404/);

    const bare = await startServer();
    try {
        const bareAdmin = adminClient(bare.url);
        const pool = (await bareAdmin.send(new CreateUserPoolCommand({
            PoolName: 'no-runtime', LambdaConfig: { PreSignUp: arn('preSignUp') },
        }))).UserPool;
        const client = (await bareAdmin.send(new CreateUserPoolClientCommand({
            UserPoolId: pool.Id, ClientName: 'web',
        }))).UserPoolClient;
        const refused = await refusal(bareAdmin.send(new SignUpCommand({
            ClientId: client.ClientId, Username: 'eve', Password: 'Passw0rd!ok',
        })));
        assert.equal(refused.name, 'UnexpectedLambdaException');
        assert.match(refused.message, /--lambda-endpoint/);
    } finally {
        await bare.stop();
    }
});
