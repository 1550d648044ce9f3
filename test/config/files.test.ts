import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeConfigFile, describeFsError, invalidUtf8Offset } from '../../lib/config/files.js';
import { generatedData } from '../../scripts/data-sources.js';
import { baseFiles, issueLines, repoRoot, validate, writeConfig } from '../helpers.js';
import { roster } from '../cli/run.js';

describe('encodings and line endings', () => {
  it('accepts UTF-8 with a byte-order mark, and CRLF line endings, with positions on the right lines', () => {
    const files = baseFiles();
    files['users.yaml'] = `\ufeff${files['users.yaml'].replace(/\n/g, '\r\n')}`;
    files['accounts/prod.yaml'] = 'id: "222222222222"\r\nalias: acme-prod\r\ntype: prod\r\n';
    expect(validate(files).issues).toEqual([]);
    files['accounts/prod.yaml'] += 'regoin: us-east-1\r\n';
    expect(issueLines(files)).toEqual(["accounts/prod.yaml:4:1: error: unknown key 'regoin' in the file"]);
  });

  it('names the line and column of the first byte that is not UTF-8, instead of replacing it', () => {
    const bytes = Buffer.concat([Buffer.from('users:\n  ren'), Buffer.from([0xe9]), Buffer.from(': []\n')]);
    expect(invalidUtf8Offset(bytes)).toBe(12);
    expect(decodeConfigFile('users.yaml', bytes).issue).toMatchObject({ line: 2, col: 6, message: 'byte 0xe9 is not valid UTF-8' });
    expect(invalidUtf8Offset(Buffer.from('héllo ✓ 𝔸', 'utf8'))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a UTF-16 surrogate encoded in UTF-8
    expect(invalidUtf8Offset(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong NUL
  });

  it('refuses UTF-16 and binary content', () => {
    expect(decodeConfigFile('a.yaml', Buffer.from([0xff, 0xfe, 0x61, 0x00])).issue?.message).toBe('the file is UTF-16, not UTF-8');
    expect(decodeConfigFile('a.yaml', Buffer.from('a: 1\n\u0000')).issue).toMatchObject({ line: 2, col: 1 });
  });
});

describe('file-system errors', () => {
  it('are described in the user\'s terms, each with a hint', () => {
    for (const code of ['ENOENT', 'ELOOP', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR', 'EIO']) {
      const { message, hint } = describeFsError(Object.assign(new Error(`${code}: failure`), { code }), 'file');
      expect(message.length, code).toBeGreaterThan(5);
      expect(hint.length, code).toBeGreaterThan(10);
      expect(message, code).not.toMatch(/^[A-Z]+:/);
    }
    expect(describeFsError({ code: 'EACCES' }, 'file').message).toBe('cannot read the file: permission denied');
  });

  it('a config directory that does not exist is one error', () => {
    const r = roster(['validate', '--dir', join(tmpdir(), 'no-such-roster-dir')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no-such-roster-dir:1:1: error: the config directory: directory not found/);
  });

  it('a missing accounts/ directory is reported once, not as a missing type per grant', () => {
    const files = Object.fromEntries(Object.entries(baseFiles()).filter(([f]) => !f.startsWith('accounts/')));
    const r = roster(['validate', '--dir', writeConfig(files)]);
    const errors = r.stderr.split('\n').filter((l) => l.includes(': error: '));
    expect(errors.filter((e) => e.startsWith('accounts/'))).toEqual(['accounts/:1:1: error: the accounts/ directory is missing']);
    expect(errors.some((e) => e.includes('has no accounts'))).toBe(false);
  });
});

describe('the lists validation checks against', () => {
  it('match their maintained sources (regenerate with npm run refresh-data)', () => {
    for (const [file, data] of Object.entries(generatedData())) {
      expect(JSON.parse(readFileSync(join(repoRoot, 'lib', 'config', 'data', file), 'utf8')), file).toEqual(data);
    }
  });
});
