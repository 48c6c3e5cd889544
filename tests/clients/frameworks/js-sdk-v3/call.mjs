// One SWF call with the AWS SDK for JavaScript v3, configured as docs/deploy.md says for SwfServerless: the
// endpoint with the domain's path, and SigV4 signed for execute-api. Prints one JSON line: the output, or the error.
//   node call.mjs <endpoint> <accessKeyId> <secretAccessKey> <Command> '<input JSON>'
import * as swf from "@aws-sdk/client-swf";

const [endpoint, accessKeyId, secretAccessKey, command, input] = process.argv.slice(2);
const client = new swf.SWFClient({
  region: "us-east-1",
  endpoint,
  credentials: { accessKeyId, secretAccessKey },
  maxAttempts: 1,
  ...({ signingName: "execute-api" }), // read by the SDK's SigV4 signer; not in the public config type
});
try {
  const output = await client.send(new swf[command + "Command"](JSON.parse(input)));
  delete output.$metadata;
  console.log(JSON.stringify({ ok: true, output }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }));
}
