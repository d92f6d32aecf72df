import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest } from '../../../src/main/eval/manifest';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cadence-manifest-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'data'));
for (const f of ['a.csv', 'b.csv', 'c.csv']) fs.writeFileSync(path.join(dir, 'data', f), 'user,session,key,press_ms,release_ms\n');
function manifest(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

test('a manifest groups files by subject with paths relative to the manifest', () => {
  const m = readManifest(manifest('ok.csv', 'subject,role,path\ns1,enroll,data/a.csv\ns1,genuine,data/b.csv\ns1,impostor,data/c.csv\ns2,enroll,data/c.csv\ns2,impostor,data/a.csv\n'));
  assert.equal(m.subjects.length, 2);
  assert.deepEqual(m.subjects[0], {
    subject: 's1',
    enroll: [path.join(dir, 'data', 'a.csv')],
    genuine: [path.join(dir, 'data', 'b.csv')],
    impostor: [path.join(dir, 'data', 'c.csv')],
  });
  assert.equal(m.files.length, 3);
});

test('manifest errors name the line and say what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['subject,role,path\ns1,enrol,data/a.csv\n', /:2: role "enrol" is not one of enroll, genuine, impostor/],
    ['subject,role,path\ns1,enroll,data/a.csv\ns1,genuine,data/missing.csv\n', /:3: file data\/missing\.csv not found/],
    ['subject,role,path\ns1,enroll,data/a.csv\ns1,genuine,data/a.csv\n', /:3: data\/a\.csv is already listed for subject s1 on line 2/],
    ['subject,role,path\ns1,genuine,data/a.csv\n', /subject s1 has no enroll file/],
    ['subject,role,path\ns1,enroll,data/a.csv\n', /subject s1 has no genuine or impostor file/],
    ['who,what,where\ns1,enroll,data/a.csv\n', /:1: the manifest must start with the header subject,role,path/],
    ['subject,role,path\ns1,enroll\n', /:2: /],
    ['subject,role,path\n', /lists no files/],
  ];
  cases.forEach(([text, re], i) => {
    const f = manifest(`bad${i}.csv`, text);
    assert.throws(() => readManifest(f), (e: Error) => e.message.startsWith(f) && re.test(e.message), `case ${i}: ${text}`);
  });
});
