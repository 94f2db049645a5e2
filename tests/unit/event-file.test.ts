import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../functions/core/errors';
import { parseEventFile } from '../../functions/engagement/event-file';

const send = { eventType: 'Send', mail: { messageId: 'm1' } };
const envelope = {
  Type: 'Notification',
  TopicArn: 'arn:aws:sns:eu-west-1:1:t',
  Message: JSON.stringify(send),
};

const refusal = (text: string) => {
  try {
    parseEventFile(text, 'events.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('SES event files', () => {
  it('reads one object, an array, JSON lines, and SNS envelopes in each', () => {
    expect(parseEventFile(JSON.stringify(send, null, 2), 'f')).toEqual([send]);
    expect(parseEventFile(`\uFEFF${JSON.stringify([send, envelope])}`, 'f')).toEqual([send, send]);
    expect(parseEventFile(`${JSON.stringify(envelope)}\n\n${JSON.stringify(send)}\n`, 'f')).toEqual([
      send,
      send,
    ]);
  });

  it('names the file and the line of a mistake', () => {
    expect(refusal(`${JSON.stringify(send)}\n${JSON.stringify(send)}\n{"eventType":\n`)).toMatch(
      /^events\.json:3: not valid JSON/,
    );
    expect(refusal('{\n  "eventType": "Send",\n  "mail": {,\n}\n')).toMatch(
      /^events\.json:3: not valid JSON/,
    );
    expect(refusal('[\n{"eventType": "Send"},\n{oops}\n]')).toMatch(/^events\.json:3: not valid JSON/);
    expect(refusal(`${JSON.stringify(send)}\n42\n`)).toMatch(/^events\.json:2: not a JSON object/);
    expect(refusal(JSON.stringify([send, 'x']))).toMatch(/^events\.json: item 2: not a JSON object/);
    expect(refusal(JSON.stringify({ ...envelope, Message: 'hi' }))).toMatch(
      /^events\.json:1: .*Message is not JSON/,
    );
    expect(refusal('  \n')).toMatch(/^events\.json: empty/);
    expect(refusal('[]')).toMatch(/empty array/);
  });
});
