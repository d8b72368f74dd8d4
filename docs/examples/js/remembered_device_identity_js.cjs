// amazon-cognito-identity-js against cognitod: SRP sign-in as a seeded user, then a second sign-in
// that proves the device remembered by the first (DEVICE_SRP_AUTH). Start cognitod with
// docker/seed.example.json, then:
//   node docs/examples/js/remembered_device_identity_js.cjs http://127.0.0.1:9229
// (npm install amazon-cognito-identity-js first, or run it from tests/e2e/js.)
const { AuthenticationDetails, CognitoUser, CognitoUserPool } = require('amazon-cognito-identity-js');

function signIn(pool, username, password) {
    const user = new CognitoUser({ Username: username, Pool: pool });
    return new Promise((resolve, reject) =>
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
            onSuccess: (session) => resolve({ user, session }),
            onFailure: reject,
        }));
}

async function main(endpoint) {
    const pool = new CognitoUserPool({
        UserPoolId: 'us-east-1_DemoShop1',
        ClientId: 'demoshopweb000000000000001',
        endpoint: `${endpoint}/`,
    });
    const first = await signIn(pool, 'bob', 'Sunflower-42');
    const deviceKey = first.session.getAccessToken().decodePayload().device_key;
    console.log('first sign-in, new device:', deviceKey);
    first.user.signOut();
    // The library kept the device key and its secret; this sign-in answers the device challenge.
    const second = await signIn(pool, 'bob', 'Sunflower-42');
    console.log('second sign-in, same device:', second.session.getAccessToken().decodePayload().device_key);
}

main(process.argv[2] ?? 'http://127.0.0.1:9229').catch((e) => {
    console.error(`${e.name ?? 'Error'}: ${e.message}`);
    process.exit(1);
});
