// `npm run -s local-aws`: a local AWS Secrets Manager for trying `keyturn push` without an AWS account. It is the
// loopback server the tests use (JSON 1.1 protocol, every SigV4 signature checked against the test credentials),
// listening on 127.0.0.1 only, holding everything in memory until Ctrl+C.
import { AWS_TEST_CREDENTIALS, AwsSecretsServer } from '../test/support/aws-secrets-server.js';

const port = Number(process.env.PORT ?? '4566');
const server = await new AwsSecretsServer({ region: 'eu-west-1' }).start(port);
console.log(`Local Secrets Manager at ${server.url} (region eu-west-1). In the shell where you run keyturn:

  export AWS_ACCESS_KEY_ID=${AWS_TEST_CREDENTIALS.accessKeyId}
  export AWS_SECRET_ACCESS_KEY=${AWS_TEST_CREDENTIALS.secretAccessKey}
  export AWS_EC2_METADATA_DISABLED=true

Ctrl+C stops it (and forgets every secret).`);
process.on('SIGINT', () => void server.stop().then(() => process.exit(0)));
