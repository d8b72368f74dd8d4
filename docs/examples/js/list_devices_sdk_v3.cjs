// The AWS SDK for JavaScript v3 against cognitod: list a seeded user's devices, forget one, list
// again. Start cognitod with docker/seed.example.json, then:
//   node docs/examples/js/list_devices_sdk_v3.cjs http://127.0.0.1:9229
// (npm install @aws-sdk/client-cognito-identity-provider first, or run it from tests/e2e/js.)
const {
    CognitoIdentityProviderClient,
    AdminListDevicesCommand,
    AdminForgetDeviceCommand,
} = require('@aws-sdk/client-cognito-identity-provider');

async function main(endpoint) {
    const idp = new CognitoIdentityProviderClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, // any key, with --auth off
    });
    const who = { UserPoolId: 'us-east-1_DemoShop1', Username: 'alice' };
    const name = (d) => d.DeviceAttributes.find((a) => a.Name === 'device_name').Value;

    const { Devices } = await idp.send(new AdminListDevicesCommand(who));
    console.log('before:', Devices.map(name).join(', '));
    await idp.send(new AdminForgetDeviceCommand({ ...who, DeviceKey: Devices[0].DeviceKey }));
    const after = await idp.send(new AdminListDevicesCommand(who));
    console.log('after: ', after.Devices.map(name).join(', '));
}

main(process.argv[2] ?? 'http://127.0.0.1:9229').catch((e) => {
    console.error(`${e.name}: ${e.message}`);
    process.exit(1);
});
