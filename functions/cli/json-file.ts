import { isUtf8 } from 'node:buffer';
import { readFile } from 'node:fs/promises';
import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import { ValidationError } from '../core/errors';

/** 1-based line and column of a character offset in a text. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

/** The line of the first byte that is not UTF-8 (a Latin-1 "é" is one byte, 0xE9). */
function firstBadLine(bytes: Buffer): number {
  // What decodes cleanly re-encodes to the same bytes: the first difference is the bad byte.
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  let i = 0;
  while (i < bytes.length && bytes[i] === again[i]) i++;
  let line = 1;
  for (let j = 0; j < i; j++) if (bytes[j] === 0x0a) line++;
  return line;
}

/**
 * A JSON file a person wrote, or one line saying what is wrong and where: a file that
 * cannot be read, text that is not UTF-8 (its line; it would be stored as "caf\ufffd"),
 * JSON that does not parse (its line and column).
 */
export async function readJsonFile(file: string): Promise<unknown> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'error');
    throw new ValidationError(`cannot read ${file}: ${why}`);
  }
  if (!isUtf8(bytes)) {
    throw new ValidationError(
      `${file}:${firstBadLine(bytes)}: not UTF-8 text (saved as Latin-1 or Windows-1252?): save it as UTF-8`,
    );
  }
  return parseJsonText(bytes.toString('utf8').replace(/^\uFEFF/, ''), file);
}

/** What jsonc-parser's error codes mean, for a person. */
const JSON_ERRORS: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'not a number',
  PropertyNameExpected: 'a "quoted" key expected',
  ValueExpected: 'a value expected (a trailing comma?)',
  ColonExpected: 'a colon expected',
  CommaExpected: 'a comma expected',
  CloseBraceExpected: 'a } expected',
  CloseBracketExpected: 'a ] expected',
  EndOfFileExpected: 'nothing expected after the end',
  InvalidCommentToken: 'comments are not JSON',
  UnexpectedEndOfComment: 'comments are not JSON',
  UnexpectedEndOfString: 'a string is not closed',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'a bad \\u escape',
  InvalidEscapeCharacter: 'a bad \\ escape',
  InvalidCharacter: 'a control character in a string (a line break?)',
};

/**
 * The JSON value of a text, or one line with the line and column of its first syntax
 * error (jsonc-parser finds it; Node 20's JSON.parse gives at best an offset).
 */
export function parseJsonText(text: string, where: string): unknown {
  if (text.trim() === '') throw new ValidationError(`${where}: the file is empty`);
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first) {
    const { line, column } = lineAndColumn(text, first.offset);
    const reason = JSON_ERRORS[printParseErrorCode(first.error)] ?? printParseErrorCode(first.error);
    throw new ValidationError(`${where}:${line}:${column}: not valid JSON: ${reason}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`${where}: not valid JSON: ${(error as Error).message}`);
  }
}
