import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { generate } from 'selfsigned';

export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:missive-ses-events';
export const CERT_URL = 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0123456789abcdef.pem';

/** A signing certificate of our own (Node cannot write X.509; selfsigned can), valid in the window given. */
export async function makeSigner(validity: { from: Date; to: Date }) {
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const made = await generate([{ name: 'commonName', value: 'sns.amazonaws.com' }], {
    keyPair: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    notBeforeDate: validity.from,
    notAfterDate: validity.to,
    algorithm: 'sha256',
  });
  return { cert: made.cert, privateKey: keys.privateKey };
}

type Fields = Record<string, string>;

/** The string to sign, written from AWS's documentation (not the code under test). */
function canonical(m: Fields): string {
  const keys =
    m.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  return keys
    .filter((k) => k in m)
    .map((k) => `${k}\n${m[k]}\n`)
    .join('');
}

/** An SNS message as SNS posts it, signed with SignatureVersion 1 (SHA1) or 2 (SHA256). */
export function signed(privateKey: string, fields: Fields, version: '1' | '2' = '1'): Fields {
  const m: Fields = {
    MessageId: randomUUID(),
    TopicArn: TOPIC,
    Timestamp: '2026-11-26T10:00:00.000Z',
    SigningCertURL: CERT_URL,
    ...fields,
    SignatureVersion: version,
  };
  const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(canonical(m)), privateKey);
  return { ...m, Signature: signature.toString('base64') };
}

export const notification = (event: object, extra: Fields = {}): Fields => ({
  Type: 'Notification',
  Subject: 'Amazon SES Email Event Notification',
  Message: JSON.stringify(event),
  UnsubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:1`,
  ...extra,
});

export const subscriptionConfirmation = (extra: Fields = {}): Fields => ({
  Type: 'SubscriptionConfirmation',
  Token: 'token-2336412f37fb687f',
  Message: `You have chosen to subscribe to the topic ${TOPIC}.`,
  SubscribeURL: `https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=token-2336412f37fb687f`,
  ...extra,
});

/** A complaint in SES's event-publishing shape, for an address the test chooses. */
export const complaintEvent = (email: string) => ({
  eventType: 'Complaint',
  complaint: {
    complainedRecipients: [{ emailAddress: email }],
    timestamp: '2026-11-26T09:59:59.000Z',
    feedbackId: `feedback-${email}`,
    complaintFeedbackType: 'abuse',
  },
  mail: {
    timestamp: '2026-11-26T09:59:00.000Z',
    source: 'newsletter@missive.example.org',
    messageId: `msg-${email}`,
    destination: [email],
    tags: {},
  },
});
