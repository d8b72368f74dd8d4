// AWS Amplify JavaScript v6 in Node against cognitod, as the Amplify test files set it up: what
// Node lacks or Amplify leaves behind, a view of each Cognito call it makes, and a configuration
// for one pool and client at a time.
import assert from 'node:assert/strict';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger, sharedInMemoryStorage } from 'aws-amplify/utils';

// Amplify names the device it confirms after navigator's user agent, and silently skips
// ConfirmDevice when there is no navigator (Node 20 has none; Node 21 and later do).
globalThis.navigator ??= { userAgent: 'node' };

// Amplify warns at every call that the user pool endpoint is a custom one; that is the point here.
ConsoleLogger.LOG_LEVEL = 'ERROR';

// Amplify signs up with auto sign-in by arming a three-minute timer that gives up waiting for
// the confirmation, and never clears it; unref long timers so the process ends with the tests.
const setTimeoutAsGiven = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...rest) => {
    const timer = setTimeoutAsGiven(fn, ms, ...rest);
    if (ms >= 60_000) timer.unref?.();
    return timer;
};

// Every Cognito call Amplify makes goes through fetch, and Amplify swallows some failures
// (ConfirmDevice at sign-in, RevokeToken at sign-out): watchers see each call as it was made and
// answered, with the exception's name when it was refused.
const watchers = new Set();
const fetchAsGiven = globalThis.fetch;
globalThis.fetch = async (input, init) => {
    const response = await fetchAsGiven(input, init);
    const target = new Headers(init?.headers).get('x-amz-target');
    if (target && watchers.size > 0) {
        const body = await response.clone().text();
        let error;
        if (!response.ok) {
            try {
                error = String(JSON.parse(body).__type ?? '').split('#').at(-1);
            } catch {
                error = body;
            }
        }
        const call = { target, operation: target.split('.').at(-1), status: response.status, error, request: init?.body, body };
        watchers.forEach((watch) => watch(call));
    }
    return response;
};

// Calls watch(call) for each Cognito call from now on; returns what stops it.
export function watchCognitoCalls(watch) {
    watchers.add(watch);
    return () => watchers.delete(watch);
}

// Amplify is a singleton: each test configures it for its own pool and client, so the previous
// test's configuration and tokens do not leak into the next.
export function configureAmplify(url, poolId, clientId) {
    Amplify.configure({
        Auth: {
            Cognito: {
                userPoolId: poolId,
                userPoolClientId: clientId,
                userPoolEndpoint: url,
                loginWith: { username: true, email: false },
                signUpVerificationMethod: 'code',
            },
        },
    });
    // configure() resets the token storage to its default, so set ours after it.
    sharedInMemoryStorage.clear();
    cognitoUserPoolsTokenProvider.setKeyValueStorage(sharedInMemoryStorage);
}

// The signed-in user's token claims.
export async function tokens() {
    const session = await fetchAuthSession();
    assert.ok(session.tokens?.accessToken && session.tokens?.idToken, 'signed in with tokens');
    return { access: session.tokens.accessToken.payload, id: session.tokens.idToken.payload };
}
