import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pageUrl, rendererFile } from '../../../src/main/electron/renderer-files';

const root = path.resolve('/opt/cadence/renderer');

test('app://cadence/<page> maps to the page in the renderer folder with its type', () => {
  assert.deepEqual(rendererFile(pageUrl('wizard'), root), { file: path.join(root, 'wizard.html'), type: 'text/html; charset=utf-8' });
  assert.deepEqual(rendererFile('app://cadence/wizard.js?x=1', root), { file: path.join(root, 'wizard.js'), type: 'text/javascript; charset=utf-8' });
});

test('dot segments are resolved by the URL parser and stay inside the renderer folder', () => {
  for (const url of ['app://cadence/../secret.html', 'app://cadence/%2e%2e/secret.html', 'app://cadence/a/../../../etc/x.html']) {
    const hit = rendererFile(url, root);
    assert.ok(hit && hit.file.startsWith(root + path.sep), `${url} -> ${hit?.file}`);
  }
});

test('nothing outside the renderer folder, no other host or scheme, no unknown types', () => {
  for (const url of [
    'app://cadence/..%2fsecret.html',
    'app://cadence/sub%5c..%5c..%5csecret.html',
    'app://other/wizard.html',
    'file:///opt/cadence/renderer/wizard.html',
    'app://cadence/wizard.js.map',
    'app://cadence/',
    'not a url',
  ]) {
    assert.equal(rendererFile(url, root), null, url);
  }
});
