// Cognito trigger handlers as an app writes them, run by serverless-offline for
// tests/e2e/js/triggers.test.js. Each records the event it received in COGNITOD_EVENTS_DIR.
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
